//! Events: list with filters/search/sort/pagination, count, get, types.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Ctx, contains_ci, descending, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Event, State};

/// `GET /events`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut found: Vec<&Event> = state.events().iter().filter(|e| matches(ctx, e)).collect();
    let key = ctx
        .q_or_default("sort_by")
        .unwrap_or_else(|| "timestamp".into());
    found.sort_by(|a, b| {
        let primary = match key.as_str() {
            "event" => a.event.cmp(&b.event).then(a.timestamp.cmp(&b.timestamp)),
            "createdAt" => a.created_at.cmp(&b.created_at),
            _ => a.timestamp.cmp(&b.timestamp),
        };
        primary.then(a.seq.cmp(&b.seq))
    });
    if descending(ctx) {
        found.reverse();
    }
    let summary = ctx.q("fields") == Some("summary");
    let provenance = ctx.includes("provenance");
    Ok(paginate(ctx, found, |e| {
        state.event_json(e, summary, provenance)
    }))
}

/// `GET /events?count_only=true`.
pub fn count(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let n = state.events().iter().filter(|e| matches(ctx, e)).count();
    Ok(body([("count", json!(n))]))
}

/// `GET /events/{event_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = ctx.param("event_id");
    let event = state
        .event(id)
        .ok_or_else(|| Reply::not_found("event", id))?;
    Ok(body([("event", state.event_json(event, false, false))]))
}

/// `GET /events/types`: the distinct names with counts, most frequent first.
pub fn types(_ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for e in state.events() {
        *counts.entry(e.event.as_str()).or_default() += 1;
    }
    let mut types: Vec<(&str, u64)> = counts.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let types: Vec<Value> = types
        .into_iter()
        .map(|(event, count)| json!({ "event": event, "count": count }))
        .collect();
    Ok(body([("event_types", json!(types))]))
}

/// Whether `e` passes every filter of the list/count query.
fn matches(ctx: &Ctx<'_>, e: &Event) -> bool {
    ctx.q("event_type").is_none_or(|t| e.event == t)
        && ctx
            .q("contact_id")
            .is_none_or(|id| e.contact_id.as_deref() == Some(id))
        && ctx
            .q("domain")
            .is_none_or(|d| e.domain.eq_ignore_ascii_case(d))
        && ctx.q("url_contains").is_none_or(|s| contains_ci(&e.url, s))
        && ctx.q_time("date_after").is_none_or(|t| e.timestamp >= t)
        && ctx.q_time("date_before").is_none_or(|t| e.timestamp <= t)
        && (!ctx.q_bool("identified_only").unwrap_or(false) || e.contact_id.is_some())
        && ctx.q("search").is_none_or(|s| {
            contains_ci(&e.event, s) || contains_ci(&e.url, s) || contains_ci(&e.domain, s)
        })
}
