//! The reference deployments' CA: a CA certificate of its own and one server certificate it signs, for the
//! sandbox's load balancer (rustls) and the test bed's (HAProxy). Both trust only this CA,
//! which a run passes to the probes as `tls.ca_pem`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use time::{Duration, OffsetDateTime};

/// What to issue. Validity is relative to now, so a certificate can be made expired on
/// purpose (`leaf_valid` entirely in the past).
#[derive(Debug, Clone)]
pub struct Request {
    /// The CA's common name.
    pub ca_name: String,
    /// The CA's validity, in days from now (negative is in the past).
    pub ca_valid: (i64, i64),
    /// The server certificate's subject alternative names; the first is also its common name.
    pub names: Vec<String>,
    /// The server certificate's validity, in days from now (negative is in the past).
    pub leaf_valid: (i64, i64),
}

/// What was issued, in PEM and DER.
pub struct Issued {
    /// The CA certificate: what clients must trust.
    pub ca_pem: String,
    pub ca_der: Vec<u8>,
    /// The server certificate.
    pub leaf_pem: String,
    pub leaf_der: Vec<u8>,
    /// The server's private key, PKCS#8.
    pub key_pem: String,
    pub key_der: Vec<u8>,
}

impl Issued {
    /// The one-file form HAProxy's `crt` reads: certificate, chain, key.
    pub fn haproxy_pem(&self) -> String {
        format!("{}{}{}", self.leaf_pem, self.ca_pem, self.key_pem)
    }
}

/// Why issuing failed: which step, and rcgen's reason.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn err(what: &str, e: impl std::fmt::Display) -> Error {
    Error(format!("{what}: {e}"))
}

/// Issues a CA and a server certificate for `request.names`, signed by it.
pub fn issue(request: &Request) -> Result<Issued, Error> {
    let now = OffsetDateTime::now_utc();
    let days = |d: i64| now + Duration::days(d);
    let ca_key = KeyPair::generate().map_err(|e| err("generate the CA key", e))?;
    let mut ca =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| err("describe the CA", e))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, request.ca_name.as_str());
    ca.not_before = days(request.ca_valid.0);
    ca.not_after = days(request.ca_valid.1);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| err("sign the CA", e))?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let key = KeyPair::generate().map_err(|e| err("generate the server key", e))?;
    let common_name = request.names.first().cloned().unwrap_or_default();
    let mut leaf = CertificateParams::new(request.names.clone())
        .map_err(|e| err("describe the server certificate", e))?;
    leaf.distinguished_name
        .push(DnType::CommonName, common_name);
    leaf.not_before = days(request.leaf_valid.0);
    leaf.not_after = days(request.leaf_valid.1);
    let leaf_cert = leaf
        .signed_by(&key, &issuer)
        .map_err(|e| err("sign the server certificate", e))?;
    Ok(Issued {
        ca_pem: ca_cert.pem(),
        ca_der: ca_cert.der().to_vec(),
        leaf_pem: leaf_cert.pem(),
        leaf_der: leaf_cert.der().to_vec(),
        key_pem: key.serialize_pem(),
        key_der: key.serialize_der(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_certificate_is_signed_by_the_ca_and_names_every_name() {
        let issued = issue(&Request {
            ca_name: "test CA".into(),
            ca_valid: (-1, 365),
            names: vec!["api.example.test".into(), "app.example.test".into()],
            leaf_valid: (-1, 90),
        })
        .unwrap();
        assert!(issued.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(issued.key_pem.contains("PRIVATE KEY"));
        let pem = issued.haproxy_pem();
        assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 2);
        // The names are in the DER as written (IA5String SANs).
        let der = &issued.leaf_der;
        for name in ["api.example.test", "app.example.test"] {
            assert!(
                der.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name}"
            );
        }
        // Issued by the CA: its name is the server certificate's issuer.
        assert!(der.windows(7).any(|w| w == b"test CA"));
        assert_ne!(issued.ca_der, issued.leaf_der);
    }
}
