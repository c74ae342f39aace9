//! Azure collection behind an edge: an Azure Front Door (Standard/Premium) endpoint or an
//! Application Gateway for Containers frontend the api/app records lead to, read through core
//! `az rest` (their az commands are extensions') from netconform-testkit's recorded REST bodies
//! (`fixtures/azure/rest`), beside another team's of each and a classic CDN profile.

mod common;

use common::{AGC_FQDN, Case, FRONT_DOOR_HOST, SUBSCRIPTION};
use serde_json::json;

fn sorted(files: &[String]) -> Vec<&str> {
    let mut files: Vec<&str> = files.iter().map(String::as_str).collect();
    files.sort_unstable();
    files
}

/// What `az lock list -o json` prints: the resource group's lock, one on the deployment's Front
/// Door profile and one on another team's.
fn locks() -> String {
    let lock = |scope: &str, name: &str, group: &str| {
        json!({
            "id": format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{group}{scope}/providers/Microsoft.Authorization/locks/{name}"),
            "level": "CanNotDelete",
            "name": name,
            "notes": null,
            "owners": null,
            "resourceGroup": group,
            "type": "Microsoft.Authorization/locks"
        })
    };
    let locks = json!([
        lock("", "pulumi-rg-nodelete", "pulumi-rg"),
        lock(
            "/providers/Microsoft.Cdn/profiles/pulumi-fd",
            "pulumi-fd-nodelete",
            "pulumi-rg"
        ),
        lock(
            "/providers/Microsoft.Cdn/profiles/other-fd",
            "other-fd-nodelete",
            "other-team"
        ),
    ]);
    serde_json::to_string_pretty(&locks).unwrap()
}

#[tokio::test]
async fn behind_front_door_discovery_goes_from_the_endpoint_through_the_origins_to_the_gateway() {
    let case = Case::behind("afd", FRONT_DOOR_HOST);
    case.azure.answer("lock list", &locks());
    let manifest = case.collect().await;
    assert_eq!(
        sorted(&manifest.files),
        [
            "application-gateways.json",
            "clusters.json",
            "front-door-endpoints.json",
            "front-door-origin-groups.json",
            "front-door-origins.json",
            "front-door-profiles.json",
            "front-door-routes.json",
            "locks.json",
            "nat-gateways.json",
            "postgres-servers.json",
            "private-dns-zones.json",
            "private-endpoints.json",
            "public-ips.json",
            "records-cname.json",
            "vnets.json",
        ]
    );
    // Another team's profile and endpoint, the classic CDN profile and the origin group no
    // route forwards to are left out.
    assert_eq!(case.names("front-door-profiles.json"), ["pulumi-fd"]);
    assert_eq!(case.names("front-door-endpoints.json"), ["pulumi-api"]);
    assert_eq!(case.names("front-door-routes.json"), ["api-route"]);
    assert_eq!(case.names("front-door-origin-groups.json"), ["appgw"]);
    assert_eq!(case.names("front-door-origins.json"), ["pulumi-appgw"]);
    // As REST returns them, properties nested.
    let groups = case.read("front-door-origin-groups.json");
    assert_eq!(
        groups[0]["properties"]["healthProbeSettings"]["probePath"],
        "/api/status"
    );
    // The origin's host name is the gateway's public IP: the chain goes on behind Front Door.
    assert_eq!(case.names("public-ips.json"), ["pulumi-appgw-pip"]);
    assert_eq!(case.names("application-gateways.json"), ["pulumi-appgw"]);
    assert_eq!(case.names("clusters.json"), ["pulumi-aks"]);
    assert_eq!(case.names("vnets.json"), ["pulumi-vnet"]);
    // The profile's lock counts, another team's does not.
    assert_eq!(
        case.names("locks.json"),
        ["pulumi-rg-nodelete", "pulumi-fd-nodelete"]
    );
    let profiles = manifest
        .calls
        .iter()
        .find(|c| c.file.as_deref() == Some("front-door-profiles.json"))
        .unwrap();
    assert_eq!(profiles.action, "Microsoft.Cdn/profiles/read");
    assert_eq!(profiles.result, "ok: kept 1 of 3");
    assert_eq!(
        profiles.command,
        format!(
            "az rest --method get --url /subscriptions/{SUBSCRIPTION}/providers/Microsoft.Cdn/profiles?api-version=2024-02-01"
        )
    );
    // az rest has no --subscription: the URL names the subscription.
    let rest = case.rest_calls();
    // The profiles' two pages, the endpoints of both Front Door profiles, the routes, origin
    // groups and origins; and the Front Doors (classic), none of them the records'.
    assert_eq!(rest.len(), 8, "{rest:#?}");
    for call in &rest {
        assert!(!call.contains("--subscription"), "{call}");
        assert!(call.starts_with("rest --method get --url "), "{call}");
        assert!(
            call.contains(&format!("/subscriptions/{SUBSCRIPTION}/")),
            "{call}"
        );
        assert!(call.ends_with(" -o json"), "{call}");
        // Nothing of AGC is listed: no record leads to one.
        assert!(!call.contains("ServiceNetworking"), "{call}");
    }
    let calls = case.azure.calls();
    assert!(calls.contains("lock list -g pulumi-rg "), "{calls}");
    assert_eq!(calls.lines().count(), manifest.calls.len(), "{calls}");
}

#[tokio::test]
async fn the_front_door_profile_s_resource_group_is_listed_for_locks_without_a_gateway() {
    let case = Case::behind("afd-locks", FRONT_DOOR_HOST);
    case.azure.answer("lock list", &locks());
    case.azure.answer("network public-ip list", "[]\n");
    let manifest = case.collect().await;
    assert!(
        !manifest
            .files
            .iter()
            .any(|f| f == "application-gateways.json")
    );
    let calls = case.azure.calls();
    assert!(calls.contains("lock list -g pulumi-rg "), "{calls}");
    assert_eq!(
        case.names("locks.json"),
        ["pulumi-rg-nodelete", "pulumi-fd-nodelete"]
    );
}

#[tokio::test]
async fn a_list_s_next_page_is_followed_through_next_link() {
    let case = Case::behind("afd-pages", FRONT_DOOR_HOST);
    let manifest = case.collect().await;
    let pages: Vec<_> = manifest
        .calls
        .iter()
        .filter(|c| c.action == "Microsoft.Cdn/profiles/read")
        .collect();
    assert_eq!(pages.len(), 2, "{pages:#?}");
    // nextLink is an absolute URL, given to az as is.
    assert_eq!(
        pages[1].command,
        format!(
            "az rest --method get --url https://management.azure.com/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Cdn/profiles?api-version=2024-02-01&$skipToken=page2"
        )
    );
    // Page 2's classic CDN profile was read (3 listed) and skipped: no Front Door endpoint of
    // it is asked.
    assert_eq!(pages[0].result, "ok: kept 1 of 3");
    assert!(
        !case.rest_calls().iter().any(|c| c.contains("legacy-cdn")),
        "{:#?}",
        case.rest_calls()
    );
}

#[tokio::test]
async fn behind_agc_discovery_goes_from_the_frontend_through_the_associations_to_the_vnet() {
    let case = Case::behind("agc", AGC_FQDN);
    let manifest = case.collect().await;
    assert_eq!(
        sorted(&manifest.files),
        [
            "agc-associations.json",
            "agc-frontends.json",
            "agc-traffic-controllers.json",
            "clusters.json",
            "locks.json",
            "nat-gateways.json",
            "postgres-servers.json",
            "private-dns-zones.json",
            "private-endpoints.json",
            "records-cname.json",
            "vnets.json",
        ]
    );
    assert_eq!(case.names("agc-traffic-controllers.json"), ["pulumi-agc"]);
    assert_eq!(case.names("agc-frontends.json"), ["pulumi-fe"]);
    assert_eq!(case.names("agc-associations.json"), ["pulumi-as"]);
    assert_eq!(
        case.read("agc-associations.json")[0]["properties"]["subnet"]["id"],
        format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/pulumi-rg/providers/Microsoft.Network/virtualNetworks/pulumi-vnet/subnets/agc"
        )
    );
    assert_eq!(case.names("vnets.json"), ["pulumi-vnet"]);
    // No gateway leads to it: the AKS cluster is kept by its node pools' VNet, the
    // association's, where AGC's ALB Controller runs.
    assert_eq!(case.names("clusters.json"), ["pulumi-aks"]);
    assert_eq!(case.names("nat-gateways.json"), ["nat-1", "nat-2", "nat-3"]);
    assert_eq!(case.names("locks.json"), ["pulumi-rg-nodelete"]);
    let rest = case.rest_calls();
    // The controllers, both controllers' frontends, the deployment's associations only.
    assert_eq!(rest.len(), 4, "{rest:#?}");
    assert!(!rest.iter().any(|c| c.contains("other-agc/associations")));
    assert!(!rest.iter().any(|c| c.contains("Microsoft.Cdn")));
    let controllers = manifest
        .calls
        .iter()
        .find(|c| c.file.as_deref() == Some("agc-traffic-controllers.json"))
        .unwrap();
    assert_eq!(
        controllers.action,
        "Microsoft.ServiceNetworking/trafficControllers/read"
    );
    assert_eq!(controllers.result, "ok: kept 1 of 2");
}

#[tokio::test]
async fn a_refused_rest_call_is_named_by_its_rbac_action() {
    let case = Case::behind("afd-denied", FRONT_DOOR_HOST);
    case.azure.forbid(
        "rest afdendpoints",
        "Microsoft.Cdn/profiles/afdendpoints/read",
    );
    let manifest = case.collect().await;
    let denied = manifest.denied();
    assert!(!denied.is_empty());
    assert!(
        denied
            .iter()
            .all(|(action, _)| *action == "Microsoft.Cdn/profiles/afdendpoints/read"),
        "{denied:?}"
    );
    let call = common::refused_call(&manifest, "Microsoft.Cdn/profiles/afdendpoints/read");
    assert!(
        call.command.starts_with(&format!(
            "az rest --method get --url /subscriptions/{SUBSCRIPTION}/"
        )) && call
            .command
            .contains("/afdEndpoints?api-version=2024-02-01"),
        "{}",
        call.command
    );
    let file = case.read("denied.json");
    assert_eq!(
        file["NetconformDenied"][0]["Action"],
        "Microsoft.Cdn/profiles/afdendpoints/read"
    );
    assert!(
        file["NetconformDenied"][0]["Command"]
            .as_str()
            .unwrap()
            .starts_with("az rest --method get --url "),
        "{file}"
    );
    assert!(!manifest.files.iter().any(|f| f.starts_with("front-door")));
}

/// Behind Azure Front Door (classic) (`Microsoft.Network/frontDoors`, its `az network
/// front-door` commands being an extension's): the records' `<name>.azurefd.net` is its cname;
/// its backends' addresses lead on to the gateway, and the Front Door is its resource group's.
#[tokio::test]
async fn behind_front_door_classic_discovery_goes_from_its_cname_through_its_backends_to_the_gateway()
 {
    let case = Case::behind("afd-classic", "pulumi-fd-classic.azurefd.net");
    let manifest = case.collect().await;
    assert_eq!(
        sorted(&manifest.files),
        [
            "application-gateways.json",
            "clusters.json",
            "front-doors-classic.json",
            "locks.json",
            "nat-gateways.json",
            "postgres-servers.json",
            "private-dns-zones.json",
            "private-endpoints.json",
            "public-ips.json",
            "records-cname.json",
            "vnets.json",
        ]
    );
    // Another team's Front Door is left out; no Front Door (Standard/Premium) endpoint is the
    // records', so no profile is written.
    assert_eq!(
        case.names("front-doors-classic.json"),
        ["pulumi-fd-classic"]
    );
    let classic = case.read("front-doors-classic.json");
    assert_eq!(
        classic[0]["properties"]["healthProbeSettings"][0]["properties"]["path"],
        "/api/status"
    );
    assert_eq!(case.names("public-ips.json"), ["pulumi-appgw-pip"]);
    assert_eq!(case.names("application-gateways.json"), ["pulumi-appgw"]);
    let call = manifest
        .calls
        .iter()
        .find(|c| c.file.as_deref() == Some("front-doors-classic.json"))
        .unwrap();
    assert_eq!(call.action, "Microsoft.Network/frontDoors/read");
    assert_eq!(call.result, "ok: kept 1 of 2");
    assert_eq!(
        call.command,
        format!(
            "az rest --method get --url /subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/frontDoors?api-version=2021-06-01"
        )
    );
}
