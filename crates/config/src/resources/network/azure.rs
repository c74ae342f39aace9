//! Azure's network, from az (`az network vnet list` with its subnets, `az network vnet subnet
//! list`, `az network nat gateway list`, `az network private-endpoint list`) and a stack
//! export's azure-native resources of the same kinds. An Azure subnet spans every zone of its
//! region and says its own way out (its NAT gateway, `defaultOutboundAccess`), so it is read
//! with its [`SubnetEgress`] and no zone.

use crate::formats::az_cli::Arm;
use crate::node::{Field, Node};
use crate::resources::Reading;
use crate::view::{Input, NatGateway, Subnet, SubnetEgress, VpcEndpoint};

/// A subnet: `id` its resource id, `vnet` its network's.
fn subnet(s: &Node<'_>, id: String, vnet: Option<String>) -> Subnet {
    let nat = s.arm("natGateway").get_ci("id");
    Subnet {
        id,
        at: s.at.clone(),
        zone: None,
        vpc: vnet,
        map_public_ip: None,
        tags: Default::default(),
        egress: Some(SubnetEgress {
            nat_gateway: nat.opt_text().map(|n| (n, nat.at.clone())),
            default_outbound: s.arm("defaultOutboundAccess").flag(),
            route_table: s.arm("routeTable").get_ci("id").opt_text(),
            delegations: s
                .arm("delegations")
                .items()
                .iter()
                .filter_map(|d| d.arm("serviceName").opt_text())
                .collect(),
            service_endpoints: s
                .arm("serviceEndpoints")
                .items()
                .iter()
                .filter_map(|e| e.arm("service").opt_text())
                .collect(),
        }),
        region: None,
        private_google_access: Field::unset(s.at.clone()),
    }
}

/// The virtual network a subnet id is in: `.../virtualNetworks/vnet/subnets/s` -> `.../vnet`.
pub(crate) fn vnet_of(subnet_id: &str) -> Option<String> {
    let lower = subnet_id.to_ascii_lowercase();
    lower.rfind("/subnets/").map(|i| subnet_id[..i].to_owned())
}

/// `az network vnet list` (and `azure-native:network:VirtualNetwork`): its subnets inline.
pub(crate) fn vnet_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Subnets, &res.list_at);
    for s in res.node.arm("subnets").items() {
        let id = s.get_ci("id").opt_text().unwrap_or_default();
        r.view.subnets.push(subnet(&s, id, Some(res.id.clone())));
    }
    Ok(())
}

/// `az network vnet subnet list` (and `azure-native:network:Subnet`).
pub(crate) fn subnet_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Subnets, &res.list_at);
    if r.view
        .subnets
        .iter()
        .any(|s| s.id.eq_ignore_ascii_case(&res.id))
    {
        return Ok(());
    }
    let vnet = vnet_of(&res.id);
    r.view.subnets.push(subnet(&res.node, res.id.clone(), vnet));
    Ok(())
}

/// `az network nat gateway list` (and `azure-native:network:NatGateway`): attached to subnets,
/// pinned to a zone or not.
pub(crate) fn nat_gateway_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::NatGateways, &res.list_at);
    let n = &res.node;
    r.view.nat_gateways.push(NatGateway {
        id: res.id.clone(),
        at: n.at.clone(),
        subnet: None,
        subnet_at: n.arm("subnets").at.clone(),
        state: None,
        zones: n.get_ci("zones").text_list(),
        sku: n.arm("sku").get_ci("name").opt_text(),
        regional: None,
    });
    Ok(())
}

/// `az network private-endpoint list` (and `azure-native:network:PrivateEndpoint`): its
/// service is `<target resource id>/<group id>` (`.../storageAccounts/x/blob`).
pub(crate) fn private_endpoint_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::VpcEndpoints, &res.list_at);
    let e = &res.node;
    let subnet = e.arm("subnet").get_ci("id").opt_text();
    let mut connections = e.arm("privateLinkServiceConnections").items();
    connections.extend(e.arm("manualPrivateLinkServiceConnections").items());
    for c in connections {
        let target = c.arm("privateLinkServiceId").opt_text().unwrap_or_default();
        let groups = c.arm("groupIds").text_list();
        let status = c.arm_path("privateLinkServiceConnectionState.status");
        if let Some(s) = &subnet {
            r.links
                .azure
                .endpoint_targets
                .push((target.clone(), s.clone()));
        }
        r.view.vpc_endpoints.push(VpcEndpoint {
            id: res.id.clone(),
            at: c.at.clone(),
            service: format!("{target}/{}", groups.join(",")),
            kind: Some("PrivateEndpoint".to_owned()),
            vpc: subnet.as_deref().and_then(vnet_of),
            state: status.opt_text(),
            route_tables: Vec::new(),
            route_tables_at: e.at.clone(),
            private_dns: Field::unset(e.at.clone()),
            subnet: subnet.clone(),
        });
    }
    Ok(())
}

/// `az network private-dns zone list` (and `azure-native:network:PrivateZone`): the zones
/// private endpoints resolve through (`privatelink.blob.core.windows.net`), with how many
/// virtual networks each is linked to.
pub(crate) fn private_dns_zone_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    let links = res.node.arm("numberOfVirtualNetworkLinks");
    r.links
        .azure
        .dns_zones_at
        .get_or_insert(res.list_at.clone());
    r.links.azure.dns_zones.push((
        res.name.to_ascii_lowercase(),
        links.count().value().copied().unwrap_or(0),
        res.node.at.clone(),
    ));
    Ok(())
}
