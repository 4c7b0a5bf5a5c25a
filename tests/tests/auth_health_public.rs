//! End-to-end tests of the auth, health and public resources, plus the
//! client-wide behaviour they exercise: how the key is sent (and not sent),
//! how it is hidden, the base URL, transport failures and size limits.

mod support;

use std::time::Duration;

use pathbound_client::auth::AuthType;
use pathbound_client::common::LifecycleStage;
use pathbound_client::companies::CompanyProperties;
use pathbound_client::contacts::ContactProperties;
use pathbound_client::{Client, Error, scopes};
use serde_json::json;
use support::*;
use wiremock::matchers::body_json;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn auth_status_sends_the_bearer_key_and_decodes_the_newer_shape() {
    let (server, client) = start().await;
    authed("GET", "/auth/status")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "authenticated": true,
            "auth_type": "api_key",
            "key_id": "1a2b3c4d",
            "scopes": ["contacts:read", "events:read"],
            "user": {
                "user_id": "abc123", "email": "jane@example.com",
                "first_name": "Jane", "last_name": "Doe", "tenant_id": "tenant_xyz",
                "role": "admin"
            },
            "rate_limit_remaining": 99
        })))
        .expect(1)
        .mount(&server)
        .await;

    let status = client.auth().status().send().await.unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    assert_no_body(&req);
    assert_eq!(req.headers.get("accept").unwrap(), "application/json");

    assert_eq!(status.authenticated, Some(true));
    assert_eq!(status.auth_type, Some(AuthType::ApiKey));
    assert_eq!(status.key_id.as_deref(), Some("1a2b3c4d"));
    assert_eq!(
        status.scopes.as_deref(),
        Some(&["contacts:read".to_owned(), "events:read".to_owned()][..])
    );
    let user = status.user.as_ref().unwrap();
    assert_eq!(user.user_id, "abc123");
    assert_eq!(user.first_name.as_deref(), Some("Jane"));
    assert_eq!(user.tenant_id.as_deref(), Some("tenant_xyz"));
    // `additional: keep`: keys the schema does not name are kept, typed ones are not.
    assert_eq!(user.extra.get("role"), Some(&json!("admin")));
    assert!(!user.extra.contains_key("user_id"));
    assert_eq!(status.extra.get("rate_limit_remaining"), Some(&json!(99)));
    assert_eq!(status.extra.get("status"), Some(&json!("success")));
    assert!(!status.extra.contains_key("key_id"));
}

#[tokio::test]
async fn auth_status_decodes_the_older_shape_and_keeps_unknown_auth_types() {
    let (server, client) = start().await;
    authed("GET", "/auth/status")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "authenticated": true,
            "auth_type": "mcp_oauth",
            "user": {"user_id": "abc123", "email": "jane@example.com"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let status = client.auth().status().send().await.unwrap();

    assert_eq!(status.auth_type, Some(AuthType::from("mcp_oauth")));
    assert_eq!(status.auth_type.as_ref().unwrap().as_str(), "mcp_oauth");
    assert_eq!(status.scopes, None);
    assert_eq!(status.key_id, None);
    assert_eq!(
        status.user.unwrap().email.as_deref(),
        Some("jane@example.com")
    );
}

#[tokio::test]
async fn auth_status_401_points_at_the_key_without_showing_it() {
    let (server, client) = start().await;
    authed("GET", "/auth/status")
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("x-request-id", "req_401abc")
                .set_body_json(
                    json!({"status": "error", "error": "Unauthorized", "timestamp": TS}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.auth().status().send().await.unwrap_err();

    assert!(err.is_unauthorized());
    assert!(!err.is_retryable());
    let api = api_error(&err);
    assert_eq!(api.status, 401);
    assert_eq!(api.message, "Unauthorized");
    assert_eq!(api.request_id.as_deref(), Some("req_401abc"));
    let shown = err.to_string();
    assert!(shown.contains("GET /v1/auth/status"), "{shown}");
    assert!(shown.contains("PATHBOUND_API_KEY"), "{shown}");
    assert!(shown.contains("[request id req_401abc]"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn a_403_for_an_unverified_issuer_says_so_instead_of_naming_a_scope() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "status": "error",
            "error": "Email verification required",
            "requires_email_verification": true,
            "details": [],
            "timestamp": TS
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.contacts().list().send().await.unwrap_err();

    assert!(err.is_forbidden());
    let api = api_error(&err);
    assert!(api.requires_email_verification);
    let shown = err.to_string();
    assert!(shown.contains("email address must be verified"), "{shown}");
    assert!(shown.contains("GET /v1/contacts"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn health_check_sends_no_key_and_decodes_the_current_shape() {
    let (server, client) = start().await;
    public("GET", "/health")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "message": "Public API is healthy",
            "timestamp": TS,
            "region": "eu-west-1"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let health = client.health().check().send().await.unwrap();

    let req = only_request(&server).await;
    assert_no_auth(&req);
    assert_no_query(&req);
    assert_no_body(&req);
    assert_eq!(health.status.as_deref(), Some("success"));
    assert_eq!(health.message.as_deref(), Some("Public API is healthy"));
    assert_eq!(health.timestamp.as_ref().map(|t| t.as_str()), Some(TS));
    assert_eq!(health.extra.get("region"), Some(&json!("eu-west-1")));
    assert!(!health.extra.contains_key("message"));
}

#[tokio::test]
async fn health_check_accepts_the_older_ok_body() {
    let (server, client) = start().await;
    public("GET", "/health")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .expect(1)
        .mount(&server)
        .await;

    let health = client.health().check().send().await.unwrap();

    assert_eq!(health.status.as_deref(), Some("ok"));
    assert_eq!(health.message, None);
    assert_eq!(health.timestamp, None);
    assert!(health.extra.is_empty());
    assert_no_auth(&only_request(&server).await);
}

#[tokio::test]
async fn submit_form_sends_no_key_encodes_path_ids_and_the_whole_body() {
    let (server, client) = start().await;
    let expected_body = json!({
        "visitor_id": "vis_8f2a",
        "contact_data": {
            "email": "ada@example.com",
            "firstname": "Ada",
            "lastname": "Lovelace",
            "lifecyclestage": "lead",
            "how_did_you_hear": "podcast"
        },
        "company_data": {"domain": "analytical.engines", "name": "Analytical Engines", "employee_count": 12}
    });
    public(
        "POST",
        "/public/form-submission/tenant_xyz/form%2Fcontact%20us",
    )
    .and(body_json(&expected_body))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": "success",
        "message": "Thank you for your submission"
    })))
    .expect(1)
    .mount(&server)
    .await;

    let answer = client
        .public()
        .submit_form("tenant_xyz", "form/contact us")
        .visitor_id("vis_8f2a")
        .contact_data(ContactProperties {
            email: Some("ada@example.com".into()),
            firstname: Some("Ada".into()),
            lastname: Some("Lovelace".into()),
            lifecyclestage: Some(LifecycleStage::Lead),
            extra: obj(json!({"how_did_you_hear": "podcast"})),
            ..Default::default()
        })
        .company_data(CompanyProperties {
            domain: Some("analytical.engines".into()),
            name: Some("Analytical Engines".into()),
            employee_count: Some(12),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_no_auth(&req);
    assert_no_query(&req);
    assert_eq!(json_body(&req), expected_body);
    assert_eq!(
        answer.message.as_deref(),
        Some("Thank you for your submission")
    );
    assert!(answer.extra.is_empty());
}

#[tokio::test]
async fn submit_form_without_options_sends_an_empty_object_and_keeps_older_ids() {
    let (server, client) = start().await;
    public("POST", "/public/form-submission/tenant_123/form_xyz")
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "contact_id": "ct_abc",
            "company_id": "co_xyz"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let answer = client
        .public()
        .submit_form("tenant_123", "form_xyz")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_no_auth(&req);
    assert_eq!(json_body(&req), json!({}));
    // The older 201 answer carried ids; they land in `extra`.
    assert_eq!(answer.status.as_deref(), Some("success"));
    assert_eq!(answer.extra.get("contact_id"), Some(&json!("ct_abc")));
    assert_eq!(answer.extra.get("company_id"), Some(&json!("co_xyz")));
}

#[tokio::test]
async fn submit_form_403_names_the_call_but_no_scope() {
    let (server, client) = start().await;
    public("POST", "/public/form-submission/tenant_xyz/form_xyz")
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(error_envelope("Domain not verified", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .public()
        .submit_form("tenant_xyz", "form_xyz")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_forbidden());
    let api = api_error(&err);
    assert_eq!(api.required_scope, None);
    assert_eq!(api.message, "Domain not verified");
    let shown = err.to_string();
    assert!(
        shown.contains("POST /v1/public/form-submission/{tenant_id}/{form_id}"),
        "{shown}"
    );
    assert_eq!(shown.matches("Domain not verified").count(), 1, "{shown}");
    assert!(!shown.contains("needs scope"), "{shown}");
    assert_no_auth(&only_request(&server).await);
}

#[tokio::test]
async fn the_client_and_its_requests_never_show_the_key_in_debug() {
    let (_server, client) = start().await;
    for shown in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    let request = client.contacts().create("ada@example.com");
    let shown = format!("{request:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("ada@example.com"), "{shown}");
    let builder = Client::builder().api_key(KEY);
    assert!(!format!("{builder:?}").contains(KEY));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_and_trailing_slash_is_joined_once() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v1/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/v1", server.uri()));
    authed("GET", "/v1/auth/status")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"authenticated": true})))
        .expect(1)
        .mount(&server)
        .await;

    let status = client.auth().status().send().await.unwrap();

    assert_eq!(status.authenticated, Some(true));
    assert_eq!(only_request(&server).await.url.path(), "/v1/auth/status");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_hides_the_key() {
    // A port that was just free: nothing listens there any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();

    let err = client.auth().status().send().await.unwrap_err();

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.operation(), Some("auth.status"));
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(err.to_string().contains("could not connect"), "{err}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn a_slow_answer_past_the_request_timeout_is_a_timeout_error() {
    let (server, client) = start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ok"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;

    let err = client
        .health()
        .check()
        .options(
            pathbound_client::RequestOptions::new()
                .timeout(Duration::from_millis(150))
                .max_retries(0),
        )
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(err.operation(), Some("health.check"));
    assert_key_hidden(&err);
}

#[tokio::test]
async fn a_2xx_body_over_the_size_limit_is_refused() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .max_response_bytes(256)
        .build()
        .unwrap();
    public("GET", "/health")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "message": "x".repeat(1024)
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.health().check().send().await.unwrap_err();

    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 256,
                operation: "health.check",
                ..
            }
        ),
        "{err:?}"
    );
    assert_key_hidden(&err);
}

#[tokio::test]
async fn the_default_user_agent_names_the_sdk() {
    let (server, client) = start().await;
    public("GET", "/health")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .expect(1)
        .mount(&server)
        .await;

    client.health().check().send().await.unwrap();

    let req = only_request(&server).await;
    let agent = req.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("pathbound-client/"), "{agent}");
}

/// Scopes read from auth.status turn on client-side checks: an operation the
/// key cannot do fails without being sent; others, and public ones, go out.
#[tokio::test]
async fn scopes_from_auth_status_block_calls_the_key_cannot_make() {
    let (server, client) = start().await;
    authed("GET", "/auth/status")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "authenticated": true, "auth_type": "api_key",
            "scopes": ["contacts:read", "events:read"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "contacts": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    public("GET", "/health")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .expect(1)
        .mount(&server)
        .await;

    let status = client.auth().status().send().await.unwrap();
    let checked = client.with_scopes(status.scopes.unwrap());
    assert_eq!(
        checked.scopes(),
        Some(&[scopes::CONTACTS_READ, scopes::EVENTS_READ][..])
    );

    let err = checked
        .contacts()
        .create("ada@example.com")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MissingScope { .. }), "{err:?}");
    assert!(err.is_forbidden());
    assert_eq!(err.missing_scope(), Some(scopes::CONTACTS_WRITE));
    assert_eq!(err.status(), None);
    let shown = err.to_string();
    assert!(shown.contains("`POST /v1/contacts`"), "{shown}");
    assert!(shown.contains("contacts:write"), "{shown}");
    assert_key_hidden(&err);

    checked.contacts().list().send().await.unwrap();
    checked.health().check().send().await.unwrap();

    let sent: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(sent, ["GET /auth/status", "GET /contacts", "GET /health"]);
    assert_eq!(client.scopes(), None, "the original client is unchanged");
}

#[test]
fn scopes_are_given_as_constants_or_as_strings() {
    let by_constant = Client::builder()
        .api_key(KEY)
        .scopes([scopes::EVENTS_READ, scopes::CONTACTS_READ])
        .build()
        .unwrap();
    let by_name = Client::builder()
        .api_key(KEY)
        .scopes(["contacts:read", " events:read"])
        .build()
        .unwrap();
    let expected = [scopes::CONTACTS_READ, scopes::EVENTS_READ];
    assert_eq!(by_constant.scopes(), Some(&expected[..]));
    assert_eq!(by_name.scopes(), Some(&expected[..]));
    // As `auth().status()` reports them: owned strings.
    let reported = vec!["events:read".to_owned(), "contacts:read".to_owned()];
    assert_eq!(by_name.with_scopes(reported).scopes(), Some(&expected[..]));
    assert_eq!(
        by_name.with_scopes([scopes::ACTIONS_WRITE]).scopes(),
        Some(&[scopes::ACTIONS_WRITE][..])
    );
    // What an operation needs is the same type.
    assert_eq!(
        pathbound_client::contacts::ContactsCreateRequest::OPERATION.required_scope(),
        Some(scopes::CONTACTS_WRITE)
    );
}
