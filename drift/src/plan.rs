//! Which operations the drift run may call, and with what: all derived from the
//! spec, never from a list kept by hand.
//!
//! - [`is_read_only`]: the rule. An operation is called only when the spec says
//!   it only reads (`effect: read`, the default for `GET`) and it is a `GET`,
//!   or a `POST` marked `retry: safe`.
//! - [`Guard`]: the same rule applied to the request itself, just before it is
//!   sent: its method and concrete path must match only read-only operations
//!   of the spec, or it is refused.
//! - [`request_for`]: the path arguments, query and body of one call, from the
//!   values earlier responses carried (ids from lists for the `get`s).

use std::collections::BTreeMap;

use pathbound_model::Model;
use pathbound_model::model::{Field, Kind, Operation};
use pathbound_model::types::TypeExpr;
use pathbound_model::wire::Method;
use serde_json::{Map, Value};

/// Items asked for per page: enough to find ids, small enough to be quick.
pub const PAGE_SIZE: i64 = 3;

/// The spec's rule: `op` only reads, so the drift run may call it.
pub fn is_read_only(op: &Operation) -> bool {
    op.reads_only
        && match op.method {
            Method::Get => true,
            Method::Post => op.retry_safe,
            Method::Put | Method::Patch | Method::Delete => false,
        }
}

/// Why an operation was not called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// The spec does not say it only reads.
    NotReadOnly,
    /// The key lacks the scope (or every scope a parameter could select).
    Scope(String),
    /// No earlier response carried a value for this parameter or body field.
    NoValue(String),
    /// The request was sent and failed.
    Failed(String),
    /// The server refused the key (`401`): nothing can be called.
    Unauthorized(String),
    /// The guard refused the request (a bug in planning: never expected).
    Refused(String),
}

impl Skip {
    /// A sentence for the report.
    pub fn reason(&self, op: &Operation) -> String {
        match self {
            Skip::NotReadOnly => match op.method {
                Method::Get => "not read-only: the spec marks it `effect: write`".to_owned(),
                Method::Post => {
                    "not read-only: a POST the spec does not mark `effect: read` (with `retry: safe`)"
                        .to_owned()
                }
                other => format!("not read-only: a {other} changes data"),
            },
            Skip::Scope(scope) => format!("the key lacks the scope `{scope}`"),
            Skip::NoValue(name) => {
                format!("no value to use for `{name}`: no response so far carried one")
            }
            Skip::Failed(why) => format!("the request failed: {why}"),
            Skip::Unauthorized(why) => format!("the key was refused: {why}"),
            Skip::Refused(why) => format!("refused before sending: {why}"),
        }
    }

    /// A short name for the JSON report.
    pub fn code(&self) -> &'static str {
        match self {
            Skip::NotReadOnly => "not_read_only",
            Skip::Scope(_) => "scope",
            Skip::NoValue(_) => "no_value",
            Skip::Failed(_) => "failed",
            Skip::Unauthorized(_) => "unauthorized",
            Skip::Refused(_) => "refused",
        }
    }
}

/// One request, ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Path arguments, in template order.
    pub path_args: Vec<String>,
    /// Query pairs (the fixed ones are the operation's).
    pub query: Vec<(String, String)>,
    /// The JSON body, for a read-only `POST`.
    pub body: Option<Value>,
    /// The value of the parameter the scope depends on, if it does.
    pub scope_value: Option<String>,
}

/// The request for `op` with a key granting `scopes` (`None`: unknown, send
/// and let the server decide), taking ids from `values` (field wire name →
/// values seen).
pub fn request_for(
    model: &Model,
    op: &Operation,
    scopes: Option<&[String]>,
    values: &BTreeMap<String, Vec<String>>,
) -> Result<Request, Skip> {
    if !is_read_only(op) {
        return Err(Skip::NotReadOnly);
    }
    let granted = |scope: &str| scopes.is_none_or(|s| s.iter().any(|x| x == scope));
    if let Some(scope) = op.scope.as_deref().filter(|s| !granted(s)) {
        return Err(Skip::Scope(scope.to_owned()));
    }
    let mut chosen: BTreeMap<&str, String> = BTreeMap::new();
    let mut scope_value = None;
    if let Some(by) = &op.scope_by {
        let Some((value, _)) = by.values.iter().find(|(_, scope)| granted(scope)) else {
            let all: Vec<&str> = by.values.iter().map(|(_, s)| s.as_str()).collect();
            return Err(Skip::Scope(all.join("` or `")));
        };
        chosen.insert(by.param.as_str(), value.clone());
        scope_value = Some(value.clone());
    }
    let mut path_args = Vec::new();
    for p in &op.path_params {
        match chosen
            .get(p.wire.as_str())
            .cloned()
            .or_else(|| first(values, &p.wire))
        {
            Some(v) => path_args.push(v),
            None => return Err(Skip::NoValue(p.wire.clone())),
        }
    }
    let mut query = Vec::new();
    if let Some(pagination) = &op.pagination {
        let limit = pagination.style.envelope().limit;
        let field = op.query.iter().find(|f| f.wire == limit);
        query.push((limit.to_owned(), page_size(field).to_string()));
    }
    for f in op.query.iter().filter(|f| f.required) {
        let v = chosen
            .get(f.wire.as_str())
            .map(|v| Value::String(v.clone()))
            .or_else(|| fill(model, f, &Map::new(), values))
            .ok_or_else(|| Skip::NoValue(f.wire.clone()))?;
        query.push((f.wire.clone(), scalar_text(&v)));
    }
    let body = match &op.body {
        None => None,
        Some(body) => {
            let mut map = Map::new();
            // Enum and chosen values first: an `ids` field may depend on them.
            let mut fields: Vec<&Field> = body
                .fields
                .iter()
                .filter(|f| f.required || chosen.contains_key(f.wire.as_str()))
                .collect();
            fields.sort_by_key(|f| !matches!(f.ty, TypeExpr::Named(_)));
            for f in fields {
                let v = match chosen.get(f.wire.as_str()) {
                    Some(v) => Value::String(v.clone()),
                    None => {
                        fill(model, f, &map, values).ok_or_else(|| Skip::NoValue(f.wire.clone()))?
                    }
                };
                map.insert(f.wire.clone(), v);
            }
            Some(Value::Object(map))
        }
    };
    Ok(Request {
        path_args,
        query,
        body,
        scope_value,
    })
}

/// The page size to ask for: [`PAGE_SIZE`] within the parameter's bounds.
fn page_size(field: Option<&Field>) -> i64 {
    let mut n = PAGE_SIZE;
    if let Some(max) = field.and_then(|f| f.max) {
        n = n.min(max as i64);
    }
    if let Some(min) = field.and_then(|f| f.min) {
        n = n.max(min as i64);
    }
    n
}

fn first(values: &BTreeMap<String, Vec<String>>, name: &str) -> Option<String> {
    values.get(name).and_then(|v| v.first()).cloned()
}

/// A value for the required field `f`: an enum's first value, the default, the
/// minimum, or ids seen for it. `siblings` are the body fields chosen so far.
fn fill(
    model: &Model,
    f: &Field,
    siblings: &Map<String, Value>,
    values: &BTreeMap<String, Vec<String>>,
) -> Option<Value> {
    let ids = |name: &str| -> Option<Value> {
        let seen = values.get(name).filter(|v| !v.is_empty())?;
        let max = f.max_items.unwrap_or(u64::MAX).min(seen.len() as u64) as usize;
        Some(Value::Array(
            seen.iter().take(max).cloned().map(Value::String).collect(),
        ))
    };
    match &f.ty {
        TypeExpr::Named(name) => match model.schema(name).map(|s| &s.kind) {
            Some(Kind::Enum { values }) => values.first().map(|v| Value::String(v.wire.clone())),
            _ => None,
        },
        TypeExpr::Integer | TypeExpr::Number => f
            .default
            .as_deref()
            .and_then(|d| d.parse::<i64>().ok())
            .or(f.min.map(|m| m as i64))
            .map(Value::from),
        TypeExpr::Boolean => Some(Value::Bool(false)),
        TypeExpr::String => f
            .default
            .clone()
            .map(Value::String)
            .or_else(|| first(values, &f.wire).map(Value::String)),
        TypeExpr::Array(item) if **item == TypeExpr::String => {
            // `contact_ids` holds `contact_id`s; `ids` holds the ids of the
            // resource a sibling names (`entity_type: contacts`).
            if let Some(stem) = f.wire.strip_suffix("_ids") {
                return ids(&format!("{stem}_id"));
            }
            siblings
                .values()
                .filter_map(Value::as_str)
                .find_map(|resource| {
                    let get = model.operations().find(|o| {
                        o.resource == resource
                            && o.method == Method::Get
                            && o.pagination.is_none()
                            && o.path_params.len() == 1
                    })?;
                    ids(&get.path_params[0].wire)
                })
        }
        _ => None,
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The spec's read-only rule applied to a request about to be sent.
///
/// Built from every operation of the spec: a request passes only when its
/// method and path match at least one operation and every operation they match
/// [`is_read_only`]. Anything else (an unknown route, a write) is refused.
#[derive(Debug)]
pub struct Guard {
    routes: Vec<Route>,
}

#[derive(Debug)]
struct Route {
    method: Method,
    /// Path segments; `None` for a `{placeholder}`.
    segments: Vec<Option<String>>,
    read_only: bool,
    id: String,
}

impl Guard {
    /// The guard for `model`'s operations.
    pub fn new(model: &Model) -> Self {
        let routes = model
            .operations()
            .map(|op| Route {
                method: op.method,
                segments: op
                    .path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect(),
                read_only: is_read_only(op),
                id: op.id.clone(),
            })
            .collect();
        Guard { routes }
    }

    /// `Ok` when `method` `path` (relative to the base URL, percent-encoded,
    /// without the query) only reads; otherwise why not.
    pub fn check(&self, method: Method, path: &str) -> Result<(), String> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let matching: Vec<&Route> = self
            .routes
            .iter()
            .filter(|r| {
                r.method == method
                    && r.segments.len() == segments.len()
                    && r.segments
                        .iter()
                        .zip(&segments)
                        .all(|(want, got)| match want {
                            Some(text) => text == got,
                            None => !got.is_empty(),
                        })
            })
            .collect();
        if matching.is_empty() {
            return Err(format!("`{method} {path}` is no operation of the spec"));
        }
        match matching.iter().find(|r| !r.read_only) {
            Some(r) => Err(format!(
                "`{method} {path}` may be `{}`, which the spec does not mark read-only",
                r.id
            )),
            None => Ok(()),
        }
    }
}

/// `template` with each `{name}` replaced by the next of `args`, percent-encoded.
pub fn render_path(template: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&encode(args.next().map_or("", String::as_str)));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
