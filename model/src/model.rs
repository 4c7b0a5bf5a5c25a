//! The spec model: the validated spec, resolved and ready for any backend.
//!
//! Types are in the spec's own terms ([`TypeExpr`]: primitives, `T[]`,
//! `map<T>`, schema names) and every name is a wire name or a name the spec
//! implies ([`crate::names`]). Nothing here is shaped for one target: the Rust
//! backend derives its identifiers from this model, the OpenAPI and Markdown
//! backends describe it, and the mock serves it.
//!
//! Every node keeps its [`Origin`], so a backend that finds a problem the spec
//! cannot see (a name that does not work in its language) reports it with the
//! file, line and spec path through [`Model::diagnostic`].

pub use crate::ast::ListStyle;
use crate::ast::{BodyDef, SchemaKind, Spec};
use crate::diagnostics::Diagnostic;
use crate::locate::{Origin, Sources};
use crate::names;
use crate::path::path_placeholders;
use crate::types::TypeExpr;
use crate::wire::{Method, PaginationStyle};

pub use crate::ast::ApiMeta;

/// The whole API.
#[derive(Debug, Clone)]
pub struct Model {
    /// API metadata.
    pub api: ApiMeta,
    /// Scopes in spec order.
    pub scopes: Vec<Scope>,
    /// Every schema: the declared ones in spec order, then the inline request
    /// bodies in endpoint order.
    pub schemas: Vec<Schema>,
    /// Resources in file-name order.
    pub resources: Vec<Resource>,
    /// The spec files, able to locate any [`Origin`].
    pub sources: Sources,
}

impl Model {
    /// The main spec file's display name (`spec/api.yaml`).
    pub fn main_file(&self) -> &str {
        self.sources.name(0)
    }

    /// The spec directory as shown in generated headers (`spec`).
    pub fn spec_dir(&self) -> &str {
        self.main_file()
            .rsplit_once('/')
            .map_or("spec", |(dir, _)| dir)
    }

    /// The path part of the base URL (`/v1`), shown in docs before each path.
    pub fn path_prefix(&self) -> String {
        let url = &self.api.base_url;
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].trim_end_matches('/').to_string(),
            None => String::new(),
        }
    }

    /// The schema called `name`.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    /// Every schema grouped by module: `common` first, then each resource's in
    /// resource order (declared schemas, then inline bodies).
    pub fn schemas_in_module_order(&self) -> impl Iterator<Item = &Schema> {
        std::iter::once("common")
            .chain(self.resources.iter().map(|r| r.name.as_str()))
            .flat_map(move |module| self.schemas.iter().filter(move |s| s.module == module))
    }

    /// Every operation, resource by resource, in spec order.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.resources.iter().flat_map(|r| r.operations.iter())
    }

    /// A located diagnostic at `origin`.
    pub fn diagnostic(&self, origin: &Origin, message: impl Into<String>) -> Diagnostic {
        self.sources.diagnostic(origin, message)
    }
}

/// A scope an API key can be granted.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Wire name (`contacts:read`).
    pub name: String,
    /// What it grants.
    pub description: String,
    /// Provenance notes for maintainers (`notes:`): never in user-facing docs
    /// or messages; the OpenAPI export carries them as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Granted only when chosen explicitly.
    pub opt_in: bool,
    /// The spec's `rust_name`: a hint for the Rust backend, kept as written.
    pub rust_name: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
}

/// A named schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The spec name (`Contact`), or the implied name of an inline body.
    pub name: String,
    /// The group it belongs to: `common` (declared in the main file) or the
    /// resource that declares or uses it.
    pub module: String,
    /// Its documentation.
    pub description: String,
    /// Provenance notes for maintainers (`notes:`): never in user-facing docs
    /// or messages; the OpenAPI export carries them as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Its shape.
    pub kind: Kind,
    /// Keys the API is known to send that the spec leaves out of `fields`
    /// (`known_extra:`), in spec order.
    pub known_extra: Vec<String>,
    /// The operation whose inline body this is, if it is one.
    pub body_of: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
}

/// A schema's shape, as the spec declares it: an object's fields, an open enum's
/// values or a union's variants need no resolving, so the model uses the spec's
/// own definitions.
pub use crate::ast::{EnumValue, SchemaKind as Kind, UnionVariant};

/// An object field, a parameter or a body field: the spec's own definition
/// ([`FieldDef`](crate::ast::FieldDef)), which needs no resolving.
pub use crate::ast::FieldDef as Field;

/// A resource: one spec file's endpoints.
#[derive(Debug, Clone)]
pub struct Resource {
    /// snake_case name (the file stem).
    pub name: String,
    /// Its documentation.
    pub description: Option<String>,
    /// Provenance notes for maintainers (`notes:`): never in user-facing docs
    /// or messages; the OpenAPI export carries them as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// The spec file it comes from.
    pub file: String,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Where it is declared.
    pub origin: Origin,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `contacts.create`.
    pub id: String,
    /// The resource (`contacts`).
    pub resource: String,
    /// The endpoint's name in its resource (`create`).
    pub name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL.
    pub path: String,
    /// Required scope; `None` when the endpoint needs none, or when it depends
    /// on a parameter (then `scope_by` is set).
    pub scope: Option<String>,
    /// The scope depends on the value of a parameter.
    pub scope_by: Option<ScopeBy>,
    /// Sends the API key.
    pub auth: bool,
    /// One-line summary.
    pub summary: String,
    /// Longer documentation.
    pub description: Option<String>,
    /// Provenance notes for maintainers (`notes:`): never in user-facing docs
    /// or messages; the OpenAPI export carries them as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Path parameters, in template order.
    pub path_params: Vec<Field>,
    /// Query parameters.
    pub query: Vec<Field>,
    /// Query pairs sent on every call (`count_only=true`).
    pub fixed_query: Vec<(String, String)>,
    /// Request body.
    pub body: Option<Body>,
    /// Success response.
    pub response: Response,
    /// Pagination of list endpoints.
    pub pagination: Option<Pagination>,
    /// Documented error statuses and what they mean here.
    pub errors: Vec<(u16, String)>,
    /// Provenance notes of error entries, `(status, notes)`: never in error
    /// text or docs (see `notes`).
    pub error_notes: Vec<(u16, String)>,
    /// May be re-sent after a failure the server may have seen (`retry:`,
    /// defaulting to whether the method is idempotent).
    pub retry_safe: bool,
    /// Only reads: creates, changes and deletes nothing (`effect:`, defaulting
    /// to `read` for `GET` and `write` for every other method). Tools that must
    /// not change anything, such as `cargo xtask drift`, call only these.
    pub reads_only: bool,
    /// Where it is declared.
    pub origin: Origin,
}

/// A scope that depends on the value of a parameter (`batch.aggregate` needs
/// the read scope of the entity it aggregates).
#[derive(Debug, Clone)]
pub struct ScopeBy {
    /// The parameter's wire name.
    pub param: String,
    /// Where the parameter is sent.
    pub place: ParamPlace,
    /// `(parameter value, scope)`, in spec order.
    pub values: Vec<(String, String)>,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPlace {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A field of the JSON body.
    Body,
}

impl Operation {
    /// Every scope the operation may need: its fixed scope, or each scope its
    /// parameter can select (in spec order, without repeats).
    pub fn possible_scopes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.scope.iter().map(String::as_str).collect();
        for (_, scope) in self.scope_by.iter().flat_map(|b| &b.values) {
            if !out.contains(&scope.as_str()) {
                out.push(scope);
            }
        }
        out
    }
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's schema (declared, or the implied name of an inline body).
    pub schema: String,
    /// The module of that schema.
    pub module: String,
    /// Whether the schema is this endpoint's inline body.
    pub inline: bool,
    /// The schema's fields, in declaration order.
    pub fields: Vec<Field>,
    /// The schema keeps unknown keys.
    pub keep_extra: bool,
    /// Where the body is declared (`body`, or `body.type` for a named schema).
    pub origin: Origin,
}

/// The success response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Success status.
    pub status: u16,
    /// The success envelope's key holding the value, if it is unwrapped.
    pub key: Option<String>,
    /// The decoded type (the item type when paginated); `None` when not read.
    pub ty: Option<TypeExpr>,
}

/// How a list endpoint pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The style, whose envelope the wire format defines.
    pub style: PaginationStyle,
    /// The envelope key of the item array.
    pub items: String,
}

/// Builds the model of a validated spec.
pub fn build(spec: &Spec, sources: Sources) -> Model {
    let mut schemas: Vec<Schema> = spec
        .schemas
        .iter()
        .map(|s| Schema {
            name: s.name.clone(),
            module: s.module.clone(),
            description: s.description.clone(),
            notes: s.notes.clone(),
            kind: s.kind.clone(),
            known_extra: s.known_extra.clone(),
            body_of: None,
            origin: s.origin.clone(),
        })
        .collect();

    let mut resources = Vec::new();
    for r in &spec.resources {
        let mut operations = Vec::new();
        for ep in &r.endpoints {
            let id = names::operation_id(&r.name, &ep.name);
            let body = ep.body.as_ref().map(|b| match b {
                BodyDef::Inline(fields, origin) => {
                    let name = names::inline_body(&r.name, &ep.name);
                    let fields: Vec<Field> = fields.to_vec();
                    schemas.push(Schema {
                        name: name.clone(),
                        module: r.name.clone(),
                        description: format!("The JSON body of `{id}`."),
                        notes: None,
                        kind: Kind::Object {
                            fields: fields.clone(),
                            keep_extra: false,
                        },
                        known_extra: Vec::new(),
                        body_of: Some(id.clone()),
                        origin: origin.clone(),
                    });
                    Body {
                        schema: name,
                        module: r.name.clone(),
                        inline: true,
                        fields,
                        keep_extra: false,
                        origin: origin.clone(),
                    }
                }
                BodyDef::Named(ty, origin) => {
                    let name = ty.named().unwrap_or_default().to_string();
                    let declared = spec.schemas.iter().find(|s| s.name == name);
                    let (fields, keep_extra) = match declared.map(|s| &s.kind) {
                        Some(SchemaKind::Object { fields, keep_extra }) => {
                            (fields.to_vec(), *keep_extra)
                        }
                        _ => (Vec::new(), false),
                    };
                    Body {
                        module: declared.map_or_else(|| "common".into(), |s| s.module.clone()),
                        schema: name,
                        inline: false,
                        fields,
                        keep_extra,
                        origin: origin.clone(),
                    }
                }
            });
            let path_params = path_placeholders(&ep.path)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| ep.path_params.iter().find(|f| &f.wire == p))
                .map(|f| Field {
                    required: true,
                    nullable: false,
                    ..f.clone()
                })
                .collect();
            operations.push(Operation {
                id,
                resource: r.name.clone(),
                name: ep.name.clone(),
                method: ep.method,
                path: ep.path.clone(),
                scope: ep.scope.clone(),
                scope_by: ep.scope_by.as_ref().map(|by| ScopeBy {
                    param: by.param.clone(),
                    place: if ep.path_params.iter().any(|f| f.wire == by.param) {
                        ParamPlace::Path
                    } else if ep.query.iter().any(|f| f.wire == by.param) {
                        ParamPlace::Query
                    } else {
                        ParamPlace::Body
                    },
                    values: by
                        .values
                        .iter()
                        .map(|(value, scope, _)| (value.clone(), scope.clone()))
                        .collect(),
                }),
                auth: ep.auth,
                summary: ep.summary.clone(),
                description: ep.description.clone(),
                notes: ep.notes.clone(),
                path_params,
                query: ep.query.clone(),
                fixed_query: ep.fixed_query.clone(),
                body,
                response: Response {
                    status: ep.response.status,
                    key: ep.response.key.clone(),
                    ty: ep.response.ty.clone(),
                },
                pagination: ep.pagination.as_ref().map(|p| Pagination {
                    style: p.style,
                    items: p.items.clone(),
                }),
                errors: ep.errors.clone(),
                error_notes: ep.error_notes.clone(),
                retry_safe: ep.retry_safe.unwrap_or(ep.method.is_idempotent()),
                reads_only: ep.reads_only.unwrap_or(ep.method == Method::Get),
                origin: ep.origin.clone(),
            });
        }
        resources.push(Resource {
            name: r.name.clone(),
            description: r.description.clone(),
            notes: r.notes.clone(),
            file: sources.name(r.file).to_string(),
            operations,
            origin: r.origin.clone(),
        });
    }
    Model {
        api: spec.api.clone(),
        scopes: spec
            .scopes
            .iter()
            .map(|s| Scope {
                name: s.name.clone(),
                description: s.description.clone(),
                notes: s.notes.clone(),
                opt_in: s.opt_in,
                rust_name: s.rust_name.clone(),
                origin: s.origin.clone(),
            })
            .collect(),
        schemas,
        resources,
        sources,
    }
}
