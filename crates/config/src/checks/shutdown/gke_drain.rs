//! GKE: the connection draining of the backend service GKE makes for each Service in front of
//! the API, which lets a terminating pod's in-flight requests finish after its endpoint leaves
//! the network endpoint group: a GCPBackendPolicy's (GKE Gateway) or a BackendConfig's (GKE
//! Ingress) `connectionDraining.drainingTimeoutSec`, 0 when not set.

use super::super::load_balancer::{
    backend_config_of, behind_gke_ingress, gke_gateway_services, gke_service_subject,
};
use super::super::{Judge, google_cloud};
use crate::node::Field;
use crate::view::Deployment;

/// The Service annotation that asks for network endpoint groups (container-native load
/// balancing): `{"ingress": true}`.
const NEG: &str = "cloud.google.com/neg";

/// One Service's connection draining: who sets it and the field (unset: GKE's 0).
pub(crate) struct Drain {
    pub subject: String,
    pub field: Field<u64>,
}

/// The connection draining of each Service GKE fronts the API with, and (for GKE Ingress) the
/// Services whose load balancer sends to the nodes' instance groups instead of the pods.
fn drains(d: &Deployment) -> (Vec<Drain>, Vec<String>) {
    let mut found = Vec::new();
    let mut nodes = Vec::new();
    for (b, route, gw) in gke_gateway_services(d) {
        let subject = gke_service_subject(b, route, gw);
        found.push(
            match d
                .gke_policies
                .iter()
                .find(|p| p.kind == "GCPBackendPolicy" && p.targets_service(&b.namespace, &b.name))
            {
                Some(p) => Drain {
                    subject: format!("{} for {subject}", p.subject),
                    field: p.draining.clone(),
                },
                None => Drain {
                    subject: format!("{subject} (no GCPBackendPolicy targets it)"),
                    field: Field::unset(b.at.clone()),
                },
            },
        );
    }
    if behind_gke_ingress(d) {
        for svc in d.api_kube_services() {
            if svc.annotations.get(NEG).is_some_and(|a| negs_off(a)) {
                nodes.push(svc.subject.clone());
                continue;
            }
            found.push(match backend_config_of(d, svc) {
                Some(b) => Drain {
                    subject: format!("{} for {}", b.subject, svc.subject),
                    field: b.draining.clone(),
                },
                None => Drain {
                    subject: format!("{} (no BackendConfig named)", svc.subject),
                    field: Field::unset(svc.at.keys("metadata.annotations")),
                },
            });
        }
    }
    (found, nodes)
}

/// Whether a `cloud.google.com/neg` annotation turns network endpoint groups off for Ingress.
fn negs_off(annotation: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(annotation)
        .ok()
        .and_then(|v| v.get("ingress").and_then(serde_json::Value::as_bool))
        == Some(false)
}

/// The connection draining of the API's Services behind GKE Gateway or GKE Ingress: above 0,
/// so a terminating pod's in-flight requests finish while its preStop hook runs. A Service
/// whose Ingress load balancer sends to the nodes' instance groups (`{"ingress": false}`) is
/// drained by the nodes, not per pod: said, not judged.
pub(super) fn judge_gke_draining(judge: &mut Judge, d: &Deployment) {
    let (found, nodes) = drains(d);
    for drain in found {
        judge.value(
            google_cloud::GKE_CONNECTION_DRAINING,
            &drain.subject,
            &drain.field,
            Some((0, "GKE")),
            "drainingTimeoutSec above 0 (seconds a terminating pod's in-flight requests get once its endpoint leaves the load balancer)",
            |n| *n > 0,
        );
    }
    for svc in nodes {
        judge.inapplicable(format!(
            "{svc} turns network endpoint groups off ({NEG}: ingress false): the load balancer sends to the nodes' instance groups and kube-proxy to the pods, so connection draining applies to nodes leaving the group, not to a terminating pod (GKE, \"Container-native load balancing\", https://cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing)"
        ));
    }
}

/// The connection draining of the API's Services behind GKE, to report beside the preStop
/// hook in the stop sequence.
pub(super) fn api_gke_drains(d: &Deployment) -> Vec<Drain> {
    drains(d).0
}
