//! ISO 8601 timestamps without a date library: milliseconds since the Unix epoch
//! to and from `2026-04-29T12:00:00.000Z`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// Formats `ms` as ISO 8601 UTC with milliseconds, e.g. `2026-04-29T12:00:00.000Z`.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    let (h, rem) = (rem / 3_600_000, rem % 3_600_000);
    let (min, rem) = (rem / 60_000, rem % 60_000);
    let (s, milli) = (rem / 1000, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// Parses an ISO 8601 date-time (`YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or
/// `±HH:MM`), or a bare date (`YYYY-MM-DD`, midnight UTC). `None` when malformed.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&mo) || !(1..=days_in_month(y, mo)).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y, mo, d) * DAY_MS;
    if b.len() == 10 {
        return Some(ms);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, mi) = (num(11, 2)?, num(14, 2)?);
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = num(i + 1, 2)?;
        i += 3;
    }
    let mut frac_ms = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == start {
            return None;
        }
        let digits = text.get(start..end.min(start + 3))?;
        frac_ms = format!("{digits:0<3}").parse().ok()?;
        i = end;
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    ms += h * 3_600_000 + mi * 60_000 + sec * 1000 + frac_ms;
    match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => Some(ms),
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b.get(i + 3) == Some(&b':') => {
            let offset = num(i + 1, 2)? * 3_600_000 + num(i + 4, 2)? * 60_000;
            Some(if *sign == b'+' {
                ms - offset
            } else {
                ms + offset
            })
        }
        None => Some(ms),
        _ => None,
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::{iso, parse};

    #[test]
    fn round_trips_and_accepts_the_common_forms() {
        let ms = parse("2026-04-29T12:00:00.000Z").unwrap();
        assert_eq!(iso(ms), "2026-04-29T12:00:00.000Z");
        assert_eq!(parse("2026-04-29T12:00:00Z"), Some(ms));
        assert_eq!(parse("2026-04-29T14:00:00+02:00"), Some(ms));
        assert_eq!(parse("2026-04-29T12:00"), Some(ms));
        assert_eq!(parse("2026-04-29"), Some(ms - 12 * 3_600_000));
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            parse("2024-02-29T00:00:00.5Z").map(iso).unwrap(),
            "2024-02-29T00:00:00.500Z"
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-04-29T25:00Z",
            "2026-04-29T12:00:00.Z",
            "2026-04-29T12:00:00Zjunk",
            "２０２６-04-29",
            "2026-04-29T1２:00",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
