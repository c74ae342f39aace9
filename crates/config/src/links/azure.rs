//! The Azure joins: what one az list says about a resource another describes, attached once
//! every file is read. Public IPs give a gateway its addresses and name, and an alias record
//! its values; management locks give a gateway (or the resource group it is in) deletion
//! protection; autoscale settings give a scale set its bounds; private endpoints give a
//! database reached through one its subnet.

use crate::node::{Field, Loc};
use crate::view::{Deployment, LbKind, Placement};

/// A public IP address (`az network public-ip list`).
#[derive(Debug, Clone)]
pub(crate) struct PublicIp {
    pub(crate) id: String,
    pub(crate) address: Option<String>,
    /// `dnsSettings.fqdn`.
    pub(crate) fqdn: Option<String>,
    /// The zones it is served from (a load balancer's frontend takes them).
    pub(crate) zones: Vec<String>,
}

/// A management lock (`az lock list`).
#[derive(Debug, Clone)]
pub(crate) struct Lock {
    /// What it locks: its id without `/providers/Microsoft.Authorization/locks/<name>`.
    pub(crate) scope: String,
    /// `CanNotDelete` or `ReadOnly`.
    pub(crate) level: String,
    pub(crate) at: Loc,
}

/// An autoscale setting's bounds for the resource it scales.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    pub(crate) target: String,
    pub(crate) min: Field<u64>,
    pub(crate) max: Field<u64>,
    /// The profile's `default` capacity: the count it keeps when it cannot read its metrics.
    pub(crate) default: Field<u64>,
}

/// What the Azure readers leave to be joined.
#[derive(Debug, Default)]
pub(crate) struct AzureLinks {
    pub(crate) public_ips: Vec<PublicIp>,
    /// (load balancer id, the public IPs of its frontends).
    pub(crate) frontends: Vec<(String, Vec<String>)>,
    /// (index of the record in the view, the public IP it is an alias of).
    pub(crate) aliases: Vec<(usize, String)>,
    pub(crate) locks: Vec<Lock>,
    /// Where the lock list is, when one was read.
    pub(crate) locks_at: Option<Loc>,
    pub(crate) bounds: Vec<Bounds>,
    /// (private endpoint's target resource, the endpoint's subnet).
    pub(crate) endpoint_targets: Vec<(String, String)>,
    /// Private DNS zones: (name, virtual network links, where).
    pub(crate) dns_zones: Vec<(String, u64, Loc)>,
    /// Where the private DNS zone list is, when one was read.
    pub(crate) dns_zones_at: Option<Loc>,
    /// Front Door routes: (the endpoint's id, the origin group it sends to).
    pub(crate) front_door_routes: Vec<(String, String)>,
}

/// The private DNS zone a private endpoint for Blob storage resolves through
/// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
const BLOB_ZONE: &str = "privatelink.blob.core.windows.net";

/// Whether two resource ids name the same resource (ids are case-insensitive).
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

/// Whether `id` is `scope` or a resource under it.
fn under(id: &str, scope: &str) -> bool {
    let (id, scope) = (id.to_ascii_lowercase(), scope.to_ascii_lowercase());
    let scope = scope.trim_end_matches('/');
    id == scope || id.starts_with(&format!("{scope}/"))
}

/// What a lock id locks: `.../applicationGateways/gw/providers/Microsoft.Authorization/locks/x`
/// -> `.../applicationGateways/gw`.
pub(crate) fn lock_scope(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    match lower.rfind("/providers/microsoft.authorization/locks/") {
        Some(i) => id[..i].to_owned(),
        None => id.to_owned(),
    }
}

impl AzureLinks {
    pub(crate) fn join(self, view: &mut Deployment) {
        // A Front Door origin group serves the endpoints whose routes send to it.
        for (endpoint, group) in &self.front_door_routes {
            for tg in view.target_groups.iter_mut().filter(|tg| {
                tg.arn.as_deref().is_some_and(|a| same_id(a, group))
                    && !tg.load_balancers.iter().any(|l| same_id(l, endpoint))
            }) {
                tg.load_balancers.push(endpoint.clone());
            }
        }
        let ip = |id: &str| self.public_ips.iter().find(|p| same_id(&p.id, id));
        for (lb_id, ips) in &self.frontends {
            let Some(lb) = view
                .load_balancers
                .iter_mut()
                .find(|lb| lb.arn.as_deref().is_some_and(|a| same_id(a, lb_id)))
            else {
                continue;
            };
            let mut zones: Vec<Placement> = Vec::new();
            for p in ips.iter().filter_map(|i| ip(i)) {
                lb.addresses.extend(p.address.clone());
                if lb.dns_name.is_none() {
                    lb.dns_name.clone_from(&p.fqdn);
                }
                zones.extend(p.zones.iter().map(|z| Placement {
                    subnet: None,
                    zone: Some(z.clone()),
                }));
            }
            // A public Azure load balancer is in no subnet: its frontend's zones are its own.
            if lb.placements.is_unset() && !zones.is_empty() {
                lb.placements = Field::set(lb.placements.at.clone(), zones);
            }
        }
        for (index, target) in &self.aliases {
            if let (Some(record), Some(p)) = (view.records.get_mut(*index), ip(target)) {
                record.targets.extend(p.address.clone());
                record
                    .targets
                    .extend(p.fqdn.as_deref().map(crate::view::dns_key));
            }
        }
        self.join_locks(view);
        self.join_dns_zones(view);
        for b in &self.bounds {
            if let Some(g) = view
                .groups
                .iter_mut()
                .find(|g| g.arn.as_deref().is_some_and(|a| same_id(a, &b.target)))
            {
                g.min = b.min.clone();
                g.max = b.max.clone();
                if !b.default.is_unset() {
                    g.desired = b.default.clone();
                    g.desired_told = crate::view::Told::Configured;
                }
            }
        }
        for (target, subnet) in &self.endpoint_targets {
            for db in view.databases.iter_mut() {
                if db.id.as_deref().is_some_and(|id| same_id(id, target))
                    && !db.subnets.contains(subnet)
                {
                    db.subnets.push(subnet.clone());
                }
            }
        }
    }

    /// Whether each private endpoint for Blob storage resolves privately: the
    /// `privatelink.blob.core.windows.net` zone linked to a virtual network, once a zone list
    /// was read.
    fn join_dns_zones(&self, view: &mut Deployment) {
        let Some(list_at) = &self.dns_zones_at else {
            return;
        };
        let zone = self
            .dns_zones
            .iter()
            .find(|(name, links, _)| name == BLOB_ZONE && *links > 0);
        for e in view.vpc_endpoints.iter_mut().filter(|e| {
            e.kind.as_deref() == Some("PrivateEndpoint") && e.service.ends_with("/blob")
        }) {
            e.private_dns = match zone {
                Some((_, _, at)) => Field::set(at.clone(), true),
                None => Field::set(list_at.clone(), false),
            };
        }
    }

    /// Deletion protection of every Azure load balancer, from the locks on it or on a scope
    /// above it (its resource group, its subscription), once a lock list was read.
    fn join_locks(&self, view: &mut Deployment) {
        let Some(list_at) = &self.locks_at else {
            return;
        };
        for lb in view.load_balancers.iter_mut().filter(|lb| {
            matches!(
                lb.kind.value(),
                Some(
                    LbKind::ApplicationGateway
                        | LbKind::ApplicationGatewayV1
                        | LbKind::AzureLoadBalancer
                        | LbKind::FrontDoor
                        | LbKind::FrontDoorClassic
                        | LbKind::ApplicationGatewayForContainers
                )
            )
        }) {
            let Some(id) = lb.arn.clone() else { continue };
            lb.attributes_read = true;
            let lock = self.locks.iter().find(|l| {
                under(&id, &l.scope)
                    && (l.level.eq_ignore_ascii_case("CanNotDelete")
                        || l.level.eq_ignore_ascii_case("ReadOnly"))
            });
            lb.deletion_protection = match lock {
                Some(l) => Field::set(l.at.clone(), true),
                None => Field::set(list_at.clone(), false),
            };
        }
    }
}
