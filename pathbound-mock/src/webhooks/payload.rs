//! What a request changed, and the bodies that report it.
//!
//! The state notes every contact, company and event a request touches
//! ([`Touch`]); once the handler has answered, [`summarize`] turns those
//! notes into changes (`created`, `updated`, `deleted`, or a new event) and
//! [`render`] clones what each change reports from the state, under the state
//! lock. The JSON ([`Change::source`]) and the body a subscription receives
//! ([`Shapes::body`]) are built off the lock, on the delivery thread;
//! the body keeps the keys the spec's delivery schemas
//! (`spec/resources/webhooks.yaml`) declare, under their wire names: the mock
//! sends what the client decodes, by construction.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use ring::hmac;
use serde_json::{Map, Value, json};

use super::select::{ChangeType, Kind};
use crate::spec::Api;
use crate::state::{Company, Contact, Event, State, TENANT_ID};
use crate::time;

/// The records a delivery can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// A contact.
    Contact,
    /// A company.
    Company,
    /// A tracked event.
    Event,
}

/// What the state did to one record during a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Touch {
    /// Stored (created, or put back after a change).
    Put(Entity, String),
    /// Taken out (to be changed and put back, or deleted).
    Out(Entity, String),
    /// Deleted, with the record as it was, on the wire.
    Deleted(Entity, String, Value),
}

/// A change to report, in the order the request first touched its record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub kind: Entity,
    pub id: String,
    /// `None` for an event.
    pub change: Option<ChangeType>,
    /// The record as it was, for a deletion.
    pub before: Option<Value>,
}

/// Turns a request's touches into changes: a record that existed before and
/// after is `updated`, one that only exists after is `created` (an event is a
/// new event), one that only existed before is `deleted`; one created and
/// deleted by the same request is not reported.
pub(crate) fn summarize(touches: Vec<Touch>) -> Vec<Summary> {
    // (entity, id, existed before, exists after, snapshot), in first-touch order.
    let mut seen: Vec<(Entity, String, bool, bool, Option<Value>)> = Vec::new();
    for touch in touches {
        let (entity, id, after, snapshot) = match touch {
            Touch::Put(e, id) => (e, id, true, None),
            Touch::Out(e, id) => (e, id, false, None),
            Touch::Deleted(e, id, before) => (e, id, false, Some(before)),
        };
        match seen.iter_mut().find(|s| s.0 == entity && s.1 == id) {
            Some(entry) => {
                entry.3 = after;
                if snapshot.is_some() {
                    entry.4 = snapshot;
                }
            }
            None => seen.push((entity, id, !after, after, snapshot)),
        }
    }
    seen.into_iter()
        .filter_map(|(kind, id, before, after, snapshot)| {
            let change = match (kind, before, after) {
                (Entity::Event, _, true) => None,
                (_, true, true) => Some(ChangeType::Updated),
                (_, false, true) => Some(ChangeType::Created),
                (Entity::Event, _, false) | (_, false, false) => return None,
                (_, true, false) => Some(ChangeType::Deleted),
            };
            Some(Summary {
                kind,
                id,
                change,
                before: snapshot,
            })
        })
        .collect()
}

/// A change ready to be delivered: its kind, and what it reports as taken
/// under the state lock (records cloned, not yet JSON). The values its body
/// is projected from are built once, on first use, by the delivery thread:
/// off the state lock every request waits on.
#[derive(Debug)]
pub(crate) struct Change {
    pub kind: Kind,
    payload_id: String,
    now: i64,
    snapshot: Snapshot,
    source: OnceLock<Map<String, Value>>,
}

/// A record as the change found it.
#[derive(Debug)]
enum Snapshot {
    /// Already on the wire (a deleted record as it was), or nothing.
    Json(Option<Value>),
    /// A contact and its segments.
    Contact(Box<Contact>, Vec<String>),
    /// A company.
    Company(Box<Company>),
    /// An event, with the contact and company it joins.
    Event(Box<Event>, Value, Value),
}

impl Change {
    /// The values the body is projected from: the event as `GET /v1/events`
    /// shows it (plus `tenant_id`), or `{type, action, id, timestamp, data}`.
    pub(crate) fn source(&self) -> &Map<String, Value> {
        self.source.get_or_init(|| {
            let data = match &self.snapshot {
                Snapshot::Event(event, contact, company) => {
                    let mut value = event.to_json();
                    if let Value::Object(map) = &mut value {
                        map.insert("contact".into(), contact.clone());
                        map.insert("company".into(), company.clone());
                        map.insert("tenant_id".into(), json!(TENANT_ID));
                    }
                    return match value {
                        Value::Object(map) => map,
                        _ => Map::new(),
                    };
                }
                Snapshot::Contact(contact, segments) => contact.to_json(segments.clone()),
                Snapshot::Company(company) => company.to_json(false),
                Snapshot::Json(value) => value.clone().unwrap_or(Value::Null),
            };
            let (data_type, change) = match self.kind {
                Kind::Contact(change) => ("contact", change),
                Kind::Company(change) => ("company", change),
                Kind::Event(_) => return Map::new(),
            };
            match json!({
                "type": data_type,
                "action": change.as_str(),
                "id": self.payload_id,
                "timestamp": time::iso(self.now),
                "data": data,
            }) {
                Value::Object(map) => map,
                _ => Map::new(),
            }
        })
    }
}

/// The kind of delivery `summary` makes (`None` for an event no longer
/// stored).
pub(crate) fn kind_of(state: &State, summary: &Summary) -> Option<Kind> {
    Some(match (summary.kind, summary.change) {
        (Entity::Event, _) => Kind::Event(state.event(&summary.id)?.event.clone()),
        (Entity::Contact, Some(change)) => Kind::Contact(change),
        (Entity::Company, Some(change)) => Kind::Company(change),
        (_, None) => return None,
    })
}

/// Takes what `summary` reports from the state (call under the state lock;
/// only clones): a delivery of `kind`; a contact or company change carries
/// `payload_id` (`chg_…`) as its `id`; `now` is the change's time.
pub(crate) fn render(
    state: &State,
    summary: Summary,
    kind: Kind,
    payload_id: String,
    now: i64,
) -> Option<Change> {
    let snapshot = match (&kind, summary.kind) {
        (Kind::Event(_), _) => {
            let event = state.event(&summary.id)?;
            let (contact, company) = state.event_links(event);
            Snapshot::Event(Box::new(event.clone()), contact, company)
        }
        (Kind::Contact(ChangeType::Deleted), _) | (Kind::Company(ChangeType::Deleted), _) => {
            Snapshot::Json(summary.before)
        }
        (Kind::Contact(_), Entity::Contact) => match state.contacts().get(&summary.id) {
            Some(c) => Snapshot::Contact(Box::new(c.clone()), state.segment_ids(c)),
            None => Snapshot::Json(None),
        },
        (Kind::Company(_), Entity::Company) => match state.companies().get(&summary.id) {
            Some(c) => Snapshot::Company(Box::new(c.clone())),
            None => Snapshot::Json(None),
        },
        _ => return None,
    };
    Some(Change {
        kind,
        payload_id,
        now,
        snapshot,
        source: OnceLock::new(),
    })
}

/// A schema's fields: the wire name, then the aliases the client accepts.
type Fields = Vec<(String, Vec<String>)>;

/// The delivery schemas of the spec, read once at start.
#[derive(Debug)]
pub(crate) struct Shapes {
    kind: Fields,
    event: Fields,
    contact: Fields,
    company: Fields,
}

impl Shapes {
    /// Reads `WebhookDeliveryKind`, `WebhookEventDelivery`,
    /// `WebhookContactDelivery` and `WebhookCompanyDelivery` from the spec.
    pub(crate) fn from_api(api: &Api) -> Result<Shapes, String> {
        let fields = |name: &str| -> Result<Fields, String> {
            match api.schemas.get(name).map(|s| &s.kind) {
                Some(pathbound_model::model::Kind::Object { fields, .. }) => Ok(fields
                    .iter()
                    .map(|f| (f.wire.clone(), f.aliases.clone()))
                    .collect()),
                _ => Err(format!(
                    "webhooks need the object schema {name} in the spec (spec/resources/webhooks.yaml)"
                )),
            }
        };
        Ok(Shapes {
            kind: fields("WebhookDeliveryKind")?,
            event: fields("WebhookEventDelivery")?,
            contact: fields("WebhookContactDelivery")?,
            company: fields("WebhookCompanyDelivery")?,
        })
    }

    /// The body of `change` for subscription `subscription_id`: the keys of
    /// the delivery schemas, each taken from the change under its wire name or
    /// else under one of its aliases (so `event_id` fills the event's `id`).
    pub(crate) fn body(&self, change: &Change, subscription_id: &str) -> Vec<u8> {
        let subscription = json!(subscription_id);
        let (first, second): (&Fields, &[_]) = match change.kind {
            Kind::Event(_) => (&self.event, &[]),
            Kind::Contact(_) => (&self.kind, &self.contact),
            Kind::Company(_) => (&self.kind, &self.company),
        };
        let lookup = |key: &str| match (key, &change.kind) {
            ("subscription_id", Kind::Event(_)) => Some(&subscription),
            _ => change.source().get(key),
        };
        // Borrowed values, serialised once: nothing is cloned per delivery.
        let mut body: BTreeMap<&str, &Value> = BTreeMap::new();
        for (wire, aliases) in first.iter().chain(second) {
            let value = std::iter::once(wire)
                .chain(aliases)
                .find_map(|key| lookup(key));
            if let Some(value) = value {
                body.insert(wire, value);
            }
        }
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

/// `sha256=<hex>`: the HMAC-SHA256 of `body` keyed with `secret`.
pub(crate) fn sign(secret: &[u8], body: &[u8]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let tag = hmac::sign(&key, body);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for byte in tag.as_ref() {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{ChangeType, Entity, Touch, sign, summarize};

    #[test]
    fn touches_become_changes() {
        use Entity::{Company, Contact, Event};
        let s = summarize(vec![
            Touch::Put(Contact, "ct_new".into()),
            Touch::Out(Contact, "ct_old".into()),
            Touch::Put(Contact, "ct_old".into()),
            Touch::Put(Event, "evt_1".into()),
            Touch::Out(Company, "co_1".into()),
            Touch::Deleted(Company, "co_1".into(), json!({"company_id": "co_1"})),
            Touch::Put(Contact, "ct_tmp".into()),
            Touch::Out(Contact, "ct_tmp".into()),
        ]);
        let got: Vec<_> = s
            .iter()
            .map(|c| (c.kind, c.id.as_str(), c.change))
            .collect();
        assert_eq!(
            got,
            [
                (Contact, "ct_new", Some(ChangeType::Created)),
                (Contact, "ct_old", Some(ChangeType::Updated)),
                (Event, "evt_1", None),
                (Company, "co_1", Some(ChangeType::Deleted)),
            ]
        );
        assert_eq!(s[3].before, Some(json!({"company_id": "co_1"})));
    }

    #[test]
    fn signatures_are_hex_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
