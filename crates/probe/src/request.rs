//! One HTTP request to one address of a name.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use netconform_model::evidence::http::ProbeResult;
use netconform_model::values::{Endpoint, Scheme};
use netconform_model::{FailureKind, MAX_BODY};
use netconform_net::Resolver;
use rustls::pki_types::CertificateDer;

use crate::classify;

/// Why probing could not start. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error(transparent)]
    Tls(#[from] netconform_net::tls::TlsError),
}

/// Response headers kept as evidence.
const KEPT_HEADERS: [&str; 5] = [
    "content-type",
    "content-encoding",
    "location",
    "server",
    "connection",
];
/// Body text kept as evidence.
const BODY_EXCERPT: usize = 512;

/// A name on its load balancer: where it is, how long a request may take, what CA to trust,
/// which headers name the instance and zone that answered.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: Endpoint,
    pub timeout: Duration,
    pub extra_roots: Vec<CertificateDer<'static>>,
    pub instance_header: Option<String>,
    pub zone_header: Option<String>,
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct Ask<'a> {
    /// `http` or `https`.
    pub scheme: Scheme,
    pub port: u16,
    pub path: &'a str,
    /// Extra request headers.
    pub headers: &'a [(&'a str, &'a str)],
}

impl Target {
    /// The health check path (or any) on this endpoint, as configured.
    pub fn ask<'a>(&self, path: &'a str) -> Ask<'a> {
        Ask {
            scheme: self.endpoint.scheme,
            port: self.endpoint.port,
            path,
            headers: &[],
        }
    }

    pub fn url(&self, ask: &Ask<'_>) -> String {
        Endpoint {
            scheme: ask.scheme,
            host: self.endpoint.host.clone(),
            port: ask.port,
        }
        .url(ask.path)
    }

    /// The addresses of the name, through the configured resolver.
    pub async fn addresses(&self, resolver: &Resolver) -> Result<Vec<IpAddr>, String> {
        resolver
            .lookup_ips(&self.endpoint.host)
            .await
            .map_err(|failure| {
                format!(
                    "{} does not resolve through {}: {failure}",
                    self.endpoint.host,
                    resolver.servers()
                )
            })
    }

    /// A client that sends the name to `addr` only, with no retry, no redirect, no
    /// decompression.
    fn client(&self, addr: SocketAddr) -> Result<reqwest::Client, ProbeError> {
        netconform_net::tls::install_default_provider();
        let config = netconform_net::tls::client_config(&[b"h2", b"http/1.1"], &self.extra_roots)?;
        Ok(reqwest::Client::builder()
            .resolve(&self.endpoint.host, addr)
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .no_proxy()
            .pool_max_idle_per_host(0)
            .tls_backend_preconfigured(config)
            .user_agent(concat!("netconform/", env!("CARGO_PKG_VERSION")))
            .build()?)
    }

    /// Sends `ask` to `ip`; the result holds what came back or why nothing did.
    pub async fn send(&self, ip: IpAddr, ask: &Ask<'_>) -> Result<ProbeResult, ProbeError> {
        Ok(self.send_full(ip, ask).await?.0)
    }

    /// [`Target::send`], with the raw body too.
    pub async fn send_full(
        &self,
        ip: IpAddr,
        ask: &Ask<'_>,
    ) -> Result<(ProbeResult, Vec<u8>), ProbeError> {
        let addr = SocketAddr::new(ip, ask.port);
        let client = self.client(addr)?;
        let url = self.url(ask);
        let started = Instant::now();
        let mut req = client.get(&url);
        for (name, value) in ask.headers {
            req = req.header(*name, *value);
        }
        let mut result = ProbeResult {
            url,
            address: Some(addr),
            ..ProbeResult::default()
        };
        let mut raw = Vec::new();
        match req.send().await {
            Ok(res) => {
                result.status = Some(res.status().as_u16());
                let header = |name: &str| {
                    res.headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                for name in KEPT_HEADERS
                    .iter()
                    .copied()
                    .chain(self.instance_header.as_deref())
                    .chain(self.zone_header.as_deref())
                {
                    if let Some(value) = header(name) {
                        result.headers.insert(name.to_ascii_lowercase(), value);
                    }
                }
                result.instance = self.instance_header.as_deref().and_then(header);
                result.zone = self.zone_header.as_deref().and_then(header);
                // A response is only whole when its body arrived.
                match read_capped(res).await {
                    Ok(body) => {
                        let cut = body.len().min(BODY_EXCERPT);
                        result.body_excerpt =
                            Some(String::from_utf8_lossy(&body[..cut]).into_owned());
                        raw = body;
                    }
                    Err(Body::TooLarge) => {
                        result.error = Some(FailureKind::Malformed);
                        result.detail = Some(format!(
                            "the body went past {} KiB; netconform reads no further",
                            MAX_BODY / 1024
                        ));
                    }
                    Err(Body::Read(e)) => {
                        result.error = Some(classify::class(&e));
                        result.detail = Some(classify::describe(&e));
                    }
                }
            }
            Err(e) => {
                result.error = Some(classify::class(&e));
                result.detail = Some(classify::describe(&e));
            }
        }
        result.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok((result, raw))
    }
}

/// Why a body was not read whole.
enum Body {
    /// Past [`MAX_BODY`]: an endless body is cut there.
    TooLarge,
    Read(reqwest::Error),
}

/// The body, up to [`MAX_BODY`].
async fn read_capped(mut res: reqwest::Response) -> Result<Vec<u8>, Body> {
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(Body::Read)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Body::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// What went wrong with a result, in a few words: "answered 500", "connect-refused (...)".
pub fn failure(result: &ProbeResult) -> String {
    match (&result.status, &result.error) {
        (_, Some(error)) => format!(
            "{error} ({})",
            result.detail.as_deref().unwrap_or("no detail")
        ),
        (Some(status), None) => format!("answered {status}"),
        (None, None) => "no response".into(),
    }
}
