//! The Google Cloud corpus under tests/data, through the real loader: a regional GKE cluster
//! behind an external Application Load Balancer (`gcp-gke`) and a regional managed instance
//! group behind one (`gcp-mig`), each beside another team's load balancer, network and
//! records; both pass every check that applies to them, and each broken twin under
//! `broken/gcp-*/<case>/` fails its check for its reason, with the finding at the setting.

mod common;

use common::{CHECKS, data, files, run};
use netconform_config::{Deployment, checks, load};
use netconform_model::environment::ConfigSettings;
use netconform_model::evidence::Evidence;
use netconform_model::evidence::config::FindingStatus;
use netconform_model::{Outcome, Verdict};

const SETS: [&str; 3] = ["gcp-gke", "gcp-mig", "gcp-gke-gateway"];

/// The load balancer GKE Ingress made, as gcloud prints it: the GKE Gateway set judges its own
/// load balancer from its manifests instead.
const INGRESS_LOAD_BALANCER: [&str; 7] = [
    "gcp/forwarding-rules.json",
    "gcp/target-https-proxies.json",
    "gcp/target-http-proxies.json",
    "gcp/url-maps.json",
    "gcp/backend-services.json",
    "gcp/health-checks.json",
    "gcp/network-endpoint-groups.json",
];

/// A set's files, each as (its path within the set, its path under tests/data): the GKE
/// Gateway set is the GKE set's cluster, network, database and records with its own manifests
/// in place of the Ingress, its Services and the load balancer Ingress made.
fn set_files(set: &str) -> Vec<(String, String)> {
    let of = |dir: &str| -> Vec<(String, String)> {
        files(&data().join(dir))
            .into_iter()
            .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
            .map(|f| (f.clone(), format!("{dir}/{f}")))
            .collect()
    };
    if set != "gcp-gke-gateway" {
        return of(set);
    }
    let mut chosen: Vec<(String, String)> = of("gcp-gke")
        .into_iter()
        .filter(|(f, _)| {
            f != "kubernetes/service.yaml" && !INGRESS_LOAD_BALANCER.contains(&f.as_str())
        })
        .collect();
    chosen.extend(of(set));
    chosen
}

/// A set with the files of `case` (a directory under tests/data) in place of their namesakes:
/// `kubernetes/` manifests, the rest gcloud output (`[config] gcp`).
fn load_set(set: &str, case: Option<&str>) -> Deployment {
    let mut chosen = set_files(set);
    if let Some(dir) = case {
        let replacing = files(&data().join(dir));
        assert!(!replacing.is_empty(), "no files in tests/data/{dir}");
        for f in replacing {
            chosen.retain(|(c, _)| *c != f);
            chosen.push((f.clone(), format!("{dir}/{f}")));
        }
    }
    let mut settings = ConfigSettings::default();
    for (_, f) in chosen {
        let glob = f.parse().unwrap();
        if f.contains("/kubernetes/") {
            settings.kubernetes.push(glob);
        } else {
            settings.gcp.push(glob);
        }
    }
    load(&settings, &data()).unwrap_or_else(|e| panic!("{set} {case:?}: failed to {e}"))
}

/// The conformant sets' verdicts: pass, except what does not apply on Google Cloud (its load
/// balancers have no deletion protection and sit in no subnet), readiness probes on VMs and the
/// instances of pods, and what the gateway set has no input for.
fn baseline(set: &str, check: &str) -> Verdict {
    match (set, check) {
        (_, "deletion-protection" | "lb-public") => Verdict::NotApplicable,
        ("gcp-gke" | "gcp-gke-gateway", "instances") | ("gcp-mig", "readiness") => {
            Verdict::NotApplicable
        }
        // The backends' zones are in the gcloud output of the load balancer the Gateway made,
        // which the gateway set does not hold (it judges that load balancer from its manifests).
        ("gcp-gke-gateway", "lb-zones") => Verdict::NotChecked,
        _ => Verdict::Pass,
    }
}

#[test]
fn conformant_gcp_sets_pass_every_check_that_applies() {
    for set in SETS {
        let d = load_set(set, None);
        for check in CHECKS {
            let got = run(check, &d);
            assert_eq!(
                got.verdict,
                baseline(set, check),
                "{set}: {check}: {}",
                got.reason
            );
        }
    }
}

/// The reasons the not-applicable verdicts give: Google Cloud's own, never a silent pass.
#[test]
fn what_does_not_apply_on_google_cloud_says_why_and_where_from() {
    let d = load_set("gcp-gke", None);
    let deletion = run("deletion-protection", &d);
    assert!(
        deletion.reason.contains("has no deletion protection")
            && deletion.reason.contains(
                "https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules"
            ),
        "{}",
        deletion.reason
    );
    let public = run("lb-public", &d);
    assert!(
        public.reason.contains("in no subnet of the VPC"),
        "{}",
        public.reason
    );
}

/// What one check must conclude on a broken twin: a fragment of its reason and the `file: path`
/// of an error finding.
struct Expect {
    check: &'static str,
    at: &'static str,
    reason: &'static str,
}

const fn fail(check: &'static str, at: &'static str, reason: &'static str) -> Expect {
    Expect { check, at, reason }
}

/// Each broken twin: its set, the directory whose files replace their namesakes, and every
/// check it fails (the rest stay at the set's baseline). The Kubernetes rules reuse the
/// `broken/eks/` manifests: the GKE set's Deployment and HPA are the EKS set's.
const BROKEN: &[(&str, &str, &[Expect])] = &[
    (
        "gcp-gke",
        "broken/gcp-gke/zonal-cluster",
        &[fail(
            "api-zones",
            "broken/gcp-gke/zonal-cluster/gcp/cluster.json: nodePools[0].locations",
            "1 zone(s): us-central1-a",
        )],
    ),
    (
        "gcp-gke",
        "broken/eks/no-zone-spread",
        &[fail(
            "api-zones",
            "broken/eks/no-zone-spread/kubernetes/deployment.yaml: spec.template.spec.topologySpreadConstraints",
            "topologySpreadConstraints = not set",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/backends-one-zone",
        &[fail(
            "lb-zones",
            "broken/gcp-gke/backends-one-zone/gcp/backend-services.json: [0].backends",
            "1 zone(s): us-central1-a",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/public-nodes",
        &[fail(
            "api-private",
            "broken/gcp-gke/public-nodes/gcp/cluster.json: nodePools[0].networkConfig.enablePrivateNodes",
            "enablePrivateNodes = false",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/public-database",
        &[fail(
            "database",
            "broken/gcp-gke/public-database/gcp/sql-instances.json: [0].settings.ipConfiguration.ipv4Enabled",
            "ipv4Enabled = true",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/nat-other-subnet",
        &[fail(
            "nat",
            "broken/gcp-gke/nat-other-subnet/gcp/routers.json: [0].nats[0].sourceSubnetworkIpRangesToNat",
            "no Cloud NAT translates it",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/no-private-google-access",
        &[fail(
            "s3-endpoint",
            "broken/gcp-gke/no-private-google-access/gcp/subnets.json: [1].privateIpGoogleAccess",
            "privateIpGoogleAccess false and no Private Service Connect endpoint",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/hpa-min-1",
        &[
            fail(
                "replicas",
                "broken/gcp-gke/hpa-min-1/kubernetes/hpa.yaml: spec.minReplicas",
                "minReplicas = 1, expected >= 2",
            ),
            fail(
                "bounds",
                "broken/gcp-gke/hpa-min-1/kubernetes/hpa.yaml: spec.minReplicas",
                "minReplicas = 1, expected >= 2",
            ),
        ],
    ),
    (
        "gcp-gke",
        "broken/eks/hpa-cpu-80",
        &[fail(
            "cpu",
            "broken/eks/hpa-cpu-80/kubernetes/hpa.yaml: spec.metrics[0].resource.target.averageUtilization",
            "averageUtilization = 80",
        )],
    ),
    (
        "gcp-gke",
        "broken/eks/no-pre-stop",
        &[fail(
            "drain",
            "broken/eks/no-pre-stop/kubernetes/deployment.yaml: spec.template.spec.containers[0].lifecycle.preStop",
            "preStop = not set",
        )],
    ),
    (
        "gcp-gke",
        "broken/eks/grace-100",
        &[
            fail(
                "stop-timeout",
                "broken/eks/grace-100/kubernetes/deployment.yaml: spec.template.spec.terminationGracePeriodSeconds",
                "terminationGracePeriodSeconds = 100, expected >= 130",
            ),
            fail(
                "timeline",
                "broken/eks/grace-100/kubernetes/deployment.yaml: spec.template.spec.terminationGracePeriodSeconds",
                "the app gets 80 s after SIGTERM",
            ),
        ],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/health-check-root",
        &[fail(
            "health-check",
            "broken/gcp-gke/health-check-root/gcp/health-checks.json: [1].httpHealthCheck.requestPath",
            "requestPath = /, expected \"/api/status\"",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/api-service-load-balancer",
        &[fail(
            "alb",
            "broken/gcp-gke/api-service-load-balancer/kubernetes/service.yaml: spec.type",
            "type LoadBalancer: a layer-4 balancer",
        )],
    ),
    (
        "gcp-gke",
        "broken/eks/liveness-kills-early",
        &[fail(
            "startup-grace",
            "broken/eks/liveness-kills-early/kubernetes/deployment.yaml: spec.template.spec.containers[0].livenessProbe",
            "restarted after 30 s of failing probes",
        )],
    ),
    (
        "gcp-gke",
        "broken/eks/readiness-healthz",
        &[fail(
            "readiness",
            "broken/eks/readiness-healthz/kubernetes/deployment.yaml: spec.template.spec.containers[0].readinessProbe",
            "httpGet /healthz",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/api-record-elsewhere",
        &[fail(
            "dns",
            "broken/gcp-gke/api-record-elsewhere/gcp/record-sets.json: [2]",
            "-> 203.0.113.7",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/one-zone",
        &[
            fail(
                "api-zones",
                "broken/gcp-mig/one-zone/gcp/instance-groups-managed.json: [0].distributionPolicy.zones",
                "1 zone(s): us-central1-a",
            ),
            // Its instance group is the backend service's only backend: one zone there too.
            fail(
                "lb-zones",
                "gcp-mig/gcp/backend-services.json: [0].backends",
                "1 zone(s): us-central1-a",
            ),
        ],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/one-instance",
        &[fail(
            "replicas",
            "broken/gcp-mig/one-instance/gcp/instance-groups-managed.json: [0].targetSize",
            "targetSize = 1, expected >= 2",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/external-ip",
        &[fail(
            "api-private",
            "broken/gcp-mig/external-ip/gcp/instance-templates.json: [0].properties.networkInterfaces[0].accessConfigs",
            "accessConfigs = true, expected no access config",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/database-without-private-ip",
        &[fail(
            "database",
            "broken/gcp-mig/database-without-private-ip/gcp/sql-instances.json: [0].settings.ipConfiguration.privateNetwork",
            "no private network",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/nat-without-addresses",
        &[fail(
            "nat",
            "broken/gcp-mig/nat-without-addresses/gcp/routers.json: [0].nats[0].natIpAllocateOption",
            "MANUAL_ONLY with no natIps",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/no-private-google-access",
        &[fail(
            "s3-endpoint",
            "broken/gcp-mig/no-private-google-access/gcp/subnets.json: [1].privateIpGoogleAccess",
            "Cloud Storage goes through the NAT",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/cpu-target-80",
        &[fail(
            "cpu",
            "broken/gcp-mig/cpu-target-80/gcp/instance-groups-managed.json: [0].autoscaler.autoscalingPolicy.cpuUtilization.utilizationTarget",
            "utilizationTarget = 80, expected 50-60 %",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/max-below-4x",
        &[fail(
            "bounds",
            "broken/gcp-mig/max-below-4x/gcp/instance-groups-managed.json: [0].autoscaler.autoscalingPolicy.maxNumReplicas",
            "maxNumReplicas = 6, expected >= 12",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/draining-off",
        &[
            fail(
                "drain",
                "broken/gcp-mig/draining-off/gcp/backend-services.json: [0].connectionDraining.drainingTimeoutSec",
                "drainingTimeoutSec = 0",
            ),
            fail(
                "timeline",
                "broken/gcp-mig/draining-off/gcp/backend-services.json: [0].connectionDraining.drainingTimeoutSec",
                "draining off: the VM is deleted with its requests in flight",
            ),
            fail(
                "instances",
                "broken/gcp-mig/draining-off/gcp/backend-services.json: [0].connectionDraining.drainingTimeoutSec",
                "draining off: the VM is deleted with its requests in flight",
            ),
        ],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/draining-short",
        &[
            fail(
                "timeline",
                "broken/gcp-mig/draining-short/gcp/backend-services.json: [0].connectionDraining.drainingTimeoutSec",
                "30 s on backend service pulumi-api, expected >= 120 s",
            ),
            fail(
                "instances",
                "broken/gcp-mig/draining-short/gcp/backend-services.json: [0].connectionDraining.drainingTimeoutSec",
                "30 s on backend service pulumi-api, expected >= 120 s",
            ),
        ],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/passthrough-network-lb",
        &[fail(
            "alb",
            "broken/gcp-mig/passthrough-network-lb/gcp/forwarding-rules.json: [0].backendService",
            "a Google Cloud Network Load Balancer (layer 4",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/health-check-root",
        &[fail(
            "health-check",
            "broken/gcp-mig/health-check-root/gcp/health-checks.json: [1].httpHealthCheck.requestPath",
            "requestPath = /, expected \"/api/status\"",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/no-app-record",
        &[fail(
            "dns",
            "broken/gcp-mig/no-app-record/gcp/record-sets.json",
            "no A, AAAA or CNAME record for app.sandbox.test",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/graceful-shutdown-short",
        &[fail(
            "stop-timeout",
            "broken/gcp-mig/graceful-shutdown-short/gcp/instance-templates.json: [0].properties.scheduling.gracefulShutdown.maxDuration.seconds",
            "= 60, expected >= 120",
        )],
    ),
    (
        "gcp-gke",
        "broken/gcp-gke/backend-config-draining-off",
        &[fail(
            "drain",
            "broken/gcp-gke/backend-config-draining-off/kubernetes/service.yaml: spec.connectionDraining.drainingTimeoutSec",
            "drainingTimeoutSec = 0",
        )],
    ),
    (
        "gcp-gke-gateway",
        "broken/gcp-gke-gateway/health-check-root",
        &[fail(
            "health-check",
            "broken/gcp-gke-gateway/health-check-root/kubernetes/gateway.yaml: spec.default.config.httpHealthCheck.requestPath",
            "requestPath = /, expected \"/api/status\"",
        )],
    ),
    (
        "gcp-gke-gateway",
        "broken/gcp-gke-gateway/no-health-check-policy",
        &[fail(
            "health-check",
            "broken/gcp-gke-gateway/no-health-check-policy/kubernetes/gateway.yaml: spec.rules[0].backendRefs[0]",
            "no HealthCheckPolicy targets the Service",
        )],
    ),
    (
        "gcp-gke-gateway",
        "broken/gcp-gke-gateway/draining-off",
        &[fail(
            "drain",
            "broken/gcp-gke-gateway/draining-off/kubernetes/gateway.yaml: spec.default.connectionDraining.drainingTimeoutSec",
            "drainingTimeoutSec = 0",
        )],
    ),
    (
        "gcp-gke-gateway",
        "broken/gcp-gke-gateway/no-backend-policy",
        &[fail(
            "drain",
            "broken/gcp-gke-gateway/no-backend-policy/kubernetes/gateway.yaml: spec.rules[0].backendRefs[0]",
            "not set (GKE default 0)",
        )],
    ),
    (
        "gcp-gke-gateway",
        "broken/gcp-gke-gateway/api-service-load-balancer",
        &[fail(
            "alb",
            "broken/gcp-gke-gateway/api-service-load-balancer/kubernetes/gateway.yaml: spec.type",
            "type LoadBalancer: a layer-4 balancer",
        )],
    ),
    (
        "gcp-mig",
        "broken/gcp-mig/short-initial-delay",
        &[fail(
            "startup-grace",
            "broken/gcp-mig/short-initial-delay/gcp/instance-groups-managed.json: [0].autoHealingPolicies[0].initialDelaySec",
            "initialDelaySec = 60, expected >= 120",
        )],
    ),
];

/// Every broken twin: [`BROKEN`], and for the GKE Gateway set each GKE case whose files it
/// shares with the GKE set (its cluster, network, database, records, Deployment and HPA), which
/// must break it the same way.
fn cases() -> Vec<(&'static str, &'static str, &'static [Expect])> {
    let shared: Vec<String> = set_files("gcp-gke-gateway")
        .into_iter()
        .filter(|(_, f)| f.starts_with("gcp-gke/"))
        .map(|(rel, _)| rel)
        .collect();
    let mut all: Vec<(&str, &str, &[Expect])> = BROKEN.to_vec();
    for (set, case, expected) in BROKEN {
        if *set == "gcp-gke" && files(&data().join(case)).iter().all(|f| shared.contains(f)) {
            all.push(("gcp-gke-gateway", case, expected));
        }
    }
    all
}

/// The `file: path` of every error finding.
fn error_places(outcome: &Outcome) -> Vec<String> {
    outcome
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Config(f) if f.status == FindingStatus::Error && f.path.is_empty() => {
                Some(f.file.clone())
            }
            Evidence::Config(f) if f.status == FindingStatus::Error => {
                Some(format!("{}: {}", f.file, f.path))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn each_broken_twin_fails_its_checks_for_its_reason() {
    for (set, case, expected) in cases() {
        let d = load_set(set, Some(case));
        for check in CHECKS {
            let got = run(check, &d);
            match expected.iter().find(|e| e.check == check) {
                Some(want) => {
                    assert_eq!(
                        got.verdict,
                        Verdict::Fail,
                        "{case}: {check}: {}",
                        got.reason
                    );
                    assert!(
                        got.reason.contains(want.reason),
                        "{case}: {check}: reason {:?} lacks {:?}",
                        got.reason,
                        want.reason
                    );
                    let places = error_places(&got);
                    assert!(
                        places.iter().any(|p| p == want.at),
                        "{case}: {check}: no error at {:?}; errors at {places:#?}",
                        want.at
                    );
                }
                None => assert_eq!(
                    got.verdict,
                    baseline(set, check),
                    "{case}: {check} should stay {:?}: {}",
                    baseline(set, check),
                    got.reason
                ),
            }
        }
    }
}

/// Every check that can fail on Google Cloud has a broken twin per set where it applies, and
/// every broken directory is in `BROKEN`.
#[test]
fn every_gcp_rule_has_a_broken_twin_and_every_twin_a_case() {
    for set in SETS {
        for check in CHECKS {
            let applies = !matches!(
                baseline(set, check),
                Verdict::NotApplicable | Verdict::NotChecked
            );
            let broken = cases()
                .iter()
                .any(|(s, _, e)| *s == set && e.iter().any(|e| e.check == check));
            assert!(
                !applies || broken,
                "{set}: no broken twin fails {check}: a check that cannot fail is a defect"
            );
        }
        for entry in std::fs::read_dir(data().join("broken").join(set)).unwrap() {
            let case = format!(
                "broken/{set}/{}",
                entry.unwrap().file_name().to_string_lossy()
            );
            assert!(
                BROKEN.iter().any(|(s, c, _)| *s == set && *c == case),
                "tests/data/{case} is in no expectation"
            );
        }
    }
}

/// gcloud output netconform cannot read is refused with the file, the place and the fix.
#[test]
fn gcloud_output_that_cannot_be_read_is_refused_with_the_fix() {
    let refused = |text: &str, name: &str, wanted: &str| {
        let err = netconform_config::read_gcloud_text(text, name)
            .err()
            .unwrap_or_else(|| panic!("{name}: {text} was read"))
            .to_string();
        assert!(err.contains(wanted), "{name}: {err:?} lacks {wanted:?}");
        assert!(err.contains(name), "{err:?} does not name {name}");
    };
    refused(
        r#"[{"kind": "compute#firewall", "name": "allow-ssh"}]"#,
        "firewalls.json",
        "kind \"compute#firewall\" is not one netconform reads; expected one of: compute#forwardingRule",
    );
    refused(
        r#"[{"kind": "compute#subnetwork", "name": "a"}, {"kind": "compute#network", "name": "n"}]"#,
        "mixed.json",
        "[1]: kind \"compute#network\" in a list of compute#subnetwork; export one command's output per file",
    );
    refused(
        "[]",
        "export.json",
        "an empty list, and its file's name does not say which command printed it",
    );
    refused(
        r#"[{"name": "x"}]"#,
        "nokind.json",
        "[0]: a resource with no `kind`",
    );
    refused(
        "42",
        "number.json",
        "not gcloud output (a JSON array of resources",
    );
    refused("[1, 2", "truncated.json", "the file is truncated");
}

/// An empty list says none exists, told by its file's name; one with content by its kinds.
#[test]
fn an_empty_list_is_told_by_its_files_name() {
    use netconform_model::inputs::Input;
    for (name, input) in [
        ("region-autoscalers.json", Input::GcpAutoscalers),
        ("networks-subnets.json", Input::GcpSubnets),
        ("target-http-proxies.json", Input::GcpTargetHttpProxies),
        (
            "instance-groups-managed.json",
            Input::GcpInstanceGroupManagers,
        ),
        (
            "compute-instance-groups-managed.json",
            Input::GcpInstanceGroupManagers,
        ),
        ("compute-networks-subnets.json", Input::GcpSubnets),
        ("compute-networks.json", Input::GcpNetworks),
        ("target-https-proxies.json", Input::GcpTargetHttpsProxies),
    ] {
        let d = netconform_config::read_gcloud_text("[]", name).unwrap();
        assert!(d.has(input), "{name}: {input:?} not read");
        // An empty list of groups says there is no autoscaler either.
        let also = usize::from(input == Input::GcpInstanceGroupManagers);
        assert_eq!(
            d.inputs.iter().filter(|i| i.is_gcp()).count(),
            1 + also,
            "{name}"
        );
    }
    let d = netconform_config::read_gcloud_text(
        &std::fs::read_to_string(data().join("gcp-mig/gcp/routers.json")).unwrap(),
        "whatever.json",
    )
    .unwrap();
    assert!(d.has(Input::GcpRouters) && d.has(Input::NatGateways));
    assert_eq!(d.cloud_nats.len(), 1);
}

/// The managed instance group deployment as a Pulumi program exports it (`gcp:` resources of
/// the Google Cloud provider): the same verdicts as its gcloud output, but for what a stack does
/// not hold: the instance template's addresses and the draining are there, the stop timeout on
/// the VMs is not.
#[test]
fn the_gcp_stack_export_reads_as_its_gcloud_output() {
    let settings = ConfigSettings {
        pulumi_stack_export: vec!["stack/gcp-mig.json".parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &data()).unwrap_or_else(|e| panic!("failed to {e}"));
    for check in CHECKS {
        let got = run(check, &d);
        assert_eq!(
            got.verdict,
            baseline("gcp-mig", check),
            "stack/gcp-mig.json: {check}: {}",
            got.reason
        );
    }
}

/// A GKE cluster and node pool as a Pulumi program on the Google Cloud provider exports them
/// (`gcp:container/cluster:Cluster`, `gcp:container/nodePool:NodePool`: `nodeLocations`,
/// `privateClusterConfig.enablePrivateNodes`, `networkConfig.enablePrivateNodes`).
#[test]
fn a_gke_cluster_in_a_stack_export_reads_its_zones_and_private_nodes() {
    let resource = |kind: &str, name: &str, outputs: serde_json::Value| {
        serde_json::json!({
            "urn": format!("urn:pulumi:prod::gke::{kind}::{name}"),
            "custom": true,
            "type": kind,
            "id": name,
            "inputs": outputs.clone(),
            "outputs": outputs,
        })
    };
    let export = serde_json::json!({"version": 3, "deployment": {"resources": [
        resource("gcp:container/cluster:Cluster", "pulumi", serde_json::json!({
            "name": "pulumi", "location": "us-central1",
            "nodeLocations": ["us-central1-a", "us-central1-b", "us-central1-c"],
            "network": "projects/pulumi-prod/global/networks/pulumi",
            "subnetwork": "projects/pulumi-prod/regions/us-central1/subnetworks/pulumi-app",
            "privateClusterConfig": {"enablePrivateNodes": true, "masterIpv4CidrBlock": "172.16.0.0/28"},
            "removeDefaultNodePool": true
        })),
        resource("gcp:container/nodePool:NodePool", "api", serde_json::json!({
            "name": "api", "cluster": "pulumi", "location": "us-central1",
            "nodeLocations": ["us-central1-a"],
            "networkConfig": {"enablePrivateNodes": false}
        })),
    ]}});
    let d = netconform_config::read_stack_export_text(&export.to_string(), "stack.json").unwrap();
    assert!(d.has(netconform_model::inputs::Input::GkeClusters));
    let zones: Vec<Option<&Vec<String>>> = d.node_groups.iter().map(|n| n.zones.value()).collect();
    assert_eq!(zones.len(), 2);
    assert_eq!(
        zones[0].map(Vec::len),
        Some(3),
        "the cluster's node locations"
    );
    assert_eq!(
        zones[1].cloned(),
        Some(vec!["us-central1-a".to_owned()]),
        "the pool's"
    );
    let private: Vec<Option<bool>> = d
        .node_groups
        .iter()
        .map(|n| n.private_nodes.value().copied())
        .collect();
    assert_eq!(private, [Some(true), Some(false)]);
    assert_eq!(
        d.node_groups[0].subnets.value().cloned(),
        Some(vec![
            "projects/pulumi-prod/regions/us-central1/subnetworks/pulumi-app".to_owned()
        ])
    );
}

/// GKE Ingress without the load balancer's gcloud output: the health check the controller makes
/// is the BackendConfig's requestPath, else the readiness probe's path.
#[test]
fn gke_ingress_health_check_is_the_backend_configs_or_the_readiness_probes() {
    let kube = |service: &str| {
        let dir = data().join("gcp-gke/kubernetes");
        let mut text = String::new();
        for f in ["deployment.yaml", "hpa.yaml"] {
            text.push_str(&std::fs::read_to_string(dir.join(f)).unwrap());
            text.push_str("\n---\n");
        }
        text.push_str(service);
        netconform_config::read_kubernetes_text(&text, "gke.yaml").unwrap()
    };
    let service = std::fs::read_to_string(data().join("gcp-gke/kubernetes/service.yaml")).unwrap();
    let got = checks::check_health_check_path(&kube(&service));
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason.contains("BackendConfig pulumi/pulumi-api"),
        "{}",
        got.reason
    );

    let healthz = service.replace("requestPath: /api/status", "requestPath: /healthz");
    let got = checks::check_health_check_path(&kube(&healthz));
    assert_eq!(got.verdict, Verdict::Fail, "{}", got.reason);
    assert!(
        error_places(&got)
            .iter()
            .any(|p| p.ends_with("spec.healthCheck.requestPath")),
        "{:?}",
        error_places(&got)
    );

    // No BackendConfig named: the controller infers the path from the readiness probe.
    let inferred = service.replace(
        "    cloud.google.com/backend-config: '{\"default\": \"pulumi-api\"}'\n",
        "",
    );
    let got = checks::check_health_check_path(&kube(&inferred));
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.reason
            .contains("infers /api/status from the readinessProbe"),
        "{}",
        got.reason
    );
}

/// The gateway set's manifests with `from` replaced by `to`, read with its Deployment and HPA.
fn gateway_set_with(from: &str, to: &str) -> Deployment {
    let dir = data().join("gcp-gke/kubernetes");
    let mut text = String::new();
    for f in ["deployment.yaml", "hpa.yaml"] {
        text.push_str(&std::fs::read_to_string(dir.join(f)).unwrap());
        text.push_str("\n---\n");
    }
    let gateway =
        std::fs::read_to_string(data().join("gcp-gke-gateway/kubernetes/gateway.yaml")).unwrap();
    assert!(gateway.contains(from), "gateway.yaml has no {from:?}");
    text.push_str(&gateway.replace(from, to));
    netconform_config::read_kubernetes_text(&text, "gke-gateway.yaml").unwrap()
}

/// Each GatewayClass of the GKE Gateway controller is told by its name: the external ones and
/// the internal one are Application Load Balancers, the internal one said so; a class GKE does
/// not list is not checked.
#[test]
fn gke_gateway_classes_are_told_by_name() {
    let class = "gke-l7-global-external-managed";
    for (name, wanted) in [
        (
            "gke-l7-global-external-managed",
            "a global external Application Load Balancer (EXTERNAL_MANAGED), layer 7",
        ),
        (
            "gke-l7-regional-external-managed",
            "a regional external Application Load Balancer (EXTERNAL_MANAGED), layer 7",
        ),
        (
            "gke-l7-gxlb",
            "a classic Application Load Balancer (EXTERNAL), layer 7",
        ),
        (
            "gke-l7-rilb",
            "a regional internal Application Load Balancer (INTERNAL_MANAGED), layer 7, internal",
        ),
    ] {
        let got = checks::check_application_load_balancer(&gateway_set_with(class, name));
        assert_eq!(got.verdict, Verdict::Pass, "{name}: {}", got.reason);
        assert!(got.reason.contains(wanted), "{name}: {}", got.reason);
    }
    let got = checks::check_application_load_balancer(&gateway_set_with(class, "gke-l4-something"));
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason
            .contains("not a class \"GatewayClass capabilities\" lists"),
        "{}",
        got.reason
    );
}

/// A Service whose Ingress turns network endpoint groups off is reached through the nodes'
/// instance groups: its BackendConfig's draining is said not to apply to pods, not judged.
#[test]
fn a_service_without_negs_is_drained_by_the_nodes_not_judged() {
    let service = std::fs::read_to_string(data().join("gcp-gke/kubernetes/service.yaml"))
        .unwrap()
        .replace(
            "    cloud.google.com/neg: '{\"ingress\": true}'\n    cloud.google.com/backend-config",
            "    cloud.google.com/neg: '{\"ingress\": false}'\n    cloud.google.com/backend-config",
        )
        .replace("    drainingTimeoutSec: 10", "    drainingTimeoutSec: 0");
    let dir = data().join("gcp-gke/kubernetes");
    let mut text = String::new();
    for f in ["deployment.yaml", "hpa.yaml"] {
        text.push_str(&std::fs::read_to_string(dir.join(f)).unwrap());
        text.push_str("\n---\n");
    }
    text.push_str(&service);
    let d = netconform_config::read_kubernetes_text(&text, "gke.yaml").unwrap();
    let got = checks::check_drain_hook(&d);
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        got.evidence.iter().any(|e| matches!(e, Evidence::Note { text }
            if text.contains("turns network endpoint groups off (cloud.google.com/neg: ingress false)"))),
        "{:#?}",
        got.evidence
    );
}

/// A managed instance group whose template enables no graceful shutdown: how long its
/// container gets to stop is not checked, and the verdict says why.
#[test]
fn a_template_without_graceful_shutdown_leaves_the_stop_timeout_not_checked() {
    let dir = std::env::temp_dir().join(format!("netconform-gcp-mig-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("gcp")).unwrap();
    for f in files(&data().join("gcp-mig/gcp")) {
        let text = std::fs::read_to_string(data().join("gcp-mig/gcp").join(&f)).unwrap();
        let text = if f == "instance-templates.json" {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            for t in v.as_array_mut().unwrap() {
                t["properties"]["scheduling"]
                    .as_object_mut()
                    .unwrap()
                    .remove("gracefulShutdown");
            }
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            text
        };
        std::fs::write(dir.join("gcp").join(&f), text).unwrap();
    }
    let settings = ConfigSettings {
        gcp: vec!["gcp/*.json".parse().unwrap()],
        ..ConfigSettings::default()
    };
    let d = load(&settings, &dir).unwrap_or_else(|e| panic!("failed to {e}"));
    std::fs::remove_dir_all(&dir).unwrap();
    let got = checks::check_stop_timeout(&d);
    assert_eq!(got.verdict, Verdict::NotChecked, "{}", got.reason);
    assert!(
        got.reason
            .contains("enables no graceful shutdown (scheduling.gracefulShutdown)"),
        "{}",
        got.reason
    );
}

/// A HealthCheckPolicy of another protocol than HTTP(S) asks no path: it fails the health
/// check rule; an HTTPS one is judged on its httpsHealthCheck's requestPath.
#[test]
fn a_health_check_policy_is_judged_by_its_protocol() {
    let http = "      type: HTTP\n      httpHealthCheck:\n        port: 8080\n        requestPath: /api/status\n";
    let tcp = "      type: TCP\n      tcpHealthCheck:\n        port: 8080\n";
    let got = checks::check_health_check_path(&gateway_set_with(http, tcp));
    assert_eq!(got.verdict, Verdict::Fail, "{}", got.reason);
    assert!(
        got.reason
            .contains("type TCP: no request path is asked, so /api/status is not"),
        "{}",
        got.reason
    );
    let https = "      type: HTTPS\n      httpsHealthCheck:\n        port: 8443\n        requestPath: /api/status\n";
    let got = checks::check_health_check_path(&gateway_set_with(http, https));
    assert_eq!(got.verdict, Verdict::Pass, "{}", got.reason);
    assert!(
        error_places(&got).is_empty()
            && got
                .reason
                .contains("spec.default.config.httpsHealthCheck.requestPath = /api/status"),
        "{}",
        got.reason
    );
}

/// The GKE Gateway controller's policies as a Pulumi program on the Kubernetes provider exports
/// them (`kubernetes:networking.gke.io/v1:HealthCheckPolicy`, `...:GCPBackendPolicy`).
#[test]
fn gke_policies_in_a_stack_export_are_read() {
    let resource = |kind: &str, name: &str, spec: serde_json::Value| {
        let object = serde_json::json!({
            "apiVersion": "networking.gke.io/v1", "kind": kind,
            "metadata": {"name": name, "namespace": "pulumi"}, "spec": spec,
        });
        serde_json::json!({
            "urn": format!("urn:pulumi:prod::gke::kubernetes:networking.gke.io/v1:{kind}::{name}"),
            "custom": true,
            "type": format!("kubernetes:networking.gke.io/v1:{kind}"),
            "id": format!("pulumi/{name}"),
            "inputs": object.clone(),
            "outputs": object,
        })
    };
    let target = serde_json::json!({"group": "", "kind": "Service", "name": "pulumi-api"});
    let export = serde_json::json!({"version": 3, "deployment": {"resources": [
        resource("HealthCheckPolicy", "api-health", serde_json::json!({
            "default": {"config": {"type": "HTTP", "httpHealthCheck": {"requestPath": "/api/status"}}},
            "targetRef": target.clone(),
        })),
        resource("GCPBackendPolicy", "api-drain", serde_json::json!({
            "default": {"connectionDraining": {"drainingTimeoutSec": 10}},
            "targetRef": target,
        })),
    ]}});
    let d = netconform_config::read_stack_export_text(&export.to_string(), "stack.json").unwrap();
    let kinds: Vec<(&str, bool)> = d
        .gke_policies
        .iter()
        .map(|p| (p.kind.as_str(), p.targets_service("pulumi", "pulumi-api")))
        .collect();
    assert_eq!(
        kinds,
        [("HealthCheckPolicy", true), ("GCPBackendPolicy", true)]
    );
    assert_eq!(
        d.gke_policies[0].health_path.value().map(String::as_str),
        Some("/api/status")
    );
    assert_eq!(d.gke_policies[1].draining.value().copied(), Some(10));
}
