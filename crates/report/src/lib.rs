//! Renders a [`RunReport`]: the console summary ([`console`], [`console_quiet`]), the JSON
//! evidence bundle ([`json`]), JUnit XML ([`junit`], known failures skipped) and a self-contained HTML page with the
//! restart timeline as SVG ([`html`]) and Prometheus text exposition ([`metrics`]); and what
//! changed between two runs ([`diff`]). Pure functions from the report to text: no I/O, no
//! network, no checker; the binary writes the files.

pub mod diff;
mod html;
mod junit;
pub mod metrics;
mod sarif;
pub mod summary;
mod timeline;

pub use html::html;
pub use junit::junit;
pub use metrics::metrics;
pub use sarif::sarif;
pub use timeline::timeline_svg;

use netconform_model::{RunReport, ScenarioResult, Verdict};

/// The console summary: one line per scenario (the guide's requirements, then the tool's own
/// hardening advice), then the failures with their reasons, the waived ones, what was not
/// checked and how to check it, the scenarios skipped by policy, then the verdict with what it
/// covers. ANSI colours only when `color` is set (the binary sets it on a terminal).
pub fn console(report: &RunReport, color: bool) -> String {
    let mut out = format!("\nnetconform: {} ({})\n", report.environment, report.domain);
    if !report.vantages.is_empty() {
        out.push_str(&format!(
            "Merged from {} vantage points: {} (a scenario passes only where every vantage point that ran it passed)\n",
            report.vantages.len(),
            report.vantages.join(", ")
        ));
    }
    let line = |out: &mut String, s: &ScenarioResult| {
        let label = format!("{:<12}", s.verdict.to_string());
        let per: Vec<String> = s
            .vantages
            .iter()
            .map(|v| format!("{} {}", v.vantage, v.verdict))
            .collect();
        let per = if per.is_empty() {
            String::new()
        } else {
            format!(" [{}]", per.join(", "))
        };
        let known = if report.known_failure(s) {
            " (known: the baseline had it)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {} {} / {}{per}{known}\n",
            paint(color, s.verdict, &label),
            s.feature,
            s.name
        ));
    };
    let (guide, hardening): (Vec<&ScenarioResult>, Vec<&ScenarioResult>) =
        report.scenarios.iter().partition(|s| !s.is_hardening());
    if !hardening.is_empty() {
        out.push_str("The guide's requirements:\n");
    }
    for s in guide {
        line(&mut out, s);
    }
    if !hardening.is_empty() {
        out.push_str("Hardening (netconform's advice beyond the guide; --tags 'not @hardening' leaves it out):\n");
    }
    for s in hardening {
        line(&mut out, s);
    }
    details(report, color, &mut out);
    out
}

/// The summary for `--quiet`: no line per scenario, only the failures with their reasons,
/// what was waived, not checked or skipped, and the verdict.
pub fn console_quiet(report: &RunReport, color: bool) -> String {
    let mut out = String::new();
    details(report, color, &mut out);
    out.trim_start_matches('\n').to_owned()
}

/// Everything after the scenario lines: why, waived, not checked, skipped, the verdict.
fn details(report: &RunReport, color: bool, out: &mut String) {
    why(report, color, out);
    waived(report, out);
    not_checked(report, out);
    skipped_with_reasons(report, out);
    diff::since_baseline(report, out);
    out.push_str(&verdict_line(report, color));
}

/// The failures held under a waiver, each with its owner and expiry; the expired waivers.
fn waived(report: &RunReport, out: &mut String) {
    let held: Vec<&ScenarioResult> = report
        .scenarios
        .iter()
        .filter(|s| s.verdict == Verdict::Waived)
        .collect();
    if held.is_empty() && report.expired_waivers.is_empty() {
        return;
    }
    out.push_str("\nWaived:\n");
    for s in held {
        if let Some(w) = &s.waiver {
            out.push_str(&format!(
                "  {} / {}: waived until {}: {} (owner {}); it fails: {}\n",
                s.feature,
                s.name,
                w.until,
                w.reason,
                w.owner,
                summary::reason(s).unwrap_or_default()
            ));
        }
    }
    for e in &report.expired_waivers {
        out.push_str(&format!("  expired: {e}\n"));
    }
}

/// What was not checked, by reason, with how to check it next time.
fn not_checked(report: &RunReport, out: &mut String) {
    let coverage = report.coverage();
    if coverage.not_checked.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\nNot checked{} (how to check it next time):\n",
        if report.strict {
            ", which fails a strict run"
        } else {
            ""
        }
    ));
    for g in &coverage.not_checked {
        out.push_str(&format!(
            "  {} ({}): {}\n",
            g.what,
            g.scenarios.len(),
            g.fix
        ));
        for name in &g.scenarios {
            out.push_str(&format!("    {name}\n"));
        }
    }
}

fn paint(color: bool, verdict: Verdict, text: &str) -> String {
    if color {
        format!("\x1b[{}m{text}\x1b[0m", color_code(verdict))
    } else {
        text.to_owned()
    }
}

/// The failed and inconclusive scenarios, each failing step with its reason.
fn why(report: &RunReport, color: bool, out: &mut String) {
    let problems: Vec<&ScenarioResult> = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.verdict, Verdict::Fail | Verdict::Inconclusive))
        .collect();
    if !problems.is_empty() || !report.errors.is_empty() {
        out.push_str("\nWhy:\n");
    }
    for e in &report.errors {
        out.push_str(&format!("  {} {e}\n", paint(color, Verdict::Fail, "error")));
    }
    for s in problems {
        let known = if report.known_failure(s) {
            " (known: the baseline had it; --fail-on new)"
        } else {
            ""
        };
        out.push_str(&format!("  {} / {}{known}\n", s.feature, s.name));
        for step in s
            .steps
            .iter()
            .filter(|st| matches!(st.verdict, Verdict::Fail | Verdict::Inconclusive))
        {
            out.push_str(&format!(
                "    {} {} {}: {}\n",
                paint(color, step.verdict, &step.verdict.to_string()),
                step.keyword,
                step.text,
                step.reason.as_deref().unwrap_or("no reason given")
            ));
        }
    }
}

/// The scenarios skipped for a reason (by policy), so a skip is never silent; under
/// `--strict` each fails the run.
fn skipped_with_reasons(report: &RunReport, out: &mut String) {
    let skipped: Vec<(&ScenarioResult, &str)> = report
        .scenarios
        .iter()
        .filter(|s| s.verdict == Verdict::Skipped)
        .filter_map(|s| s.reason().map(|r| (s, r)))
        .collect();
    if skipped.is_empty() {
        return;
    }
    out.push_str(if report.strict {
        "\nSkipped (which fails a strict run):\n"
    } else {
        "\nSkipped:\n"
    });
    for (s, reason) in skipped {
        out.push_str(&format!("  {} / {}: {reason}\n", s.feature, s.name));
    }
}

/// The run's word: CONFORMANT, NOT CONFORMANT or INCONCLUSIVE.
pub fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "CONFORMANT",
        Verdict::Fail => "NOT CONFORMANT",
        _ => "INCONCLUSIVE",
    }
}

/// The last line: the verdict and the counts.
fn verdict_line(report: &RunReport, color: bool) -> String {
    let verdict = report.verdict();
    let (word, scope) = coverage_phrase(report);
    let word = if color {
        format!("\x1b[{}m{word}\x1b[0m", color_code(verdict))
    } else {
        word
    };
    format!("\n{word}{scope} in {:.1} s\n", report.duration_s)
}

/// The verdict's word and what it covers, as the last line, report.html and junit.xml say
/// it: `CONFORMANT for what was checked`, `: 11 passed, 0 failed, 0 inconclusive; 25 not
/// checked (no [config]: 21, ...); 1 skipped by policy (...)`.
pub fn coverage_phrase(report: &RunReport) -> (String, String) {
    let verdict = report.verdict();
    let c = report.coverage();
    let mut word = verdict_word(verdict).to_owned();
    if verdict == Verdict::Pass && c.passed + c.waived == 0 {
        // Nothing failed because nothing was judged: say so, never "conformant".
        word = "NOTHING CHECKED".to_owned();
    } else if verdict == Verdict::Pass && !c.complete {
        word.push_str(" for what was checked");
    }
    let known = report
        .scenarios
        .iter()
        .filter(|s| report.known_failure(s))
        .count();
    if verdict == Verdict::Pass && known > 0 {
        word.push_str(" but for known failures");
    }
    let known = if known > 0 {
        format!(" ({known} known: the baseline had them)")
    } else {
        String::new()
    };
    let mut scope = format!(
        ": {} passed, {} failed{known}, {} inconclusive",
        c.passed, c.failed, c.inconclusive
    );
    if c.waived > 0 {
        scope.push_str(&format!(", {} waived", c.waived));
    }
    let by_reason = |groups: &[netconform_model::run::GapCount]| {
        groups
            .iter()
            .map(|g| format!("{} {}", g.scenarios.len(), g.what))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !c.not_checked.is_empty() {
        scope.push_str(&format!(
            "; {} not checked ({})",
            c.not_checked_count(),
            by_reason(&c.not_checked)
        ));
    }
    if !c.skipped_by_policy.is_empty() {
        scope.push_str(&format!(
            "; {} skipped by policy ({})",
            c.skipped_count(),
            by_reason(&c.skipped_by_policy)
        ));
    }
    if c.not_applicable > 0 {
        scope.push_str(&format!("; {} not applicable", c.not_applicable));
    }
    if !report.expired_waivers.is_empty() {
        scope.push_str(&format!(
            "; {} waiver(s) expired",
            report.expired_waivers.len()
        ));
    }
    if report.strict && !c.complete {
        scope.push_str("; strict: every scenario must run");
    }
    if report.interrupted {
        scope.push_str("; ");
        scope.push_str(report.stopped.as_deref().unwrap_or("interrupted"));
    }
    (word, scope)
}

fn color_code(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "32",
        Verdict::Fail => "31",
        Verdict::Inconclusive | Verdict::NotChecked | Verdict::Waived => "33",
        Verdict::NotApplicable | Verdict::Skipped => "2",
    }
}

/// `report.json`: the whole report, evidence included, and what it covers (layout:
/// `docs/report.schema.json`, version [`netconform_model::run::REPORT_SCHEMA_VERSION`]).
pub fn json(report: &RunReport) -> String {
    let mut value = serde_json::to_value(report).expect("a report always serializes");
    if let Some(map) = value.as_object_mut() {
        let (word, scope) = coverage_phrase(report);
        map.insert(
            "coverage".into(),
            serde_json::to_value(report.coverage()).expect("coverage serializes"),
        );
        map.insert(
            "verdict".into(),
            serde_json::Value::String(format!("{word}{scope}")),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).expect("a report always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests_support {
    use std::collections::BTreeMap;

    use netconform_model::RestartEventKind;
    use netconform_model::evidence::drain::{DrainSummary, Latency, PhaseEvent, SecondBucket};

    /// A four-second drain run: 50 req/s, 5 x 502 and 3 refused in second 2, a zone-a restart.
    pub(crate) fn drain_summary() -> DrainSummary {
        let bucket = |second: u64, failures: &[(&str, u64)]| {
            let failures: BTreeMap<String, u64> = failures
                .iter()
                .map(|(k, n)| ((*k).to_owned(), *n))
                .collect();
            let failed = failures.values().sum();
            SecondBucket {
                second,
                sent: 50,
                ok: 50 - failed,
                failed,
                p99_ms: 2.0 + second as f64,
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
            url: "https://api.sandbox.test/api/status".into(),
            expect_status: 200,
            target_rate: 50.0,
            scheduled: 200,
            outcomes: BTreeMap::from([
                ("status-200".to_owned(), 192),
                ("status-502".to_owned(), 5),
                ("connect-refused".to_owned(), 3),
            ]),
            ok: 192,
            failed: 8,
            not_sent_on_time: 0,
            duration_s: 4.0,
            achieved_rate: 50.0,
            connections_opened: 110,
            latency_ms: Latency {
                p50: 1.0,
                p90: 2.0,
                p99: 5.0,
                max: 9.0,
            },
            service_ms: Latency {
                p50: 1.0,
                p90: 2.0,
                p99: 5.0,
                max: 9.0,
            },
            lanes: BTreeMap::new(),
            timeline: vec![
                bucket(0, &[]),
                bucket(1, &[]),
                bucket(2, &[("status-502", 5), ("connect-refused", 3)]),
                bucket(3, &[]),
            ],
            failure_samples: Vec::new(),
            failures_by_phase: Vec::new(),
            events: vec![
                event(1.0, RestartEventKind::RolloutBegun, "api"),
                event(1.5, RestartEventKind::InstanceStopping, "zone-a/api-1"),
                event(2.5, RestartEventKind::InstanceExited, "zone-a/api-1"),
                event(3.5, RestartEventKind::RolloutDone, "api"),
            ],
        }
    }
}
