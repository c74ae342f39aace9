//! The built-in sandbox passes every scenario; each broken variant fails the scenario it
//! breaks, for the reason it breaks it, and only that one (known failures keep failing).

mod common;

use common::verify;

const DNS_API: &str = "api.{domain} leads to the load balancer";
const DNS_APP: &str = "app.{domain} leads to the load balancer";
const HEALTH: &str = "GET /api/status answers 200";
const RESTART: &str = "No request fails while the API is restarted";
const ALL: [&str; 4] = [DNS_API, DNS_APP, HEALTH, RESTART];

/// Runs the sandbox broken by `variant` and checks every scenario: those in `failing` fail
/// with a reason containing each of their fragments, the others pass.
fn check(variant: Option<&str>, failing: &[(&str, &[&str])]) {
    let mut args = vec![];
    if let Some(v) = variant {
        args.extend(["--break", v]);
    }
    let run = verify(&format!("sandbox-{}", variant.unwrap_or("healthy")), &args);
    assert_eq!(run.scenario_count(), ALL.len(), "{}", run.explain());
    for scenario in ALL {
        let (verdict, reason) = run.scenario(scenario);
        match failing.iter().find(|(name, _)| *name == scenario) {
            Some((_, fragments)) => {
                assert_eq!(verdict, "fail", "{scenario} should fail\n{}", run.explain());
                for fragment in *fragments {
                    assert!(
                        reason.contains(fragment),
                        "{scenario}: reason {reason:?} lacks {fragment:?}"
                    );
                }
            }
            None => assert_eq!(
                verdict,
                "pass",
                "{scenario} should pass: {reason}\n{}",
                run.explain()
            ),
        }
    }
    let expected_code = if failing.is_empty() { 0 } else { 1 };
    assert_eq!(run.code, expected_code, "{}", run.explain());
}

#[test]
fn healthy_sandbox_passes_every_scenario() {
    check(None, &[]);
}

#[test]
fn exit_on_sigterm_drops_requests_during_the_restart() {
    check(
        Some("exit-on-sigterm"),
        &[(
            RESTART,
            &[
                "requests failed during the restart (max_failed = 0)",
                "answered 502",
                "zone-a/api-1 exited",
            ],
        )],
    );
}

#[test]
fn no_app_record_fails_the_app_record() {
    check(
        Some("no-app-record"),
        &[(
            DNS_APP,
            &["app.sandbox.test does not resolve through", "NXDOMAIN"],
        )],
    );
}

#[test]
fn wrong_load_balancer_names_the_other_balancer() {
    check(
        Some("wrong-load-balancer"),
        &[(
            DNS_APP,
            &["app.sandbox.test leads to other-lb.sandbox.test, expected lb.sandbox.test"],
        )],
    );
}

#[test]
fn status_500_fails_the_health_check_and_the_restart() {
    // Every replica answers 500: the health check says so, and under load every request
    // fails (the load balancer fails open, like an ALB) while the rollout cannot complete.
    check(
        Some("status-500"),
        &[
            (HEALTH, &["expected 200", "answered 500"]),
            (RESTART, &["answered 500"]),
        ],
    );
}
