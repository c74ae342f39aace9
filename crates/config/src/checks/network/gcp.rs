//! "Network architecture" on Google Cloud, where subnets are regional and have no tier of
//! their own: the API's nodes or VMs have no external addresses, the database has its private
//! IP only, the API's subnets are translated by a Cloud NAT (regional: one serves every zone),
//! and reach Cloud Storage through Private Google Access or a Private Service Connect endpoint.

use netconform_model::Outcome;
use netconform_model::guide::Section;

use super::super::{Judge, google_cloud, guideline, no_api};
use crate::node::State;
use crate::view::{Database, Deployment, Input, Subnet};

/// The API's nodes (GKE private nodes) and VMs (no access config) have internal addresses only.
pub(super) fn api_private(judge: &mut Judge, d: &Deployment) {
    let mut any = false;
    if d.api_workloads().next().is_some() {
        any = true;
        if d.node_groups.is_empty() {
            judge.missing(format!(
                "the API's pods take their nodes' addresses: no input for the cluster ({})",
                judge.source(d, Input::NodeGroups)
            ));
        }
        for ng in &d.node_groups {
            judge.value(
                google_cloud::PRIVATE_NODES,
                &ng.subject,
                &ng.private_nodes,
                Some((false, "GKE")),
                "true (private nodes: internal IP addresses only)",
                |private| *private,
            );
        }
    }
    for g in d.api_groups() {
        any = true;
        match &g.public_ip.state {
            State::Unset if !d.has(Input::GcpInstanceTemplates) => judge.no_input(
                d,
                &format!("the instance template of {}", g.subject),
                Input::GcpInstanceTemplates,
            ),
            State::Unset => judge.missing(format!(
                "the instance template of {}: not among the templates read",
                g.subject
            )),
            _ => {
                judge.value(
                    google_cloud::NO_EXTERNAL_IP,
                    &g.subject,
                    &g.public_ip,
                    None,
                    "no access config (no external IP)",
                    |public| !public,
                );
            }
        }
    }
    if !any {
        no_api(judge, d);
    }
}

/// A Cloud SQL instance: its public IP off, its private IP on the VPC.
pub(super) fn database(judge: &mut Judge, db: &Database) {
    judge.value(
        google_cloud::CLOUD_SQL_PRIVATE_IP,
        &db.subject,
        &db.public,
        None,
        "false (ipv4Enabled false: no public IP)",
        |public| !public,
    );
    match &db.private_network.state {
        State::Set(net) => judge.ok(
            guideline::DATABASE_TIER,
            &db.subject,
            &db.private_network.at,
            format!("private IP on {net}"),
            "a private IP on the VPC (privateNetwork)",
        ),
        State::Unset => judge.error(
            guideline::DATABASE_TIER,
            &db.subject,
            &db.private_network.at,
            "no private network (no private IP: clients reach it only on its public IP)",
            "a private IP on the VPC (privateNetwork)",
        ),
        State::Secret | State::Invalid(_) => {
            judge.unreadable(guideline::DATABASE_TIER, &db.subject, &db.private_network)
        }
    }
}

/// The API's subnets as read, or a note that the inputs do not say which they are.
fn api_subnets<'a>(judge: &mut Judge, d: &'a Deployment) -> Vec<&'a Subnet> {
    let ids = d.api_subnets();
    if ids.is_empty() {
        judge.missing(
            "which subnets the API runs in (the cluster's subnetwork, the instance template's network interfaces)",
        );
    }
    let mut out = Vec::new();
    for id in ids {
        match d.subnet(&id) {
            Some(s) => out.push(s),
            None => judge.missing(format!(
                "subnet {id}: not among the subnets read ({})",
                judge.source(d, Input::Subnets)
            )),
        }
    }
    out
}

/// The API's subnets are translated by a Cloud NAT of their region that has addresses.
pub(crate) fn check_cloud_nat(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "the application's subnets have NAT that survives a zone loss (Cloud NAT)",
        Section::NetworkArchitecture,
    );
    if !d.has(Input::GcpRouters) {
        judge.no_input(d, "the Cloud Routers and their NAT", Input::GcpRouters);
        return judge.finish();
    }
    let expected = "a Cloud NAT of its region whose sourceSubnetworkIpRangesToNat includes it (regional: one serves every zone)";
    for s in api_subnets(&mut judge, d) {
        let subject = format!("subnet {}", crate::view::gcp_name(&s.id));
        let nats: Vec<_> = d
            .cloud_nats
            .iter()
            .filter(|n| n.covers(&s.id, s.region.as_deref()))
            .filter(|n| n.network.is_none() || n.network == s.vpc)
            .collect();
        if nats.is_empty() {
            // The place to fix: the region's NAT's source ranges, else the subnet.
            let at = d
                .cloud_nats
                .iter()
                .find(|n| n.region.is_none() || n.region == s.region)
                .map_or_else(|| s.at.clone(), |n| n.source_ranges.at.clone());
            judge.error(
                google_cloud::CLOUD_NAT,
                &subject,
                &at,
                format!(
                    "no Cloud NAT translates it (Cloud NAT gateways read: {})",
                    if d.cloud_nats.is_empty() {
                        "none".to_owned()
                    } else {
                        d.cloud_nats
                            .iter()
                            .map(|n| n.subject.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                expected,
            );
        }
        for n in nats {
            let manual = n.ip_allocation.value().map(String::as_str) == Some("MANUAL_ONLY");
            if manual && n.nat_ips.is_empty() {
                judge.error(
                    google_cloud::CLOUD_NAT,
                    &n.subject,
                    &n.ip_allocation.at,
                    "MANUAL_ONLY with no natIps: it has no address to translate to",
                    "AUTO_ONLY, or MANUAL_ONLY with natIps",
                );
                continue;
            }
            judge.ok(
                google_cloud::CLOUD_NAT,
                &subject,
                &n.source_ranges.at,
                format!(
                    "{} ({}): regional, serving every zone of {}",
                    n.subject,
                    n.source_ranges.value().cloned().unwrap_or_default(),
                    n.region.as_deref().unwrap_or("its region")
                ),
                expected,
            );
        }
    }
    judge.finish()
}

/// The API's subnets reach Cloud Storage without the NAT: Private Google Access on them, or a
/// Private Service Connect endpoint for Google APIs in their network.
pub(crate) fn check_private_google_access(d: &Deployment) -> Outcome {
    let mut judge = Judge::new(
        "object storage is reached through Private Google Access or a Private Service Connect endpoint",
        Section::NetworkArchitecture,
    );
    if !d.has(Input::Subnets) {
        judge.no_input(d, "the subnets", Input::Subnets);
        return judge.finish();
    }
    let expected = "privateIpGoogleAccess true, or a Private Service Connect endpoint for Google APIs in its network";
    for s in api_subnets(&mut judge, d) {
        let subject = format!("subnet {}", crate::view::gcp_name(&s.id));
        let psc = d.vpc_endpoints.iter().find(|e| {
            e.kind.as_deref() == Some("PrivateServiceConnect")
                && (e.vpc.is_none() || e.vpc == s.vpc)
        });
        match (&s.private_google_access.state, psc) {
            (State::Set(true), _) => judge.ok(
                google_cloud::PRIVATE_GOOGLE_ACCESS,
                &subject,
                &s.private_google_access.at,
                "privateIpGoogleAccess true",
                expected,
            ),
            (_, Some(e)) => judge.ok(
                google_cloud::PRIVATE_GOOGLE_ACCESS,
                &subject,
                &e.at,
                format!("Private Service Connect endpoint {} for {}", e.id, e.service),
                expected,
            ),
            (State::Secret | State::Invalid(_), None) => judge.unreadable(
                google_cloud::PRIVATE_GOOGLE_ACCESS,
                &subject,
                &s.private_google_access,
            ),
            (_, None) => judge.error(
                guideline::OBJECT_STORAGE_ENDPOINT,
                &subject,
                &s.private_google_access.at,
                format!(
                    "privateIpGoogleAccess {} and no Private Service Connect endpoint for Google APIs: Cloud Storage goes through the NAT",
                    s.private_google_access
                        .value()
                        .map_or("not set (off)".to_owned(), ToString::to_string)
                ),
                expected,
            ),
        }
    }
    judge.finish()
}
