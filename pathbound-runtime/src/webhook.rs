//! Verification of signed webhook deliveries (HMAC-SHA256 of the raw body).
//!
//! A delivery carries a signature header of the form `sha256=<hex>`: the
//! HMAC-SHA256 of the **raw request body**, keyed with the subscription's
//! signing secret, as 64 hex digits. [`verify_signature`] recomputes it and
//! compares in constant time (`ring::hmac::verify`); [`verify_and_decode`]
//! also decodes the body once it is known to be authentic.
//!
//! Some APIs sign a delivery only when a signing secret is configured for it.
//! [`check_delivery`] applies the rule for that case: with a secret, every
//! delivery must carry a valid signature; without one, an unsigned delivery
//! is refused ([`WebhookError::UnsignedNotAllowed`]) unless the caller allows
//! unsigned deliveries explicitly, and a signed one is refused
//! ([`WebhookError::SecretNotConfigured`]) because it cannot be checked.
//!
//! Verify the bytes exactly as received: re-serialising parsed JSON changes
//! whitespace and key order and breaks the signature. The header's *name* is
//! API-specific and lives with the typed helper of the including crate.
//!
//! Neither the secret nor the body ever appears in a [`WebhookError`].
//!
//! ```ignore
//! use pathbound_client::runtime::webhook::{verify_and_decode, WebhookError};
//!
//! # fn handle(secret: &str, header: Option<&str>, body: &[u8]) -> Result<(), WebhookError> {
//! let payload: serde_json::Value = verify_and_decode(secret.as_bytes(), header, body)?;
//! # let _ = payload;
//! # Ok(())
//! # }
//! ```

use std::fmt;

use ring::hmac;
use serde::de::DeserializeOwned;

use super::snippet::snippet_with_limit;

/// The prefix of the signature header's value.
pub const SIGNATURE_PREFIX: &str = "sha256=";

/// Hex digits in an HMAC-SHA256 signature (32 bytes).
const SIGNATURE_HEX_LEN: usize = 64;

/// The longest decoder message kept in [`WebhookError::InvalidPayload`].
const MAX_PAYLOAD_MESSAGE: usize = 200;

/// Why a webhook delivery was rejected.
///
/// Answer the delivery with `401`/`400` for any of them and do not act on the
/// body (except for [`WebhookError::InvalidPayload`], whose body was accepted
/// but could not be decoded: a newer payload shape, or a bug to report). No
/// variant carries the secret or the body.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no signature header (or an empty one) although a
    /// signing secret is configured: every delivery must then be signed.
    MissingSignature,
    /// The header is not `sha256=` followed by exactly 64 hex digits.
    MalformedSignature,
    /// The signature is well formed but does not match the body and secret:
    /// the body was altered, the secret is wrong (e.g. rotated), or the
    /// request is forged.
    SignatureMismatch,
    /// The signing secret given to the verifier is empty, which would make
    /// any signature trivially forgeable; check the configuration.
    EmptySecret,
    /// The delivery is unsigned and no signing secret is configured. Unsigned
    /// deliveries cannot be told from forged ones, so they are refused unless
    /// the caller allows them explicitly (see [`check_delivery`]).
    UnsignedNotAllowed,
    /// The delivery is signed but no signing secret is configured, so the
    /// signature cannot be checked: the sender has a secret the receiver does
    /// not. Refused even when unsigned deliveries are allowed; configure the
    /// secret.
    SecretNotConfigured,
    /// The delivery was accepted (a valid signature, or unsigned and allowed)
    /// but the body did not decode into the expected type. The message says what is wrong and where (line and column) but
    /// quotes no value from the body: a delivery can carry personal data.
    InvalidPayload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSignature => f.write_str(
                "the webhook delivery carries no signature header, but a signing secret is \
                 configured, so it must be signed",
            ),
            WebhookError::MalformedSignature => f.write_str(
                "the webhook signature header is malformed (expected `sha256=` followed by 64 \
                 hex digits)",
            ),
            WebhookError::SignatureMismatch => f.write_str(
                "the webhook signature does not match the body (altered body, wrong or rotated \
                 signing secret, or a forged request)",
            ),
            WebhookError::EmptySecret => {
                f.write_str("the webhook signing secret is empty; check the configuration")
            }
            WebhookError::UnsignedNotAllowed => f.write_str(
                "the webhook delivery is unsigned and no signing secret is configured; unsigned \
                 deliveries are refused unless they are allowed explicitly",
            ),
            WebhookError::SecretNotConfigured => f.write_str(
                "the webhook delivery is signed but no signing secret is configured, so it \
                 cannot be verified; configure the signing secret",
            ),
            WebhookError::InvalidPayload(message) => write!(
                f,
                "the webhook delivery was accepted but its body did not decode: {message}"
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks that `signature_header` (the header's value, e.g.
/// `"sha256=5bdc…3843"`) is the HMAC-SHA256 of `body` keyed with `secret`.
///
/// The hex may be upper- or lower-case; surrounding whitespace is ignored.
/// The comparison runs in constant time.
///
/// # Errors
///
/// [`WebhookError::MissingSignature`] when the header is absent or blank,
/// [`WebhookError::MalformedSignature`] when it is not `sha256=<64 hex>`,
/// [`WebhookError::EmptySecret`] for an empty secret, and
/// [`WebhookError::SignatureMismatch`] when it does not match.
pub fn verify_signature(
    secret: &[u8],
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<(), WebhookError> {
    let header = signature_header
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or(WebhookError::MissingSignature)?;
    let expected = parse_signature(header).ok_or(WebhookError::MalformedSignature)?;
    if secret.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    hmac::verify(&key, body, &expected).map_err(|_| WebhookError::SignatureMismatch)
}

/// [`verify_signature`], then decodes the body as JSON into `T`.
///
/// Nothing is decoded unless the signature is valid.
///
/// # Errors
///
/// Those of [`verify_signature`], and [`WebhookError::InvalidPayload`] when
/// the authentic body does not decode as `T`.
pub fn verify_and_decode<T: DeserializeOwned>(
    secret: &[u8],
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<T, WebhookError> {
    verify_signature(secret, signature_header, body)?;
    decode_payload(body)
}

/// Whether to accept a delivery, for senders that sign a delivery only when a
/// signing secret is configured.
///
/// - `secret` is `Some`: the delivery must carry a valid signature, exactly as
///   [`verify_signature`] checks it; `allow_unsigned` changes nothing (a
///   missing signature is [`WebhookError::MissingSignature`]).
/// - `secret` is `None` and the delivery is unsigned (no header, or a blank
///   one): accepted only when `allow_unsigned` is `true`, otherwise
///   [`WebhookError::UnsignedNotAllowed`].
/// - `secret` is `None` and the delivery is signed:
///   [`WebhookError::SecretNotConfigured`], whatever `allow_unsigned` says.
///
/// # Errors
///
/// As listed above, and those of [`verify_signature`].
pub fn check_delivery(
    secret: Option<&[u8]>,
    allow_unsigned: bool,
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<(), WebhookError> {
    match secret {
        Some(secret) => verify_signature(secret, signature_header, body),
        None => {
            let signed = signature_header.is_some_and(|value| !value.trim().is_empty());
            if signed {
                Err(WebhookError::SecretNotConfigured)
            } else if allow_unsigned {
                Ok(())
            } else {
                Err(WebhookError::UnsignedNotAllowed)
            }
        }
    }
}

/// Decodes a body already accepted (see [`check_delivery`]) as JSON into `T`.
///
/// # Errors
///
/// [`WebhookError::InvalidPayload`], whose message quotes no value from the
/// body.
pub fn decode_payload<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|e| invalid_payload(&e))
}

/// What went wrong, from the decoder's error, without the values serde quotes
/// (`invalid type: string "<a value from the body>", expected i64`): the kind of
/// problem, what was expected (which comes from the type, not the body), the
/// missing field's name, and the position.
fn invalid_payload(error: &serde_json::Error) -> WebhookError {
    use serde_json::error::Category;
    let full = error.to_string();
    // serde_json appends " at line L column C"; the position is added back below.
    let message = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    let expected = message
        .rfind(", expected ")
        .map(|i| &message[i + ", expected ".len()..]);
    let what = match error.classify() {
        Category::Syntax => "the body is not valid JSON".to_owned(),
        Category::Eof => "the body ends too early".to_owned(),
        Category::Io => "the body could not be read".to_owned(),
        Category::Data => {
            if let Some(field) = message.strip_prefix("missing field ") {
                format!("missing field {field}")
            } else if let Some(rest) = message.strip_prefix("invalid type: ") {
                // `string "…"`, `integer `5``, `map`: keep the kind, drop the value.
                let kind = rest.split([' ', ',']).next().unwrap_or("value");
                match expected {
                    Some(expected) => format!("invalid type: {kind}, expected {expected}"),
                    None => format!("invalid type: {kind}"),
                }
            } else {
                let kind = if message.starts_with("unknown variant") {
                    "unknown variant"
                } else if message.starts_with("invalid length") {
                    "invalid length"
                } else {
                    "invalid value"
                };
                match expected {
                    Some(expected) => format!("{kind}, expected {expected}"),
                    None => kind.to_owned(),
                }
            }
        }
    };
    let located = format!("{what} at line {} column {}", error.line(), error.column());
    WebhookError::InvalidPayload(snippet_with_limit(located.as_bytes(), MAX_PAYLOAD_MESSAGE))
}

/// The 32 signature bytes of `sha256=<64 hex>`, or `None` when malformed.
fn parse_signature(header: &str) -> Option<[u8; 32]> {
    let hex = header.strip_prefix(SIGNATURE_PREFIX)?.as_bytes();
    if hex.len() != SIGNATURE_HEX_LEN {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(bytes)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use ring::hmac;

    use super::{WebhookError, check_delivery, verify_and_decode, verify_signature};

    /// RFC 4231, test case 2.
    const RFC_KEY: &[u8] = b"Jefe";
    const RFC_DATA: &[u8] = b"what do ya want for nothing?";
    const RFC_HEX: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    const SECRET: &[u8] = b"whsec_test_4f1e2d3c";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn sign(secret: &[u8], body: &[u8]) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
        format!("sha256={}", hex(hmac::sign(&key, body).as_ref()))
    }

    #[test]
    fn rfc_4231_vector_verifies_in_either_case() {
        // The independent, published value and ring's agree…
        assert_eq!(sign(RFC_KEY, RFC_DATA), format!("sha256={RFC_HEX}"));
        // …and the verifier accepts it, lower- or upper-case, with whitespace.
        let lower = format!("sha256={RFC_HEX}");
        let upper = format!("  sha256={} ", RFC_HEX.to_ascii_uppercase());
        assert_eq!(verify_signature(RFC_KEY, Some(&lower), RFC_DATA), Ok(()));
        assert_eq!(verify_signature(RFC_KEY, Some(&upper), RFC_DATA), Ok(()));
    }

    #[test]
    fn tampering_and_wrong_secrets_are_mismatches() {
        let body = br#"{"event":"page_view","event_id":"evt_1"}"#;
        let header = sign(SECRET, body);
        assert_eq!(verify_signature(SECRET, Some(&header), body), Ok(()));

        let tampered_body = br#"{"event":"page_view","event_id":"evt_2"}"#;
        assert_eq!(
            verify_signature(SECRET, Some(&header), tampered_body),
            Err(WebhookError::SignatureMismatch)
        );
        // Flip the last hex digit.
        let mut tampered_header = header.clone();
        let last = tampered_header.pop().unwrap();
        tampered_header.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            verify_signature(SECRET, Some(&tampered_header), body),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_signature(b"whsec_other", Some(&header), body),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn missing_blank_and_malformed_headers_are_told_apart() {
        let body = b"{}";
        assert_eq!(
            verify_signature(SECRET, None, body),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify_signature(SECRET, Some("  "), body),
            Err(WebhookError::MissingSignature)
        );
        let valid_hex = &sign(SECRET, body)["sha256=".len()..];
        let malformed = [
            valid_hex.to_owned(),                     // no prefix
            format!("sha1={valid_hex}"),              // wrong algorithm
            format!("SHA256={valid_hex}"),            // prefix is lower-case
            format!("sha256={}", &valid_hex[..62]),   // too short
            format!("sha256={valid_hex}00"),          // too long
            format!("sha256={}zz", &valid_hex[..62]), // not hex
            format!("sha256={}", "é".repeat(32)),     // 64 bytes, not hex
            "sha256=".to_owned(),
        ];
        for header in malformed {
            assert_eq!(
                verify_signature(SECRET, Some(&header), body),
                Err(WebhookError::MalformedSignature),
                "{header}"
            );
        }
    }

    #[test]
    fn without_a_secret_unsigned_deliveries_need_an_explicit_opt_in() {
        let body = b"{}";
        let signature = sign(SECRET, body);
        // Refused by default, accepted when allowed: blank counts as unsigned.
        for header in [None, Some(""), Some("  ")] {
            assert_eq!(
                check_delivery(None, false, header, body),
                Err(WebhookError::UnsignedNotAllowed),
                "{header:?}"
            );
            assert_eq!(
                check_delivery(None, true, header, body),
                Ok(()),
                "{header:?}"
            );
        }
        // A signed delivery cannot be checked without the secret: refused either way.
        for allow_unsigned in [false, true] {
            assert_eq!(
                check_delivery(None, allow_unsigned, Some(&signature), body),
                Err(WebhookError::SecretNotConfigured)
            );
        }
    }

    #[test]
    fn with_a_secret_every_delivery_must_be_signed_even_when_unsigned_is_allowed() {
        let body = b"{}";
        let signature = sign(SECRET, body);
        for allow_unsigned in [false, true] {
            assert_eq!(
                check_delivery(Some(SECRET), allow_unsigned, Some(&signature), body),
                Ok(())
            );
            assert_eq!(
                check_delivery(Some(SECRET), allow_unsigned, None, body),
                Err(WebhookError::MissingSignature)
            );
            assert_eq!(
                check_delivery(Some(SECRET), allow_unsigned, Some(&signature), b"{ }"),
                Err(WebhookError::SignatureMismatch)
            );
            assert_eq!(
                check_delivery(Some(b""), allow_unsigned, Some(&signature), body),
                Err(WebhookError::EmptySecret)
            );
        }
    }

    #[test]
    fn an_empty_secret_is_refused() {
        let header = sign(b"", b"{}");
        assert_eq!(
            verify_signature(b"", Some(&header), b"{}"),
            Err(WebhookError::EmptySecret)
        );
    }

    #[test]
    fn decode_only_after_verification_and_bounded_payload_errors() {
        #[derive(serde::Deserialize, Debug)]
        struct Payload {
            #[allow(dead_code)]
            event_id: String,
        }
        let body = br#"{"event_id":"evt_1"}"#;
        let payload: Payload = verify_and_decode(SECRET, Some(&sign(SECRET, body)), body).unwrap();
        assert_eq!(payload.event_id, "evt_1");
        // Forged: never decoded.
        assert_eq!(
            verify_and_decode::<Payload>(SECRET, Some(&sign(b"x", body)), body).unwrap_err(),
            WebhookError::SignatureMismatch
        );
        // Authentic but the wrong shape, with a huge string in the message.
        let body = format!(r#"{{"event_id":{{"{}":1}}}}"#, "x".repeat(5000));
        let err = verify_and_decode::<Payload>(
            SECRET,
            Some(&sign(SECRET, body.as_bytes())),
            body.as_bytes(),
        )
        .unwrap_err();
        let WebhookError::InvalidPayload(message) = &err else {
            panic!("{err:?}");
        };
        assert!(message.len() < 300, "{}", message.len());
        assert!(
            err.to_string()
                .starts_with("the webhook delivery was accepted")
        );
    }

    #[test]
    fn errors_never_show_the_secret() {
        let body = b"{}";
        let errors = [
            verify_signature(SECRET, None, body).unwrap_err(),
            verify_signature(SECRET, Some("sha256=zz"), body).unwrap_err(),
            verify_signature(SECRET, Some(&sign(b"x", body)), body).unwrap_err(),
            verify_and_decode::<u8>(SECRET, Some(&sign(SECRET, body)), body).unwrap_err(),
        ];
        for err in errors {
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("whsec"), "{shown}");
        }
    }

    /// `InvalidPayload` says what is wrong and where, never a value from the
    /// (authentic) body: serde's own messages quote them.
    #[test]
    fn an_invalid_payload_quotes_no_value_from_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Delivery {
            event_id: String,
            count: i64,
            kind: Kind,
            tags: Vec<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Kind {
            #[serde(rename = "a")]
            A,
        }
        let secret = b"whsec_test";
        let cases: [(&str, &str); 5] = [
            (
                r#"{"event_id":"e","count":"hunter2","kind":"a","tags":[]}"#,
                "invalid type: string, expected i64",
            ),
            (
                r#"{"event_id":"e","count":1,"kind":"hunter2","tags":[]}"#,
                "unknown variant, expected",
            ),
            (
                r#"{"event_id":"e","count":1,"kind":"a","tags":"hunter2"}"#,
                "invalid type: string, expected a sequence",
            ),
            (
                r#"{"count":1,"kind":"a","tags":[]}"#,
                "missing field `event_id`",
            ),
            (r#"{"event_id":"hunter2"#, "the body ends too early"),
        ];
        for (body, expected) in cases {
            let signature = sign(secret, body.as_bytes());
            let err = verify_and_decode::<Delivery>(secret, Some(&signature), body.as_bytes())
                .unwrap_err();
            let WebhookError::InvalidPayload(message) = &err else {
                panic!("{err:?}");
            };
            assert!(message.contains(expected), "{body}: {message}");
            assert!(message.contains("at line 1 column"), "{message}");
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("hunter2"), "{shown}");
            }
        }
    }
}
