//! EKS: the clusters in the deployment's VPC (`describe-cluster`, which says whether EKS Auto
//! Mode runs their nodes) and their managed node groups.

use std::collections::BTreeSet;

use serde_json::Value;

use super::items;
use super::run::{Run, ask};
use crate::CollectError;

/// The EKS clusters in the deployment's VPC (told by their subnets) and their managed node
/// groups: the nodes the API's pods run on.
pub(super) async fn node_groups(
    run: &mut Run<'_>,
    subnets: &BTreeSet<String>,
) -> Result<(), CollectError> {
    if subnets.is_empty() {
        return Ok(());
    }
    let list = ask(
        "eks",
        "list-clusters",
        &[],
        "the EKS clusters (kept when in the deployment's VPC)",
    );
    let Some(names) = run.names(list, "clusters").await else {
        return Ok(());
    };
    let in_vpc = |subnet_ids: &Value| {
        subnet_ids.as_array().is_some_and(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .any(|id| subnets.contains(id))
        })
    };
    let asks = names
        .iter()
        .map(|n| {
            ask(
                "eks",
                "describe-cluster",
                &["--name", n],
                format!("the VPC of cluster {n}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    let mut clusters: Vec<String> = Vec::new();
    for (name, (at, answer)) in names.iter().zip(answers) {
        let Ok(cluster) = answer else { continue };
        if !in_vpc(&cluster["cluster"]["resourcesVpcConfig"]["subnetIds"]) {
            continue;
        }
        // Kept: whether EKS Auto Mode runs its nodes (`computeConfig`), with no node group.
        run.write(at, &format!("cluster-{name}.json"), &cluster, "the cluster")?;
        clusters.push(name.clone());
    }
    let asks = clusters
        .iter()
        .map(|c| {
            ask(
                "eks",
                "list-nodegroups",
                &["--cluster-name", c],
                format!("the node groups of cluster {c}"),
            )
        })
        .collect();
    let lists = run.calls(asks).await;
    let mut describe = Vec::new();
    for (cluster, (_, list)) in clusters.iter().zip(lists) {
        let Ok(list) = list else { continue };
        for group in items(&list, "nodegroups").filter_map(Value::as_str) {
            describe.push(ask(
                "eks",
                "describe-nodegroup",
                &["--cluster-name", cluster, "--nodegroup-name", group],
                format!("node group {group} of cluster {cluster}"),
            ));
        }
    }
    let answers = run.calls(describe).await;
    for (at, answer) in answers {
        if let Ok(group) = answer {
            if !in_vpc(&group["nodegroup"]["subnets"]) {
                continue;
            }
            let cluster = group["nodegroup"]["clusterName"]
                .as_str()
                .unwrap_or("cluster");
            let name = group["nodegroup"]["nodegroupName"]
                .as_str()
                .unwrap_or("group");
            let file = format!("nodegroup-{cluster}-{name}.json");
            run.write(at, &file, &group, "the node group")?;
        }
    }
    Ok(())
}
