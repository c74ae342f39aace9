//! TLS inspection: one handshake with one address, recording the chain the server sent, what
//! the verifier thought of it, and the version negotiated, even when verification fails.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use netconform_model::FailureKind;
use netconform_model::evidence::http::{CertificateInfo, TlsReport};
use netconform_net::failure::{self, Stage};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use x509_parser::extensions::GeneralName;

use crate::request::ProbeError;

/// The chain a server sent and the real verifier's verdict on it.
type Seen = (Vec<CertificateDer<'static>>, Result<(), rustls::Error>);

/// Passes every chain to the real verifier, keeps its verdict and the chain, and lets the
/// handshake go on so the version can be seen. Signatures are still checked.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Mutex<Option<Seen>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        *self.seen.lock().expect("verifier lock") = Some((chain, verdict));
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// What a certificate says, `now` being the Unix time.
pub fn certificate_info(der: &[u8], now: i64) -> Option<CertificateInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let sans = match cert.subject_alternative_name() {
        Ok(Some(ext)) => ext
            .value
            .general_names
            .iter()
            .filter_map(|n| match n {
                GeneralName::DNSName(name) => Some((*name).to_owned()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let validity = cert.validity();
    Some(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before: rfc3339(validity.not_before.timestamp()),
        not_after: rfc3339(validity.not_after.timestamp()),
        days_left: (validity.not_after.timestamp() - now).div_euclid(86_400),
    })
}

/// Unix seconds as RFC 3339 in UTC, as the evidence says its times (before the epoch: the
/// epoch, which no certificate a client accepts carries).
fn rfc3339(unix: i64) -> String {
    let at =
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(unix).unwrap_or(0));
    netconform_model::dates::rfc3339_utc(at)
}

/// Shakes hands with `ip:port` as `host`, trusting `extra_roots` beside the system's.
pub async fn inspect(
    host: &str,
    ip: IpAddr,
    port: u16,
    extra_roots: &[CertificateDer<'static>],
    timeout: Duration,
) -> Result<TlsReport, ProbeError> {
    let addr = SocketAddr::new(ip, port);
    let recording = Arc::new(Recording {
        inner: netconform_net::tls::verifier(extra_roots)?,
        seen: Mutex::new(None),
    });
    let config = netconform_net::tls::client_config_with(
        &[b"http/1.1"],
        Arc::clone(&recording) as Arc<dyn ServerCertVerifier>,
    )?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let mut report = TlsReport {
        host: host.to_owned(),
        address: Some(addr),
        ..TlsReport::default()
    };
    let started = Instant::now();
    let handshake = async {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("{}: {e}", failure::io(&e, Stage::Connect)))?;
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| format!("{host} is not a TLS name: {e}"))?;
        connector
            .connect(name, stream)
            .await
            .map_err(|e| format!("{}: {e}", failure::io(&e, Stage::Exchange)))
    };
    match tokio::time::timeout(timeout, handshake).await {
        Ok(Ok(stream)) => {
            let (_, conn) = stream.get_ref();
            report.version = conn.protocol_version().map(|v| match v {
                rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".to_owned(),
                rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".to_owned(),
                other => format!("{other:?}"),
            });
            report.cipher_suite = conn
                .negotiated_cipher_suite()
                .map(|c| format!("{:?}", c.suite()));
        }
        Ok(Err(e)) => report.problem = Some(e),
        Err(_) => report.problem = Some(format!("timeout: no TLS handshake within {timeout:?}")),
    }
    report.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
    .unwrap_or(i64::MAX);
    if let Some((chain, verdict)) = recording.seen.lock().expect("verifier lock").take() {
        report.certificates = chain
            .iter()
            .filter_map(|c| certificate_info(c, now))
            .collect();
        match verdict {
            Ok(()) => report.verified = report.problem.is_none(),
            Err(e) => {
                let kind = FailureKind::Tls(failure::tls_failure(&e));
                report.problem = Some(format!("{kind}: {e}"));
            }
        }
    }
    Ok(report)
}
