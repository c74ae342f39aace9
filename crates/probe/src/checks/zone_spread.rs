//! The spread of the answers over zones, seen from outside.

use std::collections::{BTreeMap, BTreeSet};

use netconform_model::{Gap, Outcome};
use netconform_net::Resolver;

use super::{addresses, evidence};
use crate::request::{ProbeError, Target, failure};

/// `probes` requests on fresh connections, over every address, must be answered from at least
/// `min_zones` zones, as the zone header says ("Multi-AZ deployment", seen from outside).
pub async fn check_zone_spread(
    target: &Target,
    resolver: &Resolver,
    path: &str,
    min_zones: u32,
    probes: u32,
) -> Result<Outcome, ProbeError> {
    let check = format!(
        "requests to {} are answered from at least {min_zones} zones",
        target.endpoint.host
    );
    let Some(header) = target.zone_header.clone() else {
        return Ok(Outcome::not_checked(
            check,
            Gap::new(
                "no health.zone_header",
                "set health.zone_header to the response header that names the answering instance's zone",
            ),
            "no health.zone_header is set: name the response header that carries the zone to check it",
        ));
    };
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) if !ips.is_empty() => ips,
        Ok(_) => return Ok(Outcome::fail(check, "no addresses")),
        Err(outcome) => return Ok(outcome),
    };
    let ask = target.ask(path);
    let mut results = Vec::new();
    let mut zones: BTreeMap<String, u32> = BTreeMap::new();
    for n in 0..probes {
        let result = target.send(ips[n as usize % ips.len()], &ask).await?;
        if let Some(zone) = &result.zone {
            *zones.entry(zone.clone()).or_default() += 1;
        }
        results.push(result);
    }
    let answered = results.iter().filter(|r| r.error.is_none()).count();
    let seen: BTreeSet<&String> = zones.keys().collect();
    let counts = zones
        .iter()
        .map(|(z, n)| format!("{z} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut outcome = if answered == 0 {
        let first = results.first().map(failure).unwrap_or_default();
        Outcome::fail(
            check,
            format!("none of {probes} probes was answered (the first: {first})"),
        )
    } else if zones.is_empty() {
        Outcome::fail(
            check,
            format!("none of {answered} responses carried a {header} header"),
        )
    } else if (seen.len() as u32) < min_zones {
        Outcome::fail(
            check,
            format!(
                "all {probes} probes were answered from {} zone(s) ({counts}), fewer than health.min_zones ({min_zones})",
                seen.len()
            ),
        )
    } else {
        Outcome::pass(
            check,
            format!(
                "{probes} probes were answered from {} zones ({counts})",
                seen.len()
            ),
        )
    };
    outcome.evidence = evidence(results);
    Ok(outcome)
}
