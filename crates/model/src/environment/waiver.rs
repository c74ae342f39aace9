//! `[[waiver]]`: known failures accepted for a while, with an owner and an expiry.

use serde::{Deserialize, Serialize};

use crate::dates::Date;

/// `[[waiver]]`: a known failure accepted until a date. It names one scenario (by its name)
/// or one recommendation (`@rec:<id>`, every scenario that checks it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// Who answers for it: a team or a person.
    pub owner: String,
    /// Why the failure is accepted, and what will end it.
    pub reason: String,
    /// The last day the waiver holds; after it, the waiver fails the run.
    pub until: Date,
    /// Its line and column in the environment file, for errors. Not written in the file.
    #[serde(skip)]
    pub position: Option<(usize, usize)>,
}

impl Waiver {
    /// What it waives, for messages: `scenario "..."` or `recommendation deletion-protection`.
    pub fn target(&self) -> String {
        match (&self.scenario, &self.recommendation) {
            (Some(s), _) => format!("scenario {s:?}"),
            (None, Some(r)) => format!("recommendation {r}"),
            (None, None) => "nothing".to_owned(),
        }
    }

    /// Whether it waives a scenario of this name and these tags (without `@`).
    pub fn matches(&self, name: &str, tags: &[String]) -> bool {
        match (&self.scenario, &self.recommendation) {
            (Some(s), _) => s == name,
            (None, Some(r)) => tags
                .iter()
                .any(|t| t.strip_prefix("rec:") == Some(r.as_str())),
            (None, None) => false,
        }
    }
}
