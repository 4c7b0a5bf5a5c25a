//! Hand-written behaviour, dispatched by operation id. The pipeline has already
//! routed, authenticated, scope-checked and validated the request against the
//! spec; a handler only implements semantics over the in-memory [`State`].
//! Operations without a handler here get the generic schema-shaped response.

mod actions;
mod agents;
mod batch;
mod companies;
mod contacts;
mod events;
mod identities;
mod misc;
mod notes;
mod segments;

use pathbound_model::model::Operation;
use pathbound_model::wire::{PageField, PaginationStyle};
use serde_json::{Map, Value, json};

use crate::reply::Outcome;
use crate::state::State;
use crate::time;
use crate::validate::Query;

/// A handler: the request context and the locked state in, a body or an error out.
pub type Handler = fn(&Ctx<'_>, &mut State) -> Outcome;

/// The handler for an operation id, if one is written.
pub fn handler(op_id: &str) -> Option<Handler> {
    let h: Handler = match op_id {
        "auth.status" => misc::auth_status,
        "health.check" => misc::health,
        "public.submit_form" => misc::submit_form,
        "contacts.create" => contacts::create,
        "contacts.list" => contacts::list,
        "contacts.count" => contacts::count,
        "contacts.get" => contacts::get,
        "contacts.update" => contacts::update,
        "contacts.delete" => contacts::delete,
        "contacts.list_events" => contacts::list_events,
        "contacts.list_notes" => contacts::list_notes,
        "contacts.create_note" => contacts::create_note,
        "contacts.update_note" => contacts::update_note,
        "contacts.delete_note" => contacts::delete_note,
        "contacts.identify" => contacts::identify,
        "companies.create" => companies::create,
        "companies.list" => companies::list,
        "companies.get" => companies::get,
        "companies.update" => companies::update,
        "companies.delete" => companies::delete,
        "companies.list_notes" => companies::list_notes,
        "companies.create_note" => companies::create_note,
        "companies.update_note" => companies::update_note,
        "companies.delete_note" => companies::delete_note,
        "events.list" => events::list,
        "events.count" => events::count,
        "events.get" => events::get,
        "events.types" => events::types,
        "segments.list" => segments::list,
        "segments.get" => segments::get,
        "segments.list_contacts" => segments::list_contacts,
        "batch.details" => batch::details,
        "batch.activity" => batch::activity,
        "batch.aggregate" => batch::aggregate,
        "actions.create" => actions::create,
        "actions.list" => actions::list,
        "actions.get" => actions::get,
        "actions.update" => actions::update,
        "actions.execute" => actions::execute,
        "actions.cancel" => actions::cancel,
        "actions.approve" => actions::approve,
        "actions.reject" => actions::reject,
        "agents.list" => agents::list,
        "agents.create" => agents::create,
        "agents.get" => agents::get,
        "agents.update" => agents::update,
        "agents.delete" => agents::delete,
        "agents.list_runs" => agents::list_runs,
        "agents.get_run" => agents::get_run,
        "agents.trigger" => agents::trigger,
        "agents.approve_run_action" => agents::approve_run_action,
        "agents.reject_run_action" => agents::reject_run_action,
        "identities.list" => identities::list,
        "identities.create" => identities::create,
        "identities.get" => identities::get,
        "identities.update" => identities::update,
        "identities.delete" => identities::delete,
        "identities.linkedin_login" => identities::linkedin_login,
        "identities.linkedin_status" => identities::linkedin_status,
        "identities.linkedin_submit_code" => identities::linkedin_submit_code,
        "identities.linkedin_check" => identities::linkedin_check,
        _ => return None,
    };
    Some(h)
}

/// The authenticated key of a request.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    /// The secret.
    pub key: String,
    /// Its expanded scopes.
    pub scopes: Vec<String>,
}

/// One validated request, as a handler sees it.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The operation.
    pub op: &'a Operation,
    /// Path parameters, decoded.
    pub params: &'a [(String, String)],
    /// Query parameters (last value wins).
    pub query: &'a Query,
    /// The JSON body (`Null` when the endpoint takes none).
    pub body: &'a Value,
    /// The key, for authenticated endpoints.
    pub key: Option<&'a KeyInfo>,
    /// The `Origin` or `Referer` header.
    pub origin: Option<&'a str>,
    /// The request time (ms).
    pub now: i64,
}

impl Ctx<'_> {
    /// Whether the comma-separated `include` list names `what`.
    pub fn includes(&self, what: &str) -> bool {
        self.q("include")
            .is_some_and(|list| list.split(',').any(|item| item.trim() == what))
    }

    /// A path parameter (empty when absent, which routing rules out).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A non-empty query parameter.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// An integer query parameter, or the spec's default for it.
    pub fn q_i64(&self, name: &str) -> Option<i64> {
        self.q(name)
            .and_then(|v| v.trim().parse().ok())
            .or_else(|| self.default_of(name)?.parse().ok())
    }

    /// A boolean query parameter, or the spec's default for it.
    pub fn q_bool(&self, name: &str) -> Option<bool> {
        self.q(name)
            .or_else(|| self.default_of(name))
            .and_then(|v| v.parse().ok())
    }

    /// A date-time query parameter, in ms.
    pub fn q_time(&self, name: &str) -> Option<i64> {
        self.q(name).and_then(time::parse)
    }

    /// A text query parameter, or the spec's default.
    pub fn q_or_default(&self, name: &str) -> Option<String> {
        self.q(name)
            .or_else(|| self.default_of(name))
            .map(str::to_owned)
    }

    fn default_of(&self, name: &str) -> Option<&str> {
        self.op
            .query
            .iter()
            .find(|f| f.wire == name)
            .and_then(|f| f.default.as_deref())
    }

    /// A body field, unless absent or `null`.
    pub fn b(&self, name: &str) -> Option<&Value> {
        self.body.get(name).filter(|v| !v.is_null())
    }

    /// A string body field.
    pub fn b_str(&self, name: &str) -> Option<&str> {
        self.b(name).and_then(Value::as_str)
    }

    /// A boolean body field.
    pub fn b_bool(&self, name: &str) -> Option<bool> {
        self.b(name).and_then(Value::as_bool)
    }

    /// An object body field.
    pub fn b_obj(&self, name: &str) -> Option<&Map<String, Value>> {
        self.b(name).and_then(Value::as_object)
    }

    /// A string-array body field (non-strings skipped).
    pub fn b_strings(&self, name: &str) -> Option<Vec<String>> {
        self.b(name).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
    }
}

/// Slices `all` into the page the request asks for and builds the envelope of
/// the operation's pagination style (items under the spec's `items` key).
pub fn paginate<T>(
    ctx: &Ctx<'_>,
    all: Vec<T>,
    to_json: impl Fn(&T) -> Value,
) -> Map<String, Value> {
    paginate_iter(ctx, all.len(), all.iter(), to_json)
}

/// [`paginate`] over an iterator of `total` items, of which only the page
/// asked for is turned into JSON (the items before it are skipped, not built).
pub fn paginate_iter<I: Iterator>(
    ctx: &Ctx<'_>,
    total: usize,
    all: I,
    to_json: impl Fn(I::Item) -> Value,
) -> Map<String, Value> {
    let Some(pagination) = &ctx.op.pagination else {
        let mut out = Map::new();
        out.insert("items".into(), Value::Array(all.map(to_json).collect()));
        return out;
    };
    let envelope = pagination.style.envelope();
    let limit = ctx.q_i64(envelope.limit).unwrap_or(20).clamp(1, 1000);
    let limit_usize = usize::try_from(limit).unwrap_or(20);
    let first = i64::try_from(envelope.first_position).unwrap_or(0);
    let position = ctx.q_i64(envelope.position).unwrap_or(first).max(first);
    let start = usize::try_from(position - first).unwrap_or(usize::MAX);
    let start = if envelope.counts_pages {
        start.saturating_mul(limit_usize)
    } else {
        start
    };
    let items: Vec<Value> = all.skip(start).take(limit_usize).map(to_json).collect();
    page_body(
        pagination.style,
        &pagination.items,
        items,
        position,
        limit,
        total,
    )
}

/// A page in the wire format's envelope for `style`: the items under
/// `items_key`, and every metadata key the envelope defines, filled from the
/// position and limit asked for and the list's total. The one place the mock
/// writes pagination metadata; the keys come from `pathbound_wire`.
pub fn page_body(
    style: PaginationStyle,
    items_key: &str,
    items: Vec<Value>,
    position: i64,
    limit: i64,
    total: usize,
) -> Map<String, Value> {
    let envelope = style.envelope();
    let mut meta = Map::new();
    for (key, field) in envelope.fields {
        let value = match field {
            PageField::Position => json!(position),
            PageField::Limit => json!(limit),
            PageField::TotalItems => json!(total),
            PageField::TotalPages => {
                json!(total.div_ceil(usize::try_from(limit.max(1)).unwrap_or(1)))
            }
        };
        meta.insert((*key).to_owned(), value);
    }
    let mut out = Map::new();
    out.insert(items_key.to_owned(), Value::Array(items));
    match envelope.meta {
        Some(key) => {
            out.insert(key.to_owned(), Value::Object(meta));
        }
        None => out.extend(meta),
    }
    out
}

/// Case-insensitive substring test.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Whether the request asks for descending order (`sort_dir`, spec default).
pub fn descending(ctx: &Ctx<'_>) -> bool {
    ctx.q_or_default("sort_dir").as_deref() != Some("asc")
}

/// A `{status, message}`-style body with extra keys.
pub fn message(text: impl Into<String>, extra: &[(&str, Value)]) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("message".into(), json!(text.into()));
    map.insert("timestamp".into(), json!(time::iso(time::now_ms())));
    for (k, v) in extra {
        map.insert((*k).to_owned(), v.clone());
    }
    map
}
