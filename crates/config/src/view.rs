//! The normalized view of a deployment: every exported file, whatever its format, read into
//! the same types, each value with its location. The checks read only this.

mod aws_resources;
mod joins;
mod kubernetes_objects;

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

pub use aws_resources::{
    AutoScalingGroup, CapacityProvider, Database, DbSubnetGroup, DnsRecord, EcsContainer,
    EcsService, Launch, LbKind, LifecycleHook, LoadBalancer, NatGateway, NodeGroup, Placement,
    RouteTable, ScalableTarget, ScalingPolicy, Subnet, TERMINATING, TargetGroup, TaskDefinition,
    Tier, TierOf, VpcEndpoint,
};
pub(crate) use joins::{dns_key, looks_like_api};
pub use joins::{is_api_image, is_console_image};
pub use kubernetes_objects::{
    Hpa, Ingress, KubeContainer, KubeService, KubeWorkload, PreStop, Probe, ZoneRule,
};

use crate::node::Loc;
use crate::position::Tree;

/// Files parsed for their positions, by name; `None` for one that does not parse.
type ParsedFiles =
    std::sync::Arc<std::sync::Mutex<BTreeMap<String, Option<std::sync::Arc<Vec<Spanned<Tree>>>>>>>;

/// A kind of input. Whether a kind was read decides between "none exists" (a finding) and "not
/// checked: no input for it".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Kubernetes,
    EcsServices,
    TaskDefinitions,
    LoadBalancers,
    LoadBalancerAttributes,
    TargetGroups,
    TargetGroupAttributes,
    ScalableTargets,
    ScalingPolicies,
    Subnets,
    NatGateways,
    RouteTables,
    VpcEndpoints,
    Databases,
    NodeGroups,
    Records,
    ClassicLoadBalancers,
    AutoScalingGroups,
    GroupPolicies,
    LifecycleHooks,
    CapacityProviders,
}

impl Input {
    /// Every kind, for lookups by [`Input::source`].
    pub const ALL: [Input; 21] = [
        Input::Kubernetes,
        Input::EcsServices,
        Input::TaskDefinitions,
        Input::LoadBalancers,
        Input::LoadBalancerAttributes,
        Input::TargetGroups,
        Input::TargetGroupAttributes,
        Input::ScalableTargets,
        Input::ScalingPolicies,
        Input::Subnets,
        Input::NatGateways,
        Input::RouteTables,
        Input::VpcEndpoints,
        Input::Databases,
        Input::NodeGroups,
        Input::Records,
        Input::ClassicLoadBalancers,
        Input::AutoScalingGroups,
        Input::GroupPolicies,
        Input::LifecycleHooks,
        Input::CapacityProviders,
    ];

    /// The kind whose CLI command is `command` (`aws elbv2 describe-target-groups`).
    pub fn of_command(command: &str) -> Option<Input> {
        let command = command.trim();
        if command == "kubectl get" {
            return Some(Input::Kubernetes);
        }
        Input::ALL
            .into_iter()
            .find(|i| i.source().trim_matches('`') == command)
    }

    /// What to export to provide it.
    pub fn source(self) -> &'static str {
        match self {
            Input::Kubernetes => {
                "Kubernetes manifests or `kubectl get deploy,hpa,pdb,svc,ingress -o json`"
            }
            Input::EcsServices => "`aws ecs describe-services`",
            Input::TaskDefinitions => "`aws ecs describe-task-definition`",
            Input::LoadBalancers => "`aws elbv2 describe-load-balancers`",
            Input::LoadBalancerAttributes => "`aws elbv2 describe-load-balancer-attributes`",
            Input::TargetGroups => "`aws elbv2 describe-target-groups`",
            Input::TargetGroupAttributes => "`aws elbv2 describe-target-group-attributes`",
            Input::ScalableTargets => "`aws application-autoscaling describe-scalable-targets`",
            Input::ScalingPolicies => "`aws application-autoscaling describe-scaling-policies`",
            Input::Subnets => "`aws ec2 describe-subnets`",
            Input::NatGateways => "`aws ec2 describe-nat-gateways`",
            Input::RouteTables => "`aws ec2 describe-route-tables`",
            Input::VpcEndpoints => "`aws ec2 describe-vpc-endpoints`",
            Input::Databases => "`aws rds describe-db-instances`",
            Input::NodeGroups => "`aws eks describe-nodegroup`",
            Input::Records => "`aws route53 list-resource-record-sets`",
            Input::ClassicLoadBalancers => "`aws elb describe-load-balancers`",
            Input::AutoScalingGroups => "`aws autoscaling describe-auto-scaling-groups`",
            Input::GroupPolicies => "`aws autoscaling describe-policies`",
            Input::LifecycleHooks => "`aws autoscaling describe-lifecycle-hooks`",
            Input::CapacityProviders => "`aws ecs describe-capacity-providers`",
        }
    }
}

/// Everything read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Deployment {
    pub workloads: Vec<KubeWorkload>,
    pub hpas: Vec<Hpa>,
    pub kube_services: Vec<KubeService>,
    pub ingresses: Vec<Ingress>,
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
    pub records: Vec<DnsRecord>,
    pub groups: Vec<AutoScalingGroup>,
    pub lifecycle_hooks: Vec<LifecycleHook>,
    pub capacity_providers: Vec<CapacityProvider>,
    /// The kinds of input read (an empty list counts: it says there are none).
    pub inputs: BTreeSet<Input>,
    /// The kinds collection was refused, with the IAM action denied (`denied.json`, which
    /// `netconform collect` writes): "not checked: AccessDenied for <action>".
    pub denied: BTreeMap<Input, String>,
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
