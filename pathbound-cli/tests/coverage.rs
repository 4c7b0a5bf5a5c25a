//! The operations of the spec, called through the real `pathbound` binary
//! against the mock over loopback in a realistic order (ids from earlier
//! answers); every operation called must be answered with a 2xx. That every
//! operation of the spec runs through the binary at all is checked by
//! `dry_run_all.rs`, from values derived from the spec, so an endpoint added to
//! the spec needs no edit here.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use pathbound_mock::KEY_ALL;
use serde_json::Value;
use support::*;

/// Operations the CLI calls but the mock cannot answer with a 2xx, and why.
const NOT_SERVED: &[(&str, &str)] = &[(
    "public.submit_form",
    "the API takes a form submission only from a browser naming a verified page in Origin; \
     the client sends no Origin, so the documented 403 is the expected answer",
)];

fn spec_operations() -> BTreeSet<String> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    match pathbound_model::load_dir(&spec, "spec") {
        Ok(model) => model.operations().map(|o| o.id.clone()).collect(),
        Err(e) => panic!("the spec does not load:\n{e}"),
    }
}

#[test]
fn every_operation_of_the_spec_is_called_through_the_binary() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    auth_health_public(&cli);
    contacts(&cli);
    companies(&cli);
    events_and_segments(&cli);
    batch(&cli);
    let sender = identities(&cli);
    actions(&cli, &sender);
    agents(&cli, &sender);

    let spec = spec_operations();
    let served = mock.server.served_operations();
    let unanswered: Vec<&String> = spec
        .iter()
        .filter(|op| mock.server.hits(op) > 0)
        .filter(|op| !served.contains(*op) && !NOT_SERVED.iter().any(|(id, _)| id == op))
        .collect();
    assert!(
        unanswered.is_empty(),
        "called but never answered with a 2xx: {unanswered:?}"
    );
}

fn auth_health_public(cli: &Cli) {
    let health = cli.ok(&["health", "check"]);
    assert_eq!(health["status"], "success");
    let status = cli.ok(&["auth", "status"]);
    let tenant = text(&status, "/user/tenant_id");
    let run = cli.fails(
        1,
        &[
            "public",
            "submit-form",
            &tenant,
            "form_demo",
            "--visitor-id",
            "vis_formvisitor1",
            "--contact-data",
            r#"{"email":"form.filler@example.com"}"#,
        ],
    );
    assert!(run.stderr.contains("403"), "{}", run.stderr);
    assert!(
        run.stderr.contains("origin"),
        "details are shown: {}",
        run.stderr
    );
}

fn contacts(cli: &Cli) {
    let ada = cli.ok(&[
        "contacts",
        "create",
        "ada@example.com",
        "--properties",
        r#"{"firstname":"Ada","lastname":"Lovelace"}"#,
        "--visitor-id",
        "vis_ada0001",
    ]);
    let id = text(&ada, "/contact_id");
    assert!(id.starts_with("ct_"), "{ada}");

    let page = cli.ok(&[
        "contacts",
        "list",
        "--search",
        "lovelace",
        "--sort-dir",
        "desc",
    ]);
    assert_eq!(page["contacts"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["total_items"], 1);
    assert_eq!(cli.ok(&["contacts", "count", "--search", "lovelace"]), 1);

    let updated = cli.ok(&[
        "contacts",
        "update",
        &id,
        "--properties",
        r#"{"jobtitle":"Mathematician","favourite_engine":"analytical"}"#,
    ]);
    assert_eq!(
        updated["properties"]["firstname"], "Ada",
        "merged: {updated}"
    );
    assert_eq!(updated["properties"]["favourite_engine"], "analytical");

    let note = cli.ok(&["contacts", "create-note", &id, "Met at the conference"]);
    let note_id = text(&note, "/note_id");
    let edited = cli.ok(&[
        "contacts",
        "update-note",
        &id,
        &note_id,
        "Met at the Babbage talk",
    ]);
    assert_eq!(edited["content"], "Met at the Babbage talk");
    let notes = cli.ok(&["contacts", "list-notes", &id]);
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
    cli.ok(&["contacts", "delete-note", &id, &note_id]);

    let identified = cli.ok(&[
        "contacts",
        "identify",
        "usr_ada",
        "--anonymous-id",
        "vis_ada_anon",
        "--traits",
        r#"{"email":"ada@example.com"}"#,
    ]);
    assert_eq!(identified["contact_id"], Value::String(id.clone()));

    let details = cli.ok(&["contacts", "get", &id]);
    assert_eq!(details["contact"]["contact_id"], Value::String(id.clone()));

    let busy = cli.ok(&[
        "events",
        "list",
        "--identified-only",
        "--event-type",
        "page_view",
        "--limit",
        "1",
    ]);
    let someone = text(&busy, "/events/0/internal_contact_id");
    let events = cli.ok(&[
        "contacts",
        "list-events",
        &someone,
        "--event-type",
        "page_view",
    ]);
    assert!(!events.as_array().unwrap().is_empty(), "{events}");

    cli.ok(&["contacts", "delete", &id]);
    let gone = cli.fails(1, &["contacts", "get", &id]);
    assert!(gone.stderr.contains("404"), "{}", gone.stderr);
}

fn companies(cli: &Cli) {
    let company = cli.ok(&[
        "companies",
        "create",
        "analytical-engines.example",
        "--properties",
        r#"{"name":"Analytical Engines"}"#,
    ]);
    let id = text(&company, "/company_id");
    let member = cli.ok(&[
        "contacts",
        "create",
        "charles@analytical-engines.example",
        "--company-id",
        &id,
    ]);
    let list = cli.ok(&["companies", "list", "--search", "analytical"]);
    assert_eq!(list["companies"].as_array().unwrap().len(), 1, "{list}");
    let details = cli.ok(&["companies", "get", &id]);
    assert_eq!(
        details["contacts"].as_array().map(Vec::len),
        Some(1),
        "{details}"
    );
    let updated = cli.ok(&[
        "companies",
        "update",
        &id,
        "--properties",
        r#"{"employee_count":12}"#,
    ]);
    assert_eq!(updated["properties"]["employee_count"], 12);
    let note = cli.ok(&["companies", "create-note", &id, "Renewal in May"]);
    let note_id = text(&note, "/note_id");
    cli.ok(&["companies", "update-note", &id, &note_id, "Renewal in June"]);
    let notes = cli.ok(&["companies", "list-notes", &id]);
    assert_eq!(notes[0]["content"], "Renewal in June");
    cli.ok(&["companies", "delete-note", &id, &note_id]);
    cli.ok(&["companies", "delete", &id]);
    let orphan = cli.ok(&["contacts", "get", &text(&member, "/contact_id")]);
    assert!(orphan["contact"]["company_id"].is_null(), "{orphan}");
}

fn events_and_segments(cli: &Cli) {
    let events = cli.ok(&["events", "list", "--limit", "3"]);
    let first = text(&events, "/events/0/event_id");
    assert_eq!(
        cli.ok(&["events", "get", &first])["event_id"],
        Value::String(first)
    );
    assert!(cli.ok(&["events", "count"]).as_i64().unwrap() >= 3);
    assert!(cli.ok(&["events", "types"])["event_types"].is_array());

    let segments = cli.ok(&["segments", "list"]);
    let seg = text(&segments, "/segments/0/segment_id");
    let one = cli.ok(&["segments", "get", &seg]);
    assert_eq!(one["name"], segments["segments"][0]["name"]);
    let members = cli.ok(&["segments", "list-contacts", &seg]);
    assert_eq!(
        members["total_items"],
        segments["segments"][0]["contact_count"]
    );
}

fn batch(cli: &Cli) {
    let some = cli.ok(&["contacts", "list", "--limit", "3"]);
    let mut ids: Vec<Value> = some["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact_id"].clone())
        .collect();
    ids.push(Value::from("ct_unknown"));
    let ids = Value::Array(ids).to_string();
    let details = cli.ok(&["batch", "details", "contacts", &ids]);
    assert_eq!(
        details["contacts"].as_array().map(Vec::len),
        Some(3),
        "{details}"
    );
    let activity = cli.ok(&["batch", "activity", &ids, "--events-limit", "2"]);
    assert_eq!(activity["contact_count"], 3);
    let by_browser = cli.ok(&["batch", "aggregate", "events", "--group-by", "browser"]);
    let total: u64 = by_browser["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(Value::from(total), cli.ok(&["events", "count"]));
}

/// Returns the id of a seeded sender identity.
fn identities(cli: &Cli) -> String {
    let all = cli.ok(&["identities", "list"]);
    let sender = text(&all, "/0/identity_id");
    let created = cli.ok(&[
        "identities",
        "create",
        "Alan",
        "Turing",
        "Solutions Engineer",
    ]);
    let id = text(&created, "/identity_id");
    let updated = cli.ok(&[
        "identities",
        "update",
        &id,
        "--job-title",
        "Principal Engineer",
    ]);
    assert_eq!(updated["jobTitle"], "Principal Engineer");
    assert_eq!(cli.ok(&["identities", "get", &id])["firstName"], "Alan");
    // The password goes through stdin, not the command line.
    let login = cli.run_with_stdin(
        &["identities", "linkedin-login", &id, "--body", "-"],
        r#"{"username":"alan@example.com","password":"hunter2"}"#,
    );
    assert_eq!(login.code, 0, "{login:?}");
    assert!(!login.stderr.contains("warning"), "{}", login.stderr);
    let session = text(&login.json(), "/login_result/session_id");
    let states: Vec<String> = (0..2)
        .map(|_| {
            let state = cli.ok(&["identities", "linkedin-status", &id, &session]);
            text(&state, "/login_result/status")
        })
        .collect();
    assert_eq!(states, ["pending", "challenge"]);
    let connected = cli.ok(&[
        "identities",
        "linkedin-submit-code",
        &id,
        &session,
        "123456",
    ]);
    assert_eq!(connected["login_result"]["status"], "connected");
    assert_eq!(
        cli.ok(&["identities", "linkedin-check", &id])["connected"],
        true
    );
    cli.ok(&["identities", "delete", &id]);
    cli.fails(1, &["identities", "get", &id]);
    sender
}

fn actions(cli: &Cli, sender: &str) {
    let params = r#"{"to":"ada@example.com","subject":"Hello"}"#;
    let create = |extra: &[&str]| {
        let mut args = vec!["actions", "create", "email_message", params, sender];
        args.extend_from_slice(extra);
        text(&cli.ok(&args), "/action_id")
    };
    let a = create(&["--require-approval"]);
    cli.ok(&["actions", "update", &a, "--description", "First touch"]);
    cli.ok(&["actions", "approve", &a, "approve"]);
    cli.ok(&["actions", "execute", &a]);
    assert_eq!(cli.ok(&["actions", "get", &a])["status"], "completed");
    let b = create(&["--require-approval", "true"]);
    cli.ok(&["actions", "reject", &b]);
    let d = create(&[]);
    cli.ok(&["actions", "cancel", &d]);
    let cancelled = cli.ok(&["actions", "list", "--status", "cancelled"]);
    assert!(
        cancelled["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["action_id"] == Value::String(d.clone())),
        "{cancelled}"
    );
}

fn agents(cli: &Cli, sender: &str) {
    let agent = cli.ok(&[
        "agents",
        "create",
        "Docs reader follow-up",
        "--playbook-template",
        "cold_outreach",
        "--playbook",
        r#"{"playbook_md":"Email people who read the API docs."}"#,
        "--capabilities",
        "email",
        "--capabilities",
        "notes",
        "--identity-id",
        sender,
    ]);
    assert_eq!(agent["enabled"], false, "{agent}");
    assert_eq!(agent["capabilities"], serde_json::json!(["email", "notes"]));
    let id = text(&agent, "/agent_id");
    assert_eq!(
        cli.ok(&["agents", "update", &id, "--enabled", "true"])["enabled"],
        true
    );
    assert_eq!(
        cli.ok(&["agents", "get", &id])["name"],
        "Docs reader follow-up"
    );
    assert!(
        cli.ok(&["agents", "list"])["agents"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );

    let target = text(
        &cli.ok(&["contacts", "list", "--limit", "1"]),
        "/contacts/0/contact_id",
    );
    let job = cli.ok(&["agents", "trigger", &id, "--contact-ids", &target]);
    assert!(job.as_str().unwrap().starts_with("job_"), "{job}");
    let runs = cli.ok(&["agents", "list-runs", &id]);
    let run = text(&runs, "/runs/0/run_id");
    cli.ok(&["agents", "approve-run-action", &run, &target, "0"]);
    cli.ok(&["agents", "reject-run-action", &run, &target, "1"]);
    let done = cli.ok(&["agents", "get-run", &run]);
    assert_eq!(done["status"], "completed");
    cli.ok(&["agents", "delete", &id]);
    cli.fails(1, &["agents", "get-run", &run]);
}
