//! One request, start to finish, in the order the real API would decide:
//!
//! 1. latency (configured, then faults) and injected faults (server rules, and
//!    the `x-mock-fault` header of a request with a valid API key): an error
//!    status, or a dropped connection; latency faults are capped;
//! 2. routing under `/v1` from the spec (404, or 405 with `Allow`);
//! 3. authentication for endpoints with `auth: true` (401; an address with too
//!    many failed authentications gets 429 until its window ends);
//! 4. the rate limit per key (429 with `Retry-After`);
//! 5. the operation's scope (403 naming it);
//! 6. the body, within the size limit (400) and the body timeout (408), then
//!    validation of path, query and body (400 with details);
//! 7. the hand-written handler, or the generic schema-shaped response.
//!
//! Nothing here panics on input; a handler bug becomes a `500`, not a crash.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Request, Response};
use pathbound_model::model::{Operation, ParamPlace};
use serde_json::json;

use crate::config::{ApiKey, RateLimit, expand_scopes};
use crate::fault::{FAULT_HEADER, Fault, FaultAction, FaultTable, parse_faults};
use crate::handlers::{self, Ctx, KeyInfo};
use crate::ids::IdGen;
use crate::ratelimit::RateLimiter;
use crate::reply::Reply;
use crate::router::Match;
use crate::spec::Api;
use crate::state::State;
use crate::validate::{self, Problem, Query};
use crate::{shape, time, webhooks};

/// The base path the API is served under.
pub const BASE_PATH: &str = "/v1";

/// Everything the requests of one server share.
#[derive(Debug)]
pub struct Shared {
    /// The spec.
    pub api: Arc<Api>,
    /// Keys as configured.
    pub keys: Vec<ApiKey>,
    /// Keys with their expanded scopes.
    pub scopes: HashMap<String, Vec<String>>,
    /// Added to every request.
    pub latency: Duration,
    /// Requests per key and window.
    pub rate_limit: Option<RateLimit>,
    /// Largest accepted body.
    pub body_limit: usize,
    /// The longest delay latency faults may add to one request.
    pub max_fault_latency: Duration,
    /// How long a client may take to send its request headers.
    pub header_timeout: Duration,
    /// How long a client may take to send a request body.
    pub body_timeout: Duration,
    /// How long a response write may make no progress.
    pub write_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Failed authentications allowed per client address and window.
    pub auth_failure_limit: Option<RateLimit>,
    /// Failed authentications per client address.
    pub auth_failures: Mutex<RateLimiter>,
    /// Print a line per request.
    pub log: bool,
    /// Drift mode, with the fields it changes.
    pub drift: Option<crate::drift::Victims>,
    /// The data.
    pub state: Mutex<State>,
    /// Injected faults.
    pub faults: Mutex<FaultTable>,
    /// Rate-limit windows.
    pub limiter: Mutex<RateLimiter>,
    /// Operations answered with a 2xx.
    pub served: Mutex<BTreeSet<String>>,
    /// Requests routed to each operation, whatever the outcome.
    pub hits: Mutex<BTreeMap<String, u64>>,
    /// Ids for generic responses.
    pub generic_ids: Mutex<IdGen>,
    /// Request counter, for `x-request-id`.
    pub requests: AtomicU64,
    /// Webhook subscriptions, their queues and the delivery log.
    pub webhooks: Option<crate::webhooks::Hooks>,
}

impl Shared {
    /// Shared state for `api` with `keys`.
    pub fn new(api: Arc<Api>, keys: Vec<ApiKey>, state: State) -> Shared {
        let all = api.scope_names();
        let scopes = keys
            .iter()
            .map(|k| (k.key.clone(), expand_scopes(k, &all)))
            .collect();
        Shared {
            api,
            keys,
            scopes,
            latency: Duration::ZERO,
            rate_limit: None,
            body_limit: 1024 * 1024,
            max_fault_latency: crate::config::DEFAULT_MAX_FAULT_LATENCY,
            header_timeout: crate::config::DEFAULT_HEADER_TIMEOUT,
            body_timeout: crate::config::DEFAULT_BODY_TIMEOUT,
            write_timeout: crate::config::DEFAULT_WRITE_TIMEOUT,
            max_connections: crate::config::DEFAULT_MAX_CONNECTIONS,
            auth_failure_limit: Some(crate::config::DEFAULT_AUTH_FAILURE_LIMIT),
            auth_failures: Mutex::new(RateLimiter::default()),
            log: false,
            drift: None,
            state: Mutex::new(state),
            faults: Mutex::new(FaultTable::default()),
            limiter: Mutex::new(RateLimiter::default()),
            served: Mutex::new(BTreeSet::new()),
            hits: Mutex::new(BTreeMap::new()),
            generic_ids: Mutex::new(IdGen::new(0xBEEF)),
            requests: AtomicU64::new(0),
            webhooks: None,
        }
    }
}

/// Locks a mutex, recovering the data if a previous holder panicked.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Returned to hyper to close the connection without answering.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for Dropped {}

/// The response type.
pub type HttpResponse = Response<Full<Bytes>>;

/// Handles one request.
pub async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    peer: SocketAddr,
) -> Result<HttpResponse, Dropped> {
    let started = Instant::now();
    let number = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let method = req.method().as_str().to_owned();
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let (outcome, op_id) = process(req, &shared, peer).await;
    let reply = outcome?;
    if (200..300).contains(&reply.status) {
        if let Some(id) = &op_id {
            lock(&shared.served).insert(id.clone());
        }
    }
    if shared.log {
        eprintln!(
            "{method} {target} -> {} {} ({} ms)",
            reply.status,
            op_id.as_deref().unwrap_or("-"),
            started.elapsed().as_millis()
        );
    }
    Ok(to_response(reply, number, op_id.as_deref()))
}

async fn process(
    req: Request<Incoming>,
    shared: &Shared,
    peer: SocketAddr,
) -> (Result<Reply, Dropped>, Option<String>) {
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let (parts, body) = req.into_parts();
    let api = &shared.api;
    let raw_path = parts.uri.path();
    if let Some(rest) = mock_route(raw_path) {
        let reply = webhooks::handle_mock_route(&parts, body, shared, rest, peer).await;
        return (reply, None);
    }
    let Some(path) = strip_base(raw_path) else {
        return (
            Ok(Reply::error(
                404,
                format!(
                    "No route for {raw_path}: the mock serves the API under {BASE_PATH}, e.g. {BASE_PATH}/health"
                ),
            )),
            None,
        );
    };
    let query_pairs: Vec<(String, String)> =
        match serde_urlencoded::from_str(parts.uri.query().unwrap_or("")) {
            Ok(pairs) => pairs,
            Err(e) => {
                return (
                    Ok(Reply::invalid_field("query", format!("is malformed: {e}"))),
                    None,
                );
            }
        };
    let routed = api
        .router
        .resolve(parts.method.as_str(), path, &query_pairs);
    let op = match &routed {
        Match::Found { op, .. } => api.operations.get(*op),
        _ => None,
    };
    let op_id = op.map(|o| o.id.clone());
    if let Some(id) = &op_id {
        *lock(&shared.hits).entry(id.clone()).or_default() += 1;
    }
    let raw_key = bearer(&parts.headers);

    // 1. Faults. The header is honoured only with a valid key: an anonymous or
    // unknown caller cannot make the server wait, fail or drop connections (its
    // request goes on to the usual 401, or is served normally on a public
    // endpoint). Configured rules apply to every request, as configured.
    let honoured = || {
        raw_key
            .as_deref()
            .is_some_and(|k| shared.scopes.contains_key(k))
            && auth_lockout(shared, peer).is_none()
    };
    let mut faults = match parts.headers.get(FAULT_HEADER) {
        Some(value) if honoured() => match header_faults(value, shared.max_fault_latency) {
            Ok(f) => f,
            Err(e) => {
                return (
                    Ok(Reply::invalid_field(
                        FAULT_HEADER,
                        format!("invalid fault: {e}"),
                    )),
                    op_id,
                );
            }
        },
        _ => Vec::new(),
    };
    faults.extend(lock(&shared.faults).take(raw_key.as_deref(), op_id.as_deref()));
    if let Some(reply) = apply_faults(&faults, shared.max_fault_latency).await {
        return (reply, op_id);
    }

    // 2. Routing.
    let (op, params) = match (routed, op) {
        (Match::Found { params, .. }, Some(op)) => (op, params),
        (Match::WrongMethod(allowed), _) => {
            let reply = Reply::error(
                405,
                format!(
                    "{} is not allowed on {path}; allowed: {}",
                    parts.method,
                    allowed.join(", ")
                ),
            )
            .header("allow", allowed.join(", "));
            return (Ok(reply), op_id);
        }
        _ => {
            return (
                Ok(Reply::error(
                    404,
                    format!("No route for {} {raw_path}", parts.method),
                )),
                op_id,
            );
        }
    };

    // 3. Authentication. Failed attempts are counted per client address; past
    // the limit, the address gets 429 until the window ends, whatever the key.
    let key = if op.auth {
        if let (Some(limit), Some(wait)) = (shared.auth_failure_limit, auth_lockout(shared, peer)) {
            let reply = Reply::error(
                429,
                format!(
                    "Too many failed authentications from this address: at most {} per {} \
                     (--auth-failure-limit); retry in {} ms",
                    limit.requests,
                    describe_window(limit.window),
                    wait.as_millis()
                ),
            );
            return (Ok(with_retry_after(reply, wait)), op_id);
        }
        let failed = |reply: Reply| {
            note_auth_failure(shared, peer);
            (Ok(reply), op_id.clone())
        };
        let Some(key) = raw_key else {
            return failed(Reply::error(
                401,
                "Unauthorized: missing API key; send it as Authorization: Bearer <key>",
            ));
        };
        let Some(scopes) = shared.scopes.get(&key) else {
            return failed(Reply::error(401, "Unauthorized: invalid API key"));
        };
        Some(KeyInfo {
            key,
            scopes: scopes.clone(),
        })
    } else {
        None
    };

    // 4. Rate limit.
    if let Some(limit) = shared.rate_limit {
        let bucket = key
            .as_ref()
            .map_or_else(|| format!("ip:{}", peer.ip()), |k| k.key.clone());
        if let Err(wait) = lock(&shared.limiter).check(&bucket, limit, Instant::now()) {
            let reply = Reply::error(
                429,
                format!(
                    "Rate limit exceeded: {} requests per {} per API key; retry in {} ms",
                    limit.requests,
                    describe_window(limit.window),
                    wait.as_millis()
                ),
            );
            return (Ok(with_retry_after(reply, wait)), op_id);
        }
    }

    // 5. Scope.
    if let (Some(scope), Some(key)) = (&op.scope, &key) {
        if !key.scopes.iter().any(|s| s == scope) {
            return (Ok(missing_scope(op, scope, "scope", "")), op_id);
        }
    }

    // 6. Body and validation.
    let bytes = match read_body(body, &parts.headers, shared.body_limit, shared.body_timeout).await
    {
        Ok(bytes) => bytes,
        Err(reply) => return (reply, op_id),
    };
    if !bytes.is_empty() && !is_json(parts.headers.get("content-type")) {
        let reply = Reply::error(
            415,
            "Unsupported Media Type: send the body as JSON with Content-Type: application/json",
        );
        return (Ok(reply), op_id);
    }
    let query: Query = query_pairs.into_iter().collect();
    let mut problems: Vec<Problem> = validate::check_params(op, &params, &query);
    let body = match validate::check_body(api, op, &bytes) {
        Ok(body) => body,
        Err(more) => {
            problems.extend(more);
            serde_json::Value::Null
        }
    };
    if !problems.is_empty() {
        return (Ok(Reply::invalid(&problems)), op_id);
    }

    // 6b. A scope that depends on a parameter (`scope: { by, values }`), now
    // that the parameter has been read and validated.
    if let (Some(by), Some(key)) = (&op.scope_by, &key) {
        let value = match by.place {
            ParamPlace::Body => body.get(&by.param).and_then(|v| v.as_str()),
            ParamPlace::Query => query.get(&by.param).map(String::as_str),
            ParamPlace::Path => params
                .iter()
                .find(|(name, _)| *name == by.param)
                .map(|(_, v)| v.as_str()),
        };
        let needed = value.and_then(|v| {
            by.values
                .iter()
                .find(|(known, _)| known == v)
                .map(|(_, scope)| scope.as_str())
        });
        if let Some(scope) = needed {
            if !key.scopes.iter().any(|s| s == scope) {
                let context = format!(" with {} {}", by.param, value.unwrap_or_default());
                return (Ok(missing_scope(op, scope, &by.param, &context)), op_id);
            }
        }
    }

    // 7. Behaviour.
    let origin = parts
        .headers
        .get("origin")
        .or_else(|| parts.headers.get("referer"))
        .and_then(|v| v.to_str().ok());
    let ctx = Ctx {
        op,
        params: &params,
        query: &query,
        body: &body,
        key: key.as_ref(),
        origin,
        now: time::now_ms(),
    };
    let reply = match handlers::handler(&op.id) {
        Some(handler) => {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                let mut state = lock(&shared.state);
                let outcome = handler(&ctx, &mut state);
                if let Some(hooks) = &shared.webhooks {
                    hooks.after_request(&mut state, outcome.is_ok());
                }
                outcome
            }));
            match result {
                Ok(Ok(body)) => Reply::success(op.response.status, body),
                Ok(Err(reply)) => reply,
                Err(_) => Reply::error(
                    500,
                    format!("Internal mock error in {}: the handler panicked", op.id),
                ),
            }
        }
        None => {
            let mut ids = lock(&shared.generic_ids);
            Reply::success(
                op.response.status,
                shape::response_body(api, op, &query, &mut ids),
            )
        }
    };
    let mut reply = reply;
    if let Some(victims) = &shared.drift {
        if (200..300).contains(&reply.status) {
            crate::drift::apply(api, victims, op, &mut reply.body);
        }
    }
    (Ok(reply), op_id)
}

/// The faults an `x-mock-fault` header asks for; a latency over `cap` is an error.
fn header_faults(value: &HeaderValue, cap: Duration) -> Result<Vec<Fault>, String> {
    let text = value.to_str().map_err(|_| "not ASCII".to_owned())?;
    let faults = parse_faults(text)?;
    for fault in &faults {
        if let FaultAction::Latency(d) = fault.action {
            if d > cap {
                return Err(format!(
                    "a latency of {} is longer than the mock's {} cap on injected latency \
                     (--max-fault-latency)",
                    describe_duration(d),
                    describe_duration(cap)
                ));
            }
        }
    }
    Ok(faults)
}

/// The delay latency faults add up to: each cut to `cap`, added with
/// saturation, and the sum cut to `cap`.
fn fault_delay(faults: &[Fault], cap: Duration) -> Duration {
    faults
        .iter()
        .filter_map(|f| match f.action {
            FaultAction::Latency(d) => Some(d.min(cap)),
            _ => None,
        })
        .fold(Duration::ZERO, Duration::saturating_add)
        .min(cap)
}

/// Sleeps for latency faults (at most `cap` in all), then returns the first
/// status or drop fault.
async fn apply_faults(faults: &[Fault], cap: Duration) -> Option<Result<Reply, Dropped>> {
    let delay = fault_delay(faults, cap);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    for fault in faults {
        match fault.action {
            FaultAction::Drop => return Some(Err(Dropped)),
            FaultAction::Status(status) => {
                let reply = Reply::error(status, fault_message(status));
                let wait = fault
                    .retry_after
                    .or((status == 429).then_some(Duration::from_secs(1)));
                return Some(Ok(match wait {
                    Some(wait) => with_retry_after(reply, wait),
                    None => reply,
                }));
            }
            FaultAction::Latency(_) => {}
        }
    }
    None
}

fn fault_message(status: u16) -> String {
    match status {
        429 => "Rate limit exceeded (injected fault)".into(),
        500 => "Internal server error (injected fault)".into(),
        502 => "Bad gateway (injected fault)".into(),
        503 => "Service unavailable (injected fault)".into(),
        504 => "Gateway timeout (injected fault)".into(),
        other => format!("Injected fault: status {other}"),
    }
}

/// `Some(wait)` when `peer` has used up its failed authentications.
pub(crate) fn auth_lockout(shared: &Shared, peer: SocketAddr) -> Option<Duration> {
    let limit = shared.auth_failure_limit?;
    lock(&shared.auth_failures).exhausted(&peer.ip().to_string(), limit, Instant::now())
}

/// Counts a failed authentication from `peer` (see `--auth-failure-limit`).
pub(crate) fn note_auth_failure(shared: &Shared, peer: SocketAddr) {
    if let Some(limit) = shared.auth_failure_limit {
        let _ = lock(&shared.auth_failures).check(&peer.ip().to_string(), limit, Instant::now());
    }
}

/// The answer to a connection over the `max_connections` limit: `503` with
/// `Retry-After: 1`, closing the connection.
pub fn overloaded(shared: &Shared) -> HttpResponse {
    let number = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let reply = Reply::error(
        503,
        format!(
            "Service Unavailable: the mock is serving its limit of {} connections \
             (--max-connections); retry in a moment",
            shared.max_connections
        ),
    )
    .header("connection", "close");
    if shared.log {
        eprintln!(
            "connection refused: {} connections open",
            shared.max_connections
        );
    }
    to_response(
        with_retry_after(reply, Duration::from_secs(1)),
        number,
        None,
    )
}

/// Adds `Retry-After` (whole seconds, rounded up) and `retry-after-ms`.
pub(crate) fn with_retry_after(reply: Reply, wait: Duration) -> Reply {
    let ms = wait.as_millis();
    reply
        .header("retry-after", ms.div_ceil(1000).to_string())
        .header("retry-after-ms", ms.to_string())
}

fn describe_window(window: Duration) -> String {
    let secs = window.as_secs();
    if window.subsec_millis() != 0 || secs == 0 {
        format!("{} ms", window.as_millis())
    } else if secs % 3600 == 0 {
        format!("{} h", secs / 3600)
    } else if secs % 60 == 0 {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// `250 ms`, `60 s`: a duration as the mock's messages show it.
pub fn describe_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The path below `/v1`, or `None` when the request is outside it.
fn strip_base(path: &str) -> Option<&str> {
    match path.strip_prefix(BASE_PATH) {
        Some("") => Some("/"),
        Some(rest) if rest.starts_with('/') => Some(rest),
        _ => None,
    }
}

/// The path after `/_mock` for a mock-only route (never under `/v1`).
fn mock_route(path: &str) -> Option<&str> {
    match path.strip_prefix(webhooks::MOCK_PATH) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(rest),
        _ => None,
    }
}

/// The bearer token of the `Authorization` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(hyper::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Reads the body up to `limit` bytes within `timeout`; a larger one is a 400
/// (and is not read further), a late one a 408 that closes the connection, a
/// broken one ends the connection.
pub(crate) async fn read_body(
    body: Incoming,
    headers: &HeaderMap,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, Result<Reply, Dropped>> {
    let too_large = || {
        Ok(Reply::invalid_field(
            "body",
            format!("is larger than the {limit}-byte limit"),
        ))
    };
    let declared = headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    let Ok(read) = tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await else {
        let reply = Reply::error(
            408,
            format!(
                "Request Timeout: the request body did not arrive within {} (--body-timeout)",
                describe_duration(timeout)
            ),
        )
        .header("connection", "close");
        return Err(Ok(reply));
    };
    match read {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large())
        }
        Err(_) => Err(Err(Dropped)),
    }
}

/// The HTTP response for `reply`.
fn to_response(reply: Reply, number: u64, op_id: Option<&str>) -> HttpResponse {
    let bytes = serde_json::to_vec(&reply.body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("req_mock_{number:06}")) {
        headers.insert("x-request-id", v);
    }
    if let Some(v) = op_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        headers.insert("x-mock-operation", v);
    }
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.insert(name, value);
        }
    }
    response
}

/// A body's content type is JSON, or absent (tolerated, as many clients omit it).
fn is_json(content_type: Option<&hyper::header::HeaderValue>) -> bool {
    let Some(value) = content_type else {
        return true;
    };
    let Ok(text) = value.to_str() else {
        return false;
    };
    let essence = text
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The 403 for a key that lacks `scope`: the message names the operation (and
/// `context`, e.g. the parameter value that chose the scope), `details` the
/// `field` that needs it, and `required_scope` the scope.
fn missing_scope(op: &Operation, scope: &str, field: &str, context: &str) -> Reply {
    Reply::error_with(
        403,
        format!(
            "Forbidden: this API key lacks the {scope} scope required by {} {}{context}",
            op.method.as_str(),
            op.path
        ),
        vec![json!({ "field": field, "message": format!("requires {scope}"), "required_scope": scope })],
    )
    .with("required_scope", json!(scope))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{bearer, describe_duration, fault_delay, mock_route, strip_base};
    use crate::fault::Fault;

    #[test]
    fn fault_latencies_saturate_and_are_capped() {
        let cap = Duration::from_secs(60);
        let huge = [
            Fault::latency(Duration::MAX),
            Fault::latency(Duration::MAX),
            Fault::status(503),
        ];
        assert_eq!(fault_delay(&huge, cap), cap);
        assert_eq!(fault_delay(&huge, Duration::MAX), Duration::MAX);
        let small = [
            Fault::latency(Duration::from_millis(20)),
            Fault::latency(Duration::from_millis(30)),
        ];
        assert_eq!(fault_delay(&small, cap), Duration::from_millis(50));
        assert_eq!(fault_delay(&[], cap), Duration::ZERO);
        assert_eq!(describe_duration(cap), "60 s");
        assert_eq!(describe_duration(Duration::from_millis(1500)), "1500 ms");
    }

    #[test]
    fn base_path_and_bearer_parsing() {
        assert_eq!(strip_base("/v1/contacts"), Some("/contacts"));
        assert_eq!(strip_base("/v1"), Some("/"));
        assert_eq!(strip_base("/v10/contacts"), None);
        assert_eq!(strip_base("/contacts"), None);
        assert_eq!(mock_route("/_mock/trigger"), Some("/trigger"));
        assert_eq!(mock_route("/_mockery"), None);
        assert_eq!(mock_route("/v1/_mock/trigger"), None);
        let mut h = hyper::header::HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert("authorization", "Bearer  sk_1 ".parse().unwrap());
        assert_eq!(bearer(&h).as_deref(), Some("sk_1"));
        h.insert("authorization", "Basic abc".parse().unwrap());
        assert_eq!(bearer(&h), None);
        h.insert("authorization", "Bearer".parse().unwrap());
        assert_eq!(bearer(&h), None);
    }
}
