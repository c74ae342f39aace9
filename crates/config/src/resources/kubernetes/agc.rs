//! Application Gateway for Containers' own Kubernetes objects (`alb.networking.azure.io/v1`):
//! a HealthCheckPolicy, the health probe the gateway sends to the pods of the Service its
//! `targetRef` names ("Custom health probe for Application Gateway for Containers",
//! <https://learn.microsoft.com/azure/application-gateway/for-containers/custom-health-probe>).

use crate::node::{Field, Node, State};
use crate::view::AgcHealthPolicy;

/// The API group of Application Gateway for Containers' resources, as `apiVersion` begins.
pub(super) const GROUP: &str = "alb.networking.azure.io/";

/// One HealthCheckPolicy.
pub(super) fn health_check_policy(obj: &Node<'_>) -> AgcHealthPolicy {
    let (ns, name) = (super::namespace(obj), super::name(obj));
    let target = obj.path("spec.targetRef");
    let http = obj.path("spec.default.http");
    AgcHealthPolicy {
        subject: format!("HealthCheckPolicy {ns}/{name}"),
        at: obj.at.clone(),
        target: (
            target
                .get("kind")
                .opt_text()
                .unwrap_or_else(|| "Service".to_owned()),
            target.get("namespace").opt_text().unwrap_or(ns),
            target.get("name").opt_text().unwrap_or_default(),
        ),
        path: http.get("path").text(),
        codes: status_codes(&http.path("match.statusCodes")),
    }
}

/// `statusCodes: [{start: 200, end: 299}]` as a matcher: "200-299" (a range with one end is
/// that code).
fn status_codes(list: &Node<'_>) -> Field<String> {
    if !list.exists() {
        return Field::unset(list.at.clone());
    }
    let mut parts = Vec::new();
    for item in list.items() {
        let (start, end) = (item.get("start").count(), item.get("end").count());
        match (start.state, end.state) {
            (State::Set(a), State::Set(b)) if a != b => parts.push(format!("{a}-{b}")),
            (State::Set(a), _) | (_, State::Set(a)) => parts.push(a.to_string()),
            _ => {
                return Field {
                    at: item.at.clone(),
                    state: State::Invalid("a status code range without start or end".to_owned()),
                };
            }
        }
    }
    Field::set(list.at.clone(), parts.join(","))
}
