//! "DNS": the exported records for api and app point at the load balancer (one of the inputs,
//! an Ingress's or Gateway's status, or the one the environment file names).

use std::net::IpAddr;

use netconform_model::Outcome;
use netconform_model::guide::{API_RECORD_LABEL, APP_RECORD_LABEL, Section};

use super::super::{Judge, guideline};
use crate::view::{Deployment, Input, dns_key};

/// [`check_dns_records`] for the records and the load balancer an environment file names.
pub fn check_dns_records_of(d: &Deployment, env: &netconform_model::Environment) -> Outcome {
    let load_balancer = env
        .dns
        .load_balancer
        .as_ref()
        .map(|n| n.as_str().to_owned());
    check_dns_records(
        d,
        &env.domain.to_string(),
        load_balancer.as_deref(),
        &env.dns.load_balancer_addresses,
    )
}

/// The exported records for `api.{domain}` and `app.{domain}` point at a load balancer of the
/// inputs (or `load_balancer`, `addresses` from the environment).
pub fn check_dns_records(
    d: &Deployment,
    domain: &str,
    load_balancer: Option<&str>,
    addresses: &[IpAddr],
) -> Outcome {
    let mut judge = Judge::new(
        "the exported records point api and app to the load balancer",
        Section::Dns,
    );
    if !d.has(Input::Records) {
        judge.no_input(d, "the DNS records", Input::Records);
        return judge.finish();
    }
    let mut lbs = d.load_balancer_names();
    lbs.extend(load_balancer.map(dns_key));
    let list_at = d
        .list_of(Input::Records)
        .cloned()
        .expect("records were read");
    for label in [API_RECORD_LABEL, APP_RECORD_LABEL] {
        let name = format!("{label}.{}", dns_key(domain));
        let records: Vec<_> = d
            .records
            .iter()
            .filter(|r| r.name == name && matches!(r.record_type.as_str(), "A" | "AAAA" | "CNAME"))
            .collect();
        if records.is_empty() {
            judge.error(
                guideline::DNS_RECORDS,
                &name,
                &list_at,
                format!("no A, AAAA or CNAME record for {name}"),
                "a record pointing to the load balancer",
            );
        }
        for r in records {
            let subject = format!("{} record {name}", r.record_type);
            let expected = if lbs.is_empty() {
                "the load balancer".to_owned()
            } else {
                format!(
                    "the load balancer ({})",
                    lbs.iter().cloned().collect::<Vec<_>>().join(" or ")
                )
            };
            let to_lb = r.targets.iter().any(|t| {
                lbs.contains(t) || t.parse::<IpAddr>().is_ok_and(|ip| addresses.contains(&ip))
            });
            if to_lb {
                judge.ok(
                    guideline::DNS_RECORDS,
                    &subject,
                    &r.at,
                    format!("-> {}", r.targets.join(", ")),
                    expected,
                );
            } else if lbs.is_empty() && addresses.is_empty() {
                judge.missing(format!(
                    "where {name} should point: no load balancer in the inputs ({}) and no dns.load_balancer",
                    judge.source(d, Input::LoadBalancers)
                ));
            } else {
                judge.error(
                    guideline::DNS_RECORDS,
                    &subject,
                    &r.at,
                    format!(
                        "-> {}",
                        if r.targets.is_empty() {
                            "nothing".to_owned()
                        } else {
                            r.targets.join(", ")
                        }
                    ),
                    expected,
                );
            }
        }
    }
    judge.finish()
}
