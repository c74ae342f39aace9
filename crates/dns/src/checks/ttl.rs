//! The records' TTLs stay short.

use std::collections::BTreeMap;
use std::time::Duration;

use netconform_model::evidence::dns::VantageKind;
use netconform_model::{HumanDuration, Outcome};

use super::outcome;
use crate::view::NameView;

/// No record in the chains has a TTL above `max_ttl` (judged on the authoritative answers
/// when there are any: caches count TTLs down).
pub fn check_ttl(views: &[&NameView], max_ttl: Duration) -> Outcome {
    let max = u32::try_from(max_ttl.as_secs()).unwrap_or(u32::MAX);
    let check = format!(
        "the records' TTLs are at most {} (dns.max_ttl)",
        HumanDuration(max_ttl)
    );
    let any_authoritative = views.iter().any(|v| {
        v.resolutions
            .iter()
            .any(|r| r.vantage == VantageKind::Authoritative && r.error.is_none())
    });
    let mut long: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut highest = 0;
    for view in views {
        for r in &view.resolutions {
            if any_authoritative && r.vantage != VantageKind::Authoritative {
                continue;
            }
            for record in r.chain.iter().chain(&r.addresses) {
                highest = highest.max(record.ttl);
                if record.ttl > max {
                    let entry = long
                        .entry((record.name.clone(), record.record_type.clone()))
                        .or_default();
                    *entry = (*entry).max(record.ttl);
                }
            }
        }
    }
    let problems = long
        .into_iter()
        .map(|((name, rtype), ttl)| format!("{name} {rtype} has a TTL of {ttl} s, above dns.max_ttl ({max} s): a load balancer change would take that long to reach clients"))
        .collect();
    outcome(
        check,
        problems,
        vec![format!("the highest TTL in the chains is {highest} s")],
        views,
    )
}
