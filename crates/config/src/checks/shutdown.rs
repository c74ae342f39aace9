//! "Graceful shutdown": stop timeouts, a drain before the stop, and timings that fit together
//! across the layers (preStop, the load balancer's deregistration delay, the container's stop
//! timeout, Kubernetes' grace period).

use netconform_model::Outcome;
use netconform_model::guide::{STOP_TIMEOUT_MIN, Section, TERMINATION_GRACE_PERIOD};

use super::{Judge, defaults, guideline, no_api, secs};
use crate::node::{Field, Loc, State};
use crate::view::{
    Deployment, EcsContainer, EcsService, Input, KubeContainer, KubeWorkload, PreStop, is_api_image,
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
            Input::TaskDefinitions.source()
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
        State::Secret => {
            judge.undecided(
                guideline,
                &td.subject,
                &td.containers.at,
                "containerDefinitions is a secret; export with `pulumi stack export --show-secrets` to check it",
            );
            Vec::new()
        }
        State::Invalid(why) => {
            judge.undecided(guideline, &td.subject, &td.containers.at, why.clone());
            Vec::new()
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
    }
}

/// Container stop timeout of at least 120 s (ECS), terminationGracePeriodSeconds of at least
/// 130 s (Kubernetes).
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
        for c in ecs_containers(&mut judge, d, s, guideline::STOP_TIMEOUT) {
            judge.value(
                guideline::STOP_TIMEOUT,
                &format!("container {} of {}", c.name, s.subject),
                &c.stop_timeout,
                Some((defaults::ECS_STOP_TIMEOUT, "ECS")),
                &format!(">= {want}"),
                |t| *t >= want,
            );
        }
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

/// A preStop hook on the API's containers (Kubernetes); a deregistration delay on the API's
/// target groups (ECS).
pub fn check_drain_hook(d: &Deployment) -> Outcome {
    let mut judge = Judge::new("the API drains before it stops", Section::GracefulShutdown);
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        for c in api_containers(w) {
            let subject = format!("container {} of {}", c.name, w.subject);
            let expected = "a preStop hook (e.g. sleep) that keeps serving while the load balancer deregisters the pod";
            match &c.pre_stop.state {
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
                State::Secret => {
                    judge.undecided(guideline::DRAIN_HOOKS, &subject, &c.pre_stop.at, "a secret")
                }
                State::Invalid(why) => judge.undecided(
                    guideline::DRAIN_HOOKS,
                    &subject,
                    &c.pre_stop.at,
                    why.clone(),
                ),
            }
        }
    }
    for s in d.api_services() {
        any = true;
        if !d.has(Input::TargetGroups) {
            judge.no_input(
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
        for tg in groups {
            let expected =
                "set, above 0 (seconds the load balancer lets in-flight requests finish)";
            match &tg.deregistration_delay.state {
                State::Unset if !d.has(Input::TargetGroupAttributes) => judge.no_input(
                    &format!("the attributes of {}", tg.subject),
                    Input::TargetGroupAttributes,
                ),
                State::Unset if !tg.attributes_read => judge.missing(format!(
                    "the attributes of {}: no attributes file names it ({})",
                    tg.subject,
                    Input::TargetGroupAttributes.source()
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
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// One layer of the shutdown timeline.
struct Layer {
    name: &'static str,
    secs: u64,
    at: Loc,
    /// "not set: AWS default" when the value is a default.
    note: Option<String>,
}

impl Layer {
    fn from(
        name: &'static str,
        field: &Field<u64>,
        default: Option<(u64, &str)>,
    ) -> Result<Option<Layer>, String> {
        match (&field.state, default) {
            (State::Set(n), _) => Ok(Some(Layer {
                name,
                secs: *n,
                at: field.at.clone(),
                note: None,
            })),
            (State::Unset, Some((d, whose))) => Ok(Some(Layer {
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

/// Judges preStop < deregistration delay <= stop timeout < grace period over the layers
/// present, naming each pair out of order.
fn judge_timeline(judge: &mut Judge, subject: &str, layers: Vec<Layer>) {
    if layers.len() < 2 {
        judge.missing(format!(
            "the shutdown timeline of {subject}: only {} known",
            layers.first().map_or("nothing".to_owned(), Layer::show)
        ));
        return;
    }
    let expected =
        "preStop sleep < deregistration delay <= stop timeout < terminationGracePeriodSeconds";
    let mut line = layers[0].show();
    let mut broken = false;
    for pair in layers.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        // Only the load balancer's drain may end exactly at the stop timeout.
        let inclusive = a.name == DEREGISTRATION && b.name == STOP;
        let fits = if inclusive {
            a.secs <= b.secs
        } else {
            a.secs < b.secs
        };
        let op = if inclusive { "<=" } else { "<" };
        line.push_str(&format!(" {op} {}", b.show()));
        if !fits {
            broken = true;
            judge.error(
                guideline::ECS_DRAIN,
                subject,
                &a.at,
                format!("{} is not {op} {} ({})", a.show(), b.show(), b.at),
                format!("{} {op} {}", a.name, b.name),
            );
        }
    }
    if !broken {
        judge.ok(guideline::ECS_DRAIN, subject, &layers[0].at, line, expected);
    }
}

const PRE_STOP: &str = "preStop sleep";
const DEREGISTRATION: &str = "deregistration delay";
const STOP: &str = "stop timeout";
const GRACE: &str = "terminationGracePeriodSeconds";

/// The layers' timings fit together, per API workload.
pub fn check_shutdown_timeline(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the shutdown timings fit together",
        Section::GracefulShutdown,
    );
    let mut any = false;
    for w in d.api_workloads() {
        any = true;
        let mut layers = Vec::new();
        let sleeps: Vec<(u64, Loc)> = api_containers(w)
            .into_iter()
            .filter_map(|c| match &c.pre_stop.state {
                State::Set(PreStop::Sleep(n)) => Some((*n, c.pre_stop.at.clone())),
                _ => None,
            })
            .collect();
        if let Some((n, at)) = sleeps.into_iter().max_by_key(|(n, _)| *n) {
            layers.push(Layer {
                name: PRE_STOP,
                secs: n,
                at,
                note: None,
            });
        }
        // The ALB ingresses in front of the API: their target group attribute, else the
        // AWS default.
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
            match Layer::from(
                DEREGISTRATION,
                &field,
                Some((defaults::DEREGISTRATION_DELAY, "AWS")),
            ) {
                Ok(layer) => layers.extend(layer),
                Err(why) => judge.undecided(guideline::ECS_DRAIN, &w.subject, &field.at, why),
            }
        }
        match Layer::from(
            GRACE,
            &w.grace,
            Some((defaults::KUBERNETES_GRACE, "Kubernetes")),
        ) {
            Ok(layer) => layers.extend(layer),
            Err(why) => judge.undecided(guideline::TERMINATION_GRACE, &w.subject, &w.grace.at, why),
        }
        // After its preStop sleep the app still needs the guide's stop timeout before
        // Kubernetes kills it. The guide's own 130 s leaves 10 s of sleep: reported, not
        // failed, as the guide asks for both.
        let sleep = layers.iter().find(|l| l.name == PRE_STOP);
        let grace = layers.iter().find(|l| l.name == GRACE);
        if let (Some(sleep), Some(grace)) = (sleep, grace) {
            let left = grace.secs.saturating_sub(sleep.secs);
            let want = STOP_TIMEOUT_MIN.as_secs();
            if left < want {
                judge.warn(
                    guideline::TERMINATION_GRACE,
                    &w.subject,
                    &grace.at,
                    format!(
                        "{} leaves the app {} after {} ({}) before SIGKILL",
                        grace.show(),
                        secs(left),
                        sleep.show(),
                        sleep.at
                    ),
                    format!(
                        "terminationGracePeriodSeconds >= preStop sleep + {} (the guide's stop timeout)",
                        secs(want)
                    ),
                );
            }
        }
        judge_timeline(&mut judge, &w.subject, layers);
    }
    for s in d.api_services() {
        any = true;
        let mut layers = Vec::new();
        // The longest drain of the API's target groups is the one the stop timeout must cover.
        let mut drains: Vec<Layer> = Vec::new();
        for tg in d.target_groups_of(s) {
            let default = tg
                .attributes_read
                .then_some((defaults::DEREGISTRATION_DELAY, "AWS"));
            match Layer::from(DEREGISTRATION, &tg.deregistration_delay, default) {
                Ok(layer) => drains.extend(layer),
                Err(why) => judge.undecided(
                    guideline::ECS_DRAIN,
                    &tg.subject,
                    &tg.deregistration_delay.at,
                    why,
                ),
            }
        }
        layers.extend(drains.into_iter().max_by_key(|l| l.secs));
        let containers = ecs_containers(&mut judge, d, s, guideline::ECS_DRAIN);
        if let Some(c) = containers.first() {
            match Layer::from(
                STOP,
                &c.stop_timeout,
                Some((defaults::ECS_STOP_TIMEOUT, "ECS")),
            ) {
                Ok(layer) => layers.extend(layer),
                Err(why) => {
                    judge.undecided(guideline::ECS_DRAIN, &s.subject, &c.stop_timeout.at, why)
                }
            }
        }
        if layers.is_empty() && containers.is_empty() && d.task_definition_of(s).is_some() {
            continue;
        }
        judge_timeline(&mut judge, &s.subject, layers);
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}
