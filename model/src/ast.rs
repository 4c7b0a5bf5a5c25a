//! The spec as written: the shape of the YAML, decoded but not yet cross-checked.
//!
//! [`crate::decode`] builds these from YAML; [`crate::validate`] checks the
//! references between them; [`crate::model`] turns them into the model every backend reads.

use crate::locate::Origin;
use crate::types::TypeExpr;

/// One spec file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in errors and in generated headers, e.g. `spec/resources/contacts.yaml`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// The whole spec.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// API metadata.
    pub api: ApiMeta,
    /// Declared scopes, in spec order.
    pub scopes: Vec<ScopeDef>,
    /// Every schema, shared or per resource, in spec order.
    pub schemas: Vec<SchemaDef>,
    /// Resources in file-name order.
    pub resources: Vec<ResourceDef>,
    /// Names of schemas that were declared but could not be decoded; references to
    /// them are not reported again as unknown.
    pub broken_schemas: Vec<String>,
}

/// `api:` metadata.
#[derive(Debug, Clone, Default)]
pub struct ApiMeta {
    /// `api.title`.
    pub title: String,
    /// `api.version`.
    pub version: String,
    /// `api.description`.
    pub description: Option<String>,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// `api.base_url`.
    pub base_url: String,
    /// `api.auth.api_key_env`.
    pub api_key_env: String,
    /// `api.auth.base_url_env`.
    pub base_url_env: String,
}

/// A scope an API key can be granted.
#[derive(Debug, Clone)]
pub struct ScopeDef {
    /// Wire name, e.g. `contacts:read`.
    pub name: String,
    /// What it grants.
    pub description: String,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Granted only when chosen explicitly.
    pub opt_in: bool,
    /// `rust_name`, when given.
    pub rust_name: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

/// A named schema.
#[derive(Debug, Clone)]
pub struct SchemaDef {
    /// PascalCase name.
    pub name: String,
    /// The module it is generated into (`common` or the resource name).
    pub module: String,
    /// Rustdoc.
    pub description: String,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Object, enum or union.
    pub kind: SchemaKind,
    /// `known_extra:` of an object: keys the API is known to send that the
    /// spec leaves out of `fields` on purpose (kept in `extra` with
    /// `additional: keep`, skipped otherwise). `cargo xtask drift` does not
    /// report them.
    pub known_extra: Vec<String>,
    /// Where it was declared.
    pub origin: Origin,
}

/// What kind of schema.
#[derive(Debug, Clone)]
pub enum SchemaKind {
    /// A JSON object with typed fields.
    Object {
        /// The fields, in spec order.
        fields: Vec<FieldDef>,
        /// Keep unknown keys in an `extra` map.
        keep_extra: bool,
    },
    /// An open string enum.
    Enum {
        /// The known values.
        values: Vec<EnumValue>,
    },
    /// An untagged union.
    Union {
        /// Variants in decoding order.
        variants: Vec<UnionVariant>,
    },
}

/// One known value of an open enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The wire value.
    pub wire: String,
    /// Rustdoc for the variant.
    pub description: Option<String>,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// `rust_name`, when given.
    pub rust_name: Option<String>,
    /// Where it was declared.
    pub origin: Origin,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Variant name as written (snake_case).
    pub name: String,
    /// Its type.
    pub ty: TypeExpr,
    /// Where it was declared.
    pub origin: Origin,
}

/// A field of an object, a query parameter, a path parameter or a body field.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The wire (JSON or query) name.
    pub wire: String,
    /// `rust_name`, when given.
    pub rust_name: Option<String>,
    /// The type.
    pub ty: TypeExpr,
    /// Rustdoc.
    pub description: Option<String>,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Always present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Other wire names accepted on decode.
    pub aliases: Vec<String>,
    /// The server's default, for the docs.
    pub default: Option<String>,
    /// Inclusive numeric minimum.
    pub min: Option<f64>,
    /// Inclusive numeric maximum.
    pub max: Option<f64>,
    /// Minimum array length.
    pub min_items: Option<u64>,
    /// Maximum array length.
    pub max_items: Option<u64>,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// A secret (password, code): hidden from `Debug`.
    pub secret: bool,
    /// How a list query parameter is sent (`style:`).
    pub style: Option<ListStyle>,
    /// `lenient: true`: also accept the value's other common spelling (a
    /// numeric string for a number, epoch milliseconds for a date-time).
    pub lenient: bool,
    /// `example:`: a realistic value for generated examples (a string,
    /// number, boolean, date-time or enum value, as text).
    pub example: Option<String>,
    /// The `example:` was a mapping or list, kept as JSON text.
    pub example_is_json: bool,
    /// Where it was declared.
    pub origin: Origin,
}

impl FieldDef {
    /// May be absent or `null`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Has a documented limit a client can check before sending.
    pub fn has_limits(&self) -> bool {
        self.min.is_some()
            || self.max.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
    }
}

/// How a list query parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `include=a,b` (`style: comma`).
    Comma,
    /// `tag=a&tag=b` (`style: repeat`).
    Repeat,
}

/// One resource file.
#[derive(Debug, Clone)]
pub struct ResourceDef {
    /// snake_case name (the file stem).
    pub name: String,
    /// Module docs.
    pub description: Option<String>,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Its endpoints, in spec order.
    pub endpoints: Vec<EndpointDef>,
    /// The file it came from.
    pub file: usize,
    /// Where it was declared.
    pub origin: Origin,
}

/// HTTP method: the wire format's, re-exported under the name the spec uses.
pub use pathbound_wire::Method as HttpMethod;

/// One endpoint.
#[derive(Debug, Clone)]
pub struct EndpointDef {
    /// snake_case operation name (the Rust method).
    pub name: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template relative to the base URL.
    pub path: String,
    /// Required scope; `None` for `scope: none` and for a scope that depends
    /// on a parameter (then `scope_by` is set).
    pub scope: Option<String>,
    /// `scope: { by: param, values: { value: scope, ... } }`: the scope depends
    /// on the value of a parameter.
    pub scope_by: Option<ScopeByDef>,
    /// Send the API key.
    pub auth: bool,
    /// One-line summary.
    pub summary: String,
    /// Longer docs.
    pub description: Option<String>,
    /// `notes:`: provenance for maintainers (where a fact comes from, what is
    /// assumed). Never shown in user-facing docs or messages; the OpenAPI export
    /// carries it as `x-pathbound-notes`.
    pub notes: Option<String>,
    /// Path parameters.
    pub path_params: Vec<FieldDef>,
    /// Query parameters.
    pub query: Vec<FieldDef>,
    /// Always-sent query pairs.
    pub fixed_query: Vec<(String, String)>,
    /// Request body.
    pub body: Option<BodyDef>,
    /// Success response.
    pub response: ResponseDef,
    /// Pagination, for list endpoints.
    pub pagination: Option<PaginationDef>,
    /// Documented error statuses.
    pub errors: Vec<(u16, String)>,
    /// `notes:` of error entries written as `{description, notes}`:
    /// `(status, notes)`, never shown to users (see `notes`).
    pub error_notes: Vec<(u16, String)>,
    /// `retry:` when given.
    pub retry_safe: Option<bool>,
    /// `effect:` when given: `Some(true)` for `read`, `Some(false)` for `write`.
    pub reads_only: Option<bool>,
    /// Where it was declared.
    pub origin: Origin,
}

/// A scope that depends on a parameter's value.
#[derive(Debug, Clone)]
pub struct ScopeByDef {
    /// The parameter's wire name (a path, query or body parameter).
    pub param: String,
    /// `(parameter value, scope)` pairs, in spec order, each with its origin.
    pub values: Vec<(String, String, Origin)>,
    /// Where `scope:` is written.
    pub origin: Origin,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum BodyDef {
    /// `body: { type: Name }`.
    Named(TypeExpr, Origin),
    /// `body: { fields: ... }`.
    Inline(Vec<FieldDef>, Origin),
}

/// The success response.
#[derive(Debug, Clone)]
pub struct ResponseDef {
    /// Success status.
    pub status: u16,
    /// Envelope key to unwrap.
    pub key: Option<String>,
    /// Decoded type (the item type for paginated endpoints).
    pub ty: Option<TypeExpr>,
    /// Where it was declared.
    pub origin: Origin,
}

/// Pagination style, as the wire format defines it.
pub use pathbound_wire::PaginationStyle;

/// `pagination:` of a list endpoint.
#[derive(Debug, Clone)]
pub struct PaginationDef {
    /// The style.
    pub style: PaginationStyle,
    /// Envelope key of the item array.
    pub items: String,
    /// Where it was declared.
    pub origin: Origin,
}
