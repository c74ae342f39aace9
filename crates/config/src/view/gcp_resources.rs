//! The Google Cloud resources the view has no other type for: Cloud NAT, a regional managed
//! NAT on a Cloud Router (not a gateway in a zonal subnet), and the graceful shutdown a
//! managed instance group's instance template gives its VMs.

use crate::node::{Field, Loc};
use crate::view::{Deployment, Input};

impl Deployment {
    /// Whether the inputs are Google Cloud's (any `gcloud` output or `gcp:` resource read, or
    /// a gcloud call collection was refused).
    pub fn on_gcp(&self) -> bool {
        self.inputs
            .iter()
            .chain(self.denied.keys())
            .any(|i| i.is_gcp())
    }

    /// The input to ask for `input` on this deployment's cloud: on Google Cloud, the `gcloud`
    /// command that provides the kind.
    pub fn counterpart(&self, input: Input) -> Input {
        match input.on_gcp() {
            Some(gcp) if self.on_gcp() => gcp,
            _ => input,
        }
    }
}

/// A Cloud NAT gateway (`routers[].nats[]`, or `gcp:compute/routerNat:RouterNat`).
#[derive(Debug, Clone)]
pub struct CloudNat {
    /// "Cloud NAT pulumi-nat on router pulumi-router (us-central1)".
    pub subject: String,
    pub name: String,
    pub at: Loc,
    pub router: String,
    pub region: Option<String>,
    /// The network of its router (a reference, from `projects/`).
    pub network: Option<String>,
    /// `sourceSubnetworkIpRangesToNat`: `ALL_SUBNETWORKS_ALL_IP_RANGES`,
    /// `ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES` or `LIST_OF_SUBNETWORKS`.
    pub source_ranges: Field<String>,
    /// The subnets it translates under `LIST_OF_SUBNETWORKS` (references, from `projects/`).
    pub subnets: Vec<String>,
    /// `natIpAllocateOption`: `AUTO_ONLY` or `MANUAL_ONLY`.
    pub ip_allocation: Field<String>,
    /// The addresses it uses under `MANUAL_ONLY`.
    pub nat_ips: Vec<String>,
}

impl CloudNat {
    /// Whether it translates the subnet `subnet` (a reference, from `projects/`) of `region`.
    pub fn covers(&self, subnet: &str, region: Option<&str>) -> bool {
        if region.is_some() && self.region.is_some() && region != self.region.as_deref() {
            return false;
        }
        match self.source_ranges.value().map(String::as_str) {
            Some("ALL_SUBNETWORKS_ALL_IP_RANGES" | "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES") => true,
            Some("LIST_OF_SUBNETWORKS") => self
                .subnets
                .iter()
                .any(|s| s == subnet || gcp_name(s) == subnet),
            _ => false,
        }
    }
}

/// How long a managed instance group's VMs get to shut down, from its instance template's
/// `scheduling.gracefulShutdown` (Compute Engine, "Graceful shutdown overview",
/// <https://cloud.google.com/compute/docs/instances/graceful-shutdown-overview>).
#[derive(Debug, Clone)]
pub struct VmShutdown {
    /// The group (its `selfLink` reference, as [`super::AutoScalingGroup::arn`]).
    pub group: String,
    /// "instance template pulumi-api-20261101".
    pub template: String,
    /// `scheduling.gracefulShutdown.enabled` (off when not set).
    pub enabled: Field<bool>,
    /// `scheduling.gracefulShutdown.maxDuration.seconds` (10 minutes when not set).
    pub max_duration: Field<u64>,
}

/// A Google Cloud reference as compared: from `projects/` on (the API's host and version
/// differ between gcloud, a stack export and the other API versions), else as written.
pub fn gcp_ref(url: &str) -> String {
    let url = url.trim();
    match url.find("projects/") {
        Some(i) => url[i..].to_owned(),
        None => url.to_owned(),
    }
}

/// The last part of a Google Cloud reference: its resource's name.
pub fn gcp_name(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

/// The zone a reference names (`.../zones/us-central1-a/...`), if any.
pub fn gcp_zone(url: &str) -> Option<&str> {
    let mut parts = url.split('/');
    while let Some(p) = parts.next() {
        if p == "zones" {
            return parts.next().filter(|z| !z.is_empty());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_compare_from_projects_on() {
        let link = "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/networkEndpointGroups/neg";
        assert_eq!(
            gcp_ref(link),
            "projects/p/zones/us-central1-a/networkEndpointGroups/neg"
        );
        assert_eq!(gcp_name(link), "neg");
        assert_eq!(gcp_zone(link), Some("us-central1-a"));
        assert_eq!(gcp_zone("projects/p/regions/r/instanceGroups/g"), None);
    }
}
