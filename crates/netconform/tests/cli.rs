//! The command line: tag filters, bad input, exit codes.

mod common;

use std::process::Command;

use common::{BIN, TempDir, assert_usage_errors, verify};

#[test]
fn tags_select_scenarios() {
    let run = verify("tags-dns", &["--tags", "@dns"]);
    assert_eq!(run.code, 0, "{}", run.explain());
    assert_eq!(run.scenario_count(), 8, "{}", run.explain());
    let run = verify("tags-not-disruptive", &["--tags", "not @disruptive"]);
    assert_eq!(run.code, 0, "{}", run.explain());
    assert_eq!(run.scenario_count(), 37, "{}", run.explain());
    let run = verify("tags-config", &["--tags", "@config"]);
    assert_eq!(run.code, 0, "{}", run.explain());
    assert_eq!(run.scenario_count(), 20, "{}", run.explain());
}

#[test]
fn usage_errors_exit_2_with_the_fix() {
    assert_usage_errors(&[
        (vec!["--tags", "dns and"], "is not a tag expression"),
        (
            vec!["--break", "no-such-variant"],
            "unknown sandbox variant \"no-such-variant\"; the variants are: exit-on-sigterm",
        ),
        (
            vec!["--env", "envs/x.toml", "--break", "status-500"],
            "cannot be used with",
        ),
        (
            vec!["--features", "/nonexistent/features"],
            "is not a directory of .feature files",
        ),
        (vec!["--bogus"], "unexpected argument '--bogus'"),
    ]);
}

#[test]
fn reports_are_written() {
    let dir = TempDir::new("reports-written");
    let out = Command::new(BIN)
        .args([
            "verify",
            "--tags",
            "@health and not @stability and not @grace",
            "--report-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(
        junit.contains(
            "<testcase classname=\"The API health check answers through the load balancer\""
        ),
        "{junit}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["schema_version"], 2);
    let evidence = &report["scenarios"][0]["steps"][1]["outcomes"][0]["evidence"];
    let probes = evidence.as_array().unwrap();
    assert!(
        probes.len() >= 2,
        "one probe per load balancer address: {report:#}"
    );
    assert!(probes.iter().all(|p| p["status"] == 200), "{report:#}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("CONFORMANT (4 passed, 0 failed, 0 inconclusive)"),
        "{stdout}"
    );
}
