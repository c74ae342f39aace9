//! No CNAME in the chains dangles.

use std::collections::BTreeMap;

use netconform_model::Outcome;

use super::{list, outcome};
use crate::view::NameView;

/// No CNAME in the chains ends at a name that does not exist: a dangling CNAME lets whoever
/// registers the target serve your users (subdomain takeover).
pub fn check_no_dangling(views: &[&NameView]) -> Outcome {
    let check = "no CNAME in the records' chains dangles".to_owned();
    // (name, chain, target) -> the servers that said so
    let mut dangling: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for view in views {
        for r in view.resolutions.iter().filter(|r| r.dangling.is_some()) {
            let target = r.dangling.clone().unwrap_or_default();
            let chain: Vec<&str> = std::iter::once(r.name.as_str())
                .chain(r.chain.iter().map(|h| h.data.as_str()))
                .collect();
            let servers = dangling
                .entry((r.name.clone(), chain.join(" -> "), target))
                .or_default();
            if !servers.contains(&r.server) {
                servers.push(r.server.clone());
            }
        }
    }
    let problems = dangling
        .into_iter()
        .map(|((name, chain, target), servers)| {
            format!(
                "{name} is a CNAME chain ({chain}) to {target}, which does not exist (NXDOMAIN at {}): whoever registers {target} serves your users",
                list(&servers)
            )
        })
        .collect();
    let names = list(views.iter().map(|v| v.name.to_string()));
    outcome(
        check,
        problems,
        vec![format!(
            "every CNAME target in the chains of {names} exists"
        )],
        views,
    )
}
