//! The sandbox's certificates: a CA of its own (rcgen) and the load balancer's certificate for
//! api and app, broken on purpose by some variants.

use std::sync::Arc;

use netconform_model::values::Domain;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
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
    let now = OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().map_err(|e| err("generate the CA key", e))?;
    let mut ca =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| err("describe the CA", e))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "netconform sandbox CA");
    ca.not_before = now - Duration::days(365);
    ca.not_after = now + Duration::days(3650);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| err("sign the CA", e))?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let name = |label: &str| domain.name().child(label).to_string();
    let mut names = vec![name("api"), name("lb")];
    if variant != Some(Variant::CertMissingAppSan) {
        names.push(name("app"));
    }
    let key = KeyPair::generate().map_err(|e| err("generate the server key", e))?;
    let mut leaf =
        CertificateParams::new(names).map_err(|e| err("describe the server certificate", e))?;
    leaf.distinguished_name
        .push(DnType::CommonName, name("api"));
    if variant == Some(Variant::ExpiredCert) {
        leaf.not_before = now - Duration::days(90);
        leaf.not_after = now - Duration::days(1);
    } else {
        leaf.not_before = now - Duration::days(1);
        leaf.not_after = now + Duration::days(90);
    }
    let leaf_cert = leaf
        .signed_by(&key, &issuer)
        .map_err(|e| err("sign the server certificate", e))?;

    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
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
        ca_pem: ca_cert.pem(),
    })
}
