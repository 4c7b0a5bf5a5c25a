//! Webhook deliveries through the public API: both documented event shapes,
//! contact and company changes, unknown kinds, tampering and the unsigned rules.

use pathbound_client::webhooks::{WebhookChangeType, WebhookEventDelivery};
use pathbound_client::webhooks_verify::{
    Delivery, SIGNATURE_HEADER, USER_AGENT, Verifier, WebhookError, verify_delivery,
};
use ring::hmac;
use serde_json::json;

const SECRET: &[u8] = b"whsec_5e4d3c2b1a09";

/// An event delivery in the older shape, as docs.pathbound.ai/api/webhooks shows it.
const OLDER_EVENT: &str = r#"{
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

/// An event delivery in the newer shape, as pathbound.ai/docs/api/webhooks shows
/// it (the example is cut off after `domain`; the rest as `GET /v1/events` sends it).
const NEWER_EVENT: &str = r#"{
  "id": "evt_01HZY3K9T6",
  "event": "page_view",
  "timestamp": "2026-06-08T12:00:00.000Z",
  "data": {"title": "Pricing", "path": "/pricing"},
  "url": "https://acme.example/pricing",
  "domain": "acme.example",
  "referring_domain": "google.com",
  "internal_contact_id": "ct_42",
  "contact": {"contact_id": "ct_42", "_id": "ct_42", "email": "ada@example.com"},
  "company": {"company_id": "co_7", "_id": "co_7", "name": "Analytical Engines"}
}"#;

fn sign(secret: &[u8], body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let hex: String = hmac::sign(&key, body)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// Signs `body` with [`SECRET`] and verifies it.
fn signed(body: &str) -> Result<Delivery, WebhookError> {
    verify_delivery(
        SECRET,
        Some(&sign(SECRET, body.as_bytes())),
        body.as_bytes(),
    )
}

fn event(body: &str) -> WebhookEventDelivery {
    match signed(body).unwrap() {
        Delivery::Event(event) => event,
        other => panic!("not an event delivery: {other:?}"),
    }
}

#[test]
fn an_older_event_delivery_decodes_into_the_generated_type() {
    let delivery = event(OLDER_EVENT);
    assert_eq!(delivery.event_id, "evt_01HZY3K9T6");
    assert_eq!(delivery.event.as_deref(), Some("page_view"));
    assert_eq!(delivery.subscription_id.as_deref(), Some("sub_8f2a91"));
    assert_eq!(delivery.tenant_id.as_deref(), Some("tenant_xyz"));
    assert_eq!(
        delivery.timestamp.as_ref().map(|t| t.as_str()),
        Some("2026-04-29T12:00:00.000Z")
    );
    let data = delivery.data.as_ref().unwrap();
    assert_eq!(data.path.as_deref(), Some("/pricing"));
    assert_eq!(data.visitor_id.as_deref(), Some("vis_3b7c"));
    assert_eq!(data.company, None);
    // Keys the client does not model are kept.
    assert_eq!(data.extra["referring_domain"], "direct");
    // The accessors find what moved between the shapes under `data`.
    assert_eq!(
        delivery.url(),
        Some("https://acme.example/pricing?plan=team")
    );
    assert_eq!(delivery.domain(), Some("acme.example"));
    assert_eq!(delivery.internal_contact_id(), Some("ct_42"));
    let contact = delivery.contact().unwrap();
    assert_eq!(
        (contact.contact_id.as_str(), contact.email.as_deref()),
        ("ct_42", Some("ada@example.com"))
    );
    assert_eq!(delivery.company(), None);
}

#[test]
fn a_newer_event_delivery_decodes_into_the_same_type() {
    let delivery = event(NEWER_EVENT);
    // `id` in the newer shape is the `event_id` of the older one.
    assert_eq!(delivery.event_id, "evt_01HZY3K9T6");
    assert_eq!(delivery.event.as_deref(), Some("page_view"));
    assert_eq!(delivery.subscription_id, None);
    let data = delivery.data.as_ref().unwrap();
    assert_eq!(
        (
            data.title.as_deref(),
            data.path.as_deref(),
            data.url.as_deref()
        ),
        (Some("Pricing"), Some("/pricing"), None)
    );
    assert_eq!(delivery.url(), Some("https://acme.example/pricing"));
    assert_eq!(delivery.domain(), Some("acme.example"));
    assert_eq!(delivery.internal_contact_id(), Some("ct_42"));
    assert_eq!(delivery.contact().unwrap().contact_id, "ct_42");
    assert_eq!(delivery.company().unwrap().company_id, "co_7");
    assert_eq!(delivery.extra["referring_domain"], "google.com");
    // Serialised under the newer, canonical name.
    let value = serde_json::to_value(&delivery).unwrap();
    assert_eq!(value["id"], "evt_01HZY3K9T6");
    assert!(value.get("event_id").is_none());
}

#[test]
fn both_shapes_give_the_same_id_for_deduplication() {
    let older = signed(OLDER_EVENT).unwrap();
    let newer = signed(NEWER_EVENT).unwrap();
    assert_eq!(older.id(), Some("evt_01HZY3K9T6"));
    assert_eq!(older.id(), newer.id());
}

#[test]
fn contact_changes_decode_with_their_change_type() {
    use WebhookChangeType::{Created, Deleted, Updated};
    for (action, expected) in [("created", Created), ("updated", Updated)] {
        let body = json!({
            "id": format!("whd_contact_{action}"),
            "type": "contact",
            "action": action,
            "timestamp": "2026-06-08T12:00:00.000Z",
            "data": {
                "contact_id": "ct_42",
                "_id": "ct_42",
                "properties": {"firstname": "Ada", "lifecycle_stage": "lead"},
                "creation_source": "hubspot"
            }
        })
        .to_string();
        let Delivery::Contact { action, delivery } = signed(&body).unwrap() else {
            panic!("not a contact delivery: {body}");
        };
        assert_eq!(action, Some(expected));
        let want_id = format!("whd_contact_{}", action.as_ref().unwrap());
        assert_eq!(delivery.id.as_deref(), Some(want_id.as_str()));
        assert_eq!(
            delivery.timestamp.as_ref().map(|t| t.as_str()),
            Some("2026-06-08T12:00:00.000Z")
        );
        let contact = delivery.data.unwrap();
        assert_eq!(contact.contact_id, "ct_42");
        assert_eq!(contact.creation_source.as_deref(), Some("hubspot"));
        assert_eq!(
            contact.properties.unwrap().firstname.as_deref(),
            Some("Ada")
        );
        // The kind keys stay with the body.
        assert_eq!(delivery.extra["type"], "contact");
    }

    // A deletion may carry only the id.
    let body = r#"{"id":"whd_3","type":"contact","action":"deleted","data":{"_id":"ct_42"}}"#;
    let delivery = signed(body).unwrap();
    assert_eq!(delivery.id(), Some("whd_3"));
    let Delivery::Contact { action, delivery } = delivery else {
        panic!("{body}");
    };
    assert_eq!(action, Some(Deleted));
    assert_eq!(delivery.data.unwrap().contact_id, "ct_42");
}

#[test]
fn company_changes_decode_with_their_change_type() {
    use WebhookChangeType::{Created, Deleted, Updated};
    for (action, expected) in [
        ("created", Created),
        ("updated", Updated),
        ("deleted", Deleted),
    ] {
        let body = json!({
            "id": "whd_9",
            "type": "company",
            "action": action,
            "timestamp": "2026-06-08T12:00:00.000Z",
            "data": {"company_id": "co_7", "properties": {"name": "Analytical Engines"}}
        })
        .to_string();
        let Delivery::Company { action, delivery } = signed(&body).unwrap() else {
            panic!("not a company delivery: {body}");
        };
        assert_eq!(action, Some(expected));
        assert_eq!(delivery.id.as_deref(), Some("whd_9"));
        let company = delivery.data.unwrap();
        assert_eq!(company.company_id, "co_7");
        assert_eq!(
            company.properties.unwrap().name.as_deref(),
            Some("Analytical Engines")
        );
    }
}

#[test]
fn the_assumed_alternative_spellings_of_a_change_are_accepted() {
    // A combined `type`, the record under its own name, the dashboard's key names.
    let combined = r#"{"type":"company.updated","company":{"_id":"co_7"}}"#;
    let Delivery::Company { action, delivery } = signed(combined).unwrap() else {
        panic!("{combined}");
    };
    assert_eq!(action, Some(WebhookChangeType::Updated));
    assert_eq!(delivery.data.unwrap().company_id, "co_7");

    let dashboard = r#"{"data_type":"contact","change_type":"created","data":{"id":"ct_1"}}"#;
    let Delivery::Contact { action, delivery } = signed(dashboard).unwrap() else {
        panic!("{dashboard}");
    };
    assert_eq!(action, Some(WebhookChangeType::Created));
    assert_eq!(delivery.data.unwrap().contact_id, "ct_1");

    // A change type this version does not know is kept as text.
    let merged = r#"{"type":"contact","action":"merged","data":{"_id":"ct_1"}}"#;
    let Delivery::Contact { action, .. } = signed(merged).unwrap() else {
        panic!("{merged}");
    };
    assert_eq!(action, Some(WebhookChangeType::from("merged")));

    // No change type at all: still a contact delivery, the body is kept.
    let bare = r#"{"type":"contact","operation":"upsert","data":{"_id":"ct_1"}}"#;
    let Delivery::Contact { action, delivery } = signed(bare).unwrap() else {
        panic!("{bare}");
    };
    assert_eq!(action, None);
    assert_eq!(delivery.extra["operation"], "upsert");
}

#[test]
fn a_delivery_of_an_unknown_kind_is_kept_not_rejected() {
    for body in [
        r#"{"id":"whd_5","type":"segment","action":"updated","data":{"_id":"seg_1","name":"ICP"}}"#,
        r#"{"id":"whd_6","type":"segment.updated","data":[1,2,3]}"#,
        r#"{"id":"whd_7","payload":{"anything":true}}"#,
    ] {
        let delivery = signed(body).unwrap();
        let expected: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(delivery, Delivery::Unknown(expected), "{body}");
        assert!(delivery.id().unwrap().starts_with("whd_"));
    }
}

#[test]
fn tampered_or_forged_deliveries_are_rejected_before_decoding() {
    for body in [OLDER_EVENT, NEWER_EVENT] {
        let signature = sign(SECRET, body.as_bytes());
        let tampered = body.replace("evt_01HZY3K9T6", "evt_01HZY3K9T7");
        assert_eq!(
            verify_delivery(SECRET, Some(&signature), tampered.as_bytes()),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_delivery(b"whsec_rotated", Some(&signature), body.as_bytes()),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_delivery(SECRET, Some(&signature[7..]), body.as_bytes()),
            Err(WebhookError::MalformedSignature)
        );
    }
    // A tampered change delivery, through a Verifier that also allows unsigned ones.
    let body = r#"{"type":"contact","action":"deleted","data":{"_id":"ct_42"}}"#;
    let signature = sign(SECRET, body.as_bytes());
    let tampered = body.replace("deleted", "created");
    let verifier = Verifier::new(SECRET).allow_unsigned(true);
    assert_eq!(
        verifier.verify(Some(&signature), tampered.as_bytes()),
        Err(WebhookError::SignatureMismatch)
    );
    assert!(verifier.verify(Some(&signature), body.as_bytes()).is_ok());
}

#[test]
fn with_a_secret_a_missing_signature_is_refused_even_when_unsigned_is_allowed() {
    let body = NEWER_EVENT.as_bytes();
    assert_eq!(
        verify_delivery(SECRET, None, body),
        Err(WebhookError::MissingSignature)
    );
    for verifier in [
        Verifier::new(SECRET),
        Verifier::new(SECRET).allow_unsigned(true),
        Verifier::from_optional_secret(Some(SECRET)).allow_unsigned(true),
    ] {
        assert_eq!(
            verifier.verify(None, body),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verifier.verify(Some(""), body),
            Err(WebhookError::MissingSignature)
        );
        let signature = sign(SECRET, body);
        assert!(matches!(
            verifier.verify(Some(&signature), body),
            Ok(Delivery::Event(_))
        ));
    }
    // An empty secret is a configuration error, not "no secret".
    let empty = Verifier::from_optional_secret(Some("")).allow_unsigned(true);
    assert_eq!(
        empty.verify(Some(&sign(b"", body)), body),
        Err(WebhookError::EmptySecret)
    );
}

#[test]
fn without_a_secret_unsigned_deliveries_are_refused_unless_allowed() {
    let body = NEWER_EVENT.as_bytes();
    for verifier in [
        Verifier::without_secret(),
        Verifier::from_optional_secret(None::<String>),
        Verifier::without_secret().allow_unsigned(false),
    ] {
        let err = verifier.verify(None, body).unwrap_err();
        assert_eq!(err, WebhookError::UnsignedNotAllowed);
        assert!(err.to_string().contains("unsigned"), "{err}");
    }

    let verifier = Verifier::without_secret().allow_unsigned(true);
    // Absent or blank: unsigned, accepted and decoded like any other.
    for header in [None, Some(""), Some(" ")] {
        let delivery = verifier.verify(header, body).unwrap();
        assert_eq!(delivery.id(), Some("evt_01HZY3K9T6"));
    }
    let change = br#"{"type":"company","action":"created","data":{"_id":"co_7"}}"#;
    assert!(matches!(
        verifier.verify(None, change),
        Ok(Delivery::Company {
            action: Some(WebhookChangeType::Created),
            ..
        })
    ));
    // A signed delivery cannot be checked without the secret: refused either way.
    let signature = sign(SECRET, body);
    for verifier in [
        Verifier::without_secret(),
        Verifier::without_secret().allow_unsigned(true),
    ] {
        assert_eq!(
            verifier.verify(Some(&signature), body),
            Err(WebhookError::SecretNotConfigured)
        );
    }
    // An accepted unsigned body is still decoded strictly.
    assert!(matches!(
        verifier.verify(None, b"not json"),
        Err(WebhookError::InvalidPayload(_))
    ));
}

#[test]
fn an_accepted_body_that_is_not_a_delivery_of_its_kind_is_an_invalid_payload() {
    // An event without its id.
    let err = signed(r#"{"event":"page_view"}"#).unwrap_err();
    assert!(
        matches!(&err, WebhookError::InvalidPayload(m) if m.contains("event_id")),
        "{err:?}"
    );
    // Fields of the wrong type, and bodies that are not objects: no value quoted.
    for body in [
        r#"{"type":"contact","action":"created","data":"hunter2"}"#,
        r#"{"type":"company","action":"created","data":{"_id":"co_1","properties":"hunter2"}}"#,
        r#"{"id":"evt_1","event":"page_view","timestamp":["hunter2"]}"#,
        r#"{"type":["hunter2"]}"#,
        r#"["hunter2"]"#,
        r#""hunter2""#,
    ] {
        let err = signed(body).unwrap_err();
        let WebhookError::InvalidPayload(message) = &err else {
            panic!("{body}: {err:?}");
        };
        assert!(message.contains("at line 1 column"), "{body}: {message}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("hunter2"), "{body}: {shown}");
        }
    }
}

#[test]
fn the_verifier_never_shows_its_secret() {
    let shown = format!("{:?}", Verifier::new(SECRET).allow_unsigned(true));
    assert!(!shown.contains("whsec"), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
    assert_eq!(
        format!("{:?}", Verifier::without_secret()),
        "Verifier { secret: None, allow_unsigned: false }"
    );
}

#[test]
fn header_names_and_user_agent_match_the_docs() {
    assert_eq!(SIGNATURE_HEADER, "X-Pathbound-Signature");
    assert_eq!(USER_AGENT, "Pathbound-Webhooks/1.0");
    // Usable with the `http` crate's header map (case-insensitive).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-pathbound-signature",
        reqwest::header::HeaderValue::from_static("sha256=00"),
    );
    headers.insert(
        reqwest::header::USER_AGENT,
        reqwest::header::HeaderValue::from_static("Pathbound-Webhooks/1.0"),
    );
    assert!(headers.get(SIGNATURE_HEADER).is_some());
    assert_eq!(headers[reqwest::header::USER_AGENT], USER_AGENT);
}
