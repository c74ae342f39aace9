//! The result of a whole run: every scenario and step with its verdict and evidence. Built by
//! the binary, rendered by the report crate.

use serde::{Deserialize, Serialize};

use crate::Verdict;
use crate::evidence::Evidence;
use crate::exit;

/// Version of the `report.json` layout (`docs/report.schema.json`). 2 added `tool_version`,
/// `started_at`, `source`, `settings` and the timeline's failures by kind.
pub const REPORT_SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub schema_version: u32,
    /// The netconform version that made the report.
    pub tool_version: String,
    /// When the run began, RFC 3339 in UTC.
    pub started_at: String,
    /// The environment's display name ("sandbox" for the built-in one).
    pub environment: String,
    pub domain: String,
    /// Where the environment came from: a file's path, or "the built-in sandbox".
    pub source: String,
    /// The environment as verified, every default filled in, secrets redacted
    /// ([`crate::redact`]).
    pub settings: toml::Table,
    pub scenarios: Vec<ScenarioResult>,
    /// Problems that stopped features from running at all (parse errors).
    pub errors: Vec<String>,
    /// Whether the run was cut short (Ctrl-C).
    pub interrupted: bool,
    pub duration_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub feature: String,
    pub name: String,
    /// Tags without the `@`, e.g. "dns", "guide:dns".
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub steps: Vec<StepResult>,
    pub duration_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    /// "Given", "When", "Then", "And".
    pub keyword: String,
    pub text: String,
    pub verdict: Verdict,
    /// Why it failed or was inconclusive.
    pub reason: Option<String>,
    /// The checks the step ran, with their evidence.
    pub outcomes: Vec<crate::Outcome>,
    pub duration_s: f64,
}

impl ScenarioResult {
    /// The first reason a step gave for failing, if any.
    pub fn reason(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| s.reason.as_deref())
    }

    /// Every piece of evidence the scenario's steps gathered.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.steps
            .iter()
            .flat_map(|s| s.outcomes.iter().flat_map(|o| o.evidence.iter()))
    }
}

impl RunReport {
    /// The whole run's verdict: fail if any scenario failed, else inconclusive if any was, else
    /// pass (a run with no scenario is inconclusive: nothing was shown).
    pub fn verdict(&self) -> Verdict {
        let has = |v| self.scenarios.iter().any(|s| s.verdict == v);
        if !self.errors.is_empty() || has(Verdict::Fail) {
            Verdict::Fail
        } else if self.interrupted || has(Verdict::Inconclusive) || self.scenarios.is_empty() {
            Verdict::Inconclusive
        } else {
            Verdict::Pass
        }
    }

    /// The process exit code for this run.
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            return exit::USAGE;
        }
        match self.verdict() {
            Verdict::Pass | Verdict::NotApplicable | Verdict::Skipped => exit::CONFORMANT,
            Verdict::Fail => exit::NOT_CONFORMANT,
            Verdict::Inconclusive => exit::INCONCLUSIVE,
        }
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.scenarios
            .iter()
            .filter(|s| s.verdict == verdict)
            .count()
    }
}
