//! HTTP probe evidence: one request to one address.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

/// One probe: what was asked, of which address, and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub url: String,
    /// The address the request went to (the name was pinned to it, Host and SNI kept).
    pub address: Option<SocketAddr>,
    /// The status line's code, when a response came back.
    pub status: Option<u16>,
    /// The error class when no response came back: "connect-refused", "timeout", ...
    pub error: Option<String>,
    /// The error's full text.
    pub detail: Option<String>,
    /// The instance that answered, when the response names one.
    pub instance: Option<String>,
    pub elapsed_ms: f64,
}
