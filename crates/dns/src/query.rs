//! One DNS question to one server, asked directly (hickory-proto over tokio sockets): UDP,
//! then TCP when the answer is truncated. Nothing is cached, nothing is chased, nothing is
//! retried: the answer is what the server said.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name, RData, RecordType};
use netconform_model::HumanDuration;
use netconform_model::evidence::dns::Record;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// What a server answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// "NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", ...
    pub rcode: String,
    /// The AA flag.
    pub authoritative: bool,
    /// The UDP answer was truncated and the question was asked again over TCP.
    pub over_tcp: bool,
    /// The answer section.
    pub answers: Vec<Record>,
    /// The SOA in the answer or authority section, as (zone, serial).
    pub soa: Option<(String, u32)>,
    pub elapsed: Duration,
}

impl Answer {
    pub fn is(&self, rcode: &str) -> bool {
        self.rcode == rcode
    }
}

/// Why no answer came back. Displays as the fragment a verdict quotes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("no answer within {}", HumanDuration(*.0))]
    Timeout(Duration),
    #[error("the server is unreachable ({0})")]
    Unreachable(String),
    #[error("the answer could not be read ({0})")]
    Malformed(String),
}

/// A name as DNS writes it, lowercase, without the trailing dot.
pub fn plain(name: &Name) -> String {
    let text = name.to_ascii();
    text.strip_suffix('.').unwrap_or(&text).to_ascii_lowercase()
}

fn record(r: &hickory_proto::rr::Record) -> Record {
    let data = match &r.data {
        RData::CNAME(target) => plain(&target.0),
        RData::NS(target) => plain(&target.0),
        RData::A(a) => a.0.to_string(),
        RData::AAAA(a) => a.0.to_string(),
        RData::SOA(soa) => format!("{} serial {}", plain(&soa.mname), soa.serial),
        other => other.to_string(),
    };
    Record {
        name: plain(&r.name),
        record_type: r.record_type().to_string(),
        ttl: r.ttl,
        data,
    }
}

fn random_id() -> u16 {
    let hash = RandomState::new().hash_one(Instant::now());
    (hash & 0xffff) as u16
}

/// Asks `server` for `name`/`rtype`, with recursion desired or not, within `timeout` for each
/// of the UDP and (if truncated) TCP exchanges.
pub async fn query(
    server: SocketAddr,
    name: &str,
    rtype: RecordType,
    recursion: bool,
    timeout: Duration,
) -> Result<Answer, QueryError> {
    let started = Instant::now();
    let qname = Name::from_ascii(if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    })
    .map_err(|e| QueryError::Malformed(format!("{name} is not a DNS name: {e}")))?;
    let id = random_id();
    let mut msg = Message::new(id, MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = recursion;
    msg.add_query(Query::query(qname, rtype));
    let wire = msg
        .to_vec()
        .map_err(|e| QueryError::Malformed(e.to_string()))?;

    let response = udp(server, &wire, id, timeout).await?;
    let (response, over_tcp) = if response.metadata.truncation {
        (tcp(server, &wire, timeout).await?, true)
    } else {
        (response, false)
    };
    let soa = response
        .answers
        .iter()
        .chain(&response.authorities)
        .find_map(|r| match &r.data {
            RData::SOA(soa) => Some((plain(&r.name), soa.serial)),
            _ => None,
        });
    Ok(Answer {
        rcode: netconform_net::resolve::rcode_name(u16::from(response.metadata.response_code)),
        authoritative: response.metadata.authoritative,
        over_tcp,
        answers: response.answers.iter().map(record).collect(),
        soa,
        elapsed: started.elapsed(),
    })
}

fn io_error(e: &std::io::Error) -> QueryError {
    QueryError::Unreachable(e.to_string())
}

async fn udp(
    server: SocketAddr,
    wire: &[u8],
    id: u16,
    timeout: Duration,
) -> Result<Message, QueryError> {
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = UdpSocket::bind(bind).await.map_err(|e| io_error(&e))?;
    socket.connect(server).await.map_err(|e| io_error(&e))?;
    socket.send(wire).await.map_err(|e| io_error(&e))?;
    // No EDNS is offered, so an answer over UDP fits 512 bytes; room to spare for servers that
    // send more anyway (the TC flag covers the rest).
    let mut buf = vec![0u8; 4096];
    let mut unreadable = 0u32;
    let exchange = async {
        loop {
            let n = socket.recv(&mut buf).await.map_err(|e| io_error(&e))?;
            let Ok(m) = Message::from_vec(&buf[..n]) else {
                unreadable += 1;
                continue;
            };
            // A stray or spoofed datagram: keep waiting for ours.
            if m.metadata.id == id && m.metadata.message_type == MessageType::Response {
                return Ok(m);
            }
        }
    };
    let answer = tokio::time::timeout(timeout, exchange).await;
    match answer {
        Ok(answer) => answer,
        Err(_) if unreadable > 0 => Err(QueryError::Malformed(format!(
            "{unreadable} answer(s) that are not DNS messages, and no readable one within {}",
            HumanDuration(timeout)
        ))),
        Err(_) => Err(QueryError::Timeout(timeout)),
    }
}

async fn tcp(server: SocketAddr, wire: &[u8], timeout: Duration) -> Result<Message, QueryError> {
    let exchange = async {
        let mut stream = TcpStream::connect(server).await.map_err(|e| io_error(&e))?;
        let len = u16::try_from(wire.len())
            .map_err(|_| QueryError::Malformed("query too long".into()))?;
        let mut framed = len.to_be_bytes().to_vec();
        framed.extend_from_slice(wire);
        stream.write_all(&framed).await.map_err(|e| io_error(&e))?;
        let mut len = [0u8; 2];
        stream
            .read_exact(&mut len)
            .await
            .map_err(|e| io_error(&e))?;
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
        stream
            .read_exact(&mut body)
            .await
            .map_err(|e| io_error(&e))?;
        Message::from_vec(&body).map_err(|e| QueryError::Malformed(e.to_string()))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| QueryError::Timeout(timeout))?
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.rcode,
            if self.authoritative { " aa" } else { "" }
        )?;
        for r in &self.answers {
            write!(f, "; {} {} {} {}", r.name, r.ttl, r.record_type, r.data)?;
        }
        Ok(())
    }
}
