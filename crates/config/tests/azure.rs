//! The Azure corpus under tests/data (`azure-aks`, `azure-vmss`, `azure-broken`), through the
//! real loader: the conformant sets pass every check that applies to them; each broken case
//! fails exactly its check, with the finding pointing at the setting.

mod common;

use common::*;
use netconform_config::{Deployment, load};
use netconform_model::Verdict;
use netconform_model::environment::ConfigSettings;

/// An Azure set under tests/data (`azure-aks`, `azure-vmss`) with the files of `<case>/` in
/// place of their namesakes. Files under `kubernetes/` are Kubernetes objects, the rest az
/// output.
fn load_set(set: &str, case: Option<&str>) -> Deployment {
    let base = data().join(set);
    let mut chosen: Vec<String> = files(&base)
        .into_iter()
        .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
        .map(|f| format!("{set}/{f}"))
        .collect();
    if let Some(dir) = case {
        let replacing = files(&data().join(dir));
        assert!(!replacing.is_empty(), "no files in tests/data/{dir}");
        for f in replacing {
            let plain = format!("{set}/{f}");
            chosen.retain(|c| *c != plain);
            chosen.push(format!("{dir}/{f}"));
        }
    }
    let mut settings = ConfigSettings::default();
    for f in chosen {
        let glob = f.parse().unwrap();
        if f.contains("/kubernetes/") {
            settings.kubernetes.push(glob);
        } else {
            settings.azure.push(glob);
        }
    }
    load(&settings, &data()).unwrap_or_else(|e| panic!("{set} {case:?}: failed to {e}"))
}

/// The conformant Azure sets: AKS behind Application Gateway (AGIC), VMs on a scale set
/// behind Application Gateway.
const SETS: [&str; 2] = ["azure-aks", "azure-vmss"];

/// A set's verdicts: pass, except what does not apply to the platform (pods have no
/// instances to hook; readiness probes are Kubernetes'; no input gives the stop timeout of a
/// scale set's instances).
fn baseline(set: &str, check: &str) -> Verdict {
    match (set, check) {
        ("azure-aks", "instances") => Verdict::NotApplicable,
        ("azure-vmss", "readiness") => Verdict::NotApplicable,
        ("azure-vmss", "stop-timeout") => Verdict::NotChecked,
        _ => Verdict::Pass,
    }
}

#[test]
fn conformant_azure_sets_pass_every_check_that_applies() {
    for set in SETS {
        let d = load_set(set, None);
        check_all(set, &d, &[], |c| baseline(set, c));
    }
}

/// Each broken case (`azure-broken/<set>/<case>/`, in place of its namesakes in
/// `azure-<set>/`) and the check it fails, with the error finding's `file: path` and a
/// fragment of the reason.
const BROKEN: &[(&str, &str, Expect)] = &[
    (
        "aks",
        "one-zone",
        fail(
            "api-zones",
            "azure-broken/aks/one-zone/azure/cluster.json: agentPoolProfiles[0].availabilityZones",
            "zone(s) 1; the node pools together: 1",
        ),
    ),
    (
        "aks",
        "no-zones",
        fail(
            "api-zones",
            "azure-broken/aks/no-zones/azure/cluster.json: agentPoolProfiles[0].availabilityZones",
            "no availabilityZones",
        ),
    ),
    (
        "aks",
        "gateway-subnet-shared",
        fail(
            "lb-public",
            "azure-aks/azure/application-gateways.json: [0].zones[0]",
            "appgw: shared with AKS node pool zone1",
        ),
    ),
    (
        "aks",
        "nodes-default-outbound",
        fail(
            "api-private",
            "azure-aks/azure/cluster.json: agentPoolProfiles[1].vnetSubnetId[0]",
            "defaultOutboundAccess not set (on)",
        ),
    ),
    (
        "aks",
        "public-database",
        fail(
            "database",
            "azure-broken/aks/public-database/azure/postgres-servers.json: [0].network.publicNetworkAccess",
            "= true, expected false (PostgreSQL flexible server pulumi-db)",
        ),
    ),
    (
        "aks",
        "nat-one-zone",
        fail(
            "nat",
            "azure-broken/aks/nat-one-zone/azure/vnets.json: [0].subnets[2].natGateway.id",
            "zonal NAT gateway nat-1 in zone 1 serves AKS node pool zone2 (zones 2)",
        ),
    ),
    (
        "aks",
        "no-blob-endpoint",
        fail(
            "s3-endpoint",
            "azure-broken/aks/no-blob-endpoint/azure/private-endpoints.json",
            "no private endpoint for Blob storage in pulumi-vnet",
        ),
    ),
    (
        "aks",
        "no-blob-dns",
        fail(
            "s3-endpoint",
            "azure-broken/aks/no-blob-dns/azure/private-dns-zones.json",
            "no privatelink.blob.core.windows.net private DNS zone linked to a virtual network",
        ),
    ),
    (
        "aks",
        "no-lock",
        fail(
            "deletion-protection",
            "azure-broken/aks/no-lock/azure/locks.json",
            "false, expected true (application gateway pulumi-appgw)",
        ),
    ),
    (
        "aks",
        "no-lock-collected",
        fail(
            "deletion-protection",
            "azure-broken/aks/no-lock-collected/azure/locks.json: NetconformEmptyList",
            "false, expected true (application gateway pulumi-appgw)",
        ),
    ),
    (
        "aks",
        "probe-root",
        fail(
            "health-check",
            "azure-broken/aks/probe-root/azure/application-gateways.json: [0].probes[0].path",
            "= /, expected \"/api/status\"",
        ),
    ),
    (
        "aks",
        "records-elsewhere",
        fail(
            "dns",
            "azure-broken/aks/records-elsewhere/azure/records.json: [0]",
            "20.50.60.99",
        ),
    ),
    (
        "aks",
        "agic-no-draining",
        fail(
            "drain",
            "azure-broken/aks/agic-no-draining/kubernetes/ingress.yaml: metadata.annotations[\"appgw.ingress.kubernetes.io/connection-draining\"]",
            "connection draining off",
        ),
    ),
    (
        "aks",
        "agic-drain-beyond-grace",
        fail(
            "timeline",
            "azure-broken/aks/agic-drain-beyond-grace/kubernetes/ingress.yaml: metadata.annotations[\"appgw.ingress.kubernetes.io/connection-draining-timeout\"]",
            "the pod is killed 90 s before the drain ends",
        ),
    ),
    (
        "vmss",
        "one-zone",
        fail(
            "api-zones",
            "azure-broken/vmss/one-zone/azure/scale-sets.json: [0].zones",
            "1 zone(s): 1",
        ),
    ),
    (
        "vmss",
        "cpu-70",
        fail(
            "cpu",
            "azure-broken/vmss/cpu-70/azure/autoscale-settings.json: [0].profiles[0].rules[0].metricTrigger.threshold",
            "= 70, expected 50-60 % (scale-out rule 1 of autoscale setting pulumi-api-autoscale)",
        ),
    ),
    (
        "vmss",
        "max-6",
        fail(
            "bounds",
            "azure-broken/vmss/max-6/azure/autoscale-settings.json: [0].profiles[0].capacity.maximum",
            "= 6, expected >= 12",
        ),
    ),
    (
        "vmss",
        "min-1",
        fail(
            "bounds",
            "azure-broken/vmss/min-1/azure/autoscale-settings.json: [0].profiles[0].capacity.minimum",
            "= 1, expected >= 2",
        ),
    ),
    (
        "vmss",
        "no-draining",
        fail(
            "drain",
            "azure-broken/vmss/no-draining/azure/application-gateways.json: [0].backendHttpSettingsCollection[0].connectionDraining",
            "connectionDraining = 0, expected set, above 0",
        ),
    ),
    (
        "vmss",
        "no-terminate-notification",
        fail(
            "instances",
            "azure-broken/vmss/no-terminate-notification/azure/scale-sets.json",
            "no terminate notification",
        ),
    ),
    (
        "vmss",
        "nat-zonal",
        fail(
            "nat",
            "azure-vmss/azure/vnets.json: [0].subnets[1].natGateway.id",
            "zonal NAT gateway nat-vms in zone 1 serves scale set pulumi-api (zones 1, 2, 3)",
        ),
    ),
    (
        "vmss",
        "nat-no-zone",
        fail(
            "nat",
            "azure-vmss/azure/vnets.json: [0].subnets[1].natGateway.id",
            "NAT gateway nat-vms has no zone",
        ),
    ),
    (
        "vmss",
        "no-lock",
        fail(
            "deletion-protection",
            "azure-broken/vmss/no-lock/azure/locks.json",
            "false, expected true (application gateway pulumi-appgw)",
        ),
    ),
    (
        "vmss",
        "default-probe",
        fail(
            "health-check",
            "azure-broken/vmss/default-probe/azure/application-gateways.json: [0].backendHttpSettingsCollection[0].probe",
            "= /, expected \"/api/status\"",
        ),
    ),
    (
        "vmss",
        "appgw-v1",
        fail(
            "alb",
            "azure-broken/vmss/appgw-v1/azure/application-gateways.json: [0].sku.tier",
            "v1 SKU (Standard or WAF tier): retired by Microsoft on April 28, 2026",
        ),
    ),
    (
        "vmss",
        "standard-lb",
        fail(
            "alb",
            "azure-broken/vmss/standard-lb/azure/application-gateways.json: [0].sku",
            "an Azure Load Balancer (layer 4)",
        ),
    ),
];

/// What a broken case breaks beside its check, by its nature.
fn also(set: &str, case: &str, check: &str) -> Option<Verdict> {
    match (set, case, check) {
        // A pool in no zone is served by a zonal NAT gateway it may not share a zone with.
        ("aks", "no-zones", "nat") => Some(Verdict::Fail),
        // A node pool in the gateway's subnet is in a subnet without a NAT gateway.
        ("aks", "gateway-subnet-shared", "api-private") => Some(Verdict::Fail),
        // An Azure load balancer has no draining of its own to read, and a public one is in no
        // subnet to tell its tier by.
        ("vmss", "standard-lb", "drain" | "timeline" | "lb-public") => Some(Verdict::NotChecked),
        // The v1 SKU has no zones, and an Azure subnet is in none: the gateway's zones are
        // not known.
        ("vmss", "appgw-v1", "lb-zones") => Some(Verdict::NotChecked),
        _ => None,
    }
}

#[test]
fn each_broken_azure_case_fails_exactly_its_check() {
    for (set, case, expected) in BROKEN {
        let full = format!("azure-{set}");
        let d = load_set(&full, Some(&format!("azure-broken/{set}/{case}")));
        let what = format!("{set}/{case}");
        for check in CHECKS {
            let got = run(check, &d);
            if expected.check == check {
                assert_expected(&what, &got, expected);
            } else {
                let want = also(set, case, check).unwrap_or_else(|| baseline(&full, check));
                assert_eq!(
                    got.verdict, want,
                    "{what}: {check} should be {want:?}: {}",
                    got.reason
                );
            }
        }
    }
}

#[test]
fn every_azure_rule_has_a_broken_case_and_every_case_an_expectation() {
    for check in [
        "api-zones",
        "lb-public",
        "api-private",
        "database",
        "nat",
        "s3-endpoint",
        "cpu",
        "bounds",
        "drain",
        "instances",
        "alb",
        "deletion-protection",
        "health-check",
        "dns",
    ] {
        assert!(
            BROKEN.iter().any(|(_, _, e)| e.check == check),
            "no Azure broken case fails {check}"
        );
    }
    for set in ["aks", "vmss"] {
        // (azure-broken/agic/ holds the annotation cases of its own test.)
        for entry in std::fs::read_dir(data().join("azure-broken").join(set)).unwrap() {
            let case = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                BROKEN.iter().any(|(s, c, _)| *s == set && *c == case),
                "tests/data/azure-broken/{set}/{case} is in no expectation"
            );
        }
    }
}

#[test]
fn the_scale_set_as_an_azure_native_stack_export_passes_as_the_az_output_does() {
    let settings = ConfigSettings {
        pulumi_stack_export: vec!["azure-stack/vmss.json".parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
    check_all("azure-stack/vmss.json", &d, &[], |c| {
        baseline("azure-vmss", c)
    });
}

/// az output netconform does not read is refused with the types it does read; az's empty
/// list (what every list command prints when it finds nothing) is no input.
#[test]
fn az_output_of_another_command_is_refused_and_an_empty_list_is_no_input() {
    let err = netconform_config::read_azure_text(
        r#"[{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/x", "type": "Microsoft.Web/sites"}]"#,
        "sites.json",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "sites.json: [0]: type \"Microsoft.Web/sites\" is not a resource netconform reads"
        ) && err.contains(
            "Microsoft.Network/applicationGateways (az network application-gateway list)"
        ),
        "{err}"
    );
    let err = netconform_config::read_azure_text(r#""text""#, "text.json")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not az output"), "{err}");
    let d = netconform_config::read_azure_text("[]", "empty.json").unwrap();
    assert!(d.inputs.is_empty(), "{:?}", d.inputs);
}

/// What `netconform collect` writes when ARM refused the gateways (`denied.json`, here in the
/// gateways' place): the load balancer is not checked, naming the RBAC action.
#[test]
fn a_refused_az_call_leaves_its_checks_not_checked_naming_the_rbac_action() {
    let d = load_set("azure-aks", Some("azure-denied"));
    let got = run("lb-zones", &d);
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason.contains(
            "not checked: AuthorizationFailed for Microsoft.Network/applicationGateways/read"
        ),
        "{}",
        got.reason
    );
}

/// Kubernetes on AKS without az output: the Application Gateway Ingress Controller's
/// annotations say the gateway's probe, as the AWS Load Balancer Controller's do.
#[test]
fn agic_annotations_give_the_health_check_without_az_output() {
    let only_kubernetes = |case: Option<&str>| {
        let mut settings = ConfigSettings::default();
        for f in files(&data().join("azure-aks/kubernetes")) {
            let path = match case {
                Some(dir) if data().join(dir).join("kubernetes").join(&f).exists() => {
                    format!("{dir}/kubernetes/{f}")
                }
                _ => format!("azure-aks/kubernetes/{f}"),
            };
            settings.kubernetes.push(path.parse().unwrap());
        }
        load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
    };
    let got = run("health-check", &only_kubernetes(None));
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    let got = run(
        "health-check",
        &only_kubernetes(Some("azure-broken/agic/probe-healthz")),
    );
    assert_expected(
        "agic/probe-healthz",
        &got,
        &fail(
            "health-check",
            "azure-broken/agic/probe-healthz/kubernetes/ingress.yaml: metadata.annotations[\"appgw.ingress.kubernetes.io/health-probe-path\"]",
            "= /healthz, expected \"/api/status\"",
        ),
    );
}

/// AKS behind Application Gateway for Containers (the Gateway API, its ALB Controller's class
/// `alb.networking.azure.io/alb-controller`), in the manifests Microsoft's how-tos write: the
/// gateway is the layer-7 equivalent and its HealthCheckPolicy gives the probe on /api/status;
/// the twin's policy probes /healthz.
#[test]
fn application_gateway_for_containers_is_layer_7_and_its_health_check_policy_gives_the_probe() {
    let agc = |gateway: &str| {
        let mut settings = ConfigSettings::default();
        for f in [
            "azure-aks/kubernetes/deployment.yaml",
            "azure-aks/kubernetes/hpa.yaml",
            "azure-agc/kubernetes/console.yaml",
            gateway,
        ] {
            settings.kubernetes.push(f.parse().unwrap());
        }
        load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
    };
    let d = agc("azure-agc/kubernetes/gateway.yaml");
    let got = run("alb", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("an Application Gateway for Containers routes HTTP"),
        "{}",
        got.reason
    );
    let got = run("health-check", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("HealthCheckPolicy pulumi/pulumi-api-health-check-policy"),
        "{}",
        got.reason
    );
    // Kubernetes alone on AKS: what is missing is asked for from az, not the AWS CLI.
    let got = run("dns", &d);
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason
            .contains("`az network dns record-set a list -o json`")
            && !got.reason.contains("aws "),
        "{}",
        got.reason
    );
    let d = agc("azure-broken/agc/probe-healthz/kubernetes/gateway.yaml");
    assert_eq!(run("alb", &d).verdict, Verdict::Pass);
    assert_expected(
        "agc/probe-healthz",
        &run("health-check", &d),
        &fail(
            "health-check",
            "azure-broken/agc/probe-healthz/kubernetes/gateway.yaml: spec.default.http.path",
            "= /healthz, expected \"/api/status\"",
        ),
    );
}

/// An Azure deployment with an input missing says which az command gives it and which Azure
/// RBAC action reading it needs, never an AWS command: here the gateway alone, every other az
/// output left out.
#[test]
fn a_missing_azure_input_names_the_az_command_and_the_rbac_action() {
    let mut settings = ConfigSettings::default();
    settings
        .azure
        .push("azure-aks/azure/application-gateways.json".parse().unwrap());
    let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
    for check in CHECKS {
        let got = run(check, &d);
        assert!(
            !got.reason.contains("aws ") && !got.reason.contains("AccessDenied"),
            "{check}: {}",
            got.reason
        );
    }
    let got = run("deletion-protection", &d);
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason
            .contains("`az lock list -o json` (Azure RBAC Microsoft.Authorization/locks/read)"),
        "{}",
        got.reason
    );
    let got = run("nat", &d);
    assert!(
        got.reason.contains("az network vnet list")
            || got.reason.contains("az network nat gateway list"),
        "{}",
        got.reason
    );
}

/// Azure Front Door in front of the API, as `az afd ... list` prints it: its endpoint is the
/// layer-7 equivalent, the api and app CNAME records lead to its hostName, and the API's origin
/// group probes /api/status; the twin's probes /.
#[test]
fn front_door_fronts_the_api_with_its_origin_group_probe_and_the_records_to_its_endpoint() {
    let afd = |twin: Option<&str>| {
        let mut settings = ConfigSettings::default();
        for f in files(&data().join("azure-afd/azure")) {
            let path = match twin {
                Some(dir) if data().join(dir).join("azure").join(&f).exists() => {
                    format!("{dir}/azure/{f}")
                }
                _ => format!("azure-afd/azure/{f}"),
            };
            settings.azure.push(path.parse().unwrap());
        }
        load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
    };
    let d = afd(None);
    assert_passes("azure-afd", &d, &FRONT_DOOR_PASSES);
    // Global: in no subnet and no zone of the deployment's.
    assert_placed_by_azure(&d, "Reliability in Azure Front Door");
    let d = afd(Some("azure-broken/afd/probe-root"));
    assert_eq!(run("alb", &d).verdict, Verdict::Pass);
    assert_expected(
        "afd/probe-root",
        &run("health-check", &d),
        &fail(
            "health-check",
            "azure-broken/afd/probe-root/azure/origin-groups.json: [0].healthProbeSettings.probePath",
            "= /, expected \"/api/status\"",
        ),
    );
}

/// az's `[]` in place of the file a rule reads never passes that rule: each file of the AKS set
/// whose content a check needs, replaced by an empty list (what `az ... list` prints when it
/// finds nothing, naming no type), leaves that check "not checked", naming the az command and
/// the Azure RBAC action that would provide it.
#[test]
fn an_empty_az_list_in_place_of_a_needed_file_is_not_checked_never_a_pass() {
    for (file, check, command) in [
        ("locks.json", "deletion-protection", "az lock list"),
        (
            "application-gateways.json",
            "lb-zones",
            "az network application-gateway list",
        ),
        (
            "postgres-servers.json",
            "database",
            "az postgres flexible-server list",
        ),
        (
            "private-endpoints.json",
            "s3-endpoint",
            "az network private-endpoint list",
        ),
        ("records.json", "dns", "az network dns record-set a list"),
        ("cluster.json", "nat", "az aks show"),
        ("cluster.json", "api-private", "az aks show"),
        ("nat-gateways.json", "nat", "az network nat gateway list"),
        (
            "private-dns-zones.json",
            "s3-endpoint",
            "az network private-dns zone list",
        ),
        ("vnets.json", "api-private", "az network vnet list"),
    ] {
        let mut settings = ConfigSettings::default();
        for f in files(&data().join("azure-aks"))
            .into_iter()
            .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
        {
            let path = if f == format!("azure/{file}") {
                "azure-empty/empty.json".to_owned()
            } else {
                format!("azure-aks/{f}")
            };
            if f.starts_with("kubernetes/") {
                settings.kubernetes.push(path.parse().unwrap());
            } else {
                settings.azure.push(path.parse().unwrap());
            }
        }
        let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
        let got = run(check, &d);
        assert_ne!(
            got.verdict,
            Verdict::Pass,
            "{file} as []: {check}: {}",
            got.reason
        );
        assert!(
            got.reason.contains(command) && !got.reason.contains("aws "),
            "{file} as []: {check}: {}",
            got.reason
        );
    }
}

/// Application Gateway for Containers through the Ingress API (class `azure-alb-external`): the
/// HealthCheckPolicy on the API Service gives the probe as it does behind a route; the twin's
/// probes /healthz.
#[test]
fn an_application_gateway_for_containers_ingress_takes_its_probe_from_the_health_check_policy() {
    let agc = |ingress: &str| {
        let mut settings = ConfigSettings::default();
        for f in [
            "azure-aks/kubernetes/deployment.yaml",
            "azure-aks/kubernetes/hpa.yaml",
            "azure-agc/kubernetes/console.yaml",
            ingress,
        ] {
            settings.kubernetes.push(f.parse().unwrap());
        }
        load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"))
    };
    let d = agc("azure-agc/ingress/ingress.yaml");
    let got = run("alb", &d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("an Ingress of Application Gateway for Containers"),
        "{}",
        got.reason
    );
    assert_expected(
        "azure-agc/ingress",
        &run("health-check", &d),
        &pass(
            "health-check",
            "from HealthCheckPolicy pulumi/pulumi-api-health-check-policy",
        ),
    );
    assert_expected(
        "agc/ingress-probe-healthz",
        &run(
            "health-check",
            &agc("azure-broken/agc/ingress-probe-healthz/ingress/ingress.yaml"),
        ),
        &fail(
            "health-check",
            "azure-broken/agc/ingress-probe-healthz/ingress/ingress.yaml: spec.default.http.path",
            "= /healthz, expected \"/api/status\"",
        ),
    );
}

/// The Front Door as an azure-native stack export (`azure-native:cdn:AFDEndpoint`,
/// `AFDOriginGroup`, `Route`, ...): read as the az output is.
#[test]
fn the_front_door_as_an_azure_native_stack_export_passes_as_the_az_output_does() {
    let settings = ConfigSettings {
        pulumi_stack_export: vec!["azure-stack/afd.json".parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
    assert_passes("azure-stack/afd.json", &d, &FRONT_DOOR_PASSES);
}
