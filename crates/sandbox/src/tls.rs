//! The sandbox's certificates: a CA of its own (netconform-replica's) and the load balancer's
//! certificate for api and app, broken on purpose by some variants.

use std::sync::Arc;

use netconform_model::values::Domain;
use netconform_replica::ca;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::{SandboxError, Variant};

/// The protocol versions of the `tls12-only` variant.
static TLS12_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];

/// The load balancer's TLS: its acceptor and the CA that signed its certificate.
pub(crate) struct Tls {
    pub(crate) acceptor: TlsAcceptor,
    /// The CA certificate, PEM: what clients must trust.
    pub(crate) ca_pem: String,
}

fn err(what: &str, e: impl std::fmt::Display) -> SandboxError {
    SandboxError::Tls(format!("{what}: {e}"))
}

/// A CA and a certificate for `api.{domain}`, `app.{domain}` and the load balancer's name,
/// valid from yesterday for 90 days, or as the variant breaks it.
pub(crate) fn issue(domain: &Domain, variant: Option<Variant>) -> Result<Tls, SandboxError> {
    let name = |label: &str| domain.name().child(label).to_string();
    let mut names = vec![name("api"), name("lb")];
    if variant != Some(Variant::CertMissingAppSan) {
        names.push(name("app"));
    }
    let issued = ca::issue(&ca::Request {
        ca_name: "netconform sandbox CA".into(),
        ca_valid: (-365, 3650),
        names,
        leaf_valid: if variant == Some(Variant::ExpiredCert) {
            (-90, -1)
        } else {
            (-1, 90)
        },
    })
    .map_err(|e| SandboxError::Tls(e.to_string()))?;

    let chain: Vec<CertificateDer<'static>> = vec![
        CertificateDer::from(issued.leaf_der),
        CertificateDer::from(issued.ca_der),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(issued.key_der));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(if variant == Some(Variant::Tls12Only) {
        TLS12_ONLY
    } else {
        rustls::DEFAULT_VERSIONS
    })
    .map_err(|e| err("configure TLS", e))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|e| err("load the server certificate", e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_pem: issued.ca_pem,
    })
}
