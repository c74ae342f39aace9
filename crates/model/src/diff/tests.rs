use super::*;
use crate::Outcome;
use crate::evidence::config::Finding;
use crate::evidence::dns::{Record, Resolution, VantageKind};
use crate::evidence::http::{CertificateInfo, ProbeResult, TlsReport};
use crate::run::{REPORT_SCHEMA_VERSION, StepResult};

fn dns(addresses: &[&str], ttl: u32, elapsed_ms: f64) -> Evidence {
    Evidence::Dns(Resolution {
        name: "api.example.com".into(),
        record_type: "A".into(),
        server: "10.0.0.2:5353".into(),
        vantage: VantageKind::Authoritative,
        rcode: Some("NOERROR".into()),
        authoritative_answer: true,
        over_tcp: false,
        chain: Vec::new(),
        addresses: addresses
            .iter()
            .map(|a| Record {
                name: "api.example.com".into(),
                record_type: "A".into(),
                ttl,
                data: (*a).to_owned(),
            })
            .collect(),
        final_name: "api.example.com".into(),
        soa_serial: None,
        leaves_zone_at: None,
        dangling: None,
        error: None,
        elapsed_ms,
    })
}

fn probe(address: &str, status: u16, elapsed_ms: f64) -> Evidence {
    Evidence::Http(ProbeResult {
        url: "https://api.example.com:8443/api/status".into(),
        address: Some(address.parse().unwrap()),
        status: Some(status),
        error: None,
        detail: None,
        headers: Default::default(),
        body_excerpt: None,
        instance: None,
        zone: None,
        elapsed_ms,
    })
}

fn tls(not_after: &str, days_left: i64) -> Evidence {
    Evidence::Tls(TlsReport {
        host: "api.example.com".into(),
        address: Some("10.0.0.11:443".parse().unwrap()),
        version: Some("TLSv1.3".into()),
        cipher_suite: None,
        verified: true,
        problem: None,
        certificates: vec![CertificateInfo {
            subject: "CN=api.example.com".into(),
            issuer: "CN=CA".into(),
            sans: vec!["api.example.com".into()],
            not_before: "2026-01-01T00:00:00Z".into(),
            not_after: not_after.into(),
            days_left,
        }],
        elapsed_ms: 3.0,
    })
}

fn setting(subject: &str, actual: &str, status: FindingStatus) -> Evidence {
    Evidence::Config(Finding {
        status,
        section: "Graceful shutdown".into(),
        guideline: "deregistration delay".into(),
        subject: subject.into(),
        file: "alb.json".into(),
        path: "Attributes.deregistration_delay.timeout_seconds".into(),
        actual: actual.into(),
        expected: ">= 120".into(),
        line: Some(3),
        column: Some(5),
    })
}

fn scenario(name: &str, verdict: Verdict, reason: &str, evidence: Vec<Evidence>) -> ScenarioResult {
    let mut outcome = Outcome::new("the check", verdict, reason);
    outcome.evidence = evidence;
    ScenarioResult {
        feature: "F".into(),
        name: name.into(),
        tags: vec!["rec:drain".into()],
        verdict,
        steps: vec![StepResult {
            keyword: "Then".into(),
            text: "it holds".into(),
            verdict,
            reason: (verdict == Verdict::Fail).then(|| reason.to_owned()),
            outcomes: vec![outcome],
            duration_s: 1.5,
        }],
        duration_s: 1.5,
        gap: None,
        waiver: None,
        vantages: Vec::new(),
    }
}

fn report(started_at: &str, scenarios: Vec<ScenarioResult>) -> Part {
    Part {
        file: format!("{started_at}/report.json"),
        report: RunReport {
            schema_version: REPORT_SCHEMA_VERSION,
            tool_version: "1.0.0".into(),
            started_at: started_at.into(),
            environment: "prod".into(),
            domain: "example.com".into(),
            source: "env.toml".into(),
            settings: toml::Table::new(),
            scenarios,
            errors: Vec::new(),
            interrupted: false,
            stopped: None,
            duration_s: 12.0,
            strict: false,
            expired_waivers: Vec::new(),
            vantage: None,
            vantages: Vec::new(),
            baseline: None,
        },
    }
}

fn check(old: Vec<ScenarioResult>, new: Vec<ScenarioResult>) -> RunDiff {
    diff(&report("day1", old), &report("day2", new)).unwrap()
}

#[test]
fn a_rerun_with_nothing_changed_is_an_empty_diff_whatever_its_timings() {
    let old = vec![scenario(
        "a",
        Verdict::Pass,
        "answered in 12 ms",
        vec![
            dns(&["10.0.0.11"], 60, 3.0),
            probe("10.0.0.11:8443", 200, 40.0),
            tls("2027-03-01T10:00:00Z", 84),
        ],
    )];
    let new = vec![scenario(
        "a",
        Verdict::Pass,
        "answered in 97 ms",
        vec![
            dns(&["10.0.0.11"], 60, 30.0),
            probe("10.0.0.11:9443", 200, 400.0),
            // Issued again the same day, a day closer to expiry: no change.
            tls("2027-03-01T10:05:00Z", 83),
        ],
    )];
    let d = check(old, new);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(d.unchanged, 1);
    assert!(!d.has_new_failures());
}

#[test]
fn a_new_failure_is_named_with_its_subject_and_reason() {
    let old = vec![scenario(
        "a",
        Verdict::Pass,
        "ok",
        vec![probe("10.0.0.11:443", 200, 1.0)],
    )];
    let new = vec![scenario(
        "a",
        Verdict::Fail,
        "10.0.0.11 answered 500 after 3 ms",
        vec![probe("10.0.0.11:443", 500, 1.0)],
    )];
    let d = check(old.clone(), new.clone());
    assert_eq!(d.scenarios[0].change, Change::NewlyFailing);
    assert_eq!(
        d.scenarios[0].new_failures,
        [Failure {
            subject: "10.0.0.11".into(),
            reason: "status 500".into()
        }]
    );
    assert!(d.has_new_failures());
    // And back: fixed, the failure gone.
    let back = check(new.clone(), old);
    assert_eq!(back.scenarios[0].change, Change::Fixed);
    assert_eq!(back.scenarios[0].gone_failures.len(), 1);
    assert!(!back.has_new_failures());
    // Another status at the same address: still failing, for a different reason.
    let other = vec![scenario(
        "a",
        Verdict::Fail,
        "10.0.0.11 answered 503 after 9 ms",
        vec![probe("10.0.0.11:443", 503, 1.0)],
    )];
    let d = check(new, other);
    assert_eq!(d.scenarios[0].change, Change::DifferentFailure);
    assert!(d.has_new_failures());
}

#[test]
fn the_same_rule_on_another_resource_is_a_new_failure() {
    let old = vec![scenario(
        "a",
        Verdict::Fail,
        "too short",
        vec![setting("target group api", "30", FindingStatus::Error)],
    )];
    let new = vec![scenario(
        "a",
        Verdict::Fail,
        "too short",
        vec![
            setting("target group api", "30", FindingStatus::Error),
            setting("target group console", "30", FindingStatus::Error),
        ],
    )];
    let d = check(old.clone(), new);
    assert_eq!(d.scenarios[0].change, Change::DifferentFailure);
    assert_eq!(d.scenarios[0].new_failures.len(), 1);
    assert!(d.scenarios[0].new_failures[0].subject.contains("console"));
    // The same failure in both: nothing new, nothing moved.
    assert!(check(old.clone(), old).is_empty());
}

#[test]
fn a_setting_that_changed_is_evidence_moved_even_when_the_verdict_did_not() {
    let old = vec![scenario(
        "a",
        Verdict::Pass,
        "ok",
        vec![setting("target group api", "130", FindingStatus::Conforms)],
    )];
    let new = vec![scenario(
        "a",
        Verdict::Pass,
        "ok",
        vec![setting("target group api", "300", FindingStatus::Conforms)],
    )];
    let d = check(old, new);
    assert_eq!(d.scenarios[0].change, Change::EvidenceMoved);
    let m = &d.scenarios[0].moved[0];
    assert_eq!(m.kind, MovedKind::Config);
    assert_eq!(
        m.subject,
        "alb.json Attributes.deregistration_delay.timeout_seconds (target group api)"
    );
    assert_eq!((m.old.as_str(), m.new.as_str()), ("130 (ok)", "300 (ok)"));
    assert!(!d.has_new_failures());
}

#[test]
fn answers_ttls_addresses_and_certificates_that_moved_are_named() {
    let old = vec![scenario(
        "a",
        Verdict::Pass,
        "ok",
        vec![
            dns(&["10.0.0.11"], 60, 1.0),
            probe("10.0.0.11:443", 200, 1.0),
            tls("2027-01-01T00:00:00Z", 25),
        ],
    )];
    let new = vec![scenario(
        "a",
        Verdict::Pass,
        "ok",
        vec![
            dns(&["10.0.0.12"], 300, 1.0),
            probe("10.0.0.12:443", 200, 1.0),
            tls("2027-04-01T00:00:00Z", 115),
        ],
    )];
    let d = check(old, new);
    let kinds: Vec<MovedKind> = d.scenarios[0].moved.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MovedKind::DnsAnswers,
            MovedKind::DnsTtl,
            MovedKind::Addresses,
            MovedKind::Certificate
        ]
    );
    let cert = &d.scenarios[0].moved[3];
    assert!(
        cert.old.contains("2027-01-01 (25 days left)")
            && cert.new.contains("2027-04-01 (115 days left)"),
        "{cert:?}"
    );
}

/// `dns(...)` for a name no server answered for.
fn unanswered(why: &str) -> Evidence {
    let Evidence::Dns(mut r) = dns(&[], 60, 1.0) else {
        unreachable!()
    };
    r.rcode = Some("NXDOMAIN".into());
    r.error = Some(why.into());
    Evidence::Dns(r)
}

#[test]
fn a_record_removed_or_added_is_answers_that_moved() {
    let answered = || {
        vec![scenario(
            "a",
            Verdict::Pass,
            "ok",
            vec![dns(&["10.0.0.11"], 60, 1.0)],
        )]
    };
    let gone = || {
        vec![scenario(
            "a",
            Verdict::Fail,
            "api.example.com does not resolve: NXDOMAIN",
            vec![unanswered("NXDOMAIN")],
        )]
    };
    let d = check(answered(), gone());
    let m = &d.scenarios[0].moved;
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].kind, MovedKind::DnsAnswers);
    assert_eq!(m[0].subject, "api.example.com A");
    assert_eq!(
        (m[0].old.as_str(), m[0].new.as_str()),
        ("10.0.0.11", "no answer (NXDOMAIN)")
    );
    // And back, when the record is added again.
    let d = check(gone(), answered());
    assert_eq!(d.scenarios[0].moved[0].old, "no answer (NXDOMAIN)");
    // Unanswered both times, for the same reason: nothing moved.
    assert!(check(gone(), gone()).scenarios.is_empty());
}

#[test]
fn newly_not_checked_says_why() {
    let old = vec![scenario("a", Verdict::Pass, "ok", Vec::new())];
    let mut gone = scenario("a", Verdict::NotChecked, "no input", Vec::new());
    gone.gap = Some(Gap::new("s3:ListBuckets denied", "grant s3:ListBuckets"));
    let d = check(old, vec![gone]);
    assert_eq!(d.scenarios[0].change, Change::NewlyNotChecked);
    assert_eq!(
        d.scenarios[0].gap.as_ref().unwrap().what,
        "s3:ListBuckets denied"
    );
    assert!(!d.has_new_failures());
}

#[test]
fn a_renamed_scenario_is_matched_by_its_feature_and_recommendations() {
    let old = vec![scenario(
        "Deregistration delay is long enough",
        Verdict::Fail,
        "short",
        vec![setting("tg", "30", FindingStatus::Error)],
    )];
    let new = vec![scenario(
        "The deregistration delay outlasts the drain",
        Verdict::Fail,
        "short",
        vec![setting("tg", "30", FindingStatus::Error)],
    )];
    let d = check(old.clone(), new);
    assert!(d.is_empty(), "the same failure under a new name: {d:#?}");
    let mut other = scenario("Something else", Verdict::Pass, "ok", Vec::new());
    other.tags = vec!["rec:other".into()];
    let d = check(old, vec![other]);
    let changes: Vec<Change> = d.scenarios.iter().map(|s| s.change).collect();
    assert_eq!(changes, [Change::Added, Change::Removed]);
}

#[test]
fn reports_of_another_environment_are_refused() {
    let old = report("day1", Vec::new());
    let mut new = report("day2", Vec::new());
    new.report.environment = "staging".into();
    let why = diff(&old, &new).unwrap_err();
    assert!(
        why.contains("compare the reports of one environment"),
        "{why}"
    );
    let mut newer = report("day2", Vec::new());
    newer.report.tool_version = "2.0.0".into();
    assert!(
        diff(&old, &newer)
            .unwrap_err()
            .contains("day2/report.json by 2.0.0")
    );
}

#[test]
fn numbers_are_masked_in_reasons() {
    assert_eq!(
        masked("3 of 2000 requests failed within 1.5 s at 127.0.0.1:8443"),
        "# of # requests failed within # s at #"
    );
}

#[test]
fn a_corpus_read_from_another_temporary_directory_names_the_same_files() {
    let at = |dir: &str, actual: &str| {
        let mut p = report(
            dir,
            vec![scenario(
                "a",
                Verdict::Pass,
                "ok",
                vec![setting("tg", actual, FindingStatus::Conforms)],
            )],
        );
        let Evidence::Config(f) = &mut p.report.scenarios[0].steps[0].outcomes[0].evidence[0]
        else {
            unreachable!()
        };
        f.file = format!("/tmp/{dir}/aws/alb.json");
        p.report.settings = format!(
            "[config]\naws = [\"/tmp/{dir}/aws/*.json\"]\nkubernetes = [\"/tmp/{dir}/kubernetes/*.yaml\"]"
        )
        .parse()
        .unwrap();
        p
    };
    let d = diff(&at("run-1", "130"), &at("run-2", "130")).unwrap();
    assert!(d.is_empty(), "{d:#?}");
    let d = diff(&at("run-1", "130"), &at("run-2", "300")).unwrap();
    assert_eq!(
        d.scenarios[0].moved[0].subject,
        "aws/alb.json Attributes.deregistration_delay.timeout_seconds (tg)"
    );
}

#[test]
fn the_sandbox_broken_on_purpose_is_the_same_environment_to_a_diff() {
    let sandbox = |environment: &str| {
        let mut p = report("day1", Vec::new());
        p.report.environment = environment.into();
        p.report.source = "the built-in sandbox".into();
        p
    };
    assert!(diff(&sandbox("sandbox"), &sandbox("sandbox (status-500)")).is_ok());
    // Not to a merge, and not for an environment file.
    let parts = |a: Part, b: Part| crate::merge::incomparable(&a, &b, Purpose::Merge);
    assert!(parts(sandbox("sandbox"), sandbox("sandbox (status-500)")).is_some());
    let mut file = sandbox("prod");
    file.report.source = "envs/prod.toml".into();
    let mut other = sandbox("staging");
    other.report.source = "envs/prod.toml".into();
    assert!(diff(&file, &other).is_err());
}

#[test]
fn with_fail_on_new_only_failures_the_baseline_did_not_have_fail_the_run() {
    use crate::diff::baseline::FailOn;
    let short = |subject: &str| setting(subject, "30", FindingStatus::Error);
    let base = report(
        "day1",
        vec![scenario("a", Verdict::Fail, "short", vec![short("api")])],
    );
    let run = |evidence: Vec<Evidence>, fail_on: FailOn| {
        let verdict = if evidence.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail
        };
        let mut r = report("day2", vec![scenario("a", verdict, "short", evidence)]).report;
        r.compare_with(&base, fail_on).unwrap();
        r
    };
    // Known: the same failure.
    let known = run(vec![short("api")], FailOn::New);
    assert_eq!(known.baseline.as_ref().unwrap().known, ["a"]);
    assert_eq!(known.verdict(), Verdict::Pass);
    assert!(known.known_failure(&known.scenarios[0]));
    assert_eq!(
        run(vec![short("api")], FailOn::Any).verdict(),
        Verdict::Fail
    );
    // New: the same rule on another resource.
    let new = run(vec![short("api"), short("console")], FailOn::New);
    assert_eq!(new.baseline.as_ref().unwrap().new_failures, 1);
    assert_eq!(new.verdict(), Verdict::Fail);
    // Fixed.
    let fixed = run(Vec::new(), FailOn::New);
    assert_eq!(fixed.baseline.as_ref().unwrap().fixed, 1);
    assert_eq!(fixed.verdict(), Verdict::Pass);
}
