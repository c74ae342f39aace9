//! The bed's certificates: a CA of its own and HAProxy's certificate for api, app and the load
//! balancer's name, in the one-file form HAProxy's `crt` reads (certificate, chain, key).

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use time::{Duration, OffsetDateTime};

use crate::TestbedError;

pub(crate) struct Certs {
    /// The CA certificate: what clients must trust.
    pub(crate) ca_pem: String,
    /// HAProxy's `crt` file.
    pub(crate) haproxy_pem: String,
}

fn err(what: &str, e: impl std::fmt::Display) -> TestbedError {
    TestbedError::Tls(format!("{what}: {e}"))
}

/// A CA and a certificate for `names`, valid from yesterday for 90 days.
pub(crate) fn issue(names: Vec<String>) -> Result<Certs, TestbedError> {
    let now = OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().map_err(|e| err("generate the CA key", e))?;
    let mut ca =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| err("describe the CA", e))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "netconform test bed CA");
    ca.not_before = now - Duration::days(1);
    ca.not_after = now + Duration::days(365);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| err("sign the CA", e))?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let key = KeyPair::generate().map_err(|e| err("generate the server key", e))?;
    let common_name = names.first().cloned().unwrap_or_default();
    let mut leaf =
        CertificateParams::new(names).map_err(|e| err("describe the server certificate", e))?;
    leaf.distinguished_name
        .push(DnType::CommonName, common_name);
    leaf.not_before = now - Duration::days(1);
    leaf.not_after = now + Duration::days(90);
    let leaf_cert = leaf
        .signed_by(&key, &issuer)
        .map_err(|e| err("sign the server certificate", e))?;
    Ok(Certs {
        ca_pem: ca_cert.pem(),
        haproxy_pem: format!(
            "{}{}{}",
            leaf_cert.pem(),
            ca_cert.pem(),
            key.serialize_pem()
        ),
    })
}
