//! The drain tester. Owns the open-model load generator ([`Load`]), the restart drivers
//! ([`RestartDriver`], [`ShellRestart`]), the one an environment file names
//! ([`environment::Driver`]) and the verdicts over what they saw ([`verdict`]).
//!
//! Requests go out on a fixed schedule (request i at t0 + i/rate, latency measured from that
//! intended time), over connections this crate owns (its own HTTP/1.1 client over tokio,
//! httparse for responses: no pool it does not control, no hidden retry), on kept-alive
//! connections and, every `fresh_every`-th request, on a fresh connection. hyper's
//! `client::conn` was the first engine; it cost about 5 us of CPU per request against a budget
//! of 1.5 (docs/benchmarks.md), so requests are written and responses parsed here. Every scheduled request gets exactly one [`RequestOutcome`]; nothing per request is
//! kept but counts, histograms and failures bucketed by time.
//!
//! No printing, no env; depends on model and net only. The caller drives the restart and shows
//! progress.
//!
//! [`RequestOutcome`]: netconform_model::evidence::drain::RequestOutcome

mod conn;
pub mod environment;
pub mod haproxy;
mod http1;
pub mod load;
pub mod restart;
pub mod run;
pub mod verdict;

pub use environment::restart_driver;
pub use haproxy::{HaproxyCounters, StatsError};
pub use load::{ClosedLoop, Lane, Load, LoadPlan, LoadResult, Progress, SlowRequests, closed_loop};
pub use restart::{
    DockerRestart, EcsRestart, KubernetesRestart, RemoteSandboxRestart, RestartDriver, RestartRun,
    ShellRestart, follow_rollout,
};
pub use run::{DrainRun, Ended, RestartUnderLoad, Watch, restart_under_load};
