//! The health checks: every address answers as expected, in a row, and within the grace
//! period.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use netconform_model::evidence::http::ProbeResult;
use netconform_model::{HumanDuration, Outcome};
use netconform_net::Resolver;

use super::{addr_of, addresses, cut_short, every, evidence};
use crate::request::{ProbeError, Target, failure};

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
