//! The Google Cloud readers and the checks on what they read never panic: byte-level
//! mutations of the corpus's gcloud output and stack export, and any value of any type at any
//! place of them, are read (through every file name the empty-list rule knows) and checked,
//! together with the rest of their set so the joins run. 256 cases per property, or
//! PROPTEST_CASES.

mod common;

use common::{count, replace_nth};
use std::path::Path;

use netconform_config::{Deployment, checks, read_gcloud_text, read_stack_export_text};
use netconform_testkit::mutate::{Edit, apply};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

const GCLOUD: [&str; 10] = [
    "gcp-gke/gcp/forwarding-rules.json",
    "gcp-gke/gcp/backend-services.json",
    "gcp-gke/gcp/url-maps.json",
    "gcp-gke/gcp/cluster.json",
    "gcp-gke/gcp/routers.json",
    "gcp-gke/gcp/health-checks.json",
    "gcp-mig/gcp/instance-groups-managed.json",
    "gcp-mig/gcp/instance-templates.json",
    "gcp-mig/gcp/sql-instances.json",
    "gcp-mig/gcp/record-sets.json",
];

fn text(file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file),
    )
    .unwrap()
}

fn check_everything(d: &Deployment) {
    for outcome in checks::all(d, "sandbox.test", None, &[]) {
        assert!(!outcome.reason.is_empty(), "{}: no reason", outcome.check);
    }
}

/// Reads `text` as the gcloud output `name` and as a stack export; checks what reads.
fn read_all(text: &str, name: &str) {
    if let Ok(d) = read_gcloud_text(text, name) {
        check_everything(&d);
    }
    if let Ok(d) = read_stack_export_text(text, "fuzz.json") {
        check_everything(&d);
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 0usize..64).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), "[ -~\n\t]{0,12}|[\\[\\]{}:,\"'&*!|>-]{1,4}")
            .prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9/.:_#-]{0,24}".prop_map(Value::String),
        Just(Value::String("compute#forwardingRule".into())),
        Just(Value::String(
            "projects/p/zones/us-central1-a/networkEndpointGroups/x".into()
        )),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(Config { failure_persistence: None, ..Config::default() })]

    #[test]
    fn mutated_gcloud_output_never_panics(
        which in 0usize..GCLOUD.len() + 1,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let file = GCLOUD.get(which).copied().unwrap_or("stack/gcp-mig.json");
        let name = file.rsplit('/').next().unwrap();
        read_all(&apply(&text(file), &edits), name);
    }

    #[test]
    fn any_value_anywhere_in_gcloud_output_never_panics(
        which in 0usize..GCLOUD.len() + 1,
        at in any::<usize>(),
        with in value(),
    ) {
        let file = GCLOUD.get(which).copied().unwrap_or("stack/gcp-mig.json");
        let mut doc: Value = serde_json::from_str(&text(file)).unwrap();
        let mut n = at % count(&doc);
        replace_nth(&mut doc, &mut n, &with);
        read_all(&serde_json::to_string(&doc).unwrap(), file.rsplit('/').next().unwrap());
    }
}
