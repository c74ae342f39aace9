//! The TLS client configuration every HTTPS check uses: ring as the crypto provider (one
//! provider for the whole workspace) and the platform's certificate verifier.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

/// Why TLS could not be set up. Reads after "failed to".
#[derive(Debug, thiserror::Error)]
#[error("set up TLS: {0}")]
pub struct TlsError(#[from] rustls::Error);

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

/// A client configuration that verifies servers against the system's roots, offering
/// `alpn` protocols (e.g. `[b"http/1.1"]`).
pub fn client_config(alpn: &[&[u8]]) -> Result<ClientConfig, TlsError> {
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_platform_verifier()?
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}
