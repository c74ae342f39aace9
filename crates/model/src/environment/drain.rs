//! `[drain]`: the rolling restart under load, its caps and its restart drivers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::HumanDuration;
use crate::guide;
use crate::values::{HttpPath, Rate};

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
