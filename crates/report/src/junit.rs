//! `junit.xml`: one testsuite per feature, one testcase per scenario, valid against the
//! Jenkins junit-10.xsd; a known failure (`--fail-on new`) is skipped with the baseline as its
//! reason.

use netconform_model::{RunReport, ScenarioResult, Verdict};

use crate::{coverage_phrase, summary};

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// At most this many evidence lines go into one JUnit failure.
const MAX_EVIDENCE_LINES: usize = 40;

/// The evidence behind a scenario's verdict: the outcomes of its failed or inconclusive steps
/// (every outcome when none failed), one line each with its evidence below it.
fn evidence_lines(s: &ScenarioResult) -> Vec<String> {
    let judged: Vec<&netconform_model::Outcome> = s
        .steps
        .iter()
        .filter(|st| matches!(st.verdict, Verdict::Fail | Verdict::Inconclusive))
        .flat_map(|st| st.outcomes.iter())
        .collect();
    let mut lines = Vec::new();
    for outcome in judged {
        lines.push(format!(
            "{} {}: {}",
            outcome.verdict, outcome.check, outcome.reason
        ));
        for e in &outcome.evidence {
            lines.push(format!("  {}", summary::evidence(e)));
        }
    }
    if lines.len() > MAX_EVIDENCE_LINES {
        let more = lines.len() - MAX_EVIDENCE_LINES;
        lines.truncate(MAX_EVIDENCE_LINES);
        lines.push(format!("  ... and {more} more lines in report.json"));
    }
    lines
}

/// What a testcase's system-out says: the guide section and each step with its verdict.
fn testcase_out(s: &ScenarioResult) -> String {
    let mut out = String::new();
    if let Some(section) = summary::guide_section(s) {
        out.push_str(&format!(
            "guide: {} (@guide:{})\n",
            section.title(),
            section.tag()
        ));
    }
    for step in &s.steps {
        out.push_str(&format!("{} {} {}", step.verdict, step.keyword, step.text));
        if let Some(reason) = &step.reason {
            out.push_str(&format!(": {reason}"));
        }
        out.push('\n');
    }
    out
}

/// `junit.xml`: one testsuite per feature, one testcase per scenario. A failed scenario is a
/// `<failure>` (an inconclusive one an `<error>`) whose message is the reason and whose body
/// adds the evidence; skipped and not applicable scenarios are `<skipped>` with why. Every
/// testcase's `<system-out>` names the guide section and the steps. Valid against the Jenkins
/// xUnit plugin's junit-10.xsd (GitHub and GitLab read the same shape).
pub fn junit(report: &RunReport) -> String {
    let mut features: Vec<&str> = Vec::new();
    for s in &report.scenarios {
        if !features.contains(&s.feature.as_str()) {
            features.push(&s.feature);
        }
    }
    let count = |v| report.scenarios.iter().filter(|s| s.verdict == v).count();
    let known = |of: &[&ScenarioResult]| of.iter().filter(|s| report.known_failure(s)).count();
    let all: Vec<&ScenarioResult> = report.scenarios.iter().collect();
    let coverage = report.coverage();
    let (word, scope) = coverage_phrase(report);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"netconform: {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
        xml_escape(&report.environment),
        report.scenarios.len(),
        count(Verdict::Fail) - known(&all),
        count(Verdict::Inconclusive),
        report.duration_s
    ));
    for feature in features {
        let scenarios: Vec<&ScenarioResult> = report
            .scenarios
            .iter()
            .filter(|s| s.feature == feature)
            .collect();
        let n = |v| scenarios.iter().filter(|s| s.verdict == v).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\" timestamp=\"{}\">\n",
            xml_escape(feature),
            scenarios.len(),
            n(Verdict::Fail) - known(&scenarios),
            n(Verdict::Inconclusive),
            known(&scenarios)
                + n(Verdict::Skipped)
                + n(Verdict::NotApplicable)
                + n(Verdict::NotChecked)
                + n(Verdict::Waived),
            scenarios.iter().map(|s| s.duration_s).sum::<f64>(),
            xml_escape(&report.started_at)
        ));
        out.push_str(&format!(
            "    <properties>\n      <property name=\"environment\" value=\"{}\"/>\n      <property name=\"domain\" value=\"{}\"/>\n      <property name=\"netconform\" value=\"{}\"/>\n      <property name=\"verdict\" value=\"{}\"/>\n      <property name=\"strict\" value=\"{}\"/>\n      <property name=\"checked\" value=\"{}\"/>\n      <property name=\"not-checked\" value=\"{}\"/>\n      <property name=\"skipped-by-policy\" value=\"{}\"/>\n      <property name=\"not-applicable\" value=\"{}\"/>\n      <property name=\"waived\" value=\"{}\"/>\n",
            xml_escape(&report.environment),
            xml_escape(&report.domain),
            xml_escape(&report.tool_version),
            xml_escape(&format!("{word}{scope}")),
            report.strict,
            coverage.passed + coverage.failed + coverage.inconclusive + coverage.waived,
            coverage.not_checked_count(),
            coverage.skipped_count(),
            coverage.not_applicable,
            coverage.waived,
        ));
        for g in &coverage.not_checked {
            out.push_str(&format!(
                "      <property name=\"not-checked: {}\" value=\"{} ({})\"/>\n",
                xml_escape(&g.what),
                g.scenarios.len(),
                xml_escape(&g.fix)
            ));
        }
        out.push_str("    </properties>\n");
        for s in scenarios {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">\n",
                xml_escape(feature),
                xml_escape(&s.name),
                s.duration_s
            ));
            out.push_str(&verdict_element(report, s));
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n    </testcase>\n",
                xml_escape(&testcase_out(s))
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A testcase's verdict element: none for a pass, `<failure>`, `<error>`, or `<skipped>` with
/// why (a known failure, under `--fail-on new`, is skipped with the baseline as its reason).
fn verdict_element(report: &RunReport, s: &ScenarioResult) -> String {
    let mut out = String::new();
    let reason = xml_escape(&summary::reason(s).unwrap_or_else(|| "no reason given".into()));
    let body = || {
        let mut body = reason.clone();
        let lines = evidence_lines(s);
        if !lines.is_empty() {
            body.push_str("\n\nevidence:\n");
            body.push_str(&xml_escape(&lines.join("\n")));
        }
        body
    };
    match s.verdict {
        Verdict::Pass => {}
        Verdict::Fail if report.known_failure(s) => out.push_str(&format!(
            "      <skipped message=\"known failure (the baseline had it): {reason}\" type=\"known\"/>\n"
        )),
        Verdict::Fail => out.push_str(&format!(
            "      <failure message=\"{reason}\" type=\"not-conformant\">{}</failure>\n",
            body()
        )),
        Verdict::Inconclusive => out.push_str(&format!(
            "      <error message=\"{reason}\" type=\"inconclusive\">{}</error>\n",
            body()
        )),
        Verdict::NotApplicable => out.push_str(&format!(
            "      <skipped message=\"not applicable: {reason}\" type=\"not-applicable\"/>\n"
        )),
        Verdict::NotChecked => out.push_str(&format!(
            "      <skipped message=\"not checked: {}; to check it: {}\" type=\"not-checked\"/>\n",
            xml_escape(s.gap.as_ref().map_or("no input", |g| g.what.as_str())),
            xml_escape(s.gap.as_ref().map_or("see report.json", |g| g.fix.as_str())),
        )),
        Verdict::Skipped => out.push_str(&format!(
            "      <skipped message=\"{reason}\" type=\"skipped\"/>\n"
        )),
        Verdict::Waived => out.push_str(&format!(
            "      <skipped message=\"{}\" type=\"waived\"/>\n",
            xml_escape(&s.waiver.as_ref().map_or_else(
                || "waived".to_owned(),
                |w| format!("waived until {}: {} (owner {}); it fails: {}", w.until, w.reason, w.owner, summary::reason(s).unwrap_or_default())
            ))
        )),
    }
    out
}
