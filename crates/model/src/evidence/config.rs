//! Configuration evidence: one value read from an exported file (a manifest, AWS describe
//! output, a Pulumi stack export) and how it compares with the guide.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How a value compares with the guide. `Error` and `Warning` are a finding's severity: an
/// error fails its check, a warning is only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingStatus {
    /// Does what the guide says.
    Conforms,
    /// Does not do what the guide says: the check fails.
    Error,
    /// Questionable but not against the guide's letter: reported, does not fail.
    Warning,
    /// Could not be decided from the inputs (no input for it, a secret, an ambiguity); the
    /// `actual` text says why.
    NotChecked,
}

impl fmt::Display for FindingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FindingStatus::Conforms => "ok",
            FindingStatus::Error => "error",
            FindingStatus::Warning => "warning",
            FindingStatus::NotChecked => "not checked",
        })
    }
}

/// One setting as exported, where it is, and what the guide expects of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub status: FindingStatus,
    /// The guide's section title, e.g. "Graceful shutdown".
    pub section: String,
    /// The guide's line the value is held to.
    pub guideline: String,
    /// What the value belongs to: "Deployment pulumi/pulumi-api", "ECS service pulumi-api".
    pub subject: String,
    /// The file, as named in the environment file (relative to its directory).
    pub file: String,
    /// The value's JSON/YAML path in the file, e.g.
    /// `spec.template.spec.terminationGracePeriodSeconds`.
    pub path: String,
    /// The value as exported ("30", "not set (Kubernetes default 30)"), or why it was not
    /// checked.
    pub actual: String,
    /// What the guide expects: ">= 130", "\"/api/status\"".
    pub expected: String,
    /// The 1-based line and column of the value (or, when it is not written, of the nearest
    /// node that is) in the file, when the file could be read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl fmt::Display for Finding {
    /// `deploy/api.yaml: spec.template.spec.terminationGracePeriodSeconds = 30, expected >= 130
    /// (Deployment pulumi/pulumi-api)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() {
            self.file.clone()
        } else {
            format!("{}: {}", self.file, self.path)
        };
        // A finding about a whole document (nothing at a path) reads "file: what".
        let is = if self.path.is_empty() { ":" } else { " =" };
        match self.status {
            FindingStatus::NotChecked => write!(f, "{at}: {} ({})", self.actual, self.subject),
            _ => write!(
                f,
                "{at}{is} {}, expected {} ({})",
                self.actual, self.expected, self.subject
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str, status: FindingStatus) -> Finding {
        Finding {
            status,
            section: "Graceful shutdown".into(),
            guideline: "Set container stop timeout to at least 120 seconds.".into(),
            subject: "Deployment pulumi/api".into(),
            file: "deploy/api.yaml".into(),
            path: path.into(),
            actual: "30".into(),
            expected: ">= 130".into(),
            line: None,
            column: None,
        }
    }

    #[test]
    fn findings_read_as_file_path_value_expected() {
        assert_eq!(
            finding(
                "spec.template.spec.terminationGracePeriodSeconds",
                FindingStatus::Error
            )
            .to_string(),
            "deploy/api.yaml: spec.template.spec.terminationGracePeriodSeconds = 30, expected >= 130 (Deployment pulumi/api)"
        );
        assert_eq!(
            finding("", FindingStatus::Error).to_string(),
            "deploy/api.yaml: 30, expected >= 130 (Deployment pulumi/api)"
        );
    }
}
