//! Fixed-window request counting per API key (or client address).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::config::RateLimit;

/// Request counts per bucket in the current window.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: HashMap<String, (Instant, u32)>,
}

impl RateLimiter {
    /// Counts a request for `bucket`; `Err(wait)` when over `limit`, with the time
    /// until the window resets.
    pub fn check(&mut self, bucket: &str, limit: RateLimit, now: Instant) -> Result<(), Duration> {
        // Forget stale windows now and then so the map cannot grow without bound.
        if self.windows.len() > 10_000 {
            self.windows
                .retain(|_, (start, _)| now.duration_since(*start) < limit.window);
        }
        let entry = self.windows.entry(bucket.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.requests {
            return Err(limit.window.saturating_sub(now.duration_since(entry.0)));
        }
        entry.1 += 1;
        Ok(())
    }

    /// `Some(wait)` when `bucket` has used up `limit` in the current window
    /// (without counting anything), with the time until the window resets.
    pub fn exhausted(&self, bucket: &str, limit: RateLimit, now: Instant) -> Option<Duration> {
        let (start, count) = self.windows.get(bucket)?;
        let age = now.duration_since(*start);
        (age < limit.window && *count >= limit.requests).then(|| limit.window.saturating_sub(age))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::RateLimiter;
    use crate::config::RateLimit;

    #[test]
    fn counts_per_bucket_and_resets() {
        let limit = RateLimit {
            requests: 2,
            window: Duration::from_secs(10),
        };
        let mut rl = RateLimiter::default();
        let t0 = Instant::now();
        assert!(rl.check("a", limit, t0).is_ok());
        assert!(rl.check("a", limit, t0).is_ok());
        assert_eq!(
            rl.check("a", limit, t0 + Duration::from_secs(4)),
            Err(Duration::from_secs(6))
        );
        assert!(rl.check("b", limit, t0).is_ok());
        assert!(rl.check("a", limit, t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn exhausted_looks_without_counting() {
        let limit = RateLimit {
            requests: 1,
            window: Duration::from_secs(10),
        };
        let mut rl = RateLimiter::default();
        let t0 = Instant::now();
        assert_eq!(rl.exhausted("a", limit, t0), None);
        assert!(rl.check("a", limit, t0).is_ok());
        assert_eq!(
            rl.exhausted("a", limit, t0 + Duration::from_secs(3)),
            Some(Duration::from_secs(7))
        );
        assert_eq!(rl.exhausted("a", limit, t0 + Duration::from_secs(10)), None);
        assert_eq!(rl.exhausted("b", limit, t0), None);
    }
}
