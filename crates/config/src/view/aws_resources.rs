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
    /// The target groups its tasks register with: `loadBalancers[].targetGroupArn`, and for
    /// a blue/green service each one's `advancedConfiguration.alternateTargetGroupArn`,
    /// which its tasks take turn by turn.
    pub target_groups: Vec<String>,
    /// Classic load balancers it registers with (`loadBalancers[].loadBalancerName`).
    pub classic_load_balancers: Vec<String>,
    /// `launchType`: "FARGATE", "EC2", "EXTERNAL"; unset with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// The capacity providers of its strategy ("FARGATE", "FARGATE_SPOT", an EC2 one).
    pub capacity_providers: Vec<String>,
    /// Where the launch type or the strategy is written.
    pub launch_at: Loc,
    /// `availabilityZoneRebalancing`: "ENABLED" or "DISABLED" (ECS, "Balancing an Amazon ECS
    /// service across Availability Zones"); unset where the input does not say.
    pub az_rebalancing: Field<String>,
    /// `deploymentConfiguration.strategy`: "ROLLING" (the default), "BLUE_GREEN", "LINEAR",
    /// "CANARY" (ECS developer guide, "Amazon ECS blue/green deployments").
    pub deployment_strategy: Field<String>,
    /// `deploymentConfiguration.bakeTimeInMinutes`: how long both revisions run after
    /// production traffic has moved.
    pub bake_time: Field<u64>,
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
    /// The addresses it answers on, where the input names them rather than (or beside) a DNS
    /// name: Azure's frontend public IPs, a Google Cloud forwarding rule's `IPAddress`; for
    /// records that point at an address rather than a name.
    pub addresses: Vec<String>,
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
    /// An Azure Application Gateway (v2: Standard_v2, WAF_v2): layer 7.
    ApplicationGateway,
    /// An Azure Application Gateway of the v1 SKU (tier Standard or WAF): retired by Microsoft
    /// on April 28, 2026, so not the guide's layer-7 balancer however it routes.
    ApplicationGatewayV1,
    /// Azure Front Door (Standard, Premium): a global layer-7 entry point.
    FrontDoor,
    /// Azure Front Door (classic), `Microsoft.Network/frontDoors`: global, layer 7, retired by
    /// Microsoft on March 31, 2027.
    FrontDoorClassic,
    /// A frontend of an Azure Application Gateway for Containers: layer 7, placed by Azure.
    ApplicationGatewayForContainers,
    /// An Azure Load Balancer (Standard): layer 4.
    AzureLoadBalancer,
    /// A Google Cloud external Application Load Balancer (global or regional, classic or
    /// `EXTERNAL_MANAGED`): a forwarding rule to a target HTTP(S) proxy: layer 7.
    GcpApplication,
    /// A Google Cloud Network Load Balancer: a forwarding rule straight to a backend service
    /// or target pool (passthrough), or to a target TCP or SSL proxy: layer 4.
    GcpNetwork,
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
        matches!(
            self,
            LbKind::Application
                | LbKind::ApplicationGateway
                | LbKind::FrontDoor
                | LbKind::FrontDoorClassic
                | LbKind::ApplicationGatewayForContainers
                | LbKind::GcpApplication
        )
    }

    /// Whether it is one of Google Cloud's (no subnets, no zones, no deletion protection of
    /// its own: a forwarding rule in front of Google's front ends).
    pub fn is_gcp(self) -> bool {
        matches!(self, LbKind::GcpApplication | LbKind::GcpNetwork)
    }
}

impl std::fmt::Display for LbKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LbKind::Application => "an Application Load Balancer (layer 7)",
            LbKind::Network => "a Network Load Balancer (layer 4)",
            LbKind::Gateway => "a Gateway Load Balancer (layer 3, for appliances)",
            LbKind::Classic => "a Classic Load Balancer (previous generation)",
            LbKind::ApplicationGateway => "an Azure Application Gateway (layer 7)",
            LbKind::ApplicationGatewayV1 => {
                "an Azure Application Gateway of the v1 SKU (Standard or WAF tier)"
            }
            LbKind::FrontDoor => "Azure Front Door (layer 7)",
            LbKind::FrontDoorClassic => "Azure Front Door (classic) (layer 7)",
            LbKind::ApplicationGatewayForContainers => {
                "an Azure Application Gateway for Containers (layer 7)"
            }
            LbKind::AzureLoadBalancer => "an Azure Load Balancer (layer 4)",
            LbKind::GcpApplication => "a Google Cloud external Application Load Balancer (layer 7)",
            LbKind::GcpNetwork => {
                "a Google Cloud Network Load Balancer (layer 4, passthrough or TCP proxy)"
            }
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
    /// What a subnet says of its own way out where no route table does (Azure), if anything.
    pub egress: Option<SubnetEgress>,
    /// Its region, for a regional subnet (Google Cloud's span every zone of it).
    pub region: Option<String>,
    /// Google Cloud's Private Google Access (`privateIpGoogleAccess`): Cloud Storage and the
    /// other Google APIs reached on internal addresses.
    pub private_google_access: Field<bool>,
}

/// A subnet's own egress settings, on platforms where a NAT gateway is attached to the subnet
/// rather than named by a route (Azure), and where a subnet spans every zone of its region.
#[derive(Debug, Clone)]
pub struct SubnetEgress {
    /// The NAT gateway attached to it, and where that is written.
    pub nat_gateway: Option<(String, Loc)>,
    /// Azure's `defaultOutboundAccess`: unset means on (an implicit public address).
    pub default_outbound: Field<bool>,
    /// Its route table, if one is attached (its routes are not read).
    pub route_table: Option<String>,
    /// The services it is delegated to (`Microsoft.DBforPostgreSQL/flexibleServers`).
    pub delegations: Vec<String>,
    /// Its service endpoints (`Microsoft.Storage`).
    pub service_endpoints: Vec<String>,
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
    /// The zones it is pinned to (Azure: one for a zonal NAT gateway, none for one Azure
    /// places itself); empty where a subnet tells the zone (AWS).
    pub zones: Vec<String>,
    /// Its SKU (Azure: `Standard`, `StandardV2`).
    pub sku: Option<String>,
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
    /// The subnet a private endpoint's address is in (Azure).
    pub subnet: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Database {
    pub subject: String,
    pub at: Loc,
    /// Its resource id, where the input gives one to join on (Azure).
    pub id: Option<String>,
    pub public: Field<bool>,
    pub subnets: Vec<String>,
    pub subnet_group: Option<String>,
    /// The network it has its private address on, for a database that sits in no subnet of
    /// its own (Cloud SQL's `settings.ipConfiguration.privateNetwork`), and where it is written.
    pub private_network: Field<String>,
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
    /// The zones its nodes are placed in, where the group says so itself (AKS
    /// `availabilityZones`, a GKE cluster's `locations` or a node pool's); unset where its
    /// subnets tell them (EKS).
    pub zones: Field<Vec<String>>,
    /// Whether its nodes have internal addresses only (GKE private nodes), when told.
    pub private_nodes: Field<bool>,
}

/// A load balancer or target group attribute about zones, read as it is: a load balancer's
/// `zonal_shift.config.enabled`, a target group's `target_group_health.*` thresholds (ELB,
/// "Enable zonal shift for your Application Load Balancer", "Target group health").
#[derive(Debug, Clone)]
pub struct ZoneAttribute {
    /// The subject of the load balancer or target group it belongs to.
    pub owner: String,
    pub owner_arn: Option<String>,
    pub key: String,
    pub value: Field<String>,
}

/// An EKS cluster (`aws eks describe-cluster`): whether EKS Auto Mode runs its nodes.
#[derive(Debug, Clone)]
pub struct EksCluster {
    pub subject: String,
    pub name: String,
    pub at: Loc,
    /// `computeConfig.enabled`: EKS Auto Mode, whose nodes come from node pools and their
    /// NodeClass rather than managed node groups.
    pub auto_mode: Field<bool>,
    /// `computeConfig.nodePools`: the built-in node pools ("general-purpose", "system").
    pub node_pools: Vec<String>,
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
    /// `AvailabilityZones` (a managed instance group's `distributionPolicy.zones`).
    pub zones: Vec<String>,
    /// Where its zones are written.
    pub zones_at: Loc,
    /// Whether its instances get external addresses (a Google Cloud instance template's
    /// access configs), when an input tells.
    pub public_ip: Field<bool>,
    /// `TargetGroupARNs`: what it registers its instances with.
    pub target_groups: Vec<String>,
    /// "EC2" or "ELB" (several types: "ELB" among them).
    pub health_check_type: Field<String>,
    pub health_check_grace: Field<u64>,
    /// What kind of group it is.
    pub kind: GroupKind,
    /// `AvailabilityZoneDistribution.CapacityDistributionStrategy` of an EC2 group:
    /// "balanced-best-effort" (AWS's default), "balanced-only", "reservations-then-balanced".
    pub distribution: Field<String>,
}

/// The kind of a group of identical VMs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// An EC2 Auto Scaling group.
    Ec2,
    /// An Azure virtual machine scale set.
    AzureScaleSet,
    /// A Google Cloud managed instance group.
    GcpManagedGroup,
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
