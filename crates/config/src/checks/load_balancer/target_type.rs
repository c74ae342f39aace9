//! The target type of the API's target group when the AWS Load Balancer Controller makes the
//! load balancer: `ip` registers the pods; `instance`, the controller's default, registers the
//! nodes on the Service's nodePort, which a Service of type ClusterIP does not have. Read from
//! an Ingress's `alb.ingress.kubernetes.io/target-type` (the Service's own annotation first)
//! or, behind a Gateway, from the TargetGroupConfigurations as the controller resolves them.

use super::super::{Judge, platform};
use super::gateway::backend_subject;
use crate::node::{Field, Loc, State};
use crate::view::{Backend, Deployment, Gateway, Ingress, Route};

const TARGET_TYPE: &str = "alb.ingress.kubernetes.io/target-type";
const EXPECTED: &str =
    "ip (the pods), or instance with a Service of type NodePort or LoadBalancer (its nodePort)";

/// The target type of one Service behind an ALB Ingress: the Service's annotation, else the
/// Ingress's (unset: the controller's default), and " (from ...)" when it is the Service's.
fn of_ingress(d: &Deployment, ing: &Ingress, svc: &str) -> (Field<String>, String) {
    let own = d
        .kube_services
        .iter()
        .find(|s| s.namespace == ing.namespace && s.name == svc)
        .and_then(|s| {
            s.annotations.get(TARGET_TYPE).map(|v| {
                let at = s.at.keys("metadata.annotations").key(TARGET_TYPE);
                (Field::set(at, v.clone()), format!(" (from {})", s.subject))
            })
        });
    own.unwrap_or_else(|| (ing.annotation(TARGET_TYPE), String::new()))
}

/// The target type of a route's backend behind a Gateway, as the TargetGroupConfigurations
/// resolve it, and " (from ...)".
fn of_backend(d: &Deployment, b: &Backend, route: &Route, gw: &Gateway) -> (Field<String>, String) {
    let layers = d.tg_layers(b, route, gw);
    let found = layers
        .layers
        .iter()
        .find(|(p, _)| !p.target_type.is_unset())
        .map(|(p, from)| (p.target_type.clone(), format!(" (from {from})")));
    found.unwrap_or_else(|| (Field::unset(layers.at.key("targetType")), String::new()))
}

/// The target type of the API's target group in `namespace` when the AWS Load Balancer
/// Controller makes its load balancer: "ip" or "instance" (unset: the default, instance), and
/// where it is written. None without such an Ingress or Gateway, or when it is unreadable.
pub(crate) fn api_target_type(d: &Deployment, namespace: &str) -> Option<(String, Loc)> {
    let shown = |field: Field<String>| match field.state {
        State::Set(v) => Some((v, field.at)),
        State::Unset => Some(("instance".to_owned(), field.at)),
        _ => None,
    };
    let ingress = d
        .api_ingresses()
        .into_iter()
        .filter(|i| i.alb && i.namespace == namespace)
        .find_map(|ing| {
            api_backends(d, ing)
                .first()
                .map(|svc| of_ingress(d, ing, svc).0)
        });
    if let Some(field) = ingress {
        return shown(field);
    }
    d.api_gateways()
        .into_iter()
        .filter(|(_, gw)| d.implementation_of(gw).is_some_and(|i| i.is_aws()))
        .find_map(|(route, gw)| {
            let b = route.backends.iter().find(|b| b.namespace == namespace)?;
            shown(of_backend(d, b, route, gw).0)
        })
}

/// Judges the target type of every API backend of the controller's Ingresses and Gateways.
pub(super) fn judge_target_types(judge: &mut Judge, d: &Deployment) {
    for ing in d.api_ingresses().into_iter().filter(|i| i.alb) {
        for svc in api_backends(d, ing) {
            let subject = format!(
                "the target group of Service {}/{svc} ({})",
                ing.namespace, ing.subject
            );
            let (field, from) = of_ingress(d, ing, svc);
            judge_one(judge, d, &subject, &ing.namespace, svc, &field, &from);
        }
    }
    for (route, gw) in d.api_gateways() {
        if !d.implementation_of(gw).is_some_and(|i| i.is_aws()) {
            continue;
        }
        for b in &route.backends {
            let (field, from) = of_backend(d, b, route, gw);
            let subject = backend_subject(b, route, gw);
            judge_one(judge, d, &subject, &b.namespace, &b.name, &field, &from);
        }
    }
}

/// The Services of an Ingress that lead to the API (all its Services when none is known to).
fn api_backends<'a>(d: &Deployment, ing: &'a Ingress) -> Vec<&'a String> {
    let api = d.api_kube_services();
    let known: Vec<&String> = ing
        .backends
        .iter()
        .filter(|b| {
            api.iter()
                .any(|s| s.namespace == ing.namespace && s.name == **b)
        })
        .collect();
    if known.is_empty() {
        ing.backends.iter().collect()
    } else {
        known
    }
}

fn judge_one(
    judge: &mut Judge,
    d: &Deployment,
    subject: &str,
    namespace: &str,
    service: &str,
    field: &Field<String>,
    from: &str,
) {
    let g = platform::LBC_TARGET_TYPE;
    let (value, shown) = match &field.state {
        State::Set(v) => (v.as_str(), format!("{v}{from}")),
        State::Unset => ("instance", "instance (the controller's default)".to_owned()),
        _ => {
            judge.unreadable(g, subject, field);
            return;
        }
    };
    match value {
        "ip" => judge.ok(
            g,
            subject,
            &field.at,
            format!("{shown}: the pods are the targets"),
            EXPECTED,
        ),
        "instance" => {
            let Some(svc) = d
                .kube_services
                .iter()
                .find(|s| s.namespace == namespace && s.name == service)
            else {
                judge.missing(format!(
                    "the Service {namespace}/{service} (`kubectl get service -o json`): target type {shown} needs it to have a nodePort"
                ));
                return;
            };
            let kind = svc.service_type.value().map_or("ClusterIP", String::as_str);
            let at: &Loc = &field.at;
            if matches!(kind, "NodePort" | "LoadBalancer") {
                judge.ok(
                    g,
                    subject,
                    at,
                    format!(
                        "{shown}: the nodes are the targets, on the nodePort of {} (type {kind})",
                        svc.subject
                    ),
                    EXPECTED,
                );
            } else {
                judge.error(
                    g,
                    subject,
                    at,
                    format!(
                        "{shown}: the controller registers the nodes on the Service's nodePort, and {} is of type {kind}, which has none: no target can be registered",
                        svc.subject
                    ),
                    EXPECTED,
                );
            }
        }
        other => judge.undecided(
            g,
            subject,
            &field.at,
            format!("target type {other} is neither ip nor instance"),
        ),
    }
}
