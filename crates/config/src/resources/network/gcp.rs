//! Google Cloud's network: subnets (regional, with Private Google Access), Cloud Routers and
//! their Cloud NAT gateways, networks and addresses, from `gcloud compute networks list`,
//! `networks subnets list`, `routers list`, `addresses list` (`--format=json`) and a stack
//! export (`gcp:compute/subnetwork:Subnetwork`, `router:Router`, `routerNat:RouterNat`). Field
//! names: the Compute Engine API v1 reference
//! (<https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks>, `routers`: `nats[]`
//! with `sourceSubnetworkIpRangesToNat`, `natIpAllocateOption`, `subnetworks[].name`).

use crate::formats::stack_export::Resource;
use crate::links::gcp::reference;
use crate::node::Node;
use crate::resources::Reading;
use crate::view::{CloudNat, Input, Subnet, gcp_name};

/// `gcloud compute networks list`: one network. Nothing in it is judged (its subnets are
/// read from their own list); reading it says the network was exported.
pub(crate) fn network_from_gcloud(_n: &Node<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}

/// One subnet, either format: regional (no zone), with its Private Google Access.
fn subnet(n: &Node<'_>, r: &mut Reading) {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    r.view.subnets.push(Subnet {
        id: reference(&n.get_ci("selfLink")).unwrap_or(name),
        at: n.at.clone(),
        zone: None,
        vpc: reference(&n.get_ci("network")),
        map_public_ip: None,
        tags: Default::default(),
        egress: None,
        region: n
            .get_ci("region")
            .opt_text()
            .map(|z| gcp_name(&z).to_owned()),
        private_google_access: n.get_ci("privateIpGoogleAccess").flag(),
    });
}

/// `gcloud compute networks subnets list`: one subnet.
pub(crate) fn subnet_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    subnet(n, r);
    Ok(())
}

/// `gcp:compute/subnetwork:Subnetwork`.
pub(crate) fn subnet_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpSubnets, &res.list_at);
    subnet(&res.outputs, r);
    Ok(())
}

/// One Cloud NAT gateway of `router` (a `nats[]` entry, or a `RouterNat` resource).
fn nat(n: &Node<'_>, router: &str, region: Option<String>, network: Option<String>) -> CloudNat {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    let subnets = n.get_ci("subnetworks");
    CloudNat {
        subject: format!(
            "Cloud NAT {name} on router {router}{}",
            region
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        name,
        at: n.at.clone(),
        router: router.to_owned(),
        region,
        network,
        source_ranges: n.get_ci("sourceSubnetworkIpRangesToNat").text(),
        subnets: subnets
            .items()
            .iter()
            .filter_map(|s| reference(&s.get_ci("name")))
            .collect(),
        ip_allocation: n.get_ci("natIpAllocateOption").text(),
        nat_ips: n.get_ci("natIps").text_list(),
    }
}

/// `gcloud compute routers list`: one Cloud Router, with its NAT gateways (`nats`).
pub(crate) fn router_from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    let region = n
        .get_ci("region")
        .opt_text()
        .map(|z| gcp_name(&z).to_owned());
    let network = reference(&n.get_ci("network"));
    for item in n.get_ci("nats").items() {
        let nat = nat(&item, &name, region.clone(), network.clone());
        r.view.cloud_nats.push(nat);
    }
    Ok(())
}

/// `gcp:compute/router:Router`: its NAT gateways are resources of their own.
pub(crate) fn router_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpRouters, &res.list_at);
    Ok(())
}

/// `gcp:compute/routerNat:RouterNat`: one Cloud NAT gateway (its router named by `router`).
pub(crate) fn router_nat_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GcpRouters, &res.list_at);
    let o = &res.outputs;
    let router = o.get_ci("router").opt_text().unwrap_or_default();
    let region = o.get_ci("region").opt_text();
    let mut nat = nat(o, gcp_name(&router), region, None);
    nat.subject = res.subject("Cloud NAT");
    r.view.cloud_nats.push(nat);
    Ok(())
}

/// `gcloud compute addresses list`: one address. The load balancers carry their own
/// (`IPAddress`); a reserved address is read so its file counts as exported.
pub(crate) fn address_from_gcloud(_n: &Node<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}
