//! Cross-checks the decoded spec: references, names, paths and pagination.
//!
//! Decoding has already checked the shape of each node; this pass checks how the
//! nodes fit together. It reports every problem it finds.
//!
//! Only rules of the spec itself live here. Whether a name works in a target
//! language (Rust keywords, two wire names that become one identifier, a
//! resource named like a method of the generated `Client`) is checked by that
//! language's backend, on the built model.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::*;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::Loaded;
use crate::locate::Origin;
use crate::names;
use crate::path::path_placeholders;
use crate::types::TypeExpr;

struct Checker<'a> {
    loaded: &'a Loaded,
    diagnostics: Vec<Diagnostic>,
    schema_names: BTreeSet<&'a str>,
    scope_names: BTreeSet<&'a str>,
}

/// Checks `loaded`; `Ok(())` when the spec can be generated.
///
/// (A scope that depends on a parameter is checked with the rest of its endpoint.)
pub fn validate(loaded: &Loaded) -> Result<(), Diagnostics> {
    let spec = &loaded.spec;
    let mut c = Checker {
        loaded,
        diagnostics: Vec::new(),
        schema_names: spec
            .schemas
            .iter()
            .map(|s| s.name.as_str())
            .chain(spec.broken_schemas.iter().map(String::as_str))
            .collect(),
        scope_names: spec.scopes.iter().map(|s| s.name.as_str()).collect(),
    };
    c.api();
    c.scopes();
    c.schemas();
    c.resources();
    c.routes();
    if c.diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(c.diagnostics))
    }
}

impl<'a> Checker<'a> {
    fn error(&mut self, origin: &Origin, message: impl Into<String>) -> &mut Diagnostic {
        let d = self.loaded.sources.diagnostic(origin, message);
        self.diagnostics.push(d);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn api(&mut self) {
        let url = &self.loaded.spec.api.base_url;
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            let o = Origin::root(0, &[]).child("api").child("base_url");
            self.error(
                &o,
                format!("base_url `{url}` must start with https:// or http://"),
            );
        }
    }

    fn scopes(&mut self) {
        let mut seen = BTreeSet::new();
        for s in &self.loaded.spec.scopes {
            if !seen.insert(s.name.as_str()) {
                self.error(&s.origin, format!("scope `{}` is declared twice", s.name));
            }
        }
    }

    fn schemas(&mut self) {
        let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
        for s in &self.loaded.spec.schemas {
            if let Some(prev) = seen.insert(&s.name, &s.origin) {
                let prev = self.loaded.sources.short_location(prev);
                self.error(
                    &s.origin,
                    format!(
                        "schema `{}` is declared twice (first in {prev}); schema names are global",
                        s.name
                    ),
                )
                .help = Some("rename one of them".into());
            }
            if !names::is_pascal_ident(&s.name) {
                self.error(&s.origin, format!("schema name `{}` must be PascalCase (letters and digits, starting with a capital)", s.name));
            }
            let known = s.origin.child("known_extra");
            match &s.kind {
                SchemaKind::Object { fields, .. } => {
                    self.fields(fields, false);
                    for key in &s.known_extra {
                        if fields
                            .iter()
                            .any(|f| &f.wire == key || f.aliases.contains(key))
                        {
                            self.error(
                                &known,
                                format!("`known_extra` lists `{key}`, which is a field (or alias) of `{}`", s.name),
                            );
                        }
                    }
                }
                _ if !s.known_extra.is_empty() => {
                    self.error(
                        &known,
                        "only an object schema (`fields`) can have `known_extra`",
                    );
                }
                SchemaKind::Enum { values } => {
                    if values.is_empty() {
                        self.error(&s.origin, format!("enum `{}` has no values", s.name));
                    }
                    let mut seen = BTreeSet::new();
                    for v in values {
                        if !seen.insert(v.wire.as_str()) {
                            self.error(
                                &v.origin,
                                format!("enum value `{}` is listed twice", v.wire),
                            );
                        }
                    }
                }
                SchemaKind::Union { variants } => {
                    if variants.len() < 2 {
                        self.error(
                            &s.origin,
                            format!("union `{}` needs at least two variants", s.name),
                        );
                    }
                    for v in variants {
                        self.type_ref(&v.ty, &v.origin);
                    }
                }
            }
        }
    }

    /// Checks a field list: types, wire names and ranges.
    fn fields(&mut self, fields: &[FieldDef], in_path: bool) {
        let mut wire_names: BTreeMap<&str, &str> = BTreeMap::new();
        for f in fields {
            self.type_ref(&f.ty, &f.origin.child("type"));
            for name in std::iter::once(f.wire.as_str()).chain(f.aliases.iter().map(String::as_str))
            {
                if let Some(prev) = wire_names.insert(name, &f.wire) {
                    if prev != f.wire {
                        self.error(
                            &f.origin,
                            format!(
                                "wire name `{name}` is used by both `{prev}` and `{}`",
                                f.wire
                            ),
                        );
                    }
                }
            }
            if f.secret && f.ty != TypeExpr::String {
                self.error(
                    &f.origin.child("secret"),
                    format!(
                        "`secret` applies to `string` fields, but `{}` is `{}`",
                        f.wire, f.ty
                    ),
                );
            }
            if f.lenient
                && !matches!(
                    f.ty,
                    TypeExpr::Integer | TypeExpr::Number | TypeExpr::DateTime
                )
            {
                self.error(
                    &f.origin.child("lenient"),
                    format!(
                        "`lenient` applies to integer, number and datetime fields, but `{}` is `{}`",
                        f.wire, f.ty
                    ),
                );
            }
            if let Some(example) = &f.example {
                self.example(f, example, in_path);
            }
            if f.lenient && !f.aliases.is_empty() {
                self.error(
                    &f.origin.child("lenient"),
                    format!(
                        "`lenient` cannot be combined with `aliases` (on `{}`)",
                        f.wire
                    ),
                );
            }
            if (f.min.is_some() || f.max.is_some()) && !f.ty.is_numeric() {
                self.error(
                    &f.origin,
                    format!(
                        "`min`/`max` apply to integer and number fields, but `{}` is `{}`",
                        f.wire, f.ty
                    ),
                );
            }
            if let (Some(min), Some(max)) = (f.min, f.max) {
                if min > max {
                    self.error(
                        &f.origin.child("min"),
                        format!("min ({min}) is greater than max ({max})"),
                    );
                }
            }
            if (f.min_items.is_some() || f.max_items.is_some())
                && !matches!(f.ty, TypeExpr::Array(_))
            {
                self.error(
                    &f.origin,
                    format!(
                        "`min_items`/`max_items` apply to arrays, but `{}` is `{}`",
                        f.wire, f.ty
                    ),
                );
            }
            if let (Some(min), Some(max)) = (f.min_items, f.max_items) {
                if min > max {
                    self.error(
                        &f.origin.child("min_items"),
                        format!("min_items ({min}) is greater than max_items ({max})"),
                    );
                }
            }
        }
    }

    /// `example:` fits the field's type (for a list, its items' type; for an
    /// `object` or `any`, a mapping): it is written into generated code.
    fn example(&mut self, f: &FieldDef, example: &str, in_path: bool) {
        let mut ty = &f.ty;
        while let TypeExpr::Array(inner) = ty {
            ty = inner;
        }
        let problem = if f.secret {
            Some(
                "a secret field takes no `example` (it would be published in the docs)".to_string(),
            )
        } else if f.example_is_json && !matches!(ty, TypeExpr::Object | TypeExpr::Any) {
            Some(format!(
                "`example` of `{}` must be a plain value, not a mapping or list",
                f.wire
            ))
        } else if in_path && matches!(example, "" | "." | "..") {
            Some(format!(
                "`example` of path parameter `{}` cannot be empty, `.` or `..`",
                f.wire
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(&f.origin.child("example"), problem);
            return;
        }
        let in_range =
            |n: f64| f.min.is_none_or(|min| n >= min) && f.max.is_none_or(|max| n <= max);
        let fits = match ty {
            TypeExpr::String => Ok(()),
            TypeExpr::DateTime => {
                let b = example.as_bytes();
                let shaped = b.len() >= 20
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && matches!(b[10], b'T' | b't')
                    && b[13] == b':'
                    && b[16] == b':'
                    && (example.ends_with(['Z', 'z']) || example[19..].contains(['+', '-']));
                if shaped {
                    Ok(())
                } else {
                    Err("an RFC 3339 date-time such as `2026-04-29T12:00:00.000Z`".to_string())
                }
            }
            TypeExpr::Object | TypeExpr::Any if f.example_is_json => Ok(()),
            TypeExpr::Object | TypeExpr::Any => Err("a mapping".to_string()),
            TypeExpr::Integer => match example.parse::<i64>() {
                Ok(n) if in_range(n as f64) => Ok(()),
                _ => Err("an integer within the field's `min`/`max`".to_string()),
            },
            TypeExpr::Number => match example.parse::<f64>() {
                Ok(n) if n.is_finite() && in_range(n) => Ok(()),
                _ => Err("a number within the field's `min`/`max`".to_string()),
            },
            TypeExpr::Boolean => match example {
                "true" | "false" => Ok(()),
                _ => Err("`true` or `false`".to_string()),
            },
            TypeExpr::Named(name) => {
                let values: Option<Vec<&str>> = self
                    .loaded
                    .spec
                    .schemas
                    .iter()
                    .find(|s| &s.name == name)
                    .and_then(|s| match &s.kind {
                        crate::ast::SchemaKind::Enum { values } => {
                            Some(values.iter().map(|v| v.wire.as_str()).collect())
                        }
                        _ => None,
                    });
                match values {
                    Some(values) if values.contains(&example) => Ok(()),
                    Some(values) => Err(format!("one of the values of `{name}`: {}", values.join(", "))),
                    None => Err("a string, number, boolean, date-time or enum value; this field's type takes none".to_string()),
                }
            }
            _ => Err(
                "a string, number, boolean, date-time or enum value; this field's type takes none"
                    .to_string(),
            ),
        };
        if let Err(expected) = fits {
            self.error(
                &f.origin.child("example"),
                format!(
                    "`example` of `{}` must be {expected}, found `{example}`",
                    f.wire
                ),
            );
        }
    }

    fn type_ref(&mut self, ty: &TypeExpr, origin: &Origin) {
        if let Some(name) = ty.named() {
            if !self.schema_names.contains(name) {
                let suggestion = did_you_mean(name, self.schema_names.iter().copied());
                let d = self.error(origin, format!("unknown schema `{name}`"));
                d.help = Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it under `schemas:` in api.yaml or a resource file".into(),
                });
            }
        }
    }

    /// `scope: { by, values }`: `by` names a required string or enum parameter
    /// of the endpoint, every scope is declared, and for an enum every known
    /// value has its scope (and nothing else is listed).
    fn scope_by(&mut self, ep: &EndpointDef, by: &ScopeByDef) {
        let o = &by.origin;
        if !ep.auth {
            self.error(&ep.origin.child("auth"), "an endpoint that sends no key (`auth: false`) cannot require a scope; write `scope: none`");
        }
        let body_fields: Vec<&FieldDef> = match &ep.body {
            Some(BodyDef::Inline(fields, _)) => fields.iter().collect(),
            Some(BodyDef::Named(ty, _)) => ty
                .named()
                .and_then(|n| self.loaded.spec.schemas.iter().find(|s| s.name == n))
                .map(|s| match &s.kind {
                    SchemaKind::Object { fields, .. } => fields.iter().collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let param = ep
            .path_params
            .iter()
            .chain(&ep.query)
            .chain(body_fields.iter().copied())
            .find(|f| f.wire == by.param);
        let Some(param) = param else {
            let known: Vec<&str> = ep
                .path_params
                .iter()
                .chain(&ep.query)
                .chain(body_fields.iter().copied())
                .map(|f| f.wire.as_str())
                .collect();
            let d = self.error(
                &o.child("by"),
                format!(
                    "`scope.by` names `{}`, which is not a parameter of this endpoint",
                    by.param
                ),
            );
            d.help = Some(match did_you_mean(&by.param, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a path, query or body parameter".into(),
            });
            return;
        };
        if !param.required || param.nullable {
            self.error(
                &o.child("by"),
                format!(
                    "`scope.by` names `{}`, which is optional: the scope must be known for every request; make it required",
                    param.wire
                ),
            );
        }
        let enum_values: Option<Vec<&str>> = match &param.ty {
            TypeExpr::String => None,
            TypeExpr::Named(n) => match self.loaded.spec.schemas.iter().find(|s| &s.name == n) {
                Some(SchemaDef {
                    kind: SchemaKind::Enum { values },
                    ..
                }) => Some(values.iter().map(|v| v.wire.as_str()).collect()),
                Some(_) => {
                    self.error(
                        &o.child("by"),
                        format!(
                            "`scope.by` names `{}`, a `{n}`: it must be a string or an enum",
                            param.wire
                        ),
                    );
                    return;
                }
                None => return,
            },
            other => {
                self.error(
                    &o.child("by"),
                    format!(
                        "`scope.by` names `{}`, a `{other}`: it must be a string or an enum",
                        param.wire
                    ),
                );
                return;
            }
        };
        if by.values.is_empty() {
            self.error(o, "`scope.values` lists no value");
        }
        for (value, scope, at) in &by.values {
            if !self.scope_names.contains(scope.as_str()) {
                let suggestion = did_you_mean(scope, self.scope_names.iter().copied());
                let d = self.error(at, format!("unknown scope `{scope}`"));
                d.help = Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it under `scopes:` in api.yaml".into(),
                });
            }
            if let Some(known) = &enum_values {
                if !known.contains(&value.as_str()) {
                    self.error(
                        at,
                        format!(
                            "`{value}` is not a value of `{}` ({})",
                            param.wire,
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        if let Some(known) = &enum_values {
            let missing: Vec<&str> = known
                .iter()
                .copied()
                .filter(|v| !by.values.iter().any(|(value, _, _)| value == v))
                .collect();
            if !missing.is_empty() {
                self.error(
                    &o.child("values"),
                    format!(
                        "`scope.values` gives no scope for {} of `{}`",
                        missing
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        param.wire
                    ),
                );
            }
        }
    }

    fn resources(&mut self) {
        // Inline bodies become schemas named by the model; they must not take a
        // declared schema's name (or each other's).
        let mut type_names: BTreeMap<String, String> = self
            .schema_names
            .iter()
            .map(|s| (s.to_string(), format!("schemas.{s}")))
            .collect();
        for r in &self.loaded.spec.resources {
            if !names::is_snake_ident(&r.name) {
                self.error(
                    &r.origin,
                    format!(
                        "resource name `{}` (the file stem) must be snake_case",
                        r.name
                    ),
                );
            }
            for ep in &r.endpoints {
                self.endpoint(r, ep, &mut type_names);
            }
        }
    }

    /// Two endpoints with the same method and path must be told apart by their
    /// query string (see [`told_apart`]); otherwise the second one can never be
    /// reached, and the OpenAPI export would merge both into one operation.
    fn routes(&mut self) {
        let endpoints: Vec<(&ResourceDef, &EndpointDef)> = self
            .loaded
            .spec
            .resources
            .iter()
            .flat_map(|r| r.endpoints.iter().map(move |ep| (r, ep)))
            .collect();
        for (i, &(r, ep)) in endpoints.iter().enumerate() {
            let route = route_key(&ep.path);
            let clash = endpoints[..i].iter().find(|(_, prev)| {
                prev.method == ep.method && route_key(&prev.path) == route && !told_apart(prev, ep)
            });
            let Some(&(prev_r, prev)) = clash else {
                continue;
            };
            let method = ep.method.as_str();
            let same = if prev.path == ep.path {
                format!("are both `{method} {}`", ep.path)
            } else {
                format!(
                    "are the same route (`{method} {}` and `{method} {}` differ only in parameter names)",
                    prev.path, ep.path
                )
            };
            let first = self.loaded.sources.short_location(&prev.origin);
            let prev_id = names::operation_id(&prev_r.name, &prev.name);
            let this_id = names::operation_id(&r.name, &ep.name);
            // Why the query string does not help, when one of them has fixed pairs.
            fn takes<'e>(
                taker: &EndpointDef,
                fixer: &'e EndpointDef,
            ) -> Option<&'e (String, String)> {
                fixer.fixed_query.iter().find(|(k, _)| {
                    taker.fixed_query.iter().all(|(tk, _)| tk != k)
                        && taker
                            .query
                            .iter()
                            .any(|f| &f.wire == k || f.aliases.contains(k))
                })
            }
            let why = if let Some((k, v)) = takes(prev, ep) {
                format!(
                    ": `{prev_id}` takes `{k}` as a query parameter, so it may send `{k}={v}` too"
                )
            } else if let Some((k, v)) = takes(ep, prev) {
                format!(
                    ": `{this_id}` takes `{k}` as a query parameter, so it may send `{k}={v}` too"
                )
            } else if prev.fixed_query.is_empty() && ep.fixed_query.is_empty() {
                ", and neither has a `fixed_query` to tell them apart".to_string()
            } else {
                ", and their `fixed_query` pairs are the same".to_string()
            };
            self.error(
                &ep.origin,
                format!("endpoints `{prev_id}` ({first}) and `{this_id}` {same}{why}"),
            )
            .help = Some(
                "give one of them a `fixed_query` pair that the other never sends, or remove one"
                    .into(),
            );
        }
    }

    fn endpoint(
        &mut self,
        r: &ResourceDef,
        ep: &EndpointDef,
        type_names: &mut BTreeMap<String, String>,
    ) {
        let o = &ep.origin;
        if !names::is_snake_ident(&ep.name) {
            self.error(
                o,
                format!(
                    "endpoint name `{}` must be snake_case (it names the operation `{}.{}`)",
                    ep.name, r.name, ep.name
                ),
            );
        }
        if let Some(BodyDef::Inline(..)) = &ep.body {
            let name = names::inline_body(&r.name, &ep.name);
            let here = o.child("body");
            if let Some(prev) = type_names.insert(name.clone(), here.spec_path()) {
                self.error(
                    &here,
                    format!("this body is the schema `{name}`, which {prev} already declares"),
                )
                .help = Some("rename the endpoint or the schema".into());
            }
        }
        // Path and its parameters.
        if !ep.path.starts_with('/') {
            self.error(
                &o.child("path"),
                format!(
                    "path `{}` must start with `/` (it is relative to the base URL)",
                    ep.path
                ),
            );
        }
        let placeholders = match path_placeholders(&ep.path) {
            Ok(p) => p,
            Err(msg) => {
                self.error(&o.child("path"), msg);
                Vec::new()
            }
        };
        for p in &placeholders {
            if !ep.path_params.iter().any(|f| &f.wire == p) {
                self.error(
                    &o.child("path"),
                    format!("path parameter `{{{p}}}` is not declared under `path_params`"),
                )
                .help = Some(format!("add `{p}: {{ type: string }}` under `path_params`"));
            }
        }
        for f in &ep.path_params {
            if !placeholders.contains(&f.wire) {
                self.error(
                    &f.origin,
                    format!(
                        "path parameter `{}` does not appear in the path `{}`",
                        f.wire, ep.path
                    ),
                );
            }
            if !matches!(f.ty, TypeExpr::String | TypeExpr::Integer) {
                self.error(
                    &f.origin.child("type"),
                    "path parameters must be `string` or `integer`",
                );
            }
        }
        // Effect: only a GET or a POST can be declared read-only, and a read is
        // always safe to send again.
        if ep.reads_only == Some(true) {
            if !matches!(ep.method, HttpMethod::Get | HttpMethod::Post) {
                self.error(
                    &o.child("effect"),
                    format!("a {} endpoint cannot be `effect: read`", ep.method),
                )
                .help = Some("only `GET` and `POST` endpoints may be declared read-only".into());
            } else if ep.method == HttpMethod::Post && ep.retry_safe != Some(true) {
                self.error(
                    &o.child("effect"),
                    "an endpoint that only reads is safe to send again; add `retry: safe`",
                );
            }
        }
        // Scope and auth.
        if let Some(scope) = &ep.scope {
            if !self.scope_names.contains(scope.as_str()) {
                let suggestion = did_you_mean(scope, self.scope_names.iter().copied());
                let d = self.error(&o.child("scope"), format!("unknown scope `{scope}`"));
                d.help = Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it under `scopes:` in api.yaml, or write `scope: none`".into(),
                });
            }
            if !ep.auth {
                self.error(&o.child("auth"), "an endpoint that sends no key (`auth: false`) cannot require a scope; write `scope: none`");
            }
        }
        if let Some(by) = &ep.scope_by {
            self.scope_by(ep, by);
        }
        // Parameters: every argument and builder method must be distinct.
        self.fields(&ep.path_params, true);
        self.fields(&ep.query, false);
        for f in &ep.query {
            match &f.ty {
                TypeExpr::Array(item) => {
                    if matches!(
                        **item,
                        TypeExpr::Array(_) | TypeExpr::Map(_) | TypeExpr::Object | TypeExpr::Any
                    ) {
                        self.error(
                            &f.origin.child("type"),
                            "a list query parameter holds scalars or enums",
                        );
                    }
                    if f.style.is_none() {
                        self.error(
                            &f.origin,
                            format!("the list query parameter `{}` needs a `style`", f.wire),
                        )
                        .help = Some(
                            "`style: comma` sends `name=a,b`, `style: repeat` sends `name=a&name=b`"
                                .into(),
                        );
                    }
                }
                TypeExpr::Map(_) | TypeExpr::Object | TypeExpr::Any => {
                    self.error(
                        &f.origin.child("type"),
                        "query parameters must be scalars, enums or lists of them",
                    );
                }
                _ => {}
            }
        }
        for f in ep
            .path_params
            .iter()
            .chain(ep.body.iter().flat_map(|b| match b {
                BodyDef::Inline(fields, _) => fields.as_slice(),
                BodyDef::Named(..) => &[],
            }))
            .chain(
                ep.query
                    .iter()
                    .filter(|f| !matches!(f.ty, TypeExpr::Array(_))),
            )
        {
            if f.style.is_some() {
                self.error(
                    &f.origin.child("style"),
                    "`style` applies to list query parameters only",
                );
            }
        }
        for (k, _) in &ep.fixed_query {
            if ep.query.iter().any(|f| &f.wire == k) {
                self.error(
                    &o.child("fixed_query").child(k),
                    format!("`{k}` is both a fixed and a settable query parameter"),
                );
            }
        }
        match &ep.body {
            Some(BodyDef::Inline(fields, _)) => self.fields(fields, false),
            Some(BodyDef::Named(ty, origin)) => {
                self.type_ref(ty, origin);
                let schema = ty
                    .named()
                    .and_then(|n| self.loaded.spec.schemas.iter().find(|s| s.name == n));
                match (ty, schema.map(|s| &s.kind)) {
                    (TypeExpr::Named(_), Some(SchemaKind::Object { .. }) | None) => {}
                    _ => {
                        self.error(
                            origin,
                            format!("a body `type` must name an object schema, found `{ty}`"),
                        );
                    }
                }
            }
            None => {}
        }
        if ep.body.is_some() && ep.method == HttpMethod::Get {
            self.error(&o.child("body"), "a GET request cannot have a body");
        }
        // Response and pagination.
        if let Some(ty) = &ep.response.ty {
            self.type_ref(ty, &ep.response.origin.child("type"));
        }
        if let Some(p) = &ep.pagination {
            let envelope = p.style.envelope();
            let position = envelope.position;
            for needed in [position, envelope.limit] {
                if !ep.query.iter().any(|f| f.wire == needed) {
                    let style = position;
                    self.error(&p.origin.child("style"), format!("pagination style `{style}` needs the query parameter `{needed}`, which this endpoint does not declare"))
                        .help = Some(format!("add `{needed}: {{ type: integer }}` under `query`"));
                }
            }
            for f in ep
                .query
                .iter()
                .filter(|f| f.wire == position || f.wire == envelope.limit)
            {
                if f.ty != TypeExpr::Integer {
                    self.error(
                        &f.origin.child("type"),
                        format!("pagination parameter `{}` must be an integer", f.wire),
                    );
                }
            }
            if p.items.is_empty() {
                self.error(
                    &p.origin,
                    "pagination needs `items`: the envelope key that holds the array",
                );
            }
            if ep.response.key.is_some() {
                self.error(&ep.response.origin.child("key"), "a paginated response is unwrapped by `pagination.items`; remove `response.key`");
            }
            if ep.response.ty.is_none() {
                self.error(
                    &ep.response.origin,
                    "a paginated endpoint needs `response.type`: the type of one item",
                );
            }
            if let Some(TypeExpr::Array(_)) = &ep.response.ty {
                self.error(
                    &ep.response.origin.child("type"),
                    "for a paginated endpoint `response.type` is the item type, not an array",
                );
            }
        } else if ep.response.key.is_some() && ep.response.ty.is_none() {
            self.error(
                &ep.response.origin,
                "`response.key` needs a `response.type` to decode the value under it",
            );
        }
    }
}

/// A path with its parameter names blanked (`/contacts/{}/notes`): the server
/// routes by position, not by the names the spec gives its parameters.
fn route_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' if in_param => in_param = false,
            _ if in_param => {}
            c => out.push(c),
        }
    }
    out
}

/// Can the server tell a request of `a` from one of `b`, when both have the same
/// method and path? Only by the query string: one of them sends a `fixed_query`
/// pair `k=v` that the other never sends, because the other fixes `k` to another
/// value, or neither fixes `k` nor takes it as a query parameter. (Two endpoints
/// without `fixed_query` are never told apart; nor are two with the same pairs.)
fn told_apart(a: &EndpointDef, b: &EndpointDef) -> bool {
    fn never_sends(ep: &EndpointDef, key: &str, value: &str) -> bool {
        match ep.fixed_query.iter().find(|(k, _)| k == key) {
            Some((_, v)) => v != value,
            None => !ep
                .query
                .iter()
                .any(|f| f.wire == key || f.aliases.iter().any(|a| a == key)),
        }
    }
    a.fixed_query.iter().any(|(k, v)| never_sends(b, k, v))
        || b.fixed_query.iter().any(|(k, v)| never_sends(a, k, v))
}

#[cfg(test)]
mod tests {
    use crate::ast::SourceFile;

    /// The report for a one-resource spec whose endpoints are `endpoints` (YAML
    /// at the indentation of `endpoints:`'s entries).
    fn report(endpoints: &str) -> Result<(), String> {
        let text = format!(
            "api:\n  title: T\n  version: \"1\"\n  base_url: https://x.test/v1\n  auth: {{ scheme: bearer, api_key_env: K, base_url_env: U }}\nresources:\n  things:\n    endpoints:\n{endpoints}"
        );
        crate::load_files(vec![SourceFile {
            name: "spec.yaml".into(),
            text,
        }])
        .map(|_| ())
        .map_err(|e| e.to_string())
    }

    const LIST: &str = "      list: { method: GET, path: /things, scope: none, summary: List. }\n";

    #[test]
    fn endpoints_told_apart_by_fixed_query_share_a_route() {
        // As `contacts.list` and `contacts.count`.
        let count = "      count: { method: GET, path: /things, scope: none, summary: Count., fixed_query: { count_only: \"true\" } }\n";
        assert_eq!(report(&format!("{LIST}{count}")), Ok(()));
        // Different values of one key, or different keys.
        let csv = "      csv: { method: GET, path: /things, scope: none, summary: CSV., fixed_query: { format: csv } }\n";
        let tsv = "      tsv: { method: GET, path: /things, scope: none, summary: TSV., fixed_query: { format: tsv } }\n";
        assert_eq!(report(&format!("{LIST}{count}{csv}{tsv}")), Ok(()));
        // Another method, or another path, is another route.
        let create =
            "      create: { method: POST, path: /things, scope: none, summary: Create. }\n";
        let search =
            "      search: { method: GET, path: /things/search, scope: none, summary: Search. }\n";
        assert_eq!(report(&format!("{LIST}{create}{search}")), Ok(()));
    }

    #[test]
    fn only_a_retry_safe_get_or_post_can_be_read_only() {
        let read = |method: &str, retry: &str| {
            report(&format!(
                "      x: {{ method: {method}, path: /x, scope: none, summary: X., effect: read{retry} }}\n"
            ))
        };
        assert_eq!(read("GET", ""), Ok(()));
        assert_eq!(read("POST", ", retry: safe"), Ok(()));
        let err = read("POST", "").expect_err("a read-only POST must be retry-safe");
        assert!(err.contains("add `retry: safe`"), "{err}");
        let err = read("DELETE", "").expect_err("a DELETE cannot only read");
        assert!(
            err.contains("a DELETE endpoint cannot be `effect: read`"),
            "{err}"
        );
        let err =
            report("      x: { method: GET, path: /x, scope: none, summary: X., effect: maybe }\n")
                .expect_err("unknown effect");
        assert!(err.contains("`effect` must be `read` or `write`"), "{err}");
    }

    #[test]
    fn known_extra_names_keys_that_are_not_fields() {
        let spec = |schema: &str| {
            crate::load_files(vec![SourceFile {
                name: "spec.yaml".into(),
                text: format!(
                    "api:\n  title: T\n  version: \"1\"\n  base_url: https://x.test/v1\n  auth: {{ scheme: bearer, api_key_env: K, base_url_env: U }}\nschemas:\n  Thing:\n{schema}resources:\n  things:\n    endpoints:\n{LIST}"
                ),
            }])
            .map_err(|e| e.to_string())
        };
        let model = spec("    description: A thing.\n    known_extra: [legacy_id]\n    fields:\n      id: { type: string, aliases: [_id] }\n").expect("valid");
        assert_eq!(model.schema("Thing").unwrap().known_extra, ["legacy_id"]);
        let err = spec("    description: A thing.\n    known_extra: [_id]\n    fields:\n      id: { type: string, aliases: [_id] }\n").unwrap_err();
        assert!(
            err.contains("`known_extra` lists `_id`, which is a field (or alias) of `Thing`"),
            "{err}"
        );
        let err =
            spec("    description: A thing.\n    known_extra: [x]\n    enum: [a]\n").unwrap_err();
        assert!(err.contains("only an object schema"), "{err}");
    }

    #[test]
    fn the_effect_defaults_to_read_for_get_only() {
        let text = format!(
            "api:\n  title: T\n  version: \"1\"\n  base_url: https://x.test/v1\n  auth: {{ scheme: bearer, api_key_env: K, base_url_env: U }}\nresources:\n  things:\n    endpoints:\n{LIST}      make: {{ method: POST, path: /things, scope: none, summary: Make., retry: safe }}\n      find: {{ method: POST, path: /things/find, scope: none, summary: Find., retry: safe, effect: read }}\n      poke: {{ method: GET, path: /things/poke, scope: none, summary: Poke., effect: write }}\n"
        );
        let model = crate::load_files(vec![SourceFile {
            name: "spec.yaml".into(),
            text,
        }])
        .expect("valid spec");
        let reads: Vec<(&str, bool)> = model
            .operations()
            .map(|op| (op.id.as_str(), op.reads_only))
            .collect();
        assert_eq!(
            reads,
            [
                ("things.list", true),
                ("things.make", false),
                ("things.find", true),
                ("things.poke", false)
            ]
        );
    }

    #[test]
    fn endpoints_nothing_tells_apart_are_rejected_naming_both() {
        let all = "      all: { method: GET, path: /things, scope: none, summary: All. }\n";
        let err = report(&format!("{LIST}{all}")).expect_err("two `GET /things`");
        assert!(
            err.contains(
                "endpoints `things.list` (spec.yaml:9) and `things.all` are both `GET /things`"
            ),
            "{err}"
        );
        assert!(err.contains("--> spec.yaml:10:7"), "{err}");
        // The same pairs, or a pair the other endpoint may send as a query parameter.
        let fixed = "fixed_query: { count_only: \"true\" }";
        let a =
            format!("      a: {{ method: GET, path: /t, scope: none, summary: A., {fixed} }}\n");
        let b =
            format!("      b: {{ method: GET, path: /t, scope: none, summary: B., {fixed} }}\n");
        assert!(report(&format!("{a}{b}")).is_err());
        let c = "      c: { method: GET, path: /t, scope: none, summary: C., query: { count_only: { type: boolean } } }\n";
        assert!(report(&format!("{a}{c}")).is_err());
        // Parameter names do not make another route.
        let get = "      get: { method: GET, path: \"/t/{id}\", scope: none, summary: G., path_params: { id: { type: string } } }\n";
        let fetch = "      fetch: { method: GET, path: \"/t/{key}\", scope: none, summary: F., path_params: { key: { type: string } } }\n";
        let err = report(&format!("{get}{fetch}")).expect_err("one route");
        assert!(err.contains("differ only in parameter names"), "{err}");
    }
}
