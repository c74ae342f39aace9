//! The typed restart drivers: kubernetes and ecs against fake CLIs that play a recorded
//! rollout, docker against the real engine.

use std::path::{Path, PathBuf};
use std::time::Duration;

use netconform_drain::{DockerRestart, EcsRestart, KubernetesRestart, RestartDriver, RestartRun};
use netconform_model::{RestartEvent, RestartEventKind};
use serde_json::{Value, json};
use tokio::sync::mpsc;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, value: &Value) {
        std::fs::write(self.0.join(name), value.to_string()).unwrap();
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn drive(driver: &dyn RestartDriver) -> (RestartRun, Vec<(RestartEventKind, String)>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<RestartEvent>();
    let run = driver.run(tx).await;
    let mut events = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        events.push((ev.kind, ev.instance.unwrap_or_default()));
    }
    (run, events)
}

/// A wrapper script that sets FAKE_DIR for the fake, so tests running at once do not share
/// state through the environment.
fn fake(dir: &Dir, program: &str) -> String {
    let wrapper = dir.0.join(program);
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nFAKE_DIR='{}' exec '{FIXTURES}/fake-{program}' \"$@\"\n",
            dir.0.display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&wrapper)
        .status()
        .unwrap();
    wrapper.display().to_string()
}

fn pod(name: &str, ready: bool, terminating: bool) -> Value {
    let mut pod = json!({
        "metadata": {"name": name},
        "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}
    });
    if terminating {
        pod["metadata"]["deletionTimestamp"] = json!("2026-11-26T10:00:00Z");
    }
    pod
}

fn pods(list: &[Value]) -> Value {
    json!({"items": list})
}

use RestartEventKind::*;

#[tokio::test]
async fn kubernetes_rollout_is_followed_pod_by_pod() {
    let dir = Dir::new("fake-kubectl");
    dir.write(
        "deployment.json",
        &json!({"spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}}}}),
    );
    dir.write(
        "pods-before.json",
        &pods(&[pod("api-a", true, false), pod("api-b", true, false)]),
    );
    let steps = [
        pods(&[
            pod("api-a", true, false),
            pod("api-b", true, false),
            pod("api-c", false, false),
        ]),
        pods(&[
            pod("api-a", true, false),
            pod("api-b", true, false),
            pod("api-c", true, false),
        ]),
        pods(&[
            pod("api-a", true, true),
            pod("api-b", true, false),
            pod("api-c", true, false),
        ]),
        pods(&[
            pod("api-b", true, false),
            pod("api-c", true, false),
            pod("api-d", false, false),
        ]),
        pods(&[
            pod("api-b", true, true),
            pod("api-c", true, false),
            pod("api-d", true, false),
        ]),
        pods(&[pod("api-c", true, false), pod("api-d", true, false)]),
    ];
    for (i, step) in steps.iter().enumerate() {
        dir.write(&format!("pods-{i}.json"), step);
    }
    let driver = KubernetesRestart {
        deployment: "api".into(),
        namespace: "pulumi".into(),
        context: Some("prod".into()),
        kubectl: fake(&dir, "kubectl"),
        poll: Duration::from_millis(10),
    };
    let (run, events) = drive(&driver).await;
    assert!(run.completed, "{run:?}");
    assert_eq!(run.status, "2 old pods replaced by 2 ready pods");
    let expected = [
        (RolloutBegun, ""),
        (InstanceStarted, "api-c"),
        (InstanceHealthy, "api-c"),
        (InstanceStopping, "api-a"),
        (InstanceExited, "api-a"),
        (InstanceStarted, "api-d"),
        (InstanceStopping, "api-b"),
        (InstanceHealthy, "api-d"),
        (InstanceExited, "api-b"),
        (RolloutDone, ""),
    ];
    let got: Vec<(RestartEventKind, &str)> = events.iter().map(|(k, i)| (*k, i.as_str())).collect();
    assert_eq!(got, expected);
    let calls = std::fs::read_to_string(dir.0.join("calls")).unwrap();
    assert!(calls.starts_with("--context prod -n pulumi get deployment api -o json\n--context prod -n pulumi get pods -l app=api -o json\n--context prod -n pulumi rollout restart deployment/api\n"), "{calls}");
    assert!(
        run.output.contains("$ "),
        "the transcript is kept: {}",
        run.output
    );
}

#[tokio::test]
async fn kubernetes_errors_say_what_failed() {
    let dir = Dir::new("fake-kubectl-missing");
    let driver = KubernetesRestart {
        deployment: "api".into(),
        namespace: "pulumi".into(),
        context: None,
        kubectl: fake(&dir, "kubectl"),
        poll: Duration::from_millis(10),
    };
    let (run, events) = drive(&driver).await;
    assert!(!run.completed && !run.could_not_run, "{run:?}");
    assert!(
        run.status.contains("deployments.apps \"api\" not found"),
        "{}",
        run.status
    );
    assert_eq!(events.last().map(|e| e.0), Some(RolloutFailed));
    let missing = KubernetesRestart {
        kubectl: "/nonexistent/kubectl".into(),
        ..driver
    };
    let (run, _) = drive(&missing).await;
    assert!(
        run.could_not_run,
        "a missing kubectl is no verdict on the deployment: {run:?}"
    );
}

fn task(id: &str, last: &str, desired: &str, health: &str) -> Value {
    json!({"taskArn": format!("arn:aws:ecs:eu-west-1:1:task/pulumi/{id}"), "lastStatus": last, "desiredStatus": desired, "healthStatus": health})
}

fn tasks(list: &[Value]) -> (Value, Value) {
    let arns: Vec<Value> = list.iter().map(|t| t["taskArn"].clone()).collect();
    (json!({"taskArns": arns}), json!({"tasks": list}))
}

#[tokio::test]
async fn ecs_deployment_is_followed_task_by_task() {
    let dir = Dir::new("fake-aws");
    let (list, described) = tasks(&[
        task("old1", "RUNNING", "RUNNING", "HEALTHY"),
        task("old2", "RUNNING", "RUNNING", "HEALTHY"),
    ]);
    dir.write("list-before.json", &list);
    dir.write("tasks-before.json", &described);
    let rolling = json!({"services": [{"runningCount": 3, "desiredCount": 2, "deployments": [{"rolloutState": "IN_PROGRESS"}, {"rolloutState": "COMPLETED"}]}]});
    let stable = json!({"services": [{"runningCount": 2, "desiredCount": 2, "deployments": [{"rolloutState": "COMPLETED"}]}]});
    let steps = [
        vec![
            task("old1", "RUNNING", "RUNNING", "HEALTHY"),
            task("old2", "RUNNING", "RUNNING", "HEALTHY"),
            task("new1", "PROVISIONING", "RUNNING", "UNKNOWN"),
        ],
        vec![
            task("old1", "RUNNING", "RUNNING", "HEALTHY"),
            task("old2", "RUNNING", "RUNNING", "HEALTHY"),
            task("new1", "RUNNING", "RUNNING", "HEALTHY"),
        ],
        vec![
            task("old1", "DEACTIVATING", "STOPPED", "HEALTHY"),
            task("old2", "RUNNING", "RUNNING", "HEALTHY"),
            task("new1", "RUNNING", "RUNNING", "HEALTHY"),
            task("new2", "PENDING", "RUNNING", "UNKNOWN"),
        ],
        vec![
            task("old2", "STOPPING", "STOPPED", "HEALTHY"),
            task("new1", "RUNNING", "RUNNING", "HEALTHY"),
            task("new2", "RUNNING", "RUNNING", "HEALTHY"),
        ],
        vec![
            task("new1", "RUNNING", "RUNNING", "HEALTHY"),
            task("new2", "RUNNING", "RUNNING", "HEALTHY"),
        ],
    ];
    for (i, step) in steps.iter().enumerate() {
        let (list, described) = tasks(step);
        dir.write(&format!("list-{i}.json"), &list);
        dir.write(&format!("tasks-{i}.json"), &described);
        dir.write(
            &format!("services-{i}.json"),
            if i == steps.len() - 1 {
                &stable
            } else {
                &rolling
            },
        );
    }
    let driver = EcsRestart {
        cluster: "pulumi".into(),
        service: "api".into(),
        region: Some("eu-west-1".into()),
        aws: fake(&dir, "aws"),
        poll: Duration::from_millis(10),
    };
    let (run, events) = drive(&driver).await;
    assert!(run.completed, "{run:?}");
    let got: Vec<(RestartEventKind, &str)> = events.iter().map(|(k, i)| (*k, i.as_str())).collect();
    assert_eq!(
        got,
        [
            (RolloutBegun, ""),
            (InstanceStarted, "new1"),
            (InstanceHealthy, "new1"),
            (InstanceStopping, "old1"),
            (InstanceStarted, "new2"),
            (InstanceExited, "old1"),
            (InstanceStopping, "old2"),
            (InstanceHealthy, "new2"),
            (InstanceExited, "old2"),
            (RolloutDone, ""),
        ]
    );
    let calls = std::fs::read_to_string(dir.0.join("calls")).unwrap();
    assert!(calls.contains("--region eu-west-1 --output json ecs update-service --cluster pulumi --service api --force-new-deployment"), "{calls}");
    // Every call the driver made is allowed by the shipped restart policy, and nothing more
    // is granted.
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../ci/aws/netconform-restart-policy.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let granted: std::collections::BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let used: std::collections::BTreeSet<String> = calls
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace().skip_while(|w| *w != "ecs").skip(1);
            // The IAM action as collection names them (the same CLI-to-IAM mapping).
            Some(netconform_collect::action_of("ecs", words.next()?))
        })
        .collect();
    assert_eq!(used, granted, "ci/aws/netconform-restart-policy.json");
}

/// A local image with busybox (Debian's busybox-static), made on first use: no registry.
fn busybox_image() -> &'static str {
    const IMAGE: &str = "netconform-test-busybox:1";
    let present = std::process::Command::new("docker")
        .args(["image", "inspect", IMAGE])
        .output()
        .unwrap();
    if !present.status.success() {
        let script = format!(
            "set -e; d=$(mktemp -d); mkdir -p $d/bin; cp /bin/busybox $d/bin/busybox; tar -C $d -c . | docker import - {IMAGE} >/dev/null; rm -rf $d"
        );
        let built = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "could not build {IMAGE} from /bin/busybox (apt-get install busybox-static): {}",
            String::from_utf8_lossy(&built.stderr)
        );
    }
    IMAGE
}

/// Containers removed on drop.
struct Containers(Vec<String>);

impl Drop for Containers {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker")
            .args(["rm", "-f"])
            .args(&self.0)
            .output();
    }
}

#[tokio::test]
async fn docker_containers_restart_one_at_a_time_through_the_real_engine() {
    let image = busybox_image();
    let names: Vec<String> = (1..=2)
        .map(|i| format!("netconform-drivers-test-{}-{i}", std::process::id()))
        .collect();
    let containers = Containers(names.clone());
    for name in &names {
        // A process that exits on SIGTERM, like a service with a handler.
        let out = std::process::Command::new("docker")
            .args([
                "run",
                "-d",
                "--name",
                name,
                image,
                "/bin/busybox",
                "sh",
                "-c",
                "trap 'exit 0' TERM; while true; do /bin/busybox sleep 0.1; done",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let driver = DockerRestart {
        containers: names.clone(),
        stop_timeout: Duration::from_secs(5),
        docker: "docker".into(),
        poll: Duration::from_millis(100),
        healthy_within: Duration::from_secs(10),
    };
    let (run, events) = drive(&driver).await;
    assert!(run.completed, "{run:?}");
    let got: Vec<(RestartEventKind, &str)> = events.iter().map(|(k, i)| (*k, i.as_str())).collect();
    let (a, b) = (names[0].as_str(), names[1].as_str());
    assert_eq!(
        got,
        [
            (RolloutBegun, ""),
            (InstanceStopping, a),
            (InstanceExited, a),
            (InstanceStarted, a),
            (InstanceHealthy, a),
            (InstanceStopping, b),
            (InstanceExited, b),
            (InstanceStarted, b),
            (InstanceHealthy, b),
            (RolloutDone, ""),
        ]
    );
    drop(containers);
}
