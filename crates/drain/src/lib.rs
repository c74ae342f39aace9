//! The drain tester. Owns the open-model load generator ([`Load`]), the restart drivers
//! ([`RestartDriver`], [`ShellRestart`]) and the verdicts over what they saw ([`verdict`]).
//!
//! Requests go out on a fixed schedule (request i at t0 + i/rate, latency measured from that
//! intended time), over connections this crate owns (hyper `client::conn`: no pool it does not
//! control, no hidden retry), half on kept-alive connections and half on a fresh connection
//! each. Every scheduled request gets exactly one [`RequestOutcome`]; nothing per request is
//! kept but counts, histograms and failures bucketed by time.
//!
//! No printing, no env; depends on model and net only. The caller drives the restart and shows
//! progress.
//!
//! [`RequestOutcome`]: netconform_model::evidence::drain::RequestOutcome

pub mod load;
pub mod restart;
pub mod verdict;

pub use load::{Lane, Load, LoadPlan, LoadResult, Progress};
pub use restart::{
    DockerRestart, EcsRestart, KubernetesRestart, RestartDriver, RestartRun, ShellRestart,
};
