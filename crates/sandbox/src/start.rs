//! The start sequence: the loopback addresses each part gets, the load balancer with its
//! certificate, the signed zone's authoritative servers, then the replicas in their zones
//! and the control endpoint.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::{
    SandboxConfig, SandboxError, Topology, Variant, ZONES, admin, balancer, dns, lb_name, rollout,
    tls,
};

/// The 127.0.0.x addresses the sandbox uses; when they cannot be bound (systems where only
/// 127.0.0.1 is up), everything shares 127.0.0.1 on distinct ports, with one DNS server and
/// one load balancer address.
const LB_IPS: [Ipv4Addr; 2] = [Ipv4Addr::new(127, 0, 0, 11), Ipv4Addr::new(127, 0, 0, 12)];
const OTHER_LB_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 13);
const ZONE_IPS: [Ipv4Addr; 2] = [Ipv4Addr::new(127, 0, 0, 21), Ipv4Addr::new(127, 0, 0, 22)];
const NS_IPS: [Ipv4Addr; 2] = [Ipv4Addr::new(127, 0, 0, 31), Ipv4Addr::new(127, 0, 0, 32)];

/// What starting the parts gives: the replicas' state, where everything listens, and what
/// clients must trust.
pub(crate) struct Started {
    pub(crate) state: Arc<rollout::State>,
    pub(crate) topology: Topology,
    pub(crate) ca_pem: String,
    pub(crate) trust_anchor: String,
}

pub(crate) async fn start_parts(config: SandboxConfig) -> Result<Started, SandboxError> {
    let addresses = Addresses::pick(&config).await;
    let (balancer, ports, ca_pem) = start_balancer(&config, &addresses.listen).await?;
    let (dns, trust_anchor) = start_dns(&config, &addresses).await?;
    let zone_addresses = zone_addresses(&config, addresses.zones);
    let state = Arc::new(rollout::State::new(
        balancer,
        zone_addresses.clone(),
        config.timing.clone(),
        config.variant,
    ));
    state.bring_up().await?;
    let admin = admin::serve(addresses.localhost, Arc::clone(&state)).await?;
    Ok(Started {
        state,
        topology: Topology {
            dns,
            lb_addresses: addresses.lb,
            lb_port: ports.https,
            lb_http_port: ports.http,
            zone_addresses,
            admin,
        },
        ca_pem,
        trust_anchor,
    })
}

/// The loopback addresses each part gets: aliases of 127.0.0.1 where the system routes them
/// (Linux does), else 127.0.0.1 for everything.
struct Addresses {
    localhost: IpAddr,
    /// The load balancer's published addresses (its A and AAAA records).
    lb: Vec<IpAddr>,
    /// Where the load balancer listens: some variants publish an address nothing listens on.
    listen: Vec<IpAddr>,
    zones: Vec<IpAddr>,
    ns: Vec<IpAddr>,
    /// Another load balancer's address, for the variants whose records lead elsewhere.
    other_lb: IpAddr,
}

impl Addresses {
    async fn pick(config: &SandboxConfig) -> Addresses {
        let aliases = TcpListener::bind((LB_IPS[0], 0)).await.is_ok();
        let ipv6 = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).await.is_ok();
        let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let v4 = |ips: &[Ipv4Addr]| ips.iter().copied().map(IpAddr::V4).collect::<Vec<_>>();
        let (mut lb, zones, ns, other_lb) = if aliases {
            (
                v4(&LB_IPS),
                v4(&ZONE_IPS),
                v4(&NS_IPS),
                IpAddr::V4(OTHER_LB_IP),
            )
        } else {
            (
                vec![localhost],
                vec![localhost; ZONES.len()],
                vec![localhost],
                localhost,
            )
        };
        // The load balancer listens on IPv6 loopback too, where there is one; the broken
        // variant publishes the AAAA record without the listener.
        let ipv6_lb = IpAddr::V6(Ipv6Addr::LOCALHOST);
        let mut listen = lb.clone();
        if ipv6 && config.variant != Some(Variant::AaaaWithoutListener) {
            listen.push(ipv6_lb);
        }
        if ipv6 || config.variant == Some(Variant::AaaaWithoutListener) {
            lb.push(ipv6_lb);
        }
        if config.variant == Some(Variant::OneAddressDown) && listen.len() > 1 {
            // Published in DNS, nothing listening: a dead load balancer node.
            listen.remove(1);
        }
        Addresses {
            localhost,
            lb,
            listen,
            zones,
            ns,
            other_lb,
        }
    }
}

/// The load balancer's ports, the same on every address.
struct Ports {
    https: u16,
    http: u16,
}

/// The load balancer on `listen`, HTTPS and plain HTTP, with its certificate from the test
/// CA; the CA's PEM is returned for clients to trust.
async fn start_balancer(
    config: &SandboxConfig,
    listen: &[IpAddr],
) -> Result<(balancer::Balancer, Ports, String), SandboxError> {
    let bind_tcp = async |a| TcpListener::bind(a).await;
    let port_of = |l: &TcpListener| l.local_addr().map(|a| a.port());
    let https = bind_same_port("the load balancer (HTTPS)", listen, bind_tcp, port_of).await?;
    let http = bind_same_port("the load balancer (HTTP)", listen, bind_tcp, port_of).await?;
    let ports = Ports {
        https: port_of(&https[0]).map_err(SandboxError::Runtime)?,
        http: port_of(&http[0]).map_err(SandboxError::Runtime)?,
    };
    let tls = tls::issue(&config.domain, config.variant)?;
    let front = balancer::Front {
        tls: tls.acceptor,
        https_port: ports.https,
        redirect: config.variant != Some(Variant::NoHttpRedirect),
        strip_encoding: config.variant == Some(Variant::StripsGzip),
        pass_through: config.pass_through || config.variant == Some(Variant::KeepaliveLeak),
    };
    let mut health_check = config.timing.health_check.clone();
    health_check.tcp_only = config.variant == Some(Variant::NewBeforeReady);
    let balancer = balancer::Balancer::start(
        https,
        http,
        front,
        health_check,
        config.timing.backend_timeout,
    );
    Ok((balancer, ports, tls.ca_pem))
}

/// The zone's authoritative servers, one per name server address, serving the signed zone
/// (as the variant breaks it); their addresses and the trust anchor clients are given.
async fn start_dns(
    config: &SandboxConfig,
    addresses: &Addresses,
) -> Result<(Vec<SocketAddr>, String), SandboxError> {
    let spec = dns::ZoneSpec {
        domain: &config.domain,
        ns_ips: &addresses.ns,
        lb_ips: &addresses.lb,
        other_lb: addresses.other_lb,
        ttl: config.timing.dns_ttl,
        variant: config.variant,
    };
    let app = config
        .domain
        .name()
        .child(netconform_model::guide::APP_RECORD_LABEL);
    let faults = dns::Faults::for_variant(config.variant, &app, config.timing.dns_timeout * 3);
    let sockets = bind_same_port(
        "the DNS servers",
        &addresses.ns,
        async |a| dns::Sockets::bind(a.ip(), a.port()).await,
        |s| s.addr().map(|a| a.port()),
    )
    .await?;
    // The zone is signed; the environment trusts its key (the broken variant trusts another).
    let zone_key = dns::ZoneKey::generate()?;
    let trust_anchor = if config.variant == Some(Variant::DnssecBogus) {
        dns::ZoneKey::generate()?.trust_anchor(&config.domain, config.timing.dns_ttl)?
    } else {
        zone_key.trust_anchor(&config.domain, config.timing.dns_ttl)?
    };
    let mut dns = Vec::new();
    let mut zones = Vec::new();
    for (i, sockets) in sockets.into_iter().enumerate() {
        let stale = i > 0 && config.variant == Some(Variant::AuthoritativeMismatch);
        let zone = dns::load(&dns::zone(&spec, stale), Some(&zone_key))?;
        dns.push(sockets.addr().map_err(SandboxError::Runtime)?);
        dns::serve(sockets, Arc::clone(&zone), faults.clone());
        zones.push(zone);
    }
    if config.variant == Some(Variant::LateAppRecord) {
        let (delay, lb, ttl) = (
            config.timing.late_record_after,
            lb_name(&config.domain),
            config.timing.dns_ttl,
        );
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            for zone in &zones {
                dns::add_cname(zone, &app, &lb, ttl).await;
            }
        });
    }
    Ok((dns, trust_anchor))
}

/// Each zone's name and the address its replicas bind; the broken variant puts every
/// replica where the first one is: a deployment that lost its spread.
fn zone_addresses(config: &SandboxConfig, zone_ips: Vec<IpAddr>) -> Vec<(String, IpAddr)> {
    let mut zone_addresses: Vec<(String, IpAddr)> = ZONES
        .iter()
        .map(|z| (*z).to_owned())
        .zip(zone_ips)
        .collect();
    if config.variant == Some(Variant::SingleZone) {
        let first = zone_addresses[0].clone();
        zone_addresses.fill(first);
    }
    zone_addresses
}

/// Binds every address on one port (the port of the first, ephemeral), retrying when another
/// process holds that port on a later address.
async fn bind_same_port<T>(
    what: &'static str,
    ips: &[IpAddr],
    bind: impl AsyncFn(SocketAddr) -> std::io::Result<T>,
    port_of: impl Fn(&T) -> std::io::Result<u16>,
) -> Result<Vec<T>, SandboxError> {
    let mut last_err = None;
    for _ in 0..20 {
        let first_addr = SocketAddr::new(ips[0], 0);
        let first = bind(first_addr)
            .await
            .map_err(|source| SandboxError::Bind {
                what,
                addr: first_addr,
                source,
            })?;
        let port = port_of(&first).map_err(SandboxError::Runtime)?;
        let mut bound = vec![first];
        for ip in &ips[1..] {
            let addr = SocketAddr::new(*ip, port);
            match bind(addr).await {
                Ok(b) => bound.push(b),
                Err(e) => {
                    last_err = Some((addr, e));
                    break;
                }
            }
        }
        if bound.len() == ips.len() {
            return Ok(bound);
        }
    }
    let (addr, source) = last_err.expect("a failed attempt recorded its error");
    Err(SandboxError::Bind { what, addr, source })
}
