//! How a mock server is set up: API keys with their scopes, latency, a rate
//! limit, faults, and the spec it serves.

use std::time::Duration;

use pathbound_model::ast::SourceFile;

use crate::fault::{Fault, parse_duration};
use crate::webhooks::{Webhook, WebhookPolicy};

/// A key with every scope of the spec.
pub const KEY_ALL: &str = "sk_test_all";
/// A read-only key: `contacts:read` and `events:read`.
pub const KEY_READ_ONLY: &str = "sk_test_ro";
/// A key with every scope except the opt-in `actions:write` (like a legacy key).
pub const KEY_NO_ACTIONS: &str = "sk_test_noactions";

/// An API key the mock accepts, with the scopes it grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The secret sent as `Authorization: Bearer <key>`.
    pub key: String,
    /// Granted scopes; `*` grants every scope of the spec.
    pub scopes: Vec<String>,
}

impl ApiKey {
    /// A key granting `scopes` (`["*"]` for all).
    pub fn new(
        key: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        ApiKey {
            key: key.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses `KEY=SCOPE,SCOPE` (or `KEY=*`; `KEY=` grants no scope).
    pub fn parse(text: &str) -> Result<ApiKey, String> {
        let (key, scopes) = text
            .split_once('=')
            .ok_or_else(|| format!("invalid key {text:?}: expected KEY=SCOPES, e.g. sk_test_ro=contacts:read,events:read"))?;
        let key = key.trim();
        if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "invalid key {key:?}: it must be non-empty, without spaces"
            ));
        }
        Ok(ApiKey::new(
            key,
            scopes.split(',').map(str::trim).filter(|s| !s.is_empty()),
        ))
    }

    /// The default keys: all scopes, read-only, and all but the opt-in scopes.
    pub fn defaults() -> Vec<ApiKey> {
        vec![
            ApiKey::new(KEY_ALL, ["*"]),
            ApiKey::new(KEY_READ_ONLY, ["contacts:read", "events:read"]),
            ApiKey::new(KEY_NO_ACTIONS, ["*", "-actions:write"]),
        ]
    }
}

/// A rate limit: at most `requests` per `window` per API key (per client address
/// for public endpoints). Fixed windows; a refused request gets `429` with
/// `Retry-After` (seconds, rounded up) and `retry-after-ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

impl RateLimit {
    /// Parses `N/WINDOW`, e.g. `100/15m` or `5/1s`.
    pub fn parse(text: &str) -> Result<RateLimit, String> {
        let (n, window) = text.split_once('/').ok_or_else(|| {
            format!("invalid rate limit {text:?}: expected N/WINDOW, e.g. 100/15m")
        })?;
        let requests = n
            .trim()
            .parse()
            .map_err(|_| format!("invalid rate limit {text:?}: {n:?} is not a whole number"))?;
        let window = parse_duration(window)?;
        if window.is_zero() {
            return Err(format!(
                "invalid rate limit {text:?}: the window must be longer than 0"
            ));
        }
        Ok(RateLimit { requests, window })
    }
}

/// The default cap on the delay latency faults add to one request.
pub const DEFAULT_MAX_FAULT_LATENCY: Duration = Duration::from_secs(60);
/// The default time a client has to send a request's headers (and that an idle
/// keep-alive connection stays open).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time a client has to send a request's body.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a response write may make no progress (the client not
/// reading) before the connection is closed.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The default number of connections served at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// The default number of failed authentications per client address and window.
pub const DEFAULT_AUTH_FAILURE_LIMIT: RateLimit = RateLimit {
    requests: 100,
    window: Duration::from_secs(60),
};
/// The default number of records the tenant may hold.
pub const DEFAULT_MAX_RECORDS: usize = 100_000;

/// The settings of a [`crate::MockServer`]; start one with [`MockConfig::start`].
#[derive(Debug, Clone)]
#[must_use]
pub struct MockConfig {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) keys: Vec<ApiKey>,
    pub(crate) latency: Duration,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) faults: Vec<Fault>,
    pub(crate) body_limit: usize,
    pub(crate) spec_files: Option<Vec<SourceFile>>,
    pub(crate) log_requests: bool,
    pub(crate) seed: bool,
    pub(crate) max_fault_latency: Duration,
    pub(crate) header_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) write_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) auth_failure_limit: Option<RateLimit>,
    pub(crate) max_records: usize,
    pub(crate) drift: bool,
    pub(crate) webhooks: Vec<Webhook>,
    pub(crate) webhook_policy: WebhookPolicy,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            host: "127.0.0.1".into(),
            port: 0,
            keys: ApiKey::defaults(),
            latency: Duration::ZERO,
            rate_limit: None,
            faults: Vec::new(),
            body_limit: 1024 * 1024,
            spec_files: None,
            log_requests: false,
            seed: true,
            max_fault_latency: DEFAULT_MAX_FAULT_LATENCY,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            auth_failure_limit: Some(DEFAULT_AUTH_FAILURE_LIMIT),
            max_records: DEFAULT_MAX_RECORDS,
            drift: false,
            webhooks: Vec::new(),
            webhook_policy: WebhookPolicy::default(),
        }
    }
}

impl MockConfig {
    /// The defaults: 127.0.0.1 on a free port, the three default keys, seeded data,
    /// no latency, no rate limit, a 1 MiB body limit, and the limits below: 60 s
    /// of injected latency at most, 30 s to send the headers, 10 s to send the
    /// body, 30 s for a stalled response write, 256 connections, 100 failed authentications per minute and client
    /// address, 100,000 records.
    pub fn new() -> Self {
        Self::default()
    }

    /// The address to listen on (default `127.0.0.1`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The port (default `0`: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Replaces the keys.
    pub fn keys(mut self, keys: Vec<ApiKey>) -> Self {
        self.keys = keys;
        self
    }

    /// Adds a key.
    pub fn key(mut self, key: ApiKey) -> Self {
        self.keys.retain(|k| k.key != key.key);
        self.keys.push(key);
        self
    }

    /// Delays every answer by `latency`.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Limits requests per key.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Adds a fault rule.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// The largest request body accepted (default 1 MiB); larger ones get `400`.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Serves these spec files (main file first) instead of the embedded spec.
    pub fn spec_files(mut self, files: Vec<SourceFile>) -> Self {
        self.spec_files = Some(files);
        self
    }

    /// Prints one line per request to stderr.
    pub fn log_requests(mut self, on: bool) -> Self {
        self.log_requests = on;
        self
    }

    /// Starts with seeded data (default) or empty.
    pub fn seed(mut self, on: bool) -> Self {
        self.seed = on;
        self
    }

    /// The longest delay latency faults may add to one request (default 60 s).
    /// An `x-mock-fault` header asking for a longer latency is a `400`; longer
    /// configured rules are cut to it; the latencies of one request are added
    /// (saturating) and the sum is cut to it too.
    pub fn max_fault_latency(mut self, cap: Duration) -> Self {
        self.max_fault_latency = cap;
        self
    }

    /// How long a client may take to send a request's headers (default 30 s);
    /// also how long an idle keep-alive connection stays open. At least 1 ms.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long a client may take to send a request's body once the headers are
    /// in (default 10 s). A slower body is answered `408` and the connection is
    /// closed. At least 1 ms.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long writing a response may make no progress, because the client
    /// stopped reading, before the connection is closed (default 30 s). At least
    /// 1 ms.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How many connections are served at once (default 256, at least 1). A
    /// connection over the limit is answered `503` with `Retry-After: 1` and
    /// closed.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Failed authentications (`401`) allowed per client address and window
    /// (default 100 per minute). Past the limit, every request from that address
    /// to an endpoint that needs a key is answered `429` with `Retry-After`
    /// until the window ends, even with a valid key. `None` turns it off.
    pub fn auth_failure_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.auth_failure_limit = limit;
        self
    }

    /// The most records the tenant may hold (default 100,000): contacts,
    /// companies, events, notes, actions, agents, agent runs, identities and
    /// LinkedIn login sessions, seeded ones included. A request that would add
    /// more is answered `503` and changes nothing; deleting records makes room.
    pub fn max_records(mut self, records: usize) -> Self {
        self.max_records = records;
        self
    }

    /// Drift mode (default off): every successful answer is changed as a
    /// future version of the API might change it, deterministically (see
    /// `pathbound_mock::drift`), for testing `cargo xtask drift`.
    pub fn drift(mut self, on: bool) -> Self {
        self.drift = on;
        self
    }

    /// Delivers every change (`*`) to `url` (`http://` only), signed with
    /// `secret`; see [`MockConfig::subscribe`] to choose what it receives.
    pub fn webhook(self, url: impl Into<String>, secret: impl Into<String>) -> Self {
        self.subscribe(Webhook::new(url).secret(secret))
    }

    /// Adds a webhook subscription (repeatable). A bad URL or an empty secret
    /// makes [`MockConfig::start`] fail.
    pub fn subscribe(mut self, webhook: Webhook) -> Self {
        self.webhooks.push(webhook);
        self
    }

    /// How deliveries are retried, timed out, queued and logged.
    pub fn webhook_policy(mut self, policy: WebhookPolicy) -> Self {
        self.webhook_policy = policy;
        self
    }
}

/// The scopes `key` grants, expanded against the spec's scopes: `*` is every
/// scope, `-scope` removes one.
pub fn expand_scopes(key: &ApiKey, all: &[String]) -> Vec<String> {
    let mut granted: Vec<String> = Vec::new();
    for scope in &key.scopes {
        if scope == "*" {
            granted.extend(all.iter().cloned());
        } else if scope.strip_prefix('-').is_none() {
            granted.push(scope.clone());
        }
    }
    for scope in &key.scopes {
        if let Some(removed) = scope.strip_prefix('-') {
            granted.retain(|s| s != removed);
        }
    }
    let mut unique = Vec::new();
    for s in granted {
        if !unique.contains(&s) {
            unique.push(s);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{ApiKey, RateLimit, expand_scopes};

    #[test]
    fn keys_and_limits_parse() {
        let k = ApiKey::parse("sk_test_ro=contacts:read, events:read").unwrap();
        assert_eq!(k.scopes, ["contacts:read", "events:read"]);
        assert_eq!(ApiKey::parse("k=").unwrap().scopes, Vec::<String>::new());
        assert!(ApiKey::parse("nokey").is_err());
        assert!(ApiKey::parse("=*").is_err());
        let all = vec!["a:read".to_owned(), "a:write".to_owned()];
        assert_eq!(
            expand_scopes(&ApiKey::new("k", ["*", "-a:write"]), &all),
            ["a:read"]
        );
        assert_eq!(
            RateLimit::parse("100/15m").unwrap(),
            RateLimit {
                requests: 100,
                window: Duration::from_secs(900)
            }
        );
        assert!(RateLimit::parse("100").is_err());
        assert!(RateLimit::parse("x/1s").is_err());
        assert!(RateLimit::parse("1/0s").is_err());
    }
}
