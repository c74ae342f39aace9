//! Client-side plumbing shared by the checkers (dns, probe, drain): name resolution through the
//! environment's configured resolver ([`Resolver`]), so that every check sees the same answers,
//! and the TLS client configuration ([`tls`]). A leaf crate: it depends on model only, and
//! judges nothing. No printing, no process env.

pub mod resolve;
pub mod tls;

pub use resolve::{Caching, LookupFailure, Resolver, ResolverError};
