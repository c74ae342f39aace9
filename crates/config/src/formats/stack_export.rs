//! `pulumi stack export` (version 3): `deployment.resources[]`, each handed by its type to the
//! reader of its resource, which reads its `outputs` (where the provider's defaults are filled
//! in) and, for what the program set, its `inputs`.
//!
//! The export's traps: keys vary in case; secrets exported with `--show-secrets` carry their
//! value as JSON text in `plaintext` (revealed here, once, for every reader), those without it
//! cannot be checked.

use std::sync::Arc;

use serde_json::Value;

use crate::formats::az_cli;
use crate::node::{Field, Loc, Node, PULUMI_SECRET_SIG};
use crate::resources::{
    Reading, autoscaling, databases, dns_records, ecs, kubernetes, load_balancers, network,
    node_groups,
};
use crate::view::Told;

/// The stack export version this reads.
pub const STACK_EXPORT_VERSION: u64 = 3;

/// One resource of the export, as the readers see it.
pub(crate) struct Resource<'a> {
    /// Its type (`aws:lb/targetGroup:TargetGroup`).
    pub(crate) kind: String,
    /// Its name, the last part of its URN.
    pub(crate) name: String,
    /// Its provider id.
    pub(crate) id: String,
    /// Its outputs (its inputs when it has no outputs).
    pub(crate) outputs: Node<'a>,
    /// The resource itself, for its inputs.
    pub(crate) node: Node<'a>,
    /// Where the export's resource list is: an input kind read from it is there.
    pub(crate) list_at: Loc,
}

impl Resource<'_> {
    /// "load balancer pulumi-alb (aws:lb/loadBalancer:LoadBalancer)".
    pub(crate) fn subject(&self, what: &str) -> String {
        format!("{what} {} ({})", self.name, self.kind)
    }

    /// A count as the program set it (its inputs), else as the provider reports it (outputs).
    pub(crate) fn configured(&self, key: &str) -> (Field<u64>, Told) {
        let given = self.node.get("inputs").get_ci(key);
        if given.exists() {
            return (given.count(), Told::Configured);
        }
        let output = self.node.get("outputs").get_ci(key);
        if output.exists() {
            (output.count(), Told::Live)
        } else {
            (given.count(), Told::Configured)
        }
    }

    /// A value the program set: in the inputs and not a provider default (`__defaults`).
    /// Unset otherwise, pointing at the inputs where it would be written.
    pub(crate) fn explicit(&self, key: &str) -> Field<u64> {
        let inputs = self.node.get("inputs");
        let defaulted = inputs
            .get("__defaults")
            .texts()
            .value()
            .is_some_and(|d| d.iter().any(|k| k == key));
        let given = inputs.get_ci(key);
        if !given.exists() || defaulted {
            return Field::unset(given.at.clone());
        }
        let output = self.node.get("outputs").get_ci(key);
        if output.exists() {
            output.count()
        } else {
            given.count()
        }
    }
}

/// A reader of one resource type.
type Reader = fn(&Resource<'_>, &mut Reading) -> Result<(), String>;

/// The AWS resource types read (aliases folded by [`aws_type`]), each with its reader.
const AWS_TYPES: [(&str, Reader); 26] = [
    ("ecs/service:Service", ecs::service_from_stack),
    (
        "ecs/taskDefinition:TaskDefinition",
        ecs::task_definition_from_stack,
    ),
    (
        "ecs/capacityProvider:CapacityProvider",
        ecs::capacity_provider_from_stack,
    ),
    ("lb/loadBalancer:LoadBalancer", load_balancers::from_stack),
    (
        "lb/targetGroup:TargetGroup",
        load_balancers::target_group_from_stack,
    ),
    (
        "elb/loadBalancer:LoadBalancer",
        load_balancers::classic_from_stack,
    ),
    (
        "appautoscaling/target:Target",
        autoscaling::scalable_target_from_stack,
    ),
    (
        "appautoscaling/policy:Policy",
        autoscaling::policy_from_stack,
    ),
    ("autoscaling/group:Group", autoscaling::group_from_stack),
    (
        "autoscaling/policy:Policy",
        autoscaling::group_policy_from_stack,
    ),
    (
        "autoscaling/lifecycleHook:LifecycleHook",
        autoscaling::hook_from_stack,
    ),
    ("ec2/vpc:Vpc", network::vpc_from_stack),
    ("ec2/subnet:Subnet", network::subnet_from_stack),
    ("ec2/natGateway:NatGateway", network::nat_gateway_from_stack),
    ("ec2/routeTable:RouteTable", network::route_table_from_stack),
    ("ec2/route:Route", network::route_from_stack),
    (
        "ec2/routeTableAssociation:RouteTableAssociation",
        network::association_from_stack,
    ),
    (
        "ec2/mainRouteTableAssociation:MainRouteTableAssociation",
        network::main_association_from_stack,
    ),
    ("ec2/vpcEndpoint:VpcEndpoint", network::endpoint_from_stack),
    (
        "ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
        network::endpoint_association_from_stack,
    ),
    ("rds/instance:Instance", databases::from_stack),
    ("rds/clusterInstance:ClusterInstance", databases::from_stack),
    (
        "rds/subnetGroup:SubnetGroup",
        databases::subnet_group_from_stack,
    ),
    ("route53/record:Record", dns_records::from_stack),
    ("eks/nodeGroup:NodeGroup", node_groups::from_stack),
    ("eks/cluster:Cluster", node_groups::cluster_from_stack),
];

/// The azure-native resource types read, each with the Azure resource type whose az reader
/// reads it (the provider's outputs are the resource's properties, flattened as az prints them
/// or under `properties`).
const AZURE_TYPES: [(&str, &str); 30] = [
    (
        "network:ApplicationGateway",
        "Microsoft.Network/applicationGateways",
    ),
    ("network:LoadBalancer", "Microsoft.Network/loadBalancers"),
    (
        "network:PublicIPAddress",
        "Microsoft.Network/publicIPAddresses",
    ),
    (
        "network:VirtualNetwork",
        "Microsoft.Network/virtualNetworks",
    ),
    (
        "network:Subnet",
        "Microsoft.Network/virtualNetworks/subnets",
    ),
    ("network:NatGateway", "Microsoft.Network/natGateways"),
    (
        "network:PrivateEndpoint",
        "Microsoft.Network/privateEndpoints",
    ),
    ("network:PrivateZone", "Microsoft.Network/privateDnsZones"),
    ("network:RecordSet", "Microsoft.Network/dnszones/A"),
    ("dns:RecordSet", "Microsoft.Network/dnszones/A"),
    (
        "containerservice:ManagedCluster",
        "Microsoft.ContainerService/managedClusters",
    ),
    (
        "containerservice:AgentPool",
        "Microsoft.ContainerService/managedClusters/agentPools",
    ),
    (
        "compute:VirtualMachineScaleSet",
        "Microsoft.Compute/virtualMachineScaleSets",
    ),
    (
        "monitor:AutoscaleSetting",
        "Microsoft.Insights/autoscaleSettings",
    ),
    (
        "insights:AutoscaleSetting",
        "Microsoft.Insights/autoscaleSettings",
    ),
    (
        "dbforpostgresql:Server",
        "Microsoft.DBforPostgreSQL/flexibleServers",
    ),
    ("dbformysql:Server", "Microsoft.DBforMySQL/flexibleServers"),
    (
        "authorization:ManagementLockAtResourceGroupLevel",
        "Microsoft.Authorization/locks",
    ),
    (
        "authorization:ManagementLockAtResourceLevel",
        "Microsoft.Authorization/locks",
    ),
    (
        "authorization:ManagementLockAtSubscriptionLevel",
        "Microsoft.Authorization/locks",
    ),
    (
        "authorization:ManagementLockByScope",
        "Microsoft.Authorization/locks",
    ),
    ("cdn:Profile", "Microsoft.Cdn/profiles"),
    ("cdn:AFDEndpoint", "Microsoft.Cdn/profiles/afdEndpoints"),
    ("cdn:AFDOriginGroup", "Microsoft.Cdn/profiles/originGroups"),
    (
        "cdn:AFDOrigin",
        "Microsoft.Cdn/profiles/originGroups/origins",
    ),
    ("cdn:Route", "Microsoft.Cdn/profiles/afdEndpoints/routes"),
    ("network:FrontDoor", "Microsoft.Network/frontDoors"),
    (
        "servicenetworking:TrafficControllerInterface",
        "Microsoft.ServiceNetworking/trafficControllers",
    ),
    (
        "servicenetworking:FrontendsInterface",
        "Microsoft.ServiceNetworking/trafficControllers/frontends",
    ),
    (
        "servicenetworking:AssociationsInterface",
        "Microsoft.ServiceNetworking/trafficControllers/associations",
    ),
];

/// The az reader of an azure-native resource type (`azure-native:network:NatGateway`).
fn azure_reader(kind: &str) -> Option<az_cli::Reader> {
    let rest = kind.strip_prefix("azure-native:")?;
    let (_, arm_type) = AZURE_TYPES.iter().find(|(t, _)| *t == rest)?;
    az_cli::reader_of(arm_type)
}

/// The Google Cloud resource types read (`gcp:` stripped), each with its reader. Type names:
/// the Pulumi Google Cloud provider's registry pages
/// (<https://www.pulumi.com/registry/packages/gcp/api-docs/compute/backendservice/>, ...).
const GCP_TYPES: [(&str, Reader); 24] = [
    (
        "compute/globalForwardingRule:GlobalForwardingRule",
        load_balancers::gcp::forwarding_rule_from_stack,
    ),
    (
        "compute/forwardingRule:ForwardingRule",
        load_balancers::gcp::forwarding_rule_from_stack,
    ),
    (
        "compute/targetHttpsProxy:TargetHttpsProxy",
        load_balancers::gcp::proxy_from_stack,
    ),
    (
        "compute/targetHttpProxy:TargetHttpProxy",
        load_balancers::gcp::proxy_from_stack,
    ),
    (
        "compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
        load_balancers::gcp::proxy_from_stack,
    ),
    (
        "compute/uRLMap:URLMap",
        load_balancers::gcp::url_map_from_stack,
    ),
    (
        "compute/regionUrlMap:RegionUrlMap",
        load_balancers::gcp::url_map_from_stack,
    ),
    (
        "compute/backendService:BackendService",
        load_balancers::gcp::backend_service_from_stack,
    ),
    (
        "compute/regionBackendService:RegionBackendService",
        load_balancers::gcp::backend_service_from_stack,
    ),
    (
        "compute/healthCheck:HealthCheck",
        load_balancers::gcp::health_check_from_stack,
    ),
    (
        "compute/regionHealthCheck:RegionHealthCheck",
        load_balancers::gcp::health_check_from_stack,
    ),
    (
        "compute/networkEndpointGroup:NetworkEndpointGroup",
        load_balancers::gcp::neg_from_stack,
    ),
    (
        "compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        autoscaling::gcp::mig_from_stack,
    ),
    (
        "compute/instanceGroupManager:InstanceGroupManager",
        autoscaling::gcp::mig_from_stack,
    ),
    (
        "compute/regionAutoscaler:RegionAutoscaler",
        autoscaling::gcp::autoscaler_from_stack,
    ),
    (
        "compute/autoscaler:Autoscaler",
        autoscaling::gcp::autoscaler_from_stack,
    ),
    (
        "compute/instanceTemplate:InstanceTemplate",
        autoscaling::gcp::template_from_stack,
    ),
    (
        "compute/subnetwork:Subnetwork",
        network::gcp::subnet_from_stack,
    ),
    ("compute/router:Router", network::gcp::router_from_stack),
    (
        "compute/routerNat:RouterNat",
        network::gcp::router_nat_from_stack,
    ),
    ("container/cluster:Cluster", node_groups::gke_from_stack),
    (
        "container/nodePool:NodePool",
        node_groups::gke_pool_from_stack,
    ),
    (
        "sql/databaseInstance:DatabaseInstance",
        databases::cloud_sql_from_stack,
    ),
    ("dns/recordSet:RecordSet", dns_records::cloud_dns_from_stack),
];

/// Reads a stack export. `Err` when it is not one.
pub(crate) fn read(doc: &mut Value, file: &Arc<str>, r: &mut Reading) -> Result<(), String> {
    match doc.get("version").and_then(Value::as_u64) {
        Some(STACK_EXPORT_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{file}: a stack export of version {v}; netconform reads version {STACK_EXPORT_VERSION} (what `pulumi stack export` writes since Pulumi 3)"
            ));
        }
        None => {
            return Err(format!(
                "{file}: not a `pulumi stack export` (no \"version\": {STACK_EXPORT_VERSION} at the top)"
            ));
        }
    }
    reveal_plaintext(doc);
    let root = Node::new(doc, Loc::new(file, ""));
    let resources = root.path("deployment.resources");
    if resources.value().and_then(Value::as_array).is_none() {
        return Err(format!(
            "{file}: not a `pulumi stack export`: no deployment.resources list"
        ));
    }
    for node in resources.items() {
        let res = resource(node, &resources.at);
        if res.kind.starts_with("kubernetes:") {
            kubernetes::from_stack(&res, r)?;
        } else if let Some((_, reader)) = AWS_TYPES
            .iter()
            .find(|(kind, _)| *kind == aws_type(&res.kind))
        {
            reader(&res, r)?;
        } else if let Some(reader) = azure_reader(&res.kind) {
            r.view.azure = true;
            let arm = az_cli::Arm {
                node: res.outputs.clone(),
                id: res.id.clone(),
                name: res
                    .outputs
                    .get_ci("name")
                    .opt_text()
                    .unwrap_or(res.name.clone()),
                list_at: res.list_at.clone(),
            };
            reader(&arm, r)?;
        } else if let Some((_, reader)) = res
            .kind
            .strip_prefix("gcp:")
            .and_then(|kind| GCP_TYPES.iter().find(|(k, _)| *k == kind))
        {
            reader(&res, r)?;
        }
    }
    Ok(())
}

/// The parts of a resource every reader needs.
fn resource<'a>(node: Node<'a>, list_at: &Loc) -> Resource<'a> {
    let kind = node.get("type").opt_text().unwrap_or_default();
    let name = node
        .get("urn")
        .opt_text()
        .and_then(|u| u.rsplit("::").next().map(str::to_owned))
        .unwrap_or_default();
    let outputs = if node.get("outputs").is_object() {
        node.get("outputs")
    } else {
        node.get("inputs")
    };
    let id = node
        .get("id")
        .opt_text()
        .or_else(|| outputs.get_ci("id").opt_text())
        .unwrap_or_default();
    Resource {
        kind,
        name,
        id,
        outputs,
        node,
        list_at: list_at.clone(),
    }
}

/// `aws:lb/targetGroup:TargetGroup` -> `lb/targetGroup:TargetGroup`, with the `alb` and
/// `elasticloadbalancingv2` aliases of the load balancer types folded into `lb`.
fn aws_type(kind: &str) -> &str {
    let Some(rest) = kind.strip_prefix("aws:") else {
        return "";
    };
    for alias in ["alb/", "elasticloadbalancingv2/"] {
        if let Some(tail) = rest.strip_prefix(alias) {
            return match tail {
                "loadBalancer:LoadBalancer" => "lb/loadBalancer:LoadBalancer",
                "targetGroup:TargetGroup" => "lb/targetGroup:TargetGroup",
                _ => rest,
            };
        }
    }
    rest
}

/// Replaces every secret exported with `--show-secrets` by its value (`plaintext` is the
/// value as JSON text). Secrets without plaintext stay as they are.
fn reveal_plaintext(value: &mut Value) {
    match value {
        Value::Object(map) if map.contains_key(PULUMI_SECRET_SIG) => {
            if let Some(Value::String(text)) = map.get("plaintext") {
                let revealed =
                    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()));
                *value = revealed;
                reveal_plaintext(value);
            }
        }
        Value::Object(map) => map.values_mut().for_each(reveal_plaintext),
        Value::Array(items) => items.iter_mut().for_each(reveal_plaintext),
        _ => {}
    }
}
