//! RDS: the database instances in the deployment's VPC.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::run::{Run, ask};
use super::{items, text};
use crate::CollectError;

/// The database instances in the deployment's VPC, of all the account's.
pub(super) async fn databases(
    run: &mut Run<'_>,
    vpcs: &BTreeSet<String>,
) -> Result<(), CollectError> {
    if vpcs.is_empty() {
        return Ok(());
    }
    let (at, Ok(all)) = run
        .call(ask(
            "rds",
            "describe-db-instances",
            &[],
            "the databases (kept when in the deployment's VPC)",
        ))
        .await
    else {
        return Ok(());
    };
    let all: Vec<&Value> = items(&all, "DBInstances").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|db| {
            db.get("DBSubnetGroup")
                .and_then(|g| text(g, "VpcId"))
                .is_some_and(|v| vpcs.contains(&v))
        })
        .map(|db| (*db).clone())
        .collect();
    let summary = format!(
        "{} of {} database instances (in the VPC)",
        kept.len(),
        all.len()
    );
    run.write(
        at,
        "db-instances.json",
        &json!({ "DBInstances": kept }),
        &summary,
    )
}
