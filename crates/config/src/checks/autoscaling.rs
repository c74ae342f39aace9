//! "Auto-scaling": a CPU target of 50-60 %, at least two instances, room for four times the
//! desired count.

use netconform_model::Outcome;
use netconform_model::guide::{
    CPU_TARGET_MAX_PERCENT, CPU_TARGET_MIN_PERCENT, MAX_INSTANCES_FACTOR, MIN_INSTANCES, Section,
};

use super::{Judge, defaults, guideline, no_api};
use crate::view::Input;
use crate::{Deployment, State};

/// The metric ECS target tracking uses for CPU.
const ECS_CPU_METRIC: &str = "ECSServiceAverageCPUUtilization";
/// The metric EC2 Auto Scaling target tracking uses for CPU.
const ASG_CPU_METRIC: &str = "ASGAverageCPUUtilization";

fn cpu_expected() -> String {
    format!("{CPU_TARGET_MIN_PERCENT}-{CPU_TARGET_MAX_PERCENT} %")
}

fn in_range(v: &f64) -> bool {
    *v >= f64::from(CPU_TARGET_MIN_PERCENT) && *v <= f64::from(CPU_TARGET_MAX_PERCENT)
}

/// The API scales on average CPU with a target of 50-60 %.
pub fn check_cpu_target(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API scales on CPU at 50-60 %", Section::AutoScaling);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let hpas = d.hpas_of(w);
        if hpas.is_empty() {
            judge.error(
                guideline::CPU_TARGET,
                &w.subject,
                &w.at,
                "no HorizontalPodAutoscaler targets it",
                format!("an HPA on CPU utilization at {}", cpu_expected()),
            );
        }
        for hpa in hpas {
            if hpa.cpu.is_unset() {
                judge.error(
                    guideline::CPU_TARGET,
                    &hpa.subject,
                    &hpa.cpu.at,
                    "no CPU utilization target",
                    format!(
                        "a Resource metric on cpu, averageUtilization {}",
                        cpu_expected()
                    ),
                );
            } else {
                judge.value(
                    guideline::CPU_TARGET,
                    &hpa.subject,
                    &hpa.cpu,
                    None,
                    &cpu_expected(),
                    in_range,
                );
            }
        }
    }
    for g in d.api_groups() {
        any = true;
        if !d.has(Input::GroupPolicies) {
            judge.no_input(
                d,
                &format!("the scaling policies of {}", g.subject),
                Input::GroupPolicies,
            );
            continue;
        }
        let cpu: Vec<_> = d
            .group_policies(g)
            .into_iter()
            .filter(|p| p.metric.as_deref() == Some(ASG_CPU_METRIC))
            .collect();
        if cpu.is_empty() {
            let at = d
                .list_of(Input::GroupPolicies)
                .cloned()
                .unwrap_or_else(|| g.at.clone());
            judge.error(
                guideline::CPU_TARGET,
                &g.subject,
                &at,
                format!("no target-tracking policy on {ASG_CPU_METRIC}"),
                format!(
                    "a target-tracking policy on {ASG_CPU_METRIC} at {}",
                    cpu_expected()
                ),
            );
        }
        for p in cpu {
            judge.value(
                guideline::CPU_TARGET,
                &p.subject,
                &p.target,
                None,
                &cpu_expected(),
                in_range,
            );
        }
    }
    for s in d.api_services() {
        any = true;
        if !d.has(Input::ScalingPolicies) {
            judge.no_input(
                d,
                &format!("the scaling policies of {}", s.subject),
                Input::ScalingPolicies,
            );
            continue;
        }
        let cpu: Vec<_> = d
            .scaling_policies_of(s)
            .into_iter()
            .filter(|p| p.metric.as_deref() == Some(ECS_CPU_METRIC))
            .collect();
        if cpu.is_empty() {
            let at = d
                .list_of(Input::ScalingPolicies)
                .cloned()
                .unwrap_or_else(|| s.at.clone());
            judge.error(
                guideline::CPU_TARGET,
                &s.subject,
                &at,
                format!("no target-tracking policy on {ECS_CPU_METRIC}"),
                format!(
                    "a target-tracking policy on {ECS_CPU_METRIC} at {}",
                    cpu_expected()
                ),
            );
        }
        for p in cpu {
            judge.value(
                guideline::CPU_TARGET,
                &p.subject,
                &p.target,
                None,
                &cpu_expected(),
                in_range,
            );
        }
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// Minimum at least two, maximum at least four times the desired count.
pub fn check_scaling_bounds(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the API scales between 2 and 4x its desired count",
        Section::AutoScaling,
    );
    let min_expected = format!(">= {MIN_INSTANCES}");
    let enough = |n: &u64| *n >= u64::from(MIN_INSTANCES);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let hpas = d.hpas_of(w);
        if hpas.is_empty() {
            judge.error(
                guideline::MAX_INSTANCES,
                &w.subject,
                &w.at,
                "no HorizontalPodAutoscaler targets it: it never scales",
                format!("an HPA with minReplicas >= {MIN_INSTANCES} and maxReplicas >= {MAX_INSTANCES_FACTOR}x replicas"),
            );
        }
        for hpa in hpas {
            let min = judge.value(
                guideline::MIN_INSTANCES,
                &hpa.subject,
                &hpa.min,
                Some((defaults::KUBERNETES_REPLICAS, "Kubernetes")),
                &min_expected,
                enough,
            );
            // The desired count: the workload's replicas as configured, else the HPA's minimum.
            let desired = match w.replicas.value() {
                Some(n) => Some((*n, format!("{n} desired{}", w.replicas_told.note()))),
                None => min.map(|n| {
                    (
                        n,
                        format!("{n} desired: the HPA's minReplicas, as spec.replicas is not set"),
                    )
                }),
            };
            match desired {
                Some((desired, told)) => {
                    let want = desired * u64::from(MAX_INSTANCES_FACTOR);
                    judge.value(
                        guideline::MAX_INSTANCES,
                        &hpa.subject,
                        &hpa.max,
                        None,
                        &format!(">= {want} ({MAX_INSTANCES_FACTOR} x {told})"),
                        |max| *max >= want,
                    );
                }
                None => judge.undecided(
                    guideline::MAX_INSTANCES,
                    &hpa.subject,
                    &hpa.max.at,
                    "the desired count is not known",
                ),
            }
        }
    }
    for s in d.api_services() {
        any = true;
        if !d.has(Input::ScalableTargets) {
            judge.no_input(
                d,
                &format!("the scalable target of {}", s.subject),
                Input::ScalableTargets,
            );
            continue;
        }
        let targets = d.scalable_targets_of(s);
        if targets.is_empty() {
            let at = d
                .list_of(Input::ScalableTargets)
                .cloned()
                .unwrap_or_else(|| s.at.clone());
            judge.error(
                guideline::MIN_INSTANCES,
                &s.subject,
                &at,
                "no scalable target: it never scales",
                format!("a scalable target with MinCapacity >= {MIN_INSTANCES} and MaxCapacity >= {MAX_INSTANCES_FACTOR}x desiredCount"),
            );
        }
        for t in targets {
            judge.value(
                guideline::MIN_INSTANCES,
                &t.subject,
                &t.min,
                None,
                &min_expected,
                enough,
            );
            match &s.desired.state {
                State::Set(desired) => {
                    let want = desired * u64::from(MAX_INSTANCES_FACTOR);
                    judge.value(
                        guideline::MAX_INSTANCES,
                        &t.subject,
                        &t.max,
                        None,
                        &format!(
                            ">= {want} ({MAX_INSTANCES_FACTOR} x desiredCount {desired}{})",
                            s.desired_told.note()
                        ),
                        |max| *max >= want,
                    );
                }
                _ => judge.missing(format!("the desired count of {}", s.subject)),
            }
        }
    }
    for g in d.api_groups() {
        any = true;
        let min = judge.value(
            guideline::MIN_INSTANCES,
            &g.subject,
            &g.min,
            None,
            &min_expected,
            enough,
        );
        // Without a desired capacity the group starts at its minimum.
        let desired = match g.desired.value() {
            Some(n) => Some((*n, format!("DesiredCapacity {n}{}", g.desired_told.note()))),
            None if g.desired.is_unset() => {
                min.map(|n| (n, format!("{n}: MinSize, as no desired capacity is set")))
            }
            None => None,
        };
        match desired {
            Some((desired, told)) => {
                let want = desired * u64::from(MAX_INSTANCES_FACTOR);
                judge.value(
                    guideline::MAX_INSTANCES,
                    &g.subject,
                    &g.max,
                    None,
                    &format!(">= {want} ({MAX_INSTANCES_FACTOR} x {told})"),
                    |max| *max >= want,
                );
            }
            None => judge.unreadable(guideline::MAX_INSTANCES, &g.subject, &g.desired),
        }
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}
