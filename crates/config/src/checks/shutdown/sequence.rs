//! The stop sequence as each platform runs it, timer by timer: what the API is left after
//! SIGTERM, and what runs beside or before it.

use netconform_model::Outcome;
use netconform_model::guide::{STOP_TIMEOUT_MIN, Section};

use super::super::load_balancer::{api_deregistration_delay, api_target_type};
use super::super::{Judge, defaults, google_cloud, no_api, platform, secs};
use super::{
    DEREGISTRATION_KEY, TG_ATTRIBUTES, api_containers, describe_pre_stop, ecs_containers,
    platforms, pre_stop_does_nothing,
};
use crate::node::{Field, Loc, State};
use crate::view::{
    AutoScalingGroup, Deployment, EcsService, Ingress, Input, KubeWorkload, Launch, PreStop,
    TERMINATING, TargetGroup,
};

/// A timer of the stop sequence, or why it is not known.
struct Timer {
    name: &'static str,
    secs: u64,
    at: Loc,
    /// "not set: AWS default" when the value is a default.
    note: Option<String>,
}

impl Timer {
    /// The timer a field gives (`default` when unset); `Ok(None)` when unset without a
    /// default, `Err` when it cannot be read.
    fn from(
        name: &'static str,
        field: &Field<u64>,
        default: Option<(u64, &str)>,
    ) -> Result<Option<Timer>, String> {
        match (&field.state, default) {
            (State::Set(n), _) => Ok(Some(Timer {
                name,
                secs: *n,
                at: field.at.clone(),
                note: None,
            })),
            (State::Unset, Some((d, whose))) => Ok(Some(Timer {
                name,
                secs: d,
                at: field.at.clone(),
                note: Some(format!("not set: {whose} default")),
            })),
            (State::Unset, None) => Ok(None),
            (State::Secret, _) => Err(format!("{name} at {} is a secret", field.at)),
            (State::Invalid(why), _) => Err(format!("{name} at {}: {why}", field.at)),
        }
    }

    fn show(&self) -> String {
        match &self.note {
            Some(note) => format!("{} {} ({note})", self.name, secs(self.secs)),
            None => format!("{} {}", self.name, secs(self.secs)),
        }
    }
}

const PRE_STOP: &str = "preStop sleep";
const DEREGISTRATION: &str = "deregistration delay";
const STOP: &str = "stop timeout";
const GRACE: &str = "terminationGracePeriodSeconds";
const HEARTBEAT: &str = "termination hook heartbeat";

/// The longest deregistration delay of `groups` (the one a stop waits for), or why none is
/// known.
fn longest_drain(judge: &mut Judge, groups: &[&TargetGroup]) -> Option<Timer> {
    let mut drains: Vec<Timer> = Vec::new();
    for tg in groups {
        let default = tg
            .attributes_read
            .then_some((defaults::DEREGISTRATION_DELAY, "AWS"));
        match Timer::from(DEREGISTRATION, &tg.deregistration_delay, default) {
            Ok(t) => drains.extend(t),
            Err(why) => judge.undecided(
                platform::ECS_STOP_SEQUENCE,
                &tg.subject,
                &tg.deregistration_delay.at,
                why,
            ),
        }
    }
    drains.into_iter().max_by_key(|t| t.secs)
}

/// Kubernetes: the preStop hook and the deregistration start together; the app gets the grace
/// period minus the hook after SIGTERM, which must be at least the guide's stop timeout.
fn judge_kubernetes_sequence(judge: &mut Judge, d: &Deployment, w: &KubeWorkload) {
    let want = STOP_TIMEOUT_MIN.as_secs();
    let grace = match Timer::from(
        GRACE,
        &w.grace,
        Some((defaults::KUBERNETES_GRACE, "Kubernetes")),
    ) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(why) => {
            judge.undecided(
                platform::KUBERNETES_TERMINATION,
                &w.subject,
                &w.grace.at,
                why,
            );
            return;
        }
    };
    let Some(hook) = longest_hook(judge, w, &grace) else {
        return;
    };
    let sleep = hook.as_ref().map_or(0, |h| h.secs);
    let left = grace.secs.saturating_sub(sleep);
    let line = match &hook {
        Some(h) => format!(
            "{} ({}) runs first; SIGTERM comes after it, SIGKILL at {}: the app gets {} after SIGTERM",
            h.show(),
            h.at,
            grace.show(),
            secs(left)
        ),
        None => format!(
            "no preStop sleep: SIGTERM at once, SIGKILL at {}: the app gets {}",
            grace.show(),
            secs(left)
        ),
    };
    let expected = format!(
        "terminationGracePeriodSeconds - preStop sleep >= {} (the guide's stop timeout; its 130 s leaves room for a 10 s sleep)",
        secs(want)
    );
    if left >= want {
        judge.ok(
            platform::KUBERNETES_TERMINATION,
            &w.subject,
            &grace.at,
            line,
            expected,
        );
    } else {
        judge.error(
            platform::KUBERNETES_TERMINATION,
            &w.subject,
            &grace.at,
            line,
            expected,
        );
    }
    judge_drain_beside_hook(judge, d, w, hook.as_ref());
    judge_agic_drain(judge, d, w, hook.as_ref(), &grace);
    if d.on_gcp() {
        judge_neg_drain_beside_hook(judge, d, hook.as_ref());
    }
}

/// GKE: the API's network endpoint groups' backend services drain (connection draining, set
/// by a BackendConfig) from when the pod starts terminating, beside the preStop hook:
/// reported, never ordered, as on EKS.
fn judge_neg_drain_beside_hook(judge: &mut Judge, d: &Deployment, hook: Option<&Timer>) {
    for tg in d.api_target_groups() {
        let Some(v) = tg.deregistration_delay.value() else {
            continue;
        };
        judge.ok(
            google_cloud::CONNECTION_DRAINING,
            &tg.subject,
            &tg.deregistration_delay.at,
            format!(
                "connection draining {} runs beside the {}",
                secs(*v),
                hook.map_or("(absent) preStop hook".to_owned(), Timer::show)
            ),
            "the endpoint's removal and the preStop hook start together: no order between them",
        );
    }
    for drain in super::gke_drain::api_gke_drains(d) {
        let Some(v) = drain.field.value() else {
            continue;
        };
        judge.ok(
            google_cloud::GKE_CONNECTION_DRAINING,
            &drain.subject,
            &drain.field.at,
            format!(
                "connection draining {} runs beside the {}",
                secs(*v),
                hook.map_or("(absent) preStop hook".to_owned(), Timer::show)
            ),
            "the endpoint's removal and the preStop hook start together: no order between them",
        );
    }
}

/// The longest preStop hook of the API's containers (the pod's SIGTERM waits for each's own):
/// `Some(None)` when there is none that takes time, `None` when how long one runs cannot be
/// told (the judge says why).
fn longest_hook(judge: &mut Judge, w: &KubeWorkload, grace: &Timer) -> Option<Option<Timer>> {
    let mut hook: Option<Timer> = None;
    for c in api_containers(w) {
        match &c.pre_stop.state {
            State::Set(PreStop::Sleep(n)) => {
                if hook.as_ref().is_none_or(|h| *n > h.secs) {
                    hook = Some(Timer {
                        name: PRE_STOP,
                        secs: *n,
                        at: c.pre_stop.at.clone(),
                        note: None,
                    });
                }
            }
            // A hook that returns at once takes no time (the drain check fails it).
            State::Set(p) if pre_stop_does_nothing(p) => {}
            State::Set(p @ (PreStop::Exec(_) | PreStop::Http(_))) => {
                judge.missing(format!(
                    "how long the preStop hook of container {} of {} runs ({}): the app gets {} minus that after SIGTERM",
                    c.name,
                    w.subject,
                    describe_pre_stop(p),
                    grace.show()
                ));
                return None;
            }
            State::Unset => {}
            _ => {
                judge.unreadable(platform::KUBERNETES_TERMINATION, &w.subject, &c.pre_stop);
                return None;
            }
        }
    }
    Some(hook)
}

/// The load balancer's drain (an ALB Ingress's or ALB Gateway's deregistration delay) runs
/// beside the hook:
/// reported, never ordered.
fn judge_drain_beside_hook(
    judge: &mut Judge,
    d: &Deployment,
    w: &KubeWorkload,
    hook: Option<&Timer>,
) {
    let sleep = hook.map_or(0, |h| h.secs);
    let albs: Vec<_> = d
        .api_ingresses()
        .into_iter()
        .filter(|i| i.alb && i.namespace == w.namespace)
        .collect();
    let (subject, field) = match albs.first() {
        Some(ing) => (ing.subject.clone(), ingress_deregistration(ing)),
        // A Gateway of the AWS Load Balancer Controller: its TargetGroupConfiguration.
        None => match api_deregistration_delay(d, &w.namespace) {
            Some(found) => found,
            None => return,
        },
    };
    // Instance targets are the nodes: a stopping pod is never deregistered, it leaves the
    // Service's endpoints (the load balancer check judges whether the Service has a nodePort).
    if let Some((kind, at)) = api_target_type(d, &w.namespace).filter(|(k, _)| k == "instance") {
        judge.ok(
            platform::LBC_TARGET_TYPE,
            &subject,
            &at,
            format!(
                "target type {kind}: the nodes are the targets, so the deregistration delay runs when a node leaves, not when a pod stops; a stopping pod leaves the Service's endpoints while its {} runs",
                hook.map_or("(absent) preStop hook".to_owned(), Timer::show)
            ),
            "ip targets deregister as the preStop hook starts; instance targets are the nodes",
        );
        return;
    }
    match Timer::from(
        DEREGISTRATION,
        &field,
        Some((defaults::DEREGISTRATION_DELAY, "AWS")),
    ) {
        Ok(Some(drain)) => {
            let how = if drain.secs <= sleep {
                "the target has drained before SIGTERM"
            } else {
                "the load balancer lets in-flight requests finish while the app stops"
            };
            judge.ok(
                platform::EKS_LOAD_BALANCING,
                &subject,
                &drain.at,
                format!(
                    "{} runs beside the {}: {how}",
                    drain.show(),
                    hook.map_or("(absent) preStop hook".to_owned(), Timer::show)
                ),
                "deregistration and the preStop hook start together: no order between them",
            );
        }
        Ok(None) => {}
        Err(why) => judge.undecided(platform::EKS_LOAD_BALANCING, &subject, &field.at, why),
    }
}

/// AKS behind AGIC: the gateway drains the pod from when AGIC takes it out of the backend
/// pool, beside the preStop sleep; the drain must end before the grace period kills the pod,
/// or the requests it lets finish are cut all the same. Draining off is the drain check's.
fn judge_agic_drain(
    judge: &mut Judge,
    d: &Deployment,
    w: &KubeWorkload,
    hook: Option<&Timer>,
    grace: &Timer,
) {
    use super::super::azure::{AGIC_DRAINING, agic_draining, is_agic};
    for ing in d
        .api_ingresses()
        .into_iter()
        .filter(|i| is_agic(i) && i.namespace == w.namespace)
    {
        let field = agic_draining(ing);
        let drain = match Timer::from("connection draining", &field, None) {
            Ok(Some(t)) if t.secs > 0 => t,
            Ok(_) => continue,
            Err(why) => {
                judge.undecided(AGIC_DRAINING, &ing.subject, &field.at, why);
                continue;
            }
        };
        let sleep = hook.map_or(0, |h| h.secs);
        let line = format!(
            "{} runs beside the {}, SIGKILL at {}",
            drain.show(),
            hook.map_or("(absent) preStop hook".to_owned(), Timer::show),
            grace.show()
        );
        let expected = "connection draining within terminationGracePeriodSeconds (the pod is killed when it ends)";
        if drain.secs > grace.secs {
            judge.error(
                AGIC_DRAINING,
                &ing.subject,
                &drain.at,
                format!(
                    "{line}: the pod is killed {} before the drain ends",
                    secs(drain.secs - grace.secs)
                ),
                expected,
            );
        } else {
            let how = if drain.secs <= sleep {
                "the pod has drained before SIGTERM"
            } else {
                "the gateway lets in-flight requests finish while the app stops"
            };
            judge.ok(
                AGIC_DRAINING,
                &ing.subject,
                &drain.at,
                format!("{line}: {how}"),
                expected,
            );
        }
    }
}

/// An ALB Ingress's deregistration delay (`target-group-attributes` annotation).
fn ingress_deregistration(ing: &Ingress) -> Field<u64> {
    let attr = ing.attribute(TG_ATTRIBUTES, DEREGISTRATION_KEY);
    match attr.state {
        State::Set(text) => match text.parse::<u64>() {
            Ok(n) => Field::set(attr.at, n),
            Err(_) => Field {
                at: attr.at,
                state: State::Invalid(format!("{DEREGISTRATION_KEY}={text} is not a whole number")),
            },
        },
        _ => Field::unset(attr.at),
    }
}

/// ECS: the deregistration delay, then SIGTERM, then stopTimeout. Shown with its worst case;
/// on Fargate Spot the two-minute notice must hold both.
fn judge_ecs_sequence(judge: &mut Judge, d: &Deployment, s: &EcsService) {
    let groups = d.target_groups_of(s);
    let drain = longest_drain(judge, &groups);
    let containers = ecs_containers(judge, d, s, platform::ECS_STOP_SEQUENCE);
    let mut stop: Option<Timer> = None;
    for c in containers {
        match Timer::from(
            STOP,
            &c.stop_timeout,
            Some((defaults::ECS_STOP_TIMEOUT, "ECS")),
        ) {
            Ok(Some(t)) if stop.as_ref().is_none_or(|s| t.secs > s.secs) => stop = Some(t),
            Ok(_) => {}
            Err(why) => judge.undecided(
                platform::ECS_STOP_SEQUENCE,
                &s.subject,
                &c.stop_timeout.at,
                why,
            ),
        }
    }
    let (Some(drain), Some(stop)) = (drain, stop) else {
        if groups.is_empty() {
            judge.missing(format!(
                "the stop sequence of {}: its target groups are not in the inputs ({})",
                s.subject,
                judge.source(d, Input::TargetGroups)
            ));
        } else {
            judge.missing(format!(
                "the stop sequence of {}: the deregistration delay of its target groups ({})",
                s.subject,
                judge.source(d, Input::TargetGroupAttributes)
            ));
        }
        return;
    };
    let total = drain.secs + stop.secs;
    let line = format!(
        "drain up to {} ({}), then SIGTERM, then up to {} ({}) before SIGKILL: up to {} per task",
        secs(drain.secs),
        drain.show(),
        secs(stop.secs),
        stop.show(),
        secs(total)
    );
    let expected =
        "the deregistration delay, then stopTimeout: one after the other, no order between them";
    judge.ok(
        platform::ECS_STOP_SEQUENCE,
        &s.subject,
        &drain.at,
        line,
        expected,
    );
    blue_green(judge, s, &drain);
    if matches!(d.launch_of(s), Launch::Fargate { spot: true }) {
        let notice = defaults::FARGATE_SPOT_NOTICE;
        if total > notice || drain.secs >= notice {
            judge.warn(
                platform::FARGATE_SPOT,
                &s.subject,
                &s.launch_at,
                format!(
                    "FARGATE_SPOT in the capacity provider strategy: an interruption gives {} of notice, and drain and stop take up to {}",
                    secs(notice),
                    secs(total)
                ),
                format!(
                    "a deregistration delay under {} and drain + stopTimeout within the notice, or FARGATE only for the API",
                    secs(notice)
                ),
            );
        }
    }
}

/// An ECS blue/green deployment, in the evidence: it changes when the old tasks stop (after
/// the bake time, once production traffic has moved to the new ones), not how: each drains
/// through its target group's deregistration delay, then stops (ECS developer guide, "Amazon
/// ECS blue/green deployments"). Its tasks take the primary and the alternate target group
/// turn by turn, so both are among the groups whose longest delay is shown.
fn blue_green(judge: &mut Judge, s: &EcsService, drain: &Timer) {
    let strategy = &s.deployment_strategy;
    let Some(name) = strategy
        .value()
        .filter(|v| v.eq_ignore_ascii_case("BLUE_GREEN"))
    else {
        return;
    };
    let bake = match s.bake_time.value() {
        Some(m) => format!("a bake time of {m} min"),
        None => "no bake time in the input".to_owned(),
    };
    judge.ok(
        platform::ECS_BLUE_GREEN,
        &s.subject,
        &strategy.at,
        format!(
            "{name} with {bake}: the old tasks keep serving until production traffic has moved and the bake time has ended, then each drains up to {} and stops as above",
            secs(drain.secs)
        ),
        "the old tasks drain through the deregistration delay before they stop, as in a rolling update",
    );
}

/// VMs: the instance drains from its target groups, then its termination hook holds it.
fn judge_group_sequence(judge: &mut Judge, d: &Deployment, g: &AutoScalingGroup) {
    let groups: Vec<&TargetGroup> = d
        .target_groups
        .iter()
        .filter(|tg| {
            tg.arn
                .as_deref()
                .is_some_and(|a| g.target_groups.iter().any(|t| t == a))
        })
        .collect();
    let Some(drain) = longest_drain(judge, &groups) else {
        judge.missing(format!(
            "the stop sequence of {}: the deregistration delay of its target groups ({})",
            g.subject,
            judge.source(d, Input::TargetGroupAttributes)
        ));
        return;
    };
    if !d.has(Input::LifecycleHooks) {
        judge.no_input(
            d,
            &format!("the lifecycle hooks of {}", g.subject),
            Input::LifecycleHooks,
        );
        return;
    }
    let hook = d
        .hooks_of(g)
        .into_iter()
        .find(|h| h.transition == TERMINATING)
        .map(|h| {
            Timer::from(
                HEARTBEAT,
                &h.heartbeat,
                Some((defaults::LIFECYCLE_HEARTBEAT, "EC2 Auto Scaling")),
            )
        });
    let scale_set = super::super::azure::is_scale_set(g);
    let line = match hook {
        Some(Ok(Some(h))) if scale_set => format!(
            "the terminate notification holds the instance up to {} ({}), then it leaves the backend pool, which drains up to {} ({}): up to {} per instance",
            secs(h.secs),
            h.show(),
            secs(drain.secs),
            drain.show(),
            secs(drain.secs + h.secs)
        ),
        Some(Ok(Some(h))) => format!(
            "drain up to {} ({}), then the termination hook holds the instance up to {} ({}): up to {} per instance",
            secs(drain.secs),
            drain.show(),
            secs(h.secs),
            h.show(),
            secs(drain.secs + h.secs)
        ),
        Some(Err(why)) => {
            judge.undecided(platform::ASG_TERMINATION, &g.subject, &g.at, why);
            return;
        }
        _ => format!(
            "drain up to {} ({}), then termination at once (no termination hook)",
            secs(drain.secs),
            drain.show()
        ),
    };
    let (cited, expected) = if scale_set {
        (
            super::super::azure::TERMINATE_NOTIFICATION,
            "the terminate notification, then the drain of the backend pool: one after the other",
        )
    } else {
        (
            platform::ASG_TERMINATION,
            "the deregistration delay, then the termination hook: one after the other",
        )
    };
    judge.ok(cited, &g.subject, &drain.at, line, expected);
}

/// The stop sequence as each platform runs it: Kubernetes leaves the app its stop timeout
/// after the preStop hook; ECS and VMs are shown with their worst case.
pub fn check_shutdown_timeline(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the stop sequence leaves the API its stop timeout",
        Section::GracefulShutdown,
    );
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        judge_kubernetes_sequence(&mut judge, d, w);
    }
    for s in d.api_services() {
        any = true;
        judge_ecs_sequence(&mut judge, d, s);
    }
    for g in d.api_groups() {
        any = true;
        if d.on_gcp() {
            // Connection draining, then the deletion: the one timer Compute Engine runs.
            super::instances::judge_mig_draining(&mut judge, d, g, STOP_TIMEOUT_MIN.as_secs());
        } else {
            judge_group_sequence(&mut judge, d, g);
        }
    }
    if any {
        judge.applied(platforms(d));
    } else {
        no_api(&mut judge, d);
    }
    judge.finish()
}
