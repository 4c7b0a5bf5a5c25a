//! [`ClientBuilder`]: collects and validates client settings.
//!
//! All validation happens in [`ClientBuilder::build`], so a misconfigured
//! client fails at startup with an [`Error::Config`] rather than on the first
//! request.

use std::ffi::OsString;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::client::Client;
use super::error::{Error, Result};
use super::secret::SecretString;

/// The environment variable [`Client::from_env`] reads the API key from.
pub const API_KEY_ENV: &str = "PATHBOUND_API_KEY";
/// The environment variable [`Client::from_env`] reads an optional base URL from.
pub const BASE_URL_ENV: &str = "PATHBOUND_BASE_URL";
/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.pathbound.ai/v1";
/// Total time allowed for one request attempt, including reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Responses larger than this are refused instead of buffered (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// How many times a failed request is retried by default (see [`super::RequestOptions::max_retries`]).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The `User-Agent` sent by default.
const DEFAULT_USER_AGENT: &str = concat!("pathbound-rs/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]. Obtain one with [`Client::builder`].
///
/// Only the API key is required. The `Debug` output never shows the key.
#[derive(Clone, Default)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: Option<usize>,
    max_retries: Option<u32>,
    #[cfg(test)]
    initial_backoff: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

/// The validated settings a [`Client`] runs with.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// `Bearer <key>`, marked sensitive so `HeaderMap`'s Debug hides it too.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API key (required), sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::new(api_key.into()));
        self
    }

    /// The API root, default [`DEFAULT_BASE_URL`]. Must be an `http` or `https`
    /// URL without query or fragment; a trailing slash is ignored. Useful for
    /// staging environments, proxies and tests.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Total time one attempt of a request may take, body included
    /// (default [`DEFAULT_TIMEOUT`]). Override per request with
    /// [`super::RequestOptions::timeout`]. Applies to a custom
    /// [`http_client`](Self::http_client) too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect (default [`DEFAULT_CONNECT_TIMEOUT`]). Cannot be
    /// combined with [`http_client`](Self::http_client): set it on your own client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `pathbound-rs/<version>`). Prefix your
    /// application's name to help the API team help you, e.g. `"acme-sync/2.1 pathbound-rs/0.1"`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Use your own `reqwest::Client` (shared connection pool, proxies, custom
    /// roots). The key, user agent, timeout and size limit are still applied per
    /// request. Its TLS setup is yours: with this crate's reqwest features it
    /// needs a preconfigured rustls config or a process-default crypto provider.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest response body read into memory (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger one fails with
    /// [`Error::BodyTooLarge`] instead of exhausting memory.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How many times a failed request is retried (default
    /// [`DEFAULT_MAX_RETRIES`]; `0` disables retries). See
    /// [`super::RequestOptions::max_retries`] for what is retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Shortens the wait between retries so tests do not sleep.
    #[cfg(test)]
    #[allow(dead_code)] // used by pathbound-client's loopback tests only
    pub(crate) fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = Some(backoff);
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the key is missing, empty or cannot be
    /// sent in a header (the message never contains the key), the base URL is
    /// not an http(s) URL, the user agent is not a valid header value, or TLS
    /// cannot be set up.
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.ok_or_else(|| {
            Error::Config(format!(
                "no API key: pass one to Client::new or ClientBuilder::api_key, or set \
                 {API_KEY_ENV} and use Client::from_env"
            ))
        })?;
        let authorization = authorization_header(&api_key)?;
        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "the user agent {user_agent:?} is not a valid HTTP header value"
            ))
        })?;
        let http = match (self.http_client, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "connect_timeout has no effect on a custom http_client; set it on that \
                     reqwest::Client instead"
                        .to_owned(),
                ));
            }
            (Some(http), None) => http,
            (None, connect_timeout) => {
                build_http_client(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))?
            }
        };
        #[cfg(test)]
        let initial_backoff = self
            .initial_backoff
            .unwrap_or(super::retry::INITIAL_BACKOFF);
        #[cfg(not(test))]
        let initial_backoff = super::retry::INITIAL_BACKOFF;
        Ok(Client::from_config(Config {
            http,
            base_url,
            authorization,
            user_agent,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            initial_backoff,
        }))
    }

    /// A builder preset from the environment, through `lookup` (injectable for tests).
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self> {
        let read = |name: &str| -> Result<Option<String>> {
            match lookup(name) {
                None => Ok(None),
                Some(value) => match value.into_string() {
                    Ok(value) if value.is_empty() => Ok(None),
                    Ok(value) => Ok(Some(value)),
                    Err(_) => Err(Error::Config(format!("{name} is not valid UTF-8"))),
                },
            }
        };
        let api_key = read(API_KEY_ENV)?.ok_or_else(|| {
            Error::Config(format!(
                "{API_KEY_ENV} is not set; set it to your API key or use Client::new"
            ))
        })?;
        let mut builder = ClientBuilder::new().api_key(api_key);
        if let Some(base_url) = read(BASE_URL_ENV)? {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }
}

/// `Bearer <key>` as a sensitive header value. The error never quotes the key.
fn authorization_header(api_key: &SecretString) -> Result<HeaderValue> {
    let key = api_key.expose();
    if key.trim().is_empty() {
        return Err(Error::Config("the API key is empty".to_owned()));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
        Error::Config(
            "the API key contains characters that cannot be sent in an HTTP header (a \
             newline, a control character or non-ASCII text); check for stray whitespace \
             around the key"
                .to_owned(),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks `raw` is an absolute http(s) URL and returns it without trailing slashes.
fn normalize_base_url(raw: &str) -> Result<String> {
    let invalid = |why: &str| Error::Config(format!("invalid base URL {raw:?}: {why}"));
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The reqwest client used when the caller does not bring one.
fn build_http_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(super::tls::client_config()?)
        .connect_timeout(connect_timeout)
        // An API answers, it does not redirect; a 3xx surfaces as an error
        // rather than silently turning a POST into a GET.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::{ClientBuilder, Error, normalize_base_url};

    const KEY: &str = "sk_live_5f3c9d2e8a7b4c1d";

    fn config_message(result: super::Result<impl std::fmt::Debug>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a Config error, got {other:?}"),
        }
    }

    #[test]
    fn base_url_is_validated_and_stored_without_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://api.pathbound.ai/v1/").unwrap(),
            "https://api.pathbound.ai/v1"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url("https://x.test/a//").unwrap(),
            "https://x.test/a"
        );
        for bad in [
            "ftp://x.test",
            "not a url",
            "/v1",
            "https://x.test/v1?a=1",
            "mailto:a@b.c",
        ] {
            let message = config_message(normalize_base_url(bad));
            assert!(message.contains("invalid base URL"), "{bad}: {message}");
        }
    }

    #[test]
    fn builder_requires_a_key() {
        let message = config_message(ClientBuilder::new().build());
        assert!(message.contains("no API key"), "{message}");
        let message = config_message(ClientBuilder::new().api_key("  ").build());
        assert!(message.contains("empty"), "{message}");
    }

    #[test]
    fn key_that_cannot_be_a_header_is_rejected_without_echoing_it() {
        let bad_key = format!("{KEY}\nX-Injected: 1");
        let err = ClientBuilder::new()
            .api_key(bad_key.clone())
            .build()
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(
            shown.contains("cannot be sent in an HTTP header"),
            "{shown}"
        );
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("Injected"), "{shown}");
    }

    #[test]
    fn builder_debug_never_shows_the_key() {
        let builder = ClientBuilder::new().api_key(KEY).base_url("https://x.test");
        for shown in [format!("{builder:?}"), format!("{builder:#?}")] {
            assert!(!shown.contains(KEY), "{shown}");
            assert!(!shown.contains("5f3c9d"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
            assert!(shown.contains("https://x.test"), "{shown}");
        }
    }

    #[test]
    fn bad_user_agent_and_conflicting_connect_timeout_are_config_errors() {
        let message = config_message(ClientBuilder::new().api_key(KEY).user_agent("a\nb").build());
        assert!(message.contains("user agent"), "{message}");
        let custom = reqwest::Client::builder()
            .tls_backend_preconfigured(super::super::tls::client_config().unwrap())
            .build()
            .unwrap();
        let message = config_message(
            ClientBuilder::new()
                .api_key(KEY)
                .http_client(custom.clone())
                .connect_timeout(std::time::Duration::from_secs(1))
                .build(),
        );
        assert!(message.contains("connect_timeout"), "{message}");
        assert!(
            ClientBuilder::new()
                .api_key(KEY)
                .http_client(custom)
                .build()
                .is_ok()
        );
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn from_env_requires_the_key_and_reads_the_optional_base_url() {
        let message = config_message(ClientBuilder::from_lookup(env(&[])));
        assert!(
            message.contains("PATHBOUND_API_KEY is not set"),
            "{message}"
        );
        let message = config_message(ClientBuilder::from_lookup(env(&[(
            "PATHBOUND_API_KEY",
            "",
        )])));
        assert!(
            message.contains("PATHBOUND_API_KEY is not set"),
            "{message}"
        );

        let client = ClientBuilder::from_lookup(env(&[("PATHBOUND_API_KEY", KEY)]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://api.pathbound.ai/v1");

        let client = ClientBuilder::from_lookup(env(&[
            ("PATHBOUND_API_KEY", KEY),
            ("PATHBOUND_BASE_URL", "http://localhost:4010/v1/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://localhost:4010/v1");
    }
}
