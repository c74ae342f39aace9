//! The probe checks. Each returns an [`Outcome`] with one piece of evidence per request;
//! `Err` only when a probe could not be built at all.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;

use futures::StreamExt as _;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use netconform_model::environment::TlsVersion;
use netconform_model::evidence::Evidence;
use netconform_model::evidence::http::{ProbeResult, TlsReport};
use netconform_model::values::Scheme;
use netconform_model::{Gap, HumanDuration, Outcome, Verdict};
use netconform_net::Resolver;

use crate::request::{Ask, ProbeError, Target, failure};
use crate::tls::inspect;

/// What a health response must be.
#[derive(Debug, Clone)]
pub struct Expect {
    pub status: u16,
    /// Text the body must contain.
    pub body: Option<String>,
    pub body_regex: Option<regex::Regex>,
    /// Header name -> text its value must contain.
    pub headers: BTreeMap<String, String>,
}

impl Expect {
    pub fn status(status: u16) -> Expect {
        Expect {
            status,
            body: None,
            body_regex: None,
            headers: BTreeMap::new(),
        }
    }

    /// What is wrong with `result`, if anything.
    pub fn problem(&self, result: &ProbeResult) -> Option<String> {
        if !result.answered(self.status) {
            return Some(failure(result));
        }
        let body = result.body_excerpt.as_deref().unwrap_or_default();
        if let Some(text) = &self.body
            && !body.contains(text.as_str())
        {
            return Some(format!(
                "the body does not contain {text:?} (it starts {:?})",
                excerpt(body)
            ));
        }
        if let Some(re) = &self.body_regex
            && !re.is_match(body)
        {
            return Some(format!(
                "the body does not match /{re}/ (it starts {:?})",
                excerpt(body)
            ));
        }
        for (name, want) in &self.headers {
            match result.headers.get(&name.to_ascii_lowercase()) {
                None => return Some(format!("no {name} header")),
                Some(value) if !value.contains(want.as_str()) => {
                    return Some(format!(
                        "header {name} is {value:?}, expected it to contain {want:?}"
                    ));
                }
                Some(_) => {}
            }
        }
        None
    }
}

fn excerpt(body: &str) -> String {
    body.chars().take(80).collect()
}

fn evidence(results: Vec<ProbeResult>) -> Vec<Evidence> {
    results.into_iter().map(Into::into).collect()
}

fn addr_of(result: &ProbeResult) -> String {
    result.address.map_or_else(String::new, |a| a.to_string())
}

/// How long, after the first failed address, the others may still answer and be named: those
/// answering about as fast are reported, a slow one is not waited for.
const AFTER_FIRST_FAILURE: Duration = Duration::from_millis(200);

/// `probe` on every address at once, results in the addresses' order. Once a result is
/// `bad` the verdict is a failure whatever the others say, so the probes still in flight
/// [`AFTER_FIRST_FAILURE`] later are cut short: how many were is the second value.
async fn every<T, F>(
    ips: &[IpAddr],
    probe: impl Fn(IpAddr) -> F,
    bad: impl Fn(&T) -> bool,
) -> Result<(Vec<T>, usize), ProbeError>
where
    F: Future<Output = Result<T, ProbeError>>,
{
    let mut pending: futures::stream::FuturesUnordered<_> = ips
        .iter()
        .enumerate()
        .map(|(i, ip)| {
            let probe = probe(*ip);
            async move { (i, probe.await) }
        })
        .collect();
    let mut done = Vec::with_capacity(ips.len());
    while let Some((i, result)) = pending.next().await {
        let result = result?;
        let failed = bad(&result);
        done.push((i, result));
        if failed {
            let grace = tokio::time::sleep(AFTER_FIRST_FAILURE);
            tokio::pin!(grace);
            loop {
                tokio::select! {
                    () = &mut grace => break,
                    next = pending.next() => match next {
                        Some((i, result)) => done.push((i, result?)),
                        None => break,
                    },
                }
            }
            break;
        }
    }
    let cut = pending.len();
    done.sort_by_key(|(i, _)| *i);
    Ok((done.into_iter().map(|(_, r)| r).collect(), cut))
}

/// What a failure says of the addresses [`every`] cut short.
fn cut_short(cut: usize) -> String {
    match cut {
        0 => String::new(),
        1 => "; 1 other address cut short (the verdict was already a failure)".into(),
        n => format!("; {n} other addresses cut short (the verdict was already a failure)"),
    }
}

/// The name's addresses, or the failed outcome saying why there are none.
async fn addresses(
    target: &Target,
    resolver: &Resolver,
    check: &str,
) -> Result<Vec<IpAddr>, Outcome> {
    target
        .addresses(resolver)
        .await
        .map_err(|why| Outcome::fail(check, why))
}

/// `GET {endpoint}{path}` on every address the name resolves to: each must answer as
/// expected. One bad address fails the check and is named.
pub async fn check_every_address(
    target: &Target,
    resolver: &Resolver,
    path: &str,
    expect: &Expect,
) -> Result<Outcome, ProbeError> {
    let ask = target.ask(path);
    let url = target.url(&ask);
    let check = format!("GET {url} answers {} on every address", expect.status);
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) => ips,
        Err(outcome) => return Ok(outcome),
    };
    let (results, cut) = every(
        &ips,
        |ip| target.send(ip, &ask),
        |r| expect.problem(r).is_some(),
    )
    .await?;
    let bad: Vec<String> = results
        .iter()
        .filter_map(|r| {
            expect
                .problem(r)
                .map(|why| format!("{}: {why}", addr_of(r)))
        })
        .collect();
    let mut outcome = if bad.is_empty() {
        let addrs: Vec<String> = results.iter().map(addr_of).collect();
        Outcome::pass(
            check,
            format!(
                "GET {url} answered {} on {}",
                expect.status,
                addrs.join(", ")
            ),
        )
    } else {
        Outcome::fail(
            check,
            format!(
                "GET {url} expected {}, got {}{}",
                expect.status,
                bad.join("; "),
                cut_short(cut)
            ),
        )
    };
    outcome.evidence = evidence(results);
    Ok(outcome)
}

/// Does not apply to a plain-HTTP endpoint, unless TLS is required.
fn plain_http(target: &Target, check: &str, required: bool) -> Option<Outcome> {
    if target.endpoint.scheme == Scheme::Https {
        return None;
    }
    let origin = target.endpoint.origin();
    Some(if required {
        Outcome::fail(
            check,
            format!("{origin} is plain HTTP, and tls.required is set"),
        )
    } else {
        Outcome::not_checked(
            check,
            Gap::new(
                "plain HTTP endpoint",
                "point endpoints.api and endpoints.app at the https:// address clients use (or set tls.required to fail a plain HTTP one)",
            ),
            format!(
                "{origin} is plain HTTP: TLS is terminated elsewhere (set tls.required to fail instead)"
            ),
        )
    })
}

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

/// Plain HTTP on `http_port` answers every address with a redirect to HTTPS on the same host
/// (Pulumi's network requirements: 80 redirects to 443).
pub async fn check_redirect(
    target: &Target,
    resolver: &Resolver,
    http_port: u16,
    required: bool,
) -> Result<Outcome, ProbeError> {
    let host = &target.endpoint.host;
    let check = format!("http://{host}:{http_port}/ redirects to HTTPS on the same host");
    if let Some(outcome) = plain_http(target, &check, required) {
        return Ok(outcome);
    }
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) => ips,
        Err(outcome) => return Ok(outcome),
    };
    let ask = Ask {
        scheme: Scheme::Http,
        port: http_port,
        path: "/",
        headers: &[],
    };
    let (results, cut) = every(
        &ips,
        |ip| target.send(ip, &ask),
        |r| redirect_problem(r, host).is_some(),
    )
    .await?;
    let mut problems: Vec<String> = results
        .iter()
        .filter_map(|r| redirect_problem(r, host))
        .collect();
    if let Some(last) = problems.last_mut() {
        last.push_str(&cut_short(cut));
    }
    let passes = results
        .iter()
        .map(|r| {
            format!(
                "{}: {} to {}",
                addr_of(r),
                r.status.unwrap_or(0),
                r.headers.get("location").map_or("", String::as_str)
            )
        })
        .collect::<Vec<_>>();
    let mut outcome = Outcome::from_problems(check, &problems, || passes.join("; "));
    outcome.evidence = evidence(results);
    Ok(outcome)
}

/// What is wrong with a plain-HTTP answer that should redirect to HTTPS on `host`.
fn redirect_problem(result: &ProbeResult, host: &str) -> Option<String> {
    let addr = addr_of(result);
    if result.error.is_some() {
        return Some(format!("{addr}: {}", failure(result)));
    }
    let location = result.headers.get("location");
    match (result.status, location) {
        (Some(301 | 302 | 307 | 308), Some(location)) => match location.split_once("://") {
            Some((scheme, rest)) => {
                let target_host = rest.split(['/', ':']).next().unwrap_or_default();
                if !scheme.eq_ignore_ascii_case("https") {
                    Some(format!(
                        "{addr}: redirects to {location}, which is not HTTPS"
                    ))
                } else if !target_host.eq_ignore_ascii_case(host) {
                    Some(format!(
                        "{addr}: redirects to {location}, another host than {host}"
                    ))
                } else {
                    None
                }
            }
            None => Some(format!(
                "{addr}: redirects to {location:?}, not an absolute https:// URL"
            )),
        },
        (Some(status), _) => Some(format!(
            "{addr}: answered {status} instead of a redirect to HTTPS"
        )),
        (None, _) => Some(format!("{addr}: no response")),
    }
}

/// `GET /` on the console answers 200 with an HTML page on every address.
pub async fn check_console(target: &Target, resolver: &Resolver) -> Result<Outcome, ProbeError> {
    let mut outcome = check_every_address(target, resolver, "/", &Expect::status(200)).await?;
    outcome.check = format!(
        "GET {} answers an HTML page on every address",
        target.endpoint.url("/")
    );
    if outcome.passed() {
        let not_html: Vec<String> = outcome
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Http(r) => Some(r),
                _ => None,
            })
            .filter(|r| {
                !r.headers
                    .get("content-type")
                    .is_some_and(|t| t.starts_with("text/html"))
            })
            .map(|r| {
                format!(
                    "{}: content type {:?}",
                    addr_of(r),
                    r.headers.get("content-type").map_or("none", String::as_str)
                )
            })
            .collect();
        if !not_html.is_empty() {
            outcome.verdict = Verdict::Fail;
            outcome.reason = format!(
                "the console did not answer with an HTML page: {}",
                not_html.join("; ")
            );
        }
    }
    Ok(outcome)
}

fn percentile(sorted_ms: &[f64], q: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let i = ((sorted_ms.len() as f64 - 1.0) * q).round() as usize;
    sorted_ms[i.min(sorted_ms.len() - 1)]
}

/// `times` probes spaced by `interval`, rotating over the addresses: every one must answer as
/// expected; the latencies are reported. The first probe that fails decides the verdict, so
/// the rest are not sent (the reason says how many).
pub async fn check_repeatedly(
    target: &Target,
    resolver: &Resolver,
    path: &str,
    expect: &Expect,
    times: u32,
    interval: Duration,
) -> Result<Outcome, ProbeError> {
    let ask = target.ask(path);
    let check = format!(
        "GET {} answers {} {times} times in a row",
        target.url(&ask),
        expect.status
    );
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) if !ips.is_empty() => ips,
        Ok(_) => return Ok(Outcome::fail(check, "no addresses")),
        Err(outcome) => return Ok(outcome),
    };
    let (mut results, mut failed) = (Vec::new(), None);
    for n in 0..times {
        if n > 0 {
            tokio::time::sleep(interval).await;
        }
        let result = target.send(ips[n as usize % ips.len()], &ask).await?;
        let problem = expect.problem(&result);
        results.push(result);
        if let Some(why) = problem {
            failed = Some((n + 1, why));
            break;
        }
    }
    let mut ms: Vec<f64> = results.iter().map(|r| r.elapsed_ms).collect();
    ms.sort_by(f64::total_cmp);
    let latency = format!(
        "latency p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0)
    );
    let last = results.last().map(addr_of).unwrap_or_default();
    let mut outcome = match failed {
        None => Outcome::pass(
            check,
            format!(
                "{times} of {times} probes answered {} ({latency})",
                expect.status
            ),
        ),
        Some((n, why)) => {
            let rest = times - n;
            let not_sent = if rest > 0 {
                format!("; the other {rest} were not sent (the verdict was known)")
            } else {
                String::new()
            };
            Outcome::fail(
                check,
                format!("probe {n} of {times} ({last}) failed: {why}{not_sent} ({latency})"),
            )
        }
    };
    outcome.evidence = evidence(results);
    Ok(outcome)
}

/// Polls every address (at once) every `interval` until all answer as expected, up to
/// `within` (the guide's health-check grace period). `within` is a deadline, not a wait: the
/// check passes at the first round where every address answers, and fails when the deadline
/// passes, cutting short the probes then in flight.
pub async fn check_becomes_healthy(
    target: &Target,
    resolver: &Resolver,
    path: &str,
    expect: &Expect,
    within: Duration,
    interval: Duration,
) -> Result<Outcome, ProbeError> {
    let ask = target.ask(path);
    let check = format!(
        "GET {} answers {} within {}",
        target.url(&ask),
        expect.status,
        HumanDuration(within)
    );
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + within;
    let (mut rounds, mut last_problem, mut last_results) = (0, None, Vec::new());
    loop {
        rounds += 1;
        let round = async {
            let ips = match target.addresses(resolver).await {
                Ok(ips) if !ips.is_empty() => ips,
                Ok(_) => return Ok((Some("no addresses".to_owned()), Vec::new())),
                Err(why) => return Ok((Some(why), Vec::new())),
            };
            let (results, _) = every(&ips, |ip| target.send(ip, &ask), |_| false).await?;
            let problem = results.iter().find_map(|r| {
                expect
                    .problem(r)
                    .map(|why| format!("{}: {why}", addr_of(r)))
            });
            Ok::<_, ProbeError>((problem, results))
        };
        match tokio::time::timeout_at(deadline, round).await {
            Ok(round) => {
                let (problem, results) = round?;
                last_results = results;
                if problem.is_none() {
                    let mut outcome = Outcome::pass(
                        check,
                        format!(
                            "every address answered {} after {:.1} s ({rounds} round{}; {} is a deadline, not a wait)",
                            expect.status,
                            started.elapsed().as_secs_f64(),
                            if rounds == 1 { "" } else { "s" },
                            HumanDuration(within)
                        ),
                    );
                    outcome.evidence = evidence(last_results);
                    return Ok(outcome);
                }
                last_problem = problem;
            }
            Err(_) => {
                rounds -= 1;
                break;
            }
        }
        if tokio::time::Instant::now() + interval >= deadline {
            break;
        }
        tokio::time::sleep(interval).await;
    }
    let last = last_problem.map_or_else(
        || {
            format!(
                "no round finished: the probes were still waiting (health.timeout {})",
                HumanDuration(target.timeout)
            )
        },
        |why| format!("last: {why}"),
    );
    let mut outcome = Outcome::fail(
        check,
        format!(
            "not healthy by the deadline, {} after the first probe ({rounds} whole round{}); {last}",
            HumanDuration(within),
            if rounds == 1 { "" } else { "s" }
        ),
    );
    outcome.evidence = evidence(last_results);
    Ok(outcome)
}

/// A gzip-encoded response keeps `Content-Encoding: gzip` through the load balancer (Pulumi's
/// troubleshooting guide: a proxy that strips it garbles state), and its body is gzip.
pub async fn check_gzip(
    target: &Target,
    resolver: &Resolver,
    gzip_path: Option<&str>,
) -> Result<Outcome, ProbeError> {
    let Some(path) = gzip_path else {
        return Ok(Outcome::not_checked(
            "gzip passes through the load balancer",
            Gap::new(
                "no health.gzip_path",
                "set health.gzip_path to a path the API answers gzip-encoded",
            ),
            "no health.gzip_path is set: name a path the API serves gzip-encoded to check it",
        ));
    };
    let headers = [("accept-encoding", "gzip")];
    let ask = Ask {
        headers: &headers,
        ..target.ask(path)
    };
    let check = format!(
        "GET {} with Accept-Encoding: gzip keeps Content-Encoding: gzip",
        target.url(&ask)
    );
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) => ips,
        Err(outcome) => return Ok(outcome),
    };
    let (mut problems, mut results) = (Vec::new(), Vec::new());
    for ip in ips {
        let (result, body) = target.send_full(ip, &ask).await?;
        let addr = addr_of(&result);
        let encoding = result.headers.get("content-encoding").cloned();
        let is_gzip = body.starts_with(&[0x1f, 0x8b]);
        let decodes = is_gzip
            && flate2::read::GzDecoder::new(body.as_slice())
                .read_to_end(&mut Vec::new())
                .is_ok();
        if result.error.is_some() || result.status.is_none_or(|s| !(200..300).contains(&s)) {
            problems.push(format!("{addr}: {}", failure(&result)));
        } else if !encoding
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case("gzip"))
        {
            problems.push(if is_gzip {
                format!("{addr}: the body is gzip but Content-Encoding is {}: something on the way strips it, and clients read garbage", encoding.as_deref().unwrap_or("missing"))
            } else {
                format!("{addr}: the response is not gzip-encoded (Content-Encoding {})", encoding.as_deref().unwrap_or("missing"))
            });
        } else if !decodes {
            problems.push(format!(
                "{addr}: Content-Encoding is gzip but the body does not decode as gzip"
            ));
        }
        results.push(result);
    }
    let mut outcome = Outcome::from_problems(check, &problems, || {
        format!(
            "{} addresses kept Content-Encoding: gzip and a gzip body",
            results.len()
        )
    });
    outcome.evidence = evidence(results);
    Ok(outcome)
}

/// `probes` requests on fresh connections, over every address, must be answered from at least
/// `min_zones` zones, as the zone header says ("Multi-AZ deployment", seen from outside).
pub async fn check_zone_spread(
    target: &Target,
    resolver: &Resolver,
    path: &str,
    min_zones: u32,
    probes: u32,
) -> Result<Outcome, ProbeError> {
    let check = format!(
        "requests to {} are answered from at least {min_zones} zones",
        target.endpoint.host
    );
    let Some(header) = target.zone_header.clone() else {
        return Ok(Outcome::not_checked(
            check,
            Gap::new(
                "no health.zone_header",
                "set health.zone_header to the response header that names the answering instance's zone",
            ),
            "no health.zone_header is set: name the response header that carries the zone to check it",
        ));
    };
    let ips = match addresses(target, resolver, &check).await {
        Ok(ips) if !ips.is_empty() => ips,
        Ok(_) => return Ok(Outcome::fail(check, "no addresses")),
        Err(outcome) => return Ok(outcome),
    };
    let ask = target.ask(path);
    let mut results = Vec::new();
    let mut zones: BTreeMap<String, u32> = BTreeMap::new();
    for n in 0..probes {
        let result = target.send(ips[n as usize % ips.len()], &ask).await?;
        if let Some(zone) = &result.zone {
            *zones.entry(zone.clone()).or_default() += 1;
        }
        results.push(result);
    }
    let answered = results.iter().filter(|r| r.error.is_none()).count();
    let seen: BTreeSet<&String> = zones.keys().collect();
    let counts = zones
        .iter()
        .map(|(z, n)| format!("{z} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut outcome = if answered == 0 {
        let first = results.first().map(failure).unwrap_or_default();
        Outcome::fail(
            check,
            format!("none of {probes} probes was answered (the first: {first})"),
        )
    } else if zones.is_empty() {
        Outcome::fail(
            check,
            format!("none of {answered} responses carried a {header} header"),
        )
    } else if (seen.len() as u32) < min_zones {
        Outcome::fail(
            check,
            format!(
                "all {probes} probes were answered from {} zone(s) ({counts}), fewer than health.min_zones ({min_zones})",
                seen.len()
            ),
        )
    } else {
        Outcome::pass(
            check,
            format!(
                "{probes} probes were answered from {} zones ({counts})",
                seen.len()
            ),
        )
    };
    outcome.evidence = evidence(results);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[tokio::test]
    async fn one_failed_address_cuts_the_slower_ones_short() {
        let ips: Vec<IpAddr> = (1..=3)
            .map(|i| IpAddr::V4(Ipv4Addr::new(192, 0, 2, i)))
            .collect();
        let started = Instant::now();
        let first = ips[0];
        // .1 fails at once; .2 and .3 would answer well, a minute later.
        let (results, cut) = every(
            &ips,
            |ip| async move {
                if ip == first {
                    Ok((ip, false))
                } else {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    Ok((ip, true))
                }
            },
            |(_, good)| !good,
        )
        .await
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(results, vec![(ips[0], false)]);
        assert_eq!(cut, 2);
        assert_eq!(
            cut_short(cut),
            "; 2 other addresses cut short (the verdict was already a failure)"
        );
    }

    #[tokio::test]
    async fn without_a_failure_every_address_is_waited_for_in_order() {
        let ips: Vec<IpAddr> = (1..=3)
            .map(|i| IpAddr::V4(Ipv4Addr::new(192, 0, 2, i)))
            .collect();
        let (results, cut) = every(
            &ips,
            |ip| async move {
                // The first address answers last.
                let IpAddr::V4(v4) = ip else { unreachable!() };
                let wait = 40 - 10 * u64::from(v4.octets()[3]);
                tokio::time::sleep(Duration::from_millis(wait)).await;
                Ok(ip)
            },
            |_| false,
        )
        .await
        .unwrap();
        assert_eq!((results, cut), (ips.clone(), 0));
    }
}
