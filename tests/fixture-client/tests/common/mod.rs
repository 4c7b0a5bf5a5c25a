//! Helpers shared by the fixture-client integration tests: a real loopback
//! HTTP server (wiremock), a client pointed at it, and ways to look at what
//! was sent on the wire.
//!
//! Each test binary uses a different subset of these.
#![allow(dead_code)]

use fixture_client::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The API key every test client uses.
pub const KEY: &str = "sk_fixture";

/// The spec this crate is generated from.
pub const SPEC: &str = include_str!("../../../fixtures/kitchen-sink.yaml");

/// The base path of the spec's `base_url` (`https://api.example.test/v2`).
pub const BASE_PATH: &str = "/v2";

/// A client for `server`, rooted at `<server>/v2` like the spec's base URL.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .build()
        .expect("the test client builds")
}

/// A client for `server` with its root at the server's root (no base path).
pub fn bare_client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .expect("the test client builds")
}

/// Answers `verb full_path` (e.g. `GET /v2/widgets`) with `status` and a JSON body.
pub async fn answer(server: &MockServer, verb: &str, full_path: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(full_path))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Answers every request with `template`.
pub async fn answer_all(server: &MockServer, template: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(server)
        .await;
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received (fails if there were more or fewer).
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
    all.remove(0)
}

/// The request body parsed as JSON.
pub fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "the request body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// The raw (still percent-encoded) path of a request.
pub fn raw_path(request: &Request) -> &str {
    request.url.path()
}

/// The raw query string of a request, `None` when there is no `?`.
pub fn raw_query(request: &Request) -> Option<&str> {
    request.url.query()
}

/// The decoded query pairs of a request, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A header of a request as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("printable header"))
}

/// Asserts `error` is a client-side `InvalidRequest` for `operation` naming
/// `parameter`, and that its message contains `message`.
pub fn assert_invalid(error: &Error, operation: &str, parameter: &str, message: &str) {
    match error {
        Error::InvalidRequest {
            operation: op,
            parameter: p,
            message: m,
        } => {
            assert_eq!(*op, Some(operation), "{error}");
            assert_eq!(p, parameter, "{error}");
            assert!(m.contains(message), "{m:?} does not contain {message:?}");
            assert!(
                error.to_string().contains(&format!("`{parameter}`")),
                "the message does not name `{parameter}`: {error}"
            );
        }
        other => panic!("expected InvalidRequest for `{parameter}`, got {other:?}"),
    }
}

/// A widget using every field of the `Widget` schema, with ids under all
/// three wire names across the tree, and two keys the schema does not know.
pub fn full_widget_json() -> Value {
    json!({
        "widget_id": "w_1",
        "type": "gadget",
        "displayName": "Big Sprocket",
        "label": "Sprocket",
        "colour": "dark_blue",
        "tags": ["a", "b"],
        "sizes": [1, -2, 9_007_199_254_740_993_i64],
        "counts": {"red": 2, "blue": -1},
        "dimensions": {
            "width": 120,
            "ratio": 1.5,
            "visible": true,
            "measured_at": "2024-05-01T10:00:00.123456+02:00",
            "raw": [1, "two", null, {"x": true}],
            "blob": {"k": [1, 2], "n": null}
        },
        "parent": {
            "_id": "w_0",
            "archived_at": "2023-01-01",
            "parent": {"id": "w_root", "archived_at": null}
        },
        "children": [
            {"id": "w_2", "archived_at": null},
            {"widget_id": "w_3", "_id": "w_3", "id": "w_3", "archived_at": null, "colour": "ultraviolet"}
        ],
        "archived_at": null,
        "legacy_code": "LC-1",
        "zeta": {"nested": [1, 2.5, "x"]},
        "vendor_flag": false
    })
}

/// What [`full_widget_json`] serialises back to: ids under the canonical
/// name only, unknown keys written back, nothing else changed.
pub fn full_widget_canonical_json() -> Value {
    json!({
        "widget_id": "w_1",
        "type": "gadget",
        "displayName": "Big Sprocket",
        "label": "Sprocket",
        "colour": "dark_blue",
        "tags": ["a", "b"],
        "sizes": [1, -2, 9_007_199_254_740_993_i64],
        "counts": {"red": 2, "blue": -1},
        "dimensions": {
            "width": 120,
            "ratio": 1.5,
            "visible": true,
            "measured_at": "2024-05-01T10:00:00.123456+02:00",
            "raw": [1, "two", null, {"x": true}],
            "blob": {"k": [1, 2], "n": null}
        },
        "parent": {
            "widget_id": "w_0",
            "archived_at": "2023-01-01",
            "parent": {"widget_id": "w_root", "archived_at": null}
        },
        "children": [
            {"widget_id": "w_2", "archived_at": null},
            {"widget_id": "w_3", "archived_at": null, "colour": "ultraviolet"}
        ],
        "archived_at": null,
        "legacy_code": "LC-1",
        "zeta": {"nested": [1, 2.5, "x"]},
        "vendor_flag": false
    })
}

/// The smallest valid widget body.
pub fn minimal_widget_json(id: &str) -> Value {
    json!({"widget_id": id, "archived_at": null})
}

/// The spec parsed as YAML.
pub fn spec() -> serde_yaml::Value {
    serde_yaml::from_str(SPEC).expect("the fixture spec is valid YAML")
}

/// One endpoint of the spec, as the tests need it.
#[derive(Debug, Clone)]
pub struct SpecEndpoint {
    pub name: String,
    pub method: String,
    pub path: String,
    /// `None` for `scope: none`.
    pub scope: Option<String>,
    pub auth: bool,
    /// `retry:` when given.
    pub retry: Option<String>,
    /// `errors:` as (status, meaning), in spec order.
    pub errors: Vec<(u16, String)>,
    /// `response.status`, default 200.
    pub status: u16,
    pub summary: String,
}

/// The endpoints of the `widgets` resource, in spec order.
pub fn spec_endpoints() -> Vec<SpecEndpoint> {
    let spec = spec();
    let endpoints = spec["resources"]["widgets"]["endpoints"]
        .as_mapping()
        .expect("widgets.endpoints is a mapping");
    endpoints
        .iter()
        .map(|(name, e)| {
            let text = |key: &str| e[key].as_str().map(str::to_owned);
            let scope = text("scope").expect("every endpoint has a scope");
            let errors = e["errors"]
                .as_mapping()
                .map(|m| {
                    m.iter()
                        .map(|(code, meaning)| {
                            let code = code.as_u64().expect("status code") as u16;
                            // `404: text`, or `404: { description: text, notes: ... }`.
                            let meaning = meaning.as_str().or(meaning["description"].as_str());
                            (code, meaning.expect("meaning").to_owned())
                        })
                        .collect()
                })
                .unwrap_or_default();
            SpecEndpoint {
                name: name.as_str().expect("endpoint name").to_owned(),
                method: text("method").expect("method"),
                path: text("path").expect("path"),
                scope: (scope != "none").then_some(scope),
                auth: e["auth"].as_bool().unwrap_or(true),
                retry: text("retry"),
                errors,
                status: e["response"]["status"].as_u64().unwrap_or(200) as u16,
                summary: text("summary").expect("summary"),
            }
        })
        .collect()
}
