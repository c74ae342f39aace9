//! The AWS resources of the view: ECS services and task definitions, load balancers and
//! target groups, autoscaling, the network, databases, auto-scaling groups, records.

use std::collections::BTreeMap;

use super::Told;
use crate::node::{Field, Loc};

/// An ECS service.
#[derive(Debug, Clone)]
pub struct EcsService {
    /// "ECS service pulumi-api".
    pub subject: String,
    pub name: String,
    pub cluster: Option<String>,
    pub at: Loc,
    pub desired: Field<u64>,
    pub desired_told: Told,
    pub grace: Field<u64>,
    pub subnets: Field<Vec<String>>,
    pub public_ip: Field<bool>,
    pub task_definition: Option<String>,
    pub target_groups: Vec<String>,
    /// Classic load balancers it registers with (`loadBalancers[].loadBalancerName`).
    pub classic_load_balancers: Vec<String>,
    /// `launchType`: "FARGATE", "EC2", "EXTERNAL"; unset with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// The capacity providers of its strategy ("FARGATE", "FARGATE_SPOT", an EC2 one).
    pub capacity_providers: Vec<String>,
    /// Where the launch type or the strategy is written.
    pub launch_at: Loc,
}

/// How an ECS service's tasks are placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// On Fargate; `spot` when FARGATE_SPOT is in the strategy.
    Fargate { spot: bool },
    /// On EC2 container instances, through these capacity providers (none named: the
    /// EC2 launch type).
    Ec2 { providers: Vec<String> },
    /// Not told by the inputs.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct TaskDefinition {
    pub subject: String,
    pub at: Loc,
    pub arn: Option<String>,
    pub family: Option<String>,
    pub containers: Field<Vec<EcsContainer>>,
    /// `requiresCompatibilities`: "FARGATE", "EC2".
    pub compatibilities: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EcsContainer {
    pub name: String,
    pub image: String,
    pub at: Loc,
    pub stop_timeout: Field<u64>,
}

#[derive(Debug, Clone)]
pub struct LoadBalancer {
    pub subject: String,
    pub at: Loc,
    pub arn: Option<String>,
    pub name: Option<String>,
    pub dns_name: Option<String>,
    /// `internet-facing` (true) or `internal` (false), when known.
    pub internet_facing: Option<bool>,
    pub placements: Field<Vec<Placement>>,
    /// Its type, and where the input says it.
    pub kind: Field<LbKind>,
    pub deletion_protection: Field<bool>,
    /// Whether an input gave this load balancer's attributes (its stack export resource, an
    /// attributes file): only then does an unset attribute mean the default applies.
    pub attributes_read: bool,
}

/// The kind of a load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbKind {
    /// An Application Load Balancer: layer 7.
    Application,
    /// A Network Load Balancer: layer 4.
    Network,
    /// A Gateway Load Balancer: layer 3, for appliances.
    Gateway,
    /// A Classic Load Balancer (`aws elb`): the previous generation.
    Classic,
}

impl LbKind {
    /// The ELBv2 `Type` ("application", "network", "gateway"), or the ARN's `/app/`,
    /// `/net/`, `/gwy/`.
    pub fn from_type(text: &str) -> Option<LbKind> {
        match text.to_ascii_lowercase().as_str() {
            "application" | "app" => Some(LbKind::Application),
            "network" | "net" => Some(LbKind::Network),
            "gateway" | "gwy" => Some(LbKind::Gateway),
            _ => None,
        }
    }

    /// The kind an ELBv2 ARN says: `...:loadbalancer/app/name/id`.
    pub fn from_arn(arn: &str) -> Option<LbKind> {
        let rest = arn.split(":loadbalancer/").nth(1)?;
        LbKind::from_type(rest.split('/').next()?)
    }

    pub fn is_layer7(self) -> bool {
        self == LbKind::Application
    }
}

impl std::fmt::Display for LbKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LbKind::Application => "an Application Load Balancer (layer 7)",
            LbKind::Network => "a Network Load Balancer (layer 4)",
            LbKind::Gateway => "a Gateway Load Balancer (layer 3, for appliances)",
            LbKind::Classic => "a Classic Load Balancer (previous generation)",
        })
    }
}

/// Where a load balancer has a node: its subnet and zone, as far as the input says.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub subnet: Option<String>,
    pub zone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TargetGroup {
    pub subject: String,
    pub at: Loc,
    pub arn: Option<String>,
    pub name: String,
    pub port: Option<u64>,
    /// The load balancers that forward to it (`LoadBalancerArns`).
    pub load_balancers: Vec<String>,
    pub health_path: Field<String>,
    pub matcher: Field<String>,
    /// Unset when the input does not say (describe-target-groups without its attributes, a
    /// stack export whose target group does not set it).
    pub deregistration_delay: Field<u64>,
    /// Whether an input gave this target group's attributes (its stack export resource, an
    /// attributes file): only then does an unset attribute mean the default applies.
    pub attributes_read: bool,
}

#[derive(Debug, Clone)]
pub struct ScalableTarget {
    pub subject: String,
    pub at: Loc,
    /// `service/<cluster>/<service>`.
    pub resource_id: String,
    pub min: Field<u64>,
    pub max: Field<u64>,
}

#[derive(Debug, Clone)]
pub struct ScalingPolicy {
    pub subject: String,
    pub at: Loc,
    pub resource_id: String,
    /// The auto-scaling group of an EC2 Auto Scaling policy (`aws autoscaling
    /// describe-policies`); none for Application Auto Scaling.
    pub group: Option<String>,
    /// The predefined metric it tracks ("ECSServiceAverageCPUUtilization"), if any.
    pub metric: Option<String>,
    pub target: Field<f64>,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    pub at: Loc,
    pub zone: Option<String>,
    pub vpc: Option<String>,
    pub map_public_ip: Option<bool>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct NatGateway {
    pub id: String,
    pub at: Loc,
    pub subnet: Option<String>,
    /// Where its subnet is written.
    pub subnet_at: Loc,
    /// "available", "deleted", ...; none when the input does not say.
    pub state: Option<String>,
    /// A regional NAT gateway (`AvailabilityMode: regional`): one gateway for every zone,
    /// with no subnet of its own (AWS, VPC user guide, "Regional NAT gateways for automatic
    /// multi-AZ expansion").
    pub regional: Option<RegionalNat>,
}

/// VPC Block Public Access, the account's mode in a Region (`InternetGatewayBlockMode`:
/// "off", "block-bidirectional", "block-ingress").
#[derive(Debug, Clone)]
pub struct BlockPublicAccess {
    pub mode: Field<String>,
}

/// A VPC Block Public Access exclusion of a VPC or a subnet.
#[derive(Debug, Clone)]
pub struct BpaExclusion {
    /// The VPC or subnet it exempts (`vpc-...`, `subnet-...`, from its ARN).
    pub resource: String,
    /// `InternetGatewayExclusionMode`: "allow-bidirectional" or "allow-egress".
    pub mode: String,
    /// "create-complete", "delete-complete", ...
    pub state: Option<String>,
    pub at: Loc,
}

/// The zones a regional NAT gateway serves.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionalNat {
    /// `AutoProvisionZones: enabled` (the default): it expands to every zone where the VPC
    /// has subnets.
    pub auto_zones: bool,
    /// Otherwise the zones of its `NatGatewayAddresses`.
    pub zones: Vec<String>,
    /// Where its mode is written.
    pub at: Loc,
}

#[derive(Debug, Clone)]
pub struct RouteTable {
    pub id: String,
    pub at: Loc,
    pub vpc: Option<String>,
    pub main: bool,
    pub subnets: Vec<String>,
    /// Where `0.0.0.0/0` goes (`igw-...`, `nat-...`), and where the route is written.
    pub default_route: Option<(String, Loc)>,
    /// The Gateway endpoints its routes lead to (`vpce-...`).
    pub endpoints: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct VpcEndpoint {
    pub id: String,
    pub at: Loc,
    pub service: String,
    pub kind: Option<String>,
    pub vpc: Option<String>,
    pub state: Option<String>,
    /// The route tables a Gateway endpoint is associated with (`RouteTableIds`).
    pub route_tables: Vec<String>,
    /// Where `RouteTableIds` is (or would be) written.
    pub route_tables_at: Loc,
    /// An Interface endpoint's `PrivateDnsEnabled`.
    pub private_dns: Field<bool>,
}

#[derive(Debug, Clone)]
pub struct Database {
    pub subject: String,
    pub at: Loc,
    pub public: Field<bool>,
    pub subnets: Vec<String>,
    pub subnet_group: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DbSubnetGroup {
    pub name: String,
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NodeGroup {
    pub subject: String,
    pub at: Loc,
    pub subnets: Field<Vec<String>>,
}

/// An EC2 auto-scaling group.
#[derive(Debug, Clone)]
pub struct AutoScalingGroup {
    /// "auto-scaling group pulumi-api".
    pub subject: String,
    pub name: String,
    pub arn: Option<String>,
    pub at: Loc,
    pub min: Field<u64>,
    pub max: Field<u64>,
    pub desired: Field<u64>,
    pub desired_told: Told,
    /// `VPCZoneIdentifier` (a comma-separated list in the CLI's output).
    pub subnets: Field<Vec<String>>,
    /// `AvailabilityZones`.
    pub zones: Vec<String>,
    /// `TargetGroupARNs`: what it registers its instances with.
    pub target_groups: Vec<String>,
    /// "EC2" or "ELB" (several types: "ELB" among them).
    pub health_check_type: Field<String>,
    pub health_check_grace: Field<u64>,
}

/// An auto-scaling group's lifecycle hook.
#[derive(Debug, Clone)]
pub struct LifecycleHook {
    pub subject: String,
    pub at: Loc,
    pub group: String,
    /// "autoscaling:EC2_INSTANCE_TERMINATING" or "...LAUNCHING".
    pub transition: String,
    pub heartbeat: Field<u64>,
}

/// The lifecycle transition a termination hook waits on.
pub const TERMINATING: &str = "autoscaling:EC2_INSTANCE_TERMINATING";

/// An ECS capacity provider backed by an auto-scaling group.
#[derive(Debug, Clone)]
pub struct CapacityProvider {
    pub subject: String,
    pub name: String,
    pub arn: Option<String>,
    pub at: Loc,
    /// The auto-scaling group's ARN (or name).
    pub group: Option<String>,
    /// `managedDraining`: "ENABLED" or "DISABLED".
    pub managed_draining: Field<String>,
}

#[derive(Debug, Clone)]
pub struct DnsRecord {
    /// Lowercase, without the trailing dot.
    pub name: String,
    pub record_type: String,
    pub at: Loc,
    /// Alias target or record values, lowercase, without trailing dots.
    pub targets: Vec<String>,
}

/// A subnet's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Its default route goes to an internet gateway.
    Public,
    /// Its default route goes through a NAT gateway (or elsewhere, not the internet).
    Private,
    /// It has no default route: no way to the internet.
    Isolated,
}

/// A subnet's tier and how it was told.
#[derive(Debug, Clone)]
pub struct TierOf {
    pub tier: Option<Tier>,
    /// "route table rtb-1 sends 0.0.0.0/0 to igw-1", "tag SubnetType=Private", or why unknown.
    pub how: String,
    /// The NAT gateway its default route goes to.
    pub nat: Option<String>,
}
