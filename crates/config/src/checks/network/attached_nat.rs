//! One NAT gateway per zone where NAT gateways are attached to subnets that span every zone of
//! their region (Azure): the subnet's NAT gateway is zone-redundant (StandardV2), or zonal and
//! serving only compute of its own zone (Microsoft's zonal stacks).

use super::super::azure::{NAT_ZONES, compute_in_subnet};
use super::super::{Judge, guideline};
use crate::links::azure::same_id;
use crate::node::Loc;
use crate::view::{Deployment, Input, Subnet};

const EXPECTED: &str = "a zone-redundant NAT gateway (StandardV2), or a zonal one serving only compute of its own zone";

fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// A subnet whose NAT gateway `nat_id` is attached to it, the attachment written at `at`.
pub(super) fn judge_attached_nat(
    judge: &mut Judge,
    d: &Deployment,
    subnet: &Subnet,
    nat_id: &str,
    at: &Loc,
) {
    let subject = format!("subnet {}", short(&subnet.id));
    let Some(nat) = d.nat_gateways.iter().find(|n| same_id(&n.id, nat_id)) else {
        judge.missing(format!(
            "NAT gateway {} of {subject} is not in the NAT gateways read ({})",
            short(nat_id),
            judge.source(d, Input::NatGateways)
        ));
        return;
    };
    let name = short(&nat.id);
    let g = guideline::NAT_PER_ZONE;
    if nat
        .sku
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("StandardV2"))
        || nat.zones.len() > 1
    {
        judge.ok(
            g,
            &subject,
            at,
            format!("NAT gateway {name} is zone-redundant ({NAT_ZONES})"),
            EXPECTED,
        );
        return;
    }
    let Some(zone) = nat.zones.first() else {
        judge.error(
            g,
            &subject,
            at,
            format!(
                "NAT gateway {name} has no zone: Azure places it in one zone, and an outage there cuts every zone's way out ({NAT_ZONES})"
            ),
            EXPECTED,
        );
        return;
    };
    let compute = compute_in_subnet(d, &subnet.id);
    if compute.is_empty() && !d.has(Input::NodeGroups) && !d.has(Input::AutoScalingGroups) {
        // Without the node pools or scale sets, "none runs here" would be no finding at all.
        judge.missing(format!(
            "which zones the compute in {subject} runs in, that zonal NAT gateway {name} (zone {zone}) serves: no input for node pools or scale sets ({}, or {})",
            judge.source(d, Input::NodeGroups),
            judge.source(d, Input::AutoScalingGroups)
        ));
        return;
    }
    let strays: Vec<String> = compute
        .iter()
        .filter(|(_, zones)| zones.is_empty() || zones.iter().any(|z| z != zone))
        .map(|(what, zones)| {
            if zones.is_empty() {
                format!("{what} (no zone)")
            } else {
                format!("{what} (zones {})", zones.join(", "))
            }
        })
        .collect();
    if strays.is_empty() {
        let serves = if compute.is_empty() {
            "no node pool or scale set of the inputs runs here".to_owned()
        } else {
            compute
                .iter()
                .map(|(what, _)| what.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        judge.ok(
            g,
            &subject,
            at,
            format!("zonal NAT gateway {name} in zone {zone} serves {serves}"),
            EXPECTED,
        );
    } else {
        judge.error(
            g,
            &subject,
            at,
            format!(
                "zonal NAT gateway {name} in zone {zone} serves {}: an outage of zone {zone} cuts their way out in the other zones ({NAT_ZONES})",
                strays.join(", ")
            ),
            EXPECTED,
        );
    }
}
