//! GKE's own Kubernetes objects: a BackendConfig (`cloud.google.com/v1`), what the GKE Ingress
//! controller sets on the backend service of each Service that names it in its
//! `cloud.google.com/backend-config` annotation: its health check's request path and its
//! connection draining ("Ingress configuration on Google Cloud",
//! <https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration>).

use crate::node::Node;
use crate::view::BackendConfig;

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
