//! The API replica's interface, which the sandbox and the container test bed both run and
//! describe, and the CA their load balancers serve under: the run-time parts of the reference
//! deployments, so neither re-types the other's. Owns what `netconform replica` and the
//! sandbox's replicas answer, and on which paths (beside the guide's health path,
//! `model::guide::HEALTH_CHECK_PATH`): the headers naming the instance and zone, the zones,
//! the gzip and slow paths, the agent's answers; the sandbox implements it, the test bed's
//! HAProxy configuration, its readiness checks and the environments of both rely on it. Also
//! the CA both serve under ([`ca`]: a CA of its own and one server certificate, issued with
//! rcgen), and the broken-variant names both retired for one they now share ([`renamed`]).
//!
//! Part of the shipped binary (the test helpers are netconform-testkit's, a dev-dependency
//! only). No I/O; depends on no other crate of the workspace.

pub mod ca;
pub mod renamed;

/// Response header naming the instance that answered, e.g. `zone-a/api-1`.
pub const INSTANCE_HEADER: &str = "x-instance";
/// Response header naming the zone of the instance that answered.
pub const ZONE_HEADER: &str = "x-zone";
/// The zones; one API replica runs in each.
pub const ZONES: [&str; 2] = ["zone-a", "zone-b"];
/// What serves a gzip-encoded body, as Pulumi's state is stored and served.
pub const GZIP_PATH: &str = "/api/gzip";
/// The text [`GZIP_PATH`] encodes.
pub const GZIP_TEXT: &str = "{\"deployment\":\"netconform sandbox state\"}\n";
/// The slow endpoint: it answers after `?ms=` milliseconds (see [`slow_path`]).
pub const SLOW_PATH: &str = "/api/slow";
/// What the agent answers while the replica serves.
pub const AGENT_READY: &str = "ready up\n";
/// What the agent answers from the stop on.
pub const AGENT_DRAIN: &str = "drain\n";

/// The path of a request the replica holds for `ms` milliseconds before it answers.
pub fn slow_path(ms: u128) -> String {
    format!("{SLOW_PATH}?ms={ms}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_slow_path_carries_its_hold() {
        assert_eq!(super::slow_path(2000), "/api/slow?ms=2000");
    }
}
