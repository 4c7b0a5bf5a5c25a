//! Auth status, health and the public form submission.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::companies::{check_domain, normalize_domain};
use super::contacts::{check_email, merge_properties};
use crate::ids::short_hash;
use crate::reply::{Outcome, Reply, body};
use crate::state::{Company, Contact, Event, State, TENANT_ID};
use crate::time;

/// The nine lifecycle stages a form may set.
const STAGES: &[&str] = &[
    "lead",
    "prospect",
    "mql",
    "sql",
    "opportunity",
    "customer",
    "evangelist",
    "subscriber",
    "other",
];

/// `GET /auth/status`: the key's id, user, tenant and scopes.
pub fn auth_status(ctx: &Ctx<'_>, _state: &mut State) -> Outcome {
    let (key_id, scopes) = ctx
        .key
        .map(|k| (short_hash(&k.key), k.scopes.clone()))
        .unwrap_or_default();
    Ok(body([
        ("authenticated", json!(true)),
        ("auth_type", json!("api_key")),
        ("key_id", json!(key_id)),
        ("scopes", json!(scopes)),
        (
            "user",
            json!({
                "user_id": "usr_mock_admin",
                "email": "admin@acme-demo.com",
                "first_name": "Jane",
                "last_name": "Doe",
                "tenant_id": TENANT_ID,
            }),
        ),
    ]))
}

/// `GET /health`.
pub fn health(ctx: &Ctx<'_>, _state: &mut State) -> Outcome {
    Ok(body([
        ("message", json!("Public API is healthy")),
        ("timestamp", json!(time::iso(ctx.now))),
    ]))
}

/// `POST /public/form-submission/{tenant_id}/{form_id}`: creates or updates the
/// contact and company, links the visitor's page views, records a `form_submit`.
pub fn submit_form(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let tenant = ctx.param("tenant_id");
    if tenant != TENANT_ID {
        return Err(Reply::error(
            403,
            format!("Form submissions are not accepted for tenant {tenant:?}"),
        ));
    }
    // Browsers name the page's site in `Origin` (or at least `Referer`); a
    // submission naming neither cannot be checked against the verified domains,
    // so it is refused like one from an unverified domain.
    let Some(origin) = ctx.origin else {
        return Err(Reply::error_with(
            403,
            "Forbidden: a form submission must name its site in an Origin or Referer \
             header, and that site must be a verified domain of this tenant; this request \
             has neither header",
            vec![json!({
                "field": "origin",
                "message": "missing: send Origin (or Referer) with the page's verified domain",
            })],
        ));
    };
    let host = host_of(origin);
    let allowed = host == "localhost"
        || host == "127.0.0.1"
        || state
            .verified_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&host));
    if !allowed {
        return Err(Reply::error(
            403,
            format!("The origin {host:?} is not a verified domain of this tenant"),
        ));
    }
    let contact_data = ctx.b_obj("contact_data");
    let company_data = ctx.b_obj("company_data");
    let email = match contact_data {
        Some(data) => {
            let email = data
                .get("email")
                .and_then(Value::as_str)
                .map(str::trim)
                .unwrap_or_default();
            if email.is_empty() {
                return Err(Reply::invalid_field(
                    "contact_data.email",
                    "is required when contact_data is given",
                ));
            }
            check_email("contact_data.email", email)?;
            if let Some(stage) = data.get("lifecyclestage").and_then(Value::as_str) {
                if !STAGES.contains(&stage) {
                    return Err(Reply::invalid_field(
                        "contact_data.lifecyclestage",
                        format!("must be one of {}, got {stage:?}", STAGES.join(", ")),
                    ));
                }
            }
            Some(email.to_owned())
        }
        None => None,
    };
    let domain = match company_data {
        Some(data) => {
            let domain = normalize_domain(
                data.get("domain")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            );
            if domain.is_empty() {
                return Err(Reply::invalid_field(
                    "company_data.domain",
                    "is required when company_data is given",
                ));
            }
            check_domain("company_data.domain", &domain)?;
            Some(domain)
        }
        None => None,
    };
    // The event, plus a company and a contact unless they exist: all of it fits,
    // or nothing is written.
    let new_company = domain
        .as_deref()
        .is_some_and(|d| state.company_by_domain(d).is_none());
    let new_contact = email
        .as_deref()
        .is_some_and(|e| state.contact_by_email(e).is_none());
    state.admit(1 + usize::from(new_company) + usize::from(new_contact))?;
    let company_id = domain.map(|domain| upsert_company(ctx, state, &domain, company_data));
    let contact_id =
        email.map(|email| upsert_contact(ctx, state, &email, contact_data, company_id.clone()));
    let visitor = ctx.b_str("visitor_id").map(str::to_owned);
    if let (Some(visitor), Some(contact_id)) = (&visitor, &contact_id) {
        state.link_visitor(visitor, contact_id);
        state.update_contact(contact_id, |contact| {
            if !contact.visitor_ids.contains(visitor) {
                contact.visitor_ids.push(visitor.clone());
            }
        });
    }
    let id = state.ids.next("evt_");
    let seq = state.next_seq();
    let mut data = Map::new();
    data.insert("form_id".into(), json!(ctx.param("form_id")));
    state.push_event(Event {
        id,
        event: "form_submit".into(),
        timestamp: ctx.now,
        created_at: ctx.now,
        url: format!("https://{host}/"),
        domain: host,
        title: "Form submission".into(),
        visitor_id: visitor.unwrap_or_else(|| "vis_unknown".into()),
        contact_id,
        referring_domain: "direct".into(),
        browser: "Chrome".into(),
        os: "macOS".into(),
        device_type: "Desktop".into(),
        is_bot: false,
        data,
        seq,
    });
    Ok(body([("message", json!("Thank you for your submission"))]))
}

fn upsert_company(
    ctx: &Ctx<'_>,
    state: &mut State,
    domain: &str,
    data: Option<&Map<String, Value>>,
) -> String {
    if let Some(id) = state.company_by_domain(domain).map(|c| c.id.clone()) {
        state.update_company(&id, |company| {
            merge_properties(&mut company.properties, data);
            company
                .properties
                .insert("domain".into(), json!(company.domain));
            company.updated_at = ctx.now;
        });
        return id;
    }
    let id = state.ids.next("co_");
    let seq = state.next_seq();
    let mut properties = Map::new();
    merge_properties(&mut properties, data);
    properties.insert("domain".into(), json!(domain));
    state.insert_company(Company {
        id: id.clone(),
        domain: domain.to_owned(),
        properties,
        notes: Vec::new(),
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    });
    id
}

fn upsert_contact(
    ctx: &Ctx<'_>,
    state: &mut State,
    email: &str,
    data: Option<&Map<String, Value>>,
    company_id: Option<String>,
) -> String {
    if let Some(id) = state.contact_by_email(email).map(|c| c.id.clone()) {
        state.update_contact(&id, |contact| {
            merge_properties(&mut contact.properties, data);
            contact.properties.insert("email".into(), json!(email));
            if company_id.is_some() {
                contact.company_id = company_id;
            }
            contact.updated_at = ctx.now;
        });
        return id;
    }
    let id = state.ids.next("ct_");
    let seq = state.next_seq();
    let mut properties = Map::new();
    merge_properties(&mut properties, data);
    properties.insert("email".into(), json!(email));
    state.insert_contact(Contact {
        id: id.clone(),
        properties,
        company_id,
        visitor_ids: Vec::new(),
        external_id: None,
        creation_source: "form".into(),
        creation_referring_domain: None,
        creation_landing_page: None,
        enriched: false,
        notes: Vec::new(),
        created_at: ctx.now,
        updated_at: ctx.now,
        seq,
    });
    id
}

/// The host of an `Origin` or `Referer` value.
fn host_of(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or_default().to_lowercase()
}
