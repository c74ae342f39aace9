//! `netconform merge` over real runs: one sandbox verified from two vantage points, merged
//! into one set of reports. Agreeing vantage points pass together; where one vantage point's
//! view differs (here zone-b expects the load balancer without its IPv6 address, as a zone
//! whose resolvers answer otherwise would see it), the merged scenario fails, naming zone-b,
//! beside zone-a's pass. Reports of different environments, versions or layouts, a vantage
//! point twice, or a file that is not a report are refused with the reason.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, DNS_API, DNS_DANGLING, TempDir, start_sandbox};
use serde_json::Value;

const TAGS: &str = "@dns and not @disruptive";

/// `verify --vantage NAME` of `env` into `dir/NAME`; its report.json path.
fn run_from(dir: &Path, env: &Path, vantage: &str) -> PathBuf {
    let out = dir.join(vantage);
    let status = Command::new(BIN)
        .args([
            "verify",
            "--tags",
            TAGS,
            "--vantage",
            vantage,
            "--quiet",
            "--env",
        ])
        .arg(env)
        .arg("--report-dir")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        out.join("report.json").is_file(),
        "{vantage}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out.join("report.json")
}

fn merge(reports: &[&Path], out: &Path) -> (i32, String, String) {
    let output = Command::new(BIN)
        .arg("merge")
        .args(reports)
        .arg("--report-dir")
        .arg(out)
        .arg("--metrics")
        .arg(out.join("netconform.prom"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What in `report` does not match docs/report.schema.json.
fn schema_errors(report: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn scenario<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

fn per_vantage(s: &Value) -> Vec<(String, String)> {
    s["vantages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["vantage"].as_str().unwrap().to_owned(),
                v["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn vantage_points_are_merged_side_by_side_and_a_pass_needs_them_all() {
    let dir = TempDir::new("merge");
    let env = dir.path().join("sandbox.toml");
    let _sandbox = start_sandbox(&env);
    // zone-b's view: the load balancer without its IPv6 address.
    let text = std::fs::read_to_string(&env).unwrap();
    let b_env = dir.path().join("zone-b.toml");
    let b_text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("load_balancer_addresses") {
                "load_balancer_addresses = [\"127.0.0.11\", \"127.0.0.12\"]".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&b_env, b_text + "\n").unwrap();
    let a = run_from(dir.path(), &env, "zone-a");
    let a2 = run_from(dir.path(), &env, "zone-c");
    let b = run_from(dir.path(), &b_env, "zone-b");

    // Agreeing vantage points: the merged verdicts are theirs, every report written.
    let agreed = dir.path().join("agreed");
    let (code, stdout, stderr) = merge(&[&a, &a2], &agreed);
    let metrics = std::fs::read_to_string(agreed.join("netconform.prom")).unwrap();
    assert!(
        metrics.contains(
            "netconform_run_conformant{environment=\"sandbox\",vantage=\"zone-a,zone-c\"} 1"
        ),
        "{metrics}"
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Merged from 2 vantage points: zone-a, zone-c"),
        "{stdout}"
    );
    for file in ["report.json", "junit.xml", "report.html"] {
        assert!(agreed.join(file).is_file(), "{file}");
    }
    let report = json(&agreed.join("report.json"));
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    assert_eq!(schema_errors(&json(&a)), Vec::<String>::new());
    assert_eq!(report["vantages"], serde_json::json!(["zone-a", "zone-c"]));
    let api = scenario(&report, DNS_API);
    assert_eq!(api["verdict"], "pass");
    assert_eq!(
        per_vantage(api),
        [
            ("zone-a".to_owned(), "pass".to_owned()),
            ("zone-c".to_owned(), "pass".to_owned())
        ]
    );
    // Each vantage point's evidence is there, labelled.
    let steps: Vec<&str> = api["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        steps.iter().any(|t| t.ends_with("[from zone-a]")),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|t| t.ends_with("[from zone-c]")),
        "{steps:?}"
    );

    // Disagreeing: zone-b fails the records, so the merged run fails them, naming zone-b.
    let disagreed = dir.path().join("disagreed");
    let (code, stdout, _) = merge(&[&a, &b], &disagreed);
    assert_eq!(code, 1, "{stdout}");
    let report = json(&disagreed.join("report.json"));
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    let api = scenario(&report, DNS_API);
    assert_eq!(api["verdict"], "fail");
    assert_eq!(
        per_vantage(api),
        [
            ("zone-a".to_owned(), "pass".to_owned()),
            ("zone-b".to_owned(), "fail".to_owned())
        ]
    );
    assert!(
        stdout.contains("[zone-a pass, zone-b FAIL]")
            && stdout.contains("from zone-b: api.sandbox.test resolves to"),
        "{stdout}"
    );
    // What both passed still passes.
    assert_eq!(scenario(&report, DNS_DANGLING)["verdict"], "pass");
    let junit = std::fs::read_to_string(disagreed.join("junit.xml")).unwrap();
    assert!(junit.contains("from zone-b"), "{junit}");

    // Refused: one vantage point twice; a report of another environment.
    let (code, _, stderr) = merge(&[&a, &a], &dir.path().join("twice"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("two reports from vantage point \"zone-a\""),
        "{stderr}"
    );
    let mut other = json(&a);
    other["domain"] = Value::from("other.test");
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    let (code, _, stderr) = merge(&[&b, &other_path], &dir.path().join("other"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("merge the reports of one environment"),
        "{stderr}"
    );
    let mut old = json(&a);
    old["tool_version"] = Value::from("0.0.1");
    old["vantage"] = Value::from("zone-x");
    let old_path = dir.path().join("old.json");
    std::fs::write(&old_path, old.to_string()).unwrap();
    let (code, _, stderr) = merge(&[&b, &old_path], &dir.path().join("old"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("run the same version at every vantage point"),
        "{stderr}"
    );
    old["tool_version"] = report["tool_version"].clone();
    old["schema_version"] = Value::from(3);
    std::fs::write(&old_path, old.to_string()).unwrap();
    let (code, _, stderr) = merge(&[&b, &old_path], &dir.path().join("layout"));
    assert_eq!(code, 2);
    assert!(stderr.contains("report.json layout 3"), "{stderr}");
}

#[test]
fn a_file_that_is_not_a_report_is_named_with_its_position() {
    let dir = TempDir::new("merge-bad");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"schema_version\": 4,\n  \"scenarios\": oops\n}\n",
    )
    .unwrap();
    let (code, _, stderr) = merge(&[&bad], &dir.path().join("out"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{}:3:", bad.display()))
            && stderr.contains("not a netconform report.json"),
        "{stderr}"
    );
    let (code, _, stderr) = merge(&[&dir.path().join("missing.json")], &dir.path().join("out"));
    assert_eq!(code, 2);
    assert!(stderr.contains("failed to read"), "{stderr}");
}
