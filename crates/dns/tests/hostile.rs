//! The DNS checks against servers that misbehave on purpose, each a real UDP server on
//! loopback: SERVFAIL, garbage, a truncated answer with no TCP behind it, a CNAME loop, a
//! 50-deep chain, silence. Every case is a failed verdict whose reason names what happened,
//! within a bound of the query timeout. docs/reliability.md lists the same cases.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::{A, CNAME};
use hickory_proto::rr::{Name, RData, Record};
use netconform_dns::{NameView, Vantage, checks};
use netconform_model::evidence::dns::VantageKind;
use netconform_model::values::DnsName;
use netconform_model::{Outcome, Verdict};
use tokio::net::UdpSocket;

/// One query's timeout here; the bounds below are in its terms.
const TIMEOUT: Duration = Duration::from_secs(1);
const SLACK: Duration = Duration::from_millis(800);

/// How the server answers a query: the bytes to send back, or none.
type Answer = fn(&Message) -> Option<Vec<u8>>;

/// A UDP server on loopback answering every datagram with `answer` (no TCP listener: a
/// truncated answer's retry over TCP is refused).
async fn serve(answer: Answer) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        while let Ok((n, from)) = socket.recv_from(&mut buf).await {
            let Ok(query) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            if let Some(bytes) = answer(&query) {
                let _ = socket.send_to(&bytes, from).await;
            }
        }
    });
    addr
}

/// A response to `query` with `answers` in it.
fn response(query: &Message, answers: Vec<Record>, edit: impl FnOnce(&mut Message)) -> Vec<u8> {
    let mut msg = Message::new(
        query.metadata.id,
        MessageType::Response,
        query.metadata.op_code,
    );
    msg.metadata.recursion_desired = query.metadata.recursion_desired;
    msg.metadata.recursion_available = true;
    for q in &query.queries {
        msg.add_query(q.clone());
    }
    for r in answers {
        msg.add_answer(r);
    }
    edit(&mut msg);
    msg.to_vec().unwrap()
}

fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap()
}

fn cname(from: &str, to: &str) -> Record {
    Record::from_rdata(name(from), 60, RData::CNAME(CNAME(name(to))))
}

/// Resolves api.hostile.test through the server, judges it, and says how long it took.
async fn resolve(server: SocketAddr) -> (Outcome, Duration) {
    let record: DnsName = "api.hostile.test".parse().unwrap();
    let started = Instant::now();
    let view = NameView::resolve(
        &record,
        &[Vantage::new(VantageKind::Resolver, server)],
        TIMEOUT,
    )
    .await;
    (checks::check_resolves(&view, false), started.elapsed())
}

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

#[tokio::test]
async fn servfail_is_named() {
    let server = serve(|q| {
        Some(response(q, Vec::new(), |m| {
            m.metadata.response_code = ResponseCode::ServFail;
        }))
    })
    .await;
    let (outcome, took) = resolve(server).await;
    assert_failed(&outcome, took, SLACK, &["SERVFAIL"]);
}

#[tokio::test]
async fn garbage_answers_are_told_from_silence() {
    let server = serve(|q| {
        let mut bytes = q.metadata.id.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"\x81\x80 this is no DNS message");
        Some(bytes)
    })
    .await;
    let (outcome, took) = resolve(server).await;
    assert_failed(
        &outcome,
        took,
        TIMEOUT + SLACK,
        &["not DNS messages, and no readable one within 1s"],
    );
}

#[tokio::test]
async fn a_truncated_answer_with_no_tcp_is_unreachable() {
    let server = serve(|q| {
        Some(response(q, Vec::new(), |m| {
            m.metadata.truncation = true;
        }))
    })
    .await;
    let (outcome, took) = resolve(server).await;
    // The retry over TCP finds nothing listening.
    assert_failed(&outcome, took, SLACK, &["unreachable", "refused"]);
}

#[tokio::test]
async fn a_cname_loop_is_named_and_not_followed() {
    let server = serve(|q| {
        let chain = vec![
            cname("api.hostile.test.", "b.hostile.test."),
            cname("b.hostile.test.", "api.hostile.test."),
        ];
        Some(response(q, chain, |_| {}))
    })
    .await;
    let (outcome, took) = resolve(server).await;
    assert_failed(&outcome, took, SLACK, &["the CNAME chain loops"]);
}

#[tokio::test]
async fn a_fifty_deep_chain_is_followed_sixteen_names_deep() {
    let server = serve(|q| {
        let mut chain: Vec<Record> = (0..50)
            .map(|i| {
                let from = if i == 0 {
                    "api.hostile.test.".to_owned()
                } else {
                    format!("c{i}.hostile.test.")
                };
                cname(&from, &format!("c{}.hostile.test.", i + 1))
            })
            .collect();
        chain.push(Record::from_rdata(
            name("c50.hostile.test."),
            60,
            RData::A(A::new(192, 0, 2, 1)),
        ));
        Some(response(q, chain, |_| {}))
    })
    .await;
    let (outcome, took) = resolve(server).await;
    assert_failed(
        &outcome,
        took,
        SLACK,
        &["the CNAME chain is longer than 16 names"],
    );
}

#[tokio::test]
async fn silence_times_out_within_the_query_timeout() {
    let server = serve(|_| None).await;
    let (outcome, took) = resolve(server).await;
    // A and AAAA are asked together: one timeout, not two.
    assert_failed(&outcome, took, TIMEOUT + SLACK, &["no answer within 1s"]);
}
