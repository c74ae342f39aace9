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
    assert_eq!(run.scenario_count(), 38, "{}", run.explain());
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

/// A breakage the sandbox and the test bed share has one name, accepted by both; the old
/// names are refused (before anything starts, so no Docker is needed) naming the new one.
#[test]
fn old_variant_names_are_refused_naming_the_new_one() {
    let mut cases = Vec::new();
    for (old, new) in [
        ("replica-no-graceful-shutdown", "exit-on-sigterm"),
        ("dns-app-missing", "no-app-record"),
        ("grace-too-short", "stop-timeout-too-short"),
    ] {
        let refusal = format!("--break: `{old}` is now `{new}`");
        cases.push((vec!["--break", old], refusal.clone()));
        cases.push((vec!["--testbed", "--break", old], refusal));
    }
    let cases: Vec<(Vec<&str>, &str)> = cases
        .iter()
        .map(|(args, fragment)| (args.clone(), fragment.as_str()))
        .collect();
    assert_usage_errors(&cases);
    // `netconform sandbox --break` refuses them too (clap's usage error, exit 2).
    let out = Command::new(BIN)
        .args(["sandbox", "--break", "dns-app-missing"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`dns-app-missing` is now `no-app-record`"),
        "{stderr}"
    );
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
    assert_eq!(report["schema_version"], 5);
    let evidence = &report["scenarios"][0]["steps"][1]["outcomes"][0]["evidence"];
    let probes = evidence.as_array().unwrap();
    assert!(
        probes.len() >= 2,
        "one probe per load balancer address: {report:#}"
    );
    assert!(probes.iter().all(|p| p["status"] == 200), "{report:#}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("CONFORMANT: 4 passed, 0 failed, 0 inconclusive in "),
        "{stdout}"
    );
}

#[test]
fn the_sandbox_checks_everything_so_strict_passes_and_hardening_can_be_left_out() {
    // The built-in sandbox gives every input: nothing is not checked; what is not applicable
    // is so by its nature (its pods have no instances to hook), which strict accepts.
    let run = verify("strict-sandbox", &["--strict", "--tags", "not @disruptive"]);
    assert_eq!(run.code, 0, "{}", run.explain());
    assert!(
        run.stdout
            .contains("\nCONFORMANT: 37 passed, 0 failed, 0 inconclusive; 1 not applicable in "),
        "{}",
        run.explain()
    );
    let coverage = &run.report.as_ref().unwrap()["coverage"];
    assert_eq!(coverage["complete"], true, "{coverage:#}");
    // The guide alone: the hardening scenarios (DNS and TLS advice) are left out.
    let guide = verify(
        "guide-only",
        &["--tags", "not @hardening and not @disruptive"],
    );
    assert_eq!(guide.code, 0, "{}", guide.explain());
    assert_eq!(guide.scenario_count(), 33, "{}", guide.explain());
    assert!(
        !guide.stdout.contains("Hardening (netconform's advice"),
        "{}",
        guide.stdout
    );
    assert!(
        run.stdout.contains("Hardening (netconform's advice beyond the guide; --tags 'not @hardening' leaves it out):\n  pass         DNS records lead to the load balancer / No wildcard stands in for the records\n"),
        "{}",
        run.stdout
    );
}
