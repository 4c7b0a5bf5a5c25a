//! [`Client`]: the shared handle, and the one non-generic function that sends
//! every request.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use tracing::Instrument;
use tracing::field::Empty;

use super::call::Call;
use super::config::Config;
use super::error::{ApiError, Error, Result};
use super::operation::Operation;
use super::response::{Body, Response};
use super::retry;
use super::scope::Scope;

/// Error bodies are only read for their message, so they get a small cap.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// A client for the API.
///
/// Cheap to clone: clones share one connection pool and configuration, so
/// create one at startup and pass clones around (or keep it in your state).
/// The API key is never shown by `Debug`.
///
/// # Tracing
///
/// Every [`Client::execute`] runs inside one `INFO` span named
/// `pathbound.request` with the fields `operation` (the operation id),
/// `method`, `path` (the path *template*, e.g. `/contacts/{contact_id}`: no
/// ids, no query, so nothing personal), and, recorded when the request ends,
/// `attempt` (the number of the last attempt, 1-based), `status` (the final
/// HTTP status, when there was a response) and `duration_ms` (all attempts
/// and waits). Inside it, each attempt logs a `TRACE` event when it starts
/// and a `DEBUG` event with its outcome (`attempt`, `status` or `failure`,
/// `elapsed_ms`), each retry a `WARN` event with the wait and the reason, and
/// the request's outcome a `DEBUG` event. A request refused by the client-side
/// scope check logs a `DEBUG` event naming the scope.
///
/// No span or event ever carries the API key, a header, the URL (so no query
/// values) or a body; error messages quote at most a bounded snippet of an
/// error body. The HTTP stack underneath (`reqwest` logs through the `log`
/// crate, `hyper-util` through `tracing`) logs connection set-up but no header
/// values, as `pathbound-client/tests/tracing_redaction.rs` checks at `TRACE`
/// level; and the `Authorization` value is marked sensitive, so a `HeaderMap`'s
/// `Debug` hides it too.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
    /// The key's scopes, when client-side scope checks are on.
    scopes: Option<Arc<ScopeSet>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        self.config.debug_fields(&mut d);
        d.field("scopes", &self.scopes()).finish_non_exhaustive()
    }
}

/// Scopes, trimmed, sorted and deduplicated.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ScopeSet(Box<[Scope]>);

impl ScopeSet {
    pub(crate) fn new(scopes: Vec<Scope>) -> Self {
        let mut scopes: Vec<Scope> = scopes
            .into_iter()
            .map(|scope| match scope.as_str().trim() {
                trimmed if trimmed.len() == scope.as_str().len() => scope,
                trimmed => Scope::from(trimmed),
            })
            .filter(|scope| !scope.as_str().is_empty())
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        ScopeSet(scopes.into_boxed_slice())
    }

    fn contains(&self, scope: &str) -> bool {
        self.0
            .binary_search_by(|have| have.as_str().cmp(scope))
            .is_ok()
    }
}

impl Client {
    pub(crate) fn from_config(config: Config, scopes: Option<ScopeSet>) -> Client {
        Client {
            config: Arc::new(config),
            scopes: scopes.map(Arc::new),
        }
    }

    /// A copy of this client with client-side scope checks on, for a key that
    /// grants `scopes` (see [`ClientBuilder::scopes`](crate::ClientBuilder::scopes) for what that does).
    ///
    /// The copy shares the connection pool and settings; `self` is unchanged.
    /// Typically fed with what the API's key-status endpoint reports:
    ///
    /// ```ignore
    /// let status = client.auth().status().send().await?;
    /// // Older servers do not report scopes; then leave the checks off.
    /// let client = match status.scopes {
    ///     Some(scopes) => client.with_scopes(scopes),
    ///     None => client,
    /// };
    /// // Fails with Error::MissingScope, without sending, if the key lacks contacts:write.
    /// client.contacts().create("ada@example.com").send().await?;
    /// ```
    pub fn with_scopes(&self, scopes: impl IntoIterator<Item = impl Into<Scope>>) -> Client {
        let scopes = ScopeSet::new(scopes.into_iter().map(Into::into).collect());
        Client {
            config: Arc::clone(&self.config),
            scopes: Some(Arc::new(scopes)),
        }
    }

    /// A copy of this client with client-side scope checks off (the default):
    /// every request is sent and the server decides.
    pub fn without_scope_checks(&self) -> Client {
        Client {
            config: Arc::clone(&self.config),
            scopes: None,
        }
    }

    /// The scopes checked before sending (sorted), or `None` when client-side
    /// scope checks are off.
    pub fn scopes(&self) -> Option<&[Scope]> {
        self.scopes.as_deref().map(|set| &*set.0)
    }

    /// The scope `op` needs that the configured scopes lack, if checks are on.
    fn missing_scope(&self, needed: Option<&'static str>) -> Option<&'static str> {
        let (Some(have), Some(needed)) = (self.scopes.as_deref(), needed) else {
            return None;
        };
        (!have.contains(needed)).then_some(needed)
    }

    /// The API root requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Sends `call` and reads the whole response.
    ///
    /// Retries transient failures as described on
    /// [`super::RequestOptions::max_retries`]. A 2xx response is returned for
    /// decoding; anything else becomes [`Error::Api`]. When client-side scope
    /// checks are on ([`ClientBuilder::scopes`](crate::ClientBuilder::scopes)) and the key lacks the
    /// operation's scope, fails with [`Error::MissingScope`] before sending.
    /// Traced as described under [Tracing](Client#tracing).
    pub async fn execute(&self, call: Call<'_>) -> Result<Response> {
        let op = call.op;
        let span = tracing::info_span!(
            "pathbound.request",
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            attempt = Empty,
            status = Empty,
            duration_ms = Empty,
        );
        self.execute_in(call, span.clone()).instrument(span).await
    }

    /// [`Client::execute`] inside its span, which it fills in.
    async fn execute_in(&self, call: Call<'_>, span: tracing::Span) -> Result<Response> {
        let op = call.op;
        let required_scope = op.scope_for(call.scope_value);
        if let Some(scope) = self.missing_scope(required_scope) {
            tracing::debug!(
                scope,
                "not sent: the key lacks the scope this operation needs"
            );
            return Err(Error::missing_scope_for(op, scope));
        }
        super::config::check_limits(
            call.options.timeout,
            call.options.deadline,
            call.options.max_retries,
        )
        .map_err(|why| Error::invalid(Some(op.id), "options", why))?;
        let url = super::url::build_url(
            &self.config.base_url,
            self.config.api_base_path,
            op,
            call.path_args,
            &call.query_string()?,
        )?;
        let max_retries = call.options.max_retries.unwrap_or(self.config.max_retries);
        let timeout = call.options.timeout.unwrap_or(self.config.timeout);
        let started = Instant::now();
        let deadline = call
            .options
            .deadline
            .or(self.config.deadline)
            .and_then(|d| started.checked_add(d));
        // Each attempt gets its timeout, cut to what is left before the deadline.
        let attempt_timeout = || match deadline {
            Some(at) => timeout.min(at.saturating_duration_since(Instant::now())),
            None => timeout,
        };
        let url = reqwest::Url::parse(&url).map_err(|e| {
            Error::invalid(
                Some(op.id),
                "url",
                format!("could not build the request URL: {e}"),
            )
        })?;
        let spare = match call.body {
            Some(body) => Spare::Built(self.build_request(op, url, Some(body))),
            None => Spare::Url(url),
        };
        // 1-based: the number of the attempt being made.
        let mut attempt: u32 = 1;
        // Whether an attempt before the last may have been carried out by the
        // server even though it failed (a timeout or broken connection after
        // sending, a 5xx).
        let mut maybe_applied = false;
        let outcome = loop {
            // Send a copy while retries remain, so the spare is there for the
            // next attempt; the last attempt consumes the spare.
            let copy = match attempt <= max_retries {
                true => spare.copy(self, op),
                false => None,
            };
            let Some(copy) = copy else {
                let request = spare.into_request(self, op);
                break self.attempt(op, request, attempt, attempt_timeout()).await;
            };
            let outcome = self.attempt(op, copy, attempt, attempt_timeout()).await;
            if let Err(failure) = &outcome {
                maybe_applied |= failure.may_have_been_applied();
            }
            let delay = match &outcome {
                Ok(_) => None,
                Err(failure) => failure
                    .retry_hint(op.retry_safe)
                    .and_then(|hint| retry::delay(attempt - 1, &self.config.backoff, hint)),
            };
            // No retry whose wait would end at or past the deadline.
            let delay = delay.filter(|d| {
                deadline.is_none_or(|at| Instant::now().checked_add(*d).is_some_and(|t| t < at))
            });
            let (Err(failure), Some(delay)) = (&outcome, delay) else {
                break outcome;
            };
            tracing::warn!(
                operation = op.id,
                attempt,
                delay_ms = delay.as_millis() as u64,
                failure = %failure.describe(),
                "retrying request"
            );
            tokio::time::sleep(delay).await;
            attempt = attempt.saturating_add(1);
        };
        let outcome = match outcome {
            // Only a DELETE: a 404 then most likely means the earlier attempt
            // removed the object; for a read or an update it says nothing of the kind.
            Err(Failure::Status { status: 404, .. })
                if maybe_applied
                    && attempt > 1
                    && op.method == super::operation::Method::Delete =>
            {
                outcome.map_err(Failure::after_uncertain_attempt)
            }
            other => other,
        };
        if let Ok(response) = &outcome {
            super::observe::notify(self.config.observer.as_ref(), op, response.body());
        }
        finish(
            op,
            required_scope,
            outcome,
            attempt,
            started,
            &span,
            self.config.api.api_key_env,
        )
    }

    /// The `reqwest::Request` for `op`, with all headers and the body. The
    /// headers go straight into the request's own map, and no per-request
    /// timeout is set on it (that would allocate request extensions):
    /// [`Client::attempt`] enforces the timeout itself.
    fn build_request(
        &self,
        op: &'static Operation,
        url: reqwest::Url,
        body: Option<Vec<u8>>,
    ) -> reqwest::Request {
        let mut request = reqwest::Request::new(super::operation::to_reqwest(op.method), url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.config.user_agent.clone());
        if op.auth {
            headers.insert(AUTHORIZATION, self.config.authorization.clone());
        }
        if let Some(body) = body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *request.body_mut() = Some(body.into());
        }
        request
    }

    /// One attempt, within `timeout` (sending and reading the whole body),
    /// logged at `DEBUG` with its outcome and duration.
    async fn attempt(
        &self,
        op: &'static Operation,
        request: reqwest::Request,
        attempt: u32,
        timeout: std::time::Duration,
    ) -> Result<Response, Failure> {
        let started = Instant::now();
        tracing::trace!(attempt, "sending request");
        let outcome = tokio::time::timeout(timeout, self.send_once(op, request))
            .await
            .unwrap_or(Err(Failure::Timeout));
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Ok(response) => tracing::debug!(
                attempt,
                status = response.status(),
                elapsed_ms,
                "attempt succeeded"
            ),
            Err(failure) => tracing::debug!(
                attempt,
                status = failure.status(),
                elapsed_ms,
                failure = %failure.describe(),
                "attempt failed"
            ),
        }
        outcome
    }

    /// Sends once, reads the body within the size limit, classifies.
    async fn send_once(
        &self,
        op: &'static Operation,
        request: reqwest::Request,
    ) -> Result<Response, Failure> {
        let mut response = self
            .config
            .http
            .execute(request)
            .await
            .map_err(Failure::Transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status.is_success() {
            let body = read_body(response, self.config.max_response_bytes, op, true).await?;
            return Ok(Response::new(op, status.as_u16(), headers, body));
        }
        let body = read_body(response, MAX_ERROR_BODY_BYTES, op, false)
            .await?
            .into_vec();
        Err(Failure::Status {
            status: status.as_u16(),
            retry_after: retry::retry_after(&headers),
            headers,
            body,
        })
    }
}

/// What each attempt's request is made from.
///
/// A request without a body is rebuilt for each attempt from a copy of its URL,
/// which costs less than copying a built request (whose header map would be
/// copied too). A request with a body is built once and copied, so the body is
/// shared between attempts rather than copied.
enum Spare {
    Url(reqwest::Url),
    Built(reqwest::Request),
}

impl Spare {
    /// A request for one attempt, keeping the spare; `None` when it cannot be
    /// copied (`try_clone` fails only for streaming bodies, never built here).
    fn copy(&self, client: &Client, op: &'static Operation) -> Option<reqwest::Request> {
        match self {
            Spare::Url(url) => Some(client.build_request(op, url.clone(), None)),
            Spare::Built(request) => request.try_clone(),
        }
    }

    /// The request for the last attempt.
    fn into_request(self, client: &Client, op: &'static Operation) -> reqwest::Request {
        match self {
            Spare::Url(url) => client.build_request(op, url, None),
            Spare::Built(request) => request,
        }
    }
}

/// Records the outcome on the span, logs it, and turns a failure into the
/// public error. `attempts` is the number of attempts made.
fn finish(
    op: &'static Operation,
    required_scope: Option<&'static str>,
    outcome: Result<Response, Failure>,
    attempts: u32,
    started: Instant,
    span: &tracing::Span,
    api_key_env: &'static str,
) -> Result<Response> {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    span.record("attempt", attempts);
    span.record("duration_ms", elapsed_ms);
    match outcome {
        Ok(response) => {
            span.record("status", response.status());
            tracing::debug!(
                operation = op.id,
                status = response.status(),
                attempts,
                elapsed_ms,
                request_id = response.request_id(),
                "request succeeded"
            );
            Ok(response)
        }
        Err(failure) => {
            let error = failure.into_error(op, required_scope, attempts, api_key_env);
            if let Some(status) = error.status() {
                span.record("status", status);
            }
            tracing::debug!(
                operation = op.id,
                status = error.status(),
                attempts,
                elapsed_ms,
                error = %error,
                "request failed"
            );
            Err(error)
        }
    }
}

/// Why one attempt failed, before deciding whether to retry.
enum Failure {
    /// A non-2xx response, body read (up to a cap).
    Status {
        status: u16,
        headers: HeaderMap,
        retry_after: Option<std::time::Duration>,
        body: Vec<u8>,
    },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// The attempt did not complete within its timeout.
    Timeout,
    /// Anything not worth retrying (e.g. a body over the size limit).
    Other(Error),
    /// A 404 answering a retry after an attempt the server may have carried out.
    NotFoundAfterUncertainAttempt(Box<Failure>),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Other(error)
    }
}

impl Failure {
    /// Whether the server may have carried out the request despite this
    /// failure: it timed out or the connection broke after the request could
    /// have reached the server, or the server answered 5xx.
    fn may_have_been_applied(&self) -> bool {
        match self {
            Failure::Status { status, .. } => *status >= 500,
            Failure::Transport(e) => !e.is_connect(),
            Failure::Timeout => true,
            Failure::Other(_) | Failure::NotFoundAfterUncertainAttempt(_) => false,
        }
    }

    /// Marks a final 404 that followed an attempt the server may have carried out.
    fn after_uncertain_attempt(self) -> Failure {
        Failure::NotFoundAfterUncertainAttempt(Box::new(self))
    }

    /// `Some(server hint)` when this failure should be retried for an
    /// operation with the given `retry_safe`, `None` when not.
    fn retry_hint(&self, retry_safe: bool) -> Option<Option<std::time::Duration>> {
        match self {
            Failure::Status {
                status,
                retry_after,
                ..
            } => retry::should_retry_status(*status, retry_safe).then_some(*retry_after),
            Failure::Transport(e) => retry::should_retry_transport(e, retry_safe).then_some(None),
            // Like any transport failure but a failed connect: the server may
            // have seen the request.
            Failure::Timeout => retry_safe.then_some(None),
            Failure::Other(_) | Failure::NotFoundAfterUncertainAttempt(_) => None,
        }
    }

    /// The HTTP status, when the server answered.
    fn status(&self) -> Option<u16> {
        match self {
            Failure::Status { status, .. } => Some(*status),
            Failure::NotFoundAfterUncertainAttempt(inner) => inner.status(),
            _ => None,
        }
    }

    /// A short reason for logs: never the URL, a header or the body.
    fn describe(&self) -> String {
        match self {
            Failure::Status { status, .. } => format!("status {status}"),
            Failure::Transport(e) if e.is_timeout() => "timeout".to_owned(),
            Failure::Timeout => "timeout".to_owned(),
            Failure::Transport(e) if e.is_connect() => "connection failed".to_owned(),
            Failure::Transport(_) => "transport error".to_owned(),
            Failure::Other(e) => e.to_string(),
            Failure::NotFoundAfterUncertainAttempt(inner) => inner.describe(),
        }
    }

    fn into_error(
        self,
        op: &'static Operation,
        required_scope: Option<&'static str>,
        attempts: u32,
        api_key_env: &'static str,
    ) -> Error {
        match self {
            Failure::Status {
                status,
                headers,
                retry_after,
                body,
            } => {
                let request_id = request_id(&headers).map(str::to_owned);
                ApiError::from_response(op, status, request_id, retry_after, &body, attempts)
                    .with_required_scope(required_scope)
                    .with_api_key_env(api_key_env)
                    .into()
            }
            Failure::Transport(e) => Error::transport(op.id, e, attempts),
            Failure::Timeout => Error::Timeout {
                operation: op.id,
                attempts,
            },
            Failure::Other(e) => e,
            Failure::NotFoundAfterUncertainAttempt(inner) => {
                match inner.into_error(op, required_scope, attempts, api_key_env) {
                    Error::Api(mut api) => {
                        api.earlier_attempt_may_have_succeeded = true;
                        Error::Api(api)
                    }
                    other => other,
                }
            }
        }
    }
}

/// The `x-request-id` header, when present and printable.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id")?.to_str().ok()
}

/// Reads the whole body, refusing to buffer more than `limit` bytes. With
/// `strict` an oversized body is an error; otherwise (error responses, which
/// are only read for their message) it is truncated at the limit.
///
/// A body that arrives in one chunk (the usual case when the server sends a
/// `Content-Length`) is kept as it came, without a copy; only a second chunk
/// makes a buffer to join them in.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    op: &'static Operation,
    strict: bool,
) -> Result<Body, Failure> {
    let too_large = || {
        Failure::Other(Error::BodyTooLarge {
            operation: op.id,
            limit,
        })
    };
    let announced = response.content_length().unwrap_or(0);
    if strict && announced > limit as u64 {
        return Err(too_large());
    }
    let mut first = None;
    let mut joined: Option<Vec<u8>> = None;
    let mut len = 0usize;
    while let Some(mut chunk) = response.chunk().await.map_err(Failure::Transport)? {
        let room = limit - len;
        let full = chunk.len() > room;
        if full {
            if strict {
                return Err(too_large());
            }
            chunk.truncate(room);
        }
        len += chunk.len();
        match (joined.as_mut(), first.take()) {
            (Some(all), _) => all.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(previous)) => {
                let capacity = announced.min(limit as u64).min(1 << 20) as usize;
                let mut all = Vec::with_capacity(capacity.max(len));
                all.extend_from_slice(&previous);
                all.extend_from_slice(&chunk);
                joined = Some(all);
            }
        }
        if full {
            break;
        }
    }
    Ok(match (joined, first) {
        (Some(all), _) => Body::from(all),
        (None, Some(chunk)) => Body::chunk(chunk),
        (None, None) => Body::from(Vec::new()),
    })
}
