//! Classification of failed requests: every failure gets a class an operator can act on.

use std::error::Error;

use rustls::{AlertDescription, CertificateError};

/// Every error in `e`'s source chain, looking inside I/O errors too.
fn sources<'a>(e: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        all.push(err);
        next = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn Error + 'static)),
            None => err.source(),
        };
    }
    all
}

/// The class of a TLS failure: "tls-expired", "tls-wrong-host", "tls-unknown-issuer",
/// "tls-version", or "tls".
pub fn tls_class(e: &rustls::Error) -> &'static str {
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => "tls-expired",
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "tls-wrong-host"
            }
            CertificateError::UnknownIssuer => "tls-unknown-issuer",
            _ => "tls-bad-certificate",
        },
        rustls::Error::PeerIncompatible(_) => "tls-version",
        rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => "tls-version",
        _ => "tls",
    }
}

/// The class of a failed request: "connect-refused", "connect-timeout", "read-timeout",
/// "reset", "closed-before-response", "dns", "tls-*", "error".
pub fn class(e: &reqwest::Error) -> &'static str {
    let chain = sources(e);
    if let Some(tls) = chain.iter().find_map(|s| s.downcast_ref::<rustls::Error>()) {
        return tls_class(tls);
    }
    match chain
        .iter()
        .find_map(|s| s.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
    {
        Some(std::io::ErrorKind::ConnectionRefused) => return "connect-refused",
        Some(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe) => {
            return "reset";
        }
        Some(std::io::ErrorKind::InvalidData) => return "tls",
        _ => {}
    }
    let text = describe(e).to_ascii_lowercase();
    if e.is_timeout() {
        if e.is_connect() {
            "connect-timeout"
        } else {
            "read-timeout"
        }
    } else if text.contains("dns error") {
        "dns"
    } else if e.is_connect() {
        "connect-error"
    } else if text.contains("connection closed") || text.contains("incomplete") {
        "closed-before-response"
    } else {
        "error"
    }
}

/// An error with its sources, "a: b: c", each said once.
pub fn describe(e: &(dyn Error + 'static)) -> String {
    let mut text = e.to_string();
    for s in sources(e).into_iter().skip(1) {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
    }
    text
}
