//! "Load balancer configuration" on a Google Cloud managed instance group: autohealing on the
//! API's health check stands for the load balancer's health check replacing instances, and its
//! initial delay is the grace period; a refused list of backend services named as such.

use netconform_model::guide::HEALTH_CHECK_PATH;

use super::super::shutdown::api_containers;
use super::super::{Judge, google_cloud, guideline};
use crate::node::State;
use crate::view::{BackendConfig, Deployment, Input, KubeService};

/// The health check when no target group and no ALB Ingress of the API is read: collection
/// was refused the target groups (on Google Cloud, the backend services), said so with the
/// permission; or the API is behind GKE Ingress, whose controller makes the health check from
/// the Service's BackendConfig or the pods' readiness probe. Whether it judged.
pub(super) fn judged_otherwise(judge: &mut Judge, d: &Deployment) -> bool {
    if d.denied.contains_key(&d.counterpart(Input::TargetGroups)) {
        judge.missing(format!(
            "the API's target groups: {}",
            judge.source(d, Input::TargetGroups)
        ));
        return true;
    }
    gke_ingress_health(judge, d)
}

/// The Service annotation naming a BackendConfig: `{"default": "name"}` or
/// `{"ports": {"80": "name"}}`.
const BACKEND_CONFIG: &str = "cloud.google.com/backend-config";

/// The BackendConfigs a Service's annotation names.
fn named_configs(annotation: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(annotation) else {
        return Vec::new();
    };
    let mut names: Vec<String> = v
        .get("default")
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(ports) = v.get("ports").and_then(|p| p.as_object()) {
        names.extend(ports.values().filter_map(|n| n.as_str()).map(str::to_owned));
    }
    names
}

/// The BackendConfig a Service's `cloud.google.com/backend-config` annotation names, among
/// those read (in the Service's namespace).
pub(crate) fn backend_config_of<'a>(
    d: &'a Deployment,
    svc: &KubeService,
) -> Option<&'a BackendConfig> {
    svc.annotations
        .get(BACKEND_CONFIG)
        .map(|a| named_configs(a))
        .unwrap_or_default()
        .into_iter()
        .find_map(|n| {
            d.backend_configs
                .iter()
                .find(|b| b.name == n && b.namespace == svc.namespace)
        })
}

/// Whether GKE Ingress (class `gce` or `gce-internal`) fronts the API.
pub(crate) fn behind_gke_ingress(d: &Deployment) -> bool {
    d.api_ingresses().into_iter().any(|i| {
        i.class
            .as_deref()
            .is_some_and(|c| c == "gce" || c == "gce-internal")
    })
}

/// GKE Ingress (class `gce` or `gce-internal`) in front of the API: the controller's health
/// check asks the BackendConfig's `healthCheck.requestPath`, else the path of the serving
/// pods' HTTP readiness probe, else `/` (GKE, "Ingress for external Application Load
/// Balancers", health checks, https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#health_checks).
fn gke_ingress_health(judge: &mut Judge, d: &Deployment) -> bool {
    if !behind_gke_ingress(d) {
        return false;
    }
    let expected = format!("{HEALTH_CHECK_PATH:?}");
    for svc in d.api_kube_services() {
        let config = backend_config_of(d, svc).filter(|b| !b.health_path.is_unset());
        if let Some(b) = config {
            judge.value(
                google_cloud::GKE_INGRESS_HEALTH_CHECK,
                &b.subject,
                &b.health_path,
                None,
                &expected,
                |p| p == HEALTH_CHECK_PATH,
            );
            continue;
        }
        for w in d.api_workloads().filter(|w| w.namespace == svc.namespace) {
            for c in api_containers(w) {
                let subject = format!(
                    "container {} of {} (no BackendConfig healthCheck on {})",
                    c.name, w.subject, svc.subject
                );
                match c.readiness.value().and_then(|p| p.http_path.clone()) {
                    Some(path) if path == HEALTH_CHECK_PATH => judge.ok(google_cloud::GKE_INGRESS_HEALTH_CHECK, &subject, &c.readiness.at, format!("the controller infers {path} from the readinessProbe"), &expected),
                    Some(path) => judge.error(google_cloud::GKE_INGRESS_HEALTH_CHECK, &subject, &c.readiness.at, format!("the controller infers {path} from the readinessProbe"), &expected),
                    None => judge.error(google_cloud::GKE_INGRESS_HEALTH_CHECK, &subject, &svc.at, "no BackendConfig healthCheck and no HTTP readinessProbe: the controller checks /", &expected),
                }
            }
        }
    }
    true
}

/// A managed instance group: autohealing on a health check, its initial delay the grace.
pub(super) fn mig_startup_grace(judge: &mut Judge, g: &crate::view::AutoScalingGroup, want: u64) {
    match &g.health_check_type.state {
        State::Set(check) => judge.ok(
            google_cloud::AUTOHEALING,
            &g.subject,
            &g.health_check_type.at,
            format!("autohealing on {check}"),
            "an autohealing policy on the API's health check",
        ),
        _ => judge.error(
            google_cloud::AUTOHEALING,
            &g.subject,
            &g.health_check_type.at,
            "no autohealing policy: a VM whose API fails is never replaced",
            "an autohealing policy on the API's health check",
        ),
    }
    judge.value(
        guideline::HEALTH_CHECK_GRACE,
        &g.subject,
        &g.health_check_grace,
        Some((0, "Compute Engine")),
        &format!(">= {want} (autoHealingPolicies[].initialDelaySec)"),
        |n| *n >= want,
    );
}
