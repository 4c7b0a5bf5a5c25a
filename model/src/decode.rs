//! YAML values to the spec [`ast`](crate::ast), reporting every shape problem.
//!
//! The decoder is hand-written rather than derived so that it can keep going after
//! the first problem, name the spec path of each one, and suggest the key that was
//! probably meant (`sumary` → `summary`).

use serde_yaml::Value;

use crate::ast::*;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::locate::{Origin, Sources};
use crate::types::TypeExpr;

/// Decodes values, collecting diagnostics.
pub struct Decoder<'a> {
    sources: &'a Sources,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
}

/// The entries of a mapping whose keys were checked against the allowed list.
struct Entries<'v> {
    entries: Vec<(String, &'v Value)>,
    origin: Origin,
}

impl<'v> Entries<'v> {
    fn get(&self, key: &str) -> Option<&'v Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }
    fn at(&self, key: &str) -> Origin {
        self.origin.child(key)
    }
}

const FIELD_KEYS: &[&str] = &[
    "type",
    "style",
    "lenient",
    "example",
    "description",
    "notes",
    "required",
    "nullable",
    "rust_name",
    "aliases",
    "default",
    "min",
    "max",
    "min_items",
    "max_items",
    "deprecated",
    "secret",
];

impl<'a> Decoder<'a> {
    /// A decoder reporting through `sources`.
    pub fn new(sources: &'a Sources) -> Self {
        Decoder {
            sources,
            diagnostics: Vec::new(),
        }
    }

    fn error(&mut self, origin: &Origin, message: impl Into<String>) {
        let d = self.sources.diagnostic(origin, message);
        self.diagnostics.push(d);
    }

    fn error_help(&mut self, origin: &Origin, message: impl Into<String>, help: impl Into<String>) {
        let d = self.sources.diagnostic(origin, message).with_help(help);
        self.diagnostics.push(d);
    }

    /// Reads a mapping and reports keys outside `allowed`.
    fn entries<'v>(
        &mut self,
        value: &'v Value,
        origin: &Origin,
        allowed: &[&str],
    ) -> Option<Entries<'v>> {
        let Value::Mapping(map) = value else {
            self.error(origin, format!("expected a mapping, found {}", kind(value)));
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            let Some(key) = scalar_text(k) else {
                self.error(
                    origin,
                    format!("keys must be plain text, found {}", kind(k)),
                );
                continue;
            };
            if !allowed.is_empty() && !allowed.contains(&key.as_str()) {
                let at = origin.child(&key);
                let help = match did_you_mean(&key, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("allowed keys here: {}", allowed.join(", ")),
                };
                self.error_help(&at, format!("unknown key `{key}`"), help);
                continue;
            }
            entries.push((key, v));
        }
        Some(Entries {
            entries,
            origin: origin.clone(),
        })
    }

    /// A mapping whose keys are names chosen by the spec author (schemas, fields, ...).
    fn named_entries<'v>(&mut self, value: &'v Value, origin: &Origin) -> Vec<(String, &'v Value)> {
        self.entries(value, origin, &[])
            .map(|e| e.entries)
            .unwrap_or_default()
    }

    fn string(&mut self, e: &Entries<'_>, key: &str) -> Option<String> {
        let v = e.get(key)?;
        match scalar_text(v) {
            Some(s) if !matches!(v, Value::Bool(_)) => Some(s),
            _ => {
                self.error(
                    &e.at(key),
                    format!("`{key}` must be text, found {}", kind(v)),
                );
                None
            }
        }
    }

    /// `scope: { by: param, values: { value: scope, ... } }`.
    fn scope_by(&mut self, value: &Value, origin: &Origin) -> Option<ScopeByDef> {
        let x = self.entries(value, origin, &["by", "values"])?;
        let param = self.required_string(&x, "by");
        let mut values = Vec::new();
        match x.get("values") {
            None => {
                self.error(origin, "missing required key `values`");
            }
            Some(v) => {
                for (wire, scope) in self.named_entries(v, &x.at("values")) {
                    let at = x.at("values").child(&wire);
                    match scalar_text(scope) {
                        Some(scope) if !scope.trim().is_empty() => values.push((wire, scope, at)),
                        _ => self.error(&at, "a scope must be text, e.g. `contacts:read`"),
                    }
                }
            }
        }
        Some(ScopeByDef {
            param,
            values,
            origin: origin.clone(),
        })
    }

    /// `notes:`: one piece of text (a YAML block scalar for several lines).
    fn notes(&mut self, e: &Entries<'_>) -> Option<String> {
        match e.get("notes")? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::String(_) => {
                self.error(
                    &e.at("notes"),
                    "`notes` is empty; remove the key or write the note",
                );
                None
            }
            v => {
                self.error_help(
                    &e.at("notes"),
                    format!("`notes` must be text, found {}", kind(v)),
                    "write one string; use a block (`notes: |`) for several lines",
                );
                None
            }
        }
    }

    fn required_string(&mut self, e: &Entries<'_>, key: &str) -> String {
        if e.get(key).is_none() {
            self.error(&e.origin, format!("missing required key `{key}`"));
            return String::new();
        }
        self.string(e, key).unwrap_or_default()
    }

    fn bool(&mut self, e: &Entries<'_>, key: &str, default: bool) -> bool {
        match e.get(key) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.error(
                    &e.at(key),
                    format!("`{key}` must be true or false, found {}", kind(v)),
                );
                default
            }
        }
    }

    fn number(&mut self, e: &Entries<'_>, key: &str) -> Option<f64> {
        match e.get(key)? {
            Value::Number(n) => n.as_f64(),
            v => {
                self.error(
                    &e.at(key),
                    format!("`{key}` must be a number, found {}", kind(v)),
                );
                None
            }
        }
    }

    fn unsigned(&mut self, e: &Entries<'_>, key: &str) -> Option<u64> {
        match e.get(key)? {
            Value::Number(n) if n.as_u64().is_some() => n.as_u64(),
            v => {
                self.error(
                    &e.at(key),
                    format!("`{key}` must be a whole number ≥ 0, found {}", kind(v)),
                );
                None
            }
        }
    }

    fn type_expr(&mut self, e: &Entries<'_>, key: &str) -> Option<TypeExpr> {
        let text = self.string(e, key)?;
        match TypeExpr::parse(&text) {
            Ok(t) => Some(t),
            Err(msg) => {
                self.error(&e.at(key), msg);
                None
            }
        }
    }

    fn text_list(&mut self, e: &Entries<'_>, key: &str) -> Vec<String> {
        let Some(v) = e.get(key) else {
            return Vec::new();
        };
        let Value::Sequence(items) = v else {
            self.error(
                &e.at(key),
                format!("`{key}` must be a list, found {}", kind(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match scalar_text(item) {
                Some(s) => out.push(s),
                None => self.error(
                    &e.at(key).child(&format!("[{i}]")),
                    format!("expected text, found {}", kind(item)),
                ),
            }
        }
        out
    }

    /// Decodes the main file (`api.yaml`, or a single-file spec).
    pub fn main_file(&mut self, value: &Value, file: usize, spec: &mut Spec) {
        let root = Origin::root(file, &[]);
        let Some(e) = self.entries(value, &root, &["api", "scopes", "schemas", "resources"]) else {
            return;
        };
        match e.get("api") {
            Some(api) => spec.api = self.api(api, &e.at("api")),
            None => self.error(&root, "missing required key `api`"),
        }
        if let Some(scopes) = e.get("scopes") {
            for (name, v) in self.named_entries(scopes, &e.at("scopes")) {
                let origin = e.at("scopes").child(&name);
                if let Some(s) =
                    self.entries(v, &origin, &["description", "notes", "opt_in", "rust_name"])
                {
                    let description = self.required_string(&s, "description");
                    let notes = self.notes(&s);
                    let opt_in = self.bool(&s, "opt_in", false);
                    let rust_name = self.string(&s, "rust_name");
                    spec.scopes.push(ScopeDef {
                        name,
                        description,
                        notes,
                        opt_in,
                        rust_name,
                        origin,
                    });
                }
            }
        }
        if let Some(schemas) = e.get("schemas") {
            self.schemas(schemas, &e.at("schemas"), "common", spec);
        }
        if let Some(resources) = e.get("resources") {
            for (name, v) in self.named_entries(resources, &e.at("resources")) {
                let origin = e.at("resources").child(&name);
                self.resource(v, origin, file, &name, spec);
            }
        }
    }

    /// Decodes a resource file named `name`.
    pub fn resource_file(&mut self, value: &Value, file: usize, name: &str, spec: &mut Spec) {
        self.resource(value, Origin::root(file, &[]), file, name, spec);
    }

    fn api(&mut self, value: &Value, origin: &Origin) -> ApiMeta {
        let mut meta = ApiMeta::default();
        let Some(e) = self.entries(
            value,
            origin,
            &[
                "title",
                "version",
                "description",
                "notes",
                "base_url",
                "auth",
            ],
        ) else {
            return meta;
        };
        meta.title = self.required_string(&e, "title");
        meta.version = self.required_string(&e, "version");
        meta.description = self.string(&e, "description");
        meta.notes = self.notes(&e);
        meta.base_url = self.required_string(&e, "base_url");
        match e.get("auth") {
            Some(auth) => {
                if let Some(a) = self.entries(
                    auth,
                    &e.at("auth"),
                    &["scheme", "api_key_env", "base_url_env"],
                ) {
                    let scheme = self.required_string(&a, "scheme");
                    if !scheme.is_empty() && scheme != "bearer" {
                        self.error(
                            &a.at("scheme"),
                            format!(
                                "unsupported auth scheme `{scheme}`; only `bearer` is supported"
                            ),
                        );
                    }
                    meta.api_key_env = self.required_string(&a, "api_key_env");
                    meta.base_url_env = self.required_string(&a, "base_url_env");
                }
            }
            None => self.error(origin, "missing required key `auth`"),
        }
        meta
    }

    fn resource(
        &mut self,
        value: &Value,
        origin: Origin,
        file: usize,
        name: &str,
        spec: &mut Spec,
    ) {
        let Some(e) = self.entries(
            value,
            &origin,
            &["description", "notes", "schemas", "endpoints"],
        ) else {
            return;
        };
        let description = self.string(&e, "description");
        let notes = self.notes(&e);
        if let Some(schemas) = e.get("schemas") {
            self.schemas(
                schemas,
                &origin.child_shown_as("schemas", &["schemas"]),
                name,
                spec,
            );
        }
        let mut endpoints = Vec::new();
        if let Some(eps) = e.get("endpoints") {
            let eps_origin = origin.child_shown_as("endpoints", &["endpoints", name]);
            for (op, v) in self.named_entries(eps, &eps_origin) {
                if let Some(ep) = self.endpoint(v, eps_origin.child(&op), op) {
                    endpoints.push(ep);
                }
            }
        }
        spec.resources.push(ResourceDef {
            name: name.to_string(),
            description,
            notes,
            endpoints,
            file,
            origin,
        });
    }

    fn schemas(&mut self, value: &Value, origin: &Origin, module: &str, spec: &mut Spec) {
        // Schema names are global, so show them as `schemas.Name` whatever the file.
        for (name, v) in self.named_entries(value, origin) {
            let at = origin.child(&name);
            let Some(e) = self.entries(
                v,
                &at,
                &[
                    "description",
                    "notes",
                    "fields",
                    "additional",
                    "known_extra",
                    "enum",
                    "one_of",
                ],
            ) else {
                spec.broken_schemas.push(name);
                continue;
            };
            let description = self.required_string(&e, "description");
            let notes = self.notes(&e);
            let known_extra = self.text_list(&e, "known_extra");
            let present: Vec<&str> = ["fields", "enum", "one_of"]
                .into_iter()
                .filter(|k| e.get(k).is_some())
                .collect();
            let kind = match present.as_slice() {
                ["fields"] => {
                    let keep_extra = match self.string(&e, "additional").as_deref() {
                        None | Some("ignore") => false,
                        Some("keep") => true,
                        Some(other) => {
                            self.error(
                                &e.at("additional"),
                                format!("`additional` must be `keep` or `ignore`, found `{other}`"),
                            );
                            false
                        }
                    };
                    let fields = self.fields(e.get("fields"), &e.at("fields"));
                    SchemaKind::Object { fields, keep_extra }
                }
                ["enum"] => SchemaKind::Enum {
                    values: self.enum_values(&e),
                },
                ["one_of"] => {
                    let mut variants = Vec::new();
                    let vo = e.at("one_of");
                    if let Some(v) = e.get("one_of") {
                        for (vname, tv) in self.named_entries(v, &vo) {
                            let origin = vo.child(&vname);
                            let parsed = scalar_text(tv)
                                .ok_or_else(|| {
                                    format!("expected a type expression, found {}", kind(tv))
                                })
                                .and_then(|t| TypeExpr::parse(&t));
                            match parsed {
                                Ok(ty) => variants.push(UnionVariant {
                                    name: vname,
                                    ty,
                                    origin,
                                }),
                                Err(msg) => self.error(&origin, msg),
                            }
                        }
                    }
                    SchemaKind::Union { variants }
                }
                [] => {
                    self.error_help(
                        &at,
                        format!("schema `{name}` has no shape"),
                        "give it exactly one of `fields`, `enum` or `one_of`",
                    );
                    spec.broken_schemas.push(name);
                    continue;
                }
                _ => {
                    self.error(
                        &at,
                        format!(
                            "schema `{name}` has more than one shape ({}); give it exactly one",
                            present.join(", ")
                        ),
                    );
                    spec.broken_schemas.push(name);
                    continue;
                }
            };
            spec.schemas.push(SchemaDef {
                name,
                module: module.to_string(),
                description,
                notes,
                kind,
                known_extra,
                origin: at,
            });
        }
    }

    fn enum_values(&mut self, e: &Entries<'_>) -> Vec<EnumValue> {
        let origin = e.at("enum");
        let Some(v) = e.get("enum") else {
            return Vec::new();
        };
        let Value::Sequence(items) = v else {
            self.error(&origin, format!("`enum` must be a list, found {}", kind(v)));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = origin.child(&format!("[{i}]"));
            if let Some(value) = scalar_text(item) {
                out.push(EnumValue {
                    wire: value,
                    description: None,
                    notes: None,
                    rust_name: None,
                    origin: at,
                });
            } else if let Some(x) =
                self.entries(item, &at, &["value", "description", "notes", "rust_name"])
            {
                let value = self.required_string(&x, "value");
                let description = self.string(&x, "description");
                let notes = self.notes(&x);
                let rust_name = self.string(&x, "rust_name");
                out.push(EnumValue {
                    wire: value,
                    description,
                    notes,
                    rust_name,
                    origin: at,
                });
            }
        }
        out
    }

    fn fields(&mut self, value: Option<&Value>, origin: &Origin) -> Vec<FieldDef> {
        let Some(value) = value else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (wire, v) in self.named_entries(value, origin) {
            if let Some(f) = self.field(v, origin.child(&wire), wire) {
                out.push(f);
            }
        }
        out
    }

    fn field(&mut self, value: &Value, origin: Origin, wire: String) -> Option<FieldDef> {
        let e = self.entries(value, &origin, FIELD_KEYS)?;
        if e.get("type").is_none() {
            self.error(&origin, "missing required key `type`");
        }
        let ty = self.type_expr(&e, "type");
        let default = e.get("default").and_then(scalar_text);
        if let Some(v) = e.get("default").filter(|v| scalar_text(v).is_none()) {
            self.error(
                &e.at("default"),
                format!("`default` must be a plain value, found {}", kind(v)),
            );
        }
        let example_value = e.get("example");
        let example_is_json = matches!(example_value, Some(Value::Mapping(_) | Value::Sequence(_)));
        let example = match example_value {
            Some(v @ (Value::Mapping(_) | Value::Sequence(_))) => match json_text(v) {
                Ok(text) => Some(text),
                Err(why) => {
                    self.error(&e.at("example"), format!("`example` {why}"));
                    None
                }
            },
            Some(v) => scalar_text(v),
            None => None,
        };
        let f = FieldDef {
            example,
            example_is_json,
            wire,
            rust_name: self.string(&e, "rust_name"),
            ty: ty.clone().unwrap_or(TypeExpr::Any),
            description: self.string(&e, "description"),
            notes: self.notes(&e),
            required: self.bool(&e, "required", false),
            nullable: self.bool(&e, "nullable", false),
            aliases: self.text_list(&e, "aliases"),
            default,
            min: self.number(&e, "min"),
            max: self.number(&e, "max"),
            min_items: self.unsigned(&e, "min_items"),
            max_items: self.unsigned(&e, "max_items"),
            deprecated: self.string(&e, "deprecated"),
            secret: self.bool(&e, "secret", false),
            lenient: self.bool(&e, "lenient", false),
            style: match self.string(&e, "style").as_deref() {
                None => None,
                Some("comma") => Some(ListStyle::Comma),
                Some("repeat") => Some(ListStyle::Repeat),
                Some(other) => {
                    self.error(
                        &e.at("style"),
                        format!("unknown list style `{other}`; expected comma or repeat"),
                    );
                    None
                }
            },
            origin,
        };
        ty.map(|_| f)
    }

    fn endpoint(&mut self, value: &Value, origin: Origin, name: String) -> Option<EndpointDef> {
        let e = self.entries(
            value,
            &origin,
            &[
                "method",
                "path",
                "scope",
                "auth",
                "summary",
                "description",
                "notes",
                "path_params",
                "query",
                "fixed_query",
                "body",
                "response",
                "pagination",
                "errors",
                "retry",
                "effect",
            ],
        )?;
        let method_text = self.required_string(&e, "method");
        let method_upper = method_text.to_ascii_uppercase();
        let method = match HttpMethod::parse(&method_upper) {
            Some(m) => m,
            None if method_upper.is_empty() => HttpMethod::Get,
            None => {
                let expected: Vec<&str> = HttpMethod::ALL.iter().map(|m| m.as_str()).collect();
                self.error(
                    &e.at("method"),
                    format!(
                        "unknown method `{method_upper}`; expected {}",
                        or_list(&expected)
                    ),
                );
                HttpMethod::Get
            }
        };
        let path = self.required_string(&e, "path");
        let (scope, scope_by) = match e.get("scope") {
            Some(v @ Value::Mapping(_)) => (None, self.scope_by(v, &e.at("scope"))),
            _ => {
                let scope_text = self.required_string(&e, "scope");
                let scope = (scope_text != "none" && !scope_text.is_empty()).then_some(scope_text);
                (scope, None)
            }
        };
        let auth = self.bool(&e, "auth", true);
        let summary = self.required_string(&e, "summary");
        let description = self.string(&e, "description");
        let notes = self.notes(&e);
        let path_params = self.fields(e.get("path_params"), &e.at("path_params"));
        let query = self.fields(e.get("query"), &e.at("query"));
        let mut fixed_query = Vec::new();
        if let Some(fq) = e.get("fixed_query") {
            for (k, v) in self.named_entries(fq, &e.at("fixed_query")) {
                match scalar_text(v) {
                    Some(s) => fixed_query.push((k, s)),
                    None => self.error(
                        &e.at("fixed_query").child(&k),
                        "fixed query values must be plain values",
                    ),
                }
            }
        }
        let body = e.get("body").and_then(|b| {
            let at = e.at("body");
            let x = self.entries(b, &at, &["type", "fields"])?;
            match (x.get("type"), x.get("fields")) {
                (Some(_), None) => self.type_expr(&x, "type").map(|t| BodyDef::Named(t, x.at("type"))),
                (None, Some(f)) => Some(BodyDef::Inline(self.fields(Some(f), &x.at("fields")), at)),
                _ => {
                    self.error(&at, "a body has exactly one of `type` (a schema name) or `fields` (inline fields)");
                    None
                }
            }
        });
        let response = match e.get("response") {
            Some(r) => {
                let at = e.at("response");
                let x = self.entries(r, &at, &["status", "key", "type"]);
                let (status, key, ty) = match x {
                    Some(x) => {
                        let status = self.unsigned(&x, "status").unwrap_or(200);
                        if !(200..300).contains(&status) {
                            self.error(
                                &x.at("status"),
                                format!("a success status must be 2xx, found {status}"),
                            );
                        }
                        (
                            status as u16,
                            self.string(&x, "key"),
                            self.type_expr(&x, "type"),
                        )
                    }
                    None => (200, None, None),
                };
                ResponseDef {
                    status,
                    key,
                    ty,
                    origin: at,
                }
            }
            None => ResponseDef {
                status: 200,
                key: None,
                ty: None,
                origin: origin.clone(),
            },
        };
        let pagination = e.get("pagination").and_then(|p| {
            let at = e.at("pagination");
            let x = self.entries(p, &at, &["style", "items"])?;
            let style_text = self.required_string(&x, "style");
            let style = match PaginationStyle::parse(&style_text) {
                Some(style) => style,
                None if style_text.is_empty() => return None,
                None => {
                    let expected: Vec<&str> =
                        PaginationStyle::ALL.iter().map(|s| s.as_str()).collect();
                    self.error(
                        &x.at("style"),
                        format!(
                            "unknown pagination style `{style_text}`; expected {}",
                            or_list(&expected)
                        ),
                    );
                    return None;
                }
            };
            let items = self.required_string(&x, "items");
            Some(PaginationDef {
                style,
                items,
                origin: at,
            })
        });
        let mut errors = Vec::new();
        let mut error_notes = Vec::new();
        if let Some(errs) = e.get("errors") {
            for (code, v) in self.named_entries(errs, &e.at("errors")) {
                let at = e.at("errors").child(&code);
                let status = code.parse::<u16>().ok().filter(|c| (400..600).contains(c));
                let Some(status) = status else {
                    self.error(
                        &at,
                        format!("`{code}` is not an HTTP error status (400-599)"),
                    );
                    continue;
                };
                // `404: text`, or `404: { description: text, notes: text }`.
                if let Value::Mapping(_) = v {
                    if let Some(x) = self.entries(v, &at, &["description", "notes"]) {
                        let text = self.required_string(&x, "description");
                        if let Some(notes) = self.notes(&x) {
                            error_notes.push((status, notes));
                        }
                        errors.push((status, text));
                    }
                    continue;
                }
                match scalar_text(v) {
                    Some(text) => errors.push((status, text)),
                    None => self.error_help(
                        &at,
                        "an error's meaning must be text",
                        "write `404: text`, or `404: { description: text, notes: text }`",
                    ),
                }
            }
        }
        let retry_safe = match self.string(&e, "retry").as_deref() {
            None => None,
            Some("safe") => Some(true),
            Some("unsafe") => Some(false),
            Some(other) => {
                self.error(
                    &e.at("retry"),
                    format!("`retry` must be `safe` or `unsafe`, found `{other}`"),
                );
                None
            }
        };
        let reads_only = match self.string(&e, "effect").as_deref() {
            None => None,
            Some("read") => Some(true),
            Some("write") => Some(false),
            Some(other) => {
                self.error(
                    &e.at("effect"),
                    format!("`effect` must be `read` or `write`, found `{other}`"),
                );
                None
            }
        };
        Some(EndpointDef {
            name,
            method,
            path,
            scope,
            scope_by,
            auth,
            summary,
            description,
            notes,
            path_params,
            query,
            fixed_query,
            body,
            response,
            pagination,
            errors,
            error_notes,
            retry_safe,
            reads_only,
            origin,
        })
    }
}

/// Text of a scalar (strings, numbers and booleans); `None` for anything else.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A YAML value as the text of a `serde_json::json!` argument (`example:`
/// objects are written into code): strings as Rust literals, integers with an
/// `i64` suffix, finite numbers only.
fn json_text(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => format!("{i}i64"),
            (None, Some(f)) if f.is_finite() => format!("{f:?}"),
            _ => return Err(format!("holds a number JSON cannot write: {n}")),
        },
        Value::String(s) => format!("{s:?}"),
        Value::Sequence(items) => {
            let items = items.iter().map(json_text).collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(map) => {
            let mut entries = Vec::new();
            for (k, v) in map {
                let key = scalar_text(k).ok_or("has a key that is not text")?;
                entries.push(format!("{key:?}: {}", json_text(v)?));
            }
            format!("{{{}}}", entries.join(", "))
        }
        Value::Tagged(t) => json_text(&t.value)?,
    })
}

/// What kind of YAML value, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
