//! An endpoint for object storage: the API reaches S3 through a Gateway endpoint on its
//! subnets' route tables, or an Interface endpoint with private DNS, never through the NAT.

use std::collections::BTreeSet;

use netconform_model::Outcome;
use netconform_model::guide::Section;

use super::super::{Judge, guideline};
use crate::node::{Loc, State};
use crate::view::{Deployment, Input, Subnet, Tier, VpcEndpoint};

const EXPECTED: &str = "a Gateway endpoint for com.amazonaws.<region>.s3 on the route table of every subnet the API runs in, or an Interface endpoint for it with private DNS";

/// Object storage is reached through an endpoint the API uses: a Gateway endpoint for S3 on
/// the route table of every subnet the API runs in, or an Interface endpoint for S3 in its
/// VPC with private DNS on.
pub fn check_object_storage_endpoint(d: &Deployment) -> Outcome {
    if d.on_gcp() {
        return super::gcp::check_private_google_access(d);
    }
    let mut judge = Judge::new(
        "object storage is reached through a VPC endpoint",
        Section::NetworkArchitecture,
    );
    let ids = d.api_subnets();
    let azure: Vec<&Subnet> = ids
        .iter()
        .filter_map(|s| d.subnet(s))
        .filter(|s| s.egress.is_some())
        .collect();
    if !azure.is_empty() {
        super::blob_storage::judge_blob(&mut judge, d, &azure);
        return judge.finish();
    }
    if !d.has(Input::VpcEndpoints) {
        judge.no_input(d, "the VPC endpoints", Input::VpcEndpoints);
        return judge.finish();
    }
    let subnets = api_subnets(&mut judge, d);
    let mut vpcs: BTreeSet<Option<String>> = subnets.iter().map(|s| s.vpc.clone()).collect();
    if vpcs.is_empty() {
        vpcs = d.subnets.iter().map(|s| s.vpc.clone()).collect();
    }
    if vpcs.is_empty() {
        vpcs.insert(None);
    }
    let list_at = d
        .list_of(Input::VpcEndpoints)
        .cloned()
        .expect("the endpoints were read");
    for vpc in vpcs {
        judge_vpc(&mut judge, d, vpc, &subnets, &list_at);
    }
    judge.finish()
}

/// The subnets the API runs in; without them, the private subnets (the application tier).
fn api_subnets<'a>(judge: &mut Judge, d: &'a Deployment) -> Vec<&'a Subnet> {
    let subnets: Vec<&Subnet> = d.api_subnets().iter().filter_map(|s| d.subnet(s)).collect();
    if !subnets.is_empty() {
        return subnets;
    }
    let private: Vec<&Subnet> = d
        .subnets
        .iter()
        .filter(|s| d.tier(&s.id).tier == Some(Tier::Private))
        .collect();
    if !private.is_empty() {
        judge.inapplicable(
            "the inputs do not say which subnets the API runs in: the private subnets are judged",
        );
    }
    private
}

fn is_interface(e: &VpcEndpoint) -> bool {
    e.kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("Interface"))
}

/// One VPC: an S3 endpoint in it, and the API's subnets in it reaching it.
fn judge_vpc(
    judge: &mut Judge,
    d: &Deployment,
    vpc: Option<String>,
    subnets: &[&Subnet],
    list_at: &Loc,
) {
    let g = guideline::OBJECT_STORAGE_ENDPOINT;
    let subject = match &vpc {
        Some(v) => format!("VPC {v}"),
        None => "the VPC".to_owned(),
    };
    let usable = |e: &&VpcEndpoint| {
        is_s3(&e.service)
            && e.state
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("available"))
    };
    let here: Vec<&VpcEndpoint> = d
        .vpc_endpoints
        .iter()
        .filter(usable)
        .filter(|e| vpc.is_none() || e.vpc.is_none() || e.vpc == vpc)
        .collect();
    if here.is_empty() {
        let others: Vec<&str> = d.vpc_endpoints.iter().map(|e| e.service.as_str()).collect();
        judge.error(
            g,
            &subject,
            list_at,
            format!(
                "no S3 endpoint (endpoints: {}): object storage traffic goes through the NAT gateways",
                if others.is_empty() { "none".to_owned() } else { others.join(", ") }
            ),
            EXPECTED,
        );
        return;
    }
    // An Interface endpoint with private DNS serves every subnet of its VPC.
    if let Some(e) = here.iter().find(|e| is_interface(e))
        && judge_interface(judge, &subject, e, &here)
    {
        return;
    }
    let in_vpc: Vec<&Subnet> = subnets
        .iter()
        .copied()
        .filter(|s| vpc.is_none() || s.vpc.is_none() || s.vpc == vpc)
        .collect();
    let gateways: Vec<&VpcEndpoint> = here.iter().copied().filter(|e| !is_interface(e)).collect();
    let e = gateways.first().copied().unwrap_or(here[0]);
    if in_vpc.is_empty() {
        judge.ok(
            g,
            &subject,
            &e.at,
            format!(
                "{} ({}, {}); no subnet of the API's in the inputs to tie it to",
                e.id,
                e.service,
                e.kind.as_deref().unwrap_or("endpoint")
            ),
            EXPECTED,
        );
        return;
    }
    if !d.has(Input::RouteTables) {
        judge.no_input(
            d,
            &format!("the route tables that tie the S3 endpoint of {subject} to the API's subnets"),
            Input::RouteTables,
        );
        return;
    }
    judge_gateways(judge, d, &subject, &in_vpc, &gateways, e);
}

/// An Interface endpoint: with private DNS it serves the VPC; without it, and with no other S3
/// endpoint beside it, the API's client goes the public way. Whether that decided the VPC.
fn judge_interface(
    judge: &mut Judge,
    subject: &str,
    e: &VpcEndpoint,
    here: &[&VpcEndpoint],
) -> bool {
    let g = guideline::OBJECT_STORAGE_ENDPOINT;
    match &e.private_dns.state {
        State::Set(true) => {
            judge.ok(
                g,
                subject,
                &e.private_dns.at,
                format!("{} ({}, Interface, private DNS on)", e.id, e.service),
                EXPECTED,
            );
            true
        }
        State::Set(false) | State::Unset => {
            if here.iter().all(|x| x.id == e.id) {
                judge.error(
                    g,
                    subject,
                    &e.private_dns.at,
                    format!(
                        "{} ({}, Interface) without private DNS: the API's S3 client resolves the public S3 name and goes through the NAT gateways",
                        e.id, e.service
                    ),
                    EXPECTED,
                );
                return true;
            }
            false
        }
        _ => {
            judge.unreadable(g, &e.id, &e.private_dns);
            true
        }
    }
}

/// Gateway endpoints: every subnet of the API's in the VPC uses a route table they are on.
fn judge_gateways(
    judge: &mut Judge,
    d: &Deployment,
    subject: &str,
    in_vpc: &[&Subnet],
    gateways: &[&VpcEndpoint],
    e: &VpcEndpoint,
) {
    let g = guideline::OBJECT_STORAGE_ENDPOINT;
    let mut unreached: Vec<String> = Vec::new();
    for s in in_vpc {
        let rt = d.route_table_of(s);
        // Associated, as the endpoint or the route table tells it.
        let reached = rt.is_some_and(|rt| {
            gateways
                .iter()
                .any(|e| e.route_tables.contains(&rt.id) || rt.endpoints.contains(&e.id))
        });
        if !reached {
            unreached.push(format!(
                "{} (route table {})",
                s.id,
                rt.map_or("none in the inputs", |rt| rt.id.as_str())
            ));
        }
    }
    let tables = if e.route_tables.is_empty() {
        "no route table".to_owned()
    } else {
        format!("route tables {}", e.route_tables.join(", "))
    };
    if unreached.is_empty() {
        let ids: Vec<&str> = in_vpc.iter().map(|s| s.id.as_str()).collect();
        judge.ok(
            g,
            subject,
            &e.route_tables_at,
            format!(
                "{} ({}, Gateway) on {tables}: every subnet the API runs in ({}) uses it",
                e.id,
                e.service,
                ids.join(", ")
            ),
            EXPECTED,
        );
    } else {
        judge.error(
            g,
            subject,
            &e.route_tables_at,
            format!(
                "{} ({}, Gateway) is on {tables}, which these subnets the API runs in do not use: {}; their S3 traffic goes out through a NAT or internet gateway",
                e.id,
                e.service,
                unreached.join(", ")
            ),
            EXPECTED,
        );
    }
}

/// `com.amazonaws.<region>.s3` (and its FIPS and dualstack forms), not `s3-outposts` etc.
fn is_s3(service: &str) -> bool {
    let last = service.rsplit('.').next().unwrap_or("");
    last == "s3" || last == "s3-fips"
}
