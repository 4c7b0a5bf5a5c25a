//! Building request URLs from a base URL, a path template and arguments.
//!
//! Path arguments are user data (ids) placed inside a path, so each is
//! percent-encoded as a single segment: `a/b` becomes `a%2Fb` and cannot reach
//! a different endpoint. Arguments that a URL parser would treat as a segment
//! of their own (empty, `.` and `..`) are rejected rather than encoded,
//! because `..` and `%2E%2E` are both resolved away by URL normalisation.

use std::fmt::Write as _;

use super::error::{Error, Result};
use super::operation::Operation;

/// `base_url` + the expanded path template + `?query` (when non-empty). The
/// template is written as the docs write it (`/v1/contacts`); the API's own
/// base path (`api_base_path`, `/v1`) is replaced by `base_url`.
pub(crate) fn build_url(
    base_url: &str,
    api_base_path: &str,
    op: &'static Operation,
    path_args: &[&str],
    query: &str,
) -> Result<String> {
    let template = match op.path.strip_prefix(api_base_path) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => op.path,
    };
    let mut url = String::with_capacity(base_url.len() + op.path.len() + query.len() + 32);
    url.push_str(base_url);
    if !template.starts_with('/') {
        url.push('/');
    }
    expand_path(&mut url, op, template, path_args)?;
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

/// Appends `template` (from `op.path`) to `out`, replacing each `{name}` by the next argument.
fn expand_path(
    out: &mut String,
    op: &'static Operation,
    template: &str,
    args: &[&str],
) -> Result<()> {
    let mut rest = template;
    let mut args = args.iter();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            Error::invalid(
                Some(op.id),
                "path",
                format!("unclosed `{{` in path template {}", op.path),
            )
        })?;
        let name = &after[..close];
        let value = args.next().ok_or_else(|| {
            Error::invalid(
                Some(op.id),
                name,
                format!("no value given for path parameter `{name}` of {}", op.path),
            )
        })?;
        if value.is_empty() || *value == "." || *value == ".." {
            return Err(Error::invalid(
                Some(op.id),
                name,
                format!("path parameter `{name}` must not be empty, `.` or `..`, got {value:?}"),
            ));
        }
        encode_segment(out, value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if args.next().is_some() {
        return Err(Error::invalid(
            Some(op.id),
            "path",
            format!("more path arguments than placeholders in {}", op.path),
        ));
    }
    Ok(())
}

/// Percent-encodes `segment` so it stays one path segment: everything but the
/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`.
pub(crate) fn encode_segment(out: &mut String, segment: &str) {
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{build_url, encode_segment};
    use crate::error::Error;
    use crate::operation::{Method, Operation};

    static NOTES: Operation = Operation {
        id: "notes.list",
        method: Method::Get,
        path: "/v1/contacts/{contact_id}/notes/{note_id}",
        scope: None,
        scope_by: None,
        auth: true,
        retry_safe: true,
    };

    fn encoded(s: &str) -> String {
        let mut out = String::new();
        encode_segment(&mut out, s);
        out
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encoded("ct_123-abc.X~"), "ct_123-abc.X~");
        assert_eq!(encoded("a/b"), "a%2Fb");
        assert_eq!(encoded("a b?c#d%e"), "a%20b%3Fc%23d%25e");
        assert_eq!(encoded("é"), "%C3%A9");
    }

    #[test]
    fn placeholders_are_filled_in_order() {
        let url = build_url(
            "https://x.test/v1",
            "/v1",
            &NOTES,
            &["ct/1", "n 2"],
            "page=2",
        )
        .unwrap();
        assert_eq!(url, "https://x.test/v1/contacts/ct%2F1/notes/n%202?page=2");
        // the result parses and keeps the slash encoded inside the segment
        let parsed = reqwest::Url::parse(&url).unwrap();
        assert_eq!(parsed.path_segments().unwrap().count(), 5);
    }

    #[test]
    fn the_apis_base_path_is_replaced_by_the_configured_base_url() {
        let url = build_url(
            "http://127.0.0.1:4010/mock/v1",
            "/v1",
            &NOTES,
            &["a", "b"],
            "",
        );
        assert_eq!(
            url.unwrap(),
            "http://127.0.0.1:4010/mock/v1/contacts/a/notes/b"
        );
        // A template outside the base path, or a base path that is only a
        // prefix of a segment, is appended whole.
        let url = build_url("https://x.test", "/v", &NOTES, &["a", "b"], "");
        assert_eq!(url.unwrap(), "https://x.test/v1/contacts/a/notes/b");
        let url = build_url("https://x.test", "", &NOTES, &["a", "b"], "");
        assert_eq!(url.unwrap(), "https://x.test/v1/contacts/a/notes/b");
        let defaults = crate::TEST_API;
        assert_eq!(defaults.base_path(), "/v1");
    }

    #[test]
    fn wrong_argument_counts_and_dot_segments_are_invalid_requests() {
        for args in [
            &["a"][..],
            &["a", "b", "c"][..],
            &["a", ".."][..],
            &["", "b"][..],
            &[".", "b"][..],
        ] {
            match build_url("https://x.test", "/v1", &NOTES, args, "") {
                Err(Error::InvalidRequest { operation, .. }) => {
                    assert_eq!(operation, Some("notes.list"))
                }
                other => panic!("{args:?}: {other:?}"),
            }
        }
        let Err(err) = build_url("https://x.test", "/v1", &NOTES, &["a", ".."], "") else {
            panic!()
        };
        assert!(
            err.to_string()
                .contains("`note_id` must not be empty, `.` or `..`"),
            "{err}"
        );
    }
}
