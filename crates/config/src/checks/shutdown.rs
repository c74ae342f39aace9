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

use netconform_model::Outcome;
use netconform_model::guide::{STOP_TIMEOUT_MIN, Section, TERMINATION_GRACE_PERIOD};

use super::{Judge, defaults, guideline, no_api, platform, secs};
use crate::node::{Field, Loc, State};
use crate::view::{
    AutoScalingGroup, Deployment, EcsContainer, EcsService, Input, KubeContainer, KubeWorkload,
    Launch, PreStop, TERMINATING, TargetGroup, is_api_image,
};

/// The annotation the AWS Load Balancer Controller reads target group attributes from.
pub(crate) const TG_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/target-group-attributes";
const DEREGISTRATION_KEY: &str = "deregistration_delay.timeout_seconds";

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
fn ecs_containers<'a>(
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
fn platforms(d: &Deployment) -> Vec<String> {
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

fn describe_pre_stop(p: &PreStop) -> String {
    match p {
        PreStop::Sleep(n) => format!("sleep {n} s"),
        PreStop::Exec(line) => format!("exec {line:?}"),
        PreStop::Http(path) => format!("httpGet {path}"),
    }
}

/// Whether a preStop command returns at once without waiting for anything: `true`, `:`,
/// `exit 0`, an `echo`, `sleep 0`, alone or behind a shell.
fn pre_stop_does_nothing(p: &PreStop) -> bool {
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
                        || crate::kubernetes::sleep_seconds(cmd) == Some(0)
                })
        }
    }
}

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
    // The longest hook of the API's containers: the pod's SIGTERM waits for each's own.
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
                return;
            }
            State::Unset => {}
            _ => {
                judge.unreadable(platform::KUBERNETES_TERMINATION, &w.subject, &c.pre_stop);
                return;
            }
        }
    }
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
    // The load balancer's drain runs beside the hook: reported, never ordered.
    let albs: Vec<_> = d
        .api_ingresses()
        .into_iter()
        .filter(|i| i.alb && i.namespace == w.namespace)
        .collect();
    if let Some(ing) = albs.first() {
        let attr = ing.attribute(TG_ATTRIBUTES, DEREGISTRATION_KEY);
        let field = match attr.state {
            State::Set(text) => match text.parse::<u64>() {
                Ok(n) => Field::set(attr.at, n),
                Err(_) => Field {
                    at: attr.at,
                    state: State::Invalid(format!(
                        "{DEREGISTRATION_KEY}={text} is not a whole number"
                    )),
                },
            },
            _ => Field::unset(attr.at),
        };
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
                    &ing.subject,
                    &drain.at,
                    format!(
                        "{} runs beside the {}: {how}",
                        drain.show(),
                        hook.as_ref()
                            .map_or("(absent) preStop hook".to_owned(), Timer::show)
                    ),
                    "deregistration and the preStop hook start together: no order between them",
                );
            }
            Ok(None) => {}
            Err(why) => judge.undecided(platform::EKS_LOAD_BALANCING, &ing.subject, &field.at, why),
        }
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
    let line = match hook {
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
    judge.ok(
        platform::ASG_TERMINATION,
        &g.subject,
        &drain.at,
        line,
        "the deregistration delay, then the termination hook: one after the other",
    );
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
        judge_group_sequence(&mut judge, d, g);
    }
    if any {
        judge.applied(platforms(d));
    } else {
        no_api(&mut judge, d);
    }
    judge.finish()
}

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
        judge_termination_hook(&mut judge, d, g, want, guideline::DRAIN_HOOKS);
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
    let expected = format!(
        "a lifecycle hook on {TERMINATING} with a heartbeat of at least {} (the stop timeout)",
        secs(want)
    );
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
        judge.error(
            guideline,
            &g.subject,
            &at,
            "no termination lifecycle hook: a scale-in terminates the instance right after its deregistration delay",
            expected,
        );
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
