//! HTTP and TLS evidence: one request to one address, one TLS handshake with one address.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::FailureKind;

/// One probe: what was asked, of which address, and what came back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProbeResult {
    pub url: String,
    /// The address the request went to (the name was pinned to it, Host and SNI kept).
    pub address: Option<SocketAddr>,
    /// The status line's code, when a response came back.
    pub status: Option<u16>,
    /// Why no whole response came back: "connect-refused", "read-timeout", "tls-expired", ...
    /// (the kind's stable name in `report.json`).
    #[serde(with = "crate::failure::by_name", default)]
    pub error: Option<FailureKind>,
    /// The error's full text.
    pub detail: Option<String>,
    /// The response headers the checks look at (lowercase names).
    pub headers: BTreeMap<String, String>,
    /// The start of the body, as text.
    pub body_excerpt: Option<String>,
    /// The instance that answered, when the response names one.
    pub instance: Option<String>,
    /// The zone that answered, when the response names one.
    pub zone: Option<String>,
    pub elapsed_ms: f64,
}

impl ProbeResult {
    /// Whether a whole response with `status` came back.
    pub fn answered(&self, status: u16) -> bool {
        self.error.is_none() && self.status == Some(status)
    }
}

/// One TLS handshake with one address of a name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TlsReport {
    /// The name sent as SNI and checked against the certificate.
    pub host: String,
    pub address: Option<SocketAddr>,
    /// "TLS 1.3", when the handshake completed.
    pub version: Option<String>,
    pub cipher_suite: Option<String>,
    /// The chain verified against the system's roots and the environment's CA, for the name.
    pub verified: bool,
    /// Why it did not: "expired", "wrong-host", "unknown-issuer", ... with the verifier's words.
    pub problem: Option<String>,
    /// The certificates the server sent, leaf first.
    pub certificates: Vec<CertificateInfo>,
    pub elapsed_ms: f64,
}

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// DNS names of the subject alternative name extension.
    pub sans: Vec<String>,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from now until not_after (negative once expired).
    pub days_left: i64,
}
