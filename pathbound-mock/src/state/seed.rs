//! A realistic, deterministic starting tenant: companies, contacts, two weeks of
//! tracked events (page views, clicks, form submits), segments, one sender
//! identity, one agent and a few actions. The same every run, except that the
//! history ends at start-up time.

use serde_json::{Map, Value, json};

use super::{Action, ActionStatus, Agent, Company, Contact, Event, Identity, Segment, State};
use crate::ids::Rng;
use crate::time::DAY_MS;

const COMPANIES: &[(&str, &str, &str, i64, &str)] = &[
    (
        "Northwind Traders",
        "northwind.example",
        "Retail",
        250,
        "US",
    ),
    ("Globex", "globex.example", "Manufacturing", 1200, "US"),
    ("Initech", "initech.example", "Software", 80, "US"),
    (
        "Umbrella Health",
        "umbrella-health.example",
        "Healthcare",
        3000,
        "GB",
    ),
    (
        "Stark Analytics",
        "stark-analytics.example",
        "Software",
        45,
        "DE",
    ),
    (
        "Wayne Logistics",
        "wayne-logistics.example",
        "Logistics",
        600,
        "US",
    ),
    ("Hooli", "hooli.example", "Software", 9000, "US"),
    (
        "Soylent Foods",
        "soylent.example",
        "Food & Beverage",
        150,
        "FR",
    ),
];

const PEOPLE: &[(&str, &str)] = &[
    ("Grace", "Chen"),
    ("Marcus", "Okafor"),
    ("Sofia", "Alvarez"),
    ("Liam", "Novak"),
    ("Amara", "Diallo"),
    ("Noah", "Fischer"),
    ("Priya", "Raman"),
    ("Ethan", "Brooks"),
    ("Yuki", "Tanaka"),
    ("Olivia", "Martin"),
    ("Mateo", "Rossi"),
    ("Hannah", "Keller"),
    ("Omar", "Haddad"),
    ("Chloe", "Dubois"),
    ("Lucas", "Silva"),
    ("Maya", "Patel"),
    ("Jonas", "Berg"),
    ("Isla", "Murphy"),
    ("Daniel", "Kim"),
    ("Zara", "Ahmed"),
    ("Felix", "Wagner"),
    ("Nina", "Kowalski"),
    ("Samuel", "Green"),
    ("Leah", "Cohen"),
    ("Victor", "Moreau"),
    ("Aisha", "Bello"),
    ("Oscar", "Lindqvist"),
    ("Emma", "Jansen"),
    ("Rafael", "Costa"),
    ("Mia", "Schneider"),
    ("Theo", "Walsh"),
    ("Elena", "Petrova"),
    ("Kai", "Nakamura"),
    ("Ruby", "Taylor"),
    ("Adrian", "Lopez"),
    ("Sara", "Nilsson"),
];

const TITLES: &[&str] = &[
    "VP of Sales",
    "Head of Marketing",
    "CTO",
    "Software Engineer",
    "Product Manager",
    "Founder & CEO",
    "Growth Lead",
    "Sales Development Rep",
    "Data Analyst",
    "COO",
];
const STAGES: &[&str] = &[
    "lead",
    "lead",
    "prospect",
    "mql",
    "sql",
    "opportunity",
    "customer",
    "customer",
    "evangelist",
    "subscriber",
];
const LEAD_STATUSES: &[&str] = &["new", "open", "in_progress", "connected", "unqualified"];
const CITIES: &[(&str, &str, &str)] = &[
    ("US", "San Francisco", "CA"),
    ("US", "New York", "NY"),
    ("US", "Austin", "TX"),
    ("GB", "London", "England"),
    ("DE", "Berlin", "Berlin"),
    ("FR", "Paris", "Île-de-France"),
];
const PAGES: &[(&str, &str)] = &[
    ("/", "Acme — AI sales assistant"),
    ("/pricing", "Pricing — Acme"),
    ("/features", "Features — Acme"),
    ("/customers", "Customer stories — Acme"),
    ("/blog/intent-signals", "Reading intent signals — Acme blog"),
    ("/blog/ai-sdr-playbook", "The AI SDR playbook — Acme blog"),
    ("/signup", "Start your free trial — Acme"),
    ("/contact", "Talk to sales — Acme"),
];
const DOC_PAGES: &[(&str, &str)] = &[
    ("/", "Acme docs"),
    ("/api", "API reference — Acme docs"),
    ("/quickstart", "Quickstart — Acme docs"),
];
const REFERRERS: &[&str] = &[
    "google.com",
    "google.com",
    "direct",
    "direct",
    "linkedin.com",
    "news.ycombinator.com",
    "bing.com",
    "x.com",
];
const CLIENTS: &[(&str, &str, &str)] = &[
    ("Chrome", "macOS", "Desktop"),
    ("Chrome", "Windows", "Desktop"),
    ("Safari", "macOS", "Desktop"),
    ("Safari", "iOS", "Mobile"),
    ("Firefox", "Linux", "Desktop"),
    ("Edge", "Windows", "Desktop"),
    ("Chrome", "Android", "Mobile"),
    ("Safari", "iPadOS", "Tablet"),
];

/// Fills `state` with the seed data; `now` is the end of the event history.
pub fn seed(state: &mut State, now: i64) {
    let mut rng = Rng::new(42);
    let company_ids = seed_companies(state, now);
    let contact_ids = seed_contacts(state, &mut rng, &company_ids, now);
    seed_events(state, &mut rng, &contact_ids, now);
    seed_segments(state, now);
    let identity_id = seed_identity(state, now);
    seed_agent(state, &identity_id, now);
    seed_actions(state, &identity_id, &contact_ids, now);
}

fn seed_companies(state: &mut State, now: i64) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, (name, domain, industry, employees, country)) in COMPANIES.iter().enumerate() {
        let id = state.ids.next("co_");
        let created = now - (90 - i64::try_from(i).unwrap_or(0) * 7) * DAY_MS;
        let mut properties = Map::new();
        properties.insert("name".into(), json!(name));
        properties.insert("domain".into(), json!(domain));
        properties.insert("industry".into(), json!(industry));
        properties.insert("employee_count".into(), json!(employees));
        properties.insert("country".into(), json!(country));
        properties.insert(
            "lifecyclestage".into(),
            json!(if i % 3 == 0 {
                "customer"
            } else {
                "opportunity"
            }),
        );
        let seq = state.next_seq();
        state.insert_company(Company {
            id: id.clone(),
            domain: (*domain).to_owned(),
            properties,
            notes: Vec::new(),
            created_at: created,
            updated_at: created,
            seq,
        });
        ids.push(id);
    }
    ids
}

fn seed_contacts(state: &mut State, rng: &mut Rng, companies: &[String], now: i64) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, (first, last)) in PEOPLE.iter().enumerate() {
        let id = state.ids.next("ct_");
        // Every sixth contact has no company.
        let company = (i % 6 != 5)
            .then(|| companies.get(i % companies.len()).cloned())
            .flatten();
        let company_row = company
            .as_ref()
            .and_then(|id| state.companies.get(id))
            .map(|c| {
                (
                    c.prop("name").unwrap_or_default(),
                    c.domain.clone(),
                    c.prop("industry"),
                    c.prop("country"),
                )
            });
        let domain = company_row
            .as_ref()
            .map_or("gmail.example".to_owned(), |c| c.1.clone());
        let email = format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase());
        let country = company_row
            .as_ref()
            .and_then(|c| c.3.clone())
            .unwrap_or_else(|| "US".to_owned());
        let (_, city, region) = CITIES
            .iter()
            .filter(|(c, _, _)| *c == country)
            .nth(i % 2)
            .or_else(|| CITIES.iter().find(|(c, _, _)| *c == country))
            .copied()
            .unwrap_or(("US", "Chicago", "IL"));
        let created = now
            - (60 - i64::try_from(i).unwrap_or(0)) * DAY_MS
            - 3_600_000 * i64::try_from(i % 7).unwrap_or(0);
        let mut p = Map::new();
        p.insert("email".into(), json!(email));
        p.insert("firstname".into(), json!(first));
        p.insert("lastname".into(), json!(last));
        if let Some(row) = &company_row {
            p.insert("company".into(), json!(row.0));
            if let Some(industry) = &row.2 {
                p.insert("industry".into(), json!(industry));
            }
        }
        p.insert("jobtitle".into(), json!(TITLES[i % TITLES.len()]));
        p.insert(
            "lifecyclestage".into(),
            json!(STAGES[(i * 7) % STAGES.len()]),
        );
        p.insert(
            "lead_status".into(),
            json!(LEAD_STATUSES[i % LEAD_STATUSES.len()]),
        );
        p.insert("country".into(), json!(country));
        p.insert("city".into(), json!(city));
        p.insert("state".into(), json!(region));
        if i % 2 == 0 {
            p.insert(
                "linkedin_url".into(),
                json!(format!(
                    "https://www.linkedin.com/in/{}-{}",
                    first.to_lowercase(),
                    last.to_lowercase()
                )),
            );
        }
        let referrer = rng.pick(REFERRERS).copied().unwrap_or("direct");
        let seq = state.next_seq();
        state.insert_contact(Contact {
            id: id.clone(),
            properties: p,
            company_id: company,
            visitor_ids: vec![format!("vis_{:012x}", rng.next_u64() >> 16)],
            external_id: None,
            creation_source: if i % 4 == 0 { "form" } else { "api" }.to_owned(),
            creation_referring_domain: Some(referrer.to_owned()),
            creation_landing_page: Some("https://www.acme-demo.com/".to_owned()),
            enriched: i % 3 != 2,
            notes: Vec::new(),
            created_at: created,
            updated_at: created,
            seq,
        });
        ids.push(id);
    }
    ids
}

fn seed_events(state: &mut State, rng: &mut Rng, contacts: &[String], now: i64) {
    // The first 20 contacts are tracked, plus 10 anonymous visitors.
    let mut visitors: Vec<(String, Option<String>)> = contacts
        .iter()
        .take(20)
        .filter_map(|id| {
            let c = state.contacts.get(id)?;
            Some((c.visitor_ids.first()?.clone(), Some(id.clone())))
        })
        .collect();
    for _ in 0..10 {
        visitors.push((format!("vis_{:012x}", rng.next_u64() >> 16), None));
    }
    for (v, (visitor, contact)) in visitors.iter().enumerate() {
        let client = rng.pick(CLIENTS).copied().unwrap_or(CLIENTS[0]);
        let sessions = 1 + rng.below(5) + u64::from(v % 4 == 0) * 3;
        for _ in 0..sessions {
            let day = i64::try_from(rng.below(14)).unwrap_or(0);
            let mut at = now
                - day * DAY_MS
                - i64::try_from(rng.below(DAY_MS as u64 - 3_600_000)).unwrap_or(0)
                - 3_600_000;
            let referrer = rng.pick(REFERRERS).copied().unwrap_or("direct").to_owned();
            let views = 1 + rng.below(5);
            for n in 0..views {
                let docs = rng.chance(15);
                let (domain, pages) = if docs {
                    ("docs.acme-demo.com", DOC_PAGES)
                } else {
                    ("www.acme-demo.com", PAGES)
                };
                let (path, title) = if n == 0 && !docs {
                    PAGES[0]
                } else {
                    rng.pick(pages).copied().unwrap_or(PAGES[0])
                };
                let url = format!("https://{domain}{path}");
                let mut base = Proto {
                    url: url.clone(),
                    domain: domain.to_owned(),
                    title: title.to_owned(),
                    visitor: visitor.clone(),
                    contact: contact.clone(),
                    referrer: if n == 0 {
                        referrer.clone()
                    } else {
                        "acme-demo.com".to_owned()
                    },
                    client,
                    is_bot: false,
                };
                push(state, &base, "page_view", at, Map::new());
                at += 5_000 + i64::try_from(rng.below(60_000)).unwrap_or(0);
                if rng.chance(35) {
                    let mut data = Map::new();
                    data.insert(
                        "text".into(),
                        json!(if path == "/pricing" {
                            "Compare plans"
                        } else {
                            "Learn more"
                        }),
                    );
                    data.insert("href".into(), json!("https://www.acme-demo.com/features"));
                    push(state, &base, "link_click", at, data);
                    at += 2_000;
                }
                if rng.chance(20) {
                    let mut data = Map::new();
                    data.insert(
                        "text".into(),
                        json!(if path == "/pricing" {
                            "Start free trial"
                        } else {
                            "Book a demo"
                        }),
                    );
                    data.insert("element_id".into(), json!("cta-primary"));
                    push(state, &base, "button_click", at, data);
                    at += 2_000;
                }
                if path == "/pricing" && rng.chance(30) {
                    let mut data = Map::new();
                    data.insert("seats".into(), json!(5 + rng.below(50)));
                    data.insert(
                        "plan".into(),
                        json!(if rng.chance(50) { "growth" } else { "scale" }),
                    );
                    push(state, &base, "pricing_calculator_used", at, data);
                    at += 2_000;
                }
                if (path == "/contact" || path == "/signup") && contact.is_some() && rng.chance(60)
                {
                    let mut data = Map::new();
                    data.insert(
                        "form_id".into(),
                        json!(if path == "/contact" {
                            "form_contact_sales"
                        } else {
                            "form_signup"
                        }),
                    );
                    data.insert(
                        "fields".into(),
                        json!(["email", "firstname", "lastname", "company"]),
                    );
                    push(state, &base, "form_submit", at, data);
                    at += 2_000;
                }
                base.referrer.clear();
            }
        }
    }
    // A crawler, flagged rather than dropped.
    for (i, (path, title)) in PAGES.iter().take(4).enumerate() {
        let base = Proto {
            url: format!("https://www.acme-demo.com{path}"),
            domain: "www.acme-demo.com".into(),
            title: (*title).to_owned(),
            visitor: "vis_bot000000001".into(),
            contact: None,
            referrer: "direct".into(),
            client: ("Googlebot", "Linux", "Desktop"),
            is_bot: true,
        };
        push(
            state,
            &base,
            "page_view",
            now - 2 * DAY_MS + i64::try_from(i).unwrap_or(0) * 60_000,
            Map::new(),
        );
    }
}

struct Proto {
    url: String,
    domain: String,
    title: String,
    visitor: String,
    contact: Option<String>,
    referrer: String,
    client: (&'static str, &'static str, &'static str),
    is_bot: bool,
}

fn push(state: &mut State, p: &Proto, event: &str, at: i64, data: Map<String, Value>) {
    let id = state.ids.next("evt_");
    let seq = state.next_seq();
    state.push_event(Event {
        id,
        event: event.to_owned(),
        timestamp: at,
        created_at: at + 1_500,
        url: p.url.clone(),
        domain: p.domain.clone(),
        title: p.title.clone(),
        visitor_id: p.visitor.clone(),
        contact_id: p.contact.clone(),
        referring_domain: if p.referrer.is_empty() {
            "acme-demo.com".into()
        } else {
            p.referrer.clone()
        },
        browser: p.client.0.to_owned(),
        os: p.client.1.to_owned(),
        device_type: p.client.2.to_owned(),
        is_bot: p.is_bot,
        data,
        seq,
    });
}

fn seed_segments(state: &mut State, now: i64) {
    let defs: [(&str, &str, Value); 4] = [
        (
            "Customers",
            "Contacts in the customer stage.",
            json!({ "lifecyclestage": "customer" }),
        ),
        (
            "US leads",
            "Leads based in the United States.",
            json!({ "country": "US", "lifecyclestage": "lead" }),
        ),
        (
            "Pricing page visitors",
            "Contacts who viewed /pricing.",
            json!({ "visited_path": "/pricing" }),
        ),
        (
            "Highly engaged",
            "Contacts with at least 25 tracked events.",
            json!({ "min_events": 25 }),
        ),
    ];
    for (i, (name, description, filter)) in defs.into_iter().enumerate() {
        let id = state.ids.next("seg_");
        state.add_segment(Segment {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            filter: filter.as_object().cloned().unwrap_or_default(),
            created_at: now - (30 - i64::try_from(i).unwrap_or(0)) * DAY_MS,
        });
    }
}

fn seed_identity(state: &mut State, now: i64) -> String {
    let id = state.ids.next("id_");
    state.identities.insert(
        id.clone(),
        Identity {
            id: id.clone(),
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            job_title: "Head of Sales".into(),
            email: "grace@acme-demo.com".into(),
            profile_id: None,
            linkedin_connected: false,
            created_at: now - 120 * DAY_MS,
            updated_at: now - 120 * DAY_MS,
        },
    );
    id
}

fn seed_agent(state: &mut State, identity_id: &str, now: i64) {
    let id = state.ids.next("agt_");
    let pricing = state
        .segments
        .iter()
        .find(|s| s.name == "Pricing page visitors")
        .map(|s| s.id.clone());
    let fields = json!({
        "name": "Pricing visitor follow-up",
        "description": "Drafts a personal email when a contact visits /pricing twice in 7 days.",
        "playbook_template": "pricing_visitor_followup",
        "playbook": { "playbook_md": "When a contact visits /pricing at least twice in 7 days and has not been emailed in the last 3 days, draft a short personal email offering a walkthrough." },
        "capabilities": ["email", "notes"],
        "identity_id": identity_id,
        "monitoring": { "filter": { "segment_id": pricing }, "schedule_cron": "0 * * * *", "max_contacts_per_run": 3 },
        "llm_config": { "provider": "anthropic", "model": "claude-sonnet", "temperature": 0.3, "max_tokens": 800 },
        "enabled": true,
    });
    let seq = state.next_seq();
    state.agents.insert(
        id.clone(),
        Agent {
            id,
            fields: fields.as_object().cloned().unwrap_or_default(),
            created_at: now - 20 * DAY_MS,
            updated_at: now - 20 * DAY_MS,
            seq,
        },
    );
}

fn seed_actions(state: &mut State, identity_id: &str, contacts: &[String], now: i64) {
    use ActionStatus::{Cancelled, Completed, PendingApproval, Scheduled};
    let plan = [
        ("email_message", Completed, 9),
        ("email_message", Completed, 6),
        ("linkedin_connection", Scheduled, 2),
        ("email_message", PendingApproval, 1),
        ("create_task", Cancelled, 4),
    ];
    for (i, (kind, status, days_ago)) in plan.into_iter().enumerate() {
        let Some(contact) = contacts.get(i * 3).and_then(|id| state.contacts.get(id)) else {
            continue;
        };
        let email = contact.email().unwrap_or_default().to_owned();
        let first = contact.prop("firstname").unwrap_or_default();
        let contact_id = contact.id.clone();
        let params = match kind {
            "email_message" => json!({
                "to": email, "contact_id": contact_id,
                "subject": format!("Quick question, {first}"),
                "body": format!("Hi {first}, saw you were looking at our pricing. Happy to walk you through it."),
            }),
            "linkedin_connection" => {
                json!({ "contact_id": contact_id, "note": format!("Hi {first}, great to connect!") })
            }
            _ => {
                json!({ "contact_id": contact_id, "title": format!("Call {first} about renewal") })
            }
        };
        let created = now - days_ago * DAY_MS;
        let id = state.ids.next("act_");
        let seq = state.next_seq();
        let mut action = Action {
            id: id.clone(),
            kind: kind.to_owned(),
            params: params.as_object().cloned().unwrap_or_default(),
            identity_id: identity_id.to_owned(),
            status,
            direct: false,
            scheduled_time: Some(crate::time::iso(created + 3_600_000)),
            description: None,
            require_approval: status == PendingApproval,
            list_id: None,
            item_id: None,
            agent_run_id: None,
            history: vec![(
                if status == PendingApproval {
                    PendingApproval
                } else {
                    Scheduled
                },
                created,
            )],
            created_at: created,
            updated_at: created,
            seq,
        };
        if status != action.history[0].0 {
            action.set_status(status, created + 3_600_000);
        }
        state.actions.insert(id, action);
    }
}
