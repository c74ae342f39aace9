//! EKS managed node groups, from the AWS CLI (`aws eks describe-nodegroup`) and a stack export
//! (`aws:eks/nodeGroup:NodeGroup`), and AKS node pools, from az (`az aks show`, `az aks
//! nodepool list`) and a stack export's azure-native resources: where the cluster's nodes, and
//! so its pods, can run.

use crate::formats::az_cli::Arm;
use crate::formats::stack_export::Resource;
use crate::node::{Field, Node};
use crate::resources::Reading;
use crate::view::{Input, NodeGroup};

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
