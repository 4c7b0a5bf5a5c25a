//! Schema-shaped responses for operations without a hand-written handler, so an
//! endpoint added to the spec is served at once: a plausible JSON value built
//! from the response type (objects with their fields filled, ids under the
//! canonical wire name plus `_id`), wrapped in the envelope key, or in the
//! pagination envelope of the endpoint's style.

use pathbound_model::model::{Field, Kind, Operation};
use pathbound_model::types::TypeExpr;
use serde_json::{Map, Value, json};

use crate::handlers::page_body;

use crate::ids::IdGen;
use crate::spec::Api;
use crate::time;
use crate::validate::Query;

/// Named objects nested deeper than this get only their required fields.
const FULL_DEPTH: usize = 2;
/// Nothing is built deeper than this (guards recursive schemas).
const MAX_DEPTH: usize = 6;

/// The success body (without `status`) for `op`.
pub fn response_body(
    api: &Api,
    op: &Operation,
    query: &Query,
    ids: &mut IdGen,
) -> Map<String, Value> {
    let mut builder = Builder { api, ids };
    let mut out = Map::new();
    let Some(ty) = &op.response.ty else {
        out.insert("message".into(), json!(format!("{} succeeded", op.id)));
        return out;
    };
    if let Some(pagination) = &op.pagination {
        let envelope = pagination.style.envelope();
        let number = |name: &str, fallback: i64| -> i64 {
            query
                .get(name)
                .and_then(|v| v.parse().ok())
                .or_else(|| {
                    op.query
                        .iter()
                        .find(|f| f.wire == name)
                        .and_then(|f| f.default.as_deref()?.parse().ok())
                })
                .unwrap_or(fallback)
        };
        let limit = number(envelope.limit, 20).max(1);
        let first = i64::try_from(envelope.first_position).unwrap_or(0);
        let items: Vec<Value> = (0..limit.min(2))
            .map(|_| builder.value(ty, "", 0))
            .collect();
        let total = items.len();
        return page_body(
            pagination.style,
            &pagination.items,
            items,
            number(envelope.position, first),
            limit,
            total,
        );
    }
    let value = builder.value(ty, "", 0);
    match (&op.response.key, value) {
        (Some(key), value) => {
            out.insert(key.clone(), value);
        }
        (None, Value::Object(map)) => out = map,
        (None, value) => {
            out.insert("result".into(), value);
        }
    }
    out
}

struct Builder<'a> {
    api: &'a Api,
    ids: &'a mut IdGen,
}

impl Builder<'_> {
    /// A sample of `ty`; `name` is the wire name it sits under (a hint for strings).
    fn value(&mut self, ty: &TypeExpr, name: &str, depth: usize) -> Value {
        match ty {
            TypeExpr::String => self.string(name),
            TypeExpr::Integer => json!(0),
            TypeExpr::Number => json!(0.0),
            TypeExpr::Boolean => json!(false),
            TypeExpr::DateTime => json!(time::iso(time::now_ms())),
            TypeExpr::Any | TypeExpr::Object => json!({}),
            TypeExpr::Array(inner) if depth < MAX_DEPTH => {
                json!([self.value(inner, &singular(name), depth + 1)])
            }
            TypeExpr::Map(inner) if depth < MAX_DEPTH => {
                json!({ "example": self.value(inner, "", depth + 1) })
            }
            TypeExpr::Array(_) => json!([]),
            TypeExpr::Map(_) => json!({}),
            TypeExpr::Named(schema) => self.named(schema, depth),
        }
    }

    /// A sample of a field's value.
    fn field(&mut self, field: &Field, depth: usize) -> Value {
        self.value(&field.ty, &field.wire, depth)
    }

    fn named(&mut self, schema: &str, depth: usize) -> Value {
        let Some(schema) = self.api.schema(schema).cloned() else {
            return json!({});
        };
        match &schema.kind {
            Kind::Enum { values } => values
                .first()
                .map_or_else(|| json!("unknown"), |v| json!(v.wire)),
            Kind::Union { variants } => match variants.first() {
                Some(v) if depth < MAX_DEPTH => self.value(&v.ty, "", depth + 1),
                _ => Value::Null,
            },
            Kind::Object { fields, .. } => {
                let mut map = Map::new();
                for field in fields {
                    if depth >= MAX_DEPTH || (!field.required && depth >= FULL_DEPTH) {
                        continue;
                    }
                    let value = self.field(field, depth + 1);
                    // Ids go out under the canonical name and, like the newer API, `_id`.
                    if field.required && field.aliases.iter().any(|a| a == "_id") {
                        map.insert("_id".into(), value.clone());
                    }
                    map.insert(field.wire.clone(), value);
                }
                Value::Object(map)
            }
        }
    }

    fn string(&mut self, name: &str) -> Value {
        if name == "id" || name == "_id" || name.ends_with("_id") {
            let stem = name.trim_end_matches("_id").trim_end_matches("id");
            return json!(self.ids.next(id_prefix(stem)));
        }
        match name {
            "email" => json!("jane.doe@example.com"),
            "status" => json!("success"),
            "url" => json!("https://www.example.com/"),
            "domain" => json!("example.com"),
            "message" => json!("ok"),
            _ => json!(format!("example {}", name.replace('_', " ")).trim_end()),
        }
    }
}

/// The documented id prefix of an entity (`contact` → `ct_`).
pub fn id_prefix(entity: &str) -> &'static str {
    match entity {
        "contact" | "internal_contact" => "ct_",
        "company" => "co_",
        "event" => "evt_",
        "segment" => "seg_",
        "action" => "act_",
        "identity" => "id_",
        "session" => "sess_",
        "profile" => "li_",
        "visitor" => "vis_",
        "subscription" => "sub_",
        "job" => "job_",
        "tenant" => "tenant_",
        "form" => "form_",
        "note" => "note_",
        "run" => "run_",
        "agent" => "agt_",
        "user" => "usr_",
        _ => "x_",
    }
}

fn singular(name: &str) -> String {
    name.strip_suffix('s').unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::response_body;
    use crate::ids::IdGen;
    use crate::spec::embedded_api;
    use crate::validate::Query;

    #[test]
    fn every_operation_gets_a_shaped_body() {
        let api = embedded_api().unwrap();
        let mut ids = IdGen::new(1);
        for op in &api.operations {
            let body = response_body(&api, op, &Query::new(), &mut ids);
            if let Some(p) = &op.pagination {
                assert!(body[&p.items].is_array(), "{}", op.id);
            } else if let Some(key) = &op.response.key {
                assert!(body.contains_key(key), "{}", op.id);
            }
        }
        let op = api.operation("contacts.create").unwrap();
        let body = response_body(&api, op, &Query::new(), &mut ids);
        let contact = &body["contact"];
        assert!(contact["contact_id"].as_str().unwrap().starts_with("ct_"));
        assert_eq!(contact["_id"], contact["contact_id"]);
    }
}
