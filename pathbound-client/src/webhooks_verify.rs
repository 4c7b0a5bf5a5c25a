//! Verifying and decoding Pathbound webhook deliveries.
//!
//! Pathbound `POST`s each delivery to your endpoint with a JSON body, the
//! header `User-Agent: Pathbound-Webhooks/1.0` ([`USER_AGENT`]) and, **only
//! when the stream has a signing secret**, the header [`SIGNATURE_HEADER`]
//! (`X-Pathbound-Signature: sha256=<hex>`): the HMAC-SHA256 of the **raw
//! request body**, keyed with the signing secret. A [`Verifier`] checks the
//! signature in constant time and, only when the delivery is trusted, decodes
//! the body into a typed [`Delivery`]: a tracked [`Delivery::Event`], a
//! [`Delivery::Contact`] or [`Delivery::Company`] change (`created`,
//! `updated`, `deleted`), or a [`Delivery::Unknown`] kind this version does
//! not know, kept as sent rather than refused.
//!
//! # Signed and unsigned deliveries
//!
//! | receiver configured with | delivery signed | delivery unsigned |
//! |---|---|---|
//! | a secret ([`Verifier::new`], [`verify_delivery`]) | checked: decoded, or [`WebhookError::SignatureMismatch`] | [`WebhookError::MissingSignature`] |
//! | no secret ([`Verifier::without_secret`]) | [`WebhookError::SecretNotConfigured`] | [`WebhookError::UnsignedNotAllowed`] |
//! | no secret, `.allow_unsigned(true)` | [`WebhookError::SecretNotConfigured`] | decoded, **unauthenticated** |
//!
//! An unsigned delivery cannot be told from a forged one: anyone who knows the
//! URL can send it. Give the stream a signing secret; allow unsigned
//! deliveries only for a stream that has none, on an endpoint that does not
//! act on what it is told without checking. A signed delivery is refused when
//! no secret is configured, because the sender has a secret the receiver
//! lacks: configure it. `allow_unsigned` never weakens a configured secret.
//!
//! Hand the verifier the body bytes exactly as received, before any JSON
//! parsing: re-serialised JSON does not carry the same signature. Answer a
//! delivery that fails verification with `401` and do not act on it. Use
//! [`Delivery::id`] to ignore duplicate deliveries.
//!
//! # How the kind of a delivery is recognised
//!
//! Pathbound documents the three data types a stream can target (`event`,
//! `contact`, `company`) and the event payload, but neither the contact and
//! company payloads nor a header naming the kind. Both event payloads (the
//! older `{event, event_id, …}`, the newer `{id, event, …}`) carry the event
//! name under `event`; for contact and company deliveries the verifier reads
//! `type` (`contact`/`company`) and `action` (`created`, `updated`,
//! `deleted`), or a combined `type` such as `contact.updated`. The keys and
//! their accepted aliases are in the spec
//! ([`WebhookDeliveryKind`]), so a
//! correction is a change to `spec/resources/webhooks.yaml`. In order:
//!
//! 1. a `type` of `event`, `contact` or `company` (or `contact.<change>`,
//!    `company.<change>`) names the kind;
//! 2. any other `type` is a kind this version does not know: [`Delivery::Unknown`];
//! 3. without `type`, a body with an `event` name is an event delivery;
//! 4. anything else is [`Delivery::Unknown`].
//!
//! A body of a known kind that does not decode as that kind (an event without
//! an id, a field of the wrong type) is [`WebhookError::InvalidPayload`].
//!
//! ```
//! use pathbound_client::webhooks::WebhookChangeType;
//! use pathbound_client::webhooks_verify::{Delivery, SIGNATURE_HEADER, Verifier};
//! use reqwest::header::HeaderMap; // the `http` crate's HeaderMap, as in axum or hyper
//!
//! /// Returns the HTTP status to answer the delivery with.
//! fn on_delivery(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> u16 {
//!     let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
//!     match verifier.verify(signature, body) {
//!         Ok(Delivery::Event(event)) => println!("{} {:?}", event.event_id, event.event),
//!         Ok(Delivery::Contact { action: Some(WebhookChangeType::Deleted), delivery }) => {
//!             println!("contact deleted: {:?}", delivery.data.map(|c| c.contact_id))
//!         }
//!         Ok(Delivery::Contact { delivery, .. }) => println!("contact changed: {:?}", delivery.id),
//!         Ok(Delivery::Company { action, delivery }) => println!("company {action:?}: {:?}", delivery.id),
//!         Ok(other) => println!("a kind this version does not know: {:?}", other.id()),
//!         Err(error) => {
//!             eprintln!("rejected webhook delivery: {error}");
//!             return 401;
//!         }
//!     }
//!     200
//! }
//!
//! // The secret, when the stream has one (e.g. from PATHBOUND_WEBHOOK_SECRET).
//! let verifier = Verifier::new("whsec_...");
//! # assert_eq!(on_delivery(&verifier, &HeaderMap::new(), b"{}"), 401);
//! // A stream without a signing secret: unsigned deliveries must be allowed explicitly.
//! let unsigned = Verifier::without_secret().allow_unsigned(true);
//! # assert_eq!(on_delivery(&unsigned, &HeaderMap::new(), br#"{"id":"evt_1","event":"x"}"#), 200);
//! ```

use std::fmt;

use crate::events::{EventCompany, EventContact};
pub use crate::runtime::webhook::{WebhookError, verify_and_decode, verify_signature};
use crate::runtime::webhook::{check_delivery, decode_payload};
use crate::webhooks::{
    WebhookChangeType, WebhookCompanyDelivery, WebhookContactDelivery, WebhookDataType,
    WebhookDeliveryKind, WebhookEventDelivery,
};

/// The header carrying the signature, `sha256=<64 hex digits>`; sent only when
/// the stream has a signing secret.
pub const SIGNATURE_HEADER: &str = "X-Pathbound-Signature";
/// The `User-Agent` of every delivery, `Pathbound-Webhooks/1.0`. Anyone can
/// send it: compare it to tell Pathbound's requests from stray traffic, never
/// as a substitute for the signature.
pub const USER_AGENT: &str = "Pathbound-Webhooks/1.0";
/// The header carrying the event name, e.g. `page_view`; only the older docs
/// list it (not signed; use the body's `event` once verified).
pub const EVENT_HEADER: &str = "X-Pathbound-Event";
/// The header carrying the subscription id, `sub_…`; only the older docs list
/// it (not signed; use the body's `subscription_id` once verified).
pub const SUBSCRIPTION_HEADER: &str = "X-Pathbound-Subscription";

/// A verified webhook delivery, by kind. See the [module docs](self) for how
/// the kind is recognised.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Delivery {
    /// A tracked event, in the older (`event_id`, `data` = the whole event) or
    /// the newer (`id`, the event at the top level) shape.
    Event(WebhookEventDelivery),
    /// A unified contact was created, updated or deleted.
    Contact {
        /// What happened; `None` when the delivery names no change type under
        /// the keys the verifier reads (see [`WebhookDeliveryKind`]); whatever
        /// it sends instead is kept in `delivery.extra`.
        action: Option<WebhookChangeType>,
        /// The body.
        delivery: WebhookContactDelivery,
    },
    /// A unified company was created, updated or deleted.
    Company {
        /// What happened; `None` when the delivery names no change type.
        action: Option<WebhookChangeType>,
        /// The body.
        delivery: WebhookCompanyDelivery,
    },
    /// A kind this version does not know, verified like any other and kept as
    /// sent.
    Unknown(serde_json::Value),
}

impl Delivery {
    /// The delivery's id, to deduplicate deliveries: the event's id for an
    /// event, the `id` key of a contact or company change (which Pathbound does
    /// not document).
    pub fn id(&self) -> Option<&str> {
        match self {
            Delivery::Event(event) => Some(&event.event_id),
            Delivery::Contact { delivery, .. } => delivery.id.as_deref(),
            Delivery::Company { delivery, .. } => delivery.id.as_deref(),
            Delivery::Unknown(value) => value.get("id").and_then(serde_json::Value::as_str),
        }
    }

    /// Decodes a body already accepted (signed, or unsigned and allowed).
    fn decode(body: &[u8]) -> Result<Delivery, WebhookError> {
        let kind: WebhookDeliveryKind = decode_payload(body)?;
        Ok(match Kind::of(kind) {
            Kind::Event => Delivery::Event(decode_payload(body)?),
            Kind::Contact(action) => Delivery::Contact {
                action,
                delivery: decode_payload(body)?,
            },
            Kind::Company(action) => Delivery::Company {
                action,
                delivery: decode_payload(body)?,
            },
            Kind::Unknown => Delivery::Unknown(decode_payload(body)?),
        })
    }
}

/// The kind of a delivery, from its [`WebhookDeliveryKind`] keys.
#[derive(Debug, PartialEq)]
enum Kind {
    Event,
    Contact(Option<WebhookChangeType>),
    Company(Option<WebhookChangeType>),
    Unknown,
}

impl Kind {
    fn of(kind: WebhookDeliveryKind) -> Kind {
        let Some(data_type) = kind.data_type else {
            return if kind.event.is_some() {
                Kind::Event
            } else {
                Kind::Unknown
            };
        };
        // `contact.updated`: the data type and the change type in one value.
        let combined = match data_type {
            WebhookDataType::Contact | WebhookDataType::Company => None,
            ref other => other.as_str().split_once('.'),
        };
        let (data_type, combined_action) = match combined {
            Some((data_type, action)) => (
                WebhookDataType::from(data_type),
                Some(WebhookChangeType::from(action)),
            ),
            None => (data_type.clone(), None),
        };
        let action = kind.action.or(combined_action);
        match data_type {
            WebhookDataType::Event => Kind::Event,
            WebhookDataType::Contact => Kind::Contact(action),
            WebhookDataType::Company => Kind::Company(action),
            _ => Kind::Unknown,
        }
    }
}

/// Verifies webhook deliveries and decodes them into [`Delivery`].
///
/// Configure it once with the stream's signing secret ([`Verifier::new`]), or
/// with none ([`Verifier::without_secret`], [`Verifier::from_optional_secret`]);
/// without a secret every delivery is refused unless unsigned deliveries are
/// allowed explicitly with [`Verifier::allow_unsigned`]. The
/// [module docs](self) have the full table. Its `Debug` output never shows the
/// secret.
///
/// ```
/// use pathbound_client::webhooks_verify::Verifier;
///
/// // Verify when a secret is configured; otherwise accept unsigned deliveries.
/// let secret = std::env::var("PATHBOUND_WEBHOOK_SECRET").ok();
/// let verifier = Verifier::from_optional_secret(secret).allow_unsigned(true);
/// # let _ = verifier;
/// ```
#[derive(Clone)]
pub struct Verifier {
    secret: Option<Box<[u8]>>,
    allow_unsigned: bool,
}

impl Verifier {
    /// A verifier with the stream's signing secret: every delivery must carry
    /// a valid signature. An empty secret refuses everything
    /// ([`WebhookError::EmptySecret`]).
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Verifier {
            secret: Some(secret.as_ref().into()),
            allow_unsigned: false,
        }
    }

    /// A verifier with no signing secret: it refuses every delivery
    /// ([`WebhookError::UnsignedNotAllowed`], or
    /// [`WebhookError::SecretNotConfigured`] for a signed one) unless
    /// [`Verifier::allow_unsigned`] is set.
    pub fn without_secret() -> Self {
        Verifier {
            secret: None,
            allow_unsigned: false,
        }
    }

    /// [`Verifier::new`] when `secret` is `Some`, [`Verifier::without_secret`]
    /// when `None`. `Some("")` is an empty secret, not a missing one.
    pub fn from_optional_secret<S: AsRef<[u8]>>(secret: Option<S>) -> Self {
        match secret {
            Some(secret) => Verifier::new(secret),
            None => Verifier::without_secret(),
        }
    }

    /// Whether to accept (`true`) an unsigned delivery when no secret is
    /// configured: it is then decoded **without any proof of where it came
    /// from**. Default `false`. No effect while a secret is configured: then
    /// a delivery without a signature is still refused.
    #[must_use]
    pub fn allow_unsigned(mut self, allow: bool) -> Self {
        self.allow_unsigned = allow;
        self
    }

    /// Checks a delivery and decodes its body.
    ///
    /// `signature_header` is the value of [`SIGNATURE_HEADER`] (`None` when
    /// absent) and `body` the raw request body.
    ///
    /// # Errors
    ///
    /// When the delivery cannot be trusted (nothing is decoded then):
    /// [`WebhookError::MissingSignature`], [`WebhookError::MalformedSignature`],
    /// [`WebhookError::SignatureMismatch`] or [`WebhookError::EmptySecret`]
    /// with a secret, [`WebhookError::UnsignedNotAllowed`] or
    /// [`WebhookError::SecretNotConfigured`] without one. When an accepted body
    /// is not a delivery of the kind it names (see the [module docs](self)):
    /// [`WebhookError::InvalidPayload`], which quotes no value from the body.
    pub fn verify(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        check_delivery(
            self.secret.as_deref(),
            self.allow_unsigned,
            signature_header,
            body,
        )?;
        Delivery::decode(body)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("allow_unsigned", &self.allow_unsigned)
            .finish()
    }
}

/// Verifies a signed delivery and decodes its body: [`Verifier::new`]`(secret)`
/// then [`Verifier::verify`], without keeping a verifier.
///
/// `secret` is the stream's signing secret, `signature_header` the value of
/// [`SIGNATURE_HEADER`] (`None` when absent) and `body` the raw request body.
/// A delivery without a signature is refused; for a stream without a signing
/// secret, use [`Verifier::without_secret`] and opt in to unsigned deliveries.
///
/// # Errors
///
/// Those of [`Verifier::verify`] with a secret.
pub fn verify_delivery(
    secret: &[u8],
    signature_header: Option<&str>,
    body: &[u8],
) -> Result<Delivery, WebhookError> {
    check_delivery(Some(secret), false, signature_header, body)?;
    Delivery::decode(body)
}

/// Fields that moved between the two documented shapes of an event delivery:
/// each accessor reads the newer top-level key, then the older one under
/// `data`.
impl WebhookEventDelivery {
    /// The page URL.
    pub fn url(&self) -> Option<&str> {
        self.url
            .as_deref()
            .or_else(|| self.data.as_ref()?.url.as_deref())
    }

    /// The host where the event was recorded.
    pub fn domain(&self) -> Option<&str> {
        self.domain
            .as_deref()
            .or_else(|| self.data.as_ref()?.domain.as_deref())
    }

    /// The linked contact's id (`ct_…`), if identified.
    pub fn internal_contact_id(&self) -> Option<&str> {
        self.internal_contact_id
            .as_deref()
            .or_else(|| self.data.as_ref()?.internal_contact_id.as_deref())
    }

    /// The linked contact.
    pub fn contact(&self) -> Option<&EventContact> {
        self.contact
            .as_ref()
            .or_else(|| self.data.as_ref()?.contact.as_ref())
    }

    /// The linked company.
    pub fn company(&self) -> Option<&EventCompany> {
        self.company
            .as_ref()
            .or_else(|| self.data.as_ref()?.company.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, WebhookChangeType};
    use crate::webhooks::WebhookDeliveryKind;

    fn kind(json: &str) -> Kind {
        Kind::of(serde_json::from_str::<WebhookDeliveryKind>(json).unwrap())
    }

    #[test]
    fn kinds_are_recognised_by_type_then_by_event() {
        use WebhookChangeType::{Created, Deleted, Updated};
        let cases = [
            (r#"{"event":"page_view","event_id":"evt_1"}"#, Kind::Event),
            (r#"{"id":"evt_1","event":"page_view"}"#, Kind::Event),
            (r#"{"type":"event","id":"evt_1"}"#, Kind::Event),
            (
                r#"{"type":"contact","action":"created"}"#,
                Kind::Contact(Some(Created)),
            ),
            (
                r#"{"data_type":"company","change_type":"deleted"}"#,
                Kind::Company(Some(Deleted)),
            ),
            (
                r#"{"type":"contact.updated"}"#,
                Kind::Contact(Some(Updated)),
            ),
            (
                r#"{"type":"company.merged"}"#,
                Kind::Company(Some(WebhookChangeType::from("merged"))),
            ),
            // An explicit action wins over the one in a combined type.
            (
                r#"{"type":"contact.updated","action":"deleted"}"#,
                Kind::Contact(Some(Deleted)),
            ),
            (r#"{"type":"contact"}"#, Kind::Contact(None)),
            (r#"{"type":"segment","action":"created"}"#, Kind::Unknown),
            (r#"{"type":"segment.created"}"#, Kind::Unknown),
            // A `type` decides, even next to an event name.
            (r#"{"type":"segment","event":"page_view"}"#, Kind::Unknown),
            (r#"{"id":"x"}"#, Kind::Unknown),
            ("{}", Kind::Unknown),
        ];
        for (json, expected) in cases {
            assert_eq!(kind(json), expected, "{json}");
        }
    }
}
