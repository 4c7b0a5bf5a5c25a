//! A string that never shows itself in `Debug` output.
//!
//! The API key is wrapped in it, and so is every request or response field the
//! spec marks `secret: true` (a password, a 2FA code). Wrapping means a stray
//! `{:?}` on a client, a builder, a request or an error can never leak it into logs.

use std::fmt;

/// An owned secret string whose `Debug` prints `"[redacted]"`.
///
/// It deliberately implements neither `Display` nor `Deref`: reading the
/// value takes an explicit [`SecretString::expose`] call.
/// On the wire (serde) it is the plain string.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(Box<str>);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into_boxed_str())
    }

    /// The secret itself; call sites are easy to audit with a search for `expose`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer).map(Self::new)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

#[cfg(test)]
mod tests {
    use super::SecretString;

    #[test]
    fn debug_redacts_and_expose_returns_the_value() {
        let secret = SecretString::new("sk_live_abc123".to_owned());
        let shown = format!("{secret:?} {secret:#?}");
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert_eq!(secret.expose(), "sk_live_abc123");
    }

    #[test]
    fn serde_sees_the_plain_string() {
        let secret = SecretString::from("hunter2");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"hunter2\"");
        let back: SecretString = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(back, secret);
    }
}
