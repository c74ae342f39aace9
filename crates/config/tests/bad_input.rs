//! Bad input is a clear error naming the file (or a value not checked), never a panic and
//! never a pass.

use std::path::{Path, PathBuf};

use netconform_config::{ConfigError, checks, load};
use netconform_model::Verdict;
use netconform_model::environment::ConfigSettings;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn settings(kubernetes: &[&str], aws: &[&str], stacks: &[&str]) -> ConfigSettings {
    ConfigSettings {
        kubernetes: kubernetes.iter().map(|f| f.parse().unwrap()).collect(),
        aws: aws.iter().map(|f| f.parse().unwrap()).collect(),
        pulumi_stack_export: stacks.iter().map(|f| f.parse().unwrap()).collect(),
        ..ConfigSettings::default()
    }
}

/// Loading these files fails with a message holding every fragment.
fn check(kubernetes: &[&str], aws: &[&str], stacks: &[&str], fragments: &[&str]) {
    let err = match load(&settings(kubernetes, aws, stacks), &data()) {
        Ok(_) => panic!("{kubernetes:?} {aws:?} {stacks:?} loaded"),
        Err(e) => format!("failed to {e}"),
    };
    for fragment in fragments {
        assert!(err.contains(fragment), "{err:?} lacks {fragment:?}");
    }
}

#[test]
fn unreadable_files_are_errors_naming_the_file() {
    check(
        &["bad/not-yaml.yaml"],
        &[],
        &[],
        &["failed to read bad/not-yaml.yaml: not YAML:"],
    );
    check(
        &[],
        &["bad/truncated.json"],
        &[],
        &[
            "failed to read bad/truncated.json: not JSON: EOF while parsing",
            "(the file is truncated)",
        ],
    );
    check(
        &[],
        &[],
        &["bad/truncated.json"],
        &["failed to read bad/truncated.json: not JSON"],
    );
}

#[test]
fn the_wrong_kind_of_file_is_an_error_saying_what_is_read() {
    check(
        &[],
        &["bad/list-services.json"],
        &[],
        &[
            "failed to read bad/list-services.json: not an output netconform reads (top-level keys: serviceArns)",
            "services (aws ecs describe-services)",
        ],
    );
    check(
        &["bad/not-kubernetes.yaml"],
        &[],
        &[],
        &[
            "failed to read bad/not-kubernetes.yaml: not a Kubernetes object: no kind (document 2 of 2)",
        ],
    );
    check(
        &[],
        &[],
        &["bad/stack-v1.json"],
        &["a stack export of version 1; netconform reads version 3"],
    );
    check(
        &[],
        &[],
        &["ecs/services.json"],
        &[
            "failed to read ecs/services.json: not a `pulumi stack export` (no \"version\": 3 at the top)",
        ],
    );
    check(
        &["ecs/services.json"],
        &[],
        &[],
        &["failed to read ecs/services.json: not a Kubernetes object: no kind"],
    );
}

#[test]
fn attributes_that_do_not_name_their_load_balancer_among_several_are_an_error() {
    check(
        &[],
        &[
            "bad/two-load-balancers.json",
            "eks/aws/load-balancer-attributes.json",
        ],
        &[],
        &[
            "eks/aws/load-balancer-attributes.json: these attributes do not say which of the 2 load balancers they belong to",
            "add \"LoadBalancerArn\": \"arn:...\" beside \"Attributes\"",
        ],
    );
}

#[test]
fn patterns_that_match_nothing_are_errors() {
    check(
        &["nowhere/*.yaml"],
        &[],
        &[],
        &["failed to find config.kubernetes files: \"nowhere/*.yaml\" matches no file in"],
    );
    check(
        &[],
        &[],
        &["stack/missing.json"],
        &["failed to find config.pulumi_stack_export files: \"stack/missing.json\""],
    );
}

#[test]
fn a_file_that_is_not_text_is_an_error() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("config-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("api.yaml"),
        [0x6b, 0x69, 0x6e, 0x64, 0xff, 0xfe, 0x00],
    )
    .unwrap();
    let res = load(&settings(&["api.yaml"], &[], &[]), &dir);
    let _ = std::fs::remove_dir_all(&dir);
    match res {
        Err(ConfigError::Read { file, why }) => {
            assert_eq!(file, "api.yaml");
            assert!(
                why.contains("not UTF-8 text (invalid byte at offset 4)"),
                "{why}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn values_of_the_wrong_type_are_inconclusive_never_a_pass() {
    let d = load(&settings(&["bad/replicas-text.yaml"], &[], &[]), &data()).unwrap();
    let replicas = checks::check_api_replicas(&d);
    assert_eq!(
        replicas.verdict,
        Verdict::Inconclusive,
        "{}",
        replicas.reason
    );
    assert!(
        replicas.reason.contains(
            "bad/replicas-text.yaml: spec.replicas: cannot check: \"three\" instead of a whole number"
        ),
        "{}",
        replicas.reason
    );
    let grace = checks::check_stop_timeout(&d);
    assert_eq!(grace.verdict, Verdict::Inconclusive, "{}", grace.reason);
    assert!(
        grace
            .reason
            .contains("spec.template.spec.terminationGracePeriodSeconds: cannot check: -5 instead of a whole number of at least 0"),
        "{}",
        grace.reason
    );
}

#[test]
fn no_input_at_all_checks_nothing_and_passes_nothing() {
    let d = load(&ConfigSettings::default(), &data()).unwrap();
    for outcome in checks::all(&d, "sandbox.test", None, &[]) {
        assert_eq!(
            outcome.verdict,
            Verdict::NotChecked,
            "{}: {}",
            outcome.check,
            outcome.reason
        );
        let gap = outcome
            .gap
            .as_ref()
            .expect("a not-checked outcome says what it lacks");
        assert!(
            gap.fix.contains("[config]"),
            "{}: the fix names what to give: {gap:?}",
            outcome.check
        );
        assert!(
            outcome.reason.starts_with("not checked: "),
            "{}",
            outcome.reason
        );
    }
}
