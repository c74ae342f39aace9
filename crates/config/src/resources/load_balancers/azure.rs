//! Azure's load balancers, from az (`az network application-gateway list`, `az network lb
//! list`, their public IPs from `az network public-ip list`, their locks from `az lock list`)
//! and a stack export's azure-native resources of the same kinds.
//!
//! An Application Gateway's "target groups" are its backend pools as its routing rules use
//! them: each pool with the backend settings a rule sends it through (the port, connection
//! draining) and that setting's health probe (the path, the status codes).

use std::collections::BTreeSet;

use crate::formats::az_cli::Arm;
use crate::links::azure::{Lock, PublicIp, lock_scope};
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{Input, LbKind, LoadBalancer, Placement, TargetGroup};

/// The path Application Gateway's default probe asks for, and the status codes it accepts
/// (https://learn.microsoft.com/azure/application-gateway/application-gateway-probe-overview#default-health-probe).
const DEFAULT_PROBE_PATH: &str = "/";
const DEFAULT_PROBE_CODES: &str = "200-399";

/// The ids of `{ "id": ... }` references in a list.
pub(crate) fn ids(list: &Node<'_>) -> Vec<String> {
    list.items()
        .iter()
        .filter_map(|n| n.get_ci("id").opt_text())
        .collect()
}

/// The public IPs of a gateway's or a load balancer's frontends.
fn frontend_public_ips(node: &Node<'_>) -> Vec<String> {
    node.arm("frontendIPConfigurations")
        .items()
        .iter()
        .filter_map(|f| f.arm("publicIPAddress").get_ci("id").opt_text())
        .collect()
}

/// `az network application-gateway list` (and `azure-native:network:ApplicationGateway`).
pub(crate) fn application_gateway_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    for input in [
        Input::LoadBalancers,
        Input::TargetGroups,
        Input::TargetGroupAttributes,
    ] {
        r.view.saw(input, &res.list_at);
    }
    let gw = &res.node;
    let subnets: Vec<String> = gw
        .arm("gatewayIPConfigurations")
        .items()
        .iter()
        .filter_map(|c| c.arm("subnet").get_ci("id").opt_text())
        .collect();
    let zones = gw.get_ci("zones");
    let zone_list = zones.text_list();
    let placements_at = if zones.exists() {
        zones.at.clone()
    } else {
        gw.arm("gatewayIPConfigurations").at.clone()
    };
    let placements = match (subnets.first(), zone_list.is_empty()) {
        (None, _) => Field::unset(placements_at),
        (Some(s), true) => Field::set(
            placements_at,
            vec![Placement {
                subnet: Some(s.clone()),
                zone: None,
            }],
        ),
        (Some(s), false) => Field::set(
            placements_at,
            zone_list
                .iter()
                .map(|z| Placement {
                    subnet: Some(s.clone()),
                    zone: Some(z.clone()),
                })
                .collect(),
        ),
    };
    let public_ips = frontend_public_ips(gw);
    let sku = gw.arm("sku");
    let tier = sku.get_ci("tier");
    let kind_at = if tier.exists() {
        tier.at.clone()
    } else {
        sku.at.clone()
    };
    let kind = if is_v1(&sku) {
        LbKind::ApplicationGatewayV1
    } else {
        LbKind::ApplicationGateway
    };
    r.view.load_balancers.push(LoadBalancer {
        subject: res.subject("application gateway"),
        at: gw.at.clone(),
        arn: Some(res.id.clone()),
        name: Some(res.name.clone()),
        dns_name: None,
        internet_facing: Some(!public_ips.is_empty()),
        placements,
        kind: Field::set(kind_at, kind),
        deletion_protection: Field::unset(gw.at.clone()),
        attributes_read: false,
        addresses: Vec::new(),
    });
    r.links.azure.frontends.push((res.id.clone(), public_ips));
    for (pool, settings) in routed_pairs(gw) {
        r.view
            .target_groups
            .push(target_group(res, &pool, &settings));
    }
    Ok(())
}

/// Whether a gateway's `sku` is of the retired v1 SKU: tier `Standard` or `WAF` (v2 is
/// `Standard_v2`, `WAF_v2`, or `Basic`), or without a tier a v1 size name (`Standard_Small`,
/// `Standard_Medium`, `Standard_Large`, `WAF_Medium`, `WAF_Large`), as the REST API's
/// `ApplicationGatewaySku` enumerates them.
fn is_v1(sku: &Node<'_>) -> bool {
    let v1_tier = |t: &str| t.eq_ignore_ascii_case("Standard") || t.eq_ignore_ascii_case("WAF");
    match sku.get_ci("tier").opt_text() {
        Some(tier) => v1_tier(&tier),
        None => sku.get_ci("name").opt_text().is_some_and(|n| {
            let lower = n.to_ascii_lowercase();
            [
                "standard_small",
                "standard_medium",
                "standard_large",
                "waf_medium",
                "waf_large",
            ]
            .contains(&lower.as_str())
        }),
    }
}

/// Every (backend pool, backend settings) pair a routing rule or a path map sends traffic
/// through, once each.
fn routed_pairs(gw: &Node<'_>) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    let mut take = |n: &Node<'_>, pool: &str, settings: &str| {
        if let (Some(p), Some(s)) = (
            n.arm(pool).get_ci("id").opt_text(),
            n.arm(settings).get_ci("id").opt_text(),
        ) {
            pairs.insert((p, s));
        }
    };
    for rule in gw.arm("requestRoutingRules").items() {
        take(&rule, "backendAddressPool", "backendHttpSettings");
    }
    for map in gw.arm("urlPathMaps").items() {
        take(
            &map,
            "defaultBackendAddressPool",
            "defaultBackendHttpSettings",
        );
        for rule in map.arm("pathRules").items() {
            take(&rule, "backendAddressPool", "backendHttpSettings");
        }
    }
    pairs
}

/// The item of `list` whose id is `id`.
fn by_id<'a>(list: &Node<'a>, id: &str) -> Option<Node<'a>> {
    list.items().into_iter().find(|n| {
        n.get_ci("id")
            .opt_text()
            .is_some_and(|i| crate::links::azure::same_id(&i, id))
    })
}

/// A backend pool as one backend setting and its probe serve it.
fn target_group(res: &Arm<'_>, pool_id: &str, settings_id: &str) -> TargetGroup {
    let gw = &res.node;
    let pool = by_id(&gw.arm("backendAddressPools"), pool_id);
    let pool_name = pool
        .as_ref()
        .and_then(|p| p.get_ci("name").opt_text())
        .unwrap_or_else(|| tail(pool_id).to_owned());
    let settings = by_id(&gw.arm("backendHttpSettingsCollection"), settings_id);
    let at = settings
        .as_ref()
        .map_or_else(|| gw.at.clone(), |s| s.at.clone());
    let settings = settings.unwrap_or_else(|| gw.arm("backendHttpSettingsCollection"));
    let probe = settings
        .arm("probe")
        .get_ci("id")
        .opt_text()
        .and_then(|id| by_id(&gw.arm("probes"), &id));
    let (health_path, matcher) = match &probe {
        Some(p) => {
            let codes = p.arm_path("match.statusCodes");
            let matcher = match codes.texts().state {
                State::Set(list) if !list.is_empty() => {
                    Field::set(codes.at.clone(), list.join(","))
                }
                // Without a match, a probe accepts 200-399.
                _ => Field::set(codes.at.clone(), DEFAULT_PROBE_CODES.to_owned()),
            };
            (p.arm("path").text(), matcher)
        }
        None => {
            let at = settings.arm("probe").at;
            (
                Field::set(at.clone(), DEFAULT_PROBE_PATH.to_owned()),
                Field::set(at, DEFAULT_PROBE_CODES.to_owned()),
            )
        }
    };
    let draining = settings.arm("connectionDraining");
    let deregistration_delay = if draining.get_ci("enabled").flag().value() == Some(&true) {
        draining.get_ci("drainTimeoutInSec").count()
    } else {
        // Off unless enabled (https://learn.microsoft.com/azure/application-gateway/configuration-http-settings#connection-draining).
        Field::set(draining.at.clone(), 0)
    };
    TargetGroup {
        subject: format!(
            "backend pool {pool_name} of {} (settings {})",
            res.subject("application gateway"),
            tail(settings_id)
        ),
        at,
        arn: Some(pool_id.to_owned()),
        name: pool_name,
        port: settings.arm("port").count().value().copied(),
        load_balancers: vec![res.id.clone()],
        health_path,
        matcher,
        deregistration_delay,
        attributes_read: true,
    }
}

/// The last segment of a resource id: its name.
fn tail(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// `az network lb list` (and `azure-native:network:LoadBalancer`): layer 4.
pub(crate) fn azure_load_balancer_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LoadBalancers, &res.list_at);
    let lb = &res.node;
    let public_ips = frontend_public_ips(lb);
    let sku = lb.arm("sku");
    r.view.load_balancers.push(LoadBalancer {
        subject: res.subject("Azure load balancer"),
        at: lb.at.clone(),
        arn: Some(res.id.clone()),
        name: Some(res.name.clone()),
        dns_name: None,
        internet_facing: Some(!public_ips.is_empty()),
        placements: Field::unset(lb.arm("frontendIPConfigurations").at),
        kind: Field::set(
            if sku.exists() { sku.at } else { lb.at.clone() },
            LbKind::AzureLoadBalancer,
        ),
        deletion_protection: Field::unset(lb.at.clone()),
        attributes_read: false,
        addresses: Vec::new(),
    });
    r.links.azure.frontends.push((res.id.clone(), public_ips));
    r.view.saw(Input::TargetGroups, &res.list_at);
    for rule in lb.arm("loadBalancingRules").items() {
        r.view.target_groups.extend(lb_target_group(res, &rule));
    }
    Ok(())
}

/// A load balancer's backend pool as one load-balancing rule and its probe serve it. An Azure
/// load balancer has no draining of its own to read: its drain stays unknown.
fn lb_target_group(res: &Arm<'_>, rule: &Node<'_>) -> Option<TargetGroup> {
    let lb = &res.node;
    let pool_id = rule.arm("backendAddressPool").get_ci("id").opt_text()?;
    let probe = rule
        .arm("probe")
        .get_ci("id")
        .opt_text()
        .and_then(|id| by_id(&lb.arm("probes"), &id));
    let (health_path, matcher) = match &probe {
        Some(p) => {
            let protocol = p.arm("protocol");
            if protocol
                .opt_text()
                .is_some_and(|t| t.eq_ignore_ascii_case("Tcp"))
            {
                let at = protocol.at.clone();
                (
                    Field::set(at.clone(), "(a TCP probe: no path)".to_owned()),
                    Field::set(at, "(a TCP probe: no status)".to_owned()),
                )
            } else {
                // An HTTP probe counts only 200 as healthy
                // (https://learn.microsoft.com/azure/load-balancer/load-balancer-custom-probe-overview).
                (
                    p.arm("requestPath").text(),
                    Field::set(p.at.clone(), "200".to_owned()),
                )
            }
        }
        None => (Field::unset(rule.at.clone()), Field::unset(rule.at.clone())),
    };
    Some(TargetGroup {
        subject: format!(
            "backend pool {} of {}",
            tail(&pool_id),
            res.subject("Azure load balancer")
        ),
        at: rule.at.clone(),
        arn: Some(pool_id.clone()),
        name: tail(&pool_id).to_owned(),
        port: rule.arm("backendPort").count().value().copied(),
        load_balancers: vec![res.id.clone()],
        health_path,
        matcher,
        deregistration_delay: Field::unset(rule.at.clone()),
        attributes_read: false,
    })
}

/// `az network public-ip list` (and `azure-native:network:PublicIPAddress`): what the
/// gateways' frontends and the alias records lead to.
pub(crate) fn public_ip_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.links.azure.public_ips.push(PublicIp {
        id: res.id.clone(),
        address: res.node.arm("ipAddress").opt_text(),
        fqdn: res.node.arm_path("dnsSettings.fqdn").opt_text(),
        zones: res.node.get_ci("zones").text_list(),
    });
    Ok(())
}

/// `az lock list` (and `azure-native:authorization:ManagementLockAt*`): deletion protection of
/// what a lock's scope holds.
pub(crate) fn lock_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LoadBalancerAttributes, &res.list_at);
    r.links.azure.locks_at.get_or_insert(res.list_at.clone());
    let level = res.node.arm("level");
    r.links.azure.locks.push(Lock {
        scope: lock_scope(&res.id),
        level: level.opt_text().unwrap_or_default(),
        at: level.at.clone(),
    });
    Ok(())
}
