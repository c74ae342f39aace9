//! The test bed broken on purpose: one real configuration difference in one real component
//! each (HAProxy's configuration, the replica's command line, the restart's stop timeout, the
//! zone file), so each check is shown to fail against real software.

use std::fmt;
use std::str::FromStr;

/// A way to break the test bed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Break {
    /// HAProxy has no health check (no `option httpchk`, no `check`, no agent): it routes to
    /// replicas that are stopping or gone.
    HaproxyNoHealthcheck,
    /// HAProxy checks `/health`, which the API does not serve: every server is marked down
    /// and HAProxy answers 503.
    HaproxyWrongCheckPath,
    /// The replicas exit at once on SIGTERM (no graceful shutdown).
    ReplicaNoGracefulShutdown,
    /// The restart stops each container with `docker stop -t 1`: slow requests in flight are
    /// killed with the replica.
    StopTimeoutTooShort,
    /// HAProxy retries every retryable error on another server (`retry-on
    /// all-retryable-errors`, `option redispatch`) in front of replicas that exit at once:
    /// no error reaches the client, the retries hide them.
    HaproxyRetriesMask,
    /// The zone has no record for `app.{domain}`.
    DnsAppMissing,
}

impl Break {
    pub const ALL: [Break; 6] = [
        Break::HaproxyNoHealthcheck,
        Break::HaproxyWrongCheckPath,
        Break::ReplicaNoGracefulShutdown,
        Break::StopTimeoutTooShort,
        Break::HaproxyRetriesMask,
        Break::DnsAppMissing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Break::HaproxyNoHealthcheck => "haproxy-no-healthcheck",
            Break::HaproxyWrongCheckPath => "haproxy-wrong-check-path",
            Break::ReplicaNoGracefulShutdown => "replica-no-graceful-shutdown",
            Break::StopTimeoutTooShort => "stop-timeout-too-short",
            Break::HaproxyRetriesMask => "haproxy-retries-mask",
            Break::DnsAppMissing => "dns-app-missing",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Break::HaproxyNoHealthcheck => {
                "HAProxy has no health check: it keeps routing to stopping and stopped replicas"
            }
            Break::HaproxyWrongCheckPath => {
                "HAProxy checks GET /health, which the API does not serve: every server is down"
            }
            Break::ReplicaNoGracefulShutdown => "the API replicas exit at once on SIGTERM",
            Break::StopTimeoutTooShort => {
                "docker stop -t 1: replicas are killed with slow requests in flight"
            }
            Break::HaproxyRetriesMask => {
                "HAProxy retries every retryable error on another server, in front of replicas that exit at once"
            }
            Break::DnsAppMissing => "the zone has no record for app.{domain}",
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Break {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Break::ALL
            .into_iter()
            .find(|v| v.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Break::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown test bed variant {text:?}; the variants are: {}",
                    names.join(", ")
                )
            })
    }
}
