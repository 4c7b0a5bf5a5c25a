//! Request validation from the spec: query and path parameters (type, `min`,
//! `max`, required), and the JSON body (malformed JSON, required fields, types,
//! `min`/`max`, `min_items`/`max_items`, nested schemas, unions). Unknown enum
//! values are accepted (the API's enums are open), unknown keys are ignored.
//!
//! Every problem becomes one `{field, message}` entry of the 400's `details`.

use std::collections::BTreeMap;

use pathbound_model::model::{Field, Kind, Operation};
use pathbound_model::types::TypeExpr;
use serde_json::{Value, json};

use crate::spec::Api;
use crate::time;

/// How deep nested bodies are checked; deeper values are accepted unchecked.
const MAX_DEPTH: usize = 32;

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The offending field, e.g. `limit`, `properties.email`, `ids[3]` or `body`.
    pub field: String,
    /// What is wrong, e.g. `must be between 1 and 100`.
    pub message: String,
}

impl Problem {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The `details` entry.
    pub fn to_json(&self) -> Value {
        json!({ "field": self.field, "message": self.message })
    }
}

/// The request's query as the handlers see it: last value wins per name.
pub type Query = BTreeMap<String, String>;

/// Checks path parameters and the query against `op`.
pub fn check_params(op: &Operation, path: &[(String, String)], query: &Query) -> Vec<Problem> {
    let mut problems = Vec::new();
    for field in &op.path_params {
        if let Some((_, value)) = path.iter().find(|(name, _)| *name == field.wire) {
            check_text(field, value, &mut problems);
        }
    }
    for field in &op.query {
        match query.get(&field.wire) {
            Some(value) => check_text(field, value, &mut problems),
            None if field.required && !field.nullable => {
                problems.push(Problem::new(&field.wire, "is required"));
            }
            None => {}
        }
    }
    // A parameter the endpoint does not have is a mistake worth reporting (a typo
    // would otherwise be silently ignored).
    for name in query.keys() {
        let known = op.query.iter().any(|f| &f.wire == name)
            || op.fixed_query.iter().any(|(k, _)| k == name);
        if !known {
            problems.push(Problem::new(
                name,
                "is not a query parameter of this endpoint",
            ));
        }
    }
    problems
}

/// A query or path value, checked against its field's type and bounds.
fn check_text(field: &Field, value: &str, problems: &mut Vec<Problem>) {
    let name = &field.wire;
    match &field.ty {
        TypeExpr::Integer => match value.trim().parse::<i64>() {
            Ok(n) => check_range(field, name, n as f64, problems),
            Err(_) => problems.push(Problem::new(
                name,
                format!("must be an integer, got {value:?}"),
            )),
        },
        TypeExpr::Number => match value.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => check_range(field, name, n, problems),
            _ => problems.push(Problem::new(
                name,
                format!("must be a number, got {value:?}"),
            )),
        },
        TypeExpr::Boolean if value != "true" && value != "false" => {
            problems.push(Problem::new(
                name,
                format!("must be true or false, got {value:?}"),
            ));
        }
        TypeExpr::DateTime if time::parse(value).is_none() => {
            problems.push(Problem::new(name, iso_message(value)));
        }
        _ => {}
    }
}

fn iso_message(value: &str) -> String {
    format!("must be an ISO 8601 date-time such as 2026-04-29T12:00:00.000Z, got {value:?}")
}

/// Checks `min`/`max`.
fn check_range(field: &Field, name: &str, n: f64, problems: &mut Vec<Problem>) {
    let below = field.min.is_some_and(|min| n < min);
    let above = field.max.is_some_and(|max| n > max);
    if below || above {
        let message = match (field.min, field.max) {
            (Some(min), Some(max)) => format!("must be between {} and {}", num(min), num(max)),
            (Some(min), None) => format!("must be at least {}", num(min)),
            (None, Some(max)) => format!("must be at most {}", num(max)),
            (None, None) => String::new(),
        };
        problems.push(Problem::new(name, message));
    }
}

/// Checks `min_items`/`max_items`.
fn check_items(field: &Field, name: &str, len: usize, problems: &mut Vec<Problem>) {
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    let short = field.min_items.is_some_and(|min| len < min);
    let long = field.max_items.is_some_and(|max| len > max);
    if short || long {
        let message = match (field.min_items, field.max_items) {
            (Some(min), Some(max)) => format!("must have between {min} and {max} items, got {len}"),
            (Some(min), None) => format!("must have at least {min} items, got {len}"),
            (None, Some(max)) => format!("must have at most {max} items, got {len}"),
            (None, None) => String::new(),
        };
        problems.push(Problem::new(name, message));
    }
}

/// `1.0` prints as `1`.
fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Parses and checks a JSON body against `op`'s body fields. An empty body counts
/// as `{}`. Returns the parsed body.
pub fn check_body(api: &Api, op: &Operation, bytes: &[u8]) -> Result<Value, Vec<Problem>> {
    let Some(body) = &op.body else {
        // The endpoint takes no body: whatever was sent is ignored.
        return Ok(Value::Null);
    };
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice::<Value>(bytes)
            .map_err(|e| vec![Problem::new("body", format!("is not valid JSON: {e}"))])?
    };
    let Value::Object(map) = &value else {
        return Err(vec![Problem::new(
            "body",
            format!("must be a JSON object, got {}", kind_of(&value)),
        )]);
    };
    let mut problems = Vec::new();
    let checker = Checker { api };
    checker.fields(&body.fields, map, "", 0, &mut problems);
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems)
    }
}

struct Checker<'a> {
    api: &'a Api,
}

impl Checker<'_> {
    fn fields(
        &self,
        fields: &[Field],
        map: &serde_json::Map<String, Value>,
        prefix: &str,
        depth: usize,
        problems: &mut Vec<Problem>,
    ) {
        for field in fields {
            let name = format!("{prefix}{}", field.wire);
            let value = std::iter::once(&field.wire)
                .chain(&field.aliases)
                .find_map(|k| map.get(k));
            match value {
                None if field.required => problems.push(Problem::new(name, "is required")),
                None => {}
                Some(Value::Null) if field.nullable || !field.required => {}
                Some(Value::Null) => {
                    problems.push(Problem::new(name, "is required and must not be null"))
                }
                Some(value) => self.field(field, value, &name, depth, problems),
            }
        }
    }

    fn field(
        &self,
        field: &Field,
        value: &Value,
        name: &str,
        depth: usize,
        problems: &mut Vec<Problem>,
    ) {
        let before = problems.len();
        self.value(&field.ty, value, name, depth, problems);
        if problems.len() > before {
            return;
        }
        if let Some(n) = value.as_f64() {
            check_range(field, name, n, problems);
        }
        if let Some(items) = value.as_array() {
            check_items(field, name, items.len(), problems);
        }
    }

    fn value(
        &self,
        ty: &TypeExpr,
        value: &Value,
        name: &str,
        depth: usize,
        problems: &mut Vec<Problem>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let ok = match ty {
            TypeExpr::String => value.is_string(),
            TypeExpr::Integer => value.as_i64().is_some(),
            TypeExpr::Number => value.is_number(),
            TypeExpr::Boolean => value.is_boolean(),
            TypeExpr::Any => true,
            TypeExpr::Object => value.is_object(),
            TypeExpr::DateTime => match value.as_str() {
                Some(text) if time::parse(text).is_some() => true,
                Some(text) => {
                    problems.push(Problem::new(name, iso_message(text)));
                    return;
                }
                None => false,
            },
            TypeExpr::Array(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let item_name = format!("{name}[{i}]");
                        if item.is_null() {
                            problems.push(Problem::new(item_name, "must not be null"));
                        } else {
                            self.value(inner, item, &item_name, depth + 1, problems);
                        }
                    }
                    true
                }
                None => false,
            },
            TypeExpr::Map(inner) => match value.as_object() {
                Some(map) => {
                    for (k, v) in map {
                        if !v.is_null() {
                            self.value(inner, v, &format!("{name}.{k}"), depth + 1, problems);
                        }
                    }
                    true
                }
                None => false,
            },
            TypeExpr::Named(schema) => {
                return self.named(schema, value, name, depth, problems);
            }
        };
        if !ok {
            problems.push(Problem::new(
                name,
                format!("must be {}, got {}", describe(self.api, ty), kind_of(value)),
            ));
        }
    }

    fn named(
        &self,
        schema: &str,
        value: &Value,
        name: &str,
        depth: usize,
        problems: &mut Vec<Problem>,
    ) {
        let Some(schema) = self.api.schema(schema) else {
            return;
        };
        match &schema.kind {
            Kind::Object { fields, .. } => match value.as_object() {
                Some(map) => self.fields(fields, map, &format!("{name}."), depth + 1, problems),
                None => problems.push(Problem::new(
                    name,
                    format!("must be an object, got {}", kind_of(value)),
                )),
            },
            Kind::Enum { .. } => {
                if !value.is_string() {
                    problems.push(Problem::new(
                        name,
                        format!("must be a string, got {}", kind_of(value)),
                    ));
                }
            }
            Kind::Union { variants } => {
                let fits = variants.iter().any(|v| {
                    let mut scratch = Vec::new();
                    self.value(&v.ty, value, name, depth + 1, &mut scratch);
                    scratch.is_empty()
                });
                if !fits {
                    let options: Vec<String> =
                        variants.iter().map(|v| describe(self.api, &v.ty)).collect();
                    problems.push(Problem::new(
                        name,
                        format!("must be {}, got {}", options.join(" or "), kind_of(value)),
                    ));
                }
            }
        }
    }
}

/// `a string`, `an array of strings`, ...
fn describe(api: &Api, ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::String => "a string".into(),
        TypeExpr::Integer => "an integer".into(),
        TypeExpr::Number => "a number".into(),
        TypeExpr::Boolean => "a boolean".into(),
        TypeExpr::DateTime => "an ISO 8601 date-time string".into(),
        TypeExpr::Any => "any JSON value".into(),
        TypeExpr::Object => "an object".into(),
        TypeExpr::Array(inner) => format!("an array of {}", plural(api, inner)),
        TypeExpr::Map(inner) => format!("an object of {}", plural(api, inner)),
        TypeExpr::Named(name) => match api.schema(name).map(|s| &s.kind) {
            Some(Kind::Enum { .. }) => "a string".into(),
            _ => "an object".into(),
        },
    }
}

fn plural(api: &Api, ty: &TypeExpr) -> String {
    match describe(api, ty).as_str() {
        "a string" => "strings".into(),
        "an integer" => "integers".into(),
        "a number" => "numbers".into(),
        "a boolean" => "booleans".into(),
        "an object" => "objects".into(),
        other => other.to_owned(),
    }
}

/// What a JSON value is, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Query, check_body, check_params};
    use crate::spec::embedded_api;

    fn body_problems(op: &str, body: &str) -> Vec<String> {
        let api = embedded_api().unwrap();
        let op = api.operation(op).unwrap();
        match check_body(&api, op, body.as_bytes()) {
            Ok(_) => vec![],
            Err(p) => p
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect(),
        }
    }

    #[test]
    fn bodies_are_checked_field_by_field() {
        assert_eq!(
            body_problems("contacts.create", r#"{"email":"a@b.c"}"#),
            Vec::<String>::new()
        );
        assert_eq!(
            body_problems("contacts.create", "{}"),
            ["email: is required"]
        );
        assert_eq!(body_problems("contacts.create", ""), ["email: is required"]);
        assert_eq!(
            body_problems(
                "contacts.create",
                r#"{"email":5,"properties":{"lifecyclestage":"brand_new","createdate":"soon"},"visitor_id":[1]}"#
            ),
            [
                "email: must be a string, got an integer",
                "properties.createdate: must be an ISO 8601 date-time such as 2026-04-29T12:00:00.000Z, got \"soon\"",
                "visitor_id: must be a string or an array of strings, got an array",
            ]
        );
        assert_eq!(
            body_problems("batch.details", r#"{"entity_type":"contacts","ids":[]}"#),
            ["ids: must have between 1 and 25 items, got 0"]
        );
        assert_eq!(
            body_problems(
                "batch.activity",
                r#"{"contact_ids":["a"],"events_limit":21}"#
            ),
            ["events_limit: must be between 1 and 20"]
        );
        assert_eq!(
            body_problems("contacts.create", "{\"email\":"),
            ["body: is not valid JSON: EOF while parsing a value at line 1 column 9"]
        );
        assert_eq!(
            body_problems("contacts.create", "[1]"),
            ["body: must be a JSON object, got an array"]
        );
        assert_eq!(
            body_problems(
                "actions.create",
                r#"{"type":"brand_new_type","params":{},"identity_id":"id_1"}"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            body_problems("health.check", "not json at all"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn deep_and_hostile_bodies_do_not_panic() {
        let deep = "[".repeat(10_000);
        assert_eq!(body_problems("contacts.create", &deep).len(), 1);
        let nested = format!(
            "{{\"email\":\"a\",\"properties\":{}}}",
            json!({"x": {"y": [1, {"z": null}]}})
        );
        assert_eq!(
            body_problems("contacts.create", &nested),
            Vec::<String>::new()
        );
        assert_eq!(
            body_problems("contacts.create", "\u{0}\u{ff}"),
            ["body: is not valid JSON: expected value at line 1 column 1"]
        );
    }

    #[test]
    fn query_parameters_are_typed_and_bounded() {
        let api = embedded_api().unwrap();
        let op = api.operation("contacts.list").unwrap();
        let q = |pairs: &[(&str, &str)]| -> Vec<String> {
            let query: Query = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            check_params(op, &[], &query)
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect()
        };
        assert!(
            q(&[
                ("limit", "100"),
                ("page", "1"),
                ("lifecycle_stage", "whatever")
            ])
            .is_empty()
        );
        assert_eq!(q(&[("limit", "0")]), ["limit: must be between 1 and 100"]);
        assert_eq!(
            q(&[("limit", "ten")]),
            ["limit: must be an integer, got \"ten\""]
        );
        assert_eq!(
            q(&[("has_linkedin", "yes")]),
            ["has_linkedin: must be true or false, got \"yes\""]
        );
        assert_eq!(q(&[("page", "0"), ("created_after", "tomorrow")]).len(), 2);
        assert_eq!(
            q(&[("limt", "10")]),
            ["limt: is not a query parameter of this endpoint"]
        );
    }
}
