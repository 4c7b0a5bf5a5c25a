//! Every Rust name the generator writes: case conversion, keyword escaping, and
//! the names the runtime and the generated `Client` already take, in one place.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

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

/// Module names the generated layout uses besides the resources.
pub const RESERVED_MODULES: &[&str] = &["common", "scopes", "types", "runtime"];

/// Methods of the generated `Client` (its own, and those of the traits it
/// implements), which a resource accessor must not shadow. A test checks this
/// list against the generated code.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "with_scopes",
    "without_scope_checks",
    "scopes",
    "base_url",
    "clone",
    "clone_from",
    "fmt",
    "from_runtime",
    "to_owned",
    "into",
    "try_into",
    "borrow",
    "type_id",
];

/// Methods every resource accessor (`ContactsApi`) has through its derives,
/// which an operation must not shadow.
pub const ACCESSOR_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "into",
    "try_into",
    "borrow",
    "type_id",
];

/// Methods every request already has, which parameters must not shadow.
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
    "clone",
    "clone_from",
    "fmt",
    "set_position",
    "position",
    "fetch_page",
];

/// Rust keywords (2024 edition, strict and reserved) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keeps what can be part of an identifier; everything else separates words.
/// Wire names may hold any text (`€`, `a.b`, `x-y`), identifiers may not.
fn identifier_chars(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The snake_case Rust name of a wire name (`firstName` → `first_name`, `_id` → `id`).
pub fn snake(wire: &str) -> String {
    let s = identifier_chars(wire).to_snake_case();
    if s.is_empty() {
        "value".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// The Rust name of a field or parameter: its spec `rust_name`, or its wire
/// name in snake_case.
pub fn field_name(f: &pathbound_model::model::Field) -> String {
    f.rust_name.clone().unwrap_or_else(|| snake(&f.wire))
}

/// The PascalCase Rust name (`pending_approval` → `PendingApproval`, `contacts:read` → `ContactsRead`).
pub fn pascal(wire: &str) -> String {
    let s = identifier_chars(wire).to_pascal_case();
    if s.is_empty() {
        "Empty".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// SCREAMING_SNAKE_CASE (`contacts.create` → `CONTACTS_CREATE`).
pub fn shouty(wire: &str) -> String {
    wire.replace([':', '.', '/', '-'], "_")
        .to_shouty_snake_case()
}

/// True when `name` must be written as a raw identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A valid identifier token for `name` (raw `r#type` for keywords that allow it).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => {
            proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site())
        }
        n if is_keyword(n) => proc_macro2::Ident::new_raw(n, proc_macro2::Span::call_site()),
        n => proc_macro2::Ident::new(n, proc_macro2::Span::call_site()),
    }
}

/// The accessor type of a resource: `contacts` → `ContactsApi`.
pub fn resource_api(resource: &str) -> String {
    format!("{}Api", pascal(resource))
}

/// The request builder of an operation: `contacts.create` → `ContactsCreateRequest`.
pub fn request_struct(resource: &str, op: &str) -> String {
    format!("{}{}Request", pascal(resource), pascal(op))
}

/// The query-string struct of an operation: `contacts.list` → `ContactsListQuery`.
pub fn query_struct(resource: &str, op: &str) -> String {
    format!("{}{}Query", pascal(resource), pascal(op))
}

/// The inline body schema of an operation: `contacts.create` → `ContactsCreateBody`.
pub fn body_struct(resource: &str, op: &str) -> String {
    format!("{}{}Body", pascal(resource), pascal(op))
}

/// The `static` holding an operation's metadata: `contacts.create` → `CONTACTS_CREATE`.
pub fn operation_static(resource: &str, op: &str) -> String {
    shouty(&format!("{resource}.{op}"))
}

/// Is `s` a lower snake_case identifier (what a `rust_name` must be)?
pub use pathbound_model::names::is_snake_ident;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake("firstName"), "first_name");
        assert_eq!(snake("_id"), "id");
        assert_eq!(snake("createdAt"), "created_at");
        assert_eq!(pascal("pending_approval"), "PendingApproval");
        assert_eq!(pascal("contacts:read"), "ContactsRead");
        assert_eq!(pascal("createdAt"), "CreatedAt");
        assert_eq!(shouty("contacts.list_notes"), "CONTACTS_LIST_NOTES");
        assert_eq!(
            request_struct("contacts", "list_notes"),
            "ContactsListNotesRequest"
        );
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        // Any wire text gives a valid identifier (Ident::new would panic otherwise).
        for odd in ["€", "a.b", "x-y", "", "9lives", "$ref", "🙂 ok", "__"] {
            let _ = ident(&snake(odd));
            let _ = proc_macro2::Ident::new(&pascal(odd), proc_macro2::Span::call_site());
        }
        assert_eq!(snake("€uro"), "uro");
        assert_eq!(pascal("x-y"), "XY");
    }
}
