//! `--push URL`: the run's metrics to a Prometheus Pushgateway, as one group (job
//! `netconform`, the environment, the vantage point) that each run replaces (HTTP PUT).

use std::time::Duration;

use netconform_model::RunReport;
use netconform_report::metrics::Identity;

/// A grouping label's path segment: `name/value`, or `name@base64/<base64url>` when the
/// value has a `/` or is empty (the Pushgateway's own encoding).
fn segment(name: &str, value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    if plain {
        format!("{name}/{value}")
    } else if value.is_empty() {
        // The Pushgateway's spelling of an empty value.
        format!("{name}@base64/=")
    } else {
        format!("{name}@base64/{}", base64url(value.as_bytes()))
    }
}

/// RFC 4648 base64url, with padding (the Pushgateway accepts either).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The group's URL under `base`.
pub(crate) fn group_url(base: &str, report: &RunReport) -> String {
    let vantage = report
        .vantage
        .clone()
        .unwrap_or_else(|| report.vantages.join(","));
    format!(
        "{}/metrics/job/netconform/{}/{}",
        base.trim_end_matches('/'),
        segment("environment", &report.environment),
        segment("vantage", &vantage)
    )
}

/// PUTs the metrics to the Pushgateway at `base`, within 10 s.
pub(crate) async fn push(base: &str, report: &RunReport) -> Result<(), String> {
    let url = group_url(base, report);
    let body = netconform_report::metrics(report, Identity::Grouped);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let answer = client
        .put(&url)
        .header("content-type", "text/plain; version=0.0.4")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = answer.status();
    if status.is_success() {
        crate::note(&format!("metrics pushed to {url}"));
        Ok(())
    } else {
        let text = answer.text().await.unwrap_or_default();
        Err(format!("{url} answered {status}: {}", text.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_values_with_a_slash_are_base64url() {
        assert_eq!(segment("vantage", "zone-a"), "vantage/zone-a");
        assert_eq!(segment("vantage", "a/b"), "vantage@base64/YS9i");
        assert_eq!(segment("vantage", ""), "vantage@base64/=");
        assert_eq!(base64url(b"ab"), "YWI=");
    }
}
