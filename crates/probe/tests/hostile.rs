//! The probes against load balancers that misbehave on purpose, each a real TCP (or TLS)
//! server on loopback: every case ends in a named verdict, with a reason that says what
//! happened, within a bound of the probe's own timeout, and without reading more than it must.
//! docs/reliability.md lists the same cases and what they yield.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use netconform_model::environment::TlsVersion;
use netconform_model::evidence::Evidence;
use netconform_model::values::{Endpoint, Scheme};
use netconform_model::{Outcome, Verdict};
use netconform_net::{Caching, Resolver};
use netconform_probe::Target;
use netconform_probe::checks::{self, Expect};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Each probe's timeout here; the bounds below are in its terms.
const TIMEOUT: Duration = Duration::from_secs(2);
/// What a case may take beyond what it waits for by design.
const SLACK: Duration = Duration::from_millis(800);

/// A server on loopback that treats every connection with `behave`.
async fn serve<F, Fut>(behave: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(behave(stream));
        }
    });
    addr
}

/// Reads the request's head (up to the blank line), so what follows is an answer to it.
async fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

fn target(addr: SocketAddr, scheme: Scheme) -> Target {
    Target {
        endpoint: Endpoint {
            scheme,
            host: addr.ip().to_string(),
            port: addr.port(),
        },
        timeout: TIMEOUT,
        extra_roots: Vec::new(),
        instance_header: None,
        zone_header: None,
    }
}

fn resolver() -> Resolver {
    Resolver::system(Duration::from_secs(1), Caching::Off).unwrap()
}

/// The outcome failed, says every fragment, and came within `bound`.
fn assert_failed(outcome: &Outcome, took: Duration, bound: Duration, fragments: &[&str]) {
    assert_eq!(outcome.verdict, Verdict::Fail, "{outcome}");
    for f in fragments {
        assert!(
            outcome.reason.contains(f),
            "{:?} lacks {f:?}",
            outcome.reason
        );
    }
    assert!(
        took < bound,
        "took {took:?}, more than {bound:?}: {outcome}"
    );
}

async fn health(addr: SocketAddr) -> (Outcome, Duration) {
    let started = Instant::now();
    let outcome = checks::check_every_address(
        &target(addr, Scheme::Http),
        &resolver(),
        "/api/status",
        &Expect::status(200),
    )
    .await
    .unwrap();
    (outcome, started.elapsed())
}

async fn blackhole() -> SocketAddr {
    serve(|stream| async move {
        // Accepts, reads nothing, answers nothing, holds the connection.
        tokio::time::sleep(Duration::from_secs(120)).await;
        drop(stream);
    })
    .await
}

#[tokio::test]
async fn a_blackhole_times_out_within_the_probe_timeout() {
    let (outcome, took) = health(blackhole().await).await;
    assert_failed(&outcome, took, TIMEOUT + SLACK, &["read-timeout"]);
}

#[tokio::test]
async fn twenty_in_a_row_against_a_blackhole_stops_at_the_first_failure() {
    let addr = blackhole().await;
    let started = Instant::now();
    let outcome = checks::check_repeatedly(
        &target(addr, Scheme::Http),
        &resolver(),
        "/api/status",
        &Expect::status(200),
        20,
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    // One probe's timeout, not twenty.
    assert_failed(
        &outcome,
        started.elapsed(),
        TIMEOUT + SLACK,
        &[
            "probe 1 of 20",
            "read-timeout",
            "the other 19 were not sent",
        ],
    );
    assert_eq!(outcome.evidence.len(), 1);
}

#[tokio::test]
async fn the_grace_period_is_a_deadline_even_against_a_blackhole() {
    let addr = blackhole().await;
    let within = Duration::from_millis(1500);
    let started = Instant::now();
    let outcome = checks::check_becomes_healthy(
        &target(addr, Scheme::Http),
        &resolver(),
        "/api/status",
        &Expect::status(200),
        within,
        Duration::from_millis(200),
    )
    .await
    .unwrap();
    // The probe in flight at the deadline (its own timeout is longer) is cut short.
    assert_failed(
        &outcome,
        started.elapsed(),
        within + SLACK,
        &[
            "not healthy by the deadline, 1s500ms after the first probe",
            "no round finished",
        ],
    );
}

#[tokio::test]
async fn slowloris_is_cut_at_the_probe_timeout() {
    let addr = serve(|mut stream| async move {
        read_request(&mut stream).await;
        // A header that never ends, one byte every 300 ms.
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nX-Slow: ").await;
        for _ in 0..1000 {
            if stream.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    })
    .await;
    let (outcome, took) = health(addr).await;
    assert_failed(&outcome, took, TIMEOUT + SLACK, &["read-timeout"]);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_malformed_response() {
    let addr = serve(|mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"\x00\x01\x02 this is not HTTP at all \xff\xfe\r\n\r\n")
            .await;
    })
    .await;
    let (outcome, took) = health(addr).await;
    assert_failed(&outcome, took, SLACK, &["malformed-response"]);
}

#[tokio::test]
async fn an_endless_body_is_read_up_to_the_cap_and_no_further() {
    let written = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&written);
    let addr = serve(move |mut stream| {
        let counter = Arc::clone(&counter);
        async move {
            read_request(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                .await;
            let chunk = vec![b'x'; 64 * 1024];
            // Close-delimited and endless, until the client goes away (at most 1 GiB).
            for _ in 0..16 * 1024 {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                counter.fetch_add(chunk.len(), Ordering::Relaxed);
            }
        }
    })
    .await;
    let (outcome, took) = health(addr).await;
    assert_failed(
        &outcome,
        took,
        TIMEOUT,
        &["malformed-response", "the body went past 1024 KiB"],
    );
    // The server wrote the cap and what the sockets' buffers held, not a gigabyte.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::Relaxed);
    assert!(sent < 16 << 20, "the server got {sent} bytes out");
    let Some(Evidence::Http(probe)) = outcome.evidence.first() else {
        panic!("no probe evidence: {outcome}");
    };
    assert!(
        probe.body_excerpt.is_none(),
        "no body is kept from a cut response"
    );
}

#[tokio::test]
async fn endless_headers_are_a_malformed_response() {
    let addr = serve(|mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\n").await;
        for i in 0..1_000_000u32 {
            let line = format!("X-Filler-{i}: {}\r\n", "a".repeat(100));
            if stream.write_all(line.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let (outcome, took) = health(addr).await;
    assert_failed(&outcome, took, TIMEOUT, &["malformed-response"]);
}

#[tokio::test]
async fn a_reset_after_accept_is_a_reset() {
    let addr = serve(|mut stream| async move {
        read_request(&mut stream).await;
        // SO_LINGER 0: closing sends RST instead of FIN.
        stream.set_zero_linger().unwrap();
        drop(stream);
    })
    .await;
    let (outcome, took) = health(addr).await;
    assert_failed(&outcome, took, SLACK, &["reset"]);
}

#[tokio::test]
async fn a_stalled_tls_handshake_times_out_within_the_probe_timeout() {
    let addr = blackhole().await;
    let started = Instant::now();
    let outcome = checks::check_certificate(&target(addr, Scheme::Https), &resolver(), true)
        .await
        .unwrap();
    assert_failed(
        &outcome,
        started.elapsed(),
        TIMEOUT + SLACK,
        &["no TLS handshake within"],
    );
}

#[tokio::test]
async fn a_chain_of_a_thousand_certificates_is_refused_not_read() {
    let issued = netconform_replica::ca::issue(&netconform_replica::ca::Request {
        ca_name: "netconform hostile CA".into(),
        ca_valid: (-1, 30),
        names: vec!["127.0.0.1".into()],
        leaf_valid: (-1, 30),
    })
    .unwrap();
    let mut chain = vec![rustls::pki_types::CertificateDer::from(
        issued.leaf_der.clone(),
    )];
    chain.extend((0..999).map(|_| rustls::pki_types::CertificateDer::from(issued.ca_der.clone())));
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(issued.key_der.clone().into());
    netconform_net::tls::install_default_provider();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let addr = serve(move |stream| {
        let acceptor = acceptor.clone();
        async move {
            let _ = acceptor.accept(stream).await;
        }
    })
    .await;
    let mut tls = target(addr, Scheme::Https);
    tls.extra_roots = vec![issued.ca_der.clone().into()];
    let started = Instant::now();
    let outcome = checks::check_certificate(&tls, &resolver(), true)
        .await
        .unwrap();
    // rustls refuses a handshake message past its size limit before reading the chain.
    assert_failed(
        &outcome,
        started.elapsed(),
        TIMEOUT,
        &["tls-error", "HandshakePayloadTooLarge"],
    );
    let hygiene = checks::check_tls_hygiene(&tls, &resolver(), 1, TlsVersion::V1_2, true)
        .await
        .unwrap();
    assert_eq!(hygiene.verdict, Verdict::Fail, "{hygiene}");
}

#[tokio::test]
async fn a_redirect_loop_is_one_hop_judged() {
    let addr = serve(|mut stream| async move {
        read_request(&mut stream).await;
        let addr = stream.local_addr().unwrap();
        let answer = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: http://{addr}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(answer.as_bytes()).await;
    })
    .await;
    // The probes follow no redirect: the health check sees the 301 itself.
    let (outcome, took) = health(addr).await;
    assert_failed(&outcome, took, SLACK, &["answered 301"]);
    // And the redirect check judges the one hop: to plain HTTP, not HTTPS.
    let mut https = target(addr, Scheme::Https);
    https.endpoint.port = 443;
    let started = Instant::now();
    let outcome = checks::check_redirect(&https, &resolver(), addr.port(), true)
        .await
        .unwrap();
    assert_failed(&outcome, started.elapsed(), SLACK, &["which is not HTTPS"]);
}
