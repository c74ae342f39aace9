//! `[config] collect = ["azure"]` through the binary: `verify` collects the AKS deployment
//! through az (netconform-testkit's fake az, answering from its recorded subscription, another
//! team's resources beside the deployment's) and judges what it collected with the cluster's
//! manifests, with the api and app records leading straight to the Application Gateway, or to
//! a Front Door (Standard/Premium) endpoint, a Front Door (classic) or an Application Gateway
//! for Containers frontend in front of it: no configuration scenario fails or is inconclusive.

mod common;

use std::path::Path;

use common::*;
use netconform_testkit::azure::{FakeAzure, cname_records};

/// `verify --tags @config` with `collect = ["azure"]` through `az`, the Kubernetes objects
/// `kubernetes`: the run, after asserting it collected `expect_file` and concluded no failure
/// and nothing inconclusive.
fn verify(dir: &TempDir, az: &Path, kubernetes: &[String], expect_file: &str) -> Run {
    let env = dir.path().join("env.toml");
    std::fs::write(
        &env,
        format!(
            "domain = \"sandbox.test\"\n\n[config]\ncollect = [\"azure\"]\nsubscription = \"00000000-0000-0000-0000-000000000000\"\naz_cli = {:?}\nkubernetes = {kubernetes:?}\n",
            az.display().to_string()
        ),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let run = verify_config(&env, &reports);
    assert!(
        reports.join("collected/azure").join(expect_file).is_file(),
        "{expect_file} not collected: {}",
        run.explain()
    );
    run.assert_nothing_failed();
    run
}

#[test]
fn verify_collects_through_az_behind_each_edge_and_judges_what_it_collected() {
    let aks: Vec<String> = vec![corpus("azure-aks/kubernetes/*.yaml")];
    let agc: Vec<String> = [
        "azure-aks/kubernetes/deployment.yaml",
        "azure-aks/kubernetes/hpa.yaml",
        "azure-agc/kubernetes/*.yaml",
    ]
    .iter()
    .map(|f| corpus(f))
    .collect();
    for (name, target, kubernetes, file) in [
        ("appgw", None, &aks, "application-gateways.json"),
        (
            "afd",
            Some("pulumi-api-abcdefghijklmnop.z01.azurefd.net"),
            &aks,
            "front-door-origin-groups.json",
        ),
        (
            "afd-classic",
            Some("pulumi-fd-classic.azurefd.net"),
            &aks,
            "front-doors-classic.json",
        ),
        (
            "agc",
            Some("bqgsa4c8fhcrgnh6.fz23.alb.azure.com"),
            &agc,
            "agc-frontends.json",
        ),
    ] {
        let dir = TempDir::new(&format!("collect-azure-{name}"));
        let azure = FakeAzure::new(&dir.path().join("fake"));
        if let Some(target) = target {
            azure.answer("network dns record-set cname list", &cname_records(target));
            azure.answer("network dns record-set a list", "[]\n");
        }
        let run = verify(&dir, &azure.az(), kubernetes, file);
        for scenario in [
            "An Application Load Balancer fronts the API",
            "Deletion protection is on",
            "The exported DNS records point api and app to the load balancer",
            "The load balancer health-checks the API on /api/status",
        ] {
            let (verdict, reason) = run.scenario(scenario);
            assert_eq!(verdict, "pass", "{name}: {scenario}: {reason}");
        }
    }
}
