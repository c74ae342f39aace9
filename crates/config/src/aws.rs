//! AWS CLI output (JSON, as the CLI prints it) into the view. Each file is the output of one
//! describe or list command, told by its top-level key.

use std::collections::BTreeMap;

use crate::node::{Field, Loc, Node, State};
use crate::view::{
    AutoScalingGroup, CapacityProvider, Database, Deployment, DnsRecord, EcsContainer, EcsService,
    Input, LbKind, LifecycleHook, LoadBalancer, NatGateway, NodeGroup, Placement, RouteTable,
    ScalableTarget, ScalingPolicy, Subnet, TargetGroup, TaskDefinition, Told, VpcEndpoint, dns_key,
};

/// The outputs read, by top-level key, for messages.
const KNOWN: &str = "services (aws ecs describe-services), taskDefinition (describe-task-definition), capacityProviders (describe-capacity-providers), LoadBalancers, Attributes, TargetGroups (aws elbv2 describe-*), LoadBalancerDescriptions (aws elb describe-load-balancers), ScalableTargets, ScalingPolicies (aws application-autoscaling, or aws autoscaling describe-policies), AutoScalingGroups, LifecycleHooks (aws autoscaling describe-*), Subnets, NatGateways, RouteTables, VpcEndpoints (aws ec2 describe-*), DBInstances (aws rds describe-db-instances), nodegroup (aws eks describe-nodegroup), ResourceRecordSets (aws route53 list-resource-record-sets), NetconformDenied (denied.json of `netconform collect`)";

/// `describe-load-balancer-attributes` or `describe-target-group-attributes` output, which
/// does not name its resource: attached once every file is read.
#[derive(Debug, Clone)]
pub(crate) struct PendingAttributes {
    pub(crate) at: Loc,
    /// The ARN the user added beside `Attributes`, if any.
    pub(crate) arn: Option<String>,
    pub(crate) for_load_balancer: bool,
    /// Key -> (value, where).
    pub(crate) values: BTreeMap<String, Field<String>>,
}

/// Reads one file's document. `Err` when it is not an output this reads.
pub(crate) fn read(
    doc: &Node<'_>,
    view: &mut Deployment,
    pending: &mut Vec<PendingAttributes>,
) -> Result<(), String> {
    let has = |key: &str| doc.get_ci(key).exists();
    if !doc.is_object() {
        return Err(format!(
            "{}: not AWS CLI output (a JSON object); expected one of: {KNOWN}",
            doc.at
        ));
    }
    let mut read_any = false;
    if has("services") {
        view.saw(Input::EcsServices, &doc.get_ci("services").at);
        for s in doc.get_ci("services").items() {
            view.ecs_services.push(ecs_service(&s));
        }
        read_any = true;
    }
    if has("taskDefinition") && doc.get_ci("taskDefinition").is_object() {
        view.saw(Input::TaskDefinitions, &doc.get_ci("taskDefinition").at);
        view.task_definitions
            .push(task_definition(&doc.get_ci("taskDefinition")));
        read_any = true;
    }
    if has("LoadBalancers") {
        view.saw(Input::LoadBalancers, &doc.get_ci("LoadBalancers").at);
        for lb in doc.get_ci("LoadBalancers").items() {
            view.load_balancers.push(load_balancer(&lb));
        }
        read_any = true;
    }
    if has("LoadBalancerDescriptions") {
        let list = doc.get_ci("LoadBalancerDescriptions");
        view.saw(Input::ClassicLoadBalancers, &list.at);
        for lb in list.items() {
            view.load_balancers.push(classic_load_balancer(&lb));
        }
        read_any = true;
    }
    if has("capacityProviders") {
        let list = doc.get_ci("capacityProviders");
        view.saw(Input::CapacityProviders, &list.at);
        for c in list.items() {
            let name = c.get_ci("name").opt_text().unwrap_or_default();
            let asg = c.get_ci("autoScalingGroupProvider");
            view.capacity_providers.push(CapacityProvider {
                subject: format!("capacity provider {name}"),
                name,
                arn: c.get_ci("capacityProviderArn").opt_text(),
                at: c.at.clone(),
                group: asg.get_ci("autoScalingGroupArn").opt_text(),
                managed_draining: asg.get_ci("managedDraining").text(),
            });
        }
        read_any = true;
    }
    if has("AutoScalingGroups") {
        let list = doc.get_ci("AutoScalingGroups");
        view.saw(Input::AutoScalingGroups, &list.at);
        for g in list.items() {
            view.groups.push(auto_scaling_group(&g));
        }
        read_any = true;
    }
    if has("LifecycleHooks") {
        let list = doc.get_ci("LifecycleHooks");
        view.saw(Input::LifecycleHooks, &list.at);
        for h in list.items() {
            let name = h.get_ci("LifecycleHookName").opt_text().unwrap_or_default();
            view.lifecycle_hooks.push(LifecycleHook {
                subject: format!("lifecycle hook {name}"),
                at: h.at.clone(),
                group: h
                    .get_ci("AutoScalingGroupName")
                    .opt_text()
                    .unwrap_or_default(),
                transition: h
                    .get_ci("LifecycleTransition")
                    .opt_text()
                    .unwrap_or_default(),
                heartbeat: h.get_ci("HeartbeatTimeout").count(),
            });
        }
        read_any = true;
    }
    if has("Attributes") {
        let mut values = BTreeMap::new();
        for a in doc.get_ci("Attributes").items() {
            if let Some(key) = a.get_ci("Key").opt_text() {
                values.insert(key, a.get_ci("Value").text());
            }
        }
        let lb_arn = doc.get_ci("LoadBalancerArn").opt_text();
        let tg_arn = doc.get_ci("TargetGroupArn").opt_text();
        let for_load_balancer = lb_arn.is_some()
            || (tg_arn.is_none() && values.keys().any(|k| k.starts_with("deletion_protection.")));
        let is_tg = tg_arn.is_some()
            || values
                .keys()
                .any(|k| k.starts_with("deregistration_delay."));
        if !for_load_balancer && !is_tg {
            return Err(format!(
                "{}: Attributes of neither a load balancer (deletion_protection.enabled) nor a target group (deregistration_delay.timeout_seconds)",
                doc.at
            ));
        }
        let input = if for_load_balancer {
            Input::LoadBalancerAttributes
        } else {
            Input::TargetGroupAttributes
        };
        view.saw(input, &doc.get_ci("Attributes").at);
        pending.push(PendingAttributes {
            at: doc.get_ci("Attributes").at.clone(),
            arn: lb_arn.or(tg_arn),
            for_load_balancer,
            values,
        });
        read_any = true;
    }
    if has("TargetGroups") {
        view.saw(Input::TargetGroups, &doc.get_ci("TargetGroups").at);
        for tg in doc.get_ci("TargetGroups").items() {
            view.target_groups.push(target_group(&tg));
        }
        read_any = true;
    }
    if has("ScalableTargets") {
        view.saw(Input::ScalableTargets, &doc.get_ci("ScalableTargets").at);
        for t in doc.get_ci("ScalableTargets").items() {
            let id = t.get_ci("ResourceId").opt_text().unwrap_or_default();
            view.scalable_targets.push(ScalableTarget {
                subject: format!("scalable target {id}"),
                at: t.at.clone(),
                resource_id: id,
                min: t.get_ci("MinCapacity").count(),
                max: t.get_ci("MaxCapacity").count(),
            });
        }
        read_any = true;
    }
    if has("ScalingPolicies") {
        // Application Auto Scaling (`ResourceId`) and EC2 Auto Scaling (`AutoScalingGroupName`)
        // print the same top-level key; an empty list says there are none of either.
        let list = doc.get_ci("ScalingPolicies");
        let items = list.items();
        let group_of = |p: &Node<'_>| p.get_ci("AutoScalingGroupName").opt_text();
        if items.is_empty() || items.iter().any(|p| group_of(p).is_none()) {
            view.saw(Input::ScalingPolicies, &list.at);
        }
        if items.is_empty() || items.iter().any(|p| group_of(p).is_some()) {
            view.saw(Input::GroupPolicies, &list.at);
        }
        for p in items {
            let group = group_of(&p);
            let config = if group.is_some() {
                p.get_ci("TargetTrackingConfiguration")
            } else {
                p.get_ci("TargetTrackingScalingPolicyConfiguration")
            };
            let name = p.get_ci("PolicyName").opt_text().unwrap_or_default();
            view.scaling_policies.push(ScalingPolicy {
                subject: format!("scaling policy {name}"),
                at: p.at.clone(),
                resource_id: p.get_ci("ResourceId").opt_text().unwrap_or_default(),
                group,
                metric: config
                    .path_ci("PredefinedMetricSpecification.PredefinedMetricType")
                    .opt_text(),
                target: config.get_ci("TargetValue").number(),
            });
        }
        read_any = true;
    }
    if has("Subnets") {
        view.saw(Input::Subnets, &doc.get_ci("Subnets").at);
        for s in doc.get_ci("Subnets").items() {
            view.subnets.push(Subnet {
                id: s.get_ci("SubnetId").opt_text().unwrap_or_default(),
                at: s.at.clone(),
                zone: s.get_ci("AvailabilityZone").opt_text(),
                vpc: s.get_ci("VpcId").opt_text(),
                map_public_ip: s.get_ci("MapPublicIpOnLaunch").flag().value().copied(),
                tags: tags(&s.get_ci("Tags")),
            });
        }
        read_any = true;
    }
    if has("NatGateways") {
        view.saw(Input::NatGateways, &doc.get_ci("NatGateways").at);
        for n in doc.get_ci("NatGateways").items() {
            if n.get_ci("ConnectivityType").opt_text().as_deref() == Some("private") {
                continue;
            }
            view.nat_gateways.push(NatGateway {
                id: n.get_ci("NatGatewayId").opt_text().unwrap_or_default(),
                at: n.at.clone(),
                subnet: n.get_ci("SubnetId").opt_text(),
                subnet_at: n.get_ci("SubnetId").at.clone(),
                state: n.get_ci("State").opt_text(),
            });
        }
        read_any = true;
    }
    if has("RouteTables") {
        view.saw(Input::RouteTables, &doc.get_ci("RouteTables").at);
        for rt in doc.get_ci("RouteTables").items() {
            view.route_tables.push(route_table(&rt));
        }
        read_any = true;
    }
    if has("VpcEndpoints") {
        view.saw(Input::VpcEndpoints, &doc.get_ci("VpcEndpoints").at);
        for e in doc.get_ci("VpcEndpoints").items() {
            view.vpc_endpoints.push(VpcEndpoint {
                id: e.get_ci("VpcEndpointId").opt_text().unwrap_or_default(),
                at: e.at.clone(),
                service: e.get_ci("ServiceName").opt_text().unwrap_or_default(),
                kind: e.get_ci("VpcEndpointType").opt_text(),
                vpc: e.get_ci("VpcId").opt_text(),
                state: e.get_ci("State").opt_text(),
                route_tables: e
                    .get_ci("RouteTableIds")
                    .texts()
                    .value()
                    .cloned()
                    .unwrap_or_default(),
                route_tables_at: e.get_ci("RouteTableIds").at.clone(),
                private_dns: e.get_ci("PrivateDnsEnabled").flag(),
            });
        }
        read_any = true;
    }
    if has("DBInstances") {
        view.saw(Input::Databases, &doc.get_ci("DBInstances").at);
        for db in doc.get_ci("DBInstances").items() {
            let id = db
                .get_ci("DBInstanceIdentifier")
                .opt_text()
                .unwrap_or_default();
            let group = db.get_ci("DBSubnetGroup");
            view.databases.push(Database {
                subject: format!("DB instance {id}"),
                at: db.at.clone(),
                public: db.get_ci("PubliclyAccessible").flag(),
                subnets: group
                    .get_ci("Subnets")
                    .items()
                    .iter()
                    .filter_map(|s| s.get_ci("SubnetIdentifier").opt_text())
                    .collect(),
                subnet_group: group.get_ci("DBSubnetGroupName").opt_text(),
            });
        }
        read_any = true;
    }
    if has("nodegroup") && doc.get_ci("nodegroup").is_object() {
        view.saw(Input::NodeGroups, &doc.get_ci("nodegroup").at);
        let ng = doc.get_ci("nodegroup");
        let name = ng.get_ci("nodegroupName").opt_text().unwrap_or_default();
        view.node_groups.push(NodeGroup {
            subject: format!("EKS node group {name}"),
            at: ng.at.clone(),
            subnets: ng.get_ci("subnets").texts(),
        });
        read_any = true;
    }
    if has("ResourceRecordSets") {
        view.saw(Input::Records, &doc.get_ci("ResourceRecordSets").at);
        for r in doc.get_ci("ResourceRecordSets").items() {
            let mut targets: Vec<String> = r
                .get_ci("ResourceRecords")
                .items()
                .iter()
                .filter_map(|v| v.get_ci("Value").opt_text())
                .map(|v| dns_key(&v))
                .collect();
            targets.extend(
                r.path_ci("AliasTarget.DNSName")
                    .opt_text()
                    .map(|v| dns_key(&v)),
            );
            view.records.push(DnsRecord {
                name: dns_key(&r.get_ci("Name").opt_text().unwrap_or_default()),
                record_type: r.get_ci("Type").opt_text().unwrap_or_default(),
                at: r.at.clone(),
                targets,
            });
        }
        read_any = true;
    }
    if has("NetconformDenied") {
        read_denied(doc, view)?;
        read_any = true;
    }
    if read_any {
        Ok(())
    } else {
        let keys: Vec<&str> = doc.entries().iter().map(|(k, _)| *k).collect();
        Err(format!(
            "{}: not an output netconform reads (top-level keys: {}); expected one of: {KNOWN}",
            doc.at,
            if keys.is_empty() {
                "none".to_owned()
            } else {
                keys.join(", ")
            }
        ))
    }
}

/// `denied.json` of `netconform collect`: the inputs collection was refused, each with the
/// action (an IAM action, or a Kubernetes RBAC permission) that was denied.
pub(crate) fn read_denied(doc: &Node<'_>, view: &mut Deployment) -> Result<(), String> {
    for entry in doc.get_ci("NetconformDenied").items() {
        let feeds = entry.get_ci("Feeds").opt_text().unwrap_or_default();
        let action = entry.get_ci("Action").opt_text().unwrap_or_default();
        let Some(input) = Input::of_command(&feeds) else {
            return Err(format!(
                "{}: {feeds:?} is not a command netconform reads the output of (denied.json is written by `netconform collect`)",
                entry.get_ci("Feeds").at
            ));
        };
        view.denied.entry(input).or_insert(action);
    }
    Ok(())
}

/// `[{"Key": k, "Value": v}]` as a map.
pub(crate) fn tags(node: &Node<'_>) -> BTreeMap<String, String> {
    match node.items().as_slice() {
        [] => node
            .entries()
            .into_iter()
            .filter_map(|(k, v)| v.opt_text().map(|v| (k.to_owned(), v)))
            .collect(),
        items => items
            .iter()
            .filter_map(|t| Some((t.get_ci("Key").opt_text()?, t.get_ci("Value").opt_text()?)))
            .collect(),
    }
}

fn ecs_service(s: &Node<'_>) -> EcsService {
    let name = s.get_ci("serviceName").opt_text().unwrap_or_default();
    let vpc = s.path_ci("networkConfiguration.awsvpcConfiguration");
    let strategy = s.get_ci("capacityProviderStrategy");
    EcsService {
        subject: format!("ECS service {name}"),
        name,
        cluster: s.get_ci("clusterArn").opt_text(),
        at: s.at.clone(),
        desired: s.get_ci("desiredCount").count(),
        desired_told: Told::Live,
        launch_type: s.get_ci("launchType").opt_text(),
        capacity_providers: strategy
            .items()
            .iter()
            .filter_map(|p| p.get_ci("capacityProvider").opt_text())
            .collect(),
        launch_at: if strategy.exists() {
            strategy.at.clone()
        } else {
            s.get_ci("launchType").at.clone()
        },
        classic_load_balancers: s
            .get_ci("loadBalancers")
            .items()
            .iter()
            .filter_map(|lb| lb.get_ci("loadBalancerName").opt_text())
            .collect(),
        grace: s.get_ci("healthCheckGracePeriodSeconds").count(),
        subnets: vpc.get_ci("subnets").texts(),
        public_ip: vpc
            .get_ci("assignPublicIp")
            .text()
            .map(|v| v.eq_ignore_ascii_case("ENABLED")),
        task_definition: s.get_ci("taskDefinition").opt_text(),
        target_groups: s
            .get_ci("loadBalancers")
            .items()
            .iter()
            .filter_map(|lb| lb.get_ci("targetGroupArn").opt_text())
            .collect(),
    }
}

/// A task definition (`describe-task-definition`'s `taskDefinition`).
fn task_definition(td: &Node<'_>) -> TaskDefinition {
    let family = td.get_ci("family").opt_text();
    TaskDefinition {
        subject: format!(
            "task definition {}",
            family.as_deref().unwrap_or("(no family)")
        ),
        at: td.at.clone(),
        arn: td.get_ci("taskDefinitionArn").opt_text(),
        family,
        containers: containers(&td.get_ci("containerDefinitions")),
        compatibilities: td
            .get_ci("requiresCompatibilities")
            .texts()
            .value()
            .cloned()
            .unwrap_or_default(),
    }
}

/// Container definitions, keys in any case.
pub(crate) fn containers(defs: &Node<'_>) -> Field<Vec<EcsContainer>> {
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

fn load_balancer(lb: &Node<'_>) -> LoadBalancer {
    let name = lb.get_ci("LoadBalancerName").opt_text().unwrap_or_default();
    let zones = lb.get_ci("AvailabilityZones");
    let arn = lb.get_ci("LoadBalancerArn").opt_text();
    let kind_node = lb.get_ci("Type");
    let kind = match kind_node.opt_text() {
        Some(text) => match LbKind::from_type(&text) {
            Some(k) => Field::set(kind_node.at.clone(), k),
            None => Field {
                at: kind_node.at.clone(),
                state: State::Invalid(format!(
                    "Type {text:?} is none of application, network, gateway"
                )),
            },
        },
        None => match arn.as_deref().and_then(LbKind::from_arn) {
            Some(k) => Field::set(lb.get_ci("LoadBalancerArn").at.clone(), k),
            None => Field::unset(kind_node.at.clone()),
        },
    };
    LoadBalancer {
        subject: format!("load balancer {name}"),
        at: lb.at.clone(),
        arn,
        name: Some(name.clone()),
        kind,
        dns_name: lb.get_ci("DNSName").opt_text(),
        internet_facing: lb
            .get_ci("Scheme")
            .opt_text()
            .map(|s| s.eq_ignore_ascii_case("internet-facing")),
        placements: if zones.exists() {
            Field::set(
                zones.at.clone(),
                zones
                    .items()
                    .iter()
                    .map(|z| Placement {
                        subnet: z.get_ci("SubnetId").opt_text(),
                        zone: z.get_ci("ZoneName").opt_text(),
                    })
                    .collect(),
            )
        } else {
            Field::unset(zones.at.clone())
        },
        deletion_protection: Field::unset(lb.at.key("(describe-load-balancer-attributes)")),
        attributes_read: false,
    }
}

/// `aws elb describe-load-balancers`: a Classic Load Balancer. It has no attributes of
/// deletion protection: there is none for its kind.
fn classic_load_balancer(lb: &Node<'_>) -> LoadBalancer {
    let name = lb.get_ci("LoadBalancerName").opt_text().unwrap_or_default();
    let subnets = lb.get_ci("Subnets");
    LoadBalancer {
        subject: format!("classic load balancer {name}"),
        at: lb.at.clone(),
        arn: None,
        name: Some(name),
        kind: Field::set(lb.at.clone(), LbKind::Classic),
        dns_name: lb.get_ci("DNSName").opt_text(),
        internet_facing: lb
            .get_ci("Scheme")
            .opt_text()
            .map(|s| s.eq_ignore_ascii_case("internet-facing")),
        placements: match subnets.texts().state {
            State::Set(ids) => Field::set(
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
        deletion_protection: Field::unset(lb.at.clone()),
        attributes_read: true,
    }
}

fn auto_scaling_group(g: &Node<'_>) -> AutoScalingGroup {
    let name = g
        .get_ci("AutoScalingGroupName")
        .opt_text()
        .unwrap_or_default();
    // The CLI prints the subnets as one comma-separated string.
    let zone_ids = g.get_ci("VPCZoneIdentifier");
    let subnets = match zone_ids.text().state {
        State::Set(text) if !text.trim().is_empty() => Field::set(
            zone_ids.at.clone(),
            text.split(',').map(|s| s.trim().to_owned()).collect(),
        ),
        State::Invalid(why) => Field {
            at: zone_ids.at.clone(),
            state: State::Invalid(why),
        },
        _ => Field::unset(zone_ids.at.clone()),
    };
    AutoScalingGroup {
        subject: format!("auto-scaling group {name}"),
        arn: g.get_ci("AutoScalingGroupARN").opt_text(),
        at: g.at.clone(),
        min: g.get_ci("MinSize").count(),
        max: g.get_ci("MaxSize").count(),
        desired: g.get_ci("DesiredCapacity").count(),
        desired_told: Told::Live,
        subnets,
        zones: g
            .get_ci("AvailabilityZones")
            .texts()
            .value()
            .cloned()
            .unwrap_or_default(),
        target_groups: g
            .get_ci("TargetGroupARNs")
            .texts()
            .value()
            .cloned()
            .unwrap_or_default(),
        health_check_type: g.get_ci("HealthCheckType").text(),
        health_check_grace: g.get_ci("HealthCheckGracePeriod").count(),
        name,
    }
}

fn target_group(tg: &Node<'_>) -> TargetGroup {
    let name = tg.get_ci("TargetGroupName").opt_text().unwrap_or_default();
    TargetGroup {
        subject: format!("target group {name}"),
        at: tg.at.clone(),
        arn: tg.get_ci("TargetGroupArn").opt_text(),
        name,
        port: tg.get_ci("Port").count().value().copied(),
        load_balancers: tg
            .get_ci("LoadBalancerArns")
            .texts()
            .value()
            .cloned()
            .unwrap_or_default(),
        health_path: tg.get_ci("HealthCheckPath").text(),
        matcher: tg.path_ci("Matcher.HttpCode").text(),
        deregistration_delay: Field::unset(tg.at.key("(describe-target-group-attributes)")),
        attributes_read: false,
    }
}

fn route_table(rt: &Node<'_>) -> RouteTable {
    let associations = rt.get_ci("Associations").items();
    let default_route = rt.get_ci("Routes").items().into_iter().find_map(|r| {
        let dest = r.get_ci("DestinationCidrBlock").opt_text()?;
        if dest != "0.0.0.0/0" {
            return None;
        }
        let target = [
            "NatGatewayId",
            "GatewayId",
            "TransitGatewayId",
            "NetworkInterfaceId",
            "VpcPeeringConnectionId",
            "InstanceId",
        ]
        .iter()
        .find_map(|k| r.get_ci(k).opt_text().map(|v| (v, r.get_ci(k).at.clone())))?;
        // A blackhole route goes nowhere.
        (r.get_ci("State").opt_text().as_deref() != Some("blackhole")).then_some(target)
    });
    let endpoints = rt
        .get_ci("Routes")
        .items()
        .iter()
        .filter_map(|r| r.get_ci("GatewayId").opt_text())
        .filter(|g| g.starts_with("vpce-"))
        .collect();
    RouteTable {
        endpoints,
        id: rt.get_ci("RouteTableId").opt_text().unwrap_or_default(),
        at: rt.at.clone(),
        vpc: rt.get_ci("VpcId").opt_text(),
        main: associations
            .iter()
            .any(|a| a.get_ci("Main").flag().value() == Some(&true)),
        subnets: associations
            .iter()
            .filter_map(|a| a.get_ci("SubnetId").opt_text())
            .collect(),
        default_route,
    }
}

/// Attaches attribute files to their load balancer or target group: by the ARN written beside
/// them, else the only one there is. `Err` names the file when that cannot be told.
pub(crate) fn attach(view: &mut Deployment, pending: Vec<PendingAttributes>) -> Result<(), String> {
    for attrs in pending {
        if attrs.for_load_balancer {
            let field = attrs
                .values
                .get("deletion_protection.enabled")
                .cloned()
                .map(|f| f.map(|v| v.eq_ignore_ascii_case("true")));
            let index = owner(
                &attrs,
                view.load_balancers
                    .iter()
                    .map(|lb| lb.arn.as_deref())
                    .collect(),
                "load balancer",
                "LoadBalancerArn",
            )?;
            let lb = match index {
                Some(i) => &mut view.load_balancers[i],
                None => {
                    view.load_balancers.push(LoadBalancer {
                        subject: format!(
                            "load balancer {}",
                            attrs
                                .arn
                                .as_deref()
                                .unwrap_or("(named by no describe-load-balancers output)")
                        ),
                        at: attrs.at.clone(),
                        arn: attrs.arn.clone(),
                        name: None,
                        kind: match attrs.arn.as_deref().and_then(LbKind::from_arn) {
                            Some(k) => Field::set(attrs.at.clone(), k),
                            None => Field::unset(attrs.at.clone()),
                        },
                        dns_name: None,
                        internet_facing: None,
                        placements: Field::unset(attrs.at.clone()),
                        deletion_protection: Field::unset(attrs.at.clone()),
                        attributes_read: true,
                    });
                    view.load_balancers.last_mut().expect("just pushed")
                }
            };
            lb.deletion_protection = field.unwrap_or_else(|| Field::unset(attrs.at.clone()));
            lb.attributes_read = true;
        } else {
            let field = attrs
                .values
                .get("deregistration_delay.timeout_seconds")
                .cloned();
            let index = owner(
                &attrs,
                view.target_groups
                    .iter()
                    .map(|tg| tg.arn.as_deref())
                    .collect(),
                "target group",
                "TargetGroupArn",
            )?;
            let delay = match field {
                Some(f) => match f.value().map(|v| v.trim().parse::<u64>()) {
                    Some(Ok(n)) => Field::set(f.at, n),
                    Some(Err(_)) => Field {
                        state: State::Invalid(format!(
                            "{:?} instead of a whole number",
                            f.value().cloned().unwrap_or_default()
                        )),
                        at: f.at,
                    },
                    None => f.map(|_| 0),
                },
                None => Field::unset(attrs.at.clone()),
            };
            match index {
                Some(i) => {
                    view.target_groups[i].deregistration_delay = delay;
                    view.target_groups[i].attributes_read = true;
                }
                None => view.target_groups.push(TargetGroup {
                    subject: format!(
                        "target group {}",
                        attrs
                            .arn
                            .as_deref()
                            .unwrap_or("(named by no describe-target-groups output)")
                    ),
                    at: attrs.at.clone(),
                    arn: attrs.arn.clone(),
                    name: String::new(),
                    port: None,
                    load_balancers: Vec::new(),
                    health_path: Field::unset(attrs.at.clone()),
                    matcher: Field::unset(attrs.at.clone()),
                    deregistration_delay: delay,
                    attributes_read: true,
                }),
            }
        }
    }
    Ok(())
}

/// Which of `arns` the attributes belong to; `None`: there is none to attach to.
fn owner(
    attrs: &PendingAttributes,
    arns: Vec<Option<&str>>,
    what: &str,
    key: &str,
) -> Result<Option<usize>, String> {
    if let Some(arn) = &attrs.arn {
        return Ok(arns.iter().position(|a| *a == Some(arn.as_str())));
    }
    match arns.len() {
        0 => Ok(None),
        1 => Ok(Some(0)),
        n => Err(format!(
            "{}: these attributes do not say which of the {n} {what}s they belong to; add \"{key}\": \"arn:...\" beside \"Attributes\" (e.g. `aws elbv2 describe-... --output json | jq --arg arn $ARN '. + {{{key}: $arn}}'`)",
            attrs.at.file
        )),
    }
}
