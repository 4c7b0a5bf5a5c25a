//! The names the spec itself implies, decided once: operation ids and the
//! schema names of inline request bodies.
//!
//! These are language-neutral names, shared by every backend (the OpenAPI
//! export uses them as `operationId` and component names). Names in a target
//! language (Rust identifiers, keyword escapes) belong to that language's backend.

/// Is `s` a lower snake_case identifier (resource and endpoint names)?
pub fn is_snake_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Is `s` a PascalCase identifier (schema names)?
pub fn is_pascal_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The id of an operation: `contacts` + `create` → `contacts.create`.
pub fn operation_id(resource: &str, endpoint: &str) -> String {
    format!("{resource}.{endpoint}")
}

/// The schema name of an endpoint's inline body: `contacts` + `create` →
/// `ContactsCreateBody`.
pub fn inline_body(resource: &str, endpoint: &str) -> String {
    format!("{}{}Body", pascal(resource), pascal(endpoint))
}

/// `list_notes` → `ListNotes` (for snake_case names, which the validator ensures).
fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names() {
        assert_eq!(
            operation_id("contacts", "list_notes"),
            "contacts.list_notes"
        );
        assert_eq!(inline_body("contacts", "create"), "ContactsCreateBody");
        assert_eq!(inline_body("v2_items", "list2"), "V2ItemsList2Body");
        assert!(is_snake_ident("list_notes") && !is_snake_ident("ListNotes"));
        assert!(is_pascal_ident("Contact") && !is_pascal_ident("contact"));
    }
}
