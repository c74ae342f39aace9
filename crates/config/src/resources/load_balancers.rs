//! Load balancers (Application, Network, Gateway and Classic) and their target groups, from the
//! AWS CLI (`aws elbv2 describe-load-balancers`, `describe-target-groups`, their
//! `describe-*-attributes`, `aws elb describe-load-balancers`) and a stack export (`aws:lb/*`,
//! its `alb` and `elasticloadbalancingv2` aliases, `aws:elb/*`).

mod azure;
pub(crate) mod containers;
pub(crate) mod front_door;

pub(crate) use azure::{
    application_gateway_from_az, azure_load_balancer_from_az, ids, lock_from_az, public_ip_from_az,
};
pub(crate) mod gcp;

use std::collections::BTreeMap;

use crate::formats::stack_export::Resource;
use crate::links::Attributes;
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{Input, LbKind, LoadBalancer, Placement, TargetGroup, ZoneAttribute};

/// A load balancer's kind: from its type (`key` names it in the message), else from its ARN,
/// else `default` (a provider's own default), else not told.
fn kind(type_node: &Node<'_>, arn: &Node<'_>, key: &str, default: Option<LbKind>) -> Field<LbKind> {
    if let Some(text) = type_node.opt_text() {
        return match LbKind::from_type(&text) {
            Some(k) => Field::set(type_node.at.clone(), k),
            None => Field {
                at: type_node.at.clone(),
                state: State::Invalid(format!(
                    "{key} {text:?} is none of application, network, gateway"
                )),
            },
        };
    }
    match arn.opt_text().as_deref().and_then(LbKind::from_arn) {
        Some(k) => Field::set(arn.at.clone(), k),
        None => match default {
            Some(k) => Field::set(type_node.at.clone(), k),
            None => Field::unset(type_node.at.clone()),
        },
    }
}

/// Placements in these subnets (zones not told).
fn in_subnets(ids: Vec<String>) -> Vec<Placement> {
    ids.into_iter()
        .map(|s| Placement {
            subnet: Some(s),
            zone: None,
        })
        .collect()
}

/// `internal` (a stack export) as internet-facing.
fn facing_from_internal(node: &Node<'_>) -> Option<bool> {
    node.get_ci("internal")
        .flag()
        .value()
        .map(|internal| !internal)
}

/// `Scheme` (the AWS CLI) as internet-facing.
fn facing_from_scheme(node: &Node<'_>) -> Option<bool> {
    node.get_ci("Scheme")
        .opt_text()
        .map(|s| s.eq_ignore_ascii_case("internet-facing"))
}

/// `aws elbv2 describe-load-balancers`.
pub(crate) fn from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("LoadBalancers");
    r.view.saw(Input::LoadBalancers, &list.at);
    for lb in list.items() {
        let name = lb.get_ci("LoadBalancerName").opt_text().unwrap_or_default();
        let zones = lb.get_ci("AvailabilityZones");
        r.view.load_balancers.push(LoadBalancer {
            subject: format!("load balancer {name}"),
            at: lb.at.clone(),
            arn: lb.get_ci("LoadBalancerArn").opt_text(),
            name: Some(name.clone()),
            kind: kind(
                &lb.get_ci("Type"),
                &lb.get_ci("LoadBalancerArn"),
                "Type",
                None,
            ),
            dns_name: lb.get_ci("DNSName").opt_text(),
            internet_facing: facing_from_scheme(&lb),
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
            addresses: Vec::new(),
            attributes_read: false,
        });
    }
    Ok(())
}

/// `aws elb describe-load-balancers`: a Classic Load Balancer. It has no attributes of
/// deletion protection: there is none for its kind.
pub(crate) fn classic_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("LoadBalancerDescriptions");
    r.view.saw(Input::ClassicLoadBalancers, &list.at);
    for lb in list.items() {
        let name = lb.get_ci("LoadBalancerName").opt_text().unwrap_or_default();
        let subnets = lb.get_ci("Subnets");
        r.view.load_balancers.push(LoadBalancer {
            subject: format!("classic load balancer {name}"),
            at: lb.at.clone(),
            arn: None,
            name: Some(name),
            kind: Field::set(lb.at.clone(), LbKind::Classic),
            dns_name: lb.get_ci("DNSName").opt_text(),
            internet_facing: facing_from_scheme(&lb),
            placements: match subnets.texts().state {
                State::Set(ids) => Field::set(subnets.at.clone(), in_subnets(ids)),
                _ => Field::unset(subnets.at.clone()),
            },
            deletion_protection: Field::unset(lb.at.clone()),
            addresses: Vec::new(),
            attributes_read: true,
        });
    }
    Ok(())
}

/// `describe-load-balancer-attributes` or `describe-target-group-attributes`: they do not name
/// their resource, so they are attached once every file is read ([`crate::links`]).
pub(crate) fn attributes_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
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
    r.view.saw(input, &doc.get_ci("Attributes").at);
    r.links.attributes.push(Attributes {
        at: doc.get_ci("Attributes").at.clone(),
        arn: lb_arn.or(tg_arn),
        for_load_balancer,
        values,
    });
    Ok(())
}

/// `aws elbv2 describe-target-groups`.
pub(crate) fn target_groups_from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("TargetGroups");
    r.view.saw(Input::TargetGroups, &list.at);
    for tg in list.items() {
        let name = tg.get_ci("TargetGroupName").opt_text().unwrap_or_default();
        r.view.target_groups.push(TargetGroup {
            subject: format!("target group {name}"),
            at: tg.at.clone(),
            arn: tg.get_ci("TargetGroupArn").opt_text(),
            name,
            port: tg.get_ci("Port").count().value().copied(),
            load_balancers: tg.get_ci("LoadBalancerArns").text_list(),
            health_path: tg.get_ci("HealthCheckPath").text(),
            matcher: tg.path_ci("Matcher.HttpCode").text(),
            deregistration_delay: Field::unset(tg.at.key("(describe-target-group-attributes)")),
            attributes_read: false,
        });
    }
    Ok(())
}

/// `aws:lb/loadBalancer:LoadBalancer`: its attributes are its own inputs.
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    r.view.saw(Input::LoadBalancers, &res.list_at);
    r.view.saw(Input::LoadBalancerAttributes, &res.list_at);
    let mut subnets = outputs.get_ci("subnets").text_list();
    for m in outputs.get_ci("subnetMappings").items() {
        if let Some(s) = m.get_ci("subnetId").opt_text()
            && !subnets.contains(&s)
        {
            subnets.push(s);
        }
    }
    let subnets_at = outputs.get_ci("subnets").at.clone();
    r.view.load_balancers.push(LoadBalancer {
        subject: res.subject("load balancer"),
        at: outputs.at.clone(),
        arn: outputs.get_ci("arn").opt_text(),
        name: outputs.get_ci("name").opt_text(),
        // The provider fills in its default ("application") when the program sets none.
        kind: kind(
            &outputs.get_ci("loadBalancerType"),
            &outputs.get_ci("arn"),
            "loadBalancerType",
            Some(LbKind::Application),
        ),
        dns_name: outputs.get_ci("dnsName").opt_text(),
        internet_facing: facing_from_internal(outputs),
        placements: if subnets.is_empty() {
            Field::unset(subnets_at)
        } else {
            Field::set(subnets_at, in_subnets(subnets))
        },
        // The provider's default (false) is filled into the outputs.
        deletion_protection: outputs.get_ci("enableDeletionProtection").flag(),
        addresses: Vec::new(),
        attributes_read: true,
    });
    // `enableZonalShift`: the provider's name for `zonal_shift.config.enabled`.
    let zonal = outputs.get_ci("enableZonalShift");
    if zonal.exists() {
        r.view.zone_attributes.push(ZoneAttribute {
            owner: res.subject("load balancer"),
            owner_arn: outputs.get_ci("arn").opt_text(),
            key: "zonal_shift.config.enabled".to_owned(),
            value: zonal.text(),
        });
    }
    Ok(())
}

/// `aws:elb/loadBalancer:LoadBalancer`: a Classic Load Balancer.
pub(crate) fn classic_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    r.view.saw(Input::ClassicLoadBalancers, &res.list_at);
    let subnets = outputs.get_ci("subnets");
    r.view.load_balancers.push(LoadBalancer {
        subject: res.subject("classic load balancer"),
        at: outputs.at.clone(),
        arn: outputs.get_ci("arn").opt_text(),
        name: outputs.get_ci("name").opt_text(),
        kind: Field::set(outputs.at.clone(), LbKind::Classic),
        dns_name: outputs.get_ci("dnsName").opt_text(),
        internet_facing: facing_from_internal(outputs),
        placements: match subnets.texts().state {
            State::Set(ids) if !ids.is_empty() => Field::set(subnets.at.clone(), in_subnets(ids)),
            _ => Field::unset(subnets.at.clone()),
        },
        deletion_protection: Field::unset(outputs.at.clone()),
        addresses: Vec::new(),
        attributes_read: true,
    });
    Ok(())
}

/// `aws:lb/targetGroup:TargetGroup`: its attributes are its own inputs.
pub(crate) fn target_group_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    r.view.saw(Input::TargetGroups, &res.list_at);
    r.view.saw(Input::TargetGroupAttributes, &res.list_at);
    r.view.target_groups.push(TargetGroup {
        subject: res.subject("target group"),
        at: outputs.at.clone(),
        arn: outputs.get_ci("arn").opt_text(),
        name: outputs
            .get_ci("name")
            .opt_text()
            .unwrap_or(res.name.clone()),
        port: outputs.get_ci("port").count().value().copied(),
        load_balancers: outputs.get_ci("loadBalancerArns").text_list(),
        health_path: outputs.path_ci("healthCheck.path").text(),
        matcher: outputs.path_ci("healthCheck.matcher").text(),
        deregistration_delay: res.explicit("deregistrationDelay"),
        attributes_read: true,
    });
    // `targetGroupHealth`: the provider's shape of the `target_group_health.*` attributes
    // (ELB, "Target group health"), kept as the CLI's attributes are.
    for (block, attribute) in [
        ("dnsFailover", "dns_failover"),
        ("unhealthyStateRouting", "unhealthy_state_routing"),
    ] {
        for (field, suffix) in [
            ("minimumHealthyTargetsCount", "count"),
            ("minimumHealthyTargetsPercentage", "percentage"),
        ] {
            let value = outputs.path_ci(&format!("targetGroupHealth.{block}.{field}"));
            if value.exists() {
                r.view.zone_attributes.push(ZoneAttribute {
                    owner: res.subject("target group"),
                    owner_arn: outputs.get_ci("arn").opt_text(),
                    key: format!(
                        "target_group_health.{attribute}.minimum_healthy_targets.{suffix}"
                    ),
                    value: value.text(),
                });
            }
        }
    }
    Ok(())
}
