//! The load generator against small misbehaving servers on loopback: every scheduled request
//! gets exactly one outcome, classified by what really happened.

use std::net::SocketAddr;
use std::time::Duration;

use netconform_drain::{Lane, Load, LoadPlan, LoadResult, verdict};
use netconform_model::Verdict;
use netconform_model::evidence::drain::RequestOutcome;
use netconform_model::values::{Endpoint, Nameserver, Scheme};
use netconform_model::{FailureKind, TlsFailure};
use netconform_net::{Caching, Resolver};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn plan(addr: SocketAddr, rate: f64, timeout_ms: u64, max_connections: usize) -> LoadPlan {
    LoadPlan {
        endpoint: Endpoint {
            scheme: Scheme::Http,
            host: addr.ip().to_string(),
            port: addr.port(),
        },
        path: "/api/status".parse().unwrap(),
        expect_status: 200,
        rate,
        request_timeout: Duration::from_millis(timeout_ms),
        max_connections,
        extra_roots: Vec::new(),
        instance_header: None,
        workers: 1,
        fresh_every: 2,
        slow: None,
    }
}

fn resolver() -> Resolver {
    // Never asked: the endpoints here are IP literals.
    Resolver::with_servers(
        &[Nameserver("127.0.0.1:9".parse().unwrap())],
        Duration::from_secs(1),
        Caching::On,
    )
    .unwrap()
}

async fn run(plan: LoadPlan, for_ms: u64) -> LoadResult {
    let load = Load::start(plan, resolver()).unwrap();
    tokio::time::sleep(Duration::from_millis(for_ms)).await;
    let result = load.finish().await;
    assert_eq!(
        result.accounted(),
        result.scheduled,
        "every scheduled request has exactly one outcome: {:?}",
        result.counts
    );
    assert!(result.scheduled > 0);
    result
}

/// A server that answers every request with `status`, keeping connections alive.
async fn answering(status: u16) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut pending = Vec::new();
                loop {
                    let n = match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    pending.extend_from_slice(&buf[..n]);
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
                        pending.drain(..end + 4);
                        let close = head.contains("connection: close");
                        let res = format!(
                            "HTTP/1.1 {status} X\r\ncontent-length: 2\r\n{}\r\nok",
                            if close { "connection: close\r\n" } else { "" }
                        );
                        if stream.write_all(res.as_bytes()).await.is_err() || close {
                            return;
                        }
                    }
                }
            });
        }
    });
    addr
}

/// A server that reads a request, holds it `hold`, then closes the connection without
/// answering (with a hold: a replica killed with requests in flight).
async fn closing_after(hold: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = stream.read(&mut buf).await;
                tokio::time::sleep(hold).await;
            });
        }
    });
    addr
}

/// A server that accepts connections and never answers.
async fn silent() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            held.push(stream);
        }
    });
    (addr, task)
}

fn count(result: &LoadResult, outcome: RequestOutcome) -> u64 {
    result.by_outcome().get(&outcome).copied().unwrap_or(0)
}

#[tokio::test]
async fn healthy_server_every_request_ok_and_keep_alive_reuses_connections() {
    let addr = answering(200).await;
    let result = run(plan(addr, 200.0, 1000, 64), 1000).await;
    assert_eq!(result.ok(), result.scheduled, "{:?}", result.counts);
    assert_eq!(result.failed(), 0);
    // The fresh lane opens one connection per request; the kept-alive lane reuses a few.
    let fresh = result
        .counts
        .get(&(Lane::Fresh, RequestOutcome::Status(200)))
        .copied()
        .unwrap_or(0);
    assert!(
        result.connections_opened < fresh + 10,
        "opened {} for {fresh} fresh requests",
        result.connections_opened
    );
    assert!(result.latency.p50 > 0.0);
    assert_eq!(verdict::judge_accounting(&result).verdict, Verdict::Pass);
}

#[tokio::test]
async fn rate_is_held_on_schedule() {
    let addr = answering(200).await;
    let result = run(plan(addr, 100.0, 1000, 64), 2000).await;
    // Request i is due at i/rate: as many as the run's duration holds, give or take one.
    let due = result.duration.as_secs_f64() * 100.0;
    assert!(
        (result.scheduled as f64 - due).abs() <= 2.0,
        "scheduled {} in {:?}",
        result.scheduled,
        result.duration
    );
    assert_eq!(result.not_sent_on_time(), 0);
}

#[tokio::test]
async fn refused_connections_are_counted_as_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let result = run(plan(addr, 100.0, 500, 64), 500).await;
    assert_eq!(
        count(&result, RequestOutcome::Failed(FailureKind::ConnectRefused)),
        result.scheduled,
        "{:?}",
        result.counts
    );
}

#[tokio::test]
async fn error_statuses_are_failures_by_code() {
    let addr = answering(503).await;
    let result = run(plan(addr, 100.0, 500, 64), 500).await;
    assert_eq!(
        count(&result, RequestOutcome::Status(503)),
        result.scheduled
    );
    assert_eq!(result.failed(), result.scheduled);
    let summary = verdict::summarize(&result, &[]);
    let outcome = verdict::judge_requests(&summary, 0);
    assert_eq!(outcome.verdict, Verdict::Fail);
    assert!(
        outcome
            .reason
            .contains(&format!("{} answered 503", result.scheduled)),
        "{}",
        outcome.reason
    );
    assert!(
        verdict::judge_requests(&summary, result.scheduled).passed(),
        "max_failed tolerates them"
    );
}

#[tokio::test]
async fn connection_closed_without_answer_is_closed_before_response() {
    let addr = closing_after(Duration::ZERO).await;
    let result = run(plan(addr, 100.0, 500, 64), 500).await;
    assert_eq!(
        count(
            &result,
            RequestOutcome::Failed(FailureKind::ClosedBeforeResponse)
        ),
        result.scheduled,
        "{:?}",
        result.counts
    );
}

#[tokio::test]
async fn a_cut_off_request_fails_when_it_is_cut_off_a_timeout_when_it_was_sent() {
    // Sent in the first 300 ms, cut off 800 ms later: failed from 0.8 s on, not at 0-0.3 s.
    let addr = closing_after(Duration::from_millis(800)).await;
    let result = run(plan(addr, 50.0, 3000, 64), 300).await;
    assert_eq!(
        count(
            &result,
            RequestOutcome::Failed(FailureKind::ClosedBeforeResponse)
        ),
        result.scheduled,
        "{:?}",
        result.counts
    );
    assert!(!result.samples.is_empty());
    for s in &result.samples {
        assert!(s.at >= Duration::from_millis(800), "{s:?}");
    }
    let first = Duration::from_millis(800).as_nanos() / netconform_drain::load::BUCKET.as_nanos();
    assert!(
        result
            .failure_buckets
            .keys()
            .all(|slot| u128::from(*slot) >= first),
        "{:?}",
        result.failure_buckets.keys()
    );
    // The timeline counts them sent in second 0, failed in the second they failed in.
    let failed: u64 = result.seconds.iter().map(|b| b.failed).sum();
    assert_eq!(failed, result.scheduled);
    assert_eq!(result.seconds[0].sent, result.scheduled);

    // A timeout says nothing about when the target failed: it counts when it was sent.
    let (addr, _server) = silent().await;
    let result = run(plan(addr, 50.0, 600, 512), 300).await;
    assert_eq!(
        count(&result, RequestOutcome::Failed(FailureKind::ReadTimeout)),
        result.scheduled
    );
    for s in &result.samples {
        assert!(s.at < Duration::from_millis(450), "{s:?}");
    }
}

#[tokio::test]
async fn silent_server_times_out_reading() {
    let (addr, _server) = silent().await;
    let result = run(plan(addr, 50.0, 300, 512), 400).await;
    assert_eq!(
        count(&result, RequestOutcome::Failed(FailureKind::ReadTimeout)),
        result.scheduled,
        "{:?}",
        result.counts
    );
}

#[tokio::test]
async fn connection_cap_makes_the_run_inconclusive_not_failed() {
    let (addr, _server) = silent().await;
    let result = run(plan(addr, 100.0, 2000, 2), 300).await;
    assert!(result.not_sent_on_time() > 0, "{:?}", result.counts);
    let outcome = verdict::judge_accounting(&result);
    assert_eq!(outcome.verdict, Verdict::Inconclusive);
    assert!(
        outcome
            .reason
            .contains("all 2 connections busy (drain.max_connections)"),
        "{}",
        outcome.reason
    );
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    // What nginx does with a TLS ClientHello on its HTTP port: 400 and close.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
            });
        }
    });
    let mut plan = plan(addr, 50.0, 1000, 64);
    plan.endpoint.scheme = Scheme::Https;
    let result = run(plan, 300).await;
    assert_eq!(
        count(
            &result,
            RequestOutcome::Failed(FailureKind::Tls(TlsFailure::Handshake))
        ),
        result.scheduled,
        "{:?}",
        result.counts
    );
}

#[tokio::test]
async fn slow_requests_go_every_nth_and_stay_out_of_the_latency() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    // Answers /slow after 300 ms, anything else at once; one request per connection.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let slow_seen = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&slow_seen);
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                if head.starts_with(b"GET /slow ") {
                    seen.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
            });
        }
    });
    let mut plan = plan(addr, 100.0, 2000, 128);
    plan.slow = Some(netconform_drain::SlowRequests {
        path: "/slow".parse().unwrap(),
        every: 5,
    });
    let result = run(plan, 1000).await;
    assert_eq!(result.ok(), result.scheduled, "{:?}", result.counts);
    assert_eq!(slow_seen.load(Ordering::SeqCst), result.scheduled / 5);
    assert!(
        result.latency.max < 300.0,
        "slow requests counted in the latency: max {} ms",
        result.latency.max
    );
}
