//! A subnet's tier from what it says of its own way out, where no route table names it: on
//! Azure a NAT gateway is attached to the subnet, and a subnet without one reaches the internet
//! through Azure's default outbound access unless `defaultOutboundAccess` is false
//! (https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).

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
