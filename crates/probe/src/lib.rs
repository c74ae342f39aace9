//! HTTP and TLS probes. Owns [`Target`] (a name on its load balancer, how to reach it) and
//! the checks over it ([`checks`]): the health check on every address with the status, body
//! and headers expected; the certificate and TLS version of every address ([`tls`]); the
//! plain-HTTP redirect; the console page; stability and the health-check grace period; gzip
//! passthrough; the spread over zones. Every outcome carries one probe result (or TLS report)
//! per request, and every failure is classified ([`classify`]). What an environment file asks
//! them to reach and expect is read in [`targets`].
//!
//! Requests go to each address the name resolves to (through the configured resolver), with
//! the name pinned to it so Host and SNI stay the name's. No retries of any kind (reqwest's are
//! turned off), no redirects followed, no decompression. No printing, no env; depends on model
//! and net only.

pub mod checks;
pub mod classify;
pub mod request;
pub mod targets;
pub mod tls;

pub use request::{ProbeError, Target};
