//! DNS evidence: the answers a server gave for one name and type.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// What kind of server a vantage point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VantageKind {
    /// A resolver from `dns.nameservers`, or the system's: what clients ask.
    Resolver,
    /// An extra resolver from `dns.vantage_points`.
    VantagePoint,
    /// One of the zone's authoritative servers, asked with recursion off.
    Authoritative,
}

/// How one name resolved through one server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// The name asked, e.g. "api.pulumi.example.com".
    pub name: String,
    /// The record type asked: "A" or "AAAA".
    pub record_type: String,
    /// Who answered: "127.0.0.1:5353", or "system resolver".
    pub server: String,
    pub vantage: VantageKind,
    /// The response code: "NOERROR", "NXDOMAIN", "SERVFAIL", ...; none when nothing came back.
    pub rcode: Option<String>,
    /// The answer's AA flag: the server is authoritative for it.
    pub authoritative_answer: bool,
    /// The UDP answer was truncated and the query was repeated over TCP.
    pub over_tcp: bool,
    /// The CNAME hops followed, in order.
    pub chain: Vec<Record>,
    /// The address records at the end of the chain.
    pub addresses: Vec<Record>,
    /// The name the chain ends at (the name itself when there is no CNAME).
    pub final_name: String,
    /// The zone's SOA serial when the answer carried the SOA (negative answers).
    pub soa_serial: Option<u32>,
    /// An authoritative server's chain that continues outside its zone, at this name: the
    /// rest is another server's to answer.
    pub leaves_zone_at: Option<String>,
    /// The chain ends at a CNAME target that does not exist (NXDOMAIN).
    pub dangling: Option<String>,
    /// Why there is no answer: "NXDOMAIN", "no A records", "no answer within 2s", ...
    pub error: Option<String>,
    pub elapsed_ms: f64,
}

impl Resolution {
    pub fn ips(&self) -> Vec<IpAddr> {
        self.addresses
            .iter()
            .filter_map(|r| r.data.parse().ok())
            .collect()
    }
}

/// One resource record as answered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub record_type: String,
    pub ttl: u32,
    /// The record's data: an address, or a CNAME target without the trailing dot.
    pub data: String,
}
