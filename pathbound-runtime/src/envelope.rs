//! One-pass extraction of the value under one key of a JSON object.
//!
//! Most responses wrap the payload: `{"status":"success","contact":{...}}`.
//! [`Field`] deserialises only the value under the wanted key straight into
//! `T` and skips every other value with `IgnoredAny`, so no intermediate
//! `serde_json::Value` tree is built.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A seed producing the `T` under top-level `key` of a JSON object.
pub(crate) struct Field<T> {
    key: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    pub(crate) fn new(key: &'static str) -> Self {
        Field {
            key,
            marker: PhantomData,
        }
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Field<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Field<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object with the key `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(matched) = map.next_key_seed(KeyIs(self.key))? {
            if matched {
                // A repeated key keeps the last value, like serde_json's `Value`.
                found = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| missing_key(self.key))
    }
}

/// The error for an envelope without `key` (non-generic, shared by all `T`).
pub(crate) fn missing_key<E: de::Error>(key: &'static str) -> E {
    E::custom(format_args!("missing field `{key}` in the response"))
}

/// A key seed that answers "is this key `.0`?" without allocating.
pub(crate) struct KeyIs(pub(crate) &'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::DeserializeSeed;

    use super::Field;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Contact {
        email: String,
    }

    fn decode<T: for<'de> Deserialize<'de>>(key: &'static str, json: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        let value = Field::<T>::new(key)
            .deserialize(&mut de)
            .map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(value)
    }

    #[test]
    fn takes_the_key_and_skips_others_of_any_shape() {
        let json = r#"{"status":"success","meta":{"a":[1,{"b":null}]},"contact":{"email":"a@b.c"},"tail":[true]}"#;
        let contact: Contact = decode("contact", json).unwrap();
        assert_eq!(
            contact,
            Contact {
                email: "a@b.c".into()
            }
        );
    }

    #[test]
    fn escaped_keys_still_match() {
        let contact: Contact = decode("contact", r#"{"cont\u0061ct":{"email":"x"}}"#).unwrap();
        assert_eq!(contact.email, "x");
    }

    #[test]
    fn missing_key_names_it() {
        let err =
            decode::<Contact>("contact", r#"{"status":"success","contacts":[]}"#).unwrap_err();
        assert!(err.contains("missing field `contact`"), "{err}");
    }

    #[test]
    fn non_objects_and_bad_values_are_errors() {
        let err = decode::<Contact>("contact", "[1,2]").unwrap_err();
        assert!(
            err.contains("a JSON object with the key `contact`"),
            "{err}"
        );
        let err = decode::<Contact>("contact", r#"{"contact":{"email":5}}"#).unwrap_err();
        assert!(err.contains("invalid type: integer `5`"), "{err}");
        let err =
            decode::<Contact>("contact", r#"{"contact":{"email":"x"}} trailing"#).unwrap_err();
        assert!(err.contains("trailing characters"), "{err}");
    }

    #[test]
    fn null_value_decodes_into_option() {
        let value: Option<Contact> = decode("contact", r#"{"contact":null}"#).unwrap();
        assert_eq!(value, None);
    }
}
