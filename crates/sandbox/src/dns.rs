//! The sandbox's authoritative DNS servers (hickory-server): two servers for one zone, ns1 and
//! ns2, each UDP and TCP on one port, with faults injected per name for the broken variants.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::dnssec::crypto::EcdsaSigningKey;
use hickory_proto::dnssec::rdata::DNSKEY;
use hickory_proto::dnssec::{Algorithm, DnssecSigner, SigningKey as _};
use hickory_proto::op::{Header, Metadata, ResponseCode};
use hickory_proto::rr::LowerName;
use hickory_proto::serialize::txt::Parser;
use hickory_server::Server;
use hickory_server::dnssec::NxProofKind;
use hickory_server::net::runtime::{Time, TokioRuntimeProvider};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{
    AxfrPolicy, Catalog, DnssecZoneHandler as _, MessageResponseBuilder, ZoneHandler, ZoneType,
};
use netconform_model::values::{DnsName, Domain};
use tokio::net::{TcpListener, UdpSocket};

use crate::{SandboxError, Variant};

/// The zone's serial on a current server.
pub(crate) const SERIAL: u32 = 2026010200;
/// The serial of the stale copy the `authoritative-mismatch` variant serves from ns2.
pub(crate) const STALE_SERIAL: u32 = 2026010100;

/// What the zone holds.
pub(crate) struct ZoneSpec<'a> {
    pub(crate) domain: &'a Domain,
    pub(crate) ns_ips: &'a [IpAddr],
    pub(crate) lb_ips: &'a [IpAddr],
    pub(crate) other_lb: IpAddr,
    pub(crate) ttl: u32,
    pub(crate) variant: Option<Variant>,
}

fn rtype(ip: &IpAddr) -> &'static str {
    if ip.is_ipv4() { "A" } else { "AAAA" }
}

/// The zone file text; `stale` gives the older copy the `authoritative-mismatch` variant's
/// ns2 still serves.
pub(crate) fn zone(spec: &ZoneSpec<'_>, stale: bool) -> String {
    let ttl = spec.ttl;
    let mut z = String::new();
    let _ = writeln!(z, "$ORIGIN {}", spec.domain.name().fqdn());
    let _ = writeln!(z, "$TTL {ttl}");
    let serial = if stale { STALE_SERIAL } else { SERIAL };
    let _ = writeln!(
        z,
        "@ IN SOA ns1 hostmaster ( {serial} 3600 600 86400 {ttl} )"
    );
    for (i, ip) in spec.ns_ips.iter().enumerate() {
        let _ = writeln!(z, "@ IN NS ns{n}\nns{n} IN {} {ip}", rtype(ip), n = i + 1);
    }
    let record_ttl = if spec.variant == Some(Variant::LongTtl) {
        3600
    } else {
        ttl
    };
    let app_ttl = if stale { ttl / 2 } else { record_ttl };
    match spec.variant {
        Some(Variant::WildcardOnly) => {
            let _ = writeln!(z, "* {record_ttl} IN CNAME lb");
        }
        _ => {
            let _ = writeln!(z, "api {record_ttl} IN CNAME lb");
        }
    }
    match spec.variant {
        Some(Variant::NoAppRecord | Variant::WildcardOnly | Variant::LateAppRecord) => {}
        Some(Variant::WrongLoadBalancer) => {
            let _ = writeln!(z, "app {app_ttl} IN CNAME other-lb");
        }
        Some(Variant::DanglingCname) => {
            let _ = writeln!(z, "app {app_ttl} IN CNAME deleted-lb");
        }
        _ => {
            let _ = writeln!(z, "app {app_ttl} IN CNAME lb");
        }
    }
    for ip in spec.lb_ips {
        let _ = writeln!(z, "lb IN {} {ip}", rtype(ip));
    }
    let _ = writeln!(z, "other-lb IN {} {}", rtype(&spec.other_lb), spec.other_lb);
    // The other balancer is dual-stack like ours: only its name and IPv4 address differ.
    for ip in spec.lb_ips.iter().filter(|ip| ip.is_ipv6()) {
        let _ = writeln!(z, "other-lb IN AAAA {ip}");
    }
    z
}

/// Faults a server injects for some names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    /// Names answered SERVFAIL.
    pub(crate) servfail: HashSet<LowerName>,
    /// Names answered only after this long.
    pub(crate) slow: Option<(HashSet<LowerName>, Duration)>,
}

impl Faults {
    pub(crate) fn for_variant(
        variant: Option<Variant>,
        app: &DnsName,
        slow_by: Duration,
    ) -> Faults {
        let app = lower(app);
        match variant {
            Some(Variant::Servfail) => Faults {
                servfail: HashSet::from([app]),
                slow: None,
            },
            Some(Variant::SlowDns) => Faults {
                servfail: HashSet::new(),
                slow: Some((HashSet::from([app]), slow_by)),
            },
            _ => Faults::default(),
        }
    }
}

fn lower(name: &DnsName) -> LowerName {
    LowerName::from(hickory_proto::rr::Name::from_ascii(name.fqdn()).expect("a valid DNS name"))
}

/// The zone's catalog, wrapped to inject faults.
struct FaultyCatalog {
    catalog: Catalog,
    faults: Faults,
}

#[async_trait::async_trait]
impl RequestHandler for FaultyCatalog {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response: R,
    ) -> ResponseInfo {
        let name = request.queries.queries().first().map(|q| q.name().clone());
        if let Some(name) = &name {
            if self.faults.servfail.contains(name) {
                let message = MessageResponseBuilder::from_message_request(request)
                    .error_msg(&request.metadata, ResponseCode::ServFail);
                return match response.send_response(message).await {
                    Ok(info) => info,
                    Err(_) => {
                        let mut metadata = Metadata::response_from_request(&request.metadata);
                        metadata.response_code = ResponseCode::ServFail;
                        ResponseInfo::from(Header {
                            metadata,
                            counts: Default::default(),
                        })
                    }
                };
            }
            if let Some((names, delay)) = &self.faults.slow
                && names.contains(name)
            {
                tokio::time::sleep(*delay).await;
            }
        }
        self.catalog.handle_request::<R, T>(request, response).await
    }
}

/// A zone loaded for serving, kept to change records live.
pub(crate) type Zone = Arc<InMemoryZoneHandler<TokioRuntimeProvider>>;

pub(crate) fn load(zone_text: &str, key: Option<&ZoneKey>) -> Result<Zone, SandboxError> {
    let (origin, records) = Parser::new(zone_text, None, None)
        .parse()
        .map_err(|e| SandboxError::Dns(format!("parse the zone: {e}")))?;
    let mut handler = InMemoryZoneHandler::<TokioRuntimeProvider>::new(
        origin.clone(),
        records,
        ZoneType::Primary,
        AxfrPolicy::Deny,
        Some(NxProofKind::Nsec),
    )
    .map_err(|e| SandboxError::Dns(format!("load the zone: {e}")))?;
    if let Some(key) = key {
        handler
            .add_zone_signing_key_mut(key.signer(origin)?)
            .map_err(|e| SandboxError::Dns(format!("add the signing key: {e}")))?;
        handler
            .secure_zone_mut()
            .map_err(|e| SandboxError::Dns(format!("sign the zone: {e}")))?;
    }
    Ok(Arc::new(handler))
}

/// The zone's DNSSEC signing key (ECDSA P-256), kept as PKCS#8 to sign several copies.
pub(crate) struct ZoneKey {
    pkcs8: Vec<u8>,
}

impl ZoneKey {
    pub(crate) fn generate() -> Result<ZoneKey, SandboxError> {
        let pkcs8 = EcdsaSigningKey::generate_pkcs8(Algorithm::ECDSAP256SHA256)
            .map_err(|e| SandboxError::Dns(format!("generate a DNSSEC key: {e}")))?;
        Ok(ZoneKey {
            pkcs8: pkcs8.secret_pkcs8_der().to_vec(),
        })
    }

    fn key(&self) -> Result<EcdsaSigningKey, SandboxError> {
        let der = rustls::pki_types::PrivatePkcs8KeyDer::from(self.pkcs8.clone());
        EcdsaSigningKey::from_pkcs8(&der, Algorithm::ECDSAP256SHA256)
            .map_err(|e| SandboxError::Dns(format!("load the DNSSEC key: {e}")))
    }

    fn signer(&self, origin: hickory_proto::rr::Name) -> Result<DnssecSigner, SandboxError> {
        let key = self.key()?;
        let public = key
            .to_public_key()
            .map_err(|e| SandboxError::Dns(format!("read the DNSSEC public key: {e}")))?;
        Ok(DnssecSigner::new(
            DNSKEY::from_key(&public),
            Box::new(key),
            origin,
            Duration::from_secs(7 * 24 * 3600),
        ))
    }

    /// The key as a trust anchor: `zone. ttl IN DNSKEY ...`.
    pub(crate) fn trust_anchor(&self, domain: &Domain, ttl: u32) -> Result<String, SandboxError> {
        let public = self
            .key()?
            .to_public_key()
            .map_err(|e| SandboxError::Dns(format!("read the DNSSEC public key: {e}")))?;
        Ok(format!(
            "{} {ttl} IN DNSKEY {}",
            domain.name().fqdn(),
            DNSKEY::from_key(&public)
        ))
    }
}

/// A DNS server's sockets: UDP and TCP on one address.
pub(crate) struct Sockets {
    udp: UdpSocket,
    tcp: TcpListener,
}

impl Sockets {
    /// Binds UDP and TCP on `ip:port`. Port 0: one the system picks for UDP, taken for TCP
    /// too, another one tried when another process holds it on TCP.
    pub(crate) async fn bind(ip: IpAddr, port: u16) -> std::io::Result<Sockets> {
        let mut attempts = if port == 0 { 20 } else { 1 };
        loop {
            let udp = UdpSocket::bind(SocketAddr::new(ip, port)).await?;
            match TcpListener::bind(udp.local_addr()?).await {
                Ok(tcp) => return Ok(Sockets { udp, tcp }),
                Err(e) if attempts <= 1 => return Err(e),
                Err(_) => attempts -= 1,
            }
        }
    }

    pub(crate) fn addr(&self) -> std::io::Result<SocketAddr> {
        self.udp.local_addr()
    }
}

/// Serves `zone` on `sockets` until the runtime stops.
pub(crate) fn serve(sockets: Sockets, zone: Zone, faults: Faults) {
    let mut catalog = Catalog::new();
    catalog.upsert(zone.origin().clone(), vec![zone as Arc<dyn ZoneHandler>]);
    let mut server = Server::new(FaultyCatalog { catalog, faults });
    server.register_socket(sockets.udp);
    server.register_listener(sockets.tcp, Duration::from_secs(5), 64);
    tokio::spawn(async move {
        let _ = server.block_until_done().await;
    });
}

/// Adds `name CNAME target` to a served zone.
pub(crate) async fn add_cname(zone: &Zone, name: &DnsName, target: &DnsName, ttl: u32) {
    use hickory_proto::rr::{Name, RData, Record, rdata::CNAME};
    let owner = Name::from_ascii(name.fqdn()).expect("a valid DNS name");
    let target = Name::from_ascii(target.fqdn()).expect("a valid DNS name");
    let serial = zone.serial().await + 1;
    zone.upsert(
        Record::from_rdata(owner, ttl, RData::CNAME(CNAME(target))),
        serial,
    )
    .await;
    // Signed zones sign the new record too (a zone without a key has nothing to do).
    let _ = zone.secure_zone().await;
}
