//! The Kubernetes objects of the view: workloads and their containers, autoscalers, Services,
//! Ingresses.

use std::collections::BTreeMap;

use super::Told;
use crate::node::{Field, Loc, State};

/// A Kubernetes Deployment or StatefulSet.
#[derive(Debug, Clone)]
pub struct KubeWorkload {
    /// "Deployment pulumi/pulumi-api".
    pub subject: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The object itself (`items[2]` in a List, empty for a document of its own).
    pub at: Loc,
    pub api: bool,
    pub replicas: Field<u64>,
    /// Whether `replicas` is what the manifest set or what the cluster reports now.
    pub replicas_told: Told,
    pub template_labels: BTreeMap<String, String>,
    /// Where zone spread would be written: `spec.template.spec.topologySpreadConstraints`.
    pub spread_at: Loc,
    pub zone_rules: Vec<ZoneRule>,
    pub grace: Field<u64>,
    pub containers: Vec<KubeContainer>,
}

/// A rule that spreads pods over zones.
#[derive(Debug, Clone)]
pub struct ZoneRule {
    /// "topologySpreadConstraints (DoNotSchedule)", "podAntiAffinity (preferred)".
    pub what: String,
    /// Whether the scheduler must honour it (DoNotSchedule, required anti-affinity).
    pub hard: bool,
    pub at: Loc,
}

#[derive(Debug, Clone)]
pub struct KubeContainer {
    pub name: String,
    pub image: String,
    pub at: Loc,
    pub pre_stop: Field<PreStop>,
    pub readiness: Field<Probe>,
    pub liveness: Field<Probe>,
    pub startup: Field<Probe>,
}

/// A preStop hook.
#[derive(Debug, Clone, PartialEq)]
pub enum PreStop {
    /// `sleep: {seconds: N}`, or an exec of `sleep N`.
    Sleep(u64),
    /// Another command: how long it takes is not known.
    Exec(String),
    /// An HTTP call to the container.
    Http(String),
}

/// A probe, with Kubernetes' defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The httpGet path; none for tcpSocket, exec and grpc probes.
    pub http_path: Option<String>,
    /// "httpGet", "tcpSocket", "exec", "grpc".
    pub kind: String,
    pub initial_delay: u64,
    pub period: u64,
    pub failure_threshold: u64,
}

impl Probe {
    /// Seconds before failing probes can restart a container that never answers.
    pub fn budget(&self) -> u64 {
        self.initial_delay + self.period * self.failure_threshold
    }
}

/// A HorizontalPodAutoscaler.
#[derive(Debug, Clone)]
pub struct Hpa {
    pub subject: String,
    pub namespace: String,
    pub at: Loc,
    pub target_kind: String,
    pub target_name: String,
    pub min: Field<u64>,
    pub max: Field<u64>,
    /// The CPU utilization target; unset when the HPA does not scale on CPU utilization.
    pub cpu: Field<f64>,
}

#[derive(Debug, Clone)]
pub struct KubeService {
    /// "Service pulumi/pulumi-api".
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    pub selector: BTreeMap<String, String>,
    /// `spec.type`: "ClusterIP" (the default), "NodePort", "LoadBalancer", ...
    pub service_type: Field<String>,
    pub annotations: BTreeMap<String, String>,
    /// `status.loadBalancer.ingress[]`: the hostnames and addresses of its load balancer.
    pub status_hostnames: Vec<String>,
}

impl KubeService {
    /// Whether it is of type LoadBalancer.
    pub fn is_load_balancer(&self) -> bool {
        self.service_type.value().map(String::as_str) == Some("LoadBalancer")
    }

    /// Whether its selector picks a workload's pods.
    pub fn selects(&self, w: &KubeWorkload) -> bool {
        w.namespace == self.namespace
            && !self.selector.is_empty()
            && self
                .selector
                .iter()
                .all(|(k, v)| w.template_labels.get(k) == Some(v))
    }
}

/// An IngressClass: which controller serves the Ingresses of a class.
#[derive(Debug, Clone)]
pub struct IngressClass {
    pub name: String,
    pub at: Loc,
    /// `spec.controller`: "k8s.io/ingress-nginx", "ingress.k8s.aws/alb", ...
    pub controller: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Ingress {
    pub subject: String,
    pub namespace: String,
    pub at: Loc,
    /// Managed by the AWS Load Balancer Controller (class `alb` or its annotations).
    pub alb: bool,
    /// `spec.ingressClassName` or the `kubernetes.io/ingress.class` annotation.
    pub class: Option<String>,
    /// Where annotations are written: `metadata.annotations`.
    pub annotations_at: Loc,
    pub annotations: BTreeMap<String, String>,
    /// The services its rules and default backend send to.
    pub backends: Vec<String>,
    pub hosts: Vec<String>,
    /// `status.loadBalancer.ingress[].hostname`: the load balancer it got.
    pub status_hostnames: Vec<String>,
}

impl Ingress {
    /// An annotation's value and location.
    pub fn annotation(&self, name: &str) -> Field<String> {
        let at = self.annotations_at.key(name);
        match self.annotations.get(name) {
            Some(v) => Field::set(at, v.clone()),
            None => Field::unset(at),
        }
    }

    /// `key=value` pairs of an attributes annotation
    /// (`alb.ingress.kubernetes.io/load-balancer-attributes`).
    pub fn attribute(&self, annotation: &str, key: &str) -> Field<String> {
        let field = self.annotation(annotation);
        let at = field.at.clone();
        match field.state {
            State::Set(text) => text
                .split(',')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim() == key)
                .map_or(Field::unset(at.clone()), |(_, v)| {
                    Field::set(at.clone(), v.trim().to_owned())
                }),
            _ => Field::unset(at),
        }
    }
}

/// A GKE BackendConfig: what the GKE Ingress controller sets on the backend service of a
/// Service that names it (`cloud.google.com/backend-config`).
#[derive(Debug, Clone)]
pub struct BackendConfig {
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.healthCheck.requestPath`.
    pub health_path: Field<String>,
    /// `spec.connectionDraining.drainingTimeoutSec`.
    pub draining: Field<u64>,
}

/// A policy of the GKE Gateway controller (`networking.gke.io/v1`) attached to a Service by
/// `spec.targetRef`: a HealthCheckPolicy (the health check of the Service's backend service)
/// or a GCPBackendPolicy (its connection draining), as "Configure Gateway resources using
/// Policies" (https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources)
/// and the CRDs (GoogleCloudPlatform/gke-gateway-api, `apis/networking/v1`) spell them.
#[derive(Debug, Clone)]
pub struct GkePolicy {
    /// "HealthCheckPolicy pulumi/pulumi-api".
    pub subject: String,
    /// "HealthCheckPolicy" or "GCPBackendPolicy".
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.targetRef`: the kind (Service unless told) and name of what it configures, in
    /// its own namespace.
    pub target: Option<(String, String)>,
    /// HealthCheckPolicy `spec.default.config.type` (HTTP when not set).
    pub health_type: Field<String>,
    /// HealthCheckPolicy `spec.default.config.{http,https,http2}HealthCheck.requestPath`.
    pub health_path: Field<String>,
    /// GCPBackendPolicy `spec.default.connectionDraining.drainingTimeoutSec`.
    pub draining: Field<u64>,
}

impl GkePolicy {
    /// Whether it is attached to the Service `namespace/name`.
    pub fn targets_service(&self, namespace: &str, name: &str) -> bool {
        self.namespace == namespace
            && self
                .target
                .as_ref()
                .is_some_and(|(k, n)| k == "Service" && n == name)
    }
}

/// An Application Gateway for Containers HealthCheckPolicy (`alb.networking.azure.io/v1`):
/// the health probe the gateway sends to the pods of the Service it targets.
#[derive(Debug, Clone)]
pub struct AgcHealthPolicy {
    pub subject: String,
    pub at: Loc,
    /// `spec.targetRef`: the kind (Service), namespace and name it applies to.
    pub target: (String, String, String),
    /// `spec.default.http.path`; unset for a gRPC probe or none.
    pub path: Field<String>,
    /// `spec.default.http.match.statusCodes` as a matcher ("200-299,301").
    pub codes: Field<String>,
}
