//! Type expressions: `string`, `Contact[]`, `map<integer>`, ...

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// `string`
    String,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `boolean`
    Boolean,
    /// `datetime`
    DateTime,
    /// `any`
    Any,
    /// `object`
    Object,
    /// `T[]`
    Array(Box<TypeExpr>),
    /// `map<T>`
    Map(Box<TypeExpr>),
    /// A schema name.
    Named(String),
}

/// The primitive names, for suggestions.
pub const PRIMITIVES: &[&str] = &[
    "string", "integer", "number", "boolean", "datetime", "any", "object",
];

impl TypeExpr {
    /// Parses a type expression; the error says what is wrong.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty type".into());
        }
        if t.contains('|') {
            return Err(format!(
                "inline union `{t}` is not supported: declare a named schema with `one_of:` and use its name"
            ));
        }
        if let Some(inner) = t.strip_suffix("[]") {
            return Ok(TypeExpr::Array(Box::new(TypeExpr::parse(inner)?)));
        }
        if let Some(inner) = t.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
            return Ok(TypeExpr::Map(Box::new(TypeExpr::parse(inner)?)));
        }
        Ok(match t {
            "string" => TypeExpr::String,
            "integer" => TypeExpr::Integer,
            "number" => TypeExpr::Number,
            "boolean" => TypeExpr::Boolean,
            "datetime" => TypeExpr::DateTime,
            "any" => TypeExpr::Any,
            "object" => TypeExpr::Object,
            name if name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                TypeExpr::Named(name.to_string())
            }
            other => {
                let hint = crate::diagnostics::did_you_mean(other, PRIMITIVES.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "; expected a primitive (string, integer, number, boolean, datetime, any, object), `T[]`, `map<T>` or a PascalCase schema name".into()
                    });
                return Err(format!("unknown type `{other}`{hint}"));
            }
        })
    }

    /// Every schema name this type mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(n) => Some(n),
            TypeExpr::Array(t) | TypeExpr::Map(t) => t.named(),
            _ => None,
        }
    }

    /// True for `integer` and `number`.
    pub fn is_numeric(&self) -> bool {
        matches!(self, TypeExpr::Integer | TypeExpr::Number)
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Integer => f.write_str("integer"),
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Boolean => f.write_str("boolean"),
            TypeExpr::DateTime => f.write_str("datetime"),
            TypeExpr::Any => f.write_str("any"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::Array(t) => write!(f, "{t}[]"),
            TypeExpr::Map(t) => write!(f, "map<{t}>"),
            TypeExpr::Named(n) => f.write_str(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            TypeExpr::parse("map<Contact[]>"),
            Ok(TypeExpr::Map(Box::new(TypeExpr::Array(Box::new(
                TypeExpr::Named("Contact".into())
            )))))
        );
        assert_eq!(
            TypeExpr::parse("string[]").map(|t| t.to_string()),
            Ok("string[]".into())
        );
    }

    #[test]
    fn rejects_typos_with_a_suggestion() {
        let err = TypeExpr::parse("strng").unwrap_err();
        assert!(err.contains("did you mean `string`"), "{err}");
        assert!(
            TypeExpr::parse("string | string[]")
                .unwrap_err()
                .contains("one_of")
        );
    }
}
