//! Snapshots of the rendered report for a run with a pass, a failure and an inconclusive
//! scenario.

use expect_test::expect;
use netconform_model::{Outcome, RunReport, ScenarioResult, StepResult, Verdict};

fn step(keyword: &str, text: &str, verdict: Verdict, reason: Option<&str>) -> StepResult {
    StepResult {
        keyword: keyword.into(),
        text: text.into(),
        verdict,
        reason: reason.map(str::to_owned),
        outcomes: reason
            .map(|r| vec![Outcome::new("a check", verdict, r)])
            .unwrap_or_default(),
        duration_s: 0.25,
    }
}

fn report() -> RunReport {
    let scenario = |name: &str, verdict, steps| ScenarioResult {
        feature: "DNS records lead to the load balancer".into(),
        name: name.into(),
        tags: vec!["dns".into(), "guide:dns".into()],
        verdict,
        steps,
        duration_s: 0.5,
    };
    RunReport {
        schema_version: 1,
        environment: "staging".into(),
        domain: "pulumi.example.com".into(),
        scenarios: vec![
            scenario(
                "api.{domain} leads to the load balancer",
                Verdict::Pass,
                vec![step("Then", "it resolves", Verdict::Pass, None)],
            ),
            scenario(
                "app.{domain} leads to the load balancer",
                Verdict::Fail,
                vec![
                    step("Then", "it resolves", Verdict::Pass, None),
                    step(
                        "And",
                        "it leads to the load balancer",
                        Verdict::Fail,
                        Some("app.pulumi.example.com leads to <other-lb> & more"),
                    ),
                ],
            ),
            scenario(
                "drain",
                Verdict::Inconclusive,
                vec![step(
                    "Given",
                    "load",
                    Verdict::Inconclusive,
                    Some("no drain.restart"),
                )],
            ),
        ],
        errors: vec![],
        interrupted: false,
        duration_s: 1.5,
    }
}

#[test]
fn console_summary() {
    let text = netconform_report::console(&report(), false);
    expect![[r#"

        netconform: staging (pulumi.example.com)
          pass         DNS records lead to the load balancer / api.{domain} leads to the load balancer
          FAIL         DNS records lead to the load balancer / app.{domain} leads to the load balancer
          INCONCLUSIVE DNS records lead to the load balancer / drain

        Why:
          DNS records lead to the load balancer / app.{domain} leads to the load balancer
            FAIL And it leads to the load balancer: app.pulumi.example.com leads to <other-lb> & more
          DNS records lead to the load balancer / drain
            INCONCLUSIVE Given load: no drain.restart

        NOT CONFORMANT (1 passed, 1 failed, 1 inconclusive) in 1.5 s
    "#]]
    .assert_eq(&text);
}

#[test]
fn junit_escapes_and_classifies() {
    let text = netconform_report::junit(&report());
    expect![[r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="netconform: staging" tests="3" failures="1" errors="1" time="1.500">
          <testsuite name="DNS records lead to the load balancer" tests="3" failures="1" errors="1" skipped="0" time="1.500">
            <testcase classname="DNS records lead to the load balancer" name="api.{domain} leads to the load balancer" time="0.500"/>
            <testcase classname="DNS records lead to the load balancer" name="app.{domain} leads to the load balancer" time="0.500">
              <failure message="app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more" type="not-conformant">app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more</failure>
            </testcase>
            <testcase classname="DNS records lead to the load balancer" name="drain" time="0.500">
              <error message="no drain.restart" type="inconclusive">no drain.restart</error>
            </testcase>
          </testsuite>
        </testsuites>
    "#]]
    .assert_eq(&text);
}

#[test]
fn json_round_trips_and_exit_codes_follow_the_verdict() {
    let report = report();
    let back: RunReport = serde_json::from_str(&netconform_report::json(&report)).unwrap();
    assert_eq!(back, report);
    assert_eq!(report.exit_code(), netconform_model::exit::NOT_CONFORMANT);
    let mut inconclusive = report.clone();
    inconclusive.scenarios.remove(1);
    assert_eq!(
        inconclusive.exit_code(),
        netconform_model::exit::INCONCLUSIVE
    );
    inconclusive.scenarios.pop();
    assert_eq!(inconclusive.exit_code(), netconform_model::exit::CONFORMANT);
}
