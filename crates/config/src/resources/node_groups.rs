//! EKS managed node groups, from the AWS CLI (`aws eks describe-nodegroup`) and a stack export
//! (`aws:eks/nodeGroup:NodeGroup`): where the cluster's nodes, and so its pods, can run.

use crate::formats::stack_export::Resource;
use crate::node::Node;
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
    });
    Ok(())
}
