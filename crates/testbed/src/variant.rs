//! The test bed broken on purpose: one real configuration difference in one real component
//! each (HAProxy's configuration, the replica's command line, the restart's stop timeout, the
//! zone file), so each check is shown to fail against real software. A breakage the sandbox
//! also has goes by the sandbox's name (`exit-on-sigterm`, `stop-timeout-too-short`,
//! `no-app-record`): one name, accepted by both.

use std::fmt;
use std::str::FromStr;

/// A way to break the test bed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// HAProxy has no health check (no `option httpchk`, no `check`, no agent): it routes to
    /// replicas that are stopping or gone.
    HaproxyNoHealthcheck,
    /// HAProxy checks `/health`, which the API does not serve: every server is marked down
    /// and HAProxy answers 503.
    HaproxyWrongCheckPath,
    /// The replicas exit at once on SIGTERM (no graceful shutdown).
    ExitOnSigterm,
    /// The restart stops each container with `docker stop -t 1`: slow requests in flight are
    /// killed with the replica.
    StopTimeoutTooShort,
    /// HAProxy retries every retryable error on another server (`retry-on
    /// all-retryable-errors`, `option redispatch`) in front of replicas that exit at once:
    /// no error reaches the client, the retries hide them.
    HaproxyRetriesMask,
    /// The zone has no record for `app.{domain}`.
    NoAppRecord,
}

impl Variant {
    pub const ALL: [Variant; 6] = [
        Variant::HaproxyNoHealthcheck,
        Variant::HaproxyWrongCheckPath,
        Variant::ExitOnSigterm,
        Variant::StopTimeoutTooShort,
        Variant::HaproxyRetriesMask,
        Variant::NoAppRecord,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::HaproxyNoHealthcheck => "haproxy-no-healthcheck",
            Variant::HaproxyWrongCheckPath => "haproxy-wrong-check-path",
            Variant::ExitOnSigterm => "exit-on-sigterm",
            Variant::StopTimeoutTooShort => "stop-timeout-too-short",
            Variant::HaproxyRetriesMask => "haproxy-retries-mask",
            Variant::NoAppRecord => "no-app-record",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Variant::HaproxyNoHealthcheck => {
                "HAProxy has no health check: it keeps routing to stopping and stopped replicas"
            }
            Variant::HaproxyWrongCheckPath => {
                "HAProxy checks GET /health, which the API does not serve: every server is down"
            }
            Variant::ExitOnSigterm => "the API replicas exit at once on SIGTERM",
            Variant::StopTimeoutTooShort => {
                "docker stop -t 1: replicas are killed with slow requests in flight"
            }
            Variant::HaproxyRetriesMask => {
                "HAProxy retries every retryable error on another server, in front of replicas that exit at once"
            }
            Variant::NoAppRecord => "the zone has no record for app.{domain}",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Variant {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if let Some(refusal) = netconform_replica::renamed::refusal(text) {
            return Err(refusal);
        }
        Variant::ALL
            .into_iter()
            .find(|v| v.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Variant::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown test bed variant {text:?}; the variants are: {}",
                    names.join(", ")
                )
            })
    }
}
