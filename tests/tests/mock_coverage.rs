//! End-to-end semantics: one test calls the operations of the generated client
//! against `pathbound-mock` in a realistic order (ids from earlier answers),
//! checks each answer, and checks that every operation it called was answered
//! with a 2xx. That every operation of the spec is called at all is checked by
//! `examples.rs`, from generated examples, so an endpoint added to the spec
//! needs no edit here.
//!
//! A second test shows the spec-driven part of the mock: an endpoint added to
//! the spec is routed, authenticated, validated and answered with no hand edit.

mod mock_support;

use std::collections::BTreeSet;
use std::path::Path;

use mock_support::*;
use pathbound_client::Client;
use pathbound_client::actions::{ActionStatus, ActionType, ApprovalDecision};
use pathbound_client::agents::{AgentCapability, AgentPlaybook, PlaybookTemplate};
use pathbound_client::batch::{AggregateEntity, EntityType, GroupBy};
use pathbound_client::common::{LifecycleStage, SortDir};
use pathbound_client::companies::CompanyProperties;
use pathbound_client::contacts::{ContactProperties, VisitorIds};
use pathbound_mock::{MockConfig, MockServer};
use pathbound_mock::{pathbound_model, testkit};
use serde_json::json;

/// The spec's operation ids, from the spec on disk.
fn spec_operations() -> BTreeSet<String> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = match pathbound_model::load_dir(&spec, "spec") {
        Ok(model) => model,
        Err(e) => panic!("the spec does not load:\n{e}"),
    };
    model.operations().map(|o| o.id.clone()).collect()
}

#[tokio::test]
async fn every_operation_of_the_client_is_called_and_served() {
    let server = MockServer::start().await;
    let c = client(&server, KEY_ALL);
    auth_health_public(&server, &c).await;
    contacts(&c).await;
    companies(&c).await;
    events_and_segments(&c).await;
    batch(&c).await;
    actions(&c).await;
    agents(&c).await;
    identities(&c).await;

    let spec = spec_operations();
    let served = server.served_operations();
    let failed: Vec<&String> = spec
        .iter()
        .filter(|op| server.hits(op) > 0 && !served.contains(*op))
        .filter(|op| *op != "public.submit_form") // the documented 403, checked above
        .collect();
    assert!(
        failed.is_empty(),
        "called but never answered with a 2xx: {failed:?}"
    );
    let unknown: Vec<&String> = served.difference(&spec).collect();
    assert!(
        unknown.is_empty(),
        "served but not in the spec: {unknown:?}"
    );
    let embedded: BTreeSet<String> = server.operations().into_iter().collect();
    assert_eq!(embedded, spec, "the mock embeds the current spec");
}

async fn auth_health_public(server: &MockServer, c: &Client) {
    let health = c.health().check().send().await.unwrap();
    assert_eq!(health.status.as_deref(), Some("success"));
    let status = c.auth().status().send().await.unwrap();
    let tenant = status.user.unwrap().tenant_id.unwrap();
    // Like the API, the mock takes a form submission only from a page of a
    // verified domain, named by `Origin` (or `Referer`). The typed client, run
    // server-side, sends neither: the documented 403.
    let err = c
        .public()
        .submit_form(tenant.clone(), "form_demo")
        .visitor_id("vis_formvisitor1")
        .contact_data(ContactProperties {
            email: Some("form.filler@example.com".into()),
            firstname: Some("Form".into()),
            lifecyclestage: Some(LifecycleStage::Lead),
            ..Default::default()
        })
        .company_data(CompanyProperties {
            domain: Some("formco.example".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    assert_eq!(details(&err)[0].0, "origin");
    // The browser's submission, with the page's origin, goes through.
    let body = json!({
        "visitor_id": "vis_formvisitor1",
        "contact_data": { "email": "form.filler@example.com", "firstname": "Form", "lifecyclestage": "lead" },
        "company_data": { "domain": "formco.example" },
    })
    .to_string();
    let form = testkit::send(
        server.base_url(),
        "POST",
        &format!("/public/form-submission/{tenant}/form_demo"),
        &[
            ("origin", "https://www.acme-demo.com"),
            ("content-type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .await
    .unwrap();
    assert_eq!(form.status, 200);
    assert_eq!(form.json()["message"], "Thank you for your submission");
    let created = c
        .contacts()
        .list()
        .search("form.filler")
        .send()
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    assert!(created.items[0].company_id.is_some());
}

async fn contacts(c: &Client) {
    let ada = c
        .contacts()
        .create("ada@example.com")
        .properties(ContactProperties {
            firstname: Some("Ada".into()),
            lastname: Some("Lovelace".into()),
            ..Default::default()
        })
        .visitor_id(VisitorIds::One("vis_ada0001".into()))
        .send()
        .await
        .unwrap();
    assert!(ada.contact_id.starts_with("ct_"));

    let page = c
        .contacts()
        .list()
        .search("lovelace")
        .sort_dir(SortDir::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(
        c.contacts()
            .count()
            .search("lovelace")
            .send()
            .await
            .unwrap(),
        1
    );

    let mut props = ContactProperties {
        jobtitle: Some("Mathematician".into()),
        ..Default::default()
    };
    props
        .extra
        .insert("favourite_engine".into(), json!("analytical"));
    let updated = c
        .contacts()
        .update(&ada.contact_id)
        .properties(props)
        .send()
        .await
        .unwrap();
    let p = updated.properties.unwrap();
    assert_eq!(p.firstname.as_deref(), Some("Ada"), "merged, not replaced");
    assert_eq!(p.jobtitle.as_deref(), Some("Mathematician"));
    assert_eq!(p.extra["favourite_engine"], "analytical");

    let note = c
        .contacts()
        .create_note(&ada.contact_id, "Met at the conference")
        .send()
        .await
        .unwrap();
    let edited = c
        .contacts()
        .update_note(&ada.contact_id, &note.note_id, "Met at the Babbage talk")
        .send()
        .await
        .unwrap();
    assert_eq!(edited.content.as_deref(), Some("Met at the Babbage talk"));
    assert_eq!(
        c.contacts()
            .list_notes(&ada.contact_id)
            .send()
            .await
            .unwrap()
            .len(),
        1
    );
    c.contacts()
        .delete_note(&ada.contact_id, &note.note_id)
        .send()
        .await
        .unwrap();
    assert!(
        c.contacts()
            .list_notes(&ada.contact_id)
            .send()
            .await
            .unwrap()
            .is_empty()
    );

    // identify: resolves by email, links the anonymous visitor's history.
    let identified = c
        .contacts()
        .identify("usr_ada")
        .anonymous_id("vis_ada_anon")
        .traits(ContactProperties {
            email: Some("ada@example.com".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        identified.contact_id.as_deref(),
        Some(ada.contact_id.as_str())
    );

    let details = c.contacts().get(&ada.contact_id).send().await.unwrap();
    assert_eq!(details.contact.contact_id, ada.contact_id);
    assert!(details.unified_profile.is_some());

    let busy = c
        .events()
        .list()
        .identified_only(true)
        .event_type("page_view")
        .limit(1)
        .send()
        .await
        .unwrap();
    let someone = busy.items[0].internal_contact_id.clone().unwrap();
    let events = c
        .contacts()
        .list_events(&someone)
        .event_type("page_view")
        .send()
        .await
        .unwrap();
    assert!(!events.is_empty());

    c.contacts().delete(&ada.contact_id).send().await.unwrap();
    assert!(
        c.contacts()
            .get(&ada.contact_id)
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
}

async fn companies(c: &Client) {
    let company = c
        .companies()
        .create("analytical-engines.example")
        .properties(CompanyProperties {
            name: Some("Analytical Engines".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    let member = c
        .contacts()
        .create("charles@analytical-engines.example")
        .company_id(&company.company_id)
        .send()
        .await
        .unwrap();
    let list = c
        .companies()
        .list()
        .search("analytical")
        .send()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let details = c.companies().get(&company.company_id).send().await.unwrap();
    assert_eq!(details.contacts.unwrap().len(), 1);
    let updated = c
        .companies()
        .update(&company.company_id)
        .properties(CompanyProperties {
            employee_count: Some(12),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    let props = updated.properties.unwrap();
    assert_eq!(
        (props.name.as_deref(), props.employee_count),
        (Some("Analytical Engines"), Some(12))
    );

    let note = c
        .companies()
        .create_note(&company.company_id, "Renewal in May")
        .send()
        .await
        .unwrap();
    c.companies()
        .update_note(&company.company_id, &note.note_id, "Renewal in June")
        .send()
        .await
        .unwrap();
    let notes = c
        .companies()
        .list_notes(&company.company_id)
        .send()
        .await
        .unwrap();
    assert_eq!(notes[0].content.as_deref(), Some("Renewal in June"));
    c.companies()
        .delete_note(&company.company_id, &note.note_id)
        .send()
        .await
        .unwrap();

    c.companies()
        .delete(&company.company_id)
        .send()
        .await
        .unwrap();
    let orphan = c.contacts().get(&member.contact_id).send().await.unwrap();
    assert_eq!(
        orphan.contact.company_id, None,
        "deleting a company unlinks its contacts"
    );
}

async fn events_and_segments(c: &Client) {
    let events = c.events().list().limit(3).send().await.unwrap();
    let first = &events.items[0];
    assert_eq!(
        c.events()
            .get(&first.event_id)
            .send()
            .await
            .unwrap()
            .event_id,
        first.event_id
    );
    assert!(c.events().count().send().await.unwrap() >= 3);
    assert!(
        c.events()
            .types()
            .send()
            .await
            .unwrap()
            .event_types
            .is_some()
    );

    let segments = c.segments().list().send().await.unwrap();
    let seg = &segments.items[0];
    assert_eq!(
        c.segments().get(&seg.segment_id).send().await.unwrap().name,
        seg.name
    );
    let members = c
        .segments()
        .list_contacts(&seg.segment_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        members.info.total_items,
        seg.contact_count.map(|n| n as u64)
    );
}

async fn batch(c: &Client) {
    let some: Vec<pathbound_client::ids::ContactId> = c
        .contacts()
        .list()
        .limit(3)
        .send()
        .await
        .unwrap()
        .into_items()
        .into_iter()
        .map(|c| c.contact_id)
        .collect();
    let mut asked = some.clone();
    asked.push("ct_unknown".into());
    let details = c
        .batch()
        .details(EntityType::Contacts, asked.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        details.contacts.unwrap().len(),
        3,
        "unknown ids are dropped"
    );
    let activity = c
        .batch()
        .activity(asked)
        .events_limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(activity.contact_count, Some(3));
    for entry in activity.activity.unwrap().values() {
        assert!(entry.events.as_ref().unwrap().len() <= 2);
    }
    let by_browser = c
        .batch()
        .aggregate(AggregateEntity::Events)
        .group_by(GroupBy::One("browser".into()))
        .send()
        .await
        .unwrap();
    let rows = by_browser.results.unwrap();
    let total: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total as i64, c.events().count().send().await.unwrap());
}

async fn actions(c: &Client) {
    let sender = c
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0)
        .identity_id;
    let params = json!({ "to": "ada@example.com", "subject": "Hello" });
    let params = params.as_object().unwrap().clone();
    let a = c
        .actions()
        .create(ActionType::EmailMessage, params.clone(), sender.clone())
        .require_approval(true)
        .send()
        .await
        .unwrap();
    c.actions()
        .update(&a.action_id)
        .description("First touch")
        .send()
        .await
        .unwrap();
    c.actions()
        .approve(&a.action_id, ApprovalDecision::Approve)
        .send()
        .await
        .unwrap();
    c.actions().execute(&a.action_id).send().await.unwrap();
    assert_eq!(
        c.actions().get(&a.action_id).send().await.unwrap().status,
        Some(ActionStatus::Completed)
    );
    let b = c
        .actions()
        .create(ActionType::EmailMessage, params.clone(), sender.clone())
        .require_approval(true)
        .send()
        .await
        .unwrap();
    c.actions().reject(&b.action_id).send().await.unwrap();
    let d = c
        .actions()
        .create(ActionType::EmailMessage, params, sender)
        .send()
        .await
        .unwrap();
    c.actions().cancel(&d.action_id).send().await.unwrap();
    let cancelled = c
        .actions()
        .list()
        .status(ActionStatus::Cancelled)
        .send()
        .await
        .unwrap();
    assert!(cancelled.iter().any(|x| x.action_id == d.action_id));
}

async fn agents(c: &Client) {
    let sender = c
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0)
        .identity_id;
    let agent = c
        .agents()
        .create("Docs reader follow-up")
        .playbook_template(PlaybookTemplate::ColdOutreach)
        .playbook(AgentPlaybook {
            playbook_md: Some("Email people who read the API docs.".into()),
            ..Default::default()
        })
        .capabilities(vec![AgentCapability::Email, AgentCapability::Notes])
        .identity_id(sender)
        .send()
        .await
        .unwrap();
    assert_eq!(agent.enabled, Some(false), "disabled unless asked");
    let enabled = c
        .agents()
        .update(&agent.agent_id)
        .enabled(true)
        .send()
        .await
        .unwrap();
    assert_eq!(enabled.enabled, Some(true));
    assert_eq!(
        c.agents()
            .get(&agent.agent_id)
            .send()
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Docs reader follow-up")
    );
    assert!(c.agents().list().send().await.unwrap().len() >= 2);

    let target = c
        .contacts()
        .list()
        .limit(1)
        .send()
        .await
        .unwrap()
        .items
        .remove(0)
        .contact_id;
    let job = c
        .agents()
        .trigger(&agent.agent_id)
        .contact_ids(vec![target.clone()])
        .send()
        .await
        .unwrap();
    assert!(job.starts_with("job_"), "{job}");
    let runs = c.agents().list_runs(&agent.agent_id).send().await.unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs.items[0];
    assert_eq!(run.status.as_deref(), Some("awaiting_approval"));
    c.agents()
        .approve_run_action(&run.run_id, &target, 0)
        .send()
        .await
        .unwrap();
    c.agents()
        .reject_run_action(&run.run_id, &target, 1)
        .send()
        .await
        .unwrap();
    let done = c.agents().get_run(&run.run_id).send().await.unwrap();
    assert_eq!(done.status.as_deref(), Some("completed"));
    let proposals = &done.contacts.unwrap()[0]["proposed_actions"];
    assert_eq!(proposals[0]["status"], "approved");
    assert_eq!(proposals[1]["status"], "rejected");
    // The approved proposal became an approved action.
    let action_id = proposals[0]["action_id"].as_str().unwrap();
    assert_eq!(
        c.actions().get(action_id).send().await.unwrap().status,
        Some(ActionStatus::Approved)
    );

    c.agents().delete(&agent.agent_id).send().await.unwrap();
    assert!(
        c.agents()
            .get_run(&run.run_id)
            .send()
            .await
            .unwrap_err()
            .is_not_found(),
        "runs go with the agent"
    );
}

async fn identities(c: &Client) {
    let created = c
        .identities()
        .create("Alan", "Turing", "Solutions Engineer")
        .send()
        .await
        .unwrap();
    assert_eq!(created.role.as_deref(), Some("Solutions Engineer"));
    let updated = c
        .identities()
        .update(&created.identity_id)
        .job_title("Principal Engineer")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.job_title.as_deref(), Some("Principal Engineer"));
    assert_eq!(
        c.identities()
            .get(&created.identity_id)
            .send()
            .await
            .unwrap()
            .first_name
            .as_deref(),
        Some("Alan")
    );

    let id = &created.identity_id;
    let started = c
        .identities()
        .linkedin_login(id)
        .username("alan@example.com")
        .password("hunter2")
        .send()
        .await
        .unwrap();
    let session = started.login_result.unwrap().session_id.unwrap();
    let mut seen = Vec::new();
    for _ in 0..2 {
        let state = c
            .identities()
            .linkedin_status(id, &session)
            .send()
            .await
            .unwrap();
        seen.push(state_of(&state.login_result));
    }
    assert_eq!(seen, ["pending", "challenge"]);
    let connected = c
        .identities()
        .linkedin_submit_code(id, &session, "123456")
        .send()
        .await
        .unwrap();
    assert_eq!(state_of(&connected.login_result), "connected");
    let check = c.identities().linkedin_check(id).send().await.unwrap();
    assert_eq!(check.connected, Some(true));

    c.identities().delete(id).send().await.unwrap();
    assert!(
        c.identities()
            .get(id)
            .send()
            .await
            .unwrap_err()
            .is_not_found()
    );
}

fn state_of(result: &Option<pathbound_client::identities::LinkedinLoginResult>) -> String {
    result
        .as_ref()
        .and_then(|r| r.status.as_ref())
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default()
}

/// The contacts resource file with one more endpoint, as a spec author would add it.
fn spec_with_timeline() -> Vec<pathbound_model::ast::SourceFile> {
    let mut files = pathbound_mock::spec::embedded_files();
    let contacts = files
        .iter_mut()
        .find(|f| f.name.ends_with("resources/contacts.yaml"))
        .expect("the spec has a contacts resource");
    contacts.text.push_str(
        r#"
  timeline:
    method: GET
    path: /contacts/{contact_id}/timeline
    scope: contacts:read
    summary: A contact's timeline of events, notes and actions.
    path_params:
      contact_id: { type: string, description: The contact's id. }
    query:
      limit: { type: integer, default: 10, min: 1, max: 50, description: Entries. }
    response: { key: timeline, type: "Event[]" }
"#,
    );
    files
}

#[tokio::test]
async fn an_endpoint_added_to_the_spec_is_served_without_a_hand_edit() {
    let server = MockConfig::new()
        .spec_files(spec_with_timeline())
        .start()
        .await
        .unwrap();
    assert!(
        server
            .operations()
            .contains(&"contacts.timeline".to_owned())
    );

    let ok = raw(
        &server,
        "GET",
        "/contacts/ct_1/timeline?limit=5",
        Some(KEY_READ_ONLY),
        None,
    )
    .await;
    assert_eq!(ok.status, 200);
    let body = ok.json();
    assert_eq!(body["status"], "success");
    let entry = &body["timeline"][0];
    assert!(
        entry["event_id"].as_str().unwrap().starts_with("evt_"),
        "{body}"
    );
    assert_eq!(entry["_id"], entry["event_id"]);
    assert_eq!(ok.header("x-mock-operation"), Some("contacts.timeline"));
    assert!(server.served_operations().contains("contacts.timeline"));

    let invalid = raw(
        &server,
        "GET",
        "/contacts/ct_1/timeline?limit=500",
        Some(KEY_READ_ONLY),
        None,
    )
    .await;
    assert_eq!(
        raw_details(&invalid),
        [pair("limit", "must be between 1 and 50")]
    );
    assert_eq!(
        raw(&server, "GET", "/contacts/ct_1/timeline", None, None)
            .await
            .status,
        401
    );
    let no_scope = pathbound_mock::ApiKey::new("sk_test_events_only", ["events:read"]);
    let server = MockConfig::new()
        .spec_files(spec_with_timeline())
        .key(no_scope)
        .start()
        .await
        .unwrap();
    let forbidden = raw(
        &server,
        "GET",
        "/contacts/ct_1/timeline",
        Some("sk_test_events_only"),
        None,
    )
    .await;
    assert_eq!(forbidden.status, 403);
    assert!(
        forbidden.json()["error"]
            .as_str()
            .unwrap()
            .contains("contacts:read")
    );

    // A broken spec is reported, not served.
    let mut broken = spec_with_timeline();
    broken[0].text.push_str("\n  oops: [\n");
    let err = MockConfig::new()
        .spec_files(broken)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("spec"), "{err}");
}
