//! DNS checks. Owns [`NameView`] (how one name resolves from every vantage point) and the
//! checks over it: [`check_resolves`], [`check_leads_to_load_balancer`],
//! [`check_same_target`]. Every outcome carries the raw answers it judged.
//!
//! Resolution goes through `netconform-net`'s resolver, so the checks see what the probes and
//! the load generator see. No printing, no env; depends on model and net only.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Instant;

use netconform_model::evidence::dns::{Record, Resolution};
use netconform_model::values::DnsName;
use netconform_model::{Outcome, Verdict};
use netconform_net::Resolver;
use netconform_net::resolve::{RData, Type};

/// A vantage point: a resolver and the label evidence gives it.
pub type Vantage = Resolver;

/// How one name resolved (A and AAAA) from every vantage point.
#[derive(Debug, Clone, PartialEq)]
pub struct NameView {
    pub name: DnsName,
    /// A then AAAA, for each vantage point in order.
    pub resolutions: Vec<Resolution>,
}

impl NameView {
    /// Resolves `name` (A and AAAA) through every vantage point.
    pub async fn resolve(name: &DnsName, vantages: &[Vantage]) -> NameView {
        let mut resolutions = Vec::new();
        for vantage in vantages {
            for rtype in [Type::A, Type::AAAA] {
                resolutions.push(resolve_one(vantage, name, rtype).await);
            }
        }
        NameView {
            name: name.clone(),
            resolutions,
        }
    }

    /// The vantage points asked, in order.
    fn servers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.resolutions {
            if !seen.contains(&r.server.as_str()) {
                seen.push(&r.server);
            }
        }
        seen
    }

    fn answers_of<'a>(&'a self, server: &'a str) -> impl Iterator<Item = &'a Resolution> {
        self.resolutions.iter().filter(move |r| r.server == server)
    }

    fn addresses_from(&self, server: &str) -> BTreeSet<IpAddr> {
        self.answers_of(server).flat_map(Resolution::ips).collect()
    }

    /// The names the chain passed through (the name itself, CNAME targets), per server.
    fn chain_names_from(&self, server: &str) -> Vec<String> {
        let mut names = vec![self.name.to_string()];
        for r in self.answers_of(server) {
            for hop in &r.chain {
                if !names.contains(&hop.data) {
                    names.push(hop.data.clone());
                }
            }
        }
        names
    }

    fn final_name_from(&self, server: &str) -> String {
        self.answers_of(server)
            .find(|r| r.error.is_none())
            .map_or_else(|| self.name.to_string(), |r| r.final_name.clone())
    }

    fn outcome(&self, check: String, verdict: Verdict, reason: String) -> Outcome {
        let mut outcome = Outcome::new(check, verdict, reason);
        outcome.evidence = self.resolutions.iter().cloned().map(Into::into).collect();
        outcome
    }
}

/// Resolves one name and type through one resolver, keeping every answer.
pub async fn resolve_one(resolver: &Resolver, name: &DnsName, rtype: Type) -> Resolution {
    let start = Instant::now();
    let res = resolver.lookup(name.as_str(), rtype).await;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut resolution = Resolution {
        name: name.to_string(),
        record_type: rtype.to_string(),
        server: resolver.servers().to_owned(),
        chain: Vec::new(),
        addresses: Vec::new(),
        final_name: name.to_string(),
        error: None,
        elapsed_ms,
    };
    match res {
        Ok(lookup) => {
            for record in lookup.answers() {
                let owner = trim_dot(&record.name.to_string());
                let ttl = record.ttl;
                match &record.data {
                    RData::CNAME(target) => {
                        let target = trim_dot(&target.0.to_string());
                        resolution.final_name = target.clone();
                        resolution.chain.push(Record {
                            name: owner,
                            record_type: "CNAME".into(),
                            ttl,
                            data: target,
                        });
                    }
                    RData::A(a) => resolution.addresses.push(Record {
                        name: owner,
                        record_type: "A".into(),
                        ttl,
                        data: a.0.to_string(),
                    }),
                    RData::AAAA(aaaa) => resolution.addresses.push(Record {
                        name: owner,
                        record_type: "AAAA".into(),
                        ttl,
                        data: aaaa.0.to_string(),
                    }),
                    _ => {}
                }
            }
        }
        Err(failure) => resolution.error = Some(failure.to_string()),
    }
    resolution
}

fn trim_dot(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn list<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// The name has at least one address from every vantage point.
pub fn check_resolves(view: &NameView) -> Outcome {
    let check = format!("{} resolves", view.name);
    let mut problems = Vec::new();
    for server in view.servers() {
        if view.addresses_from(server).is_empty() {
            // The A answer's error says why (NXDOMAIN, timeout); AAAA's NODATA is normal.
            let why = view
                .answers_of(server)
                .find_map(|r| r.error.clone())
                .unwrap_or_else(|| "no address records".into());
            problems.push(format!(
                "{} does not resolve through {server}: {why}",
                view.name
            ));
        }
    }
    if problems.is_empty() {
        let summary: Vec<String> = view
            .servers()
            .into_iter()
            .map(|s| format!("{} through {s}", list(view.addresses_from(s))))
            .collect();
        view.outcome(
            check,
            Verdict::Pass,
            format!("{} resolves to {}", view.name, summary.join("; ")),
        )
    } else {
        view.outcome(check, Verdict::Fail, problems.join("; "))
    }
}

/// What "the load balancer" is, from the environment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancer {
    /// The name the records' CNAME chain must reach (`dns.load_balancer`).
    pub name: Option<DnsName>,
    /// The addresses the records must resolve to, all of them (`dns.load_balancer_addresses`).
    pub addresses: Vec<IpAddr>,
}

/// The name leads to the load balancer from every vantage point: its CNAME chain reaches the
/// load balancer's name (or, for alias records, it has the same addresses as that name), and
/// its addresses are the load balancer's. When neither is configured the outcome is not
/// applicable: [`check_same_target`] is the check then.
pub async fn check_leads_to_load_balancer(
    view: &NameView,
    lb: &LoadBalancer,
    vantages: &[Vantage],
) -> Outcome {
    let check = format!("{} leads to the load balancer", view.name);
    if lb.name.is_none() && lb.addresses.is_empty() {
        return view.outcome(
            check,
            Verdict::NotApplicable,
            "neither dns.load_balancer nor dns.load_balancer_addresses is set: compare api and app with each other instead".into(),
        );
    }
    let mut problems = Vec::new();
    let mut passes = Vec::new();
    let mut evidence = Vec::new();
    for vantage in vantages {
        let server = vantage.servers();
        let addresses = view.addresses_from(server);
        if addresses.is_empty() {
            let why = view
                .answers_of(server)
                .find_map(|r| r.error.clone())
                .unwrap_or_default();
            problems.push(format!(
                "{} does not resolve through {server}: {why}",
                view.name
            ));
            continue;
        }
        if let Some(lb_name) = &lb.name {
            let chain = view.chain_names_from(server);
            if chain.iter().any(|n| n == lb_name.as_str()) {
                passes.push(format!(
                    "{} is a CNAME chain to {lb_name} ({})",
                    view.name,
                    chain.join(" -> ")
                ));
            } else {
                // An alias record (Route 53 ALIAS, flattened CNAME) answers with the load
                // balancer's addresses directly: compare with the load balancer's own answer.
                let lb_view = NameView::resolve(lb_name, std::slice::from_ref(vantage)).await;
                let lb_addresses = lb_view.addresses_from(server);
                evidence.extend(lb_view.resolutions.iter().cloned());
                if !lb_addresses.is_empty() && lb_addresses == addresses {
                    passes.push(format!(
                        "{} has the same addresses as {lb_name} ({}): an alias record",
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
        if !lb.addresses.is_empty() {
            let expected: BTreeSet<IpAddr> = lb.addresses.iter().copied().collect();
            if addresses == expected {
                passes.push(format!("{} resolves to {}", view.name, list(&addresses)));
            } else {
                problems.push(format!(
                    "{} resolves to {} through {server}, expected the load balancer's {}",
                    view.name,
                    list(&addresses),
                    list(&expected)
                ));
            }
        }
    }
    let mut outcome = if problems.is_empty() {
        view.outcome(check, Verdict::Pass, passes.join("; "))
    } else {
        view.outcome(check, Verdict::Fail, problems.join("; "))
    };
    outcome
        .evidence
        .extend(evidence.into_iter().map(Into::into));
    outcome
}

/// With no load balancer configured: both names lead to the same final name or address set
/// (the guide: both records point to your load balancer).
pub fn check_same_target(a: &NameView, b: &NameView) -> Outcome {
    let check = format!("{} and {} lead to the same load balancer", a.name, b.name);
    let mut problems = Vec::new();
    for server in a.servers() {
        let (fa, fb) = (a.final_name_from(server), b.final_name_from(server));
        let (ia, ib) = (a.addresses_from(server), b.addresses_from(server));
        if fa != fb && (ia != ib || ia.is_empty()) {
            problems.push(format!(
                "through {server}, {} leads to {fa} ({}) but {} leads to {fb} ({})",
                a.name,
                list(&ia),
                b.name,
                list(&ib)
            ));
        }
    }
    let mut outcome = if problems.is_empty() {
        Outcome::pass(
            check,
            format!("{} and {} lead to the same target", a.name, b.name),
        )
    } else {
        Outcome::fail(check, problems.join("; "))
    };
    outcome.evidence = a
        .resolutions
        .iter()
        .chain(&b.resolutions)
        .cloned()
        .map(Into::into)
        .collect();
    outcome
}
