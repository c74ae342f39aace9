//! "Auto-scaling": a CPU target of 50-60 %, at least two instances, room for four times the
//! desired count.

use netconform_model::Outcome;
use netconform_model::guide::{
    CPU_TARGET_MAX_PERCENT, CPU_TARGET_MIN_PERCENT, MAX_INSTANCES_FACTOR, MIN_INSTANCES, Section,
};

use super::azure::{CPU_METRIC, is_scale_set};
use super::{Judge, defaults, guideline, no_api};
use crate::node::Loc;
use crate::view::{AutoScalingGroup, EcsService, Input, KubeWorkload, ScalingPolicy};
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
        cpu_target_of_workload(&mut judge, d, w);
    }
    for g in d.api_groups() {
        any = true;
        let policies = d.group_policies(g);
        let scaled = if is_scale_set(g) {
            Scaled {
                subject: &g.subject,
                at: &g.at,
                input: Input::GroupPolicies,
                metric: CPU_METRIC,
                policy: "autoscale setting with a scale-out rule",
            }
        } else {
            Scaled {
                subject: &g.subject,
                at: &g.at,
                input: Input::GroupPolicies,
                metric: if d.on_gcp() {
                    crate::resources::autoscaling::gcp::GCE_CPU_METRIC
                } else {
                    ASG_CPU_METRIC
                },
                policy: TARGET_TRACKING,
            }
        };
        cpu_target_of_policies(&mut judge, d, &scaled, policies);
    }
    for s in d.api_services() {
        any = true;
        let policies = d.scaling_policies_of(s);
        let scaled = Scaled {
            subject: &s.subject,
            at: &s.at,
            input: Input::ScalingPolicies,
            metric: ECS_CPU_METRIC,
            policy: TARGET_TRACKING,
        };
        cpu_target_of_policies(&mut judge, d, &scaled, policies);
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// Kubernetes: an HPA on CPU utilization.
fn cpu_target_of_workload(judge: &mut Judge, d: &Deployment, w: &KubeWorkload) {
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

/// What scales through target-tracking policies (an ECS service, an auto-scaling group): its
/// subject and place, the input its policies come from and the CPU metric they track.
struct Scaled<'a> {
    subject: &'a str,
    at: &'a Loc,
    input: Input,
    metric: &'a str,
    /// What scales it ("target-tracking policy").
    policy: &'a str,
}

const TARGET_TRACKING: &str = "target-tracking policy";

/// ECS and EC2 Auto Scaling: a target-tracking policy on the platform's CPU metric.
fn cpu_target_of_policies(
    judge: &mut Judge,
    d: &Deployment,
    scaled: &Scaled<'_>,
    policies: Vec<&ScalingPolicy>,
) {
    if !d.has(scaled.input) {
        judge.no_input(
            d,
            &format!("the scaling policies of {}", scaled.subject),
            scaled.input,
        );
        return;
    }
    let cpu: Vec<_> = policies
        .into_iter()
        .filter(|p| p.metric.as_deref() == Some(scaled.metric))
        .collect();
    if cpu.is_empty() {
        let at = d
            .list_of(scaled.input)
            .cloned()
            .unwrap_or_else(|| scaled.at.clone());
        judge.error(
            guideline::CPU_TARGET,
            scaled.subject,
            &at,
            format!("no {} on {}", scaled.policy, scaled.metric),
            format!(
                "a {} on {} at {}",
                scaled.policy,
                scaled.metric,
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

/// Minimum at least two, maximum at least four times the desired count.
pub fn check_scaling_bounds(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the API scales between 2 and 4x its desired count",
        Section::AutoScaling,
    );
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        bounds_of_workload(&mut judge, d, w);
    }
    for s in d.api_services() {
        any = true;
        bounds_of_service(&mut judge, d, s);
    }
    for g in d.api_groups() {
        any = true;
        bounds_of_group(&mut judge, g);
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

fn min_expected() -> String {
    format!(">= {MIN_INSTANCES}")
}

fn enough(n: &u64) -> bool {
    *n >= u64::from(MIN_INSTANCES)
}

/// Kubernetes: the HPA's minReplicas, and its maxReplicas against the configured replicas.
fn bounds_of_workload(judge: &mut Judge, d: &Deployment, w: &KubeWorkload) {
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
            &min_expected(),
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

/// ECS: the scalable target's MinCapacity, and its MaxCapacity against desiredCount.
fn bounds_of_service(judge: &mut Judge, d: &Deployment, s: &EcsService) {
    if !d.has(Input::ScalableTargets) {
        judge.no_input(
            d,
            &format!("the scalable target of {}", s.subject),
            Input::ScalableTargets,
        );
        return;
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
            &min_expected(),
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

/// VMs: the group's MinSize, and its MaxSize against its desired capacity.
fn bounds_of_group(judge: &mut Judge, g: &AutoScalingGroup) {
    let min = judge.value(
        guideline::MIN_INSTANCES,
        &g.subject,
        &g.min,
        None,
        &min_expected(),
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
