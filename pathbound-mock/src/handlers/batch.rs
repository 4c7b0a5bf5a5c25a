//! Batch reads (unknown ids are silently dropped) and server-side aggregates.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Ctx;
use crate::reply::{Outcome, Reply, body};
use crate::state::State;
use crate::time;

/// One record of an aggregate: its fields by name.
type Row<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// `POST /batch/details`.
pub fn details(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let ids = ctx.b_strings("ids").unwrap_or_default();
    match ctx.b_str("entity_type") {
        Some("contacts") => {
            let found: Vec<Value> = ids
                .iter()
                .filter_map(|id| state.contacts().get(id))
                .map(|c| state.contact_json(c))
                .collect();
            Ok(body([("contacts", json!(found))]))
        }
        Some("companies") => {
            let found: Vec<Value> = ids
                .iter()
                .filter_map(|id| state.companies().get(id))
                .map(|c| c.to_json(false))
                .collect();
            Ok(body([("companies", json!(found))]))
        }
        other => Err(Reply::invalid_field(
            "entity_type",
            format!(
                "must be contacts or companies, got {:?}",
                other.unwrap_or_default()
            ),
        )),
    }
}

/// `POST /batch/activity`: each contact's latest events, `events_limit` each.
pub fn activity(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let ids = ctx.b_strings("contact_ids").unwrap_or_default();
    let limit = ctx
        .b("events_limit")
        .and_then(Value::as_u64)
        .unwrap_or(5)
        .clamp(1, 20);
    let limit = usize::try_from(limit).unwrap_or(5);
    let after = ctx.b_str("date_after").and_then(time::parse);
    let before = ctx.b_str("date_before").and_then(time::parse);
    let mut activity = Map::new();
    for id in ids.iter().filter(|id| state.contacts().contains_key(*id)) {
        let events: Vec<_> = state
            .events_of(id)
            .into_iter()
            .filter(|e| {
                after.is_none_or(|t| e.timestamp >= t) && before.is_none_or(|t| e.timestamp <= t)
            })
            .collect();
        let shown: Vec<Value> = events
            .iter()
            .take(limit)
            .map(|e| {
                json!({
                    "id": e.id, "event_id": e.id, "event": e.event, "url": e.url,
                    "timestamp": time::iso(e.timestamp), "title": e.title,
                })
            })
            .collect();
        activity.insert(
            id.clone(),
            json!({ "events": shown, "total_events": events.len() }),
        );
    }
    Ok(body([
        ("contact_count", json!(activity.len())),
        ("activity", Value::Object(activity)),
    ]))
}

/// `POST /aggregate`: counts grouped by one or more fields. The scope depends on
/// the entity; the pipeline enforces it from the spec (`scope: { by: entity }`).
pub fn aggregate(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let entity = ctx.b_str("entity").unwrap_or_default();
    if !matches!(entity, "contacts" | "companies" | "events") {
        return Err(Reply::invalid_field(
            "entity",
            format!("must be contacts, companies or events, got {entity:?}"),
        ));
    }
    let group_by: Vec<String> = match ctx.b("group_by") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let filters = ctx.b_obj("filters").cloned().unwrap_or_default();
    let rows: Vec<Row<'_>> = match entity {
        "contacts" => {
            let segment = match filters.get("segment_id").and_then(Value::as_str) {
                Some(id) => Some(state.segment_position(id).ok_or_else(|| {
                    Reply::invalid_field("filters.segment_id", format!("no segment with id {id:?}"))
                })?),
                None => None,
            };
            state
                .contacts()
                .values()
                .filter(|c| segment.is_none_or(|position| state.is_member(position, &c.id)))
                .map(|c| {
                    Box::new(move |f: &str| match f {
                        "company_id" => c.company_id.clone(),
                        "creation_source" => Some(c.creation_source.clone()),
                        "enrichment_status" => Some(
                            if c.enriched {
                                "enriched"
                            } else {
                                "not_enriched"
                            }
                            .into(),
                        ),
                        _ => c.prop(f),
                    }) as Row<'_>
                })
                .collect()
        }
        "companies" => state
            .companies()
            .values()
            .map(|c| {
                Box::new(move |f: &str| {
                    if f == "domain" {
                        Some(c.domain.clone())
                    } else {
                        c.prop(f)
                    }
                }) as Row<'_>
            })
            .collect(),
        _ => state
            .events()
            .iter()
            .map(|e| Box::new(move |f: &str| e.field(f)) as Row<'_>)
            .collect(),
    };
    let filtered: Vec<_> = rows
        .into_iter()
        .filter(|row| {
            filters
                .iter()
                .filter(|(k, _)| k.as_str() != "segment_id")
                .all(|(k, want)| {
                    let want = match want {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    row(k).is_some_and(|have| have.eq_ignore_ascii_case(&want))
                })
        })
        .collect();
    let mut groups: BTreeMap<Vec<Option<String>>, u64> = BTreeMap::new();
    for row in &filtered {
        let key: Vec<Option<String>> = group_by.iter().map(|f| row(f)).collect();
        *groups.entry(key).or_default() += 1;
    }
    let mut groups: Vec<(Vec<Option<String>>, u64)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let results: Vec<Value> = groups
        .into_iter()
        .map(|(key, count)| {
            let mut row = Map::new();
            for (field, value) in group_by.iter().zip(key) {
                row.insert(field.clone(), json!(value));
            }
            row.insert("count".into(), json!(count));
            Value::Object(row)
        })
        .collect();
    Ok(body([
        ("entity", json!(entity)),
        ("group_by", json!(group_by)),
        ("total", json!(filtered.len())),
        ("results", json!(results)),
    ]))
}
