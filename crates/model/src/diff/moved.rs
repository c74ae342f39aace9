//! The evidence that moved between two runs of a scenario, whatever its verdict: DNS answers
//! and TTLs, the addresses a name's probes reached, certificates (renewed or replaced, with
//! the days left), configuration values by file and setting path, and the rolling restart's
//! failure counts and p99. Only what both runs saw is compared; a timing (an elapsed time, a
//! duration, a timestamp, a resolver's cached TTL counting down) is never a move, and a p99 is
//! one only when it more than doubled or halved and by over [`P99_MOVE_MS`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::evidence::dns::VantageKind;
use crate::run::ScenarioResult;

/// The least change of the rolling restart's p99 that counts as a move, in milliseconds (and
/// it must also double or halve): below it, a p99 is the run's noise.
pub const P99_MOVE_MS: f64 = 100.0;

/// What kind of evidence moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MovedKind {
    /// A name's answers (addresses and CNAME chain).
    DnsAnswers,
    /// A name's TTLs, as its authoritative servers give them.
    DnsTtl,
    /// The addresses a host's probes reached (the load balancer's addresses), when the
    /// scenario's verdict did not change.
    Addresses,
    /// A host's certificate: renewed (a new not-after) or replaced (another subject, issuer or
    /// names).
    Certificate,
    /// A configuration value, by file and setting path.
    Config,
    /// The rolling restart's failed requests.
    RestartFailures,
    /// The rolling restart's p99 latency.
    RestartP99,
}

impl MovedKind {
    /// The words the console uses.
    pub fn describe(self) -> &'static str {
        match self {
            MovedKind::DnsAnswers => "DNS answers",
            MovedKind::DnsTtl => "DNS TTLs",
            MovedKind::Addresses => "addresses reached",
            MovedKind::Certificate => "certificate",
            MovedKind::Config => "setting",
            MovedKind::RestartFailures => "restart's failed requests",
            MovedKind::RestartP99 => "restart's p99",
        }
    }
}

/// One piece of evidence that moved: what, and its value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub kind: MovedKind,
    /// "api.example.com A", "api.example.com", "alb.json LoadBalancers[0].x (ALB pulumi)".
    pub subject: String,
    pub old: String,
    pub new: String,
}

type Seen = BTreeMap<String, String>;

fn joined(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// Each kind's values in one scenario's evidence, keyed by subject.
fn seen(s: &ScenarioResult) -> BTreeMap<MovedKind, Seen> {
    let mut answers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ttls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut addresses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unanswered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut out: BTreeMap<MovedKind, Seen> = BTreeMap::new();
    for e in s.evidence() {
        match e {
            Evidence::Dns(r) if let Some(why) = &r.error => {
                unanswered
                    .entry(format!("{} {}", r.name, r.record_type))
                    .or_default()
                    .insert(why.clone());
            }
            Evidence::Dns(r) if r.error.is_none() => {
                let key = format!("{} {}", r.name, r.record_type);
                let records = r.chain.iter().chain(&r.addresses);
                answers
                    .entry(key.clone())
                    .or_default()
                    .extend(records.clone().map(|a| a.data.clone()));
                if r.vantage == VantageKind::Authoritative {
                    ttls.entry(key)
                        .or_default()
                        .extend(records.map(|a| format!("{} {}", a.name, a.ttl)));
                }
            }
            Evidence::Http(p) => {
                if let Some(a) = p.address {
                    addresses
                        .entry(host_of(&p.url))
                        .or_default()
                        .insert(a.ip().to_string());
                }
            }
            Evidence::Tls(t) => {
                if let Some(a) = t.address {
                    addresses
                        .entry(t.host.clone())
                        .or_default()
                        .insert(a.ip().to_string());
                }
                if let Some(leaf) = t.certificates.first() {
                    // The day it expires, not the second: a certificate issued again the same
                    // day for the same names is the same one.
                    let day = leaf.not_after.get(..10).unwrap_or(&leaf.not_after);
                    out.entry(MovedKind::Certificate).or_default().insert(
                        t.host.clone(),
                        format!(
                            "{} from {} for {}, expires {day} ({} days left)",
                            leaf.subject,
                            leaf.issuer,
                            leaf.sans.join(", "),
                            leaf.days_left
                        ),
                    );
                }
            }
            Evidence::Config(f) => {
                out.entry(MovedKind::Config).or_default().insert(
                    format!("{} {} ({})", f.file, f.path, f.subject),
                    format!("{} ({})", f.actual, f.status),
                );
            }
            Evidence::Drain(d) => {
                let url = host_of(&d.url);
                out.entry(MovedKind::RestartFailures)
                    .or_default()
                    .insert(url.clone(), format!("{} failed", d.failed));
                out.entry(MovedKind::RestartP99)
                    .or_default()
                    .insert(url, format!("{:.0} ms", d.latency_ms.p99));
            }
            _ => {}
        }
    }
    let sets = |m: BTreeMap<String, BTreeSet<String>>| -> Seen {
        m.into_iter().map(|(k, v)| (k, joined(&v))).collect()
    };
    let mut answers = sets(answers);
    // A name no server answered for: a record removed (or added) moves from or to this.
    for (key, why) in unanswered {
        answers
            .entry(key)
            .or_insert_with(|| format!("no answer ({})", joined(&why)));
    }
    out.insert(MovedKind::DnsAnswers, answers);
    out.insert(MovedKind::DnsTtl, sets(ttls));
    out.insert(MovedKind::Addresses, sets(addresses));
    out
}

/// The certificate's text without its days left (which count down every day).
fn certificate_identity(text: &str) -> &str {
    text.rsplit_once(" (").map_or(text, |(head, _)| head)
}

fn ms(text: &str) -> f64 {
    text.trim_end_matches(" ms").parse().unwrap_or(0.0)
}

/// Whether the values of `kind` moved from `old` to `new`.
fn differs(kind: MovedKind, old: &str, new: &str) -> bool {
    match kind {
        MovedKind::Certificate => certificate_identity(old) != certificate_identity(new),
        MovedKind::RestartP99 => {
            let (a, b) = (ms(old), ms(new));
            (a - b).abs() > P99_MOVE_MS && (b > 2.0 * a || a > 2.0 * b)
        }
        _ => old != new,
    }
}

/// The evidence that moved between `old` and `new`, subjects both runs saw.
pub fn moved(old: &ScenarioResult, new: &ScenarioResult) -> Vec<Moved> {
    let (before, after) = (seen(old), seen(new));
    let mut out = Vec::new();
    for (kind, values) in &after {
        // A check that stops at its first failed address reaches fewer: not a move.
        if *kind == MovedKind::Addresses && old.verdict != new.verdict {
            continue;
        }
        let Some(earlier) = before.get(kind) else {
            continue;
        };
        for (subject, value) in values {
            match earlier.get(subject) {
                Some(was) if differs(*kind, was, value) => out.push(Moved {
                    kind: *kind,
                    subject: subject.clone(),
                    old: was.clone(),
                    new: value.clone(),
                }),
                _ => {}
            }
        }
    }
    out
}
