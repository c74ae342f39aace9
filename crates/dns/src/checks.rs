//! The DNS checks over [`NameView`]s. Each returns an [`Outcome`] carrying the answers it
//! judged.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hickory_proto::rr::RecordType;
use netconform_model::environment::{AddressMatch, LoadBalancerTarget};
use netconform_model::evidence::dns::{Record, Resolution, VantageKind};
use netconform_model::values::DnsName;
use netconform_model::{Gap, HumanDuration, Outcome, Verdict};

use crate::query::query;
use crate::vantage::Vantage;
use crate::view::NameView;

fn list<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// An outcome with every resolution of `views` as evidence.
fn outcome(
    check: String,
    problems: Vec<String>,
    passes: Vec<String>,
    views: &[&NameView],
) -> Outcome {
    let mut outcome = Outcome::from_problems(check, &problems, || passes.join("; "));
    outcome.evidence = views
        .iter()
        .flat_map(|v| v.resolutions.iter().cloned())
        .map(Into::into)
        .collect();
    outcome
}

fn is_resolver(kind: Option<VantageKind>) -> bool {
    matches!(
        kind,
        Some(VantageKind::Resolver | VantageKind::VantagePoint)
    )
}

/// The name exists from every vantage point: resolvers give it an address (and an IPv6
/// address when the load balancer has one), authoritative servers answer for it.
pub fn check_resolves(view: &NameView, require_ipv6: bool) -> Outcome {
    let check = format!("{} resolves from every vantage point", view.name);
    let (mut problems, mut passes) = (Vec::new(), Vec::new());
    for server in view.servers() {
        let kind = view.kind_of(server);
        let addresses = view.addresses_from(server);
        let leaves = view
            .answers_of(server)
            .find_map(|r| r.leaves_zone_at.clone());
        if kind == Some(VantageKind::Authoritative) {
            match (&leaves, addresses.is_empty()) {
                (Some(at), _) => passes.push(format!(
                    "{server} answers with a chain leaving its zone at {at}"
                )),
                (None, false) => passes.push(format!("{server} answers {}", list(&addresses))),
                (None, true) => problems.push(format!(
                    "{server} has no answer for {}: {}",
                    view.name,
                    view.failure_from(server)
                )),
            }
            continue;
        }
        if addresses.is_empty() {
            problems.push(format!(
                "{} does not resolve through {server}: {}",
                view.name,
                view.failure_from(server)
            ));
            continue;
        }
        if require_ipv6 && !addresses.iter().any(IpAddr::is_ipv6) {
            problems.push(format!(
                "{} has no AAAA record through {server}, but the load balancer has IPv6 addresses",
                view.name
            ));
            continue;
        }
        passes.push(format!("{} through {server}", list(&addresses)));
    }
    let mut outcome = outcome(check, problems, Vec::new(), &[view]);
    if outcome.passed() {
        outcome.reason = format!("{} resolves: {}", view.name, passes.join("; "));
    }
    outcome
}

/// Whether the load balancer has IPv6: an IPv6 address configured, or an AAAA record on its
/// name through the first resolver.
pub async fn load_balancer_has_ipv6(
    target: &LoadBalancerTarget,
    resolvers: &[Vantage],
    timeout: Duration,
) -> bool {
    if target.addresses.iter().any(IpAddr::is_ipv6) {
        return true;
    }
    let (Some(name), Some(resolver)) = (&target.name, resolvers.first()) else {
        return false;
    };
    let lb = NameView::resolve(name, std::slice::from_ref(resolver), timeout).await;
    lb.resolutions
        .iter()
        .any(|r| r.ips().iter().any(IpAddr::is_ipv6))
}

/// The name leads to the load balancer from every vantage point: its CNAME chain reaches the
/// load balancer's name (or, for alias records, it has the same addresses as that name), and
/// its addresses are the load balancer's (all, or any, per `dns.address_match`).
pub async fn check_leads_to_load_balancer(
    view: &NameView,
    lb: &LoadBalancerTarget,
    vantages: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let check = format!("{} leads to the load balancer", view.name);
    if !lb.is_known() {
        return Outcome::not_checked(
            check,
            Gap::new(
                "no dns.load_balancer",
                "set dns.load_balancer to the load balancer's DNS name (or dns.load_balancer_addresses to its addresses)",
            ),
            "neither dns.load_balancer nor dns.load_balancer_addresses is set: api and app are compared with each other instead",
        );
    }
    let (mut problems, mut passes, mut extra) = (Vec::new(), Vec::new(), Vec::new());
    for vantage in vantages {
        let server = vantage.label.as_str();
        let addresses = view.addresses_from(server);
        let leaves = view
            .answers_of(server)
            .find_map(|r| r.leaves_zone_at.clone());
        if addresses.is_empty() && leaves.is_none() {
            problems.push(format!(
                "{} does not resolve through {server}: {}",
                view.name,
                view.failure_from(server)
            ));
            continue;
        }
        if let Some(lb_name) = &lb.name {
            let chain = view.chain_names_from(server);
            if chain.iter().any(|n| n == lb_name.as_str()) {
                passes.push(format!(
                    "{} -> {} through {server}",
                    chain.join(" -> "),
                    list(&addresses)
                ));
            } else if leaves.is_some() {
                problems.push(format!(
                    "{} leads to {}, expected {lb_name} (chain {} at {server})",
                    view.name,
                    view.final_name_from(server),
                    chain.join(" -> ")
                ));
            } else {
                // An alias record (Route 53 ALIAS, a flattened CNAME) answers with the load
                // balancer's addresses directly: compare with the load balancer's own answer.
                let lb_view =
                    NameView::resolve(lb_name, std::slice::from_ref(vantage), timeout).await;
                let lb_addresses = lb_view.addresses_from(server);
                extra.extend(lb_view.resolutions);
                if !lb_addresses.is_empty() && lb_addresses == addresses {
                    passes.push(format!(
                        "{} has the addresses of {lb_name} ({}): an alias record",
                        view.name,
                        list(&addresses)
                    ));
                } else {
                    problems.push(format!(
                        "{} leads to {}, expected {lb_name} (chain {} through {server})",
                        view.name,
                        view.final_name_from(server),
                        chain.join(" -> ")
                    ));
                }
            }
        }
        if !lb.addresses.is_empty() && leaves.is_none() {
            let expected: BTreeSet<IpAddr> = lb.addresses.iter().copied().collect();
            let ok = match lb.address_match {
                AddressMatch::All => addresses == expected,
                AddressMatch::Any => !addresses.is_disjoint(&expected),
            };
            let how = match lb.address_match {
                AddressMatch::All => "expected the load balancer's",
                AddressMatch::Any => "expected at least one of the load balancer's",
            };
            if !ok {
                problems.push(format!(
                    "{} resolves to {} through {server}, {how} {}",
                    view.name,
                    list(&addresses),
                    list(&expected)
                ));
            }
        }
    }
    let mut outcome = outcome(check, problems, passes, &[view]);
    outcome.evidence.extend(extra.into_iter().map(Into::into));
    outcome
}

/// With no load balancer configured: both names lead to the same final name or the same
/// addresses from every resolver (the guide: both point to your load balancer).
pub fn check_same_target(a: &NameView, b: &NameView) -> Outcome {
    let check = format!("{} and {} lead to the same load balancer", a.name, b.name);
    let mut problems = Vec::new();
    for server in a
        .servers()
        .into_iter()
        .filter(|s| is_resolver(a.kind_of(s)))
    {
        let (fa, fb) = (a.final_name_from(server), b.final_name_from(server));
        let (ia, ib) = (a.addresses_from(server), b.addresses_from(server));
        if (fa != fb || ia.is_empty()) && (ia != ib || ia.is_empty()) {
            problems.push(format!(
                "through {server}, {} leads to {fa} ({}) but {} leads to {fb} ({})",
                a.name,
                list(&ia),
                b.name,
                list(&ib)
            ));
        }
    }
    let passes = vec![format!("{} and {} lead to the same target", a.name, b.name)];
    outcome(check, problems, passes, &[a, b])
}

/// `view`'s record leads to its load balancer: through the CNAME chain or addresses when the
/// environment names the load balancer; else it can only be compared with the other record
/// (`other`, resolved only then), and the scenario is not checked: whether that common target
/// is the deployment's own load balancer is not known.
pub async fn check_record_leads_to(
    view: &NameView,
    lb: &LoadBalancerTarget,
    vantages: &crate::Vantages,
    other: impl Future<Output = NameView>,
    timeout: Duration,
) -> Outcome {
    if lb.is_known() {
        return check_leads_to_load_balancer(view, lb, &vantages.all(), timeout).await;
    }
    let same = check_same_target(view, &other.await);
    if !same.passed() {
        return same;
    }
    Outcome {
        verdict: Verdict::NotChecked,
        gap: Some(Gap::new(
            "no dns.load_balancer",
            "set dns.load_balancer to the load balancer's DNS name (or dns.load_balancer_addresses to its addresses)",
        )),
        reason: format!(
            "not checked against a load balancer: neither dns.load_balancer nor dns.load_balancer_addresses is set; {}",
            same.reason
        ),
        ..same
    }
}

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

/// Asks `attempt` again, with backoff (a twentieth of `within` first, doubling, at most 30 s
/// apart), until it passes or `within` is over: for a DNS change still on its way.
pub async fn check_eventually<F, Fut>(within: Duration, name: &DnsName, mut attempt: F) -> Outcome
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Outcome>,
{
    let started = Instant::now();
    let deadline = started + within;
    let mut pause = (within / 20).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut outcome = attempt().await;
        let now = Instant::now();
        if outcome.passed() {
            outcome.reason = format!(
                "{name} after {:.1} s ({attempts} attempts): {}",
                now.duration_since(started).as_secs_f64(),
                outcome.reason
            );
            return outcome;
        }
        if now + pause > deadline {
            outcome.verdict = Verdict::Fail;
            outcome.reason = format!(
                "{name} did not lead to the load balancer within {} ({attempts} attempts); last: {}",
                HumanDuration(within),
                outcome.reason
            );
            return outcome;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// Runs `work` within `limit` (`dns.check_timeout`); the message when it does not finish.
pub async fn within<T>(limit: HumanDuration, work: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(limit.get(), work)
        .await
        .map_err(|_| format!("the DNS check did not finish within {limit} (dns.check_timeout)"))
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

fn random_label() -> String {
    use std::hash::BuildHasher;
    let hash = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    format!("netconform-probe-{hash:016x}")
}

/// A wildcard `*.{domain}` would hide a missing record: a random name under the domain must
/// not resolve, or, when a wildcard exists, api and app must be records of their own. Finding
/// a wildcard is reported; it fails only when the records themselves come from it.
pub async fn check_wildcard(
    views: &[&NameView],
    domain: &DnsName,
    resolvers: &[Vantage],
    timeout: Duration,
) -> Outcome {
    let check = format!("no wildcard under {domain} stands in for the records");
    let Some(resolver) = resolvers.first() else {
        return Outcome::inconclusive(check, "no resolver to ask");
    };
    let random = domain.child(&random_label());
    let probe = NameView::resolve(&random, std::slice::from_ref(resolver), timeout).await;
    let wildcard_addresses = probe.addresses_from(&resolver.label);
    let mut evidence: Vec<Resolution> = probe.resolutions.clone();
    if wildcard_addresses.is_empty() {
        let mut o = outcome(
            check,
            Vec::new(),
            vec![format!(
                "no wildcard: {random} does not resolve ({})",
                probe.failure_from(&resolver.label)
            )],
            views,
        );
        o.evidence.extend(evidence.into_iter().map(Into::into));
        return o;
    }
    let wildcard_target = probe.final_name_from(&resolver.label);
    let mut problems = Vec::new();
    let mut own = Vec::new();
    for view in views {
        let same = view.final_name_from(&resolver.label) == wildcard_target
            && view.addresses_from(&resolver.label) == wildcard_addresses;
        if !same {
            own.push(view.name.to_string());
            continue;
        }
        // A name of its own stops the wildcard below it (RFC 4592): a random label under it
        // then does not resolve.
        let below = view.name.child(&random_label());
        let below_view = NameView::resolve(&below, std::slice::from_ref(resolver), timeout).await;
        let below_resolves = !below_view.addresses_from(&resolver.label).is_empty();
        evidence.extend(below_view.resolutions);
        if below_resolves {
            problems.push(format!(
                "{} is answered by the wildcard *.{domain} (-> {wildcard_target}): a random name ({random}) and a name below it ({below}) get the same answer, so the record itself may be missing",
                view.name
            ));
        } else {
            own.push(view.name.to_string());
        }
    }
    let passes = vec![format!(
        "a wildcard *.{domain} answers random names (-> {wildcard_target}, {}), reported; {} are records of their own",
        list(&wildcard_addresses),
        list(&own)
    )];
    let mut o = outcome(check, problems, passes, views);
    o.evidence.extend(evidence.into_iter().map(Into::into));
    o
}

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

fn publish<T>(names: &BTreeSet<T>) -> &'static str {
    if names.len() == 1 {
        "publishes"
    } else {
        "publish"
    }
}

/// Every IPv6 address the records publish accepts connections on the endpoint's port: an AAAA
/// without a listener breaks IPv6 clients (or slows them by a Happy Eyeballs fallback).
pub async fn check_ipv6_listeners(views: &[(&NameView, u16)], timeout: Duration) -> Outcome {
    let check = "every published IPv6 address has a listener".to_owned();
    let mut targets: BTreeMap<SocketAddr, BTreeSet<String>> = BTreeMap::new();
    for (view, port) in views {
        for server in view
            .servers()
            .into_iter()
            .filter(|s| is_resolver(view.kind_of(s)))
        {
            for ip in view
                .addresses_from(server)
                .into_iter()
                .filter(IpAddr::is_ipv6)
            {
                targets
                    .entry(SocketAddr::new(ip, *port))
                    .or_default()
                    .insert(view.name.to_string());
            }
        }
    }
    let all: Vec<&NameView> = views.iter().map(|(v, _)| *v).collect();
    if targets.is_empty() {
        let mut o = outcome(
            check,
            Vec::new(),
            vec!["no AAAA records are published".into()],
            &all,
        );
        o.verdict = Verdict::NotApplicable;
        return o;
    }
    let (mut problems, mut passes) = (Vec::new(), Vec::new());
    for (addr, names) in targets {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => passes.push(format!("{addr} accepts connections")),
            Ok(Err(e)) => problems.push(format!(
                "{} {} {} (AAAA) but nothing accepts connections on {addr}: {e}",
                list(&names),
                publish(&names),
                addr.ip()
            )),
            Err(_) => problems.push(format!(
                "{} {} {} (AAAA) but {addr} did not accept a connection within {}",
                list(&names),
                publish(&names),
                addr.ip(),
                HumanDuration(timeout)
            )),
        }
    }
    outcome(check, problems, passes, &all)
}
