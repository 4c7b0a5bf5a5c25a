//! Keys and scopes against `pathbound-mock`, seen from the generated client:
//! 401 for a missing or unknown key, 403 naming the missing scope, the opt-in
//! `actions:write`, and `auth.status` reporting each key's scopes.

mod mock_support;

use std::collections::BTreeSet;

use mock_support::*;
use pathbound_client::actions::ActionType;
use pathbound_client::contacts::ContactProperties;
use pathbound_client::{Client, Error};
use pathbound_mock::MockServer;
use serde_json::json;

#[tokio::test]
async fn a_read_only_key_reads_but_every_write_is_403_naming_the_scope() {
    let server = MockServer::start().await;
    let ro = client(&server, KEY_READ_ONLY);

    let contacts = ro.contacts().list().limit(3).send().await.unwrap();
    assert_eq!(contacts.len(), 3);
    assert!(ro.events().count().send().await.unwrap() > 0);

    let err = ro
        .contacts()
        .create("new.person@example.com")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert_eq!(err.status(), Some(403));
    let detail = api(&err);
    assert!(
        detail.message.contains("contacts:write"),
        "{}",
        detail.message
    );
    assert_eq!(detail.required_scope, Some("contacts:write"));
    assert!(err.to_string().contains("contacts:write"), "{err}");
    assert_eq!(detail.details[0]["required_scope"], json!("contacts:write"));

    // Other resources need their own scopes.
    for (err, scope) in [
        (
            ro.companies().list().send().await.unwrap_err(),
            "companies:read",
        ),
        (
            ro.segments().list().send().await.unwrap_err(),
            "segments:read",
        ),
        (
            ro.actions().list().send().await.unwrap_err(),
            "actions:read",
        ),
        (ro.agents().list().send().await.unwrap_err(), "agents:read"),
        (
            ro.identities().list().send().await.unwrap_err(),
            "identities:read",
        ),
    ] {
        assert_eq!(err.status(), Some(403), "{scope}: {err}");
        assert!(
            api(&err).message.contains(scope),
            "{scope}: {}",
            api(&err).message
        );
    }
    // Nothing was written.
    assert_eq!(
        ro.contacts()
            .count()
            .search("new.person")
            .send()
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn auth_status_reports_each_keys_scopes() {
    let server = MockServer::start().await;
    let ro = client(&server, KEY_READ_ONLY)
        .auth()
        .status()
        .send()
        .await
        .unwrap();
    assert_eq!(ro.authenticated, Some(true));
    assert_eq!(ro.scopes.unwrap(), ["contacts:read", "events:read"]);
    assert_eq!(ro.user.unwrap().tenant_id.as_deref(), Some("tenant_mock"));

    let all = client(&server, KEY_ALL)
        .auth()
        .status()
        .send()
        .await
        .unwrap();
    let scopes: BTreeSet<String> = all.scopes.unwrap().into_iter().collect();
    assert!(
        scopes.contains("actions:write") && scopes.len() == 15,
        "{scopes:?}"
    );

    let legacy = client(&server, KEY_NO_ACTIONS)
        .auth()
        .status()
        .send()
        .await
        .unwrap();
    let scopes = legacy.scopes.unwrap();
    assert!(!scopes.contains(&"actions:write".to_owned()), "{scopes:?}");
    assert!(scopes.contains(&"actions:read".to_owned()), "{scopes:?}");
    // The key id is stable per key and is not the secret.
    let key_id = ro.key_id.unwrap();
    assert_ne!(key_id, legacy.key_id.unwrap());
    assert!(!key_id.contains("sk_"));
}

#[tokio::test]
async fn the_opt_in_actions_write_scope_must_be_granted_explicitly() {
    let server = MockServer::start().await;
    let no_actions = client(&server, KEY_NO_ACTIONS);
    let identity = no_actions
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0);
    let params = json!({ "to": "ada@example.com", "subject": "Hi" });
    let err = no_actions
        .actions()
        .create(
            ActionType::EmailMessage,
            params.as_object().unwrap().clone(),
            identity.identity_id.clone(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert_eq!(api(&err).required_scope, Some("actions:write"));
    assert!(api(&err).message.contains("actions:write"));
    // Reading actions is fine.
    assert!(!no_actions.actions().list().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_bad_or_missing_key_is_401_and_public_endpoints_need_none() {
    let server = MockServer::start().await;
    let bad = client(&server, "sk_test_not_a_real_key");
    let err = bad.contacts().list().send().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.status(), Some(401));
    assert!(
        api(&err).message.contains("invalid API key"),
        "{}",
        api(&err).message
    );
    let err = bad.auth().status().send().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");

    // The health check sends no key at all, so any client works.
    let health = bad.health().check().send().await.unwrap();
    assert_eq!(health.message.as_deref(), Some("Public API is healthy"));

    // Raw: no Authorization header, or a non-bearer one.
    let missing = raw(&server, "GET", "/contacts", None, None).await;
    assert_eq!(missing.status, 401);
    let body = missing.json();
    assert_eq!(body["status"], "error");
    assert!(
        body["error"].as_str().unwrap().contains("missing API key"),
        "{body}"
    );
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(body["details"], json!([]));
    let basic = pathbound_mock::testkit::send(
        server.base_url(),
        "GET",
        "/contacts",
        &[("authorization", "Basic c2tfdGVzdF9hbGw6")],
        None,
    )
    .await
    .unwrap();
    assert_eq!(basic.status, 401);
}

#[tokio::test]
async fn keys_and_scope_sets_are_configurable() {
    let server = pathbound_mock::MockConfig::new()
        .keys(vec![
            pathbound_mock::ApiKey::new("sk_test_companies", ["companies:read", "companies:write"]),
            pathbound_mock::ApiKey::parse("sk_test_nothing=").unwrap(),
        ])
        .start()
        .await
        .unwrap();
    let companies = client(&server, "sk_test_companies");
    let created = companies
        .companies()
        .create("newco.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.domain.as_deref(),
        None,
        "the domain is under properties"
    );
    assert!(
        companies
            .contacts()
            .list()
            .send()
            .await
            .unwrap_err()
            .is_forbidden()
    );
    // The default keys are gone.
    let err: Error = client(&server, KEY_ALL)
        .auth()
        .status()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    // A key with no scope may still call scope-less endpoints.
    let nothing: Client = client(&server, "sk_test_nothing");
    assert_eq!(
        nothing
            .auth()
            .status()
            .send()
            .await
            .unwrap()
            .scopes
            .unwrap()
            .len(),
        0
    );
    let props = ContactProperties::default();
    assert!(
        nothing
            .contacts()
            .create("x@example.com")
            .properties(props)
            .send()
            .await
            .unwrap_err()
            .is_forbidden()
    );
}
