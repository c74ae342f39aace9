//! A run stops within a second of SIGINT or SIGTERM, whatever kind of step is in flight (a
//! probe, the grace period's wait, a DNS query, the load, the restart driver), and at its
//! `--timeout`: the step in flight is cut short, the rest is not run, both inconclusive with
//! the reason, and every report is written. The target never answers: a load balancer that
//! accepts connections and holds them, a DNS server that reads nothing.

mod common;

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// How long after a signal the process must be gone.
const WITHIN: Duration = Duration::from_secs(1);

/// A load balancer that accepts every connection and never answers; lives for the test.
fn blackhole() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(1000).flatten() {
            held.push(stream);
        }
    });
    addr
}

/// A DNS server that answers every A question with 127.0.0.1 and every other with no data;
/// with `silent`, one that reads nothing at all.
fn dns(silent: bool) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    std::thread::spawn(move || {
        if silent {
            std::thread::sleep(Duration::from_secs(600));
            drop(socket);
            return;
        }
        let mut buf = [0u8; 512];
        for _ in 0..100_000 {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                return;
            };
            if let Some(answer) = answer_a(&buf[..n]) {
                let _ = socket.send_to(&answer, from);
            }
        }
    });
    addr
}

/// The answer to one question: 127.0.0.1 for A, NOERROR with no data for anything else.
fn answer_a(query: &[u8]) -> Option<Vec<u8>> {
    // The question follows the 12-byte header: labels, a zero, then type and class.
    let mut end = 12;
    while *query.get(end)? != 0 {
        end += usize::from(query[end]) + 1;
    }
    let qtype = u16::from_be_bytes([*query.get(end + 1)?, *query.get(end + 2)?]);
    let question = query.get(12..end + 5)?;
    let is_a = qtype == 1;
    let mut out = vec![
        query[0],
        query[1],
        0x85,
        0x80,
        0,
        1,
        0,
        u8::from(is_a),
        0,
        0,
        0,
        0,
    ];
    out.extend_from_slice(question);
    if is_a {
        // The name by pointer to the question, A, IN, TTL 60, 4 bytes: 127.0.0.1.
        out.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
    }
    Some(out)
}

/// An environment file for hostile.test on these servers; `extra` is appended.
fn environment(dir: &Path, lb: SocketAddr, dns: SocketAddr, extra: &str) -> std::path::PathBuf {
    let path = dir.join("hostile.toml");
    let text = format!(
        r#"domain = "hostile.test"

[dns]
nameservers = ["{dns}"]
timeout = "30s"
check_timeout = "60s"

[endpoints]
api = "http://api.{{domain}}:{port}"
app = "http://app.{{domain}}:{port}"

[health]
timeout = "30s"

[drain]
enabled = true
settle = "1m"
restart = "sleep 600"
{extra}"#,
        port = lb.port()
    );
    std::fs::write(&path, text).unwrap();
    path
}

struct Stopped {
    code: Option<i32>,
    /// From the signal to the exit.
    took: Duration,
    stderr: String,
    report: Value,
}

fn start(env: &Path, reports: &Path, args: &[&str]) -> Child {
    Command::new(BIN)
        .arg("verify")
        .arg("--env")
        .arg(env)
        .arg("--report-dir")
        .arg(reports)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` to the run `after` its start and waits for it to exit.
fn signal_after(mut child: Child, after: Duration, signal: &str, reports: &Path) -> Stopped {
    std::thread::sleep(after);
    let sent = Instant::now();
    assert!(
        Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    let took = sent.elapsed();
    finish(child, status.code(), took, reports)
}

fn finish(mut child: Child, code: Option<i32>, took: Duration, reports: &Path) -> Stopped {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let text = std::fs::read_to_string(reports.join("report.json"))
        .unwrap_or_else(|e| panic!("no report.json ({e}); stderr:\n{stderr}"));
    for other in ["junit.xml", "report.html"] {
        assert!(
            reports.join(other).is_file(),
            "no {other}; stderr:\n{stderr}"
        );
    }
    Stopped {
        code,
        took,
        stderr,
        report: serde_json::from_str(&text).unwrap(),
    }
}

/// Every step's reasons, scenario by scenario.
fn reasons(report: &Value) -> Vec<(String, Vec<String>)> {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let steps = s["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|st| st["reason"].as_str().map(str::to_owned))
                .collect();
            (s["name"].as_str().unwrap().to_owned(), steps)
        })
        .collect()
}

/// Stopped within a second, inconclusive, the first scenario cut short with `why`, every
/// later one not run with it.
fn assert_stopped(run: &Stopped, why: &str, bound: Duration) {
    assert!(
        run.took < bound,
        "exited {:?} after the signal; stderr:\n{}",
        run.took,
        run.stderr
    );
    assert_eq!(
        run.code,
        Some(3),
        "stopped is inconclusive; stderr:\n{}",
        run.stderr
    );
    assert_eq!(run.report["interrupted"], true);
    assert_eq!(
        run.report["stopped"].as_str(),
        Some(why),
        "{:#}",
        run.report["stopped"]
    );
    let scenarios = reasons(&run.report);
    assert!(!scenarios.is_empty(), "{:#}", run.report);
    let (first, steps) = &scenarios[0];
    assert!(
        steps
            .iter()
            .any(|r| r.starts_with("cut short after") && r.contains(why)),
        "{first}: {steps:?}"
    );
    for (name, steps) in &scenarios[1..] {
        assert!(
            steps
                .iter()
                .any(|r| r.starts_with(&format!("not run: {why}"))),
            "{name}: {steps:?}"
        );
    }
    for s in run.report["scenarios"].as_array().unwrap() {
        assert_eq!(s["verdict"], "inconclusive", "{s:#}");
    }
}

fn case(name: &str, tags: &str, signal: &str, why: &str) {
    let dir = TempDir::new(name);
    let env = environment(dir.path(), blackhole(), dns(tags == "@dns"), "");
    let reports = dir.path().join("reports");
    let child = start(&env, &reports, &["--tags", tags]);
    let run = signal_after(child, Duration::from_millis(1500), signal, &reports);
    assert_stopped(&run, why, WITHIN);
}

#[test]
fn sigint_during_a_probe_stops_within_a_second() {
    case("int-probe", "@health", "-INT", "interrupted (SIGINT)");
}

#[test]
fn sigterm_during_a_probe_stops_within_a_second() {
    case("term-probe", "@health", "-TERM", "interrupted (SIGTERM)");
}

#[test]
fn sigint_during_the_grace_period_stops_within_a_second() {
    case("int-grace", "@grace", "-INT", "interrupted (SIGINT)");
}

#[test]
fn sigint_during_a_dns_query_stops_within_a_second() {
    case("int-dns", "@dns", "-INT", "interrupted (SIGINT)");
}

#[test]
fn sigint_while_the_load_settles_stops_within_a_second() {
    // The load runs against the blackhole for drain.settle (a minute) before the restart.
    case("int-load", "@drain", "-INT", "interrupted (SIGINT)");
}

#[test]
fn sigint_during_the_restart_driver_stops_within_a_second() {
    let dir = TempDir::new("int-driver");
    let env = environment(dir.path(), blackhole(), dns(false), "");
    // No settle: the restart command (sleep 600) is running when the signal comes.
    let text = std::fs::read_to_string(&env)
        .unwrap()
        .replace("settle = \"1m\"", "settle = \"0s\"");
    std::fs::write(&env, text).unwrap();
    let reports = dir.path().join("reports");
    let child = start(&env, &reports, &["--tags", "@drain"]);
    let run = signal_after(child, Duration::from_millis(1500), "-INT", &reports);
    assert!(run.took < WITHIN, "exited {:?} after the signal", run.took);
    assert_eq!(run.code, Some(3));
    let (_, steps) = &reasons(&run.report)[0];
    assert!(
        steps
            .iter()
            .any(|r| r.starts_with("interrupted (SIGINT) during the restart after ")),
        "{steps:?}"
    );
}

#[test]
fn the_run_s_timeout_cuts_it_off_and_writes_the_reports() {
    let dir = TempDir::new("timeout");
    let env = environment(dir.path(), blackhole(), dns(false), "");
    let reports = dir.path().join("reports");
    let started = Instant::now();
    let mut child = start(&env, &reports, &["--tags", "@health", "--timeout", "2s"]);
    let status = child.wait().unwrap();
    let took = started.elapsed();
    let run = finish(child, status.code(), took, &reports);
    // Two seconds, then at most one to stop.
    assert!(took < Duration::from_secs(2) + WITHIN, "took {took:?}");
    assert_stopped(
        &run,
        "cut off by the run's timeout (2s)",
        Duration::from_secs(3),
    );
    let (_, steps) = &reasons(&run.report)[0];
    assert!(
        steps.iter().any(|r| r.contains("raise --timeout")),
        "the reason says how to let it finish: {steps:?}"
    );
}

#[test]
fn the_environment_file_s_timeout_does_the_same() {
    let dir = TempDir::new("timeout-file");
    let env = environment(dir.path(), blackhole(), dns(false), "");
    let text = std::fs::read_to_string(&env).unwrap();
    std::fs::write(&env, format!("timeout = \"2s\"\n{text}")).unwrap();
    let reports = dir.path().join("reports");
    let started = Instant::now();
    let mut child = start(&env, &reports, &["--tags", "@health"]);
    let status = child.wait().unwrap();
    let run = finish(child, status.code(), started.elapsed(), &reports);
    assert_stopped(
        &run,
        "cut off by the run's timeout (2s)",
        Duration::from_secs(3),
    );
}

#[test]
fn a_long_worst_case_is_announced_at_the_start() {
    let dir = TempDir::new("worst-case");
    let env = environment(dir.path(), blackhole(), dns(false), "");
    let reports = dir.path().join("reports");
    let mut child = start(&env, &reports, &["--tags", "@health", "--timeout", "1s"]);
    let status = child.wait().unwrap();
    let run = finish(child, status.code(), Duration::ZERO, &reports);
    assert!(
        run.stderr.contains("worst case for this run up to ")
            && run.stderr.contains("--timeout ends it after 1s"),
        "{}",
        run.stderr
    );
}
