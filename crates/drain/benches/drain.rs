//! `cargo xtask bench drain`: the load generator against nginx (Debian nginx-light, one worker
//! pinned to core 0), beside wrk and oha, every client pinned to core 1 and run as its own
//! process under `/usr/bin/time` (user CPU, max RSS):
//!
//! - closed loop, 64 connections, 10 s: requests per second, user CPU per request;
//! - open model at 20,000 req/s for 30 s: achieved rate, outcomes sum exactly;
//! - closed loop for 60 s: max RSS.
//!
//! The rounds are interleaved (wrk, netconform, oha, ...) and each client is compared with
//! wrk in the same round: this machine is shared and its speed moves by 2x within a minute.
//! Run by hand with `cargo bench -p netconform-drain --bench drain`; `--generator ...` is the
//! bench calling itself as the pinned client.

use std::process::{Command, Stdio};
use std::time::Duration;

use netconform_drain::{Load, LoadPlan, closed_loop, verdict};
use netconform_model::values::{Endpoint, Nameserver, Scheme};
use netconform_net::{Caching, Resolver};

const ROUNDS: usize = 3;
const SECONDS: u64 = 10;
const CONNECTIONS: usize = 64;
const OPEN_RATE: f64 = 20_000.0;
const OPEN_SECONDS: u64 = 30;

fn plan(port: u16, rate: f64) -> LoadPlan {
    LoadPlan {
        endpoint: Endpoint {
            scheme: Scheme::Http,
            host: "127.0.0.1".into(),
            port,
        },
        path: "/api/status".parse().expect("a path"),
        expect_status: 200,
        rate,
        request_timeout: Duration::from_secs(5),
        max_connections: 1024,
        extra_roots: Vec::new(),
        instance_header: None,
        workers: 1,
        fresh_every: 0,
        slow: None,
    }
}

fn resolver() -> Resolver {
    // Never asked: the target is an address.
    Resolver::with_servers(
        &[Nameserver("127.0.0.1:9".parse().expect("an address"))],
        Duration::from_secs(1),
        Caching::On,
    )
    .expect("a resolver")
}

/// The pinned client, in this process: prints one line the parent reads.
#[expect(
    clippy::print_stdout,
    reason = "the generator reports to the bench on stdout"
)]
fn generator(args: &[String]) {
    let port: u16 = args[1].parse().expect("a port");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match args[0].as_str() {
        "closed" => {
            let secs: u64 = args[2].parse().expect("seconds");
            let r = rt
                .block_on(closed_loop(
                    plan(port, 1.0),
                    resolver(),
                    CONNECTIONS,
                    Duration::from_secs(secs),
                ))
                .expect("a closed loop");
            println!(
                "requests {} failed {} seconds {} p99_ms {:.2}",
                r.completed,
                r.failed,
                r.elapsed.as_secs_f64(),
                r.p99.as_secs_f64() * 1000.0
            );
        }
        _ => {
            let result = rt.block_on(async {
                let load = Load::start(plan(port, OPEN_RATE), resolver()).expect("a load");
                tokio::time::sleep(Duration::from_secs(OPEN_SECONDS)).await;
                load.finish().await
            });
            let accounting = verdict::judge_accounting(&result);
            println!(
                "requests {} failed {} seconds {} scheduled {} accounted {} late {} verdict {}",
                result.ok(),
                result.failed(),
                result.duration.as_secs_f64(),
                result.scheduled,
                result.accounted(),
                result.not_sent_on_time(),
                accounting.verdict
            );
        }
    }
}

/// What one client run measured.
#[derive(Debug, Clone, Default)]
struct Measured {
    requests: f64,
    seconds: f64,
    user_s: f64,
    max_rss_kb: f64,
    line: String,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.requests / self.seconds
    }

    fn user_us_per_request(&self) -> f64 {
        self.user_s * 1e6 / self.requests
    }
}

/// Runs `command` pinned to core 1 under /usr/bin/time; `parse` reads (requests, seconds)
/// from its stdout.
fn pinned(command: &[String], parse: impl Fn(&str) -> Option<(f64, f64)>) -> Option<Measured> {
    let out = Command::new("taskset")
        .args(["-c", "1", "/usr/bin/time", "-f", "TIME %U %M"])
        .args(command)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let time = stderr.lines().rev().find_map(|l| l.strip_prefix("TIME "))?;
    let mut t = time.split_whitespace();
    let user_s: f64 = t.next()?.parse().ok()?;
    let max_rss_kb: f64 = t.next()?.parse().ok()?;
    let (requests, seconds) = parse(&stdout)?;
    Some(Measured {
        requests,
        seconds,
        user_s,
        max_rss_kb,
        line: stdout.lines().last().unwrap_or_default().to_owned(),
    })
}

fn ours(mode: &str, port: u16, secs: u64) -> Option<Measured> {
    let exe = std::env::current_exe().ok()?.display().to_string();
    let command = vec![
        exe,
        "--generator".into(),
        mode.into(),
        port.to_string(),
        secs.to_string(),
    ];
    pinned(&command, |out| {
        let words: Vec<&str> = out.lines().last()?.split_whitespace().collect();
        Some((words.get(1)?.parse().ok()?, words.get(5)?.parse().ok()?))
    })
}

fn wrk(port: u16, secs: u64) -> Option<Measured> {
    let command: Vec<String> = [
        "wrk",
        "-t1",
        &format!("-c{CONNECTIONS}"),
        &format!("-d{secs}s"),
        &format!("http://127.0.0.1:{port}/api/status"),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    pinned(&command, |out| {
        let line = out.lines().find(|l| l.contains("requests in"))?;
        let requests: f64 = line.split_whitespace().next()?.parse().ok()?;
        let secs: f64 = line
            .split("requests in ")
            .nth(1)?
            .split('s')
            .next()?
            .parse()
            .ok()?;
        Some((requests, secs))
    })
}

fn oha(port: u16, secs: u64) -> Option<Measured> {
    let command: Vec<String> = [
        "oha",
        "--no-tui",
        "-z",
        &format!("{secs}s"),
        "-c",
        &CONNECTIONS.to_string(),
        &format!("http://127.0.0.1:{port}/api/status"),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    pinned(&command, |out| {
        // "Total: 10.0012 secs" in older releases, "Total: 10001.2 ms" in newer ones.
        let mut total_line = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("Total:"))?
            .split_whitespace();
        let number: f64 = total_line.next()?.parse().ok()?;
        let total = match total_line.next()? {
            "ms" => number / 1000.0,
            "secs" | "s" => number,
            _ => return None,
        };
        let rps: f64 = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("Requests/sec:"))?
            .trim()
            .parse()
            .ok()?;
        Some((rps * total, total))
    })
}

/// nginx with one worker on core 0, stopped on drop.
struct Nginx {
    prefix: std::path::PathBuf,
}

impl Nginx {
    fn start() -> Option<(Nginx, u16)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let prefix =
            std::env::temp_dir().join(format!("netconform-bench-nginx-{}", std::process::id()));
        std::fs::create_dir_all(prefix.join("logs")).ok()?;
        let conf = format!(
            "daemon on; worker_processes 1; worker_cpu_affinity 01; pid {p}/nginx.pid; error_log {p}/logs/error.log;\n\
             events {{ worker_connections 4096; }}\n\
             http {{ access_log off; keepalive_requests 10000000; client_body_temp_path {p}/body; proxy_temp_path {p}/proxy;\n\
             fastcgi_temp_path {p}/fastcgi; uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n\
             server {{ listen 127.0.0.1:{port}; location = /api/status {{ return 200 \"ok\"; }} }} }}\n",
            p = prefix.display()
        );
        std::fs::write(prefix.join("nginx.conf"), conf).ok()?;
        let status = Command::new("taskset")
            .args(["-c", "0", "nginx", "-p"])
            .arg(&prefix)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .status()
            .ok()?;
        status.success().then_some((Nginx { prefix }, port))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("nginx")
            .arg("-p")
            .arg(&self.prefix)
            .arg("-c")
            .arg(self.prefix.join("nginx.conf"))
            .args(["-s", "quit"])
            .status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = std::fs::remove_dir_all(&self.prefix);
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--generator") {
        generator(&args[i + 1..]);
        return;
    }
    let Some((nginx, port)) = Nginx::start() else {
        println!(
            "nginx could not start: apt-get install nginx-light (cargo xtask bench drain does)"
        );
        return;
    };
    closed_rounds(port);
    open_model(port);
    long_run(port);
    drop(nginx);
}

/// The closed loop, in interleaved rounds against wrk and oha: each client's rate, CPU per
/// request and memory, and the ratios to wrk.
#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn closed_rounds(port: u16) {
    let (mut ratio_ours, mut ratio_oha, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=ROUNDS {
        let w = wrk(port, SECONDS);
        let n = ours("closed", port, SECONDS);
        let o = oha(port, SECONDS);
        if let (Some(w), Some(n)) = (&w, &n) {
            ratio_ours.push(n.rate() / w.rate());
        }
        if let (Some(w), Some(o)) = (&w, &o) {
            ratio_oha.push(o.rate() / w.rate());
        }
        for (name, m) in [("wrk -t1", &w), ("netconform", &n), ("oha", &o)] {
            match m {
                Some(m) => rows.push(format!(
                    "| {round} | {name} | {:.0} | {:.2} | {:.1} |",
                    m.rate(),
                    m.user_us_per_request(),
                    m.max_rss_kb / 1024.0
                )),
                None => rows.push(format!(
                    "| {round} | {name} | not measured (not installed?) | | |"
                )),
            }
        }
    }
    println!(
        "Closed loop, {CONNECTIONS} connections, {SECONDS} s, client on core 1, nginx (1 worker) on core 0:\n"
    );
    println!("| round | client | req/s | user us/request | max RSS MB |\n|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!("\n| ratio to wrk in the same round (median of {ROUNDS}) | value |\n|---|---|");
    println!("| netconform / wrk | {:.2}x |", median(ratio_ours));
    println!("| oha / wrk | {:.2}x |", median(ratio_oha));
}

/// The open model at [`OPEN_RATE`]: its accounting, the rate achieved, CPU and memory.
#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn open_model(port: u16) {
    match ours("open", port, OPEN_SECONDS) {
        Some(m) => {
            let words: Vec<&str> = m.line.split_whitespace().collect();
            let field = |name: &str| {
                words
                    .iter()
                    .position(|w| *w == name)
                    .and_then(|i| words.get(i + 1))
                    .copied()
                    .unwrap_or("?")
            };
            let scheduled: f64 = field("scheduled").parse().unwrap_or(f64::NAN);
            let seconds: f64 = field("seconds").parse().unwrap_or(f64::NAN);
            let achieved = scheduled / seconds;
            println!(
                "\nOpen model at {OPEN_RATE} req/s for {OPEN_SECONDS} s (kept-alive connections):\n"
            );
            println!("| measure | value |\n|---|---|");
            println!(
                "| scheduled / accounted | {} / {} |",
                field("scheduled"),
                field("accounted")
            );
            println!(
                "| answered 200 / failed / not sent on time | {} / {} / {} |",
                field("requests"),
                field("failed"),
                field("late")
            );
            println!(
                "| achieved rate | {achieved:.1} req/s ({:+.3} % of the target) |",
                (achieved / OPEN_RATE - 1.0) * 100.0
            );
            println!("| accounting verdict | {} |", field("verdict"));
            println!("| user us/request | {:.2} |", m.user_s * 1e6 / scheduled);
            println!("| max RSS | {:.1} MB |", m.max_rss_kb / 1024.0);
        }
        None => println!("open model: not measured"),
    }
}

/// Memory over a long saturated run.
#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn long_run(port: u16) {
    if let Some(m) = ours("closed", port, 60) {
        println!(
            "\nClosed loop for 60 s: {:.0} req/s, max RSS {:.1} MB",
            m.rate(),
            m.max_rss_kb / 1024.0
        );
    }
}
