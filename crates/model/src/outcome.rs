//! What a check concludes. A failing check is data ([`Verdict::Fail`] with a reason and its
//! evidence), not an `Err`: `Err` means the check could not run at all.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;

/// The conclusion of one check, step or scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    /// Checked, and the deployment does not do what the guide says.
    Fail,
    /// Could not be measured: no verdict either way.
    Inconclusive,
    /// Could have been checked, but an input it needs was not given (no `[config]`, no
    /// `health.zone_header`, a plain HTTP endpoint): a gap in what the run shows, with how to
    /// close it ([`Gap`]). Fails a `--strict` run.
    NotChecked,
    /// Does not apply to this deployment by its nature (no IPv6 published, no DNSSEC asked
    /// for, Fargate has no instances to hook); the reason says why. Never a gap.
    NotApplicable,
    /// Did not run: skipped by policy (a scenario), or after an earlier step failed (a step).
    Skipped,
    /// Failed, under a waiver that has not expired: neither a pass nor a failure.
    Waived,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::Inconclusive => "INCONCLUSIVE",
            Verdict::NotChecked => "not checked",
            Verdict::NotApplicable => "n/a",
            Verdict::Skipped => "skipped",
            Verdict::Waived => "waived",
        })
    }
}

/// What a check lacked to judge the deployment ([`Verdict::NotChecked`]; at a scenario, also
/// why it was skipped by policy), and how the next run can check it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Gap {
    /// A short label the coverage line counts by: "no [config]", "plain HTTP endpoint".
    pub what: String,
    /// What to do so the next run checks it: the key to set, the file to export, the flag.
    pub fix: String,
}

impl Gap {
    pub fn new(what: impl Into<String>, fix: impl Into<String>) -> Gap {
        Gap {
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// A check's conclusion, why, and what it saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// What was checked, e.g. "app.sandbox.test leads to lb.sandbox.test".
    pub check: String,
    pub verdict: Verdict,
    /// One sentence an operator can act on: what was expected, what was seen.
    pub reason: String,
    pub evidence: Vec<Evidence>,
    /// With [`Verdict::NotChecked`]: what was missing and how to give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
}

impl Outcome {
    pub fn pass(check: impl Into<String>, reason: impl Into<String>) -> Outcome {
        Outcome::new(check, Verdict::Pass, reason)
    }

    pub fn fail(check: impl Into<String>, reason: impl Into<String>) -> Outcome {
        Outcome::new(check, Verdict::Fail, reason)
    }

    pub fn inconclusive(check: impl Into<String>, reason: impl Into<String>) -> Outcome {
        Outcome::new(check, Verdict::Inconclusive, reason)
    }

    pub fn new(check: impl Into<String>, verdict: Verdict, reason: impl Into<String>) -> Outcome {
        Outcome {
            check: check.into(),
            verdict,
            reason: reason.into(),
            evidence: Vec::new(),
            gap: None,
        }
    }

    /// The verdict of a check that collected what went wrong: fail with every problem, or
    /// pass with what `passed` says.
    pub fn from_problems(
        check: impl Into<String>,
        problems: &[String],
        passed: impl FnOnce() -> String,
    ) -> Outcome {
        if problems.is_empty() {
            Outcome::pass(check, passed())
        } else {
            Outcome::fail(check, problems.join("; "))
        }
    }

    /// Not checked for want of an input: `gap` says which and how to give it.
    pub fn not_checked(check: impl Into<String>, gap: Gap, reason: impl Into<String>) -> Outcome {
        Outcome {
            gap: Some(gap),
            ..Outcome::new(check, Verdict::NotChecked, reason)
        }
    }

    /// Does not apply to this deployment by its nature, for the reason given.
    pub fn not_applicable(check: impl Into<String>, reason: impl Into<String>) -> Outcome {
        Outcome::new(check, Verdict::NotApplicable, reason)
    }

    pub fn with_evidence(mut self, evidence: impl Into<Evidence>) -> Outcome {
        self.evidence.push(evidence.into());
        self
    }

    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.reason)
    }
}
