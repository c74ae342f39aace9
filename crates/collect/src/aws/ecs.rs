//! ECS: the services registered in the target groups, their task definitions, scaling and
//! capacity providers.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::load_balancers::arns;
use super::run::{Ask, Run, ask};
use super::{items, text};
use crate::CollectError;

/// The ECS services registered in the target groups, their task definitions, scaling and
/// capacity providers.
pub(super) async fn ecs(run: &mut Run<'_>, groups: &[Value]) -> Result<(), CollectError> {
    let wanted = arns(groups);
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(describe) = describe_services_asks(run).await else {
        return Ok(());
    };
    let kept = registered_services(run, describe, &wanted).await?;
    if kept.is_empty() {
        return Ok(());
    }
    task_definitions(run, &kept).await?;
    scaling(run, &kept).await?;
    capacity_providers(run, &kept).await
}

/// The account's clusters and their services, as the calls that describe them (ten services
/// a call, the most `describe-services` takes); `None` when the clusters could not be listed.
async fn describe_services_asks(run: &mut Run<'_>) -> Option<Vec<Ask>> {
    let list = ask(
        "ecs",
        "list-clusters",
        &[],
        "the clusters that may run the deployment's services",
    );
    let clusters = run.names(list, "clusterArns").await?;
    let asks = clusters
        .iter()
        .map(|c| {
            ask(
                "ecs",
                "list-services",
                &["--cluster", c],
                format!("the services of {c}"),
            )
        })
        .collect();
    let lists = run.calls(asks).await;
    let mut describe = Vec::new();
    for (cluster, (_, list)) in clusters.iter().zip(lists) {
        let Ok(list) = list else { continue };
        let services: Vec<String> = items(&list, "serviceArns")
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect();
        for chunk in services.chunks(10) {
            let mut args = vec![
                "--cluster".to_owned(),
                cluster.clone(),
                "--services".to_owned(),
            ];
            args.extend(chunk.iter().cloned());
            describe.push(Ask {
                service: "ecs",
                operation: "describe-services",
                args,
                scope: format!(
                    "the services of {cluster} (kept when they register in the target groups)"
                ),
            });
        }
    }
    Some(describe)
}

/// The services `describe` answers that register in the target groups `wanted`, written as
/// `services.json` (nothing written when there are none).
async fn registered_services(
    run: &mut Run<'_>,
    describe: Vec<Ask>,
    wanted: &BTreeSet<String>,
) -> Result<Vec<Value>, CollectError> {
    let mut seen = 0;
    let mut kept: Vec<Value> = Vec::new();
    let answers = run.calls(describe).await;
    let first = answers.first().map_or(0, |(at, _)| *at);
    for answer in answers.into_iter().filter_map(|(_, a)| a.ok()) {
        for s in items(&answer, "services") {
            seen += 1;
            let registers = items(s, "loadBalancers")
                .filter_map(|lb| text(lb, "targetGroupArn"))
                .any(|arn| wanted.contains(&arn));
            if registers {
                kept.push(s.clone());
            }
        }
    }
    if kept.is_empty() {
        return Ok(kept);
    }
    let summary = format!(
        "{} of {seen} services (those registering in the target groups)",
        kept.len()
    );
    run.write(
        first,
        "services.json",
        &json!({ "services": kept }),
        &summary,
    )?;
    Ok(kept)
}

/// The task definitions the services run, one file each.
async fn task_definitions(run: &mut Run<'_>, services: &[Value]) -> Result<(), CollectError> {
    let task_definitions: BTreeSet<String> = services
        .iter()
        .filter_map(|s| text(s, "taskDefinition"))
        .collect();
    let asks = task_definitions
        .iter()
        .map(|td| {
            ask(
                "ecs",
                "describe-task-definition",
                &["--task-definition", td],
                format!("the task definition {td}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (i, (at, answer)) in answers.into_iter().enumerate() {
        if let Ok(td) = answer {
            let file = format!("task-definition-{}.json", i + 1);
            run.write(at, &file, &td, "the task definition")?;
        }
    }
    Ok(())
}

/// The services' scaling through Application Auto Scaling: their scalable targets (the
/// bounds) and scaling policies.
async fn scaling(run: &mut Run<'_>, services: &[Value]) -> Result<(), CollectError> {
    let resource_ids: Vec<String> = services
        .iter()
        .filter_map(|s| {
            let cluster = text(s, "clusterArn")?;
            let cluster = cluster.rsplit('/').next()?.to_owned();
            Some(format!("service/{cluster}/{}", text(s, "serviceName")?))
        })
        .collect();
    let mut args = vec![
        "--service-namespace".to_owned(),
        "ecs".to_owned(),
        "--resource-ids".to_owned(),
    ];
    args.extend(resource_ids.iter().cloned());
    let (at, targets) = run
        .call(Ask {
            service: "application-autoscaling",
            operation: "describe-scalable-targets",
            args,
            scope: "the services' scaling bounds".into(),
        })
        .await;
    if let Ok(targets) = targets {
        let n = items(&targets, "ScalableTargets").count();
        run.write(
            at,
            "scalable-targets.json",
            &targets,
            &format!("{n} scalable targets"),
        )?;
    }
    let asks = resource_ids
        .iter()
        .map(|id| {
            ask(
                "application-autoscaling",
                "describe-scaling-policies",
                &["--service-namespace", "ecs", "--resource-id", id],
                format!("the scaling policies of {id}"),
            )
        })
        .collect();
    let mut policies = Vec::new();
    let answers = run.calls(asks).await;
    let first = answers.first().map(|(at, _)| *at);
    for answer in answers.into_iter().filter_map(|(_, a)| a.ok()) {
        policies.extend(items(&answer, "ScalingPolicies").cloned());
    }
    if let Some(first) = first {
        let summary = format!("{} scaling policies", policies.len());
        let doc = json!({ "ScalingPolicies": policies });
        run.write(first, "scaling-policies.json", &doc, &summary)?;
    }
    Ok(())
}

/// The services' capacity providers other than Fargate's.
async fn capacity_providers(run: &mut Run<'_>, services: &[Value]) -> Result<(), CollectError> {
    let providers: BTreeSet<String> = services
        .iter()
        .flat_map(|s| items(s, "capacityProviderStrategy"))
        .filter_map(|c| text(c, "capacityProvider"))
        .filter(|p| !p.starts_with("FARGATE"))
        .collect();
    if providers.is_empty() {
        return Ok(());
    }
    let mut args = vec!["--capacity-providers".to_owned()];
    args.extend(providers.iter().cloned());
    let (at, answer) = run
        .call(Ask {
            service: "ecs",
            operation: "describe-capacity-providers",
            args,
            scope: "the services' capacity providers".into(),
        })
        .await;
    if let Ok(answer) = answer {
        run.write(
            at,
            "capacity-providers.json",
            &answer,
            "the capacity providers",
        )?;
    }
    Ok(())
}
