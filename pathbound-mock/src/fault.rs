//! Faults on demand: injected error statuses, dropped connections and latency,
//! chosen per request (the `x-mock-fault` header, with a valid API key) or
//! configured on the server (for every request, one key or one operation,
//! optionally a number of times).

use std::time::Duration;

/// The request header that asks for a fault, e.g. `x-mock-fault: 503`. It takes
/// effect only on a request with a valid API key, and its latencies are capped
/// (see [`crate::MockConfig::max_fault_latency`]).
pub const FAULT_HEADER: &str = "x-mock-fault";

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this status and the error envelope (a `429` carries
    /// `Retry-After`).
    Status(u16),
    /// Close the connection without answering.
    Drop,
    /// Wait this long, then answer normally.
    Latency(Duration),
}

/// A fault rule: what to do, to which requests, how many times.
///
/// ```
/// # use std::time::Duration;
/// use pathbound_mock::Fault;
/// let once = Fault::status(503).for_key("sk_test_all").times(1);
/// let slow = Fault::latency(Duration::from_millis(200)).for_operation("contacts.list");
/// let quick_429 = Fault::status(429).retry_after(Duration::from_millis(20));
/// # let _ = (once, slow, quick_429);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Fault {
    /// What happens.
    pub action: FaultAction,
    /// Only requests with this API key (`None`: any request).
    pub key: Option<String>,
    /// Only requests for this operation id (`None`: any operation).
    pub operation: Option<String>,
    /// How many matching requests it applies to (`None`: all of them).
    pub times: Option<u32>,
    /// The wait announced on status faults (`Retry-After` in seconds, rounded up,
    /// and `retry-after-ms`); a `429` without one announces 1 second.
    pub retry_after: Option<Duration>,
}

impl Fault {
    /// A fault that does `action` to every request.
    pub fn new(action: FaultAction) -> Fault {
        Fault {
            action,
            key: None,
            operation: None,
            times: None,
            retry_after: None,
        }
    }

    /// Answer with `status` (e.g. `503`, `429`, `500`).
    pub fn status(status: u16) -> Fault {
        Fault::new(FaultAction::Status(status))
    }

    /// Close the connection without answering.
    pub fn drop_connection() -> Fault {
        Fault::new(FaultAction::Drop)
    }

    /// Delay the answer by `delay`.
    pub fn latency(delay: Duration) -> Fault {
        Fault::new(FaultAction::Latency(delay))
    }

    /// Only for requests sent with `key`.
    pub fn for_key(mut self, key: impl Into<String>) -> Fault {
        self.key = Some(key.into());
        self
    }

    /// Only for requests routed to `operation` (e.g. `contacts.list`).
    pub fn for_operation(mut self, operation: impl Into<String>) -> Fault {
        self.operation = Some(operation.into());
        self
    }

    /// Only for the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// The wait announced with a status fault.
    pub fn retry_after(mut self, wait: Duration) -> Fault {
        self.retry_after = Some(wait);
        self
    }

    fn applies(&self, key: Option<&str>, operation: Option<&str>) -> bool {
        self.times != Some(0)
            && self.key.as_deref().is_none_or(|k| Some(k) == key)
            && self
                .operation
                .as_deref()
                .is_none_or(|o| Some(o) == operation)
    }
}

/// Parses a fault spec: comma-separated `503` (any status 400..=599), `drop`,
/// `latency=200ms`, `retry-after=2` (seconds), `retry-after-ms=20`, `times=3`.
/// The same syntax serves the header and the `--fault KEY=SPEC` option.
pub fn parse_faults(spec: &str) -> Result<Vec<Fault>, String> {
    let mut faults = Vec::new();
    let mut retry_after = None;
    let mut times = None;
    for token in spec.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if lower == "drop" {
            faults.push(Fault::drop_connection());
        } else if let Some(value) = lower.strip_prefix("latency=") {
            faults.push(Fault::latency(parse_duration(value)?));
        } else if let Some(value) = lower.strip_prefix("retry-after-ms=") {
            let ms: u64 = value
                .parse()
                .map_err(|_| format!("retry-after-ms must be a whole number, got {value:?}"))?;
            retry_after = Some(Duration::from_millis(ms));
        } else if let Some(value) = lower.strip_prefix("retry-after=") {
            let secs: u64 = value
                .parse()
                .map_err(|_| format!("retry-after must be whole seconds, got {value:?}"))?;
            retry_after = Some(Duration::from_secs(secs));
        } else if let Some(value) = lower.strip_prefix("times=") {
            times = Some(
                value
                    .parse::<u32>()
                    .map_err(|_| format!("times must be a whole number, got {value:?}"))?,
            );
        } else {
            match lower.parse::<u16>() {
                Ok(status) if (400..=599).contains(&status) => faults.push(Fault::status(status)),
                _ => {
                    return Err(format!(
                        "unknown fault {token:?}: use a status 400-599 (e.g. 503), drop, \
                         latency=200ms, retry-after=SECS, retry-after-ms=MS or times=N"
                    ));
                }
            }
        }
    }
    if faults.is_empty() {
        return Err("no fault given: use e.g. 503, 429, drop or latency=200ms".into());
    }
    for fault in &mut faults {
        fault.retry_after = retry_after;
        fault.times = times;
    }
    Ok(faults)
}

/// Parses `200ms`, `2s`, `1.5s`, `15m`, `1h` (a bare number is milliseconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: expected e.g. 200ms, 2s or 15m"))?;
    let secs = match unit.trim() {
        "" | "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "invalid duration unit {other:?} in {text:?}: use ms, s, m or h"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|_| format!("invalid duration {text:?}"))
}

/// The configured faults, consumed as they fire.
#[derive(Debug, Default)]
pub struct FaultTable {
    rules: Vec<Fault>,
}

impl FaultTable {
    /// Adds a rule (rules are tried in the order added).
    pub fn add(&mut self, fault: Fault) {
        self.rules.push(fault);
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules that fire for a request, counting them down.
    pub fn take(&mut self, key: Option<&str>, operation: Option<&str>) -> Vec<Fault> {
        let mut fired = Vec::new();
        for rule in &mut self.rules {
            if rule.applies(key, operation) {
                if let Some(n) = rule.times.as_mut() {
                    *n -= 1;
                }
                fired.push(rule.clone());
            }
        }
        self.rules.retain(|r| r.times != Some(0));
        fired
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Fault, FaultAction, FaultTable, parse_duration, parse_faults};

    #[test]
    fn fault_specs_parse() {
        let f = parse_faults("503").unwrap();
        assert_eq!(f, vec![Fault::status(503)]);
        let f = parse_faults("latency=200ms, 429, retry-after-ms=20, times=2").unwrap();
        assert_eq!(
            f[0].action,
            FaultAction::Latency(Duration::from_millis(200))
        );
        assert_eq!(f[1].action, FaultAction::Status(429));
        assert!(
            f.iter()
                .all(|f| f.retry_after == Some(Duration::from_millis(20)) && f.times == Some(2))
        );
        assert_eq!(parse_faults("DROP").unwrap()[0].action, FaultAction::Drop);
        for bad in [
            "",
            "200",
            "600",
            "latency=fast",
            "explode",
            "times=-1",
            "retry-after=1.5",
        ] {
            assert!(parse_faults(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("1e400s").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn rules_match_and_count_down() {
        let mut table = FaultTable::default();
        table.add(Fault::status(503).for_key("k1").times(2));
        table.add(Fault::drop_connection().for_operation("contacts.list"));
        assert_eq!(table.take(Some("k2"), Some("contacts.get")), vec![]);
        assert_eq!(table.take(Some("k1"), Some("contacts.get")).len(), 1);
        assert_eq!(table.take(Some("k1"), Some("contacts.list")).len(), 2);
        assert_eq!(table.take(Some("k1"), Some("contacts.list")).len(), 1);
        assert_eq!(table.take(None, None), vec![]);
    }
}
