//! [`Error`]: the one error type of the client.
//!
//! Every failure names the operation it happened in, so a message read in a
//! log says which call failed without a backtrace. API errors additionally
//! explain the common statuses (a missing scope, a bad key, rate limiting)
//! in words, in one line that says each thing once.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::operation::Operation;
use super::scope::Scope;
use super::snippet::{DISPLAY_LIMIT, for_display, snippet};

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling the API.
///
/// Match on the variants for full detail, or use the predicates
/// ([`Error::is_not_found`], [`Error::is_rate_limited`], [`Error::is_retryable`], …)
/// for the common questions. New variants may be added, hence `#[non_exhaustive]`.
///
/// The API key never appears in an error, neither in `Display` nor in `Debug`.
///
/// Errors that went over the network record how many attempts were made
/// ([`Error::attempts`]); `Display` says so when there were retries, or when a
/// transient failure was not retried ("(after 3 attempts)", "(1 attempt, not
/// retried)").
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-2xx status. Boxed because it is large
    /// and `Result<T, Error>` should stay small.
    Api(Box<ApiError>),
    /// The server answered 2xx but the body did not have the expected shape.
    Decode {
        /// The operation id, e.g. `"contacts.get"`.
        operation: &'static str,
        /// The HTTP status of the response.
        status: u16,
        /// What the decoder reported, e.g. "missing field `email` at line 1 column 40".
        /// It can quote a value from the body; `Display` shows it bounded and with
        /// control characters escaped, like every server-sent text.
        message: String,
        /// The start of the body (bounded, cut on a character boundary; escaped in
        /// `Display`).
        snippet: String,
    },
    /// The request could not be sent or the response not read: DNS, connect,
    /// TLS, a reset connection. The `source` says which.
    Transport {
        /// The operation id.
        operation: &'static str,
        /// The underlying HTTP client error, without the request's URL (whose
        /// query may hold personal data): the operation names the endpoint.
        source: reqwest::Error,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// The request did not complete within its timeout (per attempt: see
    /// [`super::ClientBuilder::timeout`]).
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// How many attempts were made, retries included; each timed out or
        /// failed transiently, the last one timed out.
        attempts: u32,
    },
    /// Client-side scope checks are on (see [`super::ClientBuilder::scopes`])
    /// and the key lacks the scope this operation needs, so the request was
    /// **not sent**. [`Error::is_forbidden`] is true, as for the server's 403;
    /// [`Error::status`] is `None` because there was no response.
    MissingScope {
        /// The operation id, e.g. `"contacts.create"`.
        operation: &'static str,
        /// The HTTP method, e.g. `"POST"`.
        method: &'static str,
        /// The path template as the docs write it, e.g. `"/v1/contacts"`.
        path: &'static str,
        /// The scope the operation needs, e.g. `"contacts:write"`.
        scope: &'static str,
    },
    /// The response body exceeded the configured size limit
    /// (see [`super::ClientBuilder::max_response_bytes`]); it was not read further.
    BodyTooLarge {
        /// The operation id.
        operation: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// The request was rejected on the client before anything was sent: a
    /// parameter out of its documented range, a body or query that could not be
    /// serialised, an unusable path argument.
    InvalidRequest {
        /// The operation id, when known.
        operation: Option<&'static str>,
        /// The parameter at fault (its wire name), or a short description such as `"query"`.
        parameter: String,
        /// A sentence saying what is wrong, e.g. "`limit` must be between 1 and 100, got 500".
        message: String,
    },
    /// The client could not be configured: a bad base URL, a missing
    /// `PATHBOUND_API_KEY`, an API key that cannot be sent in a header.
    Config(String),
    /// A paginated list did not advance: after the client asked for the page
    /// at `position` (a page number, skip or offset), the server's pagination
    /// metadata pointed at `next`, which is not past it, or is past
    /// [`PageStream::MAX_POSITION`](super::PageStream::MAX_POSITION) and so
    /// cannot be requested. Following it could fetch the same pages forever,
    /// so [`super::PageStream`] yields this error (after the items of that
    /// last page) and ends.
    PaginationStalled {
        /// The position the stream last asked for; `None` for the first page,
        /// fetched at the position the request was built with.
        position: Option<u64>,
        /// The position the server's answer pointed to next.
        next: u64,
    },
    /// A paginated list answered a page other than the one asked for: the
    /// client asked for the page at `asked` (a page number, skip or offset) and
    /// the server's metadata says the page starts at `answered`. Following the
    /// server could skip pages (page 1 answered as "page 7 of 9" would jump to
    /// page 8), so [`super::PageStream`] yields this error instead of that
    /// page's items, and ends.
    PaginationMismatch {
        /// The position the stream asked for.
        asked: u64,
        /// The position the server said the page starts at.
        answered: u64,
    },
    /// A paginated list went on past [`PageStream::max_pages`](super::PageStream::max_pages)
    /// pages (default [`PageStream::DEFAULT_MAX_PAGES`](super::PageStream::DEFAULT_MAX_PAGES)):
    /// a server whose totals keep growing could otherwise keep a stream going
    /// forever. Yielded after the items of the last page fetched; raise the
    /// ceiling for lists that really are that long.
    PaginationLimit {
        /// The number of pages fetched.
        pages: usize,
    },
}

/// The details of a non-2xx response.
///
/// The `Display` impl writes one line meant for a human: the endpoint as the
/// docs write it (`POST /v1/contacts`), the status, and what the server said;
/// for a 403 it names the missing scope once, for a 401 it points at the API key.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The server's message (the envelope's `error` field), or a generic text
    /// ([`ApiError::NO_MESSAGE`]) when there is none. Kept as sent (up to the
    /// error-body cap); `Display` shows at most 512 characters of it, with
    /// control characters escaped.
    pub message: String,
    /// The envelope's `details` (validation errors and the like); empty when absent.
    pub details: Vec<Value>,
    /// The operation id, e.g. `"contacts.create"`.
    pub operation: &'static str,
    /// The HTTP method, e.g. `"POST"`.
    pub method: &'static str,
    /// The path template as the docs write it, e.g. `"/v1/contacts/{contact_id}"`
    /// (no ids, so it is safe to log and to group by).
    pub path: &'static str,
    /// The scope the endpoint requires; set for every status, explained for 403.
    pub required_scope: Option<&'static str>,
    /// The start of the body (at most ~512 bytes, cut on a character boundary,
    /// marked when cut). Useful when the body is not JSON, e.g. a proxy's HTML page.
    pub body_snippet: String,
    /// The `x-request-id` response header; quote it when contacting support.
    pub request_id: Option<String>,
    /// The envelope's `requires_email_verification`: the account must verify
    /// its email address before this request is allowed.
    pub requires_email_verification: bool,
    /// How long the server asked us to wait (`Retry-After`), when it said.
    pub retry_after: Option<Duration>,
    /// How many attempts were made, retries included; this is the last one's response.
    pub attempts: u32,
    /// The environment variable the API key is read from, named in the 401 message.
    pub api_key_env: Option<&'static str>,
    /// This is a `404` that answered a retried `DELETE`, and an earlier attempt may have
    /// been carried out by the server (it timed out or its connection broke
    /// after the request was sent, or it got a 5xx). For a `DELETE` this most
    /// likely means the earlier attempt deleted the object; the client still
    /// reports the 404 rather than guess, and says so. See
    /// [`Error::earlier_attempt_may_have_succeeded`].
    pub earlier_attempt_may_have_succeeded: bool,
}

impl ApiError {
    /// The `message` used when the body carries no error message.
    pub const NO_MESSAGE: &'static str = "the response carried no error message";

    /// Builds the error for a non-2xx response from its parts. Never fails:
    /// a body that is not a JSON envelope still yields the status and a snippet.
    pub(crate) fn from_response(
        op: &'static Operation,
        status: u16,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        body: &[u8],
        attempts: u32,
    ) -> Self {
        let envelope = Envelope::parse(body);
        ApiError {
            status,
            message: envelope
                .message
                .unwrap_or_else(|| ApiError::NO_MESSAGE.to_owned()),
            details: envelope.details,
            operation: op.id,
            method: op.method.as_str(),
            path: op.path,
            required_scope: op.scope,
            body_snippet: snippet(body),
            request_id,
            requires_email_verification: envelope.requires_email_verification,
            retry_after,
            attempts,
            api_key_env: None,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// The scope this call needed, when it depends on a parameter (the
    /// operation's fixed scope otherwise).
    pub(crate) fn with_required_scope(mut self, scope: Option<&'static str>) -> Self {
        if scope.is_some() {
            self.required_scope = scope;
        }
        self
    }

    /// Names the environment variable the API key is read from, for the 401 message.
    pub(crate) fn with_api_key_env(mut self, env: &'static str) -> Self {
        self.api_key_env = Some(env);
        self
    }

    /// Whether `message` came from the server (rather than being [`ApiError::NO_MESSAGE`]).
    pub fn has_server_message(&self) -> bool {
        self.message != ApiError::NO_MESSAGE
    }

    /// The status's standard reason phrase, e.g. "Not Found".
    fn reason(&self) -> &'static str {
        reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown Status")
    }

    /// Writes `": <message>"`, or the body snippet when the server sent no
    /// message, then the request id. What the server sent is bounded and its
    /// control characters escaped ([`for_display`]); `Debug` keeps the fields whole.
    fn write_detail(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = for_display(&self.message, DISPLAY_LIMIT);
        if self.has_server_message() || self.body_snippet.is_empty() {
            write!(f, ": {message}")?;
        } else {
            write!(
                f,
                ": {message}; body: {}",
                for_display(&self.body_snippet, DISPLAY_LIMIT)
            )?;
        }
        if self.earlier_attempt_may_have_succeeded {
            f.write_str(
                "; an earlier attempt's outcome is unknown (it timed out, lost its connection \
                 or got a 5xx after it was sent), so it may already have done this",
            )?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {}]", for_display(id, 128))?;
        }
        let transient = super::retry::is_retryable_status(self.status);
        write_attempts(f, self.attempts, transient)
    }
}

/// Appends `" (after N attempts)"` when there were retries, or `" (1 attempt,
/// not retried)"` for a transient failure that was not retried (the operation
/// is not safe to repeat, retries are off, or the server asked for too long a
/// wait). Nothing otherwise: a 404 is never retried, so saying so is noise.
fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32, transient: bool) -> fmt::Result {
    match attempts {
        0 => Ok(()),
        1 if transient => f.write_str(" (1 attempt, not retried)"),
        1 => Ok(()),
        n => write!(f, " (after {n} attempts)"),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (method, path, status, reason) = (self.method, self.path, self.status, self.reason());
        match (status, self.required_scope) {
            (401, _) => match self.api_key_env {
                Some(env) => write!(
                    f,
                    "`{method} {path}` was rejected with 401 {reason}: the API key is missing \
                     or invalid (check {env} or the key given to the client)"
                )?,
                None => write!(
                    f,
                    "`{method} {path}` was rejected with 401 {reason}: the API key is missing \
                     or invalid (check the key given to the client)"
                )?,
            },
            (403, _) if self.requires_email_verification => write!(
                f,
                "`{method} {path}` was refused with 403 {reason}: the account's email address \
                 must be verified first"
            )?,
            // The server's message often names the scope itself; then it is not repeated.
            (403, Some(scope))
                if !names_scope(&for_display(&self.message, DISPLAY_LIMIT), scope) =>
            {
                write!(
                    f,
                    "`{method} {path}` needs scope {scope}, which this key lacks: 403 {reason}"
                )?
            }
            (429, _) => {
                write!(f, "`{method} {path}` was rate limited (429 {reason})")?;
                if let Some(wait) = self.retry_after {
                    write!(f, "; retry after {}s", wait.as_secs_f64().ceil())?;
                }
            }
            _ => write!(f, "`{method} {path}` failed with {status} {reason}")?,
        }
        self.write_detail(f)
    }
}

impl std::error::Error for ApiError {}

/// Whether `text` names `scope` as a whole word (`contacts:read`, not
/// `contacts:read_all`).
fn names_scope(text: &str, scope: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '-');
    text.match_indices(scope).any(|(at, _)| {
        let before = text[..at].chars().next_back().is_none_or(|c| !word(c));
        let after = text[at + scope.len()..]
            .chars()
            .next()
            .is_none_or(|c| !word(c));
        before && after
    })
}

/// The parts of the wire format's error envelope (`pathbound_wire::ERROR_ENVELOPE`)
/// we read: the message, the details and the email-verification flag.
#[derive(Default)]
struct Envelope {
    message: Option<String>,
    details: Vec<Value>,
    requires_email_verification: bool,
}

impl Envelope {
    /// Reads what it can; anything unexpected (not JSON, not an object, odd
    /// field types) just leaves the corresponding part empty. Error bodies are
    /// small and rare, so going through `Value` here costs nothing that matters.
    fn parse(body: &[u8]) -> Self {
        let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(body) else {
            return Envelope::default();
        };
        let keys = pathbound_wire::ERROR_ENVELOPE;
        let message = match map.remove(keys.message) {
            Some(Value::String(s)) => Some(s),
            // `{"error": {"message": "...", "code": "..."}}`
            Some(Value::Object(mut inner)) => match inner.remove("message") {
                Some(Value::String(s)) => Some(s),
                _ => None,
            },
            _ => None,
        };
        let message = message.or_else(|| match map.remove("message") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        });
        let details = match map.remove(keys.details) {
            Some(Value::Array(items)) => items,
            None | Some(Value::Null) => Vec::new(),
            Some(other) => vec![other],
        };
        let requires_email_verification = matches!(
            map.get(keys.requires_email_verification),
            Some(Value::Bool(true))
        );
        Envelope {
            message: message.filter(|m| !m.trim().is_empty()),
            details,
            requires_email_verification,
        }
    }
}

impl Error {
    /// The HTTP status, for errors that got a response (`Api` and `Decode`).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The details of a non-2xx response, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The id of the operation that failed, when the error happened inside one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(api) => Some(api.operation),
            Error::Decode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::MissingScope { operation, .. }
            | Error::BodyTooLarge { operation, .. } => Some(operation),
            Error::InvalidRequest { operation, .. } => *operation,
            Error::Config(_)
            | Error::PaginationStalled { .. }
            | Error::PaginationMismatch { .. }
            | Error::PaginationLimit { .. } => None,
        }
    }

    /// 404: the resource does not exist (or is not visible to this key).
    pub fn is_not_found(&self) -> bool {
        self.api_status() == Some(404)
    }

    /// A `404` that answered a retry after an attempt the server may have
    /// carried out (see [`ApiError::earlier_attempt_may_have_succeeded`]): for
    /// a `DELETE`, the object is most likely gone because of that attempt.
    /// [`Error::is_not_found`] is true too.
    pub fn earlier_attempt_may_have_succeeded(&self) -> bool {
        self.api_error()
            .is_some_and(|api| api.earlier_attempt_may_have_succeeded)
    }

    /// 409: the request conflicts with the current state (e.g. a duplicate).
    pub fn is_conflict(&self) -> bool {
        self.api_status() == Some(409)
    }

    /// 429: too many requests; wait (see [`ApiError::retry_after`]) and retry.
    pub fn is_rate_limited(&self) -> bool {
        self.api_status() == Some(429)
    }

    /// 401: the API key is missing, malformed, revoked or wrong.
    pub fn is_unauthorized(&self) -> bool {
        self.api_status() == Some(401)
    }

    /// How many attempts were made, retries included, for the errors that
    /// went over the network (`Api`, `Transport`, `Timeout`); `None` otherwise.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => Some(api.attempts),
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// 403: the key is valid but may not do this (missing scope, unverified
    /// email); also true for [`Error::MissingScope`], the same refusal found
    /// by the client before sending.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Error::MissingScope { .. }) || self.api_status() == Some(403)
    }

    /// The scope the key lacks: from [`Error::MissingScope`], or from a 403
    /// response of an operation that needs a scope (unless the 403 is about
    /// an unverified email address).
    pub fn missing_scope(&self) -> Option<Scope> {
        match self {
            Error::MissingScope { scope, .. } => Some(Scope::from_static(scope)),
            Error::Api(api) if api.status == 403 && !api.requires_email_verification => {
                api.required_scope.map(Scope::from_static)
            }
            _ => None,
        }
    }

    /// The request timed out on the client, or the server answered 408.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. }) || self.api_status() == Some(408)
    }

    /// The failure is likely transient: a transport error, a timeout, or a
    /// 408/429/500/502/503/504 response. Whether re-sending is *safe* also
    /// depends on the operation being idempotent, which the automatic retries
    /// take into account (see [`super::RequestOptions::max_retries`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Api(api) => super::retry::is_retryable_status(api.status),
            _ => false,
        }
    }

    fn api_status(&self) -> Option<u16> {
        self.api_error().map(|api| api.status)
    }

    /// An [`Error::InvalidRequest`].
    pub(crate) fn invalid(
        operation: Option<&'static str>,
        parameter: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::InvalidRequest {
            operation,
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    /// Maps an HTTP client error that happened while sending or reading, on
    /// attempt number `attempts` (1-based).
    pub(crate) fn transport(
        operation: &'static str,
        source: reqwest::Error,
        attempts: u32,
    ) -> Self {
        if source.is_timeout() {
            Error::Timeout {
                operation,
                attempts,
            }
        } else {
            Error::Transport {
                operation,
                source: source.without_url(),
                attempts,
            }
        }
    }

    /// The [`Error::MissingScope`] for `op`, which needs `scope`.
    pub(crate) fn missing_scope_for(op: &'static Operation, scope: &'static str) -> Self {
        Error::MissingScope {
            operation: op.id,
            method: op.method.as_str(),
            path: op.path,
            scope,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Decode {
                operation,
                status,
                message,
                snippet,
            } => {
                // Both come from the server: bounded and escaped, as for `ApiError`.
                write!(
                    f,
                    "could not decode the {status} response of `{operation}`: {}",
                    for_display(message, DISPLAY_LIMIT)
                )?;
                if !snippet.is_empty() {
                    write!(f, "; body: {}", for_display(snippet, DISPLAY_LIMIT))?;
                }
                Ok(())
            }
            Error::Transport {
                operation,
                source,
                attempts,
            } => {
                let what = if source.is_connect() {
                    "could not connect to the server"
                } else if source.is_body() || source.is_decode() {
                    "the connection failed while reading the response"
                } else {
                    "the request could not be sent"
                };
                // The cause is available through `source()`; `{:#}` in anyhow
                // or a report printer shows it.
                write!(f, "`{operation}`: {what}")?;
                write_attempts(f, *attempts, true)
            }
            Error::Timeout {
                operation,
                attempts,
            } => {
                write!(
                    f,
                    "`{operation}` timed out (see ClientBuilder::timeout and \
                     RequestOptions::timeout)"
                )?;
                write_attempts(f, *attempts, true)
            }
            Error::MissingScope {
                method,
                path,
                scope,
                ..
            } => write!(
                f,
                "`{method} {path}` needs scope {scope}, which this key lacks: not sent (checked \
                 by the client)"
            ),
            Error::BodyTooLarge { operation, limit } => write!(
                f,
                "the response to `{operation}` is larger than the {limit}-byte limit \
                 (see ClientBuilder::max_response_bytes)"
            ),
            Error::InvalidRequest {
                operation: Some(op),
                message,
                ..
            } => {
                write!(f, "invalid request to `{op}`: {message}")
            }
            Error::InvalidRequest {
                operation: None,
                message,
                ..
            } => {
                write!(f, "invalid request: {message}")
            }
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::PaginationStalled { position, next } => {
                f.write_str("the list's pagination did not advance: the server answered ")?;
                match position {
                    Some(position) => write!(f, "the request for position {position}")?,
                    None => f.write_str("the first request")?,
                }
                write!(
                    f,
                    " with metadata pointing to position {next}, which cannot be requested \
                     next; the stream stopped instead of fetching the same pages forever"
                )
            }
            Error::PaginationMismatch { asked, answered } => write!(
                f,
                "the list's pagination went astray: the client asked for the page at position \
                 {asked} and the server answered the page at position {answered}; the stream \
                 stopped instead of skipping or repeating pages"
            ),
            Error::PaginationLimit { pages } => write!(
                f,
                "the list went on past {pages} pages, the stream's ceiling; it stopped there \
                 (raise it with PageStream::max_pages for lists that long)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{ApiError, Error};
    use crate::operation::{Method, Operation};

    static CREATE: Operation = Operation {
        id: "contacts.create",
        method: Method::Post,
        path: "/v1/contacts",
        scope: Some("contacts:write"),
        scope_by: None,
        auth: true,
        retry_safe: false,
    };

    static GET: Operation = Operation {
        id: "contacts.get",
        method: Method::Get,
        path: "/v1/contacts/{contact_id}",
        scope: Some("contacts:read"),
        scope_by: None,
        auth: true,
        retry_safe: true,
    };

    fn api(op: &'static Operation, status: u16, body: &str) -> Error {
        ApiError::from_response(op, status, None, None, body.as_bytes(), 1).into()
    }

    #[test]
    fn forbidden_names_the_missing_scope() {
        let err = api(
            &CREATE,
            403,
            r#"{"status":"error","error":"Insufficient scope"}"#,
        );
        let text = err.to_string();
        assert_eq!(
            text,
            "`POST /v1/contacts` needs scope contacts:write, which this key lacks: 403 \
             Forbidden: Insufficient scope"
        );
        assert_eq!(text.matches("contacts:write").count(), 1);
        // A longer scope in the server's words is not this one: still named.
        let longer = api(&CREATE, 403, r#"{"error":"missing contacts:write_all"}"#);
        assert!(
            longer
                .to_string()
                .starts_with("`POST /v1/contacts` needs scope contacts:write,")
        );
        // A server message that names the scope itself is not repeated.
        let named = api(&CREATE, 403, r#"{"error":"missing scope contacts:write"}"#);
        assert_eq!(
            named.to_string(),
            "`POST /v1/contacts` failed with 403 Forbidden: missing scope contacts:write"
        );
        assert!(err.is_forbidden() && !err.is_retryable());
        assert_eq!(
            err.api_error().unwrap().required_scope,
            Some("contacts:write")
        );
    }

    #[test]
    fn forbidden_for_unverified_email_says_so_instead() {
        let err = api(
            &CREATE,
            403,
            r#"{"error":"Verify your email","requires_email_verification":true}"#,
        );
        assert!(err.api_error().unwrap().requires_email_verification);
        let text = err.to_string();
        assert!(text.contains("email address must be verified"), "{text}");
        assert!(!text.contains("needs scope"), "{text}");
    }

    #[test]
    fn conflict_says_what_the_server_said_once() {
        let err = api(
            &CREATE,
            409,
            r#"{"error":"duplicate email","details":[{"field":"email"}]}"#,
        );
        assert!(err.is_conflict());
        assert_eq!(
            err.to_string(),
            "`POST /v1/contacts` failed with 409 Conflict: duplicate email"
        );
        assert_eq!(
            err.api_error().unwrap().details,
            vec![serde_json::json!({"field":"email"})]
        );
    }

    #[test]
    fn unauthorized_points_at_the_api_key_env_var() {
        let err = api(&GET, 401, r#"{"error":"Invalid API key"}"#);
        assert!(err.is_unauthorized());
        let text = err.to_string();
        assert!(text.contains("API key is missing or invalid"), "{text}");
        assert!(text.contains("check the key given to the client"), "{text}");
        let named = ApiError::from_response(&GET, 401, None, None, b"{}", 1)
            .with_api_key_env("TEST_API_KEY");
        assert!(named.to_string().contains("check TEST_API_KEY"), "{named}");
        assert!(text.ends_with(": Invalid API key"), "{text}");
    }

    #[test]
    fn rate_limited_says_so_and_when_to_retry() {
        let error = ApiError::from_response(
            &GET,
            429,
            Some("req_9".into()),
            Some(Duration::from_secs(7)),
            br#"{"error":"Too many requests"}"#,
            1,
        );
        let err = Error::from(error);
        assert!(err.is_rate_limited() && err.is_retryable());
        assert_eq!(
            err.to_string(),
            "`GET /v1/contacts/{contact_id}` was rate limited (429 Too Many Requests); retry \
             after 7s: Too many requests [request id req_9] (1 attempt, not retried)"
        );
    }

    #[test]
    fn not_found_uses_the_path_template_and_message() {
        let err = api(
            &GET,
            404,
            r#"{"status":"error","error":"Contact not found"}"#,
        );
        assert!(err.is_not_found());
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.operation(), Some("contacts.get"));
        assert_eq!(
            err.to_string(),
            "`GET /v1/contacts/{contact_id}` failed with 404 Not Found: Contact not found"
        );
    }

    #[test]
    fn html_bad_gateway_keeps_status_and_a_bounded_snippet() {
        let body = format!("<html><body>{}</body></html>", "ü".repeat(2000));
        let err = api(&GET, 502, &body);
        let api_err = err.api_error().unwrap();
        assert_eq!(api_err.status, 502);
        assert!(!api_err.has_server_message());
        assert!(api_err.body_snippet.starts_with("<html><body>ü"));
        assert!(
            api_err
                .body_snippet
                .ends_with(&format!("… ({} bytes in total)", body.len()))
        );
        let kept = api_err.body_snippet.split('…').next().unwrap();
        assert!(kept.len() <= 512, "{}", kept.len());
        let text = err.to_string();
        assert!(text.starts_with("`GET /v1/contacts/{contact_id}` failed with 502 Bad Gateway: "));
        assert!(text.contains("body: <html>"), "{text}");
        assert!(text.ends_with(" (1 attempt, not retried)"), "{text}");
        assert!(text.len() < 700, "{}", text.len());
        assert!(err.is_retryable());
    }

    #[test]
    fn nested_error_objects_and_odd_details_are_tolerated() {
        let err = api(
            &GET,
            400,
            r#"{"error":{"message":"bad input","code":"x"},"details":"one"}"#,
        );
        let api_err = err.api_error().unwrap();
        assert_eq!(api_err.message, "bad input");
        assert_eq!(api_err.details, vec![serde_json::json!("one")]);
    }

    #[test]
    fn other_variants_display_and_classify() {
        let err = Error::invalid(
            Some("contacts.list"),
            "limit",
            "`limit` must be at most 100, got 500",
        );
        assert_eq!(
            err.to_string(),
            "invalid request to `contacts.list`: `limit` must be at most 100, got 500"
        );
        assert!(!err.is_retryable());
        let err = Error::Timeout {
            operation: "contacts.list",
            attempts: 3,
        };
        assert!(err.is_timeout() && err.is_retryable());
        assert_eq!(err.operation(), Some("contacts.list"));
        assert_eq!(err.attempts(), Some(3));
        assert_eq!(
            err.to_string(),
            "`contacts.list` timed out (see ClientBuilder::timeout and RequestOptions::timeout) \
             (after 3 attempts)"
        );
        let err = Error::Decode {
            operation: "contacts.get",
            status: 200,
            message: "missing field `contact`".into(),
            snippet: "{}".into(),
        };
        assert_eq!(
            err.to_string(),
            "could not decode the 200 response of `contacts.get`: missing field `contact`; body: {}"
        );
        assert_eq!(err.status(), Some(200));
    }

    #[test]
    fn attempts_are_shown_for_retries_and_unretried_transient_failures() {
        let after = |status, attempts| {
            Error::from(ApiError::from_response(
                &GET,
                status,
                None,
                None,
                br#"{"error":"boom"}"#,
                attempts,
            ))
        };
        let err = after(500, 3);
        assert_eq!(err.attempts(), Some(3));
        assert_eq!(
            err.to_string(),
            "`GET /v1/contacts/{contact_id}` failed with 500 Internal Server Error: boom \
             (after 3 attempts)"
        );
        assert!(
            after(503, 1)
                .to_string()
                .ends_with(": boom (1 attempt, not retried)")
        );
        // Permanent failures are never retried, so there is nothing to say.
        assert!(after(404, 1).to_string().ends_with(": boom"));
        assert_eq!(after(404, 1).attempts(), Some(1));
        assert_eq!(Error::Config("x".into()).attempts(), None);
    }

    #[test]
    fn missing_scope_reads_like_the_server_403_and_is_forbidden() {
        let err = Error::missing_scope_for(&CREATE, "contacts:write");
        assert_eq!(
            err.to_string(),
            "`POST /v1/contacts` needs scope contacts:write, which this key lacks: not sent \
             (checked by the client)"
        );
        assert!(err.is_forbidden() && !err.is_retryable());
        assert_eq!(err.missing_scope(), Some("contacts:write".into()));
        assert_eq!(err.operation(), Some("contacts.create"));
        assert_eq!((err.status(), err.attempts()), (None, None));
        assert!(err.api_error().is_none());
        // The server's 403 answers the same question.
        let server = api(&CREATE, 403, r#"{"error":"Insufficient scope"}"#);
        assert_eq!(server.missing_scope(), Some("contacts:write".into()));
        let unverified = api(
            &CREATE,
            403,
            r#"{"error":"verify","requires_email_verification":true}"#,
        );
        assert_eq!(unverified.missing_scope(), None);
        assert_eq!(api(&CREATE, 409, "{}").missing_scope(), None);
    }

    #[test]
    fn error_is_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
        assert_bounds::<Error>();
        // Small enough that `Result<T>` stays cheap (clippy warns at 128 bytes).
        assert!(
            std::mem::size_of::<Error>() <= 72,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
