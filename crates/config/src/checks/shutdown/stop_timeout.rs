//! The stop timeout: each platform's own setting for how long the API gets after SIGTERM.

use netconform_model::Outcome;
use netconform_model::guide::{STOP_TIMEOUT_MIN, Section, TERMINATION_GRACE_PERIOD};

use super::super::{Judge, defaults, guideline, no_api, platform};
use super::ecs_containers;
use crate::view::{Deployment, Launch};

/// Container stop timeout of at least 120 s (ECS, at most 120 on Fargate),
/// terminationGracePeriodSeconds of at least 130 s (Kubernetes).
pub fn check_stop_timeout(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the API's containers get 120 s to stop",
        Section::GracefulShutdown,
    );
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let want = TERMINATION_GRACE_PERIOD.as_secs();
        judge.value(
            guideline::TERMINATION_GRACE,
            &w.subject,
            &w.grace,
            Some((defaults::KUBERNETES_GRACE, "Kubernetes")),
            &format!(">= {want}"),
            |g| *g >= want,
        );
    }
    for s in d.api_services() {
        any = true;
        let want = STOP_TIMEOUT_MIN.as_secs();
        let fargate = matches!(d.launch_of(s), Launch::Fargate { .. });
        for c in ecs_containers(&mut judge, d, s, guideline::STOP_TIMEOUT) {
            let subject = format!("container {} of {}", c.name, s.subject);
            let max = defaults::FARGATE_MAX_STOP_TIMEOUT;
            if fargate && c.stop_timeout.value().is_some_and(|t| *t > max) {
                let t = c.stop_timeout.value().copied().unwrap_or_default();
                judge.error(
                    platform::FARGATE_STOP_TIMEOUT,
                    &subject,
                    &c.stop_timeout.at,
                    format!(
                        "{t}: above Fargate's maximum of {max} s, so ECS refuses this task definition"
                    ),
                    format!("{max} (the guide's minimum is Fargate's maximum)"),
                );
                continue;
            }
            let expected = if fargate {
                format!("{want} (the guide's minimum, Fargate's maximum)")
            } else {
                format!(">= {want}")
            };
            judge.value(
                guideline::STOP_TIMEOUT,
                &subject,
                &c.stop_timeout,
                Some((defaults::ECS_STOP_TIMEOUT, "ECS")),
                &expected,
                |t| *t >= want,
            );
        }
    }
    for g in d.api_groups() {
        any = true;
        if d.on_gcp() {
            super::instances::judge_mig_shutdown(&mut judge, d, g, STOP_TIMEOUT_MIN.as_secs());
            continue;
        }
        judge.missing(format!(
            "the container stop timeout on the instances of {}: it is set by their launch template's user data or container runtime, which no input gives (the termination hook that gives them time is in 'Instances drain before they terminate')",
            g.subject
        ));
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}
