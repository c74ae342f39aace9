//! The plain-HTTP redirect to HTTPS on the same host.

use netconform_model::Outcome;
use netconform_model::evidence::http::ProbeResult;
use netconform_model::values::Scheme;
use netconform_net::Resolver;

use super::{addr_of, addresses, cut_short, every, evidence, plain_http};
use crate::request::{Ask, ProbeError, Target, failure};

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
