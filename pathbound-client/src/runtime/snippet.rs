//! Bounded excerpts of response bodies for error messages.
//!
//! Error messages quote the body so a reader can see what the server said,
//! but a body can be megabytes of HTML or not even UTF-8. [`snippet`] keeps at
//! most [`SNIPPET_LIMIT`] bytes, never splits a character, and says when it cut.

/// The most body bytes an error message quotes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// A printable excerpt of `body`: at most `SNIPPET_LIMIT` bytes of text (invalid
/// UTF-8 replaced by U+FFFD), surrounding whitespace trimmed, followed by a
/// `… (N bytes in total)` marker when it was cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    snippet_with_limit(body, SNIPPET_LIMIT)
}

pub(crate) fn snippet_with_limit(body: &[u8], limit: usize) -> String {
    // Decode a little more than the limit so a character straddling the limit
    // is decoded whole (and then dropped) rather than turned into U+FFFD.
    let window = &body[..body.len().min(limit.saturating_add(4))];
    let text = String::from_utf8_lossy(window);
    let text = text.trim_start();
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = end < text.len() || window.len() < body.len();
    let kept = text[..end].trim_end();
    if cut {
        format!("{kept}… ({} bytes in total)", body.len())
    } else {
        kept.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{SNIPPET_LIMIT, snippet, snippet_with_limit};

    #[test]
    fn short_bodies_are_kept_whole_and_trimmed() {
        assert_eq!(snippet(b"  {\"error\":\"x\"}\n"), "{\"error\":\"x\"}");
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary_with_a_marker() {
        // 'é' is two bytes, so an odd limit would land inside one.
        let body = "é".repeat(1000);
        let cut = snippet_with_limit(body.as_bytes(), 11);
        assert_eq!(cut, format!("{}… (2000 bytes in total)", "é".repeat(5)));

        let cut = snippet(body.as_bytes());
        let kept = cut.split('…').next().unwrap();
        assert!(kept.len() <= SNIPPET_LIMIT);
        assert!(kept.chars().all(|c| c == 'é'));
        assert!(cut.ends_with("(2000 bytes in total)"));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        assert_eq!(snippet(b"ok \xff\xfe end"), "ok \u{fffd}\u{fffd} end");
    }
}
