//! Behaviour of `pathbound-mock` beyond CRUD: the LinkedIn login flow, identify
//! back-filling anonymous history, aggregates and their per-entity scopes, agent
//! runs, public forms, the wire shape of ids, and concurrent updates.

mod mock_support;

use std::sync::Arc;

use mock_support::*;
use pathbound_client::batch::{AggregateEntity, GroupBy};
use pathbound_client::contacts::ContactProperties;
use pathbound_mock::{MockConfig, MockServer, testkit};
use serde_json::json;

fn status_of(state: &pathbound_client::identities::LinkedinLoginState) -> String {
    state
        .login_result
        .as_ref()
        .and_then(|r| r.status.as_ref())
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_linkedin_login_flow_advances_on_each_poll() {
    let (_server, c) = start().await;
    let id = c
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0)
        .identity_id;

    // No stored profile yet: credentials are required.
    let err = c.identities().linkedin_login(&id).send().await.unwrap_err();
    assert_eq!(details(&err)[0].0, "username");
    let err = c
        .identities()
        .linkedin_login(&id)
        .username("grace@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        details(&err),
        [pair("password", "is required with username")]
    );

    let started = c
        .identities()
        .linkedin_login(&id)
        .username("grace@example.com")
        .password("pw")
        .send()
        .await
        .unwrap();
    assert_eq!(started.message.as_deref(), Some("LinkedIn login initiated"));
    let result = started.login_result.unwrap();
    assert_eq!(result.status.unwrap().as_str(), "queued");
    assert!(result.profile_id.unwrap().starts_with("li_"));
    let session = result.session_id.unwrap();
    assert!(session.starts_with("sess_"));

    // A code before LinkedIn asks for one is refused.
    let early = c
        .identities()
        .linkedin_submit_code(&id, &session, "123456")
        .send()
        .await
        .unwrap_err();
    assert_eq!(early.status(), Some(400));
    assert!(
        api(&early).message.contains("not waiting for a 2FA code"),
        "{}",
        api(&early).message
    );
    let poll = || c.identities().linkedin_status(&id, &session).send();
    assert_eq!(status_of(&poll().await.unwrap()), "pending");
    assert_eq!(status_of(&poll().await.unwrap()), "challenge");
    assert_eq!(
        status_of(&poll().await.unwrap()),
        "challenge",
        "waits for the code"
    );
    assert!(
        !c.identities()
            .linkedin_check(&id)
            .send()
            .await
            .unwrap()
            .connected
            .unwrap()
    );

    let wrong = c
        .identities()
        .linkedin_submit_code(&id, &session, "000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(details(&wrong)[0].0, "code");
    let malformed = c
        .identities()
        .linkedin_submit_code(&id, &session, "12ab")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        details(&malformed),
        [pair("code", "must be the 6-digit code LinkedIn sent")]
    );
    let done = c
        .identities()
        .linkedin_submit_code(&id, &session, "424242")
        .send()
        .await
        .unwrap();
    assert_eq!(status_of(&done), "connected");
    let check = c.identities().linkedin_check(&id).send().await.unwrap();
    assert_eq!(check.connected, Some(true));
    assert!(check.profile_id.is_some());

    // Re-authentication with the stored profile needs no code.
    let again = c.identities().linkedin_login(&id).send().await.unwrap();
    let session = again.login_result.unwrap().session_id.unwrap();
    let poll = || c.identities().linkedin_status(&id, &session).send();
    assert_eq!(status_of(&poll().await.unwrap()), "pending");
    assert_eq!(status_of(&poll().await.unwrap()), "connected");
    assert!(
        c.identities()
            .linkedin_status(&id, "sess_nope")
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn identify_links_the_anonymous_history() {
    let (_server, c) = start().await;
    let anonymous = c
        .events()
        .list()
        .limit(100)
        .send()
        .await
        .unwrap()
        .into_items()
        .into_iter()
        .find(|e| e.internal_contact_id.is_none() && e.extra.get("is_bot").is_none())
        .expect("the seed has anonymous visitors");
    let visitor = anonymous.extra["visitorId"].as_str().unwrap().to_owned();
    let result = c
        .contacts()
        .identify("usr_42")
        .anonymous_id(visitor.clone())
        .traits(ContactProperties {
            email: Some("new.user@example.com".into()),
            firstname: Some("New".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    assert!(result.extra["created"].as_bool().unwrap());
    let linked = result.extra["backfilled_events"].as_u64().unwrap();
    assert!(linked > 0);
    let contact_id = result.contact_id.unwrap();
    let theirs = c
        .events()
        .count()
        .contact_id(contact_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(theirs as u64, linked);
    // Same external id again: resolved, not duplicated.
    let again = c.contacts().identify("usr_42").send().await.unwrap();
    assert_eq!(again.contact_id.as_deref(), Some(contact_id.as_str()));
    assert_eq!(
        c.contacts()
            .count()
            .search("new.user@example.com")
            .send()
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn aggregates_group_and_check_the_scope_of_their_entity() {
    let server = MockServer::start().await;
    let c = client(&server, KEY_ALL);
    let segment = c
        .segments()
        .list()
        .send()
        .await
        .unwrap()
        .into_items()
        .into_iter()
        .find(|s| s.name.as_deref() == Some("Customers"))
        .unwrap();
    let filters = json!({ "segment_id": segment.segment_id })
        .as_object()
        .unwrap()
        .clone();
    let by_country = c
        .batch()
        .aggregate(AggregateEntity::Contacts)
        .filters(filters)
        .group_by(GroupBy::Many(vec![
            "country".into(),
            "lifecyclestage".into(),
        ]))
        .send()
        .await
        .unwrap();
    let rows = by_country.results.unwrap();
    let rows = rows.as_array().unwrap();
    let total: i64 = rows.iter().map(|r| r["count"].as_i64().unwrap()).sum();
    assert_eq!(total, segment.contact_count.unwrap());
    assert!(rows.iter().all(|r| r["lifecyclestage"] == "customer"));

    let ro = client(&server, KEY_READ_ONLY);
    let events = ro
        .batch()
        .aggregate(AggregateEntity::Events)
        .group_by("device_type")
        .send()
        .await
        .unwrap();
    assert!(events.results.unwrap().as_array().unwrap().len() >= 2);
    let err = ro
        .batch()
        .aggregate(AggregateEntity::Companies)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_forbidden());
    assert!(
        api(&err).message.contains("companies:read"),
        "{}",
        api(&err).message
    );
}

#[tokio::test]
async fn a_triggered_run_targets_the_monitored_segment_and_each_proposal_is_decided_once() {
    let (_server, c) = start().await;
    let agent = c.agents().list().send().await.unwrap().items.remove(0);
    let job = c.agents().trigger(&agent.agent_id).send().await.unwrap();
    assert!(job.starts_with("job_"));
    let run = c
        .agents()
        .list_runs(&agent.agent_id)
        .send()
        .await
        .unwrap()
        .items
        .remove(0);
    let contacts = run.contacts.clone().unwrap();
    let contacts = contacts.as_array().unwrap();
    assert_eq!(
        contacts.len(),
        3,
        "max_contacts_per_run of the seeded agent"
    );
    let first = contacts[0]["contact_id"].as_str().unwrap().to_owned();
    c.agents()
        .approve_run_action(&run.run_id, &first, 0)
        .send()
        .await
        .unwrap();
    let twice = c
        .agents()
        .approve_run_action(&run.run_id, &first, 0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(twice.status(), Some(400));
    assert!(api(&twice).message.contains("already approved"));
    let missing = c
        .agents()
        .reject_run_action(&run.run_id, &first, 9)
        .send()
        .await
        .unwrap_err();
    assert!(missing.is_not_found());
    let err = c
        .agents()
        .trigger(&agent.agent_id)
        .contact_ids(vec!["ct_nope".to_owned()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        details(&err),
        [pair("contact_ids[0]", "no contact with id \"ct_nope\"")]
    );
}

#[tokio::test]
async fn public_forms_check_origin_and_data() {
    let server = MockServer::start().await;
    let post = |origin: &'static str, body: serde_json::Value| {
        let url = server.base_url().to_owned();
        async move {
            let bytes = body.to_string();
            testkit::send(
                &url,
                "POST",
                "/public/form-submission/tenant_mock/form_1",
                &[("origin", origin)],
                Some(bytes.as_bytes()),
            )
            .await
            .unwrap()
        }
    };
    let ok = post(
        "https://www.acme-demo.com",
        json!({ "contact_data": { "email": "lead@example.com" } }),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["message"], "Thank you for your submission");
    assert!(ok.json().get("contact_id").is_none(), "no internal ids");
    let foreign = post("https://evil.example", json!({})).await;
    assert_eq!(foreign.status, 403);
    let no_email = post(
        "https://www.acme-demo.com",
        json!({ "contact_data": { "firstname": "X" } }),
    )
    .await;
    assert_eq!(
        raw_details(&no_email),
        [pair(
            "contact_data.email",
            "is required when contact_data is given"
        )]
    );
    let stage = post(
        "https://www.acme-demo.com",
        json!({ "contact_data": { "email": "a@b.co", "lifecyclestage": "vip" } }),
    )
    .await;
    assert_eq!(raw_details(&stage)[0].0, "contact_data.lifecyclestage");
    let tenant = testkit::send(
        server.base_url(),
        "POST",
        "/public/form-submission/tenant_other/form_1",
        &[],
        Some(b"{}"),
    )
    .await
    .unwrap();
    assert_eq!(tenant.status, 403);
}

#[tokio::test]
async fn ids_go_out_under_both_names_and_envelopes_match_the_api() {
    let server = MockServer::start().await;
    let r = raw(
        &server,
        "POST",
        "/contacts",
        Some(KEY_ALL),
        Some(br#"{"email":"wire@example.com"}"#),
    )
    .await;
    assert_eq!(r.status, 201);
    let body = r.json();
    assert_eq!(body["status"], "success");
    assert_eq!(body["contact"]["contact_id"], body["contact"]["_id"]);
    assert!(r.header("x-request-id").unwrap().starts_with("req_"));
    let list = raw(&server, "GET", "/actions?limit=2", Some(KEY_ALL), None)
        .await
        .json();
    assert_eq!(list["pagination"]["skip"], 0);
    assert_eq!(list["actions"][0]["action_id"], list["actions"][0]["_id"]);
    let agents = raw(&server, "GET", "/agents", Some(KEY_ALL), None)
        .await
        .json();
    assert!(agents["total"].is_u64() && agents["offset"] == 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_to_one_contact_lose_nothing() {
    let server = MockServer::start().await;
    let c = Arc::new(client(&server, KEY_ALL));
    let contact = c
        .contacts()
        .create("busy@example.com")
        .send()
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let c = Arc::clone(&c);
        let id = contact.contact_id.clone();
        tasks.push(tokio::spawn(async move {
            let mut props = ContactProperties::default();
            props.extra.insert(format!("field_{i}"), json!(i));
            c.contacts()
                .update(id.clone())
                .properties(props)
                .send()
                .await
                .unwrap();
            c.contacts()
                .create_note(id, format!("note {i}"))
                .send()
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let details = c.contacts().get(&contact.contact_id).send().await.unwrap();
    let props = details.contact.properties.unwrap();
    for i in 0..40 {
        assert_eq!(
            props.extra.get(&format!("field_{i}")),
            Some(&json!(i)),
            "field_{i}"
        );
    }
    assert_eq!(
        c.contacts()
            .list_notes(&contact.contact_id)
            .send()
            .await
            .unwrap()
            .len(),
        40
    );
}

/// `batch.aggregate` needs the read scope of the entity it aggregates (the spec's
/// `scope: { by: entity }`): a key holding only `events:read` may aggregate events,
/// and aggregating companies fails with a 403 naming `companies:read`, whether the
/// client checks scopes before sending or leaves it to the server.
#[tokio::test]
async fn a_key_with_only_events_read_may_aggregate_events_and_not_companies() {
    const EVENTS_ONLY: &str = "sk_test_events_only";
    let server = MockConfig::new()
        .key(pathbound_mock::ApiKey::new(EVENTS_ONLY, ["events:read"]))
        .start()
        .await
        .unwrap();
    let unchecked = client(&server, EVENTS_ONLY);
    let checked = unchecked.with_scopes(["events:read"]);
    for c in [&unchecked, &checked] {
        let events = c
            .batch()
            .aggregate(AggregateEntity::Events)
            .group_by("device_type")
            .send()
            .await
            .unwrap();
        assert!(events.results.is_some());
        let err = c
            .batch()
            .aggregate(AggregateEntity::Companies)
            .send()
            .await
            .unwrap_err();
        assert!(err.is_forbidden(), "{err:?}");
        assert_eq!(
            err.missing_scope(),
            Some(pathbound_client::scopes::COMPANIES_READ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string().matches("companies:read").count(),
            1,
            "{err}"
        );
    }
    // The server saw the 403 only from the unchecked client; the checked one
    // refused before sending.
    assert_eq!(server.hits("batch.aggregate"), 3);
}
