//! TLS for the HTTP client we build ourselves.
//!
//! reqwest is compiled with `rustls-no-provider` so the build does not pull in
//! aws-lc-rs (whose build script dominates a clean build); the workspace enables
//! rustls' `ring` provider instead. With no provider compiled into reqwest,
//! `reqwest::Client::builder().build()` would panic unless a process-wide default
//! provider is installed. Installing one ourselves would be a side effect on the
//! caller's process (and would make their own later `install_default()` fail),
//! so instead each [`super::Client`] gets its own, fully built
//! `rustls::ClientConfig`, handed to reqwest with `tls_backend_preconfigured`:
//!
//! - crypto provider: the process default if the application installed one
//!   (e.g. a FIPS build of aws-lc-rs), otherwise `ring`;
//! - certificate verification: `rustls-platform-verifier`, the same verifier
//!   reqwest uses by default, which asks the OS (Security.framework on macOS,
//!   CryptoAPI on Windows) or, on Linux, loads the system roots via
//!   `rustls-native-certs` (`/etc/ssl/certs`, honouring `SSL_CERT_FILE` /
//!   `SSL_CERT_DIR`);
//! - protocols: TLS 1.2 and 1.3; ALPN `h2` then `http/1.1` (reqwest leaves ALPN
//!   to us for a preconfigured config).
//!
//! A machine with no CA certificates at all (a bare container without
//! `ca-certificates`) gets an [`super::Error::Config`] from `build()` saying so;
//! pass your own `reqwest::Client` via [`super::ClientBuilder::http_client`] to
//! use other roots.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

use super::error::{Error, Result};

/// The crypto provider to use: the application's process default if it set
/// one, else `ring`. Never installs anything process-wide.
pub(crate) fn crypto_provider() -> Arc<CryptoProvider> {
    match CryptoProvider::get_default() {
        Some(provider) => Arc::clone(provider),
        None => Arc::new(rustls::crypto::ring::default_provider()),
    }
}

/// A complete rustls client configuration for talking to the API.
pub(crate) fn client_config() -> Result<ClientConfig> {
    let mut config = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup failed: {e}")))?
        .with_platform_verifier()
        .map_err(|e| {
            Error::Config(format!(
                "TLS setup failed: could not load the system's root certificates ({e}); \
                 install the OS CA certificates (e.g. the `ca-certificates` package), or \
                 pass your own reqwest::Client to ClientBuilder::http_client"
            ))
        })?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use rustls::crypto::CryptoProvider;

    use super::client_config;

    fn suite_names(suites: &[rustls::SupportedCipherSuite]) -> Vec<String> {
        suites.iter().map(|s| format!("{:?}", s.suite())).collect()
    }

    #[test]
    fn config_uses_ring_offers_h2_and_installs_no_process_default() {
        let installed_before = CryptoProvider::get_default().is_some();
        let config = client_config().unwrap();
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        // Building a config must not install a process-wide provider.
        assert_eq!(CryptoProvider::get_default().is_some(), installed_before);
        if !installed_before {
            // Nothing installed by the application: we fell back to ring.
            assert_eq!(
                suite_names(&config.crypto_provider().cipher_suites),
                suite_names(rustls::crypto::ring::DEFAULT_CIPHER_SUITES)
            );
        }
    }
}
