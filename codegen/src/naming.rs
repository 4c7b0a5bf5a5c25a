//! Every name the generator writes: case conversion and keyword escaping, in one place.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

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

/// Is `s` a lower snake_case identifier (resource and operation names)?
pub fn is_snake_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Is `s` a PascalCase identifier (schema names)?
pub fn is_pascal_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

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
