//! [`Id`]: an id of one kind of object, as the server spells it.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The id of one kind of object, e.g. a contact (`ct_123`): the text the server
/// sent, typed by what it identifies.
///
/// A generated client names each kind (`pub type ContactId = Id<Contact>`), so
/// a contact id cannot be passed where a note id is expected: swapping two
/// arguments is a compile error, not a 404. Building one from text stays easy
/// (`"ct_123".into()`, `String::into`), and it reads as a `&str` through
/// [`as_str`](Id::as_str) or `Deref`.
///
/// ```compile_fail
/// use pathbound_runtime::Id;
/// enum Contact {}
/// enum Note {}
/// fn delete_note(contact: Id<Contact>, note: Id<Note>) {}
/// let contact: Id<Contact> = "ct_1".into();
/// let note: Id<Note> = "nt_1".into();
/// delete_note(note, contact); // swapped: does not compile
/// ```
pub struct Id<K: ?Sized> {
    text: String,
    kind: PhantomData<fn() -> K>,
}

impl<K: ?Sized> Id<K> {
    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Gives back the owned text.
    pub fn into_string(self) -> String {
        self.text
    }
}

impl<K: ?Sized> Clone for Id<K> {
    fn clone(&self) -> Self {
        Id::from(self.text.clone())
    }
}

impl<K: ?Sized> Default for Id<K> {
    fn default() -> Self {
        Id::from(String::new())
    }
}

impl<K: ?Sized> From<String> for Id<K> {
    fn from(text: String) -> Self {
        Id {
            text,
            kind: PhantomData,
        }
    }
}

impl<K: ?Sized> From<&str> for Id<K> {
    fn from(text: &str) -> Self {
        Id::from(text.to_owned())
    }
}

impl<K: ?Sized> From<&String> for Id<K> {
    fn from(text: &String) -> Self {
        Id::from(text.as_str())
    }
}

impl<K: ?Sized> From<&Id<K>> for Id<K> {
    fn from(id: &Id<K>) -> Self {
        id.clone()
    }
}

impl<K: ?Sized> From<Id<K>> for String {
    fn from(id: Id<K>) -> Self {
        id.text
    }
}

impl<K: ?Sized> Deref for Id<K> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl<K: ?Sized> AsRef<str> for Id<K> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<K: ?Sized> Borrow<str> for Id<K> {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl<K: ?Sized> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<K: ?Sized> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<K: ?Sized> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<K: ?Sized> Eq for Id<K> {}

impl<K: ?Sized> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: ?Sized> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl<K: ?Sized> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state)
    }
}

impl<K: ?Sized> PartialEq<str> for Id<K> {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl<K: ?Sized> PartialEq<&str> for Id<K> {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl<K: ?Sized> PartialEq<String> for Id<K> {
    fn eq(&self, other: &String) -> bool {
        &self.text == other
    }
}

impl<K: ?Sized> PartialEq<Id<K>> for &str {
    fn eq(&self, other: &Id<K>) -> bool {
        *self == other.text
    }
}

impl<K: ?Sized> PartialEq<Id<K>> for String {
    fn eq(&self, other: &Id<K>) -> bool {
        *self == other.text
    }
}

impl<K: ?Sized> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, K: ?Sized> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Id::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    enum Contact {}

    #[test]
    fn an_id_is_its_text() {
        let id: Id<Contact> = "ct_1".into();
        assert_eq!(id, "ct_1");
        assert_eq!("ct_1", id);
        assert_eq!(id.as_str(), "ct_1");
        assert_eq!(&*id, "ct_1");
        assert_eq!(format!("{id} {id:?}"), "ct_1 \"ct_1\"");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"ct_1\"");
        let back: Id<Contact> = serde_json::from_str("\"ct_1\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(String::from(back), "ct_1");
        let set: std::collections::HashSet<Id<Contact>> = [id.clone()].into();
        assert!(set.contains("ct_1"));
    }
}
