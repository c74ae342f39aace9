//! One line per piece of evidence, for JUnit failure bodies and the HTML report: what was
//! asked, of whom, and what came back.

use std::collections::BTreeMap;

use netconform_model::evidence::Evidence;
use netconform_model::evidence::dns::{Resolution, VantageKind};
use netconform_model::evidence::drain::{DrainSummary, RestartSummary};
use netconform_model::evidence::http::{ProbeResult, TlsReport};
use netconform_model::guide::Section;
use netconform_model::{ScenarioResult, Verdict};

/// The guide section a scenario checks: its most specific `@guide:<section>` tag (a
/// scenario's own tag comes after its feature's).
pub fn guide_section(scenario: &ScenarioResult) -> Option<Section> {
    scenario
        .tags
        .iter()
        .rev()
        .find_map(|t| Section::from_tag(t))
}

/// Why a scenario has its verdict: its first step's reason, else the first reason of a check
/// that did not pass (a not applicable one says why).
pub fn reason(scenario: &ScenarioResult) -> Option<String> {
    scenario.reason().map(str::to_owned).or_else(|| {
        scenario
            .steps
            .iter()
            .flat_map(|s| s.outcomes.iter())
            .find(|o| o.verdict != Verdict::Pass)
            .map(|o| o.reason.clone())
    })
}

/// One line describing `evidence`.
pub fn evidence(evidence: &Evidence) -> String {
    match evidence {
        Evidence::Dns(r) => dns(r),
        Evidence::Http(p) => probe(p),
        Evidence::Tls(t) => tls(t),
        Evidence::Drain(d) => drain(d),
        Evidence::Restart(r) => restart(r),
        Evidence::Note { text } => text.clone(),
        Evidence::Config(f) => format!("config {}: {f}", f.status),
    }
}

fn dns(r: &Resolution) -> String {
    let mut line = format!(
        "DNS {} {} at {} ({}): ",
        r.name,
        r.record_type,
        r.server,
        match r.vantage {
            VantageKind::Resolver => "resolver",
            VantageKind::VantagePoint => "vantage point",
            VantageKind::Authoritative => "authoritative",
        }
    );
    match (&r.error, &r.rcode) {
        (Some(error), _) => line.push_str(error),
        (None, rcode) => {
            line.push_str(rcode.as_deref().unwrap_or("no answer"));
            for hop in &r.chain {
                line.push_str(&format!(", CNAME {} (ttl {})", hop.data, hop.ttl));
            }
            let addresses: Vec<String> = r
                .addresses
                .iter()
                .map(|a| format!("{} (ttl {})", a.data, a.ttl))
                .collect();
            if !addresses.is_empty() {
                line.push_str(&format!(" -> {}", addresses.join(", ")));
            }
        }
    }
    if let Some(name) = &r.dangling {
        line.push_str(&format!("; dangles at {name}"));
    }
    line.push_str(&format!(" in {:.1} ms", r.elapsed_ms));
    line
}

fn probe(p: &ProbeResult) -> String {
    let at = p.address.map(|a| format!(" via {a}")).unwrap_or_default();
    let result = match (&p.error, p.status) {
        (Some(error), _) => match &p.detail {
            Some(detail) => format!("{error} ({detail})"),
            None => error.to_string(),
        },
        (None, Some(status)) => format!("answered {status}"),
        (None, None) => "no response".to_owned(),
    };
    let mut line = format!("GET {}{at}: {result} in {:.1} ms", p.url, p.elapsed_ms);
    if let Some(zone) = &p.zone {
        line.push_str(&format!(", zone {zone}"));
    }
    if let Some(instance) = &p.instance {
        line.push_str(&format!(", instance {instance}"));
    }
    line
}

fn tls(t: &TlsReport) -> String {
    let at = t.address.map(|a| format!(" via {a}")).unwrap_or_default();
    let mut line = format!("TLS {}{at}: ", t.host);
    line.push_str(t.version.as_deref().unwrap_or("no handshake"));
    match &t.problem {
        Some(problem) => line.push_str(&format!(", {problem}")),
        None if t.verified => line.push_str(", verified"),
        None => {}
    }
    if let Some(leaf) = t.certificates.first() {
        line.push_str(&format!(
            "; certificate for {} until {} ({} days left)",
            leaf.sans.join(", "),
            leaf.not_after,
            leaf.days_left
        ));
    }
    line
}

fn counts(map: &BTreeMap<String, u64>) -> String {
    map.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn drain(d: &DrainSummary) -> String {
    let mut line = format!(
        "load on {}: {} requests scheduled at {} req/s ({:.1} achieved) over {:.1} s: {} ok, {} failed, {} not sent on time; latency p99 {:.1} ms, max {:.1} ms",
        d.url,
        d.scheduled,
        d.target_rate,
        d.achieved_rate,
        d.duration_s,
        d.ok,
        d.failed,
        d.not_sent_on_time,
        d.latency_ms.p99,
        d.latency_ms.max
    );
    for phase in &d.failures_by_phase {
        line.push_str(&format!(
            "; {} (t={:.2}-{:.2} s): {}",
            phase.phase,
            phase.from_s,
            phase.to_s,
            counts(&phase.outcomes)
        ));
    }
    line
}

fn restart(r: &RestartSummary) -> String {
    format!(
        "restart by {}: {} ({}) in {:.1} s",
        r.driver,
        if r.completed {
            "completed"
        } else {
            "did not complete"
        },
        r.status,
        r.duration_s
    )
}
