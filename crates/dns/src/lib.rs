//! DNS checks. Owns [`NameView`] (how one name resolves from every vantage point: the
//! configured resolvers, extra vantage points and the zone's authoritative servers), the
//! vantage points and their discovery ([`vantage`]), a direct DNS client ([`query`]) and the
//! checks ([`checks`]): the records resolve, lead to the load balancer, agree across servers,
//! do not dangle, are not a wildcard's, have short TTLs, have listeners on their IPv6
//! addresses, and validate with DNSSEC ([`dnssec`]). Every outcome carries the raw answers it judged.
//!
//! Questions go straight to the configured servers (the system's from /etc/resolv.conf when
//! none is set), so the checks see what the probes and the load generator see. No printing,
//! no env; depends on model and net only.

pub mod checks;
pub mod dnssec;
pub mod query;
pub mod vantage;
pub mod view;

pub use checks::{
    check_authoritative_agreement, check_eventually, check_ipv6_listeners,
    check_leads_to_load_balancer, check_no_dangling, check_record_leads_to, check_resolves,
    check_same_target, check_servers_agree, check_ttl, check_wildcard, load_balancer_has_ipv6,
    within,
};
pub use dnssec::check_dnssec;
pub use vantage::{DiscoveryError, Vantage, Vantages};
pub use view::NameView;
