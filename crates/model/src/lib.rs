//! netconform's data. Owns the environment file schema ([`Environment`]), the guide's values
//! ([`guide`]) and recommendations ([`recommendations`]), check outcomes with their evidence
//! ([`Outcome`], [`evidence`]), why a request failed ([`FailureKind`]), restart events ([`RestartEvent`]), how step and
//! scenario verdicts roll up ([`rollup`]), the run report ([`RunReport`]), why a run stopped early ([`Stop`]), what a report must not show ([`redact`]), the exit codes ([`exit`]),
//! what changed between two runs ([`diff`]), the text of HAProxy's statistics page ([`haproxy`]) and the contract between collection
//! and the configuration readers ([`inputs`]).
//!
//! Plain data only: no I/O, no async, no network crate. Every other crate depends on this one
//! and this one depends on no workspace crate.

pub mod dates;
pub mod diff;
pub mod duration;
pub mod environment;
pub mod evidence;
pub mod exit;
pub mod failure;
pub mod haproxy;
pub mod inputs;
pub mod merge;
pub mod outcome;
pub mod redact;
pub mod restart;
pub mod rollup;
pub mod run;
pub mod stop;
pub mod values;

/// The guide's sections and values (netconform-guide).
pub use netconform_guide as guide;
/// The guide's recommendations (netconform-guide).
pub use netconform_guide::recommendations;

pub use duration::HumanDuration;
pub use environment::{EnvError, Environment};
pub use failure::{FailureKind, MAX_BODY, TlsFailure};
pub use outcome::{Gap, Outcome, Verdict};
pub use restart::{RestartEvent, RestartEventKind};
pub use run::{RunReport, ScenarioResult, StepResult, VantageVerdict};
pub use stop::Stop;
