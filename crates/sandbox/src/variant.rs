//! Broken variants: one deliberate misconfiguration each, so every check can be shown to fail.

use std::fmt;
use std::str::FromStr;

/// A way to break the sandbox on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Replicas exit at once when told to stop: no drain, in-flight requests dropped, the load
    /// balancer routes to a dead target until its health checks notice.
    ExitOnSigterm,
    /// `app.{domain}` has no record.
    NoAppRecord,
    /// `app.{domain}` leads to another load balancer's name.
    WrongLoadBalancer,
    /// `/api/status` answers 500 on every replica.
    Status500,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::ExitOnSigterm,
        Variant::NoAppRecord,
        Variant::WrongLoadBalancer,
        Variant::Status500,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::ExitOnSigterm => "exit-on-sigterm",
            Variant::NoAppRecord => "no-app-record",
            Variant::WrongLoadBalancer => "wrong-load-balancer",
            Variant::Status500 => "status-500",
        }
    }

    /// What is broken, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Variant::ExitOnSigterm => {
                "API replicas exit at once when stopped (no graceful shutdown)"
            }
            Variant::NoAppRecord => "app.{domain} has no DNS record",
            Variant::WrongLoadBalancer => "app.{domain} is a CNAME to another load balancer",
            Variant::Status500 => "/api/status answers 500 on every replica",
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
        Variant::ALL
            .into_iter()
            .find(|v| v.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Variant::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown sandbox variant {text:?}; the variants are: {}",
                    names.join(", ")
                )
            })
    }
}
