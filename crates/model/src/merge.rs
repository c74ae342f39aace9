//! Reports of one environment made from several vantage points (a run per availability
//! zone, per runner, per network) merged into one: every scenario shows each vantage point's
//! verdict and evidence side by side, and passes only when it passes from every vantage point
//! that ran it. Reports of different netconform versions, report layouts or environments are
//! refused: their verdicts do not compare.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use crate::evidence::Evidence;
use crate::run::{REPORT_SCHEMA_VERSION, RunReport, ScenarioResult, StepResult, VantageVerdict};
use crate::{Gap, Verdict};

/// One report to merge: where it was read from (for errors), and the report.
pub struct Part {
    pub file: String,
    pub report: RunReport,
}

/// The verdict of a scenario over the vantage points that ran it: a failure anywhere fails
/// it, then inconclusive, then waived; a pass needs every vantage that ran it to pass. When
/// none ran it, not checked (a gap) before skipped before not applicable.
pub fn combine(verdicts: &[Verdict]) -> Verdict {
    let has = |v: Verdict| verdicts.contains(&v);
    let ran = verdicts.iter().any(|v| {
        matches!(
            v,
            Verdict::Pass | Verdict::Fail | Verdict::Inconclusive | Verdict::Waived
        )
    });
    if !ran {
        if has(Verdict::NotChecked) {
            Verdict::NotChecked
        } else if has(Verdict::Skipped) {
            Verdict::Skipped
        } else {
            Verdict::NotApplicable
        }
    } else if has(Verdict::Fail) {
        Verdict::Fail
    } else if has(Verdict::Inconclusive) {
        Verdict::Inconclusive
    } else if has(Verdict::Waived) {
        Verdict::Waived
    } else {
        Verdict::Pass
    }
}

/// What two reports are compared for: the advice in a refusal says how to get comparable
/// ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `netconform merge`: one environment's runs from several vantage points.
    Merge,
    /// `netconform diff` and `verify --baseline`: one environment's run against an earlier one.
    Diff,
}

/// Why the reports `first` and `other` do not compare (a different report layout, netconform
/// version or environment), or `None`. `merge` refuses them, and so do `diff` and a baseline.
pub fn incomparable(first: &Part, other: &Part, purpose: Purpose) -> Option<String> {
    let (verb, same_version, one_env) = match purpose {
        Purpose::Merge => (
            "merges",
            "run the same version at every vantage point (pin the image or the release)",
            "merge the reports of one environment",
        ),
        Purpose::Diff => (
            "compares",
            "compare the runs of one netconform version (run the earlier one again with this one to make a new baseline)",
            "compare the reports of one environment",
        ),
    };
    let r = &other.report;
    if r.schema_version != REPORT_SCHEMA_VERSION {
        return Some(format!(
            "{}: report.json layout {} (netconform {}); this netconform ({}) {verb} layout {REPORT_SCHEMA_VERSION}: make every report with the same netconform",
            other.file,
            r.schema_version,
            r.tool_version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    if r.tool_version != first.report.tool_version {
        return Some(format!(
            "{} was made by netconform {}, {} by {}: {same_version}",
            first.file, first.report.tool_version, other.file, r.tool_version
        ));
    }
    // The built-in sandbox and the test bed broken on purpose (`--break`) are the one
    // deployment before and after a bad deploy: a diff compares them, a merge does not.
    let broken_on_purpose = purpose == Purpose::Diff
        && r.source == first.report.source
        && matches!(
            r.source.as_str(),
            "the built-in sandbox" | "the container test bed"
        );
    if r.domain != first.report.domain
        || (r.environment != first.report.environment && !broken_on_purpose)
    {
        return Some(format!(
            "{} verified {} ({}), {} verified {} ({}): {one_env}",
            first.file,
            first.report.environment,
            first.report.domain,
            other.file,
            r.environment,
            r.domain
        ));
    }
    None
}

/// Why `parts` cannot be merged, or `None`.
fn refused(parts: &[Part]) -> Option<String> {
    let first = parts.first()?;
    let mut seen = BTreeSet::new();
    for p in parts {
        if let Some(why) = incomparable(first, p, Purpose::Merge) {
            return Some(why);
        }
        let r = &p.report;
        if !r.vantages.is_empty() {
            return Some(format!(
                "{}: a merged report already (of {}); merge the vantage points' own reports",
                p.file,
                r.vantages.join(", ")
            ));
        }
        let Some(vantage) = &r.vantage else {
            return Some(format!(
                "{}: the report names no vantage point; run verify with --vantage NAME",
                p.file
            ));
        };
        if !seen.insert(vantage.clone()) {
            return Some(format!(
                "two reports from vantage point {vantage:?} ({} among them): give each run its own --vantage",
                p.file
            ));
        }
    }
    None
}

/// A step of `vantage`'s, labelled with it.
fn labelled(step: &StepResult, vantage: &str) -> StepResult {
    StepResult {
        text: format!("{} [from {vantage}]", step.text),
        reason: step.reason.as_ref().map(|r| format!("from {vantage}: {r}")),
        ..step.clone()
    }
}

/// The addresses each vantage point's DNS answers gave for each name and type, when they
/// differ between vantage points: "api.example.com A: zone-a 10.0.0.1, 10.0.0.2; zone-b
/// 10.0.0.3".
fn differing_answers(runs: &[(&str, &ScenarioResult)]) -> Vec<String> {
    let mut by_name: BTreeMap<(String, String), BTreeMap<String, BTreeSet<String>>> =
        BTreeMap::new();
    for (vantage, s) in runs {
        for e in s.evidence() {
            if let Evidence::Dns(r) = e {
                if r.error.is_some() {
                    continue;
                }
                by_name
                    .entry((r.name.clone(), r.record_type.clone()))
                    .or_default()
                    .entry((*vantage).to_owned())
                    .or_default()
                    .extend(r.addresses.iter().map(|a| a.data.clone()));
            }
        }
    }
    by_name
        .into_iter()
        .filter(|(_, per)| {
            let sets: BTreeSet<&BTreeSet<String>> = per.values().collect();
            per.len() > 1 && sets.len() > 1
        })
        .map(|((name, kind), per)| {
            let shown: Vec<String> = per
                .iter()
                .map(|(v, addrs)| {
                    format!(
                        "{v} {}",
                        addrs.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            format!(
                "{name} {kind} answers differ between vantage points: {}",
                shown.join("; ")
            )
        })
        .collect()
}

fn merged_scenario(runs: &[(&str, &ScenarioResult)]) -> ScenarioResult {
    let (_, first) = runs[0];
    let verdicts: Vec<Verdict> = runs.iter().map(|(_, s)| s.verdict).collect();
    let verdict = combine(&verdicts);
    let mut steps: Vec<StepResult> = runs
        .iter()
        .flat_map(|(v, s)| s.steps.iter().map(|st| labelled(st, v)))
        .collect();
    for text in differing_answers(runs) {
        if let Some(last) = steps.last_mut() {
            // A note, not a failure: each vantage point's own checks judged its answer.
            let mut note = crate::Outcome::new("vantage points agree", last.verdict, text.clone());
            note = note.with_evidence(Evidence::Note { text });
            last.outcomes.push(note);
        }
    }
    let gap: Option<Gap> = runs
        .iter()
        .find(|(_, s)| s.verdict == verdict)
        .and_then(|(_, s)| s.gap.clone());
    let waiver = runs
        .iter()
        .find(|(_, s)| s.verdict == Verdict::Waived)
        .and_then(|(_, s)| s.waiver.clone());
    ScenarioResult {
        feature: first.feature.clone(),
        name: first.name.clone(),
        tags: first.tags.clone(),
        verdict,
        steps,
        duration_s: runs.iter().map(|(_, s)| s.duration_s).fold(0.0, f64::max),
        gap: if matches!(verdict, Verdict::NotChecked | Verdict::Skipped) {
            gap
        } else {
            None
        },
        waiver: if verdict == Verdict::Waived {
            waiver
        } else {
            None
        },
        vantages: runs
            .iter()
            .map(|(v, s)| VantageVerdict {
                vantage: (*v).to_owned(),
                verdict: s.verdict,
                reason: s
                    .reason()
                    .map(str::to_owned)
                    .or_else(|| s.outcome_reasons().first().map(|r| (*r).to_owned())),
            })
            .collect(),
    }
}

/// Merges `parts` (at least one) into one report, or says why not.
pub fn merge(parts: Vec<Part>) -> Result<RunReport, String> {
    if parts.is_empty() {
        return Err("nothing to merge: name the vantage points' report.json files".into());
    }
    if let Some(why) = refused(&parts) {
        return Err(why);
    }
    let vantages: Vec<String> = parts
        .iter()
        .map(|p| p.report.vantage.clone().unwrap_or_default())
        .collect();
    // Scenarios by (feature, name), in the order they first appear.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut runs: BTreeMap<(String, String), Vec<(&str, &ScenarioResult)>> = BTreeMap::new();
    for (p, vantage) in parts.iter().zip(&vantages) {
        for s in &p.report.scenarios {
            let key = (s.feature.clone(), s.name.clone());
            if !runs.contains_key(&key) {
                order.push(key.clone());
            }
            runs.entry(key).or_default().push((vantage.as_str(), s));
        }
    }
    let scenarios = order.iter().map(|k| merged_scenario(&runs[k])).collect();
    let first = &parts[0].report;
    let each = |f: &dyn Fn(&RunReport) -> Vec<String>| -> Vec<String> {
        parts
            .iter()
            .zip(&vantages)
            .flat_map(|(p, v)| f(&p.report).into_iter().map(move |e| format!("{v}: {e}")))
            .collect()
    };
    let stopped: Vec<String> = parts
        .iter()
        .zip(&vantages)
        .filter_map(|(p, v)| p.report.stopped.as_ref().map(|s| format!("{v}: {s}")))
        .collect();
    Ok(RunReport {
        schema_version: REPORT_SCHEMA_VERSION,
        tool_version: first.tool_version.clone(),
        started_at: parts
            .iter()
            .map(|p| p.report.started_at.clone())
            .min()
            .unwrap_or_default(),
        environment: first.environment.clone(),
        domain: first.domain.clone(),
        source: format!(
            "merged from {} vantage points: {}",
            vantages.len(),
            vantages.join(", ")
        ),
        settings: first.settings.clone(),
        scenarios,
        errors: each(&|r| r.errors.clone()),
        interrupted: parts.iter().any(|p| p.report.interrupted),
        stopped: (!stopped.is_empty()).then(|| stopped.join("; ")),
        duration_s: parts
            .iter()
            .map(|p| p.report.duration_s)
            .fold(0.0, f64::max),
        strict: parts.iter().any(|p| p.report.strict),
        expired_waivers: {
            let mut all: Vec<String> = Vec::new();
            for w in parts.iter().flat_map(|p| &p.report.expired_waivers) {
                if !all.contains(w) {
                    all.push(w.clone());
                }
            }
            all
        },
        vantage: None,
        vantages,
        baseline: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;
    use crate::evidence::dns::{Record, Resolution, VantageKind};

    fn answer(addresses: &[&str]) -> Resolution {
        Resolution {
            name: "api.example.com".into(),
            record_type: "A".into(),
            server: "10.0.0.2:53".into(),
            vantage: VantageKind::Resolver,
            rcode: Some("NOERROR".into()),
            authoritative_answer: false,
            over_tcp: false,
            chain: Vec::new(),
            addresses: addresses
                .iter()
                .map(|a| Record {
                    name: "api.example.com".into(),
                    record_type: "A".into(),
                    ttl: 60,
                    data: (*a).to_owned(),
                })
                .collect(),
            final_name: "api.example.com".into(),
            soa_serial: None,
            leaves_zone_at: None,
            dangling: None,
            error: None,
            elapsed_ms: 1.0,
        }
    }

    fn scenario(verdict: Verdict, addresses: &[&str]) -> ScenarioResult {
        ScenarioResult {
            feature: "DNS".into(),
            name: "api resolves".into(),
            tags: Vec::new(),
            verdict,
            steps: vec![StepResult {
                keyword: "Then".into(),
                text: "it resolves".into(),
                verdict,
                reason: None,
                outcomes: vec![Outcome::new("dns", verdict, "r").with_evidence(answer(addresses))],
                duration_s: 0.0,
            }],
            duration_s: 0.0,
            gap: None,
            waiver: None,
            vantages: Vec::new(),
        }
    }

    #[test]
    fn answers_that_differ_between_vantage_points_are_named_with_them() {
        let a = scenario(Verdict::Pass, &["10.0.0.1", "10.0.0.2"]);
        let b = scenario(Verdict::Pass, &["10.0.0.3"]);
        let merged = merged_scenario(&[("zone-a", &a), ("zone-b", &b)]);
        assert_eq!(
            merged.verdict,
            Verdict::Pass,
            "each zone's own check judged its answer"
        );
        let notes: Vec<String> = merged
            .evidence()
            .filter_map(|e| match e {
                Evidence::Note { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            notes,
            [
                "api.example.com A answers differ between vantage points: zone-a 10.0.0.1, 10.0.0.2; zone-b 10.0.0.3"
            ]
        );
        // The same answers everywhere: no note.
        let same = merged_scenario(&[("zone-a", &a), ("zone-c", &a)]);
        assert!(!same.evidence().any(|e| matches!(e, Evidence::Note { .. })));
    }

    #[test]
    fn a_pass_needs_every_vantage_that_ran_it() {
        use Verdict::*;
        assert_eq!(combine(&[Pass, Pass]), Pass);
        assert_eq!(combine(&[Pass, Fail]), Fail);
        assert_eq!(combine(&[Pass, Inconclusive]), Inconclusive);
        assert_eq!(combine(&[Pass, NotChecked]), Pass);
        assert_eq!(combine(&[Waived, Pass]), Waived);
        assert_eq!(combine(&[Fail, Waived]), Fail);
        assert_eq!(combine(&[NotChecked, Skipped]), NotChecked);
        assert_eq!(combine(&[Skipped, NotApplicable]), Skipped);
        assert_eq!(combine(&[NotApplicable]), NotApplicable);
    }
}
