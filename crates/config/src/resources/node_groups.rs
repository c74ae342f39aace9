//! EKS managed node groups, from the AWS CLI (`aws eks describe-nodegroup`) and a stack export
//! (`aws:eks/nodeGroup:NodeGroup`), AKS node pools, from az (`az aks show`, `az aks nodepool
//! list`) and a stack export's azure-native resources, and GKE clusters' node pools (`gcloud
//! container clusters describe --format=json`, `gcp:container/cluster:Cluster`,
//! `gcp:container/nodePool:NodePool`; field names: the Kubernetes Engine API v1 reference,
//! <https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters>):
//! where the cluster's nodes, and so its pods, can run.

use crate::formats::az_cli::Arm;
use crate::formats::stack_export::Resource;
use crate::links::gcp::reference;
use crate::node::{Field, Node};
use crate::resources::Reading;
use crate::view::{Deployment, EksCluster, Input, NodeGroup, gcp_name};

/// `aws eks describe-nodegroup`'s `nodegroup`.
pub(crate) fn from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let ng = doc.get_ci("nodegroup");
    r.view.saw(Input::NodeGroups, &ng.at);
    let name = ng.get_ci("nodegroupName").opt_text().unwrap_or_default();
    r.view.node_groups.push(NodeGroup {
        subject: format!("EKS node group {name}"),
        at: ng.at.clone(),
        subnets: ng.get_ci("subnets").texts(),
        zones: Field::unset(ng.at.clone()),
        private_nodes: Field::unset(ng.at.clone()),
    });
    Ok(())
}

/// `aws:eks/nodeGroup:NodeGroup`.
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::NodeGroups, &res.list_at);
    r.view.node_groups.push(NodeGroup {
        subject: res.subject("EKS node group"),
        at: res.outputs.at.clone(),
        subnets: res.outputs.get_ci("subnetIds").texts(),
        zones: Field::unset(res.outputs.at.clone()),
        private_nodes: Field::unset(res.outputs.at.clone()),
    });
    Ok(())
}

/// `aws eks describe-cluster`'s `cluster`: EKS Auto Mode (`computeConfig`), whose nodes have
/// no managed node group (CloudFormation `AWS::EKS::Cluster ComputeConfig`; the EKS API's
/// `Cluster.computeConfig`).
pub(crate) fn cluster_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let c = doc.get_ci("cluster");
    r.view.saw(Input::EksClusters, &c.at);
    let name = c.get_ci("name").opt_text().unwrap_or_default();
    r.view
        .eks_clusters
        .push(eks_cluster(&c, format!("EKS cluster {name}"), name));
    Ok(())
}

/// `aws:eks/cluster:Cluster`, whose `computeConfig` has the API's shape.
pub(crate) fn cluster_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::EksClusters, &res.list_at);
    let name = res
        .outputs
        .get_ci("name")
        .opt_text()
        .unwrap_or(res.name.clone());
    let cluster = eks_cluster(&res.outputs, res.subject("EKS cluster"), name);
    r.view.eks_clusters.push(cluster);
    Ok(())
}

fn eks_cluster(c: &Node<'_>, subject: String, name: String) -> EksCluster {
    let compute = c.get_ci("computeConfig");
    EksCluster {
        subject,
        name,
        at: c.at.clone(),
        auto_mode: compute.get_ci("enabled").flag(),
        node_pools: compute.get_ci("nodePools").text_list(),
    }
}

/// An EKS Auto Mode NodeClass (`eks.amazonaws.com/v1`, `kubectl get
/// nodeclasses.eks.amazonaws.com -o json`; EKS user guide, "Create a Node Class for Amazon
/// EKS"): where its nodes go. The subnets it resolved (`status.subnets[].id`, as the Karpenter
/// EC2NodeClass it derives from reports them), else those its `spec.subnetSelectorTerms` name
/// by `id`; terms that select by tags cannot be resolved from a manifest.
pub(crate) fn node_class(obj: &Node<'_>, view: &mut Deployment) {
    let name = obj.path("metadata.name").opt_text().unwrap_or_default();
    view.saw(Input::NodeGroups, &obj.at);
    let status = obj.path("status.subnets");
    let terms = obj.path("spec.subnetSelectorTerms");
    let subnets = if !status.items().is_empty() {
        let ids: Vec<String> = status
            .items()
            .iter()
            .filter_map(|s| s.get("id").opt_text())
            .collect();
        Field::set(status.at.clone(), ids)
    } else if terms.items().iter().all(|t| t.get("id").exists()) && terms.exists() {
        let ids = terms
            .items()
            .iter()
            .filter_map(|t| t.get("id").opt_text())
            .collect();
        Field::set(terms.at.clone(), ids)
    } else if terms.exists() {
        Field {
            at: terms.at.clone(),
            state: crate::node::State::Invalid(
                "its subnetSelectorTerms select subnets by tags; export it live (`kubectl get nodeclasses.eks.amazonaws.com -o json`), whose status.subnets names them".to_owned(),
            ),
        }
    } else {
        Field::unset(terms.at.clone())
    };
    view.node_groups.push(NodeGroup {
        subject: format!("EKS Auto Mode NodeClass {name}"),
        at: obj.at.clone(),
        subnets,
        zones: Field::unset(obj.at.clone()),
        private_nodes: Field::unset(obj.at.clone()),
    });
}

/// A GKE cluster's zones as a field: `locations` (`nodeLocations` in a stack export), else
/// the zone of a zonal cluster.
fn gke_zones<'a>(n: &Node<'a>, pool: Option<&Node<'a>>) -> Field<Vec<String>> {
    fn from<'a>(node: &Node<'a>) -> Option<Node<'a>> {
        ["locations", "nodeLocations"]
            .iter()
            .map(|k| node.get_ci(k))
            .find(|l| !l.text_list().is_empty())
    }
    if let Some(l) = pool.and_then(from).or_else(|| from(n)) {
        return l
            .texts()
            .map(|z| z.iter().map(|z| gcp_name(z).to_owned()).collect());
    }
    let location = n.get_ci("location");
    match location.opt_text() {
        // A zone (`us-central1-a`) has three dash-separated parts; a region two.
        Some(l) if l.split('-').count() >= 3 => Field::set(location.at.clone(), vec![l]),
        _ => Field::unset(location.at.clone()),
    }
}

/// A GKE node pool's (or cluster's) private nodes: the pool's `networkConfig.enablePrivateNodes`,
/// else the cluster's `privateClusterConfig.enablePrivateNodes`, else its
/// `networkConfig.defaultEnablePrivateNodes`.
fn gke_private(n: &Node<'_>, pool: Option<&Node<'_>>) -> Field<bool> {
    let candidates = [
        pool.map(|p| p.path_ci("networkConfig.enablePrivateNodes")),
        Some(n.path_ci("privateClusterConfig.enablePrivateNodes")),
        Some(n.path_ci("networkConfig.defaultEnablePrivateNodes")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(Node::exists)
        .map(|f| f.flag())
        .unwrap_or_else(|| Field::unset(n.path_ci("privateClusterConfig").at.clone()))
}

/// A GKE cluster's subnet: `networkConfig.subnetwork` (a path), else `subnetwork` (a name).
fn gke_subnets(n: &Node<'_>) -> Field<Vec<String>> {
    let path = n.path_ci("networkConfig.subnetwork");
    let node = if path.exists() {
        path
    } else {
        n.get_ci("subnetwork")
    };
    match reference(&node) {
        Some(s) => Field::set(node.at.clone(), vec![s]),
        None => Field::unset(node.at.clone()),
    }
}

/// One GKE cluster, either format: a node group per node pool (the cluster itself when it
/// lists none: Autopilot, or a stack whose pools are resources of their own).
fn gke(n: &Node<'_>, subject: &str, r: &mut Reading) {
    let pools = n.get_ci("nodePools").items();
    if pools.is_empty() {
        r.view.node_groups.push(NodeGroup {
            subject: subject.to_owned(),
            at: n.at.clone(),
            subnets: gke_subnets(n),
            zones: gke_zones(n, None),
            private_nodes: gke_private(n, None),
        });
    }
    for p in &pools {
        let pool = p.get_ci("name").opt_text().unwrap_or_default();
        r.view.node_groups.push(NodeGroup {
            subject: format!("node pool {pool} of {subject}"),
            at: p.at.clone(),
            subnets: gke_subnets(n),
            zones: gke_zones(n, Some(p)),
            private_nodes: gke_private(n, Some(p)),
        });
    }
}

/// `gcloud container clusters describe` (one cluster) or `clusters list` (each).
pub(crate) fn from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    let location = n.get_ci("location").opt_text().unwrap_or_default();
    gke(n, &format!("GKE cluster {name} ({location})"), r);
    Ok(())
}

/// `gcp:container/cluster:Cluster`.
pub(crate) fn gke_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GkeClusters, &res.list_at);
    gke(&res.outputs, &res.subject("GKE cluster"), r);
    Ok(())
}

/// `gcp:container/nodePool:NodePool`: its zones are `nodeLocations` (else its cluster's).
pub(crate) fn gke_pool_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::GkeClusters, &res.list_at);
    let o = &res.outputs;
    r.view.node_groups.push(NodeGroup {
        subject: res.subject("GKE node pool"),
        at: o.at.clone(),
        subnets: Field::unset(o.at.clone()),
        zones: gke_zones(o, None),
        private_nodes: gke_private(o, Some(o)),
    });
    Ok(())
}

/// An AKS agent pool, in `az aks show`'s `agentPoolProfiles` or `az aks nodepool list`: its
/// subnet (`vnetSubnetId`; the REST API spells it `vnetSubnetID`) and its zones.
fn agent_pool(pool: &Node<'_>, name: &str, r: &mut Reading) {
    let subject = format!("AKS node pool {name}");
    if r.view.node_groups.iter().any(|ng| ng.subject == subject) {
        return;
    }
    let subnet = pool.arm("vnetSubnetId");
    let zones = pool.arm("availabilityZones");
    r.view.node_groups.push(NodeGroup {
        subject,
        at: pool.at.clone(),
        subnets: match subnet.opt_text() {
            Some(id) => Field::set(subnet.at.clone(), vec![id]),
            None => Field::unset(subnet.at.clone()),
        },
        zones: if zones.exists() {
            zones.texts()
        } else {
            Field::unset(zones.at.clone())
        },
        private_nodes: Field::unset(pool.at.clone()),
    });
}

/// `az aks show` (and `azure-native:containerservice:ManagedCluster`): its agent pools inline.
pub(crate) fn cluster_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::NodeGroups, &res.list_at);
    for pool in res.node.arm("agentPoolProfiles").items() {
        let name = pool.get_ci("name").opt_text().unwrap_or_default();
        agent_pool(&pool, &name, r);
    }
    Ok(())
}

/// `az aks nodepool list` (and `azure-native:containerservice:AgentPool`).
pub(crate) fn agent_pool_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::NodeGroups, &res.list_at);
    agent_pool(&res.node, &res.name, r);
    Ok(())
}
