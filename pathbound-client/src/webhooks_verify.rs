//! Verifying and decoding Pathbound webhook deliveries.
//!
//! Pathbound `POST`s each delivery to your endpoint with the header
//! [`SIGNATURE_HEADER`] (`X-Pathbound-Signature: sha256=<hex>`): the
//! HMAC-SHA256 of the **raw request body**, keyed with the subscription's
//! signing secret (shown once, when the subscription is created in the
//! dashboard). [`verify_delivery`] checks it in constant time and, only when
//! it matches, decodes the body into a [`WebhookDelivery`].
//!
//! Hand the verifier the body bytes exactly as received, before any JSON
//! parsing: re-serialised JSON does not carry the same signature. Answer a
//! delivery that fails verification with `401` and do not act on it. Use
//! [`WebhookDelivery::event_id`] to ignore duplicate deliveries.
//!
//! ```
//! use pathbound_client::webhooks_verify::{SIGNATURE_HEADER, verify_delivery};
//! use reqwest::header::HeaderMap; // the `http` crate's HeaderMap, as in axum or hyper
//!
//! /// Returns the HTTP status to answer the delivery with.
//! fn on_delivery(secret: &str, headers: &HeaderMap, body: &[u8]) -> u16 {
//!     let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
//!     match verify_delivery(secret.as_bytes(), signature, body) {
//!         Ok(delivery) => {
//!             println!("{} {:?}", delivery.event_id, delivery.event);
//!             200
//!         }
//!         Err(error) => {
//!             eprintln!("rejected webhook delivery: {error}");
//!             401
//!         }
//!     }
//! }
//! # assert_eq!(on_delivery("whsec_x", &HeaderMap::new(), b"{}"), 401);
//! ```

pub use crate::runtime::webhook::{WebhookError, verify_and_decode, verify_signature};
use crate::webhooks::WebhookDelivery;

/// The header carrying the signature, `sha256=<64 hex digits>`.
pub const SIGNATURE_HEADER: &str = "X-Pathbound-Signature";
/// The header carrying the event name, e.g. `page_view` (not signed; use the
/// body's `event` once verified).
pub const EVENT_HEADER: &str = "X-Pathbound-Event";
/// The header carrying the subscription id, `sub_…` (not signed; use the
/// body's `subscription_id` once verified).
pub const SUBSCRIPTION_HEADER: &str = "X-Pathbound-Subscription";

/// Verifies a delivery's signature and decodes its body.
///
/// `secret` is the subscription's signing secret, `signature_header` the value
/// of [`SIGNATURE_HEADER`] (`None` when absent) and `body` the raw request body.
///
/// # Errors
///
/// [`WebhookError::MissingSignature`], [`WebhookError::MalformedSignature`],
/// [`WebhookError::SignatureMismatch`] or [`WebhookError::EmptySecret`] when
/// the delivery cannot be trusted (nothing is decoded then), and
/// [`WebhookError::InvalidPayload`] when an authentic body is not a delivery
/// (no `event_id`, or a field of the wrong type).
pub fn verify_delivery(
    secret: &[u8],
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<WebhookDelivery, WebhookError> {
    verify_and_decode(secret, signature_header, body)
}

#[cfg(test)]
mod tests {
    use ring::hmac;

    use super::{SIGNATURE_HEADER, WebhookError, verify_delivery};

    const SECRET: &[u8] = b"whsec_5e4d3c2b1a09";

    /// A delivery shaped as the API docs describe it (fact sheet §3.10, §4.3).
    const DELIVERY: &str = r#"{
  "event": "page_view",
  "subscription_id": "sub_8f2a91",
  "event_id": "evt_01HZY3K9T6",
  "tenant_id": "tenant_xyz",
  "timestamp": "2026-04-29T12:00:00.000Z",
  "data": {
    "url": "https://acme.example/pricing?plan=team",
    "domain": "acme.example",
    "title": "Pricing - Acme",
    "path": "/pricing",
    "visitorId": "vis_3b7c",
    "internal_contact_id": "ct_42",
    "contact": {"_id": "ct_42", "email": "ada@example.com", "firstname": "Ada"},
    "company": null,
    "referring_domain": "direct"
  }
}"#;

    fn sign(secret: &[u8], body: &[u8]) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
        let tag = hmac::sign(&key, body);
        let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256={hex}")
    }

    #[test]
    fn a_signed_delivery_decodes_into_the_generated_type() {
        let body = DELIVERY.as_bytes();
        let delivery = verify_delivery(SECRET, Some(&sign(SECRET, body)), body).unwrap();
        assert_eq!(delivery.event.as_deref(), Some("page_view"));
        assert_eq!(delivery.subscription_id.as_deref(), Some("sub_8f2a91"));
        assert_eq!(delivery.event_id, "evt_01HZY3K9T6");
        assert_eq!(delivery.tenant_id.as_deref(), Some("tenant_xyz"));
        assert_eq!(
            delivery.timestamp.as_ref().map(|t| t.as_str()),
            Some("2026-04-29T12:00:00.000Z")
        );
        let data = delivery.data.unwrap();
        assert_eq!(data.path.as_deref(), Some("/pricing"));
        assert_eq!(data.visitor_id.as_deref(), Some("vis_3b7c"));
        assert_eq!(data.internal_contact_id.as_deref(), Some("ct_42"));
        let contact = data.contact.unwrap();
        assert_eq!(
            (contact.contact_id.as_str(), contact.email.as_deref()),
            ("ct_42", Some("ada@example.com"))
        );
        assert_eq!(data.company, None);
        // Keys the client does not model are kept.
        assert_eq!(data.extra["referring_domain"], "direct");
    }

    #[test]
    fn untrusted_deliveries_are_rejected_before_decoding() {
        let body = DELIVERY.as_bytes();
        let signature = sign(SECRET, body);
        let tampered = DELIVERY.replace("evt_01HZY3K9T6", "evt_01HZY3K9T7");
        assert_eq!(
            verify_delivery(SECRET, Some(&signature), tampered.as_bytes()),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_delivery(b"whsec_rotated", Some(&signature), body),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_delivery(SECRET, None, body),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify_delivery(SECRET, Some(&signature[7..]), body),
            Err(WebhookError::MalformedSignature)
        );
    }

    #[test]
    fn an_authentic_body_that_is_not_a_delivery_is_an_invalid_payload() {
        let body = br#"{"event":"page_view"}"#;
        let err = verify_delivery(SECRET, Some(&sign(SECRET, body)), body).unwrap_err();
        assert!(
            matches!(&err, WebhookError::InvalidPayload(m) if m.contains("event_id")),
            "{err:?}"
        );
    }

    #[test]
    fn header_name_matches_the_docs() {
        assert_eq!(SIGNATURE_HEADER, "X-Pathbound-Signature");
        // Usable with the `http` crate's header map (case-insensitive).
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-pathbound-signature",
            reqwest::header::HeaderValue::from_static("sha256=00"),
        );
        assert!(headers.get(SIGNATURE_HEADER).is_some());
    }
}
