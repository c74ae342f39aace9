//! The name leads to the load balancer (CNAME chain, alias addresses, address set), or, with
//! no load balancer named, api and app lead to the same place.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

use netconform_model::environment::{AddressMatch, LoadBalancerTarget};
use netconform_model::{Gap, Outcome, Verdict};

use super::{is_resolver, list, outcome};
use crate::vantage::Vantage;
use crate::view::NameView;

/// The name leads to the load balancer from every vantage point: its CNAME chain reaches the
/// load balancer's name (or, for alias records, it has the same addresses as that name), and
/// its addresses are the load balancer's (all, or any, per `dns.address_match`).
pub async fn check_leads_to_load_balancer(
    view: &NameView,
    lb: &LoadBalancerTarget,
    vantages: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let check = format!("{} leads to the load balancer", view.name);
    if !lb.is_known() {
        return Outcome::not_checked(
            check,
            Gap::new(
                "no dns.load_balancer",
                "set dns.load_balancer to the load balancer's DNS name (or dns.load_balancer_addresses to its addresses)",
            ),
            "neither dns.load_balancer nor dns.load_balancer_addresses is set: api and app are compared with each other instead",
        );
    }
    let (mut problems, mut passes, mut extra) = (Vec::new(), Vec::new(), Vec::new());
    for vantage in vantages {
        let server = vantage.label.as_str();
        let addresses = view.addresses_from(server);
        let leaves = view
            .answers_of(server)
            .find_map(|r| r.leaves_zone_at.clone());
        if addresses.is_empty() && leaves.is_none() {
            problems.push(format!(
                "{} does not resolve through {server}: {}",
                view.name,
                view.failure_from(server)
            ));
            continue;
        }
        if let Some(lb_name) = &lb.name {
            let chain = view.chain_names_from(server);
            if chain.iter().any(|n| n == lb_name.as_str()) {
                passes.push(format!(
                    "{} -> {} through {server}",
                    chain.join(" -> "),
                    list(&addresses)
                ));
            } else if leaves.is_some() {
                problems.push(format!(
                    "{} leads to {}, expected {lb_name} (chain {} at {server})",
                    view.name,
                    view.final_name_from(server),
                    chain.join(" -> ")
                ));
            } else {
                // An alias record (Route 53 ALIAS, a flattened CNAME) answers with the load
                // balancer's addresses directly: compare with the load balancer's own answer.
                let lb_view =
                    NameView::resolve(lb_name, std::slice::from_ref(vantage), timeout).await;
                let lb_addresses = lb_view.addresses_from(server);
                extra.extend(lb_view.resolutions);
                if !lb_addresses.is_empty() && lb_addresses == addresses {
                    passes.push(format!(
                        "{} has the addresses of {lb_name} ({}): an alias record",
                        view.name,
                        list(&addresses)
                    ));
                } else {
                    problems.push(format!(
                        "{} leads to {}, expected {lb_name} (chain {} through {server})",
                        view.name,
                        view.final_name_from(server),
                        chain.join(" -> ")
                    ));
                }
            }
        }
        if !lb.addresses.is_empty() && leaves.is_none() {
            let expected: BTreeSet<IpAddr> = lb.addresses.iter().copied().collect();
            let ok = match lb.address_match {
                AddressMatch::All => addresses == expected,
                AddressMatch::Any => !addresses.is_disjoint(&expected),
            };
            let how = match lb.address_match {
                AddressMatch::All => "expected the load balancer's",
                AddressMatch::Any => "expected at least one of the load balancer's",
            };
            if !ok {
                problems.push(format!(
                    "{} resolves to {} through {server}, {how} {}",
                    view.name,
                    list(&addresses),
                    list(&expected)
                ));
            }
        }
    }
    let mut outcome = outcome(check, problems, passes, &[view]);
    outcome.evidence.extend(extra.into_iter().map(Into::into));
    outcome
}

/// With no load balancer configured: both names lead to the same final name or the same
/// addresses from every resolver (the guide: both point to your load balancer).
pub fn check_same_target(a: &NameView, b: &NameView) -> Outcome {
    let check = format!("{} and {} lead to the same load balancer", a.name, b.name);
    let mut problems = Vec::new();
    for server in a
        .servers()
        .into_iter()
        .filter(|s| is_resolver(a.kind_of(s)))
    {
        let (fa, fb) = (a.final_name_from(server), b.final_name_from(server));
        let (ia, ib) = (a.addresses_from(server), b.addresses_from(server));
        if (fa != fb || ia.is_empty()) && (ia != ib || ia.is_empty()) {
            problems.push(format!(
                "through {server}, {} leads to {fa} ({}) but {} leads to {fb} ({})",
                a.name,
                list(&ia),
                b.name,
                list(&ib)
            ));
        }
    }
    let passes = vec![format!("{} and {} lead to the same target", a.name, b.name)];
    outcome(check, problems, passes, &[a, b])
}

/// `view`'s record leads to its load balancer: through the CNAME chain or addresses when the
/// environment names the load balancer; else it can only be compared with the other record
/// (`other`, resolved only then), and the scenario is not checked: whether that common target
/// is the deployment's own load balancer is not known.
pub async fn check_record_leads_to(
    view: &NameView,
    lb: &LoadBalancerTarget,
    vantages: &crate::Vantages,
    other: impl Future<Output = NameView>,
    timeout: Duration,
) -> Outcome {
    if lb.is_known() {
        return check_leads_to_load_balancer(view, lb, &vantages.all(), timeout).await;
    }
    let same = check_same_target(view, &other.await);
    if !same.passed() {
        return same;
    }
    Outcome {
        verdict: Verdict::NotChecked,
        gap: Some(Gap::new(
            "no dns.load_balancer",
            "set dns.load_balancer to the load balancer's DNS name (or dns.load_balancer_addresses to its addresses)",
        )),
        reason: format!(
            "not checked against a load balancer: neither dns.load_balancer nor dns.load_balancer_addresses is set; {}",
            same.reason
        ),
        ..same
    }
}

/// The record resolves and then leads to its load balancer (as [`check_record_leads_to`]); a
/// record that does not resolve fails as [`check_resolves`] says, with nothing to follow. What
/// one attempt of "within N the record leads to the load balancer" judges.
pub async fn check_resolves_and_leads_to(
    view: &NameView,
    lb: &LoadBalancerTarget,
    vantages: &crate::Vantages,
    other: impl Future<Output = NameView>,
    timeout: Duration,
) -> Outcome {
    let resolves = super::check_resolves(view, false);
    if !resolves.passed() {
        return resolves;
    }
    check_record_leads_to(view, lb, vantages, other, timeout).await
}
