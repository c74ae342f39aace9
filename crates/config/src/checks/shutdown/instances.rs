//! Instances drained before an auto-scaling group terminates them: a termination lifecycle
//! hook, or a capacity provider with managed draining.

use netconform_model::Outcome;
use netconform_model::guide::{STOP_TIMEOUT_MIN, Section};

use super::super::{Judge, defaults, google_cloud, guideline, no_api, platform, secs};
use crate::node::State;
use crate::view::{AutoScalingGroup, Deployment, EcsService, Input, Launch, TERMINATING};

/// Instances drain before an auto-scaling group terminates them: a termination lifecycle hook
/// that holds them at least the stop timeout, or (ECS on EC2) a capacity provider with
/// managed draining. Fargate and Kubernetes pods have no instances of the API's to hook.
pub fn check_instance_draining(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "instances drain before they terminate",
        Section::GracefulShutdown,
    );
    let mut any = false;
    let want = STOP_TIMEOUT_MIN.as_secs();
    for g in d.api_groups() {
        any = true;
        if d.on_gcp() {
            judge_mig_draining(&mut judge, d, g, want);
        } else {
            judge_termination_hook(&mut judge, d, g, want, guideline::DRAIN_HOOKS);
        }
    }
    for s in d.api_services() {
        any = true;
        match d.launch_of(s) {
            Launch::Fargate { .. } => judge.inapplicable(format!(
                "{} runs on Fargate: there are no instances to hook; ECS drains each task itself (see 'The API drains connections before it stops')",
                s.subject
            )),
            Launch::Unknown => judge.missing(format!(
                "whether {} runs on Fargate or EC2: no launchType, capacity provider strategy or requiresCompatibilities in the inputs",
                s.subject
            )),
            Launch::Ec2 { providers } if providers.is_empty() => judge.missing(format!(
                "the auto-scaling group of {}'s container instances: it names no capacity provider ({})",
                s.subject,
                judge.source(d, Input::CapacityProviders)
            )),
            Launch::Ec2 { providers } => {
                // The stop timeout its tasks need the instance to wait for.
                let stop = d
                    .task_definition_of(s)
                    .and_then(|td| td.containers.value())
                    .and_then(|cs| {
                        cs.iter()
                            .filter_map(|c| c.stop_timeout.value().copied())
                            .max()
                    })
                    .map_or(want, |t| t.max(want));
                for name in providers {
                    judge_capacity_provider(&mut judge, d, s, &name, stop);
                }
            }
        }
    }
    if d.api_workloads().next().is_some() {
        any = true;
        judge.inapplicable(
            "the API runs in Kubernetes pods: each pod drains through its preStop hook (see 'The API drains connections before it stops'), whatever removes it",
        );
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// A managed instance group's VMs drain before it deletes them: Google Cloud delays deleting a
/// VM (autoscaling, an update, a resize) by the largest connection draining timeout of the
/// backend services it is in, so that timeout must hold the guide's stop timeout. Compute
/// Engine has no lifecycle hook: this is the window in-flight requests get.
pub(super) fn judge_mig_draining(
    judge: &mut Judge,
    d: &Deployment,
    g: &AutoScalingGroup,
    want: u64,
) {
    let services: Vec<_> = d
        .target_groups
        .iter()
        .filter(|tg| {
            tg.arn
                .as_deref()
                .is_some_and(|a| g.target_groups.iter().any(|t| t == a))
        })
        .collect();
    if services.is_empty() {
        judge.missing(format!(
            "the backend services of {} ({})",
            g.subject,
            judge.source(d, Input::TargetGroups)
        ));
        return;
    }
    let longest = services
        .iter()
        .filter_map(|tg| tg.deregistration_delay.value().map(|v| (*v, *tg)))
        .max_by_key(|(v, _)| *v);
    let expected = format!(
        ">= {} (the largest connectionDraining.drainingTimeoutSec of its backend services: how long the VM's in-flight requests get before it is deleted)",
        secs(want)
    );
    match longest {
        Some((v, tg)) if v >= want => judge.ok(
            google_cloud::CONNECTION_DRAINING,
            &g.subject,
            &tg.deregistration_delay.at,
            format!("{} on {}", secs(v), tg.subject),
            expected,
        ),
        Some((v, tg)) => judge.error(
            google_cloud::CONNECTION_DRAINING,
            &g.subject,
            &tg.deregistration_delay.at,
            format!(
                "{} on {}{}",
                secs(v),
                tg.subject,
                if v == 0 {
                    " (draining off: the VM is deleted with its requests in flight)"
                } else {
                    ""
                }
            ),
            expected,
        ),
        None => {
            for tg in services {
                judge.unreadable(
                    google_cloud::CONNECTION_DRAINING,
                    &tg.subject,
                    &tg.deregistration_delay,
                );
            }
            judge.missing(format!(
                "the connection draining timeout of the backend services of {} ({})",
                g.subject,
                judge.source(d, Input::TargetGroupAttributes)
            ));
        }
    }
}

/// An ECS capacity provider drains its instances: managed draining, else a termination hook
/// on its group.
fn judge_capacity_provider(
    judge: &mut Judge,
    d: &Deployment,
    s: &EcsService,
    name: &str,
    stop: u64,
) {
    if !d.has(Input::CapacityProviders) {
        judge.no_input(
            d,
            &format!("capacity provider {name} of {}", s.subject),
            Input::CapacityProviders,
        );
        return;
    }
    let Some(cp) = d.capacity_provider(name) else {
        judge.missing(format!(
            "capacity provider {name} of {} is in no input ({})",
            s.subject,
            judge.source(d, Input::CapacityProviders)
        ));
        return;
    };
    let draining = match &cp.managed_draining.state {
        State::Set(v) => v.clone(),
        State::Unset => defaults::MANAGED_DRAINING.to_owned(),
        _ => {
            judge.unreadable(
                platform::ECS_MANAGED_DRAINING,
                &cp.subject,
                &cp.managed_draining,
            );
            return;
        }
    };
    let shown = if cp.managed_draining.is_unset() {
        format!("managedDraining not set (AWS default {draining})")
    } else {
        format!("managedDraining {draining}")
    };
    if draining.eq_ignore_ascii_case("ENABLED") {
        judge.ok(
            platform::ECS_MANAGED_DRAINING,
            &cp.subject,
            &cp.managed_draining.at,
            shown,
            "managedDraining ENABLED, or a termination lifecycle hook on its group",
        );
        return;
    }
    match cp.group.as_deref().and_then(|g| d.group(g)) {
        Some(g) => judge_termination_hook(judge, d, g, stop, guideline::DRAIN_HOOKS),
        None => judge.error(
            platform::ECS_MANAGED_DRAINING,
            &cp.subject,
            &cp.managed_draining.at,
            format!(
                "{shown}, and its auto-scaling group ({}) is in no input to show a termination hook",
                cp.group.as_deref().unwrap_or("unnamed")
            ),
            "managedDraining ENABLED, or a termination lifecycle hook on its group",
        ),
    }
}

/// A group has a termination lifecycle hook whose heartbeat is at least `want` seconds.
fn judge_termination_hook(
    judge: &mut Judge,
    d: &Deployment,
    g: &AutoScalingGroup,
    want: u64,
    guideline: &str,
) {
    if !d.has(Input::LifecycleHooks) {
        judge.no_input(
            d,
            &format!("the lifecycle hooks of {}", g.subject),
            Input::LifecycleHooks,
        );
        return;
    }
    let scale_set = super::super::azure::is_scale_set(g);
    let expected = if scale_set {
        format!(
            "a terminate notification (virtualMachineProfile.scheduledEventsProfile.terminateNotificationProfile) with notBeforeTimeout of at least {} (the stop timeout)",
            secs(want)
        )
    } else {
        format!(
            "a lifecycle hook on {TERMINATING} with a heartbeat of at least {} (the stop timeout)",
            secs(want)
        )
    };
    let hooks: Vec<_> = d
        .hooks_of(g)
        .into_iter()
        .filter(|h| h.transition == TERMINATING)
        .collect();
    if hooks.is_empty() {
        let at = d
            .list_of(Input::LifecycleHooks)
            .cloned()
            .unwrap_or_else(|| g.at.clone());
        let actual = if scale_set {
            "no terminate notification: a scale-in deletes the instance without giving the app its stop timeout"
        } else {
            "no termination lifecycle hook: a scale-in terminates the instance right after its deregistration delay"
        };
        judge.error(guideline, &g.subject, &at, actual, expected);
        return;
    }
    for h in hooks {
        judge.value(
            guideline,
            &h.subject,
            &h.heartbeat,
            Some((defaults::LIFECYCLE_HEARTBEAT, "EC2 Auto Scaling")),
            &expected,
            |n| *n >= want,
        );
    }
}

/// A managed instance group's VMs get the guide's stop timeout when Google Cloud deletes them:
/// graceful shutdown enabled in their instance template, for at least `want` seconds
/// (`maxDuration`, 10 minutes when not set). Without it the guest OS gets Compute Engine's
/// short shutdown time, and the container's own stop timeout is in the VM's startup script or
/// runtime, which no input gives: not checked, saying so.
pub(super) fn judge_mig_shutdown(
    judge: &mut Judge,
    d: &Deployment,
    g: &AutoScalingGroup,
    want: u64,
) {
    let Some(s) = d
        .vm_shutdowns
        .iter()
        .find(|s| g.arn.as_deref() == Some(s.group.as_str()))
    else {
        if d.has(Input::GcpInstanceTemplates) {
            judge.missing(format!(
                "the instance template of {}: none of the templates read is its",
                g.subject
            ));
        } else {
            judge.no_input(
                d,
                &format!("the instance template of {}", g.subject),
                Input::GcpInstanceTemplates,
            );
        }
        return;
    };
    let subject = format!("{} ({})", g.subject, s.template);
    match &s.enabled.state {
        State::Set(true) => {
            judge.value(
                google_cloud::GCE_GRACEFUL_SHUTDOWN,
                &subject,
                &s.max_duration,
                Some((GCE_GRACEFUL_SHUTDOWN_DEFAULT, "Compute Engine")),
                &format!(
                    ">= {want} (scheduling.gracefulShutdown.maxDuration.seconds: how long the VM's guest OS, and the API's container in it, get to stop)"
                ),
                |n| *n >= want,
            );
        }
        State::Set(false) | State::Unset => judge.missing(format!(
            "how long the API's container on the VMs of {} gets to stop: {} enables no graceful shutdown (scheduling.gracefulShutdown), so the guest OS gets Compute Engine's short shutdown time, and the container runtime's own stop timeout is in the VM's startup script, which no input gives (the connection draining before the VM is deleted is in 'Instances drain before they terminate')",
            g.subject, s.template
        )),
        _ => judge.unreadable(google_cloud::GCE_GRACEFUL_SHUTDOWN, &subject, &s.enabled),
    }
}

/// Compute Engine's shutdown period when graceful shutdown is enabled without a maxDuration:
/// 10 minutes ("Graceful shutdown overview").
const GCE_GRACEFUL_SHUTDOWN_DEFAULT: u64 = 600;
