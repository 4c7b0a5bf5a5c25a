//! Client-side checks of documented parameter bounds.
//!
//! Generated code calls these before sending, for parameters whose spec
//! declares `min`/`max` or `min_items`/`max_items`, so an out-of-range value
//! fails immediately with a message naming the parameter and the allowed
//! range, instead of a round trip and a terse 400. Absent values (`None`)
//! always pass: the server applies its default.

use std::fmt::Display;

use super::error::{Error, Result};

/// Checks an integer parameter against inclusive bounds.
///
/// Fails with [`Error::InvalidRequest`], e.g. "`limit` must be between 1 and 100, got 500".
pub fn range(
    operation: &'static str,
    parameter: &'static str,
    value: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<()> {
    match value {
        Some(v) if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) => {
            Err(out_of_range(operation, parameter, &v, min, max, ""))
        }
        _ => Ok(()),
    }
}

/// Checks a floating-point parameter against inclusive bounds; NaN never passes.
pub fn range_f64(
    operation: &'static str,
    parameter: &'static str,
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<()> {
    match value {
        Some(v) if v.is_nan() => Err(Error::invalid(
            Some(operation),
            parameter,
            format!("`{parameter}` must be a number, got NaN"),
        )),
        Some(v) if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) => {
            Err(out_of_range(operation, parameter, &v, min, max, ""))
        }
        _ => Ok(()),
    }
}

/// Checks the length of a list parameter against inclusive bounds, e.g.
/// "`tags` must have between 1 and 10 items, got 12".
pub fn items(
    operation: &'static str,
    parameter: &'static str,
    len: Option<usize>,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<()> {
    match len {
        Some(n) if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) => {
            Err(out_of_range(operation, parameter, &n, min, max, " items"))
        }
        _ => Ok(()),
    }
}

/// The shared message builder. `unit` is `""` for
/// values and `" items"` for lengths.
fn out_of_range<T: Display>(
    operation: &'static str,
    parameter: &'static str,
    got: &T,
    min: Option<T>,
    max: Option<T>,
    unit: &str,
) -> Error {
    let verb = if unit.is_empty() { "be" } else { "have" };
    // "at least 1 item", "at most 10 items"
    let unit_for = |n: &T| match (unit, n.to_string() == "1") {
        (" items", true) => " item",
        _ => unit,
    };
    let bound = match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}{}", unit_for(&max)),
        (Some(min), None) => format!("at least {min}{}", unit_for(&min)),
        (None, Some(max)) => format!("at most {max}{}", unit_for(&max)),
        (None, None) => "valid".to_owned(),
    };
    Error::invalid(
        Some(operation),
        parameter,
        format!("`{parameter}` must {verb} {bound}, got {got}"),
    )
}

#[cfg(test)]
mod tests {
    use super::{items, range, range_f64};
    use crate::error::{Error, Result};

    fn message(result: Result<()>) -> String {
        match result {
            Err(Error::InvalidRequest {
                operation,
                parameter,
                message,
            }) => {
                assert_eq!(operation, Some("contacts.list"));
                assert!(message.contains(&format!("`{parameter}`")), "{message}");
                message
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    #[test]
    fn integer_ranges() {
        let op = "contacts.list";
        assert!(range(op, "limit", Some(100), Some(1), Some(100)).is_ok());
        assert!(range(op, "limit", None, Some(1), Some(100)).is_ok());
        assert_eq!(
            message(range(op, "limit", Some(500), Some(1), Some(100))),
            "`limit` must be between 1 and 100, got 500"
        );
        assert_eq!(
            message(range(op, "page", Some(0), Some(1), None)),
            "`page` must be at least 1, got 0"
        );
        assert_eq!(
            message(range(op, "limit", Some(101), None, Some(100))),
            "`limit` must be at most 100, got 101"
        );
        let err = range(op, "limit", Some(500), Some(1), Some(100)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid request to `contacts.list`: `limit` must be between 1 and 100, got 500"
        );
    }

    #[test]
    fn float_ranges_and_nan() {
        let op = "contacts.list";
        assert!(range_f64(op, "score", Some(0.5), Some(0.0), Some(1.0)).is_ok());
        assert_eq!(
            message(range_f64(op, "score", Some(1.5), Some(0.0), Some(1.0))),
            "`score` must be between 0 and 1, got 1.5"
        );
        assert_eq!(
            message(range_f64(op, "score", Some(f64::NAN), None, None)),
            "`score` must be a number, got NaN"
        );
    }

    #[test]
    fn list_lengths() {
        let op = "contacts.list";
        assert!(items(op, "tags", Some(3), Some(1), Some(10)).is_ok());
        assert_eq!(
            message(items(op, "tags", Some(12), Some(1), Some(10))),
            "`tags` must have between 1 and 10 items, got 12"
        );
        assert_eq!(
            message(items(op, "ids", Some(0), Some(1), None)),
            "`ids` must have at least 1 item, got 0"
        );
    }
}
