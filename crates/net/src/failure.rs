//! Which [`FailureKind`] an error is: the one classification of I/O and TLS errors that the
//! probes (through reqwest's error chain) and the load generator (its own connections) share.

use std::error::Error;
use std::io::ErrorKind;

use netconform_model::{FailureKind, TlsFailure};
use rustls::{AlertDescription, CertificateError};

/// Where in a request an I/O error happened: a reset while connecting and one after the
/// request was sent mean the same, but a timeout does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Making the TCP connection.
    Connect,
    /// The TLS handshake, writing the request, reading the response.
    Exchange,
}

/// The kind of an I/O error at `stage`.
pub fn io(e: &std::io::Error, stage: Stage) -> FailureKind {
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return FailureKind::Tls(tls_failure(tls));
    }
    match (e.kind(), stage) {
        (ErrorKind::ConnectionRefused, _) => FailureKind::ConnectRefused,
        (ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::ConnectionAborted, _) => {
            FailureKind::Reset
        }
        (ErrorKind::TimedOut, Stage::Connect) => FailureKind::ConnectTimeout,
        (ErrorKind::TimedOut, Stage::Exchange) => FailureKind::ReadTimeout,
        (ErrorKind::UnexpectedEof, _) => FailureKind::ClosedBeforeResponse,
        // What tokio-rustls reports a failed handshake or record as.
        (ErrorKind::InvalidData, _) => FailureKind::Tls(TlsFailure::Handshake),
        (_, Stage::Connect) => FailureKind::ConnectError,
        (_, Stage::Exchange) => FailureKind::OtherError,
    }
}

/// What about TLS failed, from rustls's error.
pub fn tls_failure(e: &rustls::Error) -> TlsFailure {
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TlsFailure::Expired,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsFailure::WrongHost
            }
            CertificateError::UnknownIssuer => TlsFailure::UnknownIssuer,
            _ => TlsFailure::BadCertificate,
        },
        rustls::Error::PeerIncompatible(_)
        | rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => TlsFailure::Version,
        _ => TlsFailure::Handshake,
    }
}

/// Every error in `e`'s source chain, looking inside I/O errors too.
pub fn sources<'a>(e: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
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

/// The kind the first TLS or I/O error in `e`'s chain says, if any.
pub fn in_chain(e: &(dyn Error + 'static), stage: Stage) -> Option<FailureKind> {
    let chain = sources(e);
    if let Some(tls) = chain.iter().find_map(|s| s.downcast_ref::<rustls::Error>()) {
        return Some(FailureKind::Tls(tls_failure(tls)));
    }
    chain
        .iter()
        .find_map(|s| s.downcast_ref::<std::io::Error>())
        .map(|io_error| io(io_error, stage))
        // A kind the chain's I/O error cannot tell apart is left to the caller.
        .filter(|kind| !matches!(kind, FailureKind::ConnectError | FailureKind::OtherError))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn io_err(kind: ErrorKind) -> std::io::Error {
        std::io::Error::new(kind, "test")
    }

    #[test]
    fn io_errors_are_classified_by_kind_and_stage() {
        for (kind, stage, expected) in [
            (
                ErrorKind::ConnectionRefused,
                Stage::Connect,
                FailureKind::ConnectRefused,
            ),
            (
                ErrorKind::ConnectionReset,
                Stage::Connect,
                FailureKind::Reset,
            ),
            (ErrorKind::BrokenPipe, Stage::Exchange, FailureKind::Reset),
            (
                ErrorKind::ConnectionAborted,
                Stage::Exchange,
                FailureKind::Reset,
            ),
            (
                ErrorKind::TimedOut,
                Stage::Connect,
                FailureKind::ConnectTimeout,
            ),
            (
                ErrorKind::TimedOut,
                Stage::Exchange,
                FailureKind::ReadTimeout,
            ),
            (
                ErrorKind::UnexpectedEof,
                Stage::Exchange,
                FailureKind::ClosedBeforeResponse,
            ),
            (
                ErrorKind::InvalidData,
                Stage::Exchange,
                FailureKind::Tls(TlsFailure::Handshake),
            ),
            (
                ErrorKind::HostUnreachable,
                Stage::Connect,
                FailureKind::ConnectError,
            ),
            (ErrorKind::Other, Stage::Exchange, FailureKind::OtherError),
        ] {
            assert_eq!(io(&io_err(kind), stage), expected, "{kind:?} {stage:?}");
        }
    }

    #[test]
    fn a_rustls_error_inside_an_io_error_is_a_tls_failure() {
        let e = std::io::Error::new(
            ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::Expired),
        );
        assert_eq!(
            io(&e, Stage::Exchange),
            FailureKind::Tls(TlsFailure::Expired)
        );
        assert_eq!(
            in_chain(&e, Stage::Exchange),
            Some(FailureKind::Tls(TlsFailure::Expired))
        );
        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert_eq!(tls_failure(&name), TlsFailure::WrongHost);
        let issuer = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        assert_eq!(tls_failure(&issuer), TlsFailure::UnknownIssuer);
    }

    #[test]
    fn an_error_is_described_with_its_sources_once() {
        let inner = io_err(ErrorKind::ConnectionRefused);
        let outer = std::io::Error::other(inner);
        assert_eq!(describe(&outer), "test");
    }
}
