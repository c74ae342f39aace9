//! `[dns]`: where names are resolved and what the records must lead to.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::HumanDuration;
use crate::guide;
use crate::values::{DnsName, Nameserver};

/// `[dns]`: where names are resolved and what they must lead to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DnsSettings {
    /// Resolvers to ask (`ip:port`). Empty: the system resolver. Every check, HTTP probes and
    /// the load generator included, resolves names through these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<Nameserver>,
    /// More resolvers to check the records through (`ip:port`), e.g. a public resolver and a
    /// corporate one: split-horizon shows as a difference between vantage points.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vantage_points: Vec<Nameserver>,
    /// The zone's authoritative servers (`ip:port`), asked directly with recursion off. Empty:
    /// discovered from the zone's NS records (asked on port 53).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authoritative: Vec<Nameserver>,
    /// The name the records must lead to through their CNAME chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<DnsName>,
    /// The addresses the records must resolve to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_addresses: Vec<IpAddr>,
    /// How the resolved addresses compare with `load_balancer_addresses`.
    pub address_match: AddressMatch,
    /// Per-record overrides, for environments with a balancer per record (`[dns.records.app]`).
    #[serde(skip_serializing_if = "RecordOverrides::is_empty")]
    pub records: RecordOverrides,
    /// Highest TTL allowed on the records and their chains: a long TTL delays a load balancer
    /// change.
    pub max_ttl: HumanDuration,
    /// Whether the records must validate with DNSSEC.
    pub dnssec: DnssecMode,
    /// DNSKEY records (zone-file form) to trust instead of the root's, for a private zone:
    /// `"example.com. 3600 IN DNSKEY 257 3 13 <base64>"`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trust_anchors: Vec<String>,
    /// Time allowed for one DNS query.
    pub timeout: HumanDuration,
    /// Time allowed for one whole DNS check (every vantage point, both names).
    pub check_timeout: HumanDuration,
}

impl Default for DnsSettings {
    fn default() -> Self {
        DnsSettings {
            nameservers: Vec::new(),
            vantage_points: Vec::new(),
            authoritative: Vec::new(),
            load_balancer: None,
            load_balancer_addresses: Vec::new(),
            address_match: AddressMatch::All,
            records: RecordOverrides::default(),
            max_ttl: HumanDuration::from_secs(300),
            dnssec: DnssecMode::Off,
            trust_anchors: Vec::new(),
            timeout: HumanDuration::from_secs(2),
            check_timeout: HumanDuration::from_secs(30),
        }
    }
}

/// Whether DNSSEC is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DnssecMode {
    /// Not checked.
    #[default]
    Off,
    /// Every answer for the records must be signed and validate from the trust anchors.
    Validate,
}

/// How resolved addresses compare with the load balancer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressMatch {
    /// The resolved set equals the load balancer's set.
    #[default]
    All,
    /// The resolved set shares at least one address with the load balancer's.
    Any,
}

/// `[dns.records.api]` and `[dns.records.app]`: what one record must lead to, overriding
/// `[dns]`'s `load_balancer` and `load_balancer_addresses`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<RecordTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<RecordTarget>,
}

impl RecordOverrides {
    pub fn is_empty(&self) -> bool {
        self.api.is_none() && self.app.is_none()
    }
}

/// What one record must lead to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordTarget {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<DnsName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_addresses: Vec<IpAddr>,
}

/// One of the guide's two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordLabel {
    Api,
    App,
}

impl RecordLabel {
    pub fn label(self) -> &'static str {
        match self {
            RecordLabel::Api => guide::API_RECORD_LABEL,
            RecordLabel::App => guide::APP_RECORD_LABEL,
        }
    }

    pub fn other(self) -> RecordLabel {
        match self {
            RecordLabel::Api => RecordLabel::App,
            RecordLabel::App => RecordLabel::Api,
        }
    }
}

/// The load balancer one record must lead to, after overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancerTarget {
    pub name: Option<DnsName>,
    pub addresses: Vec<IpAddr>,
    pub address_match: AddressMatch,
}

impl LoadBalancerTarget {
    /// Whether anything says what the load balancer is.
    pub fn is_known(&self) -> bool {
        self.name.is_some() || !self.addresses.is_empty()
    }
}
