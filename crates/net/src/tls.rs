//! The TLS client configuration every HTTPS check uses: ring as the crypto provider (one
//! provider for the whole workspace), the platform's certificate verifier, and the
//! environment's own CA when it has one.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::ClientConfig;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls_platform_verifier::Verifier;

/// Why TLS could not be set up. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("set up TLS: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("read the CA bundle {path}: {why}")]
    CaFile { path: String, why: String },
    #[error("read the CA in tls.ca_pem: {0}")]
    CaPem(String),
}

/// Makes ring the process's default crypto provider, for libraries that build TLS clients
/// from the process default (reqwest's `rustls-no-provider` checks for it even for plain
/// HTTP). Idempotent.
pub fn install_default_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The crypto provider of the whole workspace.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates of a PEM bundle: `ca_pem` text, then the `ca_file` file.
pub fn extra_roots(
    ca_pem: Option<&str>,
    ca_file: Option<&Path>,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let mut roots = Vec::new();
    if let Some(pem) = ca_pem {
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots.push(cert.map_err(|e| TlsError::CaPem(e.to_string()))?);
        }
        if roots.is_empty() {
            return Err(TlsError::CaPem("no CERTIFICATE block in it".into()));
        }
    }
    if let Some(path) = ca_file {
        let file_err = |why: String| TlsError::CaFile {
            path: path.display().to_string(),
            why,
        };
        let iter = CertificateDer::pem_file_iter(path).map_err(|e| file_err(e.to_string()))?;
        let before = roots.len();
        for cert in iter {
            roots.push(cert.map_err(|e| file_err(e.to_string()))?);
        }
        if roots.len() == before {
            return Err(file_err(
                "no CERTIFICATE block in it; it must be PEM".into(),
            ));
        }
    }
    Ok(roots)
}

/// The certificate verifier every check uses: the platform's, with `extra_roots` trusted too.
/// One per set of roots for the whole process: a verifier loads the system's roots when it
/// first verifies, which costs more than a handshake.
pub fn verifier(
    extra_roots: &[CertificateDer<'static>],
) -> Result<Arc<dyn ServerCertVerifier>, TlsError> {
    type Cache = Mutex<Vec<(Vec<CertificateDer<'static>>, Arc<dyn ServerCertVerifier>)>>;
    static VERIFIERS: OnceLock<Cache> = OnceLock::new();
    let cache = VERIFIERS.get_or_init(|| Mutex::new(Vec::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, verifier)) = cache
        .iter()
        .find(|(roots, _)| roots.as_slice() == extra_roots)
    {
        return Ok(Arc::clone(verifier));
    }
    let verifier: Arc<dyn ServerCertVerifier> = Arc::new(Verifier::new_with_extra_roots(
        extra_roots.iter().cloned(),
        provider(),
    )?);
    cache.push((extra_roots.to_vec(), Arc::clone(&verifier)));
    Ok(verifier)
}

/// A client configuration with `verifier`, offering `alpn` protocols (e.g. `[b"http/1.1"]`).
pub fn client_config_with(
    alpn: &[&[u8]],
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<ClientConfig, TlsError> {
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

/// A client configuration that verifies servers against the system's roots plus
/// `extra_roots`, offering `alpn` protocols (e.g. `[b"http/1.1"]`).
pub fn client_config(
    alpn: &[&[u8]],
    extra_roots: &[CertificateDer<'static>],
) -> Result<ClientConfig, TlsError> {
    let mut config = client_config_with(alpn, verifier(extra_roots)?)?;
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}
