//! The DNS checks over [`NameView`]s, one module per check: the name resolves (`resolves`),
//! leads to the load balancer (`target`), the servers agree (`agreement`), no CNAME dangles
//! (`dangling`), no wildcard stands in (`wildcard`), TTLs (`ttl`), IPv6 listeners (`ipv6`).
//! Each returns an [`Outcome`] carrying the answers it judged; what they share lives here.

mod agreement;
mod dangling;
mod ipv6;
mod resolves;
mod target;
mod ttl;
mod wildcard;

use std::time::{Duration, Instant};

use netconform_model::evidence::dns::VantageKind;
use netconform_model::values::DnsName;
use netconform_model::{HumanDuration, Outcome, Verdict};

use crate::view::NameView;

pub use agreement::{check_authoritative_agreement, check_servers_agree};
pub use dangling::check_no_dangling;
pub use ipv6::check_ipv6_listeners;
pub use resolves::{check_resolves, check_resolves_for, load_balancer_has_ipv6};
pub use target::{
    check_leads_to_load_balancer, check_record_leads_to, check_resolves_and_leads_to,
    check_same_target,
};
pub use ttl::check_ttl;
pub use wildcard::check_wildcard;

fn list<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// An outcome with every resolution of `views` as evidence.
fn outcome(
    check: String,
    problems: Vec<String>,
    passes: Vec<String>,
    views: &[&NameView],
) -> Outcome {
    let mut outcome = Outcome::from_problems(check, &problems, || passes.join("; "));
    outcome.evidence = views
        .iter()
        .flat_map(|v| v.resolutions.iter().cloned())
        .map(Into::into)
        .collect();
    outcome
}

fn is_resolver(kind: Option<VantageKind>) -> bool {
    matches!(
        kind,
        Some(VantageKind::Resolver | VantageKind::VantagePoint)
    )
}

/// Asks `attempt` again, with backoff (a twentieth of `within` first, doubling, at most 30 s
/// apart), until it passes or `within` is over: for a DNS change still on its way.
pub async fn check_eventually<F, Fut>(within: Duration, name: &DnsName, mut attempt: F) -> Outcome
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Outcome>,
{
    let started = Instant::now();
    let deadline = started + within;
    let mut pause = (within / 20).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut outcome = attempt().await;
        let now = Instant::now();
        if outcome.passed() {
            outcome.reason = format!(
                "{name} after {:.1} s ({attempts} attempts): {}",
                now.duration_since(started).as_secs_f64(),
                outcome.reason
            );
            return outcome;
        }
        if now + pause > deadline {
            outcome.verdict = Verdict::Fail;
            outcome.reason = format!(
                "{name} did not lead to the load balancer within {} ({attempts} attempts); last: {}",
                HumanDuration(within),
                outcome.reason
            );
            return outcome;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// Runs `work` within `limit` (`dns.check_timeout`); the message when it does not finish.
pub async fn within<T>(limit: HumanDuration, work: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(limit.get(), work)
        .await
        .map_err(|_| format!("the DNS check did not finish within {limit} (dns.check_timeout)"))
}
