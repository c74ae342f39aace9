//! Snapshots of the rendered report for a run with a pass, a failure, an inconclusive and a
//! skipped-by-policy scenario; JUnit validated against the Jenkins junit-10.xsd with xmllint;
//! the HTML page self-contained with its timeline.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use expect_test::expect;

use netconform_model::evidence::drain::{
    DrainSummary, Latency, PhaseEvent, PhaseFailures, SecondBucket,
};
use netconform_model::run::WaiverNote;
use netconform_model::{
    Gap, Outcome, RestartEventKind, RunReport, ScenarioResult, StepResult, Verdict,
};

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

/// Three seconds of load at 20 req/s: 4 x 502 and 1 refused in second 1, while zone-a/api-1
/// stopped.
fn drain_evidence() -> DrainSummary {
    let bucket = |second: u64, failures: &[(&str, u64)]| {
        let failures: BTreeMap<String, u64> = failures
            .iter()
            .map(|(k, n)| ((*k).to_owned(), *n))
            .collect();
        let failed = failures.values().sum();
        SecondBucket {
            second,
            sent: 20,
            ok: 20 - failed,
            failed,
            p99_ms: 3.0,
            failures,
        }
    };
    let event = |at_s, kind, instance: &str| PhaseEvent {
        at_s,
        kind,
        instance: Some(instance.to_owned()),
        detail: None,
    };
    DrainSummary {
        url: "https://api.pulumi.example.com/api/status".into(),
        expect_status: 200,
        target_rate: 20.0,
        scheduled: 60,
        outcomes: BTreeMap::from([
            ("status-200".to_owned(), 55),
            ("status-502".to_owned(), 4),
            ("connect-refused".to_owned(), 1),
        ]),
        ok: 55,
        failed: 5,
        not_sent_on_time: 0,
        duration_s: 3.0,
        achieved_rate: 20.0,
        connections_opened: 31,
        latency_ms: Latency {
            p50: 1.0,
            p90: 2.0,
            p99: 3.0,
            max: 4.0,
        },
        service_ms: Latency {
            p50: 1.0,
            p90: 2.0,
            p99: 3.0,
            max: 4.0,
        },
        lanes: BTreeMap::new(),
        timeline: vec![
            bucket(0, &[]),
            bucket(1, &[("status-502", 4), ("connect-refused", 1)]),
            bucket(2, &[]),
        ],
        failure_samples: Vec::new(),
        failures_by_phase: vec![PhaseFailures {
            phase: "while zone-a/api-1 was stopping".into(),
            from_s: 1.0,
            to_s: 2.0,
            outcomes: BTreeMap::from([
                ("status-502".to_owned(), 4),
                ("connect-refused".to_owned(), 1),
            ]),
        }],
        events: vec![
            event(0.5, RestartEventKind::RolloutBegun, "api"),
            event(1.0, RestartEventKind::InstanceStopping, "zone-a/api-1"),
            event(2.0, RestartEventKind::InstanceExited, "zone-a/api-1"),
            event(2.5, RestartEventKind::RolloutDone, "api"),
        ],
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
        gap: None,
        waiver: None,
        vantages: Vec::new(),
    };
    RunReport {
        schema_version: netconform_model::run::REPORT_SCHEMA_VERSION,
        tool_version: "0.1.0".into(),
        started_at: "2026-11-20T10:00:00Z".into(),
        environment: "staging".into(),
        domain: "pulumi.example.com".into(),
        source: "envs/staging.toml".into(),
        settings: netconform_model::redact::environment(&netconform_model::Environment::new(
            "pulumi.example.com".parse().unwrap(),
        )),
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
            ScenarioResult {
                feature: "A rolling restart of the API drops no request".into(),
                tags: vec!["disruptive".into(), "guide:graceful-shutdown".into()],
                ..scenario(
                    "No request fails while the API is restarted",
                    Verdict::Fail,
                    vec![StepResult {
                        outcomes: vec![
                            Outcome::fail("no request fails", "5 of 60 requests failed")
                                .with_evidence(drain_evidence()),
                        ],
                        ..step(
                            "Then",
                            "no request fails",
                            Verdict::Fail,
                            Some("5 of 60 requests failed"),
                        )
                    }],
                )
            },
            ScenarioResult {
                feature: "A rolling restart of the API drops no request".into(),
                tags: vec!["disruptive".into(), "guide:graceful-shutdown".into()],
                gap: Some(Gap::new(
                    "rolling restart: not allowed",
                    "pass --allow-disruptive, or set drain.enabled = true",
                )),
                ..scenario(
                    "No request fails while the API is restarted (again)",
                    Verdict::Skipped,
                    vec![step(
                        "Given",
                        "load",
                        Verdict::Skipped,
                        Some("skipped by policy: @disruptive"),
                    )],
                )
            },
            ScenarioResult {
                feature: "The load balancer is protected (configuration)".into(),
                tags: vec!["config".into(), "guide:load-balancer".into()],
                gap: Some(Gap::new(
                    "no [config]",
                    "name the exported configuration in [config]",
                )),
                ..scenario(
                    "Deletion protection is on",
                    Verdict::NotChecked,
                    vec![StepResult {
                        outcomes: vec![Outcome::not_checked(
                            "deletion protection",
                            Gap::new("no [config]", "name the exported configuration in [config]"),
                            "not checked: staging.toml has no [config]",
                        )],
                        ..step(
                            "Then",
                            "deletion protection is on",
                            Verdict::NotChecked,
                            None,
                        )
                    }],
                )
            },
            ScenarioResult {
                tags: vec!["dns".into(), "guide:dns".into(), "hardening".into()],
                waiver: Some(WaiverNote {
                    owner: "dns-team".into(),
                    reason: "TTLs lowered with the January migration".into(),
                    until: "2027-01-31".into(),
                    target: "scenario \"The records' TTLs are short\"".into(),
                }),
                ..scenario(
                    "The records' TTLs are short",
                    Verdict::Waived,
                    vec![step(
                        "Then",
                        "no TTL is above dns.max_ttl",
                        Verdict::Fail,
                        Some("api.pulumi.example.com has a TTL of 3600 s"),
                    )],
                )
            },
        ],
        errors: vec![],
        interrupted: false,
        stopped: None,
        duration_s: 1.5,
        strict: false,
        expired_waivers: vec![],
        vantage: Some("ci-runner".into()),
        vantages: vec![],
        baseline: None,
    }
}

#[test]
fn console_summary() {
    let text = netconform_report::console(&report(), false);
    expect![[r#"

        netconform: staging (pulumi.example.com)
        The guide's requirements:
          pass         DNS records lead to the load balancer / api.{domain} leads to the load balancer
          FAIL         DNS records lead to the load balancer / app.{domain} leads to the load balancer
          INCONCLUSIVE DNS records lead to the load balancer / drain
          FAIL         A rolling restart of the API drops no request / No request fails while the API is restarted
          skipped      A rolling restart of the API drops no request / No request fails while the API is restarted (again)
          not checked  The load balancer is protected (configuration) / Deletion protection is on
        Hardening (netconform's advice beyond the guide; --tags 'not @hardening' leaves it out):
          waived       DNS records lead to the load balancer / The records' TTLs are short

        Why:
          DNS records lead to the load balancer / app.{domain} leads to the load balancer
            FAIL And it leads to the load balancer: app.pulumi.example.com leads to <other-lb> & more
          DNS records lead to the load balancer / drain
            INCONCLUSIVE Given load: no drain.restart
          A rolling restart of the API drops no request / No request fails while the API is restarted
            FAIL Then no request fails: 5 of 60 requests failed

        Waived:
          DNS records lead to the load balancer / The records' TTLs are short: waived until 2027-01-31: TTLs lowered with the January migration (owner dns-team); it fails: api.pulumi.example.com has a TTL of 3600 s

        Not checked (how to check it next time):
          no [config] (1): name the exported configuration in [config]
            Deletion protection is on

        Skipped:
          A rolling restart of the API drops no request / No request fails while the API is restarted (again): skipped by policy: @disruptive

        NOT CONFORMANT: 1 passed, 2 failed, 1 inconclusive, 1 waived; 1 not checked (1 no [config]); 1 skipped by policy (1 rolling restart: not allowed) in 1.5 s
    "#]]
    .assert_eq(&text);
}

#[test]
fn junit_escapes_and_classifies() {
    let text = netconform_report::junit(&report());
    expect![[r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="netconform: staging" tests="7" failures="2" errors="1" time="1.500">
          <testsuite name="DNS records lead to the load balancer" tests="4" failures="1" errors="1" skipped="1" time="2.000" timestamp="2026-11-20T10:00:00Z">
            <properties>
              <property name="environment" value="staging"/>
              <property name="domain" value="pulumi.example.com"/>
              <property name="netconform" value="0.1.0"/>
              <property name="verdict" value="NOT CONFORMANT: 1 passed, 2 failed, 1 inconclusive, 1 waived; 1 not checked (1 no [config]); 1 skipped by policy (1 rolling restart: not allowed)"/>
              <property name="strict" value="false"/>
              <property name="checked" value="5"/>
              <property name="not-checked" value="1"/>
              <property name="skipped-by-policy" value="1"/>
              <property name="not-applicable" value="0"/>
              <property name="waived" value="1"/>
              <property name="not-checked: no [config]" value="1 (name the exported configuration in [config])"/>
            </properties>
            <testcase classname="DNS records lead to the load balancer" name="api.{domain} leads to the load balancer" time="0.500">
              <system-out>guide: DNS (@guide:dns)
        pass Then it resolves
        </system-out>
            </testcase>
            <testcase classname="DNS records lead to the load balancer" name="app.{domain} leads to the load balancer" time="0.500">
              <failure message="app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more" type="not-conformant">app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more

        evidence:
        FAIL a check: app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more</failure>
              <system-out>guide: DNS (@guide:dns)
        pass Then it resolves
        FAIL And it leads to the load balancer: app.pulumi.example.com leads to &lt;other-lb&gt; &amp; more
        </system-out>
            </testcase>
            <testcase classname="DNS records lead to the load balancer" name="drain" time="0.500">
              <error message="no drain.restart" type="inconclusive">no drain.restart

        evidence:
        INCONCLUSIVE a check: no drain.restart</error>
              <system-out>guide: DNS (@guide:dns)
        INCONCLUSIVE Given load: no drain.restart
        </system-out>
            </testcase>
            <testcase classname="DNS records lead to the load balancer" name="The records&apos; TTLs are short" time="0.500">
              <skipped message="waived until 2027-01-31: TTLs lowered with the January migration (owner dns-team); it fails: api.pulumi.example.com has a TTL of 3600 s" type="waived"/>
              <system-out>guide: DNS (@guide:dns)
        FAIL Then no TTL is above dns.max_ttl: api.pulumi.example.com has a TTL of 3600 s
        </system-out>
            </testcase>
          </testsuite>
          <testsuite name="A rolling restart of the API drops no request" tests="2" failures="1" errors="0" skipped="1" time="1.000" timestamp="2026-11-20T10:00:00Z">
            <properties>
              <property name="environment" value="staging"/>
              <property name="domain" value="pulumi.example.com"/>
              <property name="netconform" value="0.1.0"/>
              <property name="verdict" value="NOT CONFORMANT: 1 passed, 2 failed, 1 inconclusive, 1 waived; 1 not checked (1 no [config]); 1 skipped by policy (1 rolling restart: not allowed)"/>
              <property name="strict" value="false"/>
              <property name="checked" value="5"/>
              <property name="not-checked" value="1"/>
              <property name="skipped-by-policy" value="1"/>
              <property name="not-applicable" value="0"/>
              <property name="waived" value="1"/>
              <property name="not-checked: no [config]" value="1 (name the exported configuration in [config])"/>
            </properties>
            <testcase classname="A rolling restart of the API drops no request" name="No request fails while the API is restarted" time="0.500">
              <failure message="5 of 60 requests failed" type="not-conformant">5 of 60 requests failed

        evidence:
        FAIL no request fails: 5 of 60 requests failed
          load on https://api.pulumi.example.com/api/status: 60 requests scheduled at 20 req/s (20.0 achieved) over 3.0 s: 55 ok, 5 failed, 0 not sent on time; latency p99 3.0 ms, max 4.0 ms; while zone-a/api-1 was stopping (t=1.00-2.00 s): 1 connect-refused, 4 status-502</failure>
              <system-out>guide: Graceful shutdown (@guide:graceful-shutdown)
        FAIL Then no request fails: 5 of 60 requests failed
        </system-out>
            </testcase>
            <testcase classname="A rolling restart of the API drops no request" name="No request fails while the API is restarted (again)" time="0.500">
              <skipped message="skipped by policy: @disruptive" type="skipped"/>
              <system-out>guide: Graceful shutdown (@guide:graceful-shutdown)
        skipped Given load: skipped by policy: @disruptive
        </system-out>
            </testcase>
          </testsuite>
          <testsuite name="The load balancer is protected (configuration)" tests="1" failures="0" errors="0" skipped="1" time="0.500" timestamp="2026-11-20T10:00:00Z">
            <properties>
              <property name="environment" value="staging"/>
              <property name="domain" value="pulumi.example.com"/>
              <property name="netconform" value="0.1.0"/>
              <property name="verdict" value="NOT CONFORMANT: 1 passed, 2 failed, 1 inconclusive, 1 waived; 1 not checked (1 no [config]); 1 skipped by policy (1 rolling restart: not allowed)"/>
              <property name="strict" value="false"/>
              <property name="checked" value="5"/>
              <property name="not-checked" value="1"/>
              <property name="skipped-by-policy" value="1"/>
              <property name="not-applicable" value="0"/>
              <property name="waived" value="1"/>
              <property name="not-checked: no [config]" value="1 (name the exported configuration in [config])"/>
            </properties>
            <testcase classname="The load balancer is protected (configuration)" name="Deletion protection is on" time="0.500">
              <skipped message="not checked: no [config]; to check it: name the exported configuration in [config]" type="not-checked"/>
              <system-out>guide: Load balancer configuration (@guide:load-balancer)
        not checked Then deletion protection is on
        </system-out>
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
    inconclusive
        .scenarios
        .retain(|s| s.verdict != Verdict::Fail);
    assert_eq!(
        inconclusive.exit_code(),
        netconform_model::exit::INCONCLUSIVE
    );
    let mut skipped = inconclusive.clone();
    skipped
        .scenarios
        .retain(|s| s.verdict != Verdict::Inconclusive);
    assert_eq!(
        skipped.exit_code(),
        netconform_model::exit::CONFORMANT,
        "a scenario skipped by policy does not fail the run (it is shown)"
    );
}

#[test]
fn console_quiet_keeps_only_the_failures_and_the_verdict() {
    let text = netconform_report::console_quiet(&report(), false);
    expect![[r#"
        Why:
          DNS records lead to the load balancer / app.{domain} leads to the load balancer
            FAIL And it leads to the load balancer: app.pulumi.example.com leads to <other-lb> & more
          DNS records lead to the load balancer / drain
            INCONCLUSIVE Given load: no drain.restart
          A rolling restart of the API drops no request / No request fails while the API is restarted
            FAIL Then no request fails: 5 of 60 requests failed

        Waived:
          DNS records lead to the load balancer / The records' TTLs are short: waived until 2027-01-31: TTLs lowered with the January migration (owner dns-team); it fails: api.pulumi.example.com has a TTL of 3600 s

        Not checked (how to check it next time):
          no [config] (1): name the exported configuration in [config]
            Deletion protection is on

        Skipped:
          A rolling restart of the API drops no request / No request fails while the API is restarted (again): skipped by policy: @disruptive

        NOT CONFORMANT: 1 passed, 2 failed, 1 inconclusive, 1 waived; 1 not checked (1 no [config]); 1 skipped by policy (1 rolling restart: not allowed) in 1.5 s
    "#]].assert_eq(&text);
}

/// Validates `xml` against the Jenkins junit-10.xsd with xmllint; `Err` carries its message.
/// Fails, saying how to install it, when xmllint is missing.
fn validate_junit(xml: &str, name: &str) -> Result<(), String> {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/junit-10.xsd");
    let file =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}.xml", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let out = out.unwrap_or_else(|e| {
        panic!("xmllint could not run ({e}): install it with `apt-get install libxml2-utils` (.ci/run does)")
    });
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn junit_is_valid_against_the_jenkins_schema() {
    validate_junit(&netconform_report::junit(&report()), "valid").unwrap();
    // The validator does reject what CI systems would: a testcase without a name.
    let broken = netconform_report::junit(&report()).replacen(
        " name=\"api.{domain}",
        " title=\"api.{domain}",
        1,
    );
    let err = validate_junit(&broken, "broken").unwrap_err();
    assert!(err.contains("The attribute 'name' is required"), "{err}");
}

#[test]
fn junit_failures_carry_the_evidence() {
    let text = netconform_report::junit(&report());
    assert!(
        text.contains("5 of 60 requests failed\n\nevidence:\nFAIL no request fails: 5 of 60 requests failed\n  load on https://api.pulumi.example.com/api/status: 60 requests scheduled at 20 req/s"),
        "{text}"
    );
    assert!(
        text.contains(
            "; while zone-a/api-1 was stopping (t=1.00-2.00 s): 1 connect-refused, 4 status-502"
        ),
        "{text}"
    );
    assert!(
        text.contains("<skipped message=\"skipped by policy: @disruptive\" type=\"skipped\"/>"),
        "{text}"
    );
}

#[test]
fn html_is_one_self_contained_page_with_the_verdict_first_and_the_timeline() {
    let page = netconform_report::html(&report());
    assert!(page.starts_with("<!DOCTYPE html>"));
    let header = page
        .find("<header class=\"fail\" id=\"verdict\">\n<h1>NOT CONFORMANT</h1>")
        .expect("verdict header");
    let first_scenario = page.find("<article").unwrap();
    assert!(header < first_scenario, "the verdict comes first");
    assert!(page.contains("Checks the guide's <a href=\"https://www.pulumi.com/docs/administration/self-hosting/operations/networking/#graceful-shutdown\">Graceful shutdown</a> section"), "{page}");
    assert!(
        page.contains("<svg id=\"timeline-1\" role=\"img\""),
        "the restart's chart is inline"
    );
    assert_eq!(page.matches("<svg ").count(), 1, "one chart: one drain run");
    assert!(page.contains("failed: status-502"));
    assert!(page.contains("<td>while zone-a/api-1 was stopping</td>"));
    // Nothing is fetched: no script, stylesheet, image, frame or font from anywhere.
    for asset in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
    ] {
        assert!(!page.contains(asset), "report.html must not load {asset}");
    }
    // Escaped like the rest: no raw text from the report can open a tag.
    assert!(page.contains("leads to &lt;other-lb&gt; &amp; more"));
    assert!(!page.contains("<other-lb>"));
}
