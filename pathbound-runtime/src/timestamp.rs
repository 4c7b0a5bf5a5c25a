//! [`Timestamp`]: a date-time exactly as the server sent it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 8601 date-time, kept as the exact text the server sent.
///
/// Why text and not a parsed type: the API has been seen to send several
/// shapes (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123+00:00`, dates
/// without a zone). Keeping the text means decoding never fails on an odd
/// format, the value round-trips byte for byte, and you can parse it with the
/// date library of your choice (`chrono`, `time`, `jiff`) via [`Timestamp::as_str`].
///
/// Ordering and equality compare the text; that matches chronological order
/// only for values in the same format and zone, which is what the API sends
/// within one response.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Gives back the owned text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<String> for Timestamp {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Timestamp {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<Timestamp> for String {
    fn from(value: Timestamp) -> Self {
        value.0
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn keeps_odd_formats_verbatim_and_round_trips() {
        let raw = r#"["2024-05-01T10:00:00.123456+02:00","2024-05-01 10:00","not a date"]"#;
        let parsed: Vec<Timestamp> = serde_json::from_str(raw).unwrap();
        assert_eq!(parsed[0].as_str(), "2024-05-01T10:00:00.123456+02:00");
        assert_eq!(parsed[1].to_string(), "2024-05-01 10:00");
        assert_eq!(serde_json::to_string(&parsed).unwrap(), raw);
    }

    #[test]
    fn conversions_and_ordering() {
        let a = Timestamp::from("2024-01-01T00:00:00Z");
        let b = Timestamp::from(String::from("2024-02-01T00:00:00Z"));
        assert!(a < b);
        assert_eq!(String::from(b.clone()), "2024-02-01T00:00:00Z");
        assert_eq!(b.into_string(), "2024-02-01T00:00:00Z");
    }
}
