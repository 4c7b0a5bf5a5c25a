//! Drift mode (`--drift`, [`crate::MockConfig::drift`]): answer as a future
//! version of the API might, so that `cargo xtask drift` has something to find.
//!
//! Every successful body is rewritten along the operation's response type, as
//! the spec declares it:
//!
//! - every object (the envelope included) gets the key [`EXTRA_KEY`];
//! - every enum value becomes [`ENUM_VALUE`], which no enum lists;
//! - one optional field, [`Victims::dropped`], is never sent;
//! - one integer field, [`Victims::stringly`], is sent as a string (`"3"`).
//!
//! The two chosen fields are a function of the spec alone (see [`Victims::of`]),
//! so a drift run is deterministic.

use pathbound_model::model::{Field, Kind, Operation};
use pathbound_model::types::TypeExpr;
use pathbound_model::wire::{Method, success};
use serde_json::{Map, Value, json};

use crate::spec::Api;

/// The key added to every object.
pub const EXTRA_KEY: &str = "drift_note";
/// The value every enum value becomes.
pub const ENUM_VALUE: &str = "drift_value";

/// The two fields drift mode changes, as `(schema, field wire name)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Victims {
    /// The optional field dropped from every object of its schema.
    pub dropped: Option<(String, String)>,
    /// The integer field sent as a string in every object of its schema.
    pub stringly: Option<(String, String)>,
}

impl Victims {
    /// The first fit, in spec order, among the fields of the schemas the `GET`
    /// operations answer with: for `dropped` an optional field that is not
    /// `nullable` (nor an id the client needs), for `stringly` an `integer`
    /// field that is not `lenient` (a lenient one accepts strings).
    pub fn of(api: &Api) -> Victims {
        let mut victims = Victims::default();
        let schemas = api
            .model
            .operations()
            .filter(|op| op.method == Method::Get)
            .filter_map(|op| op.response.ty.as_ref()?.named())
            .filter_map(|name| api.schema(name));
        for schema in schemas {
            let Kind::Object { fields, .. } = &schema.kind else {
                continue;
            };
            if victims.dropped.is_none() {
                if let Some(f) = fields
                    .iter()
                    .find(|f| !f.required && !f.nullable && !f.wire.ends_with("_id"))
                {
                    victims.dropped = Some((schema.name.clone(), f.wire.clone()));
                }
            }
            if victims.stringly.is_none() {
                if let Some(f) = fields
                    .iter()
                    .find(|f| f.ty == TypeExpr::Integer && !f.lenient)
                {
                    victims.stringly = Some((schema.name.clone(), f.wire.clone()));
                }
            }
        }
        victims
    }
}

/// Rewrites the success `body` of `op` as drift mode answers.
pub fn apply(api: &Api, victims: &Victims, op: &Operation, body: &mut Value) {
    let Some(ty) = &op.response.ty else {
        return;
    };
    let Value::Object(top) = body else {
        return;
    };
    let mut walk = Walk { api, victims };
    if let Some(p) = &op.pagination {
        if let Some(Value::Array(items)) = top.get_mut(&p.items) {
            for item in items {
                walk.value(item, ty);
            }
        }
    } else if let Some(key) = &op.response.key {
        if let Some(v) = top.get_mut(key) {
            walk.value(v, ty);
        }
    } else {
        let declared = match ty.named().and_then(|n| api.schema(n)).map(|s| &s.kind) {
            Some(Kind::Object { fields, .. }) => {
                fields.iter().any(|f| f.wire == success::STATUS_KEY)
            }
            _ => false,
        };
        let status = if declared {
            None
        } else {
            top.remove(success::STATUS_KEY)
        };
        let mut whole = Value::Object(std::mem::take(top));
        walk.value(&mut whole, ty);
        if let Value::Object(map) = whole {
            *top = map;
        }
        if let Some(status) = status {
            top.insert(success::STATUS_KEY.into(), status);
        }
    }
    top.insert(EXTRA_KEY.into(), json!("added by pathbound-mock --drift"));
}

struct Walk<'a> {
    api: &'a Api,
    victims: &'a Victims,
}

impl Walk<'_> {
    fn value(&mut self, v: &mut Value, ty: &TypeExpr) {
        match (ty, v) {
            (TypeExpr::Array(item), Value::Array(items)) => {
                items.iter_mut().for_each(|x| self.value(x, item))
            }
            (TypeExpr::Map(item), Value::Object(map)) => {
                map.values_mut().for_each(|x| self.value(x, item))
            }
            (TypeExpr::Named(name), v) => {
                let api = self.api;
                let Some(schema) = api.schema(name) else {
                    return;
                };
                match (&schema.kind, v) {
                    (Kind::Object { fields, .. }, Value::Object(map)) => {
                        self.object(&schema.name, fields, map)
                    }
                    (Kind::Enum { .. }, v @ Value::String(_)) => *v = json!(ENUM_VALUE),
                    (Kind::Union { variants }, v) => {
                        // The first variant of the value's JSON kind.
                        if let Some(variant) = variants.iter().find(|x| same_kind(api, &x.ty, v)) {
                            self.value(v, &variant.ty);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, schema: &str, fields: &[Field], map: &mut Map<String, Value>) {
        for f in fields {
            let is = |victim: &Option<(String, String)>| {
                victim
                    .as_ref()
                    .is_some_and(|(s, w)| s == schema && *w == f.wire)
            };
            if is(&self.victims.dropped) {
                map.remove(&f.wire);
                for alias in &f.aliases {
                    map.remove(alias);
                }
                continue;
            }
            let Some(v) = map.get_mut(&f.wire) else {
                continue;
            };
            if is(&self.victims.stringly) {
                if let Some(n) = v.as_i64() {
                    *v = json!(n.to_string());
                }
                continue;
            }
            self.value(v, &f.ty);
        }
        map.insert(EXTRA_KEY.into(), json!("added by pathbound-mock --drift"));
    }
}

/// Whether `v` has the JSON kind of `ty`.
fn same_kind(api: &Api, ty: &TypeExpr, v: &Value) -> bool {
    match ty {
        TypeExpr::Array(_) => v.is_array(),
        TypeExpr::Map(_) | TypeExpr::Object => v.is_object(),
        TypeExpr::String | TypeExpr::DateTime => v.is_string(),
        TypeExpr::Named(n) => match api.schema(n).map(|s| &s.kind) {
            Some(Kind::Object { .. }) => v.is_object(),
            Some(Kind::Enum { .. }) => v.is_string(),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{ENUM_VALUE, EXTRA_KEY, Victims, apply};
    use crate::cli::{Command, parse};
    use crate::spec::embedded_api;

    #[test]
    fn the_flag_turns_it_on_and_the_default_is_off() {
        let on = |args: &[&str]| match parse(args.iter().map(|s| s.to_string())) {
            Ok(Command::Run(c)) => c.drift,
            other => panic!("{other:?}"),
        };
        assert!(on(&["--drift"]));
        assert!(!on(&[]));
    }

    #[test]
    fn a_body_is_changed_the_same_way_every_time() {
        let api = embedded_api().unwrap();
        let victims = Victims::of(&api);
        assert_eq!(victims, Victims::of(&api), "chosen from the spec alone");
        let (dropped_schema, dropped) = victims.dropped.clone().unwrap();
        let (int_schema, int_field) = victims.stringly.clone().unwrap();
        let op = api
            .model
            .operations()
            .find(|o| {
                o.response.ty.as_ref().and_then(|t| t.named()) == Some(dropped_schema.as_str())
                    && o.response.key.is_some()
            })
            .unwrap();
        let key = op.response.key.clone().unwrap();
        let body = json!({"status": "success", key.clone(): {dropped.clone(): "x", "other": 1}});
        let mut once = body.clone();
        apply(&api, &victims, op, &mut once);
        let mut twice = body;
        apply(&api, &victims, op, &mut twice);
        assert_eq!(once, twice);
        assert!(once[&key].get(&dropped).is_none(), "{once}");
        assert_eq!(once[&key]["other"], 1);
        assert!(once[&key][EXTRA_KEY].is_string());
        assert!(once[EXTRA_KEY].is_string(), "the envelope gets one too");
        assert_eq!(once["status"], "success");

        // The integer victim, and an enum, inside a list.
        let list = api
            .model
            .operations()
            .find(|o| {
                o.pagination.is_some()
                    && o.response.ty.as_ref().and_then(|t| t.named()) == Some(int_schema.as_str())
            })
            .unwrap();
        let items = list.pagination.clone().unwrap().items;
        let mut page = json!({"status": "success", items.clone(): [{int_field.clone(): 3}]});
        apply(&api, &victims, list, &mut page);
        assert_eq!(page[&items][0][&int_field], "3");
        let stage = api
            .model
            .operations()
            .find(|o| o.id == "contacts.get")
            .unwrap();
        let mut contact =
            json!({"status": "success", "contact": {"properties": {"lifecyclestage": "lead"}}});
        apply(&api, &victims, stage, &mut contact);
        assert_eq!(
            contact["contact"]["properties"]["lifecyclestage"], ENUM_VALUE,
            "{contact}"
        );
        assert!(contact["contact"]["properties"][EXTRA_KEY].is_string());
    }
}
