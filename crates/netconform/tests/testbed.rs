//! The container test bed (real HAProxy, BIND and API containers in Docker): the healthy bed
//! passes every scenario, three rolling restarts in a row drop no request, each broken variant
//! fails the scenario it breaks for the reason it breaks it, and nothing is left behind after
//! a normal end, a Ctrl-C (once, twice, or while it starts), a panic, or a SIGKILL.
//!
//! These tests need Docker: when it cannot be reached they fail, saying so and how to start
//! it. The bed's image is made first when it is missing (`netconform testbed-images`, what
//! `cargo xtask images` runs: mmdebstrap as root). The beds run one at a time (two beds with
//! their load on two shared cores would measure the machine, not the bed).

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use common::*;
use netconform_drain::{DockerRestart, Load, LoadPlan, RestartDriver, SlowRequests, haproxy};
use netconform_model::environment::{Restart, RestartDriverSpec};
use netconform_testbed::{RUN_LABEL, Teardown, Testbed, TestbedConfig, Timing, labelled};

/// One bed at a time; the image made before the first.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    static IMAGE: Once = Once::new();
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    IMAGE.call_once(|| {
        let out = Command::new(BIN).arg("testbed-images").output().unwrap();
        assert!(
            out.status.success(),
            "the test bed's image could not be made (netconform testbed-images, what `cargo xtask images` runs):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    guard
}

/// Runs `netconform verify --testbed [--break VARIANT] [--tags TAGS]` and checks
/// every scenario ([`assert_verdicts`]; the IPv6 listener scenario is not applicable here),
/// then that the bed is gone.
fn check(variant: Option<&str>, tags: Option<&str>, failing: &[(&str, &[&str])]) {
    let _bed = serial();
    let mut args = vec!["--testbed"];
    if let Some(v) = variant {
        args.extend(["--break", v]);
    }
    // The configuration scenarios read exported files, and the bed exports none: they are
    // not applicable here (tests/config_files.rs and sandbox_verdicts.rs cover them).
    let run_tags = match tags {
        None => "not @config".to_owned(),
        Some(t) if t.starts_with("not ") => format!("{t} and not @config"),
        Some(t) => t.to_owned(),
    };
    args.extend(["--tags", &run_tags]);
    let run = verify(&format!("testbed-{}", variant.unwrap_or("healthy")), &args);
    let selected: Vec<&str> = match tags {
        None => ALL.to_vec(),
        Some("not @grace") => ALL.iter().copied().filter(|s| *s != GRACE).collect(),
        Some("@drain") => vec![RESTART],
        Some(other) => panic!("no expectation for --tags {other}"),
    };
    // The bed's network has no IPv6: no AAAA is published, so nothing to listen on.
    let mut failing = failing.to_vec();
    failing.push((DNS_IPV6, &[NOT_APPLICABLE]));
    assert_verdicts(&run, &selected, &failing);
    let run_id = run_id(&run.stderr);
    assert_eq!(
        leftovers(&run_id),
        (vec![], vec![]),
        "the bed was left behind"
    );
}

/// The run id `netconform verify --testbed` announces.
fn run_id(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("starting the container test bed (run "))
        .and_then(|rest| rest.split([',', ')']).next())
        .unwrap_or_else(|| panic!("no run id in:\n{stderr}"))
        .to_owned()
}

/// The containers and networks of run `run` that still exist.
fn leftovers(run: &str) -> (Vec<String>, Vec<String>) {
    labelled(&format!("{RUN_LABEL}={run}"))
}

#[test]
fn healthy_bed_passes_every_scenario() {
    check(None, None, &[]);
}

#[test]
fn haproxy_without_health_check_routes_to_stopped_replicas() {
    check(
        Some("haproxy-no-healthcheck"),
        Some("@drain"),
        &[(
            RESTART,
            &[
                "requests failed during the restart (max_failed = 0)",
                "answered 503",
            ],
        )],
    );
}

#[test]
fn haproxy_checking_the_wrong_path_marks_every_server_down() {
    // Every request gets HAProxy's 503; the grace period would wait its full 120 s.
    let unavailable = &["answered 503"][..];
    check(
        Some("haproxy-wrong-check-path"),
        Some("not @grace"),
        &[
            (HEALTH, unavailable),
            (
                STABLE,
                &[
                    "probe 1 of 20",
                    "answered 503",
                    "the other 19 were not sent",
                ],
            ),
            (CONSOLE, unavailable),
            (ZONES, &["none of 10 responses carried a x-zone header"]),
            (GZIP, unavailable),
            (
                RESTART,
                &[
                    "failed during the restart",
                    "answered 503 before the restart",
                ],
            ),
        ],
    );
}

#[test]
fn replica_without_graceful_shutdown_drops_requests() {
    // The requests in flight die with the replica: HAProxy answers 502, or closes the
    // client's kept-alive connection with no answer when the server connection it reused
    // for the request dies (as in stop_timeout_too_short_kills_slow_requests).
    check(
        Some("exit-on-sigterm"),
        Some("@drain"),
        &[(
            RESTART,
            &[
                "requests failed during the restart",
                "answered 502 | closed before response",
                "was stopping",
            ],
        )],
    );
}

#[test]
fn stop_timeout_too_short_kills_slow_requests() {
    // The slow requests in flight die with the replica, one second after its stop began:
    // HAProxy answers 502, or closes the client's kept-alive connection with no answer when
    // the server connection it reused for the request dies. They fail while the replica is
    // stopping (the driver sees it exited a moment later, after `docker stop` returns and
    // `docker inspect` reads the exit code: a failure may land just after that).
    check(
        Some("stop-timeout-too-short"),
        Some("@drain"),
        &[(
            RESTART,
            &[
                "requests failed during the restart",
                "answered 502 | closed before response",
                "zone-a was stopping | zone-a exited",
                "zone-b was stopping | zone-b exited",
            ],
        )],
    );
}

#[test]
fn haproxy_retries_mask_failures_and_the_report_says_so() {
    check(
        Some("haproxy-retries-mask"),
        Some("@drain"),
        &[(
            RESTART,
            &[
                "no request failed at the client, but HAProxy retried",
                "failures were masked by retries",
            ],
        )],
    );
}

#[test]
fn missing_app_record_fails_the_app_scenarios() {
    let nxdomain = &["app.testbed.test does not resolve through", "NXDOMAIN"][..];
    check(
        Some("no-app-record"),
        None,
        &[
            (DNS_APP, nxdomain),
            (CONSOLE, nxdomain),
            (CERT_APP, nxdomain),
            (TLS_HYGIENE, nxdomain),
            (REDIRECT, nxdomain),
        ],
    );
}

/// A deploy that removes the app record, against the run before it: `verify --baseline`
/// with `--fail-on new` fails on the new failure, and `netconform diff` names the record that
/// went (its answers moved to none) beside the scenarios it broke.
#[test]
fn a_removed_record_is_a_new_failure_against_the_run_before() {
    let _bed = serial();
    let dir = TempDir::new("testbed-baseline");
    let verify_into = |name: &str, extra: &[&str]| {
        let out = Command::new(BIN)
            .args(["verify", "--testbed", "--quiet", "--tags", "@dns"])
            .args(extra)
            .arg("--report-dir")
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(name).join("report.json")).unwrap_or_else(|e| {
                panic!(
                    "{name}: no report ({e}): {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            }),
        )
        .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            report,
        )
    };
    let (code, stderr, _) = verify_into("before", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let baseline = dir.path().join("before/report.json");
    let baseline_arg = baseline.display().to_string();
    let (code, stderr, report) = verify_into(
        "after",
        &[
            "--break",
            "no-app-record",
            "--baseline",
            &baseline_arg,
            "--fail-on",
            "new",
        ],
    );
    assert_eq!(code, Some(1), "a new failure fails the run: {stderr}");
    let b = &report["baseline"];
    assert!(b["new_failures"].as_u64().unwrap() > 0, "{b:#}");
    let app = b["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with(DNS_APP))
        .unwrap_or_else(|| panic!("no {DNS_APP} in {b:#}"));
    assert_eq!(app["change"], "newly-failing", "{app:#}");
    let out = Command::new(BIN)
        .arg("diff")
        .arg(&baseline)
        .arg(dir.path().join("after/report.json"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("app.testbed.test A") && stdout.contains("no answer (NXDOMAIN"),
        "the record that went is named with what it answered before and after:\n{stdout}"
    );
    // Each bed gets a network of its own, so the load balancer's address differs between the
    // two runs, and api's answers say so; they still lead to the load balancer.
    for line in stdout
        .lines()
        .filter(|l| l.contains("moved (DNS answers): api.testbed.test A:"))
    {
        let new = line.rsplit(" -> ").next().unwrap();
        assert!(
            new.contains("lb.testbed.test") && !new.contains("no answer"),
            "{line}"
        );
    }
}

fn config() -> TestbedConfig {
    TestbedConfig {
        variant: None,
        timing: Timing::default(),
        replica_exe: BIN.into(),
        work_dir: std::env::temp_dir(),
        docker: "docker".into(),
    }
}

async fn start(config: TestbedConfig) -> Testbed {
    let teardown = Teardown::new(&config);
    Testbed::start(config, teardown)
        .await
        .unwrap_or_else(|e| panic!("failed to {e}"))
}

#[test]
fn three_rolling_restarts_in_a_row_drop_no_request() {
    let _bed = serial();
    netconform_net::tls::install_default_provider();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(three_rolling_restarts());
}

async fn three_rolling_restarts() {
    let bed = start(config()).await;
    let env = bed.environment().clone();
    let resolver =
        netconform_net::Resolver::for_environment(&env.dns, netconform_net::Caching::On).unwrap();
    let Some(Restart::Driver(RestartDriverSpec::Docker {
        containers,
        stop_timeout,
        docker,
    })) = env.drain.restart.clone()
    else {
        panic!(
            "the bed's restart is the docker driver: {:?}",
            env.drain.restart
        )
    };
    let driver = DockerRestart {
        containers,
        stop_timeout: stop_timeout.get(),
        docker,
        poll: Duration::from_millis(200),
        healthy_within: Duration::from_secs(60),
    };
    let stats = env.drain.haproxy_stats.clone().unwrap().0;
    let before = haproxy::fetch(&stats, &resolver, Duration::from_secs(2))
        .await
        .unwrap();
    let plan = LoadPlan {
        endpoint: env.api_endpoint(),
        path: env.health.path.clone(),
        expect_status: 200,
        rate: env.drain.rate.per_second(),
        request_timeout: env.drain.request_timeout.get(),
        max_connections: 512,
        extra_roots: netconform_net::tls::extra_roots(env.tls.ca_pem.as_deref(), None).unwrap(),
        instance_header: env.health.instance_header.clone(),
        workers: 1,
        fresh_every: env.drain.fresh_every,
        slow: env.drain.slow_path.clone().map(|path| SlowRequests {
            path,
            every: env.drain.slow_every,
        }),
    };
    let load = Load::start(plan, resolver.clone()).unwrap();
    tokio::time::sleep(env.drain.settle.get()).await;
    let mut events = Vec::new();
    for round in 1..=3 {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let run = driver.run(tx).await;
        assert!(
            run.completed,
            "rollout {round}: {}\n{}",
            run.status, run.output
        );
        while let Ok(event) = rx.try_recv() {
            load.observe(&event);
            events.push(event);
        }
    }
    tokio::time::sleep(env.drain.settle.get()).await;
    let result = load.finish().await;
    let summary = netconform_drain::verdict::summarize(&result, &events);
    let exited = events
        .iter()
        .filter(|e| e.kind == netconform_model::RestartEventKind::InstanceExited)
        .count();
    assert_eq!(exited, 6, "two replicas restarted three times: {events:?}");
    assert_eq!(result.accounted(), result.scheduled);
    assert!(result.scheduled > 2000, "{} requests", result.scheduled);
    assert_eq!(
        result.failed(),
        0,
        "{}",
        netconform_drain::verdict::judge_requests(&summary, 0).reason
    );
    let after = haproxy::fetch(&stats, &resolver, Duration::from_secs(2))
        .await
        .unwrap();
    let during = before.since(after);
    assert_eq!(
        (during.retries, during.redispatches),
        (0, 0),
        "HAProxy hid failures by retrying them"
    );
    let teardown = bed.teardown();
    drop(bed);
    assert_eq!(leftovers(teardown.run_id()), (vec![], vec![]));
}

/// `netconform verify --testbed ARGS` with its stderr read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .arg("verify")
            .arg("--testbed")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Running {
            child,
            lines,
            seen: String::new(),
        }
    }

    /// Waits for a line containing `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push_str(&line);
            self.seen.push('\n');
            if line.contains(text) {
                return;
            }
        }
        panic!(
            "no line with {text:?} from netconform; it said:\n{}",
            self.seen
        );
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the exit; its code and everything it said.
    fn finish(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push_str(&line);
            self.seen.push('\n');
        }
        (status.code(), self.seen)
    }
}

#[test]
fn ctrl_c_during_the_restart_removes_the_bed() {
    let _bed = serial();
    let mut run = Running::start(&["--tags", "@drain"]);
    run.wait_for("testbed running");
    let id = run_id(&run.seen);
    assert_ne!(leftovers(&id), (vec![], vec![]), "the bed runs");
    run.wait_for("stopping");
    run.signal("-INT");
    let (code, said) = run.finish();
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("interrupted"), "{said}");
    assert_eq!(leftovers(&id), (vec![], vec![]), "{said}");
}

#[test]
fn second_ctrl_c_still_removes_the_bed() {
    let _bed = serial();
    let mut run = Running::start(&["--tags", "@drain"]);
    run.wait_for("testbed running");
    let id = run_id(&run.seen);
    run.wait_for("stopping");
    run.signal("-INT");
    std::thread::sleep(Duration::from_millis(200));
    run.signal("-INT");
    let (code, said) = run.finish();
    assert_eq!(code, Some(3), "{said}");
    assert_eq!(leftovers(&id), (vec![], vec![]), "{said}");
}

#[test]
fn ctrl_c_while_the_bed_starts_removes_what_was_started() {
    let _bed = serial();
    let mut run = Running::start(&[]);
    run.wait_for("starting the container test bed");
    let id = run_id(&run.seen);
    // The start takes seconds: the replicas' containers exist by now, HAProxy's maybe not.
    let deadline = Instant::now() + Duration::from_secs(30);
    while leftovers(&id).0.is_empty() {
        assert!(Instant::now() < deadline, "no container was started");
        std::thread::sleep(Duration::from_millis(50));
    }
    run.signal("-INT");
    let (code, said) = run.finish();
    assert_eq!(code, Some(3), "{said}");
    assert!(
        said.contains("interrupted while the test bed was starting"),
        "{said}"
    );
    assert_eq!(leftovers(&id), (vec![], vec![]), "{said}");
}

#[test]
fn a_panic_removes_the_bed() {
    let _bed = serial();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(start(config()));
    let id = bed.teardown().run_id().to_owned();
    assert_ne!(leftovers(&id), (vec![], vec![]));
    let panicked = std::thread::spawn(move || {
        let _bed = bed;
        panic!("a step panics while the bed runs");
    })
    .join();
    assert!(panicked.is_err());
    assert_eq!(leftovers(&id), (vec![], vec![]));
}

#[test]
fn a_bed_whose_process_was_killed_is_removed_by_the_next_one() {
    let _bed = serial();
    let mut run = Running::start(&["--tags", "@dns"]);
    run.wait_for("testbed running");
    let id = run_id(&run.seen);
    run.signal("-KILL");
    let (code, _) = run.finish();
    assert_eq!(code, None, "killed by a signal");
    assert_ne!(
        leftovers(&id),
        (vec![], vec![]),
        "SIGKILL leaves the bed behind"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let next = runtime.block_on(start(config()));
    assert_eq!(leftovers(&id), (vec![], vec![]), "the next bed removes it");
    drop(next);
}

#[test]
fn docker_out_of_reach_fails_saying_how_to_start_it() {
    let out = Command::new(BIN)
        .args(["verify", "--testbed"])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("failed to reach Docker"), "{stderr}");
    assert!(
        stderr.contains("start it (`systemctl start docker`"),
        "{stderr}"
    );
}

#[test]
fn testbed_usage_errors_exit_2() {
    assert_usage_errors(&[
        (
            vec!["--testbed", "--break", "nope"],
            "unknown test bed variant \"nope\"; the variants are: haproxy-no-healthcheck, haproxy-wrong-check-path, exit-on-sigterm, stop-timeout-too-short, haproxy-retries-mask, no-app-record",
        ),
        (
            vec!["--break", "haproxy-retries-mask"],
            "haproxy-retries-mask is a variant of the test bed: add --testbed",
        ),
        (
            vec!["--testbed", "--env", "envs/x.toml"],
            "cannot be used with",
        ),
        (
            vec!["--testbed", "--break", "status-500"],
            "status-500 is a variant of the built-in sandbox, not of the test bed: drop --testbed",
        ),
    ]);
}
