//! The name exists from every vantage point, with an IPv6 address when the load balancer has
//! one.

use std::net::IpAddr;
use std::time::Duration;

use netconform_model::Outcome;
use netconform_model::environment::LoadBalancerTarget;
use netconform_model::evidence::dns::VantageKind;

use super::{list, outcome};
use crate::vantage::Vantage;
use crate::view::NameView;

/// The name exists from every vantage point: resolvers give it an address (and an IPv6
/// address when the load balancer has one), authoritative servers answer for it.
pub fn check_resolves(view: &NameView, require_ipv6: bool) -> Outcome {
    let check = format!("{} resolves from every vantage point", view.name);
    let (mut problems, mut passes) = (Vec::new(), Vec::new());
    for server in view.servers() {
        let kind = view.kind_of(server);
        let addresses = view.addresses_from(server);
        let leaves = view
            .answers_of(server)
            .find_map(|r| r.leaves_zone_at.clone());
        if kind == Some(VantageKind::Authoritative) {
            match (&leaves, addresses.is_empty()) {
                (Some(at), _) => passes.push(format!(
                    "{server} answers with a chain leaving its zone at {at}"
                )),
                (None, false) => passes.push(format!("{server} answers {}", list(&addresses))),
                (None, true) => problems.push(format!(
                    "{server} has no answer for {}: {}",
                    view.name,
                    view.failure_from(server)
                )),
            }
            continue;
        }
        if addresses.is_empty() {
            problems.push(format!(
                "{} does not resolve through {server}: {}",
                view.name,
                view.failure_from(server)
            ));
            continue;
        }
        if require_ipv6 && !addresses.iter().any(IpAddr::is_ipv6) {
            problems.push(format!(
                "{} has no AAAA record through {server}, but the load balancer has IPv6 addresses",
                view.name
            ));
            continue;
        }
        passes.push(format!("{} through {server}", list(&addresses)));
    }
    let mut outcome = outcome(check, problems, Vec::new(), &[view]);
    if outcome.passed() {
        outcome.reason = format!("{} resolves: {}", view.name, passes.join("; "));
    }
    outcome
}

/// Whether the load balancer has IPv6: an IPv6 address configured, or an AAAA record on its
/// name through the first resolver.
pub async fn load_balancer_has_ipv6(
    target: &LoadBalancerTarget,
    resolvers: &[Vantage],
    timeout: Duration,
) -> bool {
    if target.addresses.iter().any(IpAddr::is_ipv6) {
        return true;
    }
    let (Some(name), Some(resolver)) = (&target.name, resolvers.first()) else {
        return false;
    };
    let lb = NameView::resolve(name, std::slice::from_ref(resolver), timeout).await;
    lb.resolutions
        .iter()
        .any(|r| r.ips().iter().any(IpAddr::is_ipv6))
}

/// The record resolves from every vantage point, with AAAA answers required when its load
/// balancer has IPv6 (told through the first of `resolvers`).
pub async fn check_resolves_for(
    view: &NameView,
    target: &LoadBalancerTarget,
    resolvers: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let ipv6 = load_balancer_has_ipv6(target, resolvers, timeout).await;
    check_resolves(view, ipv6)
}
