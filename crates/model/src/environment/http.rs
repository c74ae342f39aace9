//! `[endpoints]`, `[health]` and `[tls]`: what the API and the console answer, and how.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::HumanDuration;
use crate::guide;
use crate::values::{EndpointTemplate, HttpPath, StatusCode};

/// `[endpoints]`: the URLs of the API and the console, as templates over `{domain}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Endpoints {
    pub api: EndpointTemplate,
    pub app: EndpointTemplate,
    /// The plain-HTTP port that must redirect to HTTPS (Pulumi's network requirements: 80
    /// redirects to 443).
    pub http_port: u16,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            api: "https://api.{domain}".parse().expect("valid default"),
            app: "https://app.{domain}".parse().expect("valid default"),
            http_port: 80,
        }
    }
}

/// `[health]`: the API health check, as the load balancer runs it ("Load balancer
/// configuration").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthSettings {
    pub path: HttpPath,
    pub expect_status: StatusCode,
    /// Text the body must contain (Pulumi documents no body for /api/status: none by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_body: Option<String>,
    /// A regular expression the body must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_body_regex: Option<BodyRegex>,
    /// Headers the response must carry: name -> text the value must contain.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub expect_headers: BTreeMap<String, String>,
    /// Time allowed for one probe, connection included.
    pub timeout: HumanDuration,
    /// Pause between the probes of a repeated check.
    pub interval: HumanDuration,
    /// A response header naming the instance that answered, for evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_header: Option<String>,
    /// A response header naming the availability zone that answered: with it, probes must see
    /// at least `min_zones` zones ("Multi-AZ deployment").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_header: Option<String>,
    pub min_zones: u32,
    /// A path served gzip-encoded: its `Content-Encoding: gzip` must come through the load
    /// balancer intact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gzip_path: Option<HttpPath>,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            path: guide::HEALTH_CHECK_PATH.parse().expect("valid default"),
            expect_status: StatusCode(guide::HEALTHY_STATUS),
            expect_body: None,
            expect_body_regex: None,
            expect_headers: BTreeMap::new(),
            timeout: HumanDuration::from_secs(10),
            interval: HumanDuration::from_secs(1),
            instance_header: None,
            zone_header: None,
            min_zones: guide::MIN_AVAILABILITY_ZONES,
            gzip_path: None,
        }
    }
}

/// A regular expression, checked when the file is read.
#[derive(Debug, Clone)]
pub struct BodyRegex(pub regex::Regex);

impl PartialEq for BodyRegex {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Serialize for BodyRegex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for BodyRegex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        regex::Regex::new(&text).map(BodyRegex).map_err(|e| {
            serde::de::Error::custom(format!("invalid regular expression {text:?}: {e}"))
        })
    }
}

/// `[tls]`: what the endpoints' certificates and TLS must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsSettings {
    /// A CA bundle (PEM) trusted beside the system's roots, for a private CA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// The same, inline (what `netconform sandbox` writes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_pem: Option<String>,
    /// Days a certificate must still be valid for.
    pub min_days_left: u32,
    /// The lowest TLS version the endpoints may negotiate.
    pub min_version: TlsVersion,
    /// Plain `http://` endpoints fail the TLS checks instead of being not applicable.
    pub required: bool,
}

impl Default for TlsSettings {
    fn default() -> Self {
        TlsSettings {
            ca_file: None,
            ca_pem: None,
            min_days_left: 14,
            min_version: TlsVersion::V1_2,
            required: false,
        }
    }
}

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TlsVersion {
    #[serde(rename = "1.2")]
    V1_2,
    #[serde(rename = "1.3")]
    V1_3,
}

impl fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TlsVersion::V1_2 => "TLS 1.2",
            TlsVersion::V1_3 => "TLS 1.3",
        })
    }
}
