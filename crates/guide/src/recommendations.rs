//! The guide's recommendations, one by one, so the living docs can say which are checked and
//! which are not yet. A scenario names the recommendations it checks with `@rec:<id>` tags
//! and its guide section with `@guide:<section>`; `cargo xtask docs` renders the table into
//! docs/conformance.md.
//!
//! Most come from the networking guide (`shared/spec/networking-guide.md`); a few from the
//! pages it links to (network requirements, troubleshooting), filed under the networking
//! section they belong with.

use crate::Section;

/// One recommendation of the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recommendation {
    /// The `@rec:<id>` tag that cites it.
    pub id: &'static str,
    pub section: Section,
    /// What the guide says, in its words where they are short enough.
    pub text: &'static str,
    /// The page it comes from, when it is not the networking guide.
    pub source: Option<&'static str>,
    /// The guide asks it of production only (`profile = "staging"` leaves it out).
    pub production_only: bool,
}

const fn rec(id: &'static str, section: Section, text: &'static str) -> Recommendation {
    Recommendation {
        id,
        section,
        text,
        source: None,
        production_only: false,
    }
}

/// A recommendation the guide makes for production only.
const fn in_production(id: &'static str, section: Section, text: &'static str) -> Recommendation {
    Recommendation {
        production_only: true,
        ..rec(id, section, text)
    }
}

const fn from(
    source: &'static str,
    id: &'static str,
    section: Section,
    text: &'static str,
) -> Recommendation {
    Recommendation {
        id,
        section,
        text,
        source: Some(source),
        production_only: false,
    }
}

/// Every recommendation, in the guide's order.
pub const ALL: [Recommendation; 23] = [
    rec(
        "multi-az",
        Section::MultiAz,
        "Deploy compute resources across at least two availability zones (Kubernetes: pod anti-affinity or topology spread; ECS: tasks in subnets of several AZs; VMs: auto-scaling groups spanning AZs)",
    ),
    rec(
        "subnets-by-tier",
        Section::NetworkArchitecture,
        "A VPC/VNet with subnets in 2+ AZs, separated by tier: load balancers and NAT gateways in public subnets, application containers in private subnets",
    ),
    rec(
        "database-private",
        Section::NetworkArchitecture,
        "Database instances in database subnets, with no public access",
    ),
    rec(
        "nat-per-az",
        Section::NetworkArchitecture,
        "One NAT gateway per AZ, to avoid cross-AZ NAT bottlenecks",
    ),
    rec(
        "storage-endpoints",
        Section::NetworkArchitecture,
        "VPC endpoints or private endpoints for object storage access",
    ),
    rec(
        "cpu-target",
        Section::AutoScaling,
        "Scale the API service on CPU: target 50-60 % average utilization",
    ),
    rec(
        "min-instances",
        Section::AutoScaling,
        "Minimum instances: 2, for HA across AZs",
    ),
    rec(
        "max-instances",
        Section::AutoScaling,
        "Maximum instances: 4x the desired count, to handle burst traffic",
    ),
    rec(
        "scale-in-draining",
        Section::AutoScaling,
        "Scale-in protection: graceful draining lets in-flight requests complete before instances terminate",
    ),
    rec(
        "in-flight-requests",
        Section::GracefulShutdown,
        "When scaling in or deploying updates, containers have time to finish in-flight requests",
    ),
    rec(
        "stop-timeout",
        Section::GracefulShutdown,
        "Container stop timeout of at least 120 seconds",
    ),
    rec(
        "termination-grace-period",
        Section::GracefulShutdown,
        "Kubernetes: terminationGracePeriodSeconds: 130 on the API pod spec",
    ),
    rec(
        "ecs-deregistration",
        Section::GracefulShutdown,
        "ECS: a deregistration delay on the target group and stopTimeout on the container definition",
    ),
    rec(
        "drain-hooks",
        Section::GracefulShutdown,
        "Lifecycle hooks (ECS) or preStop hooks (Kubernetes) drain connections before shutdown",
    ),
    rec(
        "application-load-balancer",
        Section::LoadBalancer,
        "An Application Load Balancer (or equivalent)",
    ),
    in_production(
        "deletion-protection",
        Section::LoadBalancer,
        "Deletion protection on the load balancer in production",
    ),
    rec(
        "health-check",
        Section::LoadBalancer,
        "Health checks for the API service on the /api/status endpoint",
    ),
    rec(
        "health-check-grace",
        Section::LoadBalancer,
        "A health check grace period of 120 seconds, for containers to start",
    ),
    from(
        "network requirements",
        "https",
        Section::LoadBalancer,
        "The API and the console are served over HTTPS (443)",
    ),
    from(
        "network requirements",
        "http-redirect",
        Section::LoadBalancer,
        "Plain HTTP (80) redirects to HTTPS",
    ),
    from(
        "troubleshooting",
        "gzip-passthrough",
        Section::LoadBalancer,
        "The load balancer or proxy keeps Content-Encoding: gzip intact",
    ),
    rec(
        "api-record",
        Section::Dns,
        "api.{domain} points to the load balancer, for CLI and API access",
    ),
    rec(
        "app-record",
        Section::Dns,
        "app.{domain} points to the load balancer, for web console access",
    ),
];

/// The recommendation an `@rec:<id>` tag (without the `@`) cites.
pub fn from_tag(tag: &str) -> Option<Recommendation> {
    let id = tag.strip_prefix("rec:")?;
    ALL.into_iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_tags_and_sections_in_guide_order() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "duplicate id");
        assert!(
            ALL.iter()
                .all(|r| r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-')),
            "ids are lowercase words joined by -"
        );
        let order = |s: Section| Section::ALL.iter().position(|x| *x == s).unwrap();
        assert!(
            ALL.windows(2)
                .all(|w| order(w[0].section) <= order(w[1].section)),
            "in the guide's order"
        );
        assert_eq!(
            from_tag("rec:nat-per-az").unwrap().section,
            Section::NetworkArchitecture
        );
        assert_eq!(from_tag("rec:nope"), None);
        assert_eq!(from_tag("guide:dns"), None);
    }
}
