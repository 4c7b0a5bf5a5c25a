//! List query parameters, in the two styles the spec can declare:
//! `style: comma` (`include=a,b`, one pair) and `style: repeat` (`tag=a&tag=b`).
//!
//! Generated query structs mark a comma-style field with
//! `#[serde(serialize_with = "…::comma")]` (or `comma_opt` when optional); a
//! repeat-style field is skipped there and added with
//! [`Call::query_repeated`](crate::__private::Call::query_repeated).

use serde::ser::{Error as _, Serialize, Serializer};
use serde_json::Value;

/// A list item as it goes into a query string: a string as is, a number or a
/// boolean in its JSON spelling; enums serialise as their wire string.
pub(crate) fn item_text<T: Serialize>(item: &T) -> Result<String, String> {
    match serde_json::to_value(item).map_err(|e| e.to_string())? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "a list query parameter holds scalars, not {}",
            match other {
                Value::Null => "null",
                Value::Array(_) => "lists",
                _ => "objects",
            }
        )),
    }
}

/// `items` joined with `,` as one query value. An item that itself contains a
/// `,` cannot be sent this way (the server would read two items): an error,
/// so the request fails before it is sent. (Generated code skips empty lists.)
pub fn comma<T: Serialize, S: Serializer>(items: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        let text = item_text(item).map_err(S::Error::custom)?;
        if text.contains(',') {
            return Err(S::Error::custom(
                "an item of a comma-separated list contains a comma",
            ));
        }
        texts.push(text);
    }
    serializer.serialize_str(&texts.join(","))
}

/// Whether an optional list sends nothing: `None` or empty.
pub fn is_none_or_empty<T>(items: &Option<Vec<T>>) -> bool {
    items.as_ref().is_none_or(Vec::is_empty)
}

/// [`comma`] for an optional list (the field is skipped when `None`).
pub fn comma_opt<T: Serialize, S: Serializer>(
    items: &Option<Vec<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match items {
        Some(items) => comma(items, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    enum Include {
        #[serde(rename = "provenance")]
        Provenance,
        #[serde(rename = "history")]
        History,
    }

    #[derive(Serialize)]
    struct Query {
        #[serde(serialize_with = "super::comma", skip_serializing_if = "Vec::is_empty")]
        include: Vec<Include>,
        #[serde(
            serialize_with = "super::comma_opt",
            skip_serializing_if = "super::is_none_or_empty"
        )]
        ids: Option<Vec<i64>>,
        limit: i64,
    }

    #[test]
    fn comma_lists_are_one_value() {
        let q = Query {
            include: vec![Include::Provenance, Include::History],
            ids: Some(vec![1, 2]),
            limit: 5,
        };
        assert_eq!(
            serde_urlencoded::to_string(&q).unwrap(),
            "include=provenance%2Chistory&ids=1%2C2&limit=5"
        );
        // Empty lists send nothing, like absent ones.
        for ids in [None, Some(vec![])] {
            let q = Query {
                include: vec![],
                ids,
                limit: 5,
            };
            assert_eq!(serde_urlencoded::to_string(&q).unwrap(), "limit=5");
        }
    }

    #[test]
    fn an_item_with_a_comma_is_refused() {
        #[derive(Serialize)]
        struct Tags {
            #[serde(serialize_with = "super::comma")]
            tags: Vec<String>,
        }
        let err = serde_urlencoded::to_string(Tags {
            tags: vec!["a,b".into()],
        })
        .unwrap_err();
        assert!(err.to_string().contains("contains a comma"), "{err}");
    }
}
