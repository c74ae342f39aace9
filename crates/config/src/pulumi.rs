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
    Database, DbSubnetGroup, Deployment, DnsRecord, EcsService, Input, LoadBalancer, NatGateway,
    NodeGroup, Placement, RouteTable, ScalableTarget, ScalingPolicy, Subnet, TargetGroup,
    TaskDefinition, VpcEndpoint, dns_key,
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
                kubernetes::read(&outputs, view)?;
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
                view.ecs_services.push(EcsService {
                    subject: subject("ECS service"),
                    name: service_name,
                    cluster: outputs.get_ci("cluster").opt_text(),
                    at: outputs.at.clone(),
                    desired: outputs.get_ci("desiredCount").count(),
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
                view.load_balancers.push(LoadBalancer {
                    subject: subject("load balancer"),
                    at: outputs.at.clone(),
                    arn: outputs.get_ci("arn").opt_text(),
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
                view.route_tables.push(RouteTable {
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
