//! Route 53: the hosted zone of the domain and its api/app records.

use std::collections::BTreeSet;

use netconform_model::Environment;
use netconform_model::environment::RecordLabel;
use serde_json::{Value, json};

use super::run::{Run, ask};
use super::{items, plain, text};
use crate::CollectError;

/// The hosted zone of the domain and its api/app records; the load balancer names they (and
/// `dns.load_balancer`) lead to.
pub(super) async fn records(
    run: &mut Run<'_>,
    env: &Environment,
) -> Result<BTreeSet<String>, CollectError> {
    let domain = plain(&env.domain.to_string());
    let wanted: Vec<String> = ["api", "app"]
        .iter()
        .map(|l| format!("{l}.{domain}"))
        .collect();
    let names: BTreeSet<String> = [RecordLabel::Api, RecordLabel::App]
        .into_iter()
        .filter_map(|label| env.load_balancer_for(label).name)
        .map(|n| plain(&n.to_string()))
        .collect();
    let mut names = names;
    let (_, zones) = run
        .call(ask(
            "route53",
            "list-hosted-zones-by-name",
            &["--dns-name", &domain],
            format!("the hosted zone of {domain}"),
        ))
        .await;
    Run::fatal(&zones)?;
    // The zone whose name is the longest suffix of the records' names.
    let zone = zones.ok().and_then(|z| {
        items(&z, "HostedZones")
            .filter(|zone| {
                let name = plain(&text(zone, "Name").unwrap_or_default());
                wanted
                    .iter()
                    .all(|w| w == &name || w.ends_with(&format!(".{name}")))
            })
            .max_by_key(|zone| text(zone, "Name").unwrap_or_default().len())
            .cloned()
    });
    let Some(zone) = zone else {
        (run.on_line)(&format!(
            "  no hosted zone of {domain} in this account: records not collected"
        ));
        return Ok(names);
    };
    let id = text(&zone, "Id").unwrap_or_default();
    let id = id.trim_start_matches("/hostedzone/").to_owned();
    let (at, answer) = run
        .call(ask(
            "route53",
            "list-resource-record-sets",
            &["--hosted-zone-id", &id],
            format!("the api and app records of {domain}"),
        ))
        .await;
    if let Ok(sets) = answer {
        let all: Vec<&Value> = items(&sets, "ResourceRecordSets").collect();
        let kept: Vec<Value> = all
            .iter()
            .filter(|r| wanted.contains(&plain(&text(r, "Name").unwrap_or_default())))
            .map(|r| (*r).clone())
            .collect();
        for r in &kept {
            if let Some(target) = r.get("AliasTarget").and_then(|a| text(a, "DNSName")) {
                names.insert(plain(&target));
            }
            if text(r, "Type").as_deref() == Some("CNAME") {
                for value in items(r, "ResourceRecords").filter_map(|v| text(v, "Value")) {
                    names.insert(plain(&value));
                }
            }
        }
        let summary = format!("{} of {} records (api and app)", kept.len(), all.len());
        run.write(
            at,
            "records.json",
            &json!({ "ResourceRecordSets": kept }),
            &summary,
        )?;
    }
    Ok(names)
}
