//! Azure's VM scale sets and their autoscale settings, from az (`az vmss list`, `az monitor
//! autoscale list`) and a stack export's azure-native resources of the same kinds.
//!
//! A scale set is read as a group of VMs: its zones, its subnets, the backend pools it
//! registers its instances with, its automatic repairs' grace period (the time a new instance
//! has before failing health probes get it replaced) and its terminate notification (Azure's
//! lifecycle hook before an instance is deleted). An autoscale setting gives it its bounds
//! (joined in [`crate::links::azure`]) and a scaling policy: its scale-out rule on
//! `Percentage CPU`, whose threshold stands for the target Azure has no other name for.

use crate::formats::az_cli::Arm;
use crate::links::azure::Bounds;
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::resources::load_balancers::ids;
use crate::view::{
    AutoScalingGroup, GroupKind, Input, LifecycleHook, ScalingPolicy, TERMINATING, Told,
};

/// Seconds in an ISO 8601 duration of days, hours, minutes and seconds (`PT10M`, `P1DT2H`);
/// `None` for anything else.
pub(crate) fn iso_seconds(text: &str) -> Option<u64> {
    let rest = text.trim().strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0u64;
    let mut take = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut digits = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                let (_, scale) = units.iter().find(|(u, _)| *u == c)?;
                total = total.checked_add(digits.parse::<u64>().ok()?.checked_mul(*scale)?)?;
                digits.clear();
            }
        }
        digits.is_empty().then_some(())
    };
    take(days, &[('D', 86_400)])?;
    take(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    (!rest.is_empty()).then_some(total)
}

/// An ISO 8601 duration's seconds as a field.
fn duration(node: &Node<'_>) -> Field<u64> {
    let text = node.text();
    match &text.state {
        State::Set(t) => match iso_seconds(t) {
            Some(n) => Field::set(text.at.clone(), n),
            None => Field {
                at: text.at.clone(),
                state: State::Invalid(format!("{t:?} is not an ISO 8601 duration (PT10M)")),
            },
        },
        _ => text.map(|_| 0),
    }
}

/// The ip configurations of a scale set's network interfaces.
fn ip_configurations<'a>(vmss: &Node<'a>) -> Vec<Node<'a>> {
    vmss.arm_path("virtualMachineProfile.networkProfile.networkInterfaceConfigurations")
        .items()
        .iter()
        .flat_map(|nic| nic.arm("ipConfigurations").items())
        .collect()
}

/// `az vmss list` (and `azure-native:compute:VirtualMachineScaleSet`).
pub(crate) fn scale_set_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    for input in [Input::AutoScalingGroups, Input::LifecycleHooks] {
        r.view.saw(input, &res.list_at);
    }
    let vmss = &res.node;
    let configs = ip_configurations(vmss);
    let subnets: Vec<String> = configs
        .iter()
        .filter_map(|c| c.arm("subnet").get_ci("id").opt_text())
        .collect();
    let mut pools: Vec<String> = Vec::new();
    for c in &configs {
        pools.extend(ids(&c.arm("applicationGatewayBackendAddressPools")));
        pools.extend(ids(&c.arm("loadBalancerBackendAddressPools")));
    }
    let nics_at = vmss
        .arm_path("virtualMachineProfile.networkProfile.networkInterfaceConfigurations")
        .at;
    let repairs = vmss.arm("automaticRepairsPolicy");
    let repairs_on = repairs.get_ci("enabled").flag().value() == Some(&true);
    r.view.groups.push(AutoScalingGroup {
        subject: res.subject("scale set"),
        name: res.name.clone(),
        arn: Some(res.id.clone()),
        at: vmss.at.clone(),
        // Its bounds are its autoscale setting's.
        min: Field::unset(vmss.at.key("(az monitor autoscale list)")),
        max: Field::unset(vmss.at.key("(az monitor autoscale list)")),
        desired: vmss.arm("sku").get_ci("capacity").count(),
        desired_told: Told::Live,
        subnets: if subnets.is_empty() {
            Field::unset(nics_at)
        } else {
            Field::set(nics_at, subnets)
        },
        zones: vmss.get_ci("zones").text_list(),
        zones_at: vmss.at.key("zones"),
        public_ip: Field::unset(vmss.at.clone()),
        target_groups: pools,
        health_check_type: Field::set(
            repairs.get_ci("enabled").at.clone(),
            if repairs_on { "repairs" } else { "none" }.to_owned(),
        ),
        health_check_grace: if repairs_on {
            duration(&repairs.get_ci("gracePeriod"))
        } else {
            Field::unset(repairs.at.clone())
        },
        kind: GroupKind::AzureScaleSet,
        distribution: Field::unset(vmss.at.clone()),
    });
    let notify =
        vmss.arm_path("virtualMachineProfile.scheduledEventsProfile.terminateNotificationProfile");
    if notify.get_ci("enable").flag().value() == Some(&true) {
        r.view.lifecycle_hooks.push(LifecycleHook {
            subject: format!("terminate notification of {}", res.subject("scale set")),
            at: notify.at.clone(),
            group: res.name.clone(),
            transition: TERMINATING.to_owned(),
            heartbeat: duration(&notify.get_ci("notBeforeTimeout")),
        });
    }
    Ok(())
}

/// The profile that applies when no schedule does: the one without `recurrence` or
/// `fixedDate`, else the first.
fn default_profile<'a>(setting: &Node<'a>) -> Option<Node<'a>> {
    let profiles = setting.arm("profiles").items();
    profiles
        .iter()
        .find(|p| !p.get_ci("recurrence").exists() && !p.get_ci("fixedDate").exists())
        .or(profiles.first())
        .cloned()
}

/// The name of the resource an id names (its last segment).
fn name_of(id: &str) -> String {
    id.rsplit('/').next().unwrap_or(id).to_owned()
}

/// `az monitor autoscale list` (and `azure-native:monitor:AutoscaleSetting`,
/// `azure-native:insights:AutoscaleSetting`).
pub(crate) fn autoscale_setting_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GroupPolicies, &res.list_at);
    let s = &res.node;
    if s.arm("enabled").flag().value() == Some(&false) {
        return Ok(());
    }
    let target = s.arm("targetResourceUri").opt_text().unwrap_or_default();
    let Some(profile) = default_profile(s) else {
        return Ok(());
    };
    let capacity = profile.get_ci("capacity");
    r.links.azure.bounds.push(Bounds {
        target: target.clone(),
        min: capacity.get_ci("minimum").count(),
        max: capacity.get_ci("maximum").count(),
        default: capacity.get_ci("default").count(),
    });
    for (i, rule) in profile.get_ci("rules").items().iter().enumerate() {
        let trigger = rule.get_ci("metricTrigger");
        let increases = rule
            .path_ci("scaleAction.direction")
            .opt_text()
            .is_some_and(|d| d.eq_ignore_ascii_case("Increase"));
        if !increases {
            continue;
        }
        r.view.scaling_policies.push(ScalingPolicy {
            subject: format!(
                "scale-out rule {} of {}",
                i + 1,
                res.subject("autoscale setting")
            ),
            at: rule.at.clone(),
            resource_id: String::new(),
            group: Some(name_of(&target)),
            metric: trigger.get_ci("metricName").opt_text(),
            target: trigger.get_ci("threshold").number(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::iso_seconds;

    #[test]
    fn iso_durations() {
        assert_eq!(iso_seconds("PT10M"), Some(600));
        assert_eq!(iso_seconds("PT1H30M"), Some(5400));
        assert_eq!(iso_seconds("P1DT2S"), Some(86_402));
        assert_eq!(iso_seconds("PT"), Some(0));
        assert_eq!(iso_seconds("10M"), None);
        assert_eq!(iso_seconds("PT10X"), None);
        assert_eq!(iso_seconds("PT10"), None);
    }
}
