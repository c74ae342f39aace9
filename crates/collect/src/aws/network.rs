//! EC2 networking: the VPC's subnets, route tables, NAT gateways and endpoints, and the
//! Region's VPC Block Public Access with the exclusions of the VPC and its subnets.

use std::collections::BTreeSet;

use serde_json::Value;

use super::run::{Run, ask};
use super::{items, text};
use crate::CollectError;

/// The VPC the load balancer is in: its subnets, route tables, NAT gateways and endpoints.
/// Returns the ids of its subnets.
pub(super) async fn network(
    run: &mut Run<'_>,
    vpcs: &BTreeSet<String>,
) -> Result<BTreeSet<String>, CollectError> {
    let mut subnets = BTreeSet::new();
    if vpcs.is_empty() {
        return Ok(subnets);
    }
    let ids = vpcs.iter().cloned().collect::<Vec<_>>().join(",");
    let filter = format!("Name=vpc-id,Values={ids}");
    let scope = format!("the deployment's VPC ({ids})");
    let asks = vec![
        ask(
            "ec2",
            "describe-subnets",
            &["--filters", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-route-tables",
            &["--filters", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-nat-gateways",
            &["--filter", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-vpc-endpoints",
            &["--filters", &filter],
            scope.clone(),
        ),
    ];
    let files = [
        ("subnets.json", "Subnets"),
        ("route-tables.json", "RouteTables"),
        ("nat-gateways.json", "NatGateways"),
        ("vpc-endpoints.json", "VpcEndpoints"),
    ];
    let answers = run.calls(asks).await;
    for ((at, answer), (file, key)) in answers.into_iter().zip(files) {
        if let Ok(answer) = answer {
            let n = items(&answer, key).count();
            if key == "Subnets" {
                subnets.extend(items(&answer, key).filter_map(|s| text(s, "SubnetId")));
            }
            run.write(at, file, &answer, &format!("{n} in the VPC"))?;
        }
    }
    block_public_access(run, vpcs, &subnets).await?;
    Ok(subnets)
}

/// VPC Block Public Access (EC2 API `VpcBlockPublicAccessOptions`,
/// `VpcBlockPublicAccessExclusion`): the Region's mode, and the exclusions of the deployment's
/// VPC and subnets. A call that fails (one the service does not implement) is recorded by the
/// runner as a gap named with its action: no file, and never taken as "no block".
async fn block_public_access(
    run: &mut Run<'_>,
    vpcs: &BTreeSet<String>,
    subnets: &BTreeSet<String>,
) -> Result<(), CollectError> {
    let asks = vec![
        ask(
            "ec2",
            "describe-vpc-block-public-access-options",
            &[],
            "the Region's VPC Block Public Access mode",
        ),
        ask(
            "ec2",
            "describe-vpc-block-public-access-exclusions",
            &[],
            "the VPC Block Public Access exclusions (kept for the deployment's VPC and subnets)",
        ),
    ];
    let mut answers = run.calls(asks).await.into_iter();
    if let Some((at, Ok(options))) = answers.next() {
        let mode = options["VpcBlockPublicAccessOptions"]["InternetGatewayBlockMode"]
            .as_str()
            .unwrap_or("not told")
            .to_owned();
        run.write(
            at,
            "vpc-block-public-access-options.json",
            &options,
            &format!("mode {mode}"),
        )?;
    }
    if let Some((at, Ok(mut exclusions))) = answers.next() {
        let ours = |e: &Value| {
            text(e, "ResourceArn")
                .and_then(|arn| arn.rsplit('/').next().map(str::to_owned))
                .is_some_and(|id| vpcs.contains(&id) || subnets.contains(&id))
        };
        if let Some(list) = exclusions
            .get_mut("VpcBlockPublicAccessExclusions")
            .and_then(Value::as_array_mut)
        {
            list.retain(ours);
        }
        let n = items(&exclusions, "VpcBlockPublicAccessExclusions").count();
        run.write(
            at,
            "vpc-block-public-access-exclusions.json",
            &exclusions,
            &format!("{n} of the VPC or its subnets"),
        )?;
    }
    Ok(())
}
