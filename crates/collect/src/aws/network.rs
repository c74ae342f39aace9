//! EC2 networking: the VPC's subnets, route tables, NAT gateways and endpoints.

use std::collections::BTreeSet;

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
    Ok(subnets)
}
