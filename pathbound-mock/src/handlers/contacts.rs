//! Contacts: CRUD with unique emails, filters/search/sort/pagination, count,
//! notes, a contact's events, and `identify`.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::{Ctx, contains_ci, descending, message, notes, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Contact, State};
use crate::time;

/// `POST /contacts`.
pub fn create(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let email = ctx.b_str("email").unwrap_or_default().trim().to_owned();
    check_email("email", &email)?;
    if let Some(existing) = state.contact_by_email(&email) {
        return Err(duplicate(&email, &existing.id));
    }
    let company_id = ctx.b_str("company_id").map(str::to_owned);
    if let Some(id) = &company_id {
        if !state.companies().contains_key(id) {
            return Err(Reply::invalid_field(
                "company_id",
                format!("no company with id {id:?}"),
            ));
        }
    }
    let mut properties = Map::new();
    merge_properties(&mut properties, ctx.b_obj("properties"));
    properties.insert("email".into(), json!(email));
    if let Some(company) = company_id.as_ref().and_then(|id| state.companies().get(id)) {
        if !properties.contains_key("company") {
            if let Some(name) = company.properties.get("name") {
                properties.insert("company".into(), name.clone());
            }
        }
    }
    state.admit(1)?;
    let id = state.ids.next("ct_");
    let seq = state.next_seq();
    let mut contact = Contact {
        id: id.clone(),
        properties,
        company_id,
        visitor_ids: Vec::new(),
        external_id: None,
        creation_source: "api".into(),
        creation_referring_domain: None,
        creation_landing_page: None,
        enriched: false,
        notes: Vec::new(),
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    };
    add_visitors(state, &mut contact, ctx.b("visitor_id"));
    let json = state.contact_json(&contact);
    state.insert_contact(contact);
    Ok(body([("contact", json)]))
}

/// `GET /contacts`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut found: Vec<&Contact> = state
        .contacts()
        .values()
        .filter(|c| matches(ctx, state, c))
        .collect();
    let key = ctx.q("sort_by").unwrap_or("createdate").to_owned();
    found.sort_by(|a, b| compare(a, b, &key));
    if descending(ctx) {
        found.reverse();
    }
    let summary = ctx.q("fields") == Some("summary");
    Ok(paginate(ctx, found, |c| {
        if summary {
            state.contact_summary(c)
        } else {
            state.contact_json(c)
        }
    }))
}

/// `GET /contacts?count_only=true`.
pub fn count(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let n = state
        .contacts()
        .values()
        .filter(|c| matches(ctx, state, c))
        .count();
    Ok(body([("count", json!(n))]))
}

/// `GET /contacts/{contact_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let contact = find(ctx, state)?;
    let events: Vec<Value> = state
        .events_of(&contact.id)
        .into_iter()
        .take(20)
        .map(|e| state.event_json(e, false, false))
        .collect();
    let mut actions: Vec<_> = state
        .actions
        .values()
        .filter(|a| {
            a.params.get("contact_id").and_then(Value::as_str) == Some(&contact.id)
                || contact.email().is_some_and(|e| {
                    a.params
                        .get("to")
                        .and_then(Value::as_str)
                        .is_some_and(|to| to.eq_ignore_ascii_case(e))
                })
        })
        .collect();
    actions.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.seq.cmp(&a.seq)));
    let company = contact
        .company_id
        .as_ref()
        .and_then(|id| state.companies().get(id));
    let unified = json!({
        "emails": contact.email().into_iter().collect::<Vec<_>>(),
        "name": contact.display_name(),
        "company": company.map(|c| json!({ "company_id": c.id, "name": c.properties.get("name"), "domain": c.domain })),
        "visitor_ids": contact.visitor_ids,
        "external_id": contact.external_id,
        "sources": [contact.creation_source],
        "total_events": state.event_count(&contact.id),
        "last_seen_at": state.last_seen(&contact.id).map(time::iso),
    });
    Ok(body([
        ("contact", state.contact_json(contact)),
        ("unified_profile", unified),
        (
            "actions",
            json!(
                actions
                    .iter()
                    .take(10)
                    .map(|a| a.to_json())
                    .collect::<Vec<_>>()
            ),
        ),
        ("events", json!(events)),
    ]))
}

/// `PUT /contacts/{contact_id}`: properties are merged (a `null` removes one).
pub fn update(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    let new_email = ctx
        .b_obj("properties")
        .and_then(|p| p.get("email"))
        .and_then(Value::as_str)
        .map(str::trim);
    if let Some(email) = new_email {
        check_email("properties.email", email)?;
        if let Some(other) = state.contact_by_email(email).filter(|c| c.id != id) {
            return Err(duplicate(email, &other.id));
        }
    }
    let mut contact = state
        .remove_contact(&id)
        .ok_or_else(|| Reply::not_found("contact", &id))?;
    let old_email = contact.email().map(str::to_owned);
    merge_properties(&mut contact.properties, ctx.b_obj("properties"));
    if let (None, Some(email)) = (contact.email(), old_email) {
        // The email can be changed but not removed.
        contact.properties.insert("email".into(), json!(email));
    }
    add_visitors(state, &mut contact, ctx.b("visitor_id"));
    contact.updated_at = ctx.now;
    let json = state.contact_json(&contact);
    state.insert_contact(contact);
    Ok(body([("contact", json)]))
}

/// `DELETE /contacts/{contact_id}`: its events stay, unlinked.
pub fn delete(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    state.delete_contact(&id);
    Ok(message(
        "Contact deleted",
        &[("contact_id", json!(id)), ("_id", json!(id))],
    ))
}

/// `GET /contacts/events/{contact_id}`.
pub fn list_events(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let contact = find(ctx, state)?;
    let mut events = state.events_of(&contact.id);
    if let Some(kind) = ctx.q("event_type") {
        events.retain(|e| e.event == kind);
    }
    if !descending(ctx) {
        events.reverse();
    }
    let events: Vec<Value> = events
        .into_iter()
        .map(|e| state.event_json(e, false, false))
        .collect();
    Ok(body([("events", json!(events))]))
}

/// `GET /contacts/{contact_id}/notes`.
pub fn list_notes(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    notes::list(&find(ctx, state)?.notes)
}

/// `POST /contacts/{contact_id}/notes`.
pub fn create_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let content = notes::content(ctx)?;
    let id = state.ids.next("note_");
    let contact_id = find(ctx, state)?.id.clone();
    state.admit(1)?;
    change(ctx, state, &contact_id, |contact| {
        contact.updated_at = ctx.now;
        notes::create(ctx, &mut contact.notes, id, content)
    })
}

/// `PUT /contacts/{contact_id}/notes/{note_id}`.
pub fn update_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let content = notes::content(ctx)?;
    let contact_id = find(ctx, state)?.id.clone();
    change(ctx, state, &contact_id, |contact| {
        notes::update(ctx, &mut contact.notes, content)
    })
}

/// `DELETE /contacts/{contact_id}/notes/{note_id}`.
pub fn delete_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let contact_id = find(ctx, state)?.id.clone();
    change(ctx, state, &contact_id, |contact| {
        notes::delete(ctx, &mut contact.notes)
    })
}

/// Changes contact `id` through the state (which re-indexes it).
fn change(
    ctx: &Ctx<'_>,
    state: &mut State,
    id: &str,
    f: impl FnOnce(&mut Contact) -> Outcome,
) -> Outcome {
    state
        .update_contact(id, f)
        .unwrap_or_else(|| Err(Reply::not_found("contact", ctx.param("contact_id"))))
}

/// `POST /identify`: resolves the contact by external id, then by email, else
/// creates it; links the anonymous visitor's events to it.
pub fn identify(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let external_id = ctx
        .b_str("external_id")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if external_id.is_empty() {
        return Err(Reply::invalid_field("external_id", "must not be empty"));
    }
    let traits = ctx.b_obj("traits");
    let email = traits
        .and_then(|t| t.get("email"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(email) = email {
        check_email("traits.email", email)?;
    }
    let existing = state
        .contact_by_external_id(&external_id)
        .or_else(|| email.and_then(|e| state.contact_by_email(e)))
        .map(|c| c.id.clone());
    let (mut contact, created) = match existing.and_then(|id| state.remove_contact(&id)) {
        Some(c) => (c, false),
        None => {
            state.admit(1)?;
            let id = state.ids.next("ct_");
            let seq = state.next_seq();
            (
                Contact {
                    id,
                    properties: Map::new(),
                    company_id: None,
                    visitor_ids: Vec::new(),
                    external_id: None,
                    creation_source: "identify".into(),
                    creation_referring_domain: None,
                    creation_landing_page: None,
                    enriched: false,
                    notes: Vec::new(),
                    created_at: ctx.now,
                    updated_at: ctx.now,
                    seq,
                },
                true,
            )
        }
    };
    if let Some(other) = email
        .and_then(|e| state.contact_by_email(e))
        .filter(|c| c.id != contact.id)
    {
        let reply = duplicate(email.unwrap_or_default(), &other.id);
        state.insert_contact(contact);
        return Err(reply);
    }
    merge_properties(&mut contact.properties, traits);
    contact.external_id = Some(external_id);
    contact.updated_at = ctx.now;
    let before = state.event_count(&contact.id);
    if let Some(anon) = ctx.b_str("anonymous_id") {
        add_visitors(state, &mut contact, Some(&json!(anon)));
    }
    let backfilled = state.event_count(&contact.id).saturating_sub(before);
    let json = state.contact_json(&contact);
    let id = contact.id.clone();
    state.insert_contact(contact);
    Ok(body([
        (
            "message",
            json!(if created {
                "Contact created and identified"
            } else {
                "Contact identified"
            }),
        ),
        ("contact_id", json!(id)),
        ("created", json!(created)),
        ("backfilled_events", json!(backfilled)),
        ("contact", json),
    ]))
}

/// The contact named by the `contact_id` path parameter.
fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Contact, Reply> {
    let id = ctx.param("contact_id");
    state
        .contacts()
        .get(id)
        .ok_or_else(|| Reply::not_found("contact", id))
}

/// A plausible email: `local@domain.tld`, no spaces.
pub fn check_email(field: &str, email: &str) -> Result<(), Reply> {
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Reply::invalid_field(
            field,
            format!("must be a valid email address, got {email:?}"),
        ))
    }
}

fn duplicate(email: &str, existing: &str) -> Reply {
    Reply::error_with(
        409,
        format!("A contact with email {email} already exists"),
        vec![json!({ "field": "email", "message": "already exists", "contact_id": existing })],
    )
    .with("contact_id", json!(existing))
}

/// Merges `update` into `properties`; a `null` value removes the key.
pub fn merge_properties(properties: &mut Map<String, Value>, update: Option<&Map<String, Value>>) {
    for (k, v) in update.into_iter().flatten() {
        if v.is_null() {
            properties.remove(k);
        } else {
            properties.insert(k.clone(), v.clone());
        }
    }
}

/// Associates visitor id(s) with `contact` and links their anonymous events.
fn add_visitors(state: &mut State, contact: &mut Contact, visitor: Option<&Value>) {
    let ids: Vec<String> = match visitor {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return,
    };
    for id in ids.into_iter().filter(|s| !s.trim().is_empty()) {
        if !contact.visitor_ids.contains(&id) {
            contact.visitor_ids.push(id.clone());
        }
        state.link_visitor(&id, &contact.id);
    }
}

/// Whether `c` passes every filter of the list/count query.
fn matches(ctx: &Ctx<'_>, state: &State, c: &Contact) -> bool {
    let prop_is = |param: &str, key: &str| match ctx.q(param) {
        None => true,
        Some(want) => c
            .prop(key)
            .is_some_and(|have| have.eq_ignore_ascii_case(want)),
    };
    let status_ok = match ctx.q("status") {
        Some("enriched") => c.enriched,
        Some("not_enriched") => !c.enriched,
        _ => true,
    };
    status_ok
        && prop_is("lifecycle_stage", "lifecyclestage")
        && prop_is("lead_status", "lead_status")
        && prop_is("country", "country")
        && prop_is("industry", "industry")
        && prop_is("city", "city")
        && prop_is("state", "state")
        && prop_is("job_title", "jobtitle")
        && ctx
            .q_bool("has_linkedin")
            .is_none_or(|want| c.has_linkedin() == want)
        && ctx
            .q("company_id")
            .is_none_or(|id| c.company_id.as_deref() == Some(id))
        && ctx
            .q_time("created_after")
            .is_none_or(|t| c.created_at >= t)
        && ctx
            .q_time("created_before")
            .is_none_or(|t| c.created_at <= t)
        && ctx.q("search").is_none_or(|s| search(state, c, s))
}

fn search(state: &State, c: &Contact, needle: &str) -> bool {
    let company = c
        .company_id
        .as_ref()
        .and_then(|id| state.companies().get(id))
        .and_then(|co| co.prop("name"));
    [
        Some(c.display_name()),
        c.email().map(str::to_owned),
        c.prop("company"),
        company,
        c.prop("jobtitle"),
    ]
    .into_iter()
    .flatten()
    .any(|text| contains_ci(&text, needle))
}

/// Ascending order by `key`; ties by creation order.
fn compare(a: &Contact, b: &Contact, key: &str) -> Ordering {
    let by_created = a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq));
    let text = |c: &Contact| c.prop(key).map(|s| s.to_lowercase());
    match key {
        "createdate" | "created_at" => by_created,
        _ => text(a).cmp(&text(b)).then(by_created),
    }
}
