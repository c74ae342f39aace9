//! Elastic Load Balancing: the load balancers the records lead to and their target groups,
//! each with its attributes.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::run::{Run, ask};
use super::{items, plain, text};
use crate::CollectError;

/// The load balancers the records lead to, of all the account's.
pub(super) async fn load_balancers(
    run: &mut Run<'_>,
    names: &BTreeSet<String>,
) -> Result<Vec<Value>, CollectError> {
    let list = ask(
        "elbv2",
        "describe-load-balancers",
        &[],
        "the load balancers api and app lead to (kept by DNS name)",
    );
    let (at, Ok(all)) = run.call(list).await else {
        return Ok(Vec::new());
    };
    let all: Vec<&Value> = items(&all, "LoadBalancers").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|lb| names.contains(&plain(&text(lb, "DNSName").unwrap_or_default())))
        .map(|lb| (*lb).clone())
        .collect();
    let summary = format!(
        "{} of {} load balancers (leading from {})",
        kept.len(),
        all.len(),
        if names.is_empty() {
            "no name".to_owned()
        } else {
            names.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    );
    run.write(
        at,
        "load-balancers.json",
        &json!({ "LoadBalancers": kept }),
        &summary,
    )?;
    let asks = kept
        .iter()
        .filter_map(|lb| text(lb, "LoadBalancerArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-load-balancer-attributes",
                &["--load-balancer-arn", &arn],
                format!("deletion protection of {arn}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (i, (lb, (at, answer))) in kept.iter().zip(answers).enumerate() {
        if let Ok(mut attributes) = answer {
            attributes["LoadBalancerArn"] = json!(text(lb, "LoadBalancerArn"));
            let name = format!("load-balancer-attributes-{}.json", i + 1);
            run.write(at, &name, &attributes, "its attributes")?;
        }
    }
    Ok(kept)
}

/// The target groups of the load balancers, and each one's attributes.
pub(super) async fn target_groups(
    run: &mut Run<'_>,
    lbs: &[Value],
) -> Result<Vec<Value>, CollectError> {
    let asks = lbs
        .iter()
        .filter_map(|lb| text(lb, "LoadBalancerArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-target-groups",
                &["--load-balancer-arn", &arn],
                format!("the target groups of {arn}"),
            )
        })
        .collect();
    let mut groups: Vec<Value> = Vec::new();
    let answers = run.calls(asks).await;
    let first = answers.first().map(|(at, _)| *at);
    for (_, answer) in answers {
        if let Ok(answer) = answer {
            for tg in items(&answer, "TargetGroups") {
                if !groups
                    .iter()
                    .any(|g| text(g, "TargetGroupArn") == text(tg, "TargetGroupArn"))
                {
                    groups.push(tg.clone());
                }
            }
        }
    }
    let Some(first) = first else {
        return Ok(groups);
    };
    let summary = format!("{} target groups of the load balancers", groups.len());
    run.write(
        first,
        "target-groups.json",
        &json!({ "TargetGroups": groups }),
        &summary,
    )?;
    let asks = groups
        .iter()
        .filter_map(|tg| text(tg, "TargetGroupArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-target-group-attributes",
                &["--target-group-arn", &arn],
                format!("the deregistration delay of {arn}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (tg, (at, answer)) in groups.iter().zip(answers) {
        if let Ok(mut attributes) = answer {
            attributes["TargetGroupArn"] = json!(text(tg, "TargetGroupArn"));
            let name = text(tg, "TargetGroupName").unwrap_or_else(|| "target-group".into());
            let file = format!("target-group-attributes-{name}.json");
            run.write(at, &file, &attributes, "its attributes")?;
        }
    }
    Ok(groups)
}

pub(super) fn arns(groups: &[Value]) -> BTreeSet<String> {
    groups
        .iter()
        .filter_map(|g| text(g, "TargetGroupArn"))
        .collect()
}
