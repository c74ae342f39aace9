//! VPC Block Public Access (EC2 API `VpcBlockPublicAccessOptions`,
//! `VpcBlockPublicAccessExclusion`): whether it keeps the internet from a public subnet, and
//! whether collection left that unknown.

use crate::view::{Deployment, Input};

/// The VPC Block Public Access input collection tried and got no answer for, where it
/// decides: the options (the mode), or the exclusions when the mode blocks ingress. Not told
/// is a gap, never "no block".
pub(super) fn bpa_unknown(d: &Deployment) -> Option<Input> {
    match &d.block_public_access {
        None => d
            .collection_missed(Input::BlockPublicAccess)
            .then_some(Input::BlockPublicAccess),
        Some(bpa) => {
            let blocks = bpa
                .mode
                .value()
                .is_some_and(|m| matches!(m.as_str(), "block-bidirectional" | "block-ingress"));
            (blocks
                && !d.has(Input::BlockPublicAccessExclusions)
                && d.collection_missed(Input::BlockPublicAccessExclusions))
            .then_some(Input::BlockPublicAccessExclusions)
        }
    }
}

/// Why VPC Block Public Access keeps the internet from a subnet, if it does: the account
/// blocks ingress (either mode) and no `allow-bidirectional` exclusion exempts the subnet or
/// its VPC (an `allow-egress` one lets no connection in).
pub(super) fn blocked(d: &Deployment, subnet: &str) -> Option<String> {
    let mode = d.block_public_access.as_ref()?.mode.value()?.clone();
    if !matches!(mode.as_str(), "block-bidirectional" | "block-ingress") {
        return None;
    }
    let vpc = d.subnet(subnet).and_then(|s| s.vpc.clone());
    let exempt = d.bpa_exclusions.iter().any(|e| {
        e.mode == "allow-bidirectional"
            && e.state.as_deref().is_none_or(|s| !s.starts_with("delete"))
            && (e.resource == subnet || Some(&e.resource) == vpc.as_ref())
    });
    (!exempt).then(|| {
        format!(
            "VPC Block Public Access is {mode} and no allow-bidirectional exclusion names {subnet} or its VPC: no connection from the internet reaches it"
        )
    })
}
