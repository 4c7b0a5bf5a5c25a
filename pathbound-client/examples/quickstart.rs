//! The Pathbound quickstart with the Rust client: verify the key, create a
//! contact, list the latest events, queue an email for approval, approve it and
//! check its status.
//!
//! ```sh
//! cargo run -p pathbound-client --example quickstart            # against a local mock
//! PATHBOUND_API_KEY=sk_... cargo run -p pathbound-client --example quickstart   # the real API
//! ```
//!
//! Without `PATHBOUND_API_KEY` the example starts `pathbound-mock` in-process, so
//! it runs offline; with it, it talks to the real API (or to
//! `PATHBOUND_BASE_URL` when set).

use pathbound_client::actions::{ActionType, ApprovalDecision};
use pathbound_client::common::SortDir;
use pathbound_client::contacts::{Contact, ContactProperties};
use pathbound_client::identities::Identity;
use pathbound_client::{Client, Error};
use serde_json::{Map, Value, json};

const EMAIL: &str = "ada@example.com";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nerror: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("Pathbound quickstart\n====================\n");
    // Keep the mock (if any) alive until the end: it stops when dropped.
    let (client, _mock) = connect().await?;

    step(1, "Verify the API key");
    let status = client.auth().status().send().await?;
    let user = status.user.as_ref();
    let name = user
        .map(|u| join(&[u.first_name.as_deref(), u.last_name.as_deref()]))
        .unwrap_or_default();
    println!(
        "   ✓ authenticated as {name} <{}>, tenant {}",
        user.and_then(|u| u.email.as_deref()).unwrap_or("?"),
        user.and_then(|u| u.tenant_id.as_deref()).unwrap_or("?"),
    );
    let scopes = status.scopes.clone().unwrap_or_default();
    println!(
        "     key {} grants {} scope(s):",
        status.key_id.as_deref().unwrap_or("?"),
        scopes.len()
    );
    let lines = wrap(&scopes, 72);
    for (i, line) in lines.iter().enumerate() {
        let comma = if i + 1 < lines.len() { "," } else { "" };
        println!("       {line}{comma}");
    }

    step(2, "Create a contact");
    let contact = create_or_find_ada(&client).await?;
    println!("     contact_id {}", contact.contact_id);

    step(3, "The five most recent events");
    let events = client
        .events()
        .list()
        .limit(5)
        .sort_dir(SortDir::Desc)
        .send()
        .await?;
    if events.is_empty() {
        println!("   (no events yet: install the tracker on your site)");
    }
    for event in events.iter() {
        let when = event.timestamp.as_ref().map_or("?", |t| t.as_str());
        let who = event
            .contact
            .as_ref()
            .map(|c| join(&[c.firstname.as_deref(), c.lastname.as_deref()]))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "anonymous visitor".into());
        let url = event.url.as_deref().unwrap_or("");
        let page = url.split_once("://").map_or(url, |(_, rest)| rest);
        println!(
            "   {}  {:<13} {:<44} {who}",
            when.get(..16).unwrap_or(when).replace('T', " "),
            event.event.as_deref().unwrap_or("?"),
            page,
        );
    }
    if let Some(total) = events.info.total_items {
        println!("   ({total} events in total)");
    }

    step(4, "Queue an email for approval");
    let identity = sender_identity(&client).await?;
    println!(
        "   sender identity: {} ({}), {}",
        join(&[
            identity.first_name.as_deref(),
            identity.last_name.as_deref()
        ]),
        identity
            .job_title
            .as_deref()
            .or(identity.role.as_deref())
            .unwrap_or("no title"),
        identity.identity_id
    );
    let created = client
        .actions()
        .create(
            ActionType::EmailMessage,
            email_params(&contact),
            identity.identity_id.clone(),
        )
        .require_approval(true)
        .description("Quickstart welcome email")
        .send()
        .await?;
    println!(
        "   ✓ {}: {}",
        created.action_id,
        created.action_summary.as_deref().unwrap_or("queued")
    );

    step(5, "Approve it");
    let approved = client
        .actions()
        .approve(created.action_id.clone(), ApprovalDecision::Approve)
        .send()
        .await?;
    println!("   ✓ {}", approved.message.as_deref().unwrap_or("approved"));

    step(6, "Check its status");
    let action = client
        .actions()
        .get(created.action_id.clone())
        .send()
        .await?;
    println!(
        "   {} is {}",
        action.action_id,
        action.status.as_ref().map_or("unknown", |s| s.as_str())
    );
    // Servers that keep a status history (the mock does) send it as an extra key.
    if let Some(history) = action.extra.get("status_history").and_then(Value::as_array) {
        let steps: Vec<&str> = history
            .iter()
            .filter_map(|h| h.get("status").and_then(Value::as_str))
            .collect();
        println!("   history: {}", steps.join(" → "));
    }

    println!("\nDone. Next: browse the docs of `pathbound_client` (cargo doc --open).");
    Ok(())
}

/// A client for the real API when `PATHBOUND_API_KEY` is set, else for a mock
/// started in-process (returned so it lives as long as the client needs it).
async fn connect()
-> Result<(Client, Option<pathbound_mock::MockServer>), Box<dyn std::error::Error>> {
    let key_set = std::env::var_os("PATHBOUND_API_KEY").is_some_and(|k| !k.is_empty());
    if key_set {
        let client = Client::from_env()?;
        println!(
            "Using the API at {} (PATHBOUND_API_KEY is set).",
            client.base_url()
        );
        return Ok((client, None));
    }
    let mock = pathbound_mock::MockConfig::new().start().await?;
    println!("PATHBOUND_API_KEY is not set: starting the local mock (pathbound-mock)");
    println!(
        "at {} with the key {}.",
        mock.base_url(),
        pathbound_mock::KEY_ALL
    );
    println!("Set PATHBOUND_API_KEY to run this against the real API.");
    let client = Client::builder()
        .api_key(pathbound_mock::KEY_ALL)
        .base_url(mock.base_url())
        .build()?;
    Ok((client, Some(mock)))
}

/// Creates Ada Lovelace, or finds her when she already exists (a second run).
async fn create_or_find_ada(client: &Client) -> Result<Contact, Error> {
    let properties = ContactProperties {
        firstname: Some("Ada".into()),
        lastname: Some("Lovelace".into()),
        company: Some("Analytical Engines Ltd".into()),
        jobtitle: Some("Mathematician".into()),
        ..Default::default()
    };
    match client
        .contacts()
        .create(EMAIL)
        .properties(properties)
        .send()
        .await
    {
        Ok(contact) => {
            println!("   ✓ created Ada Lovelace <{EMAIL}>");
            Ok(contact)
        }
        Err(e) if e.is_conflict() => {
            println!("   ✓ Ada Lovelace <{EMAIL}> already exists (409); using her");
            let found = client
                .contacts()
                .list()
                .search(EMAIL)
                .limit(1)
                .send()
                .await?;
            found.into_items().into_iter().next().ok_or(e)
        }
        Err(e) => Err(e),
    }
}

/// The first sender identity, or a new one when the tenant has none.
async fn sender_identity(client: &Client) -> Result<Identity, Error> {
    let identities = client.identities().list().send().await?;
    if let Some(first) = identities.into_iter().next() {
        return Ok(first);
    }
    println!("   no sender identity yet: creating one");
    client
        .identities()
        .create("Quickstart", "Sender", "Account Executive")
        .send()
        .await
}

fn email_params(contact: &Contact) -> Map<String, Value> {
    let params = json!({
        "to": EMAIL,
        "contact_id": contact.contact_id,
        "subject": "Welcome, Ada",
        "body": "Hi Ada,\n\nThanks for your interest. Happy to show you around.\n",
    });
    params.as_object().cloned().unwrap_or_default()
}

fn step(n: u32, title: &str) {
    println!("\n{n}. {title}");
}

/// Joins `items` with ", " into lines of at most `width` characters.
fn wrap(items: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for item in items {
        match lines.last_mut() {
            Some(line) if line.len() + 2 + item.len() <= width => {
                line.push_str(", ");
                line.push_str(item);
            }
            _ => lines.push(item.clone()),
        }
    }
    lines
}

fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}
