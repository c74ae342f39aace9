//! The sandbox's authoritative DNS server (hickory-server): one zone, UDP and TCP on one
//! ephemeral port.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::rr::LowerName;
use hickory_proto::serialize::txt::Parser;
use hickory_server::Server;
use hickory_server::net::runtime::TokioRuntimeProvider;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneHandler, ZoneType};
use netconform_model::values::Domain;
use tokio::net::{TcpListener, UdpSocket};

use crate::{SandboxError, Variant};

/// The zone file text for the sandbox's domain.
pub(crate) fn zone(
    domain: &Domain,
    lb_ips: &[IpAddr],
    other_lb: IpAddr,
    ttl: u32,
    variant: Option<Variant>,
) -> String {
    let mut z = String::new();
    let _ = writeln!(z, "$ORIGIN {}", domain.name().fqdn());
    let _ = writeln!(z, "$TTL {ttl}");
    let _ = writeln!(z, "@ IN SOA ns1 hostmaster ( 1 3600 600 86400 {ttl} )");
    let _ = writeln!(z, "@ IN NS ns1");
    let _ = writeln!(z, "ns1 IN A 127.0.0.1");
    let _ = writeln!(z, "api IN CNAME lb");
    match variant {
        Some(Variant::NoAppRecord) => {}
        Some(Variant::WrongLoadBalancer) => {
            let _ = writeln!(z, "app IN CNAME other-lb");
        }
        _ => {
            let _ = writeln!(z, "app IN CNAME lb");
        }
    }
    for ip in lb_ips {
        let rtype = if ip.is_ipv4() { "A" } else { "AAAA" };
        let _ = writeln!(z, "lb IN {rtype} {ip}");
    }
    let rtype = if other_lb.is_ipv4() { "A" } else { "AAAA" };
    let _ = writeln!(z, "other-lb IN {rtype} {other_lb}");
    z
}

/// Serves `zone_text` on `ip`, UDP and TCP on one ephemeral port.
pub(crate) async fn serve(ip: IpAddr, zone_text: String) -> Result<SocketAddr, SandboxError> {
    let (origin, records) = Parser::new(zone_text, None, None)
        .parse()
        .map_err(|e| SandboxError::Dns(format!("parse the zone: {e}")))?;
    let handler = InMemoryZoneHandler::<TokioRuntimeProvider>::new(
        origin.clone(),
        records,
        ZoneType::Primary,
        AxfrPolicy::Deny,
    )
    .map_err(|e| SandboxError::Dns(format!("load the zone: {e}")))?;
    let mut catalog = Catalog::new();
    catalog.upsert(
        LowerName::from(origin),
        vec![Arc::new(handler) as Arc<dyn ZoneHandler>],
    );

    let mut last_err = None;
    for _ in 0..20 {
        let udp = UdpSocket::bind(SocketAddr::new(ip, 0))
            .await
            .map_err(|source| SandboxError::Bind {
                what: "the DNS server (UDP)",
                addr: SocketAddr::new(ip, 0),
                source,
            })?;
        let addr = udp.local_addr().map_err(SandboxError::Runtime)?;
        match TcpListener::bind(addr).await {
            Ok(tcp) => {
                let mut server = Server::new(catalog);
                server.register_socket(udp);
                server.register_listener(tcp, Duration::from_secs(5), 64);
                tokio::spawn(async move {
                    let _ = server.block_until_done().await;
                });
                return Ok(addr);
            }
            // Another process holds the TCP side of this port: take another.
            Err(e) => last_err = Some((addr, e)),
        }
    }
    let (addr, source) = last_err.expect("a failed attempt recorded its error");
    Err(SandboxError::Bind {
        what: "the DNS server (TCP)",
        addr,
        source,
    })
}
