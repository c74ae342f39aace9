//! What checks saw, kept so a report can show exactly what was judged.

pub mod config;
pub mod dns;
pub mod drain;
pub mod http;

use serde::{Deserialize, Serialize};

/// One piece of evidence attached to an [`crate::Outcome`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    Dns(dns::Resolution),
    Http(http::ProbeResult),
    Tls(http::TlsReport),
    Drain(Box<drain::DrainSummary>),
    Restart(drain::RestartSummary),
    Config(config::Finding),
    Note { text: String },
}

impl From<dns::Resolution> for Evidence {
    fn from(v: dns::Resolution) -> Self {
        Evidence::Dns(v)
    }
}

impl From<http::ProbeResult> for Evidence {
    fn from(v: http::ProbeResult) -> Self {
        Evidence::Http(v)
    }
}

impl From<http::TlsReport> for Evidence {
    fn from(v: http::TlsReport) -> Self {
        Evidence::Tls(v)
    }
}

impl From<drain::DrainSummary> for Evidence {
    fn from(v: drain::DrainSummary) -> Self {
        Evidence::Drain(Box::new(v))
    }
}

impl From<drain::RestartSummary> for Evidence {
    fn from(v: drain::RestartSummary) -> Self {
        Evidence::Restart(v)
    }
}

impl From<config::Finding> for Evidence {
    fn from(v: config::Finding) -> Self {
        Evidence::Config(v)
    }
}
