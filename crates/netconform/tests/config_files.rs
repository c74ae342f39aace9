//! `[config]` end to end: `netconform verify --env FILE --tags @config` over the corpus of
//! netconform-config. The conformant set passes; a broken file fails its scenario for its
//! reason, naming the file and the setting; the stock installers fail; no `[config]` is not
//! applicable (and not red); a file that cannot be read is inconclusive, naming it.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, TempDir, verify};

/// The corpus of the configuration checks.
fn data() -> PathBuf {
    common::corpus_dir()
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
        "not-checked",
        &[
            ("The API runs at least two instances", "pass", &[]),
            ("health-checks the API on /api/status", "pass", &[]),
            ("An Application Load Balancer fronts the API", "pass", &[]),
            // ECS on Fargate: no readiness probes, no instances to hook, by its nature.
            (
                "pods are ready only when",
                "not-applicable",
                &["does not apply: the API runs on ECS or VMs"],
            ),
            (
                "Instances are drained",
                "not-applicable",
                &["runs on Fargate: there are no instances to hook"],
            ),
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
fn no_config_is_not_checked_and_not_red_and_says_nothing_was_checked() {
    let run = verify_config("config-none", "");
    assert_eq!(run.code, 0, "{}", run.explain());
    check(&run, "not-checked", &[]);
    assert!(
        run.stdout.contains(
            "NOTHING CHECKED: 0 passed, 0 failed, 0 inconclusive; 20 not checked (20 no [config]) in "
        ),
        "{}",
        run.explain()
    );
    assert!(
        run.stdout.contains("\nNot checked (how to check it next time):\n  no [config] (20): name the deployment's exported configuration in [config] (docs/environment.md#config)\n"),
        "{}",
        run.explain()
    );
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
        run.stderr.contains("unknown field `kubernetes_files`, expected one of `kubernetes`, `aws`, `ecs`, `gcp`, `pulumi_stack_export`"),
        "{}",
        run.explain()
    );
}

/// The EKS set with deletion protection turned off on the ALB ingress.
const EKS_WITHOUT_DELETION_PROTECTION: &str = concat!(
    "[config]\n",
    "kubernetes = [\"DATA/eks/kubernetes/deployment.yaml\", \"DATA/eks/kubernetes/hpa.yaml\", ",
    "\"DATA/eks/kubernetes/console.yaml\", ",
    "\"DATA/broken/eks/no-deletion-protection/kubernetes/ingress.yaml\"]\n",
    "aws = [\"DATA/eks/aws/*.json\"]\n",
);

const DELETION: &str = "Deletion protection is on";

#[test]
fn strict_fails_a_run_that_did_not_check_everything() {
    // From the environment file, and from the flag.
    let run = verify_config("strict-file", "strict = true\n");
    assert_eq!(run.code, 1, "{}", run.explain());
    assert!(
        run.stdout.contains("NOT CONFORMANT: 0 passed, 0 failed, 0 inconclusive; 20 not checked (20 no [config]); strict: every scenario must run in "),
        "{}",
        run.explain()
    );
    assert!(
        run.stdout
            .contains("\nNot checked, which fails a strict run (how to check it next time):\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.report.as_ref().unwrap()["strict"], true);
    // What does not apply by its nature is no gap: the conformant EKS set passes strict.
    let dir = TempDir::new("strict-flag");
    let env = dir.path().join("env.toml");
    let data = data().canonicalize().unwrap();
    std::fs::write(
        &env,
        format!(
            "domain = \"sandbox.test\"\n{}",
            CONFORMANT_EKS.replace("DATA", &data.display().to_string())
        ),
    )
    .unwrap();
    let run = verify(
        "strict-flag-verify",
        &[
            "--env",
            env.to_str().unwrap(),
            "--tags",
            "@config",
            "--strict",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.explain());
    assert!(
        run.stdout
            .contains("CONFORMANT: 19 passed, 0 failed, 0 inconclusive; 1 not applicable in "),
        "{}",
        run.explain()
    );
}

#[test]
fn a_waiver_holds_a_failure_until_it_expires() {
    let waiver = |until: &str| {
        format!(
            "[[waiver]]\nrecommendation = \"deletion-protection\"\nowner = \"platform-team\"\nreason = \"the ALB is replaced in the January migration\"\nuntil = {until}\n\n{EKS_WITHOUT_DELETION_PROTECTION}"
        )
    };
    let run = verify_config("waiver-active", &waiver("2099-12-31"));
    assert_eq!(run.code, 0, "{}", run.explain());
    let (verdict, _) = run.scenario(DELETION);
    assert_eq!(verdict, "waived", "{}", run.explain());
    assert!(
        run.stdout.contains("waived until 2099-12-31: the ALB is replaced in the January migration (owner platform-team); it fails: 2 settings against the guide"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(", 1 waived;"), "{}", run.stdout);
    // Past its date: the failure is back, and the waiver itself fails the run.
    let run = verify_config("waiver-expired", &waiver("2020-01-31"));
    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.scenario(DELETION).0, "fail", "{}", run.explain());
    assert!(
        run.stdout.contains("expired: the waiver of recommendation deletion-protection (owner platform-team) expired on 2020-01-31"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_waiver_that_matches_nothing_is_an_environment_error_at_its_place() {
    let run = verify_config(
        "waiver-nothing",
        "\n[[waiver]]\nscenario = \"Deletion protection is enabled\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2099-01-01\n",
    );
    assert_eq!(run.code, 2, "{}", run.explain());
    assert!(
        run.stderr.contains("env.toml:3:1: the [[waiver]] names scenario \"Deletion protection is enabled\", which no feature has; name it as its `Scenario:` line does"),
        "{}",
        run.explain()
    );
    assert!(run.report.is_none(), "nothing was checked");
}

#[test]
fn the_staging_profile_leaves_out_what_the_guide_asks_of_production_only() {
    let run = verify_config(
        "profile-staging",
        &format!("profile = \"staging\"\n{EKS_WITHOUT_DELETION_PROTECTION}"),
    );
    assert_eq!(run.code, 0, "{}", run.explain());
    let (verdict, reason) = run.scenario(DELETION);
    assert_eq!(verdict, "not-applicable", "{}", run.explain());
    assert!(
        reason.contains(
            "does not apply: profile = \"staging\", and the guide asks this of production only"
        ),
        "{reason}"
    );
    // production is the default: the same files fail.
    let run = verify_config("profile-production", EKS_WITHOUT_DELETION_PROTECTION);
    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.scenario(DELETION).0, "fail");
}

/// The SARIF 2.1.0 JSON schema of the OASIS SARIF TC (its `$id`:
/// raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
/// kept as test data beside the JUnit XSD.
fn sarif_schema() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../report/tests/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn configuration_findings_are_sarif_with_the_setting_s_line_and_column() {
    let run = verify_config("sarif", EKS_WITHOUT_DELETION_PROTECTION);
    assert_eq!(run.code, 1, "{}", run.explain());
    let sarif = run
        .sarif
        .as_ref()
        .unwrap_or_else(|| panic!("no netconform.sarif\n{}", run.explain()));
    let validator = jsonschema::validator_for(&sarif_schema()).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "netconform.sarif is not SARIF 2.1.0: {errors:#?}\n{sarif:#}"
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let uri = |r: &serde_json::Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let deletion = results
        .iter()
        .find(|r| {
            r["ruleId"] == "deletion-protection"
                && uri(r).ends_with("broken/eks/no-deletion-protection/kubernetes/ingress.yaml")
        })
        .unwrap_or_else(|| panic!("no deletion-protection result on the API's ingress: {sarif:#}"));
    assert_eq!(deletion["level"], "error");
    let place = &deletion["locations"][0]["physicalLocation"];
    // The annotation's line: `    alb.ingress.kubernetes.io/load-balancer-attributes: ...`.
    let text = std::fs::read_to_string(
        data().join("broken/eks/no-deletion-protection/kubernetes/ingress.yaml"),
    )
    .unwrap();
    let line = place["region"]["startLine"].as_u64().unwrap() as usize;
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("alb.ingress.kubernetes.io/load-balancer-attributes"),
        "line {line} of the ingress: {deletion:#}"
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = &rules[deletion["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "deletion-protection");
    assert!(
        rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with("#load-balancer-configuration"),
        "{rule:#}"
    );
    // A run with no configuration findings writes none.
    let run = verify_config("sarif-none", "");
    assert!(run.sarif.is_none(), "{}", run.explain());
}
