//! `netconform diff` and `verify --baseline` over real runs of the sandbox: a run and its
//! rerun with nothing changed give an empty diff (no noise from timings, ports or the
//! certificates the sandbox issues each start); a run with `--break status-500` is a new
//! failure with its subject and reason, and the way back is fixed; two configuration corpora
//! differing in one setting show it moved, by file and path. diff.json is validated
//! against docs/diff.schema.json. Reports of another environment, or a file that is not a
//! report, are refused (exit 2, file:line:col). `verify --baseline` with `--fail-on new`: a
//! new failure fails the run, a known one does not (junit.xml marks it skipped), a fixed one
//! passes; report.json carries the comparison, valid against docs/report.schema.json, and so
//! do report.html and `--metrics` (netconform_baseline_new_failures and
//! netconform_baseline_fixed, checked with promtool).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use common::{BIN, DNS_APP, HEALTH, TempDir, promtool};
use serde_json::Value;

/// Every scenario but the grace period's (which waits out the grace period under
/// status-500).
const TAGS: &str = "not @grace";

/// One sandbox at a time: the runs' timings stay those of a quiet machine.
static SANDBOX: Mutex<()> = Mutex::new(());

/// The runs every test compares: two of the sandbox as it is, one broken (status 500), one
/// with an expired certificate (before its renewal: the healthy run is after), one whose app
/// record leads to another load balancer (a record change).
struct Runs {
    dir: TempDir,
}

impl Runs {
    fn report(&self, name: &str) -> PathBuf {
        self.dir.path().join(name).join("report.json")
    }
}

/// `verify ARGS --report-dir DIR/NAME`, its exit code and stderr.
fn verify_into(dir: &Path, name: &str, args: &[&str]) -> (i32, String, String) {
    let _one = SANDBOX.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new(BIN)
        .arg("verify")
        .args(args)
        .arg("--report-dir")
        .arg(dir.join(name))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let dir = TempDir::new("diff-runs");
        for (name, args) in [
            ("first", &["--quiet", "--tags", TAGS][..]),
            ("rerun", &["--quiet", "--tags", TAGS][..]),
            (
                "broken",
                &["--quiet", "--tags", TAGS, "--break", "status-500"][..],
            ),
            (
                "expired",
                &["--quiet", "--tags", TAGS, "--break", "expired-cert"][..],
            ),
            (
                "other-lb",
                &["--quiet", "--tags", TAGS, "--break", "wrong-load-balancer"][..],
            ),
        ] {
            let (_, _, stderr) = verify_into(dir.path(), name, args);
            assert!(
                dir.path().join(name).join("report.json").is_file(),
                "{name}: {stderr}"
            );
        }
        Runs { dir }
    })
}

fn diff(args: &[&Path]) -> (i32, String, String) {
    let out = Command::new(BIN).arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn schema_errors(value: &Value) -> Vec<String> {
    errors_against("diff.schema.json", value)
}

/// What in `value` does not match docs/`schema`.
fn errors_against(schema: &str, value: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../docs")
                .join(schema),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// `diff OLD NEW --report-dir OUT`: exit code, stdout, and diff.json (validated).
fn diff_json(old: &Path, new: &Path, out: &Path) -> (i32, String, Value) {
    let (code, stdout, stderr) = diff(&[old, new, Path::new("--report-dir"), out]);
    let text = std::fs::read_to_string(out.join("diff.json"))
        .unwrap_or_else(|e| panic!("no diff.json ({e}): {stderr}"));
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema_errors(&value), Vec::<String>::new(), "{value:#}");
    (code, stdout, value)
}

#[test]
fn a_rerun_with_nothing_changed_is_an_empty_diff() {
    let r = runs();
    let out = TempDir::new("diff-rerun");
    let (code, stdout, value) = diff_json(&r.report("first"), &r.report("rerun"), out.path());
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(value["scenarios"], serde_json::json!([]), "{value:#}");
    assert!(stdout.contains("nothing changed"), "{stdout}");
}

#[test]
fn a_break_is_a_new_failure_with_its_reason_and_the_way_back_is_fixed() {
    let r = runs();
    let out = TempDir::new("diff-broken");
    let (code, stdout, value) = diff_json(&r.report("first"), &r.report("broken"), out.path());
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(value["has_new_failures"], true);
    let health = value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with(HEALTH))
        .unwrap_or_else(|| panic!("no {HEALTH} in {value:#}"));
    assert_eq!(health["change"], "newly-failing", "{health:#}");
    assert!(
        health["new_failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["reason"] == "status 500"),
        "{health:#}"
    );
    assert!(
        stdout.contains("newly failing") && stdout.contains("status 500"),
        "{stdout}"
    );
    // And back: fixed, no new failure.
    let back = TempDir::new("diff-back");
    let (code, stdout, value) = diff_json(&r.report("broken"), &r.report("first"), back.path());
    assert_eq!(code, 0, "{stdout}");
    assert!(
        value["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["change"] == "fixed")
    );
}

/// The evidence of `kind` that moved for a subject starting with `subject`, in any scenario.
fn moved<'a>(value: &'a Value, kind: &str, subject: &str) -> Vec<&'a Value> {
    value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["moved"].as_array().into_iter().flatten())
        .filter(|m| m["kind"] == kind && m["subject"].as_str().unwrap().starts_with(subject))
        .collect()
}

#[test]
fn a_certificate_renewal_shows_the_old_and_the_new_certificate_and_is_fixed() {
    let r = runs();
    let out = TempDir::new("diff-renewal");
    let (code, stdout, value) = diff_json(&r.report("expired"), &r.report("first"), out.path());
    assert_eq!(code, 0, "a renewal breaks nothing: {stdout}");
    let api = moved(&value, "certificate", "api.");
    assert!(!api.is_empty(), "no certificate moved for api: {value:#}");
    for m in &api {
        let (old, new) = (m["old"].as_str().unwrap(), m["new"].as_str().unwrap());
        assert!(
            old.contains("days left") && new.contains("days left"),
            "{m:#}"
        );
        assert_ne!(old, new, "{m:#}");
        // The expired one has no days left; the renewed one has.
        assert!(old.contains("(0 days left)") || old.contains("(-"), "{m:#}");
        assert!(
            !new.contains("(0 days left)") && !new.contains("(-"),
            "{m:#}"
        );
    }
    assert!(
        value["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["change"] == "fixed"),
        "the TLS scenarios the expired certificate failed are fixed: {value:#}"
    );
    assert!(stdout.contains("certificate"), "{stdout}");
}

#[test]
fn a_record_change_shows_the_answers_that_moved() {
    let r = runs();
    let out = TempDir::new("diff-record");
    let (code, stdout, value) = diff_json(&r.report("first"), &r.report("other-lb"), out.path());
    assert_eq!(code, 1, "app now leads elsewhere: a new failure: {stdout}");
    let app = moved(&value, "dns-answers", "app.");
    assert!(!app.is_empty(), "no answer moved for app: {value:#}");
    assert!(
        app.iter()
            .any(|m| m["new"].as_str().unwrap().contains("other-lb.")
                && !m["old"].as_str().unwrap().contains("other-lb.")),
        "{app:#?}"
    );
    // api's record did not change: its answers are not reported as moved.
    assert!(moved(&value, "dns-answers", "api.").is_empty(), "{value:#}");
    let app_scenario = value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with(DNS_APP))
        .unwrap_or_else(|| panic!("no {DNS_APP} in {value:#}"));
    assert_eq!(app_scenario["change"], "newly-failing", "{app_scenario:#}");
}

#[test]
fn reports_that_do_not_compare_are_refused() {
    let r = runs();
    let dir = TempDir::new("diff-refused");
    let mut other: Value =
        serde_json::from_str(&std::fs::read_to_string(r.report("first")).unwrap()).unwrap();
    other["domain"] = "other.test".into();
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    let (code, _, stderr) = diff(&[&r.report("first"), &other_path]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("compare the reports of one environment"),
        "{stderr}"
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"schema_version\": 4,\n  \"scenarios\": 7\n}\n").unwrap();
    let (code, _, stderr) = diff(&[&bad, &r.report("first")]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{}:3:", bad.display()))
            && stderr.contains("not a netconform report.json"),
        "{stderr}"
    );
}

/// `verify --tags TAGS ARGS --baseline BASELINE --fail-on new`: exit code, stdout, report.json
/// (validated) and junit.xml.
fn against(baseline: &Path, name: &str, args: &[&str]) -> (i32, String, Value, String) {
    let dir = TempDir::new(name);
    let mut all = vec!["--tags", TAGS, "--fail-on", "new", "--baseline"];
    let baseline = baseline.display().to_string();
    all.push(&baseline);
    all.extend(args);
    let (code, stdout, stderr) = verify_into(dir.path(), "run", &all);
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("run/report.json"))
            .unwrap_or_else(|e| panic!("no report.json ({e}): {stderr}")),
    )
    .unwrap();
    assert_eq!(
        errors_against("report.schema.json", &report),
        Vec::<String>::new()
    );
    let junit = std::fs::read_to_string(dir.path().join("run/junit.xml")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    assert!(
        html.contains("<h2>Since the baseline</h2>"),
        "{name}: no baseline section"
    );
    (code, stdout, report, junit)
}

#[test]
fn with_fail_on_new_a_new_failure_fails_the_run_and_a_known_or_fixed_one_does_not() {
    let r = runs();
    // New: the baseline passed.
    let metrics = TempDir::new("baseline-metrics");
    let prom = metrics.path().join("netconform.prom").display().to_string();
    let (code, stdout, report, _) = against(
        &r.report("first"),
        "baseline-new",
        &["--break", "status-500", "--metrics", &prom],
    );
    assert_eq!(code, 1, "{stdout}");
    let text = std::fs::read_to_string(&prom).unwrap();
    let (ok, said) = promtool(&text);
    assert!(ok, "promtool check metrics: {said}\n{text}");
    let gauge = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name}{{")))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert!(gauge("netconform_baseline_new_failures") > 0.0, "{text}");
    assert_eq!(gauge("netconform_baseline_fixed"), 0.0, "{text}");
    assert!(
        report["baseline"]["new_failures"].as_u64().unwrap() > 0,
        "{:#}",
        report["baseline"]
    );
    assert!(stdout.contains("Since the baseline"), "{stdout}");
    // Known: the baseline failed the same way.
    let (code, stdout, report, junit) = against(
        &r.report("broken"),
        "baseline-known",
        &["--break", "status-500"],
    );
    assert_eq!(code, 0, "{stdout}{:#}", report["baseline"]);
    let known = report["baseline"]["known"].as_array().unwrap();
    assert!(
        known
            .iter()
            .any(|k| k.as_str().unwrap().starts_with(HEALTH)),
        "{known:?}"
    );
    assert!(stdout.contains("(known: the baseline had it"), "{stdout}");
    assert!(
        stdout.contains("CONFORMANT but for known failures")
            && stdout.contains("known: the baseline had them"),
        "{stdout}"
    );
    assert!(
        junit.contains("type=\"known\"") && junit.contains("known failure (the baseline had it)"),
        "{junit}"
    );
    // Fixed: the baseline failed, this run passes.
    let (code, stdout, report, _) = against(&r.report("broken"), "baseline-fixed", &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        report["baseline"]["fixed"].as_u64().unwrap() > 0,
        "{:#}",
        report["baseline"]
    );
    // Without --fail-on new, a known failure still fails the run.
    let dir = TempDir::new("baseline-any");
    let base = r.report("broken").display().to_string();
    let (code, stdout, _) = verify_into(
        dir.path(),
        "run",
        &[
            "--quiet",
            "--tags",
            TAGS,
            "--break",
            "status-500",
            "--baseline",
            &base,
        ],
    );
    assert_eq!(code, 1, "{stdout}");
}

/// Copies the directory `from` into `to`, file by file.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn two_corpora_differing_in_one_setting_show_it_moved_by_file_and_path() {
    let dir = TempDir::new("diff-corpora");
    let eks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/data/eks");
    let setting = "deregistration_delay.timeout_seconds=10";
    for (name, value) in [("old", "10"), ("new", "30")] {
        let corpus = dir.path().join(name);
        copy_dir(&eks, &corpus);
        let ingress = corpus.join("kubernetes/ingress.yaml");
        let text = std::fs::read_to_string(&ingress).unwrap();
        assert!(text.contains(setting), "the corpus changed: {ingress:?}");
        let changed = text.replace(
            setting,
            &format!("deregistration_delay.timeout_seconds={value}"),
        );
        std::fs::write(&ingress, changed).unwrap();
        std::fs::write(
            corpus.join("env.toml"),
            "domain = \"sandbox.test\"\n[config]\nkubernetes = [\"kubernetes/*.yaml\"]\naws = [\"aws/*.json\"]\n",
        )
        .unwrap();
        let env = corpus.join("env.toml").display().to_string();
        let (_, _, stderr) = verify_into(
            &corpus,
            "reports",
            &["--quiet", "--env", &env, "--tags", "@config"],
        );
        assert!(corpus.join("reports/report.json").is_file(), "{stderr}");
    }
    let out = dir.path().join("diff");
    let (_, stdout, value) = diff_json(
        &dir.path().join("old/reports/report.json"),
        &dir.path().join("new/reports/report.json"),
        &out,
    );
    let moved: Vec<&Value> = value["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["moved"].as_array().into_iter().flatten())
        .filter(|m| {
            m["kind"] == "config" && m["subject"].as_str().unwrap().contains("ingress.yaml")
        })
        .collect();
    assert!(
        moved
            .iter()
            .any(|m| m["old"].as_str().unwrap().contains("10")
                && m["new"].as_str().unwrap().contains("30")),
        "{stdout}"
    );
}
