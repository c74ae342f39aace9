//! Google Cloud's managed instance groups, their autoscalers and instance templates, from
//! `gcloud compute instance-groups managed list` (each group with its `autoscaler`, which
//! gcloud adds), `instance-templates list` (`--format=json`) and a stack export (`gcp:compute/regionInstanceGroupManager:*`,
//! `regionAutoscaler`, `instanceTemplate`). A managed instance group is read as an
//! auto-scaling group: its zones are its distribution policy's (a regional group) or its zone;
//! its bounds are its autoscaler's and its grace period its autohealing policy's initial delay,
//! joined in [`crate::links::gcp`]. Field names: the Compute Engine API v1 reference
//! (<https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers>,
//! `autoscalers`, `instanceTemplates`) and the provider's (`distributionPolicyZones`,
//! `autoscalingPolicy.minReplicas`, `cpuUtilization.target`).

use crate::formats::stack_export::Resource;
use crate::links::gcp::{BoundsLink, GroupLink, TemplateLink, reference};
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{AutoScalingGroup, GroupKind, Input, ScalingPolicy, Told, gcp_name};

/// The metric a Compute Engine autoscaler scales on CPU with (`autoscalingPolicy.cpuUtilization`).
pub(crate) const GCE_CPU_METRIC: &str = "cpuUtilization";

/// One managed instance group, either format.
fn mig(n: &Node<'_>, subject: String, r: &mut Reading) {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    let link = reference(&n.get_ci("selfLink")).unwrap_or_else(|| name.clone());
    // gcloud: `distributionPolicy.zones[].zone` (URLs); the provider: `distributionPolicyZones`.
    let policy = n.path_ci("distributionPolicy.zones");
    let (zones, zones_at) = if policy.exists() {
        let zones = policy
            .items()
            .iter()
            .filter_map(|z| z.get_ci("zone").opt_text())
            .map(|z| gcp_name(&z).to_owned())
            .collect();
        (zones, policy.at.clone())
    } else if n.get_ci("distributionPolicyZones").exists() {
        let node = n.get_ci("distributionPolicyZones");
        let zones = node
            .text_list()
            .iter()
            .map(|z| gcp_name(z).to_owned())
            .collect();
        (zones, node.at.clone())
    } else {
        // A zonal group: its one zone.
        let node = n.get_ci("zone");
        let zones = node.opt_text().map(|z| gcp_name(&z).to_owned());
        (zones.into_iter().collect(), node.at.clone())
    };
    // gcloud: a list of policies; the provider: one object.
    let healing = n.get_ci("autoHealingPolicies");
    let healing = healing.items().into_iter().next().unwrap_or(healing);
    let check = healing.get_ci("healthCheck");
    let template = reference(&n.get_ci("instanceTemplate")).or_else(|| {
        n.get_ci("versions")
            .items()
            .first()
            .and_then(|v| reference(&v.get_ci("instanceTemplate")))
    });
    r.links.gcp.groups.push(GroupLink {
        manager: link.clone(),
        instance_group: reference(&n.get_ci("instanceGroup")),
        template,
    });
    r.view.groups.push(AutoScalingGroup {
        subject,
        arn: Some(link),
        at: n.at.clone(),
        min: Field::unset(n.at.key("(autoscaler)")),
        max: Field::unset(n.at.key("(autoscaler)")),
        desired: n.get_ci("targetSize").count(),
        desired_told: Told::Live,
        subnets: Field::unset(n.at.key("instanceTemplate")),
        zones,
        zones_at,
        public_ip: Field::unset(n.at.key("instanceTemplate")),
        target_groups: Vec::new(),
        health_check_type: match check.opt_text() {
            Some(hc) => Field::set(check.at.clone(), format!("health check {}", gcp_name(&hc))),
            None => Field::unset(healing.at.clone()),
        },
        health_check_grace: healing.get_ci("initialDelaySec").count(),
        name,
        kind: GroupKind::GcpManagedGroup,
        distribution: Field::unset(n.at.clone()),
    });
}

/// `gcloud compute instance-groups managed list`: one group, with its autoscaler, which gcloud
/// adds to each autoscaled group (`autoscaler`; a group without one is not autoscaled, so the
/// list says the autoscalers too).
pub(crate) fn mig_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    r.view.saw(Input::GcpAutoscalers, &n.at);
    mig(n, format!("managed instance group {name}"), r);
    let embedded = n.get("autoscaler");
    if embedded.is_object() {
        let scaler = embedded.get_ci("name").opt_text().unwrap_or_default();
        autoscaler(&embedded, format!("autoscaler {scaler}"), r);
    }
    Ok(())
}

/// `gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager`, `instanceGroupManager`.
pub(crate) fn mig_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpInstanceGroupManagers, &res.list_at);
    mig(&res.outputs, res.subject("managed instance group"), r);
    Ok(())
}

/// One autoscaler: a scaling policy of its group (on CPU when it has a CPU target) and the
/// group's bounds. `gcloud` names `minNumReplicas`, `cpuUtilization.utilizationTarget`; the
/// provider `minReplicas`, `cpuUtilization.target`. The target is a fraction (0.6): read as
/// a percentage.
fn autoscaler(n: &Node<'_>, subject: String, r: &mut Reading) {
    let target = reference(&n.get_ci("target")).unwrap_or_default();
    let policy = n.get_ci("autoscalingPolicy");
    let policy = policy.items().into_iter().next().unwrap_or(policy);
    let first = |keys: [&str; 2]| {
        keys.iter()
            .map(|k| policy.path_ci(k))
            .find(Node::exists)
            .unwrap_or_else(|| policy.get_ci(keys[0]))
    };
    let cpu = policy.get_ci("cpuUtilization");
    let utilization = first(["cpuUtilization.utilizationTarget", "cpuUtilization.target"]);
    let percent = match utilization.number().state {
        State::Set(f) => Field::set(utilization.at.clone(), (f * 1000.0).round() / 10.0),
        State::Unset if cpu.exists() => {
            // "If not specified, the default is 0.6."
            Field::set(cpu.at.clone(), 60.0)
        }
        other => Field {
            at: utilization.at.clone(),
            state: other,
        },
    };
    r.links.gcp.bounds.push(BoundsLink {
        target: target.clone(),
        min: first(["minNumReplicas", "minReplicas"]).count(),
        max: first(["maxNumReplicas", "maxReplicas"]).count(),
    });
    r.view.scaling_policies.push(ScalingPolicy {
        subject,
        at: n.at.clone(),
        resource_id: target.clone(),
        group: Some(gcp_name(&target).to_owned()),
        metric: cpu.exists().then(|| GCE_CPU_METRIC.to_owned()),
        target: percent,
    });
}

/// An autoscaler on its own (`kind: compute#autoscaler`, as the Compute Engine API lists
/// them): one autoscaler.
pub(crate) fn autoscaler_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    autoscaler(n, format!("autoscaler {name}"), r);
    Ok(())
}

/// `gcp:compute/regionAutoscaler:RegionAutoscaler`, `autoscaler:Autoscaler`.
pub(crate) fn autoscaler_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpAutoscalers, &res.list_at);
    autoscaler(&res.outputs, res.subject("autoscaler"), r);
    Ok(())
}

/// One instance template: whether its instances get an external address (an access config on
/// a network interface), their subnets, and their graceful shutdown. gcloud nests them in
/// `properties`.
fn template(n: &Node<'_>, r: &mut Reading) {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    let subject = format!("instance template {name}");
    let link = reference(&n.get_ci("selfLink")).unwrap_or(name);
    let props = n.get_ci("properties");
    let props = if props.exists() { props } else { n.clone() };
    let nics = props.get_ci("networkInterfaces");
    let mut public = Field::set(nics.at.clone(), false);
    let mut subnets = Vec::new();
    for nic in nics.items() {
        let access = nic.get_ci("accessConfigs");
        if !access.items().is_empty() {
            public = Field::set(access.at.clone(), true);
        }
        if let Some(s) = reference(&nic.get_ci("subnetwork")) {
            subnets.push(s);
        }
    }
    // Compute Engine API v1 `Scheduling.gracefulShutdown` (`SchedulingGracefulShutdown`:
    // `enabled`, `maxDuration` a `Duration` of `seconds`); the provider's the same, nested.
    let graceful = props.path_ci("scheduling.gracefulShutdown");
    let graceful_shutdown = (
        graceful.get_ci("enabled").flag(),
        graceful.path_ci("maxDuration.seconds").count(),
    );
    r.links.gcp.templates.push(TemplateLink {
        template: link,
        subject,
        graceful_shutdown,
        public_ip: public,
        subnets: if subnets.is_empty() {
            Field::unset(nics.at.clone())
        } else {
            Field::set(nics.at.clone(), subnets)
        },
    });
}

/// `gcloud compute instance-templates list`: one template.
pub(crate) fn template_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    template(n, r);
    Ok(())
}

/// `gcp:compute/instanceTemplate:InstanceTemplate`, `regionInstanceTemplate`.
pub(crate) fn template_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpInstanceTemplates, &res.list_at);
    template(&res.outputs, r);
    Ok(())
}
