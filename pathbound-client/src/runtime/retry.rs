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
//! - the wait is exponential (0.5 s, 1 s, 2 s, … capped at 8 s) with jitter, or
//!   the server's `Retry-After` when it sends one. A `Retry-After` longer than
//!   a minute is not waited out: the error is returned so the caller can decide.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::header::HeaderMap;

/// The first backoff; doubled for every further attempt.
pub(crate) const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The longest computed backoff.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest `Retry-After` we wait out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

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

/// The server's requested wait, from `retry-after-ms` or `Retry-After` in
/// seconds. HTTP-date values are not parsed (the computed backoff is used).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| -> Option<f64> {
        let value: f64 = headers.get(name)?.to_str().ok()?.trim().parse().ok()?;
        (value.is_finite() && value >= 0.0).then_some(value)
    };
    if let Some(ms) = number("retry-after-ms") {
        return Some(Duration::from_secs_f64(ms.min(1e9) / 1000.0));
    }
    number("retry-after").map(|secs| Duration::from_secs_f64(secs.min(1e9)))
}

/// How long to wait before retry number `attempt` (0-based), or `None` when the
/// server asked for a wait too long to sit through.
pub(crate) fn delay(
    attempt: u32,
    initial: Duration,
    server_hint: Option<Duration>,
) -> Option<Duration> {
    if let Some(hint) = server_hint {
        return (hint <= MAX_RETRY_AFTER).then_some(hint);
    }
    let exponential = initial
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_BACKOFF);
    // Jitter: wait between 50% and 100% of the exponential value, so clients
    // that failed together do not retry together.
    let fraction = 0.5 + 0.5 * random_unit();
    Some(exponential.mul_f64(fraction))
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

    use super::{delay, retry_after, should_retry_status};

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
        assert_eq!(retry_after(&dated), None);
    }

    #[test]
    fn delay_grows_with_jitter_caps_and_honours_the_server() {
        let initial = Duration::from_millis(500);
        for attempt in 0..3 {
            let full = initial * (1 << attempt);
            let d = delay(attempt, initial, None).unwrap();
            assert!(d >= full / 2 && d <= full, "{attempt}: {d:?}");
        }
        assert!(delay(30, initial, None).unwrap() <= Duration::from_secs(8));
        assert_eq!(
            delay(0, initial, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(delay(0, initial, Some(Duration::from_secs(3600))), None);
    }
}
