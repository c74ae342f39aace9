//! Scaling: Application Auto Scaling's scalable targets and policies (ECS services), EC2 Auto
//! Scaling groups, their policies and lifecycle hooks, from the AWS CLI (`aws
//! application-autoscaling describe-*`, `aws autoscaling describe-*`) and a stack export
//! (`aws:appautoscaling/*`, `aws:autoscaling/*`).

mod azure;

pub(crate) use azure::{autoscale_setting_from_az, scale_set_from_az};
pub(crate) mod gcp;

use crate::formats::stack_export::Resource;
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{
    AutoScalingGroup, GroupKind, Input, LifecycleHook, ScalableTarget, ScalingPolicy, Told,
};

/// A scalable target, in either format (their keys differ only in case).
fn scalable_target(t: &Node<'_>, subject: String) -> ScalableTarget {
    ScalableTarget {
        subject,
        at: t.at.clone(),
        resource_id: t.get_ci("ResourceId").opt_text().unwrap_or_default(),
        min: t.get_ci("MinCapacity").count(),
        max: t.get_ci("MaxCapacity").count(),
    }
}

/// A target tracking policy: `config` is its target tracking configuration (named
/// differently by Application and EC2 Auto Scaling, alike in both formats but for case).
fn policy(
    p: &Node<'_>,
    config: &Node<'_>,
    subject: String,
    group: Option<String>,
) -> ScalingPolicy {
    ScalingPolicy {
        subject,
        at: p.at.clone(),
        resource_id: p.get_ci("ResourceId").opt_text().unwrap_or_default(),
        group,
        metric: config
            .path_ci("PredefinedMetricSpecification.PredefinedMetricType")
            .opt_text(),
        target: config.get_ci("TargetValue").number(),
    }
}

/// A lifecycle hook of `group`, in either format (their keys differ only in case).
fn hook(h: &Node<'_>, subject: String, group: String) -> LifecycleHook {
    LifecycleHook {
        subject,
        at: h.at.clone(),
        group,
        transition: h
            .get_ci("LifecycleTransition")
            .opt_text()
            .unwrap_or_default(),
        heartbeat: h.get_ci("HeartbeatTimeout").count(),
    }
}

/// `aws application-autoscaling describe-scalable-targets`.
pub(crate) fn scalable_targets_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("ScalableTargets");
    r.view.saw(Input::ScalableTargets, &list.at);
    for t in list.items() {
        let id = t.get_ci("ResourceId").opt_text().unwrap_or_default();
        let target = scalable_target(&t, format!("scalable target {id}"));
        r.view.scalable_targets.push(target);
    }
    Ok(())
}

/// `aws:appautoscaling/target:Target`.
pub(crate) fn scalable_target_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    r.view.saw(Input::ScalableTargets, &res.list_at);
    let target = scalable_target(&res.outputs, res.subject("scalable target"));
    r.view.scalable_targets.push(target);
    Ok(())
}

/// `ScalingPolicies`: Application Auto Scaling (`ResourceId`) and EC2 Auto Scaling
/// (`AutoScalingGroupName`) print the same top-level key; an empty list says there are none of
/// either.
pub(crate) fn policies_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("ScalingPolicies");
    let items = list.items();
    let group_of = |p: &Node<'_>| p.get_ci("AutoScalingGroupName").opt_text();
    if items.is_empty() || items.iter().any(|p| group_of(p).is_none()) {
        r.view.saw(Input::ScalingPolicies, &list.at);
    }
    if items.is_empty() || items.iter().any(|p| group_of(p).is_some()) {
        r.view.saw(Input::GroupPolicies, &list.at);
    }
    for p in items {
        let group = group_of(&p);
        let config = if group.is_some() {
            p.get_ci("TargetTrackingConfiguration")
        } else {
            p.get_ci("TargetTrackingScalingPolicyConfiguration")
        };
        let name = p.get_ci("PolicyName").opt_text().unwrap_or_default();
        let policy = policy(&p, &config, format!("scaling policy {name}"), group);
        r.view.scaling_policies.push(policy);
    }
    Ok(())
}

/// `aws:appautoscaling/policy:Policy`.
pub(crate) fn policy_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::ScalingPolicies, &res.list_at);
    let config = res
        .outputs
        .get_ci("targetTrackingScalingPolicyConfiguration");
    let policy = policy(&res.outputs, &config, res.subject("scaling policy"), None);
    r.view.scaling_policies.push(policy);
    Ok(())
}

/// `aws:autoscaling/policy:Policy`.
pub(crate) fn group_policy_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GroupPolicies, &res.list_at);
    let config = res.outputs.get_ci("targetTrackingConfiguration");
    let group = res.outputs.get_ci("autoscalingGroupName").opt_text();
    let mut policy = policy(&res.outputs, &config, res.subject("scaling policy"), group);
    policy.resource_id = String::new();
    r.view.scaling_policies.push(policy);
    Ok(())
}

/// `aws autoscaling describe-auto-scaling-groups`.
pub(crate) fn groups_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("AutoScalingGroups");
    r.view.saw(Input::AutoScalingGroups, &list.at);
    for g in list.items() {
        let name = g
            .get_ci("AutoScalingGroupName")
            .opt_text()
            .unwrap_or_default();
        r.view.groups.push(AutoScalingGroup {
            subject: format!("auto-scaling group {name}"),
            arn: g.get_ci("AutoScalingGroupARN").opt_text(),
            at: g.at.clone(),
            min: g.get_ci("MinSize").count(),
            max: g.get_ci("MaxSize").count(),
            desired: g.get_ci("DesiredCapacity").count(),
            desired_told: Told::Live,
            subnets: comma_separated(&g.get_ci("VPCZoneIdentifier")),
            zones: g.get_ci("AvailabilityZones").text_list(),
            zones_at: g.at.key("AvailabilityZones"),
            public_ip: Field::unset(g.at.clone()),
            target_groups: g.get_ci("TargetGroupARNs").text_list(),
            health_check_type: g.get_ci("HealthCheckType").text(),
            health_check_grace: g.get_ci("HealthCheckGracePeriod").count(),
            kind: GroupKind::Ec2,
            distribution: g
                .path_ci("AvailabilityZoneDistribution.CapacityDistributionStrategy")
                .text(),
            name,
        });
    }
    Ok(())
}

/// The CLI prints a group's subnets as one comma-separated string.
fn comma_separated(zone_ids: &Node<'_>) -> Field<Vec<String>> {
    match zone_ids.text().state {
        State::Set(text) if !text.trim().is_empty() => Field::set(
            zone_ids.at.clone(),
            text.split(',').map(|s| s.trim().to_owned()).collect(),
        ),
        State::Invalid(why) => Field {
            at: zone_ids.at.clone(),
            state: State::Invalid(why),
        },
        _ => Field::unset(zone_ids.at.clone()),
    }
}

/// `aws:autoscaling/group:Group`, with the hooks written inline (`initialLifecycleHooks`).
/// The export says the group's policies and hooks are in it.
pub(crate) fn group_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    for input in [
        Input::AutoScalingGroups,
        Input::GroupPolicies,
        Input::LifecycleHooks,
    ] {
        r.view.saw(input, &res.list_at);
    }
    let name = outputs
        .get_ci("name")
        .opt_text()
        .unwrap_or(res.name.clone());
    let (desired, desired_told) = res.configured("desiredCapacity");
    let subnets = outputs.get_ci("vpcZoneIdentifiers");
    r.view.groups.push(AutoScalingGroup {
        subject: res.subject("auto-scaling group"),
        arn: outputs.get_ci("arn").opt_text(),
        at: outputs.at.clone(),
        min: outputs.get_ci("minSize").count(),
        max: outputs.get_ci("maxSize").count(),
        desired,
        desired_told,
        subnets: if subnets.exists() {
            subnets.texts()
        } else {
            Field::unset(subnets.at.clone())
        },
        zones: outputs.get_ci("availabilityZones").text_list(),
        zones_at: outputs.at.key("availabilityZones"),
        public_ip: Field::unset(outputs.at.clone()),
        target_groups: outputs.get_ci("targetGroupArns").text_list(),
        health_check_type: outputs.get_ci("healthCheckType").text(),
        health_check_grace: outputs.get_ci("healthCheckGracePeriod").count(),
        kind: GroupKind::Ec2,
        distribution: outputs
            .path_ci("availabilityZoneDistribution.capacityDistributionStrategy")
            .text(),
        name: name.clone(),
    });
    for h in outputs.get_ci("initialLifecycleHooks").items() {
        let subject = format!(
            "lifecycle hook {} of {name}",
            h.get_ci("name").opt_text().unwrap_or_default()
        );
        r.view.lifecycle_hooks.push(hook(&h, subject, name.clone()));
    }
    Ok(())
}

/// `aws autoscaling describe-lifecycle-hooks`.
pub(crate) fn hooks_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("LifecycleHooks");
    r.view.saw(Input::LifecycleHooks, &list.at);
    for h in list.items() {
        let name = h.get_ci("LifecycleHookName").opt_text().unwrap_or_default();
        let group = group_name(&h, "AutoScalingGroupName");
        r.view
            .lifecycle_hooks
            .push(hook(&h, format!("lifecycle hook {name}"), group));
    }
    Ok(())
}

/// `aws:autoscaling/lifecycleHook:LifecycleHook`.
pub(crate) fn hook_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LifecycleHooks, &res.list_at);
    let group = group_name(&res.outputs, "autoscalingGroupName");
    let hook = hook(&res.outputs, res.subject("lifecycle hook"), group);
    r.view.lifecycle_hooks.push(hook);
    Ok(())
}

/// The group a hook belongs to.
fn group_name(h: &Node<'_>, key: &str) -> String {
    h.get_ci(key).opt_text().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::node::Loc;

    #[test]
    fn a_hook_reads_the_same_from_either_format() {
        let cli = serde_json::json!({"LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "HeartbeatTimeout": 300});
        let stack = serde_json::json!({"lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeatTimeout": 300});
        let file: Arc<str> = Arc::from("f");
        let read = |v| {
            hook(
                &Node::new(v, Loc::new(&file, "")),
                String::new(),
                "g".into(),
            )
        };
        let (a, b) = (read(&cli), read(&stack));
        assert_eq!(a.transition, b.transition);
        assert_eq!(a.heartbeat.value(), Some(&300));
        assert_eq!(b.heartbeat.value(), Some(&300));
    }
}
