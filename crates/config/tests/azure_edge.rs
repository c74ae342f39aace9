//! Azure's managed layer-7 entry points read from az's REST passthrough (`az rest`), as Azure
//! collection writes them and as a user exports them by hand: Application Gateway for
//! Containers (`azure-agc/azure/`, its traffic controller, frontend and association as
//! `az rest --method get --url .../trafficControllers...` prints them, a `CanNotDelete` lock on
//! the controller, the api and app CNAME records to the frontend's FQDN) in front of the AKS
//! deployment of `azure-aks/`, with its Gateway API objects; and its broken twin without a lock.

mod common;

use common::*;
use netconform_config::{Deployment, load};
use netconform_model::Verdict;
use netconform_model::environment::ConfigSettings;

/// The AKS deployment's Kubernetes objects behind Application Gateway for Containers: the
/// Gateway API's in place of AGIC's Ingress.
const AGC_KUBERNETES: [&str; 4] = [
    "azure-aks/kubernetes/deployment.yaml",
    "azure-aks/kubernetes/hpa.yaml",
    "azure-agc/kubernetes/console.yaml",
    "azure-agc/kubernetes/gateway.yaml",
];

/// The AKS deployment of `azure-aks` behind Application Gateway for Containers: its
/// Kubernetes objects with the Gateway API's in place of AGIC's Ingress, its network and
/// database as az lists them, and the gateway's resources from `azure-agc/azure/` (each file
/// of `twin`, when given, in place of its namesake).
fn agc(twin: Option<&str>) -> Deployment {
    let mut settings = ConfigSettings::default();
    for f in AGC_KUBERNETES {
        settings.kubernetes.push(f.parse().unwrap());
    }
    let mut azure: Vec<String> = [
        "cluster.json",
        "vnets.json",
        "nat-gateways.json",
        "private-endpoints.json",
        "private-dns-zones.json",
        "postgres-servers.json",
    ]
    .iter()
    .map(|f| format!("azure-aks/azure/{f}"))
    .collect();
    for f in files(&data().join("azure-agc/azure")) {
        let replaced = twin.filter(|t| data().join(t).join("azure").join(&f).exists());
        azure.push(match replaced {
            Some(t) => format!("{t}/azure/{f}"),
            None => format!("azure-agc/azure/{f}"),
        });
    }
    for f in azure {
        settings.azure.push(f.parse().unwrap());
    }
    load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
}

/// What the AKS set behind Application Gateway for Containers concludes apart from a pass:
/// pods have no instances to hook; the frontend is placed by Azure, in no subnet or zone of
/// the deployment's.
fn baseline(check: &str) -> Verdict {
    match check {
        "instances" | "lb-zones" | "lb-public" => Verdict::NotApplicable,
        _ => Verdict::Pass,
    }
}

#[test]
fn application_gateway_for_containers_from_az_rest_passes_with_its_lock_and_records() {
    let d = agc(None);
    for check in CHECKS {
        let got = run(check, &d);
        assert_eq!(got.verdict, baseline(check), "{check}: {}", got.reason);
    }
    assert_passes(
        "azure-agc",
        &d,
        &[
            (
                "alb",
                "frontend pulumi-frontend of Application Gateway for Containers pulumi-alb",
            ),
            ("deletion-protection", "pulumi-alb"),
            ("dns", "c3f5a8b1d2e4f6a7.fz42.alb.azure.com"),
        ],
    );
    assert_placed_by_azure(
        &d,
        "Reliability in Azure Application Gateway for Containers",
    );
}

#[test]
fn application_gateway_for_containers_without_a_lock_on_it_or_its_group_fails_deletion_protection()
{
    let d = agc(Some("azure-broken/agc/no-lock"));
    for check in CHECKS {
        let got = run(check, &d);
        if check == "deletion-protection" {
            assert_expected(
                "agc/no-lock",
                &got,
                &fail(
                    check,
                    "azure-broken/agc/no-lock/azure/locks.json",
                    "frontend pulumi-frontend of Application Gateway for Containers pulumi-alb",
                ),
            );
        } else {
            assert_eq!(got.verdict, baseline(check), "{check}: {}", got.reason);
        }
    }
}

/// The same Application Gateway for Containers as an azure-native stack export
/// (`azure-native:servicenetworking:TrafficControllerInterface`, `FrontendsInterface`,
/// `AssociationsInterface`, its lock and records; `azure-tools/gen_agc.py`), beside the
/// Kubernetes objects: read as az's output is.
#[test]
fn application_gateway_for_containers_as_an_azure_native_stack_export_reads_as_az_output() {
    let mut settings = ConfigSettings {
        pulumi_stack_export: vec!["azure-stack/agc.json".parse().unwrap()],
        ..ConfigSettings::default()
    };
    for f in AGC_KUBERNETES {
        settings.kubernetes.push(f.parse().unwrap());
    }
    let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
    assert_passes(
        "azure-stack/agc.json",
        &d,
        &[
            (
                "alb",
                "frontend pulumi-frontend of Application Gateway for Containers pulumi-alb",
            ),
            (
                "deletion-protection",
                "deployment.resources[4].outputs.level",
            ),
            ("dns", "c3f5a8b1d2e4f6a7.fz42.alb.azure.com"),
        ],
    );
}

/// The REST API's shape of a resource: its properties under `properties`, as `az rest` (and
/// so Azure collection, which lists Front Door through it) prints them, from az's flattened one.
fn nested(item: &serde_json::Value) -> serde_json::Value {
    const TOP: [&str; 9] = [
        "id",
        "name",
        "type",
        "location",
        "sku",
        "tags",
        "kind",
        "etag",
        "systemData",
    ];
    let mut top = serde_json::Map::new();
    let mut properties = serde_json::Map::new();
    for (k, v) in item.as_object().unwrap() {
        if TOP.contains(&k.as_str()) {
            top.insert(k.clone(), v.clone());
        } else if k != "resourceGroup" {
            properties.insert(k.clone(), v.clone());
        }
    }
    top.insert("properties".into(), properties.into());
    top.into()
}

/// Front Door as `az rest --method get --url .../profiles/<p>/afdEndpoints?...` prints it (a
/// REST page, `{"value": [...]}`, the properties nested) is read as `az afd ... list`'s output:
/// the same verdicts, from the same settings.
#[test]
fn front_door_in_the_rest_api_s_shape_reads_as_az_afd_output() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("afd-rest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut settings = ConfigSettings::default();
    for f in files(&data().join("azure-afd/azure")) {
        let text = std::fs::read_to_string(data().join("azure-afd/azure").join(&f)).unwrap();
        let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let page = serde_json::json!({ "value": list.iter().map(nested).collect::<Vec<_>>() });
        std::fs::write(dir.join(&f), serde_json::to_string_pretty(&page).unwrap()).unwrap();
        settings.azure.push(f.parse().unwrap());
    }
    let d = load(&settings, &dir).unwrap_or_else(|e| panic!("failed to {e}"));
    assert_passes("azure-afd as az rest", &d, &FRONT_DOOR_PASSES);
    assert_passes(
        "azure-afd as az rest",
        &d,
        &[("health-check", "properties.healthProbeSettings.probePath")],
    );
}

/// Azure Front Door (classic) as `az rest` lists `Microsoft.Network/frontDoors` (`azure-afd-classic/`,
/// `azure-tools/gen_afd_classic.py`; each file of `twin`, when given, in place of its namesake).
fn classic(twin: Option<&str>) -> Deployment {
    let mut settings = ConfigSettings::default();
    for f in files(&data().join("azure-afd-classic/azure")) {
        let replaced = twin.filter(|t| data().join(t).join("azure").join(&f).exists());
        let path = match replaced {
            Some(t) => format!("{t}/azure/{f}"),
            None => format!("azure-afd-classic/azure/{f}"),
        };
        settings.azure.push(path.parse().unwrap());
    }
    load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
}

/// Front Door (classic) is a layer-7 equivalent that Microsoft retires on March 31, 2027: the
/// ALB scenario passes with a warning citing the retirement; the API's backend pool probes
/// /api/status, the records lead to its `<name>.azurefd.net`, and a lock on its resource group
/// protects it. The twin's API pool probes /.
#[test]
fn front_door_classic_is_layer_7_retiring_and_its_backend_pool_probe_is_the_health_check() {
    let d = classic(None);
    let got = run("alb", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("retired by Microsoft on March 31, 2027"),
        "{}",
        got.reason
    );
    assert_passes(
        "azure-afd-classic",
        &d,
        &[
            (
                "health-check",
                "backend pool pulumi-api of Front Door (classic) pulumi-fd-classic",
            ),
            ("dns", "pulumi-fd-classic.azurefd.net"),
            (
                "deletion-protection",
                "Front Door (classic) pulumi-fd-classic",
            ),
        ],
    );
    assert_placed_by_azure(&d, "Reliability in Azure Front Door");
    let d = classic(Some("azure-broken/afd-classic/probe-root"));
    assert_eq!(run("alb", &d).verdict, Verdict::Pass);
    assert_expected(
        "afd-classic/probe-root",
        &run("health-check", &d),
        &fail(
            "health-check",
            "azure-broken/afd-classic/probe-root/azure/front-doors.json: value[0].properties.healthProbeSettings[0].properties.path",
            "= /, expected \"/api/status\"",
        ),
    );
}
