//! `pulumi stack export` (version 3) into the view: `deployment.resources[]`, each read from
//! its `outputs` (where the provider's defaults are filled in). Kubernetes resources go through
//! the Kubernetes reader; AWS resources are read by type.
//!
//! The export's traps: ECS `containerDefinitions` is a JSON string, possibly a secret; keys
//! vary in case; secrets exported with `--show-secrets` carry their value as JSON text in
//! `plaintext`, those without it cannot be checked.

use std::sync::Arc;

use serde_json::Value;

use crate::kubernetes;
use crate::node::{Field, Loc, Node, PULUMI_SECRET_SIG, State};
use crate::view::{
    AutoScalingGroup, CapacityProvider, Database, DbSubnetGroup, Deployment, DnsRecord, EcsService,
    Input, LbKind, LifecycleHook, LoadBalancer, NatGateway, NodeGroup, Placement, RouteTable,
    ScalableTarget, ScalingPolicy, Subnet, TargetGroup, TaskDefinition, Told, VpcEndpoint, dns_key,
};

/// A `0.0.0.0/0` route resource: its table and where it goes.
type DefaultRoute = (Option<String>, Option<(String, Loc)>);

/// The stack export version this reads.
pub const STACK_EXPORT_VERSION: u64 = 3;

/// Reads a stack export. `Err` when it is not one.
pub(crate) fn read(doc: &mut Value, file: &Arc<str>, view: &mut Deployment) -> Result<(), String> {
    let version = doc.get("version").and_then(Value::as_u64);
    match version {
        Some(STACK_EXPORT_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{file}: a stack export of version {v}; netconform reads version {STACK_EXPORT_VERSION} (what `pulumi stack export` writes since Pulumi 3)"
            ));
        }
        None => {
            return Err(format!(
                "{file}: not a `pulumi stack export` (no \"version\": {STACK_EXPORT_VERSION} at the top)"
            ));
        }
    }
    reveal_plaintext(doc);
    let root = Node::new(doc, Loc::new(file, ""));
    let resources = root.path("deployment.resources");
    if resources.value().and_then(Value::as_array).is_none() {
        return Err(format!(
            "{file}: not a `pulumi stack export`: no deployment.resources list"
        ));
    }
    let mut routes: Vec<DefaultRoute> = Vec::new();
    let mut associations: Vec<(String, String)> = Vec::new();
    let mut main_tables: Vec<String> = Vec::new();
    let mut endpoint_tables: Vec<(String, String, Loc)> = Vec::new();
    for res in resources.items() {
        let kind = res.get("type").opt_text().unwrap_or_default();
        let name = res
            .get("urn")
            .opt_text()
            .and_then(|u| u.rsplit("::").next().map(str::to_owned))
            .unwrap_or_default();
        let outputs = if res.get("outputs").is_object() {
            res.get("outputs")
        } else {
            res.get("inputs")
        };
        let id = res
            .get("id")
            .opt_text()
            .or_else(|| outputs.get_ci("id").opt_text())
            .unwrap_or_default();
        let subject = |what: &str| format!("{what} {name} ({kind})");
        if let Some(k8s) = kind.strip_prefix("kubernetes:") {
            let k8s_kind = k8s.rsplit(':').next().unwrap_or_default();
            if matches!(
                k8s_kind,
                "Deployment" | "StatefulSet" | "HorizontalPodAutoscaler" | "Service" | "Ingress"
            ) && outputs.get("kind").exists()
            {
                view.saw(Input::Kubernetes, &resources.at);
                let before = view.workloads.len();
                kubernetes::read(&outputs, view)?;
                // The program's replicas are in the inputs; the outputs hold the live object.
                let inputs = res.get("inputs");
                if view.workloads.len() > before && inputs.get("spec").exists() {
                    let w = view.workloads.last_mut().expect("just read");
                    w.replicas = inputs.path("spec.replicas").count();
                    w.replicas_told = Told::Configured;
                }
            }
            continue;
        }
        match aws_type(&kind) {
            "ecs/service:Service" => {
                let net = outputs.get_ci("networkConfiguration");
                for input in [
                    Input::EcsServices,
                    Input::TaskDefinitions,
                    Input::ScalableTargets,
                    Input::ScalingPolicies,
                ] {
                    view.saw(input, &resources.at);
                }
                let service_name = outputs.get_ci("name").opt_text().unwrap_or(name.clone());
                let strategy = outputs.get_ci("capacityProviderStrategies");
                let (desired, desired_told) = configured(&res, "desiredCount");
                view.ecs_services.push(EcsService {
                    subject: subject("ECS service"),
                    name: service_name,
                    cluster: outputs.get_ci("cluster").opt_text(),
                    at: outputs.at.clone(),
                    desired,
                    desired_told,
                    launch_type: outputs
                        .get_ci("launchType")
                        .opt_text()
                        .filter(|t| !t.is_empty()),
                    capacity_providers: strategy
                        .items()
                        .iter()
                        .filter_map(|p| p.get_ci("capacityProvider").opt_text())
                        .collect(),
                    launch_at: if strategy.items().is_empty() {
                        outputs.get_ci("launchType").at.clone()
                    } else {
                        strategy.at.clone()
                    },
                    classic_load_balancers: outputs
                        .get_ci("loadBalancers")
                        .items()
                        .iter()
                        .filter_map(|lb| lb.get_ci("elbName").opt_text())
                        .filter(|n| !n.is_empty())
                        .collect(),
                    grace: outputs.get_ci("healthCheckGracePeriodSeconds").count(),
                    subnets: net.get_ci("subnets").texts(),
                    public_ip: net.get_ci("assignPublicIp").flag(),
                    task_definition: outputs.get_ci("taskDefinition").opt_text(),
                    target_groups: outputs
                        .get_ci("loadBalancers")
                        .items()
                        .iter()
                        .filter_map(|lb| lb.get_ci("targetGroupArn").opt_text())
                        .collect(),
                });
            }
            "ecs/taskDefinition:TaskDefinition" => {
                view.saw(Input::TaskDefinitions, &resources.at);
                let defs = outputs.get_ci("containerDefinitions");
                let containers = match defs.value() {
                    Some(Value::String(text)) => {
                        let at = Loc {
                            file: Arc::clone(file),
                            path: format!("{}(JSON)", defs.at.path),
                        };
                        match serde_json::from_str::<Value>(text) {
                            Ok(parsed) => crate::aws::containers(&Node::new(&parsed, at)),
                            Err(e) => Field {
                                at: defs.at.clone(),
                                state: State::Invalid(format!("a string that is not JSON ({e})")),
                            },
                        }
                    }
                    _ => crate::aws::containers(&defs),
                };
                view.task_definitions.push(TaskDefinition {
                    subject: subject("task definition"),
                    at: outputs.at.clone(),
                    arn: outputs.get_ci("arn").opt_text(),
                    family: outputs.get_ci("family").opt_text(),
                    containers,
                    compatibilities: outputs
                        .get_ci("requiresCompatibilities")
                        .texts()
                        .value()
                        .cloned()
                        .unwrap_or_default(),
                });
            }
            "lb/loadBalancer:LoadBalancer" => {
                view.saw(Input::LoadBalancers, &resources.at);
                view.saw(Input::LoadBalancerAttributes, &resources.at);
                let mut subnets: Vec<String> = outputs
                    .get_ci("subnets")
                    .texts()
                    .value()
                    .cloned()
                    .unwrap_or_default();
                for m in outputs.get_ci("subnetMappings").items() {
                    if let Some(s) = m.get_ci("subnetId").opt_text()
                        && !subnets.contains(&s)
                    {
                        subnets.push(s);
                    }
                }
                let subnets_at = outputs.get_ci("subnets").at.clone();
                let arn = outputs.get_ci("arn").opt_text();
                // The provider fills in its default ("application") when the program sets none.
                let type_node = outputs.get_ci("loadBalancerType");
                let kind = match type_node.opt_text() {
                    Some(text) => match LbKind::from_type(&text) {
                        Some(k) => Field::set(type_node.at.clone(), k),
                        None => Field {
                            at: type_node.at.clone(),
                            state: State::Invalid(format!(
                                "loadBalancerType {text:?} is none of application, network, gateway"
                            )),
                        },
                    },
                    None => match arn.as_deref().and_then(LbKind::from_arn) {
                        Some(k) => Field::set(outputs.get_ci("arn").at.clone(), k),
                        None => Field::set(type_node.at.clone(), LbKind::Application),
                    },
                };
                view.load_balancers.push(LoadBalancer {
                    subject: subject("load balancer"),
                    at: outputs.at.clone(),
                    arn,
                    name: outputs.get_ci("name").opt_text(),
                    kind,
                    dns_name: outputs.get_ci("dnsName").opt_text(),
                    internet_facing: outputs
                        .get_ci("internal")
                        .flag()
                        .value()
                        .map(|internal| !internal),
                    placements: if subnets.is_empty() {
                        Field::unset(subnets_at)
                    } else {
                        Field::set(
                            subnets_at,
                            subnets
                                .into_iter()
                                .map(|s| Placement {
                                    subnet: Some(s),
                                    zone: None,
                                })
                                .collect(),
                        )
                    },
                    // The provider's default (false) is filled into the outputs.
                    deletion_protection: outputs.get_ci("enableDeletionProtection").flag(),
                    attributes_read: true,
                });
            }
            "lb/targetGroup:TargetGroup" => {
                view.saw(Input::TargetGroups, &resources.at);
                view.saw(Input::TargetGroupAttributes, &resources.at);
                view.target_groups.push(TargetGroup {
                    subject: subject("target group"),
                    at: outputs.at.clone(),
                    arn: outputs.get_ci("arn").opt_text(),
                    name: outputs.get_ci("name").opt_text().unwrap_or(name.clone()),
                    port: outputs.get_ci("port").count().value().copied(),
                    load_balancers: outputs
                        .get_ci("loadBalancerArns")
                        .texts()
                        .value()
                        .cloned()
                        .unwrap_or_default(),
                    health_path: outputs.path_ci("healthCheck.path").text(),
                    matcher: outputs.path_ci("healthCheck.matcher").text(),
                    deregistration_delay: explicit(&res, "deregistrationDelay"),
                    attributes_read: true,
                });
            }
            "appautoscaling/target:Target" => {
                view.saw(Input::ScalableTargets, &resources.at);
                let id = outputs.get_ci("resourceId").opt_text().unwrap_or_default();
                view.scalable_targets.push(ScalableTarget {
                    subject: subject("scalable target"),
                    at: outputs.at.clone(),
                    resource_id: id,
                    min: outputs.get_ci("minCapacity").count(),
                    max: outputs.get_ci("maxCapacity").count(),
                });
            }
            "appautoscaling/policy:Policy" => {
                view.saw(Input::ScalingPolicies, &resources.at);
                let config = outputs.get_ci("targetTrackingScalingPolicyConfiguration");
                view.scaling_policies.push(ScalingPolicy {
                    subject: subject("scaling policy"),
                    at: outputs.at.clone(),
                    resource_id: outputs.get_ci("resourceId").opt_text().unwrap_or_default(),
                    group: None,
                    metric: config
                        .path_ci("predefinedMetricSpecification.predefinedMetricType")
                        .opt_text(),
                    target: config.get_ci("targetValue").number(),
                });
            }
            "ec2/vpc:Vpc" => {
                for input in [
                    Input::Subnets,
                    Input::NatGateways,
                    Input::RouteTables,
                    Input::VpcEndpoints,
                ] {
                    view.saw(input, &resources.at);
                }
            }
            "ec2/subnet:Subnet" => {
                for input in [Input::Subnets, Input::NatGateways, Input::RouteTables] {
                    view.saw(input, &resources.at);
                }
                view.subnets.push(Subnet {
                    id,
                    at: outputs.at.clone(),
                    zone: outputs.get_ci("availabilityZone").opt_text(),
                    vpc: outputs.get_ci("vpcId").opt_text(),
                    map_public_ip: outputs
                        .get_ci("mapPublicIpOnLaunch")
                        .flag()
                        .value()
                        .copied(),
                    tags: crate::aws::tags(&outputs.get_ci("tags")),
                });
            }
            "ec2/natGateway:NatGateway" => {
                view.saw(Input::NatGateways, &resources.at);
                if outputs.get_ci("connectivityType").opt_text().as_deref() != Some("private") {
                    view.nat_gateways.push(NatGateway {
                        id,
                        at: outputs.at.clone(),
                        subnet: outputs.get_ci("subnetId").opt_text(),
                        subnet_at: outputs.get_ci("subnetId").at.clone(),
                        state: None,
                    });
                }
            }
            "ec2/routeTable:RouteTable" => {
                view.saw(Input::RouteTables, &resources.at);
                let default_route = outputs.get_ci("routes").items().into_iter().find_map(|r| {
                    (r.get_ci("cidrBlock").opt_text().as_deref() == Some("0.0.0.0/0"))
                        .then(|| route_target(&r))
                        .flatten()
                });
                let endpoints = outputs
                    .get_ci("routes")
                    .items()
                    .iter()
                    .filter_map(|r| r.get_ci("gatewayId").opt_text())
                    .filter(|g| g.starts_with("vpce-"))
                    .collect();
                view.route_tables.push(RouteTable {
                    endpoints,
                    id,
                    at: outputs.at.clone(),
                    vpc: outputs.get_ci("vpcId").opt_text(),
                    main: false,
                    subnets: Vec::new(),
                    default_route,
                });
            }
            "ec2/route:Route"
                if outputs.get_ci("destinationCidrBlock").opt_text().as_deref()
                    == Some("0.0.0.0/0") =>
            {
                routes.push((
                    outputs.get_ci("routeTableId").opt_text(),
                    route_target(&outputs),
                ));
            }
            "ec2/routeTableAssociation:RouteTableAssociation" => {
                if let (Some(subnet), Some(table)) = (
                    outputs.get_ci("subnetId").opt_text(),
                    outputs.get_ci("routeTableId").opt_text(),
                ) {
                    associations.push((subnet, table));
                }
            }
            "ec2/mainRouteTableAssociation:MainRouteTableAssociation" => {
                main_tables.extend(outputs.get_ci("routeTableId").opt_text());
            }
            "ec2/vpcEndpoint:VpcEndpoint" => {
                view.saw(Input::VpcEndpoints, &resources.at);
                view.vpc_endpoints.push(VpcEndpoint {
                    id,
                    at: outputs.at.clone(),
                    service: outputs.get_ci("serviceName").opt_text().unwrap_or_default(),
                    kind: outputs.get_ci("vpcEndpointType").opt_text(),
                    vpc: outputs.get_ci("vpcId").opt_text(),
                    state: outputs.get_ci("state").opt_text(),
                    route_tables: outputs
                        .get_ci("routeTableIds")
                        .texts()
                        .value()
                        .cloned()
                        .unwrap_or_default(),
                    route_tables_at: outputs.get_ci("routeTableIds").at.clone(),
                    private_dns: outputs.get_ci("privateDnsEnabled").flag(),
                });
            }
            "ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation" => {
                if let (Some(endpoint), Some(table)) = (
                    outputs.get_ci("vpcEndpointId").opt_text(),
                    outputs.get_ci("routeTableId").opt_text(),
                ) {
                    endpoint_tables.push((endpoint, table, outputs.at.clone()));
                }
            }
            "elb/loadBalancer:LoadBalancer" => {
                view.saw(Input::ClassicLoadBalancers, &resources.at);
                let subnets = outputs.get_ci("subnets");
                view.load_balancers.push(LoadBalancer {
                    subject: subject("classic load balancer"),
                    at: outputs.at.clone(),
                    arn: outputs.get_ci("arn").opt_text(),
                    name: outputs.get_ci("name").opt_text(),
                    kind: Field::set(outputs.at.clone(), LbKind::Classic),
                    dns_name: outputs.get_ci("dnsName").opt_text(),
                    internet_facing: outputs
                        .get_ci("internal")
                        .flag()
                        .value()
                        .map(|internal| !internal),
                    placements: match subnets.texts().state {
                        State::Set(ids) if !ids.is_empty() => Field::set(
                            subnets.at.clone(),
                            ids.into_iter()
                                .map(|s| Placement {
                                    subnet: Some(s),
                                    zone: None,
                                })
                                .collect(),
                        ),
                        _ => Field::unset(subnets.at.clone()),
                    },
                    deletion_protection: Field::unset(outputs.at.clone()),
                    attributes_read: true,
                });
            }
            "autoscaling/group:Group" => {
                for input in [
                    Input::AutoScalingGroups,
                    Input::GroupPolicies,
                    Input::LifecycleHooks,
                ] {
                    view.saw(input, &resources.at);
                }
                let group_name = outputs.get_ci("name").opt_text().unwrap_or(name.clone());
                let (desired, desired_told) = configured(&res, "desiredCapacity");
                let list = |key: &str| {
                    outputs
                        .get_ci(key)
                        .texts()
                        .value()
                        .cloned()
                        .unwrap_or_default()
                };
                let subnets = outputs.get_ci("vpcZoneIdentifiers");
                view.groups.push(AutoScalingGroup {
                    subject: subject("auto-scaling group"),
                    arn: outputs.get_ci("arn").opt_text(),
                    at: outputs.at.clone(),
                    min: outputs.get_ci("minSize").count(),
                    max: outputs.get_ci("maxSize").count(),
                    desired,
                    desired_told,
                    subnets: if subnets.exists() {
                        subnets.texts()
                    } else {
                        Field::unset(subnets.at.clone())
                    },
                    zones: list("availabilityZones"),
                    target_groups: list("targetGroupArns"),
                    health_check_type: outputs.get_ci("healthCheckType").text(),
                    health_check_grace: outputs.get_ci("healthCheckGracePeriod").count(),
                    name: group_name.clone(),
                });
                // Hooks written inline (`initialLifecycleHooks`).
                for h in outputs.get_ci("initialLifecycleHooks").items() {
                    view.lifecycle_hooks.push(LifecycleHook {
                        subject: format!(
                            "lifecycle hook {} of {group_name}",
                            h.get_ci("name").opt_text().unwrap_or_default()
                        ),
                        at: h.at.clone(),
                        group: group_name.clone(),
                        transition: h
                            .get_ci("lifecycleTransition")
                            .opt_text()
                            .unwrap_or_default(),
                        heartbeat: h.get_ci("heartbeatTimeout").count(),
                    });
                }
            }
            "autoscaling/policy:Policy" => {
                view.saw(Input::GroupPolicies, &resources.at);
                let config = outputs.get_ci("targetTrackingConfiguration");
                view.scaling_policies.push(ScalingPolicy {
                    subject: subject("scaling policy"),
                    at: outputs.at.clone(),
                    resource_id: String::new(),
                    group: outputs.get_ci("autoscalingGroupName").opt_text(),
                    metric: config
                        .path_ci("predefinedMetricSpecification.predefinedMetricType")
                        .opt_text(),
                    target: config.get_ci("targetValue").number(),
                });
            }
            "autoscaling/lifecycleHook:LifecycleHook" => {
                view.saw(Input::LifecycleHooks, &resources.at);
                view.lifecycle_hooks.push(LifecycleHook {
                    subject: subject("lifecycle hook"),
                    at: outputs.at.clone(),
                    group: outputs
                        .get_ci("autoscalingGroupName")
                        .opt_text()
                        .unwrap_or_default(),
                    transition: outputs
                        .get_ci("lifecycleTransition")
                        .opt_text()
                        .unwrap_or_default(),
                    heartbeat: outputs.get_ci("heartbeatTimeout").count(),
                });
            }
            "ecs/capacityProvider:CapacityProvider" => {
                view.saw(Input::CapacityProviders, &resources.at);
                let asg = outputs.get_ci("autoScalingGroupProvider");
                view.capacity_providers.push(CapacityProvider {
                    subject: subject("capacity provider"),
                    name: outputs.get_ci("name").opt_text().unwrap_or(name.clone()),
                    arn: outputs.get_ci("arn").opt_text(),
                    at: outputs.at.clone(),
                    group: asg.get_ci("autoScalingGroupArn").opt_text(),
                    managed_draining: asg.get_ci("managedDraining").text(),
                });
            }
            "rds/instance:Instance" | "rds/clusterInstance:ClusterInstance" => {
                view.saw(Input::Databases, &resources.at);
                view.databases.push(Database {
                    subject: subject("database"),
                    at: outputs.at.clone(),
                    // The provider's default (false) is filled into the outputs.
                    public: outputs.get_ci("publiclyAccessible").flag(),
                    subnets: Vec::new(),
                    subnet_group: outputs.get_ci("dbSubnetGroupName").opt_text(),
                });
            }
            "rds/subnetGroup:SubnetGroup" => {
                view.db_subnet_groups.push(DbSubnetGroup {
                    name: outputs.get_ci("name").opt_text().unwrap_or(name.clone()),
                    subnets: outputs
                        .get_ci("subnetIds")
                        .texts()
                        .value()
                        .cloned()
                        .unwrap_or_default(),
                });
            }
            "route53/record:Record" => {
                view.saw(Input::Records, &resources.at);
                let record_name = outputs
                    .get_ci("fqdn")
                    .opt_text()
                    .or_else(|| outputs.get_ci("name").opt_text())
                    .unwrap_or_default();
                let mut targets: Vec<String> = outputs
                    .get_ci("records")
                    .texts()
                    .value()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|v| dns_key(v))
                    .collect();
                targets.extend(
                    outputs
                        .get_ci("aliases")
                        .items()
                        .iter()
                        .filter_map(|a| a.get_ci("name").opt_text())
                        .map(|v| dns_key(&v)),
                );
                view.records.push(DnsRecord {
                    name: dns_key(&record_name),
                    record_type: outputs.get_ci("type").opt_text().unwrap_or_default(),
                    at: outputs.at.clone(),
                    targets,
                });
            }
            "eks/nodeGroup:NodeGroup" => {
                view.saw(Input::NodeGroups, &resources.at);
                view.node_groups.push(NodeGroup {
                    subject: subject("EKS node group"),
                    at: outputs.at.clone(),
                    subnets: outputs.get_ci("subnetIds").texts(),
                });
            }
            _ => {}
        }
    }
    for (table, target) in routes {
        if let Some(rt) = view
            .route_tables
            .iter_mut()
            .find(|rt| table.as_deref() == Some(rt.id.as_str()))
        {
            rt.default_route = rt.default_route.take().or(target);
        }
    }
    for (subnet, table) in associations {
        if let Some(rt) = view.route_tables.iter_mut().find(|rt| rt.id == table) {
            rt.subnets.push(subnet);
        }
    }
    for (endpoint, table, at) in endpoint_tables {
        if let Some(e) = view.vpc_endpoints.iter_mut().find(|e| e.id == endpoint) {
            if !e.route_tables.contains(&table) {
                e.route_tables.push(table);
            }
            if e.route_tables.len() == 1 {
                e.route_tables_at = at;
            }
        }
    }
    for table in main_tables {
        if let Some(rt) = view.route_tables.iter_mut().find(|rt| rt.id == table) {
            rt.main = true;
        }
    }
    Ok(())
}

/// `aws:lb/targetGroup:TargetGroup` -> `lb/targetGroup:TargetGroup`, with the `alb` and
/// `elasticloadbalancingv2` aliases of the load balancer types folded into `lb`.
fn aws_type(kind: &str) -> &str {
    let Some(rest) = kind.strip_prefix("aws:") else {
        return "";
    };
    for alias in ["alb/", "elasticloadbalancingv2/"] {
        if let Some(tail) = rest.strip_prefix(alias) {
            return match tail {
                "loadBalancer:LoadBalancer" => "lb/loadBalancer:LoadBalancer",
                "targetGroup:TargetGroup" => "lb/targetGroup:TargetGroup",
                _ => rest,
            };
        }
    }
    rest
}

/// Where a route sends its traffic.
fn route_target(route: &Node<'_>) -> Option<(String, Loc)> {
    [
        "natGatewayId",
        "gatewayId",
        "transitGatewayId",
        "networkInterfaceId",
        "vpcPeeringConnectionId",
    ]
    .iter()
    .map(|k| route.get_ci(k))
    .find_map(|n| {
        n.opt_text()
            .filter(|v| !v.is_empty())
            .map(|v| (v, n.at.clone()))
    })
}

/// A count as the program set it (its inputs), else as the provider reports it (outputs).
fn configured(res: &Node<'_>, key: &str) -> (Field<u64>, Told) {
    let given = res.get("inputs").get_ci(key);
    if given.exists() {
        return (given.count(), Told::Configured);
    }
    let output = res.get("outputs").get_ci(key);
    if output.exists() {
        (output.count(), Told::Live)
    } else {
        (given.count(), Told::Configured)
    }
}

/// A value the program set: in the inputs and not a provider default (`__defaults`). Unset
/// otherwise, pointing at the inputs where it would be written.
fn explicit(res: &Node<'_>, key: &str) -> Field<u64> {
    let inputs = res.get("inputs");
    let defaulted = inputs
        .get("__defaults")
        .texts()
        .value()
        .is_some_and(|d| d.iter().any(|k| k == key));
    let given = inputs.get_ci(key);
    if !given.exists() || defaulted {
        return Field::unset(given.at.clone());
    }
    let output = res.get("outputs").get_ci(key);
    if output.exists() {
        output.count()
    } else {
        given.count()
    }
}

/// Replaces every secret exported with `--show-secrets` by its value (`plaintext` is the
/// value as JSON text). Secrets without plaintext stay as they are.
fn reveal_plaintext(value: &mut Value) {
    match value {
        Value::Object(map) if map.contains_key(PULUMI_SECRET_SIG) => {
            if let Some(Value::String(text)) = map.get("plaintext") {
                let revealed =
                    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()));
                *value = revealed;
                reveal_plaintext(value);
            }
        }
        Value::Object(map) => map.values_mut().for_each(reveal_plaintext),
        Value::Array(items) => items.iter_mut().for_each(reveal_plaintext),
        _ => {}
    }
}
