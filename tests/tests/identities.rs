//! End-to-end tests of the identities resource: CRUD with camelCase wire
//! names, and the asynchronous LinkedIn flow (login, status poll, 2FA code,
//! connection check).

mod support;

use pathbound_client::identities::LinkedinLoginStatus;
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

#[tokio::test]
async fn list_unwraps_identities_with_camel_case_fields_and_any_id_key() {
    let (server, client) = start().await;
    authed("GET", "/identities")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "identities": [
                {"_id": "id_123", "firstName": "Jane", "lastName": "Doe", "jobTitle": "AE",
                 "profile_id": "li_abc", "email_accounts": [{"provider": "gmail"}]},
                {"identity_id": "id_456", "id": "id_456", "firstName": "Sam", "role": "SDR",
                 "profile_id": null},
                {"id": "abc123"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let identities = client.identities().list().send().await.unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    let ids: Vec<_> = identities.iter().map(|i| i.identity_id.as_str()).collect();
    assert_eq!(ids, ["id_123", "id_456", "abc123"]);
    let jane = &identities[0];
    assert_eq!(jane.first_name.as_deref(), Some("Jane"));
    assert_eq!(jane.last_name.as_deref(), Some("Doe"));
    assert_eq!(jane.job_title.as_deref(), Some("AE"));
    assert_eq!(jane.profile_id.as_deref(), Some("li_abc"));
    assert_eq!(
        jane.extra.get("email_accounts"),
        Some(&json!([{"provider": "gmail"}]))
    );
    assert!(!jane.extra.contains_key("firstName"));
    assert!(!jane.extra.contains_key("_id"));
    assert_eq!(identities[1].role.as_deref(), Some("SDR"));
    assert_eq!(identities[1].profile_id, None);
    assert!(identities[1].extra.is_empty(), "{:?}", identities[1].extra);
}

#[tokio::test]
async fn create_sends_first_last_and_role_in_camel_case() {
    let (server, client) = start().await;
    let expected = json!({"firstName": "Jane", "lastName": "Doe", "role": "Account Executive"});
    authed("POST", "/identities")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "identity": {"_id": "id_123", "firstName": "Jane", "lastName": "Doe",
                         "role": "Account Executive"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let identity = client
        .identities()
        .create("Jane", "Doe", "Account Executive")
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(identity.identity_id, "id_123");
    assert_eq!(identity.role.as_deref(), Some("Account Executive"));
}

#[tokio::test]
async fn get_update_and_delete() {
    let (server, client) = start().await;
    authed("GET", "/identities/id_123")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "identity": {"identity_id": "id_123", "_id": "id_123", "firstName": "Jane"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("PUT", "/identities/id_123")
        .and(body_json(json!({"jobTitle": "Head of Sales"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "identity": {"_id": "id_123", "firstName": "Jane", "jobTitle": "Head of Sales"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("DELETE", "/identities/id_123")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Identity deleted"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let identity = client.identities().get("id_123").send().await.unwrap();
    let updated = client
        .identities()
        .update("id_123")
        .job_title("Head of Sales")
        .send()
        .await
        .unwrap();
    let deleted = client.identities().delete("id_123").send().await.unwrap();

    assert_eq!(identity.identity_id, "id_123");
    assert_eq!(identity.first_name.as_deref(), Some("Jane"));
    assert_eq!(updated.job_title.as_deref(), Some("Head of Sales"));
    assert_eq!(deleted.message.as_deref(), Some("Identity deleted"));
    let sent = requests(&server).await;
    assert_no_body(&sent[0]);
    assert_eq!(json_body(&sent[1]), json!({"jobTitle": "Head of Sales"}));
    assert_no_body(&sent[2]);
}

#[tokio::test]
async fn update_with_every_field_uses_job_title_not_role() {
    let (server, client) = start().await;
    let expected = json!({"firstName": "Janet", "lastName": "Doe-Smith", "jobTitle": "VP Sales"});
    authed("PUT", "/identities/id_123")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "identity": {"_id": "id_123"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    client
        .identities()
        .update("id_123")
        .first_name("Janet")
        .last_name("Doe-Smith")
        .job_title("VP Sales")
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
}

#[tokio::test]
async fn get_404_and_create_403() {
    let (server, client) = start().await;
    authed("GET", "/identities/id_gone")
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(error_envelope("Identity not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/identities")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.identities().get("id_gone").send().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(api_error(&err).message, "Identity not found");

    let err = client
        .identities()
        .create("A", "B", "C")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("identities:write"), "{shown}");
    assert!(shown.contains("POST /v1/identities"), "{shown}");
    assert_key_hidden(&err);
}

/// The whole LinkedIn flow: login → poll status → submit the 2FA code →
/// poll again → check the connection.
#[tokio::test]
async fn linkedin_login_status_code_and_check_flow() {
    let (server, client) = start().await;
    let login_body = json!({
        "username": "jane@example.com",
        "password": "hunter2",
        "country": "DE",
        "max_verification_wait_time": 300
    });
    authed("POST", "/identities/id_123/linkedin/login")
        .and(body_json(&login_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "message": "LinkedIn login initiated",
            "identity_id": "id_123",
            "login_result": {"profile_id": "li_abc", "session_id": "sess_xyz", "status": "queued"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/identities/id_123/linkedin/status/sess_xyz")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "identity_id": "id_123",
            "login_result": {"session_id": "sess_xyz", "status": "verification_required",
                             "challenge": "2fa_code"}
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/identities/id_123/linkedin/code/sess_xyz")
        .and(body_json(json!({"code": "123456"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "message": "Code submitted",
            "result": {"session_id": "sess_xyz", "status": "verifying"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/identities/id_123/linkedin/status/sess_xyz")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "message": "Logged in",
            "session": {"session_id": "sess_xyz", "status": "connected", "profile_id": "li_abc"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/identities/id_123/linkedin/check")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "connected": true, "profile_id": "li_abc",
            "message": "LinkedIn connected", "last_checked_at": TS
        })))
        .expect(1)
        .mount(&server)
        .await;

    // 1. Start the login and keep the session id.
    let started = client
        .identities()
        .linkedin_login("id_123")
        .username("jane@example.com")
        .password("hunter2")
        .country("DE")
        .max_verification_wait_time(300)
        .send()
        .await
        .unwrap();
    assert_eq!(started.message.as_deref(), Some("LinkedIn login initiated"));
    assert_eq!(started.identity_id.as_deref(), Some("id_123"));
    let login = started.login_result.as_ref().unwrap();
    assert_eq!(login.status, Some(LinkedinLoginStatus::Queued));
    assert_eq!(login.profile_id.as_deref(), Some("li_abc"));
    let session = login.session_id.clone().unwrap();
    assert_eq!(session, "sess_xyz");

    // 2. Poll: LinkedIn asks for a code (a status the spec does not list).
    let state = client
        .identities()
        .linkedin_status("id_123", &session)
        .send()
        .await
        .unwrap();
    let result = state.login_result.as_ref().unwrap();
    assert_eq!(
        result.status,
        Some(LinkedinLoginStatus::from("verification_required"))
    );
    assert_eq!(result.extra.get("challenge"), Some(&json!("2fa_code")));

    // 3. Send the code; the answer names the session `result`.
    let after_code = client
        .identities()
        .linkedin_submit_code("id_123", &session, "123456")
        .send()
        .await
        .unwrap();
    assert_eq!(after_code.message.as_deref(), Some("Code submitted"));
    assert_eq!(
        after_code.login_result.as_ref().unwrap().status,
        Some(LinkedinLoginStatus::from("verifying"))
    );
    assert!(!after_code.extra.contains_key("result"));

    // 4. Poll again; this answer names it `session`.
    let done = client
        .identities()
        .linkedin_status("id_123", &session)
        .send()
        .await
        .unwrap();
    let done_result = done.login_result.as_ref().unwrap();
    assert_eq!(done_result.status.as_ref().unwrap().as_str(), "connected");
    assert_eq!(done_result.profile_id.as_deref(), Some("li_abc"));

    // 5. Check the connection.
    let connection = client
        .identities()
        .linkedin_check("id_123")
        .send()
        .await
        .unwrap();
    assert_eq!(connection.connected, Some(true));
    assert_eq!(connection.profile_id.as_deref(), Some("li_abc"));
    assert_eq!(connection.extra.get("last_checked_at"), Some(&json!(TS)));

    let sent = requests(&server).await;
    let summary: Vec<_> = sent
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        summary,
        [
            "POST /identities/id_123/linkedin/login",
            "GET /identities/id_123/linkedin/status/sess_xyz",
            "POST /identities/id_123/linkedin/code/sess_xyz",
            "GET /identities/id_123/linkedin/status/sess_xyz",
            "GET /identities/id_123/linkedin/check",
        ]
    );
    for req in &sent {
        assert_bearer(req);
        assert_no_query(req);
    }
    assert_eq!(json_body(&sent[0]), login_body);
    assert_no_body(&sent[1]);
    assert_eq!(json_body(&sent[2]), json!({"code": "123456"}));
    assert_no_body(&sent[4]);
}

#[tokio::test]
async fn linkedin_reauthentication_sends_an_empty_body() {
    let (server, client) = start().await;
    authed("POST", "/identities/id_123/linkedin/login")
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "LinkedIn login initiated", "identity_id": "id_123",
            "login_result": {"profile_id": "li_abc", "session_id": "sess_2", "status": "queued"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let started = client
        .identities()
        .linkedin_login("id_123")
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), json!({}));
    assert_eq!(
        started.login_result.unwrap().session_id.as_deref(),
        Some("sess_2")
    );
}

#[tokio::test]
async fn linkedin_session_ids_are_percent_encoded_in_the_path() {
    let (server, client) = start().await;
    authed("GET", "/identities/id_123/linkedin/status/sess%2Fa%3Fb")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "login_result": {"status": "queued"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let state = client
        .identities()
        .linkedin_status("id_123", "sess/a?b")
        .send()
        .await
        .unwrap();

    assert_eq!(
        state.login_result.unwrap().status,
        Some(LinkedinLoginStatus::Queued)
    );
    assert_no_query(&only_request(&server).await);
}

#[tokio::test]
async fn linkedin_submit_code_400_keeps_details_and_names_the_call() {
    let (server, client) = start().await;
    authed("POST", "/identities/id_123/linkedin/code/sess_xyz")
        .respond_with(ResponseTemplate::new(400).set_body_json(error_envelope(
            "Invalid verification code",
            json!([{"field": "code", "message": "must be 6 digits"}]),
        )))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .identities()
        .linkedin_submit_code("id_123", "sess_xyz", "12")
        .send()
        .await
        .unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status, 400);
    assert_eq!(api.message, "Invalid verification code");
    assert_eq!(
        api.details,
        vec![json!({"field": "code", "message": "must be 6 digits"})]
    );
    let shown = err.to_string();
    assert!(
        shown.contains("POST /v1/identities/{identity_id}/linkedin/code/{session_id}"),
        "{shown}"
    );
    assert_key_hidden(&err);
}

/// The LinkedIn password given to `linkedin_login()` (a `secret: true` field in
/// the spec) is redacted from the request's `Debug`, like the API key, so a
/// `tracing::debug!(?request)` or a panic message cannot leak it.
#[tokio::test]
async fn linkedin_login_request_debug_hides_the_password() {
    let (_server, client) = start().await;

    let request = client
        .identities()
        .linkedin_login("id_123")
        .username("jane@example.com")
        .password("hunter2-secret");
    let shown = format!("{request:?}");

    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("hunter2-secret"), "{shown}");
}

#[tokio::test]
async fn linkedin_login_is_not_retried_after_a_502() {
    let (server, client) = start().await;
    authed("POST", "/identities/id_123/linkedin/login")
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Bad gateway", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .identities()
        .linkedin_login("id_123")
        .send()
        .await
        .unwrap_err();

    // A second login could start a second LinkedIn session: one attempt only.
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), Some(1));
    assert_key_hidden(&err);
    assert_eq!(requests(&server).await.len(), 1);
}
