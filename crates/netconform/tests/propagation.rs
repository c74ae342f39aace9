//! The waiting DNS step: it passes once a late record appears, says how long it took, and
//! fails at its deadline when the record never comes.

mod common;

use common::verify;

const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features");

#[test]
fn waiting_step_passes_when_the_record_appears() {
    let run = verify(
        "propagation-late",
        &["--break", "late-app-record", "--features", FEATURES],
    );
    let (verdict, reason) = run.scenario("resolves at once");
    assert_eq!(verdict, "fail", "{}", run.explain());
    assert!(reason.contains("NXDOMAIN"), "{reason}");
    let report = run.report.as_ref().unwrap();
    let waited = &report["scenarios"][1];
    assert_eq!(waited["verdict"], "pass", "{}", run.explain());
    let reason = waited["steps"][0]["outcomes"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(
        reason.starts_with("app.sandbox.test after ") && reason.contains(" attempts): "),
        "{reason}"
    );
}

#[test]
fn waiting_step_fails_at_its_deadline() {
    let run = verify(
        "propagation-never",
        &["--break", "no-app-record", "--features", FEATURES],
    );
    assert_eq!(run.code, 1, "{}", run.explain());
    let (verdict, reason) = run.scenario("within a deadline");
    assert_eq!(verdict, "fail");
    assert!(
        reason.starts_with("app.sandbox.test did not lead to the load balancer within 3s ("),
        "{reason}"
    );
    assert!(
        reason.contains("last: app.sandbox.test does not resolve through resolver"),
        "{reason}"
    );
}
