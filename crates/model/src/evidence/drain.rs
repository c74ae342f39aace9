//! Drain evidence: every request's outcome during a rolling restart, and the restart itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::failure::FailureKind;
use crate::restart::RestartEventKind;

/// The outcome of one scheduled request. Every scheduled request has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestOutcome {
    /// A response with this status code.
    Status(u16),
    /// No whole response, for this reason (the probes' kinds too).
    Failed(FailureKind),
    /// Answered by an instance the run did not expect: not one seen before the rollout, nor
    /// one the rollout started (a stray target, a hijacked name).
    WrongHost,
    /// Still waiting when the run ended (after waiting the request timeout).
    InFlightAtEnd,
    /// The generator could not send it on time: no verdict about the target.
    NotSentOnTime,
}

impl From<FailureKind> for RequestOutcome {
    fn from(kind: FailureKind) -> RequestOutcome {
        RequestOutcome::Failed(kind)
    }
}

impl RequestOutcome {
    /// A stable name: "status-200", "connect-refused", ...
    pub fn name(self) -> String {
        match self {
            RequestOutcome::Status(code) => format!("status-{code}"),
            RequestOutcome::Failed(kind) => kind.name().into(),
            RequestOutcome::WrongHost => "wrong-host".into(),
            RequestOutcome::InFlightAtEnd => "in-flight-at-end".into(),
            RequestOutcome::NotSentOnTime => "not-sent-on-time".into(),
        }
    }

    /// Human wording for verdicts: "refused", "answered 502".
    pub fn describe(self) -> String {
        match self {
            RequestOutcome::Status(code) => format!("answered {code}"),
            RequestOutcome::Failed(kind) => kind.describe().into(),
            RequestOutcome::WrongHost => "answered by an unexpected instance".into(),
            RequestOutcome::InFlightAtEnd => "still in flight at the end".into(),
            RequestOutcome::NotSentOnTime => "not sent on time".into(),
        }
    }
}

/// What the load generator saw through a rolling restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrainSummary {
    pub url: String,
    /// The status that counts as served.
    pub expect_status: u16,
    pub target_rate: f64,
    /// Requests the schedule called for; equals the sum of `outcomes`.
    pub scheduled: u64,
    /// Requests by outcome name ([`RequestOutcome::name`]).
    pub outcomes: BTreeMap<String, u64>,
    /// Requests answered with the expected status.
    pub ok: u64,
    /// Requests that failed (any outcome but the expected status and `not-sent-on-time`).
    pub failed: u64,
    pub not_sent_on_time: u64,
    pub duration_s: f64,
    pub achieved_rate: f64,
    pub connections_opened: u64,
    /// Latency from the intended send time, in milliseconds (what a user waited).
    pub latency_ms: Latency,
    /// Service time, from the request's sending to its whole response, in milliseconds.
    pub service_ms: Latency,
    /// Requests by lane ("keep-alive", "fresh-connection"), then by outcome name.
    pub lanes: BTreeMap<String, BTreeMap<String, u64>>,
    /// One bucket per second from the start of the load.
    pub timeline: Vec<SecondBucket>,
    /// The first failures, with their times (capped).
    pub failure_samples: Vec<FailureSample>,
    /// Failures counted per restart phase and outcome.
    pub failures_by_phase: Vec<PhaseFailures>,
    pub events: Vec<PhaseEvent>,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

/// One second of the run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecondBucket {
    pub second: u64,
    /// Requests due in this second.
    pub sent: u64,
    /// Of those, the ones answered as expected.
    pub ok: u64,
    /// Requests that failed in this second (when the refusal, reset, close or error answer
    /// came; a timeout counts when its request was sent), whenever they were sent.
    pub failed: u64,
    /// Latency p99 of the second's answered requests, in milliseconds.
    pub p99_ms: f64,
    /// The second's failed requests by outcome name ([`RequestOutcome::name`]); they add up
    /// to `failed`.
    #[serde(default)]
    pub failures: BTreeMap<String, u64>,
}

/// One failed request, as sampled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailureSample {
    /// When it failed, seconds from the start of the load: when the refusal, reset, close
    /// or error answer came; for a timeout, when the request was sent.
    pub at_s: f64,
    pub outcome: String,
    /// The restart phase it failed in.
    pub phase: String,
    pub detail: Option<String>,
}

/// Failures that fell in one phase of the restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseFailures {
    /// e.g. "zone-a/api-1 stopping".
    pub phase: String,
    pub from_s: f64,
    pub to_s: f64,
    pub outcomes: BTreeMap<String, u64>,
}

/// A restart event placed on the load's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseEvent {
    pub at_s: f64,
    pub kind: RestartEventKind,
    pub instance: Option<String>,
    pub detail: Option<String>,
}

/// How the restart itself went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestartSummary {
    /// "sandbox rolling restart" or the shell command.
    pub driver: String,
    pub completed: bool,
    /// Exit status, or why it did not complete.
    pub status: String,
    pub duration_s: f64,
    /// The command's output (stdout and stderr interleaved), tail-capped.
    pub output: String,
}
