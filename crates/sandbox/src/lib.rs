//! The sandbox: a reference deployment of self-hosted Pulumi Cloud on loopback, faithful in
//! miniature to the networking guide, that can be broken on purpose. Owns [`Sandbox`],
//! [`SandboxConfig`], [`Timing`] and [`Variant`].
//!
//! It runs an authoritative DNS server for a test zone (api and app CNAME to the load
//! balancer's name), a load balancer with active health checks and no retries, and API
//! replicas in two zones that drain gracefully; it performs rolling restarts and reports their
//! events. Everything binds ephemeral ports on 127.0.0.x and runs on the sandbox's own runtime,
//! so checks measure it from the outside like any deployment.
//!
//! Depends on model and replica only, never on a checker: it is the independent reference the checkers are
//! proven against. No printing, no process env.

mod admin;
mod balancer;
mod dns;
mod http;
mod replica;
mod rollout;
mod start;
mod tls;
mod variant;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use netconform_model::values::{DnsName, Domain, Nameserver, Rate};
use netconform_model::{Environment, HumanDuration, RestartEvent};
use tokio::sync::mpsc;

use start::{Started, start_parts};

pub use admin::ROLLING_RESTART_PATH;
pub use balancer::{HealthCheck, LB_SERVER};
/// The replica's interface, defined in netconform-replica, which the test bed shares.
pub use netconform_replica::{
    AGENT_DRAIN, AGENT_READY, GZIP_PATH, GZIP_TEXT, INSTANCE_HEADER, ZONE_HEADER,
};
pub use replica::{BoundReplica, StandaloneReplica, StandaloneStop};
pub use variant::Variant;

/// The sandbox's zones; one API replica runs in each.
pub use netconform_replica::ZONES;

/// Why the sandbox could not do its part. Messages read after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("bind {what} on {addr}: {source}")]
    Bind {
        what: &'static str,
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("start the sandbox runtime: {0}")]
    Runtime(std::io::Error),
    #[error("start the DNS server: {0}")]
    Dns(String),
    #[error("set up the load balancer's TLS: {0}")]
    Tls(String),
    #[error("bring {id} up: the load balancer did not see it healthy within {timeout:?}")]
    NotHealthy { id: String, timeout: Duration },
    #[error("complete the rolling restart: {0}")]
    Rollout(String),
    #[error("run the sandbox: its runtime stopped")]
    Stopped,
}

/// Time constants: an ALB's and a Kubernetes rollout's, scaled down to milliseconds so a full
/// rolling restart takes a few seconds.
#[derive(Debug, Clone)]
pub struct Timing {
    /// The load balancer's active health check on `/api/status`.
    pub health_check: HealthCheck,
    /// How long after a replica is told to stop the load balancer keeps routing new requests
    /// to it (endpoint removal propagating to kube-proxy or the ALB).
    pub deregistration_lag: Duration,
    /// How long a stopping replica keeps serving before its graceful shutdown begins (a
    /// preStop sleep): must exceed `deregistration_lag`.
    pub drain_delay: Duration,
    /// How long a stopping replica may take before it is killed (ECS `stopTimeout`,
    /// Kubernetes `terminationGracePeriodSeconds`).
    pub stop_timeout: Duration,
    /// The stop timeout of the `stop-timeout-too-short` variant: shorter than the deregistration lag.
    pub short_stop_timeout: Duration,
    /// The backend keep-alive timeout of the `backend-keepalive-shorter-than-lb` variant: an
    /// idle connection older than this is closed when the next request arrives on it.
    pub short_keepalive: Duration,
    /// How long a new replica may take to become healthy before the rollout fails.
    pub healthy_timeout: Duration,
    /// The load balancer's wait for a target's answer (then 504).
    pub backend_timeout: Duration,
    /// TTL of the zone's records, in seconds.
    pub dns_ttl: u32,
    /// The DNS query timeout the sandbox's environment sets (the `slow-dns` variant answers
    /// after three times this).
    pub dns_timeout: Duration,
    /// When the `late-app-record` variant adds the app record.
    pub late_record_after: Duration,
    /// How long a replica answers 503 before it is ready (the `status-503-then-200` variant).
    pub boot_time: Duration,
    /// How long `/api/status` takes to answer (the `slow-health` variant): above the probe
    /// timeout the sandbox's environment sets (1 s).
    pub slow_health_delay: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            health_check: HealthCheck {
                path: netconform_model::guide::HEALTH_CHECK_PATH.to_owned(),
                interval: Duration::from_millis(100),
                timeout: Duration::from_millis(250),
                healthy_threshold: 2,
                unhealthy_threshold: 2,
                tcp_only: false,
            },
            deregistration_lag: Duration::from_millis(300),
            drain_delay: Duration::from_millis(800),
            stop_timeout: Duration::from_secs(5),
            short_stop_timeout: Duration::from_millis(150),
            short_keepalive: Duration::from_millis(5),
            healthy_timeout: Duration::from_secs(5),
            backend_timeout: Duration::from_secs(5),
            dns_ttl: 60,
            dns_timeout: Duration::from_secs(1),
            late_record_after: Duration::from_millis(1500),
            boot_time: Duration::from_secs(2),
            slow_health_delay: Duration::from_secs(2),
        }
    }
}

/// What to start.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub domain: Domain,
    pub variant: Option<Variant>,
    pub timing: Timing,
    /// The load balancer terminates TLS and passes each connection through to one replica
    /// (an NLB, a Kubernetes Service) instead of proxying request by request: a kept-alive
    /// client stays on the replica it first reached. The `keepalive-leak` variant sets it.
    pub pass_through: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            domain: "sandbox.test".parse().expect("valid domain"),
            variant: None,
            timing: Timing::default(),
            pass_through: false,
        }
    }
}

/// Where the sandbox's parts listen.
#[derive(Debug, Clone)]
pub struct Topology {
    /// The zone's authoritative DNS servers, ns1 first (the one clients are told to ask).
    pub dns: Vec<SocketAddr>,
    /// The load balancer's addresses (the A and AAAA records of its name); all share its
    /// ports.
    pub lb_addresses: Vec<IpAddr>,
    /// The HTTPS port.
    pub lb_port: u16,
    /// The plain-HTTP port (redirects to HTTPS).
    pub lb_http_port: u16,
    /// The address each zone's replicas bind.
    pub zone_addresses: Vec<(String, IpAddr)>,
    /// The control endpoint (`POST /rolling-restart`).
    pub admin: SocketAddr,
}

impl std::fmt::Display for Topology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |ips: &mut dyn Iterator<Item = String>| ips.collect::<Vec<_>>().join(", ");
        write!(
            f,
            "DNS {}, load balancer {} port {} (HTTPS) and {} (HTTP), zones {}",
            list(&mut self.dns.iter().map(ToString::to_string)),
            list(&mut self.lb_addresses.iter().map(ToString::to_string)),
            self.lb_port,
            self.lb_http_port,
            list(
                &mut self
                    .zone_addresses
                    .iter()
                    .map(|(z, ip)| format!("{z} on {ip}"))
            )
        )
    }
}

/// A running sandbox. Dropping it stops everything.
pub struct Sandbox {
    runtime: Option<tokio::runtime::Runtime>,
    state: Arc<rollout::State>,
    topology: Topology,
    environment: Environment,
    variant: Option<Variant>,
}

impl Sandbox {
    /// Starts every part and waits until the load balancer routes to the replicas.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sandbox")
            .enable_all()
            .build()
            .map_err(SandboxError::Runtime)?;
        let started = runtime
            .spawn(start_parts(config.clone()))
            .await
            .map_err(|_| SandboxError::Stopped);
        let started = match started {
            Ok(Ok(parts)) => parts,
            Ok(Err(e)) | Err(e) => {
                runtime.shutdown_background();
                return Err(e);
            }
        };
        let environment = environment(&config, &started);
        let Started {
            state, topology, ..
        } = started;
        Ok(Sandbox {
            runtime: Some(runtime),
            state,
            topology,
            environment,
            variant: config.variant,
        })
    }

    /// The environment file that describes this sandbox (no restart command: the sandbox's
    /// own rolling restart is driven through [`Sandbox::rolling_restart`]).
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// The URL that performs a rolling restart when POSTed to (see `admin`).
    pub fn rolling_restart_url(&self) -> String {
        format!("http://{}{ROLLING_RESTART_PATH}", self.topology.admin)
    }

    pub fn variant(&self) -> Option<Variant> {
        self.variant
    }

    /// Restarts every replica, one at a time, the next only after the new one is healthy in
    /// the load balancer. Sends each event as it happens.
    pub async fn rolling_restart(
        &self,
        events: mpsc::UnboundedSender<RestartEvent>,
    ) -> Result<(), SandboxError> {
        let runtime = self.runtime.as_ref().ok_or(SandboxError::Stopped)?;
        let state = Arc::clone(&self.state);
        runtime
            .spawn(async move { state.rolling_restart(&events).await })
            .await
            .map_err(|_| SandboxError::Stopped)?
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// An authoritative DNS server for any zone text, on 127.0.0.1 (UDP and TCP, one ephemeral
/// port), for tests that need answers the sandbox's zone does not give (a huge RRset, a zone
/// of their own). Runs on the caller's runtime; stops when the runtime does.
pub struct ZoneServer {
    pub addr: SocketAddr,
}

impl ZoneServer {
    pub async fn start(zone_text: &str) -> Result<ZoneServer, SandboxError> {
        let zone = dns::load(zone_text, None)?;
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
        let sockets =
            dns::Sockets::bind(addr.ip(), 0)
                .await
                .map_err(|source| SandboxError::Bind {
                    what: "a DNS server",
                    addr,
                    source,
                })?;
        let addr = sockets.addr().map_err(SandboxError::Runtime)?;
        dns::serve(sockets, zone, dns::Faults::default());
        Ok(ZoneServer { addr })
    }
}

/// The name of the load balancer in the zone.
pub fn lb_name(domain: &Domain) -> DnsName {
    domain.name().child("lb")
}

/// The name the `wrong-load-balancer` variant points `app` at.
pub fn other_lb_name(domain: &Domain) -> DnsName {
    domain.name().child("other-lb")
}

fn environment(config: &SandboxConfig, started: &Started) -> Environment {
    let topology = &started.topology;
    let mut env = Environment::new(config.domain.clone());
    env.name = Some(match config.variant {
        Some(v) => format!("sandbox ({v})"),
        None => "sandbox".to_owned(),
    });
    env.dns.nameservers = vec![Nameserver(topology.dns[0])];
    env.dns.authoritative = topology.dns.iter().copied().map(Nameserver).collect();
    env.dns.load_balancer = Some(lb_name(&config.domain));
    env.dns.load_balancer_addresses = topology.lb_addresses.clone();
    env.dns.timeout = HumanDuration(config.timing.dns_timeout);
    let port = topology.lb_port;
    env.endpoints.api = format!("https://api.{{domain}}:{port}")
        .parse()
        .expect("valid template");
    env.endpoints.app = format!("https://app.{{domain}}:{port}")
        .parse()
        .expect("valid template");
    env.endpoints.http_port = topology.lb_http_port;
    env.tls.ca_pem = Some(started.ca_pem.clone());
    if config.variant == Some(Variant::Tls12Only) {
        // The environment asks for what the load balancer does not do.
        env.tls.min_version = netconform_model::environment::TlsVersion::V1_3;
    }
    // The zone is signed; wildcard answers are the exception hickory-server cannot prove, so
    // that variant's environment does not ask for DNSSEC.
    if config.variant != Some(Variant::WildcardOnly) {
        env.dns.dnssec = netconform_model::environment::DnssecMode::Validate;
        env.dns.trust_anchors = vec![started.trust_anchor.clone()];
    }
    env.health.timeout = HumanDuration::from_secs(1);
    env.health.interval = HumanDuration::from_millis(100);
    env.health.instance_header = Some(INSTANCE_HEADER.to_owned());
    env.health.zone_header = Some(ZONE_HEADER.to_owned());
    env.health.gzip_path = Some(GZIP_PATH.parse().expect("a valid path"));
    // A test bed: restarting it is what it is for.
    env.drain.enabled = true;
    env.drain.rate = Rate(100.0);
    env.drain.max_duration = HumanDuration::from_secs(60);
    env.drain.settle = HumanDuration::from_millis(500);
    env.drain.request_timeout = HumanDuration::from_secs(3);
    env
}
