//! A run compared with a baseline as it ends (`verify --baseline FILE`, `baseline = "..."`):
//! what changed since, which failures the baseline already had (known), and, with
//! `--fail-on new`, only the failures it did not have fail the run. A failure is known only
//! when its scenario, subject and reason match the baseline's ([`super::Failure`]), never by
//! rule alone. Waivers are applied first and still expire.

use serde::{Deserialize, Serialize};

use super::{ScenarioDiff, diff, is_failing};
use crate::Verdict;
use crate::merge::Part;
use crate::run::{RunReport, ScenarioResult};

/// Which failures fail a run compared with a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Every failure, known or not (the default: a baseline only informs).
    #[default]
    Any,
    /// Only failures the baseline did not have; the known ones are shown as known.
    New,
}

/// The comparison a report carries: the baseline, what changed since, what was known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Where the baseline was read from.
    pub file: String,
    /// When the baseline's run began.
    pub started_at: String,
    pub fail_on: FailOn,
    /// Failures the baseline did not have, over every scenario.
    pub new_failures: usize,
    /// Scenarios that failed in the baseline and no longer do.
    pub fixed: usize,
    /// The failed scenarios whose every failure the baseline had.
    pub known: Vec<String>,
    /// What changed since the baseline, per scenario (as `netconform diff` shows it).
    pub changes: Vec<ScenarioDiff>,
}

impl Baseline {
    /// Whether `s` is a known failure.
    pub fn knows(&self, s: &ScenarioResult) -> bool {
        s.verdict == Verdict::Fail && self.known.contains(&s.name)
    }
}

impl RunReport {
    /// Compares the run with `baseline` (the report a run of the same environment wrote),
    /// recording the comparison in [`RunReport::baseline`]; or says why they do not compare.
    pub fn compare_with(&mut self, baseline: &Part, fail_on: FailOn) -> Result<(), String> {
        let current = Part {
            file: "this run".to_owned(),
            report: self.clone(),
        };
        let changes = diff(baseline, &current)?;
        let known = self
            .scenarios
            .iter()
            .filter(|s| s.verdict == Verdict::Fail)
            .filter(|s| {
                match changes
                    .scenarios
                    .iter()
                    .find(|d| d.feature == s.feature && d.name == s.name)
                {
                    // Unchanged: it failed the same way.
                    None => true,
                    Some(d) => d.new_failures.is_empty() && d.old_verdict.is_some_and(is_failing),
                }
            })
            .map(|s| s.name.clone())
            .collect();
        self.baseline = Some(Baseline {
            file: baseline.file.clone(),
            started_at: baseline.report.started_at.clone(),
            fail_on,
            new_failures: changes.new_failure_count(),
            fixed: changes.count(super::Change::Fixed),
            known,
            changes: changes.scenarios,
        });
        Ok(())
    }

    /// Whether `s` fails the run: a failure, unless the run fails only on new failures
    /// (`--fail-on new`) and the baseline had it.
    pub fn fails_run(&self, s: &ScenarioResult) -> bool {
        s.verdict == Verdict::Fail
            && !self
                .baseline
                .as_ref()
                .is_some_and(|b| b.fail_on == FailOn::New && b.knows(s))
    }

    /// Whether `s` is a failure the baseline had, shown as known (with `--fail-on new`).
    pub fn known_failure(&self, s: &ScenarioResult) -> bool {
        s.verdict == Verdict::Fail && !self.fails_run(s)
    }
}
