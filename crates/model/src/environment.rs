//! The environment file (TOML, schema version 1): what to check and how. See
//! `docs/environment.md` for the user-facing description of every key.
//!
//! Only `domain` is required; every other key has the guide's default. Values validate
//! themselves while they are read (see [`crate::values`]), so every error carries the line and
//! column of the offending value.

mod config;
mod dns;
mod drain;
mod http;
mod waiver;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::HumanDuration;
use crate::guide;
use crate::values::{DnsName, Domain, Endpoint};

pub use config::{CollectFrom, ConfigSettings};
pub use dns::{
    AddressMatch, DnsSettings, DnssecMode, LoadBalancerTarget, RecordLabel, RecordOverrides,
    RecordTarget,
};
pub use drain::{
    DRAIN_DURATION_CAP, DRAIN_RATE_CAP, DrainSettings, Restart, RestartCommand, RestartDriverSpec,
    StatsUrl,
};
pub use http::{BodyRegex, Endpoints, HealthSettings, TlsSettings, TlsVersion};
pub use waiver::Waiver;

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
    /// Bounds the whole run (as `--timeout` does): what is cut off is inconclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<HumanDuration>,
    /// A report.json of an earlier run of this environment to compare the run with (as
    /// `--baseline` does; the flag wins), relative to the file's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<PathBuf>,
    /// A missing `baseline` file is a first run (as `--baseline-optional` does): the run says
    /// so and compares with nothing. An unreadable one, or one of another environment, still
    /// stops the run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baseline_optional: bool,
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
            timeout: None,
            baseline: None,
            baseline_optional: false,
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
mod tests;
