//! DNS records, from the AWS CLI (`aws route53 list-resource-record-sets`), a stack export
//! (`aws:route53/record:Record`), Azure DNS (az's record sets, azure-native's) and Cloud DNS
//! (`gcloud dns record-sets list --format=json`, `gcp:dns/recordSet:RecordSet`; the Cloud DNS
//! API v1 `ResourceRecordSet`: `name`, `type`, `rrdatas`): each record's name and what it
//! leads to (its values and its
//! alias target), compared as [`dns_key`]s.

use crate::formats::az_cli::Arm;
use crate::formats::stack_export::Resource;
use crate::node::Node;
use crate::resources::Reading;
use crate::view::{DnsRecord, Input, dns_key};

/// `aws route53 list-resource-record-sets`.
pub(crate) fn from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("ResourceRecordSets");
    r.view.saw(Input::Records, &list.at);
    for rec in list.items() {
        let mut targets: Vec<String> = rec
            .get_ci("ResourceRecords")
            .items()
            .iter()
            .filter_map(|v| v.get_ci("Value").opt_text())
            .map(|v| dns_key(&v))
            .collect();
        targets.extend(
            rec.path_ci("AliasTarget.DNSName")
                .opt_text()
                .map(|v| dns_key(&v)),
        );
        r.view.records.push(DnsRecord {
            name: dns_key(&rec.get_ci("Name").opt_text().unwrap_or_default()),
            record_type: rec.get_ci("Type").opt_text().unwrap_or_default(),
            at: rec.at.clone(),
            targets,
        });
    }
    Ok(())
}

/// `aws:route53/record:Record`: its name is its `fqdn` (else `name`).
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    let outputs = &res.outputs;
    r.view.saw(Input::Records, &res.list_at);
    let name = outputs
        .get_ci("fqdn")
        .opt_text()
        .or_else(|| outputs.get_ci("name").opt_text())
        .unwrap_or_default();
    let mut targets: Vec<String> = outputs
        .get_ci("records")
        .text_list()
        .iter()
        .map(|v| dns_key(v))
        .collect();
    targets.extend(
        outputs
            .get_ci("aliases")
            .items()
            .iter()
            .filter_map(|a| a.get_ci("name").opt_text())
            .map(|v| dns_key(&v)),
    );
    r.view.records.push(DnsRecord {
        name: dns_key(&name),
        record_type: outputs.get_ci("type").opt_text().unwrap_or_default(),
        at: outputs.at.clone(),
        targets,
    });
    Ok(())
}

/// `az network dns record-set a list`, `... cname list` (and `azure-native:dns:RecordSet`,
/// `azure-native:network:RecordSet`): A values (`aRecords`; the REST API spells it
/// `ARecords`), the CNAME's target, or an alias of a public IP (`targetResource`), whose
/// address and name are joined in [`crate::links::azure`].
pub(crate) fn record_set_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Records, &res.list_at);
    let rec = &res.node;
    let record_type = rec
        .get("type")
        .opt_text()
        .and_then(|t| t.rsplit('/').next().map(str::to_ascii_uppercase))
        .unwrap_or_default();
    let mut targets: Vec<String> = rec
        .arm("aRecords")
        .items()
        .iter()
        .filter_map(|a| a.get_ci("ipv4Address").opt_text())
        .collect();
    targets.extend(
        rec.arm("cnameRecord")
            .get_ci("cname")
            .opt_text()
            .map(|c| dns_key(&c)),
    );
    let name = rec
        .arm("fqdn")
        .opt_text()
        .unwrap_or_else(|| res.name.clone());
    if let Some(alias) = rec.arm("targetResource").get_ci("id").opt_text() {
        r.links.azure.aliases.push((r.view.records.len(), alias));
    }
    r.view.records.push(DnsRecord {
        name: dns_key(&name),
        record_type,
        at: rec.at.clone(),
        targets,
    });
    Ok(())
}

/// One Cloud DNS record set, either format: `name`, `type`, `rrdatas`.
fn cloud_dns(n: &Node<'_>, r: &mut Reading) {
    r.view.records.push(DnsRecord {
        name: dns_key(&n.get_ci("name").opt_text().unwrap_or_default()),
        record_type: n.get_ci("type").opt_text().unwrap_or_default(),
        at: n.at.clone(),
        targets: n
            .get_ci("rrdatas")
            .text_list()
            .iter()
            .map(|v| dns_key(v))
            .collect(),
    });
}

/// `gcloud dns record-sets list`: one record set.
pub(crate) fn from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    cloud_dns(n, r);
    Ok(())
}

/// `gcp:dns/recordSet:RecordSet`.
pub(crate) fn cloud_dns_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::CloudDnsRecords, &res.list_at);
    cloud_dns(&res.outputs, r);
    Ok(())
}
