//! Which failures are retried, and how long to wait before the next attempt.
//!
//! The rules, shared with the big provider SDKs (Stripe, OpenAI, AWS):
//!
//! - a connection that could not be established is always retried: the server
//!   never saw the request;
//! - `429 Too Many Requests` is always retried: the server refused it without
//!   acting on it;
//! - other transient failures (timeouts, broken connections, 408, 500, 502,
//!   503, 504) are retried only for operations marked `retry_safe`, because the
//!   server may already have acted on the first attempt;
//! - the wait is exponential (0.5 s, 1 s, 2 s, … capped at 8 s; see
//!   [`super::ClientBuilder::retry_backoff`]) with jitter, or the server's
//!   `Retry-After` when it sends one (`retry-after-ms`, seconds, or an HTTP
//!   date). A `Retry-After` longer than a minute (see
//!   [`super::ClientBuilder::max_retry_after`]) is not waited out: the error is
//!   returned so the caller can decide.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};

/// The first backoff by default; doubled for every further attempt.
pub(crate) const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The longest computed backoff by default.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest `Retry-After` waited out by default.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How long to wait between attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// The first computed wait; doubled for every further attempt.
    pub(crate) initial: Duration,
    /// The longest computed wait.
    pub(crate) max: Duration,
    /// The longest server-requested wait (`Retry-After`) sat through.
    pub(crate) max_retry_after: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: INITIAL_BACKOFF,
            max: MAX_BACKOFF,
            max_retry_after: MAX_RETRY_AFTER,
        }
    }
}

/// Statuses that signal a transient failure.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a response with `status` should be retried for an operation.
pub(crate) fn should_retry_status(status: u16, retry_safe: bool) -> bool {
    status == 429 || (retry_safe && is_retryable_status(status))
}

/// Whether a transport failure should be retried for an operation.
pub(crate) fn should_retry_transport(error: &reqwest::Error, retry_safe: bool) -> bool {
    error.is_connect() || retry_safe
}

/// The server's requested wait, from `retry-after-ms`, or `Retry-After` in
/// seconds or as an HTTP date (IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

/// [`retry_after`] with the local clock given. A date is measured from the
/// response's own `Date` header when it has a valid one (so a skewed local
/// clock does not matter), else from `now`; a date in the past means "now".
pub(crate) fn retry_after_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name| headers.get(name)?.to_str().ok().map(str::trim);
    let number = |name| -> Option<f64> {
        let value: f64 = text(name)?.parse().ok()?;
        (value.is_finite() && value >= 0.0).then_some(value)
    };
    if let Some(ms) = number("retry-after-ms") {
        return Some(Duration::from_secs_f64(ms.min(1e9) / 1000.0));
    }
    if let Some(secs) = number(RETRY_AFTER.as_str()) {
        return Some(Duration::from_secs_f64(secs.min(1e9)));
    }
    let until = parse_http_date(text(RETRY_AFTER.as_str())?)?;
    let reference = text(DATE.as_str()).and_then(parse_http_date).unwrap_or(now);
    Some(until.duration_since(reference).unwrap_or(Duration::ZERO))
}

/// Parses an IMF-fixdate (RFC 9110 §5.6.7), the one HTTP-date form senders
/// must use: `Sun, 06 Nov 1994 08:49:37 GMT`. The obsolete RFC 850 and asctime
/// forms, dates before 1970 and impossible dates yield `None`. The day name is
/// checked to be one, not to match the date.
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = text.as_bytes();
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    //  0    5  8   12   17 20 23 26
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    if [7, 11, 16].iter().any(|&i| b[i] != b' ') || b[19] != b':' || b[22] != b':' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u64> {
        b[range].iter().try_fold(0u64, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u64::from(d - b'0'))
        })
    };
    DAYS.iter().position(|d| d.as_bytes() == &b[..3])?;
    let month = MONTHS.iter().position(|m| m.as_bytes() == &b[8..11])? as u64 + 1;
    let (day, year) = (digits(5..7)?, digits(12..16)?);
    let (hour, minute, second) = (digits(17..19)?, digits(20..22)?, digits(23..25)?);
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // 60 allows a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date (`year` ≥ 1970), by the civil-calendar
/// algorithm of H. Hinnant (`days_from_civil`), in unsigned arithmetic.
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    // Years start in March, so the leap day is the last day of the year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 days lie between 0000-03-01 and 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// How long to wait before retry number `attempt` (0-based), or `None` when the
/// server asked for a wait longer than `backoff.max_retry_after`.
pub(crate) fn delay(
    attempt: u32,
    backoff: &Backoff,
    server_hint: Option<Duration>,
) -> Option<Duration> {
    if let Some(hint) = server_hint {
        // The server's wait is a minimum: jitter goes on top (up to 10 % of it,
        // at least 50 ms and at most 1 s), so clients told the same thing do
        // not come back in the same instant.
        let spread = (hint / 10).clamp(Duration::from_millis(50), Duration::from_secs(1));
        let extra = jittered(spread, random_unit());
        return (hint <= backoff.max_retry_after).then(|| hint.saturating_add(extra));
    }
    let exponential = backoff
        .initial
        .saturating_mul(1u32 << attempt.min(16))
        .min(backoff.max);
    // Jitter: wait between 50% and 100% of the exponential value, so clients
    // that failed together do not retry together.
    Some(jittered(exponential, 0.5 + 0.5 * random_unit()))
}

/// `exponential * fraction` (`fraction` in [0, 1)). Not `Duration::mul_f64`:
/// near `Duration::MAX` (a caller's "wait as long as it takes") the product
/// can round up past it, and `mul_f64` panics there; this keeps `exponential`.
fn jittered(exponential: Duration, fraction: f64) -> Duration {
    Duration::try_from_secs_f64(exponential.as_secs_f64() * fraction)
        .map_or(exponential, |d| d.min(exponential))
}

/// A random number in [0, 1), good enough for jitter, without a `rand` dependency:
/// every `RandomState` is seeded differently.
fn random_unit() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::{HeaderMap, HeaderValue};

    use std::time::SystemTime;

    use super::{
        Backoff, delay, parse_http_date, retry_after, retry_after_at, should_retry_status,
    };

    #[test]
    fn only_429_is_retried_for_unsafe_operations() {
        assert!(should_retry_status(429, false));
        assert!(!should_retry_status(503, false));
        assert!(should_retry_status(503, true));
        assert!(should_retry_status(408, true));
        assert!(!should_retry_status(404, true));
        assert!(!should_retry_status(501, true));
    }

    #[test]
    fn retry_after_is_read_in_seconds_or_milliseconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
        let mut dated = HeaderMap::new();
        dated.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        // A date long past: retry now.
        assert_eq!(retry_after(&dated), Some(Duration::ZERO));
        let mut garbage = HeaderMap::new();
        garbage.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&garbage), None);
        garbage.insert("retry-after", HeaderValue::from_static("-3"));
        assert_eq!(retry_after(&garbage), None);
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn http_dates_parse_to_the_right_instant() {
        // RFC 9110's example, and a few cross-checked with `date -u -d ... +%s`.
        let cases = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_480),
            ("Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600),
            ("Fri, 31 Dec 1999 23:59:59 GMT", 946_684_799),
            ("Sat, 01 Mar 2036 00:00:00 GMT", 2_087_942_400),
            ("Thu, 01 Jan 2263 00:00:00 GMT", 9_246_182_400),
        ];
        for (text, secs) in cases {
            assert_eq!(parse_http_date(text), Some(at(secs)), "{text}");
        }
    }

    #[test]
    fn malformed_and_obsolete_dates_are_rejected() {
        for text in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850 (obsolete)
            "Sun Nov  6 08:49:37 1994",       // asctime (obsolete)
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 6  Nov 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Mon, 29 Feb 1900 08:49:37 GMT",
            "Sun, 29 Feb 2001 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 19x4 08:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sün, 06 Nov 1994 08:49:3 GMT",
        ] {
            assert_eq!(parse_http_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn retry_after_date_is_measured_from_the_date_header_or_the_clock() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        // No Date header: from the local clock.
        assert_eq!(
            retry_after_at(&headers, at(784_111_777 - 30)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after_at(&headers, at(784_111_777 + 30)),
            Some(Duration::ZERO)
        );
        // With a Date header: from the server's clock, whatever ours says.
        headers.insert(
            "date",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:32 GMT"),
        );
        assert_eq!(
            retry_after_at(&headers, at(0)),
            Some(Duration::from_secs(5))
        );
        // An unusable Date header falls back to the clock.
        headers.insert("date", HeaderValue::from_static("yesterday"));
        assert_eq!(
            retry_after_at(&headers, at(784_111_777 - 2)),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_dated_retry_after_is_bounded_by_the_maximum_wait() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        let backoff = Backoff::default();
        let soon = retry_after_at(&headers, at(784_111_777 - 10));
        assert!(after_hint(
            delay(0, &backoff, soon),
            Duration::from_secs(10)
        ));
        let later = retry_after_at(&headers, at(784_111_777 - 3600));
        assert_eq!(delay(0, &backoff, later), None);
        let patient = Backoff {
            max_retry_after: Duration::from_secs(7200),
            ..backoff
        };
        assert!(after_hint(
            delay(0, &patient, later),
            Duration::from_secs(3600)
        ));
    }

    /// `d` waits the server's `hint` plus the jitter on top: 10 % of it, at
    /// least 50 ms and at most 1 s.
    fn after_hint(d: Option<Duration>, hint: Duration) -> bool {
        let spread = (hint / 10).clamp(Duration::from_millis(50), Duration::from_secs(1));
        d.is_some_and(|d| d >= hint && d < hint + spread)
    }

    /// Waits that follow a `Retry-After` get jitter on top, so clients told the
    /// same wait do not all come back at once; `Retry-After: 0` included.
    #[test]
    fn retry_after_waits_are_jittered_on_top() {
        let backoff = Backoff::default();
        for hint in [
            Duration::ZERO,
            Duration::from_secs(2),
            Duration::from_secs(40),
        ] {
            let waits: Vec<Duration> = (0..64)
                .map(|_| delay(0, &backoff, Some(hint)).unwrap())
                .collect();
            assert!(
                waits.iter().all(|&d| after_hint(Some(d), hint)),
                "{hint:?}: {waits:?}"
            );
            let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
            assert!(distinct.len() > 32, "{hint:?}: {distinct:?}");
        }
    }

    #[test]
    fn delay_grows_with_jitter_caps_and_honours_the_server() {
        let backoff = Backoff::default();
        let initial = backoff.initial;
        for attempt in 0..3 {
            let full = initial * (1 << attempt);
            let d = delay(attempt, &backoff, None).unwrap();
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert!(delay(30, &backoff, None).unwrap() <= Duration::from_secs(8));
        assert!(after_hint(
            delay(0, &backoff, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        ));
        assert_eq!(delay(0, &backoff, Some(Duration::from_secs(3600))), None);
        // A custom base and cap.
        let fast = Backoff {
            initial: Duration::from_millis(2),
            max: Duration::from_millis(5),
            ..backoff
        };
        assert!(delay(0, &fast, None).unwrap() <= Duration::from_millis(2));
        assert!(delay(10, &fast, None).unwrap() <= Duration::from_millis(5));
    }

    #[test]
    fn jitter_near_duration_max_does_not_overflow() {
        use super::jittered;
        // The largest fraction `delay` can draw rounds to exactly 1.0, and
        // Duration::MAX in f64 seconds is 2^64: one past what fits, so
        // `Duration::mul_f64` panicked here.
        let top = 0.5 + 0.5 * (((1u64 << 53) - 1) as f64 / (1u64 << 53) as f64);
        for max in [Duration::MAX, Duration::from_secs(u64::MAX)] {
            assert_eq!(jittered(max, top), max);
            assert!(jittered(max, 0.5) <= max);
            let huge = Backoff {
                initial: max,
                max,
                max_retry_after: max,
            };
            for attempt in [0, 1, 16, u32::MAX] {
                assert!(delay(attempt, &huge, None).unwrap() <= max);
            }
        }
        assert_eq!(
            jittered(Duration::from_millis(10), 0.5),
            Duration::from_millis(5)
        );
        assert_eq!(jittered(Duration::ZERO, top), Duration::ZERO);
    }
}
