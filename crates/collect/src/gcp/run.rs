//! The call runner of Google Cloud discovery: every gcloud command collection runs
//! ([`CALLS`]: its arguments, the input its answer feeds, the IAM permissions it needs, which
//! `ci/gcp/netconform-reader-role.yaml` grants), each call recorded in the manifest, the
//! refused ones noted for `denied.json`, and the files written from the answers.

use std::path::Path;
use std::time::Instant;

use netconform_model::inputs::{Denied, DeniedCalls, Input};
use serde_json::Value;

use super::Gcloud;
use crate::CollectError;
use crate::command::CallError;
use crate::manifest::{Call, Manifest};

/// One gcloud command collection runs.
#[derive(Debug, Clone, Copy)]
pub struct GcpCall {
    /// `compute forwarding-rules` (the command is its `list`).
    pub command: &'static str,
    /// The input its answer feeds.
    pub feeds: Input,
    /// The IAM permissions it needs. gcloud lists a Compute Engine collection of several
    /// scopes with one `aggregatedList` call (`lister.MultiScopeLister` without a scope flag),
    /// which needs the collection's own list permission only, global and regional resources
    /// alike (the method's "IAM Permissions" in the Compute Engine API reference, e.g.
    /// <https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules/aggregatedList>:
    /// `compute.forwardingRules.list`); the regional and global collections' own permissions
    /// (`compute.regionBackendServices.list`, `compute.globalForwardingRules.list`) are for
    /// their scoped `list` calls, which collection does not make.
    pub permissions: &'static [&'static str],
}

const fn c(command: &'static str, feeds: Input, permissions: &'static [&'static str]) -> GcpCall {
    GcpCall {
        command,
        feeds,
        permissions,
    }
}

/// Every command collection runs, in the order it runs them.
pub const CALLS: [GcpCall; 17] = [
    c(
        "dns managed-zones",
        Input::CloudDnsRecords,
        &["dns.managedZones.list"],
    ),
    c(
        "dns record-sets",
        Input::CloudDnsRecords,
        &["dns.resourceRecordSets.list"],
    ),
    c(
        "compute forwarding-rules",
        Input::GcpForwardingRules,
        &["compute.forwardingRules.list"],
    ),
    c(
        "compute target-https-proxies",
        Input::GcpTargetHttpsProxies,
        &["compute.targetHttpsProxies.list"],
    ),
    c(
        "compute target-http-proxies",
        Input::GcpTargetHttpProxies,
        &["compute.targetHttpProxies.list"],
    ),
    c(
        "compute url-maps",
        Input::GcpUrlMaps,
        &["compute.urlMaps.list"],
    ),
    c(
        "compute backend-services",
        Input::GcpBackendServices,
        &["compute.backendServices.list"],
    ),
    c(
        "compute network-endpoint-groups",
        Input::GcpNetworkEndpointGroups,
        &["compute.networkEndpointGroups.list"],
    ),
    c(
        "compute instance-groups managed",
        Input::GcpInstanceGroupManagers,
        // gcloud adds each group's autoscaler and its instance group's size.
        &[
            "compute.instanceGroupManagers.list",
            "compute.autoscalers.list",
            "compute.instanceGroups.list",
        ],
    ),
    c(
        "compute health-checks",
        Input::GcpHealthChecks,
        &["compute.healthChecks.list"],
    ),
    c(
        "compute instance-templates",
        Input::GcpInstanceTemplates,
        &["compute.instanceTemplates.list"],
    ),
    c(
        "container clusters",
        Input::GkeClusters,
        &["container.clusters.list"],
    ),
    c(
        "compute networks",
        Input::GcpNetworks,
        &["compute.networks.list"],
    ),
    c(
        "compute networks subnets",
        Input::GcpSubnets,
        &["compute.subnetworks.list"],
    ),
    c(
        "compute routers",
        Input::GcpRouters,
        &["compute.routers.list"],
    ),
    c(
        "compute addresses",
        Input::GcpAddresses,
        &["compute.addresses.list"],
    ),
    c(
        "sql instances",
        Input::CloudSqlInstances,
        &["cloudsql.instances.list"],
    ),
];

/// The call of `command` in [`CALLS`].
pub(super) fn call(command: &str) -> GcpCall {
    *CALLS
        .iter()
        .find(|c| c.command == command)
        .unwrap_or_else(|| panic!("{command} is not in CALLS"))
}

/// One collection run: gcloud, where files go, and what was done.
pub(super) struct GcpRun<'a> {
    pub(super) cli: &'a Gcloud,
    pub(super) out: &'a Path,
    pub(super) manifest: Manifest,
    pub(super) on_line: &'a (dyn Fn(&str) + Sync),
    pub(super) denied: DeniedCalls,
}

impl GcpRun<'_> {
    /// Runs `what`'s `list` with `args`; its place in the manifest and the resources it
    /// listed (`None`: it gave no answer, refused or failed, recorded so).
    pub(super) async fn list(
        &mut self,
        what: GcpCall,
        args: &[String],
        scope: impl Into<String>,
    ) -> (usize, Option<Vec<Value>>) {
        let mut argv: Vec<String> = what.command.split(' ').map(str::to_owned).collect();
        argv.push("list".to_owned());
        argv.extend(args.iter().cloned());
        let command = format!("gcloud {}", argv.join(" "));
        let started = Instant::now();
        let answer = self.cli.call(&argv, what.permissions[0]).await;
        let result = match &answer {
            Ok(_) => "ok".to_owned(),
            Err(e @ CallError::PermissionDenied { .. }) => format!("denied: {e}"),
            Err(e) => format!("failed: {e}"),
        };
        if answer.is_err() {
            (self.on_line)(&format!("  {command}: {result}"));
        }
        if let Err(CallError::PermissionDenied { permission, .. }) = &answer {
            self.denied.record(Denied {
                feeds: what.feeds,
                action: permission.clone(),
                command: command.clone(),
            });
        }
        self.manifest.calls.push(Call {
            command,
            action: what.permissions.join(", "),
            scope: scope.into(),
            result,
            file: None,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        });
        let at = self.manifest.calls.len() - 1;
        let items = answer.ok().map(|v| match v {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            one => vec![one],
        });
        (at, items)
    }

    /// Writes `kept` (of `total` listed) as `name` and notes it on call `at`.
    pub(super) fn write(
        &mut self,
        at: usize,
        name: &str,
        kept: Vec<Value>,
        total: usize,
    ) -> Result<(), CollectError> {
        let how = format!("kept {} of {total}", kept.len());
        crate::write_json(&self.out.join(name), &Value::Array(kept))?;
        if let Some(call) = self.manifest.calls.get_mut(at) {
            call.file = Some(name.to_owned());
            call.result = format!("ok: {how}");
        }
        self.manifest.files.push(name.to_owned());
        (self.on_line)(&format!("  {name}: {how}"));
        Ok(())
    }
}
