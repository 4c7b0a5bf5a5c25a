//! What an API error says, the scope named in a 403, and
//! the `retry:` policy (PATCH `update` declared safe; POST `create`/`tag` not).

mod common;

use common::*;
use fixture_client::Error;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api(err: &Error) -> &fixture_client::runtime::ApiError {
    err.api_error()
        .unwrap_or_else(|| panic!("expected an API error, got {err:?}"))
}

#[tokio::test]
async fn an_api_error_is_one_line_with_the_documented_path_and_the_servers_words() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v2/widgets",
        409,
        json!({"status": "error", "error": "name taken"}),
    )
    .await;
    answer(
        &server,
        "POST",
        "/v2/widgets/w/tags",
        422,
        json!({"error": "too many tags", "details": [{"field": "tags"}]}),
    )
    .await;
    let w = client(&server);
    let w = w.widgets();

    let err = w
        .create("dup")
        .options(fixture_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let e = api(&err);
    assert_eq!(e.status, 409);
    assert_eq!(e.message, "name taken");
    // The path as the docs write it, with the base URL's `/v2`.
    assert_eq!(
        (e.operation, e.method, e.path),
        ("widgets.create", "POST", "/v2/widgets")
    );
    assert_eq!(e.required_scope, Some("widgets:write"));
    assert_eq!(
        err.to_string(),
        "`POST /v2/widgets` failed with 409 Conflict: name taken"
    );

    let err = w.tag("w", ["a"], 1.0).send().await.unwrap_err();
    let e = api(&err);
    assert_eq!(e.status, 422);
    assert_eq!(e.message, "too many tags");
    assert_eq!(e.details, [json!({"field": "tags"})]);
    assert!(!err.to_string().contains('\n'), "{err}");
}

#[tokio::test]
async fn a_403_names_the_scope_the_endpoint_requires() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(403).set_body_json(json!({"error": "forbidden"})),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    let cases = [
        (w.get("w").send().await.unwrap_err(), Some("widgets:read")),
        (
            w.create("n").send().await.unwrap_err(),
            Some("widgets:write"),
        ),
        (
            w.delete("w").send().await.unwrap_err(),
            Some("widgets:destroy"),
        ),
        (w.stats().send().await.unwrap_err(), None),
    ];
    for (err, scope) in cases {
        assert!(err.is_forbidden(), "{err}");
        assert_eq!(api(&err).required_scope, scope, "{err}");
        if let Some(scope) = scope {
            assert!(err.to_string().contains(scope), "{err}");
        }
    }
}

#[tokio::test]
async fn a_401_points_at_the_specs_api_key_variable() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({"error": "bad key"})),
    )
    .await;
    let err = client(&server).widgets().get("w").send().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    let shown = err.to_string();
    assert!(shown.contains(fixture_client::API_KEY_ENV), "{shown}");
    assert!(!shown.contains("PATHBOUND"), "{shown}");
}

/// Mounts `status` once (with `retry-after: 0`, so a retry does not wait),
/// then `ok_status` with `ok_body` for every later request.
async fn fail_once_then_succeed(
    server: &MockServer,
    verb: &str,
    full_path: &str,
    status: u16,
    ok_status: u16,
    ok_body: serde_json::Value,
) {
    Mock::given(method(verb))
        .and(path(full_path))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"error": "try again"})),
        )
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(full_path))
        .respond_with(ResponseTemplate::new(ok_status).set_body_json(ok_body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn update_is_patch_declared_safe_so_a_503_is_retried() {
    let server = MockServer::start().await;
    fail_once_then_succeed(
        &server,
        "PATCH",
        "/v2/widgets/w",
        503,
        200,
        json!({"widget": minimal_widget_json("w")}),
    )
    .await;
    let updated = client(&server)
        .widgets()
        .update("w")
        .name("x")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.widget_id, "w");
    let sent = requests(&server).await;
    assert_eq!(
        sent.len(),
        2,
        "a retry-safe PATCH is sent again after a 503"
    );
    // the same body both times
    assert_eq!(body_json(&sent[0]), json!({"name": "x"}));
    assert_eq!(body_json(&sent[1]), json!({"name": "x"}));
}

#[tokio::test]
async fn delete_and_get_are_retried_after_a_503() {
    let server = MockServer::start().await;
    fail_once_then_succeed(&server, "DELETE", "/v2/widgets/w", 503, 204, json!({})).await;
    fail_once_then_succeed(
        &server,
        "GET",
        "/v2/widgets/w",
        502,
        200,
        json!({"widget": minimal_widget_json("w")}),
    )
    .await;
    let c = client(&server);
    c.widgets().delete("w").send().await.unwrap();
    c.widgets().get("w").send().await.unwrap();
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn create_and_tag_are_post_so_a_503_is_not_retried() {
    let server = MockServer::start().await;
    fail_once_then_succeed(
        &server,
        "POST",
        "/v2/widgets",
        503,
        201,
        json!({"widget": minimal_widget_json("w")}),
    )
    .await;
    fail_once_then_succeed(&server, "POST", "/v2/widgets/w/tags", 503, 200, json!({})).await;
    let c = client(&server);
    let err = c.widgets().create("n").send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
    let err = c.widgets().tag("w", ["a"], 1.0).send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_429_is_retried_even_for_create() {
    let server = MockServer::start().await;
    fail_once_then_succeed(
        &server,
        "POST",
        "/v2/widgets",
        429,
        201,
        json!({"widget": minimal_widget_json("w_429")}),
    )
    .await;
    let created = client(&server).widgets().create("n").send().await.unwrap();
    assert_eq!(created.widget_id, "w_429");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn max_retries_zero_turns_retries_off() {
    let server = MockServer::start().await;
    fail_once_then_succeed(
        &server,
        "PATCH",
        "/v2/widgets/w",
        503,
        200,
        json!({"widget": minimal_widget_json("w")}),
    )
    .await;
    let err = client(&server)
        .widgets()
        .update("w")
        .options(fixture_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
}
