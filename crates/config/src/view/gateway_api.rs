//! The Kubernetes Gateway API objects of the view (`gateway.networking.k8s.io`: GatewayClass,
//! Gateway, the routes), provider-neutral, and the AWS Load Balancer Controller's own
//! resources that configure what it makes of them (`gateway.k8s.aws`:
//! LoadBalancerConfiguration, TargetGroupConfiguration, ListenerRuleConfiguration). Which
//! implementation runs a Gateway is told by its GatewayClass's `controllerName`
//! ([`GatewayImpl::from_controller`]).

use crate::node::{Field, Loc};

/// The implementations of the Gateway API netconform names, by the `controllerName` of their
/// GatewayClass, each with the document it is taken from. Another implementation (a cloud's
/// own controller) adds its row and, for what it configures, its own reader.
const CONTROLLERS: &[(&str, GatewayImpl)] = &[
    // AWS Load Balancer Controller, docs/guide/gateway/l7gateway.md and l4gateway.md.
    ("gateway.k8s.aws/alb", GatewayImpl::AwsAlb),
    ("gateway.k8s.aws/nlb", GatewayImpl::AwsNlb),
    // GKE Gateway controller (cloud.google.com/kubernetes-engine/docs/concepts/gateway-api).
    ("networking.gke.io/gateway", GatewayImpl::Gke),
    (
        "alb.networking.azure.io/alb-controller",
        GatewayImpl::AzureAgc,
    ),
    // Envoy Gateway (gateway.envoyproxy.io, "Quickstart"): Envoy proxies in the cluster.
    (
        "gateway.envoyproxy.io/gatewayclass-controller",
        GatewayImpl::InCluster("Envoy Gateway"),
    ),
    // NGINX Gateway Fabric (docs.nginx.com/nginx-gateway-fabric).
    (
        "gateway.nginx.org/nginx-gateway-controller",
        GatewayImpl::InCluster("NGINX Gateway Fabric"),
    ),
    // Traefik (doc.traefik.io, "Kubernetes Gateway API" provider).
    (
        "traefik.io/gateway-controller",
        GatewayImpl::InCluster("Traefik"),
    ),
    // HAProxy Kubernetes Ingress Controller (haproxytech, documentation/gateway-api.md).
    (
        "haproxy.org/gateway-controller",
        GatewayImpl::InCluster("HAProxy Kubernetes Ingress Controller"),
    ),
    // Istio (istio.io, "Kubernetes Gateway API").
    (
        "istio.io/gateway-controller",
        GatewayImpl::InCluster("Istio"),
    ),
];

/// What runs a Gateway, told by its GatewayClass's `controllerName`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayImpl {
    /// The AWS Load Balancer Controller's ALB gateway controller (`gateway.k8s.aws/alb`): an
    /// Application Load Balancer per Gateway, for HTTPRoute and GRPCRoute.
    AwsAlb,
    /// Its NLB gateway controller (`gateway.k8s.aws/nlb`): a Network Load Balancer per Gateway,
    /// for TCPRoute, UDPRoute and TLSRoute.
    AwsNlb,
    /// The GKE Gateway controller (`networking.gke.io/gateway`): a Google Cloud load balancer
    /// per Gateway, which one its GatewayClass's name says (`checks::load_balancer::gke_gateway`).
    Gke,
    /// Azure's ALB Controller (`alb.networking.azure.io/alb-controller`): an Application
    /// Gateway for Containers, Azure's layer-7 load balancer outside the cluster; its health
    /// probe set by a HealthCheckPolicy (`alb.networking.azure.io/v1`).
    AzureAgc,
    /// An HTTP proxy that runs in the cluster, named; a Service of type LoadBalancer usually
    /// fronts it.
    InCluster(&'static str),
    /// Another implementation, by its `controllerName`: judged only on what the Gateway API
    /// itself says.
    Other(String),
}

impl GatewayImpl {
    /// The implementation of a `controllerName`.
    pub fn from_controller(name: &str) -> GatewayImpl {
        CONTROLLERS
            .iter()
            .find(|(c, _)| *c == name)
            .map_or_else(|| GatewayImpl::Other(name.to_owned()), |(_, i)| i.clone())
    }

    /// Whether the AWS Load Balancer Controller provisions its load balancer.
    pub fn is_aws(&self) -> bool {
        matches!(self, GatewayImpl::AwsAlb | GatewayImpl::AwsNlb)
    }
}

impl std::fmt::Display for GatewayImpl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayImpl::AwsAlb => f.write_str("the AWS Load Balancer Controller (ALB)"),
            GatewayImpl::AwsNlb => f.write_str("the AWS Load Balancer Controller (NLB)"),
            GatewayImpl::Gke => f.write_str("the GKE Gateway controller"),
            GatewayImpl::AzureAgc => {
                f.write_str("Application Gateway for Containers (Azure's ALB Controller)")
            }
            GatewayImpl::InCluster(name) => write!(f, "{name} (a proxy in the cluster)"),
            GatewayImpl::Other(name) => write!(f, "controller {name}"),
        }
    }
}

/// A reference to an object that configures a GatewayClass or a Gateway (`parametersRef`).
#[derive(Debug, Clone)]
pub struct ParamsRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    /// A GatewayClass's reference names its namespace; a Gateway's is its own.
    pub namespace: Option<String>,
    pub at: Loc,
}

impl ParamsRef {
    /// Whether it names an AWS Load Balancer Controller LoadBalancerConfiguration.
    pub fn is_lb_config(&self) -> bool {
        self.group == AWS_GROUP && self.kind == "LoadBalancerConfiguration"
    }
}

/// The AWS Load Balancer Controller's API group.
pub const AWS_GROUP: &str = "gateway.k8s.aws";
/// The Gateway API's group.
pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// A GatewayClass (cluster-scoped).
#[derive(Debug, Clone)]
pub struct GatewayClass {
    /// "GatewayClass aws-alb".
    pub subject: String,
    pub name: String,
    pub at: Loc,
    pub controller: Field<String>,
    pub params: Option<ParamsRef>,
}

/// A Gateway.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// "Gateway pulumi/pulumi".
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.gatewayClassName`.
    pub class: Field<String>,
    /// `spec.infrastructure.parametersRef`.
    pub params: Option<ParamsRef>,
    pub listeners: Vec<Listener>,
    /// `status.addresses[].value`: the load balancer's DNS name (type Hostname) or addresses.
    pub addresses: Vec<String>,
}

/// A listener of a Gateway.
#[derive(Debug, Clone)]
pub struct Listener {
    pub name: String,
    /// "HTTP", "HTTPS", "TLS", "TCP", "UDP".
    pub protocol: String,
    pub port: Option<u64>,
    pub hostname: Option<String>,
    pub at: Loc,
}

/// An HTTPRoute, GRPCRoute, TLSRoute or TCPRoute.
#[derive(Debug, Clone)]
pub struct Route {
    /// "HTTPRoute pulumi/pulumi-api".
    pub subject: String,
    /// "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute".
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// The Gateways it attaches to (`spec.parentRefs` of kind Gateway), by namespace and name.
    pub parents: Vec<(String, String)>,
    pub hostnames: Vec<String>,
    /// The Services its rules send to, by namespace and name.
    pub backends: Vec<Backend>,
}

impl Route {
    /// Whether the route carries HTTP (HTTPRoute, GRPCRoute): a layer-7 route.
    pub fn is_http(&self) -> bool {
        matches!(self.kind.as_str(), "HTTPRoute" | "GRPCRoute")
    }
}

/// A Service a route's rule sends to.
#[derive(Debug, Clone)]
pub struct Backend {
    pub namespace: String,
    pub name: String,
    pub at: Loc,
}

/// A `key`/`value` attribute of a load balancer or a target group.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub key: String,
    pub value: Field<String>,
}

/// A LoadBalancerConfiguration (`gateway.k8s.aws/v1`).
#[derive(Debug, Clone)]
pub struct LbConfig {
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.scheme`: "internal" (the controller's default) or "internet-facing".
    pub scheme: Field<String>,
    /// `spec.loadBalancerSubnets[].identifier`: subnet IDs or names (their Name tag); unset,
    /// the controller discovers the subnets (or `loadBalancerSubnetsSelector` picks them).
    pub subnets: Field<Vec<String>>,
    /// `spec.mergingMode`: only the GatewayClass's is honoured.
    pub merging_mode: Field<String>,
    /// `spec.loadBalancerAttributes`.
    pub attributes: Vec<Attribute>,
    pub attributes_at: Loc,
    /// `spec.defaultTargetGroupConfiguration.name`: a TargetGroupConfiguration in its
    /// namespace.
    pub default_tg_config: Option<String>,
}

impl LbConfig {
    /// An attribute by key.
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }
}

/// A TargetGroupConfiguration (`gateway.k8s.aws/v1`).
#[derive(Debug, Clone)]
pub struct TgConfig {
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.targetReference`: the Service (kind and name) it configures; none for a default
    /// a LoadBalancerConfiguration names.
    pub target: Option<(String, String)>,
    /// `spec.defaultConfiguration`.
    pub default: TgProps,
    /// `spec.routeConfigurations`.
    pub routes: Vec<RouteTgProps>,
}

/// Target group properties for the routes a `routeIdentifier` matches.
#[derive(Debug, Clone)]
pub struct RouteTgProps {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub props: TgProps,
}

/// Target group properties (`TargetGroupProps`).
#[derive(Debug, Clone)]
pub struct TgProps {
    pub at: Loc,
    /// `targetType`: "instance" (the controller's default) or "ip".
    pub target_type: Field<String>,
    /// `healthCheckConfig`, taken whole (the controller does not merge its fields).
    pub health: Option<TgHealth>,
    pub attributes: Vec<Attribute>,
}

/// A target group's health check (`healthCheckConfig`).
#[derive(Debug, Clone)]
pub struct TgHealth {
    pub at: Loc,
    pub path: Field<String>,
    /// `matcher.httpCode`.
    pub http_code: Field<String>,
}

/// A ListenerRuleConfiguration (`gateway.k8s.aws/v1`): the ALB rule features the Gateway API
/// lacks (authentication, fixed responses, source-IP conditions).
#[derive(Debug, Clone)]
pub struct ListenerRuleConfig {
    pub subject: String,
    pub namespace: String,
    pub name: String,
    pub at: Loc,
    /// `spec.actions[].type`: "fixed-response", "authenticate-oidc", ...
    pub actions: Vec<String>,
}
