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
    /// Does not apply to this environment; the reason says why.
    NotApplicable,
    /// Did not run (an earlier step of its scenario failed).
    Skipped,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::Inconclusive => "INCONCLUSIVE",
            Verdict::NotApplicable => "n/a",
            Verdict::Skipped => "skipped",
        })
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
        }
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
