//! [`ClientBuilder`]: collects and validates client settings.
//!
//! All validation happens in [`ClientBuilder::build`], so a misconfigured
//! client fails at startup with an [`Error::Config`] rather than on the first
//! request.

use std::ffi::OsString;
use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::client::{Client, ScopeSet};
use super::error::{Error, Result};
use super::observe::{Observer, ResponseObserver};
use super::retry::Backoff;
use super::scope::Scope;
use super::secret::SecretString;

/// What a generated API tells the runtime about itself: where it lives, which
/// environment variables configure a client, and how it introduces itself.
///
/// The runtime names no API; the generated code passes its own `API` constant
/// (from the spec's `api:` section) to [`ClientBuilder::for_api`], and generates
/// `Client::new`, `Client::from_env` and `Client::builder` on top of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiDefaults {
    /// The production base URL, used when none is configured.
    pub base_url: &'static str,
    /// The environment variable `Client::from_env` reads the API key from.
    pub api_key_env: &'static str,
    /// The environment variable `Client::from_env` reads an optional base URL from.
    pub base_url_env: &'static str,
    /// The `User-Agent` sent unless one is configured.
    pub user_agent: &'static str,
}

impl ApiDefaults {
    /// The path of the production base URL without a trailing slash, e.g.
    /// `"/v1"`: the prefix every [`Operation::path`](crate::Operation::path)
    /// starts with, and that is replaced by the configured base URL.
    pub fn base_path(&self) -> &'static str {
        let url = self.base_url;
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        let path = url[after_scheme..]
            .find('/')
            .map_or("", |i| &url[after_scheme + i..]);
        path.trim_end_matches('/')
    }
}
/// Total time allowed for one request attempt, including reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Responses larger than this are refused instead of buffered (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// How many times a failed request is retried by default (see [`super::RequestOptions::max_retries`]).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The most retries a request may be given, client-wide or per request: with a
/// server answering `Retry-After: 0`, more would hammer it in a tight loop.
pub const MAX_RETRIES_LIMIT: u32 = 10;

/// Checks the settings that would make every request fail or loop: a zero
/// timeout or deadline, more retries than [`MAX_RETRIES_LIMIT`]. `Err` is the
/// reason, naming the setting.
pub(crate) fn check_limits(
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
) -> std::result::Result<(), String> {
    if timeout == Some(Duration::ZERO) {
        return Err(
            "timeout is zero, so every request would time out; use a positive \
                    duration"
                .to_owned(),
        );
    }
    if deadline == Some(Duration::ZERO) {
        return Err(
            "deadline is zero, so every request would time out; use a positive \
                    duration"
                .to_owned(),
        );
    }
    if let Some(n) = max_retries.filter(|&n| n > MAX_RETRIES_LIMIT) {
        return Err(format!(
            "max_retries is {n}, more than the {MAX_RETRIES_LIMIT} allowed (a server answering \
             Retry-After: 0 would be hit in a tight loop)"
        ));
    }
    Ok(())
}

/// How [`ClientBuilder::build`] makes the client it returns: the runtime's
/// [`Client`] itself, or a generated client that wraps one.
///
/// Plumbing for generated code (reachable through `__private`); there is no
/// reason to implement it by hand.
pub trait FromRuntime {
    /// Wraps the runtime's client.
    fn from_runtime(client: Client) -> Self;
}

impl FromRuntime for Client {
    fn from_runtime(client: Client) -> Self {
        client
    }
}

/// The settings of a client. A generated API offers it as
/// `ClientBuilder` (`Client::builder()`), whose [`build`](Self::build)
/// returns that API's `Client`.
///
/// Only the API key is required. The `Debug` output never shows the key.
#[must_use = "a builder does nothing until .build() is called"]
pub struct ClientBuilder<C = Client> {
    /// The client type [`build`](Self::build) returns.
    target: PhantomData<fn() -> C>,
    api: &'static ApiDefaults,
    api_key: Option<SecretString>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: Option<usize>,
    max_retries: Option<u32>,
    retry_backoff: Option<(Duration, Duration)>,
    max_retry_after: Option<Duration>,
    deadline: Option<Duration>,
    scopes: Option<Vec<Scope>>,
    allow_insecure_http: bool,
    observer: Option<Observer>,
}

// Not derived: a derive would require `C: Clone`, which the target need not be.
impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            target: PhantomData,
            api: self.api,
            api_key: self.api_key.clone(),
            base_url: self.base_url.clone(),
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent.clone(),
            http_client: self.http_client.clone(),
            max_response_bytes: self.max_response_bytes,
            max_retries: self.max_retries,
            retry_backoff: self.retry_backoff,
            max_retry_after: self.max_retry_after,
            deadline: self.deadline,
            scopes: self.scopes.clone(),
            allow_insecure_http: self.allow_insecure_http,
            observer: self.observer.clone(),
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_retries", &self.max_retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("deadline", &self.deadline)
            .field("scopes", &self.scopes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("observer", &self.observer)
            .finish()
    }
}

/// The validated settings a [`Client`] runs with.
pub(crate) struct Config {
    pub(crate) api: &'static ApiDefaults,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// The API's own base path (`/v1`, [`ApiDefaults::base_path`]), which
    /// `base_url` replaces in every operation's path; computed once here.
    pub(crate) api_base_path: &'static str,
    /// `Bearer <key>`, marked sensitive so `HeaderMap`'s Debug hides it too.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) max_retries: u32,
    pub(crate) backoff: Backoff,
    /// Total time for one request, attempts and waits included; `None`: unbounded.
    pub(crate) deadline: Option<Duration>,
    /// Sees every successful body ([`ClientBuilder::observe_responses`]).
    pub(crate) observer: Option<Observer>,
}

impl Config {
    /// Adds the settings to a `Debug` of the client; the key is shown as `[redacted]`.
    pub(crate) fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_retries", &self.max_retries)
            .field("backoff", &self.backoff);
    }
}

impl<C: FromRuntime> ClientBuilder<C> {
    /// A builder for the API described by `api`, every setting at its default.
    /// Generated code calls this; you get one from `Client::builder()`.
    pub fn for_api(api: &'static ApiDefaults) -> Self {
        ClientBuilder {
            target: PhantomData,
            api,
            api_key: None,
            base_url: None,
            timeout: None,
            connect_timeout: None,
            user_agent: None,
            http_client: None,
            max_response_bytes: None,
            max_retries: None,
            retry_backoff: None,
            max_retry_after: None,
            deadline: None,
            scopes: None,
            allow_insecure_http: false,
            observer: None,
        }
    }

    /// A builder preset from the environment: the API key from
    /// `api.api_key_env` (required) and the base URL from `api.base_url_env`
    /// (optional; an empty value counts as unset).
    pub fn from_env(api: &'static ApiDefaults) -> Result<Self> {
        Self::from_lookup(api, |name| std::env::var_os(name))
    }

    /// The API key (required), sent as `Authorization: Bearer <key>`. Like any
    /// bearer token it must be visible ASCII without spaces;
    /// [`build`](Self::build) refuses anything else without quoting it.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::new(api_key.into()));
        self
    }

    /// The API root, default [`ApiDefaults::base_url`]. Must be an `https` URL
    /// without query, fragment or credentials; a trailing slash is ignored.
    /// Useful for staging environments, proxies and tests.
    ///
    /// Plain `http` is accepted only for loopback hosts (`localhost`,
    /// `127.0.0.0/8`, `::1`), where nothing leaves the machine; anywhere else
    /// it needs [`allow_insecure_http`](Self::allow_insecure_http).
    ///
    /// # Proxies
    ///
    /// A plain-`http` or loopback base URL is never sent through a proxy, whatever
    /// `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY` say: a proxy would see the API key
    /// in clear text, or the request would leave the machine. An `https` base URL
    /// on another host uses the proxy the environment names (`HTTPS_PROXY`, then
    /// `ALL_PROXY`; `NO_PROXY` is honoured), since you chose it: the proxy sees a
    /// `CONNECT` to the host and port, and the request, key included, only inside
    /// TLS. With your own [`http_client`](Self::http_client), its proxy settings
    /// apply as you configured them.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Allows a plain `http` base URL on a host that is not loopback (default
    /// `false`).
    ///
    /// Every request carries the API key as a bearer token, and over plain
    /// `http` anyone on the network path can read and reuse it. So by default
    /// [`build`](Self::build) refuses an `http` base URL unless its host is
    /// loopback (`localhost`, `127.0.0.0/8`, `::1`): a key must never travel in
    /// clear text because of a typo or a stray environment variable. Turn this on
    /// only when the network between you and the server is trusted, e.g. a
    /// sidecar proxy or a test server on a private network.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Total time one attempt of a request may take, body included
    /// (default [`DEFAULT_TIMEOUT`]; zero makes [`build`](Self::build) fail). Override per request with
    /// [`super::RequestOptions::timeout`]. Applies to a custom
    /// [`http_client`](Self::http_client) too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect (default [`DEFAULT_CONNECT_TIMEOUT`]; zero makes
    /// [`build`](Self::build) fail). Cannot be
    /// combined with [`http_client`](Self::http_client): set it on your own client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: the generated crate's name and version,
    /// e.g. `pathbound-client/0.1.0`). Prefix your application's name to help the
    /// API team help you, e.g. `"acme-sync/2.1 pathbound-client/0.1.0"`. Must be
    /// printable ASCII (surrounding whitespace is dropped), or
    /// [`build`](Self::build) fails.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Use your own `reqwest::Client` (shared connection pool, proxies, custom
    /// roots). The key, user agent, timeout and size limit are still applied per
    /// request. Its TLS setup is yours: with this crate's reqwest features it
    /// needs a preconfigured rustls config or a process-default crypto provider.
    /// So are its proxies: the rule that plain-`http` and loopback base URLs
    /// bypass proxies applies only to the client this builder makes (build yours
    /// with `.no_proxy()` to get it).
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
    /// [`DEFAULT_MAX_RETRIES`]; `0` disables retries; at most
    /// [`MAX_RETRIES_LIMIT`], or [`build`](Self::build) fails). See
    /// [`super::RequestOptions::max_retries`] for what is retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The wait before the first retry, doubled for each further one up to
    /// `max`, with jitter (each wait is 50–100 % of the computed value). The
    /// defaults are 500 ms and 8 s. A server's `Retry-After` replaces the
    /// computed wait (see [`max_retry_after`](Self::max_retry_after)). Tests
    /// against a local server can use a millisecond or zero to run fast.
    ///
    /// [`build`](Self::build) fails when `initial` exceeds `max`.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.retry_backoff = Some((initial, max));
        self
    }

    /// The longest `Retry-After` (in seconds, milliseconds or as an HTTP date)
    /// the client waits out before retrying (default 60 s). A server asking for
    /// a longer wait gets no retry: the 429 or 503 is returned at once, with
    /// [`super::ApiError::retry_after`] set, so the caller can decide.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = Some(limit);
        self
    }

    /// Total time one request may take, every attempt and every wait between
    /// retries included (default: no overall limit; each attempt is still
    /// bounded by [`timeout`](Self::timeout)). Once reached, no further attempt is
    /// started and the last failure is returned; an attempt in flight is cut
    /// short with `Error::Timeout`. Override per request with
    /// [`super::RequestOptions::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Turns on client-side scope checks with the scopes the API key grants.
    ///
    /// Off by default. Once on, a request for an operation that needs a scope
    /// missing from `scopes` fails with [`Error::MissingScope`] **before
    /// anything is sent** (so it costs no rate-limit budget and leaves no
    /// trace on the server); [`Error::is_forbidden`] is true for it, as for the
    /// server's 403. Operations that need no scope are never blocked.
    ///
    /// Only use the scopes the key really has, e.g. the `scopes` returned by
    /// the API's key-status endpoint (see [`Client::with_scopes`] to apply
    /// them to a running client). Values are trimmed; empty ones are ignored.
    /// An empty list blocks every operation that needs a scope.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<Scope>>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Shows the body of every successful response to `observer` before it is
    /// decoded (see [`ResponseObserver`]): to log or count what the spec does
    /// not declare, for instance. Off by default, and then free.
    pub fn observe_responses(mut self, observer: impl ResponseObserver) -> Self {
        self.observer = Some(Observer(std::sync::Arc::new(observer)));
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the key is missing, empty or cannot be
    /// sent in a header (the message never contains the key), the base URL is
    /// not an http(s) URL or is plain `http` to a host that is not loopback
    /// (see [`allow_insecure_http`](Self::allow_insecure_http)), the user agent
    /// is not a valid header value, the retry backoff's initial wait exceeds
    /// its maximum, a timeout or the deadline is zero, `max_retries` exceeds
    /// [`MAX_RETRIES_LIMIT`], or TLS cannot be set up.
    pub fn build(self) -> Result<C> {
        check_limits(self.timeout, self.deadline, self.max_retries).map_err(Error::Config)?;
        if self.connect_timeout == Some(Duration::ZERO) {
            return Err(Error::Config(
                "connect_timeout is zero, so no connection could be made; use a positive \
                 duration"
                    .to_owned(),
            ));
        }
        let api = self.api;
        let api_key = self.api_key.ok_or_else(|| {
            Error::Config(format!(
                "no API key: pass one to Client::new or ClientBuilder::api_key, or set \
                 {} and use Client::from_env",
                api.api_key_env
            ))
        })?;
        let authorization = authorization_header(&api_key)?;
        let base_url = normalize_base_url(
            self.base_url.as_deref().unwrap_or(api.base_url),
            self.allow_insecure_http,
        )?;
        let user_agent = user_agent_header(self.user_agent.as_deref().unwrap_or(api.user_agent))?;
        let http = match (self.http_client, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "connect_timeout has no effect on a custom http_client; set it on that \
                     reqwest::Client instead"
                        .to_owned(),
                ));
            }
            (Some(http), None) => http,
            (None, connect_timeout) => build_http_client(
                connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                never_proxied(&base_url),
            )?,
        };
        let mut backoff = Backoff::default();
        if let Some((initial, max)) = self.retry_backoff {
            if initial > max {
                return Err(Error::Config(format!(
                    "retry_backoff: the initial wait ({initial:?}) exceeds the maximum ({max:?})"
                )));
            }
            (backoff.initial, backoff.max) = (initial, max);
        }
        if let Some(limit) = self.max_retry_after {
            backoff.max_retry_after = limit;
        }
        let scopes = self.scopes.map(ScopeSet::new);
        let config = Config {
            api,
            http,
            base_url,
            api_base_path: api.base_path(),
            authorization,
            user_agent,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            backoff,
            deadline: self.deadline,
            observer: self.observer,
        };
        Ok(C::from_runtime(Client::from_config(config, scopes)))
    }

    /// A builder preset from the environment, through `lookup` (injectable for tests).
    pub(crate) fn from_lookup(
        api: &'static ApiDefaults,
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Self> {
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
        let api_key = read(api.api_key_env)?.ok_or_else(|| {
            Error::Config(format!(
                "{} is not set; set it to your API key or use Client::new",
                api.api_key_env
            ))
        })?;
        let mut builder = ClientBuilder::for_api(api).api_key(api_key);
        if let Some(base_url) = read(api.base_url_env)? {
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
    let unsendable = || {
        Error::Config(
            "the API key contains characters that cannot be sent in an HTTP header (a \
             space, a newline, a control character or non-ASCII text); check for stray \
             whitespace around the key"
                .to_owned(),
        )
    };
    // A bearer token is visible ASCII (RFC 6750 §2.1). `HeaderValue` alone would
    // also pass spaces (trimmed or split by the server, so a different key
    // arrives) and non-ASCII bytes (sent raw, then refused with a 401).
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(unsendable());
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| unsendable())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The `User-Agent` header: printable ASCII, spaces inside allowed, surrounding
/// whitespace trimmed (a server would drop it anyway).
fn user_agent_header(user_agent: &str) -> Result<HeaderValue> {
    let trimmed = user_agent.trim_matches([' ', '\t']);
    let invalid = |why: &str| {
        // Quote at most the start: the value is the caller's, but may be anything.
        let shown: String = user_agent.chars().take(64).collect();
        let more = if shown.len() < user_agent.len() {
            "…"
        } else {
            ""
        };
        Error::Config(format!("the user agent {shown:?}{more} {why}"))
    };
    if trimmed.is_empty() {
        return Err(invalid(
            "is empty; leave it unset to send the default user agent",
        ));
    }
    let printable = |b: u8| b.is_ascii_graphic() || b == b' ' || b == b'\t';
    if !trimmed.bytes().all(printable) {
        return Err(invalid(
            "is not a valid HTTP header value: use printable ASCII only (no newline, \
             control character or non-ASCII text)",
        ));
    }
    HeaderValue::from_str(trimmed).map_err(|_| invalid("is not a valid HTTP header value"))
}

/// Checks `raw` is an absolute http(s) URL and returns it without trailing
/// slashes. Plain `http` must go to a loopback host unless `allow_insecure_http`.
fn normalize_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    // Credentials first, before anything quotes the URL: a user name, a password
    // or a query (`?api_key=…`) must never reach an error message.
    if has_user_info(raw) {
        return Err(Error::Config(
            "invalid base URL: it must not contain a user name or password (the API key is \
             sent as a bearer token)"
                .to_owned(),
        ));
    }
    let shown = redact_url(raw);
    let invalid = |why: &str| Error::Config(format!("invalid base URL {shown:?}: {why}"));
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "it must not have a query or fragment (not shown here, as it may hold a secret)",
        ));
    }
    let base_url = url.as_str().trim_end_matches('/').to_owned();
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
        return Err(Error::Config(format!(
            "refusing the plain-http base URL {base_url:?}: every request would carry the API \
             key in clear text to a host that is not loopback. Use https, or, if the network \
             to that host is trusted (a local proxy, a private test network), opt in with \
             ClientBuilder::allow_insecure_http(true)"
        )));
    }
    Ok(base_url)
}

/// Whether `raw` may hold user info (`user:password@`). Any `@` counts: a
/// password may itself contain an unencoded `/`, `?` or `#`, which would end the
/// authority early for a parser, and a base URL has no use for an `@` anyway.
fn has_user_info(raw: &str) -> bool {
    raw.contains('@')
}

/// `raw` as it may be quoted in messages and `Debug`: without user info, query
/// or fragment (any of which may hold a secret), at most 200 characters.
pub(crate) fn redact_url(raw: &str) -> String {
    let raw = raw.trim();
    if has_user_info(raw) {
        // Where the user info ends cannot be trusted (a password may hold `/`,
        // `?` or `#`): show nothing of the authority or what follows.
        return match raw.split_once("://") {
            Some((scheme, _))
                if scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                format!("{scheme}://[redacted]")
            }
            _ => "[redacted]".to_owned(),
        };
    }
    let without_tail = raw.split(['?', '#']).next().unwrap_or(raw);
    let (scheme, rest) = match without_tail.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, without_tail),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let mut shown = match scheme {
        Some(scheme) => format!("{scheme}://{host}{path}"),
        None => format!("{host}{path}"),
    };
    if without_tail.len() < raw.len() {
        shown.push_str("?…");
    }
    if shown.chars().count() > 200 {
        shown = shown.chars().take(200).collect::<String>() + "…";
    }
    shown
}

/// Whether `url`'s host is this machine: `localhost`, `127.0.0.0/8` or `::1`
/// (also as the IPv4-mapped `::ffff:127.x.y.z`). The URL parser has already
/// normalised the host (lowercase, canonical IP forms such as `0x7f.1`).
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost."),
    }
}

/// Whether requests to `base_url` must bypass any proxy the environment names:
/// plain `http` (the key would cross the proxy in clear text) and loopback hosts
/// (nothing should leave the machine). An `https` base URL on another host may use
/// the environment's proxy (`HTTPS_PROXY`, `ALL_PROXY`, honouring `NO_PROXY`): the
/// proxy then sees only a `CONNECT` to the host and port, and the request inside TLS.
fn never_proxied(base_url: &str) -> bool {
    match reqwest::Url::parse(base_url) {
        Ok(url) => url.scheme() != "https" || is_loopback(&url),
        Err(_) => true,
    }
}

/// The reqwest client used when the caller does not bring one.
fn build_http_client(connect_timeout: Duration, no_proxy: bool) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder();
    let builder = if no_proxy {
        builder.no_proxy()
    } else {
        builder
    };
    builder
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

    use super::{ClientBuilder, Error, normalize_base_url, redact_url};
    use crate::Client;
    use crate::TEST_API;

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
            normalize_base_url("https://api.pathbound.ai/v1/", false).unwrap(),
            "https://api.pathbound.ai/v1"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url("https://x.test/a//", false).unwrap(),
            "https://x.test/a"
        );
        for bad in [
            "ftp://x.test",
            "not a url",
            "/v1",
            "https://x.test/v1?a=1",
            "mailto:a@b.c",
        ] {
            let message = config_message(normalize_base_url(bad, true));
            assert!(message.contains("invalid base URL"), "{bad}: {message}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback_unless_allowed() {
        for loopback in [
            "http://127.0.0.1:8080/v1",
            "http://127.255.0.9",
            "http://0x7f.1:9",
            "http://localhost:4010",
            "http://LOCALHOST",
            "http://localhost./v1",
            "http://[::1]:9",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert!(normalize_base_url(loopback, false).is_ok(), "{loopback}");
        }
        for remote in [
            "http://api.pathbound.ai/v1",
            "http://10.0.0.7:8080",
            "http://0.0.0.0:8080",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ] {
            let message = config_message(normalize_base_url(remote, false));
            assert!(message.contains("clear text"), "{remote}: {message}");
            assert!(
                message.contains("allow_insecure_http(true)"),
                "{remote}: {message}"
            );
            assert!(normalize_base_url(remote, true).is_ok(), "{remote}");
        }
        // https is fine anywhere, with or without the opt-in.
        assert!(normalize_base_url("https://10.0.0.7", false).is_ok());
    }

    #[test]
    fn insecure_base_url_fails_the_build_without_showing_the_key() {
        let builder = ClientBuilder::<Client>::for_api(&TEST_API)
            .api_key(KEY)
            .base_url("http://staging.example.test/v1");
        let err = builder.clone().build().unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("allow_insecure_http(true)"), "{shown}");
        assert!(!shown.contains(KEY) && !shown.contains("5f3c9d"), "{shown}");
        let client = builder.allow_insecure_http(true).build().unwrap();
        assert_eq!(client.base_url(), "http://staging.example.test/v1");
    }

    #[test]
    fn credentials_in_the_base_url_are_refused_without_quoting_them() {
        for url in ["https://user:hunter2@x.test/v1", "https://hunter2@x.test"] {
            let message = config_message(normalize_base_url(url, true));
            assert!(message.contains("user name or password"), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn key_with_whitespace_or_non_ascii_is_rejected_without_echoing_it() {
        for bad_key in [
            format!("{KEY} "),
            format!(" {KEY}"),
            format!("{KEY}\t"),
            format!("{KEY}é"),
            format!("sk_a b{KEY}"),
            format!("{KEY}\u{7f}"),
        ] {
            let err = ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(bad_key.clone())
                .build()
                .unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(
                shown.contains("cannot be sent in an HTTP header"),
                "{bad_key:?}: {shown}"
            );
            assert!(!shown.contains(KEY), "{shown}");
        }
    }

    #[test]
    fn builder_requires_a_key() {
        let message = config_message(ClientBuilder::<Client>::for_api(&TEST_API).build());
        assert!(message.contains("no API key"), "{message}");
        let message = config_message(
            ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key("  ")
                .build(),
        );
        assert!(message.contains("empty"), "{message}");
    }

    #[test]
    fn key_that_cannot_be_a_header_is_rejected_without_echoing_it() {
        let bad_key = format!("{KEY}\nX-Injected: 1");
        let err = ClientBuilder::<Client>::for_api(&TEST_API)
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
    fn retry_backoff_is_validated() {
        use std::time::Duration;
        let message = config_message(
            ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(KEY)
                .retry_backoff(Duration::from_secs(2), Duration::from_secs(1))
                .build(),
        );
        assert!(message.contains("retry_backoff"), "{message}");
        let client = ClientBuilder::<Client>::for_api(&TEST_API)
            .api_key(KEY)
            .retry_backoff(Duration::ZERO, Duration::from_millis(5))
            .max_retry_after(Duration::from_secs(1))
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("max_retry_after: 1s"), "{shown}");
    }

    #[test]
    fn scopes_are_normalised_and_shown() {
        let client = ClientBuilder::<Client>::for_api(&TEST_API)
            .api_key(KEY)
            .scopes([" events:read", "contacts:read", "", "contacts:read"])
            .build()
            .unwrap();
        let scopes: Vec<&str> = client
            .scopes()
            .unwrap()
            .iter()
            .map(crate::Scope::as_str)
            .collect();
        assert_eq!(scopes, ["contacts:read", "events:read"]);
        assert!(format!("{client:?}").contains("contacts:read"));
        assert_eq!(
            ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(KEY)
                .build()
                .unwrap()
                .scopes(),
            None
        );
    }

    #[test]
    fn builder_debug_never_shows_the_key() {
        let builder = ClientBuilder::<Client>::for_api(&TEST_API)
            .api_key(KEY)
            .base_url("https://x.test");
        for shown in [format!("{builder:?}"), format!("{builder:#?}")] {
            assert!(!shown.contains(KEY), "{shown}");
            assert!(!shown.contains("5f3c9d"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
            assert!(shown.contains("https://x.test"), "{shown}");
        }
    }

    #[test]
    fn bad_user_agent_and_conflicting_connect_timeout_are_config_errors() {
        let message = config_message(
            ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(KEY)
                .user_agent("a\nb")
                .build(),
        );
        assert!(message.contains("user agent"), "{message}");
        for bad in ["", "  ", "café/1", "a\u{7f}b", "a\rb"] {
            let message = config_message(
                ClientBuilder::<Client>::for_api(&TEST_API)
                    .api_key(KEY)
                    .user_agent(bad)
                    .build(),
            );
            assert!(message.contains("user agent"), "{bad:?}: {message}");
        }
        let client = ClientBuilder::<Client>::for_api(&TEST_API)
            .api_key(KEY)
            .user_agent(" acme-sync/2.1 (linux)\tpathbound/0.1 ")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(
            shown.contains("user_agent: \"acme-sync/2.1 (linux)\tpathbound/0.1\","),
            "{shown}"
        );
        let custom = reqwest::Client::builder()
            .tls_backend_preconfigured(super::super::tls::client_config().unwrap())
            .build()
            .unwrap();
        let message = config_message(
            ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(KEY)
                .http_client(custom.clone())
                .connect_timeout(std::time::Duration::from_secs(1))
                .build(),
        );
        assert!(message.contains("connect_timeout"), "{message}");
        assert!(
            ClientBuilder::<Client>::for_api(&TEST_API)
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
        let message = config_message(ClientBuilder::<Client>::from_lookup(&TEST_API, env(&[])));
        assert!(message.contains("TEST_API_KEY is not set"), "{message}");
        let message = config_message(ClientBuilder::<Client>::from_lookup(
            &TEST_API,
            env(&[("TEST_API_KEY", "")]),
        ));
        assert!(message.contains("TEST_API_KEY is not set"), "{message}");

        let client =
            ClientBuilder::<Client>::from_lookup(&TEST_API, env(&[(TEST_API.api_key_env, KEY)]))
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(client.base_url(), TEST_API.base_url);

        let client = ClientBuilder::<Client>::from_lookup(
            &TEST_API,
            env(&[
                (TEST_API.api_key_env, KEY),
                ("TEST_BASE_URL", "http://localhost:4010/v1/"),
            ]),
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://localhost:4010/v1");
    }

    /// Base-URL errors and the builder's `Debug` never quote user info or a
    /// query, whatever else is wrong with the URL.
    #[test]
    fn base_url_errors_and_debug_quote_no_secret() {
        let secret = "hunter2";
        for raw in [
            "ftp://user:hunter2@files.example.test/v1",
            "https://user:hunter2@exa mple.test/v1",
            "https://x.test/v1?api_key=hunter2",
            "https://x.test/v1#hunter2",
            "not a url ?token=hunter2",
            "https://:hunter2@x.test/v1",
            "https://admin:pa/hunter2@api.test/v1",
            "https://admin:hunter2#x@api.test/v1",
            "https://admin:hunter2?x@api.test/v1",
        ] {
            let builder = ClientBuilder::<Client>::for_api(&TEST_API)
                .api_key(KEY)
                .base_url(raw);
            let shown = format!("{builder:?}");
            assert!(!shown.contains(secret), "{raw}: Debug {shown}");
            let err = builder.build().unwrap_err();
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(!text.contains(secret), "{raw}: {text}");
                assert!(text.contains("base URL"), "{raw}: {text}");
            }
        }
        assert_eq!(
            redact_url("https://u:p@api.example.test:8443/v1?k=v#f"),
            "https://[redacted]"
        );
        assert_eq!(
            redact_url("https://api.example.test:8443/v1?k=v#f"),
            "https://api.example.test:8443/v1?…"
        );
        assert_eq!(
            redact_url("https://api.example.test/v1"),
            "https://api.example.test/v1"
        );
    }
}
