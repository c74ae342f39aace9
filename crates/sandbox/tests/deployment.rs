//! The sandbox as a deployment: its load balancer spreads over both zones, its rolling restart
//! replaces every replica in order, and its broken variants are broken.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use netconform_model::RestartEventKind;
use netconform_sandbox::{INSTANCE_HEADER, Sandbox, SandboxConfig, Variant, ZONE_HEADER};
use rustls::pki_types::pem::PemObject as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

async fn start(variant: Option<Variant>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        variant,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// A TLS connection to the load balancer's first address, trusting the sandbox's CA.
async fn connect(sandbox: &Sandbox) -> tokio_rustls::client::TlsStream<TcpStream> {
    let t = sandbox.topology();
    let pem = sandbox.environment().tls.ca_pem.clone().unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let stream = TcpStream::connect((t.lb_addresses[0], t.lb_port))
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from("api.sandbox.test").unwrap();
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(name, stream)
        .await
        .unwrap()
}

/// One `GET path` to the load balancer on a fresh connection; the status and the response.
async fn get(sandbox: &Sandbox, path: &str) -> (u16, String) {
    let mut stream = connect(sandbox).await;
    let req = format!("GET {path} HTTP/1.1\r\nhost: api.sandbox.test\r\nconnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut res = Vec::new();
    let _ = stream.read_to_end(&mut res).await;
    let res = String::from_utf8_lossy(&res).into_owned();
    let status = res[9..12].parse().unwrap();
    (status, res.to_ascii_lowercase())
}

fn header<'a>(res: &'a str, name: &str) -> &'a str {
    res.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or("")
        .trim()
}

#[tokio::test]
async fn load_balancer_spreads_requests_over_both_zones() {
    let sandbox = start(None).await;
    let mut zones = BTreeSet::new();
    for _ in 0..6 {
        let (status, res) = get(&sandbox, "/api/status").await;
        assert_eq!(status, 200);
        assert!(!header(&res, INSTANCE_HEADER).is_empty());
        zones.insert(header(&res, ZONE_HEADER).to_owned());
    }
    assert_eq!(
        zones,
        BTreeSet::from(["zone-a".to_owned(), "zone-b".to_owned()])
    );
    let (status, res) = get(&sandbox, "/").await;
    assert_eq!(status, 200);
    assert!(header(&res, "content-type").starts_with("text/html"));
}

#[tokio::test]
async fn rolling_restart_replaces_each_replica_after_its_successor_is_healthy() {
    let sandbox = start(None).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    sandbox.rolling_restart(tx).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "a full rolling restart takes {:?}",
        started.elapsed()
    );
    let mut events = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        events.push((ev.kind, ev.instance.unwrap_or_default()));
    }
    use RestartEventKind::*;
    let expected = [
        (RolloutBegun, ""),
        (InstanceStarted, "zone-a/api-3"),
        (InstanceHealthy, "zone-a/api-3"),
        (InstanceStopping, "zone-a/api-1"),
        (InstanceExited, "zone-a/api-1"),
        (InstanceStarted, "zone-b/api-4"),
        (InstanceHealthy, "zone-b/api-4"),
        (InstanceStopping, "zone-b/api-2"),
        (InstanceExited, "zone-b/api-2"),
        (RolloutDone, ""),
    ];
    let got: Vec<(RestartEventKind, &str)> = events.iter().map(|(k, i)| (*k, i.as_str())).collect();
    assert_eq!(got, expected);
    // The new replicas serve.
    let (status, res) = get(&sandbox, "/api/status").await;
    assert_eq!(status, 200);
    assert!(
        ["zone-a/api-3", "zone-b/api-4"].contains(&header(&res, INSTANCE_HEADER)),
        "{res}"
    );
}

#[tokio::test]
async fn status_500_answers_500_and_its_rollout_cannot_complete() {
    let sandbox = start(Some(Variant::Status500)).await;
    let (status, _) = get(&sandbox, "/api/status").await;
    assert_eq!(status, 500, "the load balancer fails open, like an ALB");
    let (tx, _rx) = mpsc::unbounded_channel();
    let err = sandbox.rolling_restart(tx).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("zone-a/api-3 did not become healthy in the load balancer"),
        "{err}"
    );
}

#[tokio::test]
async fn exit_on_sigterm_replicas_exit_at_once() {
    let sandbox = start(Some(Variant::ExitOnSigterm)).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    sandbox.rolling_restart(tx).await.unwrap();
    let mut exits = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        if ev.kind == RestartEventKind::InstanceExited {
            exits.push(ev.detail.unwrap_or_default());
        }
    }
    assert_eq!(exits.len(), 2);
    assert!(
        exits
            .iter()
            .all(|d| d.starts_with("exited at once on stop")),
        "{exits:?}"
    );
}

#[tokio::test]
async fn in_flight_requests_finish_through_a_graceful_stop() {
    let sandbox = start(None).await;
    // Two slow requests, one per zone, in flight when the rollout stops their replicas.
    async fn slow(sandbox: &Sandbox) -> tokio::task::JoinHandle<String> {
        let mut stream = connect(sandbox).await;
        tokio::spawn(async move {
            stream
                .write_all(b"GET /api/slow?ms=1500 HTTP/1.1\r\nhost: api.sandbox.test\r\nconnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut res = Vec::new();
            let _ = stream.read_to_end(&mut res).await;
            String::from_utf8_lossy(&res).into_owned()
        })
    }
    let (a, b) = (slow(&sandbox).await, slow(&sandbox).await);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (tx, _rx) = mpsc::unbounded_channel();
    sandbox.rolling_restart(tx).await.unwrap();
    for res in [a.await.unwrap(), b.await.unwrap()] {
        assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    }
}
