//! [`Client`]: the shared handle, and the one non-generic function that sends
//! every request.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};

use super::call::Call;
use super::config::{ClientBuilder, Config};
use super::error::{ApiError, Error, Result};
use super::operation::Operation;
use super::response::Response;
use super::retry;

/// Error bodies are only read for their message, so they get a small cap.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// A client for the API.
///
/// Cheap to clone: clones share one connection pool and configuration, so
/// create one at startup and pass clones around (or keep it in your state).
/// The API key is never shown by `Debug`.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.config, f)
    }
}

impl Client {
    /// A client for the production API using `api_key` and default settings.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        ClientBuilder::new().api_key(api_key).build()
    }

    /// A client configured from the environment: the API key from
    /// `PATHBOUND_API_KEY` (required) and the base URL from
    /// `PATHBOUND_BASE_URL` (optional; an empty value counts as unset).
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_lookup(|name| std::env::var_os(name))?.build()
    }

    /// A builder for the less common settings (base URL, timeouts, user agent,
    /// your own `reqwest::Client`).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_config(config: Config) -> Client {
        Client {
            config: Arc::new(config),
        }
    }

    /// The API root requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Sends `call` and reads the whole response.
    ///
    /// Retries transient failures as described on
    /// [`super::RequestOptions::max_retries`]. A 2xx response is returned for
    /// decoding; anything else becomes [`Error::Api`].
    pub async fn execute(&self, call: Call<'_>) -> Result<Response> {
        let op = call.op;
        let url = super::url::build_url(
            &self.config.base_url,
            op,
            call.path_args,
            &call.query_string()?,
        )?;
        let max_retries = call.options.max_retries.unwrap_or(self.config.max_retries);
        let request = self.build_request(call, &url)?;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            // Send a copy while retries remain, so the original is there for
            // the next attempt; the last attempt consumes the original.
            // (`try_clone` only fails for streaming bodies, which we never build.)
            let copy = match attempt < max_retries {
                true => request.try_clone(),
                false => None,
            };
            let Some(copy) = copy else {
                let outcome = self.attempt(op, request).await;
                return finish(op, outcome, attempt, started);
            };
            let outcome = self.attempt(op, copy).await;
            let delay = match &outcome {
                Ok(_) => None,
                Err(failure) => failure
                    .retry_hint(op.retry_safe)
                    .and_then(|hint| retry::delay(attempt, self.config.initial_backoff, hint)),
            };
            let (Err(failure), Some(delay)) = (&outcome, delay) else {
                return finish(op, outcome, attempt, started);
            };
            tracing::warn!(
                operation = op.id,
                attempt,
                delay_ms = delay.as_millis() as u64,
                failure = %failure.describe(),
                "retrying request"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The `reqwest::Request` for `call`, with all headers and the body.
    fn build_request(&self, call: Call<'_>, url: &str) -> Result<reqwest::Request> {
        let op = call.op;
        let url = reqwest::Url::parse(url).map_err(|e| {
            Error::invalid(
                Some(op.id),
                "url",
                format!("could not build the request URL: {e}"),
            )
        })?;
        let mut headers = HeaderMap::with_capacity(4);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.config.user_agent.clone());
        if op.auth {
            headers.insert(AUTHORIZATION, self.config.authorization.clone());
        }
        let mut builder = self
            .config
            .http
            .request(op.method.to_reqwest(), url)
            .timeout(call.options.timeout.unwrap_or(self.config.timeout));
        if let Some(body) = call.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            builder = builder.body(body);
        }
        builder.headers(headers).build().map_err(|e| {
            Error::invalid(
                Some(op.id),
                "request",
                format!("could not build the request: {e}"),
            )
        })
    }

    /// One attempt: send, read the body within the size limit, classify.
    async fn attempt(
        &self,
        op: &'static Operation,
        request: reqwest::Request,
    ) -> Result<Response, Failure> {
        tracing::trace!(
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            "sending request"
        );
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
        let body = read_body(response, MAX_ERROR_BODY_BYTES, op, false).await?;
        Err(Failure::Status {
            status: status.as_u16(),
            retry_after: retry::retry_after(&headers),
            headers,
            body,
        })
    }
}

/// Logs the final outcome and turns a failure into the public error.
fn finish(
    op: &'static Operation,
    outcome: Result<Response, Failure>,
    attempt: u32,
    started: Instant,
) -> Result<Response> {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(response) => {
            tracing::debug!(
                operation = op.id,
                method = op.method.as_str(),
                path = op.path,
                status = response.status(),
                attempt,
                elapsed_ms,
                request_id = response.request_id(),
                "request succeeded"
            );
            Ok(response)
        }
        Err(failure) => {
            let error = failure.into_error(op);
            tracing::debug!(
                operation = op.id,
                method = op.method.as_str(),
                path = op.path,
                status = error.status(),
                attempt,
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
    /// Anything not worth retrying (e.g. a body over the size limit).
    Other(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Other(error)
    }
}

impl Failure {
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
            Failure::Other(_) => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Status { status, .. } => format!("status {status}"),
            Failure::Transport(e) if e.is_timeout() => "timeout".to_owned(),
            Failure::Transport(e) if e.is_connect() => "connection failed".to_owned(),
            Failure::Transport(_) => "transport error".to_owned(),
            Failure::Other(e) => e.to_string(),
        }
    }

    fn into_error(self, op: &'static Operation) -> Error {
        match self {
            Failure::Status {
                status,
                headers,
                retry_after,
                body,
            } => {
                let request_id = request_id(&headers).map(str::to_owned);
                ApiError::from_response(op, status, request_id, retry_after, &body).into()
            }
            Failure::Transport(e) => Error::transport(op.id, e),
            Failure::Other(e) => e,
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
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    op: &'static Operation,
    strict: bool,
) -> Result<Vec<u8>, Failure> {
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
    let mut body = Vec::with_capacity(announced.min(limit as u64).min(1 << 20) as usize);
    while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
        let room = limit - body.len();
        if chunk.len() > room {
            if strict {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
