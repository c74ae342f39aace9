//! Microsoft's documentation, for the rules that hold an Azure setting to how Azure behaves
//! (the citations of [`super::platform`], for Azure), and what the Azure rules share.

use netconform_model::guide::HEALTH_CHECK_GRACE_PERIOD;

use super::Judge;
use crate::view::{AutoScalingGroup, Deployment, GroupKind};

pub const NAT_ZONES: &str = "Azure (\"NAT gateway and availability zones\", https://learn.microsoft.com/azure/nat-gateway/nat-availability-zones): a Standard NAT gateway is zonal, in one zone or in \"no zone\" (a zone Azure picks); zone resilience takes one zonal NAT gateway per zone, each serving the VMs of its own zone (zonal stacks), or a zone-redundant StandardV2 NAT gateway.";
pub const DEFAULT_OUTBOUND: &str = "Azure (\"Default outbound access\", https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access): a subnet without a NAT gateway or another explicit way out gives its VMs an implicit public address, unless defaultOutboundAccess is false (a private subnet).";
pub const BLOB_ENDPOINT: &str = "Azure (\"Use private endpoints for Azure Storage\", https://learn.microsoft.com/azure/storage/common/storage-private-endpoints; \"Virtual network service endpoints\", https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview): a private endpoint for the storage account's blob sub-resource in the virtual network, or a Microsoft.Storage service endpoint on the subnet.";
pub const AKS_ZONES: &str = "Azure (\"Availability zones in AKS\", https://learn.microsoft.com/azure/aks/availability-zones): a node pool's availabilityZones places its nodes; without them the pool is in no zone.";
pub const VMSS_ZONES: &str = "Azure (\"Create a Virtual Machine Scale Set that uses Availability Zones\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-use-availability-zones): zones lists the zones the scale set spreads its instances over.";
pub const AUTOSCALE_RULES: &str = "Azure (\"Best practices for autoscale\", https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices): a scale set scales by rules, out when Percentage CPU goes above a threshold, in below another; its profile's minimum, maximum and default capacity bound it.";
pub const AUTOMATIC_REPAIRS: &str = "Azure (\"Automatic instance repairs for Azure Virtual Machine Scale Sets\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-instance-repairs): an instance failing its health probe is replaced only with automatic repairs on, and not before gracePeriod (PT10M to PT90M) after it changed state.";
pub const TERMINATE_NOTIFICATION: &str = "Azure (\"Terminate notification for Azure Virtual Machine Scale Set instances\", https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-terminate-notification): with terminateNotificationProfile enabled a scale set announces an instance's deletion as a scheduled event and waits notBeforeTimeout (5 to 15 minutes) before deleting it: Azure's termination hook.";
pub const CONNECTION_DRAINING: &str = "Azure (\"Application Gateway backend settings\", https://learn.microsoft.com/azure/application-gateway/configuration-http-settings#connection-draining): connection draining lets a backend removed from the pool finish its requests for drainTimeoutInSec (1 to 3600 s); it is off unless enabled.";
pub const MANAGEMENT_LOCKS: &str = "Azure (\"Lock your resources to protect your infrastructure\", https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources): a CanNotDelete or ReadOnly lock on a resource, or on its resource group or subscription (locks are inherited), stops its deletion.";

/// The metric Azure autoscale reads a scale set's CPU from
/// (https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachinescalesets-metrics).
pub const CPU_METRIC: &str = "Percentage CPU";

/// The zones of the compute that runs in subnet `subnet`: (what it is, its zones, empty for
/// none), for each AKS node pool and scale set there.
pub(crate) fn compute_in_subnet(d: &Deployment, subnet: &str) -> Vec<(String, Vec<String>)> {
    let here = |ids: Option<&Vec<String>>| {
        ids.is_some_and(|ids| ids.iter().any(|s| s.eq_ignore_ascii_case(subnet)))
    };
    let mut out: Vec<(String, Vec<String>)> = d
        .node_groups
        .iter()
        .filter(|ng| here(ng.subnets.value()))
        .map(|ng| {
            (
                ng.subject.clone(),
                ng.zones.value().cloned().unwrap_or_default(),
            )
        })
        .collect();
    out.extend(
        d.groups
            .iter()
            .filter(|g| here(g.subnets.value()))
            .map(|g| (g.subject.clone(), g.zones.clone())),
    );
    out
}

/// Whether a group is an Azure scale set.
pub(crate) fn is_scale_set(g: &AutoScalingGroup) -> bool {
    g.kind == GroupKind::AzureScaleSet
}

/// A scale set: nothing replaces a starting instance without automatic repairs; with them,
/// not before their grace period.
pub(crate) fn judge_scale_set_grace(judge: &mut Judge, g: &AutoScalingGroup) {
    let want = HEALTH_CHECK_GRACE_PERIOD.as_secs();
    let expected = format!(">= {want}");
    if g.health_check_type.value().map(String::as_str) == Some("repairs") {
        judge.value(
            AUTOMATIC_REPAIRS,
            &g.subject,
            &g.health_check_grace,
            None,
            &expected,
            |n| *n >= want,
        );
    } else {
        judge.ok(
            AUTOMATIC_REPAIRS,
            &g.subject,
            &g.health_check_type.at,
            "automatic repairs off: nothing replaces an instance that is still starting",
            &expected,
        );
    }
}
