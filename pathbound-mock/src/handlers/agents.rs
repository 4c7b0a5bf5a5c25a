//! Agents, their runs, manual triggers (a job id and a run with proposed actions
//! per contact) and approving or rejecting those proposals one by one.

use serde_json::{Map, Value, json};

use super::{Ctx, message, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Action, ActionStatus, Agent, Proposal, Run, RunContact, State};
use crate::time;

/// The body fields an agent keeps.
const FIELDS: &[&str] = &[
    "name",
    "description",
    "playbook_template",
    "playbook",
    "capabilities",
    "identity_id",
    "monitoring",
    "llm_config",
    "enabled",
];

/// `GET /agents`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut found: Vec<&Agent> = state
        .agents
        .values()
        .filter(|a| ctx.q_bool("enabled").is_none_or(|want| a.enabled() == want))
        .filter(|a| {
            ctx.q("playbook_template").is_none_or(|t| {
                a.fields.get("playbook_template").and_then(Value::as_str) == Some(t)
            })
        })
        .collect();
    found.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq)));
    Ok(paginate(ctx, found, |a| a.to_json()))
}

/// `POST /agents`.
pub fn create(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let fields = agent_fields(ctx, state)?;
    if fields
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|n| n.trim().is_empty())
    {
        return Err(Reply::invalid_field("name", "must not be empty"));
    }
    state.admit(1)?;
    let id = state.ids.next("agt_");
    let seq = state.next_seq();
    let mut agent = Agent {
        id: id.clone(),
        fields,
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    };
    agent.fields.entry("enabled").or_insert(json!(false));
    let json = agent.to_json();
    state.agents.insert(id, agent);
    Ok(body([("agent", json)]))
}

/// `GET /agents/{agent_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let agent = find(ctx, state)?;
    Ok(body([("agent", agent.to_json())]))
}

/// `PATCH /agents/{agent_id}`: only the fields sent change.
pub fn update(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    find(ctx, state)?;
    let fields = agent_fields(ctx, state)?;
    if fields
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.trim().is_empty())
    {
        return Err(Reply::invalid_field("name", "must not be empty"));
    }
    let agent = find_mut(ctx, state)?;
    for (k, v) in fields {
        agent.fields.insert(k, v);
    }
    agent.updated_at = ctx.now;
    Ok(body([("agent", agent.to_json())]))
}

/// `DELETE /agents/{agent_id}`: its runs go too.
pub fn delete(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    state.agents.remove(&id);
    let before = state.runs.len();
    state.runs.retain(|_, r| r.agent_id != id);
    let deleted = before - state.runs.len();
    Ok(message(
        "Agent deleted",
        &[("agent_id", json!(id)), ("runs_deleted", json!(deleted))],
    ))
}

/// `GET /agents/{agent_id}/runs`.
pub fn list_runs(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    let mut runs: Vec<&Run> = state
        .runs
        .values()
        .filter(|r| r.agent_id == id && ctx.q("status").is_none_or(|s| r.status == s))
        .collect();
    runs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.seq.cmp(&a.seq)));
    Ok(paginate(ctx, runs, |r| run_json(state, r)))
}

/// `GET /agents/runs/{run_id}`.
pub fn get_run(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = ctx.param("run_id");
    let run = state
        .runs
        .get(id)
        .ok_or_else(|| Reply::not_found("run", id))?;
    Ok(body([("run", run_json(state, run))]))
}

/// `POST /agents/{agent_id}/trigger`: starts a run at once and returns its job id.
pub fn trigger(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let agent = find(ctx, state)?.clone();
    let targets = match ctx.b_strings("contact_ids") {
        Some(ids) => {
            let unknown: Vec<Value> = ids
                .iter()
                .enumerate()
                .filter(|(_, id)| !state.contacts().contains_key(*id))
                .map(|(i, id)| json!({ "field": format!("contact_ids[{i}]"), "message": format!("no contact with id {id:?}") }))
                .collect();
            if !unknown.is_empty() {
                return Err(Reply::error_with(
                    400,
                    "Validation failed: unknown contact ids",
                    unknown,
                ));
            }
            ids
        }
        None => default_targets(state, &agent),
    };
    let capabilities: Vec<String> = agent
        .fields
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|c| {
            c.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let contacts: Vec<RunContact> = targets
        .iter()
        .filter_map(|id| state.contacts().get(id))
        .map(|c| RunContact {
            contact_id: c.id.clone(),
            proposals: proposals(&capabilities, c),
        })
        .collect();
    state.admit(1)?;
    let run_id = state.ids.next("run_");
    let job_id = state.ids.next("job_");
    let seq = state.next_seq();
    let mut run = Run {
        id: run_id.clone(),
        agent_id: agent.id.clone(),
        job_id: job_id.clone(),
        status: "awaiting_approval",
        contacts,
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    };
    run.refresh_status();
    let count = run.contacts.len();
    state.runs.insert(run_id.clone(), run);
    Ok(body([
        ("job_id", json!(job_id)),
        ("run_id", json!(run_id)),
        ("contact_count", json!(count)),
        (
            "message",
            json!(format!("Agent run started for {count} contact(s)")),
        ),
    ]))
}

/// `POST /agents/runs/{run_id}/contacts/{contact_id}/actions/{action_index}/approve`:
/// the proposal becomes an `approved` action.
pub fn approve_run_action(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    decide(ctx, state, true)
}

/// `POST /agents/runs/{run_id}/contacts/{contact_id}/actions/{action_index}/reject`.
pub fn reject_run_action(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    decide(ctx, state, false)
}

fn decide(ctx: &Ctx<'_>, state: &mut State, approve: bool) -> Outcome {
    let (run_id, contact_id) = (ctx.param("run_id"), ctx.param("contact_id"));
    let index_text = ctx.param("action_index");
    let index: usize = index_text
        .parse()
        .map_err(|_| Reply::invalid_field("action_index", "must be a whole number"))?;
    let run = state
        .runs
        .get(run_id)
        .ok_or_else(|| Reply::not_found("run", run_id))?;
    let identity = state
        .agents
        .get(&run.agent_id)
        .and_then(|a| a.fields.get("identity_id"))
        .and_then(Value::as_str)
        .filter(|id| state.identities.contains_key(*id))
        .map(str::to_owned)
        .or_else(|| state.identities.keys().next().cloned());
    // Approving adds an action; check now, before anything changes.
    let room = state.admit(1);
    let action_id = state.ids.next("act_");
    let seq = state.next_seq();
    let run = state
        .runs
        .get_mut(run_id)
        .ok_or_else(|| Reply::not_found("run", run_id))?;
    let entry = run
        .contacts
        .iter_mut()
        .find(|c| c.contact_id == contact_id)
        .ok_or_else(|| {
            Reply::error(
                404,
                format!("Contact {contact_id:?} is not part of run {run_id}"),
            )
        })?;
    let proposal = entry.proposals.get_mut(index).ok_or_else(|| {
        Reply::error(
            404,
            format!("No proposed action {index} for contact {contact_id} in run {run_id}"),
        )
    })?;
    if proposal.status != "pending_approval" {
        return Err(Reply::illegal(format!(
            "Cannot {} proposed action {index} of contact {contact_id}: it is already {}",
            if approve { "approve" } else { "reject" },
            proposal.status
        )));
    }
    if approve && identity.is_some() {
        room?;
    }
    let mut created = None;
    if approve {
        proposal.status = "approved";
        if let Some(identity_id) = identity {
            proposal.action_id = Some(action_id.clone());
            created = Some(Action {
                id: action_id.clone(),
                kind: proposal.kind.clone(),
                params: proposal.params.clone(),
                identity_id,
                status: ActionStatus::Approved,
                direct: false,
                scheduled_time: None,
                description: Some(format!("Proposed by agent run {run_id}")),
                require_approval: true,
                list_id: None,
                item_id: None,
                agent_run_id: Some(run_id.to_owned()),
                history: vec![
                    (ActionStatus::PendingApproval, ctx.now),
                    (ActionStatus::Approved, ctx.now),
                ],
                created_at: ctx.now,
                updated_at: ctx.now,
                seq,
            });
        }
    } else {
        proposal.status = "rejected";
    }
    run.refresh_status();
    run.updated_at = ctx.now;
    let run_status = run.status;
    let action_id = created.as_ref().map(|a| a.id.clone());
    if let Some(action) = created {
        state.actions.insert(action.id.clone(), action);
    }
    Ok(message(
        if approve {
            "Proposed action approved"
        } else {
            "Proposed action rejected"
        },
        &[
            ("run_id", json!(run_id)),
            ("run_status", json!(run_status)),
            ("action_id", json!(action_id)),
        ],
    ))
}

/// The agent's default targeting: members of its monitored segment (or the most
/// recently active contacts), at most `max_contacts_per_run`.
fn default_targets(state: &State, agent: &Agent) -> Vec<String> {
    let monitoring = agent.fields.get("monitoring");
    let max = monitoring
        .and_then(|m| m.get("max_contacts_per_run"))
        .and_then(Value::as_u64)
        .unwrap_or(3)
        .clamp(1, 25);
    let max = usize::try_from(max).unwrap_or(3);
    let segment = monitoring
        .and_then(|m| m.get("filter"))
        .and_then(|f| f.get("segment_id"))
        .and_then(Value::as_str)
        .and_then(|id| state.segment_position(id));
    let mut candidates: Vec<(&str, i64)> = match segment {
        Some(position) => state
            .members(position)
            .map(|c| (c.id.as_str(), 0))
            .collect(),
        None => state.contacts().keys().map(|id| (id.as_str(), 0)).collect(),
    };
    for (id, last) in &mut candidates {
        *last = state.last_seen(id).unwrap_or(0);
    }
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    candidates
        .into_iter()
        .take(max)
        .map(|(id, _)| id.to_owned())
        .collect()
}

fn proposals(capabilities: &[String], contact: &crate::state::Contact) -> Vec<Proposal> {
    let first = contact.prop("firstname").unwrap_or_else(|| "there".into());
    let email = contact.email().unwrap_or_default().to_owned();
    let mut out = Vec::new();
    let caps: Vec<&str> = if capabilities.is_empty() {
        vec!["email"]
    } else {
        capabilities.iter().map(String::as_str).collect()
    };
    for cap in caps {
        let (kind, params) = match cap {
            "email" if !email.is_empty() => (
                "email_message",
                json!({
                    "to": email, "contact_id": contact.id,
                    "subject": format!("{first}, a quick idea for your team"),
                    "body": format!("Hi {first},\n\nI noticed you were comparing plans. Happy to walk you through the options in 15 minutes.\n\nBest,\nGrace"),
                }),
            ),
            "linkedin" => (
                "linkedin_connection",
                json!({ "contact_id": contact.id, "note": format!("Hi {first}, would love to connect.") }),
            ),
            "notes" => (
                "create_note",
                json!({ "contact_id": contact.id, "content": format!("{first} visited the pricing page recently.") }),
            ),
            "crm_sync" => ("sync_to_crm", json!({ "contact_id": contact.id })),
            _ => continue,
        };
        out.push(Proposal {
            kind: kind.to_owned(),
            params: params.as_object().cloned().unwrap_or_default(),
            status: "pending_approval",
            action_id: None,
        });
    }
    out
}

fn run_json(state: &State, run: &Run) -> Value {
    let contacts: Vec<Value> = run
        .contacts
        .iter()
        .map(|rc| {
            let c = state.contacts().get(&rc.contact_id);
            let p = |k: &str| c.and_then(|c| c.properties.get(k)).cloned().unwrap_or(Value::Null);
            let proposed: Vec<Value> = rc
                .proposals
                .iter()
                .enumerate()
                .map(|(i, p)| json!({ "index": i, "type": p.kind, "params": p.params, "status": p.status, "action_id": p.action_id }))
                .collect();
            json!({
                "contact_id": rc.contact_id, "email": p("email"), "firstname": p("firstname"),
                "lastname": p("lastname"), "company": p("company"), "proposed_actions": proposed,
            })
        })
        .collect();
    json!({
        "run_id": run.id,
        "_id": run.id,
        "agent_id": run.agent_id,
        "job_id": run.job_id,
        "status": run.status,
        "trigger": "manual",
        "contacts": contacts,
        "created_at": time::iso(run.created_at),
        "updated_at": time::iso(run.updated_at),
    })
}

/// The known agent fields of the body; an `identity_id` must exist.
fn agent_fields(ctx: &Ctx<'_>, state: &State) -> Result<Map<String, Value>, Reply> {
    let mut fields = Map::new();
    for name in FIELDS {
        if let Some(value) = ctx.body.get(*name) {
            fields.insert((*name).to_owned(), value.clone());
        }
    }
    if let Some(id) = fields.get("identity_id").and_then(Value::as_str) {
        if !state.identities.contains_key(id) {
            return Err(Reply::invalid_field(
                "identity_id",
                format!("no identity with id {id:?}"),
            ));
        }
    }
    Ok(fields)
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Agent, Reply> {
    let id = ctx.param("agent_id");
    state
        .agents
        .get(id)
        .ok_or_else(|| Reply::not_found("agent", id))
}

fn find_mut<'s>(ctx: &Ctx<'_>, state: &'s mut State) -> Result<&'s mut Agent, Reply> {
    let id = ctx.param("agent_id");
    state
        .agents
        .get_mut(id)
        .ok_or_else(|| Reply::not_found("agent", id))
}
