//! The probe checks, one module per kind: health (`health`: every address, in a row, within
//! the grace period), TLS (`tls`: the certificate and its hygiene), the plain-HTTP redirect
//! (`redirect`), what the answers carry (`content`: the console page, gzip) and the spread over
//! zones (`zone_spread`). Each returns an [`Outcome`] with one piece of evidence per request;
//! `Err` only when a probe could not be built at all. What they share lives here: probing every
//! address at once, cut short after the first failure.

mod content;
mod health;
mod redirect;
mod tls;
mod zone_spread;

use std::net::IpAddr;
use std::time::Duration;

use futures::StreamExt as _;

use netconform_model::evidence::Evidence;
use netconform_model::evidence::http::ProbeResult;
use netconform_model::values::Scheme;
use netconform_model::{Gap, Outcome};
use netconform_net::Resolver;

use crate::request::{ProbeError, Target};

pub use content::{check_console, check_gzip};
pub use health::{Expect, check_becomes_healthy, check_every_address, check_repeatedly};
pub use redirect::check_redirect;
pub use tls::{check_certificate, check_tls_hygiene};
pub use zone_spread::check_zone_spread;

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

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::time::Instant;

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
