//! DNSSEC: the records' answers, asked through each resolver by a validating client, must be
//! signed and validate from the trust anchors (the root's, or the environment's own).

use std::str::FromStr as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_proto::dnssec::TrustAnchors;
use hickory_proto::rr::RecordType;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use netconform_model::environment::DnssecMode;
use netconform_model::evidence::Evidence;
use netconform_model::evidence::dns::VantageKind;
use netconform_model::values::DnsName;
use netconform_model::{Outcome, Verdict};

use crate::vantage::Vantage;

/// The trust anchors: `anchors` (DNSKEY records in zone-file form) or, when none are given,
/// the root's.
pub fn trust_anchors(anchors: &[String]) -> Result<TrustAnchors, String> {
    if anchors.is_empty() {
        return Ok(TrustAnchors::default());
    }
    TrustAnchors::from_str(&anchors.join("\n")).map_err(|e| format!("dns.trust_anchors cannot be read: {e}; write DNSKEY records such as \"example.com. 3600 IN DNSKEY 257 3 13 <base64>\""))
}

/// Every answer for `names` through every resolver validates, when `dns.dnssec` asks for it
/// (not applicable when it is off: nothing was signed to check).
pub async fn check_dnssec(
    mode: DnssecMode,
    names: &[&DnsName],
    resolvers: &[Vantage],
    anchors: &[String],
    timeout: Duration,
) -> Outcome {
    let check = "the records validate with DNSSEC from every resolver".to_owned();
    if mode == DnssecMode::Off {
        return Outcome::not_applicable(
            check,
            "dns.dnssec is \"off\": set it to \"validate\" for a signed zone",
        );
    }
    let anchors = match trust_anchors(anchors) {
        Ok(a) => Arc::new(a),
        Err(why) => return Outcome::inconclusive(check, why),
    };
    let (mut problems, mut passes, mut notes, mut unvalidated) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for vantage in resolvers
        .iter()
        .filter(|v| v.kind != VantageKind::Authoritative)
    {
        let resolver = match validating(vantage, Arc::clone(&anchors), timeout) {
            Ok(r) => r,
            Err(e) => {
                return Outcome::inconclusive(
                    check,
                    format!("failed to set up a validating resolver for {vantage}: {e}"),
                );
            }
        };
        for name in names {
            let started = Instant::now();
            let res = resolver.lookup(name.fqdn().as_str(), RecordType::A).await;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let seen = match res {
                Ok(lookup) => {
                    let proofs: Vec<String> = lookup
                        .answers()
                        .iter()
                        .filter(|r| r.record_type() != RecordType::RRSIG)
                        .map(|r| format!("{} {} {:?}", r.name, r.record_type(), r.proof))
                        .collect();
                    let insecure: Vec<&String> =
                        proofs.iter().filter(|p| !p.ends_with(" Secure")).collect();
                    if insecure.is_empty() {
                        passes.push(format!(
                            "{name} through {vantage}: {} records Secure",
                            proofs.len()
                        ));
                    } else {
                        problems.push(format!(
                            "{name} through {vantage} is not validated: {}",
                            insecure
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    proofs.join("; ")
                }
                Err(NetError::Dns(DnsError::DnssecBogus)) => {
                    problems.push(format!("{name} through {vantage} is bogus: its signatures do not validate from the trust anchors"));
                    "Bogus".to_owned()
                }
                // No answer to validate (the name is missing, the server failed): the record
                // scenarios report that; here it is only noted.
                Err(e) => {
                    unvalidated.push(format!("{name} through {vantage}: {e}"));
                    e.to_string()
                }
            };
            notes.push(Evidence::Note {
                text: format!("DNSSEC {name} A through {vantage} ({ms:.1} ms): {seen}"),
            });
        }
    }
    let mut outcome = if !problems.is_empty() {
        Outcome::new(check, Verdict::Fail, problems.join("; "))
    } else if passes.is_empty() {
        Outcome::new(
            check,
            Verdict::Inconclusive,
            format!("no answer to validate: {}", unvalidated.join("; ")),
        )
    } else {
        let mut reason = passes.join("; ");
        if !unvalidated.is_empty() {
            reason.push_str(&format!(
                "; not validated (no answer): {}",
                unvalidated.join("; ")
            ));
        }
        Outcome::new(check, Verdict::Pass, reason)
    };
    outcome.evidence = notes;
    outcome
}

fn validating(
    vantage: &Vantage,
    anchors: Arc<TrustAnchors>,
    timeout: Duration,
) -> Result<hickory_resolver::TokioResolver, NetError> {
    let conns = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
        .into_iter()
        .map(|mut c| {
            c.port = vantage.server.port();
            c
        })
        .collect();
    let config = ResolverConfig::from_parts(
        None,
        vec![],
        vec![NameServerConfig::new(vantage.server.ip(), true, conns)],
    );
    let mut opts = ResolverOpts::default();
    opts.validate = true;
    opts.timeout = timeout;
    opts.attempts = 0;
    opts.cache_size = 0;
    opts.use_hosts_file = ResolveHosts::Never;
    opts.ndots = 0;
    hickory_resolver::Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(opts)
        .with_trust_anchor(anchors)
        .build()
}
