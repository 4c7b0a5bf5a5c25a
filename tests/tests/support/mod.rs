//! Shared helpers for the end-to-end tests: a real HTTP server on loopback
//! (`wiremock`), a client pointed at it, and assertions about what the client
//! sent and how it reported failures.
//!
//! Every test file includes this module with `mod support;`, so not every
//! helper is used by every file.
#![allow(dead_code)]

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use pathbound_client::Client;
use pathbound_client::Error;
use pathbound_client::runtime::ApiError;
use serde_json::{Map, Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request};

/// The API key every test client uses.
pub const KEY: &str = "sk_test_e2e";
/// The `Authorization` header value the client must send for authenticated calls.
pub const BEARER: &str = "Bearer sk_test_e2e";
/// A realistic server timestamp (ISO 8601 UTC with milliseconds).
pub const TS: &str = "2026-04-29T12:00:00.000Z";

/// A loopback server and a client whose base URL is that server.
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client_for(&server);
    (server, client)
}

/// A client for `server`, built exactly as a user would.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .expect("a loopback http base URL and a key make a valid client")
}

/// A mock for an authenticated call: method, exact (percent-encoded) path and
/// the bearer header must all match.
pub fn authed(verb: &str, exact_path: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(exact_path))
        .and(header("authorization", BEARER))
}

/// A mock for a public call: method and exact path (the header is checked on
/// the recorded request, since wiremock has no "header absent" matcher).
pub fn public(verb: &str, exact_path: &str) -> MockBuilder {
    Mock::given(method(verb)).and(path(exact_path))
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests by default")
}

/// The one request the server received (fails when there were more or none).
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(
        all.len(),
        1,
        "expected exactly one request, got {:?}",
        all.iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    all.remove(0)
}

/// Asserts the server saw no request at all.
pub async fn assert_nothing_sent(server: &MockServer) {
    let all = requests(server).await;
    assert!(
        all.is_empty(),
        "expected no request, got {:?}",
        all.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
}

/// The decoded query pairs of `req`, sorted (order carries no meaning on the wire).
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// Asserts the query string holds exactly `expected` (wire names and values),
/// nothing more and nothing less.
pub fn assert_query(req: &Request, expected: &[(&str, &str)]) {
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    want.sort();
    assert_eq!(
        query_pairs(req),
        want,
        "query string was {:?}",
        req.url.query()
    );
}

/// Asserts the request has no query string at all (not even a bare `?`).
pub fn assert_no_query(req: &Request) {
    assert_eq!(req.url.query(), None, "unexpected query on {}", req.url);
}

/// Asserts the request carried `Authorization: Bearer sk_test_e2e`.
pub fn assert_bearer(req: &Request) {
    let values: Vec<_> = req.headers.get_all("authorization").iter().collect();
    assert_eq!(values.len(), 1, "one Authorization header expected");
    assert_eq!(values[0].to_str().unwrap(), BEARER);
}

/// Asserts the request carried no `Authorization` header and the key nowhere.
pub fn assert_no_auth(req: &Request) {
    assert!(
        req.headers.get("authorization").is_none(),
        "a public endpoint must not send the API key, got {:?}",
        req.headers.get("authorization")
    );
    for (name, value) in &req.headers {
        assert!(
            !value.to_str().unwrap_or("").contains(KEY),
            "the key leaked in header {name}"
        );
    }
    assert!(!req.url.as_str().contains(KEY));
    assert!(!String::from_utf8_lossy(&req.body).contains(KEY));
}

/// The JSON body of `req`, after checking it was declared as JSON.
pub fn json_body(req: &Request) -> Value {
    let content_type = req
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/json"));
    serde_json::from_slice(&req.body).unwrap_or_else(|e| {
        panic!(
            "request body is not JSON ({e}): {}",
            String::from_utf8_lossy(&req.body)
        )
    })
}

/// Asserts the request had an empty body and did not claim a JSON one.
pub fn assert_no_body(req: &Request) {
    assert!(
        req.body.is_empty(),
        "unexpected body: {}",
        String::from_utf8_lossy(&req.body)
    );
    assert!(req.headers.get("content-type").is_none());
}

/// A JSON object literal as a `serde_json::Map` (for `object`-typed parameters).
pub fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// The API's error envelope.
pub fn error_envelope(message: &str, details: Value) -> Value {
    json!({"status": "error", "error": message, "details": details, "timestamp": TS})
}

/// The `ApiError` inside `err` (fails on any other variant), after checking
/// that the error does not show the API key.
pub fn api_error(err: &Error) -> &ApiError {
    assert_key_hidden(err);
    err.api_error()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"))
}

/// Asserts neither `Display` nor `Debug` (plain or pretty) of `err` shows the key.
pub fn assert_key_hidden(err: &Error) {
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        format!("{err:#?}"),
        format!("{err:#}"),
    ] {
        assert!(!shown.contains(KEY), "the API key leaked: {shown}");
        assert!(
            !shown.contains("sk_test"),
            "part of the key leaked: {shown}"
        );
    }
}

/// Asserts `err` is a client-side `InvalidRequest` about `parameter` for `operation`.
pub fn assert_invalid(err: &Error, operation: &str, parameter: &str) {
    match err {
        Error::InvalidRequest {
            operation: op,
            parameter: p,
            message,
        } => {
            assert_eq!(*op, Some(operation), "{err}");
            assert_eq!(p, parameter, "{err}");
            assert!(message.contains(&format!("`{parameter}`")), "{message}");
        }
        other => panic!("expected InvalidRequest about `{parameter}`, got {other:?}"),
    }
    assert!(err.to_string().contains(parameter), "{err}");
    assert_eq!(
        err.status(),
        None,
        "nothing was sent, so there is no status"
    );
    assert_key_hidden(err);
}

/// Drains a stream (e.g. a list's `.stream()`) into a `Vec`, as
/// `StreamExt::collect` would, without another dependency.
pub async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    while let Some(item) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        items.push(item);
        assert!(items.len() <= 1000, "the stream must end");
    }
    items
}
