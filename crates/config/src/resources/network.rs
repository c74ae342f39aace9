//! The network: subnets, NAT gateways, route tables (their default route, their subnets) and
//! VPC endpoints, from the AWS CLI (`aws ec2 describe-subnets`, `describe-nat-gateways`,
//! `describe-route-tables`, `describe-vpc-endpoints`) and a stack export (`aws:ec2/*`, where
//! routes and associations are resources of their own, joined in [`crate::links`]).

mod azure;

pub(crate) use azure::{
    nat_gateway_from_az, private_dns_zone_from_az, private_endpoint_from_az, subnet_from_az,
    vnet_from_az,
};
pub(crate) mod gcp;

use std::collections::BTreeMap;

use crate::formats::stack_export::Resource;
use crate::node::{Field, Loc, Node};
use crate::resources::Reading;
use crate::view::{
    BlockPublicAccess, BpaExclusion, Input, NatGateway, RegionalNat, RouteTable, Subnet,
    VpcEndpoint,
};

/// The destination of a default route.
const DEFAULT_ROUTE: &str = "0.0.0.0/0";

/// Where a route sends its traffic: the first target it names, in either format (the keys
/// differ only in case; a stack export writes the unset ones as empty strings). A blackhole
/// route goes nowhere.
fn route_target(route: &Node<'_>) -> Option<(String, Loc)> {
    if route.get_ci("State").opt_text().as_deref() == Some("blackhole") {
        return None;
    }
    [
        "NatGatewayId",
        "GatewayId",
        "TransitGatewayId",
        "NetworkInterfaceId",
        "VpcPeeringConnectionId",
        "InstanceId",
    ]
    .iter()
    .map(|k| route.get_ci(k))
    .find_map(|n| {
        n.opt_text()
            .filter(|v| !v.is_empty())
            .map(|v| (v, n.at.clone()))
    })
}

/// The target of the default route among `routes`, whose destination is under `cidr_key`.
fn default_route(routes: &Node<'_>, cidr_key: &str) -> Option<(String, Loc)> {
    routes.items().into_iter().find_map(|r| {
        (r.get_ci(cidr_key).opt_text().as_deref() == Some(DEFAULT_ROUTE))
            .then(|| route_target(&r))
            .flatten()
    })
}

/// The gateway endpoints `routes` lead to.
fn endpoints(routes: &Node<'_>) -> Vec<String> {
    routes
        .items()
        .iter()
        .filter_map(|r| r.get_ci("GatewayId").opt_text())
        .filter(|g| g.starts_with("vpce-"))
        .collect()
}

/// Tags: `[{"Key": k, "Value": v}]` (the AWS CLI) or a map (a stack export).
fn tags(node: &Node<'_>) -> BTreeMap<String, String> {
    match node.items().as_slice() {
        [] => node
            .entries()
            .into_iter()
            .filter_map(|(k, v)| v.opt_text().map(|v| (k.to_owned(), v)))
            .collect(),
        items => items
            .iter()
            .filter_map(|t| Some((t.get_ci("Key").opt_text()?, t.get_ci("Value").opt_text()?)))
            .collect(),
    }
}

/// A subnet, in either format.
fn subnet(s: &Node<'_>, id: String) -> Subnet {
    Subnet {
        id,
        at: s.at.clone(),
        zone: s.get_ci("AvailabilityZone").opt_text(),
        vpc: s.get_ci("VpcId").opt_text(),
        map_public_ip: s.get_ci("MapPublicIpOnLaunch").flag().value().copied(),
        tags: tags(&s.get_ci("Tags")),
        egress: None,
        region: None,
        private_google_access: Field::unset(s.at.clone()),
    }
}

/// `aws ec2 describe-subnets`.
pub(crate) fn subnets_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("Subnets");
    r.view.saw(Input::Subnets, &list.at);
    for s in list.items() {
        let id = s.get_ci("SubnetId").opt_text().unwrap_or_default();
        r.view.subnets.push(subnet(&s, id));
    }
    Ok(())
}

/// `aws:ec2/vpc:Vpc`: the export holds the VPC's network, so what it lacks is not there.
pub(crate) fn vpc_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    for input in [
        Input::Subnets,
        Input::NatGateways,
        Input::RouteTables,
        Input::VpcEndpoints,
    ] {
        r.view.saw(input, &res.list_at);
    }
    Ok(())
}

/// `aws:ec2/subnet:Subnet`.
pub(crate) fn subnet_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    for input in [Input::Subnets, Input::NatGateways, Input::RouteTables] {
        r.view.saw(input, &res.list_at);
    }
    r.view.subnets.push(subnet(&res.outputs, res.id.clone()));
    Ok(())
}

/// A public NAT gateway, in either format; a private one (`ConnectivityType: private`) is no
/// way out to the internet and is not read.
fn nat_gateway(n: &Node<'_>, id: String) -> Option<NatGateway> {
    if n.get_ci("ConnectivityType").opt_text().as_deref() == Some("private") {
        return None;
    }
    Some(NatGateway {
        id,
        at: n.at.clone(),
        subnet: n.get_ci("SubnetId").opt_text(),
        subnet_at: n.get_ci("SubnetId").at.clone(),
        state: None,
        zones: Vec::new(),
        sku: None,
        regional: regional_nat(n),
    })
}

/// A regional NAT gateway's zones (`AvailabilityMode: regional`; `AutoProvisionZones`
/// enabled by default, else the zones of its addresses).
fn regional_nat(n: &Node<'_>) -> Option<RegionalNat> {
    let mode = n.get_ci("AvailabilityMode");
    if !mode.opt_text()?.eq_ignore_ascii_case("regional") {
        return None;
    }
    let auto_zones = n
        .get_ci("AutoProvisionZones")
        .opt_text()
        .is_none_or(|v| v.eq_ignore_ascii_case("enabled"));
    let mut zones: Vec<String> = n
        .get_ci("NatGatewayAddresses")
        .items()
        .iter()
        .filter_map(|a| a.get_ci("AvailabilityZone").opt_text())
        .collect();
    zones.sort();
    zones.dedup();
    Some(RegionalNat {
        auto_zones,
        zones,
        at: mode.at.clone(),
    })
}

/// `aws ec2 describe-nat-gateways`.
pub(crate) fn nat_gateways_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("NatGateways");
    r.view.saw(Input::NatGateways, &list.at);
    for n in list.items() {
        let id = n.get_ci("NatGatewayId").opt_text().unwrap_or_default();
        if let Some(mut nat) = nat_gateway(&n, id) {
            nat.state = n.get_ci("State").opt_text();
            r.view.nat_gateways.push(nat);
        }
    }
    Ok(())
}

/// `aws:ec2/natGateway:NatGateway`.
pub(crate) fn nat_gateway_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::NatGateways, &res.list_at);
    r.view
        .nat_gateways
        .extend(nat_gateway(&res.outputs, res.id.clone()));
    Ok(())
}

/// `aws ec2 describe-route-tables`: routes and associations inline.
pub(crate) fn route_tables_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("RouteTables");
    r.view.saw(Input::RouteTables, &list.at);
    for rt in list.items() {
        let associations = rt.get_ci("Associations").items();
        let routes = rt.get_ci("Routes");
        r.view.route_tables.push(RouteTable {
            endpoints: endpoints(&routes),
            id: rt.get_ci("RouteTableId").opt_text().unwrap_or_default(),
            at: rt.at.clone(),
            vpc: rt.get_ci("VpcId").opt_text(),
            main: associations
                .iter()
                .any(|a| a.get_ci("Main").flag().value() == Some(&true)),
            subnets: associations
                .iter()
                .filter_map(|a| a.get_ci("SubnetId").opt_text())
                .collect(),
            default_route: default_route(&routes, "DestinationCidrBlock"),
        });
    }
    Ok(())
}

/// `aws:ec2/routeTable:RouteTable`, with its inline `routes`; its subnets and whether it is
/// main come from resources of their own.
pub(crate) fn route_table_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::RouteTables, &res.list_at);
    let routes = res.outputs.get_ci("routes");
    r.view.route_tables.push(RouteTable {
        endpoints: endpoints(&routes),
        id: res.id.clone(),
        at: res.outputs.at.clone(),
        vpc: res.outputs.get_ci("vpcId").opt_text(),
        main: false,
        subnets: Vec::new(),
        default_route: default_route(&routes, "cidrBlock"),
    });
    Ok(())
}

/// `aws:ec2/route:Route`: a default route is joined to its table.
pub(crate) fn route_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let route = &res.outputs;
    if route.get_ci("destinationCidrBlock").opt_text().as_deref() == Some(DEFAULT_ROUTE) {
        r.links
            .default_routes
            .push((route.get_ci("routeTableId").opt_text(), route_target(route)));
    }
    Ok(())
}

/// `aws:ec2/routeTableAssociation:RouteTableAssociation`.
pub(crate) fn association_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    if let (Some(subnet), Some(table)) = (
        res.outputs.get_ci("subnetId").opt_text(),
        res.outputs.get_ci("routeTableId").opt_text(),
    ) {
        r.links.associations.push((subnet, table));
    }
    Ok(())
}

/// `aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation`.
pub(crate) fn main_association_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    r.links
        .main_tables
        .extend(res.outputs.get_ci("routeTableId").opt_text());
    Ok(())
}

/// A VPC endpoint, in either format.
fn endpoint(e: &Node<'_>, id: String) -> VpcEndpoint {
    VpcEndpoint {
        id,
        at: e.at.clone(),
        service: e.get_ci("ServiceName").opt_text().unwrap_or_default(),
        kind: e.get_ci("VpcEndpointType").opt_text(),
        vpc: e.get_ci("VpcId").opt_text(),
        state: e.get_ci("State").opt_text(),
        route_tables: e.get_ci("RouteTableIds").text_list(),
        route_tables_at: e.get_ci("RouteTableIds").at.clone(),
        private_dns: e.get_ci("PrivateDnsEnabled").flag(),
        subnet: None,
    }
}

/// `aws ec2 describe-vpc-endpoints`.
pub(crate) fn endpoints_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("VpcEndpoints");
    r.view.saw(Input::VpcEndpoints, &list.at);
    for e in list.items() {
        let id = e.get_ci("VpcEndpointId").opt_text().unwrap_or_default();
        r.view.vpc_endpoints.push(endpoint(&e, id));
    }
    Ok(())
}

/// `aws:ec2/vpcEndpoint:VpcEndpoint`.
pub(crate) fn endpoint_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::VpcEndpoints, &res.list_at);
    r.view
        .vpc_endpoints
        .push(endpoint(&res.outputs, res.id.clone()));
    Ok(())
}

/// `aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation`.
pub(crate) fn endpoint_association_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    if let (Some(endpoint), Some(table)) = (
        res.outputs.get_ci("vpcEndpointId").opt_text(),
        res.outputs.get_ci("routeTableId").opt_text(),
    ) {
        r.links
            .endpoint_tables
            .push((endpoint, table, res.outputs.at.clone()));
    }
    Ok(())
}

/// `aws ec2 describe-vpc-block-public-access-options`: the account's mode in the Region.
pub(crate) fn block_public_access_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let options = doc.get_ci("VpcBlockPublicAccessOptions");
    r.view.saw(Input::BlockPublicAccess, &options.at);
    r.view.block_public_access = Some(BlockPublicAccess {
        mode: options.get_ci("InternetGatewayBlockMode").text(),
    });
    Ok(())
}

/// `aws ec2 describe-vpc-block-public-access-exclusions`: the VPCs and subnets exempted.
pub(crate) fn bpa_exclusions_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("VpcBlockPublicAccessExclusions");
    r.view.saw(Input::BlockPublicAccessExclusions, &list.at);
    for e in list.items() {
        let arn = e.get_ci("ResourceArn").opt_text().unwrap_or_default();
        r.view.bpa_exclusions.push(BpaExclusion {
            resource: arn.rsplit('/').next().unwrap_or_default().to_owned(),
            mode: e
                .get_ci("InternetGatewayExclusionMode")
                .opt_text()
                .unwrap_or_default(),
            state: e.get_ci("State").opt_text(),
            at: e.at.clone(),
        });
    }
    Ok(())
}
