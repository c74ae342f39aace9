//! The reports of a real run against the sandbox (broken so the restart fails): junit.xml
//! valid against the Jenkins junit-10.xsd (xmllint), report.json valid against
//! docs/report.schema.json, report.html loading in headless Chromium with no console error and
//! its chart present; `--format json` and `--quiet` on stdout.
//!
//! xmllint and Chromium come from Debian (`apt-get install libxml2-utils chromium`; .ci/run
//! installs them); without them these tests fail and say so.
//!
//! `NETCONFORM_UPDATE_SCREENSHOT=1 cargo test -p netconform --test reports` rewrites
//! docs/report-timeline.png, the screenshot the README shows.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, TempDir};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `netconform verify ARGS --report-dir DIR`: (exit code, stdout, stderr).
fn verify_into(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("verify")
        .args(args)
        .arg("--report-dir")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn xmllint_schema(xml: &Path) -> Result<(), String> {
    let xsd = root().join("crates/report/tests/junit-10.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(xml)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint could not run ({e}): install it with `apt-get install libxml2-utils` (.ci/run does)")
        });
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn schema_errors(report: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator =
        jsonschema::validator_for(&schema).expect("docs/report.schema.json is a valid schema");
    validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The Debian Chromium, or a failure saying how to get it.
fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return name;
        }
    }
    panic!("Chromium is missing: install it with `apt-get install chromium` (.ci/run does)");
}

/// What headless Chromium made of a page: the DOM after load, and every console message the
/// page logged. Chromium's own traffic goes to a dead proxy on loopback: nothing leaves the
/// machine, and a page that needed the network could not load it.
struct Rendered {
    dom: String,
    console: Vec<String>,
}

fn render(page: &Path, profile: &Path, extra: &[&str]) -> Rendered {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--proxy-server=127.0.0.1:9",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    Rendered {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .map(str::to_owned)
            .collect(),
    }
}

#[test]
fn reports_of_a_failing_run_are_valid_and_show_the_restart() {
    let dir = TempDir::new("reports-broken");
    let (code, stdout, stderr) = verify_into(
        dir.path(),
        &["--break", "exit-on-sigterm", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");

    // --format json: stdout is report.json.
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let printed: Value = serde_json::from_str(&stdout).expect("stdout is JSON");
    assert_eq!(printed, report);

    // report.json: valid, every kind of evidence present, the timeline with failures by kind.
    let errors = schema_errors(&report);
    assert!(
        errors.is_empty(),
        "report.json does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
    let text = serde_json::to_string(&report).unwrap();
    for kind in ["dns", "http", "tls", "drain"] {
        assert!(
            text.contains(&format!("\"kind\":\"{kind}\"")),
            "no {kind} evidence"
        );
    }
    assert_eq!(report["settings"]["domain"], report["domain"]);
    let drain = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["steps"].as_array().unwrap())
        .flat_map(|s| s["outcomes"].as_array().unwrap())
        .flat_map(|o| o["evidence"].as_array().unwrap())
        .find(|e| e["kind"] == "drain")
        .unwrap();
    let failed_by_kind: u64 = drain["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["failures"].as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(
        failed_by_kind > 0,
        "the restart's failures are in the timeline by kind"
    );
    assert_eq!(failed_by_kind, drain["failed"].as_u64().unwrap());
    // The schema check can fail: a report with a field the schema does not know is rejected.
    let mut drifted = report.clone();
    drifted["scenarios"][0]["steps"][0]["surprise"] = Value::Bool(true);
    assert!(
        !schema_errors(&drifted).is_empty(),
        "an unknown field must fail the schema"
    );

    // junit.xml: valid against the schema CI systems read, the failure with its evidence.
    let junit = dir.path().join("junit.xml");
    xmllint_schema(&junit).unwrap();
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("type=\"not-conformant\">"), "{xml}");
    assert!(xml.contains("evidence:\nFAIL "), "{xml}");
    assert!(xml.contains("load on https://api.sandbox.test:"), "{xml}");

    // report.html: loads offline with no console message, the chart drawn.
    let page = dir.path().join("report.html");
    let rendered = render(&page, &dir.path().join("chromium"), &["--dump-dom"]);
    assert!(
        rendered.console.is_empty(),
        "console: {:#?}",
        rendered.console
    );
    assert!(
        rendered.dom.contains("<h1>NOT CONFORMANT</h1>"),
        "the verdict is on the page"
    );
    assert!(
        rendered.dom.contains("<svg id=\"timeline-1\""),
        "the chart is in the page"
    );
    assert!(
        rendered.dom.contains("failed: status-502"),
        "the chart stacks the failures"
    );
    assert!(rendered.dom.contains("Graceful shutdown</a> section"));
}

#[test]
fn console_errors_are_caught() {
    // The check above can fail: a page that throws is seen.
    let dir = TempDir::new("reports-console");
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><script>throw new Error('boom')</script></body></html>",
    )
    .unwrap();
    let rendered = render(&page, &dir.path().join("chromium"), &["--dump-dom"]);
    assert!(
        rendered
            .console
            .iter()
            .any(|l| l.contains("Uncaught Error: boom")),
        "{:#?}",
        rendered.console
    );
}

#[test]
fn quiet_prints_only_the_verdict_and_the_screenshot_is_current() {
    let dir = TempDir::new("reports-quiet");
    let (code, stdout, stderr) = verify_into(
        dir.path(),
        &["--break", "exit-on-sigterm", "--tags", "@drain", "--quiet"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr, "", "--quiet: nothing on stderr but errors");
    assert!(stdout.starts_with("Why:\n"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("NOT CONFORMANT: 0 passed, 1 failed"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("  FAIL         "),
        "no line per scenario: {stdout}"
    );
    if std::env::var_os("NETCONFORM_UPDATE_SCREENSHOT").is_some() {
        let png = root().join("docs/report-timeline.png");
        render(
            &dir.path().join("report.html"),
            &dir.path().join("chromium"),
            &[
                "--hide-scrollbars",
                "--window-size=1100,1250",
                &format!("--screenshot={}", png.display()),
            ],
        );
    }
    assert!(
        root().join("docs/report-timeline.png").exists(),
        "docs/report-timeline.png is missing: NETCONFORM_UPDATE_SCREENSHOT=1 cargo test -p netconform --test reports"
    );
}
