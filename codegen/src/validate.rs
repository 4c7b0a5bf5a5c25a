//! Cross-checks the decoded spec: references, names, paths and pagination.
//!
//! Decoding has already checked the shape of each node; this pass checks how the
//! nodes fit together. It reports every problem it finds.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::*;
use crate::decode::Decoder;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::Loaded;
use crate::locate::Origin;
use crate::naming;
use crate::types::TypeExpr;

/// Type names the runtime or the generated module root already uses.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Result",
    "Page",
    "PageInfo",
    "Timestamp",
    "RequestOptions",
    "Scope",
    "Operation",
    "Response",
    "Value",
    "Map",
    "BTreeMap",
    "String",
    "Vec",
    "Option",
];

/// Builder methods every request has, which parameters must not shadow.
pub const RESERVED_METHODS: &[&str] = &[
    "send",
    "send_with_response",
    "stream",
    "timeout",
    "max_retries",
    "deadline",
    "new",
    "options",
    "client",
];

struct Checker<'a> {
    loaded: &'a Loaded,
    diagnostics: Vec<Diagnostic>,
    schema_names: BTreeSet<&'a str>,
    scope_names: BTreeSet<&'a str>,
}

/// Checks `loaded`; `Ok(())` when the spec can be generated.
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
    if c.diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(c.diagnostics))
    }
}

impl<'a> Checker<'a> {
    fn error(&mut self, origin: &Origin, message: impl Into<String>) -> &mut Diagnostic {
        let d = Decoder::diagnostic(&self.loaded.files, &self.loaded.locators, origin, message);
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
        let mut seen = BTreeMap::new();
        for s in &self.loaded.spec.scopes {
            let variant = naming::pascal(&s.name);
            if let Some(prev) = seen.insert(variant.clone(), s.name.clone()) {
                self.error(&s.origin, format!("scope `{}` and scope `{prev}` both become the Rust variant `Scope::{variant}`", s.name));
            }
        }
    }

    fn schemas(&mut self) {
        let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
        for s in &self.loaded.spec.schemas {
            if let Some(prev) = seen.insert(&s.name, &s.origin) {
                let prev = Decoder::diagnostic(&self.loaded.files, &self.loaded.locators, prev, "");
                let prev = match prev.line {
                    Some(line) => format!("{}:{line}", prev.file),
                    None => prev.file,
                };
                self.error(
                    &s.origin,
                    format!(
                        "schema `{}` is declared twice (first in {prev}); schema names are global",
                        s.name
                    ),
                )
                .help = Some("rename one of them".into());
            }
            if !naming::is_pascal_ident(&s.name) {
                self.error(&s.origin, format!("schema name `{}` must be PascalCase (letters and digits, starting with a capital)", s.name));
            }
            if RESERVED_TYPE_NAMES.contains(&s.name.as_str()) {
                self.error(
                    &s.origin,
                    format!(
                        "schema name `{}` is reserved by the client runtime; choose another",
                        s.name
                    ),
                );
            }
            match &s.kind {
                SchemaKind::Object { fields, keep_extra } => {
                    self.fields(fields, "field");
                    if *keep_extra
                        && fields.iter().any(|f| {
                            f.rust_name.as_deref().unwrap_or(&naming::snake(&f.wire)) == "extra"
                        })
                    {
                        self.error(&s.origin, "a field named `extra` collides with the map that `additional: keep` adds");
                    }
                }
                SchemaKind::Enum { values } => {
                    if values.is_empty() {
                        self.error(&s.origin, format!("enum `{}` has no values", s.name));
                    }
                    let mut variants = BTreeMap::new();
                    for v in values {
                        let variant = naming::pascal(&v.value);
                        if variant == "Unknown" {
                            self.error(&v.origin, format!("enum value `{}` becomes `Unknown`, which is reserved for values the server adds later", v.value));
                        } else if let Some(prev) = variants.insert(variant.clone(), v.value.clone())
                        {
                            self.error(&v.origin, format!("enum values `{prev}` and `{}` both become the Rust variant `{variant}`", v.value));
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
                    let mut names = BTreeMap::new();
                    for v in variants {
                        self.type_ref(&v.ty, &v.origin);
                        let variant = naming::pascal(&v.name);
                        if let Some(prev) = names.insert(variant.clone(), v.name.clone()) {
                            self.error(
                                &v.origin,
                                format!(
                                    "union variants `{prev}` and `{}` both become `{variant}`",
                                    v.name
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Checks a field list: types, names, ranges and collisions after case conversion.
    fn fields(&mut self, fields: &[FieldDef], what: &str) {
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        let mut wire_names: BTreeMap<&str, &str> = BTreeMap::new();
        for f in fields {
            self.type_ref(&f.ty, &f.origin.child("type"));
            let rust = f
                .rust_name
                .clone()
                .unwrap_or_else(|| naming::snake(&f.wire));
            if let Some(r) = &f.rust_name {
                if !naming::is_snake_ident(r) {
                    self.error(
                        &f.origin.child("rust_name"),
                        format!("rust_name `{r}` must be snake_case"),
                    );
                }
            }
            if let Some(prev) = rust_names.insert(rust.clone(), f.wire.clone()) {
                self.error(
                    &f.origin,
                    format!(
                        "{what}s `{prev}` and `{}` both become the Rust name `{rust}`",
                        f.wire
                    ),
                )
                .help = Some("give one of them a `rust_name`".into());
            }
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

    fn resources(&mut self) {
        let schemas: BTreeSet<String> = self.schema_names.iter().map(|s| s.to_string()).collect();
        let mut type_names: BTreeMap<String, String> = schemas
            .iter()
            .map(|s| (s.clone(), format!("schemas.{s}")))
            .collect();
        for r in &self.loaded.spec.resources {
            if !naming::is_snake_ident(&r.name) {
                self.error(
                    &r.origin,
                    format!(
                        "resource name `{}` (the file stem) must be snake_case",
                        r.name
                    ),
                );
            }
            if r.name == "common" || r.name == "scopes" || r.name == "types" || r.name == "runtime"
            {
                self.error(
                    &r.origin,
                    format!(
                        "resource name `{}` is reserved by the generated module layout",
                        r.name
                    ),
                );
            }
            let api_name = naming::resource_api(&r.name);
            self.claim_type_name(&mut type_names, api_name, &r.origin);
            for ep in &r.endpoints {
                self.endpoint(r, ep, &mut type_names);
            }
        }
    }

    fn claim_type_name(
        &mut self,
        names: &mut BTreeMap<String, String>,
        name: String,
        origin: &Origin,
    ) {
        let here = origin.spec_path();
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            self.error(
                origin,
                format!(
                    "this generates the type `{name}`, which is reserved by the client runtime"
                ),
            );
        } else if let Some(prev) = names.insert(name.clone(), here) {
            self.error(
                origin,
                format!("this generates the type `{name}`, which {prev} already generates"),
            )
            .help = Some("rename the endpoint or the schema".into());
        }
    }

    fn endpoint(
        &mut self,
        r: &ResourceDef,
        ep: &EndpointDef,
        type_names: &mut BTreeMap<String, String>,
    ) {
        let o = &ep.origin;
        if !naming::is_snake_ident(&ep.name) {
            self.error(
                o,
                format!(
                    "endpoint name `{}` must be snake_case (it becomes a Rust method)",
                    ep.name
                ),
            );
        }
        self.claim_type_name(type_names, naming::request_struct(&r.name, &ep.name), o);
        if !ep.query.is_empty() {
            self.claim_type_name(type_names, naming::query_struct(&r.name, &ep.name), o);
        }
        if let Some(BodyDef::Inline(..)) = &ep.body {
            self.claim_type_name(
                type_names,
                naming::body_struct(&r.name, &ep.name),
                &o.child("body"),
            );
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
        // Parameters: every argument and builder method must be distinct.
        self.fields(&ep.path_params, "path parameter");
        self.fields(&ep.query, "query parameter");
        for f in &ep.query {
            if matches!(
                f.ty,
                TypeExpr::Array(_) | TypeExpr::Map(_) | TypeExpr::Object | TypeExpr::Any
            ) {
                self.error(
                    &f.origin.child("type"),
                    "query parameters must be scalars or enums",
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
        let mut methods: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |c: &mut Self, rust: String, what: String, origin: &Origin| {
            if RESERVED_METHODS.contains(&rust.as_str()) {
                c.error(
                    origin,
                    format!(
                        "{what} becomes the Rust name `{rust}`, which every request already uses"
                    ),
                )
                .help = Some("give it a `rust_name`".into());
            } else if let Some(prev) = methods.insert(rust.clone(), what.clone()) {
                c.error(
                    origin,
                    format!("{what} and {prev} both become `{rust}` on the request"),
                )
                .help = Some("give one of them a `rust_name`".into());
            }
        };
        let rust_of = |f: &FieldDef| {
            f.rust_name
                .clone()
                .unwrap_or_else(|| naming::snake(&f.wire))
        };
        for f in &ep.path_params {
            claim(
                self,
                rust_of(f),
                format!("path parameter `{}`", f.wire),
                &f.origin,
            );
        }
        for f in &ep.query {
            claim(
                self,
                rust_of(f),
                format!("query parameter `{}`", f.wire),
                &f.origin,
            );
        }
        match &ep.body {
            Some(BodyDef::Inline(fields, _)) => {
                self.fields(fields, "body field");
                for f in fields {
                    claim(
                        self,
                        rust_of(f),
                        format!("body field `{}`", f.wire),
                        &f.origin,
                    );
                }
            }
            Some(BodyDef::Named(ty, origin)) => {
                self.type_ref(ty, origin);
                let schema = ty
                    .named()
                    .and_then(|n| self.loaded.spec.schemas.iter().find(|s| s.name == n));
                match (ty, schema.map(|s| &s.kind)) {
                    (TypeExpr::Named(_), Some(SchemaKind::Object { fields, .. })) => {
                        for f in fields {
                            claim(self, rust_of(f), format!("body field `{}`", f.wire), origin);
                        }
                    }
                    (TypeExpr::Named(_), None) => {}
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
            let position = p.style.position_param();
            for needed in [position, "limit"] {
                if !ep.query.iter().any(|f| f.wire == needed) {
                    let style = position;
                    self.error(&p.origin.child("style"), format!("pagination style `{style}` needs the query parameter `{needed}`, which this endpoint does not declare"))
                        .help = Some(format!("add `{needed}: {{ type: integer }}` under `query`"));
                }
            }
            for f in ep
                .query
                .iter()
                .filter(|f| f.wire == position || f.wire == "limit")
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

/// The `{name}` placeholders of a path template, in order.
pub fn path_placeholders(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("path `{path}` has an unclosed `{{`"));
        };
        let name = &rest[start + 1..start + len];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "path `{path}` has an invalid parameter `{{{name}}}`"
            ));
        }
        if out.iter().any(|n| n == name) {
            return Err(format!("path `{path}` uses `{{{name}}}` twice"));
        }
        out.push(name.to_string());
        rest = &rest[start + len + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has a stray `}}`"));
    }
    Ok(out)
}
