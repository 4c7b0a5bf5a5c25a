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

/// The most characters of server-sent text (an error message, a request id) an
/// error's `Display` shows.
pub(crate) const DISPLAY_LIMIT: usize = 512;

/// Server-sent `text` made safe for one log line: control characters (newlines,
/// carriage returns, ANSI escape sequences' `ESC`) escaped as `\n`, `\u{1b}`…,
/// and cut after `limit` characters with a `… (N characters in total)` marker.
/// A server's message cannot forge log lines or bloat them.
pub(crate) fn for_display(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit + 32));
    for (shown, c) in text.chars().enumerate() {
        if shown == limit {
            out.push_str(&format!("… ({} characters in total)", text.chars().count()));
            return out;
        }
        // Control characters, Unicode line and paragraph separators and bidi
        // overrides could break or disguise a log line.
        if c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The most bytes of a decoder's message an error keeps.
pub(crate) const MESSAGE_LIMIT: usize = 1024;

/// `message`, cut in the middle when longer than [`MESSAGE_LIMIT`] bytes.
///
/// A decoder's message can quote the offending value whole (`invalid type:
/// string "<16 MiB of text>", expected i64 at line 1 column 9`), so a hostile
/// body could make an error, and every log line it goes to, as large as the
/// body. The start (what went wrong) and the end (what was expected, and where)
/// are kept, joined by `…`, each cut on a character boundary.
pub(crate) fn bounded_message(message: String) -> String {
    if message.len() <= MESSAGE_LIMIT {
        return message;
    }
    let mut head = MESSAGE_LIMIT * 3 / 4;
    while !message.is_char_boundary(head) {
        head -= 1;
    }
    // `…` is 3 bytes.
    let mut tail = message.len() - (MESSAGE_LIMIT - head - 3);
    while !message.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}…{}", &message[..head], &message[tail..])
}

#[cfg(test)]
mod tests {
    use super::{MESSAGE_LIMIT, SNIPPET_LIMIT, bounded_message, snippet, snippet_with_limit};

    #[test]
    fn long_messages_keep_their_start_and_end_within_the_limit() {
        assert_eq!(bounded_message("short".to_owned()), "short");
        for filler in ["x", "é", "€", "😀"] {
            let message = format!(
                "invalid type: string \"{}\", expected i64 at line 1 column 9",
                filler.repeat(5000)
            );
            let cut = bounded_message(message);
            assert!(cut.len() <= MESSAGE_LIMIT, "{}", cut.len());
            assert!(cut.len() > MESSAGE_LIMIT - 8, "{}", cut.len());
            assert!(cut.starts_with("invalid type: string \""), "{cut}");
            assert!(
                cut.ends_with("\", expected i64 at line 1 column 9"),
                "{cut}"
            );
            assert_eq!(cut.matches('…').count(), 1);
        }
        let exact = "a".repeat(MESSAGE_LIMIT);
        assert_eq!(bounded_message(exact.clone()), exact);
    }

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
