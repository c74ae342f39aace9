//! Name resolution through the configured resolver (hickory-resolver), or the system's.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::RecordType;
use hickory_resolver::{Resolver as HickoryResolver, TokioResolver};
use netconform_model::environment::DnsSettings;
use netconform_model::values::Nameserver;

pub use hickory_resolver::lookup::Lookup as RawLookup;
pub use hickory_resolver::proto::rr::{RData, Record, RecordType as Type};

/// Why a resolver could not be built. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
#[error("set up the resolver ({servers}): {source}")]
pub struct ResolverError {
    servers: String,
    source: NetError,
}

/// Whether answers are cached (honouring their TTLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Every lookup asks the server: what DNS checks want.
    Off,
    /// Answers are reused until their TTL runs out: what an HTTP client does.
    On,
}

/// A resolver: one or more servers asked as a set, or the system's.
#[derive(Clone)]
pub struct Resolver {
    inner: TokioResolver,
    servers: String,
    timeout: Duration,
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("servers", &self.servers)
            .finish()
    }
}

/// Why a lookup found no address. Displays as the fragment an operator reads in a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupFailure {
    /// The name does not exist.
    NxDomain,
    /// The name exists, with no record of the type asked.
    NoData(String),
    /// The server answered with an error code (SERVFAIL, REFUSED, ...).
    ServerError(String),
    /// No answer within the timeout.
    Timeout(Duration),
    /// Anything else (network error, malformed answer).
    Other(String),
}

impl fmt::Display for LookupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupFailure::NxDomain => f.write_str("NXDOMAIN (the name does not exist)"),
            LookupFailure::NoData(rtype) => write!(f, "no {rtype} records (NODATA)"),
            LookupFailure::ServerError(code) => write!(f, "the server answered {code}"),
            LookupFailure::Timeout(t) => write!(
                f,
                "no answer within {}",
                netconform_model::HumanDuration(*t)
            ),
            LookupFailure::Other(e) => write!(f, "{e}"),
        }
    }
}

impl LookupFailure {
    fn from_error(e: &NetError, rtype: RecordType, timeout: Duration) -> LookupFailure {
        match e {
            NetError::Dns(DnsError::NoRecordsFound(nr))
                if nr.response_code == ResponseCode::NXDomain =>
            {
                LookupFailure::NxDomain
            }
            NetError::Dns(DnsError::NoRecordsFound(_)) => LookupFailure::NoData(rtype.to_string()),
            NetError::Dns(DnsError::ResponseCode(code)) => {
                LookupFailure::ServerError(rcode_name(u16::from(*code)))
            }
            NetError::Timeout => LookupFailure::Timeout(timeout),
            other => LookupFailure::Other(other.to_string()),
        }
    }
}

impl Resolver {
    /// The resolver an environment's checks use: its `dns.nameservers` as one set, or the
    /// system resolver when there are none.
    pub fn for_environment(dns: &DnsSettings, caching: Caching) -> Result<Resolver, ResolverError> {
        if dns.nameservers.is_empty() {
            Resolver::system(dns.timeout.get(), caching)
        } else {
            Resolver::with_servers(&dns.nameservers, dns.timeout.get(), caching)
        }
    }

    /// A resolver that asks only these servers, over UDP with TCP fallback.
    pub fn with_servers(
        servers: &[Nameserver],
        timeout: Duration,
        caching: Caching,
    ) -> Result<Resolver, ResolverError> {
        let name_servers = servers
            .iter()
            .map(|ns| {
                let conns = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                    .into_iter()
                    .map(|mut c| {
                        c.port = ns.0.port();
                        c
                    })
                    .collect();
                NameServerConfig::new(ns.0.ip(), true, conns)
            })
            .collect();
        let config = ResolverConfig::from_parts(None, vec![], name_servers);
        let label = servers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        Resolver::build(config, options(timeout, caching), label, timeout)
    }

    /// The system resolver (`/etc/resolv.conf`).
    pub fn system(timeout: Duration, caching: Caching) -> Result<Resolver, ResolverError> {
        let (config, _) =
            hickory_resolver::system_conf::read_system_conf().map_err(|source| ResolverError {
                servers: "system resolver, /etc/resolv.conf".into(),
                source,
            })?;
        let mut opts = options(timeout, caching);
        // The system's hosts file is part of what the system resolver answers.
        opts.use_hosts_file = ResolveHosts::Auto;
        Resolver::build(config, opts, "system resolver".into(), timeout)
    }

    fn build(
        config: ResolverConfig,
        opts: ResolverOpts,
        servers: String,
        timeout: Duration,
    ) -> Result<Resolver, ResolverError> {
        let inner = HickoryResolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .build()
            .map_err(|source| ResolverError {
                servers: servers.clone(),
                source,
            })?;
        Ok(Resolver {
            inner,
            servers,
            timeout,
        })
    }

    /// Who this resolver asks, for evidence: "127.0.0.1:5353" or "system resolver".
    pub fn servers(&self) -> &str {
        &self.servers
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// One typed lookup; the answers keep the whole CNAME chain.
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> Result<Lookup, LookupFailure> {
        let fqdn = fqdn(name);
        self.inner
            .lookup(fqdn.as_str(), rtype)
            .await
            .map_err(|e| LookupFailure::from_error(&e, rtype, self.timeout))
    }

    /// Every address of `name` (A and AAAA), IPv4 first.
    pub async fn lookup_ips(&self, name: &str) -> Result<Vec<IpAddr>, LookupFailure> {
        if let Ok(ip) = name.parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let fqdn = fqdn(name);
        let found = self
            .inner
            .lookup_ip(fqdn.as_str())
            .await
            .map_err(|e| LookupFailure::from_error(&e, RecordType::A, self.timeout))?;
        let mut ips: Vec<IpAddr> = found.iter().collect();
        ips.sort_by_key(|ip| (ip.is_ipv6(), *ip));
        ips.dedup();
        Ok(ips)
    }
}

/// The mnemonic of a DNS response code, as dig prints it: "NXDOMAIN", "SERVFAIL".
pub fn rcode_name(code: u16) -> String {
    match code {
        0 => "NOERROR".into(),
        1 => "FORMERR".into(),
        2 => "SERVFAIL".into(),
        3 => "NXDOMAIN".into(),
        4 => "NOTIMP".into(),
        5 => "REFUSED".into(),
        other => format!("RCODE{other}"),
    }
}

/// The system resolver's servers (`/etc/resolv.conf`), as `ip:port`.
pub fn system_nameservers() -> Result<Vec<std::net::SocketAddr>, ResolverError> {
    let (config, _) =
        hickory_resolver::system_conf::read_system_conf().map_err(|source| ResolverError {
            servers: "system resolver, /etc/resolv.conf".into(),
            source,
        })?;
    let mut servers = Vec::new();
    for ns in config.name_servers() {
        let port = ns.connections.first().map_or(53, |c| c.port);
        let addr = std::net::SocketAddr::new(ns.ip, port);
        if !servers.contains(&addr) {
            servers.push(addr);
        }
    }
    Ok(servers)
}

fn options(timeout: Duration, caching: Caching) -> ResolverOpts {
    let mut opts = ResolverOpts::default();
    opts.timeout = timeout;
    // `attempts` counts retries after the first try: one try, so a timeout means one timeout.
    opts.attempts = 0;
    opts.preserve_intermediates = true;
    opts.use_hosts_file = ResolveHosts::Never;
    opts.ndots = 0;
    if caching == Caching::Off {
        opts.cache_size = 0;
    }
    opts
}

/// `name.` (absolute), so search domains never apply.
fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}
