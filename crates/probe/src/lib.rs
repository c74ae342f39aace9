//! HTTP health probes. Owns [`HealthProbe`] and [`check_every_address`]: `GET {endpoint}{path}`
//! sent to every address the endpoint's name resolves to (through the configured resolver), the
//! name pinned to each address so Host and SNI stay the name's. Every outcome carries one
//! [`ProbeResult`] per address.
//!
//! No retries of any kind (reqwest's are turned off), no redirects followed. No printing, no
//! env; depends on model and net only.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use netconform_model::evidence::http::ProbeResult;
use netconform_model::values::{Endpoint, HttpPath, Scheme};
use netconform_model::{Outcome, Verdict};
use netconform_net::Resolver;

/// Header a response may carry to name the instance that served it.
pub const INSTANCE_HEADER: &str = "x-instance";

/// Why probing could not start. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error(transparent)]
    Tls(#[from] netconform_net::tls::TlsError),
}

/// What to ask and what to expect.
#[derive(Debug, Clone)]
pub struct HealthProbe {
    pub endpoint: Endpoint,
    pub path: HttpPath,
    pub expect_status: u16,
    /// Time allowed for one probe, connection included.
    pub timeout: Duration,
}

impl HealthProbe {
    pub fn url(&self) -> String {
        self.endpoint.url(self.path.as_str())
    }

    /// A client that sends the name to `addr` only, with no retry and no redirect.
    fn client(&self, addr: SocketAddr) -> Result<reqwest::Client, ProbeError> {
        netconform_net::tls::install_default_provider();
        let mut builder = reqwest::Client::builder()
            .resolve(&self.endpoint.host, addr)
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .no_proxy()
            .pool_max_idle_per_host(0)
            .user_agent(concat!("netconform/", env!("CARGO_PKG_VERSION")));
        if self.endpoint.scheme == Scheme::Https {
            builder = builder.tls_backend_preconfigured(netconform_net::tls::client_config(&[
                b"h2",
                b"http/1.1",
            ])?);
        }
        Ok(builder.build()?)
    }

    /// One probe of one address.
    pub async fn probe(&self, ip: IpAddr) -> Result<ProbeResult, ProbeError> {
        let addr = SocketAddr::new(ip, self.endpoint.port);
        let client = self.client(addr)?;
        let url = self.url();
        let start = Instant::now();
        let res = client.get(&url).send().await;
        let mut result = ProbeResult {
            url,
            address: Some(addr),
            status: None,
            error: None,
            detail: None,
            instance: None,
            elapsed_ms: 0.0,
        };
        match res {
            Ok(res) => {
                result.status = Some(res.status().as_u16());
                result.instance = res
                    .headers()
                    .get(INSTANCE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                // Read the body: a response is only whole when its body arrived.
                if let Err(e) = res.bytes().await {
                    result.error = Some(classify(&e).into());
                    result.detail = Some(chain(&e));
                }
            }
            Err(e) => {
                result.error = Some(classify(&e).into());
                result.detail = Some(chain(&e));
            }
        }
        result.elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
        Ok(result)
    }
}

/// Every error in `e`'s source chain, looking inside I/O errors too.
fn sources<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        all.push(err);
        next = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    all
}

/// The error class of a failed request: "connect-refused", "tls", "read-timeout", ...
fn classify(e: &reqwest::Error) -> &'static str {
    let chain = sources(e);
    if chain.iter().any(|s| s.is::<rustls::Error>()) {
        return "tls";
    }
    let io_kind = chain
        .iter()
        .find_map(|s| s.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => return "connect-refused",
        Some(std::io::ErrorKind::ConnectionReset) => return "reset",
        _ => {}
    }
    let text = self::chain(e).to_ascii_lowercase();
    if e.is_timeout() {
        if e.is_connect() {
            "connect-timeout"
        } else {
            "read-timeout"
        }
    } else if e.is_connect() {
        "connect-error"
    } else if text.contains("connection closed") || text.contains("incomplete") {
        "closed-before-response"
    } else {
        "error"
    }
}

/// An error with its sources, "a: b: c".
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// `GET {endpoint}{path}` on every address the endpoint's name resolves to: each must answer
/// the expected status. One bad address fails the check and is named.
pub async fn check_every_address(
    probe: &HealthProbe,
    resolver: &Resolver,
) -> Result<Outcome, ProbeError> {
    let url = probe.url();
    let check = format!("GET {url} returns {} on every address", probe.expect_status);
    let ips = match resolver.lookup_ips(&probe.endpoint.host).await {
        Ok(ips) => ips,
        Err(failure) => {
            return Ok(Outcome::fail(
                check,
                format!(
                    "{} does not resolve through {}: {failure}",
                    probe.endpoint.host,
                    resolver.servers()
                ),
            ));
        }
    };
    let mut results = Vec::with_capacity(ips.len());
    for ip in ips {
        results.push(probe.probe(ip).await?);
    }
    let bad: Vec<String> = results
        .iter()
        .filter(|r| r.status != Some(probe.expect_status) || r.error.is_some())
        .map(|r| {
            let addr = r.address.map_or_else(String::new, |a| a.to_string());
            match (&r.status, &r.error) {
                (_, Some(error)) => format!(
                    "{addr}: {error} ({})",
                    r.detail.as_deref().unwrap_or("no detail")
                ),
                (Some(status), None) => format!("{addr}: answered {status}"),
                (None, None) => format!("{addr}: no response"),
            }
        })
        .collect();
    let verdict = if bad.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    let reason = if bad.is_empty() {
        let addrs: Vec<String> = results
            .iter()
            .filter_map(|r| r.address)
            .map(|a| a.to_string())
            .collect();
        format!(
            "GET {url} answered {} on {}",
            probe.expect_status,
            addrs.join(", ")
        )
    } else {
        format!(
            "GET {url} expected {}, got {}",
            probe.expect_status,
            bad.join("; ")
        )
    };
    let mut outcome = Outcome::new(check, verdict, reason);
    outcome.evidence = results.into_iter().map(Into::into).collect();
    Ok(outcome)
}
