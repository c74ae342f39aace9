//! Renders a [`RunReport`]: the console summary ([`console`]), the JSON evidence bundle
//! ([`json`]) and JUnit XML ([`junit`]). Pure functions from the report to text: no I/O, no
//! network, no checker; the binary writes the files.

use netconform_model::{RunReport, ScenarioResult, Verdict};

/// The console summary: one line per scenario, then the failures with their reasons, then the
/// verdict. ANSI colours only when `color` is set (the binary sets it on a terminal).
pub fn console(report: &RunReport, color: bool) -> String {
    let paint = |verdict: Verdict, text: &str| -> String {
        if !color {
            return text.to_owned();
        }
        let code = match verdict {
            Verdict::Pass => "32",
            Verdict::Fail => "31",
            Verdict::Inconclusive => "33",
            Verdict::NotApplicable | Verdict::Skipped => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let mut out = String::new();
    out.push_str(&format!(
        "\nnetconform: {} ({})\n",
        report.environment, report.domain
    ));
    for s in &report.scenarios {
        let label = format!("{:<12}", s.verdict.to_string());
        out.push_str(&format!(
            "  {} {} / {}\n",
            paint(s.verdict, &label),
            s.feature,
            s.name
        ));
    }
    let problems: Vec<&ScenarioResult> = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.verdict, Verdict::Fail | Verdict::Inconclusive))
        .collect();
    if !problems.is_empty() || !report.errors.is_empty() {
        out.push_str("\nWhy:\n");
    }
    for e in &report.errors {
        out.push_str(&format!("  {} {e}\n", paint(Verdict::Fail, "error")));
    }
    for s in problems {
        out.push_str(&format!("  {} / {}\n", s.feature, s.name));
        for step in s
            .steps
            .iter()
            .filter(|st| matches!(st.verdict, Verdict::Fail | Verdict::Inconclusive))
        {
            out.push_str(&format!(
                "    {} {} {}: {}\n",
                paint(step.verdict, &step.verdict.to_string()),
                step.keyword,
                step.text,
                step.reason.as_deref().unwrap_or("no reason given")
            ));
        }
    }
    let verdict = report.verdict();
    let word = match verdict {
        Verdict::Pass => "CONFORMANT",
        Verdict::Fail => "NOT CONFORMANT",
        _ => "INCONCLUSIVE",
    };
    out.push_str(&format!(
        "\n{} ({} passed, {} failed, {} inconclusive{}) in {:.1} s\n",
        paint(verdict, word),
        report.count(Verdict::Pass),
        report.count(Verdict::Fail),
        report.count(Verdict::Inconclusive),
        if report.interrupted {
            ", interrupted"
        } else {
            ""
        },
        report.duration_s
    ));
    out
}

/// `report.json`: the whole report, evidence included.
pub fn json(report: &RunReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
    text.push('\n');
    text
}

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

/// `junit.xml`: one testsuite per feature, one testcase per scenario.
pub fn junit(report: &RunReport) -> String {
    let mut features: Vec<&str> = Vec::new();
    for s in &report.scenarios {
        if !features.contains(&s.feature.as_str()) {
            features.push(&s.feature);
        }
    }
    let count = |v| report.scenarios.iter().filter(|s| s.verdict == v).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"netconform: {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
        xml_escape(&report.environment),
        report.scenarios.len(),
        count(Verdict::Fail),
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
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            xml_escape(feature),
            scenarios.len(),
            n(Verdict::Fail),
            n(Verdict::Inconclusive),
            n(Verdict::Skipped) + n(Verdict::NotApplicable),
            scenarios.iter().map(|s| s.duration_s).sum::<f64>()
        ));
        for s in scenarios {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                xml_escape(feature),
                xml_escape(&s.name),
                s.duration_s
            ));
            let reason = xml_escape(s.reason().unwrap_or("no reason given"));
            match s.verdict {
                Verdict::Pass => out.push_str("/>\n"),
                Verdict::Fail => out.push_str(&format!(">\n      <failure message=\"{reason}\" type=\"not-conformant\">{reason}</failure>\n    </testcase>\n")),
                Verdict::Inconclusive => out.push_str(&format!(">\n      <error message=\"{reason}\" type=\"inconclusive\">{reason}</error>\n    </testcase>\n")),
                Verdict::NotApplicable | Verdict::Skipped => out.push_str(&format!(">\n      <skipped message=\"{reason}\"/>\n    </testcase>\n")),
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
