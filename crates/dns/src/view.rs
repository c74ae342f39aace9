//! How one name resolves (A and AAAA) from every vantage point, with every answer kept.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

use hickory_proto::rr::RecordType;
use netconform_model::evidence::dns::{Record, Resolution, VantageKind};
use netconform_model::values::DnsName;

use crate::query::{Answer, query};
use crate::vantage::Vantage;

/// Longest CNAME chain followed.
const MAX_CHAIN: usize = 16;

/// How one name resolved from every vantage point.
#[derive(Debug, Clone, PartialEq)]
pub struct NameView {
    pub name: DnsName,
    /// A then AAAA, for each vantage point in order.
    pub resolutions: Vec<Resolution>,
}

impl NameView {
    /// Resolves `name` (A and AAAA) through every vantage point, one query `timeout` each.
    /// The questions go out together; the answers keep the vantage points' order.
    pub async fn resolve(name: &DnsName, vantages: &[Vantage], timeout: Duration) -> NameView {
        let questions = vantages.iter().flat_map(|v| {
            [RecordType::A, RecordType::AAAA].map(|rtype| resolve_one(v, name, rtype, timeout))
        });
        let resolutions = futures::future::join_all(questions).await;
        NameView {
            name: name.clone(),
            resolutions,
        }
    }

    /// The vantage points asked, in order, by label.
    pub fn servers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.resolutions {
            if !seen.contains(&r.server.as_str()) {
                seen.push(&r.server);
            }
        }
        seen
    }

    pub fn answers_of<'a>(&'a self, server: &'a str) -> impl Iterator<Item = &'a Resolution> {
        self.resolutions.iter().filter(move |r| r.server == server)
    }

    pub fn kind_of(&self, server: &str) -> Option<VantageKind> {
        self.answers_of(server).next().map(|r| r.vantage)
    }

    pub fn addresses_from(&self, server: &str) -> BTreeSet<IpAddr> {
        self.answers_of(server).flat_map(Resolution::ips).collect()
    }

    /// The names the chain passes through from `server`: the name itself, then each target.
    pub fn chain_names_from(&self, server: &str) -> Vec<String> {
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

    pub fn final_name_from(&self, server: &str) -> String {
        self.answers_of(server)
            .find(|r| r.error.is_none())
            .map_or_else(|| self.name.to_string(), |r| r.final_name.clone())
    }

    /// Why `server` gave no address, from its A answer (AAAA's NODATA is normal).
    pub fn failure_from(&self, server: &str) -> String {
        let mut answers = self.answers_of(server);
        answers
            .find_map(|r| r.error.clone())
            .unwrap_or_else(|| "no address records".into())
    }
}

/// Resolves `name`/`rtype` through `vantage`. When the answer's chain ends without addresses,
/// the last target is asked directly, to tell a chain leaving the zone from a dangling one.
pub async fn resolve_one(
    vantage: &Vantage,
    name: &DnsName,
    rtype: RecordType,
    timeout: Duration,
) -> Resolution {
    let mut resolution = Resolution {
        name: name.to_string(),
        record_type: rtype.to_string(),
        server: vantage.label.clone(),
        vantage: vantage.kind,
        rcode: None,
        authoritative_answer: false,
        over_tcp: false,
        chain: Vec::new(),
        addresses: Vec::new(),
        final_name: name.to_string(),
        soa_serial: None,
        leaves_zone_at: None,
        dangling: None,
        error: None,
        elapsed_ms: 0.0,
    };
    let answer = match query(
        vantage.server,
        name.as_str(),
        rtype,
        vantage.recursion(),
        timeout,
    )
    .await
    {
        Ok(answer) => answer,
        Err(e) => {
            resolution.error = Some(e.to_string());
            return resolution;
        }
    };
    take(&mut resolution, &answer, rtype);
    if resolution.error.is_some() {
        return resolution;
    }
    resolution.rcode = Some(answer.rcode.clone());
    resolution.authoritative_answer = answer.authoritative;
    resolution.over_tcp = answer.over_tcp;
    resolution.soa_serial = answer.soa.as_ref().map(|(_, serial)| *serial);
    resolution.elapsed_ms = answer.elapsed.as_secs_f64() * 1000.0;
    if !answer.is("NOERROR") {
        resolution.error = Some(match answer.rcode.as_str() {
            "NXDOMAIN" if resolution.chain.is_empty() => {
                "NXDOMAIN (the name does not exist)".into()
            }
            "NXDOMAIN" => {
                resolution.dangling = Some(resolution.final_name.clone());
                format!(
                    "the chain ends at {}, which does not exist (NXDOMAIN)",
                    resolution.final_name
                )
            }
            other => format!("the server answered {other}"),
        });
        return resolution;
    }
    if resolution.addresses.is_empty() && !resolution.chain.is_empty() {
        // The chain stopped short: ask for its last target directly.
        let target = resolution.final_name.clone();
        match query(vantage.server, &target, rtype, vantage.recursion(), timeout).await {
            Ok(next) if next.is("NXDOMAIN") => {
                resolution.dangling = Some(target.clone());
                resolution.error = Some(format!(
                    "the chain ends at {target}, which does not exist (NXDOMAIN)"
                ));
            }
            Ok(next) if next.is("NOERROR") && next.authoritative => {
                take(&mut resolution, &next, rtype)
            }
            Ok(next) if next.is("NOERROR") && vantage.kind != VantageKind::Authoritative => {
                take(&mut resolution, &next, rtype)
            }
            // Refused, or a referral: the target is another zone's.
            Ok(_) if vantage.kind == VantageKind::Authoritative => {
                resolution.leaves_zone_at = Some(target)
            }
            Ok(next) => resolution.error = Some(format!("{target} answered {}", next.rcode)),
            Err(e) => resolution.error = Some(format!("asking for {target}: {e}")),
        }
    }
    if resolution.error.is_none()
        && resolution.addresses.is_empty()
        && resolution.leaves_zone_at.is_none()
    {
        resolution.error = Some(format!("no {rtype} records (NODATA)"));
    }
    resolution
}

/// Adds an answer's chain (from the current final name) and its addresses.
fn take(resolution: &mut Resolution, answer: &Answer, rtype: RecordType) {
    let mut current = resolution.final_name.clone();
    while let Some(hop) = answer
        .answers
        .iter()
        .find(|r| r.record_type == "CNAME" && r.name == current)
    {
        if resolution.chain.iter().any(|h: &Record| h.name == hop.data) || hop.data == current {
            resolution.error = Some(format!(
                "the CNAME chain loops: {current} points back to {}",
                hop.data
            ));
            break;
        }
        if resolution.chain.len() == MAX_CHAIN {
            resolution.error = Some(format!(
                "the CNAME chain is longer than {MAX_CHAIN} names; netconform follows no further"
            ));
            break;
        }
        resolution.chain.push(hop.clone());
        current = hop.data.clone();
    }
    resolution.final_name = current.clone();
    let rtype = rtype.to_string();
    resolution.addresses.extend(
        answer
            .answers
            .iter()
            .filter(|r| r.record_type == rtype && r.name == current)
            .cloned(),
    );
}
