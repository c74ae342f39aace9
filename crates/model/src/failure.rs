//! Why a request got no whole answer: one vocabulary for the probes and the load generator,
//! so a report says "connect-refused" or "tls-expired" the same way wherever it was seen. The
//! classification of I/O and TLS errors into these kinds is `netconform_net::failure`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The name did not resolve.
    DnsError,
    /// Connection refused (nothing listening).
    ConnectRefused,
    /// No connection within the timeout.
    ConnectTimeout,
    /// The connection failed some other way (unreachable network, no route).
    ConnectError,
    /// Connection reset by the peer.
    Reset,
    /// The connection closed before a whole response came back.
    ClosedBeforeResponse,
    /// Connected and sent, but no whole response within the timeout.
    ReadTimeout,
    /// The TLS handshake or the certificate failed.
    Tls(TlsFailure),
    /// What came back is not an HTTP response netconform reads: not HTTP at all, a head
    /// past hyper's limit, or a body past [`MAX_BODY`] (read up to there, then dropped).
    Malformed,
    /// Any other transport error.
    OtherError,
}

/// The most of a response body netconform reads (1 MiB): an endless body is cut there, and
/// the probe is [`FailureKind::Malformed`].
pub const MAX_BODY: usize = 1 << 20;

/// What about TLS failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsFailure {
    /// The certificate has expired, or is not valid yet.
    Expired,
    /// The certificate does not name the host.
    WrongHost,
    /// The certificate's issuer is not trusted.
    UnknownIssuer,
    /// The certificate is bad some other way.
    BadCertificate,
    /// No protocol version both sides speak.
    Version,
    /// The handshake failed some other way.
    Handshake,
}

impl FailureKind {
    /// Every kind, for tests and documentation.
    pub const ALL: [FailureKind; 15] = [
        FailureKind::DnsError,
        FailureKind::ConnectRefused,
        FailureKind::ConnectTimeout,
        FailureKind::ConnectError,
        FailureKind::Reset,
        FailureKind::ClosedBeforeResponse,
        FailureKind::ReadTimeout,
        FailureKind::Tls(TlsFailure::Expired),
        FailureKind::Tls(TlsFailure::WrongHost),
        FailureKind::Tls(TlsFailure::UnknownIssuer),
        FailureKind::Tls(TlsFailure::BadCertificate),
        FailureKind::Tls(TlsFailure::Version),
        FailureKind::Tls(TlsFailure::Handshake),
        FailureKind::Malformed,
        FailureKind::OtherError,
    ];

    /// A stable name, as reports and verdicts show it: "connect-refused", "tls-expired".
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::DnsError => "dns-error",
            FailureKind::ConnectRefused => "connect-refused",
            FailureKind::ConnectTimeout => "connect-timeout",
            FailureKind::ConnectError => "connect-error",
            FailureKind::Reset => "reset",
            FailureKind::ClosedBeforeResponse => "closed-before-response",
            FailureKind::ReadTimeout => "read-timeout",
            FailureKind::Tls(TlsFailure::Expired) => "tls-expired",
            FailureKind::Tls(TlsFailure::WrongHost) => "tls-wrong-host",
            FailureKind::Tls(TlsFailure::UnknownIssuer) => "tls-unknown-issuer",
            FailureKind::Tls(TlsFailure::BadCertificate) => "tls-bad-certificate",
            FailureKind::Tls(TlsFailure::Version) => "tls-version",
            FailureKind::Tls(TlsFailure::Handshake) => "tls-error",
            FailureKind::Malformed => "malformed-response",
            FailureKind::OtherError => "other-error",
        }
    }

    /// Human wording for verdicts: "refused", "timed out connecting".
    pub fn describe(self) -> &'static str {
        match self {
            FailureKind::DnsError => "failed to resolve",
            FailureKind::ConnectRefused => "refused",
            FailureKind::ConnectTimeout => "timed out connecting",
            FailureKind::ConnectError => "failed to connect",
            FailureKind::Reset => "reset",
            FailureKind::ClosedBeforeResponse => "closed before a response",
            FailureKind::ReadTimeout => "timed out waiting for a response",
            FailureKind::Tls(TlsFailure::Expired) => "failed TLS: certificate expired",
            FailureKind::Tls(TlsFailure::WrongHost) => "failed TLS: certificate for another name",
            FailureKind::Tls(TlsFailure::UnknownIssuer) => "failed TLS: untrusted issuer",
            FailureKind::Tls(TlsFailure::BadCertificate) => "failed TLS: bad certificate",
            FailureKind::Tls(TlsFailure::Version) => "failed TLS: no common version",
            FailureKind::Tls(TlsFailure::Handshake) => "failed TLS",
            FailureKind::Malformed => {
                "answered with something that is not a readable HTTP response"
            }
            FailureKind::OtherError => "failed",
        }
    }
}

impl FailureKind {
    /// The kind named `name` (what [`FailureKind::name`] gives), if any.
    pub fn from_name(name: &str) -> Option<FailureKind> {
        FailureKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A failure kind kept in evidence as its stable name (`"connect-refused"`), the way
/// `report.json` has always shown it: `#[serde(with = "failure::by_name")]` on an
/// `Option<FailureKind>`.
pub mod by_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::FailureKind;

    pub fn serialize<S: Serializer>(kind: &Option<FailureKind>, s: S) -> Result<S::Ok, S::Error> {
        match kind {
            Some(k) => s.serialize_some(k.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FailureKind>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(name) => FailureKind::from_name(&name)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("{name:?} is not a failure kind"))),
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::FailureKind;

    #[test]
    fn every_kind_has_its_own_name() {
        let mut names: Vec<&str> = FailureKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FailureKind::ALL.len());
        for kind in FailureKind::ALL {
            assert_eq!(FailureKind::from_name(kind.name()), Some(kind));
        }
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }
}
