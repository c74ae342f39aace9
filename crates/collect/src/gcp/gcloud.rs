//! One gcloud call: `gcloud <group> <command> list --project P --format=json`, with the user's
//! credentials (whatever gcloud has: `gcloud auth`, service account impersonation, workload
//! identity federation, GKE Workload Identity), a timeout; gcloud pages through the lists
//! itself. A refusal is told by Google's message ("Required '<permission>' permission"), which
//! gcloud prints even when an aggregated list answers in part and exits 0.

use std::time::Duration;

use serde_json::Value;

use crate::command::{CallError, json_of, run, said};

/// How to run gcloud.
#[derive(Debug, Clone)]
pub struct Gcloud {
    /// The program (`gcloud` on PATH by default).
    pub program: String,
    /// The project (else gcloud's `core/project`).
    pub project: Option<String>,
    /// Time allowed for one call.
    pub timeout: Duration,
}

impl Gcloud {
    pub fn new(project: Option<String>) -> Gcloud {
        Gcloud {
            program: "gcloud".into(),
            project,
            timeout: Duration::from_secs(120),
        }
    }

    /// The arguments of `args` as run: the project and the JSON format added.
    pub(crate) fn argv(&self, args: &[String]) -> Vec<String> {
        let mut all = args.to_vec();
        if let Some(p) = &self.project {
            all.extend(["--project".to_owned(), p.clone()]);
        }
        all.extend(["--format=json".to_owned(), "--quiet".to_owned()]);
        all
    }

    /// Runs `args` and reads its JSON; `needs` is the permission the call needs, named when
    /// the refusal does not name one.
    pub async fn call(&self, args: &[String], needs: &str) -> Result<Value, CallError> {
        let output = run(&self.program, &self.argv(args), self.timeout, self.timeout).await?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let Some(permission) = refused(&stderr) {
            return Err(CallError::PermissionDenied {
                permission,
                message: said(&output.stderr),
            });
        }
        if stderr.contains("PERMISSION_DENIED") || stderr.contains("code=403") {
            return Err(CallError::PermissionDenied {
                permission: needs.to_owned(),
                message: said(&output.stderr),
            });
        }
        if !output.status.success() {
            return Err(CallError::Failed {
                code: output.status.code().unwrap_or(-1),
                message: said(&output.stderr),
            });
        }
        json_of(&output.stdout)
    }
}

/// The permission Google's refusal names: "Required 'compute.backendServices.list' permission".
fn refused(stderr: &str) -> Option<String> {
    let rest = stderr.split("Required '").nth(1)?;
    let permission = rest.split('\'').next()?;
    (!permission.is_empty() && rest.contains("permission")).then(|| permission.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_their_permission() {
        assert_eq!(
            refused("WARNING: Some requests did not succeed.\n - Required 'compute.backendServices.list' permission for 'projects/p'\n").as_deref(),
            Some("compute.backendServices.list")
        );
        assert_eq!(
            refused("ERROR: (gcloud.container.clusters.list) ResponseError: code=403, message=Required 'container.clusters.list' permission for 'projects/p'.").as_deref(),
            Some("container.clusters.list")
        );
        assert_eq!(refused("ERROR: (gcloud.compute) Invalid choice"), None);
    }
}
