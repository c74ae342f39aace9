//! The authoritative servers agree with each other (records, TTLs, SOA serial) and the
//! resolvers agree with them.

use std::collections::BTreeSet;
use std::time::Duration;

use hickory_proto::rr::RecordType;
use netconform_model::Outcome;
use netconform_model::evidence::dns::Record;
use netconform_model::values::DnsName;

use super::{is_resolver, list, outcome};
use crate::query::query;
use crate::vantage::Vantage;
use crate::view::NameView;

/// The authoritative servers (configured or discovered) agree with each other and with the
/// resolvers; inconclusive, saying how to name them, when they could not be found.
pub async fn check_servers_agree(
    views: &[&NameView],
    domain: &DnsName,
    vantages: &crate::Vantages,
    timeout: Duration,
) -> Outcome {
    match &vantages.authoritative {
        Ok(authoritative) => {
            check_authoritative_agreement(views, domain, authoritative, timeout).await
        }
        Err(e) => Outcome::inconclusive(
            "the authoritative servers agree with each other and with the resolvers",
            format!("failed to {e}; set dns.authoritative to the zone's servers"),
        ),
    }
}

/// The zone's SOA serial at each authoritative server.
async fn serials(
    domain: &DnsName,
    authoritative: &[Vantage],
    timeout: Duration,
) -> Vec<(String, Result<u32, String>)> {
    let mut out = Vec::new();
    for server in authoritative {
        let serial = match query(
            server.server,
            domain.as_str(),
            RecordType::SOA,
            false,
            timeout,
        )
        .await
        {
            Ok(answer) => answer
                .soa
                .map(|(_, s)| s)
                .ok_or_else(|| format!("no SOA in its answer ({})", answer.rcode)),
            Err(e) => Err(e.to_string()),
        };
        out.push((server.label.clone(), serial));
    }
    out
}

/// A server's records for one name and type, as a set.
fn record_set(view: &NameView, server: &str, rtype: &str) -> BTreeSet<Record> {
    view.answers_of(server)
        .filter(|r| r.record_type == rtype)
        .flat_map(|r| r.chain.iter().chain(&r.addresses).cloned())
        .collect()
}

fn show(records: &BTreeSet<Record>) -> String {
    list(
        records
            .iter()
            .map(|r| format!("{} {} {} {}", r.name, r.ttl, r.record_type, r.data)),
    )
}

/// The authoritative servers agree with each other (the same records, TTLs included, and the
/// same SOA serial), and the resolvers agree with them (the same chain and addresses).
pub async fn check_authoritative_agreement(
    views: &[&NameView],
    domain: &DnsName,
    authoritative: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let check = "the authoritative servers agree with each other and with the resolvers".to_owned();
    let Some(reference) = authoritative.first() else {
        return Outcome::inconclusive(
            check,
            "no authoritative server is known: set dns.authoritative",
        );
    };
    let mut problems = Vec::new();
    let serials = serials(domain, authoritative, timeout).await;
    let reference_serial = serials[0].1.clone();
    for (server, serial) in &serials {
        match (serial, &reference_serial) {
            (Err(e), _) => problems.push(format!("{server} gave no SOA serial: {e}")),
            (Ok(s), Ok(r)) if s != r => problems.push(format!(
                "{server} has SOA serial {s} where {} has {r}",
                reference.label
            )),
            _ => {}
        }
    }
    for view in views {
        for rtype in ["A", "AAAA"] {
            let expected = record_set(view, &reference.label, rtype);
            for other in &authoritative[1..] {
                let got = record_set(view, &other.label, rtype);
                if got != expected {
                    let only_other: BTreeSet<Record> = got.difference(&expected).cloned().collect();
                    let only_reference: BTreeSet<Record> =
                        expected.difference(&got).cloned().collect();
                    problems.push(format!(
                        "{} {rtype} differs: only at {}: {}; only at {}: {}",
                        view.name,
                        other.label,
                        show(&only_other),
                        reference.label,
                        show(&only_reference)
                    ));
                }
            }
        }
        // The resolvers' view: the same chain and addresses as the zone's own (TTLs count down
        // in caches, so they are not compared).
        let zone_chain = view.chain_names_from(&reference.label);
        let zone_leaves = view
            .answers_of(&reference.label)
            .any(|r| r.leaves_zone_at.is_some());
        let zone_addresses = view.addresses_from(&reference.label);
        for server in view
            .servers()
            .into_iter()
            .filter(|s| is_resolver(view.kind_of(s)))
        {
            let chain = view.chain_names_from(server);
            let same_chain = if zone_leaves {
                chain.starts_with(&zone_chain)
            } else {
                chain == zone_chain
            };
            let addresses = view.addresses_from(server);
            if !same_chain || (!zone_leaves && addresses != zone_addresses) {
                problems.push(format!(
                    "{server} answers {} -> {} for {} where {} answers {} -> {}",
                    chain.join(" -> "),
                    list(&addresses),
                    view.name,
                    reference.label,
                    zone_chain.join(" -> "),
                    list(&zone_addresses)
                ));
            }
        }
    }
    let serial_text = match &reference_serial {
        Ok(s) => format!("SOA serial {s}"),
        Err(_) => "no serial".into(),
    };
    let passes = vec![format!(
        "{} authoritative servers ({}) give the same answers and {serial_text}, and the resolvers agree",
        authoritative.len(),
        list(authoritative.iter().map(|a| a.label.as_str()))
    )];
    outcome(check, problems, passes, views)
}
