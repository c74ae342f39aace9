//! Collects a deployment's configuration from the live account, through the AWS CLI (or, on
//! Google Cloud, gcloud: [`gcp`]) with the user's own credentials, as the files `[config]` reads (`aws ... describe-*` output), and a
//! manifest of every call made (`collected.json`).
//!
//! Discovery starts from what the environment file says and never reads the whole account
//! into the result: the hosted zone of `{domain}` and its api/app records lead to the load
//! balancer (or `dns.load_balancer` names it), the load balancer to its target groups, the
//! target groups to what registers in them (ECS services, auto-scaling groups), the load
//! balancer to its VPC (subnets, route tables, NAT gateways, endpoints) and the VPC to its
//! databases; in a cluster, the Ingress serving `api.{domain}` leads to the API's namespace
//! and its objects (through kubectl). On Azure, through the Azure CLI: the Azure DNS zone and
//! its api/app records lead to public IPs, the Application Gateway, what is in its backend
//! pools, their VNets, NAT gateways, private endpoints and databases ([`azure`]). Lists of the account (load balancers, clusters, databases) are read to find
//! the deployment's, and only the deployment's are written.

pub mod aws;
pub mod azure;
pub mod command;
pub mod denied;
pub mod gcp;
pub mod kubernetes;
pub mod manifest;

pub use aws::collect_aws;
pub use azure::{AzCli, collect_azure};
pub use command::{AwsCli, CallError, action_of};
pub use gcp::{Gcloud, collect_gcp};
pub use kubernetes::{Kubectl, collect_kubernetes};
pub use manifest::{Call, Manifest};

/// Writes `doc` as pretty JSON (one trailing newline) at `path`: every file collection writes.
pub(crate) fn write_json(
    path: &std::path::Path,
    doc: &serde_json::Value,
) -> Result<(), CollectError> {
    let text = serde_json::to_string_pretty(doc).expect("JSON serializes") + "\n";
    std::fs::write(path, text).map_err(|e| CollectError::Write {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

/// Why collection could not run at all (a call that fails is recorded in the manifest
/// instead, and its input is left not checked).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("write {path}: {why}")]
    Write { path: String, why: String },
    #[error(transparent)]
    Cli(CallError),
    /// What discovery could not settle (which namespace is the API's), and what to set.
    #[error("{0}")]
    Discovery(String),
}
