//! The intermediate representation between the spec and the emitted tokens.
//!
//! Everything the emitter needs is decided here: Rust names beside wire names,
//! resolved types with the module they live in, argument order, response shape.
//! The emitter only turns this model into tokens; it makes no naming decisions.

use std::collections::BTreeMap;

use crate::ast::{self, BodyDef, HttpMethod, PaginationStyle, SchemaKind, Spec};
use crate::naming;
use crate::types::TypeExpr;

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Model {
    /// API metadata.
    pub api: ast::ApiMeta,
    /// Scopes in spec order.
    pub scopes: Vec<Scope>,
    /// `common` first, then one module per resource in file-name order.
    pub modules: Vec<Module>,
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
}

impl Field {
    /// `Option<T>` in Rust: optional or nullable.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
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
    pub http_method: HttpMethod,
    /// Path template relative to the base URL.
    pub path: String,
    /// Required scope: (wire, variant).
    pub scope: Option<(String, String)>,
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

/// Builds the model from a validated spec. `files` are the spec file names.
pub fn build(spec: &Spec, files: &[String]) -> Model {
    let modules_of: BTreeMap<&str, &str> = spec
        .schemas
        .iter()
        .map(|s| (s.name.as_str(), s.module.as_str()))
        .collect();
    let defaults = DefaultTable::new(spec);
    let resolve = |ty: &TypeExpr, owner: Option<&str>| resolve(ty, &modules_of, owner, true);
    let field = |f: &ast::FieldDef, owner: Option<&str>| Field {
        wire: f.wire.clone(),
        aliases: f.aliases.clone(),
        rust: f
            .rust_name
            .clone()
            .unwrap_or_else(|| naming::snake(&f.wire)),
        ty: if f.secret {
            RustType::Secret
        } else {
            resolve(&f.ty, owner)
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
    };
    let schema = |s: &ast::SchemaDef| Schema {
        name: s.name.clone(),
        description: s.description.clone(),
        kind: match &s.kind {
            SchemaKind::Object { fields, keep_extra } => Kind::Object {
                fields: fields.iter().map(|f| field(f, Some(&s.name))).collect(),
                keep_extra: *keep_extra,
                default: defaults.object(&s.name),
            },
            SchemaKind::Enum { values } => Kind::Enum {
                variants: values
                    .iter()
                    .map(|v| EnumVariant {
                        wire: v.value.clone(),
                        rust: naming::pascal(&v.value),
                        description: v.description.clone(),
                    })
                    .collect(),
            },
            SchemaKind::Union { variants } => Kind::Union {
                variants: variants
                    .iter()
                    .map(|v| UnionVariant {
                        rust: naming::pascal(&v.name),
                        ty: resolve(&v.ty, None),
                    })
                    .collect(),
            },
        },
    };

    let main_file = files.first().cloned().unwrap_or_default();
    let mut modules = vec![Module {
        name: "common".into(),
        description: Some("Types shared by several resources.".into()),
        sources: vec![main_file.clone()],
        schemas: spec
            .schemas
            .iter()
            .filter(|s| s.module == "common")
            .map(schema)
            .collect(),
        resource: None,
    }];
    for r in &spec.resources {
        let mut schemas: Vec<Schema> = spec
            .schemas
            .iter()
            .filter(|s| s.module == r.name)
            .map(schema)
            .collect();
        let mut operations = Vec::new();
        for ep in &r.endpoints {
            let body = ep.body.as_ref().map(|b| match b {
                BodyDef::Inline(fields, _) => {
                    let name = naming::body_struct(&r.name, &ep.name);
                    let fields: Vec<Field> = fields.iter().map(|f| field(f, None)).collect();
                    let default = fields
                        .iter()
                        .all(|f| f.is_option() || defaults.rust_type(&f.ty));
                    schemas.push(Schema {
                        name: name.clone(),
                        description: format!(
                            "The JSON body of [`{}`].",
                            naming::request_struct(&r.name, &ep.name)
                        ),
                        kind: Kind::Object {
                            fields: fields.clone(),
                            keep_extra: false,
                            default,
                        },
                    });
                    Body {
                        schema: name,
                        module: r.name.clone(),
                        fields,
                        keep_extra: false,
                    }
                }
                BodyDef::Named(ty, _) => {
                    let name = ty.named().unwrap_or_default().to_string();
                    let (fields, keep_extra) = spec
                        .schemas
                        .iter()
                        .find(|s| s.name == name)
                        .map(|s| match &s.kind {
                            SchemaKind::Object { fields, keep_extra } => {
                                (fields.iter().map(|f| field(f, None)).collect(), *keep_extra)
                            }
                            _ => (Vec::new(), false),
                        })
                        .unwrap_or_default();
                    let module = modules_of
                        .get(name.as_str())
                        .copied()
                        .unwrap_or("common")
                        .to_string();
                    Body {
                        schema: name,
                        module,
                        fields,
                        keep_extra,
                    }
                }
            });
            let placeholders = crate::validate::path_placeholders(&ep.path).unwrap_or_default();
            let path_params = placeholders
                .iter()
                .filter_map(|p| ep.path_params.iter().find(|f| &f.wire == p))
                .map(|f| Field {
                    required: true,
                    nullable: false,
                    ..field(f, None)
                })
                .collect();
            let query: Vec<Field> = ep.query.iter().map(|f| field(f, None)).collect();
            let query_default = query
                .iter()
                .all(|f| f.is_option() || defaults.rust_type(&f.ty));
            operations.push(Operation {
                id: format!("{}.{}", r.name, ep.name),
                method_name: ep.name.clone(),
                http_method: ep.method,
                path: ep.path.clone(),
                scope: ep.scope.as_ref().map(|s| (s.clone(), naming::pascal(s))),
                auth: ep.auth,
                summary: ep.summary.clone(),
                description: ep.description.clone(),
                path_params,
                query_struct: (!query.is_empty()).then(|| naming::query_struct(&r.name, &ep.name)),
                query_default,
                query,
                fixed_query: ep.fixed_query.clone(),
                body,
                response: Response {
                    status: ep.response.status,
                    key: ep.response.key.clone(),
                    ty: ep.response.ty.as_ref().map(|t| resolve(t, None)),
                },
                pagination: ep.pagination.as_ref().map(|p| Pagination {
                    style: p.style,
                    items: p.items.clone(),
                }),
                errors: ep.errors.clone(),
                retry_safe: ep.retry_safe.unwrap_or(matches!(
                    ep.method,
                    HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete
                )),
                request_struct: naming::request_struct(&r.name, &ep.name),
            });
        }
        let source = files.get(r.file).cloned().unwrap_or_default();
        modules.push(Module {
            name: r.name.clone(),
            description: r.description.clone(),
            sources: vec![source],
            schemas,
            resource: (!r.endpoints.is_empty()).then(|| Resource {
                name: r.name.clone(),
                api_struct: naming::resource_api(&r.name),
                operations,
            }),
        });
    }
    Model {
        api: spec.api.clone(),
        scopes: spec
            .scopes
            .iter()
            .map(|s| Scope {
                wire: s.name.clone(),
                variant: naming::pascal(&s.name),
                description: s.description.clone(),
                opt_in: s.opt_in,
            })
            .collect(),
        modules,
        main_file,
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
    fn new(spec: &Spec) -> Self {
        // Start optimistic for objects and iterate to a fixed point, so cycles are handled.
        let mut objects: BTreeMap<String, bool> = spec
            .schemas
            .iter()
            .filter(|s| matches!(s.kind, SchemaKind::Object { .. }))
            .map(|s| (s.name.clone(), true))
            .collect();
        loop {
            let mut changed = false;
            for s in &spec.schemas {
                if let SchemaKind::Object { fields, .. } = &s.kind {
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
