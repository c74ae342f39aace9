//! The built-in sandbox passes every scenario; each broken variant fails the scenario it
//! breaks, for the reason it breaks it, and only that one (known failures keep failing).

mod common;

use common::verify;

const DNS_API: &str = "api.{domain} leads to the load balancer";
const DNS_APP: &str = "app.{domain} leads to the load balancer";
const DNS_AGREE: &str = "The authoritative servers agree";
const DNS_DANGLING: &str = "No CNAME in the records' chains dangles";
const DNS_WILDCARD: &str = "No wildcard stands in for the records";
const DNS_TTL: &str = "The records' TTLs let a load balancer change";
const DNS_IPV6: &str = "Every IPv6 address the records publish has a listener";
const HEALTH: &str = "GET /api/status answers 200";
const RESTART: &str = "No request fails while the API is restarted";
const ALL: [&str; 9] = [
    DNS_API,
    DNS_APP,
    DNS_AGREE,
    DNS_DANGLING,
    DNS_WILDCARD,
    DNS_TTL,
    DNS_IPV6,
    HEALTH,
    RESTART,
];

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

#[test]
fn dangling_cname_is_named_as_a_takeover_risk() {
    check(
        Some("dangling-cname"),
        &[
            (
                DNS_APP,
                &[
                    "app.sandbox.test does not resolve through resolver",
                    "the chain ends at deleted-lb.sandbox.test, which does not exist (NXDOMAIN)",
                ],
            ),
            (
                DNS_DANGLING,
                &[
                    "app.sandbox.test is a CNAME chain (app.sandbox.test -> deleted-lb.sandbox.test) to deleted-lb.sandbox.test",
                    "whoever registers deleted-lb.sandbox.test serves your users",
                ],
            ),
        ],
    );
}

#[test]
fn wildcard_standing_in_for_the_records_fails() {
    check(
        Some("wildcard-only"),
        &[(
            DNS_WILDCARD,
            &[
                "api.sandbox.test is answered by the wildcard *.sandbox.test (-> lb.sandbox.test)",
                "app.sandbox.test is answered by the wildcard",
            ],
        )],
    );
}

#[test]
fn stale_authoritative_server_is_named_with_its_differences() {
    check(
        Some("authoritative-mismatch"),
        &[(
            DNS_AGREE,
            &[
                "127.0.0.32:",
                "has SOA serial 2026010100 where authoritative 127.0.0.31:",
                "has 2026010200",
                "app.sandbox.test A differs",
                "app.sandbox.test 30 CNAME lb.sandbox.test",
            ],
        )],
    );
}

#[test]
fn long_ttl_fails_with_the_ttl() {
    check(
        Some("long-ttl"),
        &[(
            DNS_TTL,
            &[
                "api.sandbox.test CNAME has a TTL of 3600 s, above dns.max_ttl (300 s)",
                "app.sandbox.test CNAME has a TTL of 3600 s",
            ],
        )],
    );
}

#[test]
fn aaaa_without_listener_fails_dns_health_and_restart() {
    // An IPv6 address that refuses breaks every client that picks it: the probe of that
    // address and the load generator's connections to it fail too.
    check(
        Some("aaaa-without-listener"),
        &[
            (
                DNS_IPV6,
                &["publish ::1 (AAAA) but nothing accepts connections on [::1]:"],
            ),
            (HEALTH, &["[::1]:", "connect-refused"]),
            (RESTART, &["connect refused"]),
        ],
    );
}

#[test]
fn servfail_is_named_as_the_cause() {
    check(
        Some("servfail"),
        &[(
            DNS_APP,
            &[
                "app.sandbox.test does not resolve through resolver",
                "the server answered SERVFAIL",
            ],
        )],
    );
}

#[test]
fn slow_dns_fails_with_the_timeout_named() {
    check(
        Some("slow-dns"),
        &[(
            DNS_APP,
            &[
                "app.sandbox.test does not resolve through resolver",
                "no answer within 1s",
            ],
        )],
    );
}

#[test]
fn late_record_fails_the_plain_step() {
    // The plain step does not wait; tests/propagation.rs shows the waiting step passing.
    check(
        Some("late-app-record"),
        &[(
            DNS_APP,
            &[
                "app.sandbox.test does not resolve through resolver",
                "NXDOMAIN",
            ],
        )],
    );
}
