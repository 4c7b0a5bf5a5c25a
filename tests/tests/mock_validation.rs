//! Request validation from the spec (400 with per-field details), semantic
//! checks of the handlers, and robustness: the mock answers garbage without
//! panicking and keeps serving.

mod mock_support;

use mock_support::*;
use pathbound_mock::testkit;
use pathbound_mock::{MockConfig, MockServer};
use serde_json::json;

#[tokio::test]
async fn query_parameters_are_checked_against_the_spec() {
    let server = MockServer::start().await;
    let r = raw(&server, "GET", "/contacts?limit=0", Some(KEY_ALL), None).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        raw_details(&r),
        [pair("limit", "must be between 1 and 100")]
    );
    let body = r.json();
    assert_eq!(body["status"], "error");
    assert_eq!(
        body["error"],
        "Validation failed: limit must be between 1 and 100"
    );

    let r = raw(
        &server,
        "GET",
        "/events?limit=abc&page=0&date_after=yesterday&identified_only=maybe",
        Some(KEY_ALL),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    let fields: Vec<String> = raw_details(&r).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["page", "limit", "date_after", "identified_only"]);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("(and 3 more; see details)")
    );

    // Unknown enum values are accepted (the API's enums are open).
    let r = raw(
        &server,
        "GET",
        "/contacts?lifecycle_stage=brand_new_stage",
        Some(KEY_ALL),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["contacts"], json!([]));

    // Path parameters too.
    let r = raw(
        &server,
        "POST",
        "/agents/runs/run_1/contacts/ct_1/actions/-1/approve",
        Some(KEY_ALL),
        None,
    )
    .await;
    assert_eq!(
        raw_details(&r),
        [pair("action_index", "must be at least 0")]
    );
}

#[tokio::test]
async fn bodies_are_checked_field_by_field() {
    let server = MockServer::start().await;
    let post = |path: &'static str, body: String| {
        let server = &server;
        async move { raw(server, "POST", path, Some(KEY_ALL), Some(body.as_bytes())).await }
    };

    let r = post(
        "/contacts",
        json!({ "properties": { "firstname": "Ada" } }).to_string(),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(raw_details(&r), [pair("email", "is required")]);

    let r = post(
        "/contacts",
        json!({ "email": 42, "properties": { "firstname": ["Ada"], "createdate": "soon" }, "visitor_id": [1] }).to_string(),
    )
    .await;
    assert_eq!(
        raw_details(&r),
        [
            pair("email", "must be a string, got an integer"),
            pair("properties.firstname", "must be a string, got an array"),
            pair(
                "properties.createdate",
                "must be an ISO 8601 date-time such as 2026-04-29T12:00:00.000Z, got \"soon\""
            ),
            pair(
                "visitor_id",
                "must be a string or an array of strings, got an array"
            ),
        ]
    );

    let ids: Vec<String> = (0..26).map(|i| format!("ct_{i}")).collect();
    let r = post(
        "/batch/details",
        json!({ "entity_type": "contacts", "ids": ids }).to_string(),
    )
    .await;
    assert_eq!(
        raw_details(&r),
        [pair("ids", "must have between 1 and 25 items, got 26")]
    );
    let r = post(
        "/batch/activity",
        json!({ "contact_ids": ["ct_1"], "events_limit": 0 }).to_string(),
    )
    .await;
    assert_eq!(
        raw_details(&r),
        [pair("events_limit", "must be between 1 and 20")]
    );
    let r = post(
        "/actions",
        json!({ "type": "email_message", "params": "to: ada", "identity_id": null }).to_string(),
    )
    .await;
    assert_eq!(
        raw_details(&r),
        [
            pair("params", "must be an object, got a string"),
            pair("identity_id", "is required and must not be null")
        ]
    );

    let r = post("/contacts", "{\"email\": \"a@b.co\",".to_owned()).await;
    assert_eq!(r.status, 400);
    let d = raw_details(&r);
    assert_eq!(d[0].0, "body");
    assert!(d[0].1.starts_with("is not valid JSON"), "{d:?}");
    let r = post("/contacts", "[\"a@b.co\"]".to_owned()).await;
    assert_eq!(
        raw_details(&r),
        [pair("body", "must be a JSON object, got an array")]
    );
}

#[tokio::test]
async fn bodies_over_the_size_limit_are_refused() {
    let server = MockConfig::new()
        .body_limit(64 * 1024)
        .start()
        .await
        .unwrap();
    let big = format!(
        "{{\"email\":\"a@b.co\",\"properties\":{{\"bio\":\"{}\"}}}}",
        "x".repeat(100 * 1024)
    );
    let r = raw(
        &server,
        "POST",
        "/contacts",
        Some(KEY_ALL),
        Some(big.as_bytes()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        raw_details(&r),
        [pair("body", "is larger than the 65536-byte limit")]
    );
    // Chunked, without a Content-Length: the limit still applies while reading.
    let (authority, base) = testkit::split_base(server.base_url()).unwrap();
    let chunk = "y".repeat(70 * 1024);
    let request = format!(
        "POST {base}/contacts HTTP/1.1\r\nhost: {authority}\r\nauthorization: Bearer {KEY_ALL}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let answer = testkit::send_bytes(&authority, request.as_bytes())
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.starts_with("HTTP/1.1 400"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(text.contains("65536-byte limit"));
    // The default limit is 1 MiB: this body is fine there.
    let default = MockServer::start().await;
    let ok = raw(
        &default,
        "POST",
        "/contacts",
        Some(KEY_ALL),
        Some(big.as_bytes()),
    )
    .await;
    assert_eq!(ok.status, 201);
}

#[tokio::test]
async fn handler_checks_show_up_as_client_errors_with_details() {
    let (_server, c) = start().await;
    let err = c
        .contacts()
        .create("not-an-email")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        details(&err),
        [pair(
            "email",
            "must be a valid email address, got \"not-an-email\""
        )]
    );

    let existing = c
        .contacts()
        .list()
        .limit(1)
        .send()
        .await
        .unwrap()
        .items
        .remove(0);
    let email = existing.properties.unwrap().email.unwrap();
    let err = c
        .contacts()
        .create(email.to_uppercase())
        .send()
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    assert_eq!(
        api(&err).details[0]["contact_id"],
        json!(existing.contact_id)
    );

    let err = c
        .companies()
        .create("globex.example")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let err = c
        .companies()
        .create("https://www.GLOBEX.example/about")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "domains are normalized: {err}");
    let err = c
        .contacts()
        .create_note(&existing.contact_id, "   ")
        .send()
        .await
        .unwrap_err();
    assert_eq!(details(&err), [pair("content", "must not be empty")]);

    // The client refuses out-of-range values before sending; the server agrees.
    let err = c.contacts().list().limit(500).send().await.unwrap_err();
    assert!(
        matches!(err, pathbound_client::Error::InvalidRequest { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn routing_errors_use_the_error_envelope() {
    let server = MockServer::start().await;
    let r = raw(&server, "GET", "/no/such/thing", Some(KEY_ALL), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["status"], "error");
    let r = raw(&server, "DELETE", "/contacts", Some(KEY_ALL), None).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let r = testkit::send(
        &server.base_url().replace("/v1", ""),
        "GET",
        "/contacts",
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("/v1"));
    let r = raw(
        &server,
        "GET",
        "/contacts/ct_does_not_exist",
        Some(KEY_ALL),
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json()["error"],
        "No contact with id \"ct_does_not_exist\" in this tenant"
    );
}

#[tokio::test]
async fn garbage_never_takes_the_server_down() {
    let server = MockServer::start().await;
    let (authority, _) = testkit::split_base(server.base_url()).unwrap();
    let nasty: Vec<Vec<u8>> = vec![
        b"\r\n\r\n".to_vec(),
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET /v1/contacts HTTP/9.9\r\n\r\n".to_vec(),
        vec![0xff; 4096],
        format!("GET /v1/{} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n", "a/".repeat(5000)).into_bytes(),
        format!("GET /v1/contacts HTTP/1.1\r\nhost: x\r\nx-big: {}\r\nconnection: close\r\n\r\n", "h".repeat(200_000)).into_bytes(),
        b"POST /v1/contacts HTTP/1.1\r\nhost: x\r\ncontent-length: 99999999999999999999\r\n\r\n".to_vec(),
        b"POST /v1/contacts HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\nconnection: close\r\n\r\n{\"em".to_vec(),
        b"GET /v1/contacts/%ff%fe%00/notes?%zz=%%&limit=%ff HTTP/1.1\r\nhost: x\r\nauthorization: Bearer sk_test_all\r\nconnection: close\r\n\r\n".to_vec(),
        b"GET /v1/health HTTP/1.1\r\nhost: x\r\nx-mock-fault: explode\r\nconnection: close\r\n\r\n".to_vec(),
    ];
    for bytes in &nasty {
        // Any answer (or a closed connection) is fine; a crash is not.
        // (A request that never completes, like the bare blank lines, just waits.)
        let _ = tokio::time::timeout(
            std::time::Duration::from_millis(500),
            testkit::send_bytes(&authority, bytes),
        )
        .await;
    }
    // Hostile JSON to every operation with a body.
    let ops = [
        "/contacts",
        "/companies",
        "/actions",
        "/agents",
        "/identities",
        "/batch/details",
        "/batch/activity",
        "/aggregate",
        "/identify",
        "/public/form-submission/tenant_mock/form_1",
    ];
    let bodies = [
        "null",
        "1e999",
        "\"x\"",
        "{\"a\":",
        "{}",
        "[[[[[[[[[[]]]]]]]]]]",
        &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        "{\"email\":\"\\ud800\"}",
        "{\"properties\":{\"x\":{\"y\":{\"z\":[null,{},[]]}}},\"email\":\"a@b.co\",\"ids\":[null],\"contact_ids\":[1,2],\"entity\":\"events\",\"group_by\":[{}]}",
    ];
    for op in ops {
        for body in bodies {
            let r = raw(&server, "POST", op, Some(KEY_ALL), Some(body.as_bytes())).await;
            assert!(
                r.status < 500,
                "{op} {body}: {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
        }
    }
    let r = raw(&server, "GET", "/health", None, None).await;
    assert_eq!(r.status, 200, "still serving");
}

#[tokio::test]
async fn unknown_query_parameters_and_non_json_bodies_are_client_errors() {
    let server = MockServer::start().await;
    // A typo in a parameter name is reported, not silently ignored.
    let r = raw(&server, "GET", "/contacts?limt=10", Some(KEY_ALL), None).await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "error");
    assert_eq!(r.json()["details"][0]["field"], "limt");
    // The fixed parameter of the count endpoint is of course known.
    let r = raw(
        &server,
        "GET",
        "/contacts?count_only=true",
        Some(KEY_ALL),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // A body that is not JSON by its content type: 415 with the error envelope.
    let auth = format!("Bearer {KEY_ALL}");
    let r = testkit::send(
        server.base_url(),
        "POST",
        "/contacts",
        &[("authorization", &auth), ("content-type", "text/plain")],
        Some(br#"{"email":"plain@example.com"}"#),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 415);
    assert_eq!(r.json()["status"], "error");
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
}
