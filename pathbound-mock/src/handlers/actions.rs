//! Actions and their status machine:
//!
//! ```text
//! create ──► scheduled ──execute──► running ──► completed
//!    │           └──cancel──► cancelled
//!    └─(require_approval)─► pending_approval ──approve──► approved ──execute──► completed
//!                               ├──reject──► rejected
//!                               └──execute──► completed
//! ```
//!
//! A run fails (`failed`) instead when `params.simulate_failure` is `true`.
//! `direct: true` runs at once (`completed`) unless approval is required. Any
//! other transition is refused with `400` and a message naming the current
//! status and the statuses the call is allowed from.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::contacts::check_email;
use super::{Ctx, descending, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Action, ActionStatus, State};

use ActionStatus::{
    Approved, AutoApproved, Cancelled, Completed, Failed, PendingApproval, Rejected, Running,
    Scheduled,
};

/// `POST /actions`.
pub fn create(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let kind = ctx.b_str("type").unwrap_or_default().trim().to_owned();
    if kind.is_empty() {
        return Err(Reply::invalid_field("type", "must not be empty"));
    }
    let params = ctx.b_obj("params").cloned().unwrap_or_default();
    check_params(&kind, &params)?;
    let identity_id = ctx.b_str("identity_id").unwrap_or_default().to_owned();
    check_identity(state, &identity_id)?;
    let require_approval = ctx.b_bool("require_approval").unwrap_or(false);
    let direct = ctx.b_bool("direct").unwrap_or(false);
    state.admit(1)?;
    let id = state.ids.next("act_");
    let seq = state.next_seq();
    let initial = if require_approval {
        PendingApproval
    } else {
        Scheduled
    };
    let mut action = Action {
        id: id.clone(),
        kind,
        params,
        identity_id,
        status: initial,
        direct,
        scheduled_time: ctx.b_str("scheduled_time").map(str::to_owned),
        description: ctx.b_str("description").map(str::to_owned),
        require_approval,
        list_id: ctx.b_str("list_id").map(str::to_owned),
        item_id: ctx.b_str("item_id").map(str::to_owned),
        agent_run_id: None,
        history: vec![(initial, ctx.now)],
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    };
    if direct && !require_approval {
        action.set_status(Running, ctx.now);
        action.set_status(Completed, ctx.now);
    }
    let reply = body([
        ("action_id", json!(id)),
        ("_id", json!(id)),
        ("action_summary", json!(action.summary())),
        ("action_status", json!(action.status.as_str())),
    ]);
    state.actions.insert(id, action);
    Ok(reply)
}

/// `GET /actions`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let eq = |param: &str, have: Option<&str>| ctx.q(param).is_none_or(|want| have == Some(want));
    let mut found: Vec<&Action> = state
        .actions
        .values()
        .filter(|a| {
            eq("status", Some(a.status.as_str()))
                && eq("type", Some(&a.kind))
                && eq("list_id", a.list_id.as_deref())
                && eq("item_id", a.item_id.as_deref())
                && eq("identity_id", Some(&a.identity_id))
        })
        .collect();
    let key = ctx.q("sort_by").unwrap_or("created_at").to_owned();
    found.sort_by(|a, b| compare(a, b, &key));
    if descending(ctx) {
        found.reverse();
    }
    Ok(paginate(ctx, found, |a| a.to_json()))
}

/// `GET /actions/{action_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let action = find(ctx, state)?;
    Ok(body([("action", action.to_json())]))
}

/// `PUT /actions/{action_id}`: only while the action has not run.
pub fn update(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    if let Some(identity) = ctx.b_str("identity_id") {
        check_identity(state, identity)?;
    }
    let action = find_mut(ctx, state)?;
    if !action.status.is_open() {
        return Err(illegal(
            action,
            "update",
            &[Scheduled, PendingApproval, Approved, AutoApproved],
        ));
    }
    if let Some(params) = ctx.b_obj("params") {
        check_params(&action.kind, params)?;
        action.params = params.clone();
    }
    if let Some(identity) = ctx.b_str("identity_id") {
        action.identity_id = identity.to_owned();
    }
    if let Some(time) = ctx.b_str("scheduled_time") {
        action.scheduled_time = Some(time.to_owned());
    }
    if let Some(description) = ctx.b_str("description") {
        action.description = Some(description.to_owned());
    }
    action.updated_at = ctx.now;
    Ok(body([("action", action.to_json())]))
}

/// `POST /actions/{action_id}/execute`.
pub fn execute(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    transition(
        ctx,
        state,
        "execute",
        &[Scheduled, PendingApproval, Approved, AutoApproved],
        |a, now| {
            a.set_status(Running, now);
            // A mock knob: `params.simulate_failure: true` makes the run fail.
            if a.params.get("simulate_failure").and_then(Value::as_bool) == Some(true) {
                a.set_status(Failed, now);
                "Action failed (simulated)"
            } else {
                a.set_status(Completed, now);
                "Action executed"
            }
        },
    )
}

/// `POST /actions/{action_id}/cancel`.
pub fn cancel(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    transition(ctx, state, "cancel", &[Scheduled], |a, now| {
        a.set_status(Cancelled, now);
        "Action cancelled"
    })
}

/// `POST /actions/{action_id}/approve` with `{action: approve | reject}`.
pub fn approve(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    match ctx.b_str("action") {
        Some("approve") => transition(ctx, state, "approve", &[PendingApproval], |a, now| {
            a.set_status(Approved, now);
            "Action approved"
        }),
        Some("reject") => reject(ctx, state),
        other => Err(Reply::invalid_field(
            "action",
            format!(
                "must be approve or reject, got {:?}",
                other.unwrap_or_default()
            ),
        )),
    }
}

/// `POST /actions/{action_id}/reject`.
pub fn reject(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    transition(ctx, state, "reject", &[PendingApproval], |a, now| {
        a.set_status(Rejected, now);
        "Action rejected"
    })
}

/// Applies `change` when the action is in one of `from`, else a 400.
fn transition(
    ctx: &Ctx<'_>,
    state: &mut State,
    verb: &str,
    from: &[ActionStatus],
    change: impl FnOnce(&mut Action, i64) -> &'static str,
) -> Outcome {
    let action = find_mut(ctx, state)?;
    if !from.contains(&action.status) {
        return Err(illegal(action, verb, from));
    }
    let message = change(action, ctx.now);
    Ok(body([
        ("message", json!(message)),
        ("action_id", json!(action.id)),
        ("_id", json!(action.id)),
        ("action_status", json!(action.status.as_str())),
        ("action", action.to_json()),
    ]))
}

/// The refusal of a transition, e.g. "Cannot cancel action act_…: it is
/// completed; only scheduled actions can be cancelled".
fn illegal(action: &Action, verb: &str, from: &[ActionStatus]) -> Reply {
    let allowed: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let list = match allowed.as_slice() {
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => "no".to_owned(),
    };
    let participle = match verb {
        "execute" => "executed",
        "cancel" => "cancelled",
        "approve" => "approved",
        "reject" => "rejected",
        "update" => "updated",
        other => other,
    };
    Reply::error_with(
        400,
        format!(
            "Cannot {verb} action {}: it is {}; only {list} actions can be {participle}",
            action.id,
            action.status.as_str()
        ),
        vec![json!({
            "field": "status",
            "message": format!("is {}, expected {list}", action.status.as_str()),
            "current_status": action.status.as_str(),
            "allowed_from": allowed,
        })],
    )
    .with("current_status", json!(action.status.as_str()))
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Action, Reply> {
    let id = ctx.param("action_id");
    state
        .actions
        .get(id)
        .ok_or_else(|| Reply::not_found("action", id))
}

fn find_mut<'s>(ctx: &Ctx<'_>, state: &'s mut State) -> Result<&'s mut Action, Reply> {
    let id = ctx.param("action_id");
    state
        .actions
        .get_mut(id)
        .ok_or_else(|| Reply::not_found("action", id))
}

fn check_identity(state: &State, id: &str) -> Result<(), Reply> {
    if state.identities.contains_key(id) {
        Ok(())
    } else {
        Err(Reply::invalid_field(
            "identity_id",
            format!("no identity with id {id:?}; list them with GET /identities or create one"),
        ))
    }
}

/// Email actions need a valid `params.to`.
fn check_params(kind: &str, params: &Map<String, Value>) -> Result<(), Reply> {
    if matches!(kind, "send_email" | "email_message" | "resend_send_email") {
        match params.get("to") {
            Some(Value::String(to)) => check_email("params.to", to)?,
            Some(_) => return Err(Reply::invalid_field("params.to", "must be a string")),
            None => {
                return Err(Reply::invalid_field(
                    "params.to",
                    "is required for email actions",
                ));
            }
        }
    }
    Ok(())
}

fn compare(a: &Action, b: &Action, key: &str) -> Ordering {
    let by_created = a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq));
    match key {
        "updated_at" => a.updated_at.cmp(&b.updated_at).then(by_created),
        "scheduled_time" => a.scheduled_time.cmp(&b.scheduled_time).then(by_created),
        "status" => a.status.as_str().cmp(b.status.as_str()).then(by_created),
        "type" => a.kind.cmp(&b.kind).then(by_created),
        _ => by_created,
    }
}
