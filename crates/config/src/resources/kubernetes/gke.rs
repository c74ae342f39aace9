//! GKE's own Kubernetes objects: a BackendConfig (`cloud.google.com/v1`), what the GKE Ingress
//! controller sets on the backend service of each Service that names it in its
//! `cloud.google.com/backend-config` annotation: its health check's request path and its
//! connection draining ("Ingress configuration on Google Cloud",
//! <https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration>); and the
//! GKE Gateway controller's policies (`networking.gke.io/v1`), attached to a Service by
//! `spec.targetRef`: a HealthCheckPolicy (`spec.default.config`, the backend service's health
//! check) and a GCPBackendPolicy (`spec.default.connectionDraining.drainingTimeoutSec`)
//! ("Configure Gateway resources using Policies",
//! <https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources>; field
//! names as GoogleCloudPlatform/gke-gateway-api's `apis/networking/v1` types spell them).

use crate::node::{Field, Node};
use crate::view::{BackendConfig, GkePolicy};

/// The GKE Gateway controller's policy API group.
const GKE_GROUP: &str = "networking.gke.io";

/// The policy kinds read, in [`GKE_GROUP`].
pub(super) const POLICY_KINDS: [&str; 2] = ["HealthCheckPolicy", "GCPBackendPolicy"];

/// Whether `kind` of `api_version` is a GKE Gateway policy read here.
pub(super) fn is_policy(api_version: &str, kind: &str) -> bool {
    api_version
        .rsplit_once('/')
        .is_some_and(|(g, _)| g == GKE_GROUP)
        && POLICY_KINDS.contains(&kind)
}

/// One HealthCheckPolicy or GCPBackendPolicy.
pub(super) fn policy(obj: &Node<'_>, kind: &str) -> GkePolicy {
    let namespace = super::namespace(obj);
    let name = super::name(obj);
    let target = obj.path("spec.targetRef");
    let config = obj.path("spec.default.config");
    // The protocol block that carries a request path: HTTP's unless another is there.
    let block = ["httpHealthCheck", "httpsHealthCheck", "http2HealthCheck"]
        .into_iter()
        .map(|k| config.get(k))
        .find(Node::exists)
        .unwrap_or_else(|| config.get("httpHealthCheck"));
    GkePolicy {
        subject: format!("{kind} {namespace}/{name}"),
        kind: kind.to_owned(),
        namespace,
        name,
        at: obj.at.clone(),
        target: target.get("name").opt_text().map(|n| {
            let kind = target.get("kind").opt_text();
            (kind.unwrap_or_else(|| "Service".to_owned()), n)
        }),
        health_type: if kind == "HealthCheckPolicy" {
            config.get("type").text()
        } else {
            Field::unset(obj.at.clone())
        },
        health_path: block.get("requestPath").text(),
        draining: obj
            .path("spec.default.connectionDraining.drainingTimeoutSec")
            .count(),
    }
}

/// One BackendConfig.
pub(super) fn backend_config(obj: &Node<'_>) -> BackendConfig {
    let namespace = obj
        .path("metadata.namespace")
        .opt_text()
        .unwrap_or_else(|| "default".into());
    let name = obj.path("metadata.name").opt_text().unwrap_or_default();
    BackendConfig {
        subject: format!("BackendConfig {namespace}/{name}"),
        namespace,
        name,
        at: obj.at.clone(),
        health_path: obj.path("spec.healthCheck.requestPath").text(),
        draining: obj
            .path("spec.connectionDraining.drainingTimeoutSec")
            .count(),
    }
}
