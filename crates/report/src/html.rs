//! `report.html`: one self-contained page (inline CSS and SVG, no script, no external asset,
//! works offline): the verdict at the top, then each feature and scenario with the guide
//! section it checks, its steps, reasons and evidence, and for the rolling restart the
//! timeline chart.

use netconform_model::evidence::Evidence;
use netconform_model::evidence::drain::DrainSummary;
use netconform_model::{RunReport, ScenarioResult, StepResult, Verdict};

use crate::summary;
use crate::timeline::{self, BandKind};

/// The networking guide, for links to the section a scenario checks.
const GUIDE_URL: &str =
    "https://www.pulumi.com/docs/administration/self-hosting/operations/networking/";

const STYLE: &str = r#"
:root { --pass: #2e7d32; --fail: #c62828; --inconclusive: #ef6c00; --muted: #6b6b6b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1d; background: #f6f6f4; }
header { padding: 20px 28px; color: #fff; }
header.pass { background: var(--pass); } header.fail { background: var(--fail); }
header.inconclusive { background: var(--inconclusive); }
header h1 { margin: 0 0 4px; font-size: 28px; letter-spacing: .02em; }
header p { margin: 2px 0; opacity: .95; }
main { max-width: 1060px; margin: 0 auto; padding: 16px 28px 48px; }
section.feature { background: #fff; border: 1px solid #e0e0dc; border-radius: 6px; margin: 18px 0; padding: 6px 18px 12px; }
h2 { font-size: 19px; margin: 12px 0 4px; }
article { border-top: 1px solid #ececea; padding: 10px 0; }
h3 { font-size: 16px; margin: 0 0 4px; }
.badge { display: inline-block; min-width: 7.5em; text-align: center; font-size: 12px; font-weight: 600; padding: 1px 6px; border-radius: 3px; margin-right: 8px; color: #fff; background: var(--muted); text-transform: uppercase; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.inconclusive { background: var(--inconclusive); }
.guide { color: var(--muted); font-size: 13px; margin: 0 0 6px; }
ol.steps { margin: 4px 0; padding-left: 22px; }
ol.steps li { margin: 2px 0; }
li.fail .v { color: var(--fail); font-weight: 600; } li.inconclusive .v { color: var(--inconclusive); font-weight: 600; }
li.pass .v { color: var(--pass); } li.skipped .v, li.not-applicable .v, li.not-checked .v, li.waived .v { color: var(--muted); }
.badge.not-checked, .badge.waived { background: #8d6e00; }
p.note { margin: 2px 0 6px; padding: 4px 8px; background: #fbf6e6; border-left: 3px solid #8d6e00; }
.reason { margin: 2px 0 2px 0; padding: 4px 8px; background: #fff4f2; border-left: 3px solid var(--fail); white-space: pre-wrap; }
li.inconclusive .reason { background: #fff8ee; border-color: var(--inconclusive); }
li.skipped .reason, li.not-applicable .reason { background: #f4f4f4; border-color: var(--muted); }
details { margin: 2px 0 4px; } summary { cursor: pointer; color: var(--muted); font-size: 13px; }
ul.evidence { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; padding-left: 18px; margin: 4px 0; }
figure { margin: 10px 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #e0e0dc; }
figcaption { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
td, th { border: 1px solid #e0e0dc; padding: 2px 8px; text-align: left; }
pre { background: #fff; border: 1px solid #e0e0dc; padding: 10px; overflow-x: auto; font-size: 12px; }
"#;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The anchor a heading gets on the guide's page: "Multi-AZ deployment" -> "multi-az-deployment".
fn anchor(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Inconclusive => "inconclusive",
        Verdict::NotChecked => "not-checked",
        Verdict::NotApplicable => "not-applicable",
        Verdict::Skipped => "skipped",
        Verdict::Waived => "waived",
    }
}

/// `report.html` for `report`.
pub fn html(report: &RunReport) -> String {
    let verdict = report.verdict();
    let word = crate::verdict_word(verdict);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>netconform: {} {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&report.environment),
        word
    ));
    let (phrase, scope) = crate::coverage_phrase(report);
    let coverage = report.coverage();
    out.push_str(&format!(
        "<header class=\"{}\" id=\"verdict\">\n<h1>{}</h1>\n<p>{} ({}) checked against Pulumi's self-hosting networking guide</p>\n<p id=\"coverage\">{}</p>\n<p>{:.1} s &middot; started {} &middot; netconform {}</p>\n</header>\n<main>\n",
        class(if verdict == Verdict::Pass { Verdict::Pass } else if verdict == Verdict::Fail { Verdict::Fail } else { Verdict::Inconclusive }),
        escape(&phrase),
        escape(&report.environment),
        escape(&report.domain),
        escape(scope.trim_start_matches(": ")),
        report.duration_s,
        escape(&report.started_at),
        escape(&report.tool_version),
    ));
    if !coverage.not_checked.is_empty() || !coverage.skipped_by_policy.is_empty() {
        out.push_str("<section class=\"feature\" id=\"not-checked\"><h2>Not checked, and how to check it next time</h2><table>\n<tr><th>why</th><th>scenarios</th><th>to check it</th></tr>\n");
        for g in coverage
            .not_checked
            .iter()
            .chain(&coverage.skipped_by_policy)
        {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&g.what),
                escape(&g.scenarios.join("; ")),
                escape(&g.fix)
            ));
        }
        out.push_str("</table></section>\n");
    }
    if !report.expired_waivers.is_empty() {
        out.push_str("<section class=\"feature\"><h2>Expired waivers</h2><ul>\n");
        for e in &report.expired_waivers {
            out.push_str(&format!("<li>{}</li>\n", escape(e)));
        }
        out.push_str("</ul></section>\n");
    }
    since_baseline(&mut out, report);
    if !report.errors.is_empty() {
        out.push_str("<section class=\"feature\"><h2>Errors</h2><ul>\n");
        for e in &report.errors {
            out.push_str(&format!("<li>{}</li>\n", escape(e)));
        }
        out.push_str("</ul></section>\n");
    }
    let mut features: Vec<&str> = Vec::new();
    for s in &report.scenarios {
        if !features.contains(&s.feature.as_str()) {
            features.push(&s.feature);
        }
    }
    glance(&mut out, report);
    let mut charts = 0;
    for feature in features {
        out.push_str(&format!(
            "<section class=\"feature\">\n<h2>{}</h2>\n",
            escape(feature)
        ));
        for (i, s) in report.scenarios.iter().enumerate() {
            if s.feature == feature {
                scenario(&mut out, i, s, &mut charts);
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "<section class=\"feature\">\n<h2>Environment</h2>\n<p class=\"guide\">From {}; every default filled in, secrets redacted.</p>\n<pre>{}</pre>\n</section>\n",
        escape(&report.source),
        escape(&toml_text(&report.settings))
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The run compared with its baseline: the counts, then a row per scenario that changed with
/// its new and gone failures and the evidence that moved.
fn since_baseline(out: &mut String, report: &RunReport) {
    let Some(b) = &report.baseline else {
        return;
    };
    out.push_str(&format!(
        "<section class=\"feature\" id=\"baseline\"><h2>Since the baseline</h2>\n<p class=\"guide\">{} ({}): {} new failures, {} fixed, {} known{}.</p>\n",
        escape(&b.file),
        escape(&b.started_at),
        b.new_failures,
        b.fixed,
        b.known.len(),
        if b.fail_on == netconform_model::diff::baseline::FailOn::New {
            "; only new failures fail the run (--fail-on new)"
        } else {
            ""
        }
    ));
    if b.changes.is_empty() {
        out.push_str("<p>Nothing changed.</p></section>\n");
        return;
    }
    out.push_str("<table>\n<tr><th>change</th><th>scenario</th><th>what</th></tr>\n");
    for c in &b.changes {
        let what: Vec<String> = c
            .new_failures
            .iter()
            .map(|f| format!("new failure: {}: {}", f.subject, f.reason))
            .chain(
                c.gone_failures
                    .iter()
                    .map(|f| format!("gone: {}: {}", f.subject, f.reason)),
            )
            .chain(
                c.gap
                    .iter()
                    .map(|g| format!("why: {}; to check it: {}", g.what, g.fix)),
            )
            .chain(c.moved.iter().map(|m| {
                format!(
                    "{}: {}: {} → {}",
                    m.kind.describe(),
                    m.subject,
                    m.old,
                    m.new
                )
            }))
            .map(|line| escape(&line))
            .collect();
        out.push_str(&format!(
            "<tr><td>{}</td><td>{} / {}</td><td>{}</td></tr>\n",
            c.change.describe(),
            escape(&c.feature),
            escape(&c.name),
            what.join("<br>")
        ));
    }
    out.push_str("</table></section>\n");
}

fn toml_text(settings: &toml::Table) -> String {
    toml::to_string(settings).unwrap_or_else(|e| format!("(could not show the settings: {e})"))
}

/// Every scenario on one line each, problems first, linking to its details.
fn glance(out: &mut String, report: &RunReport) {
    let rank = |v: Verdict| match v {
        Verdict::Fail => 0,
        Verdict::Inconclusive => 1,
        Verdict::Waived => 2,
        Verdict::NotChecked => 3,
        Verdict::Skipped => 4,
        Verdict::NotApplicable => 5,
        Verdict::Pass => 6,
    };
    let mut order: Vec<(usize, &ScenarioResult)> = report.scenarios.iter().enumerate().collect();
    order.sort_by_key(|(i, s)| (rank(s.verdict), *i));
    out.push_str("<section class=\"feature\" id=\"glance\">\n<h2>Scenarios</h2>\n<table>\n<tr><th>verdict</th><th>scenario</th><th>guide section</th><th>why</th></tr>\n");
    for (i, s) in order {
        let why = match s.verdict {
            Verdict::Pass => String::new(),
            _ => summary::reason(s).unwrap_or_default(),
        };
        let why = if why.chars().count() > 160 {
            format!("{}…", why.chars().take(160).collect::<String>())
        } else {
            why
        };
        out.push_str(&format!(
            "<tr><td><span class=\"badge {}\">{}</span></td><td><a href=\"#s-{i}\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
            class(s.verdict),
            escape(&s.verdict.to_string()),
            escape(&s.name),
            summary::guide_section(s).map_or("", |g| g.title()),
            escape(&why)
        ));
    }
    out.push_str("</table>\n</section>\n");
}

fn scenario(out: &mut String, index: usize, s: &ScenarioResult, charts: &mut usize) {
    out.push_str(&format!(
        "<article class=\"scenario {}\" id=\"s-{index}\">\n<h3><span class=\"badge {}\">{}</span>{}</h3>\n",
        class(s.verdict),
        class(s.verdict),
        escape(&s.verdict.to_string()),
        escape(&s.name)
    ));
    match summary::guide_section(s) {
        Some(section) => out.push_str(&format!(
            "<p class=\"guide\">Checks the guide's <a href=\"{GUIDE_URL}#{}\">{}</a> section &middot; {:.1} s</p>\n",
            anchor(section.title()),
            escape(section.title()),
            s.duration_s
        )),
        None => out.push_str(&format!(
            "<p class=\"guide\">No guide section named &middot; {:.1} s</p>\n",
            s.duration_s
        )),
    }
    if let Some(w) = &s.waiver {
        out.push_str(&format!(
            "<p class=\"note\">Waived until {}: {} (owner {}, {})</p>\n",
            escape(&w.until),
            escape(&w.reason),
            escape(&w.owner),
            escape(&w.target)
        ));
    }
    if let Some(g) = &s.gap {
        out.push_str(&format!(
            "<p class=\"note\">{}: {}. To check it: {}</p>\n",
            if s.verdict == Verdict::Skipped {
                "Skipped"
            } else {
                "Not checked"
            },
            escape(&g.what),
            escape(&g.fix)
        ));
    }
    out.push_str("<ol class=\"steps\">\n");
    for step in &s.steps {
        step_item(out, step);
    }
    out.push_str("</ol>\n");
    for e in s.evidence() {
        if let Evidence::Drain(d) = e {
            *charts += 1;
            drain_figure(out, d, *charts);
        }
    }
    out.push_str("</article>\n");
}

fn step_item(out: &mut String, step: &StepResult) {
    out.push_str(&format!(
        "<li class=\"{}\"><span class=\"v\">{}</span> <b>{}</b> {}",
        class(step.verdict),
        escape(&step.verdict.to_string()),
        escape(&step.keyword),
        escape(&step.text)
    ));
    let reason = step.reason.clone().or_else(|| {
        matches!(step.verdict, Verdict::NotApplicable | Verdict::NotChecked)
            .then(|| step.outcomes.first().map(|o| o.reason.clone()))
            .flatten()
    });
    if let Some(reason) = reason {
        out.push_str(&format!("<div class=\"reason\">{}</div>", escape(&reason)));
    }
    if !step.outcomes.is_empty() {
        let n: usize = step.outcomes.iter().map(|o| o.evidence.len()).sum();
        out.push_str(&format!(
            "<details><summary>{} check{}, {n} piece{} of evidence</summary><ul class=\"evidence\">",
            step.outcomes.len(),
            if step.outcomes.len() == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        ));
        for o in &step.outcomes {
            out.push_str(&format!(
                "<li>{} {}: {}<ul>",
                escape(&o.verdict.to_string()),
                escape(&o.check),
                escape(&o.reason)
            ));
            for e in &o.evidence {
                out.push_str(&format!("<li>{}</li>", escape(&summary::evidence(e))));
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</li>\n");
}

fn drain_figure(out: &mut String, d: &DrainSummary, n: usize) {
    out.push_str("<figure class=\"timeline\">\n");
    match timeline::timeline_svg(d) {
        Ok(svg) => {
            let svg = svg.replacen(
                "<svg ",
                &format!(
                    "<svg id=\"timeline-{n}\" role=\"img\" aria-label=\"Requests, failures and latency during the rolling restart\" "
                ),
                1,
            );
            out.push_str(&svg);
        }
        Err(why) => out.push_str(&format!("<p>No timeline: {}</p>", escape(&why))),
    }
    out.push_str(&format!(
        "\n<figcaption>{} requests scheduled at {} req/s, {} answered {}, {} failed, {} not sent on time; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (from the intended send time).</figcaption>\n",
        d.scheduled, d.target_rate, d.ok, d.expect_status, d.failed, d.not_sent_on_time,
        d.latency_ms.p50, d.latency_ms.p99, d.latency_ms.max
    ));
    if !d.failures_by_phase.is_empty() {
        out.push_str("<table><tr><th>phase</th><th>from</th><th>to</th><th>failures</th></tr>\n");
        for p in &d.failures_by_phase {
            let kinds: Vec<String> = p.outcomes.iter().map(|(k, n)| format!("{n} {k}")).collect();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{:.2} s</td><td>{:.2} s</td><td>{}</td></tr>\n",
                escape(&p.phase),
                p.from_s,
                p.to_s,
                escape(&kinds.join(", "))
            ));
        }
        out.push_str("</table>\n");
    }
    let bands = timeline::bands(d);
    if !bands.is_empty() {
        out.push_str(
            "<table><tr><th>restart phase</th><th>instance</th><th>from</th><th>to</th></tr>\n",
        );
        for b in bands {
            let what = match b.kind {
                BandKind::Rollout => "rollout",
                BandKind::Starting => "starting",
                BandKind::Draining => "stopping",
            };
            out.push_str(&format!(
                "<tr><td>{what}</td><td>{}</td><td>{:.2} s</td><td>{:.2} s</td></tr>\n",
                escape(b.instance.as_deref().unwrap_or("")),
                b.from_s,
                b.to_s
            ));
        }
        out.push_str("</table>\n");
    }
    out.push_str("</figure>\n");
}
