//! The mock's in-memory data: every entity, how it looks on the wire, and the
//! lookups several handlers share. Everything lives behind one `Mutex` in the
//! server; handlers run synchronously while holding it, never across an await.

mod seed;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ids::IdGen;
use crate::time;

pub use seed::seed;

/// The tenant every key of the mock belongs to.
pub const TENANT_ID: &str = "tenant_mock";

/// All data of the mock tenant.
#[derive(Debug)]
pub struct State {
    /// Id generator.
    pub ids: IdGen,
    /// Contacts by id.
    pub contacts: BTreeMap<String, Contact>,
    /// Companies by id.
    pub companies: BTreeMap<String, Company>,
    /// Events, in insertion order.
    pub events: Vec<Event>,
    /// Segments (seeded; read-only through the API).
    pub segments: Vec<Segment>,
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
        }
    }

    /// The next sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The contact whose email is `email` (case-insensitive).
    pub fn contact_by_email(&self, email: &str) -> Option<&Contact> {
        self.contacts
            .values()
            .find(|c| c.email().is_some_and(|e| e.eq_ignore_ascii_case(email)))
    }

    /// The company whose domain is `domain` (case-insensitive).
    pub fn company_by_domain(&self, domain: &str) -> Option<&Company> {
        self.companies
            .values()
            .find(|c| c.domain.eq_ignore_ascii_case(domain))
    }

    /// Ids of the segments `contact` belongs to.
    pub fn segment_ids(&self, contact: &Contact) -> Vec<String> {
        self.segments
            .iter()
            .filter(|s| s.matches(contact, &self.events))
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
        let contact = event
            .contact_id
            .as_ref()
            .and_then(|id| self.contacts.get(id));
        let company = contact
            .and_then(|c| c.company_id.as_ref())
            .and_then(|id| self.companies.get(id));
        let mut value = event.to_json();
        if let Value::Object(map) = &mut value {
            map.insert(
                "contact".into(),
                contact.map_or(Value::Null, |c| {
                    let p = |k: &str| c.properties.get(k).cloned().unwrap_or(Value::Null);
                    json!({
                        "contact_id": c.id, "_id": c.id, "email": p("email"),
                        "firstname": p("firstname"), "lastname": p("lastname"),
                    })
                }),
            );
            map.insert(
                "company".into(),
                company.map_or(Value::Null, |c| {
                    json!({
                        "company_id": c.id, "_id": c.id, "name": c.properties.get("name"),
                        "domain": c.domain,
                    })
                }),
            );
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

    /// Events of `contact_id`, newest first.
    pub fn events_of(&self, contact_id: &str) -> Vec<&Event> {
        let mut events: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| e.contact_id.as_deref() == Some(contact_id))
            .collect();
        events.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.seq.cmp(&a.seq)));
        events
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
    /// Whether `contact` is a member.
    pub fn matches(&self, contact: &Contact, events: &[Event]) -> bool {
        self.filter.iter().all(|(key, want)| match key.as_str() {
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
