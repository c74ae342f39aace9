//! "Network architecture": tiers (load balancers public, the API private, the database in
//! database subnets), one NAT gateway per zone, an endpoint for object storage.

use std::collections::{BTreeMap, BTreeSet};

use netconform_model::Outcome;
use netconform_model::guide::Section;

mod attached_nat;
mod blob_storage;
mod block_public_access;
mod controller_scheme;
mod gcp;
mod object_storage;

pub use object_storage::check_object_storage_endpoint;

use block_public_access::{blocked, bpa_unknown};

use super::{Judge, google_cloud, guideline, judged_load_balancers, no_api, platform};
use crate::node::{Loc, State};
use crate::view::{Deployment, Input, NatGateway, RegionalNat, Subnet, Tier, TierOf};

fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Public => "public",
        Tier::Private => "private",
        Tier::Isolated => "isolated",
    }
}

/// Internet-facing load balancers sit in public subnets.
pub fn check_load_balancer_subnets(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "internet-facing load balancers sit in public subnets",
        Section::NetworkArchitecture,
    );
    let gke = super::load_balancer::gke_load_balancers_inapplicable(&mut judge, d, |gw| {
        format!(
            "{} is made a Google Cloud load balancer by the GKE Gateway controller, served by Google's front ends, in no subnet of the VPC: {}",
            gw.subject,
            google_cloud::LB_NOT_IN_SUBNETS
        )
    });
    if !d.has(Input::LoadBalancers) && !gke {
        judge.no_input(d, "the load balancer", Input::LoadBalancers);
    }
    let mut checked = false;
    for lb in judged_load_balancers(&mut judge, d) {
        if lb.internet_facing == Some(false) {
            continue;
        }
        if lb.kind.value().is_some_and(|k| k.is_gcp()) {
            checked = true;
            judge.inapplicable(format!(
                "{} is served by Google's front ends, in no subnet of the VPC: {}",
                lb.subject,
                google_cloud::LB_NOT_IN_SUBNETS
            ));
            continue;
        }
        if let Some((what, why)) = super::azure::placed_by_azure(lb) {
            checked = true;
            judge.inapplicable(format!(
                "{} is {what}, in no subnet of the VNet: {why}",
                lb.subject
            ));
            continue;
        }
        let State::Set(placements) = &lb.placements.state else {
            judge.missing(format!("no subnets of {} in the inputs", lb.subject));
            continue;
        };
        checked = true;
        for (i, p) in placements.iter().enumerate() {
            let Some(subnet) = &p.subnet else {
                judge.missing(format!(
                    "no subnet named for {} in {}",
                    lb.subject,
                    p.zone.clone().unwrap_or_default()
                ));
                continue;
            };
            let at = lb.placements.at.index(i);
            if super::azure::judge_gateway_subnet(&mut judge, d, lb, subnet, &at) {
                continue;
            }
            let tier = d.tier(subnet);
            match tier.tier {
                Some(Tier::Public) if bpa_unknown(d).is_some() => {
                    let input = bpa_unknown(d).expect("just matched");
                    judge.missing(format!(
                        "whether VPC Block Public Access keeps the internet from {subnet} ({} is public by its routes): {}",
                        lb.subject,
                        judge.source(d, input)
                    ));
                }
                Some(Tier::Public) => match blocked(d, subnet) {
                    Some(why) => judge.error(
                        platform::BLOCK_PUBLIC_ACCESS,
                        &lb.subject,
                        &at,
                        format!("{subnet}: public ({}), but {why}", tier.how),
                        "a public subnet the internet can reach (no VPC Block Public Access, or an allow-bidirectional exclusion for it or its VPC)",
                    ),
                    None => judge.ok(
                        guideline::PUBLIC_TIER,
                        &lb.subject,
                        &at,
                        format!("{subnet}: public ({})", tier.how),
                        "a public subnet",
                    ),
                },
                Some(t) => judge.error(
                    guideline::PUBLIC_TIER,
                    &lb.subject,
                    &at,
                    format!(
                        "{subnet}: {} ({}): clients on the internet cannot reach it",
                        tier_name(t),
                        tier.how
                    ),
                    "a public subnet (its default route to an internet gateway)",
                ),
                None => judge.missing(format!("the tier of {subnet}: {}", tier.how)),
            }
        }
    }
    // The AWS Load Balancer Controller's Ingress or Gateway for the API: its scheme and the
    // subnets it names.
    checked |= controller_scheme::judge_controller_load_balancers(&mut judge, d);
    if d.has(Input::LoadBalancers)
        && !checked
        && d.load_balancers
            .iter()
            .all(|lb| lb.internet_facing == Some(false))
    {
        judge.missing("no internet-facing load balancer in the inputs");
    }
    judge.finish()
}

/// The API's tasks (or its nodes) are in private subnets, without public addresses.
pub fn check_api_private_subnets(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the API runs in private subnets",
        Section::NetworkArchitecture,
    );
    if d.on_gcp() {
        gcp::api_private(&mut judge, d);
        return judge.finish();
    }
    let mut any = false;
    let expected = "a private subnet (no default route to an internet gateway)";
    let judge_subnets = |judge: &mut Judge,
                         subject: &str,
                         subnets: &crate::node::Field<Vec<String>>| {
        match &subnets.state {
            State::Set(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    let tier = d.tier(id);
                    let at = subnets.at.index(i);
                    match tier.tier {
                        Some(Tier::Public) => judge.error(
                            guideline::PRIVATE_TIER,
                            subject,
                            &at,
                            format!("{id}: public ({})", tier.how),
                            expected,
                        ),
                        Some(t) => judge.ok(
                            guideline::PRIVATE_TIER,
                            subject,
                            &at,
                            format!("{id}: {} ({})", tier_name(t), tier.how),
                            expected,
                        ),
                        None => judge.missing(format!("the tier of {id}: {}", tier.how)),
                    }
                }
            }
            State::Unset => judge.missing(format!("no subnets of {subject} in the inputs")),
            State::Secret | State::Invalid(_) => {
                judge.unreadable(guideline::PRIVATE_TIER, subject, subnets)
            }
        }
    };
    for s in d.api_services() {
        any = true;
        judge.value(
            guideline::PRIVATE_TIER,
            &s.subject,
            &s.public_ip,
            Some((false, "ECS")),
            "DISABLED (no public IP)",
            |public| !public,
        );
        judge_subnets(&mut judge, &s.subject, &s.subnets);
    }
    if d.api_workloads().next().is_some() {
        any = true;
        let auto_mode = d
            .eks_clusters
            .iter()
            .find(|c| c.auto_mode.value() == Some(&true));
        match auto_mode {
            Some(c) if d.node_groups.is_empty() => judge.missing(format!(
                "the API's pods take their nodes' subnets, and {} runs its nodes with EKS Auto Mode (computeConfig.enabled): no input for its NodeClass, whose subnets they are (`kubectl get nodeclasses.eks.amazonaws.com -o json`)",
                c.subject
            )),
            _ if d.node_groups.is_empty() => judge.missing(format!(
                "the API's pods take their nodes' subnets: no input for the node groups ({})",
                judge.source(d, Input::NodeGroups)
            )),
            _ => {}
        }
        for ng in &d.node_groups {
            judge_subnets(&mut judge, &ng.subject, &ng.subnets);
        }
    }
    for g in d.api_groups() {
        any = true;
        judge_subnets(&mut judge, &g.subject, &g.subnets);
    }
    if !any {
        no_api(&mut judge, d);
    }
    judge.finish()
}

/// Databases are not publicly accessible and sit in database subnets.
pub fn check_database_tier(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the database is private, in database subnets",
        Section::NetworkArchitecture,
    );
    if !d.has(Input::Databases) {
        judge.no_input(d, "the database", Input::Databases);
    } else if d.databases.is_empty() {
        judge.missing("no database in the inputs");
    }
    // Subnets the API runs in: a database there shares the application tier.
    let api_subnets: BTreeSet<String> = d.api_subnets().into_iter().collect();
    for db in &d.databases {
        if d.on_gcp() {
            gcp::database(&mut judge, db);
            continue;
        }
        judge.value(
            guideline::DATABASE_TIER,
            &db.subject,
            &db.public,
            Some((false, "AWS")),
            "false",
            |public| !public,
        );
        let subnets = d.database_subnets(db);
        if subnets.is_empty() {
            judge.missing(format!(
                "the subnets of {} (its subnet group {} is in no input)",
                db.subject,
                db.subnet_group.as_deref().unwrap_or("(unnamed)")
            ));
        }
        let expected =
            "a database subnet (no route to the internet, apart from the application's subnets)";
        for id in subnets {
            let at = d
                .subnet(&id)
                .map_or_else(|| db.at.clone(), |s| s.at.clone());
            let tier = d.tier(&id);
            match tier.tier {
                Some(Tier::Public) => judge.error(
                    guideline::DATABASE_TIER,
                    &db.subject,
                    &at,
                    format!("{id}: public ({})", tier.how),
                    expected,
                ),
                _ if api_subnets.contains(&id) => judge.error(
                    guideline::DATABASE_TIER,
                    &db.subject,
                    &at,
                    format!("{id}: a subnet the API runs in (the tiers are not separated)"),
                    expected,
                ),
                Some(Tier::Private) => judge.warn(
                    guideline::DATABASE_TIER,
                    &db.subject,
                    &at,
                    format!("{id}: private, with a route to the internet ({})", tier.how),
                    expected,
                ),
                Some(Tier::Isolated) => judge.ok(
                    guideline::DATABASE_TIER,
                    &db.subject,
                    &at,
                    format!("{id}: isolated ({})", tier.how),
                    expected,
                ),
                None => judge.missing(format!("the tier of {id}: {}", tier.how)),
            }
        }
    }
    judge.finish()
}

/// Every zone with private subnets has its own NAT gateway, and (with the route tables) each
/// private subnet routes to the one in its zone.
pub fn check_nat_per_zone(d: &Deployment) -> Outcome {
    if d.on_gcp() {
        return gcp::check_cloud_nat(d);
    }
    let mut judge = Judge::new(
        "one NAT gateway per availability zone",
        Section::NetworkArchitecture,
    );
    if !d.has(Input::Subnets) {
        judge.no_input(d, "the subnets", Input::Subnets);
        return judge.finish();
    }
    if !d.has(Input::NatGateways) {
        judge.no_input(d, "the NAT gateways", Input::NatGateways);
        return judge.finish();
    }
    let usable: Vec<&NatGateway> = d
        .nat_gateways
        .iter()
        .filter(|n| {
            n.state
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("available"))
        })
        .collect();
    judge_nat_subnets(&mut judge, d, &usable);
    // Zones -> NAT gateways in them.
    let mut nats_by_zone: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in &usable {
        if let Some(z) = n.subnet.as_deref().and_then(|s| d.zone_of(s)) {
            nats_by_zone.entry(z.to_owned()).or_default().push(&n.id);
        }
        // A regional NAT gateway runs in the zones it serves: all of the VPC's, or its own.
        if let Some(r) = &n.regional {
            let zones: Vec<&str> = if r.auto_zones {
                d.subnets.iter().filter_map(|s| s.zone.as_deref()).collect()
            } else {
                r.zones.iter().map(String::as_str).collect()
            };
            for z in zones {
                let ids = nats_by_zone.entry(z.to_owned()).or_default();
                if !ids.contains(&n.id.as_str()) {
                    ids.push(&n.id);
                }
            }
        }
    }
    let mut private = 0;
    for subnet in &d.subnets {
        let tier = d.tier(&subnet.id);
        match tier.tier {
            Some(Tier::Private) => private += 1,
            Some(_) => continue,
            None => {
                judge.missing(format!("the tier of {}: {}", subnet.id, tier.how));
                continue;
            }
        }
        judge_private_subnet(&mut judge, d, subnet, &tier, &usable, &nats_by_zone);
    }
    if private == 0 && judge.missing.is_empty() {
        judge.missing("no private subnet in the inputs (no NAT gateway is needed)");
    }
    judge.finish()
}

/// Each NAT gateway in a public subnet: one in a private subnet has no way out itself. One
/// attached to subnets (Azure) is in none.
fn judge_nat_subnets(judge: &mut Judge, d: &Deployment, usable: &[&NatGateway]) {
    for n in usable {
        if let Some(regional) = &n.regional {
            judge.ok(
                platform::REGIONAL_NAT,
                &format!("NAT gateway {}", n.id),
                &regional.at,
                "regional: no subnet of its own, AWS runs it in each zone it serves",
                "a public subnet, or a regional NAT gateway",
            );
            continue;
        }
        let attached = d.subnets.iter().any(|s| {
            s.egress
                .as_ref()
                .and_then(|e| e.nat_gateway.as_ref())
                .is_some_and(|(id, _)| crate::links::azure::same_id(id, &n.id))
        });
        if attached || (n.subnet.is_none() && !n.zones.is_empty()) {
            continue;
        }
        let Some(subnet) = n.subnet.as_deref() else {
            judge.missing(format!("the subnet of NAT gateway {}", n.id));
            continue;
        };
        let tier = d.tier(subnet);
        let subject = format!("NAT gateway {}", n.id);
        let at = n.subnet_at.clone();
        match tier.tier {
            Some(Tier::Public) => judge.ok(
                guideline::PUBLIC_TIER,
                &subject,
                &at,
                format!("{subnet}: public ({})", tier.how),
                "a public subnet",
            ),
            Some(t) => judge.error(
                guideline::PUBLIC_TIER,
                &subject,
                &at,
                format!(
                    "{subnet}: {} ({}): the NAT gateway itself has no route to the internet",
                    tier_name(t),
                    tier.how
                ),
                "a public subnet (its default route to an internet gateway)",
            ),
            None => judge.missing(format!("the tier of {subnet}: {}", tier.how)),
        }
    }
}

/// A private subnet routing to a regional NAT gateway: served in its own zone when the gateway
/// provisions zones itself or lists this one.
fn judge_regional(
    judge: &mut Judge,
    subject: &str,
    route_at: &Loc,
    nat: &str,
    r: &RegionalNat,
    zone: &str,
) {
    let expected = format!("a NAT gateway in {zone} (a regional one serving {zone})");
    if r.auto_zones {
        judge.ok(
            platform::REGIONAL_NAT,
            subject,
            route_at,
            format!("routes to {nat}, regional with AutoProvisionZones enabled: it runs in {zone}"),
            expected,
        );
    } else if r.zones.iter().any(|z| z == zone) {
        judge.ok(
            platform::REGIONAL_NAT,
            subject,
            route_at,
            format!("routes to {nat}, regional, with an address in {zone}"),
            expected,
        );
    } else {
        judge.error(
            platform::REGIONAL_NAT,
            subject,
            route_at,
            format!(
                "routes to {nat}, regional with AutoProvisionZones disabled and no address in {zone} (its zones: {})",
                if r.zones.is_empty() { "none".to_owned() } else { r.zones.join(", ") }
            ),
            expected,
        );
    }
}

/// A private subnet's way out: the NAT gateway its route table names, in its own zone; without
/// route tables, a NAT gateway in its zone.
fn judge_private_subnet(
    judge: &mut Judge,
    d: &Deployment,
    subnet: &Subnet,
    tier: &TierOf,
    usable: &[&NatGateway],
    nats_by_zone: &BTreeMap<String, Vec<&str>>,
) {
    if let (Some(e), Some(nat)) = (&subnet.egress, &tier.nat)
        && let Some((_, at)) = &e.nat_gateway
    {
        attached_nat::judge_attached_nat(judge, d, subnet, nat, at);
        return;
    }
    let Some(zone) = subnet.zone.as_deref() else {
        judge.missing(format!("the zone of {}", subnet.id));
        return;
    };
    let subject = format!("subnet {} ({zone})", subnet.id);
    let expected = format!("a NAT gateway in {zone}");
    let nat_zone = |id: &str| -> Option<String> {
        usable
            .iter()
            .find(|n| n.id == id)
            .and_then(|n| n.subnet.as_deref())
            .and_then(|s| d.zone_of(s))
            .map(str::to_owned)
    };
    match &tier.nat {
        Some(nat) => {
            let route_at = d
                .route_table_of(subnet)
                .and_then(|rt| rt.default_route.as_ref().map(|(_, at)| at.clone()))
                .unwrap_or_else(|| subnet.at.clone());
            let regional = usable
                .iter()
                .find(|n| n.id == *nat)
                .and_then(|n| n.regional.as_ref());
            if let Some(r) = regional {
                judge_regional(judge, &subject, &route_at, nat, r, zone);
                return;
            }
            match nat_zone(nat) {
                Some(z) if z == zone => judge.ok(guideline::NAT_PER_ZONE, &subject, &route_at, format!("routes to {nat} in {z}"), expected),
                Some(z) => judge.error(
                    guideline::NAT_PER_ZONE,
                    &subject,
                    &route_at,
                    format!("routes to {nat} in {z}: another zone's NAT gateway (a zone outage cuts this one off)"),
                    expected,
                ),
                None => judge.missing(format!("the zone of {nat}, which {} routes to", subnet.id)),
            }
        }
        None if d.has(Input::RouteTables) && d.route_table_of(subnet).is_some() => {
            // Private through something else (a transit gateway): no NAT needed here.
            judge.ok(
                guideline::NAT_PER_ZONE,
                &subject,
                &subnet.at,
                tier.how.clone(),
                "egress in its own zone",
            )
        }
        None => match nats_by_zone.get(zone) {
            Some(ids) => judge.ok(
                guideline::NAT_PER_ZONE,
                &subject,
                &subnet.at,
                format!("{} in {zone}", ids.join(", ")),
                expected,
            ),
            None => judge.error(
                guideline::NAT_PER_ZONE,
                &subject,
                &subnet.at,
                format!(
                    "no NAT gateway in {zone} (NAT gateways are in: {})",
                    if nats_by_zone.is_empty() {
                        "none".to_owned()
                    } else {
                        nats_by_zone.keys().cloned().collect::<Vec<_>>().join(", ")
                    }
                ),
                expected,
            ),
        },
    }
}
