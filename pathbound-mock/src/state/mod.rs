//! The mock's in-memory data: every entity, how it looks on the wire, and the
//! lookups several handlers share. Everything lives behind one `Mutex` in the
//! server; handlers run synchronously while holding it, never across an await.
//!
//! Contacts, companies, events and segments are private to this module and
//! change only through [`State`]'s methods, which keep the indexes in step:
//! contacts by email and external id, companies by domain, a company's
//! contacts, events by id and by visitor, each contact's events (count, newest,
//! page-view paths), and each segment's members in creation order. So a
//! lookup is a hash or tree access, and segment counts and member pages do
//! not scan contacts × events under the lock.

mod seed;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::ids::IdGen;
use crate::reply::Reply;
use crate::time;
use crate::webhooks::{Entity, Touch};

pub use seed::seed;

/// The tenant every key of the mock belongs to.
pub const TENANT_ID: &str = "tenant_mock";

/// All data of the mock tenant.
#[derive(Debug)]
pub struct State {
    /// Id generator.
    pub ids: IdGen,
    /// Contacts by id.
    contacts: BTreeMap<String, Contact>,
    /// Companies by id.
    companies: BTreeMap<String, Company>,
    /// Events, in insertion order (never removed, so positions are stable).
    events: Vec<Event>,
    /// Segments (seeded; read-only through the API).
    segments: Vec<Segment>,
    /// Actions by id.
    pub actions: BTreeMap<String, Action>,
    /// Agents by id.
    pub agents: BTreeMap<String, Agent>,
    /// Agent runs by id.
    pub runs: BTreeMap<String, Run>,
    /// Sender identities by id.
    pub identities: BTreeMap<String, Identity>,
    /// LinkedIn login sessions by id.
    pub sessions: BTreeMap<String, LoginSession>,
    /// Domains public form submissions are accepted from.
    pub verified_domains: Vec<String>,
    /// A sequence number that orders records created in the same millisecond.
    pub seq: u64,
    /// The most records the tenant may hold (see [`State::admit`]).
    pub max_records: usize,
    /// Notes held by contacts and companies.
    notes: usize,
    /// Lookups kept in step with the data.
    index: Index,
    /// What the current request touched, for webhook deliveries; `None` (not
    /// recorded) when the server has no subscription.
    touches: Option<Vec<Touch>>,
}

/// A segment member's place in creation order: `(created_at, seq, id)`.
type Member = (i64, u64, String);

/// The indexes over contacts, companies, events and segments.
#[derive(Debug, Default)]
struct Index {
    /// Lower-case (ASCII) email → contact ids.
    email: HashMap<String, BTreeSet<String>>,
    /// External id → contact ids.
    external_id: HashMap<String, BTreeSet<String>>,
    /// Lower-case (ASCII) domain → company ids.
    domain: HashMap<String, BTreeSet<String>>,
    /// Company id → ids of the contacts associated with it.
    company_contacts: HashMap<String, BTreeSet<String>>,
    /// Event id → position in `events`.
    event_ids: HashMap<String, usize>,
    /// Visitor id → positions of its events.
    visitor_events: HashMap<String, Vec<usize>>,
    /// Contact id → its events.
    activity: HashMap<String, Activity>,
    /// Per segment (same order as `segments`): its members.
    members: Vec<BTreeSet<Member>>,
    /// Contact id → the segments (positions) it is a member of.
    memberships: HashMap<String, Vec<usize>>,
}

/// One contact's events, as segment filters and activity summaries need them.
#[derive(Debug, Default)]
pub struct Activity {
    /// Positions in `events`.
    events: Vec<usize>,
    /// Page views per URL path.
    page_views: HashMap<String, usize>,
    /// The newest event's timestamp.
    last: Option<i64>,
}

impl Activity {
    fn add(&mut self, position: usize, event: &Event) {
        self.events.push(position);
        if event.event == "page_view" {
            *self.page_views.entry(event.path()).or_default() += 1;
        }
        self.last = Some(
            self.last
                .map_or(event.timestamp, |t| t.max(event.timestamp)),
        );
    }

    /// How many events.
    pub fn count(&self) -> usize {
        self.events.len()
    }

    /// Whether a page view of `path` is among them.
    pub fn viewed(&self, path: &str) -> bool {
        self.page_views.get(path).is_some_and(|n| *n > 0)
    }
}

fn index_add(map: &mut HashMap<String, BTreeSet<String>>, key: String, id: &str) {
    map.entry(key).or_default().insert(id.to_owned());
}

fn index_remove(map: &mut HashMap<String, BTreeSet<String>>, key: &str, id: &str) {
    if let Some(ids) = map.get_mut(key) {
        ids.remove(id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

fn member_key(contact: &Contact) -> Member {
    (contact.created_at, contact.seq, contact.id.clone())
}

impl State {
    /// An empty tenant.
    pub fn empty() -> State {
        State {
            ids: IdGen::new(0x5EED),
            contacts: BTreeMap::new(),
            companies: BTreeMap::new(),
            events: Vec::new(),
            segments: Vec::new(),
            actions: BTreeMap::new(),
            agents: BTreeMap::new(),
            runs: BTreeMap::new(),
            identities: BTreeMap::new(),
            sessions: BTreeMap::new(),
            verified_domains: vec!["www.acme-demo.com".into(), "acme-demo.com".into()],
            seq: 0,
            max_records: usize::MAX,
            notes: 0,
            index: Index::default(),
            touches: None,
        }
    }

    /// Starts noting what requests touch, for webhook deliveries.
    pub fn record_touches(&mut self) {
        self.touches.get_or_insert_with(Vec::new);
    }

    /// What was touched since the last call (empty when not recording).
    pub fn take_touches(&mut self) -> Vec<Touch> {
        self.touches
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn touch(&mut self, touch: impl FnOnce() -> Touch) {
        if let Some(touches) = &mut self.touches {
            touches.push(touch());
        }
    }

    /// The next sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ----- Bounds -----

    /// How many records the tenant holds: contacts, companies, events, notes,
    /// actions, agents, runs, identities and login sessions.
    pub fn records(&self) -> usize {
        self.contacts.len()
            + self.companies.len()
            + self.events.len()
            + self.notes
            + self.actions.len()
            + self.agents.len()
            + self.runs.len()
            + self.identities.len()
            + self.sessions.len()
    }

    /// `Ok` when `n` more records fit under [`State::max_records`]; otherwise the
    /// `503` to answer (call it before changing anything).
    pub fn admit(&self, n: usize) -> Result<(), Reply> {
        let held = self.records();
        if held.saturating_add(n) <= self.max_records {
            return Ok(());
        }
        Err(Reply::error(
            503,
            format!(
                "The mock's tenant is full: it holds {held} records and its limit is {} records \
                 (--max-records); delete some, or restart the mock with a higher limit",
                self.max_records
            ),
        ))
    }

    // ----- Reads -----

    /// Contacts by id.
    pub fn contacts(&self) -> &BTreeMap<String, Contact> {
        &self.contacts
    }

    /// Companies by id.
    pub fn companies(&self) -> &BTreeMap<String, Company> {
        &self.companies
    }

    /// Events, in insertion order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The event with `id`.
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.index
            .event_ids
            .get(id)
            .and_then(|i| self.events.get(*i))
    }

    /// Segments, in creation order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The position of the segment with `id`.
    pub fn segment_position(&self, id: &str) -> Option<usize> {
        self.segments.iter().position(|s| s.id == id)
    }

    /// How many contacts the segment at `position` holds.
    pub fn member_count(&self, position: usize) -> usize {
        self.index.members.get(position).map_or(0, BTreeSet::len)
    }

    /// The members of the segment at `position`, oldest first (by creation
    /// time, then creation order).
    pub fn members(&self, position: usize) -> impl DoubleEndedIterator<Item = &Contact> + '_ {
        self.index
            .members
            .get(position)
            .into_iter()
            .flatten()
            .filter_map(|(_, _, id)| self.contacts.get(id))
    }

    /// Whether contact `id` is a member of the segment at `position`.
    pub fn is_member(&self, position: usize, id: &str) -> bool {
        self.index
            .memberships
            .get(id)
            .is_some_and(|segments| segments.contains(&position))
    }

    /// The contact whose email is `email` (case-insensitive).
    pub fn contact_by_email(&self, email: &str) -> Option<&Contact> {
        self.first_of(&self.index.email, &email.to_ascii_lowercase())
    }

    /// The contact with external id `external_id`.
    pub fn contact_by_external_id(&self, external_id: &str) -> Option<&Contact> {
        self.first_of(&self.index.external_id, external_id)
    }

    fn first_of(&self, map: &HashMap<String, BTreeSet<String>>, key: &str) -> Option<&Contact> {
        map.get(key)?.iter().find_map(|id| self.contacts.get(id))
    }

    /// The company whose domain is `domain` (case-insensitive).
    pub fn company_by_domain(&self, domain: &str) -> Option<&Company> {
        self.index
            .domain
            .get(&domain.to_ascii_lowercase())?
            .iter()
            .find_map(|id| self.companies.get(id))
    }

    /// The contacts associated with company `id`, by contact id.
    pub fn contacts_of_company(&self, id: &str) -> impl Iterator<Item = &Contact> + '_ {
        self.index
            .company_contacts
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.contacts.get(id))
    }

    /// The newest event of any contact of company `id`.
    pub fn company_last_activity(&self, id: &str) -> Option<i64> {
        self.index
            .company_contacts
            .get(id)?
            .iter()
            .filter_map(|c| self.last_seen(c))
            .max()
    }

    /// Contact `id`'s events, if it has any.
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.index.activity.get(id)
    }

    /// How many events contact `id` has.
    pub fn event_count(&self, id: &str) -> usize {
        self.activity(id).map_or(0, Activity::count)
    }

    /// The timestamp of contact `id`'s newest event.
    pub fn last_seen(&self, id: &str) -> Option<i64> {
        self.activity(id).and_then(|a| a.last)
    }

    /// Events of `contact_id`, newest first.
    pub fn events_of(&self, contact_id: &str) -> Vec<&Event> {
        let mut events: Vec<&Event> = self
            .activity(contact_id)
            .map(|a| {
                a.events
                    .iter()
                    .filter_map(|i| self.events.get(*i))
                    .collect()
            })
            .unwrap_or_default();
        events.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.seq.cmp(&a.seq)));
        events
    }

    /// Ids of the segments `contact` belongs to (evaluated now, so it holds for
    /// a contact being created or changed too).
    pub fn segment_ids(&self, contact: &Contact) -> Vec<String> {
        let activity = self.activity(&contact.id);
        self.segments
            .iter()
            .filter(|s| s.matches(contact, activity))
            .map(|s| s.id.clone())
            .collect()
    }

    /// A contact on the wire.
    pub fn contact_json(&self, contact: &Contact) -> Value {
        contact.to_json(self.segment_ids(contact))
    }

    /// A contact in the compact `fields=summary` projection.
    pub fn contact_summary(&self, contact: &Contact) -> Value {
        let p = |k: &str| contact.properties.get(k).cloned().unwrap_or(Value::Null);
        json!({
            "contact_id": contact.id,
            "id": contact.id,
            "email": p("email"),
            "firstname": p("firstname"),
            "lastname": p("lastname"),
            "company": p("company"),
            "jobtitle": p("jobtitle"),
            "lifecyclestage": p("lifecyclestage"),
            "company_id": contact.company_id,
        })
    }

    /// The `contact` and `company` an enriched event joins (`null` when none).
    pub fn event_links(&self, event: &Event) -> (Value, Value) {
        let contact = event
            .contact_id
            .as_ref()
            .and_then(|id| self.contacts.get(id));
        let company = contact
            .and_then(|c| c.company_id.as_ref())
            .and_then(|id| self.companies.get(id));
        let contact = contact.map_or(Value::Null, |c| {
            let p = |k: &str| c.properties.get(k).cloned().unwrap_or(Value::Null);
            json!({
                "contact_id": c.id, "_id": c.id, "email": p("email"),
                "firstname": p("firstname"), "lastname": p("lastname"),
            })
        });
        let company = company.map_or(Value::Null, |c| {
            json!({
                "company_id": c.id, "_id": c.id, "name": c.properties.get("name"),
                "domain": c.domain,
            })
        });
        (contact, company)
    }

    /// An event on the wire, enriched with its contact and company unless `summary`.
    pub fn event_json(&self, event: &Event, summary: bool, provenance: bool) -> Value {
        if summary {
            return json!({
                "id": event.id,
                "event_id": event.id,
                "event": event.event,
                "timestamp": time::iso(event.timestamp),
                "url": event.url,
                "contact_id": event.contact_id,
            });
        }
        let (contact, company) = self.event_links(event);
        let mut value = event.to_json();
        if let Value::Object(map) = &mut value {
            map.insert("contact".into(), contact);
            map.insert("company".into(), company);
            if provenance {
                map.insert(
                    "properties_provenance".into(),
                    json!({
                        "browser": { "source": "user_agent", "at": time::iso(event.created_at) },
                        "os": { "source": "user_agent", "at": time::iso(event.created_at) },
                        "referring_domain": { "source": "tracker", "at": time::iso(event.created_at) },
                    }),
                );
            }
        }
        value
    }

    // ----- Contacts -----

    /// Adds `contact` (replacing one with the same id) and indexes it.
    pub fn insert_contact(&mut self, contact: Contact) {
        let id = contact.id.clone();
        self.remove_contact(&id);
        if let Some(email) = contact.email() {
            index_add(&mut self.index.email, email.to_ascii_lowercase(), &id);
        }
        if let Some(external) = &contact.external_id {
            index_add(&mut self.index.external_id, external.clone(), &id);
        }
        if let Some(company) = &contact.company_id {
            index_add(&mut self.index.company_contacts, company.clone(), &id);
        }
        self.notes += contact.notes.len();
        self.contacts.insert(id.clone(), contact);
        self.refresh_membership(&id);
        self.touch(|| Touch::Put(Entity::Contact, id));
    }

    /// Takes contact `id` out (its events stay linked to its id, for a contact
    /// that is put back changed, as updates do).
    pub fn remove_contact(&mut self, id: &str) -> Option<Contact> {
        let contact = self.contacts.remove(id)?;
        self.touch(|| Touch::Out(Entity::Contact, id.to_owned()));
        if let Some(email) = contact.email() {
            index_remove(&mut self.index.email, &email.to_ascii_lowercase(), id);
        }
        if let Some(external) = &contact.external_id {
            index_remove(&mut self.index.external_id, external, id);
        }
        if let Some(company) = &contact.company_id {
            index_remove(&mut self.index.company_contacts, company, id);
        }
        self.notes = self.notes.saturating_sub(contact.notes.len());
        let key = member_key(&contact);
        for position in self.index.memberships.remove(id).unwrap_or_default() {
            if let Some(members) = self.index.members.get_mut(position) {
                members.remove(&key);
            }
        }
        Some(contact)
    }

    /// Deletes contact `id`; its events stay, unlinked.
    pub fn delete_contact(&mut self, id: &str) -> Option<Contact> {
        let contact = self.remove_contact(id)?;
        self.touch(|| Touch::Deleted(Entity::Contact, id.to_owned(), contact.to_json(Vec::new())));
        if let Some(activity) = self.index.activity.remove(id) {
            for position in activity.events {
                if let Some(event) = self.events.get_mut(position) {
                    event.contact_id = None;
                }
            }
        }
        Some(contact)
    }

    /// Changes contact `id` with `change` and re-indexes it; `None` when there
    /// is no such contact.
    pub fn update_contact<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Contact) -> R,
    ) -> Option<R> {
        let mut contact = self.remove_contact(id)?;
        let out = change(&mut contact);
        self.insert_contact(contact);
        Some(out)
    }

    /// Recomputes which segments contact `id` is in.
    fn refresh_membership(&mut self, id: &str) {
        let Some(contact) = self.contacts.get(id) else {
            return;
        };
        let activity = self.index.activity.get(id);
        let now: Vec<usize> = self
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.matches(contact, activity))
            .map(|(i, _)| i)
            .collect();
        let key = member_key(contact);
        for position in self.index.memberships.remove(id).unwrap_or_default() {
            if let Some(members) = self.index.members.get_mut(position) {
                members.remove(&key);
            }
        }
        for position in &now {
            if let Some(members) = self.index.members.get_mut(*position) {
                members.insert(key.clone());
            }
        }
        if !now.is_empty() {
            self.index.memberships.insert(id.to_owned(), now);
        }
    }

    // ----- Companies -----

    /// Adds `company` (replacing one with the same id) and indexes it.
    pub fn insert_company(&mut self, company: Company) {
        let id = company.id.clone();
        self.remove_company(&id);
        index_add(
            &mut self.index.domain,
            company.domain.to_ascii_lowercase(),
            &id,
        );
        self.notes += company.notes.len();
        self.companies.insert(id.clone(), company);
        self.touch(|| Touch::Put(Entity::Company, id));
    }

    /// Takes company `id` out (its contacts keep their association).
    fn remove_company(&mut self, id: &str) -> Option<Company> {
        let company = self.companies.remove(id)?;
        self.touch(|| Touch::Out(Entity::Company, id.to_owned()));
        index_remove(
            &mut self.index.domain,
            &company.domain.to_ascii_lowercase(),
            id,
        );
        self.notes = self.notes.saturating_sub(company.notes.len());
        Some(company)
    }

    /// Deletes company `id`; its contacts lose the association (and are marked
    /// updated at `now`). Returns how many contacts were unlinked.
    pub fn delete_company(&mut self, id: &str, now: i64) -> Option<usize> {
        let company = self.remove_company(id)?;
        self.touch(|| Touch::Deleted(Entity::Company, id.to_owned(), company.to_json(false)));
        let linked: Vec<String> = self
            .index
            .company_contacts
            .get(id)
            .map(|ids| ids.iter().cloned().collect())
            .unwrap_or_default();
        for contact in &linked {
            self.update_contact(contact, |c| {
                c.company_id = None;
                c.updated_at = now;
            });
        }
        Some(linked.len())
    }

    /// Changes company `id` with `change` and re-indexes it; `None` when there
    /// is no such company.
    pub fn update_company<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Company) -> R,
    ) -> Option<R> {
        let mut company = self.remove_company(id)?;
        let out = change(&mut company);
        self.insert_company(company);
        Some(out)
    }

    // ----- Events -----

    /// Records `event` (and links it to its contact, if any).
    pub fn push_event(&mut self, event: Event) {
        let position = self.events.len();
        self.index.event_ids.insert(event.id.clone(), position);
        self.index
            .visitor_events
            .entry(event.visitor_id.clone())
            .or_default()
            .push(position);
        let contact = event.contact_id.clone();
        if let Some(contact) = &contact {
            self.index
                .activity
                .entry(contact.clone())
                .or_default()
                .add(position, &event);
        }
        self.touch(|| Touch::Put(Entity::Event, event.id.clone()));
        self.events.push(event);
        if let Some(contact) = contact {
            self.refresh_membership(&contact);
        }
    }

    /// Links the anonymous events of `visitor` to contact `contact_id` (which
    /// need not be stored yet); returns how many were linked.
    pub fn link_visitor(&mut self, visitor: &str, contact_id: &str) -> usize {
        let Index {
            visitor_events,
            activity,
            ..
        } = &mut self.index;
        let mut linked = 0;
        for &position in visitor_events.get(visitor).into_iter().flatten() {
            let Some(event) = self.events.get_mut(position) else {
                continue;
            };
            if event.contact_id.is_some() {
                continue;
            }
            event.contact_id = Some(contact_id.to_owned());
            activity
                .entry(contact_id.to_owned())
                .or_default()
                .add(position, event);
            linked += 1;
        }
        if linked > 0 {
            self.refresh_membership(contact_id);
        }
        linked
    }

    // ----- Segments -----

    /// Adds a segment and computes its members.
    pub fn add_segment(&mut self, segment: Segment) {
        let position = self.segments.len();
        let members: BTreeSet<Member> = self
            .contacts
            .values()
            .filter(|c| segment.matches(c, self.index.activity.get(&c.id)))
            .map(member_key)
            .collect();
        for (_, _, id) in &members {
            self.index
                .memberships
                .entry(id.clone())
                .or_default()
                .push(position);
        }
        self.index.members.push(members);
        self.segments.push(segment);
    }
}

/// A free-form note.
#[derive(Debug, Clone)]
pub struct Note {
    /// `note_…`
    pub id: String,
    /// The text.
    pub content: String,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Note {
    /// On the wire.
    pub fn to_json(&self) -> Value {
        json!({
            "note_id": self.id,
            "_id": self.id,
            "content": self.content,
            "created_at": time::iso(self.created_at),
            "updated_at": time::iso(self.updated_at),
        })
    }
}

/// A contact.
#[derive(Debug, Clone)]
pub struct Contact {
    /// `ct_…`
    pub id: String,
    /// HubSpot-style properties, `email` included.
    pub properties: Map<String, Value>,
    /// The associated company.
    pub company_id: Option<String>,
    /// Tracker visitor ids.
    pub visitor_ids: Vec<String>,
    /// The customer's user id, from `identify`.
    pub external_id: Option<String>,
    /// `api`, `form`, `identify`, `import`...
    pub creation_source: String,
    /// First-touch referring domain.
    pub creation_referring_domain: Option<String>,
    /// First-touch landing page.
    pub creation_landing_page: Option<String>,
    /// Whether enrichment ran.
    pub enriched: bool,
    /// Notes.
    pub notes: Vec<Note>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// Ordering among equal timestamps.
    pub seq: u64,
}

impl Contact {
    /// The email, if known.
    pub fn email(&self) -> Option<&str> {
        self.properties.get("email").and_then(Value::as_str)
    }

    /// A property as text (numbers and booleans too).
    pub fn prop(&self, key: &str) -> Option<String> {
        match self.properties.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// `firstname lastname`, or the email.
    pub fn display_name(&self) -> String {
        let name = [self.prop("firstname"), self.prop("lastname")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.email().unwrap_or(&self.id).to_owned()
        } else {
            name
        }
    }

    /// Whether a LinkedIn profile is known.
    pub fn has_linkedin(&self) -> bool {
        self.prop("linkedin_url").is_some_and(|u| !u.is_empty())
    }

    /// On the wire.
    pub fn to_json(&self, segment_ids: Vec<String>) -> Value {
        let mut properties = self.properties.clone();
        properties
            .entry("createdate")
            .or_insert_with(|| json!(time::iso(self.created_at)));
        json!({
            "contact_id": self.id,
            "_id": self.id,
            "properties": properties,
            "associations": { "companies": self.company_id.iter().collect::<Vec<_>>() },
            "company_id": self.company_id,
            "segment_ids": segment_ids,
            "visitor_ids": self.visitor_ids,
            "external_id": self.external_id,
            "enrichment_status": if self.enriched { "enriched" } else { "not_enriched" },
            "first_seen_at": time::iso(self.created_at),
            "creation_source": self.creation_source,
            "creation_referrer": self.creation_referring_domain.as_ref().map(|d| format!("https://{d}/")),
            "creation_referring_domain": self.creation_referring_domain,
            "creation_landing_page": self.creation_landing_page,
            "creation_utms": Value::Null,
            "notes": self.notes.iter().map(Note::to_json).collect::<Vec<_>>(),
            "created_at": time::iso(self.created_at),
            "updated_at": time::iso(self.updated_at),
        })
    }
}

/// A company.
#[derive(Debug, Clone)]
pub struct Company {
    /// `co_…`
    pub id: String,
    /// The unique domain.
    pub domain: String,
    /// Properties, `domain` included.
    pub properties: Map<String, Value>,
    /// Notes.
    pub notes: Vec<Note>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// Ordering among equal timestamps.
    pub seq: u64,
}

impl Company {
    /// A property as text.
    pub fn prop(&self, key: &str) -> Option<String> {
        match self.properties.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// On the wire.
    pub fn to_json(&self, provenance: bool) -> Value {
        let mut value = json!({
            "company_id": self.id,
            "_id": self.id,
            "tenant_id": TENANT_ID,
            "properties": self.properties,
            "created_at": time::iso(self.created_at),
            "updated_at": time::iso(self.updated_at),
        });
        if let (true, Value::Object(map)) = (provenance, &mut value) {
            let at = time::iso(self.updated_at);
            let prov: Map<String, Value> = self
                .properties
                .keys()
                .map(|k| (k.clone(), json!({ "source": "api", "at": at })))
                .collect();
            map.insert("properties_provenance".into(), Value::Object(prov));
        }
        value
    }

    /// The `fields=summary` projection.
    pub fn summary(&self, last_activity_at: Option<i64>) -> Value {
        json!({
            "company_id": self.id,
            "id": self.id,
            "name": self.properties.get("name"),
            "domain": self.domain,
            "industry": self.properties.get("industry"),
            "last_activity_at": last_activity_at.map(time::iso),
        })
    }
}

/// A tracked event.
#[derive(Debug, Clone)]
pub struct Event {
    /// `evt_…`
    pub id: String,
    /// `page_view`, `link_click`, ...
    pub event: String,
    /// When it happened (ms).
    pub timestamp: i64,
    /// When it was stored (ms).
    pub created_at: i64,
    /// Page URL.
    pub url: String,
    /// Host.
    pub domain: String,
    /// Page title.
    pub title: String,
    /// Tracker visitor id.
    pub visitor_id: String,
    /// The linked contact.
    pub contact_id: Option<String>,
    /// Referrer host or `direct`.
    pub referring_domain: String,
    /// Browser name.
    pub browser: String,
    /// Operating system.
    pub os: String,
    /// `Desktop`, `Mobile` or `Tablet`.
    pub device_type: String,
    /// Bot traffic.
    pub is_bot: bool,
    /// Event-specific payload.
    pub data: Map<String, Value>,
    /// Insertion order.
    pub seq: u64,
}

impl Event {
    /// The URL's path.
    pub fn path(&self) -> String {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.find('/')
            .map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned())
    }

    /// On the wire, without enrichment.
    pub fn to_json(&self) -> Value {
        let mut data = self.data.clone();
        data.entry("title").or_insert_with(|| json!(self.title));
        data.entry("path").or_insert_with(|| json!(self.path()));
        let mut value = json!({
            "event_id": self.id,
            "_id": self.id,
            "event": self.event,
            "timestamp": time::iso(self.timestamp),
            "createdAt": time::iso(self.created_at),
            "url": self.url,
            "domain": self.domain,
            "title": self.title,
            "path": self.path(),
            "visitorId": self.visitor_id,
            "data": data,
            "internal_contact_id": self.contact_id,
            "referring_domain": self.referring_domain,
            "browser": self.browser,
            "browser_version": browser_version(&self.browser),
            "os": self.os,
            "device_type": self.device_type,
        });
        if let (true, Value::Object(map)) = (self.is_bot, &mut value) {
            map.insert("is_bot".into(), json!(true));
        }
        value
    }

    /// A field of the event by name, as text, for filters and aggregates.
    pub fn field(&self, name: &str) -> Option<String> {
        Some(match name {
            "event" | "event_type" | "type" => self.event.clone(),
            "url" => self.url.clone(),
            "domain" => self.domain.clone(),
            "title" => self.title.clone(),
            "path" => self.path(),
            "contact_id" | "internal_contact_id" => self.contact_id.clone()?,
            "visitor_id" | "visitorId" => self.visitor_id.clone(),
            "referring_domain" => self.referring_domain.clone(),
            "browser" => self.browser.clone(),
            "os" => self.os.clone(),
            "device_type" => self.device_type.clone(),
            "is_bot" => self.is_bot.to_string(),
            "date" | "day" => time::iso(self.timestamp).get(..10)?.to_owned(),
            other => match self.data.get(other)? {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            },
        })
    }
}

fn browser_version(browser: &str) -> &'static str {
    match browser {
        "Chrome" => "131.0",
        "Safari" => "18.1",
        "Firefox" => "133.0",
        "Edge" => "131.0",
        _ => "1.0",
    }
}

/// A saved contact filter. `filter` maps a property (or `company_id`) to the
/// value it must have; two keys are special: `visited_path` (the contact has a
/// page view of that path) and `min_events` (at least that many events).
#[derive(Debug, Clone)]
pub struct Segment {
    /// `seg_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The definition.
    pub filter: Map<String, Value>,
    /// Created (ms).
    pub created_at: i64,
}

impl Segment {
    /// Whether `contact`, with these events (`None`: none), is a member.
    pub fn matches(&self, contact: &Contact, activity: Option<&Activity>) -> bool {
        self.filter.iter().all(|(key, want)| match key.as_str() {
            "visited_path" => want
                .as_str()
                .is_some_and(|path| activity.is_some_and(|a| a.viewed(path))),
            "min_events" => {
                let n = activity.map_or(0, Activity::count);
                want.as_u64()
                    .is_some_and(|min| u64::try_from(n).unwrap_or(u64::MAX) >= min)
            }
            "company_id" => contact.company_id.as_deref() == want.as_str(),
            _ => match (contact.prop(key), want.as_str()) {
                (Some(have), Some(want)) => have.eq_ignore_ascii_case(want),
                _ => false,
            },
        })
    }

    /// On the wire.
    pub fn to_json(&self, contact_count: usize) -> Value {
        json!({
            "segment_id": self.id,
            "_id": self.id,
            "name": self.name,
            "description": self.description,
            "contact_count": contact_count,
            "filter": self.filter,
            "created_at": time::iso(self.created_at),
        })
    }
}

/// Where an action is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    /// Waiting for its time.
    Scheduled,
    /// Waiting for approval.
    PendingApproval,
    /// Approved.
    Approved,
    /// Approved by policy.
    AutoApproved,
    /// Rejected.
    Rejected,
    /// Running.
    Running,
    /// Done.
    Completed,
    /// Failed.
    Failed,
    /// Cancelled.
    Cancelled,
}

impl ActionStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Scheduled => "scheduled",
            ActionStatus::PendingApproval => "pending_approval",
            ActionStatus::Approved => "approved",
            ActionStatus::AutoApproved => "auto_approved",
            ActionStatus::Rejected => "rejected",
            ActionStatus::Running => "running",
            ActionStatus::Completed => "completed",
            ActionStatus::Failed => "failed",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the action has not run yet (so it may still be changed).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ActionStatus::Scheduled
                | ActionStatus::PendingApproval
                | ActionStatus::Approved
                | ActionStatus::AutoApproved
        )
    }
}

/// An action.
#[derive(Debug, Clone)]
pub struct Action {
    /// `act_…`
    pub id: String,
    /// The action type (open set).
    pub kind: String,
    /// Type-specific parameters.
    pub params: Map<String, Value>,
    /// The performing identity.
    pub identity_id: String,
    /// Current status.
    pub status: ActionStatus,
    /// Created with `direct`.
    pub direct: bool,
    /// Scheduled time as sent (ISO text).
    pub scheduled_time: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Created with `require_approval`.
    pub require_approval: bool,
    /// Associated list.
    pub list_id: Option<String>,
    /// Associated list item.
    pub item_id: Option<String>,
    /// The agent run that proposed it, if any.
    pub agent_run_id: Option<String>,
    /// Status changes: (status, when).
    pub history: Vec<(ActionStatus, i64)>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// Ordering among equal timestamps.
    pub seq: u64,
}

impl Action {
    /// A human-readable summary, e.g. `Email to ada@example.com scheduled`.
    pub fn summary(&self) -> String {
        let what = match self.kind.as_str() {
            "send_email" | "email_message" | "resend_send_email" => {
                match self.params.get("to").and_then(Value::as_str) {
                    Some(to) => format!("Email to {to}"),
                    None => "Email".to_owned(),
                }
            }
            "linkedin_connection" | "linkedin_message" => "LinkedIn request".to_owned(),
            "create_note" => "Note".to_owned(),
            "create_task" => "Task".to_owned(),
            "send_slack_message" => "Slack message".to_owned(),
            other => format!("Action {other}"),
        };
        let state = match self.status {
            ActionStatus::Scheduled => "scheduled",
            ActionStatus::PendingApproval => "waiting for approval",
            ActionStatus::Approved | ActionStatus::AutoApproved => "approved",
            ActionStatus::Rejected => "rejected",
            ActionStatus::Running => "running",
            ActionStatus::Completed => "completed",
            ActionStatus::Failed => "failed",
            ActionStatus::Cancelled => "cancelled",
        };
        format!("{what} {state}")
    }

    /// Moves to `status` and records it.
    pub fn set_status(&mut self, status: ActionStatus, now: i64) {
        self.status = status;
        self.updated_at = now;
        self.history.push((status, now));
    }

    /// On the wire.
    pub fn to_json(&self) -> Value {
        json!({
            "action_id": self.id,
            "_id": self.id,
            "type": self.kind,
            "params": self.params,
            "identity_id": self.identity_id,
            "status": self.status.as_str(),
            "direct": self.direct,
            "scheduled_time": self.scheduled_time,
            "description": self.description,
            "require_approval": self.require_approval,
            "list_id": self.list_id,
            "item_id": self.item_id,
            "agent_run_id": self.agent_run_id,
            "action_summary": self.summary(),
            "error": (self.status == ActionStatus::Failed).then_some("Simulated failure (params.simulate_failure)"),
            "status_history": self.history.iter().map(|(s, at)| json!({ "status": s.as_str(), "at": time::iso(*at) })).collect::<Vec<_>>(),
            "created_at": time::iso(self.created_at),
            "updated_at": time::iso(self.updated_at),
        })
    }
}

/// An agent; its configuration is kept as sent.
#[derive(Debug, Clone)]
pub struct Agent {
    /// `agt_…`
    pub id: String,
    /// `name`, `description`, `playbook_template`, `playbook`, `capabilities`,
    /// `identity_id`, `monitoring`, `llm_config`, `enabled`.
    pub fields: Map<String, Value>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// Ordering among equal timestamps.
    pub seq: u64,
}

impl Agent {
    /// On the wire.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("agent_id".into(), json!(self.id));
        map.insert("_id".into(), json!(self.id));
        for (k, v) in &self.fields {
            map.insert(k.clone(), v.clone());
        }
        map.entry("enabled").or_insert(json!(false));
        map.insert("created_at".into(), json!(time::iso(self.created_at)));
        map.insert("updated_at".into(), json!(time::iso(self.updated_at)));
        Value::Object(map)
    }

    /// Whether the agent is enabled.
    pub fn enabled(&self) -> bool {
        self.fields
            .get("enabled")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// An action an agent proposed for a contact in a run.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Action type.
    pub kind: String,
    /// Parameters.
    pub params: Map<String, Value>,
    /// `pending_approval`, `approved` or `rejected`.
    pub status: &'static str,
    /// The action created on approval.
    pub action_id: Option<String>,
}

/// One contact handled in a run.
#[derive(Debug, Clone)]
pub struct RunContact {
    /// The contact.
    pub contact_id: String,
    /// Proposed actions, addressed by index.
    pub proposals: Vec<Proposal>,
}

/// One run of an agent.
#[derive(Debug, Clone)]
pub struct Run {
    /// `run_…`
    pub id: String,
    /// The agent.
    pub agent_id: String,
    /// The trigger's job id.
    pub job_id: String,
    /// `awaiting_approval` while proposals are pending, then `completed`.
    pub status: &'static str,
    /// Contacts and their proposals.
    pub contacts: Vec<RunContact>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// Ordering among equal timestamps.
    pub seq: u64,
}

impl Run {
    /// Recomputes `status` from the proposals.
    pub fn refresh_status(&mut self) {
        let pending = self
            .contacts
            .iter()
            .flat_map(|c| &c.proposals)
            .any(|p| p.status == "pending_approval");
        self.status = if pending {
            "awaiting_approval"
        } else {
            "completed"
        };
    }
}

/// A sender identity.
#[derive(Debug, Clone)]
pub struct Identity {
    /// `id_…`
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Job title (`role` on create).
    pub job_title: String,
    /// Sending email address.
    pub email: String,
    /// The linked LinkedIn profile.
    pub profile_id: Option<String>,
    /// Whether LinkedIn is connected.
    pub linkedin_connected: bool,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Identity {
    /// On the wire (credentials are never returned).
    pub fn to_json(&self) -> Value {
        json!({
            "identity_id": self.id,
            "_id": self.id,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "jobTitle": self.job_title,
            "role": self.job_title,
            "email": self.email,
            "profile_id": self.profile_id,
            "linkedin_connected": self.linkedin_connected,
            "created_at": time::iso(self.created_at),
            "updated_at": time::iso(self.updated_at),
        })
    }
}

/// Where a LinkedIn login session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStatus {
    /// Just started.
    Queued,
    /// Logging in.
    Pending,
    /// LinkedIn asked for a 2FA code.
    Challenge,
    /// Done: the identity is connected.
    Connected,
}

impl LoginStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            LoginStatus::Queued => "queued",
            LoginStatus::Pending => "pending",
            LoginStatus::Challenge => "challenge",
            LoginStatus::Connected => "connected",
        }
    }
}

/// A LinkedIn login session.
#[derive(Debug, Clone)]
pub struct LoginSession {
    /// `sess_…`
    pub id: String,
    /// The identity logging in.
    pub identity_id: String,
    /// The LinkedIn profile.
    pub profile_id: String,
    /// Where it is.
    pub status: LoginStatus,
    /// Whether LinkedIn will ask for a code (first logins with credentials).
    pub needs_code: bool,
    /// Wrong codes sent so far.
    pub failed_codes: u32,
}

impl LoginSession {
    /// `login_result` on the wire.
    pub fn result_json(&self) -> Value {
        json!({
            "profile_id": self.profile_id,
            "session_id": self.id,
            "status": self.status.as_str(),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{Contact, Event, Note, Segment, State, seed};

    /// Segment membership as it was computed before the indexes: a scan of
    /// every event per contact and segment.
    fn scanned_match(segment: &Segment, contact: &Contact, events: &[Event]) -> bool {
        segment.filter.iter().all(|(key, want)| match key.as_str() {
            "visited_path" => events.iter().any(|e| {
                e.contact_id.as_deref() == Some(&contact.id)
                    && e.event == "page_view"
                    && Some(e.path().as_str()) == want.as_str()
            }),
            "min_events" => {
                let n = events
                    .iter()
                    .filter(|e| e.contact_id.as_deref() == Some(&contact.id))
                    .count();
                want.as_u64()
                    .is_some_and(|min| u64::try_from(n).unwrap_or(u64::MAX) >= min)
            }
            "company_id" => contact.company_id.as_deref() == want.as_str(),
            _ => match (contact.prop(key), want.as_str()) {
                (Some(have), Some(want)) => have.eq_ignore_ascii_case(want),
                _ => false,
            },
        })
    }

    /// Every indexed answer equals the answer of a full scan.
    fn check(state: &State) {
        for (position, segment) in state.segments.iter().enumerate() {
            let mut scanned: Vec<&Contact> = state
                .contacts
                .values()
                .filter(|c| scanned_match(segment, c, &state.events))
                .collect();
            scanned.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.seq.cmp(&b.seq)));
            let indexed: Vec<&str> = state.members(position).map(|c| c.id.as_str()).collect();
            let scanned: Vec<&str> = scanned.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(indexed, scanned, "members of {}", segment.name);
            assert_eq!(state.member_count(position), scanned.len());
            for contact in state.contacts.values() {
                assert_eq!(
                    state.is_member(position, &contact.id),
                    scanned.contains(&contact.id.as_str())
                );
            }
        }
        let mut notes = 0;
        for contact in state.contacts.values() {
            notes += contact.notes.len();
            let scanned: Vec<String> = state
                .segments
                .iter()
                .filter(|s| scanned_match(s, contact, &state.events))
                .map(|s| s.id.clone())
                .collect();
            assert_eq!(state.segment_ids(contact), scanned);
            let mut events: Vec<&Event> = state
                .events
                .iter()
                .filter(|e| e.contact_id.as_deref() == Some(&contact.id))
                .collect();
            events.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.seq.cmp(&a.seq)));
            let ids = |events: Vec<&Event>| events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(state.events_of(&contact.id)), ids(events.clone()));
            assert_eq!(state.event_count(&contact.id), events.len());
            assert_eq!(
                state.last_seen(&contact.id),
                events.first().map(|e| e.timestamp)
            );
            if let Some(email) = contact.email() {
                for asked in [email.to_owned(), email.to_ascii_uppercase()] {
                    let scanned = state
                        .contacts
                        .values()
                        .find(|c| c.email().is_some_and(|e| e.eq_ignore_ascii_case(&asked)));
                    assert_eq!(
                        state.contact_by_email(&asked).map(|c| &c.id),
                        scanned.map(|c| &c.id)
                    );
                }
            }
            if let Some(external) = &contact.external_id {
                let scanned = state
                    .contacts
                    .values()
                    .find(|c| c.external_id.as_deref() == Some(external));
                assert_eq!(
                    state.contact_by_external_id(external).map(|c| &c.id),
                    scanned.map(|c| &c.id)
                );
            }
        }
        for company in state.companies.values() {
            notes += company.notes.len();
            let scanned = state.companies.values().find(|c| {
                c.domain
                    .eq_ignore_ascii_case(&company.domain.to_ascii_uppercase())
            });
            assert_eq!(
                state
                    .company_by_domain(&company.domain.to_ascii_uppercase())
                    .map(|c| &c.id),
                scanned.map(|c| &c.id)
            );
            let scanned: Vec<&str> = state
                .contacts
                .values()
                .filter(|c| c.company_id.as_deref() == Some(&company.id))
                .map(|c| c.id.as_str())
                .collect();
            let indexed: Vec<&str> = state
                .contacts_of_company(&company.id)
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(indexed, scanned);
            let scanned = state
                .events
                .iter()
                .filter(|e| {
                    e.contact_id
                        .as_ref()
                        .and_then(|id| state.contacts.get(id))
                        .is_some_and(|c| c.company_id.as_deref() == Some(&company.id))
                })
                .map(|e| e.timestamp)
                .max();
            assert_eq!(state.company_last_activity(&company.id), scanned);
        }
        for event in &state.events {
            assert_eq!(state.event(&event.id).map(|e| &e.id), Some(&event.id));
        }
        assert_eq!(state.notes, notes);
    }

    fn contact(state: &mut State, email: &str, props: Value, now: i64) -> Contact {
        let mut properties: Map<String, Value> = props.as_object().cloned().unwrap_or_default();
        properties.insert("email".into(), json!(email));
        let seq = state.next_seq();
        Contact {
            id: state.ids.next("ct_"),
            properties,
            company_id: None,
            visitor_ids: Vec::new(),
            external_id: None,
            creation_source: "api".into(),
            creation_referring_domain: None,
            creation_landing_page: None,
            enriched: false,
            notes: Vec::new(),
            created_at: now,
            updated_at: now,
            seq,
        }
    }

    fn event(
        state: &mut State,
        kind: &str,
        url: &str,
        visitor: &str,
        contact: Option<&str>,
        at: i64,
    ) -> Event {
        let seq = state.next_seq();
        Event {
            id: state.ids.next("evt_"),
            event: kind.into(),
            timestamp: at,
            created_at: at,
            url: url.into(),
            domain: "www.acme-demo.com".into(),
            title: String::new(),
            visitor_id: visitor.into(),
            contact_id: contact.map(str::to_owned),
            referring_domain: "direct".into(),
            browser: "Chrome".into(),
            os: "macOS".into(),
            device_type: "Desktop".into(),
            is_bot: false,
            data: Map::new(),
            seq,
        }
    }

    #[test]
    fn indexes_agree_with_full_scans_through_every_change() {
        let now = 1_800_000_000_000;
        let mut state = State::empty();
        seed(&mut state, now);
        check(&state);
        assert!(
            state
                .segments
                .iter()
                .enumerate()
                .all(|(i, _)| state.member_count(i) > 0)
        );

        // New contacts, one in a segment by property.
        let a = contact(
            &mut state,
            "A@Example.com",
            json!({ "lifecyclestage": "customer" }),
            now,
        );
        let a_id = a.id.clone();
        state.insert_contact(a);
        let b = contact(&mut state, "b@example.com", json!({}), now);
        let b_id = b.id.clone();
        state.insert_contact(b);
        check(&state);

        // Property, company and external-id changes.
        let company = state.companies.keys().next().cloned().unwrap();
        state.update_contact(&a_id, |c| {
            c.properties.insert("lifecyclestage".into(), json!("lead"));
            c.properties.insert("country".into(), json!("us"));
            c.properties.insert("email".into(), json!("a2@example.com"));
            c.company_id = Some(company.clone());
            c.external_id = Some("usr_a".into());
        });
        check(&state);

        // Events: 25 make a contact "Highly engaged"; a /pricing view makes it a
        // pricing visitor; anonymous events linked later count too.
        for i in 0..25 {
            let e = event(
                &mut state,
                "form_submit",
                "https://www.acme-demo.com/",
                "vis_b",
                Some(&b_id),
                now + i,
            );
            state.push_event(e);
        }
        let e = event(
            &mut state,
            "page_view",
            "https://www.acme-demo.com/pricing?x=1",
            "vis_anon",
            None,
            now + 100,
        );
        state.push_event(e);
        check(&state);
        assert_eq!(state.link_visitor("vis_anon", &a_id), 1);
        assert_eq!(state.link_visitor("vis_anon", &b_id), 0);
        check(&state);

        // Notes count as records; taking a contact out and back changes nothing.
        state.update_contact(&b_id, |c| {
            c.notes.push(Note {
                id: "note_1".into(),
                content: "x".into(),
                created_at: now,
                updated_at: now,
            });
        });
        let taken = state.remove_contact(&b_id).unwrap();
        check(&state);
        state.insert_contact(taken);
        check(&state);

        // Company changes: a new domain, then deletion unlinks its contacts.
        state.update_company(&company, |c| c.domain = "Renamed.example".into());
        check(&state);
        let linked = state.contacts_of_company(&company).count();
        assert_eq!(state.delete_company(&company, now + 200), Some(linked));
        check(&state);

        // Deleting contacts unlinks their events, which a visitor link can take again.
        state.delete_contact(&b_id);
        state.delete_contact(&a_id);
        check(&state);
        let c = contact(&mut state, "c@example.com", json!({}), now + 300);
        let c_id = c.id.clone();
        state.insert_contact(c);
        assert_eq!(state.link_visitor("vis_b", &c_id), 25);
        check(&state);
    }

    #[test]
    fn admit_counts_every_kind_of_record() {
        let mut state = State::empty();
        assert_eq!(state.records(), 0);
        state.max_records = 2;
        assert!(state.admit(2).is_ok());
        let c = contact(&mut state, "a@example.com", json!({}), 0);
        let id = c.id.clone();
        state.insert_contact(c);
        state.update_contact(&id, |c| {
            c.notes.push(Note {
                id: "note_1".into(),
                content: "x".into(),
                created_at: 0,
                updated_at: 0,
            });
        });
        assert_eq!(state.records(), 2);
        let full = state.admit(1).unwrap_err();
        assert_eq!(full.status, 503);
        assert!(state.admit(usize::MAX).is_err());
        state.delete_contact(&id);
        assert_eq!(state.records(), 0);
    }
}
