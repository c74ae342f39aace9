//! `--metrics FILE` and `--push URL`: the run as Prometheus text exposition, checked by
//! `promtool check metrics` and pushed to a real Pushgateway (Debian's prometheus and
//! prometheus-pushgateway, which `cargo xtask test` installs), then read back from it.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use common::{BIN, Pushgateway, TempDir, promtool};

/// The value of the sample of `metric` whose labels include every one of `labels`.
fn sample(text: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")))
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

fn verify(args: &[&str], metrics: &Path) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("verify")
        .args(args)
        .arg("--metrics")
        .arg(metrics)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(metrics).unwrap_or_else(|e| {
        panic!(
            "no metrics file ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_run_is_written_for_promtool_and_pushed_to_a_pushgateway() {
    let dir = TempDir::new("metrics");
    let gateway = Pushgateway::start();
    let file = dir.path().join("netconform.prom");
    // The built-in sandbox, its rolling restart included.
    let (code, text) = verify(
        &["--vantage", "ci-runner", "--quiet", "--push", &gateway.url],
        &file,
    );
    assert_eq!(code, 0, "{text}");
    let (ok, said) = promtool(&text);
    assert!(ok, "promtool check metrics: {said}\n{text}");

    let who = ["environment=\"sandbox\"", "vantage=\"ci-runner\""];
    let restart = [
        who[0],
        who[1],
        "scenario=\"No request fails while the API is restarted one instance at a time\"",
        "guide_section=\"graceful-shutdown\"",
        "verdict=\"pass\"",
    ];
    assert_eq!(
        sample(&text, "netconform_scenario_passed", &restart),
        Some(1.0),
        "{text}"
    );
    assert_eq!(sample(&text, "netconform_run_conformant", &who), Some(1.0));
    assert_eq!(sample(&text, "netconform_run_exit_code", &who), Some(0.0));
    assert_eq!(
        sample(&text, "netconform_drain_failed_requests", &["kind=\"any\""]),
        Some(0.0),
        "the restart dropped nothing: {text}"
    );
    assert!(sample(&text, "netconform_drain_scheduled_requests", &who).unwrap() > 0.0);
    let days = sample(
        &text,
        "netconform_certificate_remaining_seconds",
        &["host=\"api.sandbox.test\"", "address=\"127.0.0.11:"],
    )
    .expect("the API's certificate on each address")
        / 86_400.0;
    assert!(days > 30.0 && days < 100.0, "{days} days left");
    assert!(
        sample(&text, "netconform_run_start_timestamp_seconds", &who).unwrap() > 1.7e9,
        "{text}"
    );

    // Read back from the Pushgateway: grouped by job, environment and vantage point.
    let scraped = gateway.scrape();
    let group = [
        "job=\"netconform\"",
        "environment=\"sandbox\"",
        "vantage=\"ci-runner\"",
    ];
    assert_eq!(
        sample(&scraped, "netconform_run_conformant", &group),
        Some(1.0),
        "{scraped}"
    );
    let mut pushed = restart.to_vec();
    pushed.push(group[0]);
    assert_eq!(
        sample(&scraped, "netconform_scenario_passed", &pushed),
        Some(1.0)
    );

    // A failing run replaces the group: the scenario is 0 with its verdict, the run is not
    // conformant.
    let (code, text) = verify(
        &[
            "--break",
            "expired-cert",
            "--tags",
            "@tls",
            "--vantage",
            "ci-runner",
            "--quiet",
            "--push",
            &gateway.url,
        ],
        &dir.path().join("broken.prom"),
    );
    assert_eq!(code, 1);
    assert!(promtool(&text).0, "{text}");
    assert_eq!(
        sample(
            &text,
            "netconform_scenario_passed",
            &[
                "scenario=\"api.{domain} presents a valid certificate",
                "verdict=\"fail\""
            ]
        ),
        Some(0.0),
        "{text}"
    );
    let scraped = gateway.scrape();
    let broken_group = [
        "job=\"netconform\"",
        "environment=\"sandbox (expired-cert)\"",
        "vantage=\"ci-runner\"",
    ];
    assert_eq!(
        sample(&scraped, "netconform_run_conformant", &broken_group),
        Some(0.0),
        "{scraped}"
    );
    assert!(
        sample(
            &scraped,
            "netconform_certificate_remaining_seconds",
            &broken_group
        )
        .unwrap()
            < 0.0,
        "an expired certificate has negative time left: {scraped}"
    );
}

#[test]
fn promtool_can_fail_and_a_push_nobody_answers_is_an_error() {
    // The check the test relies on rejects what it should.
    let (ok, said) =
        promtool("# HELP x_days_left Days.\n# TYPE x_days_left gauge\nx_days_left 3\n");
    assert!(!ok, "promtool accepted a non-base unit: {said}");

    let dir = TempDir::new("metrics-no-gateway");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new(BIN)
        .args(["verify", "--tags", "@tls", "--quiet", "--push"])
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--report-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("failed to push the metrics: http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(
        dir.path().join("report.json").is_file(),
        "the reports are written first"
    );
}
