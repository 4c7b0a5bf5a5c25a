//! [`UnknownValue`]: the text of an enum value this version of the client does not know.

use std::fmt;

/// The text of an enum value this version of the client does not know: what
/// the server sent, readable with [`as_str`](UnknownValue::as_str) and sent
/// back unchanged. It has no public constructor, and the hidden variant that
/// holds it is deprecated: your code is not meant to build it or match on it.
///
/// Every generated enum is open: the API may add values, and a value this
/// version does not know decodes into a hidden variant holding an
/// `UnknownValue` instead of failing. Do not match on that variant. A later
/// version of the client may know the value and decode it as a named variant,
/// and a match on the unknown text would then silently stop matching. Match
/// the variants you know and handle everything else in a wildcard arm, which
/// keeps working when variants are added:
///
/// ```
/// # #[derive(Debug)] #[non_exhaustive] enum Stage { Lead, Customer, Other(String) }
/// # impl Stage { fn as_str(&self) -> &str { match self { Stage::Lead => "lead", Stage::Customer => "customer", Stage::Other(s) => s } } }
/// # let stage = Stage::Other("evangelist".into());
/// let label = match stage {
///     Stage::Lead => "new lead".to_owned(),
///     Stage::Customer => "customer".to_owned(),
///     other => format!("stage {}", other.as_str()), // values added later land here
/// };
/// assert_eq!(label, "stage evangelist");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// The text as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Wraps `text`; only generated decoders call this.
#[doc(hidden)]
pub fn unknown(text: &str) -> UnknownValue {
    UnknownValue(text.into())
}

/// Deserialises a string and hands it to `from` without allocating when the
/// input can lend it: known enum values never copy their text.
#[doc(hidden)]
pub fn from_str<'de, D, T>(deserializer: D, from: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Text<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for Text<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(Text(from))
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
