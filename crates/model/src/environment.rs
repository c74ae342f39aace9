//! The environment file (TOML, schema version 1): what to check and how. See
//! `docs/environment.md` for the user-facing description of every key.
//!
//! Only `domain` is required; every other key has the guide's default. Values validate
//! themselves while they are read (see [`crate::values`]), so every error carries the line and
//! column of the offending value.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::HumanDuration;
use crate::guide;
use crate::values::{
    Date, DnsName, Domain, Endpoint, EndpointTemplate, HttpPath, Nameserver, PathGlob, Rate,
    StatusCode,
};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A deployment to verify, as described by an environment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Schema version of the file; only 1 exists.
    #[serde(default)]
    pub version: SchemaVersion,
    /// A name for reports, such as "staging".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The records checked are `api.{domain}` and `app.{domain}`.
    pub domain: Domain,
    /// Every scenario must run: one not checked for lack of input, or skipped by policy,
    /// fails the run (as `--strict` does).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// Which of the guide's recommendations apply: `production` (all, the default) or
    /// `staging` (those the guide asks of production only do not apply).
    #[serde(default)]
    pub profile: Profile,
    /// Known failures accepted for a while, each with an owner and an expiry.
    #[serde(default, rename = "waiver", skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
    #[serde(default)]
    pub dns: DnsSettings,
    #[serde(default)]
    pub endpoints: Endpoints,
    #[serde(default)]
    pub health: HealthSettings,
    #[serde(default)]
    pub tls: TlsSettings,
    #[serde(default)]
    pub drain: DrainSettings,
    /// Exported configuration to check against the guide (manifests, AWS describe output, a
    /// Pulumi stack export). Empty: the configuration scenarios are not checked.
    #[serde(default, skip_serializing_if = "ConfigSettings::is_empty")]
    pub config: ConfigSettings,
    /// The directory relative paths and the restart command are relative to: the file's own
    /// directory. Not written in the file.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// Which of the guide's recommendations apply to this environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Every recommendation applies.
    #[default]
    Production,
    /// Those the guide asks of production only ("deletion protection on the load balancer in
    /// production") do not apply.
    Staging,
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Production => "production",
            Profile::Staging => "staging",
        })
    }
}

/// `[[waiver]]`: a known failure accepted until a date. It names one scenario (by its name)
/// or one recommendation (`@rec:<id>`, every scenario that checks it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// Who answers for it: a team or a person.
    pub owner: String,
    /// Why the failure is accepted, and what will end it.
    pub reason: String,
    /// The last day the waiver holds; after it, the waiver fails the run.
    pub until: Date,
    /// Its line and column in the environment file, for errors. Not written in the file.
    #[serde(skip)]
    pub position: Option<(usize, usize)>,
}

impl Waiver {
    /// What it waives, for messages: `scenario "..."` or `recommendation deletion-protection`.
    pub fn target(&self) -> String {
        match (&self.scenario, &self.recommendation) {
            (Some(s), _) => format!("scenario {s:?}"),
            (None, Some(r)) => format!("recommendation {r}"),
            (None, None) => "nothing".to_owned(),
        }
    }

    /// Whether it waives a scenario of this name and these tags (without `@`).
    pub fn matches(&self, name: &str, tags: &[String]) -> bool {
        match (&self.scenario, &self.recommendation) {
            (Some(s), _) => s == name,
            (None, Some(r)) => tags
                .iter()
                .any(|t| t.strip_prefix("rec:") == Some(r.as_str())),
            (None, None) => false,
        }
    }
}

/// The `version` key. Reads only [`SCHEMA_VERSION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion;

impl Default for SchemaVersion {
    fn default() -> Self {
        SchemaVersion
    }
}

impl Serialize for SchemaVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(SCHEMA_VERSION)
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if n == i64::from(SCHEMA_VERSION) {
            Ok(SchemaVersion)
        } else {
            Err(serde::de::Error::custom(format!(
                "unsupported schema version {n}: this netconform reads version {SCHEMA_VERSION}; write `version = {SCHEMA_VERSION}` or use a netconform that knows version {n}"
            )))
        }
    }
}

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

/// `[drain]`: the rolling-restart check ("Graceful shutdown").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DrainSettings {
    /// Whether the disruptive scenarios (`@disruptive`: the rolling restart) may run against
    /// this environment. Off: they are reported as skipped by policy unless
    /// `netconform verify --allow-disruptive` is given. The sandbox always allows them.
    pub enabled: bool,
    /// Requests per second sent while the restart runs (at most [`DRAIN_RATE_CAP`] without
    /// `--override-caps`).
    pub rate: Rate,
    /// Hard cap on the whole scenario: the restart command is stopped after this (at most
    /// [`DRAIN_DURATION_CAP`] without `--override-caps`).
    pub max_duration: HumanDuration,
    /// What performs a rolling restart of the API: a shell command (run by `sh -c` in the
    /// file's directory) that exits when it is complete, or a typed driver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<Restart>,
    /// Failed requests tolerated; the guide's bar is zero.
    pub max_failed: u64,
    /// Load keeps running this long before the restart begins and after it ends.
    pub settle: HumanDuration,
    /// Time allowed for one request, connection included.
    pub request_timeout: HumanDuration,
    /// Connections the load generator may open; past this the run is inconclusive.
    pub max_connections: u32,
    /// Every n-th request goes on a new connection, the others on kept-alive ones; 0: none.
    pub fresh_every: u64,
    /// Load generator threads (one per core at most is useful); at least 1.
    #[serde(deserialize_with = "at_least_one_worker")]
    pub workers: usize,
    /// A path that takes a while to answer (a long API call), requested instead of the
    /// health path by every `slow_every`-th request: requests in flight across each stop,
    /// which a stop timeout too short for the drain cuts off. Odd by default: a round robin
    /// over an even number of instances would send every slow request to the same ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow_path: Option<HttpPath>,
    /// At least 1 (1: every request is a slow one).
    #[serde(deserialize_with = "at_least_one_in")]
    pub slow_every: u64,
    /// HAProxy's statistics as CSV (`stats uri` with `;csv`), read before and after the
    /// restart: requests the load balancer retried or redispatched are failures it hid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub haproxy_stats: Option<StatsUrl>,
}

/// A plain-HTTP URL, checked when the file is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StatsUrl(pub String);

impl<'de> Deserialize<'de> for StatsUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match url::Url::parse(&text) {
            Ok(u) if u.scheme() == "http" && u.host().is_some() => Ok(StatsUrl(text)),
            _ => Err(serde::de::Error::custom(format!(
                "invalid statistics URL {text:?}: write HAProxy's CSV statistics as a plain-HTTP URL, such as \"http://10.0.0.5:8404/stats;csv\""
            ))),
        }
    }
}

impl fmt::Display for StatsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Default for DrainSettings {
    fn default() -> Self {
        DrainSettings {
            enabled: false,
            rate: Rate(50.0),
            max_duration: HumanDuration::from_secs(600),
            restart: None,
            max_failed: guide::MAX_FAILED_DURING_RESTART,
            settle: HumanDuration::from_secs(5),
            request_timeout: HumanDuration::from_secs(10),
            max_connections: 512,
            fresh_every: 2,
            workers: 1,
            slow_path: None,
            slow_every: 7,
            haproxy_stats: None,
        }
    }
}

/// The highest `drain.rate` a run accepts without `--override-caps`: load on a production
/// API is a decision, not a typo.
pub const DRAIN_RATE_CAP: f64 = 500.0;
/// The longest `drain.max_duration` a run accepts without `--override-caps`.
pub const DRAIN_DURATION_CAP: HumanDuration = HumanDuration::from_secs(30 * 60);

impl DrainSettings {
    /// The settings above the hard caps, each as a sentence naming the key, its value and the
    /// cap; empty when every one is within them.
    pub fn over_caps(&self) -> Vec<String> {
        let mut over = Vec::new();
        if self.rate.per_second() > DRAIN_RATE_CAP {
            over.push(format!(
                "drain.rate = {} is above the hard cap of {DRAIN_RATE_CAP} req/s",
                self.rate.per_second()
            ));
        }
        if self.max_duration > DRAIN_DURATION_CAP {
            over.push(format!(
                "drain.max_duration = \"{}\" is above the hard cap of {DRAIN_DURATION_CAP}",
                self.max_duration
            ));
        }
        over
    }
}

/// `[config]`: files exported from the deployment, read by the configuration checks. Any
/// subset may be given; what no file covers is reported as not checked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigSettings {
    /// Kubernetes manifests (multi-document YAML) or `kubectl get ... -o json` output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kubernetes: Vec<PathGlob>,
    /// AWS CLI describe output (JSON): ECS, ELBv2, application autoscaling, EC2, EKS, RDS,
    /// Route 53. `ecs` is accepted as another name for it.
    #[serde(alias = "ecs", skip_serializing_if = "Vec::is_empty")]
    pub aws: Vec<PathGlob>,
    /// `pulumi stack export` output (version 3): a file, or a list of files or globs (the
    /// installers split a deployment over several stacks).
    #[serde(
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pulumi_stack_export: Vec<PathGlob>,
}

/// A path pattern or a list of them.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathGlob>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<PathGlob>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a path, or a list of paths")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<PathGlob>, E> {
            v.parse().map(|one| vec![one]).map_err(E::custom)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            seq: A,
        ) -> Result<Vec<PathGlob>, A::Error> {
            Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
    }
    d.deserialize_any(Visitor)
}

impl ConfigSettings {
    /// Whether no input is named: the configuration scenarios are not checked.
    pub fn is_empty(&self) -> bool {
        self.kubernetes.is_empty() && self.aws.is_empty() && self.pulumi_stack_export.is_empty()
    }
}

/// How the rolling restart is performed: `restart = "<shell command>"`, or a table with a
/// `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Restart {
    Command(RestartCommand),
    Driver(RestartDriverSpec),
}

impl<'de> Deserialize<'de> for Restart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Restart;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a shell command, or a table with kind = \"kubernetes\", \"ecs\", \"docker\" or \"sandbox\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Restart, E> {
                RestartCommand::deserialize(serde::de::value::StrDeserializer::new(v))
                    .map(Restart::Command)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Restart, A::Error> {
                RestartDriverSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Restart::Driver)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A typed restart driver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum RestartDriverSpec {
    /// `kubectl rollout restart` of a Deployment, followed pod by pod until every old pod is
    /// gone.
    Kubernetes {
        deployment: String,
        #[serde(default = "default_namespace")]
        namespace: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<String>,
        /// The kubectl to run.
        #[serde(default = "default_kubectl")]
        kubectl: String,
        /// How often the pods are looked at.
        #[serde(default = "default_poll")]
        poll: HumanDuration,
    },
    /// `aws ecs update-service --force-new-deployment`, followed task by task until the
    /// service is stable and every old task has stopped.
    Ecs {
        cluster: String,
        service: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        /// The aws CLI to run.
        #[serde(default = "default_aws")]
        aws: String,
        #[serde(default = "default_poll")]
        poll: HumanDuration,
    },
    /// Containers stopped (`docker stop -t`) and started again, one at a time.
    Docker {
        containers: Vec<String>,
        /// The stop timeout (SIGTERM, then SIGKILL after it), ECS's `stopTimeout`.
        #[serde(default = "default_stop_timeout")]
        stop_timeout: HumanDuration,
        #[serde(default = "default_docker")]
        docker: String,
    },
    /// A running `netconform sandbox`, through its control endpoint.
    Sandbox { url: String },
}

fn default_namespace() -> String {
    "default".into()
}

fn default_kubectl() -> String {
    "kubectl".into()
}

fn default_aws() -> String {
    "aws".into()
}

fn default_docker() -> String {
    "docker".into()
}

fn default_poll() -> HumanDuration {
    HumanDuration::from_secs(2)
}

fn default_stop_timeout() -> HumanDuration {
    HumanDuration(guide::STOP_TIMEOUT_MIN)
}

/// A non-empty shell command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RestartCommand(pub String);

impl<'de> Deserialize<'de> for RestartCommand {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim().is_empty() {
            return Err(serde::de::Error::custom(
                "the restart command is empty; write the shell command that restarts the API, such as \"kubectl -n pulumi rollout restart deploy/api && kubectl -n pulumi rollout status deploy/api --timeout=10m\", or remove the key",
            ));
        }
        Ok(RestartCommand(text))
    }
}

impl fmt::Display for RestartCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an environment file could not be used. Displays as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    pub file: PathBuf,
    /// 1-based line and column of the offending text, when known.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.file.display(), self.message)
            }
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for EnvError {}

impl Environment {
    /// An environment with every default, for `domain`.
    pub fn new(domain: Domain) -> Environment {
        Environment {
            version: SchemaVersion,
            name: None,
            domain,
            strict: false,
            profile: Profile::default(),
            waivers: Vec::new(),
            dns: DnsSettings::default(),
            endpoints: Endpoints::default(),
            health: HealthSettings::default(),
            tls: TlsSettings::default(),
            drain: DrainSettings::default(),
            config: ConfigSettings::default(),
            base_dir: PathBuf::from("."),
        }
    }

    /// Reads an environment file's text. `file` names it in errors; its directory becomes
    /// [`Environment::base_dir`].
    pub fn from_toml(text: &str, file: &Path) -> Result<Environment, EnvError> {
        let mut env: Environment = toml::from_str(text).map_err(|e| {
            let position = e.span().map(|span| line_col(text, span.start));
            EnvError {
                file: file.to_owned(),
                position,
                message: explain(e.message()),
            }
        })?;
        env.base_dir = match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        locate_waivers(&mut env, text);
        for waiver in &env.waivers {
            let error = |message: String| EnvError {
                file: file.to_owned(),
                position: waiver.position,
                message,
            };
            match (&waiver.scenario, &waiver.recommendation) {
                (Some(_), Some(_)) | (None, None) => {
                    return Err(error(
                        "a [[waiver]] names either `scenario = \"<its name>\"` or `recommendation = \"<id>\"`, exactly one of them".to_owned(),
                    ));
                }
                (None, Some(id))
                    if crate::recommendations::from_tag(&format!("rec:{id}")).is_none() =>
                {
                    let ids: Vec<&str> = crate::recommendations::ALL.iter().map(|r| r.id).collect();
                    return Err(error(format!(
                        "the [[waiver]] names recommendation {id:?}, which the guide does not have; the ids are: {}",
                        ids.join(", ")
                    )));
                }
                _ => {}
            }
            if waiver.owner.trim().is_empty() || waiver.reason.trim().is_empty() {
                return Err(error(
                    "a [[waiver]] needs an `owner` and a `reason`: who answers for it and why the failure is accepted".to_owned(),
                ));
            }
        }
        Ok(env)
    }

    /// The file's text for this environment (what `netconform sandbox` writes).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("an environment always serializes")
    }

    /// A name for reports: `name`, else the domain.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.domain.to_string())
    }

    /// `api.{domain}` or `app.{domain}`.
    pub fn record(&self, label: RecordLabel) -> DnsName {
        self.domain.name().child(label.label())
    }

    /// What `label`'s record must lead to: its `[dns.records.*]` override, else `[dns]`'s.
    pub fn load_balancer_for(&self, label: RecordLabel) -> LoadBalancerTarget {
        let over = match label {
            RecordLabel::Api => self.dns.records.api.as_ref(),
            RecordLabel::App => self.dns.records.app.as_ref(),
        };
        let name = over
            .and_then(|o| o.load_balancer.clone())
            .or_else(|| self.dns.load_balancer.clone());
        let addresses = match over {
            Some(o) if !o.load_balancer_addresses.is_empty() => o.load_balancer_addresses.clone(),
            _ => self.dns.load_balancer_addresses.clone(),
        };
        LoadBalancerTarget {
            name,
            addresses,
            address_match: self.dns.address_match,
        }
    }

    /// A path from the file, relative to the file's directory.
    pub fn resolve_path(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_owned()
        } else {
            self.base_dir.join(path)
        }
    }

    /// `api.{domain}`.
    pub fn api_record(&self) -> DnsName {
        self.domain.name().child(guide::API_RECORD_LABEL)
    }

    /// `app.{domain}`.
    pub fn app_record(&self) -> DnsName {
        self.domain.name().child(guide::APP_RECORD_LABEL)
    }

    pub fn api_endpoint(&self) -> Endpoint {
        self.endpoints.api.resolve(&self.domain)
    }

    /// `label`'s endpoint: [`Environment::api_endpoint`] or [`Environment::app_endpoint`].
    pub fn endpoint(&self, label: RecordLabel) -> Endpoint {
        match label {
            RecordLabel::Api => self.api_endpoint(),
            RecordLabel::App => self.app_endpoint(),
        }
    }

    pub fn app_endpoint(&self) -> Endpoint {
        self.endpoints.app.resolve(&self.domain)
    }
}

/// `drain.workers`: 0 threads would send nothing.
fn at_least_one_worker<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = usize::deserialize(d)?;
    if n == 0 {
        return Err(serde::de::Error::custom(
            "drain.workers = 0 would send no request; write 1 (the default) or one per core",
        ));
    }
    Ok(n)
}

/// `drain.slow_every`: every n-th request, n >= 1.
fn at_least_one_in<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = u64::deserialize(d)?;
    if n == 0 {
        return Err(serde::de::Error::custom(
            "drain.slow_every = 0 names no request; write the n of \"every n-th request is a slow one\" (default 7, prime to the number of instances)",
        ));
    }
    Ok(n)
}

/// Gives each `[[waiver]]` its line and column in `text`.
fn locate_waivers(env: &mut Environment, text: &str) {
    #[derive(Deserialize)]
    struct Spans {
        #[serde(default)]
        waiver: Vec<toml::Spanned<toml::Table>>,
    }
    if let Ok(spans) = toml::from_str::<Spans>(text) {
        for (waiver, span) in env.waivers.iter_mut().zip(spans.waiver) {
            waiver.position = Some(line_col(text, span.span().start));
        }
    }
}

/// Adds a way out to serde's bare messages.
fn explain(message: &str) -> String {
    let message = message.trim_end();
    if message.starts_with("missing field `domain`") {
        return format!(
            "{message}: every environment file names its domain; add `domain = \"pulumi.example.com\"` at the top"
        );
    }
    if message.starts_with("unknown field") {
        return format!("{message}; remove it or fix its spelling (see docs/environment.md)");
    }
    message.to_owned()
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Environment, String> {
        Environment::from_toml(text, Path::new("envs/test.toml")).map_err(|e| e.to_string())
    }

    /// `expected` is `Ok(())` or `Err(substring of "file:line:col: message")`.
    fn check(text: &str, expected: Result<(), &str>) {
        match (parse(text), expected) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err(want)) => assert!(e.contains(want), "{text:?}\n got: {e}\nwant: {want}"),
            (got, want) => panic!("{text:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn minimal_file_takes_the_guides_defaults() {
        let env = parse("domain = \"pulumi.example.com\"").unwrap();
        assert_eq!(env.api_record().as_str(), "api.pulumi.example.com");
        assert_eq!(env.app_record().as_str(), "app.pulumi.example.com");
        assert_eq!(
            env.api_endpoint().origin(),
            "https://api.pulumi.example.com"
        );
        assert_eq!(env.health.path.as_str(), "/api/status");
        assert_eq!(env.health.expect_status, StatusCode(200));
        assert_eq!(env.drain.max_failed, 0);
        assert_eq!(env.drain.max_duration, HumanDuration::from_secs(600));
        assert_eq!(env.base_dir, Path::new("envs"));
        assert!(env.dns.nameservers.is_empty());
    }

    #[test]
    fn full_file_round_trips() {
        let text = r#"
version = 1
name = "staging"
domain = "pulumi.example.com"
[dns]
nameservers = ["192.0.2.53:53", "[2001:db8::53]:5353"]
load_balancer = "lb-123.elb.example.com"
load_balancer_addresses = ["192.0.2.10", "2001:db8::10"]
timeout = "3s"
[endpoints]
api = "http://api.{domain}:8080"
app = "https://app.{domain}"
[health]
path = "/api/status"
expect_status = 200
timeout = "5s"
[drain]
rate = 50
max_duration = "10m"
restart = "kubectl -n pulumi rollout restart deploy/api"
max_failed = 0
settle = "2s"
request_timeout = "10s"
max_connections = 100
"#;
        let env = parse(text).unwrap();
        assert_eq!(env.display_name(), "staging");
        assert_eq!(env.dns.nameservers.len(), 2);
        assert_eq!(
            env.api_endpoint().url("/api/status"),
            "http://api.pulumi.example.com:8080/api/status"
        );
        let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
        assert_eq!(again, env);
    }

    #[test]
    fn drain_is_off_by_default_and_capped() {
        let env = parse("domain = \"a.b\"").unwrap();
        assert!(!env.drain.enabled, "disruptive scenarios are opt-in");
        assert!(
            env.drain.over_caps().is_empty(),
            "the defaults are within the caps"
        );
        let env =
            parse("domain = \"a.b\"\n[drain]\nenabled = true\nrate = 500\nmax_duration = \"30m\"")
                .unwrap();
        assert!(env.drain.enabled);
        assert!(
            env.drain.over_caps().is_empty(),
            "the caps themselves are allowed"
        );
        let env = parse("domain = \"a.b\"\n[drain]\nrate = 501\nmax_duration = \"31m\"").unwrap();
        assert_eq!(
            env.drain.over_caps(),
            [
                "drain.rate = 501 is above the hard cap of 500 req/s",
                "drain.max_duration = \"31m\" is above the hard cap of 30m"
            ]
        );
    }

    #[test]
    fn record_overrides_take_precedence() {
        let env = parse(
            "domain = \"pulumi.example.com\"\n[dns]\nload_balancer = \"api-lb.example.com\"\naddress_match = \"any\"\nload_balancer_addresses = [\"192.0.2.10\"]\n[dns.records.app]\nload_balancer = \"console-lb.example.com\"\n",
        )
        .unwrap();
        let api = env.load_balancer_for(RecordLabel::Api);
        let app = env.load_balancer_for(RecordLabel::App);
        assert_eq!(api.name.unwrap().as_str(), "api-lb.example.com");
        assert_eq!(app.name.unwrap().as_str(), "console-lb.example.com");
        assert_eq!(
            app.addresses, api.addresses,
            "addresses not overridden fall back to [dns]"
        );
        assert_eq!(app.address_match, AddressMatch::Any);
        assert_eq!(env.dns.max_ttl, HumanDuration::from_secs(300));
        check(
            "domain = \"a.b\"\n[dns.records.ap]\nload_balancer = \"x.b\"",
            Err("unknown field `ap`, expected `api` or `app`"),
        );
        check(
            "domain = \"a.b\"\n[dns]\naddress_match = \"some\"",
            Err("unknown variant `some`, expected `all` or `any`"),
        );
    }

    #[test]
    fn restart_is_a_command_or_a_driver() {
        let env = parse("domain = \"a.b\"\n[drain]\nrestart = \"make restart\"").unwrap();
        assert_eq!(
            env.drain.restart,
            Some(Restart::Command(RestartCommand("make restart".into())))
        );
        let env = parse("domain = \"a.b\"\n[drain.restart]\nkind = \"kubernetes\"\ndeployment = \"api\"\nnamespace = \"pulumi\"").unwrap();
        let Some(Restart::Driver(RestartDriverSpec::Kubernetes {
            deployment,
            namespace,
            kubectl,
            ..
        })) = env.drain.restart
        else {
            panic!()
        };
        assert_eq!(
            (deployment.as_str(), namespace.as_str(), kubectl.as_str()),
            ("api", "pulumi", "kubectl")
        );
        let env = parse("domain = \"a.b\"\n[drain.restart]\nkind = \"docker\"\ncontainers = [\"api-1\", \"api-2\"]").unwrap();
        let Some(Restart::Driver(RestartDriverSpec::Docker { stop_timeout, .. })) =
            &env.drain.restart
        else {
            panic!()
        };
        assert_eq!(
            *stop_timeout,
            HumanDuration::from_secs(120),
            "the guide's stop timeout by default"
        );
        let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
        assert_eq!(again.drain.restart, env.drain.restart);
        check(
            "domain = \"a.b\"\n[drain.restart]\nkind = \"nomad\"",
            Err(
                "unknown variant `nomad`, expected one of `kubernetes`, `ecs`, `docker`, `sandbox`",
            ),
        );
        check(
            "domain = \"a.b\"\n[drain.restart]\nkind = \"ecs\"\ncluster = \"c\"",
            Err("missing field `service`"),
        );
        check(
            "domain = \"a.b\"\n[drain.restart]\nkind = \"kubernetes\"\ndeploy = \"api\"",
            Err("unknown field `deploy`"),
        );
    }

    #[test]
    fn the_commented_example_reads() {
        let text = include_str!("../../../envs/example.toml");
        let env = Environment::from_toml(text, Path::new("envs/example.toml")).unwrap();
        assert!(!env.config.is_empty(), "the example shows [config]");
        assert!(
            matches!(
                env.drain.restart,
                Some(Restart::Driver(RestartDriverSpec::Kubernetes { .. }))
            ),
            "the example shows a typed restart driver first"
        );
    }

    #[test]
    fn config_names_files_relative_to_the_environment_file() {
        let env = parse(
            "domain = \"a.b\"\n[config]\nkubernetes = [\"deploy/*.yaml\", \"/abs/api.json\"]\necs = [\"describe/*.json\"]\npulumi_stack_export = \"stack.json\"\n",
        )
        .unwrap();
        assert_eq!(env.config.kubernetes.len(), 2);
        assert_eq!(
            env.config.aws[0].as_str(),
            "describe/*.json",
            "`ecs` is another name for `aws`"
        );
        assert_eq!(env.config.pulumi_stack_export[0].as_str(), "stack.json");
        let env = parse(
            "domain = \"a.b\"\n[config]\npulumi_stack_export = [\"stacks/app.json\", \"stacks/dns.json\"]",
        )
        .unwrap();
        assert_eq!(env.config.pulumi_stack_export.len(), 2);
        let again = Environment::from_toml(&env.to_toml(), Path::new("envs/test.toml")).unwrap();
        assert_eq!(again.config, env.config);
        assert!(parse("domain = \"a.b\"").unwrap().config.is_empty());
        check(
            "domain = \"a.b\"\n[config]\nkubernetes = [\"deploy/[.yaml\"]",
            Err("envs/test.toml:3:14: invalid path pattern \"deploy/[.yaml\""),
        );
        check(
            "domain = \"a.b\"\n[config]\nkubernetes = \"deploy/*.yaml\"",
            Err("envs/test.toml:3:14: invalid type: string \"deploy/*.yaml\", expected a sequence"),
        );
        check(
            "domain = \"a.b\"\n[config]\nstack_export = \"stack.json\"",
            Err("envs/test.toml:3:1: unknown field `stack_export`"),
        );
        check(
            "domain = \"a.b\"\n[config]\npulumi_stack_export = 3",
            Err(
                "envs/test.toml:3:23: invalid type: integer `3`, expected a path, or a list of paths",
            ),
        );
        check(
            "domain = \"a.b\"\n[config]\npulumi_stack_export = \"\"",
            Err("envs/test.toml:3:23: the path pattern is empty"),
        );
        check(
            "domain = \"a.b\"\n[config]\naws = [\"a.json\"]\necs = [\"b.json\"]",
            Err("duplicate field `aws`"),
        );
    }

    #[test]
    fn a_load_of_nothing_is_refused_at_its_place() {
        check(
            "domain = \"a.b\"\n[drain]\nslow_every = 0",
            Err("envs/test.toml:3:14: drain.slow_every = 0 names no request"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nworkers = 0",
            Err("envs/test.toml:3:11: drain.workers = 0 would send no request"),
        );
    }

    #[test]
    fn waivers_profiles_and_strict_are_read_with_their_places() {
        let env = parse(concat!(
            "domain = \"a.b\"\nstrict = true\nprofile = \"staging\"\n\n",
            "[[waiver]]\nrecommendation = \"deletion-protection\"\nowner = \"platform\"\n",
            "reason = \"the ALB is replaced in January\"\nuntil = 2027-01-31\n\n",
            "[[waiver]]\nscenario = \"The records validate with DNSSEC\"\nowner = \"dns\"\n",
            "reason = \"zone signing in Q1\"\nuntil = \"2027-03-31\"\n",
        ))
        .unwrap();
        assert!(env.strict);
        assert_eq!(env.profile, Profile::Staging);
        assert_eq!(env.waivers.len(), 2);
        assert_eq!(env.waivers[0].until.to_string(), "2027-01-31");
        assert_eq!(env.waivers[0].position, Some((5, 1)));
        assert_eq!(env.waivers[1].until.to_string(), "2027-03-31");
        assert_eq!(env.waivers[1].position, Some((11, 1)));
        assert_eq!(
            Environment::new("a.b".parse().unwrap()).profile,
            Profile::Production
        );
        check(
            "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nrecommendation = \"https\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31",
            Err("envs/test.toml:2:1: a [[waiver]] names either `scenario"),
        );
        check(
            "domain = \"a.b\"\n[[waiver]]\nrecommendation = \"tls13\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31",
            Err(
                "envs/test.toml:2:1: the [[waiver]] names recommendation \"tls13\", which the guide does not have; the ids are: multi-az",
            ),
        );
        check(
            "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \" \"\nreason = \"r\"\nuntil = 2027-01-31",
            Err("envs/test.toml:2:1: a [[waiver]] needs an `owner` and a `reason`"),
        );
        check(
            "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \"o\"\nreason = \"r\"\nuntil = \"2027-02-30\"",
            Err("envs/test.toml:6:9: \"2027-02-30\": 2027-02 has no day 30; write YYYY-MM-DD"),
        );
        check(
            "domain = \"a.b\"\n[[waiver]]\nscenario = \"x\"\nowner = \"o\"\nreason = \"r\"\nuntil = 2027-01-31T10:00:00Z",
            Err("a date and time; write only the date"),
        );
        check(
            "domain = \"a.b\"\nprofile = \"prod\"",
            Err("envs/test.toml:2:11: unknown variant `prod`, expected `production` or `staging`"),
        );
    }

    #[test]
    fn bad_input_names_the_place_and_the_fix() {
        check(
            "",
            Err(
                "envs/test.toml:1:1: missing field `domain`: every environment file names its domain",
            ),
        );
        check(
            "domain = \"pulumi..example.com\"",
            Err("envs/test.toml:1:10: invalid domain \"pulumi..example.com\": empty label"),
        );
        check(
            "domain = 42",
            Err("envs/test.toml:1:10: invalid type: integer `42`, expected a string"),
        );
        check(
            "domain = \"a.b\"\n[dns]\nnameserver = [\"1.1.1.1\"]",
            Err("envs/test.toml:3:1: unknown field `nameserver`, expected one of `nameservers`"),
        );
        check(
            "domain = \"a.b\"\ncolour = 1",
            Err("envs/test.toml:2:1: unknown field `colour`"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nmax_duration = \"ten minutes\"",
            Err("envs/test.toml:3:16: invalid duration: expected a number"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nmax_duration = 600",
            Err("envs/test.toml:3:16: invalid duration 600: a duration needs a unit"),
        );
        check(
            "domain = \"a.b\"\n[endpoints]\napi = \"https://api.example.com\"",
            Err(
                "envs/test.toml:3:7: endpoint \"https://api.example.com\" does not contain {domain}",
            ),
        );
        check(
            "domain = \"a.b\"\n[health]\nexpect_status = 42",
            Err("envs/test.toml:3:17: invalid status 42"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nrate = 0",
            Err("envs/test.toml:3:8: invalid rate 0"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nrestart = \"  \"",
            Err("the restart command is empty"),
        );
        check(
            "version = 2\ndomain = \"a.b\"",
            Err("envs/test.toml:1:11: unsupported schema version 2"),
        );
        check(
            "domain = \"a.b\"\n[dns]\nnameservers = [\"dns.example.com\"]",
            Err("envs/test.toml:3:15: invalid nameserver"),
        );
        check("domain = \"a.b\n", Err("envs/test.toml:1:"));
        check(
            "domain = \"a.b\"\n[drain]\nhaproxy_stats = \"https://lb:8404/stats;csv\"",
            Err("envs/test.toml:3:17: invalid statistics URL"),
        );
        check(
            "domain = \"a.b\"\n[drain]\nslow_path = \"api/slow\"",
            Err("envs/test.toml:3:13: invalid path"),
        );
    }

    #[test]
    fn slow_requests_and_haproxy_statistics_are_read() {
        let env = parse(
            "domain = \"a.b\"\n[drain]\nslow_path = \"/api/slow?ms=2000\"\nslow_every = 20\nhaproxy_stats = \"http://10.0.0.5:8404/stats;csv\"",
        )
        .unwrap();
        assert_eq!(
            env.drain.slow_path.as_ref().map(HttpPath::as_str),
            Some("/api/slow?ms=2000")
        );
        assert_eq!(env.drain.slow_every, 20);
        assert_eq!(
            env.drain.haproxy_stats,
            Some(StatsUrl("http://10.0.0.5:8404/stats;csv".into()))
        );
        let again = parse(&env.to_toml()).unwrap();
        assert_eq!(again.drain, env.drain);
        assert_eq!(parse("domain = \"a.b\"").unwrap().drain.slow_path, None);
    }
}
