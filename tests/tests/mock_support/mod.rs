//! Helpers shared by the `mock_*` tests: a generated client pointed at an
//! in-process `pathbound-mock`, raw requests for what the typed client will not
//! send, and accessors for API errors.
#![allow(dead_code)]

use std::time::Duration;

use pathbound_client::runtime::ApiError;
use pathbound_client::{Client, Error};
use pathbound_mock::MockServer;
use pathbound_mock::testkit::{self, RawResponse};
use serde_json::Value;

#[allow(unused_imports)]
pub use pathbound_mock::{KEY_ALL, KEY_NO_ACTIONS, KEY_READ_ONLY};

/// A client for `server` with `key`, retrying fast so fault tests stay quick.
pub fn client(server: &MockServer, key: &str) -> Client {
    Client::builder()
        .api_key(key)
        .base_url(server.base_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("a loopback base URL and a key make a valid client")
}

/// A fresh server and a client with every scope.
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client(&server, KEY_ALL);
    (server, client)
}

/// The API error inside `error` (panics with the error when it is another kind).
pub fn api(error: &Error) -> &ApiError {
    match error.api_error() {
        Some(api) => api,
        None => panic!("expected an API error, got {error:?}"),
    }
}

/// The `(field, message)` pairs of an API error's `details`.
pub fn details(error: &Error) -> Vec<(String, String)> {
    api(error)
        .details
        .iter()
        .map(|d| {
            let text = |k: &str| {
                d.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            (text("field"), text("message"))
        })
        .collect()
}

/// Sends a raw request (path relative to the base URL) with an optional key.
pub async fn raw(
    server: &MockServer,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&[u8]>,
) -> RawResponse {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth));
    }
    testkit::send(server.base_url(), method, path, &headers, body)
        .await
        .expect("the mock answers raw requests")
}

/// The `(field, message)` pairs of a raw error response.
pub fn raw_details(response: &RawResponse) -> Vec<(String, String)> {
    response.json()["details"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    let text = |k: &str| {
                        d.get(k)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    (text("field"), text("message"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `(field, message)` for literals.
pub fn pair(field: &str, message: &str) -> (String, String) {
    (field.to_owned(), message.to_owned())
}
