//! What the load is: its plan (target, rate, lanes, slow requests, caps) and its two lanes.

use std::time::Duration;

use netconform_model::values::{Endpoint, HttpPath};

/// What to send.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    pub endpoint: Endpoint,
    pub path: HttpPath,
    /// The status that counts as served.
    pub expect_status: u16,
    /// Requests per second, both lanes together.
    pub rate: f64,
    /// Time allowed for one request, connection included.
    pub request_timeout: Duration,
    /// Connections open at once, both lanes together; past it requests are not sent on time.
    pub max_connections: usize,
    /// CA certificates trusted beside the system's (the environment's own CA).
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// A response header naming the instance that answered: with it, an answer from an
    /// instance the run did not expect is a failure ([`RequestOutcome::WrongHost`]).
    pub instance_header: Option<String>,
    /// Generator threads (one per core at most is useful); each sends every n-th request.
    pub workers: usize,
    /// Every n-th request goes on a new connection (the rest on kept-alive ones); 0: none.
    /// New connections cost a local port each for a minute (TIME_WAIT): a few hundred a
    /// second is what a machine sustains.
    pub fresh_every: u64,
    /// Long requests mixed in: every n-th request goes to a slow path instead.
    pub slow: Option<SlowRequests>,
}

/// Requests that take a while (a long API call), so some are in flight across every stop.
/// They count like the others; their latency is left out of the latency figures.
#[derive(Debug, Clone)]
pub struct SlowRequests {
    pub path: HttpPath,
    /// Every n-th request (n >= 1).
    pub every: u64,
}

impl LoadPlan {
    pub fn url(&self) -> String {
        self.endpoint.url(self.path.as_str())
    }

    /// The load an environment asks for: its `[drain]` through the API endpoint, on its
    /// health path.
    pub fn for_environment(
        env: &netconform_model::Environment,
        extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    ) -> LoadPlan {
        let drain = &env.drain;
        LoadPlan {
            endpoint: env.api_endpoint(),
            path: env.health.path.clone(),
            expect_status: env.health.expect_status.0,
            rate: drain.rate.per_second(),
            request_timeout: drain.request_timeout.get(),
            max_connections: usize::try_from(drain.max_connections).unwrap_or(usize::MAX),
            extra_roots,
            instance_header: env.health.instance_header.clone(),
            workers: drain.workers,
            fresh_every: drain.fresh_every,
            slow: drain.slow_path.clone().map(|path| SlowRequests {
                path,
                every: drain.slow_every,
            }),
        }
    }
}

/// How a request travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// Reuses kept-alive connections (what browsers and the Pulumi CLI do).
    KeepAlive,
    /// A new connection per request, closed after it.
    Fresh,
}

impl Lane {
    pub fn name(self) -> &'static str {
        match self {
            Lane::KeepAlive => "keep-alive",
            Lane::Fresh => "fresh-connection",
        }
    }
}
