//! Renders a [`RunDiff`] (what changed between two runs): the console text ([`console`]) and
//! `diff.json` ([`json`], layout `docs/diff.schema.json`); and a run's comparison with its
//! baseline, in the summary ([`since_baseline`]).

use std::fmt::Write as _;

use netconform_model::RunReport;
use netconform_model::diff::baseline::FailOn;
use netconform_model::diff::{Change, Failure, RunDiff, ScenarioDiff};

fn verdict(v: Option<netconform_model::Verdict>) -> String {
    v.map_or_else(|| "absent".to_owned(), |v| v.to_string())
}

fn failure_line(f: &Failure) -> String {
    format!("{}: {}", f.subject, f.reason)
}

fn scenario_lines(s: &ScenarioDiff, out: &mut String) {
    let renamed = s
        .renamed_from
        .as_ref()
        .map(|old| format!(" (was \"{old}\")"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {}: {} / {}{renamed}  [{} -> {}]",
        s.change.describe(),
        s.feature,
        s.name,
        verdict(s.old_verdict),
        verdict(s.new_verdict)
    );
    if let Some(gap) = &s.gap {
        let _ = writeln!(out, "      why: {}; to check it: {}", gap.what, gap.fix);
    }
    for f in &s.new_failures {
        let _ = writeln!(out, "      new failure: {}", failure_line(f));
    }
    for f in &s.gone_failures {
        let _ = writeln!(out, "      gone: {}", failure_line(f));
    }
    for m in &s.moved {
        let _ = writeln!(
            out,
            "      moved ({}): {}: {} -> {}",
            m.kind.describe(),
            m.subject,
            m.old,
            m.new
        );
    }
}

/// `changes` with the new failures first, then failing differently, newly not checked,
/// fixed, the rest.
fn ranked(changes: &[ScenarioDiff]) -> Vec<&ScenarioDiff> {
    let rank = |c: Change| match c {
        Change::NewlyFailing | Change::Added => 0,
        Change::DifferentFailure => 1,
        Change::NewlyNotChecked => 2,
        Change::Fixed => 3,
        _ => 4,
    };
    let mut shown: Vec<&ScenarioDiff> = changes.iter().collect();
    shown.sort_by_key(|s| rank(s.change));
    shown
}

/// The summary's section on a run compared with a baseline: what changed since, the counts,
/// and whether only new failures fail the run.
pub fn since_baseline(report: &RunReport, out: &mut String) {
    let Some(b) = &report.baseline else {
        return;
    };
    let _ = writeln!(out, "\nSince the baseline ({}, {}):", b.file, b.started_at);
    for s in ranked(&b.changes) {
        scenario_lines(s, out);
    }
    if b.changes.is_empty() {
        out.push_str("  nothing changed\n");
    }
    let _ = writeln!(
        out,
        "  {} new failures, {} fixed, {} known{}",
        b.new_failures,
        b.fixed,
        b.known.len(),
        match b.fail_on {
            FailOn::New => " (--fail-on new: the known ones do not fail the run)",
            FailOn::Any => "",
        }
    );
}

/// The changes as text: a heading naming both runs, one block per scenario that changed
/// (newly failing first, then failing differently, newly not checked, fixed, the rest), then a
/// line with the counts.
pub fn console(diff: &RunDiff) -> String {
    let mut out = format!(
        "What changed in {} ({}) from {} ({}, {}) to {} ({}, {})\n",
        diff.environment,
        diff.domain,
        diff.old.file,
        diff.old.started_at,
        diff.old.verdict,
        diff.new.file,
        diff.new.started_at,
        diff.new.verdict
    );
    for s in ranked(&diff.scenarios) {
        scenario_lines(s, &mut out);
    }
    if diff.is_empty() {
        out.push_str("  nothing changed\n");
    }
    let _ = writeln!(
        out,
        "{} new failures, {} newly failing, {} failing differently, {} fixed, {} newly not checked, {} with evidence moved, {} unchanged",
        diff.new_failure_count(),
        diff.count(Change::NewlyFailing),
        diff.count(Change::DifferentFailure),
        diff.count(Change::Fixed),
        diff.count(Change::NewlyNotChecked),
        diff.count(Change::EvidenceMoved),
        diff.unchanged
    );
    out
}

/// `diff.json`: the diff and whether it has a new failure (layout: `docs/diff.schema.json`,
/// version [`netconform_model::diff::DIFF_SCHEMA_VERSION`]).
pub fn json(diff: &RunDiff) -> String {
    let mut value = serde_json::to_value(diff).expect("a diff always serializes");
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "new_failures".into(),
            serde_json::Value::from(diff.new_failure_count()),
        );
        map.insert(
            "has_new_failures".into(),
            serde_json::Value::Bool(diff.has_new_failures()),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).expect("a diff always serializes");
    text.push('\n');
    text
}
