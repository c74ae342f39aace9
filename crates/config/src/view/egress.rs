//! A subnet's tier from its tags (what the usual tools write), and from what it says of its own
//! way out where no route table names it: on Azure a NAT gateway is attached to the subnet, and
//! a subnet without one reaches the internet through Azure's default outbound access unless
//! `defaultOutboundAccess` is false
//! (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).

use std::collections::BTreeMap;

use super::{SubnetEgress, Tier, TierOf};
use crate::node::State;

/// The tier of subnet `id` from its egress settings.
pub(crate) fn egress_tier(id: &str, e: &SubnetEgress) -> TierOf {
    if let Some((nat, _)) = &e.nat_gateway {
        return TierOf {
            tier: Some(Tier::Private),
            how: format!("NAT gateway {} is attached", short(nat)),
            nat: Some(nat.clone()),
        };
    }
    if let Some(table) = &e.route_table {
        return TierOf {
            tier: None,
            how: format!(
                "{} has route table {} attached, whose routes are not read",
                short(id),
                short(table)
            ),
            nat: None,
        };
    }
    match &e.default_outbound.state {
        State::Set(false) => TierOf {
            tier: Some(Tier::Isolated),
            how: "no NAT gateway and defaultOutboundAccess false: no way out".to_owned(),
            nat: None,
        },
        State::Set(true) | State::Unset => TierOf {
            tier: Some(Tier::Public),
            how: format!(
                "no NAT gateway and defaultOutboundAccess {}: its VMs go out through Azure's default outbound access, an implicit public address",
                if e.default_outbound.is_unset() {
                    "not set (on)"
                } else {
                    "true"
                }
            ),
            nat: None,
        },
        State::Secret | State::Invalid(_) => TierOf {
            tier: None,
            how: format!("defaultOutboundAccess of {} cannot be read", short(id)),
            nat: None,
        },
    }
}

/// The name at the end of a resource id, for messages.
pub(crate) fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// A tier told by the tags the usual tools write: the Kubernetes load balancer roles, awsx's
/// and CDK's subnet type, a Name that says it.
pub(crate) fn tier_from_tags(tags: &BTreeMap<String, String>) -> Option<(String, Tier)> {
    let word = |value: &str| -> Option<Tier> {
        let v = value.to_ascii_lowercase();
        let words: Vec<&str> = v.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
        if has(&["public"]) {
            Some(Tier::Public)
        } else if has(&["isolated", "database", "db"]) {
            Some(Tier::Isolated)
        } else if has(&["private"]) {
            Some(Tier::Private)
        } else {
            None
        }
    };
    if tags.contains_key("kubernetes.io/role/elb") {
        return Some(("tag kubernetes.io/role/elb".into(), Tier::Public));
    }
    if tags.contains_key("kubernetes.io/role/internal-elb") {
        return Some(("tag kubernetes.io/role/internal-elb".into(), Tier::Private));
    }
    for key in ["SubnetType", "aws-cdk:subnet-type", "Tier", "tier", "Name"] {
        if let Some(value) = tags.get(key)
            && let Some(tier) = word(value)
        {
            return Some((format!("tag {key}={value}"), tier));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_from_tags() {
        let tags = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert_eq!(
            tier_from_tags(&tags("SubnetType", "Public")).map(|t| t.1),
            Some(Tier::Public)
        );
        assert_eq!(
            tier_from_tags(&tags("Name", "pulumi-isolated-1")).map(|t| t.1),
            Some(Tier::Isolated)
        );
        assert_eq!(
            tier_from_tags(&tags("kubernetes.io/role/internal-elb", "1")).map(|t| t.1),
            Some(Tier::Private)
        );
        assert_eq!(tier_from_tags(&tags("Name", "subnet-a")).map(|t| t.1), None);
        assert_eq!(
            tier_from_tags(&tags("Name", "sandbox-a")).map(|t| t.1),
            None
        );
    }
}
