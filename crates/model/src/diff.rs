//! What changed between two runs of one environment: per scenario, newly failing, fixed, still
//! failing for a different reason, newly not checked (with the gap's reason), newly passing;
//! and the evidence that moved even where the verdict did not (`diff::moved`). Reports that
//! do not compare (another environment, netconform version or report layout) are refused as
//! `merge` refuses them ([`crate::merge::incomparable`]).
//!
//! A failure is "the same" when its scenario, its subject (a configuration finding's file,
//! path and resource; a probe's address; a DNS name and type) and its reason match
//! ([`Failure`]), never by rule alone. Timings (elapsed times, durations, timestamps) are never
//! a change: a run and its rerun with nothing changed give an empty diff.

pub mod baseline;
pub mod moved;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::evidence::config::FindingStatus;
use crate::merge::{Part, Purpose, incomparable};
use crate::run::{RunReport, ScenarioResult};
use crate::{Gap, Verdict};

pub use moved::{Moved, MovedKind};

/// Version of the `diff.json` layout (`docs/diff.schema.json`).
pub const DIFF_SCHEMA_VERSION: u32 = 1;

/// Two runs compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiff {
    pub schema_version: u32,
    pub environment: String,
    pub domain: String,
    pub old: RunRef,
    pub new: RunRef,
    /// The scenarios whose verdict, failures or evidence changed, in the new run's order
    /// (those only in the old run last).
    pub scenarios: Vec<ScenarioDiff>,
    /// How many scenarios did not change at all.
    pub unchanged: usize,
}

/// One side of a diff: where its report was read from, when it ran, its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRef {
    pub file: String,
    pub started_at: String,
    pub verdict: Verdict,
}

/// How a scenario's verdict changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Fails now, did not before.
    NewlyFailing,
    /// Failed before, passes (or no longer applies) now.
    Fixed,
    /// Failed before and fails now, for a different reason or subject.
    DifferentFailure,
    /// Not checked (or skipped by policy) now, checked before: the gap says why.
    NewlyNotChecked,
    /// Passes now; was inconclusive, not checked or skipped before.
    NewlyPassing,
    /// Another change of verdict (now inconclusive, now waived, ...).
    VerdictChanged,
    /// The same verdict and failures; only evidence moved.
    EvidenceMoved,
    /// Only in the new run (a new scenario).
    Added,
    /// Only in the old run (a scenario removed).
    Removed,
}

impl Change {
    /// The words the console uses.
    pub fn describe(self) -> &'static str {
        match self {
            Change::NewlyFailing => "newly failing",
            Change::Fixed => "fixed",
            Change::DifferentFailure => "still failing, differently",
            Change::NewlyNotChecked => "newly not checked",
            Change::NewlyPassing => "newly passing",
            Change::VerdictChanged => "verdict changed",
            Change::EvidenceMoved => "evidence moved",
            Change::Added => "new scenario",
            Change::Removed => "scenario removed",
        }
    }
}

/// One failure's identity within its scenario: what failed and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Failure {
    /// The resource, address or setting: "alb.json LoadBalancers[0]... (ALB pulumi)",
    /// "127.0.0.11", "api.example.com A".
    pub subject: String,
    /// Why it fails, without the run's timings and counts.
    pub reason: String,
}

/// What changed in one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioDiff {
    pub feature: String,
    pub name: String,
    /// Matched by its feature and recommendations under this earlier name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    pub change: Change,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_verdict: Option<Verdict>,
    /// Newly not checked: what was missing and how to give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    /// Failures the new run has and the old did not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_failures: Vec<Failure>,
    /// Failures the old run had and the new does not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gone_failures: Vec<Failure>,
    /// Evidence that moved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<Moved>,
}

impl RunDiff {
    /// Whether the new run fails somewhere the old did not: a scenario newly failing, or
    /// failing for a new reason.
    pub fn has_new_failures(&self) -> bool {
        self.scenarios.iter().any(|s| {
            s.new_verdict == Some(Verdict::Fail)
                && matches!(
                    s.change,
                    Change::NewlyFailing | Change::DifferentFailure | Change::Added
                )
                && !s.new_failures.is_empty()
        })
    }

    /// The scenarios with this change.
    pub fn count(&self, change: Change) -> usize {
        self.scenarios.iter().filter(|s| s.change == change).count()
    }

    /// Failures the new run has that the old did not, over every scenario.
    pub fn new_failure_count(&self) -> usize {
        self.scenarios
            .iter()
            .filter(|s| s.new_verdict == Some(Verdict::Fail))
            .map(|s| s.new_failures.len())
            .sum()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }
}

/// Digits (and the dots and colons between them) masked, so a count, a port or a duration in
/// a reason does not make it another reason.
fn masked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        let part = c.is_ascii_digit() || (in_number && matches!(c, '.' | ':' | ','));
        if part {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// A URL without its port (the sandbox's ports change from run to run).
fn without_port(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_port(None);
            u.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// The failure one piece of evidence shows, if it shows one.
fn failing(e: &Evidence) -> Option<Failure> {
    let f = |subject: String, reason: String| Some(Failure { subject, reason });
    match e {
        Evidence::Config(c) if c.status == FindingStatus::Error => f(
            format!("{} {} ({})", c.file, c.path, c.subject),
            format!("{}: {}, expected {}", c.guideline, c.actual, c.expected),
        ),
        Evidence::Http(p) if p.error.is_some() || p.status.is_none_or(|s| s >= 400) => f(
            p.address
                .map(|a| a.ip().to_string())
                .unwrap_or_else(|| without_port(&p.url)),
            match (p.error, p.status) {
                (Some(kind), _) => kind.name().to_owned(),
                (None, Some(status)) => format!("status {status}"),
                (None, None) => "no answer".to_owned(),
            },
        ),
        Evidence::Tls(t) if !t.verified || t.problem.is_some() => f(
            match t.address {
                Some(a) => format!("{} {}", t.host, a.ip()),
                None => t.host.clone(),
            },
            masked(t.problem.as_deref().unwrap_or("not verified")),
        ),
        Evidence::Dns(r)
            if r.error.is_some()
                || r.dangling.is_some()
                || r.rcode.as_deref().is_some_and(|c| c != "NOERROR") =>
        {
            f(
                format!("{} {}", r.name, r.record_type),
                masked(
                    r.error
                        .as_deref()
                        .or(r.dangling.as_deref())
                        .or(r.rcode.as_deref())
                        .unwrap_or_default(),
                ),
            )
        }
        Evidence::Drain(d) if d.failed > 0 => {
            let ok = format!("status-{}", d.expect_status);
            let kinds: Vec<&str> = d
                .outcomes
                .iter()
                .filter(|(k, n)| **n > 0 && **k != ok && k.as_str() != "not-sent-on-time")
                .map(|(k, _)| k.as_str())
                .collect();
            f(
                without_port(&d.url),
                format!("failed requests: {}", kinds.join(", ")),
            )
        }
        Evidence::Restart(r) if !r.completed => f(r.driver.clone(), masked(&r.status)),
        _ => None,
    }
}

/// The failures of a failed (or waived) scenario: one per failing piece of evidence of each
/// failed check; a failed check that shows none is its own subject, its reason masked of
/// numbers; a failed step with no failed check likewise.
pub fn failures(s: &ScenarioResult) -> BTreeSet<Failure> {
    let mut out = BTreeSet::new();
    if !matches!(s.verdict, Verdict::Fail | Verdict::Waived) {
        return out;
    }
    for step in &s.steps {
        for o in step.outcomes.iter().filter(|o| o.verdict == Verdict::Fail) {
            let shown: Vec<Failure> = o.evidence.iter().filter_map(failing).collect();
            if shown.is_empty() {
                out.insert(Failure {
                    subject: o.check.clone(),
                    reason: masked(&o.reason),
                });
            }
            out.extend(shown);
        }
    }
    if out.is_empty() {
        for step in s.steps.iter().filter(|st| st.verdict == Verdict::Fail) {
            out.insert(Failure {
                subject: step.text.clone(),
                reason: masked(step.reason.as_deref().unwrap_or("failed")),
            });
        }
    }
    out
}

/// The recommendations a scenario checks (its `rec:` tags).
fn recommendations(s: &ScenarioResult) -> BTreeSet<&str> {
    s.tags
        .iter()
        .filter_map(|t| t.strip_prefix("rec:"))
        .collect()
}

/// Pairs the old run's scenarios with the new run's: by feature and name, then a scenario
/// renamed by its feature and recommendations (when exactly one candidate is left on each
/// side). Each pair is (old, new); a side is `None` for an added or removed scenario.
pub fn pair<'a>(
    old: &'a [ScenarioResult],
    new: &'a [ScenarioResult],
) -> Vec<(Option<&'a ScenarioResult>, Option<&'a ScenarioResult>)> {
    let same = |a: &ScenarioResult, b: &ScenarioResult| a.feature == b.feature && a.name == b.name;
    let mut old_left: Vec<&ScenarioResult> = old
        .iter()
        .filter(|o| !new.iter().any(|n| same(o, n)))
        .collect();
    let mut pairs = Vec::new();
    for n in new {
        if let Some(o) = old.iter().find(|o| same(o, n)) {
            pairs.push((Some(o), Some(n)));
            continue;
        }
        let recs = recommendations(n);
        let renamed = |o: &&ScenarioResult| {
            o.feature == n.feature && !recs.is_empty() && recommendations(o) == recs
        };
        let candidates: Vec<usize> = (0..old_left.len())
            .filter(|i| renamed(&old_left[*i]))
            .collect();
        let rivals = new
            .iter()
            .filter(|m| m.feature == n.feature && recommendations(m) == recs)
            .filter(|m| !old.iter().any(|o| same(o, m)))
            .count();
        if candidates.len() == 1 && rivals == 1 {
            pairs.push((Some(old_left.remove(candidates[0])), Some(n)));
        } else {
            pairs.push((None, Some(n)));
        }
    }
    pairs.extend(old_left.into_iter().map(|o| (Some(o), None)));
    pairs
}

pub(crate) fn is_failing(v: Verdict) -> bool {
    matches!(v, Verdict::Fail | Verdict::Waived)
}

/// How the verdict moved from `old` to `new`, given whether the failures changed.
fn change(old: Verdict, new: Verdict, failures_changed: bool) -> Option<Change> {
    use Verdict::*;
    Some(match (old, new) {
        (Fail, Fail) | (Waived, Waived) if failures_changed => Change::DifferentFailure,
        (o, n) if o == n => return None,
        (o, Fail) if o != Waived => Change::NewlyFailing,
        (Fail | Waived, Pass | NotApplicable) => Change::Fixed,
        (_, NotChecked | Skipped) => Change::NewlyNotChecked,
        (Inconclusive | NotChecked | Skipped, Pass) => Change::NewlyPassing,
        _ => Change::VerdictChanged,
    })
}

/// What changed between one scenario's two runs, or `None` when nothing did.
pub fn scenario_diff(
    old: Option<&ScenarioResult>,
    new: Option<&ScenarioResult>,
) -> Option<ScenarioDiff> {
    let empty = BTreeSet::new;
    let (old_f, new_f) = (
        old.map(failures).unwrap_or_else(empty),
        new.map(failures).unwrap_or_else(empty),
    );
    let added: Vec<Failure> = new_f.difference(&old_f).cloned().collect();
    let gone: Vec<Failure> = old_f.difference(&new_f).cloned().collect();
    let moved = match (old, new) {
        (Some(o), Some(n)) => moved::moved(o, n),
        _ => Vec::new(),
    };
    let change = match (old, new) {
        (Some(o), Some(n)) => {
            let verdict_change = change(
                o.verdict,
                n.verdict,
                is_failing(n.verdict) && (!added.is_empty() || !gone.is_empty()),
            );
            match verdict_change {
                Some(c) => c,
                None if !moved.is_empty() => Change::EvidenceMoved,
                None => return None,
            }
        }
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Removed,
        (None, None) => return None,
    };
    let named = new.or(old)?;
    Some(ScenarioDiff {
        feature: named.feature.clone(),
        name: named.name.clone(),
        renamed_from: old
            .zip(new)
            .filter(|(o, n)| o.name != n.name)
            .map(|(o, _)| o.name.clone()),
        change,
        old_verdict: old.map(|s| s.verdict),
        new_verdict: new.map(|s| s.verdict),
        gap: new
            .filter(|_| change == Change::NewlyNotChecked)
            .and_then(|s| s.gap.clone()),
        new_failures: if new.is_some_and(|s| is_failing(s.verdict)) {
            added
        } else {
            Vec::new()
        },
        gone_failures: gone,
        moved,
    })
}

/// The directory every configuration glob of `report` starts from, when they are absolute
/// (the sandbox's reference corpus is written to a new temporary directory each run):
/// "/tmp/netconform-verify-config-123/".
fn config_root(report: &RunReport) -> Option<String> {
    let config = report.settings.get("config")?.as_table()?;
    let dirs: Vec<&str> = config
        .values()
        .filter_map(|v| v.as_array())
        .flatten()
        .filter_map(|g| g.as_str())
        .filter(|g| g.starts_with('/'))
        .map(|g| {
            let literal = g.find(['*', '?', '[']).map_or(g, |i| &g[..i]);
            literal.rfind('/').map_or(literal, |i| &literal[..=i])
        })
        .collect();
    let first = *dirs.first()?;
    let mut common = first.len();
    for d in &dirs {
        common = common.min(
            first
                .bytes()
                .zip(d.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let root = &first[..common];
    Some(root[..=root.rfind('/')?].to_owned())
}

/// `report`'s scenarios with every configuration file named from its run's `config_root`
/// (in a finding's values too),
/// so two runs of one corpus in two temporary directories name the same files.
fn comparable_scenarios(report: &RunReport) -> Vec<ScenarioResult> {
    let mut scenarios = report.scenarios.clone();
    let Some(root) = config_root(report) else {
        return scenarios;
    };
    for s in &mut scenarios {
        for step in &mut s.steps {
            for o in &mut step.outcomes {
                for e in &mut o.evidence {
                    if let Evidence::Config(f) = e {
                        // A value can name its file ("preStop sleep 20 s (FILE: PATH)").
                        for text in [&mut f.file, &mut f.actual, &mut f.expected] {
                            *text = text.replace(&root, "");
                        }
                    }
                }
            }
        }
    }
    scenarios
}

/// Compares `old` with `new`, or says why they do not compare.
pub fn diff(old: &Part, new: &Part) -> Result<RunDiff, String> {
    if let Some(why) =
        incomparable(old, new, Purpose::Diff).or_else(|| incomparable(new, old, Purpose::Diff))
    {
        return Err(why);
    }
    let (before, after) = (
        comparable_scenarios(&old.report),
        comparable_scenarios(&new.report),
    );
    let pairs = pair(&before, &after);
    let total = pairs.len();
    let scenarios: Vec<ScenarioDiff> = pairs
        .into_iter()
        .filter_map(|(o, n)| scenario_diff(o, n))
        .collect();
    let side = |p: &Part| RunRef {
        file: p.file.clone(),
        started_at: p.report.started_at.clone(),
        verdict: p.report.verdict(),
    };
    Ok(RunDiff {
        schema_version: DIFF_SCHEMA_VERSION,
        environment: new.report.environment.clone(),
        domain: new.report.domain.clone(),
        old: side(old),
        new: side(new),
        unchanged: total - scenarios.len(),
        scenarios,
    })
}

/// [`diff`] over two reports already in memory (a baseline and the run that just ended).
pub fn diff_reports(old: (&str, &RunReport), new: (&str, &RunReport)) -> Result<RunDiff, String> {
    diff(
        &Part {
            file: old.0.to_owned(),
            report: old.1.clone(),
        },
        &Part {
            file: new.0.to_owned(),
            report: new.1.clone(),
        },
    )
}

#[cfg(test)]
mod tests;
