//! The comparison of a response body with the spec: [`Checker`].
//!
//! A body is walked along the operation's response type, in the spec's own
//! terms (`pathbound_model`): its envelope (`response.key`, or the pagination
//! envelope of `pagination.style` with the items under `pagination.items`),
//! then each object against its schema's fields, each enum value against the
//! values the spec lists, each value against its declared type. What does not
//! match is counted per schema and field (or per operation, for envelopes) as
//! a drift ([`DriftKey`], [`DriftSeen`]); repeated sightings add up, so a report shows each difference
//! once, however many responses showed it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use pathbound_model::Model;
use pathbound_model::model::{Field, Kind, Operation};
use pathbound_model::types::TypeExpr;
use pathbound_model::wire::success;
use serde_json::{Map, Value};

use crate::infer::Shape;

/// What differs between the spec and what the API sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriftKind {
    /// The envelope lacks the key the spec names (`response.key`,
    /// `pagination.items`), or the body is not a JSON object.
    EnvelopeMissing,
    /// The envelope has a key the spec does not expect (a note: the client
    /// reads only the keys it expects).
    EnvelopeExtra,
    /// An object has a key its schema does not declare.
    UndeclaredKey,
    /// An enum value the schema does not list.
    UnlistedEnumValue,
    /// A required field was absent.
    RequiredMissing,
    /// `null` in a field that is not `nullable`.
    UnexpectedNull,
    /// A value of another type than declared (`"250"` for an `integer`).
    TypeMismatch,
    /// An optional field that no object of its schema carried.
    NeverSeen,
}

impl DriftKind {
    /// Every kind, in report order.
    pub const ALL: [DriftKind; 8] = [
        DriftKind::EnvelopeMissing,
        DriftKind::EnvelopeExtra,
        DriftKind::UndeclaredKey,
        DriftKind::UnlistedEnumValue,
        DriftKind::RequiredMissing,
        DriftKind::UnexpectedNull,
        DriftKind::TypeMismatch,
        DriftKind::NeverSeen,
    ];

    /// The kind's name in the JSON report (`undeclared_key`).
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::EnvelopeMissing => "envelope_key_missing",
            DriftKind::EnvelopeExtra => "envelope_key_extra",
            DriftKind::UndeclaredKey => "undeclared_key",
            DriftKind::UnlistedEnumValue => "unlisted_enum_value",
            DriftKind::RequiredMissing => "required_missing",
            DriftKind::UnexpectedNull => "unexpected_null",
            DriftKind::TypeMismatch => "type_mismatch",
            DriftKind::NeverSeen => "never_seen",
        }
    }

    /// Whether this kind is only a note: weak evidence that the spec is wrong
    /// (an optional field absent from a few small pages, an envelope key the
    /// client does not read). Notes are reported but are not drift.
    pub fn is_note(self) -> bool {
        matches!(self, DriftKind::NeverSeen | DriftKind::EnvelopeExtra)
    }
}

/// What a drift is about: a schema's field, key or value, or an operation's envelope.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DriftKey {
    /// The kind.
    pub kind: DriftKind,
    /// The schema (`Contact`), or the operation id for envelope and
    /// top-level findings (`contacts.list`).
    pub subject: String,
    /// The field, key or enum value.
    pub name: String,
}

/// Everything seen of one drift.
#[derive(Clone, Debug, Default)]
pub struct DriftSeen {
    /// How many times it was seen.
    pub count: u64,
    /// The JSON path of the first sighting (`$.contacts[0].status`).
    pub example: String,
    /// The operations whose responses showed it.
    pub operations: BTreeSet<String>,
    /// The values seen (for undeclared keys and type mismatches), summarised.
    pub shape: Shape,
    /// What the spec declares there (`integer`, or the envelope key expected).
    pub expected: String,
}

/// Everything the responses checked so far showed.
#[derive(Clone, Debug, Default)]
pub struct Observations {
    /// Each drift, with what was seen of it.
    pub drifts: BTreeMap<DriftKey, DriftSeen>,
    /// Objects checked per schema.
    pub objects: BTreeMap<String, u64>,
    /// Objects per `(schema, field)` that carried the field.
    pub present: BTreeMap<(String, String), u64>,
    /// Up to [`MAX_VALUES`] string values per field wire name, for requests
    /// that need an id (`contact_id` → `ct_…`).
    pub values: BTreeMap<String, Vec<String>>,
    /// Bodies checked, per operation.
    pub responses: BTreeMap<String, u64>,
}

/// What an envelope key the spec does not expect was expected to be.
const NO_SUCH_KEY: &str = "no such key";

/// String values kept per field name.
pub const MAX_VALUES: usize = 3;
/// Enum values and keys longer than this are cut in reports.
const MAX_NAME: usize = 80;

impl Observations {
    /// Adds the optional fields that no object of a checked schema carried
    /// ([`DriftKind::NeverSeen`]). Call once, after the last body.
    pub fn close(&mut self, model: &Model) {
        for schema in &model.schemas {
            let Some(&objects) = self.objects.get(&schema.name) else {
                continue;
            };
            let Kind::Object { fields, .. } = &schema.kind else {
                continue;
            };
            for f in fields.iter().filter(|f| !f.required) {
                let key = (schema.name.clone(), f.wire.clone());
                if self.present.get(&key).copied().unwrap_or(0) == 0 {
                    let seen = self
                        .drifts
                        .entry(DriftKey {
                            kind: DriftKind::NeverSeen,
                            subject: schema.name.clone(),
                            name: f.wire.clone(),
                        })
                        .or_default();
                    seen.count = objects;
                    seen.expected = f.ty.to_string();
                }
            }
        }
    }
}

/// Compares bodies with the spec and collects [`Observations`].
///
/// Shared between tasks ([`Checker::observe`] takes `&self`), so it can sit
/// behind a client's response observer.
#[derive(Debug)]
pub struct Checker {
    model: Model,
    seen: Mutex<Observations>,
}

impl Checker {
    /// A checker for the API `model` describes.
    pub fn new(model: Model) -> Self {
        Checker {
            model,
            seen: Mutex::new(Observations::default()),
        }
    }

    /// The model it checks against.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Checks the body of a successful response of operation `operation_id`.
    /// A body that is not JSON is a [`DriftKind::EnvelopeMissing`] drift; an
    /// operation the spec does not know is ignored.
    pub fn observe(&self, operation_id: &str, body: &[u8]) {
        let Some(op) = self.model.operations().find(|o| o.id == operation_id) else {
            return;
        };
        let mut found = Observations::default();
        check_body(&self.model, op, body, &mut found);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        merge(&mut seen, found);
    }

    /// A copy of what was seen so far.
    pub fn observations(&self) -> Observations {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Adds `found` to `into`.
fn merge(into: &mut Observations, found: Observations) {
    for (key, seen) in found.drifts {
        let have = into.drifts.entry(key).or_default();
        if have.count == 0 {
            have.example = seen.example;
            have.expected = seen.expected;
        }
        have.count += seen.count;
        have.operations.extend(seen.operations);
        have.shape.merge(&seen.shape);
    }
    for (k, n) in found.objects {
        *into.objects.entry(k).or_default() += n;
    }
    for (k, n) in found.present {
        *into.present.entry(k).or_default() += n;
    }
    for (k, values) in found.values {
        let have = into.values.entry(k).or_default();
        for v in values {
            if have.len() < MAX_VALUES && !have.contains(&v) {
                have.push(v);
            }
        }
    }
    for (k, n) in found.responses {
        *into.responses.entry(k).or_default() += n;
    }
}

/// Checks one body of `op` into `out`.
pub fn check_body(model: &Model, op: &Operation, body: &[u8], out: &mut Observations) {
    *out.responses.entry(op.id.clone()).or_default() += 1;
    let mut walk = Walk { model, op, out };
    let Some(ty) = &op.response.ty else {
        return;
    };
    let top = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            walk.envelope("(body)", "a JSON object", "$", Some(&other));
            return;
        }
        Err(_) => {
            walk.envelope("(body)", "a JSON object", "$", None);
            return;
        }
    };
    if let Some(p) = &op.pagination {
        let envelope = p.style.envelope();
        let mut expected: Vec<&str> = vec![success::STATUS_KEY, p.items.as_str()];
        match envelope.meta {
            Some(meta) => expected.push(meta),
            None => expected.extend(envelope.fields.iter().map(|(k, _)| *k)),
        }
        walk.unexpected_envelope_keys(&top, &expected);
        if let Some(Value::Object(meta)) = envelope.meta.and_then(|m| top.get(m)) {
            for key in meta.keys() {
                if envelope.field(key).is_none() {
                    let path = format!("$.{}.{key}", envelope.meta.unwrap_or_default());
                    let name = format!("{}.{key}", envelope.meta.unwrap_or_default());
                    walk.envelope(&name, NO_SUCH_KEY, &path, meta.get(key));
                }
            }
        }
        match top.get(&p.items) {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    walk.value(item, ty, &Site::Top, &format!("$.{}[{i}]", p.items), false);
                }
            }
            other => walk.envelope(
                &p.items,
                &format!("an array under `{}`", p.items),
                &format!("$.{}", p.items),
                other,
            ),
        }
    } else if let Some(key) = &op.response.key {
        walk.unexpected_envelope_keys(&top, &[success::STATUS_KEY, key]);
        match top.get(key) {
            Some(v) => walk.value(v, ty, &Site::Top, &format!("$.{key}"), false),
            None => walk.envelope(
                key,
                &format!("the value under `{key}`"),
                &format!("$.{key}"),
                None,
            ),
        }
    } else {
        // The whole body is the value; `status` is the envelope's, unless the
        // schema declares it.
        let mut map = top;
        if !declares(model, ty, success::STATUS_KEY) {
            map.remove(success::STATUS_KEY);
        }
        walk.value(&Value::Object(map), ty, &Site::Top, "$", false);
    }
}

/// Where a value sits: reports about it go to this field, or to the response.
enum Site<'a> {
    /// The response value itself (or an item of a list).
    Top,
    /// A field of a schema (or an item or map value under it).
    Field { schema: &'a str, field: &'a Field },
}

struct Walk<'a> {
    model: &'a Model,
    op: &'a Operation,
    out: &'a mut Observations,
}

impl Walk<'_> {
    fn record(&mut self, kind: DriftKind, subject: &str, name: &str, path: &str) -> &mut DriftSeen {
        let seen = self
            .out
            .drifts
            .entry(DriftKey {
                kind,
                subject: subject.to_owned(),
                name: cut(name),
            })
            .or_default();
        if seen.count == 0 {
            seen.example = path.to_owned();
        }
        seen.count += 1;
        seen.operations.insert(self.op.id.clone());
        seen
    }

    /// An envelope problem at `name`: `expected` was not what came (`got`).
    fn envelope(&mut self, name: &str, expected: &str, path: &str, got: Option<&Value>) {
        let op = self.op.id.clone();
        let kind = match expected {
            NO_SUCH_KEY => DriftKind::EnvelopeExtra,
            _ => DriftKind::EnvelopeMissing,
        };
        let seen = self.record(kind, &op, name, path);
        seen.expected = expected.to_owned();
        if let Some(v) = got {
            seen.shape.add(v);
        }
    }

    fn unexpected_envelope_keys(&mut self, top: &Map<String, Value>, expected: &[&str]) {
        for (key, v) in top {
            if !expected.contains(&key.as_str()) {
                self.envelope(key, NO_SUCH_KEY, &format!("$.{key}"), Some(v));
            }
        }
    }

    fn mismatch(&mut self, site: &Site<'_>, ty: &TypeExpr, v: &Value, path: &str) {
        let (subject, name) = match site {
            Site::Top => (self.op.id.clone(), "(response)".to_owned()),
            Site::Field { schema, field } => ((*schema).to_owned(), field.wire.clone()),
        };
        let seen = self.record(DriftKind::TypeMismatch, &subject, &name, path);
        if seen.expected.is_empty() {
            seen.expected = ty.to_string();
        }
        seen.shape.add(v);
    }

    /// Checks `v` against `ty`; `lenient` as the field's `lenient:`.
    fn value(&mut self, v: &Value, ty: &TypeExpr, site: &Site<'_>, path: &str, lenient: bool) {
        let ok = match ty {
            TypeExpr::Any => true,
            TypeExpr::String => v.is_string(),
            TypeExpr::Boolean => v.is_boolean(),
            TypeExpr::Integer => {
                v.is_i64()
                    || v.is_u64()
                    || (lenient && (whole_float(v) || numeric_string(v) || blank(v)))
            }
            TypeExpr::Number => v.is_number() || (lenient && (numeric_string(v) || blank(v))),
            TypeExpr::DateTime => {
                v.is_string() || (lenient && (v.is_i64() || v.is_u64() || numeric_string(v)))
            }
            TypeExpr::Object => v.is_object(),
            TypeExpr::Array(item) => match v {
                Value::Array(items) => {
                    for (i, x) in items.iter().enumerate() {
                        self.value(x, item, site, &format!("{path}[{i}]"), lenient);
                    }
                    true
                }
                _ => false,
            },
            TypeExpr::Map(item) => match v {
                Value::Object(map) => {
                    for (k, x) in map {
                        self.value(x, item, site, &format!("{path}.{k}"), lenient);
                    }
                    true
                }
                _ => false,
            },
            TypeExpr::Named(name) => return self.named(v, name, ty, site, path),
        };
        if !ok {
            self.mismatch(site, ty, v, path);
        }
    }

    fn named(&mut self, v: &Value, name: &str, ty: &TypeExpr, site: &Site<'_>, path: &str) {
        let model = self.model;
        let Some(schema) = model.schema(name) else {
            return;
        };
        match (&schema.kind, v) {
            (Kind::Object { fields, .. }, Value::Object(map)) => {
                self.object(&schema.name, fields, &schema.known_extra, map, path)
            }
            (Kind::Enum { values }, Value::String(s)) => {
                if !values.iter().any(|x| &x.wire == s) {
                    let seen = self.record(DriftKind::UnlistedEnumValue, &schema.name, s, path);
                    seen.expected = ty.to_string();
                }
            }
            (Kind::Union { variants }, _) => {
                match variants.iter().find(|x| fits(model, &x.ty, v)) {
                    Some(variant) => self.value(v, &variant.ty, site, path, false),
                    None => self.mismatch(site, ty, v, path),
                }
            }
            _ => self.mismatch(site, ty, v, path),
        }
    }

    fn object(
        &mut self,
        schema: &str,
        fields: &[Field],
        known_extra: &[String],
        map: &Map<String, Value>,
        path: &str,
    ) {
        *self.out.objects.entry(schema.to_owned()).or_default() += 1;
        for f in fields {
            let names = std::iter::once(&f.wire).chain(&f.aliases);
            let present: Vec<&Value> = names.filter_map(|n| map.get(n)).collect();
            if present.is_empty() {
                if f.required {
                    let seen = self.record(DriftKind::RequiredMissing, schema, &f.wire, path);
                    seen.expected = f.ty.to_string();
                }
                continue;
            }
            *self
                .out
                .present
                .entry((schema.to_owned(), f.wire.clone()))
                .or_default() += 1;
            let value = present.iter().find(|v| !v.is_null()).copied();
            let at = format!("{path}.{}", f.wire);
            match value {
                None if !f.nullable => {
                    let seen = self.record(DriftKind::UnexpectedNull, schema, &f.wire, &at);
                    seen.expected = f.ty.to_string();
                }
                None => {}
                Some(v) => {
                    if let Value::String(s) = v {
                        let values = self.out.values.entry(f.wire.clone()).or_default();
                        if values.len() < MAX_VALUES && !values.contains(s) {
                            values.push(s.clone());
                        }
                    }
                    let site = Site::Field { schema, field: f };
                    self.value(v, &f.ty, &site, &at, f.lenient);
                }
            }
        }
        for (key, v) in map {
            let declared = fields
                .iter()
                .any(|f| &f.wire == key || f.aliases.contains(key))
                || known_extra.contains(key);
            if !declared {
                let seen = self.record(
                    DriftKind::UndeclaredKey,
                    schema,
                    key,
                    &format!("{path}.{key}"),
                );
                seen.shape.add(v);
            }
        }
    }
}

/// Whether `ty` is an object schema with a field (or alias) `key`.
pub(crate) fn declares(model: &Model, ty: &TypeExpr, key: &str) -> bool {
    let Some(Kind::Object { fields, .. }) =
        ty.named().and_then(|n| model.schema(n)).map(|s| &s.kind)
    else {
        return false;
    };
    fields
        .iter()
        .any(|f| f.wire == key || f.aliases.iter().any(|a| a == key))
}

/// Whether `v` has the JSON shape of `ty` at its top (for choosing a union variant).
fn fits(model: &Model, ty: &TypeExpr, v: &Value) -> bool {
    match ty {
        TypeExpr::Any => true,
        TypeExpr::String | TypeExpr::DateTime => v.is_string(),
        TypeExpr::Integer => v.is_i64() || v.is_u64(),
        TypeExpr::Number => v.is_number(),
        TypeExpr::Boolean => v.is_boolean(),
        TypeExpr::Object | TypeExpr::Map(_) => v.is_object(),
        TypeExpr::Array(_) => v.is_array(),
        TypeExpr::Named(n) => match model.schema(n).map(|s| &s.kind) {
            Some(Kind::Object { .. }) => v.is_object(),
            Some(Kind::Enum { .. }) => v.is_string(),
            Some(Kind::Union { variants }) => variants.iter().any(|x| fits(model, &x.ty, v)),
            None => false,
        },
    }
}

fn whole_float(v: &Value) -> bool {
    v.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn numeric_string(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.trim().parse::<f64>().is_ok_and(f64::is_finite))
}

fn blank(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// `name`, cut to [`MAX_NAME`] characters.
fn cut(name: &str) -> String {
    match name.char_indices().nth(MAX_NAME) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_owned(),
    }
}
