//! EC2 Auto Scaling: the groups registered in the target groups, their policies and
//! lifecycle hooks.

use serde_json::{Value, json};

use super::load_balancers::arns;
use super::run::{Run, ask};
use super::{items, text};
use crate::CollectError;

/// The auto-scaling groups registered in the target groups (VMs, or ECS on EC2), their
/// policies and lifecycle hooks.
pub(super) async fn auto_scaling_groups(
    run: &mut Run<'_>,
    groups: &[Value],
) -> Result<(), CollectError> {
    let wanted = arns(groups);
    if wanted.is_empty() {
        return Ok(());
    }
    let (at, Ok(all)) = run
        .call(ask(
            "autoscaling",
            "describe-auto-scaling-groups",
            &[],
            "the auto-scaling groups (kept when they register in the target groups)",
        ))
        .await
    else {
        return Ok(());
    };
    let all: Vec<&Value> = items(&all, "AutoScalingGroups").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|g| {
            items(g, "TargetGroupARNs")
                .filter_map(Value::as_str)
                .any(|a| wanted.contains(a))
        })
        .map(|g| (*g).clone())
        .collect();
    if kept.is_empty() {
        return Ok(());
    }
    let summary = format!("{} of {} auto-scaling groups", kept.len(), all.len());
    run.write(
        at,
        "auto-scaling-groups.json",
        &json!({ "AutoScalingGroups": kept }),
        &summary,
    )?;
    for (i, name) in kept
        .iter()
        .filter_map(|g| text(g, "AutoScalingGroupName"))
        .enumerate()
    {
        let answers = run
            .calls(vec![
                ask(
                    "autoscaling",
                    "describe-policies",
                    &["--auto-scaling-group-name", &name],
                    format!("the scaling policies of {name}"),
                ),
                ask(
                    "autoscaling",
                    "describe-lifecycle-hooks",
                    &["--auto-scaling-group-name", &name],
                    format!("the lifecycle hooks of {name}"),
                ),
            ])
            .await;
        let mut answers = answers.into_iter();
        if let Some((at, Ok(policies))) = answers.next() {
            let file = format!("asg-policies-{}.json", i + 1);
            run.write(at, &file, &policies, "its scaling policies")?;
        }
        if let Some((at, Ok(hooks))) = answers.next() {
            let file = format!("asg-lifecycle-hooks-{}.json", i + 1);
            run.write(at, &file, &hooks, "its lifecycle hooks")?;
        }
    }
    Ok(())
}
