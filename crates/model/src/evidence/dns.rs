//! DNS evidence: the answers a server gave for one name and type.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// How one name resolved through one server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// The name asked, e.g. "api.pulumi.example.com".
    pub name: String,
    /// The record type asked: "A" or "AAAA".
    pub record_type: String,
    /// Who answered: "127.0.0.1:5353", or "system resolver".
    pub server: String,
    /// The CNAME hops followed, in order.
    pub chain: Vec<Record>,
    /// The address records at the end of the chain.
    pub addresses: Vec<Record>,
    /// The name the chain ends at (the name itself when there is no CNAME).
    pub final_name: String,
    /// Why there is no answer: "NXDOMAIN", "no A records", "timed out after 2s", ...
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub record_type: String,
    pub ttl: u32,
    /// The record's data: an address, or a CNAME target without the trailing dot.
    pub data: String,
}
