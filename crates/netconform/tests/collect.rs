//! `netconform collect` and `[config] collect = ["aws"]` end to end, against a real AWS API
//! emulator (moto's server on loopback) through the real AWS CLI: a conformant ECS deployment
//! built by netconform-testkit's fixture, an account's worth of other things beside it, and a
//! broken twin. One command collects and checks; the verdicts equal those of a separate
//! collect then verify; the report directory holds exactly what was judged.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use netconform_testkit::kubectl::FakeCluster;
use netconform_testkit::moto::Moto;
use serde_json::Value;

fn fixture(moto: &Moto, what: &str) -> Value {
    serde_json::from_str(&moto.build(what)).unwrap()
}

/// An environment file for the fixture's deployment, with `config` as its `[config]`.
fn environment(dir: &Path, name: &str, config: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("domain = \"pulumi.example.com\"\n\n[config]\n{config}"),
    )
    .unwrap();
    path
}

fn config_lines(aws: &Path) -> String {
    format!(
        "region = \"us-east-1\"\naws_cli = {:?}\n",
        aws.display().to_string()
    )
}

/// Every configuration scenario's verdict and last reason, from a report, with `dir` (where
/// the files were) written `<files>`.
fn verdicts(report: &Value, dir: &Path) -> BTreeMap<String, (String, String)> {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            // The last step's reason, or its checker's (a step that was not checked has
            // none of its own).
            let reason = s["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|st| {
                    st["reason"]
                        .as_str()
                        .or_else(|| st["outcomes"].as_array()?.last()?["reason"].as_str())
                })
                .next_back()
                .unwrap_or("")
                .replace(&dir.display().to_string(), "<files>");
            (
                s["name"].as_str().unwrap().to_owned(),
                (s["verdict"].as_str().unwrap().to_owned(), reason),
            )
        })
        .collect()
}

/// [`verify_config`]'s exit code, report and stderr.
fn verify(env: &Path, reports: &Path) -> (i32, Value, String) {
    let run = verify_config(env, reports);
    let report = run
        .report
        .unwrap_or_else(|| panic!("no report: {}", run.stderr));
    (run.code, report, run.stderr)
}

#[test]
fn one_command_collects_and_checks_as_collect_then_verify_does() {
    let moto = Moto::start();
    fixture(&moto, "deployment");
    fixture(&moto, "unrelated");
    let dir = TempDir::new("collect-e2e");
    let aws = moto.cli_wrapper(dir.path());

    // One command: [config] collect.
    let env = environment(
        dir.path(),
        "collect.toml",
        &format!("collect = [\"aws\"]\n{}", config_lines(&aws)),
    );
    let reports = dir.path().join("reports");
    let (code, report, stderr) = verify(&env, &reports);
    let one = verdicts(&report, &reports.join("collected"));
    assert!(
        reports.join("collected/collected.json").is_file(),
        "{stderr}"
    );
    assert!(
        reports.join("collected/aws/load-balancers.json").is_file(),
        "{stderr}"
    );
    assert!(
        stderr.contains("collecting the configuration of pulumi.example.com"),
        "{stderr}"
    );

    // Two commands: collect, then verify the files.
    let out_dir = dir.path().join("exported");
    let collect_env = environment(dir.path(), "plain.toml", &config_lines(&aws));
    let out = Command::new(BIN)
        .args(["collect", "--env"])
        .arg(&collect_env)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.starts_with("[config]\naws = ["), "{printed}");
    let env2 = environment(
        dir.path(),
        "exported.toml",
        &format!(
            "aws = [{:?}]\n",
            out_dir.join("aws/*.json").display().to_string()
        ),
    );
    let (code2, report2, _) = verify(&env2, &dir.path().join("reports2"));
    assert_eq!(
        one,
        verdicts(&report2, &out_dir),
        "collected in the run vs collected then verified"
    );
    assert_eq!(code, code2);

    // What the collected deployment shows: the guide's settings the fixture made, judged.
    for scenario in [
        "An Application Load Balancer fronts the API",
        "Deletion protection is on",
        "The load balancer health-checks the API on /api/status",
        "The API runs in private subnets without public addresses",
        "The database is not publicly accessible and sits in database subnets",
        "Every availability zone has its own NAT gateway",
        "Object storage is reached through a VPC endpoint",
        "The API scales on CPU at a 50-60 % target",
        "The API's containers get at least 120 seconds to stop",
    ] {
        let (verdict, reason) = &one[scenario];
        assert_eq!(verdict, "pass", "{scenario}: {reason}\n{stderr}");
    }
    // moto 5.2 does not implement VPC Block Public Access (it answers 500): collection records
    // the failure, and the public-subnet rule says it cannot tell whether the internet reaches
    // the load balancer, naming the action, rather than taking it as "no block".
    let (verdict, reason) = &one["Internet-facing load balancers sit in public subnets"];
    assert_eq!(verdict, "not-checked", "{reason}");
    assert!(
        reason.contains("collection's call for ec2:DescribeVpcBlockPublicAccessOptions failed"),
        "{reason}"
    );
    // moto's describe-services omits healthCheckGracePeriodSeconds (a known gap of the
    // emulator: the fixture sets 120), so this one fails here; the hand-written fixtures of
    // netconform-config cover it passing.
    let (verdict, reason) =
        &one["The API gets 120 seconds to start before failing health checks count"];
    assert_eq!(verdict, "fail");
    assert!(
        reason.contains("healthCheckGracePeriodSeconds = not set"),
        "{reason}"
    );
}

#[test]
fn a_broken_twin_fails_for_its_reason() {
    let moto = Moto::start();
    let made = fixture(&moto, "deployment");
    let dir = TempDir::new("collect-twin");
    let aws = moto.cli_wrapper(dir.path());
    // Deletion protection turned off on the deployment's load balancer.
    let lb = made["load_balancer"]["arn"].as_str().unwrap();
    let off = Command::new(&aws)
        .args([
            "elbv2",
            "modify-load-balancer-attributes",
            "--region",
            "us-east-1",
            "--load-balancer-arn",
            lb,
            "--attributes",
            "Key=deletion_protection.enabled,Value=false",
        ])
        .output()
        .unwrap();
    assert!(
        off.status.success(),
        "{}",
        String::from_utf8_lossy(&off.stderr)
    );
    let env = environment(
        dir.path(),
        "collect.toml",
        &format!("collect = [\"aws\"]\n{}", config_lines(&aws)),
    );
    let (code, report, stderr) = verify(&env, &dir.path().join("reports"));
    assert_eq!(code, 1, "{stderr}");
    let files = dir.path().join("reports/collected");
    let (verdict, reason) = &verdicts(&report, &files)["Deletion protection is on"];
    assert_eq!(verdict, "fail", "{reason}");
    assert!(
        reason.contains("<files>/aws/load-balancer-attributes-1.json: Attributes[")
            && reason.contains("= false, expected true (load balancer pulumi-alb)"),
        "{reason}"
    );
}

#[test]
fn a_missing_aws_cli_is_one_clear_line() {
    let dir = TempDir::new("collect-missing");
    let env = environment(
        dir.path(),
        "collect.toml",
        "collect = [\"aws\"]\naws_cli = \"/nonexistent/aws\"\n",
    );
    let out = Command::new(BIN)
        .args(["collect", "--env"])
        .arg(&env)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("netconform: failed to collect: /nonexistent/aws is not on PATH"),
        "{stderr}"
    );
}

/// The shipped least-privilege policy.
const POLICY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../ci/aws/netconform-read-policy.json"
);

/// Collects with moto enforcing IAM: credentials bound to the shipped policy less `without`.
/// Route 53 and EKS answer every signed call of the AWS CLI with SignatureDoesNotMatch under
/// moto's IAM enforcement (a gap of the emulator, not of IAM: the same calls pass
/// unauthenticated, and the node groups are tested there), so the environment names the load
/// balancer (`dns.load_balancer`) and the records stay out.
fn collect_as_reader(name: &str, without: &[&str]) -> (Value, Value, String) {
    let moto = Moto::start();
    let made = fixture(&moto, "deployment");
    let dir = TempDir::new(name);
    let key = moto.enforce_iam(Path::new(POLICY), without);
    let aws = moto.cli_wrapper_as(dir.path(), (&key.0, &key.1));
    let lb = made["load_balancer"]["dns_name"].as_str().unwrap();
    let env = dir.path().join("collect.toml");
    std::fs::write(
        &env,
        format!(
            "domain = \"pulumi.example.com\"\n\n[dns]\nload_balancer = {lb:?}\n\n[config]\ncollect = [\"aws\"]\n{}",
            config_lines(&aws)
        ),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let (_, report, stderr) = verify(&env, &reports);
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("collected/collected.json")).unwrap(),
    )
    .unwrap();
    let text = std::fs::read_to_string(reports.join("collected/collected.json")).unwrap();
    assert!(
        !text.contains(&key.1) && !text.contains(&key.0),
        "the manifest holds a credential"
    );
    let report = {
        let mut map = serde_json::Map::new();
        for (scenario, (verdict, reason)) in verdicts(&report, &reports.join("collected")) {
            map.insert(scenario, serde_json::json!([verdict, reason]));
        }
        Value::Object(map)
    };
    (manifest, report, stderr)
}

fn results(manifest: &Value) -> Vec<(String, String)> {
    manifest["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap().to_owned(),
                c["result"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_shipped_read_policy_is_enough_and_a_denied_action_is_named_in_the_verdict() {
    // Bound to exactly the shipped policy: nothing is denied.
    let (manifest, full, stderr) = collect_as_reader("collect-iam-full", &[]);
    for (action, result) in results(&manifest) {
        if action.starts_with("ec2:DescribeVpcBlockPublicAccess") {
            // moto 5.2 does not implement it (500), with or without IAM enforcement.
            assert!(result.starts_with("failed"), "{action}: {result}");
        } else if action.starts_with("route53:") || action.starts_with("eks:") {
            // moto's gap under IAM enforcement (see collect_as_reader: its REST services,
            // Route 53 and EKS, answer SignatureDoesNotMatch to every signed call); asserted
            // so that a moto that fixes it makes this test say so.
            assert!(result.starts_with("failed"), "{action}: {result}");
        } else {
            assert!(result.starts_with("ok"), "{action}: {result}\n{stderr}");
        }
    }
    let (verdict, reason) = (
        &full["The API drains connections before it stops"][0],
        &full["The API drains connections before it stops"][1],
    );
    assert_eq!(verdict, "pass", "{reason}");

    // The same less one action: that input, and only what needs it, is not checked, naming
    // the action (the gap says which permission to add); the rest is judged as before.
    let denied = "elasticloadbalancing:DescribeTargetGroupAttributes";
    let (manifest, less, stderr) = collect_as_reader("collect-iam-less", &[denied]);
    let refused: Vec<(String, String)> = results(&manifest)
        .into_iter()
        .filter(|(_, r)| r.starts_with("denied"))
        .collect();
    assert!(
        !refused.is_empty() && refused.iter().all(|(a, _)| a == denied),
        "{refused:?}"
    );
    assert!(stderr.contains(&format!("denied: {denied}")), "{stderr}");
    for scenario in [
        "The API drains connections before it stops",
        "The stop sequence leaves the API its stop timeout",
    ] {
        let (verdict, reason) = (&less[scenario][0], less[scenario][1].as_str().unwrap());
        assert_eq!(verdict, "not-checked", "{scenario}: {reason}");
        assert!(
            reason.contains(&format!("AccessDenied for {denied}")),
            "{scenario}: {reason}"
        );
    }
    for (scenario, outcome) in full.as_object().unwrap() {
        if scenario == "The API drains connections before it stops"
            || scenario == "The stop sequence leaves the API its stop timeout"
        {
            continue;
        }
        // Verdicts only: the two emulators gave the resources different ids.
        assert_eq!(
            less[scenario][0], outcome[0],
            "{scenario}: {}",
            less[scenario][1]
        );
    }
}

/// The conformant EKS corpus: its manifests, and the AWS output beside them.
const EKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../config/tests/data/eks");

fn eks_environment(dir: &Path, name: &str, config: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("domain = \"sandbox.test\"\n\n[config]\naws = [\"{EKS}/aws/*.json\"]\n{config}"),
    )
    .unwrap();
    path
}

fn verdicts_only(v: &BTreeMap<String, (String, String)>) -> BTreeMap<String, String> {
    v.iter()
        .map(|(k, (verdict, _))| (k.clone(), verdict.clone()))
        .collect()
}

#[test]
fn kubernetes_collected_through_kubectl_judges_as_the_exported_manifests_do() {
    let dir = TempDir::new("collect-kubernetes");
    let cluster = FakeCluster::new(&dir.path().join("cluster"));
    let kubectl = cluster.kubectl();
    let hand = eks_environment(
        dir.path(),
        "exported.toml",
        &format!("kubernetes = [\"{EKS}/kubernetes/*.yaml\"]\n"),
    );
    let collecting = eks_environment(
        dir.path(),
        "collect.toml",
        &format!(
            "collect = [\"kubernetes\"]\ncontext = \"prod\"\nkubectl = {:?}\n",
            kubectl.display().to_string()
        ),
    );
    let (code, exported, _) = verify(&hand, &dir.path().join("exported"));
    let reports = dir.path().join("collected");
    let (code2, collected, stderr) = verify(&collecting, &reports);
    let (exported, collected) = (
        verdicts(&exported, Path::new(EKS)),
        verdicts(&collected, &reports.join("collected")),
    );
    assert_eq!(
        verdicts_only(&exported),
        verdicts_only(&collected),
        "{stderr}"
    );
    assert_eq!(code, code2);
    assert!(stderr.contains("the API's namespace: pulumi"), "{stderr}");
    assert!(
        cluster
            .calls()
            .lines()
            .all(|c| c.starts_with("--context prod get ")),
        "{}",
        cluster.calls()
    );
    // The verdicts cite the collected objects.
    let (verdict, reason) = &collected["The API's containers get at least 120 seconds to stop"];
    assert_eq!(verdict, "pass", "{reason}");
    assert!(
        reason.contains("<files>/kubernetes/objects.json"),
        "{reason}"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("collected/collected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["namespace"], "pulumi");
    assert_eq!(manifest["context"], "prod");
    assert_eq!(
        manifest["files"],
        serde_json::json!(["kubernetes/objects.json"])
    );

    // Forbidden to list HPAs: what reads the objects is not checked, naming the permission,
    // and nothing fails for an HPA it could not see.
    cluster.forbid("horizontalpodautoscalers.autoscaling");
    let reports = dir.path().join("forbidden");
    let (_, report, stderr) = verify(&collecting, &reports);
    let forbidden = verdicts(&report, &reports.join("collected"));
    let mut named = 0;
    for (scenario, (verdict, reason)) in &forbidden {
        assert_ne!(verdict, "fail", "{scenario}: {reason}");
        if reason
            .contains("Forbidden: list horizontalpodautoscalers.autoscaling in namespace pulumi")
        {
            assert_eq!(verdict, "not-checked", "{scenario}: {reason}");
            named += 1;
        }
    }
    // Every scenario that reads the API's workload or its Ingress.
    assert_eq!(named, 12, "{forbidden:#?}\n{stderr}");
    assert!(
        stderr.contains("denied: list horizontalpodautoscalers.autoscaling in namespace pulumi")
            && stderr.contains("ci/kubernetes/rbac.yaml"),
        "{stderr}"
    );
}

#[test]
fn a_hand_export_and_a_collection_give_the_same_verdicts() {
    // The fifteen-odd exports a user would make by hand (the account holds only the
    // deployment, so nothing needs filtering), the ARN added to each target group's
    // attributes as docs/environment.md says; then the same deployment collected.
    let moto = Moto::start();
    let made = fixture(&moto, "deployment");
    let dir = TempDir::new("collect-by-hand");
    let aws = moto.cli_wrapper(dir.path());
    let hand = dir.path().join("hand");
    std::fs::create_dir_all(&hand).unwrap();
    let export = |file: &str, args: &[&str]| -> Value {
        let out = Command::new(&aws)
            .args(["--region", "us-east-1", "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        std::fs::write(hand.join(file), serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        doc
    };
    let lb = made["load_balancer"]["arn"].as_str().unwrap();
    export("load-balancers.json", &["elbv2", "describe-load-balancers"]);
    export(
        "load-balancer-attributes.json",
        &[
            "elbv2",
            "describe-load-balancer-attributes",
            "--load-balancer-arn",
            lb,
        ],
    );
    export("target-groups.json", &["elbv2", "describe-target-groups"]);
    for (name, arn) in made["target_groups"].as_object().unwrap() {
        let file = format!("target-group-attributes-{name}.json");
        let arn = arn.as_str().unwrap();
        let mut doc = export(
            &file,
            &[
                "elbv2",
                "describe-target-group-attributes",
                "--target-group-arn",
                arn,
            ],
        );
        doc["TargetGroupArn"] = Value::from(arn);
        std::fs::write(hand.join(&file), doc.to_string()).unwrap();
    }
    let cluster = made["cluster"].as_str().unwrap();
    export(
        "services.json",
        &[
            "ecs",
            "describe-services",
            "--cluster",
            cluster,
            "--services",
            "pulumi-api",
            "pulumi-console",
        ],
    );
    for (name, arn) in made["task_definitions"].as_object().unwrap() {
        export(
            &format!("task-definition-{name}.json"),
            &[
                "ecs",
                "describe-task-definition",
                "--task-definition",
                arn.as_str().unwrap(),
            ],
        );
    }
    export(
        "scalable-targets.json",
        &[
            "application-autoscaling",
            "describe-scalable-targets",
            "--service-namespace",
            "ecs",
        ],
    );
    export(
        "scaling-policies.json",
        &[
            "application-autoscaling",
            "describe-scaling-policies",
            "--service-namespace",
            "ecs",
        ],
    );
    for (file, command) in [
        ("subnets.json", "describe-subnets"),
        ("route-tables.json", "describe-route-tables"),
        ("nat-gateways.json", "describe-nat-gateways"),
        ("vpc-endpoints.json", "describe-vpc-endpoints"),
    ] {
        export(file, &["ec2", command]);
    }
    export("db-instances.json", &["rds", "describe-db-instances"]);
    export(
        "records.json",
        &[
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            made["hosted_zone_id"].as_str().unwrap(),
        ],
    );

    let by_hand = environment(
        dir.path(),
        "hand.toml",
        &format!("aws = [{:?}]\n", hand.join("*.json").display().to_string()),
    );
    let collecting = environment(
        dir.path(),
        "collect.toml",
        &format!("collect = [\"aws\"]\n{}", config_lines(&aws)),
    );
    let (code, exported, stderr) = verify(&by_hand, &dir.path().join("reports-hand"));
    let (code2, collected, stderr2) = verify(&collecting, &dir.path().join("reports-collected"));
    let by_hand = verdicts_only(&verdicts(&exported, &hand));
    let mut collected = verdicts_only(&verdicts(&collected, dir.path()));
    // Collection also asks for VPC Block Public Access, which moto 5.2 does not implement (no
    // hand export of it can be made here): collected, the public-subnet rule says it could
    // not tell, naming the action; by hand, without the export, it judges the route tables.
    let public = "Internet-facing load balancers sit in public subnets";
    assert_eq!(
        collected.insert(public.to_owned(), by_hand[public].clone()),
        Some("not-checked".to_owned()),
        "{stderr2}"
    );
    assert_eq!(
        by_hand, collected,
        "by hand:\n{stderr}\ncollected:\n{stderr2}"
    );
    assert_eq!(code, code2);
    // What was compared was judged, not left unchecked.
    let passed = by_hand.values().filter(|v| *v == "pass").count();
    assert!(passed >= 14, "{by_hand:#?}");
}

#[test]
fn the_gateway_api_deployment_collected_through_kubectl_passes_the_load_balancer_scenarios() {
    // The recorded cluster's pulumi-gw namespace serves gateway.test through a Gateway shared
    // with another team (gateway-system/platform) whose class's LoadBalancerConfiguration is
    // in kube-system: found from its HTTPRoute, read with what its routes lead to.
    let dir = TempDir::new("collect-gateway");
    let cluster = FakeCluster::new(&dir.path().join("cluster"));
    let env = dir.path().join("gateway.toml");
    std::fs::write(
        &env,
        format!(
            "domain = \"gateway.test\"\n\n[config]\ncollect = [\"kubernetes\"]\nkubectl = {:?}\n",
            cluster.kubectl().display().to_string()
        ),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let (_, report, stderr) = verify(&env, &reports);
    assert!(
        stderr.contains("the API's namespace: pulumi-gw"),
        "{stderr}"
    );
    let got = verdicts(&report, &reports.join("collected"));
    for scenario in [
        "An Application Load Balancer fronts the API",
        "Deletion protection is on",
        "The load balancer health-checks the API on /api/status",
        "The stop sequence leaves the API its stop timeout",
    ] {
        let (verdict, reason) = &got[scenario];
        assert_eq!(verdict, "pass", "{scenario}: {reason}");
    }
}
