//! The normalized view of a deployment: every exported file, whatever its format, read into
//! the same types, each value with its location. The checks read only this.

mod aws_resources;
mod egress;
mod gateway_api;
mod gateway_resolve;
mod gcp_resources;
mod joins;
mod kubernetes_objects;
mod proxies;

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

pub use aws_resources::{
    AutoScalingGroup, BlockPublicAccess, BpaExclusion, CapacityProvider, Database, DbSubnetGroup,
    DnsRecord, EcsContainer, EcsService, EksCluster, GroupKind, Launch, LbKind, LifecycleHook,
    LoadBalancer, NatGateway, NodeGroup, Placement, RegionalNat, RouteTable, ScalableTarget,
    ScalingPolicy, Subnet, SubnetEgress, TERMINATING, TargetGroup, TaskDefinition, Tier, TierOf,
    VpcEndpoint, ZoneAttribute,
};
pub use gateway_api::{
    AWS_GROUP, Attribute, Backend, GATEWAY_GROUP, Gateway, GatewayClass, GatewayImpl, LbConfig,
    Listener, ListenerRuleConfig, ParamsRef, Route, RouteTgProps, TgConfig, TgHealth, TgProps,
};
pub use gateway_resolve::{Resolved, TgLayers};
pub use gcp_resources::{CloudNat, VmShutdown, gcp_name, gcp_ref, gcp_zone};
pub(crate) use joins::{dns_key, looks_like_api};
pub use joins::{is_api_image, is_console_image};
pub use kubernetes_objects::{
    AgcHealthPolicy, BackendConfig, GkePolicy, Hpa, Ingress, IngressClass, KubeContainer,
    KubeService, KubeWorkload, PreStop, Probe, ZoneRule,
};
pub use proxies::{Proxy, ProxyTier, proxy_of_image};

pub use netconform_model::inputs::Input;

use crate::node::Loc;
use crate::position::Tree;

/// Files parsed for their positions, by name; `None` for one that does not parse.
type ParsedFiles =
    std::sync::Arc<std::sync::Mutex<BTreeMap<String, Option<std::sync::Arc<Vec<Spanned<Tree>>>>>>>;

/// Everything read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    pub workloads: Vec<KubeWorkload>,
    pub hpas: Vec<Hpa>,
    pub kube_services: Vec<KubeService>,
    pub ingresses: Vec<Ingress>,
    /// GKE's BackendConfigs.
    pub backend_configs: Vec<BackendConfig>,
    /// The GKE Gateway controller's HealthCheckPolicies and GCPBackendPolicies.
    pub gke_policies: Vec<GkePolicy>,
    /// Application Gateway for Containers' HealthCheckPolicies.
    pub agc_health_policies: Vec<AgcHealthPolicy>,
    pub ingress_classes: Vec<IngressClass>,
    pub gateway_classes: Vec<GatewayClass>,
    pub gateways: Vec<Gateway>,
    /// HTTPRoutes, GRPCRoutes, TLSRoutes and TCPRoutes.
    pub routes: Vec<Route>,
    pub lb_configs: Vec<LbConfig>,
    pub tg_configs: Vec<TgConfig>,
    pub listener_rule_configs: Vec<ListenerRuleConfig>,
    pub ecs_services: Vec<EcsService>,
    pub task_definitions: Vec<TaskDefinition>,
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub scalable_targets: Vec<ScalableTarget>,
    pub scaling_policies: Vec<ScalingPolicy>,
    pub subnets: Vec<Subnet>,
    pub nat_gateways: Vec<NatGateway>,
    pub route_tables: Vec<RouteTable>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub databases: Vec<Database>,
    pub db_subnet_groups: Vec<DbSubnetGroup>,
    pub node_groups: Vec<NodeGroup>,
    /// EKS clusters (`aws eks describe-cluster`), for EKS Auto Mode.
    pub eks_clusters: Vec<EksCluster>,
    /// Load balancer and target group attributes about zones (zonal shift, target group
    /// health thresholds), for the multi-AZ rules' evidence.
    pub zone_attributes: Vec<ZoneAttribute>,
    pub records: Vec<DnsRecord>,
    pub groups: Vec<AutoScalingGroup>,
    pub lifecycle_hooks: Vec<LifecycleHook>,
    pub capacity_providers: Vec<CapacityProvider>,
    /// Google Cloud's Cloud NAT gateways.
    pub cloud_nats: Vec<CloudNat>,
    /// The graceful shutdown of Google Cloud managed instance groups' VMs (their templates').
    pub vm_shutdowns: Vec<VmShutdown>,
    /// VPC Block Public Access (`describe-vpc-block-public-access-options`), when exported.
    pub block_public_access: Option<BlockPublicAccess>,
    pub bpa_exclusions: Vec<BpaExclusion>,
    /// Whether Azure inputs were read (az output, a stack export's azure-native resources,
    /// what Azure collection wrote): messages then name the az command and the Azure RBAC
    /// action of a missing input ([`Input::on_azure`]), not the AWS CLI's.
    pub azure: bool,
    /// The kinds of input read (an empty list counts: it says there are none).
    pub inputs: BTreeSet<Input>,
    /// The kinds collection was refused, with the IAM action denied (`denied.json`, which
    /// `netconform collect` writes): "not checked: AccessDenied for <action>".
    pub denied: BTreeMap<Input, String>,
    /// The kinds whose collection call failed otherwise (an operation the service does not
    /// implement), with the action and what it said (`denied.json`'s `NetconformFailed`): a
    /// gap named with its action, never "none".
    pub failed: BTreeMap<Input, (String, String)>,
    /// Where each kind of input was first read (a list such as `aws/subnets.json: Subnets`),
    /// for findings about something that is not there.
    pub lists: BTreeMap<Input, Loc>,
    /// The files read, as the environment file names them.
    pub files: Vec<String>,
    /// Their text, by that name, to tell a finding's line and column.
    pub texts: BTreeMap<String, std::sync::Arc<str>>,
    /// The files parsed for [`Deployment::locate`], once each, on first use.
    parsed: ParsedFiles,
}

/// Where a desired count comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    /// What the deployment's code or manifest set (a manifest, a stack export's inputs,
    /// kubectl's last-applied-configuration).
    Configured,
    /// What the platform reports now (`kubectl get`, `aws ... describe-*`): autoscaling may
    /// have raised it above the configured baseline.
    Live,
}

impl Told {
    /// How a value was told, for findings: empty for a configured one.
    pub fn note(self) -> &'static str {
        match self {
            Told::Configured => "",
            Told::Live => {
                " (the live value; autoscaling may have raised it: export the manifest or the stack for the configured baseline)"
            }
        }
    }
}
