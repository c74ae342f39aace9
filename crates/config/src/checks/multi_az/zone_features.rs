//! What AWS added since the guide to how a spread over zones holds up, in the multi-AZ
//! rules' evidence: ECS Availability Zone rebalancing, an auto-scaling group's Availability
//! Zone distribution, a load balancer's zonal shift and its target groups' health thresholds.
//! None of them fails the guide's rule on its own.

use netconform_model::guide::{MIN_AVAILABILITY_ZONES, MIN_INSTANCES};

use super::super::{Judge, platform};
use super::zones;
use crate::node::State;
use crate::view::{AutoScalingGroup, Deployment, EcsService, GroupKind, LoadBalancer};

/// An ECS service spread over zones: whether ECS restores the spread after a zone's
/// disruption (`availabilityZoneRebalancing`). DISABLED is reported, never failed: the guide
/// asks for subnets in several zones, which the service has; AWS offers rebalancing as the way
/// to even the tasks out again, not as a condition of the spread.
pub(super) fn judge_rebalancing(judge: &mut Judge, d: &Deployment, s: &EcsService) {
    let spread = s
        .subnets
        .value()
        .and_then(|ids| zones(d, ids).ok())
        .is_some_and(|z| z.len() >= MIN_AVAILABILITY_ZONES as usize);
    if !spread {
        return;
    }
    let field = &s.az_rebalancing;
    let expected = "ENABLED (ECS moves tasks back into a zone once it recovers)";
    match &field.state {
        State::Set(v) if v.eq_ignore_ascii_case("ENABLED") => judge.ok(
            platform::ECS_AZ_REBALANCING,
            &s.subject,
            &field.at,
            "ENABLED: ECS evens the tasks out over its zones again after a zone's disruption",
            expected,
        ),
        State::Set(v) if !v.is_empty() => judge.warn(
            platform::ECS_AZ_REBALANCING,
            &s.subject,
            &field.at,
            format!(
                "{v}: after a zone's disruption the tasks ECS replaced in the other zones stay there until the next deployment"
            ),
            expected,
        ),
        State::Set(_) | State::Unset => {}
        State::Secret | State::Invalid(_) => {
            judge.unreadable(platform::ECS_AZ_REBALANCING, &s.subject, field)
        }
    }
}

/// An EC2 auto-scaling group spread over zones: its Availability Zone distribution strategy,
/// in the evidence. Both balanced strategies keep the group in every enabled zone, so neither
/// fails the guide's rule; `balanced-only` keeps launching into a failed zone instead of the
/// others, which AWS calls sound when the other zones hold enough capacity: a warning when they
/// would hold fewer than the guide's minimum. `reservations-then-balanced` puts reservations
/// before the even spread: a warning (AWS EC2 Auto Scaling user guide, "Auto Scaling group
/// Availability Zone distribution").
pub(super) fn judge_distribution(judge: &mut Judge, d: &Deployment, g: &AutoScalingGroup) {
    if g.kind != GroupKind::Ec2 {
        return;
    }
    let Some(zones) = g.subnets.value().and_then(|ids| zones(d, ids).ok()) else {
        return;
    };
    if zones.len() < MIN_AVAILABILITY_ZONES as usize {
        return;
    }
    let field = &g.distribution;
    let expected =
        "balanced-best-effort, or balanced-only with enough capacity outside any one zone";
    let strategy = match &field.state {
        State::Set(v) if !v.is_empty() => v.clone(),
        State::Set(_) | State::Unset => {
            let shown = "not set (AWS default balanced-best-effort): launches that fail in a zone go to the group's other zones";
            judge.ok(
                platform::ASG_AZ_DISTRIBUTION,
                &g.subject,
                &field.at,
                shown,
                expected,
            );
            return;
        }
        State::Secret | State::Invalid(_) => {
            judge.unreadable(platform::ASG_AZ_DISTRIBUTION, &g.subject, field);
            return;
        }
    };
    let running = g.desired.value().or(g.min.value()).copied();
    match (strategy.as_str(), running) {
        ("balanced-best-effort", _) => judge.ok(
            platform::ASG_AZ_DISTRIBUTION,
            &g.subject,
            &field.at,
            "balanced-best-effort: launches that fail in a zone go to the group's other zones",
            expected,
        ),
        ("balanced-only", Some(n)) => {
            // Balanced over the zones: the fullest zone holds n / zones, rounded up.
            let count = zones.len() as u64;
            let left = n - n.div_ceil(count);
            let actual = format!(
                "balanced-only: when a zone fails the group keeps launching into it; {left} of its {n} instance(s) stay in the other zones"
            );
            if left >= u64::from(MIN_INSTANCES) {
                judge.ok(
                    platform::ASG_AZ_DISTRIBUTION,
                    &g.subject,
                    &field.at,
                    actual,
                    expected,
                );
            } else {
                judge.warn(
                    platform::ASG_AZ_DISTRIBUTION,
                    &g.subject,
                    &field.at,
                    format!("{actual}, under the guide's {MIN_INSTANCES}"),
                    expected,
                );
            }
        }
        (other, _) => judge.warn(
            platform::ASG_AZ_DISTRIBUTION,
            &g.subject,
            &field.at,
            format!("{other}: the even spread over zones is not what the group keeps first"),
            expected,
        ),
    }
}

/// Where a zone attribute is written, for a note.
fn place(value: &crate::node::Field<String>) -> String {
    format!("{}: {}", value.at.file, value.at.path)
}

/// A load balancer's zonal shift, in the evidence: no rule of the guide asks for it.
pub(super) fn note_zonal_shift(judge: &mut Judge, d: &Deployment, lb: &LoadBalancer) {
    for a in d
        .zone_attributes
        .iter()
        .filter(|a| a.owner == lb.subject && a.key == "zonal_shift.config.enabled")
    {
        let on = a
            .value
            .value()
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        judge.note(format!(
            "{}: zonal shift {} ({} = {}); {}",
            lb.subject,
            if on { "enabled" } else { "not enabled" },
            place(&a.value),
            a.value.value().cloned().unwrap_or_default(),
            platform::ZONAL_SHIFT
        ));
    }
}

/// The API's target groups' health thresholds, in the evidence: they decide when a zone's
/// load balancer addresses leave DNS, which is how a zone's failure looks from outside.
pub(super) fn note_target_group_health(judge: &mut Judge, d: &Deployment) {
    let api: Vec<&str> = d
        .api_target_groups()
        .iter()
        .map(|tg| tg.subject.as_str())
        .collect();
    let set: Vec<String> = d
        .zone_attributes
        .iter()
        .filter(|a| a.key.starts_with("target_group_health.") && api.contains(&a.owner.as_str()))
        .map(|a| {
            format!(
                "{}: {} = {} ({})",
                a.owner,
                a.key,
                a.value.value().cloned().unwrap_or_default(),
                place(&a.value)
            )
        })
        .collect();
    if !set.is_empty() {
        judge.note(format!(
            "target group health thresholds: {}; {}",
            set.join("; "),
            platform::TARGET_GROUP_HEALTH
        ));
    }
}
