//! [`Timestamp`]: a date-time exactly as the server sent it, and its
//! conversions to `time`, `chrono` and `jiff` behind the features of those names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 8601 date-time, kept as the exact text the server sent.
///
/// Why text and not a parsed type: the API has been seen to send several
/// shapes (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123+00:00`, dates
/// without a zone). Keeping the text means decoding never fails on an odd
/// format, the value round-trips byte for byte, and you can parse it with the
/// date library of your choice via [`Timestamp::as_str`], or with a conversion:
///
/// | feature | to a date (fallible) | from a date |
/// |---|---|---|
/// | `time` | `Timestamp::to_time() -> Result<time::OffsetDateTime, TimestampError>` | `From<time::OffsetDateTime>` |
/// | `chrono` | `Timestamp::to_chrono() -> Result<chrono::DateTime<Utc>, TimestampError>` | `From<chrono::DateTime<Tz>>` |
/// | `jiff` | `Timestamp::to_jiff() -> Result<jiff::Timestamp, TimestampError>` | `From<jiff::Timestamp>` |
///
/// Each `to_*` method also exists as `TryFrom<&Timestamp>` and
/// `TryFrom<Timestamp>`. It reads RFC 3339
/// text (any offset, any number of fractional digits) and fails with a
/// `TimestampError` on text that is not. A date becomes the API's own format:
/// RFC 3339 in UTC with milliseconds and `Z` (`2024-05-01T10:00:00.123Z`);
/// finer precision is cut off, not rounded. A year outside 0000–9999 is written
/// in ISO 8601's expanded form (`+10000-01-01T00:00:00.000Z`), which is not RFC
/// 3339 and which the API may refuse.
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

/// The API's format for a moment given as seconds since the Unix epoch (floor)
/// and the nanoseconds within that second: `2024-05-01T10:00:00.123Z`.
#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
fn from_unix(seconds: i64, nanos: u32) -> Timestamp {
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    };
    Timestamp(format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60,
        nanos / 1_000_000,
    ))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`), exact for every `i64` day a date crate holds.
#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A [`Timestamp`] whose text is not an RFC 3339 date-time, so it cannot become
/// a date of the `time`, `chrono` or `jiff` crate.
///
/// Its `Display` quotes at most 64 characters of the text and 160 of the date
/// crate's reason, both escaped for one log line.
#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
    target: &'static str,
    reason: String,
}

#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
impl TimestampError {
    /// The most characters of the text that `Display` quotes.
    const SHOWN: usize = 64;
    /// The most characters of the date crate's reason (which may quote the text).
    const REASON: usize = 160;

    fn new(text: &str, target: &'static str, reason: impl fmt::Display) -> Self {
        Self {
            text: crate::snippet::for_display(text, Self::SHOWN),
            target,
            reason: crate::snippet::for_display(&reason.to_string(), Self::REASON),
        }
    }

    /// The text that did not parse, cut to 64 characters and escaped.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timestamp `{}` is not an RFC 3339 date-time ({} could not read it: {})",
            self.text, self.target, self.reason
        )
    }
}

#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
impl std::error::Error for TimestampError {}

#[cfg(feature = "time")]
mod with_time {
    use super::{Timestamp, TimestampError, from_unix};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    impl Timestamp {
        /// The date-time, with the offset the text gives (`Z` is UTC).
        ///
        /// ```
        /// use pathbound_runtime::Timestamp;
        ///
        /// let sent = Timestamp::from("2024-05-01T12:00:00.5+02:00");
        /// let date = sent.to_time()?;
        /// assert_eq!(date.offset().whole_hours(), 2);
        /// assert_eq!(Timestamp::from(date).as_str(), "2024-05-01T10:00:00.500Z");
        /// # Ok::<(), pathbound_runtime::TimestampError>(())
        /// ```
        ///
        /// # Errors
        ///
        /// [`TimestampError`] when the text is not RFC 3339.
        pub fn to_time(&self) -> Result<OffsetDateTime, TimestampError> {
            OffsetDateTime::parse(&self.0, &Rfc3339)
                .map_err(|e| TimestampError::new(&self.0, "the `time` crate", e))
        }
    }

    impl TryFrom<&Timestamp> for OffsetDateTime {
        type Error = TimestampError;
        fn try_from(value: &Timestamp) -> Result<Self, Self::Error> {
            value.to_time()
        }
    }

    impl TryFrom<Timestamp> for OffsetDateTime {
        type Error = TimestampError;
        fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
            value.to_time()
        }
    }

    impl From<OffsetDateTime> for Timestamp {
        /// RFC 3339 in UTC with milliseconds (`2024-05-01T10:00:00.123Z`).
        fn from(value: OffsetDateTime) -> Self {
            from_unix(value.unix_timestamp(), value.nanosecond())
        }
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::{Timestamp, TimestampError, from_unix};
    use chrono::{DateTime, TimeZone, Utc};

    impl Timestamp {
        /// The date-time in UTC (an offset in the text is applied).
        ///
        /// ```
        /// use pathbound_runtime::Timestamp;
        ///
        /// let sent = Timestamp::from("2024-05-01T12:00:00.5+02:00");
        /// let date = sent.to_chrono()?;
        /// assert_eq!(date.timestamp(), 1_714_557_600);
        /// assert_eq!(Timestamp::from(date).as_str(), "2024-05-01T10:00:00.500Z");
        /// # Ok::<(), pathbound_runtime::TimestampError>(())
        /// ```
        ///
        /// # Errors
        ///
        /// [`TimestampError`] when the text is not RFC 3339.
        pub fn to_chrono(&self) -> Result<DateTime<Utc>, TimestampError> {
            DateTime::parse_from_rfc3339(&self.0)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| TimestampError::new(&self.0, "the `chrono` crate", e))
        }
    }

    impl TryFrom<&Timestamp> for DateTime<Utc> {
        type Error = TimestampError;
        fn try_from(value: &Timestamp) -> Result<Self, Self::Error> {
            value.to_chrono()
        }
    }

    impl TryFrom<Timestamp> for DateTime<Utc> {
        type Error = TimestampError;
        fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
            value.to_chrono()
        }
    }

    impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp {
        /// RFC 3339 in UTC with milliseconds (`2024-05-01T10:00:00.123Z`).
        fn from(value: DateTime<Tz>) -> Self {
            // A leap second (nanoseconds ≥ 1e9) is shown as the second's last millisecond.
            from_unix(
                value.timestamp(),
                value.timestamp_subsec_nanos().min(999_999_999),
            )
        }
    }
}

#[cfg(feature = "jiff")]
mod with_jiff {
    use super::{Timestamp, TimestampError, from_unix};

    impl Timestamp {
        /// The instant (an offset in the text is applied).
        ///
        /// ```
        /// use pathbound_runtime::Timestamp;
        ///
        /// let sent = Timestamp::from("2024-05-01T12:00:00.5+02:00");
        /// let instant = sent.to_jiff()?;
        /// assert_eq!(instant.as_second(), 1_714_557_600);
        /// assert_eq!(Timestamp::from(instant).as_str(), "2024-05-01T10:00:00.500Z");
        /// # Ok::<(), pathbound_runtime::TimestampError>(())
        /// ```
        ///
        /// # Errors
        ///
        /// [`TimestampError`] when the text is not an RFC 3339 date-time with an
        /// offset or `Z`.
        pub fn to_jiff(&self) -> Result<jiff::Timestamp, TimestampError> {
            self.0
                .parse::<jiff::Timestamp>()
                .map_err(|e| TimestampError::new(&self.0, "the `jiff` crate", e))
        }
    }

    impl TryFrom<&Timestamp> for jiff::Timestamp {
        type Error = TimestampError;
        fn try_from(value: &Timestamp) -> Result<Self, Self::Error> {
            value.to_jiff()
        }
    }

    impl TryFrom<Timestamp> for jiff::Timestamp {
        type Error = TimestampError;
        fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
            value.to_jiff()
        }
    }

    impl From<jiff::Timestamp> for Timestamp {
        /// RFC 3339 in UTC with milliseconds (`2024-05-01T10:00:00.123Z`).
        fn from(value: jiff::Timestamp) -> Self {
            // Before the epoch jiff gives a negative fraction; make it a floor.
            let (mut seconds, mut nanos) = (value.as_second(), value.subsec_nanosecond());
            if nanos < 0 {
                seconds -= 1;
                nanos += 1_000_000_000;
            }
            from_unix(seconds, nanos.unsigned_abs())
        }
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

/// The conversions, one module per feature; run with
/// `cargo test -p pathbound-runtime --features time,chrono,jiff`.
#[cfg(all(test, any(feature = "time", feature = "chrono", feature = "jiff")))]
mod conversion_tests {
    use super::{Timestamp, from_unix};

    /// Days and dates that exercise the calendar arithmetic: the epoch, leap
    /// days, century rules, before the epoch and the edges of four-digit years.
    #[test]
    fn formats_the_api_format_across_the_calendar() {
        for (seconds, nanos, text) in [
            (0, 0, "1970-01-01T00:00:00.000Z"),
            (-1, 999_999_999, "1969-12-31T23:59:59.999Z"),
            (951_782_400, 0, "2000-02-29T00:00:00.000Z"),
            (4_107_542_400, 0, "2100-03-01T00:00:00.000Z"),
            (1_714_557_600, 123_456_789, "2024-05-01T10:00:00.123Z"),
            (-62_167_219_200, 0, "0000-01-01T00:00:00.000Z"),
            (253_402_300_799, 0, "9999-12-31T23:59:59.000Z"),
            (253_402_300_800, 0, "+10000-01-01T00:00:00.000Z"),
            (-62_167_219_201, 0, "-0001-12-31T23:59:59.000Z"),
        ] {
            assert_eq!(from_unix(seconds, nanos).as_str(), text, "{seconds}");
        }
    }

    /// Text no date crate reads; each conversion must refuse it with an error
    /// that quotes the text (bounded), never panic.
    pub(super) const NOT_DATES: &[&str] = &[
        "",
        "not a date",
        "2024-05-01",
        "2024-05-01 10:00",
        "2024-13-01T10:00:00Z",
        "2024-02-30T10:00:00Z",
        "2024-05-01T10:00:00",
        "1714557600000",
    ];

    pub(super) fn long_garbage() -> Timestamp {
        Timestamp::from(format!("2024-05-01T10:00:00Z\n{}", "x".repeat(10_000)))
    }

    pub(super) fn assert_bounded(message: &str) {
        assert!(message.len() < 400, "{} bytes: {message}", message.len());
        assert!(message.contains("2024-05-01T10:00:00Z\\n"), "{message}");
        assert!(!message.contains('\n'), "{message}");
        assert!(message.contains("characters in total"), "{message}");
    }

    #[cfg(feature = "time")]
    mod time_crate {
        use super::super::{Timestamp, TimestampError};
        use super::{NOT_DATES, assert_bounded, long_garbage};
        use time::{OffsetDateTime, UtcOffset};

        fn utc(s: i64, n: i64) -> OffsetDateTime {
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(s) * 1_000_000_000 + i128::from(n))
                .unwrap()
        }

        #[test]
        fn reads_z_offsets_and_fractions() {
            let t = Timestamp::from("2024-05-01T10:00:00.123456789Z")
                .to_time()
                .unwrap();
            assert_eq!(t, utc(1_714_557_600, 123_456_789));
            assert_eq!(t.offset(), UtcOffset::UTC);
            let t = Timestamp::from("2024-05-01T12:00:00+02:00")
                .to_time()
                .unwrap();
            assert_eq!(t.offset().whole_hours(), 2);
            assert_eq!(t, utc(1_714_557_600, 0));
            let t =
                OffsetDateTime::try_from(&Timestamp::from("2024-05-01T04:30:00.5-05:30")).unwrap();
            assert_eq!(t, utc(1_714_557_600, 500_000_000));
        }

        #[test]
        fn writes_utc_with_milliseconds_and_round_trips() {
            let plus_two = UtcOffset::from_hms(2, 0, 0).unwrap();
            let ts = Timestamp::from(utc(1_714_557_600, 123_999_000).to_offset(plus_two));
            assert_eq!(ts.as_str(), "2024-05-01T10:00:00.123Z");
            assert_eq!(Timestamp::from(ts.to_time().unwrap()), ts);
            let ts = Timestamp::from(utc(-1, 500_000_000));
            assert_eq!(ts.as_str(), "1969-12-31T23:59:59.500Z");
            assert_eq!(OffsetDateTime::try_from(ts).unwrap(), utc(-1, 500_000_000));
        }

        #[test]
        fn refuses_text_that_is_not_rfc_3339() {
            for text in NOT_DATES {
                let err: TimestampError = Timestamp::from(*text).to_time().unwrap_err();
                assert_eq!(err.text(), *text);
                assert!(err.to_string().contains("the `time` crate"), "{err}");
            }
            assert_bounded(&long_garbage().to_time().unwrap_err().to_string());
        }
    }

    #[cfg(feature = "chrono")]
    mod chrono_crate {
        use super::super::{Timestamp, TimestampError};
        use super::{NOT_DATES, assert_bounded, long_garbage};
        use chrono::{DateTime, FixedOffset, TimeZone, Utc};

        fn utc(s: i64, n: u32) -> DateTime<Utc> {
            Utc.timestamp_opt(s, n).unwrap()
        }

        #[test]
        fn reads_z_offsets_and_fractions() {
            let d = Timestamp::from("2024-05-01T10:00:00.123456789Z")
                .to_chrono()
                .unwrap();
            assert_eq!(d, utc(1_714_557_600, 123_456_789));
            let d = Timestamp::from("2024-05-01T12:00:00+02:00")
                .to_chrono()
                .unwrap();
            assert_eq!(d, utc(1_714_557_600, 0));
            let d =
                DateTime::<Utc>::try_from(&Timestamp::from("2024-05-01T04:30:00.5-05:30")).unwrap();
            assert_eq!(d, utc(1_714_557_600, 500_000_000));
        }

        #[test]
        fn writes_utc_with_milliseconds_and_round_trips() {
            let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
            let local = plus_two.timestamp_opt(1_714_557_600, 123_999_000).unwrap();
            let ts = Timestamp::from(local);
            assert_eq!(ts.as_str(), "2024-05-01T10:00:00.123Z");
            assert_eq!(Timestamp::from(ts.to_chrono().unwrap()), ts);
            let ts = Timestamp::from(utc(-1, 500_000_000));
            assert_eq!(ts.as_str(), "1969-12-31T23:59:59.500Z");
            assert_eq!(DateTime::<Utc>::try_from(ts).unwrap(), utc(-1, 500_000_000));
        }

        #[test]
        fn refuses_text_that_is_not_rfc_3339() {
            for text in NOT_DATES {
                let err: TimestampError = Timestamp::from(*text).to_chrono().unwrap_err();
                assert_eq!(err.text(), *text);
                assert!(err.to_string().contains("the `chrono` crate"), "{err}");
            }
            assert_bounded(&long_garbage().to_chrono().unwrap_err().to_string());
        }
    }

    #[cfg(feature = "jiff")]
    mod jiff_crate {
        use super::super::{Timestamp, TimestampError};
        use super::{NOT_DATES, assert_bounded, long_garbage};

        fn instant(s: i64, n: i32) -> jiff::Timestamp {
            jiff::Timestamp::new(s, n).unwrap()
        }

        #[test]
        fn reads_z_offsets_and_fractions() {
            let t = Timestamp::from("2024-05-01T10:00:00.123456789Z")
                .to_jiff()
                .unwrap();
            assert_eq!(t, instant(1_714_557_600, 123_456_789));
            let t = Timestamp::from("2024-05-01T12:00:00+02:00")
                .to_jiff()
                .unwrap();
            assert_eq!(t, instant(1_714_557_600, 0));
            let t =
                jiff::Timestamp::try_from(&Timestamp::from("2024-05-01T04:30:00.5-05:30")).unwrap();
            assert_eq!(t, instant(1_714_557_600, 500_000_000));
        }

        #[test]
        fn writes_utc_with_milliseconds_and_round_trips() {
            let ts = Timestamp::from(instant(1_714_557_600, 123_999_000));
            assert_eq!(ts.as_str(), "2024-05-01T10:00:00.123Z");
            assert_eq!(Timestamp::from(ts.to_jiff().unwrap()), ts);
            // jiff keeps a negative fraction before the epoch: -0.5 s is 23:59:59.500.
            let ts = Timestamp::from(instant(0, -500_000_000));
            assert_eq!(ts.as_str(), "1969-12-31T23:59:59.500Z");
            assert_eq!(
                jiff::Timestamp::try_from(ts).unwrap(),
                instant(0, -500_000_000)
            );
        }

        #[test]
        fn refuses_text_that_is_not_rfc_3339() {
            for text in NOT_DATES {
                let err: TimestampError = Timestamp::from(*text).to_jiff().unwrap_err();
                assert_eq!(err.text(), *text);
                assert!(err.to_string().contains("the `jiff` crate"), "{err}");
            }
            assert_bounded(&long_garbage().to_jiff().unwrap_err().to_string());
        }
    }
}
