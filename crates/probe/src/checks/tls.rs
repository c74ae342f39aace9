//! The TLS checks: a valid certificate on every address, and its hygiene (version, days
//! left).

use netconform_model::Outcome;
use netconform_model::environment::TlsVersion;
use netconform_model::evidence::http::TlsReport;
use netconform_net::Resolver;

use super::{addresses, cut_short, every, plain_http};
use crate::request::{ProbeError, Target};
use crate::tls::inspect;

fn version_of(text: &str) -> Option<TlsVersion> {
    match text {
        "TLS 1.2" => Some(TlsVersion::V1_2),
        "TLS 1.3" => Some(TlsVersion::V1_3),
        _ => None,
    }
}

/// Every address of the name presents a certificate that verifies for the name (system roots
/// and the environment's CA): Pulumi's network requirements, HTTPS for the API and console.
pub async fn check_certificate(
    target: &Target,
    resolver: &Resolver,
    required: bool,
) -> Result<Outcome, ProbeError> {
    let check = format!(
        "{} presents a valid certificate on every address",
        target.endpoint.host
    );
    judge_tls(target, resolver, check, required, |_, _| None).await
}

/// Every address of the name negotiates at least `min_version` and presents a certificate
/// with at least `min_days_left` days left: netconform's hardening advice (RFC 8996 retires TLS
/// 1.0 and 1.1; a certificate near expiry fails every client the day it lapses).
pub async fn check_tls_hygiene(
    target: &Target,
    resolver: &Resolver,
    min_days_left: u32,
    min_version: TlsVersion,
    required: bool,
) -> Result<Outcome, ProbeError> {
    let check = format!(
        "{} negotiates TLS {min_version} or newer with {min_days_left} days of certificate left",
        target.endpoint.host
    );
    judge_tls(target, resolver, check, required, |report, addr| {
        let leaf = report.certificates.first();
        if let Some(leaf) = leaf
            && leaf.days_left < i64::from(min_days_left)
        {
            return Some(format!(
                "{addr}: the certificate expires in {} days (on {}), fewer than tls.min_days_left ({min_days_left})",
                leaf.days_left, leaf.not_after
            ));
        }
        if let Some(version) = report.version.as_deref()
            && version_of(version).is_some_and(|v| v < min_version)
        {
            return Some(format!(
                "{addr}: negotiated {version}, below tls.min_version ({min_version})"
            ));
        }
        None
    })
    .await
}

/// Handshakes with every address of the name and judges each: a handshake that fails or does
/// not verify is a problem; then `rule` may find another. Passes when no address has one.
async fn judge_tls(
    target: &Target,
    resolver: &Resolver,
    check: String,
    required: bool,
    rule: impl Fn(&TlsReport, &str) -> Option<String>,
) -> Result<Outcome, ProbeError> {
    let host = &target.endpoint.host;
    if let Some(outcome) = plain_http(target, &check, required) {
        return Ok(outcome);
    }
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) => ips,
        Err(outcome) => return Ok(outcome),
    };
    let judge = |report: &TlsReport| {
        let addr = report.address.map_or_else(String::new, |a| a.to_string());
        match &report.problem {
            Some(problem) => Some(format!("{addr}: {problem}{}", leaf_text(report))),
            None => rule(report, &addr),
        }
    };
    let (reports, cut) = every(
        &ips,
        |ip| {
            inspect(
                host,
                ip,
                target.endpoint.port,
                &target.extra_roots,
                target.timeout,
            )
        },
        |report| judge(report).is_some(),
    )
    .await?;
    let (mut problems, mut passes) = (Vec::new(), Vec::new());
    for report in &reports {
        match judge(report) {
            Some(problem) => problems.push(problem),
            None => passes.push(format!(
                "{}: {} verified{}, {} days left",
                report.address.map_or_else(String::new, |a| a.to_string()),
                report.version.as_deref().unwrap_or("TLS"),
                leaf_text(report),
                report.certificates.first().map_or(0, |c| c.days_left)
            )),
        }
    }
    if let Some(last) = problems.last_mut() {
        last.push_str(&cut_short(cut));
    }
    let mut outcome = Outcome::from_problems(check, &problems, || passes.join("; "));
    outcome.evidence = reports.into_iter().map(Into::into).collect();
    Ok(outcome)
}

/// The leaf certificate, in a few words, for messages.
fn leaf_text(report: &TlsReport) -> String {
    report.certificates.first().map_or_else(String::new, |c| {
        format!(
            " (subject {}, issuer {}, names {}, not after {})",
            c.subject,
            c.issuer,
            c.sans.join(" "),
            c.not_after
        )
    })
}
