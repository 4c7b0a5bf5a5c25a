//! The model as an OpenAPI 3.1 document.
//!
//! Built from the same validated model as the client, so the two cannot drift.
//! Mappings keep insertion order and everything is inserted in model order, so the
//! output is deterministic.
//!
//! Two things the spec says that OpenAPI cannot say directly are kept in
//! extensions: the required scope (`x-pathbound-scope`, beside `security`), and
//! endpoints that share a method and path and differ only by a fixed query
//! parameter (`contacts.count` is `GET /contacts?count_only=true`): they become one
//! OpenAPI operation whose `x-pathbound-operations` lists every spec endpoint it
//! stands for, with a `oneOf` response.
//!
//! The spec's `notes:` (provenance for maintainers, kept out of the client's
//! docs and messages) are carried as `x-pathbound-notes` on the object they
//! annotate: an operation, a parameter, a schema, a property, an error response,
//! `info`, an entry of `x-pathbound-scopes`; an enum's value notes as
//! `x-pathbound-value-notes` and a resource's as `x-pathbound-resource-notes`.

use serde_yaml::{Mapping, Value};

use pathbound_model::model::{EnumValue, Field, Kind, ListStyle, Model, Operation, Schema};
use pathbound_model::types::TypeExpr;
use pathbound_model::wire::{self, FieldType, Method};

fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

/// Builds a mapping from `(key, value)` pairs, skipping `None`s.
fn map<I: IntoIterator<Item = (&'static str, Option<Value>)>>(pairs: I) -> Value {
    let mut m = Mapping::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(s(k), v);
        }
    }
    Value::Mapping(m)
}

fn schema_ref(name: &str) -> Value {
    map([("$ref", Some(s(format!("#/components/schemas/{name}"))))])
}

/// The JSON Schema of a type.
fn type_schema(ty: &TypeExpr) -> Value {
    match ty {
        TypeExpr::String => map([("type", Some(s("string")))]),
        TypeExpr::Integer => map([("type", Some(s("integer"))), ("format", Some(s("int64")))]),
        TypeExpr::Number => map([("type", Some(s("number")))]),
        TypeExpr::Boolean => map([("type", Some(s("boolean")))]),
        TypeExpr::DateTime => map([
            ("type", Some(s("string"))),
            ("format", Some(s("date-time"))),
        ]),
        TypeExpr::Any => Value::Mapping(Mapping::new()),
        TypeExpr::Object => map([
            ("type", Some(s("object"))),
            ("additionalProperties", Some(Value::Bool(true))),
        ]),
        TypeExpr::Array(t) => map([("type", Some(s("array"))), ("items", Some(type_schema(t)))]),
        TypeExpr::Map(t) => map([
            ("type", Some(s("object"))),
            ("additionalProperties", Some(type_schema(t))),
        ]),
        TypeExpr::Named(name) => schema_ref(name),
    }
}

/// The JSON Schema of a field's type: a secret is a `password` string.
fn field_type_schema(f: &Field) -> Value {
    if f.secret {
        map([("type", Some(s("string"))), ("format", Some(s("password")))])
    } else {
        type_schema(&f.ty)
    }
}

/// A spec default as a typed YAML value.
fn default_value(f: &Field) -> Option<Value> {
    let d = f.default.as_ref()?;
    Some(match f.ty {
        TypeExpr::Integer => d
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| s(d.clone())),
        TypeExpr::Number => d
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or_else(|_| s(d.clone())),
        TypeExpr::Boolean => d
            .parse::<bool>()
            .map(Value::Bool)
            .unwrap_or_else(|_| s(d.clone())),
        _ => s(d.clone()),
    })
}

fn number(v: f64, ty: &TypeExpr) -> Value {
    if *ty == TypeExpr::Integer {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

/// The schema of one object property: an optional property also accepts `null`,
/// because the generated client reads `null` as absent and the API (and the
/// mock) send `null` for unset optional fields.
fn property_schema(f: &Field) -> Value {
    field_schema(&Field {
        nullable: f.nullable || !f.required,
        ..f.clone()
    })
}

/// The schema of one field: type, nullability, docs, default and limits.
fn field_schema(f: &Field) -> Value {
    let base = field_type_schema(f);
    let mut schema = if f.nullable {
        map([(
            "oneOf",
            Some(Value::Sequence(vec![
                base,
                map([("type", Some(s("null")))]),
            ])),
        )])
    } else {
        base
    };
    if let Value::Mapping(m) = &mut schema {
        let extra = [
            ("description", f.description.clone().map(s)),
            ("x-pathbound-notes", f.notes.clone().map(s)),
            ("default", default_value(f)),
            ("minimum", f.min.map(|v| number(v, &f.ty))),
            ("maximum", f.max.map(|v| number(v, &f.ty))),
            ("minItems", f.min_items.map(Value::from)),
            ("maxItems", f.max_items.map(Value::from)),
            (
                "deprecated",
                f.deprecated.as_ref().map(|_| Value::Bool(true)),
            ),
            (
                "x-pathbound-lenient",
                f.lenient.then_some(Value::Bool(true)),
            ),
        ];
        for (k, v) in extra {
            if let Some(v) = v {
                // A `$ref` may not have siblings in every tool; wrap it instead.
                if m.contains_key("$ref") {
                    let r = Value::Mapping(std::mem::take(m));
                    m.insert(s("allOf"), Value::Sequence(vec![r]));
                }
                m.insert(s(k), v);
            }
        }
    }
    schema
}

/// The JSON Schema of a named schema.
fn component(schema: &Schema) -> Value {
    let mut component = component_shape(schema);
    if let (Some(notes), Value::Mapping(m)) = (&schema.notes, &mut component) {
        m.insert(s("x-pathbound-notes"), s(notes));
    }
    component
}

/// The JSON Schema of a named schema, without its notes.
fn component_shape(schema: &Schema) -> Value {
    let description = Some(s(schema.description.trim()));
    match &schema.kind {
        Kind::Object {
            fields, keep_extra, ..
        } => {
            let mut properties = Mapping::new();
            let mut required = Vec::new();
            let mut any_of_ids = Vec::new();
            for f in fields {
                properties.insert(s(&f.wire), property_schema(f));
                for alias in &f.aliases {
                    let mut alias_schema = property_schema(f);
                    if let Value::Mapping(m) = &mut alias_schema {
                        m.insert(
                            s("description"),
                            s(format!("Older spelling of `{}`.", f.wire)),
                        );
                        m.remove("x-pathbound-notes");
                    }
                    properties.insert(s(alias), alias_schema);
                }
                if f.required && !f.aliases.is_empty() {
                    // Any one of the spellings satisfies a required aliased field.
                    let options = std::iter::once(&f.wire)
                        .chain(&f.aliases)
                        .map(|n| map([("required", Some(Value::Sequence(vec![s(n)])))]))
                        .collect();
                    any_of_ids.push(Value::Sequence(options));
                } else if f.required {
                    required.push(s(&f.wire));
                }
            }
            let any_of = match any_of_ids.len() {
                0 => None,
                1 => any_of_ids.pop().map(|v| ("anyOf", v)),
                _ => Some((
                    "allOf",
                    Value::Sequence(
                        any_of_ids
                            .into_iter()
                            .map(|v| map([("anyOf", Some(v))]))
                            .collect(),
                    ),
                )),
            };
            let mut m = map([
                ("type", Some(s("object"))),
                ("description", description),
                ("properties", Some(Value::Mapping(properties))),
                (
                    "required",
                    (!required.is_empty()).then_some(Value::Sequence(required)),
                ),
                // The client tolerates unknown keys everywhere and keeps them where asked.
                ("additionalProperties", Some(Value::Bool(true))),
                (
                    "x-pathbound-keeps-unknown-keys",
                    keep_extra.then_some(Value::Bool(true)),
                ),
            ]);
            if let (Some((k, v)), Value::Mapping(mm)) = (any_of, &mut m) {
                mm.insert(s(k), v);
            }
            m
        }
        Kind::Enum { values } => map([
            ("type", Some(s("string"))),
            (
                "description",
                Some(s(format!(
                    "{} Open enum: the server may add values.",
                    schema.description.trim()
                ))),
            ),
            (
                "enum",
                Some(Value::Sequence(values.iter().map(|v| s(&v.wire)).collect())),
            ),
            ("x-pathbound-open-enum", Some(Value::Bool(true))),
            ("x-pathbound-value-notes", value_notes(values)),
        ]),
        Kind::Union { variants } => map([
            ("description", description),
            (
                "oneOf",
                Some(Value::Sequence(
                    variants.iter().map(|v| type_schema(&v.ty)).collect(),
                )),
            ),
        ]),
    }
}

/// The notes of an enum's values, by value (`x-pathbound-value-notes`), if any has some.
fn value_notes(values: &[EnumValue]) -> Option<Value> {
    let notes: Mapping = values
        .iter()
        .filter_map(|v| Some((s(&v.wire), s(v.notes.as_ref()?))))
        .collect();
    (!notes.is_empty()).then_some(Value::Mapping(notes))
}

/// The error envelope, from the wire format's table.
fn error_envelope() -> Value {
    let envelope = wire::ERROR_ENVELOPE;
    let mut properties = Mapping::new();
    for f in envelope.fields {
        let mut schema = match f.ty {
            FieldType::String => map([("type", Some(s("string")))]),
            FieldType::Boolean => map([("type", Some(s("boolean")))]),
            FieldType::DateTime => map([
                ("type", Some(s("string"))),
                ("format", Some(s("date-time"))),
            ]),
            FieldType::AnyArray => map([
                ("type", Some(s("array"))),
                ("items", Some(Value::Mapping(Mapping::new()))),
            ]),
        };
        if let Value::Mapping(m) = &mut schema {
            if f.name == wire::success::STATUS_KEY {
                m.insert(s("const"), s(envelope.status));
            }
            m.insert(s("description"), s(f.description));
        }
        properties.insert(s(f.name), schema);
    }
    let required = envelope
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| s(f.name))
        .collect();
    map([
        ("type", Some(s("object"))),
        (
            "description",
            Some(s("The error envelope every failure returns.")),
        ),
        ("properties", Some(Value::Mapping(properties))),
        ("required", Some(Value::Sequence(required))),
    ])
}

/// The success body of an operation.
fn success_schema(op: &Operation) -> Value {
    let status = map([
        ("type", Some(s("string"))),
        (
            "enum",
            Some(Value::Sequence(vec![s(wire::success::STATUS), s("ok")])),
        ),
    ]);
    let status_key = wire::success::STATUS_KEY;
    match (&op.pagination, &op.response.key, &op.response.ty) {
        (Some(p), _, Some(item)) => {
            let mut props = Mapping::new();
            props.insert(s(status_key), status);
            props.insert(
                s(&p.items),
                map([
                    ("type", Some(s("array"))),
                    ("items", Some(type_schema(item))),
                ]),
            );
            let envelope = p.style.envelope();
            let mut meta = Mapping::new();
            for (name, field) in envelope.fields {
                let mut schema = map([("type", Some(s("integer")))]);
                if let Value::Mapping(m) = &mut schema {
                    m.insert(s("description"), s(field.description()));
                }
                meta.insert(s(*name), schema);
            }
            match envelope.meta {
                Some(key) => {
                    props.insert(
                        s(key),
                        map([
                            ("type", Some(s("object"))),
                            ("properties", Some(Value::Mapping(meta))),
                        ]),
                    );
                }
                None => props.extend(meta),
            }
            map([
                ("type", Some(s("object"))),
                ("properties", Some(Value::Mapping(props))),
                ("required", Some(Value::Sequence(vec![s(&p.items)]))),
            ])
        }
        (None, Some(key), Some(ty)) => {
            let mut props = Mapping::new();
            props.insert(s(status_key), status);
            props.insert(s(key), type_schema(ty));
            map([
                ("type", Some(s("object"))),
                ("properties", Some(Value::Mapping(props))),
                ("required", Some(Value::Sequence(vec![s(key)]))),
            ])
        }
        (None, None, Some(ty)) => type_schema(ty),
        (_, _, None) => map([("description", Some(s("Not read by the client.")))]),
    }
}

fn parameter(f: &Field, location: &str) -> Value {
    // A list: `style: comma` is OpenAPI's form style without explode
    // (`include=a,b`); `style: repeat` is form with explode (`tag=a&tag=b`).
    let explode = f.style.map(|style| Value::Bool(style == ListStyle::Repeat));
    map([
        ("name", Some(s(&f.wire))),
        ("in", Some(s(location))),
        ("style", explode.as_ref().map(|_| s("form"))),
        ("explode", explode),
        (
            "required",
            Some(Value::Bool(
                location == "path" || (f.required && !f.nullable),
            )),
        ),
        ("description", f.description.clone().map(s)),
        ("x-pathbound-notes", f.notes.clone().map(s)),
        (
            "schema",
            Some(field_schema(&Field {
                description: None,
                notes: None,
                ..f.clone()
            })),
        ),
    ])
}

/// The OpenAPI operation for one or more spec operations sharing a method and path.
fn operation(ops: &[&Operation]) -> Value {
    let first = ops[0];
    let mut params: Vec<Value> = first
        .path_params
        .iter()
        .map(|f| parameter(f, "path"))
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for op in ops {
        for f in &op.query {
            if !seen.contains(&f.wire) {
                seen.push(f.wire.clone());
                params.push(parameter(f, "query"));
            }
        }
        for (k, v) in &op.fixed_query {
            if !seen.contains(k) {
                seen.push(k.clone());
                params.push(map([
                    ("name", Some(s(k))),
                    ("in", Some(s("query"))),
                    ("required", Some(Value::Bool(false))),
                    (
                        "description",
                        Some(s(format!("`{k}={v}` selects `{}`.", op.id))),
                    ),
                    (
                        "schema",
                        Some(map([
                            ("type", Some(s("string"))),
                            ("enum", Some(Value::Sequence(vec![s(v)]))),
                        ])),
                    ),
                ]));
            }
        }
    }
    let mut responses = Mapping::new();
    let bodies: Vec<Value> = ops.iter().map(|op| success_schema(op)).collect();
    let success = if bodies.len() == 1 {
        bodies.into_iter().next().unwrap_or_default()
    } else {
        map([("oneOf", Some(Value::Sequence(bodies)))])
    };
    let content = map([("application/json", Some(map([("schema", Some(success))])))]);
    responses.insert(
        s(first.response.status.to_string()),
        map([
            ("description", Some(s("Success."))),
            ("content", Some(content)),
        ]),
    );
    for op in ops {
        for (code, text) in &op.errors {
            let key = s(code.to_string());
            if !responses.contains_key(&key) {
                let content = map([(
                    "application/json",
                    Some(map([("schema", Some(schema_ref("ErrorEnvelope")))])),
                )]);
                let notes = op
                    .error_notes
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, n)| s(n));
                responses.insert(
                    key,
                    map([
                        ("description", Some(s(text.trim()))),
                        ("content", Some(content)),
                        ("x-pathbound-notes", notes),
                    ]),
                );
            }
        }
    }
    // A scope that depends on a parameter: any one of its scopes satisfies
    // `security` (alternatives), and `x-pathbound-scope` says which value needs which.
    let scopes = first.possible_scopes();
    let security = match (scopes.is_empty(), first.auth) {
        (_, false) => Value::Sequence(vec![]),
        (false, true) => Value::Sequence(
            scopes
                .iter()
                .map(|sc| map([("bearerAuth", Some(Value::Sequence(vec![s(*sc)])))]))
                .collect(),
        ),
        (true, true) => Value::Sequence(vec![map([("bearerAuth", Some(Value::Sequence(vec![])))])]),
    };
    let scope = match (&first.scope, &first.scope_by) {
        (Some(sc), _) => s(sc),
        (None, Some(by)) => {
            let mut values = Mapping::new();
            for (value, sc) in &by.values {
                values.insert(s(value), s(sc));
            }
            map([
                ("by", Some(s(&by.param))),
                ("values", Some(Value::Mapping(values))),
            ])
        }
        (None, None) => Value::Null,
    };
    let mut description = String::new();
    let mut notes = String::new();
    for op in ops {
        if ops.len() > 1 {
            description.push_str(&format!("**`{}`**: {}\n\n", op.id, op.summary.trim()));
        }
        if let Some(d) = &op.description {
            description.push_str(d.trim());
            description.push_str("\n\n");
        }
        if let Some(n) = &op.notes {
            if ops.len() > 1 {
                notes.push_str(&format!("`{}`: ", op.id));
            }
            notes.push_str(n.trim());
            notes.push_str("\n\n");
        }
    }
    let summary = ops
        .iter()
        .map(|o| o.summary.trim().to_string())
        .collect::<Vec<_>>()
        .join(" / ");
    let body = first.body.as_ref().map(|b| {
        let content = map([(
            "application/json",
            Some(map([("schema", Some(schema_ref(&b.schema)))])),
        )]);
        map([
            ("required", Some(Value::Bool(true))),
            ("content", Some(content)),
        ])
    });
    map([
        ("operationId", Some(s(first.id.replace('.', "_")))),
        (
            "tags",
            Some(Value::Sequence(vec![s(first
                .id
                .split('.')
                .next()
                .unwrap_or_default())])),
        ),
        ("summary", Some(s(summary))),
        (
            "description",
            (!description.trim().is_empty()).then(|| s(description.trim())),
        ),
        (
            "x-pathbound-notes",
            (!notes.trim().is_empty()).then(|| s(notes.trim())),
        ),
        (
            "parameters",
            (!params.is_empty()).then_some(Value::Sequence(params)),
        ),
        ("requestBody", body),
        ("responses", Some(Value::Mapping(responses))),
        ("security", Some(security)),
        ("x-pathbound-scope", Some(scope)),
        (
            "x-pathbound-operations",
            Some(Value::Sequence(ops.iter().map(|o| s(&o.id)).collect())),
        ),
        (
            "x-pathbound-retry-safe",
            Some(Value::Bool(first.retry_safe)),
        ),
        (
            "x-pathbound-pagination",
            first.pagination.as_ref().map(|p| s(p.style.as_str())),
        ),
    ])
}

/// The notes of resources, by resource name, if any has some.
fn resource_notes(model: &Model) -> Option<Value> {
    let notes: Mapping = model
        .resources
        .iter()
        .filter_map(|r| Some((s(&r.name), s(r.notes.as_ref()?))))
        .collect();
    (!notes.is_empty()).then_some(Value::Mapping(notes))
}

/// The key of an operation in an OpenAPI path item: the method in lower case.
fn method_key(m: Method) -> String {
    m.as_str().to_ascii_lowercase()
}

/// The whole document, as YAML text.
pub fn document(model: &Model) -> Result<String, String> {
    let api = &model.api;
    let mut schemas = Mapping::new();
    for sc in model.schemas_in_module_order() {
        schemas.insert(s(&sc.name), component(sc));
    }
    schemas.insert(s("ErrorEnvelope"), error_envelope());

    // Group operations by path and method, keeping spec order.
    let mut paths = Mapping::new();
    let ops: Vec<&Operation> = model.operations().collect();
    let mut done: Vec<usize> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if done.contains(&i) {
            continue;
        }
        let group: Vec<usize> = (i..ops.len())
            .filter(|&j| ops[j].path == op.path && ops[j].method == op.method)
            .collect();
        done.extend(&group);
        // The endpoint without fixed query parameters leads the group.
        let mut members: Vec<&Operation> = group.iter().map(|&j| ops[j]).collect();
        members.sort_by_key(|o| !o.fixed_query.is_empty());
        let key = s(&op.path);
        let entry = paths
            .entry(key)
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Value::Mapping(item) = entry {
            item.insert(s(method_key(op.method)), operation(&members));
        }
    }

    let mut scopes_doc = String::from(
        "Bearer API key (`sk_…`). Scopes, each listed in an operation's `security` and `x-pathbound-scope`:\n",
    );
    for sc in &model.scopes {
        scopes_doc.push_str(&format!(
            "\n- `{}`{}: {}",
            sc.name,
            if sc.opt_in { " (opt-in)" } else { "" },
            sc.description.trim()
        ));
    }
    let doc = map([
        ("openapi", Some(s("3.1.0"))),
        (
            "info",
            Some(map([
                ("title", Some(s(&api.title))),
                ("version", Some(s(&api.version))),
                ("description", api.description.as_ref().map(|d| s(d.trim()))),
                ("x-pathbound-notes", api.notes.clone().map(s)),
            ])),
        ),
        (
            "servers",
            Some(Value::Sequence(vec![map([(
                "url",
                Some(s(&api.base_url)),
            )])])),
        ),
        (
            "security",
            Some(Value::Sequence(vec![map([(
                "bearerAuth",
                Some(Value::Sequence(vec![])),
            )])])),
        ),
        ("paths", Some(Value::Mapping(paths))),
        (
            "components",
            Some(map([
                (
                    "securitySchemes",
                    Some(map([(
                        "bearerAuth",
                        Some(map([
                            ("type", Some(s("http"))),
                            ("scheme", Some(s("bearer"))),
                            ("description", Some(s(scopes_doc))),
                        ])),
                    )])),
                ),
                ("schemas", Some(Value::Mapping(schemas))),
            ])),
        ),
        (
            "x-pathbound-scopes",
            Some(Value::Sequence(
                model
                    .scopes
                    .iter()
                    .map(|sc| {
                        map([
                            ("name", Some(s(&sc.name))),
                            ("description", Some(s(sc.description.trim()))),
                            ("opt_in", Some(Value::Bool(sc.opt_in))),
                            ("x-pathbound-notes", sc.notes.clone().map(s)),
                        ])
                    })
                    .collect(),
            )),
        ),
        ("x-pathbound-resource-notes", resource_notes(model)),
    ]);
    let body = serde_yaml::to_string(&doc)
        .map_err(|e| format!("cannot serialise the OpenAPI document: {e}"))?;
    Ok(format!(
        "# @generated by `cargo xtask codegen` from {}/. Do not edit by hand.\n{body}",
        model.spec_dir()
    ))
}
