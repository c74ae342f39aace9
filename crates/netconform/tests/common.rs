//! Helpers shared by the binary's tests: run `netconform` and read what it wrote.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a part of this module"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_netconform");

/// A directory under the target dir, emptied first, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one `netconform verify` run produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub report: Option<Value>,
    /// netconform.sarif, when the run wrote one.
    pub sarif: Option<Value>,
}

impl Run {
    /// Verdict and reason of the scenario whose name contains `name`.
    pub fn scenario(&self, name: &str) -> (String, String) {
        let report = self
            .report
            .as_ref()
            .unwrap_or_else(|| panic!("no report.json; stderr:\n{}", self.stderr));
        let scenario = report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str().unwrap().contains(name))
            .unwrap_or_else(|| panic!("no scenario named like {name:?} in {report:#}"));
        // A failed or inconclusive step's reason; else (a pass, not applicable) what its
        // checks concluded.
        let steps = scenario["steps"].as_array().unwrap();
        let reason = steps
            .iter()
            .find_map(|s| s["reason"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                steps
                    .iter()
                    .flat_map(|s| s["outcomes"].as_array().into_iter().flatten())
                    .filter_map(|o| o["reason"].as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            });
        (scenario["verdict"].as_str().unwrap().to_owned(), reason)
    }

    pub fn scenario_count(&self) -> usize {
        self.report
            .as_ref()
            .map_or(0, |r| r["scenarios"].as_array().unwrap().len())
    }

    /// No scenario failed or was inconclusive, and the run exited 0.
    pub fn assert_nothing_failed(&self) {
        let report = self
            .report
            .as_ref()
            .unwrap_or_else(|| panic!("no report.json; {}", self.explain()));
        for s in report["scenarios"].as_array().unwrap() {
            let verdict = s["verdict"].as_str().unwrap();
            assert!(
                !matches!(verdict, "fail" | "inconclusive"),
                "{}: {verdict}: {s:#}",
                s["name"]
            );
        }
        assert_eq!(self.code, 0, "{}", self.explain());
    }

    pub fn explain(&self) -> String {
        format!(
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `netconform verify ARGS --report-dir DIR` and reads DIR/report.json.
pub fn verify(name: &str, args: &[&str]) -> Run {
    let dir = TempDir::new(name);
    let out = Command::new(BIN)
        .arg("verify")
        .args(args)
        .arg("--report-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    let read = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .ok()
            .map(|text| serde_json::from_str(&text).unwrap())
    };
    Run {
        sarif: read("netconform.sarif"),
        ..run(out, read("report.json"))
    }
}

/// The corpus of the configuration checks (`crates/config/tests/data`).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/data")
}

/// `path` in [`corpus_dir`], as a string for an environment file.
pub fn corpus(path: &str) -> String {
    corpus_dir().join(path).display().to_string()
}

/// Runs the configuration scenarios, `netconform verify --tags @config --env ENV --report-dir
/// REPORTS`, and reads REPORTS/report.json.
pub fn verify_config(env: &Path, reports: &Path) -> Run {
    let out = Command::new(BIN)
        .args(["verify", "--tags", "@config", "--env"])
        .arg(env)
        .arg("--report-dir")
        .arg(reports)
        .output()
        .unwrap();
    let report = std::fs::read_to_string(reports.join("report.json"))
        .ok()
        .map(|text| serde_json::from_str(&text).unwrap());
    run(out, report)
}

pub fn run(out: Output, report: Option<Value>) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        report,
        sarif: None,
    }
}

/// The black-box scenarios, by a part of their names (the sandbox and the test bed run them).
/// The configuration scenarios of a whole run (`--tags @config`): the sandbox's configuration
/// evidence is a conformant corpus (crates/config/tests/data/eks, or gateway with `--exposure
/// gateway-api`) whatever the variant, so they pass in every run, but for [`INSTANCES`].
pub const CONFIG: [&str; 20] = [
    "The API scales on CPU at a 50-60 % target",
    "The API keeps two instances and can grow to four times its desired count",
    "The API's containers get at least 120 seconds to stop",
    "The API drains connections before it stops",
    "The stop sequence leaves the API its stop timeout",
    "Deletion protection is on",
    "The load balancer health-checks the API on /api/status",
    "The API's pods are ready only when /api/status answers",
    "The API gets 120 seconds to start before failing health checks count",
    "The exported DNS records point api and app to the load balancer",
    "The API is spread over at least two availability zones",
    "The load balancer has nodes in at least two availability zones",
    "The API runs at least two instances",
    "Internet-facing load balancers sit in public subnets",
    "The API runs in private subnets without public addresses",
    "The database is not publicly accessible and sits in database subnets",
    "Every availability zone has its own NAT gateway",
    "Object storage is reached through a VPC endpoint",
    "An Application Load Balancer fronts the API",
    INSTANCES,
];

/// Not applicable to the sandbox by its nature: its API runs in Kubernetes pods, which drain
/// through their preStop hooks; there are no instances of the API's to hook.
pub const INSTANCES: &str = "Instances are drained before an auto-scaling group terminates them";

pub const DNS_API: &str = "api.{domain} leads to the load balancer";
pub const DNS_APP: &str = "app.{domain} leads to the load balancer";
pub const DNS_AGREE: &str = "The authoritative servers agree";
pub const DNS_DANGLING: &str = "No CNAME in the records' chains dangles";
pub const DNS_WILDCARD: &str = "No wildcard stands in for the records";
pub const DNS_TTL: &str = "The records' TTLs let a load balancer change";
pub const DNS_IPV6: &str = "Every IPv6 address the records publish has a listener";
pub const DNS_DNSSEC: &str = "The records validate with DNSSEC";
pub const HEALTH: &str = "GET /api/status answers 200";
pub const GRACE: &str = "The API becomes healthy within";
pub const STABLE: &str = "The health check passes 20 times in a row";
pub const CONSOLE: &str = "The console answers with a page";
pub const ZONES: &str = "Requests are answered from at least two availability zones";
pub const GZIP: &str = "gzip-encoded responses pass through";
pub const RESTART: &str = "No request fails while the API is restarted";
pub const CERT_API: &str = "api.{domain} presents a valid certificate";
pub const CERT_APP: &str = "app.{domain} presents a valid certificate";
pub const TLS_HYGIENE: &str = "TLS is recent and the certificates are not about to expire";
pub const REDIRECT: &str = "Plain HTTP redirects to HTTPS";
pub const ALL: [&str; 19] = [
    DNS_API,
    DNS_APP,
    DNS_AGREE,
    DNS_DANGLING,
    DNS_WILDCARD,
    DNS_TTL,
    DNS_IPV6,
    DNS_DNSSEC,
    HEALTH,
    GRACE,
    STABLE,
    CONSOLE,
    ZONES,
    GZIP,
    RESTART,
    CERT_API,
    CERT_APP,
    TLS_HYGIENE,
    REDIRECT,
];

/// In a `failing` entry, instead of fragments: the scenario is not applicable.
pub const NOT_APPLICABLE: &str = "<not applicable>";

/// Checks every scenario of `selected` in `run`: those in `failing` fail with a reason
/// containing each of their fragments (a fragment "a | b": either), or are not applicable
/// (given [`NOT_APPLICABLE`]); the others pass. The exit code is 1 when any should fail.
pub fn assert_verdicts(run: &Run, selected: &[&str], failing: &[(&str, &[&str])]) {
    assert_eq!(run.scenario_count(), selected.len(), "{}", run.explain());
    for scenario in selected {
        let (verdict, reason) = run.scenario(scenario);
        match failing.iter().find(|(name, _)| name == scenario) {
            Some((_, [NOT_APPLICABLE])) => assert_eq!(
                verdict,
                "not-applicable",
                "{scenario} should not apply: {reason}\n{}",
                run.explain()
            ),
            Some((_, fragments)) => {
                assert_eq!(verdict, "fail", "{scenario} should fail\n{}", run.explain());
                for fragment in *fragments {
                    assert!(
                        fragment.split(" | ").any(|f| reason.contains(f)),
                        "{scenario}: reason {reason:?} lacks {fragment:?}\n{}",
                        run.explain()
                    );
                }
            }
            None => assert_eq!(
                verdict,
                "pass",
                "{scenario} should pass: {reason}\n{}",
                run.explain()
            ),
        }
    }
    let fails = failing.iter().any(|(_, f)| *f != [NOT_APPLICABLE]);
    assert_eq!(run.code, i32::from(fails), "{}", run.explain());
}

/// `netconform verify ARGS` refuses each of `cases` with exit code 2 and a message on stderr
/// containing its fragment.
pub fn assert_usage_errors(cases: &[(Vec<&str>, &str)]) {
    for (args, fragment) in cases {
        let out = Command::new(BIN).arg("verify").args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(fragment),
            "{args:?}: {stderr:?} lacks {fragment:?}"
        );
    }
}

/// A `netconform sandbox` process, killed on drop.
pub struct SandboxProcess(pub Child);

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `netconform sandbox --env-out env_out` and waits (at most 30 s) until it runs.
pub fn start_sandbox(env_out: &Path) -> SandboxProcess {
    start_sandbox_broken(env_out, None)
}

/// Starts `netconform sandbox --env-out env_out`, broken by `variant` (`--break`), and waits
/// (at most 30 s) until it runs: it says "sandbox running" once the file is written and
/// everything listens.
pub fn start_sandbox_broken(env_out: &Path, variant: Option<&str>) -> SandboxProcess {
    let mut cmd = Command::new(BIN);
    cmd.arg("sandbox")
        .arg("--env-out")
        .arg(env_out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(v) = variant {
        cmd.args(["--break", v]);
    }
    let mut child = SandboxProcess(cmd.spawn().unwrap());
    let mut lines = BufReader::new(child.0.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = lines.next().expect("sandbox ended before it ran").unwrap();
        if line.starts_with("sandbox running") {
            break;
        }
        assert!(Instant::now() < deadline, "sandbox did not start");
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

/// A Pushgateway on a free loopback port, stopped on drop.
pub struct Pushgateway {
    child: Child,
    pub url: String,
}

impl Drop for Pushgateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Pushgateway {
    pub fn start() -> Pushgateway {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("prometheus-pushgateway")
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus-pushgateway (Debian's package; cargo xtask test installs it)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the Pushgateway did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Pushgateway {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// What it exposes now (its /metrics), by a plain HTTP/1.0 GET.
    pub fn scrape(&self) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(format!("GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stream, &mut text).unwrap();
        text
    }
}

/// `promtool check metrics` over `text`: its exit status and what it said.
pub fn promtool(text: &str) -> (bool, String) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package; cargo xtask test installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
