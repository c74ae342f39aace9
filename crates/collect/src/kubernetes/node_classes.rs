//! EKS Auto Mode's NodeClasses (`eks.amazonaws.com/v1`, cluster-scoped): with Auto Mode no
//! managed node group places the nodes, the NodeClass does, through the subnets in its
//! `status.subnets` (EKS user guide, "Create a Node Class for Amazon EKS",
//! https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html); the private-subnet
//! and multi-AZ rules read them. Listed once at the cluster scope, all kept (a cluster has a
//! few, `default` among them). A cluster without the resource type (not EKS, or EKS without
//! Auto Mode) has none; a refused list leaves them out alone, said on stderr and in the
//! manifest, and the rule then says what to export.

use std::time::Instant;

use serde_json::Value;

use super::{Kubectl, no_such_kind, record};
use crate::CollectError;
use crate::command::CallError;
use crate::manifest::Manifest;

/// The NodeClasses, as kubectl names them.
pub(super) const NODE_CLASSES: &str = "nodeclasses.eks.amazonaws.com";

/// The cluster's NodeClasses, none when the cluster has no such resource type or the list
/// was refused.
pub(super) async fn read_node_classes(
    kubectl: &Kubectl,
    manifest: &mut Manifest,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Value>, CollectError> {
    let args = vec![NODE_CLASSES.to_owned(), "--all-namespaces".to_owned()];
    let started = Instant::now();
    let answer = kubectl.get(&args).await;
    let (_, answer) = record(
        manifest,
        &args,
        format!("list {NODE_CLASSES} at the cluster scope"),
        "EKS Auto Mode's NodeClasses, whose subnets place the nodes".to_owned(),
        &answer,
        started.elapsed(),
        on_line,
    );
    match answer {
        Ok(list) => Ok(list["items"].as_array().cloned().unwrap_or_default()),
        Err(e) if no_such_kind(&e) => Ok(Vec::new()),
        Err(CallError::Denied { .. }) => {
            on_line(&format!(
                "  {NODE_CLASSES}: refused; EKS Auto Mode's NodeClasses are not collected (ci/kubernetes/rbac.yaml: netconform-find-namespace)"
            ));
            Ok(Vec::new())
        }
        Err(e @ CallError::Missing { .. }) => Err(CollectError::Cli(e)),
        Err(e) => Err(CollectError::Discovery(format!(
            "read EKS Auto Mode's NodeClasses (kubectl get {NODE_CLASSES} --all-namespaces -o json): {e}"
        ))),
    }
}
