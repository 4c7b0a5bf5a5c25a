//! The mock-only endpoints, under `/_mock/` (never under `/v1`, so they cannot
//! collide with the API and are not in the OpenAPI document):
//!
//! - `GET /_mock/deliveries`: the delivery log, oldest first;
//! - `POST /_mock/trigger` `{"event": "page_view", "contact_id": "ct_…"}`:
//!   records a realistic tracked event, which fires its deliveries.
//!
//! Both need a valid API key (`Authorization: Bearer …`, any scope), like the
//! API (failures count against `--auth-failure-limit` too): the log holds
//! delivery bodies, which carry contact data.

use std::net::SocketAddr;

use hyper::body::Incoming;
use hyper::http::request::Parts;
use serde_json::{Map, Value, json};

use super::select::valid_event_name;
use crate::pipeline::{self, Dropped, Shared, lock};
use crate::reply::Reply;
use crate::state::{Event, State};
use crate::time;

/// The prefix of the mock-only routes.
pub const MOCK_PATH: &str = "/_mock";

/// Answers a request under [`MOCK_PATH`] (`rest` is the path after it).
pub async fn handle(
    parts: &Parts,
    body: Incoming,
    shared: &Shared,
    rest: &str,
    peer: SocketAddr,
) -> Result<Reply, Dropped> {
    let route = match rest {
        "/deliveries" | "/deliveries/" => "deliveries",
        "/trigger" | "/trigger/" => "trigger",
        _ => {
            return Ok(Reply::error(
                404,
                format!(
                    "No mock route {MOCK_PATH}{rest}: the mock-only routes are \
                     GET {MOCK_PATH}/deliveries and POST {MOCK_PATH}/trigger"
                ),
            ));
        }
    };
    let allowed = if route == "deliveries" { "GET" } else { "POST" };
    if parts.method.as_str() != allowed {
        return Ok(Reply::error(
            405,
            format!(
                "{} is not allowed on {MOCK_PATH}{rest}; allowed: {allowed}",
                parts.method
            ),
        )
        .header("allow", allowed));
    }
    // The key is checked as the API checks it, failed attempts counted
    // against the same per-address limit.
    if let Some(wait) = pipeline::auth_lockout(shared, peer) {
        let reply = Reply::error(
            429,
            "Too many failed authentications from this address (--auth-failure-limit)",
        );
        return Ok(pipeline::with_retry_after(reply, wait));
    }
    let refused = match pipeline::bearer(&parts.headers) {
        None => "Unauthorized: missing API key; send it as Authorization: Bearer <key>",
        Some(key) if !shared.scopes.contains_key(&key) => "Unauthorized: invalid API key",
        Some(_) => "",
    };
    if !refused.is_empty() {
        pipeline::note_auth_failure(shared, peer);
        return Ok(Reply::error(401, refused));
    }
    if route == "deliveries" {
        let deliveries: Vec<Value> = shared
            .webhooks
            .as_ref()
            .map(|h| h.deliveries())
            .unwrap_or_default()
            .iter()
            .map(super::DeliveryRecord::to_json)
            .collect();
        return Ok(Reply::success(
            200,
            crate::reply::body([("deliveries", json!(deliveries))]),
        ));
    }
    let bytes =
        match pipeline::read_body(body, &parts.headers, shared.body_limit, shared.body_timeout)
            .await
        {
            Ok(bytes) => bytes,
            Err(reply) => return reply,
        };
    let request: Value = if bytes.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return Ok(Reply::invalid_field(
                    "body",
                    format!("is not valid JSON: {e}"),
                ));
            }
        }
    };
    Ok(match trigger(shared, &request) {
        Ok(reply) | Err(reply) => reply,
    })
}

/// `POST /_mock/trigger`.
fn trigger(shared: &Shared, request: &Value) -> Result<Reply, Reply> {
    let Some(fields) = request.as_object() else {
        return Err(Reply::invalid_field("body", "must be a JSON object"));
    };
    if let Some(unknown) = fields
        .keys()
        .find(|k| !["event", "contact_id", "url", "data"].contains(&k.as_str()))
    {
        return Err(Reply::invalid_field(
            unknown,
            "is not a trigger field; expected event, contact_id, url, data",
        ));
    }
    let name = match fields.get("event") {
        Some(Value::String(s)) if valid_event_name(s) => s.clone(),
        Some(_) => {
            return Err(Reply::invalid_field(
                "event",
                "must be an event name of letters, digits, `_`, `-` or `.`, e.g. page_view",
            ));
        }
        None => return Err(Reply::invalid_field("event", "is required, e.g. page_view")),
    };
    let contact_id = match fields.get("contact_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Reply::invalid_field("contact_id", "must be a string")),
    };
    let url = match fields.get("url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.starts_with("http://") || s.starts_with("https://") => {
            Some(s.clone())
        }
        Some(_) => return Err(Reply::invalid_field("url", "must be an http(s) URL")),
    };
    let data = match fields.get("data") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(Reply::invalid_field("data", "must be an object")),
    };
    let mut state = lock(&shared.state);
    let visitor = match &contact_id {
        Some(id) => {
            let contact = state
                .contacts()
                .get(id)
                .ok_or_else(|| Reply::not_found("contact", id))?;
            contact.visitor_ids.first().cloned()
        }
        None => None,
    };
    state.admit(1)?;
    let visitor = visitor.unwrap_or_else(|| state.ids.next("vis_"));
    let domain = state
        .verified_domains
        .first()
        .cloned()
        .unwrap_or_else(|| "www.acme-demo.com".into());
    let event = realistic(&mut state, &name, contact_id, visitor, &domain, url, data);
    let id = event.id.clone();
    state.push_event(event);
    let deliveries = match &shared.webhooks {
        Some(hooks) => hooks.after_request(&mut state, true),
        None => {
            state.take_touches();
            Vec::new()
        }
    };
    let event = state
        .event(&id)
        .map(|e| state.event_json(e, false, false))
        .unwrap_or(Value::Null);
    Ok(Reply::success(
        201,
        crate::reply::body([("event", event), ("deliveries", json!(deliveries))]),
    ))
}

/// An event as the tracker would record it: the built-in events get the
/// `data` the tracker docs list; `data` from the request is merged over it.
fn realistic(
    state: &mut State,
    name: &str,
    contact_id: Option<String>,
    visitor: String,
    domain: &str,
    url: Option<String>,
    extra: Map<String, Value>,
) -> Event {
    let now = time::now_ms();
    let url = url.unwrap_or_else(|| format!("https://{domain}/pricing"));
    let path = {
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..]).to_owned()
    };
    let title = "Pricing — Acme Demo".to_owned();
    let agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    let data = match name {
        "page_view" => json!({
            "title": title, "path": path, "userAgent": agent, "referrer": "https://www.google.com/",
            "screenResolution": "1512x982", "pageLoadTime": 412,
            "utmParams": { "utm_source": "google", "utm_medium": "cpc", "utm_campaign": "mock" },
        }),
        "first_visit" => json!({
            "landingPage": url, "landingPath": path, "initialReferrer": "https://www.google.com/",
            "title": title, "userAgent": agent, "screenResolution": "1512x982", "pageLoadTime": 412,
        }),
        "button_click" => {
            json!({ "text": "Start free trial", "class": "btn btn-primary", "id": "cta-trial", "elementType": "button" })
        }
        "link_click" => {
            json!({ "text": "Read the docs", "href": "https://docs.acme-demo.com/", "class": "nav-link", "id": "", "elementType": "a", "isExternal": true })
        }
        "form_submit" => {
            json!({ "formId": "form_contact_sales", "action": "/contact", "method": "post" })
        }
        _ => json!({}),
    };
    let mut data = data.as_object().cloned().unwrap_or_default();
    data.extend(extra);
    Event {
        id: state.ids.next("evt_"),
        event: name.to_owned(),
        timestamp: now,
        created_at: now,
        url,
        domain: domain.to_owned(),
        title,
        visitor_id: visitor,
        contact_id,
        referring_domain: "google.com".into(),
        browser: "Safari".into(),
        os: "macOS".into(),
        device_type: "Desktop".into(),
        is_bot: false,
        data,
        seq: state.next_seq(),
    }
}
