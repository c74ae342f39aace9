//! Azure CLI output (JSON, `az ... -o json`): each file is what one list or show command
//! prints, a list of Azure Resource Manager resources (one resource for `az aks show`, a REST
//! page `{"value": [...]}` for `az rest --method get --url <a list>`), each
//! told by its `type` (`Microsoft.Network/applicationGateways`) and handed to the reader of its
//! kind. az flattens `properties` into the resource for the commands read here; the readers
//! also take them nested, as the REST API returns them ([`crate::node::Node::arm`]).

use netconform_model::inputs::{DeniedCalls, EmptyList, Input};

use crate::node::{Loc, Node};
use crate::resources::{
    Reading, autoscaling, databases, denied, dns_records, load_balancers, network, node_groups,
};

/// One Azure resource, as the readers see it, whichever format it came from (an item of az's
/// output, a stack export resource's outputs).
pub(crate) struct Arm<'a> {
    /// The resource object.
    pub(crate) node: Node<'a>,
    /// Its resource id (`/subscriptions/.../providers/Microsoft.Network/...`).
    pub(crate) id: String,
    /// Its name.
    pub(crate) name: String,
    /// Where the list it came from is: an input kind read from it is there.
    pub(crate) list_at: Loc,
}

impl Arm<'_> {
    /// "application gateway pulumi-gw".
    pub(crate) fn subject(&self, what: &str) -> String {
        format!("{what} {}", self.name)
    }

    /// The name of the parent of type `kind` its id names (`profiles` in
    /// `.../profiles/pulumi-fd/originGroups/api`: `pulumi-fd`), empty when it names none.
    pub(crate) fn parent_named(&self, kind: &str) -> String {
        self.id
            .split('/')
            .skip_while(|s| !s.eq_ignore_ascii_case(kind))
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    }
}

/// A reader of one resource type.
pub(crate) type Reader = fn(&Arm<'_>, &mut Reading) -> Result<(), String>;

/// A resource type read: its `type`, the command that lists it (for messages) and its reader.
struct Output {
    kind: &'static str,
    command: &'static str,
    reader: Reader,
}

const fn output(kind: &'static str, command: &'static str, reader: Reader) -> Output {
    Output {
        kind,
        command,
        reader,
    }
}

/// Every resource type read, matched regardless of case (az prints `dnszones`, the REST API
/// `dnsZones`).
const OUTPUTS: [Output; 27] = [
    output(
        "Microsoft.Network/applicationGateways",
        "az network application-gateway list",
        load_balancers::application_gateway_from_az,
    ),
    output(
        "Microsoft.Network/loadBalancers",
        "az network lb list",
        load_balancers::azure_load_balancer_from_az,
    ),
    output(
        "Microsoft.Network/publicIPAddresses",
        "az network public-ip list",
        load_balancers::public_ip_from_az,
    ),
    output(
        "Microsoft.Authorization/locks",
        "az lock list",
        load_balancers::lock_from_az,
    ),
    output(
        "Microsoft.Network/virtualNetworks",
        "az network vnet list",
        network::vnet_from_az,
    ),
    output(
        "Microsoft.Network/virtualNetworks/subnets",
        "az network vnet subnet list",
        network::subnet_from_az,
    ),
    output(
        "Microsoft.Network/natGateways",
        "az network nat gateway list",
        network::nat_gateway_from_az,
    ),
    output(
        "Microsoft.Network/privateEndpoints",
        "az network private-endpoint list",
        network::private_endpoint_from_az,
    ),
    output(
        "Microsoft.Network/privateDnsZones",
        "az network private-dns zone list",
        network::private_dns_zone_from_az,
    ),
    output(
        "Microsoft.ContainerService/managedClusters",
        "az aks show",
        node_groups::cluster_from_az,
    ),
    output(
        "Microsoft.ContainerService/managedClusters/agentPools",
        "az aks nodepool list",
        node_groups::agent_pool_from_az,
    ),
    output(
        "Microsoft.Compute/virtualMachineScaleSets",
        "az vmss list",
        autoscaling::scale_set_from_az,
    ),
    output(
        "Microsoft.Insights/autoscaleSettings",
        "az monitor autoscale list",
        autoscaling::autoscale_setting_from_az,
    ),
    output(
        "Microsoft.DBforPostgreSQL/flexibleServers",
        "az postgres flexible-server list",
        databases::flexible_server_from_az,
    ),
    output(
        "Microsoft.DBforMySQL/flexibleServers",
        "az mysql flexible-server list",
        databases::flexible_server_from_az,
    ),
    output(
        "Microsoft.Network/dnszones/A",
        "az network dns record-set a list",
        dns_records::record_set_from_az,
    ),
    output(
        "Microsoft.Network/dnszones/CNAME",
        "az network dns record-set cname list",
        dns_records::record_set_from_az,
    ),
    output(
        "Microsoft.Cdn/profiles",
        "az afd profile list",
        load_balancers::front_door::profile_from_az,
    ),
    output(
        "Microsoft.Cdn/profiles/afdEndpoints",
        "az afd endpoint list",
        load_balancers::front_door::endpoint_from_az,
    ),
    output(
        "Microsoft.Cdn/profiles/originGroups",
        "az afd origin-group list",
        load_balancers::front_door::origin_group_from_az,
    ),
    output(
        "Microsoft.Cdn/profiles/originGroups/origins",
        "az afd origin list",
        load_balancers::front_door::origin_from_az,
    ),
    output(
        "Microsoft.Cdn/profiles/afdEndpoints/routes",
        "az afd route list",
        load_balancers::front_door::route_from_az,
    ),
    output(
        "Microsoft.Network/frontDoors",
        "az network front-door list",
        load_balancers::front_door::classic_from_az,
    ),
    // The REST API's examples name the type so (FrontdoorListAll.json).
    output(
        "Microsoft.Network/frontDoor",
        "az network front-door list",
        load_balancers::front_door::classic_from_az,
    ),
    output(
        "Microsoft.ServiceNetworking/trafficControllers",
        "az rest --method get --url .../providers/Microsoft.ServiceNetworking/trafficControllers?api-version=2025-01-01",
        load_balancers::containers::traffic_controller_from_az,
    ),
    output(
        "Microsoft.ServiceNetworking/trafficControllers/frontends",
        "az rest --method get --url .../trafficControllers/<name>/frontends?api-version=2025-01-01",
        load_balancers::containers::frontend_from_az,
    ),
    output(
        "Microsoft.ServiceNetworking/trafficControllers/associations",
        "az rest --method get --url .../trafficControllers/<name>/associations?api-version=2025-01-01",
        load_balancers::containers::association_from_az,
    ),
];

/// The types read, for messages.
fn known() -> String {
    OUTPUTS
        .iter()
        .map(|o| format!("{} ({})", o.kind, o.command))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The reader of a resource type, if it is one read here.
pub(crate) fn reader_of(kind: &str) -> Option<Reader> {
    OUTPUTS
        .iter()
        .find(|o| o.kind.eq_ignore_ascii_case(kind))
        .map(|o| o.reader)
}

/// Reads one file's document: a list of resources, or one. An empty list says nothing (az
/// prints `[]` for every list command that finds none, so which kind is absent cannot be
/// told): it is read as no input. `Err` when it is not az output this reads.
pub(crate) fn read(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.azure = true;
    if doc.is_object() && doc.get(DeniedCalls::KEY).exists() {
        // What collection was refused: the resources are not there, and not "none".
        return denied::from_cli(doc, r);
    }
    if doc.is_object() && doc.get(EmptyList::KEY).exists() {
        // What collection listed and found none of: "none", attributed to its kind.
        return empty_list(&doc.get(EmptyList::KEY), r);
    }
    let rest_list = doc.get("value");
    let items = if doc.is_object()
        && !doc.get("type").exists()
        && rest_list.value().is_some_and(serde_json::Value::is_array)
    {
        // `az rest --method get --url <a list>` prints the REST API's page: `{"value": [...],
        // "nextLink": ...}`, the resources with `properties` nested.
        rest_list.items()
    } else if doc.is_object() {
        vec![doc.clone()]
    } else if doc.value().is_some_and(serde_json::Value::is_array) {
        doc.items()
    } else {
        return Err(format!(
            "{}: not az output (a JSON list of resources, or one resource); expected resources of type: {}",
            doc.at,
            known()
        ));
    };
    for item in items {
        let kind = item.get("type").opt_text().unwrap_or_default();
        let Some(reader) = reader_of(&kind) else {
            return Err(format!(
                "{}: {} is not a resource netconform reads; expected resources of type: {}",
                item.at,
                if kind.is_empty() {
                    "a value without a \"type\"".to_owned()
                } else {
                    format!("type {kind:?}")
                },
                known()
            ));
        };
        let arm = Arm {
            id: item.get_ci("id").opt_text().unwrap_or_default(),
            name: item.get_ci("name").opt_text().unwrap_or_default(),
            list_at: doc.at.clone(),
            node: item,
        };
        reader(&arm, r)?;
    }
    Ok(())
}

/// The kinds of input an az list of resource type `kind` provides: when collection says it
/// found none ([`EmptyList`]), each is read as "none exists" rather than "no input".
fn provides(kind: &str) -> &'static [Input] {
    match kind.to_ascii_lowercase().as_str() {
        "microsoft.network/applicationgateways" => &[
            Input::LoadBalancers,
            Input::TargetGroups,
            Input::TargetGroupAttributes,
        ],
        "microsoft.network/loadbalancers" => &[Input::LoadBalancers, Input::TargetGroups],
        "microsoft.authorization/locks" => &[Input::LoadBalancerAttributes],
        "microsoft.network/virtualnetworks" | "microsoft.network/virtualnetworks/subnets" => {
            &[Input::Subnets]
        }
        "microsoft.network/natgateways" => &[Input::NatGateways],
        "microsoft.network/privateendpoints" => &[Input::VpcEndpoints],
        "microsoft.containerservice/managedclusters"
        | "microsoft.containerservice/managedclusters/agentpools" => &[Input::NodeGroups],
        "microsoft.compute/virtualmachinescalesets" => {
            &[Input::AutoScalingGroups, Input::LifecycleHooks]
        }
        "microsoft.insights/autoscalesettings" => &[Input::GroupPolicies],
        "microsoft.dbforpostgresql/flexibleservers" | "microsoft.dbformysql/flexibleservers" => {
            &[Input::Databases]
        }
        "microsoft.network/dnszones/a" | "microsoft.network/dnszones/cname" => &[Input::Records],
        "microsoft.cdn/profiles/afdendpoints" => &[Input::LoadBalancers],
        "microsoft.cdn/profiles/origingroups" => &[Input::TargetGroups],
        "microsoft.network/frontdoors" | "microsoft.network/frontdoor" => {
            &[Input::LoadBalancers, Input::TargetGroups]
        }
        "microsoft.servicenetworking/trafficcontrollers/frontends" => &[Input::LoadBalancers],
        // Public IPs and private DNS zones are joined to what they serve, not inputs of their
        // own.
        _ => &[],
    }
}

/// Collection's note that an az list found none of the deployment's resources of a type: each
/// kind of input it provides is read, with none in it (a lock list without a lock is no
/// deletion protection). `Err` for a type netconform does not read.
fn empty_list(note: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let kind = note.get("Type").opt_text().unwrap_or_default();
    if reader_of(&kind).is_none() {
        return Err(format!(
            "{}: type {kind:?} is not a resource netconform reads; expected resources of type: {}",
            note.get("Type").at,
            known()
        ));
    }
    for input in provides(&kind) {
        r.view.saw(*input, &note.at);
    }
    match kind.to_ascii_lowercase().as_str() {
        "microsoft.authorization/locks" => {
            r.links.azure.locks_at.get_or_insert(note.at.clone());
        }
        "microsoft.network/privatednszones" => {
            r.links.azure.dns_zones_at.get_or_insert(note.at.clone());
        }
        _ => {}
    }
    Ok(())
}
