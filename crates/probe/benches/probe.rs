//! `cargo xtask bench probe`: the health and TLS features' checks against the sandbox (wall
//! time), and probes per second through the sandbox's load balancer over HTTPS (a new
//! connection and TLS handshake each) beside `curl` in a loop asking the same. Ratios in one
//! run; absolute times depend on the machine.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use netconform_model::environment::TlsVersion;
use netconform_net::{Caching, Resolver};
use netconform_probe::Target;
use netconform_probe::checks::{self, Expect};
use netconform_sandbox::{Sandbox, SandboxConfig};

const RUNS: usize = 10;
const PROBES: usize = 300;

#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn main() {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let sandbox = rt
        .block_on(Sandbox::start(SandboxConfig::default()))
        .expect("the sandbox starts");
    let env = sandbox.environment().clone();
    let roots = netconform_net::tls::extra_roots(env.tls.ca_pem.as_deref(), None)
        .expect("the sandbox's CA");
    let target = |endpoint| Target {
        endpoint,
        timeout: Duration::from_secs(2),
        extra_roots: roots.clone(),
        instance_header: env.health.instance_header.clone(),
        zone_header: env.health.zone_header.clone(),
    };
    let (api, app) = (target(env.api_endpoint()), target(env.app_endpoint()));
    let resolver = Resolver::for_environment(&env.dns, Caching::On).expect("a resolver");
    let http_port = sandbox.topology().lb_http_port;

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        rt.block_on(async {
            let ok = Expect::status(200);
            let outcomes = [
                checks::check_every_address(&api, &resolver, "/api/status", &ok).await,
                checks::check_repeatedly(&api, &resolver, "/api/status", &ok, 20, Duration::ZERO)
                    .await,
                checks::check_becomes_healthy(
                    &api,
                    &resolver,
                    "/api/status",
                    &ok,
                    Duration::from_secs(5),
                    Duration::ZERO,
                )
                .await,
                checks::check_console(&app, &resolver).await,
                checks::check_zone_spread(&api, &resolver, "/api/status", 2, 10).await,
                checks::check_gzip(&api, &resolver, Some("/api/gzip")).await,
                checks::check_certificate(&api, &resolver, false).await,
                checks::check_certificate(&app, &resolver, false).await,
                checks::check_tls_hygiene(&api, &resolver, 14, TlsVersion::V1_2, false).await,
                checks::check_tls_hygiene(&app, &resolver, 14, TlsVersion::V1_2, false).await,
                checks::check_redirect(&api, &resolver, http_port, false).await,
                checks::check_redirect(&app, &resolver, http_port, false).await,
            ];
            for outcome in outcomes {
                assert!(outcome.expect("probes build").passed());
            }
        });
        times.push(started.elapsed());
    }
    times.sort();

    let ip = sandbox.topology().lb_addresses[0];
    let started = Instant::now();
    rt.block_on(async {
        let ask = api.ask("/api/status");
        for _ in 0..PROBES {
            let result = api.send(ip, &ask).await.expect("a probe");
            assert_eq!(result.status, Some(200));
        }
    });
    let ours = PROBES as f64 / started.elapsed().as_secs_f64();
    let curl = curl_loop(&env, ip, sandbox.topology().lb_port);

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| health and TLS checks against the sandbox (10 checks, 3 addresses, 20 in a row without pauses), median of {RUNS} | {:.0} ms |",
        times[RUNS / 2].as_secs_f64() * 1000.0
    );
    println!(
        "| netconform probe, {PROBES} sequential HTTPS requests, new connection each | {ours:.0} probes/s |"
    );
    match curl {
        Some(curl) => {
            println!("| curl in a loop (one process each), same requests | {curl:.0} probes/s |");
            println!("| ratio netconform / curl | {:.2}x |", ours / curl);
        }
        None => println!("| curl | not installed |"),
    }
    drop(sandbox);
}

/// `curl` once per request, like a shell loop; `None` when curl is not installed.
fn curl_loop(env: &netconform_model::Environment, ip: std::net::IpAddr, port: u16) -> Option<f64> {
    let dir = std::env::temp_dir().join(format!("netconform-bench-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, env.tls.ca_pem.as_deref()?).ok()?;
    let host = env.api_record();
    let url = format!("https://{host}:{port}/api/status");
    let resolve = format!("{host}:{port}:{ip}");
    let started = Instant::now();
    for _ in 0..PROBES {
        let status = Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert"])
            .arg(&ca)
            .args(["--resolve", &resolve, &url])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        assert_eq!(
            String::from_utf8_lossy(&status.stdout),
            "200",
            "curl got an answer"
        );
    }
    let rate = PROBES as f64 / started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    Some(rate)
}
