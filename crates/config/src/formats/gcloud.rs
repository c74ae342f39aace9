//! Google Cloud CLI output (`gcloud ... --format=json`): each file is what one command prints,
//! a JSON array of resources (a `describe` prints one resource), told by the resources'
//! `kind` (`compute#forwardingRule`, `sql#instance`, `dns#resourceRecordSet`: the REST
//! resources' own, as the Compute Engine, Cloud SQL Admin and Cloud DNS references give them);
//! a GKE cluster has no `kind` and is told by its fields. An empty list has no content to
//! tell: its file's name says which command printed it (`forwarding-rules.json`).

use crate::node::Node;
use crate::resources::{
    Reading, autoscaling, databases, denied, dns_records, load_balancers, network, node_groups,
};
use crate::view::Input;

/// A reader of one resource of a list.
type Reader = fn(&Node<'_>, &mut Reading) -> Result<(), String>;

/// A resource this reads: its `kind`, the name its list's file may have (for an empty list),
/// the input it is and its reader.
struct Kind {
    kind: &'static str,
    file: &'static str,
    input: Input,
    reader: Reader,
}

const fn kind(kind: &'static str, file: &'static str, input: Input, reader: Reader) -> Kind {
    Kind {
        kind,
        file,
        input,
        reader,
    }
}

/// Every resource read, by `kind`.
const KINDS: [Kind; 17] = [
    kind(
        "compute#forwardingRule",
        "forwarding-rules",
        Input::GcpForwardingRules,
        load_balancers::gcp::forwarding_rule_from_gcloud,
    ),
    kind(
        "compute#targetHttpsProxy",
        "target-https-proxies",
        Input::GcpTargetHttpsProxies,
        load_balancers::gcp::proxy_from_gcloud,
    ),
    kind(
        "compute#targetHttpProxy",
        "target-http-proxies",
        Input::GcpTargetHttpProxies,
        load_balancers::gcp::proxy_from_gcloud,
    ),
    kind(
        "compute#urlMap",
        "url-maps",
        Input::GcpUrlMaps,
        load_balancers::gcp::url_map_from_gcloud,
    ),
    kind(
        "compute#backendService",
        "backend-services",
        Input::GcpBackendServices,
        load_balancers::gcp::backend_service_from_gcloud,
    ),
    kind(
        "compute#healthCheck",
        "health-checks",
        Input::GcpHealthChecks,
        load_balancers::gcp::health_check_from_gcloud,
    ),
    kind(
        "compute#networkEndpointGroup",
        "network-endpoint-groups",
        Input::GcpNetworkEndpointGroups,
        load_balancers::gcp::neg_from_gcloud,
    ),
    kind(
        "compute#instanceGroupManager",
        "instance-groups",
        Input::GcpInstanceGroupManagers,
        autoscaling::gcp::mig_from_gcloud,
    ),
    kind(
        "compute#autoscaler",
        "region-autoscalers",
        Input::GcpAutoscalers,
        autoscaling::gcp::autoscaler_from_gcloud,
    ),
    kind(
        "compute#instanceTemplate",
        "instance-templates",
        Input::GcpInstanceTemplates,
        autoscaling::gcp::template_from_gcloud,
    ),
    kind(
        "compute#network",
        "networks",
        Input::GcpNetworks,
        network::gcp::network_from_gcloud,
    ),
    kind(
        "compute#subnetwork",
        "subnets",
        Input::GcpSubnets,
        network::gcp::subnet_from_gcloud,
    ),
    kind(
        "compute#router",
        "routers",
        Input::GcpRouters,
        network::gcp::router_from_gcloud,
    ),
    kind(
        "compute#address",
        "addresses",
        Input::GcpAddresses,
        network::gcp::address_from_gcloud,
    ),
    kind(
        "sql#instance",
        "sql-instances",
        Input::CloudSqlInstances,
        databases::from_gcloud,
    ),
    kind(
        "dns#resourceRecordSet",
        "record-sets",
        Input::CloudDnsRecords,
        dns_records::from_gcloud,
    ),
    kind(
        "container#cluster",
        "clusters",
        Input::GkeClusters,
        node_groups::from_gcloud,
    ),
];

/// The kinds read, for messages.
fn known() -> String {
    KINDS
        .iter()
        .map(|k| format!("{} ({})", k.kind, k.input.command()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A resource's kind: its `kind`, or a GKE cluster's by its fields (the Kubernetes Engine API
/// gives clusters no `kind`).
fn kind_of(item: &Node<'_>) -> Option<String> {
    if let Some(k) = item.get("kind").opt_text() {
        return Some(k);
    }
    let cluster = item.get("nodePools").exists()
        || item.get("currentMasterVersion").exists()
        || item.get("privateClusterConfig").exists();
    cluster.then(|| "container#cluster".to_owned())
}

/// Reads one file's document; `name` is the file's name (for an empty list). `Err` when it is
/// not output this reads.
pub(crate) fn read(doc: &Node<'_>, name: &str, r: &mut Reading) -> Result<(), String> {
    if doc.is_object() && doc.get(netconform_model::inputs::DeniedCalls::KEY).exists() {
        return denied::from_cli(doc, r);
    }
    let items = if doc.is_object() {
        vec![doc.clone()]
    } else if doc.value().is_some_and(serde_json::Value::is_array) {
        doc.items()
    } else {
        return Err(format!(
            "{}: not gcloud output (a JSON array of resources, from `--format=json`)",
            doc.at
        ));
    };
    let Some(first) = items.first() else {
        return empty(doc, name, r);
    };
    let Some(first_kind) = kind_of(first) else {
        return Err(format!(
            "{}: a resource with no `kind`; expected gcloud output of one of: {}",
            first.at,
            known()
        ));
    };
    let Some(k) = KINDS.iter().find(|k| k.kind == first_kind) else {
        return Err(format!(
            "{}: kind {first_kind:?} is not one netconform reads; expected one of: {}",
            first.at,
            known()
        ));
    };
    r.view.saw(k.input, &doc.at);
    for item in &items {
        let this = kind_of(item).unwrap_or_default();
        if this != k.kind {
            return Err(format!(
                "{}: kind {this:?} in a list of {}; export one command's output per file",
                item.at, k.kind
            ));
        }
        (k.reader)(item, r)?;
    }
    Ok(())
}

/// An empty list: the command that printed it, from the file's name.
fn empty(doc: &Node<'_>, name: &str, r: &mut Reading) -> Result<(), String> {
    let base = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .trim_end_matches(".json");
    // The name in it that ends last, then the longest: `compute-networks-subnets` is the
    // subnets, `compute-instance-groups-managed` the instance groups.
    let found = KINDS
        .iter()
        .filter_map(|k| {
            base.rfind(k.file)
                .map(|at| (at + k.file.len(), k.file.len(), k))
        })
        .max_by_key(|(end, len, _)| (*end, *len))
        .map(|(_, _, k)| k);
    match found {
        Some(k) => {
            r.view.saw(k.input, &doc.at);
            if k.input == Input::GcpInstanceGroupManagers {
                // gcloud adds the autoscalers to their groups: no group, no autoscaler.
                r.view.saw(Input::GcpAutoscalers, &doc.at);
            }
            Ok(())
        }
        None => Err(format!(
            "{}: an empty list, and its file's name does not say which command printed it; name it after the command ({})",
            doc.at,
            KINDS
                .iter()
                .map(|k| format!("{}.json", k.file))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
