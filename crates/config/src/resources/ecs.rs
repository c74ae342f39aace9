//! ECS services, task definitions and capacity providers, from the AWS CLI (`aws ecs
//! describe-services`, `describe-task-definition`, `describe-capacity-providers`) and a stack
//! export (`aws:ecs/*`).

use std::sync::Arc;

use serde_json::Value;

use crate::formats::stack_export::Resource;
use crate::node::{Field, Loc, Node, State};
use crate::resources::Reading;
use crate::view::{CapacityProvider, EcsContainer, EcsService, Input, TaskDefinition, Told};

/// The capacity providers of a strategy.
fn strategy_providers(strategy: &Node<'_>) -> Vec<String> {
    strategy
        .items()
        .iter()
        .filter_map(|p| p.get_ci("capacityProvider").opt_text())
        .collect()
}

/// The target groups of a service's `loadBalancers`: each one's `targetGroupArn` and, for
/// blue/green deployments, its `advancedConfiguration.alternateTargetGroupArn` (ECS API,
/// `AdvancedConfiguration`): the service's tasks are registered in one or the other.
fn target_groups(load_balancers: &Node<'_>) -> Vec<String> {
    let mut arns = Vec::new();
    for lb in load_balancers.items() {
        arns.extend(lb.get_ci("targetGroupArn").opt_text());
        arns.extend(
            lb.path_ci("advancedConfiguration.alternateTargetGroupArn")
                .opt_text(),
        );
    }
    arns.retain(|a| !a.is_empty());
    arns
}

/// The classic load balancers of a service's `loadBalancers`, by the key that names them.
fn classic_load_balancers(load_balancers: &Node<'_>, key: &str) -> Vec<String> {
    load_balancers
        .items()
        .iter()
        .filter_map(|lb| lb.get_ci(key).opt_text())
        .filter(|n| !n.is_empty())
        .collect()
}

/// `aws ecs describe-services`.
pub(crate) fn services_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("services");
    r.view.saw(Input::EcsServices, &list.at);
    for s in list.items() {
        let name = s.get_ci("serviceName").opt_text().unwrap_or_default();
        let vpc = s.path_ci("networkConfiguration.awsvpcConfiguration");
        let strategy = s.get_ci("capacityProviderStrategy");
        r.view.ecs_services.push(EcsService {
            subject: format!("ECS service {name}"),
            name,
            cluster: s.get_ci("clusterArn").opt_text(),
            at: s.at.clone(),
            desired: s.get_ci("desiredCount").count(),
            desired_told: Told::Live,
            launch_type: s.get_ci("launchType").opt_text(),
            capacity_providers: strategy_providers(&strategy),
            launch_at: if strategy.exists() {
                strategy.at.clone()
            } else {
                s.get_ci("launchType").at.clone()
            },
            classic_load_balancers: classic_load_balancers(
                &s.get_ci("loadBalancers"),
                "loadBalancerName",
            ),
            grace: s.get_ci("healthCheckGracePeriodSeconds").count(),
            subnets: vpc.get_ci("subnets").texts(),
            public_ip: vpc
                .get_ci("assignPublicIp")
                .text()
                .map(|v| v.eq_ignore_ascii_case("ENABLED")),
            task_definition: s.get_ci("taskDefinition").opt_text(),
            target_groups: target_groups(&s.get_ci("loadBalancers")),
            az_rebalancing: s.get_ci("availabilityZoneRebalancing").text(),
            deployment_strategy: s.path_ci("deploymentConfiguration.strategy").text(),
            bake_time: s
                .path_ci("deploymentConfiguration.bakeTimeInMinutes")
                .count(),
        });
    }
    Ok(())
}

/// `aws:ecs/service:Service`: the export says all the service's kinds of input (its task
/// definition, its scaling) are in it.
pub(crate) fn service_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    for input in [
        Input::EcsServices,
        Input::TaskDefinitions,
        Input::ScalableTargets,
        Input::ScalingPolicies,
    ] {
        r.view.saw(input, &res.list_at);
    }
    let net = outputs.get_ci("networkConfiguration");
    let strategy = outputs.get_ci("capacityProviderStrategies");
    let (desired, desired_told) = res.configured("desiredCount");
    r.view.ecs_services.push(EcsService {
        subject: res.subject("ECS service"),
        name: outputs
            .get_ci("name")
            .opt_text()
            .unwrap_or(res.name.clone()),
        cluster: outputs.get_ci("cluster").opt_text(),
        at: outputs.at.clone(),
        desired,
        desired_told,
        launch_type: outputs
            .get_ci("launchType")
            .opt_text()
            .filter(|t| !t.is_empty()),
        capacity_providers: strategy_providers(&strategy),
        launch_at: if strategy.items().is_empty() {
            outputs.get_ci("launchType").at.clone()
        } else {
            strategy.at.clone()
        },
        classic_load_balancers: classic_load_balancers(&outputs.get_ci("loadBalancers"), "elbName"),
        grace: outputs.get_ci("healthCheckGracePeriodSeconds").count(),
        subnets: net.get_ci("subnets").texts(),
        public_ip: net.get_ci("assignPublicIp").flag(),
        task_definition: outputs.get_ci("taskDefinition").opt_text(),
        target_groups: target_groups(&outputs.get_ci("loadBalancers")),
        az_rebalancing: outputs.get_ci("availabilityZoneRebalancing").text(),
        deployment_strategy: outputs.path_ci("deploymentConfiguration.strategy").text(),
        bake_time: outputs
            .path_ci("deploymentConfiguration.bakeTimeInMinutes")
            .count(),
    });
    Ok(())
}

/// `aws ecs describe-task-definition`'s `taskDefinition`.
pub(crate) fn task_definition_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let td = doc.get_ci("taskDefinition");
    r.view.saw(Input::TaskDefinitions, &td.at);
    let family = td.get_ci("family").opt_text();
    r.view.task_definitions.push(TaskDefinition {
        subject: format!(
            "task definition {}",
            family.as_deref().unwrap_or("(no family)")
        ),
        at: td.at.clone(),
        arn: td.get_ci("taskDefinitionArn").opt_text(),
        family,
        containers: containers(&td.get_ci("containerDefinitions")),
        compatibilities: td.get_ci("requiresCompatibilities").text_list(),
    });
    Ok(())
}

/// `aws:ecs/taskDefinition:TaskDefinition`, whose `containerDefinitions` is JSON text
/// (possibly a secret).
pub(crate) fn task_definition_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    let outputs = &res.outputs;
    r.view.saw(Input::TaskDefinitions, &res.list_at);
    let defs = outputs.get_ci("containerDefinitions");
    let containers = match defs.value() {
        Some(Value::String(text)) => {
            let at = Loc {
                file: Arc::clone(&defs.at.file),
                path: format!("{}(JSON)", defs.at.path),
            };
            match serde_json::from_str::<Value>(text) {
                Ok(parsed) => containers(&Node::new(&parsed, at)),
                Err(e) => Field {
                    at: defs.at.clone(),
                    state: State::Invalid(format!("a string that is not JSON ({e})")),
                },
            }
        }
        _ => containers(&defs),
    };
    r.view.task_definitions.push(TaskDefinition {
        subject: res.subject("task definition"),
        at: outputs.at.clone(),
        arn: outputs.get_ci("arn").opt_text(),
        family: outputs.get_ci("family").opt_text(),
        containers,
        compatibilities: outputs.get_ci("requiresCompatibilities").text_list(),
    });
    Ok(())
}

/// Container definitions, keys in any case.
fn containers(defs: &Node<'_>) -> Field<Vec<EcsContainer>> {
    if defs.is_secret() {
        return defs.text().map(|_| Vec::new());
    }
    if !defs.exists() {
        return Field::unset(defs.at.clone());
    }
    Field::set(
        defs.at.clone(),
        defs.items()
            .iter()
            .map(|c| EcsContainer {
                name: c.get_ci("name").opt_text().unwrap_or_default(),
                image: c.get_ci("image").opt_text().unwrap_or_default(),
                at: c.at.clone(),
                stop_timeout: c.get_ci("stopTimeout").count(),
            })
            .collect(),
    )
}

/// One capacity provider, in either format (their keys differ only in case).
fn capacity_provider(c: &Node<'_>, subject: String, name: String) -> CapacityProvider {
    let asg = c.get_ci("autoScalingGroupProvider");
    CapacityProvider {
        subject,
        name,
        arn: c
            .get_ci("capacityProviderArn")
            .opt_text()
            .or_else(|| c.get_ci("arn").opt_text()),
        at: c.at.clone(),
        group: asg.get_ci("autoScalingGroupArn").opt_text(),
        managed_draining: asg.get_ci("managedDraining").text(),
    }
}

/// `aws ecs describe-capacity-providers`.
pub(crate) fn capacity_providers_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("capacityProviders");
    r.view.saw(Input::CapacityProviders, &list.at);
    for c in list.items() {
        let name = c.get_ci("name").opt_text().unwrap_or_default();
        let provider = capacity_provider(&c, format!("capacity provider {name}"), name);
        r.view.capacity_providers.push(provider);
    }
    Ok(())
}

/// `aws:ecs/capacityProvider:CapacityProvider`.
pub(crate) fn capacity_provider_from_stack(
    res: &Resource<'_>,
    r: &mut Reading,
) -> Result<(), String> {
    r.view.saw(Input::CapacityProviders, &res.list_at);
    let name = res
        .outputs
        .get_ci("name")
        .opt_text()
        .unwrap_or(res.name.clone());
    let provider = capacity_provider(&res.outputs, res.subject("capacity provider"), name);
    r.view.capacity_providers.push(provider);
    Ok(())
}
