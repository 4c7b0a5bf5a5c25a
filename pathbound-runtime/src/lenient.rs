//! Lenient decoders for fields the spec marks `lenient: true`.
//!
//! Contact and company properties are HubSpot-style and come from many sources
//! (forms, imports, CRM syncs), so a number may arrive as a numeric string
//! (`"employee_count": "250"`) and a date as epoch milliseconds
//! (`"createdate": 1714392000000`). A field marked `lenient` accepts both
//! spellings instead of failing the whole response:
//!
//! | type | also accepts |
//! |---|---|
//! | `integer` | a string holding an integer (`"250"`, surrounding spaces ignored) |
//! | `number` | a string holding a finite number (`"1.5"`) |
//! | `datetime` | a number, or a string of digits: epoch milliseconds, turned into RFC 3339 text (`2024-04-29T12:00:00.000Z`) |
//!
//! An integer also accepts a whole-number float (`250.0`). For optional fields,
//! `null` and an empty or blank string are `None` (forms and CSV imports send `""`
//! for "no value"). Anything else is a decode error, as for a strict field.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

use super::Timestamp;

/// An `i64` from a number or a numeric string.
pub fn i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(I64)
}

/// [`i64`], optional (`null` is `None`).
pub fn i64_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(Opt(I64))
}

/// An `f64` from a number or a numeric string.
pub fn f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(F64)
}

/// [`f64`], optional (`null` is `None`).
pub fn f64_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    deserializer.deserialize_option(Opt(F64))
}

/// A [`Timestamp`] from text, or from epoch milliseconds.
pub fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    deserializer.deserialize_any(Time)
}

/// [`timestamp`], optional (`null` is `None`).
pub fn timestamp_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_option(Opt(Time))
}

/// Wraps a visitor so `null` gives `None`.
struct Opt<V>(V);

impl<'de, V: Visitor<'de> + Copy> Visitor<'de> for Opt<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(BlankIsNone(self.0))
    }
}

/// The inner visitor of [`Opt`], with a blank string meaning "no value".
struct BlankIsNone<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for BlankIsNone<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            self.0.visit_str(v).map(Some)
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(v).map(Some)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[derive(Clone, Copy)]
struct I64;

impl Visitor<'_> for I64 {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom("an integer too large for i64"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str("…"), &self))
    }
}

#[derive(Clone, Copy)]
struct F64;

impl Visitor<'_> for F64 {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Str("…"), &self)),
        }
    }
}

#[derive(Clone, Copy)]
struct Time;

impl Visitor<'_> for Time {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date-time string or epoch milliseconds")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        // A string of digits is epoch milliseconds sent as text.
        let digits = v.strip_prefix('-').unwrap_or(v);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return match v.parse::<i64>() {
                Ok(ms) => self.visit_i64(ms),
                Err(_) => Err(E::custom("epoch milliseconds out of range")),
            };
        }
        Ok(Timestamp::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        rfc3339_from_epoch_ms(v)
            .map(Timestamp::from)
            .ok_or_else(|| E::custom("epoch milliseconds out of range"))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map_err(|_| E::custom("epoch milliseconds out of range"))
            .and_then(|v| self.visit_i64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
            self.visit_i64(v as i64)
        } else {
            Err(E::custom("epoch milliseconds must be a whole number"))
        }
    }
}

/// `2024-04-29T12:00:00.000Z` for epoch milliseconds (years 0–9999 only).
fn rfc3339_from_epoch_ms(ms: i64) -> Option<String> {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let day_secs = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60
    ))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::rfc3339_from_epoch_ms;
    use crate::Timestamp;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Props {
        #[serde(default, deserialize_with = "super::i64_opt")]
        employee_count: Option<i64>,
        #[serde(default, deserialize_with = "super::f64_opt")]
        revenue: Option<f64>,
        #[serde(default, deserialize_with = "super::timestamp_opt")]
        createdate: Option<Timestamp>,
        #[serde(deserialize_with = "super::i64")]
        required: i64,
    }

    fn decode(json: &str) -> Result<Props, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_and_numeric_strings_both_decode() {
        let p = decode(
            r#"{"employee_count":"250","revenue":" 1.5 ","createdate":"2024-04-29T12:00:00.000Z","required":7}"#,
        )
        .unwrap();
        assert_eq!(p.employee_count, Some(250));
        assert_eq!(p.revenue, Some(1.5));
        assert_eq!(
            p.createdate.as_ref().map(Timestamp::as_str),
            Some("2024-04-29T12:00:00.000Z")
        );
        let p = decode(
            r#"{"employee_count":250,"revenue":2,"createdate":1714392000000,"required":"8"}"#,
        )
        .unwrap();
        assert_eq!(
            (p.employee_count, p.revenue, p.required),
            (Some(250), Some(2.0), 8)
        );
        assert_eq!(
            p.createdate.as_ref().map(Timestamp::as_str),
            Some("2024-04-29T12:00:00.000Z")
        );
        let p = decode(r#"{"employee_count":null,"createdate":null,"required":0}"#).unwrap();
        assert_eq!((p.employee_count, p.createdate), (None, None));
        // Blank strings are "no value"; a whole float is an integer; digits are epoch ms.
        let p = decode(
            r#"{"employee_count":" ","revenue":"","createdate":"1714392000000","required":250.0}"#,
        )
        .unwrap();
        assert_eq!((p.employee_count, p.revenue, p.required), (None, None, 250));
        assert_eq!(
            p.createdate.as_ref().map(Timestamp::as_str),
            Some("2024-04-29T12:00:00.000Z")
        );
    }

    #[test]
    fn other_spellings_are_still_errors() {
        for json in [
            r#"{"employee_count":"250 people","required":1}"#,
            r#"{"employee_count":2.5,"required":1}"#,
            r#"{"required":""}"#,
            r#"{"revenue":"NaN","required":1}"#,
            r#"{"createdate":true,"required":1}"#,
            r#"{"createdate":1.5,"required":1}"#,
            r#"{"required":"x"}"#,
        ] {
            assert!(decode(json).is_err(), "{json}");
        }
    }

    #[test]
    fn epoch_milliseconds_become_rfc3339() {
        assert_eq!(
            rfc3339_from_epoch_ms(0).unwrap(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            rfc3339_from_epoch_ms(-1).unwrap(),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(
            rfc3339_from_epoch_ms(951_782_400_123).unwrap(),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(rfc3339_from_epoch_ms(i64::MAX), None);
    }
}
