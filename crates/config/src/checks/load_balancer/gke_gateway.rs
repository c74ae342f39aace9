//! The GKE Gateway controller's side of "Load balancer configuration": which Google Cloud load
//! balancer a Gateway's class makes (GKE names one per GatewayClass), and the health check a
//! HealthCheckPolicy attached to the Service sets on its backend service.

use netconform_model::guide::HEALTH_CHECK_PATH;

use super::super::{Judge, google_cloud};
use crate::view::{Backend, Deployment, Gateway, GatewayImpl, Route};

/// GKE's single-cluster GatewayClasses of the GKE Gateway controller: the load balancer each
/// makes, and whether it is external ("GatewayClass capabilities").
const CLASSES: &[(&str, &str, bool)] = &[
    (
        "gke-l7-global-external-managed",
        "a global external Application Load Balancer (EXTERNAL_MANAGED)",
        true,
    ),
    (
        "gke-l7-regional-external-managed",
        "a regional external Application Load Balancer (EXTERNAL_MANAGED)",
        true,
    ),
    (
        "gke-l7-gxlb",
        "a classic Application Load Balancer (EXTERNAL)",
        true,
    ),
    (
        "gke-l7-rilb",
        "a regional internal Application Load Balancer (INTERNAL_MANAGED)",
        false,
    ),
];

/// The load balancer a GKE GatewayClass makes, and whether it is external.
fn class(name: &str) -> Option<(&'static str, bool)> {
    CLASSES
        .iter()
        .find(|(c, _, _)| *c == name)
        .map(|(_, lb, external)| (*lb, *external))
}

/// The layer of the load balancer the GKE Gateway controller makes of `gw` for `route`: every
/// class GKE documents is an Application Load Balancer (external or internal); a route that is
/// not HTTP is not routed by it at layer 7; a class GKE does not document is not checked.
pub(super) fn judge_class(
    judge: &mut Judge,
    route: &Route,
    gw: &Gateway,
    subject: &str,
    expected: &str,
) {
    let g = google_cloud::GKE_GATEWAY_CLASSES;
    let name = gw.class.value().cloned().unwrap_or_default();
    if !route.is_http() {
        judge.error(
            g,
            subject,
            &route.at,
            format!(
                "a {} on class {name} of the GKE Gateway controller: its load balancers route HTTP (HTTPRoute), not a connection passed through at layer 4",
                route.kind
            ),
            expected,
        );
        return;
    }
    match class(&name) {
        Some((lb, true)) => judge.ok(
            g,
            subject,
            &gw.class.at,
            format!("class {name} (controllerName networking.gke.io/gateway): {lb}, layer 7"),
            expected,
        ),
        Some((lb, false)) => judge.ok(
            g,
            subject,
            &gw.class.at,
            format!(
                "class {name} (controllerName networking.gke.io/gateway): {lb}, layer 7, internal: reachable from the VPC and networks connected to it only"
            ),
            expected,
        ),
        None => judge.missing(format!(
            "which load balancer GatewayClass {name} of the GKE Gateway controller makes: not a class \"GatewayClass capabilities\" lists"
        )),
    }
}

/// The Services the API's routes send to through a GKE Gateway, with the route and Gateway.
pub(crate) fn gke_gateway_services(d: &Deployment) -> Vec<(&Backend, &Route, &Gateway)> {
    d.api_gateways()
        .into_iter()
        .filter(|(_, gw)| d.implementation_of(gw) == Some(GatewayImpl::Gke))
        .flat_map(|(route, gw)| route.backends.iter().map(move |b| (b, route, gw)))
        .collect()
}

/// "Service pulumi/pulumi-api (HTTPRoute pulumi/pulumi-api on Gateway pulumi/pulumi)".
pub(crate) fn service_subject(b: &Backend, route: &Route, gw: &Gateway) -> String {
    format!(
        "Service {}/{} ({} on {})",
        b.namespace, b.name, route.subject, gw.subject
    )
}

/// The health check of each Service a GKE Gateway sends the API's route to: the
/// HealthCheckPolicy that targets it (an HTTP one, asking /api/status), else the controller's
/// default health check, which asks /.
pub(super) fn judge_health(
    judge: &mut Judge,
    d: &Deployment,
    route: &Route,
    gw: &Gateway,
    expected: &str,
) {
    let g = google_cloud::GKE_GATEWAY_HEALTH_CHECK;
    for b in &route.backends {
        let subject = service_subject(b, route, gw);
        let Some(policy) = d
            .gke_policies
            .iter()
            .find(|p| p.kind == "HealthCheckPolicy" && p.targets_service(&b.namespace, &b.name))
        else {
            judge.error(
                g,
                &subject,
                &b.at,
                "no HealthCheckPolicy targets the Service: the GKE Gateway controller's default health check asks /",
                expected,
            );
            continue;
        };
        let subject = format!("{} for {subject}", policy.subject);
        if let Some(t) = policy
            .health_type
            .value()
            .filter(|t| !matches!(t.as_str(), "HTTP" | "HTTPS" | "HTTP2"))
        {
            judge.error(
                g,
                &subject,
                &policy.health_type.at,
                format!("type {t}: no request path is asked, so /api/status is not"),
                expected,
            );
            continue;
        }
        judge.value(
            g,
            &subject,
            &policy.health_path,
            Some(("/".to_owned(), "GKE")),
            expected,
            |p| p == HEALTH_CHECK_PATH,
        );
    }
}

/// What does not apply to the Google Cloud load balancer the GKE Gateway controller makes of
/// each Gateway of its classes, said per Gateway (`why`: Google's reason and source): whether
/// there is one.
pub(crate) fn gke_load_balancers_inapplicable(
    judge: &mut Judge,
    d: &Deployment,
    why: impl Fn(&Gateway) -> String,
) -> bool {
    let mut any = false;
    for gw in &d.gateways {
        if d.implementation_of(gw) == Some(GatewayImpl::Gke) {
            any = true;
            judge.inapplicable(why(gw));
        }
    }
    any
}
