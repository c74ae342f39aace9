//! `[config]` end to end: `netconform verify --env FILE --tags @config` over the corpus of
//! netconform-config. The conformant set passes; a broken file fails its scenario for its
//! reason, naming the file and the setting; the stock installers fail; no `[config]` is not
//! applicable (and not red); a file that cannot be read is inconclusive, naming it.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, TempDir, verify};

/// The corpus of the configuration checks.
fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/data")
}

/// Writes an environment file for `sandbox.test` with `config` as its `[config]` (paths
/// relative to the corpus: the file's directory is the corpus's through `data` below) and
/// runs the configuration scenarios.
fn verify_config(name: &str, config: &str) -> Run {
    let dir = TempDir::new(name);
    let env = dir.path().join("env.toml");
    let data = data().canonicalize().unwrap();
    let text = format!(
        "domain = \"sandbox.test\"\n{}",
        config.replace("DATA", &data.display().to_string())
    );
    std::fs::write(&env, text).unwrap();
    verify(
        &format!("{name}-verify"),
        &["--env", env.to_str().unwrap(), "--tags", "@config"],
    )
}

/// EKS runs the API in pods: no instances of its own to hook, by the platform's nature.
const PODS_HAVE_NO_INSTANCES: (&str, &str, &[&str]) = (
    "Instances are drained",
    "not-applicable",
    &["does not apply: the API runs in Kubernetes pods"],
);

const CONFORMANT_EKS: &str =
    "[config]\nkubernetes = [\"DATA/eks/kubernetes/*.yaml\"]\naws = [\"DATA/eks/aws/*.json\"]\n";

/// Every configuration scenario's verdict in `run` is `verdict`, except those in `others`.
fn check(run: &Run, verdict: &str, others: &[(&str, &str, &[&str])]) {
    let report = run
        .report
        .as_ref()
        .unwrap_or_else(|| panic!("{}", run.explain()));
    let scenarios = report["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 20, "{}", run.explain());
    for s in scenarios {
        let name = s["name"].as_str().unwrap();
        let (got, reason) = run.scenario(name);
        match others.iter().find(|(n, _, _)| name.contains(n)) {
            Some((_, want, fragments)) => {
                assert_eq!(got, *want, "{name}: {reason}");
                for f in *fragments {
                    assert!(reason.contains(f), "{name}: {reason:?} lacks {f:?}");
                }
            }
            None => assert_eq!(got, verdict, "{name}: {reason}\n{}", run.explain()),
        }
    }
}

#[test]
fn a_conformant_export_passes_every_configuration_scenario() {
    let run = verify_config("config-conformant", CONFORMANT_EKS);
    assert_eq!(run.code, 0, "{}", run.explain());
    check(&run, "pass", &[PODS_HAVE_NO_INSTANCES]);
    // The evidence is in the report: one finding per setting, with its place.
    let report = run.report.as_ref().unwrap();
    let text = report.to_string();
    assert!(
        text.contains("\"kind\":\"config\"")
            && text.contains("\"path\":\"spec.template.spec.terminationGracePeriodSeconds\""),
        "{text}"
    );
}

#[test]
fn a_broken_file_fails_its_scenario_naming_the_setting() {
    let run = verify_config(
        "config-broken",
        concat!(
            "[config]\n",
            "kubernetes = [\"DATA/eks/kubernetes/hpa.yaml\", \"DATA/eks/kubernetes/ingress.yaml\", ",
            "\"DATA/eks/kubernetes/console.yaml\", ",
            "\"DATA/broken/eks/no-pre-stop/kubernetes/deployment.yaml\"]\n",
            "aws = [\"DATA/eks/aws/*.json\"]\n",
        ),
    );
    assert_eq!(run.code, 1, "{}", run.explain());
    check(
        &run,
        "pass",
        &[
            (
                "The API drains connections before it stops",
                "fail",
                &[
                    "1 setting against the guide:",
                    "broken/eks/no-pre-stop/kubernetes/deployment.yaml: spec.template.spec.containers[0].lifecycle.preStop = not set",
                    "expected a preStop hook",
                ],
            ),
            PODS_HAVE_NO_INSTANCES,
        ],
    );
}

#[test]
fn the_stock_ecs_installer_fails_where_the_guide_differs() {
    let run = verify_config(
        "config-stock-ecs",
        "[config]\npulumi_stack_export = \"DATA/stack/stock-ecs.json\"\n",
    );
    assert_eq!(run.code, 1, "{}", run.explain());
    check(
        &run,
        "not-applicable",
        &[
            ("The API runs at least two instances", "pass", &[]),
            ("health-checks the API on /api/status", "pass", &[]),
            ("An Application Load Balancer fronts the API", "pass", &[]),
            (
                "CPU at a 50-60 % target",
                "fail",
                &["targetValue = 65, expected 50-60 %"],
            ),
            (
                "four times its desired count",
                "fail",
                &["minCapacity = 1, expected >= 2"],
            ),
            (
                "120 seconds to stop",
                "fail",
                &[
                    "stopTimeout = not set (ECS default 30), expected 120 (the guide's minimum, Fargate's maximum)",
                ],
            ),
            (
                "drains connections",
                "fail",
                &["deregistrationDelay = not set (AWS default 300 s)"],
            ),
            (
                "stop sequence",
                "pass",
                &[
                    "drain up to 300 s",
                    "then SIGTERM, then up to 30 s",
                    "up to 330 s per task",
                ],
            ),
            (
                "Deletion protection",
                "fail",
                &["enableDeletionProtection = false, expected true"],
            ),
            (
                "120 seconds to start",
                "fail",
                &["healthCheckGracePeriodSeconds = 60, expected >= 120"],
            ),
        ],
    );
}

#[test]
fn no_config_is_not_applicable_and_not_red() {
    let run = verify_config("config-none", "");
    assert_eq!(run.code, 0, "{}", run.explain());
    check(&run, "not-applicable", &[]);
    let report = run.report.as_ref().unwrap();
    let reason = report["scenarios"][0]["steps"][1]["outcomes"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(
        reason.starts_with("not checked: ") && reason.contains("has no [config]"),
        "{reason}"
    );
}

#[test]
fn an_unreadable_file_is_inconclusive_naming_it() {
    let run = verify_config(
        "config-bad",
        "[config]\naws = [\"DATA/eks/aws/*.json\", \"DATA/bad/truncated.json\"]\n",
    );
    assert_eq!(run.code, 3, "{}", run.explain());
    check(&run, "inconclusive", &[]);
    let (_, reason) = run.scenario("Deletion protection is on");
    assert!(
        reason.contains("[config] failed to read")
            && reason.contains("bad/truncated.json: not JSON: EOF while parsing")
            && reason.contains("(the file is truncated)"),
        "{reason}"
    );
}

#[test]
fn an_unknown_config_key_is_an_environment_error() {
    let run = verify_config("config-typo", "[config]\nkubernetes_files = [\"x.yaml\"]\n");
    assert_eq!(run.code, 2, "{}", run.explain());
    assert!(
        run.stderr.contains("unknown field `kubernetes_files`, expected one of `kubernetes`, `aws`, `ecs`, `pulumi_stack_export`"),
        "{}",
        run.explain()
    );
}
