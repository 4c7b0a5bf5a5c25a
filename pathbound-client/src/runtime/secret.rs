//! A string that never shows itself in `Debug` output.
//!
//! The API key is the one secret this crate handles. Wrapping it means a stray
//! `{:?}` on a client, a builder or an error can never leak it into logs.

use std::fmt;

/// An owned secret string whose `Debug` prints `"[redacted]"`.
///
/// It deliberately implements neither `Display` nor `Deref`: reading the
/// value takes an explicit [`SecretString::expose`] call.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretString(Box<str>);

impl SecretString {
    /// Wraps `value`.
    pub(crate) fn new(value: String) -> Self {
        Self(value.into_boxed_str())
    }

    /// The secret itself; call sites are easy to audit with a search for `expose`.
    pub(crate) fn expose(&self) -> &str {
        &self.0
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
}
