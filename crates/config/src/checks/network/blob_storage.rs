//! Object storage on Azure: every subnet the API runs in reaches Blob storage through a
//! private endpoint for a storage account's `blob` sub-resource in its virtual network, or a
//! `Microsoft.Storage` service endpoint on the subnet.

use super::super::azure::{BLOB_ENDPOINT, PRIVATE_DNS};
use super::super::{Judge, guideline};
use crate::view::{Deployment, Input, Subnet, VpcEndpoint};

const EXPECTED: &str = "a private endpoint for a storage account's blob sub-resource in the subnet's virtual network, resolved through the privatelink.blob.core.windows.net private DNS zone, or a Microsoft.Storage service endpoint on the subnet";

fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// A private endpoint to Blob storage, approved (or of unknown state).
fn is_blob(e: &VpcEndpoint) -> bool {
    let service = e.service.to_ascii_lowercase();
    e.kind.as_deref() == Some("PrivateEndpoint")
        && service.contains("/providers/microsoft.storage/storageaccounts/")
        && service
            .rsplit('/')
            .next()
            .is_some_and(|groups| groups.split(',').any(|g| g == "blob"))
        && e.state
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("Approved"))
}

/// Judges each of the API's subnets (Azure's).
pub(super) fn judge_blob(judge: &mut Judge, d: &Deployment, subnets: &[&Subnet]) {
    let g = guideline::OBJECT_STORAGE_ENDPOINT;
    for s in subnets {
        let subject = format!("subnet {}", short(&s.id));
        let egress = s.egress.as_ref().expect("an Azure subnet");
        if let Some(service) = egress.service_endpoints.iter().find(|e| {
            e.eq_ignore_ascii_case("Microsoft.Storage")
                || e.eq_ignore_ascii_case("Microsoft.Storage.Global")
        }) {
            judge.ok(
                g,
                &subject,
                &s.at.key("serviceEndpoints"),
                format!("service endpoint {service} ({BLOB_ENDPOINT})"),
                EXPECTED,
            );
            continue;
        }
        if !d.has(Input::VpcEndpoints) {
            judge.no_input(
                d,
                &format!("the private endpoints of {subject}'s virtual network"),
                Input::VpcEndpoints,
            );
            continue;
        }
        let vnet = s.vpc.as_deref().unwrap_or_default();
        match d.vpc_endpoints.iter().filter(|e| is_blob(e)).find(|e| {
            e.vpc
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case(vnet))
        }) {
            Some(e) => judge_private_dns(judge, &subject, e, vnet),
            None => {
                let others: Vec<String> = d
                    .vpc_endpoints
                    .iter()
                    .map(|e| format!("{} ({})", short(&e.id), e.service))
                    .collect();
                let at = d
                    .list_of(Input::VpcEndpoints)
                    .cloned()
                    .unwrap_or_else(|| s.at.clone());
                judge.error(
                    g,
                    &subject,
                    &at,
                    format!(
                        "no private endpoint for Blob storage in {} and no Microsoft.Storage service endpoint (private endpoints: {}): Blob traffic goes through the NAT gateway ({BLOB_ENDPOINT})",
                        short(vnet),
                        if others.is_empty() { "none".to_owned() } else { others.join(", ") }
                    ),
                    EXPECTED,
                );
            }
        }
    }
}

/// A private endpoint serves only names that resolve to it: the `privatelink.blob.core.windows.net`
/// private DNS zone linked to the virtual network.
fn judge_private_dns(judge: &mut Judge, subject: &str, e: &VpcEndpoint, vnet: &str) {
    let g = guideline::OBJECT_STORAGE_ENDPOINT;
    let what = format!(
        "private endpoint {} to {} in {}",
        short(&e.id),
        e.service.trim_end_matches("/blob"),
        short(vnet)
    );
    match e.private_dns.value() {
        Some(true) => judge.ok(
            g,
            subject,
            &e.private_dns.at,
            format!("{what}, resolved through the linked privatelink.blob.core.windows.net zone ({BLOB_ENDPOINT})"),
            EXPECTED,
        ),
        Some(false) => judge.error(
            g,
            subject,
            &e.private_dns.at,
            format!("{what}, but no privatelink.blob.core.windows.net private DNS zone linked to a virtual network: the storage account's name resolves to its public address, through the NAT gateway ({PRIVATE_DNS})"),
            EXPECTED,
        ),
        None => judge.missing(format!(
            "whether {what} resolves privately: the private DNS zones (`az network private-dns zone list`)"
        )),
    }
}
