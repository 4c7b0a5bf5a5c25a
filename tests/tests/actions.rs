//! End-to-end tests of the actions resource: create, list (skip/limit
//! pagination), get, update, execute, cancel, approve and reject.

mod support;

use pathbound_client::actions::{ActionStatus, ActionType, ApprovalDecision};
use pathbound_client::common::SortDir;
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, query_param};

#[tokio::test]
async fn create_sends_type_params_identity_and_options_and_reads_the_new_id() {
    let (server, client) = start().await;
    let expected = json!({
        "type": "send_email",
        "params": {"to": "contact@example.com", "subject": "Hello", "body": "Hi there"},
        "identity_id": "id_123",
        "direct": false,
        "scheduled_time": "2026-05-01T09:00:00.000Z",
        "description": "Intro email",
        "require_approval": true,
        "list_id": "lst_1",
        "item_id": "itm_7"
    });
    authed("POST", "/actions")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "action_id": "act_abc123",
            "action_summary": "Email to contact@example.com scheduled",
            "status_after": "pending_approval"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let created = client
        .actions()
        .create(
            ActionType::SendEmail,
            obj(json!({"to": "contact@example.com", "subject": "Hello", "body": "Hi there"})),
            "id_123",
        )
        .direct(false)
        .scheduled_time("2026-05-01T09:00:00.000Z")
        .description("Intro email")
        .require_approval(true)
        .list_id("lst_1")
        .item_id("itm_7")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_eq!(json_body(&req), expected);
    assert_eq!(created.action_id, "act_abc123");
    assert_eq!(
        created.action_summary.as_deref(),
        Some("Email to contact@example.com scheduled")
    );
    assert_eq!(created.extra.get("status"), Some(&json!("success")));
    assert_eq!(
        created.extra.get("status_after"),
        Some(&json!("pending_approval"))
    );
}

#[tokio::test]
async fn create_with_only_required_fields_and_an_unlisted_type() {
    let (server, client) = start().await;
    let expected = json!({
        "type": "post_to_discord",
        "params": {"channel": "#sales"},
        "identity_id": "id_abc"
    });
    authed("POST", "/actions")
        .and(body_json(&expected))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "_id": "act_legacy"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let created = client
        .actions()
        .create(
            ActionType::from("post_to_discord"),
            obj(json!({"channel": "#sales"})),
            "id_abc",
        )
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(created.action_id, "act_legacy");
    assert_eq!(created.action_summary, None);
}

#[tokio::test]
async fn create_403_names_the_opt_in_actions_write_scope() {
    let (server, client) = start().await;
    authed("POST", "/actions")
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(error_envelope("Missing scope actions:write", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .actions()
        .create(ActionType::CreateNote, obj(json!({"content": "x"})), "id_1")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_forbidden());
    let api = api_error(&err);
    assert_eq!(api.required_scope, Some("actions:write"));
    let shown = err.to_string();
    assert!(shown.contains("POST /v1/actions"), "{shown}");
    assert!(shown.contains("actions:write"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn create_400_keeps_details() {
    let (server, client) = start().await;
    let details = json!([{"field": "params.to", "message": "is required"}]);
    authed("POST", "/actions")
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(error_envelope("Invalid params", details.clone())),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .actions()
        .create(ActionType::EmailMessage, obj(json!({})), "id_1")
        .send()
        .await
        .unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status, 400);
    assert_eq!(serde_json::Value::Array(api.details.clone()), details);
}

#[tokio::test]
async fn list_sends_filters_with_wire_names_and_decodes_actions() {
    let (server, client) = start().await;
    authed("GET", "/actions")
        .and(query_param("type", "linkedin_connection"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "actions": [
                {"_id": "act_1", "type": "linkedin_connection", "status": "pending_approval",
                 "params": {"note": "Hi Ada"}, "identity_id": "id_123",
                 "scheduled_time": null, "require_approval": true,
                 "contact_id": "ct_abc", "agent_id": "agt_9"},
                {"action_id": "act_2", "_id": "act_2", "type": "slack_huddle", "status": "paused"}
            ],
            "pagination": {"total_items": 2, "limit": 20, "skip": 0}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .actions()
        .list()
        .skip(0)
        .limit(20)
        .status(ActionStatus::PendingApproval)
        .kind(ActionType::LinkedinConnection)
        .list_id("lst_1")
        .item_id("itm_1")
        .identity_id("id_123")
        .sort_by("created_at")
        .sort_dir(SortDir::Desc)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(
        &req,
        &[
            ("skip", "0"),
            ("limit", "20"),
            ("status", "pending_approval"),
            ("type", "linkedin_connection"),
            ("list_id", "lst_1"),
            ("item_id", "itm_1"),
            ("identity_id", "id_123"),
            ("sort_by", "created_at"),
            ("sort_dir", "desc"),
        ],
    );

    let first = &page.items[0];
    assert_eq!(first.action_id, "act_1");
    assert_eq!(first.kind, Some(ActionType::LinkedinConnection));
    assert_eq!(first.status, Some(ActionStatus::PendingApproval));
    assert_eq!(first.params.as_ref().unwrap()["note"], json!("Hi Ada"));
    assert_eq!(first.scheduled_time, None);
    assert_eq!(first.require_approval, Some(true));
    assert_eq!(first.extra.get("contact_id"), Some(&json!("ct_abc")));
    assert_eq!(first.extra.get("agent_id"), Some(&json!("agt_9")));
    assert!(!first.extra.contains_key("type"));
    let second = &page.items[1];
    assert_eq!(second.action_id, "act_2");
    assert_eq!(second.kind, Some(ActionType::from("slack_huddle")));
    assert_eq!(second.status, Some(ActionStatus::from("paused")));
    assert_eq!(second.status.as_ref().unwrap().as_str(), "paused");
    assert!(second.extra.is_empty(), "{:?}", second.extra);
    assert!(!page.has_more());
}

/// skip/limit pagination: first, middle and last page of 45 actions.
#[tokio::test]
async fn list_skip_pages_advance_by_what_was_returned() {
    let (server, client) = start().await;
    let items = |from: usize, n: usize| -> Vec<serde_json::Value> {
        (from..from + n)
            .map(|i| json!({"_id": format!("act_{i}")}))
            .collect()
    };
    for (skip, n) in [(0usize, 20usize), (20, 20), (40, 5)] {
        authed("GET", "/actions")
            .and(query_param("skip", skip.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success",
                "actions": items(skip, n),
                "pagination": {"total_items": 45, "limit": 20, "skip": skip}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let mut skip = Some(0u64);
    let mut seen = 0;
    let mut nexts = Vec::new();
    while let Some(at) = skip {
        let page = client
            .actions()
            .list()
            .skip(at as i64)
            .limit(20)
            .send()
            .await
            .unwrap();
        assert_eq!(page.info.skip, Some(at));
        assert_eq!(page.info.total_items, Some(45));
        assert_eq!(page.items[0].action_id, format!("act_{at}"));
        seen += page.len();
        skip = page.next_page_param();
        nexts.push(skip);
        assert!(nexts.len() <= 3, "the walk must stop");
    }

    assert_eq!(seen, 45);
    assert_eq!(nexts, [Some(20), Some(40), None]);
}

#[tokio::test]
async fn list_limits_are_checked_before_sending() {
    let (server, client) = start().await;

    let err = client.actions().list().limit(500).send().await.unwrap_err();
    assert_invalid(&err, "actions.list", "limit");
    let err = client.actions().list().skip(-1).send().await.unwrap_err();
    assert_invalid(&err, "actions.list", "skip");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn get_unwraps_the_action_envelope() {
    let (server, client) = start().await;
    authed("GET", "/actions/act_abc123")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "action": {"action_id": "act_abc123", "type": "email_message", "status": "completed",
                       "identity_id": "id_123", "direct": true, "description": "Intro",
                       "action_summary": "Email sent", "created_at": TS,
                       "result": {"message_id": "msg_1"}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let action = client.actions().get("act_abc123").send().await.unwrap();

    assert_no_query(&only_request(&server).await);
    assert_eq!(action.action_id, "act_abc123");
    assert_eq!(action.kind, Some(ActionType::EmailMessage));
    assert_eq!(action.status, Some(ActionStatus::Completed));
    assert_eq!(action.direct, Some(true));
    assert_eq!(action.action_summary.as_deref(), Some("Email sent"));
    assert_eq!(action.created_at.as_ref().unwrap().as_str(), TS);
    assert_eq!(
        action.extra.get("result"),
        Some(&json!({"message_id": "msg_1"}))
    );
}

#[tokio::test]
async fn get_404_is_not_found() {
    let (server, client) = start().await;
    authed("GET", "/actions/act_nope")
        .respond_with(
            ResponseTemplate::new(404).set_body_json(error_envelope("Action not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.actions().get("act_nope").send().await.unwrap_err();

    assert!(err.is_not_found());
    assert_eq!(api_error(&err).message, "Action not found");
    assert!(
        err.to_string().contains("GET /v1/actions/{action_id}"),
        "{err}"
    );
}

#[tokio::test]
async fn update_sends_only_the_changed_fields() {
    let (server, client) = start().await;
    let expected = json!({
        "params": {"subject": "Hello again"},
        "scheduled_time": "2026-05-02T09:00:00.000Z"
    });
    authed("PUT", "/actions/act_abc123")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "action": {"_id": "act_abc123", "status": "scheduled",
                       "scheduled_time": "2026-05-02T09:00:00.000Z"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let action = client
        .actions()
        .update("act_abc123")
        .params(obj(json!({"subject": "Hello again"})))
        .scheduled_time("2026-05-02T09:00:00.000Z")
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(action.status, Some(ActionStatus::Scheduled));
    assert_eq!(
        action.scheduled_time.as_ref().unwrap().as_str(),
        "2026-05-02T09:00:00.000Z"
    );
}

#[tokio::test]
async fn execute_cancel_and_reject_are_bodiless_posts() {
    let (server, client) = start().await;
    for (verb_path, message) in [
        ("/actions/act_1/execute", "Action executing"),
        ("/actions/act_2/cancel", "Action cancelled"),
        ("/actions/act_3/reject", "Action rejected"),
    ] {
        authed("POST", verb_path)
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "message": message
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let executed = client.actions().execute("act_1").send().await.unwrap();
    let cancelled = client.actions().cancel("act_2").send().await.unwrap();
    let rejected = client.actions().reject("act_3").send().await.unwrap();

    assert_eq!(executed.message.as_deref(), Some("Action executing"));
    assert_eq!(cancelled.message.as_deref(), Some("Action cancelled"));
    assert_eq!(rejected.message.as_deref(), Some("Action rejected"));
    for req in requests(&server).await {
        assert_bearer(&req);
        assert_no_body(&req);
        assert_no_query(&req);
    }
}

#[tokio::test]
async fn approve_sends_the_decision_in_the_body() {
    let (server, client) = start().await;
    authed("POST", "/actions/act_9/approve")
        .and(body_json(json!({"action": "approve"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Action approved"
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/actions/act_10/approve")
        .and(body_json(json!({"action": "reject"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Action rejected"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let approved = client
        .actions()
        .approve("act_9", ApprovalDecision::Approve)
        .send()
        .await
        .unwrap();
    let rejected = client
        .actions()
        .approve("act_10", ApprovalDecision::Reject)
        .send()
        .await
        .unwrap();

    assert_eq!(approved.message.as_deref(), Some("Action approved"));
    assert_eq!(rejected.message.as_deref(), Some("Action rejected"));
    let sent = requests(&server).await;
    assert_eq!(json_body(&sent[0]), json!({"action": "approve"}));
    assert_eq!(json_body(&sent[1]), json!({"action": "reject"}));
}

#[tokio::test]
async fn execute_is_not_retried_after_a_502() {
    let (server, client) = start().await;
    authed("POST", "/actions/act_1/execute")
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("retry-after", "0")
                .set_body_raw(b"<html>Bad Gateway</html>".to_vec(), "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.actions().execute("act_1").send().await.unwrap_err();

    assert_eq!(err.status(), Some(502));
    assert_eq!(api_error(&err).body_snippet, "<html>Bad Gateway</html>");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn stream_advances_skip_by_the_items_returned() {
    let (server, client) = start().await;
    for (skip, n) in [(0usize, 3usize), (3, 3), (6, 1)] {
        let actions: Vec<_> = (skip..skip + n)
            .map(|i| json!({"action_id": format!("act_{i}")}))
            .collect();
        authed("GET", "/actions")
            .and(query_param("skip", skip.to_string()))
            .and(query_param("status", "scheduled"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "actions": actions,
                "pagination": {"total_items": 7, "limit": 3, "skip": skip}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items = collect(
        client
            .actions()
            .list()
            .skip(0)
            .limit(3)
            .status(ActionStatus::Scheduled)
            .stream(),
    )
    .await;

    let ids: Vec<_> = items
        .into_iter()
        .map(|item| item.unwrap().action_id)
        .collect();
    assert_eq!(
        ids,
        [
            "act_0", "act_1", "act_2", "act_3", "act_4", "act_5", "act_6"
        ]
    );
    for req in requests(&server).await {
        assert!(!req.url.query().unwrap().contains("page="), "{}", req.url);
    }
}
