//! No wildcard stands in for the records.

use std::time::{Duration, Instant};

use netconform_model::Outcome;
use netconform_model::evidence::dns::Resolution;
use netconform_model::values::DnsName;

use super::{list, outcome};
use crate::vantage::Vantage;
use crate::view::NameView;

fn random_label() -> String {
    use std::hash::BuildHasher;
    let hash = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    format!("netconform-probe-{hash:016x}")
}

/// A wildcard `*.{domain}` would hide a missing record: a random name under the domain must
/// not resolve, or, when a wildcard exists, api and app must be records of their own. Finding
/// a wildcard is reported; it fails only when the records themselves come from it.
pub async fn check_wildcard(
    views: &[&NameView],
    domain: &DnsName,
    resolvers: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let check = format!("no wildcard under {domain} stands in for the records");
    let Some(resolver) = resolvers.first() else {
        return Outcome::inconclusive(check, "no resolver to ask");
    };
    let random = domain.child(&random_label());
    let probe = NameView::resolve(&random, std::slice::from_ref(resolver), timeout).await;
    let wildcard_addresses = probe.addresses_from(&resolver.label);
    let mut evidence: Vec<Resolution> = probe.resolutions.clone();
    if wildcard_addresses.is_empty() {
        let mut o = outcome(
            check,
            Vec::new(),
            vec![format!(
                "no wildcard: {random} does not resolve ({})",
                probe.failure_from(&resolver.label)
            )],
            views,
        );
        o.evidence.extend(evidence.into_iter().map(Into::into));
        return o;
    }
    let wildcard_target = probe.final_name_from(&resolver.label);
    let mut problems = Vec::new();
    let mut own = Vec::new();
    for view in views {
        let same = view.final_name_from(&resolver.label) == wildcard_target
            && view.addresses_from(&resolver.label) == wildcard_addresses;
        if !same {
            own.push(view.name.to_string());
            continue;
        }
        // A name of its own stops the wildcard below it (RFC 4592): a random label under it
        // then does not resolve.
        let below = view.name.child(&random_label());
        let below_view = NameView::resolve(&below, std::slice::from_ref(resolver), timeout).await;
        let below_resolves = !below_view.addresses_from(&resolver.label).is_empty();
        evidence.extend(below_view.resolutions);
        if below_resolves {
            problems.push(format!(
                "{} is answered by the wildcard *.{domain} (-> {wildcard_target}): a random name ({random}) and a name below it ({below}) get the same answer, so the record itself may be missing",
                view.name
            ));
        } else {
            own.push(view.name.to_string());
        }
    }
    let passes = vec![format!(
        "a wildcard *.{domain} answers random names (-> {wildcard_target}, {}), reported; {} are records of their own",
        list(&wildcard_addresses),
        list(&own)
    )];
    let mut o = outcome(check, problems, passes, views);
    o.evidence.extend(evidence.into_iter().map(Into::into));
    o
}
