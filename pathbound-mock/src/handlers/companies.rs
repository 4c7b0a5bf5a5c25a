//! Companies: CRUD with unique domains (deleting one unlinks its contacts),
//! filters/search/sort/pagination, and notes.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::contacts::merge_properties;
use super::{Ctx, contains_ci, descending, message, notes, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Company, State};

/// `POST /companies`.
pub fn create(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let domain = normalize_domain(ctx.b_str("domain").unwrap_or_default());
    check_domain("domain", &domain)?;
    if let Some(existing) = state.company_by_domain(&domain) {
        return Err(duplicate(&domain, &existing.id));
    }
    let mut properties = Map::new();
    merge_properties(&mut properties, ctx.b_obj("properties"));
    properties.insert("domain".into(), json!(domain));
    properties
        .entry("name")
        .or_insert_with(|| json!(name_from_domain(&domain)));
    state.admit(1)?;
    let id = state.ids.next("co_");
    let seq = state.next_seq();
    let company = Company {
        id: id.clone(),
        domain,
        properties,
        notes: Vec::new(),
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    };
    let json = company.to_json(false);
    state.insert_company(company);
    Ok(body([("company", json)]))
}

/// `GET /companies`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut found: Vec<&Company> = state
        .companies()
        .values()
        .filter(|c| {
            let prop_is = |param: &str| {
                ctx.q(param).is_none_or(|want| {
                    c.prop(param)
                        .is_some_and(|have| have.eq_ignore_ascii_case(want))
                })
            };
            prop_is("industry")
                && prop_is("country")
                && ctx.q("search").is_none_or(|s| {
                    [c.prop("name"), Some(c.domain.clone()), c.prop("industry")]
                        .into_iter()
                        .flatten()
                        .any(|text| contains_ci(&text, s))
                })
        })
        .collect();
    let key = ctx.q("sort_by").unwrap_or("created_at").to_owned();
    found.sort_by(|a, b| compare(a, b, &key));
    if descending(ctx) {
        found.reverse();
    }
    let summary = ctx.q("fields") == Some("summary");
    let provenance = ctx.includes("provenance");
    Ok(paginate(ctx, found, |c| {
        if summary {
            c.summary(state.company_last_activity(&c.id))
        } else {
            c.to_json(provenance)
        }
    }))
}

/// `GET /companies/{company_id}`: the company and up to 25 of its contacts.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let company = find(ctx, state)?;
    let contacts: Vec<Value> = state
        .contacts_of_company(&company.id)
        .take(25)
        .map(|c| state.contact_json(c))
        .collect();
    Ok(body([
        ("company", company.to_json(false)),
        ("contacts", json!(contacts)),
    ]))
}

/// `PUT /companies/{company_id}`: properties are merged.
pub fn update(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    let new_domain = ctx
        .b_obj("properties")
        .and_then(|p| p.get("domain"))
        .and_then(Value::as_str)
        .map(normalize_domain);
    if let Some(domain) = &new_domain {
        check_domain("properties.domain", domain)?;
        if let Some(other) = state.company_by_domain(domain).filter(|c| c.id != id) {
            return Err(duplicate(domain, &other.id));
        }
    }
    let json = state
        .update_company(&id, |company| {
            merge_properties(&mut company.properties, ctx.b_obj("properties"));
            if let Some(domain) = new_domain {
                company.domain = domain;
            }
            company
                .properties
                .insert("domain".into(), json!(company.domain));
            company.updated_at = ctx.now;
            company.to_json(false)
        })
        .ok_or_else(|| Reply::not_found("company", &id))?;
    Ok(body([("company", json)]))
}

/// `DELETE /companies/{company_id}`: contacts are kept and lose the association.
pub fn delete(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    let unlinked = state.delete_company(&id, ctx.now).unwrap_or(0);
    Ok(message(
        "Company deleted",
        &[
            ("company_id", json!(id)),
            ("_id", json!(id)),
            ("contacts_unlinked", json!(unlinked)),
        ],
    ))
}

/// `GET /companies/{company_id}/notes`.
pub fn list_notes(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    notes::list(&find(ctx, state)?.notes)
}

/// `POST /companies/{company_id}/notes`.
pub fn create_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let content = notes::content(ctx)?;
    let id = state.ids.next("note_");
    let company_id = find(ctx, state)?.id.clone();
    state.admit(1)?;
    change(ctx, state, &company_id, |company| {
        notes::create(ctx, &mut company.notes, id, content)
    })
}

/// `PUT /companies/{company_id}/notes/{note_id}`.
pub fn update_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let content = notes::content(ctx)?;
    let company_id = find(ctx, state)?.id.clone();
    change(ctx, state, &company_id, |company| {
        notes::update(ctx, &mut company.notes, content)
    })
}

/// `DELETE /companies/{company_id}/notes/{note_id}`.
pub fn delete_note(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let company_id = find(ctx, state)?.id.clone();
    change(ctx, state, &company_id, |company| {
        notes::delete(ctx, &mut company.notes)
    })
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Company, Reply> {
    let id = ctx.param("company_id");
    state
        .companies()
        .get(id)
        .ok_or_else(|| Reply::not_found("company", id))
}

/// Changes company `id` through the state (which re-indexes it).
fn change(
    ctx: &Ctx<'_>,
    state: &mut State,
    id: &str,
    f: impl FnOnce(&mut Company) -> Outcome,
) -> Outcome {
    state
        .update_company(id, f)
        .unwrap_or_else(|| Err(Reply::not_found("company", ctx.param("company_id"))))
}

/// Lower-case, without scheme, `www.` or path.
pub fn normalize_domain(raw: &str) -> String {
    let d = raw.trim().to_lowercase();
    let d = d.split_once("://").map_or(d.as_str(), |(_, rest)| rest);
    let d = d.split('/').next().unwrap_or_default();
    d.strip_prefix("www.").unwrap_or(d).to_owned()
}

/// A plausible domain: labels of letters, digits and hyphens, with a dot.
pub fn check_domain(field: &str, domain: &str) -> Result<(), Reply> {
    let ok = domain.contains('.')
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(Reply::invalid_field(
            field,
            format!("must be a domain such as example.com, got {domain:?}"),
        ))
    }
}

fn name_from_domain(domain: &str) -> String {
    let stem = domain.split('.').next().unwrap_or(domain);
    let mut chars = stem.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn duplicate(domain: &str, existing: &str) -> Reply {
    Reply::error_with(
        409,
        format!("A company with domain {domain} already exists"),
        vec![json!({ "field": "domain", "message": "already exists", "company_id": existing })],
    )
    .with("company_id", json!(existing))
}

fn compare(a: &Company, b: &Company, key: &str) -> Ordering {
    let by_created = a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq));
    match key {
        "created_at" | "createdate" => by_created,
        "updated_at" => a.updated_at.cmp(&b.updated_at).then(by_created),
        "employee_count" => {
            let n = |c: &Company| {
                c.properties
                    .get(key)
                    .and_then(Value::as_f64)
                    .unwrap_or(f64::MIN)
            };
            n(a).total_cmp(&n(b)).then(by_created)
        }
        "domain" => a.domain.cmp(&b.domain).then(by_created),
        _ => {
            let text = |c: &Company| c.prop(key).map(|s| s.to_lowercase());
            text(a).cmp(&text(b)).then(by_created)
        }
    }
}
