//! The Rust view of the spec model: every Rust name decided, beside its wire name.
//!
//! [`build`] reads the language-neutral [`spec::Model`] and decides, through
//! [`naming`], the identifier of every module, type, variant, field, method and
//! argument, and which Rust type each spec type becomes. It also checks that
//! those names work: no two wire names may become one identifier, no name may
//! take one the runtime or the generated `Client` already uses. Problems are
//! reported with the spec file, line and path of the node that caused them.
//!
//! The emitter only turns this model into tokens; it makes no naming decisions.

use std::collections::{BTreeMap, BTreeSet};

use pathbound_model::diagnostics::{Diagnostic, Diagnostics};
use pathbound_model::locate::Origin;
use pathbound_model::model as spec;
use pathbound_model::types::TypeExpr;
use pathbound_model::wire::{Method, PaginationStyle};

use super::naming;

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Model {
    /// API metadata.
    pub api: spec::ApiMeta,
    /// Scopes in spec order.
    pub scopes: Vec<Scope>,
    /// `common` first, then one module per resource in file-name order.
    pub modules: Vec<Module>,
    /// Every typed id the fields and parameters use (`ContactId`), sorted.
    pub ids: Vec<String>,
    /// The generated crate's name as code names it (`pathbound_client`), for
    /// the rustdoc examples.
    pub crate_name: String,
    /// The main spec file (for headers).
    pub main_file: String,
}

/// A scope.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Wire name (`contacts:read`).
    pub wire: String,
    /// Variant name (`ContactsRead`).
    pub variant: String,
    /// Constant name (`CONTACTS_READ`).
    pub constant: String,
    /// What it grants.
    pub description: String,
    /// Granted only explicitly.
    pub opt_in: bool,
}

/// One generated module (one file).
#[derive(Debug, Clone)]
pub struct Module {
    /// Module name: `common` or the resource name.
    pub name: String,
    /// Module docs.
    pub description: Option<String>,
    /// Spec files this module is generated from.
    pub sources: Vec<String>,
    /// Schemas declared here (including inline request bodies).
    pub schemas: Vec<Schema>,
    /// The resource's operations, when this module is a resource.
    pub resource: Option<Resource>,
}

impl Model {
    /// The path part of the base URL (`/v1`), shown in docs before each path.
    pub fn path_prefix(&self) -> String {
        let url = &self.api.base_url;
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].trim_end_matches('/').to_string(),
            None => String::new(),
        }
    }

    /// The spec directory as shown in generated headers (`spec`).
    pub fn spec_dir(&self) -> &str {
        self.main_file
            .rsplit_once('/')
            .map_or("spec", |(dir, _)| dir)
    }
}

/// A schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Rust (and spec) name.
    pub name: String,
    /// Rustdoc.
    pub description: String,
    /// Shape.
    pub kind: Kind,
}

/// A schema's shape.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A struct.
    Object {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// Adds `extra: Map<String, Value>` for unknown keys.
        keep_extra: bool,
        /// Every field type has a `Default`, so the struct derives it.
        default: bool,
    },
    /// An open enum.
    Enum {
        /// Known variants.
        variants: Vec<EnumVariant>,
    },
    /// An untagged union.
    Union {
        /// Variants in decoding order.
        variants: Vec<UnionVariant>,
    },
}

/// A known enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Wire value.
    pub wire: String,
    /// Variant name.
    pub rust: String,
    /// Rustdoc.
    pub description: Option<String>,
}

/// A union variant.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Variant name.
    pub rust: String,
    /// Its type.
    pub ty: RustType,
}

/// A struct field, parameter or body field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Other accepted wire names.
    pub aliases: Vec<String>,
    /// Rust name.
    pub rust: String,
    /// Type, without the `Option` that optionality adds.
    pub ty: RustType,
    /// Always present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Rustdoc.
    pub description: Option<String>,
    /// Server default.
    pub default: Option<String>,
    /// Inclusive minimum.
    pub min: Option<f64>,
    /// Inclusive maximum.
    pub max: Option<f64>,
    /// Minimum array length.
    pub min_items: Option<u64>,
    /// Maximum array length.
    pub max_items: Option<u64>,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// How a list query parameter is sent.
    pub list_style: Option<spec::ListStyle>,
    /// Decoded leniently (see the spec key `lenient`).
    pub lenient: bool,
    /// The spec's `example:` value, as text.
    pub example: Option<String>,
}

impl Field {
    /// `Option<T>` in Rust: optional or nullable.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }

    /// A required argument of the operation's constructor (required and not
    /// nullable), rather than a setter.
    pub fn is_argument(&self) -> bool {
        self.required && !self.nullable
    }

    /// Has a client-side check.
    pub fn has_checks(&self) -> bool {
        self.min.is_some()
            || self.max.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
    }
}

/// A resolved Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `String`
    String,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// `runtime::Timestamp`
    Timestamp,
    /// `runtime::SecretString`: a string hidden from `Debug`.
    Secret,
    /// A typed id, `ids::ContactId` (`runtime::Id<ids::kind::Contact>`): a
    /// string field or parameter named `<kind>_id`.
    Id(String),
    /// `serde_json::Value`
    Json,
    /// `serde_json::Map<String, Value>`
    JsonObject,
    /// `Vec<T>`
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`
    Map(Box<RustType>),
    /// A generated type.
    Named {
        /// Type name.
        name: String,
        /// The module that declares it.
        module: String,
        /// Boxed to break a direct recursion.
        boxed: bool,
    },
}

impl RustType {
    /// The type as a spec type expression (`string[]`, `map<Contact>`), with
    /// schema names written by `named` (plain, or as a link in the reference).
    pub fn spec_expr(&self, named: &dyn Fn(&str) -> String) -> String {
        match self {
            RustType::String => "string".into(),
            RustType::I64 => "integer".into(),
            RustType::F64 => "number".into(),
            RustType::Bool => "boolean".into(),
            RustType::Timestamp => "datetime".into(),
            RustType::Secret => "string (secret)".into(),
            RustType::Id(_) => "string".into(),
            RustType::Json => "any".into(),
            RustType::JsonObject => "object".into(),
            RustType::Vec(t) => format!("{}[]", t.spec_expr(named)),
            RustType::Map(t) => format!("map<{}>", t.spec_expr(named)),
            RustType::Named { name, .. } => named(name),
        }
    }
}

/// A resource: an accessor and its operations.
#[derive(Debug, Clone)]
pub struct Resource {
    /// snake_case name.
    pub name: String,
    /// Accessor struct (`ContactsApi`).
    pub api_struct: String,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `contacts.create`.
    pub id: String,
    /// Rust method name.
    pub method_name: String,
    /// HTTP method.
    pub http_method: Method,
    /// Path template relative to the base URL.
    pub path: String,
    /// Required scope: (wire, variant).
    pub scope: Option<(String, String)>,
    /// The scope depends on a parameter's value.
    pub scope_by: Option<ScopeBy>,
    /// Sends the API key.
    pub auth: bool,
    /// One-line summary.
    pub summary: String,
    /// Longer docs.
    pub description: Option<String>,
    /// Path parameters, in template order.
    pub path_params: Vec<Field>,
    /// Query parameters.
    pub query: Vec<Field>,
    /// Query struct name, when there are query parameters.
    pub query_struct: Option<String>,
    /// The query struct derives `Default`.
    pub query_default: bool,
    /// Always-sent query pairs.
    pub fixed_query: Vec<(String, String)>,
    /// Request body.
    pub body: Option<Body>,
    /// Success response.
    pub response: Response,
    /// Pagination of list endpoints.
    pub pagination: Option<Pagination>,
    /// Documented error statuses.
    pub errors: Vec<(u16, String)>,
    /// May be re-sent after a failure the server may have seen.
    pub retry_safe: bool,
    /// Request builder struct name.
    pub request_struct: String,
}

/// Where a parameter of an operation is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A field of the JSON body.
    Body,
}

impl Operation {
    /// The request has `.stream()`: the operation is paginated, its items are
    /// decoded, and its query has the position parameter of its style.
    pub fn has_stream(&self) -> bool {
        match (&self.pagination, &self.response.ty) {
            (Some(p), Some(_)) => {
                let position = p.style.envelope().position;
                self.query.iter().any(|f| f.wire == position)
            }
            _ => false,
        }
    }

    /// The constructor's arguments, in order: path parameters, required query
    /// parameters, required body fields ([`Field::is_argument`]). Every other
    /// parameter is a setter of the same name.
    pub fn arguments(&self) -> Vec<(&Field, Place)> {
        let mut out: Vec<(&Field, Place)> =
            self.path_params.iter().map(|f| (f, Place::Path)).collect();
        out.extend(
            self.query
                .iter()
                .filter(|f| f.is_argument())
                .map(|f| (f, Place::Query)),
        );
        if let Some(b) = &self.body {
            out.extend(
                b.fields
                    .iter()
                    .filter(|f| f.is_argument())
                    .map(|f| (f, Place::Body)),
            );
        }
        out
    }
}

/// A scope that depends on a parameter's value.
#[derive(Debug, Clone)]
pub struct ScopeBy {
    /// The parameter's wire name.
    pub param: String,
    /// The parameter's Rust field, as reached from the request (`body.entity`).
    pub access: Vec<String>,
    /// `(value, scope wire name)`.
    pub values: Vec<(String, String)>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body type.
    pub schema: String,
    /// Its module.
    pub module: String,
    /// Every field, in declaration order.
    pub fields: Vec<Field>,
    /// The body type keeps unknown keys in `extra`.
    pub keep_extra: bool,
}

impl Body {
    /// The body's type, as a field or argument would name it.
    pub fn ty(&self) -> RustType {
        RustType::Named {
            name: self.schema.clone(),
            module: self.module.clone(),
            boxed: false,
        }
    }
}

/// The success response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Success status.
    pub status: u16,
    /// Envelope key to unwrap.
    pub key: Option<String>,
    /// The decoded type (the item type when paginated); `None` when not read.
    pub ty: Option<RustType>,
}

/// Pagination.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Style.
    pub style: PaginationStyle,
    /// Envelope key of the item array.
    pub items: String,
}

/// Builds the Rust model of `model`, checking every Rust name it decides.
///
/// # Errors
///
/// Every name that would not compile or would collide, located in the spec.
pub fn build(model: &spec::Model) -> Result<Model, Diagnostics> {
    let mut check = Checker {
        model,
        diagnostics: Vec::new(),
    };
    check.names();
    if !check.diagnostics.is_empty() {
        return Err(Diagnostics(check.diagnostics));
    }
    Ok(build_unchecked(model))
}

/// Checks the Rust names of a spec model; every problem is collected.
struct Checker<'a> {
    model: &'a spec::Model,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, origin: &Origin, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(self.model.diagnostic(origin, message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn names(&mut self) {
        let model = self.model;
        let mut variants = BTreeMap::new();
        for s in &model.scopes {
            let variant = scope_variant(s);
            let spelled = self.variant_spelling(
                &s.origin,
                &format!("scope `{}`", s.name),
                &s.name,
                s.rust_name.as_deref(),
                "give it a `rust_name` (the variant of `Scope`, e.g. `rust_name: ContactsRead`)",
            );
            if !spelled {
                continue;
            }
            if variant == "Unknown" {
                self.error(&s.origin, format!("scope `{}` becomes `Scope::Unknown`, which is reserved for scopes the server adds later", s.name))
                    .help = Some("give it a `rust_name`".into());
            } else if let Some(prev) = variants.insert(variant.clone(), s.name.clone()) {
                self.error(
                    &s.origin,
                    format!(
                        "scope `{}` and scope `{prev}` both become the Rust variant `Scope::{variant}`",
                        s.name
                    ),
                )
                .help = Some("give one of them a `rust_name`".into());
            }
        }
        for s in model.schemas.iter().filter(|s| s.body_of.is_none()) {
            if naming::RESERVED_TYPE_NAMES.contains(&s.name.as_str()) {
                self.error(
                    &s.origin,
                    format!(
                        "schema name `{}` is reserved by the client runtime; choose another",
                        s.name
                    ),
                );
            } else if naming::NOT_RAW.contains(&s.name.as_str()) {
                self.error(
                    &s.origin,
                    format!("schema name `{}` is a Rust keyword; choose another", s.name),
                );
            } else if naming::PRELUDE_NAMES.contains(&s.name.as_str()) {
                self.error(
                    &s.origin,
                    format!(
                        "schema name `{}` would shadow Rust's `{}`, which the generated code uses; choose another",
                        s.name, s.name
                    ),
                );
            }
            self.schema(s);
        }
        let mut type_names: BTreeMap<String, String> = model
            .schemas
            .iter()
            .filter(|s| s.body_of.is_none())
            .map(|s| (s.name.clone(), format!("schemas.{}", s.name)))
            .collect();
        let mut accessors = BTreeMap::new();
        for r in &model.resources {
            self.resource_name(r, &mut accessors);
            self.claim_type_name(&mut type_names, naming::resource_api(&r.name), &r.origin);
            let mut methods = BTreeMap::new();
            for op in &r.operations {
                self.operation(op, &mut type_names, &mut methods);
            }
        }
        // The private types that name the wire names of aliased fields.
        for s in &model.schemas {
            if let spec::Kind::Object { fields, .. } = &s.kind {
                for f in fields.iter().filter(|f| !f.aliases.is_empty()) {
                    let marker = naming::wire_names_marker(&s.name, &naming::field_name(f));
                    self.claim_type_name(&mut type_names, marker, &f.origin);
                }
            }
        }
    }

    /// Checks that a name which becomes a variant can be spelled: its
    /// `rust_name` is a usable variant name, or (without one) its text has an
    /// ASCII spelling. `false` when an error was reported.
    fn variant_spelling(
        &mut self,
        origin: &Origin,
        what: &str,
        text: &str,
        rust_name: Option<&str>,
        help: &str,
    ) -> bool {
        match rust_name {
            Some(r) => {
                if !pathbound_model::names::is_pascal_ident(r) {
                    self.error(
                        &origin.child("rust_name"),
                        format!("rust_name `{r}` must be PascalCase (letters and digits, starting with a capital)"),
                    );
                    false
                } else if naming::NOT_RAW.contains(&r) {
                    self.error(
                        &origin.child("rust_name"),
                        format!("rust_name `{r}` is a Rust keyword; choose another"),
                    );
                    false
                } else {
                    true
                }
            }
            None => match naming::unspellable(text) {
                Some(c) => {
                    self.error(
                        origin,
                        format!("{what} has no Rust name: `{c}` has no spelling in ASCII letters"),
                    )
                    .help = Some(help.to_string());
                    false
                }
                None => true,
            },
        }
    }

    fn schema(&mut self, s: &spec::Schema) {
        match &s.kind {
            spec::Kind::Object { fields, keep_extra } => {
                self.fields(fields, "field");
                if *keep_extra && fields.iter().any(|f| naming::field_name(f) == "extra") {
                    self.error(
                        &s.origin,
                        "a field named `extra` collides with the map that `additional: keep` adds",
                    );
                }
            }
            spec::Kind::Enum { values } => {
                let mut variants = BTreeMap::new();
                for v in values {
                    let help = format!(
                        "give it a `rust_name`, the name of its variant: `- {{ value: {:?}, rust_name: … }}`",
                        v.wire
                    );
                    if !self.variant_spelling(
                        &v.origin,
                        &format!("enum value `{}`", v.wire),
                        &v.wire,
                        v.rust_name.as_deref(),
                        &help,
                    ) {
                        continue;
                    }
                    let variant = enum_variant(v);
                    if variant == "Unknown" {
                        self.error(&v.origin, format!("enum value `{}` becomes `Unknown`, which is reserved for values the server adds later", v.wire));
                    } else if let Some(prev) = variants.insert(variant.clone(), v.wire.clone()) {
                        self.error(
                            &v.origin,
                            format!(
                                "enum values `{prev}` and `{}` both become the Rust variant `{variant}`",
                                v.wire
                            ),
                        )
                        .help = Some("give one of them a `rust_name`".into());
                    }
                }
            }
            spec::Kind::Union { variants } => {
                let mut names = BTreeMap::new();
                for v in variants {
                    if let Some(c) = naming::unspellable(&v.name) {
                        self.error(
                            &v.origin,
                            format!("union variant `{}` has no Rust name: `{c}` has no spelling in ASCII letters", v.name),
                        )
                        .help = Some("rename it: the name is only used in Rust".into());
                        continue;
                    }
                    let variant = naming::variant(&v.name);
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

    /// A field list: `rust_name` spelling and Rust-name collisions.
    fn fields(&mut self, fields: &[spec::Field], what: &str) {
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        for f in fields {
            match &f.rust_name {
                Some(r) if !naming::is_snake_ident(r) => {
                    self.error(
                        &f.origin.child("rust_name"),
                        format!("rust_name `{r}` must be snake_case"),
                    );
                    continue;
                }
                Some(r) if naming::NOT_RAW.contains(&r.as_str()) => {
                    self.error(
                        &f.origin.child("rust_name"),
                        format!("rust_name `{r}` is a Rust keyword that cannot be an identifier, even a raw one"),
                    )
                    .help = Some(format!("write `rust_name: {r}_`"));
                    continue;
                }
                Some(_) => {}
                None => {
                    if let Some(c) = naming::unspellable(&f.wire) {
                        self.error(
                            &f.origin,
                            format!(
                                "{what} `{}` has no Rust name: `{c}` has no spelling in ASCII letters",
                                f.wire
                            ),
                        )
                        .help = Some("give it a `rust_name`".into());
                        continue;
                    }
                }
            }
            let rust = naming::field_name(f);
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
        }
    }

    /// A resource becomes a module and an accessor method on the generated `Client`.
    fn resource_name(&mut self, r: &spec::Resource, accessors: &mut BTreeMap<String, String>) {
        let accessor = naming::snake(&r.name);
        if naming::NOT_RAW.contains(&r.name.as_str()) {
            self.error(
                &r.origin,
                format!(
                    "resource name `{}` cannot be a Rust module: it is a keyword that cannot be an identifier, even a raw one",
                    r.name
                ),
            )
            .help = Some("rename the resource (its file, or its key under `resources:`)".into());
        } else if naming::RESERVED_MODULES.contains(&r.name.as_str()) {
            self.error(
                &r.origin,
                format!(
                    "resource name `{}` is reserved by the generated module layout",
                    r.name
                ),
            );
        } else if naming::CLIENT_METHODS.contains(&accessor.as_str()) {
            self.error(
                &r.origin,
                format!(
                    "resource name `{}` becomes `Client::{accessor}()`, which the generated `Client` already has",
                    r.name
                ),
            )
            .help = Some(format!(
                "rename the resource (its file, or its key under `resources:`); the generated `Client` takes: {}",
                naming::CLIENT_METHODS.join(", ")
            ));
        } else if let Some(prev) = accessors.insert(accessor.clone(), r.name.clone()) {
            self.error(
                &r.origin,
                format!(
                    "resources `{prev}` and `{}` both become `Client::{accessor}()`",
                    r.name
                ),
            );
        }
    }

    fn claim_type_name(
        &mut self,
        names: &mut BTreeMap<String, String>,
        name: String,
        origin: &Origin,
    ) {
        let here = origin.spec_path();
        if naming::RESERVED_TYPE_NAMES.contains(&name.as_str()) {
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

    fn operation(
        &mut self,
        op: &spec::Operation,
        type_names: &mut BTreeMap<String, String>,
        methods: &mut BTreeMap<String, String>,
    ) {
        let o = &op.origin;
        let method = naming::snake(&op.name);
        if naming::ACCESSOR_METHODS.contains(&method.as_str()) {
            self.error(
                o,
                format!(
                    "operation `{}` becomes the method `{method}()`, which every resource accessor already has",
                    op.id
                ),
            )
            .help = Some("rename the endpoint".into());
        } else if let Some(prev) = methods.insert(method.clone(), op.id.clone()) {
            self.error(
                o,
                format!(
                    "operations `{prev}` and `{}` both become `{method}()`",
                    op.id
                ),
            );
        }
        self.claim_type_name(
            type_names,
            naming::request_struct(&op.resource, &op.name),
            o,
        );
        if !op.query.is_empty() {
            self.claim_type_name(type_names, naming::query_struct(&op.resource, &op.name), o);
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.inline) {
            self.claim_type_name(type_names, b.schema.clone(), &o.child("body"));
        }
        self.fields(&op.path_params, "path parameter");
        self.fields(&op.query, "query parameter");
        if let Some(b) = op.body.as_ref().filter(|b| b.inline) {
            self.fields(&b.fields, "body field");
        }
        // Every argument and setter of the request must be distinct.
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        let params = op
            .path_params
            .iter()
            .map(|f| (f, format!("path parameter `{}`", f.wire), &f.origin))
            .chain(
                op.query
                    .iter()
                    .map(|f| (f, format!("query parameter `{}`", f.wire), &f.origin)),
            );
        let body = op.body.iter().flat_map(|b| {
            b.fields.iter().map(move |f| {
                // A named body's fields are declared elsewhere: point at `body`.
                let origin = if b.inline { &f.origin } else { &b.origin };
                (f, format!("body field `{}`", f.wire), origin)
            })
        });
        // A path parameter is a field of the request, beside its `query` and `body`.
        for f in &op.path_params {
            let rust = naming::field_name(f);
            let holds = match rust.as_str() {
                "query" if !op.query.is_empty() => "query string",
                "body" if op.body.is_some() => "body",
                _ => continue,
            };
            self.error(
                &f.origin,
                format!(
                    "path parameter `{}` becomes the field `{rust}` of the request, which already holds its {holds}",
                    f.wire
                ),
            )
            .help = Some("give it a `rust_name`".into());
        }
        for (f, what, origin) in params.chain(body).collect::<Vec<_>>() {
            let rust = naming::field_name(f);
            if naming::RESERVED_METHODS.contains(&rust.as_str()) {
                self.error(
                    origin,
                    format!(
                        "{what} becomes the Rust name `{rust}`, which every request already uses"
                    ),
                )
                .help = Some("give it a `rust_name`".into());
            } else if let Some(prev) = taken.insert(rust.clone(), what.clone()) {
                self.error(
                    origin,
                    format!("{what} and {prev} both become `{rust}` on the request"),
                )
                .help = Some("give one of them a `rust_name`".into());
            }
        }
    }
}

/// The variant of an enum value: its `rust_name`, or its wire value in PascalCase.
fn enum_variant(v: &spec::EnumValue) -> String {
    v.rust_name
        .clone()
        .unwrap_or_else(|| naming::variant(&v.wire))
}

/// The `Scope` variant of a scope: its `rust_name`, or its name in PascalCase.
fn scope_variant(s: &spec::Scope) -> String {
    s.rust_name
        .clone()
        .unwrap_or_else(|| naming::variant(&s.name))
}

/// Builds the Rust model; [`build`] checks the names first.
fn build_unchecked(model: &spec::Model) -> Model {
    let modules_of: BTreeMap<&str, &str> = model
        .schemas
        .iter()
        .map(|s| (s.name.as_str(), s.module.as_str()))
        .collect();
    let defaults = DefaultTable::new(model);
    let ids = std::cell::RefCell::new(BTreeSet::new());
    let note_id = |ty: RustType| {
        match &ty {
            RustType::Id(id) => ids.borrow_mut().insert(id.clone()),
            RustType::Vec(inner) => match &**inner {
                RustType::Id(id) => ids.borrow_mut().insert(id.clone()),
                _ => false,
            },
            _ => false,
        };
        ty
    };
    let field = |f: &spec::Field, owner: Option<&str>| Field {
        wire: f.wire.clone(),
        aliases: f.aliases.clone(),
        rust: naming::field_name(f),
        ty: if f.secret {
            RustType::Secret
        } else {
            note_id(typed_id(
                &naming::field_name(f),
                resolve(&f.ty, &modules_of, owner, true),
            ))
        },
        required: f.required,
        nullable: f.nullable,
        description: f.description.clone(),
        default: f.default.clone(),
        min: f.min,
        max: f.max,
        min_items: f.min_items,
        max_items: f.max_items,
        deprecated: f.deprecated.clone(),
        list_style: f.style,
        lenient: f.lenient,
        example: f.example.clone(),
    };
    let schema = |s: &spec::Schema| Schema {
        name: s.name.clone(),
        description: match &s.body_of {
            Some(op) => {
                let (resource, name) = op.split_once('.').unwrap_or((op, ""));
                format!(
                    "The JSON body of [`{}`].",
                    naming::request_struct(resource, name)
                )
            }
            None => s.description.clone(),
        },
        kind: match &s.kind {
            spec::Kind::Object { fields, keep_extra } => {
                // Inline body fields are resolved without an owner, as arguments are.
                let owner = s.body_of.is_none().then_some(s.name.as_str());
                let fields: Vec<Field> = fields.iter().map(|f| field(f, owner)).collect();
                let default = match &s.body_of {
                    Some(_) => fields
                        .iter()
                        .all(|f| f.is_option() || defaults.rust_type(&f.ty)),
                    None => defaults.object(&s.name),
                };
                Kind::Object {
                    fields,
                    keep_extra: *keep_extra,
                    default,
                }
            }
            spec::Kind::Enum { values } => Kind::Enum {
                variants: values
                    .iter()
                    .map(|v| EnumVariant {
                        wire: v.wire.clone(),
                        rust: enum_variant(v),
                        description: v.description.clone(),
                    })
                    .collect(),
            },
            spec::Kind::Union { variants } => Kind::Union {
                variants: variants
                    .iter()
                    .map(|v| UnionVariant {
                        rust: naming::variant(&v.name),
                        ty: resolve(&v.ty, &modules_of, None, true),
                    })
                    .collect(),
            },
        },
    };

    let main_file = model.main_file().to_string();
    let mut modules = vec![Module {
        name: "common".into(),
        description: Some("Types shared by several resources.".into()),
        sources: vec![main_file.clone()],
        schemas: model
            .schemas
            .iter()
            .filter(|s| s.module == "common")
            .map(schema)
            .collect(),
        resource: None,
    }];
    for r in &model.resources {
        let operations = r
            .operations
            .iter()
            .map(|op| {
                let query: Vec<Field> = op.query.iter().map(|f| field(f, None)).collect();
                Operation {
                    id: op.id.clone(),
                    method_name: naming::snake(&op.name),
                    http_method: op.method,
                    path: op.path.clone(),
                    scope: op.scope.as_ref().map(|s| {
                        let variant = model
                            .scopes
                            .iter()
                            .find(|d| &d.name == s)
                            .map_or_else(|| naming::variant(s), scope_variant);
                        (s.clone(), variant)
                    }),
                    scope_by: op.scope_by.as_ref().map(|by| {
                        let fields = match by.place {
                            spec::ParamPlace::Path => op.path_params.iter().collect::<Vec<_>>(),
                            spec::ParamPlace::Query => op.query.iter().collect(),
                            spec::ParamPlace::Body => {
                                op.body.iter().flat_map(|b| b.fields.iter()).collect()
                            }
                        };
                        let rust = fields
                            .iter()
                            .find(|f| f.wire == by.param)
                            .map_or_else(|| naming::snake(&by.param), |f| naming::field_name(f));
                        let access = match by.place {
                            spec::ParamPlace::Path => vec![rust],
                            spec::ParamPlace::Query => vec!["query".to_owned(), rust],
                            spec::ParamPlace::Body => vec!["body".to_owned(), rust],
                        };
                        ScopeBy {
                            param: by.param.clone(),
                            access,
                            values: by.values.clone(),
                        }
                    }),
                    auth: op.auth,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    path_params: op.path_params.iter().map(|f| field(f, None)).collect(),
                    query_struct: (!query.is_empty())
                        .then(|| naming::query_struct(&r.name, &op.name)),
                    query_default: query
                        .iter()
                        .all(|f| f.is_option() || defaults.rust_type(&f.ty)),
                    query,
                    fixed_query: op.fixed_query.clone(),
                    body: op.body.as_ref().map(|b| Body {
                        schema: b.schema.clone(),
                        module: b.module.clone(),
                        fields: b.fields.iter().map(|f| field(f, None)).collect(),
                        keep_extra: b.keep_extra,
                    }),
                    response: Response {
                        status: op.response.status,
                        key: op.response.key.clone(),
                        ty: op
                            .response
                            .ty
                            .as_ref()
                            .map(|t| resolve(t, &modules_of, None, true)),
                    },
                    pagination: op.pagination.as_ref().map(|p| Pagination {
                        style: p.style,
                        items: p.items.clone(),
                    }),
                    errors: op.errors.clone(),
                    retry_safe: op.retry_safe,
                    request_struct: naming::request_struct(&r.name, &op.name),
                }
            })
            .collect::<Vec<_>>();
        modules.push(Module {
            name: r.name.clone(),
            description: r.description.clone(),
            sources: vec![r.file.clone()],
            schemas: model
                .schemas
                .iter()
                .filter(|s| s.module == r.name)
                .map(schema)
                .collect(),
            resource: (!operations.is_empty()).then(|| Resource {
                name: r.name.clone(),
                api_struct: naming::resource_api(&r.name),
                operations,
            }),
        });
    }
    Model {
        api: model.api.clone(),
        scopes: model
            .scopes
            .iter()
            .map(|s| Scope {
                wire: s.name.clone(),
                variant: scope_variant(s),
                constant: naming::shouty(&scope_variant(s)),
                description: s.description.clone(),
                opt_in: s.opt_in,
            })
            .collect(),
        modules,
        ids: ids.into_inner().into_iter().collect(),
        crate_name: DEFAULT_CRATE.to_string(),
        main_file,
    }
}

/// The crate a client is generated into unless told otherwise.
pub const DEFAULT_CRATE: &str = "pathbound_client";

/// A string named `<kind>_id` becomes that kind's id type, and a list of
/// strings named `<kind>_ids` a list of them.
fn typed_id(rust_field: &str, ty: RustType) -> RustType {
    let Some(id) = naming::id_type(rust_field) else {
        return ty;
    };
    match ty {
        RustType::String if !rust_field.ends_with("_ids") => RustType::Id(id),
        RustType::Vec(inner) if *inner == RustType::String && rust_field.ends_with("_ids") => {
            RustType::Vec(Box::new(RustType::Id(id)))
        }
        other => other,
    }
}

/// Resolves a type expression. A direct (non-collection) reference from a schema
/// to itself is boxed so the struct has a finite size.
fn resolve(
    ty: &TypeExpr,
    modules: &BTreeMap<&str, &str>,
    owner: Option<&str>,
    direct: bool,
) -> RustType {
    match ty {
        TypeExpr::String => RustType::String,
        TypeExpr::Integer => RustType::I64,
        TypeExpr::Number => RustType::F64,
        TypeExpr::Boolean => RustType::Bool,
        TypeExpr::DateTime => RustType::Timestamp,
        TypeExpr::Any => RustType::Json,
        TypeExpr::Object => RustType::JsonObject,
        TypeExpr::Array(t) => RustType::Vec(Box::new(resolve(t, modules, owner, false))),
        TypeExpr::Map(t) => RustType::Map(Box::new(resolve(t, modules, owner, false))),
        TypeExpr::Named(n) => RustType::Named {
            name: n.clone(),
            module: modules
                .get(n.as_str())
                .copied()
                .unwrap_or("common")
                .to_string(),
            boxed: direct && owner == Some(n.as_str()),
        },
    }
}

/// Which object schemas can derive `Default` (every required field's type has one).
struct DefaultTable {
    objects: BTreeMap<String, bool>,
}

impl DefaultTable {
    fn new(model: &spec::Model) -> Self {
        // Start optimistic for declared objects and iterate to a fixed point, so
        // cycles are handled.
        let declared = || model.schemas.iter().filter(|s| s.body_of.is_none());
        let mut objects: BTreeMap<String, bool> = declared()
            .filter(|s| matches!(s.kind, spec::Kind::Object { .. }))
            .map(|s| (s.name.clone(), true))
            .collect();
        loop {
            let mut changed = false;
            for s in declared() {
                if let spec::Kind::Object { fields, .. } = &s.kind {
                    let ok = fields
                        .iter()
                        .all(|f| !f.required || f.nullable || Self::expr(&objects, &f.ty));
                    if objects.get(&s.name) == Some(&true) && !ok {
                        objects.insert(s.name.clone(), false);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        DefaultTable { objects }
    }

    fn expr(objects: &BTreeMap<String, bool>, ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Named(n) => objects.get(n).copied().unwrap_or(false),
            _ => true,
        }
    }

    fn object(&self, name: &str) -> bool {
        self.objects.get(name).copied().unwrap_or(false)
    }

    fn rust_type(&self, ty: &RustType) -> bool {
        match ty {
            RustType::Named { name, .. } => self.object(name),
            _ => true,
        }
    }
}
