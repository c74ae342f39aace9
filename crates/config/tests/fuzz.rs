//! The readers and checks never panic: arbitrary bytes, byte-level mutations of the corpus's
//! valid documents, and structural mutations (any value of any type at any place) are read and
//! checked. A brief run here (256 cases per property, well under a second in all); set
//! PROPTEST_CASES for a longer one.

mod common;

use common::{count, replace_nth};
use netconform_testkit::mutate::{Edit, apply};
use std::path::Path;

use netconform_config::{
    Deployment, checks, read_aws_text, read_azure_text, read_kubernetes_text,
    read_stack_export_text,
};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

/// Valid documents of each reader, from the corpus.
const KUBERNETES: [&str; 7] = [
    "eks/kubernetes/deployment.yaml",
    "eks/kubernetes/ingress.yaml",
    "gateway/kubernetes/gateway.yaml",
    "ingress-nginx/kubernetes/ingress-nginx.yaml",
    "gateway-envoy/kubernetes/gateway.yaml",
    "kubernetes/stock-eks.yaml",
    "kubernetes/list.json",
];
const AWS: [&str; 7] = [
    "ecs/services.json",
    "regional-nat/nat-gateways.json",
    "ecs/task-definition.json",
    "ecs/route-tables.json",
    "ecs/target-group-attributes-api.json",
    "eks/aws/records.json",
    "eks/aws/db-instances.json",
];
const AZURE: [&str; 6] = [
    "azure-aks/azure/application-gateways.json",
    "azure-aks/azure/vnets.json",
    "azure-aks/azure/cluster.json",
    "azure-aks/azure/records.json",
    "azure-vmss/azure/scale-sets.json",
    "azure-vmss/azure/autoscale-settings.json",
];
const STACKS: [&str; 2] = [
    "stack/stock-ecs.json",
    "stack/secret-container-definitions.json",
];

fn text(file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file),
    )
    .unwrap()
}

/// proptest's default: 256 cases, or PROPTEST_CASES.
fn config() -> Config {
    Config {
        failure_persistence: None,
        ..Config::default()
    }
}

/// Runs every check; only a panic fails (proptest reports the input).
fn check_everything(d: &Deployment) {
    for outcome in checks::all(d, "sandbox.test", Some("lb.sandbox.test"), &[]) {
        assert!(!outcome.reason.is_empty(), "{}: no reason", outcome.check);
    }
}

fn read_all(text: &str) {
    if let Ok(d) = read_kubernetes_text(text, "fuzz.yaml") {
        check_everything(&d);
    }
    if let Ok(d) = read_kubernetes_text(text, "fuzz.json") {
        check_everything(&d);
    }
    if let Ok(d) = read_aws_text(text, "fuzz.json") {
        check_everything(&d);
    }
    if let Ok(d) = read_azure_text(text, "fuzz.json") {
        check_everything(&d);
    }
    if let Ok(d) = read_stack_export_text(text, "fuzz.json") {
        check_everything(&d);
    }
}

/// A byte-level edit, drawn from the bytes that matter to this format.
fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 0usize..64).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), "[ -~\n\t]{0,12}|[\\[\\]{}:,\"'&*!|>-]{1,4}")
            .prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
    ]
}

/// Any JSON value, a few levels deep.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9/.:_ -]{0,16}".prop_map(Value::String),
        Just(Value::String("{\"stopTimeout\": \"x\"}".into())),
        Just(
            serde_json::json!({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:x"})
        ),
        Just(
            serde_json::json!({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "[1,"})
        ),
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
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_documents_never_panic(
        which in 0usize..KUBERNETES.len() + AWS.len() + AZURE.len() + STACKS.len(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let all: Vec<&str> = KUBERNETES
            .iter()
            .chain(&AWS)
            .chain(&AZURE)
            .chain(&STACKS)
            .copied()
            .collect();
        read_all(&apply(&text(all[which]), &edits));
    }

    /// On the JSON documents (kubernetes/list.json stands for the YAML manifests).
    #[test]
    fn any_value_anywhere_never_panics(
        which in 0usize..14,
        at in any::<usize>(),
        with in value(),
    ) {
        let json: Vec<&str> = KUBERNETES
            .iter()
            .chain(&AWS)
            .chain(&AZURE)
            .chain(&STACKS)
            .copied()
            .filter(|f| f.ends_with(".json"))
            .collect();
        let file = json[which % json.len()];
        let mut doc: Value = serde_json::from_str(&text(file)).unwrap();
        let mut n = at % count(&doc);
        replace_nth(&mut doc, &mut n, &with);
        read_all(&serde_json::to_string(&doc).unwrap());
    }
}
