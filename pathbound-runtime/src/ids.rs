//! Fields that arrive under several wire names.
//!
//! The API renamed some id fields over time: a contact's id is `contact_id` in
//! new responses, `_id` in old ones and `id` in summary projections — and some
//! responses send two of them at once, with the same value. `#[serde(alias)]`
//! cannot express that (two names present is a "duplicate field" error), so such
//! a field is decoded by the functions here instead.
//!
//! # What the generator emits
//!
//! For every distinct list of names, a marker type (private is fine) whose
//! first name is the canonical one, used when serialising:
//!
//! ```ignore
//! struct ContactIdNames;
//! impl crate::ids::WireNames for ContactIdNames {
//!     const NAMES: &'static [&'static str] = &["contact_id", "_id", "id"];
//! }
//! ```
//!
//! and on the field, for a required `T`:
//!
//! ```ignore
//! #[serde(
//!     flatten,
//!     deserialize_with = "crate::ids::deserialize::<ContactIdNames, _, _>",
//!     serialize_with = "crate::ids::serialize::<ContactIdNames, _, _>"
//! )]
//! pub contact_id: String,
//! ```
//!
//! and for an `Option<T>` (optional or nullable) field:
//!
//! ```ignore
//! #[serde(
//!     flatten,
//!     deserialize_with = "crate::ids::deserialize_option::<ContactIdNames, _, _>",
//!     serialize_with = "crate::ids::serialize_option::<ContactIdNames, _, _>"
//! )]
//! pub contact_id: Option<String>,
//! ```
//!
//! No other attribute goes on the field (no `rename`, `alias`, `default` or
//! `skip_serializing_if`: `flatten` handles absence). The turbofish takes the
//! marker, then `_` for the value type and `_` for the (de)serializer.
//!
//! **Field order matters when the struct also keeps unknown keys** in a
//! `#[serde(flatten)] extra: serde_json::Map<String, Value>` field: declare every
//! aliased field *before* `extra`. Serde hands flattened fields the leftover keys
//! in declaration order; our fields claim (remove) their names, while a map
//! field only copies what is left. Declared after `extra`, the id keys would
//! also appear in `extra` (and be written twice when serialising).
//!
//! # Decoding rules
//!
//! - The value under the first name in `NAMES` order that is present and not
//!   `null` wins (so when `contact_id` and `_id` differ, `contact_id` wins).
//! - All absent or `null`: `None` for the option flavour; for the required
//!   flavour the error "missing field contact_id (or _id, id)".
//! - A present value of the wrong type is an error even if another name has a
//!   good value (it is not silently dropped).
//!
//! # How it works
//!
//! A struct with a `flatten` field is decoded as a map; serde buffers the keys
//! that match no ordinary field and gives each flattened field a deserializer
//! over that buffer. Calling `deserialize_struct(name, NAMES, visitor)` on it
//! makes serde pass our visitor exactly the entries whose key is in `NAMES`,
//! and removes them from the buffer. On the way out, serde gives a flattened
//! field a serializer that writes into the enclosing map, so serialising a
//! one-field struct named after the canonical name adds just that key.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{self, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// The wire names of one field: the canonical name first, then the aliases in
/// order of preference. Implemented by a marker type per name list.
pub trait WireNames {
    /// The names; must not be empty. The first is used when serialising.
    const NAMES: &'static [&'static str];
}

/// Decodes a required field that may arrive under any of `K::NAMES`. Use with
/// `#[serde(flatten, deserialize_with = "…::deserialize::<K, _, _>")]`.
pub fn deserialize<'de, K, T, D>(deserializer: D) -> Result<T, D::Error>
where
    K: WireNames,
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    match deserialize_option::<K, T, D>(deserializer)? {
        Some(value) => Ok(value),
        None => Err(de::Error::custom(MissingField(K::NAMES))),
    }
}

/// Decodes an optional field that may arrive under any of `K::NAMES`; `None`
/// when every name is absent or `null`. Use with
/// `#[serde(flatten, deserialize_with = "…::deserialize_option::<K, _, _>")]`.
pub fn deserialize_option<'de, K, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    K: WireNames,
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_struct(
        "WireNames",
        K::NAMES,
        NamesVisitor {
            names: K::NAMES,
            marker: PhantomData,
        },
    )
}

/// Writes `value` under the canonical name `K::NAMES[0]`. Use with
/// `#[serde(flatten, serialize_with = "…::serialize::<K, _, _>")]`.
pub fn serialize<K, T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    K: WireNames,
    T: Serialize + ?Sized,
    S: Serializer,
{
    let Some(name) = K::NAMES.first() else {
        return Err(ser::Error::custom("WireNames::NAMES is empty"));
    };
    let mut state = serializer.serialize_struct("WireNames", 1)?;
    state.serialize_field(name, value)?;
    state.end()
}

/// Like [`serialize`]; `None` writes no key at all. Use with
/// `#[serde(flatten, serialize_with = "…::serialize_option::<K, _, _>")]`.
pub fn serialize_option<K, T, S>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    K: WireNames,
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(value) => serialize::<K, T, S>(value, serializer),
        None => serializer.serialize_struct("WireNames", 0)?.end(),
    }
}

/// "missing field contact_id (or _id, id)".
struct MissingField(&'static [&'static str]);

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, rest) = self.0.split_first().unwrap_or((&"", &[]));
        write!(f, "missing field {first}")?;
        if !rest.is_empty() {
            write!(f, " (or {})", rest.join(", "))?;
        }
        Ok(())
    }
}

struct NamesVisitor<T> {
    names: &'static [&'static str],
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for NamesVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a map with one of the keys {:?}", self.names)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        // (rank in `names`, value) of the best non-null value seen so far.
        let mut best: Option<(usize, T)> = None;
        while let Some(rank) = map.next_key_seed(NameRank(self.names))? {
            let Some(rank) = rank else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            // `null` counts as absent.
            let Some(value) = map.next_value::<Option<T>>()? else {
                continue;
            };
            if best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank) {
                best = Some((rank, value));
            }
        }
        Ok(best.map(|(_, value)| value))
    }
}

/// A key seed giving the key's position in the name list (`None`: not ours).
struct NameRank(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for NameRank {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameRank {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == key))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value, json};

    use crate::ids::WireNames;

    struct ContactIdNames;
    impl WireNames for ContactIdNames {
        const NAMES: &'static [&'static str] = &["contact_id", "_id", "id"];
    }

    struct OwnerIdNames;
    impl WireNames for OwnerIdNames {
        const NAMES: &'static [&'static str] = &["owner_id", "ownerId"];
    }

    /// Exactly what the generator emits: aliased fields, a normal field, and
    /// an `extra` map for unknown keys declared last.
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Contact {
        #[serde(
            flatten,
            deserialize_with = "crate::ids::deserialize::<ContactIdNames, _, _>",
            serialize_with = "crate::ids::serialize::<ContactIdNames, _, _>"
        )]
        contact_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        #[serde(
            flatten,
            deserialize_with = "crate::ids::deserialize_option::<OwnerIdNames, _, _>",
            serialize_with = "crate::ids::serialize_option::<OwnerIdNames, _, _>"
        )]
        owner_id: Option<String>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    /// Without an `extra` map.
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Summary {
        #[serde(
            flatten,
            deserialize_with = "crate::ids::deserialize::<ContactIdNames, _, _>",
            serialize_with = "crate::ids::serialize::<ContactIdNames, _, _>"
        )]
        contact_id: String,
        name: String,
    }

    /// The wrong order: `extra` before the aliased field.
    #[derive(Debug, Deserialize)]
    struct ExtraFirst {
        #[serde(flatten)]
        extra: Map<String, Value>,
        #[serde(
            flatten,
            deserialize_with = "crate::ids::deserialize::<ContactIdNames, _, _>"
        )]
        contact_id: String,
    }

    fn contact(value: Value) -> Result<Contact, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn canonical_name_only() {
        let c = contact(json!({"contact_id": "ct_1", "email": "a@b.c"})).unwrap();
        assert_eq!(c.contact_id, "ct_1");
        assert_eq!(c.email.as_deref(), Some("a@b.c"));
        assert!(c.extra.is_empty(), "{:?}", c.extra);
        assert_eq!(c.owner_id, None);
    }

    #[test]
    fn legacy_and_projection_names() {
        assert_eq!(contact(json!({"_id": "ct_2"})).unwrap().contact_id, "ct_2");
        assert_eq!(contact(json!({"id": "ct_3"})).unwrap().contact_id, "ct_3");
    }

    #[test]
    fn both_names_present_is_not_a_duplicate_and_canonical_wins() {
        let c = contact(json!({"_id": "ct_4", "contact_id": "ct_4"})).unwrap();
        assert_eq!(c.contact_id, "ct_4");
        assert!(c.extra.is_empty(), "{:?}", c.extra);
        // differing values: the canonical name wins regardless of key order
        let c = contact(json!({"id": "old", "_id": "older", "contact_id": "new"})).unwrap();
        assert_eq!(c.contact_id, "new");
        let c = contact(json!({"id": "last", "_id": "legacy"})).unwrap();
        assert_eq!(c.contact_id, "legacy");
    }

    #[test]
    fn null_under_one_name_falls_back_to_another() {
        let c = contact(json!({"contact_id": null, "_id": "ct_5"})).unwrap();
        assert_eq!(c.contact_id, "ct_5");
        let c = contact(json!({"contact_id": "ct_6", "owner_id": null, "ownerId": "u_1"})).unwrap();
        assert_eq!(c.owner_id.as_deref(), Some("u_1"));
    }

    #[test]
    fn missing_required_names_every_alias() {
        let err = contact(json!({"email": "a@b.c"})).unwrap_err();
        assert!(
            err.contains("missing field contact_id (or _id, id)"),
            "{err}"
        );
        let err = contact(json!({"contact_id": null, "id": null})).unwrap_err();
        assert!(
            err.contains("missing field contact_id (or _id, id)"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = contact(json!({"contact_id": 5})).unwrap_err();
        assert!(err.contains("invalid type: integer `5`"), "{err}");
    }

    #[test]
    fn optional_flavour_absent_null_and_present() {
        assert_eq!(contact(json!({"id": "x"})).unwrap().owner_id, None);
        assert_eq!(
            contact(json!({"id": "x", "owner_id": null}))
                .unwrap()
                .owner_id,
            None
        );
        assert_eq!(
            contact(json!({"id": "x", "ownerId": "u_2"}))
                .unwrap()
                .owner_id
                .as_deref(),
            Some("u_2")
        );
    }

    #[test]
    fn unknown_keys_land_in_extra_but_id_keys_do_not() {
        let c = contact(json!({
            "contact_id": "ct_7", "_id": "ct_7", "id": "ct_7", "ownerId": "u_3",
            "email": "e", "segment": "vip", "score": 3
        }))
        .unwrap();
        assert_eq!(c.contact_id, "ct_7");
        assert_eq!(c.owner_id.as_deref(), Some("u_3"));
        assert_eq!(
            Value::Object(c.extra.clone()),
            json!({"segment": "vip", "score": 3})
        );
    }

    #[test]
    fn serialises_under_the_canonical_name_only() {
        let c = contact(json!({"_id": "ct_8", "ownerId": "u_4", "segment": "vip"})).unwrap();
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"contact_id": "ct_8", "owner_id": "u_4", "segment": "vip"})
        );
        let c = contact(json!({"id": "ct_9"})).unwrap();
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"contact_id": "ct_9"})
        );
        // and it round-trips
        let again: Contact = serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn works_from_text_in_lists_and_without_extra() {
        let list: Vec<Summary> = serde_json::from_str(
            r#"[{"id":"a","name":"A"},{"_id":"b","contact_id":"b","name":"B"}]"#,
        )
        .unwrap();
        assert_eq!(list[0].contact_id, "a");
        assert_eq!(list[1].contact_id, "b");
        assert_eq!(
            serde_json::to_string(&list[1]).unwrap(),
            r#"{"contact_id":"b","name":"B"}"#
        );
        // unknown keys are ignored, as for any struct
        let s: Summary = serde_json::from_str(r#"{"id":"c","name":"C","other":1}"#).unwrap();
        assert_eq!(s.contact_id, "c");
    }

    #[test]
    fn declared_after_extra_the_ids_are_also_copied_into_extra() {
        // Documents why the generator must put aliased fields before `extra`.
        let e: ExtraFirst = serde_json::from_value(json!({"_id": "ct_1", "x": 1})).unwrap();
        assert_eq!(e.contact_id, "ct_1");
        assert_eq!(Value::Object(e.extra), json!({"_id": "ct_1", "x": 1}));
    }
}
