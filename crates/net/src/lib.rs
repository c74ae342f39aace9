//! Client-side plumbing shared by the checkers (dns, probe, drain): name resolution through the
//! environment's configured resolver ([`Resolver`]), so that every check sees the same answers,
//! the TLS client configuration ([`tls`]), and which kind of failure an I/O or TLS error is
//! ([`failure`]). A leaf crate: it depends on model only, and
//! judges nothing. No printing, no process env.

pub mod failure;
pub mod resolve;
pub mod tls;

pub use resolve::{Caching, LookupFailure, Resolver, ResolverError};
