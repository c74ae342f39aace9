//! "Graceful shutdown": stop timeouts, a drain before the stop, the stop sequence as each
//! platform runs it, and instances drained before an auto-scaling group terminates them.
//!
//! The platforms do not share one model of shutdown, so neither do these checks:
//! - ECS deregisters a stopping task and waits its target groups' deregistration delay
//!   *before* it sends SIGTERM; stopTimeout counts from SIGTERM. The timers run one after the
//!   other: there is no ordering between them to hold.
//! - Kubernetes runs the preStop hook and (with the AWS Load Balancer Controller) the
//!   deregistration at once when a pod is deleted; SIGTERM follows the hook, and
//!   terminationGracePeriodSeconds counts from the hook's start. What the app gets after
//!   SIGTERM is the grace period minus the hook.
//! - EC2 Auto Scaling drains an instance from its target groups, then holds it in a
//!   termination lifecycle hook.

mod drain_hook;
mod gke_drain;
mod instances;
mod sequence;
mod stop_timeout;

pub use drain_hook::check_drain_hook;
pub use instances::check_instance_draining;
pub use sequence::check_shutdown_timeline;
pub use stop_timeout::check_stop_timeout;

use super::Judge;
use crate::node::State;
use crate::view::{
    Deployment, EcsContainer, EcsService, Input, KubeContainer, KubeWorkload, Launch, PreStop,
    is_api_image,
};

/// The annotation the AWS Load Balancer Controller reads target group attributes from.
pub(crate) const TG_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/target-group-attributes";
pub(crate) const DEREGISTRATION_KEY: &str = "deregistration_delay.timeout_seconds";

/// The API's containers in a pod: those running pulumi/service, else all.
pub(crate) fn api_containers(w: &KubeWorkload) -> Vec<&KubeContainer> {
    let api: Vec<&KubeContainer> = w
        .containers
        .iter()
        .filter(|c| is_api_image(&c.image))
        .collect();
    if api.is_empty() {
        w.containers.iter().collect()
    } else {
        api
    }
}

/// The API's containers of an ECS service, as the inputs give them.
pub(crate) fn ecs_containers<'a>(
    judge: &mut Judge,
    d: &'a Deployment,
    s: &EcsService,
    guideline: &str,
) -> Vec<&'a EcsContainer> {
    let Some(td) = d.task_definition_of(s) else {
        judge.missing(format!(
            "the task definition of {} ({}; {})",
            s.subject,
            s.task_definition.as_deref().unwrap_or("none named"),
            judge.source(d, Input::TaskDefinitions)
        ));
        return Vec::new();
    };
    match &td.containers.state {
        State::Set(all) => {
            let api: Vec<&EcsContainer> = all.iter().filter(|c| is_api_image(&c.image)).collect();
            if api.is_empty() {
                all.iter().collect()
            } else {
                api
            }
        }
        State::Unset => {
            judge.undecided(
                guideline,
                &td.subject,
                &td.containers.at,
                "no containerDefinitions",
            );
            Vec::new()
        }
        _ => {
            judge.unreadable(guideline, &td.subject, &td.containers);
            Vec::new()
        }
    }
}

/// The platform a check found the API on, for the note that says which rules applied.
pub(crate) fn platforms(d: &Deployment) -> Vec<String> {
    let mut on = Vec::new();
    if d.api_workloads().next().is_some() {
        on.push("Kubernetes (the API's Deployment)".to_owned());
    }
    for s in d.api_services() {
        on.push(match d.launch_of(s) {
            Launch::Fargate { spot: true } => format!("ECS on Fargate Spot ({})", s.subject),
            Launch::Fargate { spot: false } => format!("ECS on Fargate ({})", s.subject),
            Launch::Ec2 { .. } => format!("ECS on EC2 ({})", s.subject),
            Launch::Unknown => format!("ECS ({}, launch type not in the inputs)", s.subject),
        });
    }
    for g in d.api_groups() {
        on.push(format!(
            "VMs on an auto-scaling group ({}, registered in the API's target group)",
            g.subject
        ));
    }
    on
}

pub(crate) fn describe_pre_stop(p: &PreStop) -> String {
    match p {
        PreStop::Sleep(n) => format!("sleep {n} s"),
        PreStop::Exec(line) => format!("exec {line:?}"),
        PreStop::Http(path) => format!("httpGet {path}"),
    }
}

/// Whether a preStop command returns at once without waiting for anything: `true`, `:`,
/// `exit 0`, an `echo`, `sleep 0`, alone or behind a shell.
pub(crate) fn pre_stop_does_nothing(p: &PreStop) -> bool {
    match p {
        PreStop::Sleep(n) => *n == 0,
        PreStop::Http(_) => false,
        PreStop::Exec(line) => {
            let mut words: Vec<&str> = line.split_whitespace().collect();
            // `sh -c "..."`, `/bin/bash -c ...`: the command is what follows -c.
            if let Some(shell) = words.first()
                && ["sh", "bash", "ash", "dash", "zsh"]
                    .contains(&shell.rsplit('/').next().unwrap_or(shell))
                && words.get(1) == Some(&"-c")
            {
                words.drain(..2);
            }
            let script = words.join(" ");
            let script = script.trim_matches(|c| c == '"' || c == '\'');
            script
                .split(['&', ';', '|', '\n'])
                .map(str::trim)
                .filter(|cmd| !cmd.is_empty())
                .all(|cmd| {
                    let first = cmd.split_whitespace().next().unwrap_or("");
                    let first = first.rsplit('/').next().unwrap_or(first);
                    matches!(first, "true" | ":" | "echo" | "printf")
                        || cmd == "exit 0"
                        || cmd == "exit"
                        || crate::resources::kubernetes::sleep_seconds(cmd) == Some(0)
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_stop_hooks_that_return_at_once_are_told() {
        let exec = |s: &str| PreStop::Exec(s.to_owned());
        for noop in [
            "true",
            "/bin/true",
            "sh -c true",
            "sh -c exit 0",
            ":",
            "echo stopping",
            "/bin/sh -c \"echo bye; true\"",
        ] {
            assert!(pre_stop_does_nothing(&exec(noop)), "{noop}");
        }
        assert!(pre_stop_does_nothing(&PreStop::Sleep(0)));
        for waits in [
            "nginx -s quit",
            "sh -c \"echo bye; kill -QUIT 1\"",
            "/drain.sh",
        ] {
            assert!(!pre_stop_does_nothing(&exec(waits)), "{waits}");
        }
        assert!(!pre_stop_does_nothing(&PreStop::Sleep(5)));
        assert!(!pre_stop_does_nothing(&PreStop::Http("/drain".into())));
    }
}
