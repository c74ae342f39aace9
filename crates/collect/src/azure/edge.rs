//! What may stand in front of the gateway: an Azure Front Door (Standard/Premium) endpoint or an
//! Application Gateway for Containers (AGC) frontend the api/app records lead to. Their az
//! commands are extensions' (`az afd`, `az network alb`), so they are read through core
//! `az rest` ([`super::rest`]), each list kept to the deployment's: Front Door's profiles, the
//! endpoints the records name, their routes, the origin groups those forward to and their
//! origins, whose host names lead on to the gateway's public IP; AGC's traffic controllers, the
//! frontends the records name, and the controllers' associations, whose subnets lead to the
//! VNet (and the AKS cluster in it, where AGC's ALB Controller runs). Nothing is listed unless
//! a record can lead to one (a CNAME to `*.azurefd.net` or `*.alb.azure.com`, an alias to a
//! `Microsoft.Cdn` profile).

use serde_json::Value;

use super::discover::{Ids, Leads, key, list_at, parent, text};
use super::rest::{self, children};
use super::run::Run;
use super::{
    AGC_ASSOCIATIONS, AGC_CONTROLLERS, AGC_FRONTENDS, FRONT_DOOR_ENDPOINTS,
    FRONT_DOOR_ORIGIN_GROUPS, FRONT_DOOR_ORIGINS, FRONT_DOOR_PROFILES, FRONT_DOOR_ROUTES,
    FRONT_DOORS_CLASSIC,
};
use crate::CollectError;

/// The API version of `Microsoft.Cdn` read (Front Door Standard/Premium).
const CDN_API: &str = "2024-02-01";
/// The API version of `Microsoft.Network/frontDoors` read (Front Door (classic)).
const CLASSIC_API: &str = "2021-06-01";
/// The API version of `Microsoft.ServiceNetworking` read (AGC).
const AGC_API: &str = "2025-01-01";

/// What the edge leads on to.
#[derive(Debug, Default)]
pub(super) struct Edge {
    /// The Front Door origins' host names (lowercase): leads for the public-IP step.
    pub(super) origins: Ids,
    /// The subnets of the AGC associations.
    pub(super) subnets: Ids,
    /// The kept Front Door profiles and traffic controllers, whose locks count.
    pub(super) owners: Vec<String>,
}

impl Edge {
    /// The VNets of the AGC associations' subnets: an AKS cluster with a node pool in one runs
    /// the ALB Controller.
    pub(super) fn vnets(&self) -> Ids {
        self.subnets.iter().map(|s| parent(s, "subnets")).collect()
    }
}

/// Front Door and AGC, where the records can lead to them.
pub(super) async fn edge(
    run: &mut Run<'_>,
    leads: &Leads,
    group: Option<&str>,
) -> Result<Edge, CollectError> {
    let mut edge = Edge::default();
    let front_door = leads.values.iter().any(|v| v.ends_with(".azurefd.net"))
        || leads
            .ids
            .iter()
            .any(|i| i.contains("/providers/microsoft.cdn/profiles/"));
    let agc = leads.values.iter().any(|v| v.ends_with(".alb.azure.com"));
    if !front_door && !agc {
        return Ok(edge);
    }
    let subscription = run
        .cli
        .subscription
        .clone()
        .or_else(|| run.manifest.account.clone());
    let Some(subscription) = subscription else {
        (run.on_line)(
            "  no subscription id (az account show did not answer): Front Door and AGC not listed",
        );
        return Ok(edge);
    };
    let scope = match group {
        Some(g) => format!("/subscriptions/{subscription}/resourceGroups/{g}"),
        None => format!("/subscriptions/{subscription}"),
    };
    if front_door {
        front_doors(run, leads, &scope, &mut edge).await?;
        front_doors_classic(run, leads, &scope, &mut edge).await?;
    }
    if agc {
        gateways_for_containers(run, leads, &scope, &mut edge).await?;
    }
    Ok(edge)
}

/// Whether a `Microsoft.Cdn` profile is a Front Door (Standard/Premium), not a classic CDN's.
fn is_front_door(profile: &Value) -> bool {
    text(profile, &["sku", "name"]).is_some_and(|s| {
        s.eq_ignore_ascii_case("Standard_AzureFrontDoor")
            || s.eq_ignore_ascii_case("Premium_AzureFrontDoor")
    })
}

fn id_of(v: &Value) -> Option<&str> {
    text(v, &["id"])
}

/// The kept items' ids, as compared.
fn ids(items: &[Value]) -> Ids {
    items.iter().filter_map(id_of).map(key).collect()
}

/// A host name as compared: lowercase, no final dot.
fn host(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Profiles -> the endpoints the records lead to -> their routes -> the origin groups those
/// forward to -> their origins.
async fn front_doors(
    run: &mut Run<'_>,
    leads: &Leads,
    scope: &str,
    edge: &mut Edge,
) -> Result<(), CollectError> {
    let url = format!("{scope}/providers/Microsoft.Cdn/profiles?api-version={CDN_API}");
    let Some(profiles) = rest::get(run, &FRONT_DOOR_PROFILES, &url).await else {
        return Ok(());
    };
    let urls = children(
        profiles
            .items
            .iter()
            .filter(|p| is_front_door(p))
            .filter_map(id_of),
        "afdEndpoints",
        CDN_API,
    );
    let listed = rest::each(run, &FRONT_DOOR_ENDPOINTS, &urls).await;
    let endpoints = rest::keep(run, listed, "front-door-endpoints.json", |e| {
        text(e, &["properties", "hostName"]).is_some_and(|h| leads.values.contains(&host(h)))
            || id_of(e).is_some_and(|i| leads.ids.contains(&key(i)))
    })?;
    let owners: Ids = endpoints
        .iter()
        .filter_map(id_of)
        .map(|e| parent(e, "afdendpoints"))
        .collect();
    let kept = rest::keep(run, Some(profiles), "front-door-profiles.json", |p| {
        is_front_door(p) && id_of(p).is_some_and(|i| owners.contains(&key(i)))
    })?;
    edge.owners.extend(ids(&kept));
    let urls = children(endpoints.iter().filter_map(id_of), "routes", CDN_API);
    let listed = rest::each(run, &FRONT_DOOR_ROUTES, &urls).await;
    let routes = rest::keep(run, listed, "front-door-routes.json", |_| true)?;
    let groups: Ids = routes
        .iter()
        .filter_map(|r| text(r, &["properties", "originGroup", "id"]))
        .map(key)
        .collect();
    let urls = children(kept.iter().filter_map(id_of), "originGroups", CDN_API);
    let listed = rest::each(run, &FRONT_DOOR_ORIGIN_GROUPS, &urls).await;
    let origin_groups = rest::keep(run, listed, "front-door-origin-groups.json", |g| {
        id_of(g).is_some_and(|i| groups.contains(&key(i)))
    })?;
    let urls = children(origin_groups.iter().filter_map(id_of), "origins", CDN_API);
    let listed = rest::each(run, &FRONT_DOOR_ORIGINS, &urls).await;
    let origins = rest::keep(run, listed, "front-door-origins.json", |_| true)?;
    edge.origins.extend(
        origins
            .iter()
            .filter_map(|o| text(o, &["properties", "hostName"]))
            .map(host),
    );
    Ok(())
}

/// Front Door (classic), one resource each (`Microsoft.Network/frontDoors`, `az network
/// front-door` being the `front-door` extension's): those whose `cname` or a frontend endpoint's
/// host name the records lead to; their backends' addresses lead on to the gateway.
async fn front_doors_classic(
    run: &mut Run<'_>,
    leads: &Leads,
    scope: &str,
    edge: &mut Edge,
) -> Result<(), CollectError> {
    let url = format!("{scope}/providers/Microsoft.Network/frontDoors?api-version={CLASSIC_API}");
    let listed = rest::get(run, &FRONT_DOORS_CLASSIC, &url).await;
    let kept = rest::keep(run, listed, "front-doors-classic.json", |f| {
        let endpoints = list_at(f, &["properties", "frontendEndpoints"]);
        text(f, &["properties", "cname"]).is_some_and(|c| leads.values.contains(&host(c)))
            || endpoints.iter().any(|e| {
                text(e, &["properties", "hostName"])
                    .is_some_and(|h| leads.values.contains(&host(h)))
            })
            || id_of(f).is_some_and(|i| leads.ids.contains(&key(i)))
    })?;
    edge.owners.extend(ids(&kept));
    for f in &kept {
        for pool in list_at(f, &["properties", "backendPools"]) {
            let backends = list_at(pool, &["properties", "backends"]);
            edge.origins.extend(
                backends
                    .iter()
                    .filter_map(|b| text(b, &["address"]))
                    .map(host),
            );
        }
    }
    Ok(())
}

/// Traffic controllers -> the frontends the records lead to (their controllers kept) -> the
/// kept controllers' associations and their subnets.
async fn gateways_for_containers(
    run: &mut Run<'_>,
    leads: &Leads,
    scope: &str,
    edge: &mut Edge,
) -> Result<(), CollectError> {
    let url = format!(
        "{scope}/providers/Microsoft.ServiceNetworking/trafficControllers?api-version={AGC_API}"
    );
    let Some(controllers) = rest::get(run, &AGC_CONTROLLERS, &url).await else {
        return Ok(());
    };
    let urls = children(
        controllers.items.iter().filter_map(id_of),
        "frontends",
        AGC_API,
    );
    let listed = rest::each(run, &AGC_FRONTENDS, &urls).await;
    let frontends = rest::keep(run, listed, "agc-frontends.json", |f| {
        text(f, &["properties", "fqdn"]).is_some_and(|h| leads.values.contains(&host(h)))
    })?;
    let owners: Ids = frontends
        .iter()
        .filter_map(id_of)
        .map(|f| parent(f, "frontends"))
        .collect();
    let kept = rest::keep(
        run,
        Some(controllers),
        "agc-traffic-controllers.json",
        |c| id_of(c).is_some_and(|i| owners.contains(&key(i))),
    )?;
    edge.owners.extend(ids(&kept));
    let urls = children(kept.iter().filter_map(id_of), "associations", AGC_API);
    let listed = rest::each(run, &AGC_ASSOCIATIONS, &urls).await;
    let associations = rest::keep(run, listed, "agc-associations.json", |_| true)?;
    edge.subnets.extend(
        associations
            .iter()
            .filter_map(|a| text(a, &["properties", "subnet", "id"]))
            .map(key),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_front_door_skus_are_front_doors() {
        for (sku, yes) in [
            ("Standard_AzureFrontDoor", true),
            ("Premium_AzureFrontDoor", true),
            ("Standard_Microsoft", false),
            ("Standard_Verizon", false),
        ] {
            assert_eq!(
                is_front_door(&json!({ "sku": { "name": sku } })),
                yes,
                "{sku}"
            );
        }
        assert!(!is_front_door(&json!({})));
    }

    #[test]
    fn an_agc_association_s_subnet_gives_its_vnet() {
        let edge = Edge {
            subnets: [
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/agc".to_owned(),
            ]
            .into(),
            ..Edge::default()
        };
        assert_eq!(
            edge.vnets().into_iter().collect::<Vec<_>>(),
            ["/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v"]
        );
    }
}
