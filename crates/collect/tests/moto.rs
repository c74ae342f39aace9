//! Collection against a real AWS API emulator: moto's server on loopback, driven through the
//! real AWS CLI. The fixture (`netconform_testkit::moto::FIXTURE`) builds a conformant ECS
//! deployment (VPC in two zones, NAT per zone, an S3 endpoint, an ALB with its target groups,
//! Fargate services, their scaling, a database, the Route 53 records), then adds an account's
//! worth of other things beside it (another VPC, an NLB, another cluster, a public database,
//! another zone). Collection must write the deployment's resources and
//! nothing else: the same files, byte for byte, with or without the others.

use std::path::{Path, PathBuf};

use netconform_collect::{AwsCli, Manifest, collect_aws};
use netconform_model::Environment;
use netconform_testkit::moto::Moto;
use serde_json::Value;

/// A directory under the target dir, emptied first.
fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("collect-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds `what` in `moto`; what it made.
fn fixture(moto: &Moto, what: &str) -> Value {
    serde_json::from_str(&moto.build(what)).unwrap()
}

/// The AWS CLI through a wrapper pointed at `moto`, as a user's own wrapper would be.
fn cli(moto: &Moto, dir: &Path) -> AwsCli {
    let mut cli = AwsCli::new(Some("us-east-1".into()), None);
    cli.program = moto.cli_wrapper(dir).display().to_string();
    cli
}

fn environment() -> Environment {
    Environment::new("pulumi.example.com".parse().unwrap())
}

async fn collect(cli: &AwsCli, out: &Path) -> Manifest {
    collect_aws(
        &environment(),
        cli,
        out,
        "2026-12-01T00:00:00Z".into(),
        &|_| {},
    )
    .await
    .unwrap()
}

/// A document without its clocks (`LatestRestorableTime` moves between two reads).
fn timeless(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(timeless).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.ends_with("Time"))
                .map(|(k, v)| (k.clone(), timeless(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn read(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

fn names(doc: &Value, list: &str, key: &str) -> Vec<String> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

/// The VPC Block Public Access calls, which moto 5.2 does not implement.
const BLOCK_PUBLIC_ACCESS: [&str; 2] = [
    "ec2:DescribeVpcBlockPublicAccessOptions",
    "ec2:DescribeVpcBlockPublicAccessExclusions",
];

#[tokio::test]
async fn the_deployment_and_nothing_else_is_collected() {
    let moto = Moto::start();
    let made = fixture(&moto, "deployment");
    let work = dir("scoped");
    let cli = cli(&moto, &work);
    // The account holding only the deployment, then the same with other things beside it.
    let alone = collect(&cli, &work.join("alone")).await;
    fixture(&moto, "unrelated");
    let out = work.join("crowded");
    let manifest = collect(&cli, &out).await;
    assert_eq!(alone.files, manifest.files);
    for file in &alone.files {
        let (x, y) = (read(&work.join("alone"), file), read(&out, file));
        assert_eq!(
            timeless(&x),
            timeless(&y),
            "{file}: the other resources leaked in"
        );
    }

    let lbs = read(&out, "load-balancers.json");
    assert_eq!(
        names(&lbs, "LoadBalancers", "LoadBalancerName"),
        ["pulumi-alb"]
    );
    let tgs = read(&out, "target-groups.json");
    let mut tg_names = names(&tgs, "TargetGroups", "TargetGroupName");
    tg_names.sort();
    assert_eq!(tg_names, ["pulumi-api", "pulumi-console"]);
    let services = read(&out, "services.json");
    let mut service_names = names(&services, "services", "serviceName");
    service_names.sort();
    assert_eq!(
        service_names,
        ["pulumi-api", "pulumi-console"],
        "not other-web"
    );
    let subnets = read(&out, "subnets.json");
    assert_eq!(
        subnets["Subnets"].as_array().unwrap().len(),
        6,
        "the deployment's VPC only"
    );
    let vpc = made["vpc_id"].as_str().unwrap();
    assert!(
        subnets["Subnets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["VpcId"] == vpc)
    );
    let dbs = read(&out, "db-instances.json");
    assert_eq!(
        names(&dbs, "DBInstances", "DBInstanceIdentifier"),
        ["pulumi-db"],
        "not other-db"
    );
    let records = read(&out, "records.json");
    let mut record_names = names(&records, "ResourceRecordSets", "Name");
    record_names.sort();
    assert_eq!(
        record_names,
        ["api.pulumi.example.com.", "app.pulumi.example.com."]
    );
    // No EKS cluster in the deployment's VPC: no node group (other-eks is in the other VPC).
    assert!(
        !alone
            .files
            .iter()
            .chain(&manifest.files)
            .any(|f| f.starts_with("nodegroup-")),
        "{:?}",
        manifest.files
    );
    // Target group attributes carry the ARN they belong to.
    let api = read(&out, "target-group-attributes-pulumi-api.json");
    assert_eq!(api["TargetGroupArn"], made["target_groups"]["pulumi-api"]);

    assert_eq!(manifest.account.as_deref(), Some("123456789012"));
    assert!(manifest.denied().is_empty(), "{:#?}", manifest.calls);
    manifest.write(&work).unwrap();
    let written = read(&work, "collected.json");
    assert_eq!(
        written["files"].as_array().unwrap().len(),
        manifest.files.len()
    );
    for call in &manifest.calls {
        if BLOCK_PUBLIC_ACCESS.contains(&call.action.as_str()) {
            // moto 5.2 does not implement VPC Block Public Access (it answers 500): asserted,
            // so that a moto that does makes this test say so.
            assert!(call.result.starts_with("failed"), "{call:?}");
        } else {
            assert!(call.result.starts_with("ok"), "{call:?}");
        }
        assert!(
            !call.command.contains("testing"),
            "no credential in the manifest: {call:?}"
        );
    }
    // The calls were made, and their failure is a gap named with its action in denied.json,
    // not a file that would read as "no block".
    for action in BLOCK_PUBLIC_ACCESS {
        assert!(
            manifest.calls.iter().any(|c| c.action == action),
            "{action} not called"
        );
    }
    assert!(
        !manifest
            .files
            .iter()
            .any(|f| f.starts_with("vpc-block-public-access")),
        "{:?}",
        manifest.files
    );
    let denied = read(&out, "denied.json");
    let failed: Vec<&str> = denied["NetconformFailed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Action"].as_str().unwrap())
        .collect();
    assert_eq!(failed, BLOCK_PUBLIC_ACCESS, "{denied:#}");
    assert_eq!(
        denied["NetconformFailed"][0]["Feeds"],
        "aws ec2 describe-vpc-block-public-access-options"
    );
    // Every action collection used is in the shipped read policy.
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ci/aws/netconform-read-policy.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let allowed: Vec<&str> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    for call in &manifest.calls {
        assert!(
            allowed.contains(&call.action.as_str()),
            "{} is not in the read policy",
            call.action
        );
    }
}

#[tokio::test]
async fn the_eks_node_groups_in_the_deployments_vpc_are_collected() {
    let moto = Moto::start();
    fixture(&moto, "deployment");
    fixture(&moto, "unrelated");
    let made = fixture(&moto, "eks-nodes");
    let work = dir("eks");
    let manifest = collect(&cli(&moto, &work), &work.join("out")).await;
    let groups: Vec<&String> = manifest
        .files
        .iter()
        .filter(|f| f.starts_with("nodegroup-"))
        .collect();
    assert_eq!(
        groups,
        ["nodegroup-pulumi-eks-api-nodes.json"],
        "not other-eks's"
    );
    let group = read(&work.join("out"), groups[0]);
    assert_eq!(group["nodegroup"]["subnets"], made["subnets"]);
    // The cluster itself (whether EKS Auto Mode runs its nodes), not other-eks.
    let clusters: Vec<&String> = manifest
        .files
        .iter()
        .filter(|f| f.starts_with("cluster-"))
        .collect();
    assert_eq!(clusters, ["cluster-pulumi-eks.json"]);
    let cluster = read(&work.join("out"), clusters[0]);
    assert_eq!(cluster["cluster"]["name"], made["cluster"]);
    assert!(manifest.denied().is_empty(), "{:#?}", manifest.calls);
}

#[tokio::test]
async fn a_missing_cli_is_one_clear_error() {
    let mut cli = AwsCli::new(None, None);
    cli.program = "/nonexistent/aws".into();
    let out = dir("missing").join("out");
    let err = collect_aws(&environment(), &cli, &out, String::new(), &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/aws is not on PATH"),
        "{err}"
    );
}
