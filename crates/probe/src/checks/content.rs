//! What the answers carry: the console's HTML page, gzip passed through.

use std::io::Read as _;

use netconform_model::evidence::Evidence;
use netconform_model::{Gap, Outcome, Verdict};
use netconform_net::Resolver;

use super::health::{Expect, check_every_address};
use super::{addr_of, addresses, evidence};
use crate::request::{Ask, ProbeError, Target, failure};

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
