//! A drain before the stop: a preStop hook that waits (Kubernetes), a deregistration delay
//! on the target groups (ECS, VMs).

use netconform_model::Outcome;
use netconform_model::guide::Section;

use super::super::{Judge, defaults, guideline, no_api};
use super::{api_containers, describe_pre_stop, pre_stop_does_nothing};
use crate::node::State;
use crate::view::{Deployment, Input, TargetGroup};

/// A deregistration delay above 0 on each target group, unset meaning the AWS default (a
/// finding: the guide asks for it to be configured).
fn judge_deregistration(judge: &mut Judge, d: &Deployment, groups: &[&TargetGroup]) {
    for tg in groups {
        let expected = "set, above 0 (seconds the load balancer lets in-flight requests finish)";
        match &tg.deregistration_delay.state {
            State::Unset if !d.has(Input::TargetGroupAttributes) => judge.no_input(
                d,
                &format!("the attributes of {}", tg.subject),
                Input::TargetGroupAttributes,
            ),
            State::Unset if !tg.attributes_read => judge.missing(format!(
                "the attributes of {}: no attributes file names it ({})",
                tg.subject,
                judge.source(d, Input::TargetGroupAttributes)
            )),
            State::Unset => judge.error(
                guideline::ECS_DRAIN,
                &tg.subject,
                &tg.deregistration_delay.at,
                format!("not set (AWS default {} s)", defaults::DEREGISTRATION_DELAY),
                expected,
            ),
            _ => {
                judge.value(
                    guideline::ECS_DRAIN,
                    &tg.subject,
                    &tg.deregistration_delay,
                    None,
                    expected,
                    |n| *n > 0,
                );
            }
        }
    }
}

/// A preStop hook that waits on the API's containers (Kubernetes); a deregistration delay on
/// the API's target groups (ECS, VMs).
pub fn check_drain_hook(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API drains before it stops", Section::GracefulShutdown);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        for c in api_containers(w) {
            let subject = format!("container {} of {}", c.name, w.subject);
            let expected = "a preStop hook that waits (e.g. sleep) while the load balancer deregisters the pod";
            match &c.pre_stop.state {
                State::Set(p) if pre_stop_does_nothing(p) => judge.error(
                    guideline::DRAIN_HOOKS,
                    &subject,
                    &c.pre_stop.at,
                    format!(
                        "{}: returns at once, so SIGTERM comes while the load balancer still sends requests",
                        describe_pre_stop(p)
                    ),
                    expected,
                ),
                State::Set(p) => judge.ok(
                    guideline::DRAIN_HOOKS,
                    &subject,
                    &c.pre_stop.at,
                    describe_pre_stop(p),
                    expected,
                ),
                State::Unset => judge.error(
                    guideline::DRAIN_HOOKS,
                    &subject,
                    &c.pre_stop.at,
                    "not set (SIGTERM arrives while the load balancer still sends requests)",
                    expected,
                ),
                _ => judge.unreadable(guideline::DRAIN_HOOKS, &subject, &c.pre_stop),
            }
        }
    }
    super::gke_drain::judge_gke_draining(&mut judge, d);
    // AKS behind AGIC: the gateway's connection draining, as the Ingress's annotations set it.
    super::super::azure::judge_agic_draining(&mut judge, d);
    for s in d.api_services() {
        any = true;
        if !d.has(Input::TargetGroups) {
            judge.no_input(
                d,
                &format!("the target groups of {}", s.subject),
                Input::TargetGroups,
            );
            continue;
        }
        let groups = d.target_groups_of(s);
        if groups.is_empty() {
            judge.missing(format!(
                "{} registers with no target group in the inputs ({})",
                s.subject,
                if s.target_groups.is_empty() {
                    "it names none".to_owned()
                } else {
                    s.target_groups.join(", ")
                }
            ));
        }
        judge_deregistration(&mut judge, d, &groups);
    }
    let groups = d.api_groups();
    if !groups.is_empty() {
        any = true;
        let tgs: Vec<&TargetGroup> = d
            .api_target_groups()
            .into_iter()
            .filter(|tg| {
                tg.arn.as_deref().is_some_and(|a| {
                    groups
                        .iter()
                        .any(|g| g.target_groups.iter().any(|t| t == a))
                })
            })
            .collect();
        judge_deregistration(&mut judge, d, &tgs);
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}
