//! `cargo xtask bench dns`: the DNS feature's checks against the sandbox (wall time), and the
//! query client's throughput against a loopback server beside `dig` (bind9-dnsutils) asking
//! the same questions in batch mode (`dig -f`). Ratios in one run; absolute times depend on
//! the machine.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hickory_proto::rr::RecordType;
use netconform_dns::vantage;
use netconform_dns::{NameView, checks};
use netconform_model::environment::RecordLabel;
use netconform_sandbox::{Sandbox, SandboxConfig, ZoneServer};

const T: Duration = Duration::from_secs(1);
const RUNS: usize = 20;
const QUERIES: usize = 5000;

#[expect(clippy::print_stdout, reason = "a benchmark prints its table")]
fn main() {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let feature = rt.block_on(feature_runs());
    let (ours, dig) = rt.block_on(throughput());
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| DNS feature checks against the sandbox (2 names x 3 vantage points + 7 checks), median of {RUNS} | {:.1} ms |",
        ms(feature[RUNS / 2])
    );
    println!("| same, fastest | {:.1} ms |", ms(feature[0]));
    println!(
        "| netconform query client, {QUERIES} sequential A queries | {:.0} queries/s |",
        ours
    );
    match dig {
        Some(dig) => {
            println!(
                "| dig -f (batch, one process), same {QUERIES} queries | {:.0} queries/s |",
                dig
            );
            println!("| ratio netconform / dig | {:.2}x |", ours / dig);
        }
        None => println!("| dig | not installed (apt-get install bind9-dnsutils) |"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The work of features/dns.feature: both names from every vantage point, then every check.
async fn feature_runs() -> Vec<Duration> {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts");
    let env = sandbox.environment();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let mut vantages = vantage::resolvers(&env.dns, &[]);
        let resolvers = vantages.clone();
        let authoritative = vantage::authoritative(&env.dns, &vantages[0], env.domain.name(), 0, T)
            .await
            .expect("configured");
        vantages.extend(authoritative.iter().cloned());
        let api = NameView::resolve(&env.api_record(), &vantages, T).await;
        let app = NameView::resolve(&env.app_record(), &vantages, T).await;
        let views = [&api, &app];
        for (label, view) in [(RecordLabel::Api, &api), (RecordLabel::App, &app)] {
            let lb = env.load_balancer_for(label);
            let ipv6 = checks::load_balancer_has_ipv6(&lb, &resolvers, T).await;
            assert!(checks::check_resolves(view, ipv6).passed());
            assert!(
                checks::check_leads_to_load_balancer(view, &lb, &vantages, T)
                    .await
                    .passed()
            );
        }
        assert!(
            checks::check_authoritative_agreement(&views, env.domain.name(), &authoritative, T)
                .await
                .passed()
        );
        assert!(checks::check_no_dangling(&views).passed());
        assert!(
            checks::check_wildcard(&views, env.domain.name(), &resolvers, T)
                .await
                .passed()
        );
        assert!(checks::check_ttl(&views, env.dns.max_ttl.get()).passed());
        let port = env.api_endpoint().port;
        assert!(
            !checks::check_ipv6_listeners(&[(&api, port), (&app, port)], T)
                .await
                .verdict
                .eq(&netconform_model::Verdict::Fail)
        );
        times.push(started.elapsed());
    }
    times.sort();
    times
}

async fn throughput() -> (f64, Option<f64>) {
    let zone: &'static str = "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster ( 1 3600 600 86400 60 )\n@ NS ns1\nns1 A 127.0.0.1\napi CNAME lb\nlb A 192.0.2.10\nlb A 192.0.2.11\n";
    // The server gets a runtime of its own, so that it runs the same for our client as for
    // dig, which is another process.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async {
            let server = ZoneServer::start(zone)
                .await
                .expect("the zone server starts");
            tx.send(server.addr).expect("the bench waits");
            std::future::pending::<()>().await;
        });
    });
    let server = ZoneServer {
        addr: rx.recv().expect("the zone server's address"),
    };
    let started = Instant::now();
    for _ in 0..QUERIES {
        let answer =
            netconform_dns::query::query(server.addr, "api.example.test", RecordType::A, false, T)
                .await
                .expect("an answer");
        assert_eq!(answer.answers.len(), 3);
    }
    let ours = QUERIES as f64 / started.elapsed().as_secs_f64();
    let dig = tokio::task::spawn_blocking(move || dig_batch(server.addr))
        .await
        .expect("the dig task");
    (ours, dig)
}

/// `dig -f` over the same questions; `None` when dig is not installed.
fn dig_batch(server: std::net::SocketAddr) -> Option<f64> {
    let dir = std::env::temp_dir().join(format!("netconform-bench-dns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let batch = dir.join("queries.txt");
    let mut file = std::fs::File::create(&batch).ok()?;
    for _ in 0..QUERIES {
        writeln!(
            file,
            "@{} -p {} api.example.test A +norecurse +tries=1 +time=1",
            server.ip(),
            server.port()
        )
        .ok()?;
    }
    drop(file);
    let started = Instant::now();
    let out = Command::new("dig")
        .arg("-f")
        .arg(&batch)
        .stdout(Stdio::piped())
        .output()
        .ok()?;
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let answered = String::from_utf8_lossy(&out.stdout)
        .matches("status: NOERROR")
        .count();
    assert_eq!(answered, QUERIES, "dig answered every query");
    Some(QUERIES as f64 / elapsed.as_secs_f64())
}
