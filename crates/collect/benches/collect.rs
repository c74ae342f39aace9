//! `cargo xtask bench collect`: how long collecting a typical deployment takes, against
//! moto's server on loopback (the test fixture's ECS deployment, with an account's worth of
//! unrelated resources beside it) through the real AWS CLI, and the API's Kubernetes
//! objects through kubectl against the recorded cluster. The baseline is the same calls made
//! one after another at the CLI's own floor (one bare `aws sts get-caller-identity`, almost
//! all start-up): ratios in one run; absolute times depend on the machine.

use std::path::Path;
use std::time::{Duration, Instant};

use netconform_collect::{AwsCli, Kubectl, collect_aws, collect_kubernetes};
use netconform_model::Environment;
use netconform_testkit::kubectl::FakeCluster;
use netconform_testkit::moto::Moto;

const RUNS: usize = 3;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn main() {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let work =
        std::env::temp_dir().join(format!("netconform-bench-collect-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a work directory");

    let moto = Moto::start();
    moto.build("deployment");
    moto.build("unrelated");
    let mut cli = AwsCli::new(Some("us-east-1".into()), None);
    cli.program = moto.cli_wrapper(&work).display().to_string();
    let env = Environment::new("pulumi.example.com".parse().expect("a domain"));

    // The CLI's floor: one bare call, through the same wrapper.
    let floor = median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let ok = std::process::Command::new(&cli.program)
                    .args(["sts", "get-caller-identity", "--region", "us-east-1"])
                    .output()
                    .expect("the AWS CLI")
                    .status
                    .success();
                assert!(ok, "aws sts get-caller-identity");
                started.elapsed()
            })
            .collect(),
    );

    let mut walls = Vec::new();
    let mut calls = 0;
    let mut summed = 0.0;
    for run in 0..RUNS {
        let out = work.join(format!("aws-{run}"));
        let started = Instant::now();
        let manifest = rt
            .block_on(collect_aws(&env, &cli, &out, String::new(), &|_| {}))
            .expect("collection runs");
        walls.push(started.elapsed());
        assert!(manifest.denied().is_empty(), "nothing denied");
        calls = manifest.calls.len();
        summed = manifest.calls.iter().map(|c| c.elapsed_ms).sum::<f64>() / 1000.0;
    }
    let wall = median(walls);
    let serial_floor = floor.as_secs_f64() * calls as f64;

    // Kubernetes: the recorded cluster through the fake kubectl (a shell script: this
    // measures collection's own overhead and its parallelism, not an API server).
    let cluster = FakeCluster::new(&work.join("cluster"));
    let mut kubectl = Kubectl::new(None);
    kubectl.program = cluster.kubectl().display().to_string();
    let kube_env = Environment::new("sandbox.test".parse().expect("a domain"));
    let mut kube_walls = Vec::new();
    let mut kube_calls = 0;
    let mut kube_summed = 0.0;
    for run in 0..RUNS {
        let out = work.join(format!("kubernetes-{run}"));
        let started = Instant::now();
        let manifest = rt
            .block_on(collect_kubernetes(
                &kube_env,
                &kubectl,
                None,
                &out,
                String::new(),
                &|_| {},
            ))
            .expect("collection runs");
        kube_walls.push(started.elapsed());
        kube_calls = manifest.calls.len();
        kube_summed = manifest.calls.iter().map(|c| c.elapsed_ms).sum::<f64>() / 1000.0;
    }
    let kube_wall = median(kube_walls);

    println!("| collecting (median of {RUNS}) | value |");
    println!("|---|---|");
    println!(
        "| AWS: calls, wall time, call time summed | {calls} calls, {:.2} s, {summed:.2} s |",
        wall.as_secs_f64()
    );
    println!(
        "| AWS CLI floor (one bare `aws sts get-caller-identity`) | {:.2} s |",
        floor.as_secs_f64()
    );
    println!(
        "| ratio wall / ({calls} calls one after another at the floor) | {:.2}x |",
        wall.as_secs_f64() / serial_floor
    );
    println!(
        "| ratio wall / call time summed (what running calls at once saves) | {:.2}x |",
        wall.as_secs_f64() / summed
    );
    println!(
        "| Kubernetes (recorded cluster): calls, wall time, call time summed | {kube_calls} calls, {:.3} s, {kube_summed:.3} s |",
        kube_wall.as_secs_f64()
    );
    println!(
        "| ratio wall / call time summed | {:.2}x |",
        kube_wall.as_secs_f64() / kube_summed
    );
    drop(moto);
    let _ = std::fs::remove_dir_all(Path::new(&work));
}
