//! `collected.json`: every call collection made, its scope and filters, what it kept, and
//! the account, region and time. No credential is in it: the CLI holds them.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// What one collection did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool_version: String,
    /// When collection began, RFC 3339 in UTC.
    pub collected_at: String,
    pub domain: String,
    /// The account the credentials belong to (`sts get-caller-identity`), when it answered.
    pub account: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// The kubeconfig context Kubernetes collection used (none: kubectl's current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The namespace Kubernetes collection read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub calls: Vec<Call>,
    /// The files written, relative to the output directory.
    pub files: Vec<String>,
}

/// One call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// `aws elbv2 describe-load-balancers`, with its filters.
    pub command: String,
    /// The IAM action it needs.
    pub action: String,
    /// Why it was made: what of the deployment it reads.
    pub scope: String,
    /// `ok: kept 1 of 3`, `denied: AccessDenied for ...`, `failed: ...`.
    pub result: String,
    /// The file it went into, when it was written.
    pub file: Option<String>,
    pub elapsed_ms: f64,
}

impl Manifest {
    /// An empty one, for `domain`, begun at `collected_at`.
    pub fn new(domain: &str, collected_at: String) -> Manifest {
        Manifest {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            collected_at,
            domain: domain.to_owned(),
            account: None,
            region: None,
            profile: None,
            context: None,
            namespace: None,
            calls: Vec::new(),
            files: Vec::new(),
        }
    }

    /// Takes in what one collector did (`other`), whose files it wrote under `dir` (`aws`,
    /// `kubernetes`) of the output directory: its calls and files, named from there, and the
    /// account, region, profile, context and namespace it knows.
    pub fn absorb(&mut self, other: Manifest, dir: &str) {
        let placed = |file: String| format!("{dir}/{file}");
        self.files.extend(other.files.into_iter().map(placed));
        self.calls.extend(other.calls.into_iter().map(|mut call| {
            call.file = call.file.map(placed);
            call
        }));
        self.account = self.account.take().or(other.account);
        self.region = self.region.take().or(other.region);
        self.profile = self.profile.take().or(other.profile);
        self.context = self.context.take().or(other.context);
        self.namespace = self.namespace.take().or(other.namespace);
    }

    /// The calls that were denied: (action, scope).
    pub fn denied(&self) -> Vec<(&str, &str)> {
        self.calls
            .iter()
            .filter(|c| c.result.starts_with("denied"))
            .map(|c| (c.action.as_str(), c.scope.as_str()))
            .collect()
    }

    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).expect("a manifest serializes");
        std::fs::write(dir.join("collected.json"), text + "\n")
    }
}
