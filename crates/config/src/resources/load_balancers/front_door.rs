//! Azure Front Door (Standard and Premium, `Microsoft.Cdn`), from az (`az afd profile list`,
//! `az afd endpoint list`, `az afd origin-group list`, `az afd origin list`, `az afd route
//! list`: the `cdn` extension's since azure-cli moved them out of its core) and a stack
//! export's azure-native resources of the same kinds.
//!
//! Each endpoint is a load balancer of kind `FrontDoor` answering on its `hostName` (what the
//! api and app CNAME records lead to); each origin group a target group whose health probe is
//! its `healthProbeSettings` (Front Door counts only 200 OK healthy: "Health probes",
//! <https://learn.microsoft.com/azure/frontdoor/health-probes>), tied to the endpoints whose
//! routes send to it once every file is read.

use crate::formats::az_cli::Arm;
use crate::node::Field;
use crate::resources::Reading;
use crate::view::{Input, LbKind, LoadBalancer, TargetGroup};

/// The only status Front Door's probe counts healthy.
const FRONT_DOOR_HEALTHY: &str = "200";

/// `az afd profile list`: the profile holds the endpoints and origin groups read apart; its
/// SKU (Standard_AzureFrontDoor, Premium_AzureFrontDoor) says nothing the checks ask.
pub(crate) fn profile_from_az(_res: &Arm<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}

/// An Azure entry point Azure places itself (a Front Door, global; an Application Gateway for
/// Containers frontend, zone redundant): `res` as a public load balancer of `kind` named
/// `subject`, reached at `dns_name`, in no subnet and no zone of the deployment's; its deletion
/// protection is joined from the locks once every file is read.
pub(crate) fn placed_by_azure(
    res: &Arm<'_>,
    subject: String,
    dns_name: Option<String>,
    kind: LbKind,
) -> LoadBalancer {
    let at = res.node.at.clone();
    LoadBalancer {
        subject,
        at: at.clone(),
        arn: Some(res.id.clone()),
        name: Some(res.name.clone()),
        dns_name: dns_name.map(|h| h.trim_end_matches('.').to_ascii_lowercase()),
        internet_facing: Some(true),
        placements: Field::unset(at.clone()),
        kind: Field::set(at.clone(), kind),
        deletion_protection: Field::unset(at),
        attributes_read: false,
        addresses: Vec::new(),
    }
}

/// `az afd endpoint list`: a Front Door endpoint, global, reached at its `hostName`.
pub(crate) fn endpoint_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LoadBalancers, &res.list_at);
    let host = res.node.arm("hostName").opt_text();
    r.view.load_balancers.push(placed_by_azure(
        res,
        res.subject("Front Door endpoint"),
        host,
        LbKind::FrontDoor,
    ));
    Ok(())
}

/// `az afd origin-group list`: the origins' health probe (`healthProbeSettings.probePath`);
/// without `healthProbeSettings` Front Door does not probe.
pub(crate) fn origin_group_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::TargetGroups, &res.list_at);
    let node = &res.node;
    let probe = node.arm("healthProbeSettings");
    let (health_path, matcher) = if probe.exists() && probe.value().is_some_and(|v| !v.is_null()) {
        (
            probe.arm("probePath").text(),
            Field::set(probe.at.clone(), FRONT_DOOR_HEALTHY.to_owned()),
        )
    } else {
        let at = probe.at.clone();
        (
            Field::set(
                at.clone(),
                "(no health probe: health probes off)".to_owned(),
            ),
            Field::set(at, "(no health probe)".to_owned()),
        )
    };
    let profile = res.parent_named("profiles");
    r.view.target_groups.push(TargetGroup {
        subject: format!("origin group {} of Front Door profile {profile}", res.name),
        at: node.at.clone(),
        arn: Some(res.id.clone()),
        name: res.name.clone(),
        port: None,
        load_balancers: Vec::new(),
        health_path,
        matcher,
        deregistration_delay: Field::unset(node.at.clone()),
        attributes_read: false,
    });
    Ok(())
}

/// `az afd origin list`: the origins behind an origin group; the checks read the group.
pub(crate) fn origin_from_az(_res: &Arm<'_>, _r: &mut Reading) -> Result<(), String> {
    Ok(())
}

/// `az afd route list`: the endpoint a route belongs to (its id's parent) sends to its
/// `originGroup`: joined once every file is read.
pub(crate) fn route_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    let lower = res.id.to_ascii_lowercase();
    let Some(at) = lower.find("/routes/") else {
        return Ok(());
    };
    if let Some(group) = res.node.arm("originGroup").get_ci("id").opt_text() {
        r.links
            .azure
            .front_door_routes
            .push((res.id[..at].to_owned(), group));
    }
    Ok(())
}

/// `az network front-door list` (the `front-door` extension's) or `az rest` on
/// `Microsoft.Network/frontDoors`: an Azure Front Door (classic), one resource holding its
/// frontend endpoints, backend pools, health probe settings and routing rules. It is a load
/// balancer of kind `FrontDoorClassic` reached at its `cname` (`<name>.azurefd.net`, what the
/// api and app CNAME records lead to); each backend pool a routing rule forwards to is a target
/// group whose probe is the pool's `healthProbeSettings` (a probe `enabledState` Disabled does
/// not probe; Front Door counts only 200 OK healthy: "Health probes").
pub(crate) fn classic_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::LoadBalancers, &res.list_at);
    r.view.saw(Input::TargetGroups, &res.list_at);
    let node = &res.node;
    let cname = node.arm("cname").opt_text().or_else(|| {
        node.arm("frontendEndpoints")
            .items()
            .iter()
            .filter_map(|e| e.arm("hostName").opt_text())
            .find(|h| h.to_ascii_lowercase().ends_with(".azurefd.net"))
    });
    r.view.load_balancers.push(placed_by_azure(
        res,
        res.subject("Front Door (classic)"),
        cname,
        LbKind::FrontDoorClassic,
    ));
    let forwarded: Vec<String> = node
        .arm("routingRules")
        .items()
        .iter()
        .filter_map(|rule| {
            rule.arm("routeConfiguration")
                .arm("backendPool")
                .get_ci("id")
                .opt_text()
        })
        .map(|id| id.to_ascii_lowercase())
        .collect();
    let probes = node.arm("healthProbeSettings").items();
    for pool in node.arm("backendPools").items() {
        let pool_id = pool.get_ci("id").opt_text().unwrap_or_default();
        if !forwarded.contains(&pool_id.to_ascii_lowercase()) {
            continue;
        }
        let pool_name = pool.get_ci("name").opt_text().unwrap_or_default();
        let probe_ref = pool.arm("healthProbeSettings").get_ci("id");
        let probe_id = probe_ref.opt_text().unwrap_or_default();
        let probe = probes.iter().find(|p| {
            let name = p.get_ci("name").opt_text().unwrap_or_default();
            p.get_ci("id")
                .opt_text()
                .is_some_and(|id| id.eq_ignore_ascii_case(&probe_id))
                || probe_id.to_ascii_lowercase().ends_with(&format!(
                    "/healthprobesettings/{}",
                    name.to_ascii_lowercase()
                ))
        });
        let (health_path, matcher) = match probe {
            Some(p)
                if !p
                    .arm("enabledState")
                    .opt_text()
                    .is_some_and(|s| s.eq_ignore_ascii_case("Disabled")) =>
            {
                (
                    p.arm("path").text(),
                    Field::set(p.at.clone(), FRONT_DOOR_HEALTHY.to_owned()),
                )
            }
            Some(p) => {
                let at = p.arm("enabledState").at.clone();
                (
                    Field::set(at.clone(), "(health probes disabled)".to_owned()),
                    Field::set(at, "(no health probe)".to_owned()),
                )
            }
            None => (
                Field::unset(probe_ref.at.clone()),
                Field::unset(probe_ref.at.clone()),
            ),
        };
        r.view.target_groups.push(TargetGroup {
            subject: format!(
                "backend pool {pool_name} of Front Door (classic) {}",
                res.name
            ),
            at: pool.at.clone(),
            arn: Some(pool_id),
            name: pool_name,
            port: None,
            load_balancers: vec![res.id.clone()],
            health_path,
            matcher,
            deregistration_delay: Field::unset(pool.at.clone()),
            attributes_read: false,
        });
    }
    Ok(())
}
