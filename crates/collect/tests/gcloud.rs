//! Collection on Google Cloud through the real gcloud against a loopback fake of the Compute
//! Engine, Kubernetes Engine, Cloud SQL Admin and Cloud DNS APIs (`netconform_testkit::google`):
//! the fake holds the `gcp-gke` corpus (a regional GKE deployment behind an external
//! Application Load Balancer, as the REST reference gives it) and another team's resources
//! beside it. Collection must write the deployment's resources only, list every call in the
//! manifest, name a refused call by its permission, and need exactly the permissions of
//! `ci/gcp/netconform-reader-role.yaml`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netconform_collect::gcp::CALLS;
use netconform_collect::{Gcloud, Manifest, collect_gcp};
use netconform_config::{checks, load};
use netconform_model::environment::ConfigSettings;
use netconform_model::{Environment, Verdict};
use netconform_testkit::google::{self, FakeGoogle, PROJECT};
use serde_json::Value;

/// A directory under the target dir, emptied first.
fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gcloud-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn corpus(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../config/tests/data/{set}/gcp"))
}

/// The role's permissions.
fn role() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ci/gcp/netconform-reader-role.yaml"),
    )
    .unwrap();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    doc["includedPermissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

/// Runs collection through the fake holding `allowed` and the `gcp-gke` corpus; the output
/// directory and manifest.
fn collect(name: &str, allowed: &[&str]) -> (PathBuf, Manifest, FakeGoogle) {
    collect_set("gcp-gke", name, allowed)
}

/// [`collect`] of the corpus set `set`.
fn collect_set(set: &str, name: &str, allowed: &[&str]) -> (PathBuf, Manifest, FakeGoogle) {
    let work = dir(name);
    let fake = FakeGoogle::start(&google::state(&corpus(set)), allowed, &work.join("fake"));
    let mut cli = Gcloud::new(Some(PROJECT.into()));
    cli.program = fake.gcloud_wrapper(&work).display().to_string();
    let out = work.join("collected");
    let env = Environment::new("sandbox.test".parse().unwrap());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let manifest = rt
        .block_on(collect_gcp(
            &env,
            &cli,
            &out,
            "2026-12-07T04:00:00Z".into(),
            &|_| {},
        ))
        .unwrap();
    (out, manifest, fake)
}

fn names(file: &Path) -> Vec<String> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Reads the collected files as `[config] gcp` (and the corpus's manifests).
fn checked(out: &Path) -> netconform_config::Deployment {
    let kube = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../config/tests/data/gcp-gke/kubernetes/*.yaml");
    let settings = ConfigSettings {
        gcp: vec![format!("{}/*.json", out.display()).parse().unwrap()],
        kubernetes: vec![kube.display().to_string().parse().unwrap()],
        ..ConfigSettings::default()
    };
    load(&settings, out).unwrap_or_else(|e| panic!("failed to {e}"))
}

/// Collection holding the role's permissions, no more: it needs no other (none is refused),
/// the role holds no permission it does not use, and it keeps the deployment's resources only.
#[test]
fn collection_with_the_role_keeps_the_deployment_and_leaves_the_other_team_out() {
    let role = role();
    let used: BTreeSet<String> = CALLS
        .iter()
        .flat_map(|c| c.permissions.iter().map(|p| (*p).to_owned()))
        .collect();
    assert_eq!(
        role, used,
        "ci/gcp/netconform-reader-role.yaml and the calls differ"
    );
    let held: Vec<&str> = role.iter().map(String::as_str).collect();
    let (out, manifest, fake) = collect("role", &held);
    assert_eq!(
        names(&out.join("forwarding-rules.json")),
        ["pulumi-https", "pulumi-http-redirect"]
    );
    assert_eq!(names(&out.join("backend-services.json")).len(), 2);
    assert!(!names(&out.join("backend-services.json")).contains(&"other-team-web".to_owned()));
    assert_eq!(names(&out.join("clusters.json")), ["pulumi"]);
    assert_eq!(names(&out.join("sql-instances.json")), ["pulumi-db"]);
    assert_eq!(names(&out.join("routers.json")), ["pulumi-router"]);
    assert_eq!(names(&out.join("networks.json")), ["pulumi"]);
    assert_eq!(names(&out.join("networks-subnets.json")), ["pulumi-app"]);
    assert_eq!(names(&out.join("network-endpoint-groups.json")).len(), 6);
    assert_eq!(
        names(&out.join("instance-groups-managed.json")).len(),
        0,
        "GKE's node pool groups are no backend"
    );
    assert_eq!(
        names(&out.join("record-sets.json")),
        ["api.sandbox.test.", "app.sandbox.test."]
    );
    // Every call is in the manifest, none refused; gcloud paged through the fake's lists.
    assert_eq!(manifest.calls.len(), CALLS.len(), "{:#?}", manifest.calls);
    assert!(manifest.denied().is_empty(), "{:?}", manifest.denied());
    assert!(
        manifest.calls.iter().all(|c| c.result.starts_with("ok")),
        "{:#?}",
        manifest.calls
    );
    assert!(
        fake.requests().iter().any(|r| r.contains("pageToken=")),
        "no paging: {:#?}",
        fake.requests()
    );
    // What was collected passes every check the conformant corpus passes.
    let d = checked(&out);
    for (name, outcome) in [
        ("lb-zones", checks::check_load_balancer_zones(&d)),
        ("api-private", checks::check_api_private_subnets(&d)),
        ("database", checks::check_database_tier(&d)),
        ("nat", checks::check_nat_per_zone(&d)),
        ("s3-endpoint", checks::check_object_storage_endpoint(&d)),
        ("alb", checks::check_application_load_balancer(&d)),
        ("health-check", checks::check_health_check_path(&d)),
        (
            "dns",
            checks::check_dns_records(&d, "sandbox.test", None, &[]),
        ),
    ] {
        assert_eq!(outcome.verdict, Verdict::Pass, "{name}: {}", outcome.reason);
    }
}

#[test]
fn a_refused_call_is_named_by_its_permission() {
    let role = role();
    let held: Vec<&str> = role
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "compute.backendServices.list")
        .collect();
    let (out, manifest, _) = collect("denied", &held);
    assert_eq!(
        manifest.denied(),
        [(
            "compute.backendServices.list",
            "the backend services the URL maps route to"
        )]
    );
    assert!(!out.join("backend-services.json").exists());
    let denied: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("denied.json")).unwrap()).unwrap();
    assert_eq!(
        denied["NetconformDenied"][0]["Action"],
        "compute.backendServices.list"
    );
    let d = checked(&out);
    let outcome = checks::check_health_check_path(&d);
    assert_eq!(outcome.verdict, Verdict::NotChecked, "{}", outcome.reason);
    assert!(
        outcome
            .reason
            .contains("PERMISSION_DENIED for compute.backendServices.list"),
        "{}",
        outcome.reason
    );
}

/// A managed instance group deployment: the groups behind the backend services, with the
/// autoscalers gcloud adds to them (through the compute batch endpoint), their templates and
/// health checks; GKE's and the other team's groups left out.
#[test]
fn collection_follows_the_backend_services_to_their_managed_instance_groups() {
    let (out, manifest, fake) = collect_set("gcp-mig", "mig", &["*"]);
    assert!(manifest.denied().is_empty(), "{:?}", manifest.denied());
    assert_eq!(
        names(&out.join("instance-groups-managed.json")),
        ["pulumi-api", "pulumi-console"]
    );
    let groups: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("instance-groups-managed.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        groups[0]["autoscaler"]["autoscalingPolicy"]["cpuUtilization"]["utilizationTarget"], 0.6,
        "gcloud adds the autoscaler"
    );
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.starts_with("POST /batch/compute/v1"))
    );
    assert_eq!(
        names(&out.join("instance-templates.json")),
        ["pulumi-api-20261101", "pulumi-console-20261101"]
    );
    let templates: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("instance-templates.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        templates[0]["properties"]["scheduling"]["gracefulShutdown"]["maxDuration"]["seconds"],
        "150",
        "gcloud prints the template's graceful shutdown as the API returns it"
    );
    assert_eq!(names(&out.join("network-endpoint-groups.json")).len(), 0);
    assert_eq!(names(&out.join("clusters.json")).len(), 0);
    let settings = ConfigSettings {
        gcp: vec![format!("{}/*.json", out.display()).parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &out).unwrap_or_else(|e| panic!("failed to {e}"));
    for (name, outcome) in [
        ("api-zones", checks::check_api_zones(&d)),
        ("api-private", checks::check_api_private_subnets(&d)),
        ("cpu", checks::check_cpu_target(&d)),
        ("bounds", checks::check_scaling_bounds(&d)),
        ("instances", checks::check_instance_draining(&d)),
        ("stop-timeout", checks::check_stop_timeout(&d)),
        ("startup-grace", checks::check_startup_grace(&d)),
        ("health-check", checks::check_health_check_path(&d)),
        (
            "dns",
            checks::check_dns_records(&d, "sandbox.test", None, &[]),
        ),
    ] {
        assert_eq!(outcome.verdict, Verdict::Pass, "{name}: {}", outcome.reason);
    }
}

/// Without the records, nothing can be told the deployment's: the load balancer, its backends
/// and network are not written (an empty list would read as "there is none"), and the checks
/// say the DNS zones were refused.
#[test]
fn without_the_records_nothing_is_claimed() {
    let role = role();
    let held: Vec<&str> = role
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "dns.managedZones.list")
        .collect();
    let (out, manifest, _) = collect("no-dns", &held);
    assert_eq!(manifest.calls.len(), 1, "{:#?}", manifest.calls);
    assert_eq!(
        manifest.files,
        ["denied.json"],
        "only the refusal is written: {:?}",
        manifest.files
    );
    let d = checked(&out);
    let outcome = checks::check_dns_records(&d, "sandbox.test", None, &[]);
    assert_eq!(outcome.verdict, Verdict::NotChecked, "{}", outcome.reason);
    assert!(
        outcome
            .reason
            .contains("PERMISSION_DENIED for dns.managedZones.list"),
        "{}",
        outcome.reason
    );
    // No forwarding rule is claimed: the load balancer's checks have only the manifests.
    let zones = checks::check_load_balancer_zones(&d);
    assert_eq!(zones.verdict, Verdict::NotChecked, "{}", zones.reason);
}
