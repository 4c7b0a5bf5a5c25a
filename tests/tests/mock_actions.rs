//! The action status machine of `pathbound-mock`, driven through the generated
//! client: every legal transition, and every illegal one refused with a 400 that
//! names the current status.

mod mock_support;

use mock_support::*;
use pathbound_client::Client;
use pathbound_client::actions::{ActionStatus, ActionType, ApprovalDecision};
use serde_json::{Map, Value, json};

fn email(to: &str) -> Map<String, Value> {
    json!({ "to": to, "subject": "Hello", "body": "Hi there" })
        .as_object()
        .cloned()
        .unwrap_or_default()
}

async fn identity(client: &Client) -> pathbound_client::ids::IdentityId {
    client
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0)
        .identity_id
}

async fn status(client: &Client, id: &str) -> ActionStatus {
    client
        .actions()
        .get(id)
        .send()
        .await
        .unwrap()
        .status
        .unwrap()
}

/// Asserts `err` is the 400 refusing `verb` from `current`.
fn assert_illegal(err: &pathbound_client::Error, verb: &str, current: &str) {
    assert_eq!(err.status(), Some(400), "{err}");
    let message = &api(err).message;
    assert!(
        message.starts_with(&format!("Cannot {verb} action")),
        "{message}"
    );
    assert!(message.contains(&format!("it is {current}")), "{message}");
    assert_eq!(api(err).details[0]["current_status"], json!(current));
}

#[tokio::test]
async fn scheduled_actions_execute_or_cancel_once() {
    let (_server, c) = start().await;
    let sender = identity(&c).await;

    let created = c
        .actions()
        .create(
            ActionType::EmailMessage,
            email("a@example.com"),
            sender.clone(),
        )
        .send()
        .await
        .unwrap();
    assert!(created.action_id.starts_with("act_"));
    assert_eq!(
        created.action_summary.as_deref(),
        Some("Email to a@example.com scheduled")
    );
    assert_eq!(
        status(&c, &created.action_id).await,
        ActionStatus::Scheduled
    );

    // Not pending approval: approve and reject are refused.
    let err = c
        .actions()
        .approve(&created.action_id, ApprovalDecision::Approve)
        .send()
        .await
        .unwrap_err();
    assert_illegal(&err, "approve", "scheduled");
    let err = c
        .actions()
        .reject(&created.action_id)
        .send()
        .await
        .unwrap_err();
    assert_illegal(&err, "reject", "scheduled");

    let done = c
        .actions()
        .execute(&created.action_id)
        .send()
        .await
        .unwrap();
    assert_eq!(done.message.as_deref(), Some("Action executed"));
    assert_eq!(
        status(&c, &created.action_id).await,
        ActionStatus::Completed
    );
    for err in [
        c.actions()
            .execute(&created.action_id)
            .send()
            .await
            .unwrap_err(),
        c.actions()
            .cancel(&created.action_id)
            .send()
            .await
            .unwrap_err(),
        c.actions()
            .update(&created.action_id)
            .description("too late")
            .send()
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.status(), Some(400), "{err}");
        assert!(
            api(&err).message.contains("it is completed"),
            "{}",
            api(&err).message
        );
    }

    let second = c
        .actions()
        .create(ActionType::CreateTask, Map::new(), sender)
        .send()
        .await
        .unwrap();
    let updated = c
        .actions()
        .update(&second.action_id)
        .description("call back")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("call back"));
    c.actions().cancel(&second.action_id).send().await.unwrap();
    assert_eq!(status(&c, &second.action_id).await, ActionStatus::Cancelled);
    let err = c
        .actions()
        .cancel(&second.action_id)
        .send()
        .await
        .unwrap_err();
    assert_illegal(&err, "cancel", "cancelled");
    assert!(
        api(&err)
            .message
            .contains("only scheduled actions can be cancelled"),
        "{}",
        api(&err).message
    );
    let err = c
        .actions()
        .execute(&second.action_id)
        .send()
        .await
        .unwrap_err();
    assert_illegal(&err, "execute", "cancelled");
}

#[tokio::test]
async fn approval_moves_pending_actions_to_approved_or_rejected() {
    let (_server, c) = start().await;
    let sender = identity(&c).await;
    let new = |to: &'static str| {
        c.actions()
            .create(ActionType::EmailMessage, email(to), sender.clone())
            .require_approval(true)
            .send()
    };

    let a = new("a@example.com").await.unwrap();
    assert_eq!(
        status(&c, &a.action_id).await,
        ActionStatus::PendingApproval
    );
    assert!(a.action_summary.unwrap().contains("waiting for approval"));
    // Cancel is only for scheduled actions.
    assert_illegal(
        &c.actions().cancel(&a.action_id).send().await.unwrap_err(),
        "cancel",
        "pending_approval",
    );
    c.actions()
        .approve(&a.action_id, ApprovalDecision::Approve)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&c, &a.action_id).await, ActionStatus::Approved);
    assert_illegal(
        &c.actions()
            .approve(&a.action_id, ApprovalDecision::Approve)
            .send()
            .await
            .unwrap_err(),
        "approve",
        "approved",
    );
    assert_illegal(
        &c.actions().reject(&a.action_id).send().await.unwrap_err(),
        "reject",
        "approved",
    );
    c.actions().execute(&a.action_id).send().await.unwrap();
    let done = c.actions().get(&a.action_id).send().await.unwrap();
    assert_eq!(done.status, Some(ActionStatus::Completed));
    let history: Vec<&str> = done.extra["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        ["pending_approval", "approved", "running", "completed"]
    );

    // Rejecting, through either call.
    let b = new("b@example.com").await.unwrap();
    c.actions().reject(&b.action_id).send().await.unwrap();
    assert_eq!(status(&c, &b.action_id).await, ActionStatus::Rejected);
    assert_illegal(
        &c.actions().execute(&b.action_id).send().await.unwrap_err(),
        "execute",
        "rejected",
    );
    let d = new("d@example.com").await.unwrap();
    c.actions()
        .approve(&d.action_id, ApprovalDecision::Reject)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&c, &d.action_id).await, ActionStatus::Rejected);

    // A pending action may also be executed straight away.
    let e = new("e@example.com").await.unwrap();
    c.actions().execute(&e.action_id).send().await.unwrap();
    assert_eq!(status(&c, &e.action_id).await, ActionStatus::Completed);

    // An unknown decision is a validation error, not a transition.
    let f = new("f@example.com").await.unwrap();
    let err = c
        .actions()
        .approve(&f.action_id, ApprovalDecision::from("maybe"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        details(&err),
        [pair("action", "must be approve or reject, got \"maybe\"")]
    );
    assert_eq!(
        status(&c, &f.action_id).await,
        ActionStatus::PendingApproval
    );
}

#[tokio::test]
async fn direct_actions_run_at_once_and_bad_input_is_refused() {
    let (_server, c) = start().await;
    let sender = identity(&c).await;
    let direct = c
        .actions()
        .create(
            ActionType::EmailMessage,
            email("z@example.com"),
            sender.clone(),
        )
        .direct(true)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&c, &direct.action_id).await, ActionStatus::Completed);
    // Approval wins over `direct`.
    let held = c
        .actions()
        .create(
            ActionType::EmailMessage,
            email("y@example.com"),
            sender.clone(),
        )
        .direct(true)
        .require_approval(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status(&c, &held.action_id).await,
        ActionStatus::PendingApproval
    );

    let mut failing = email("x@example.com");
    failing.insert("simulate_failure".into(), json!(true));
    let f = c
        .actions()
        .create(ActionType::EmailMessage, failing, sender.clone())
        .send()
        .await
        .unwrap();
    c.actions().execute(&f.action_id).send().await.unwrap();
    assert_eq!(status(&c, &f.action_id).await, ActionStatus::Failed);

    let err = c
        .actions()
        .create(ActionType::EmailMessage, email("a@example.com"), "id_nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(details(&err)[0].0, "identity_id");
    let err = c
        .actions()
        .create(ActionType::EmailMessage, Map::new(), sender.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        details(&err),
        [pair("params.to", "is required for email actions")]
    );
    // Unknown action types are accepted (the registry is open).
    let custom = c
        .actions()
        .create(ActionType::from("ring_a_bell"), Map::new(), sender)
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.actions()
            .get(&custom.action_id)
            .send()
            .await
            .unwrap()
            .kind,
        Some(ActionType::from("ring_a_bell"))
    );
    let err = c.actions().get("act_missing").send().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}
