//! [`Shape`]: what the values seen at one place have in common, as a spec type.

use serde_json::Value;

/// A summary of JSON values: which kinds were seen (and, for arrays, the
/// summary of their items), enough to suggest a type expression.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Values seen.
    pub count: u64,
    /// `null` was seen.
    pub null: bool,
    /// `true` or `false` was seen.
    pub boolean: bool,
    /// A whole number was seen.
    pub integer: bool,
    /// A number with a fraction was seen.
    pub number: bool,
    /// A string that reads as an RFC 3339 date-time was seen.
    pub datetime: bool,
    /// A string whose text is a number (`"250"`) was seen.
    pub numeric_string: bool,
    /// Any other string was seen.
    pub string: bool,
    /// An object was seen.
    pub object: bool,
    /// An array was seen, with the summary of every item.
    pub array: Option<Box<Shape>>,
}

impl Shape {
    /// Adds one value.
    pub fn add(&mut self, v: &Value) {
        self.count += 1;
        match v {
            Value::Null => self.null = true,
            Value::Bool(_) => self.boolean = true,
            Value::Number(n) if n.is_i64() || n.is_u64() => self.integer = true,
            Value::Number(_) => self.number = true,
            Value::String(s) if looks_like_datetime(s) => self.datetime = true,
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                self.numeric_string = true
            }
            Value::String(_) => self.string = true,
            Value::Object(_) => self.object = true,
            Value::Array(items) => {
                let inner = self.array.get_or_insert_with(Box::default);
                for item in items {
                    inner.add(item);
                }
            }
        }
    }

    /// Adds everything `other` saw.
    pub fn merge(&mut self, other: &Shape) {
        self.count += other.count;
        self.null |= other.null;
        self.boolean |= other.boolean;
        self.integer |= other.integer;
        self.number |= other.number;
        self.datetime |= other.datetime;
        self.numeric_string |= other.numeric_string;
        self.string |= other.string;
        self.object |= other.object;
        if let Some(items) = &other.array {
            self.array.get_or_insert_with(Box::default).merge(items);
        }
    }

    /// The type expression that accepts every non-null value seen (`any` when
    /// they disagree or none was seen).
    pub fn type_expr(&self) -> String {
        let strings = self.string || self.numeric_string || self.datetime;
        let kinds = [
            self.boolean,
            self.integer || self.number,
            strings,
            self.object,
            self.array.is_some(),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if kinds != 1 {
            return "any".into();
        }
        if self.boolean {
            "boolean".into()
        } else if self.number {
            "number".into()
        } else if self.integer {
            "integer".into()
        } else if self.datetime && !self.string && !self.numeric_string {
            "datetime".into()
        } else if strings {
            "string".into()
        } else if self.object {
            "object".into()
        } else {
            match &self.array {
                Some(items) if items.count > 0 => format!("{}[]", items.type_expr()),
                _ => "any[]".into(),
            }
        }
    }

    /// The kinds seen, for messages (`string ("250")`-free: no values are kept).
    pub fn describe(&self) -> String {
        let mut kinds = Vec::new();
        for (seen, name) in [
            (self.null, "null"),
            (self.boolean, "boolean"),
            (self.integer, "integer"),
            (self.number, "number"),
            (self.numeric_string, "numeric string"),
            (self.datetime, "date-time string"),
            (self.string, "string"),
            (self.object, "object"),
            (self.array.is_some(), "array"),
        ] {
            if seen {
                kinds.push(name);
            }
        }
        if kinds.is_empty() {
            "nothing".into()
        } else {
            kinds.join(", ")
        }
    }
}

/// `2024-01-31T10:00:00Z`-like text: a date, `T` (or a space) and a time.
fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    b.len() >= 16
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Shape;

    fn infer(values: &[serde_json::Value]) -> String {
        let mut shape = Shape::default();
        values.iter().for_each(|v| shape.add(v));
        shape.type_expr()
    }

    #[test]
    fn types_are_inferred_from_every_value_seen() {
        assert_eq!(infer(&[json!("a"), json!(null)]), "string");
        assert_eq!(infer(&[json!(1), json!(2)]), "integer");
        assert_eq!(infer(&[json!(1), json!(2.5)]), "number");
        assert_eq!(infer(&[json!("2024-01-31T10:00:00Z")]), "datetime");
        assert_eq!(
            infer(&[json!("2024-01-31T10:00:00Z"), json!("x")]),
            "string"
        );
        assert_eq!(infer(&[json!([1, 2]), json!([])]), "integer[]");
        assert_eq!(infer(&[json!([])]), "any[]");
        assert_eq!(infer(&[json!({"a": 1})]), "object");
        assert_eq!(infer(&[json!(1), json!("x")]), "any");
        assert_eq!(infer(&[json!(null)]), "any");
        assert_eq!(infer(&[json!("250")]), "string");
    }
}
