//! End-to-end tests of the contacts resource: create, list, count, get,
//! update, delete, the contact's events, notes and identify, with the error
//! mapping, retries and client-side validation they exercise.

mod support;

use pathbound_client::Error;
use pathbound_client::common::{FieldsProjection, LifecycleStage, SortDir};
use pathbound_client::contacts::{
    ContactProperties, ContactSortBy, ContactStatusFilter, VisitorIds,
};
use pathbound_client::runtime::ApiError;
use serde_json::{Value, json};
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, query_param};

/// A contact as the newer API returns it: `contact_id` and `_id` together.
fn new_style_contact() -> Value {
    json!({
        "contact_id": "ct_abc",
        "_id": "ct_abc",
        "properties": {
            "email": "ada@example.com",
            "firstname": "Ada",
            "lastname": "Lovelace",
            "company": "Analytical Engines",
            "jobtitle": "Programmer",
            "lifecyclestage": "lead",
            "favourite_language": "Note G",
            "hs_score": 87
        },
        "associations": {"companies": ["co_xyz"], "deals": ["dl_1"]},
        "company_id": "co_xyz",
        "segment_ids": ["seg_vip"],
        "first_seen_at": "2026-04-28T09:15:00.000Z",
        "creation_source": "manual",
        "creation_referrer": null,
        "creation_utms": {"utm_source": "newsletter"},
        "notes": [],
        "created_at": TS,
        "updated_at": TS,
        "enrichment": {"linkedin_url": "https://linkedin.com/in/ada"}
    })
}

#[tokio::test]
async fn create_sends_every_set_field_and_unwraps_the_contact() {
    let (server, client) = start().await;
    let expected_body = json!({
        "email": "ada@example.com",
        "properties": {
            "firstname": "Ada",
            "lastname": "Lovelace",
            "jobtitle": "Programmer",
            "lifecyclestage": "mql",
            "favourite_language": "Note G"
        },
        "visitor_id": ["vis_1", "vis_2"],
        "company_id": "co_xyz"
    });
    authed("POST", "/contacts")
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"status": "success", "contact": new_style_contact()})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let contact = client
        .contacts()
        .create("ada@example.com")
        .properties(ContactProperties {
            firstname: Some("Ada".into()),
            lastname: Some("Lovelace".into()),
            jobtitle: Some("Programmer".into()),
            lifecyclestage: Some(LifecycleStage::Mql),
            extra: obj(json!({"favourite_language": "Note G"})),
            ..Default::default()
        })
        .visitor_id(vec!["vis_1".to_owned(), "vis_2".to_owned()])
        .company_id("co_xyz")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    assert_eq!(json_body(&req), expected_body);

    // Unwrapped from `{status, contact}`; both id keys are the one id.
    assert_eq!(contact.contact_id, "ct_abc");
    assert!(!contact.extra.contains_key("_id"));
    assert!(!contact.extra.contains_key("contact_id"));
    assert!(!contact.extra.contains_key("status"));
    let props = contact.properties.as_ref().unwrap();
    assert_eq!(props.lifecyclestage, Some(LifecycleStage::Lead));
    assert_eq!(props.email.as_deref(), Some("ada@example.com"));
    // Custom properties are kept next to the typed ones.
    assert_eq!(
        props.extra.get("favourite_language"),
        Some(&json!("Note G"))
    );
    assert_eq!(props.extra.get("hs_score"), Some(&json!(87)));
    assert!(!props.extra.contains_key("firstname"));
    let assoc = contact.associations.as_ref().unwrap();
    assert_eq!(assoc.companies.as_deref(), Some(&["co_xyz".to_owned()][..]));
    assert_eq!(assoc.extra.get("deals"), Some(&json!(["dl_1"])));
    assert_eq!(contact.company_id.as_deref(), Some("co_xyz"));
    assert_eq!(contact.creation_source.as_deref(), Some("manual"));
    assert_eq!(contact.creation_referrer, None);
    assert_eq!(
        contact.creation_utms.as_ref().unwrap().get("utm_source"),
        Some(&json!("newsletter"))
    );
    assert_eq!(contact.notes.as_deref(), Some(&[][..]));
    assert_eq!(
        contact.first_seen_at.as_ref().unwrap().as_str(),
        "2026-04-28T09:15:00.000Z"
    );
    // Unknown top-level keys are tolerated and kept.
    assert_eq!(
        contact.extra.get("enrichment"),
        Some(&json!({"linkedin_url": "https://linkedin.com/in/ada"}))
    );
}

#[tokio::test]
async fn create_with_only_the_email_sends_only_the_email_and_reads_a_legacy_id() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .and(body_json(json!({"email": "grace@example.com"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "contact": {"_id": "ct_legacy", "properties": {"email": "grace@example.com"}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let contact = client
        .contacts()
        .create("grace@example.com")
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"email": "grace@example.com"})
    );
    assert_eq!(contact.contact_id, "ct_legacy");
    assert!(contact.extra.is_empty(), "{:?}", contact.extra);
    assert_eq!(contact.properties.unwrap().firstname, None);
}

#[tokio::test]
async fn create_sends_a_single_visitor_id_as_a_string() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"status": "success", "contact": {"contact_id": "ct_1"}})),
        )
        .expect(2)
        .mount(&server)
        .await;

    client
        .contacts()
        .create("a@example.com")
        .visitor_id("vis_only")
        .send()
        .await
        .unwrap();
    client
        .contacts()
        .create("a@example.com")
        .visitor_id(VisitorIds::Many(vec!["vis_a".into()]))
        .send()
        .await
        .unwrap();

    let all = requests(&server).await;
    assert_eq!(
        json_body(&all[0]),
        json!({"email": "a@example.com", "visitor_id": "vis_only"})
    );
    assert_eq!(
        json_body(&all[1]),
        json!({"email": "a@example.com", "visitor_id": ["vis_a"]})
    );
}

#[tokio::test]
async fn create_409_is_a_conflict_with_the_server_message() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .respond_with(ResponseTemplate::new(409).set_body_json(error_envelope(
            "Contact with this email already exists",
            json!([]),
        )))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .create("ada@example.com")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_conflict());
    assert!(!err.is_not_found());
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.operation(), Some("contacts.create"));
    let api = api_error(&err);
    assert_eq!(api.message, "Contact with this email already exists");
    let shown = err.to_string();
    assert!(shown.contains("`POST /v1/contacts`"), "{shown}");
    assert!(shown.contains("409"), "{shown}");
    assert!(
        shown.contains("Contact with this email already exists"),
        "{shown}"
    );
    assert_key_hidden(&err);
}

#[tokio::test]
async fn create_403_names_the_missing_scope_method_and_path() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(error_envelope("Insufficient permissions", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .create("ada@example.com")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_forbidden());
    let api = api_error(&err);
    assert_eq!(api.required_scope, Some("contacts:write"));
    assert_eq!((api.method, api.path), ("POST", "/v1/contacts"));
    let shown = err.to_string();
    assert!(shown.contains("contacts:write"), "{shown}");
    assert!(shown.contains("POST /v1/contacts"), "{shown}");
    assert!(shown.contains("Insufficient permissions"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn create_400_keeps_the_validation_details() {
    let (server, client) = start().await;
    let details = json!([
        {"field": "email", "message": "must be a valid email address"},
        "properties.lifecyclestage must be one of the 9 stages"
    ]);
    authed("POST", "/contacts")
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(error_envelope("Validation failed", details.clone())),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .create("not-an-email")
        .send()
        .await
        .unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status, 400);
    assert_eq!(api.message, "Validation failed");
    assert_eq!(Value::Array(api.details.clone()), details);
    assert!(!err.is_retryable());
    assert_key_hidden(&err);
}

#[tokio::test]
async fn list_sends_only_the_parameters_that_were_set() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .and(query_param("limit", "5"))
        .and(query_param("sort_dir", "desc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contacts": [],
            "pagination": {"page": 1, "limit": 5, "total_pages": 0, "total_items": 0}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .contacts()
        .list()
        .limit(5)
        .sort_dir(SortDir::Desc)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(&req, &[("limit", "5"), ("sort_dir", "desc")]);
    assert_no_body(&req);
    assert!(page.is_empty());
    assert!(!page.has_more());
    assert_eq!(page.info.total_items, Some(0));
}

#[tokio::test]
async fn list_without_parameters_sends_no_query_string() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "contacts": []})),
        )
        .expect(1)
        .mount(&server)
        .await;

    client.contacts().list().send().await.unwrap();

    assert_no_query(&only_request(&server).await);
}

#[tokio::test]
async fn list_sends_every_filter_under_its_wire_name() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "contacts": []})),
        )
        .expect(1)
        .mount(&server)
        .await;

    client
        .contacts()
        .list()
        .page(2)
        .limit(100)
        .status(ContactStatusFilter::NotEnriched)
        .lifecycle_stage(LifecycleStage::Opportunity)
        .lead_status("OPEN")
        .country("United Kingdom")
        .industry("Software")
        .city("London")
        .state("Greater London")
        .job_title("cto")
        .has_linkedin(true)
        .company_id("co_xyz")
        .created_after("2026-01-01T00:00:00.000Z")
        .created_before("2026-04-29T23:59:59.999Z")
        .search("ada lovelace & co")
        .sort_by(ContactSortBy::Createdate)
        .sort_dir(SortDir::Asc)
        .fields(FieldsProjection::Summary)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_query(
        &req,
        &[
            ("page", "2"),
            ("limit", "100"),
            ("status", "not_enriched"),
            ("lifecycle_stage", "opportunity"),
            ("lead_status", "OPEN"),
            ("country", "United Kingdom"),
            ("industry", "Software"),
            ("city", "London"),
            ("state", "Greater London"),
            ("job_title", "cto"),
            ("has_linkedin", "true"),
            ("company_id", "co_xyz"),
            ("created_after", "2026-01-01T00:00:00.000Z"),
            ("created_before", "2026-04-29T23:59:59.999Z"),
            ("search", "ada lovelace & co"),
            ("sort_by", "createdate"),
            ("sort_dir", "asc"),
            ("fields", "summary"),
        ],
    );
    // The `&` inside a value is escaped, so it cannot start a new parameter.
    let raw = req.url.query().unwrap();
    assert!(raw.contains("search=ada+lovelace+%26+co"), "{raw}");
}

#[tokio::test]
async fn list_decodes_items_with_every_id_style_and_the_page_metadata() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contacts": [
                {"contact_id": "ct_new"},
                {"_id": "ct_old", "properties": {"email": "old@example.com"}},
                {"contact_id": "ct_both", "_id": "ct_both", "lifetime_value": 1200},
                {"id": "ct_summary", "properties": {"email": "s@example.com"}}
            ],
            "pagination": {"page": 1, "limit": 4, "total_pages": 3, "total_items": 10},
            "query_time_ms": 12
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client.contacts().list().limit(4).send().await.unwrap();

    let ids: Vec<_> = page.iter().map(|c| c.contact_id.as_str()).collect();
    assert_eq!(ids, ["ct_new", "ct_old", "ct_both", "ct_summary"]);
    assert_eq!(
        page.items[2].extra.get("lifetime_value"),
        Some(&json!(1200))
    );
    assert!(page.items[2].extra.get("_id").is_none());
    assert!(page.items[3].extra.get("id").is_none());
    assert_eq!(page.info.page, Some(1));
    assert_eq!(page.info.limit, Some(4));
    assert_eq!(page.info.total_pages, Some(3));
    assert_eq!(page.info.total_items, Some(10));
    assert_eq!(page.extra.get("query_time_ms"), Some(&json!(12)));
    assert!(!page.extra.contains_key("pagination"));
    assert!(!page.extra.contains_key("status"));
}

/// The first, a middle and the last page of a 3-page list.
#[tokio::test]
async fn list_pages_report_whether_more_follow() {
    let (server, client) = start().await;
    for (page, ids) in [(1, ["ct_1", "ct_2"]), (2, ["ct_3", "ct_4"])] {
        authed("GET", "/contacts")
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success",
                "contacts": [{"contact_id": ids[0]}, {"contact_id": ids[1]}],
                "pagination": {"page": page, "limit": 2, "total_pages": 3, "total_items": 5}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    authed("GET", "/contacts")
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contacts": [{"contact_id": "ct_5"}],
            "pagination": {"page": 3, "limit": 2, "total_pages": 3, "total_items": 5}
        })))
        .expect(1)
        .mount(&server)
        .await;

    // Walk the list the way a caller would, following next_page_param().
    let mut seen = Vec::new();
    let mut next = Some(1u64);
    let mut has_more = Vec::new();
    while let Some(page_no) = next {
        let page = client
            .contacts()
            .list()
            .page(page_no as i64)
            .limit(2)
            .send()
            .await
            .unwrap();
        seen.extend(page.iter().map(|c| c.contact_id.clone()));
        has_more.push(page.has_more());
        next = page.next_page_param();
        assert!(seen.len() <= 5, "the walk must stop");
    }

    assert_eq!(seen, ["ct_1", "ct_2", "ct_3", "ct_4", "ct_5"]);
    assert_eq!(has_more, [true, true, false]);
    let sent: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap().to_owned())
        .collect();
    assert_eq!(sent.len(), 3);
    for (i, query) in sent.iter().enumerate() {
        assert!(query.contains(&format!("page={}", i + 1)), "{query}");
        assert!(query.contains("limit=2"), "{query}");
    }
}

#[tokio::test]
async fn list_limit_out_of_range_fails_before_anything_is_sent() {
    let (server, client) = start().await;

    let err = client
        .contacts()
        .list()
        .limit(500)
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "contacts.list", "limit");
    assert!(err.to_string().contains("500"), "{err}");
    assert!(err.to_string().contains("between 1 and 100"), "{err}");

    let err = client.contacts().list().limit(0).send().await.unwrap_err();
    assert_invalid(&err, "contacts.list", "limit");

    let err = client.contacts().list().page(0).send().await.unwrap_err();
    assert_invalid(&err, "contacts.list", "page");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn count_sends_count_only_true_with_the_filters_and_reads_count() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .and(query_param("count_only", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 1342})))
        .expect(2)
        .mount(&server)
        .await;

    let count = client
        .contacts()
        .count()
        .lifecycle_stage(LifecycleStage::Customer)
        .has_linkedin(false)
        .search("acme")
        .send()
        .await
        .unwrap();
    let all = client.contacts().count().send().await.unwrap();

    assert_eq!((count, all), (1342, 1342));
    let sent = requests(&server).await;
    assert_query(
        &sent[0],
        &[
            ("count_only", "true"),
            ("lifecycle_stage", "customer"),
            ("has_linkedin", "false"),
            ("search", "acme"),
        ],
    );
    assert_query(&sent[1], &[("count_only", "true")]);
    assert_bearer(&sent[1]);
}

#[tokio::test]
async fn count_tolerates_a_status_key_next_to_count() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "count": 7, "cached": true})),
        )
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client.contacts().count().send().await.unwrap(), 7);
}

#[tokio::test]
async fn get_percent_encodes_the_id_and_decodes_the_details() {
    let (server, client) = start().await;
    authed("GET", "/contacts/ct%201%2F2%3Fx%23y%25")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contact": {"_id": "ct 1/2?x#y%", "properties": {"email": "ada@example.com"}},
            "unified_profile": {"emails": ["ada@example.com"], "sources": ["hubspot", "tracker"]},
            "actions": [
                {"_id": "act_1", "type": "email_message", "status": "pending_approval"},
                {"_id": "act_2", "type": "carrier_pigeon", "status": "paused"}
            ],
            "events": [
                {"_id": "evt_1", "event": "page_view", "url": "https://acme.test/pricing",
                 "timestamp": TS, "data": {"title": "Pricing", "path": "/pricing"}}
            ],
            "timeline_cursor": "abc"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client.contacts().get("ct 1/2?x#y%").send().await.unwrap();

    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/contacts/ct%201%2F2%3Fx%23y%25");
    assert_no_query(&req);
    assert_eq!(details.contact.contact_id, "ct 1/2?x#y%");
    assert_eq!(
        details.unified_profile.as_ref().unwrap().get("sources"),
        Some(&json!(["hubspot", "tracker"]))
    );
    let actions = details.actions.as_ref().unwrap();
    assert_eq!(actions[0].action_id, "act_1");
    assert_eq!(
        actions[0].status,
        Some(pathbound_client::actions::ActionStatus::PendingApproval)
    );
    assert_eq!(
        actions[1].kind.as_ref().map(|k| k.as_str()),
        Some("carrier_pigeon")
    );
    assert_eq!(
        actions[1].status,
        Some(pathbound_client::actions::ActionStatus::from("paused"))
    );
    let events = details.events.as_ref().unwrap();
    assert_eq!(events[0].event_id, "evt_1");
    assert_eq!(
        events[0].data.as_ref().unwrap().get("path"),
        Some(&json!("/pricing"))
    );
    assert_eq!(details.extra.get("timeline_cursor"), Some(&json!("abc")));
    // The body is decoded whole, so its `status` is one more kept key.
    assert_eq!(details.extra.get("status"), Some(&json!("success")));
}

#[tokio::test]
async fn get_404_is_not_found_with_status_and_message() {
    let (server, client) = start().await;
    authed("GET", "/contacts/ct_missing")
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(error_envelope("Contact not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .get("ct_missing")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_not_found());
    assert!(!err.is_conflict());
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(404));
    let api = api_error(&err);
    assert_eq!(api.status, 404);
    assert_eq!(api.message, "Contact not found");
    assert!(api.has_server_message());
    assert!(api.details.is_empty());
    assert_eq!(api.operation, "contacts.get");
    assert_eq!(api.path, "/v1/contacts/{contact_id}");
    let shown = err.to_string();
    assert!(shown.contains("GET /v1/contacts/{contact_id}"), "{shown}");
    assert!(shown.contains("404"), "{shown}");
    assert!(shown.contains("Contact not found"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn unusable_path_ids_are_rejected_before_sending() {
    let (server, client) = start().await;

    let err = client.contacts().get("").send().await.unwrap_err();
    assert_invalid(&err, "contacts.get", "contact_id");
    let err = client.contacts().get("..").send().await.unwrap_err();
    assert_invalid(&err, "contacts.get", "contact_id");
    let err = client
        .contacts()
        .delete_note("ct_abc", ".")
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "contacts.delete_note", "note_id");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn a_502_html_page_is_an_api_error_with_a_bounded_snippet() {
    let (server, client) = start().await;
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>upstream connect error or disconnect/reset before headers</p>".repeat(200)
    );
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(502).set_body_raw(html.clone().into_bytes(), "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .list()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(502));
    assert!(err.is_retryable());
    let api = api_error(&err);
    assert!(!api.has_server_message());
    assert_eq!(api.message, ApiError::NO_MESSAGE);
    assert!(
        api.body_snippet
            .starts_with("<html><head><title>502 Bad Gateway")
    );
    assert!(
        api.body_snippet.len() < 600,
        "snippet must be bounded, got {} bytes",
        api.body_snippet.len()
    );
    assert!(
        api.body_snippet
            .ends_with(&format!("({} bytes in total)", html.len())),
        "{}",
        api.body_snippet
    );
    let shown = err.to_string();
    assert!(shown.contains("GET /v1/contacts"), "{shown}");
    assert!(shown.contains("502"), "{shown}");
    assert!(shown.contains("502 Bad Gateway"), "{shown}");
    assert!(
        shown.len() < 1000,
        "Display must stay short: {}",
        shown.len()
    );
    assert_key_hidden(&err);
}

#[tokio::test]
async fn a_2xx_body_that_does_not_decode_is_a_decode_error_with_a_snippet() {
    let (server, client) = start().await;
    authed("GET", "/contacts/ct_abc")
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<!doctype html><p>Maintenance</p>".as_bytes().to_vec(),
            "text/html",
        ))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/contacts")
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success", "contact": {"email": "no id here"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.contacts().get("ct_abc").send().await.unwrap_err();
    match &err {
        Error::Decode {
            operation,
            status,
            snippet,
            ..
        } => {
            assert_eq!((*operation, *status), ("contacts.get", 200));
            assert_eq!(snippet, "<!doctype html><p>Maintenance</p>");
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert!(err.to_string().contains("Maintenance"), "{err}");
    assert_key_hidden(&err);

    // A contact without any id under any of its names cannot be decoded.
    let err = client
        .contacts()
        .create("x@example.com")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(*status, 201);
            assert!(message.contains("contact_id"), "{message}");
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }
    assert_key_hidden(&err);
}

#[tokio::test]
async fn update_sends_only_the_set_fields_and_unwraps_the_contact() {
    let (server, client) = start().await;
    let expected = json!({
        "properties": {"jobtitle": "CTO", "city": "London", "tier": "gold"},
        "visitor_id": "vis_9"
    });
    authed("PUT", "/contacts/ct_abc")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contact": {"contact_id": "ct_abc", "_id": "ct_abc",
                        "properties": {"jobtitle": "CTO", "city": "London", "tier": "gold"}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let contact = client
        .contacts()
        .update("ct_abc")
        .properties(ContactProperties {
            jobtitle: Some("CTO".into()),
            city: Some("London".into()),
            extra: obj(json!({"tier": "gold"})),
            ..Default::default()
        })
        .visitor_id("vis_9")
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_eq!(json_body(&req), expected);
    assert_eq!(contact.contact_id, "ct_abc");
    let props = contact.properties.unwrap();
    assert_eq!(props.city.as_deref(), Some("London"));
    assert_eq!(props.extra.get("tier"), Some(&json!("gold")));
}

#[tokio::test]
async fn update_without_fields_sends_an_empty_object() {
    let (server, client) = start().await;
    authed("PUT", "/contacts/ct_abc")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contact": {"contact_id": "ct_abc"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    client.contacts().update("ct_abc").send().await.unwrap();

    assert_eq!(json_body(&only_request(&server).await), json!({}));
}

#[tokio::test]
async fn update_403_names_contacts_write() {
    let (server, client) = start().await;
    authed("PUT", "/contacts/ct_abc")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.contacts().update("ct_abc").send().await.unwrap_err();

    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("PUT /v1/contacts/{contact_id}"), "{shown}");
    assert!(shown.contains("contacts:write"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn delete_sends_no_body_and_decodes_the_message() {
    let (server, client) = start().await;
    authed("DELETE", "/contacts/ct_abc")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Contact deleted", "deleted_id": "ct_abc"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let message = client.contacts().delete("ct_abc").send().await.unwrap();

    let req = only_request(&server).await;
    assert_no_body(&req);
    assert_no_query(&req);
    assert_eq!(message.status.as_deref(), Some("success"));
    assert_eq!(message.message.as_deref(), Some("Contact deleted"));
    assert_eq!(message.extra.get("deleted_id"), Some(&json!("ct_abc")));
}

#[tokio::test]
async fn list_events_uses_the_events_first_path_and_decodes_the_list() {
    let (server, client) = start().await;
    authed("GET", "/contacts/events/ct_abc")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "events": [
                {"event_id": "evt_2", "_id": "evt_2", "event": "page_view", "timestamp": TS,
                 "url": "https://acme.test/pricing", "internal_contact_id": "ct_abc"},
                {"_id": "evt_1", "event": "page_view", "timestamp": "2026-04-28T10:00:00.000Z"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let events = client
        .contacts()
        .list_events("ct_abc")
        .event_type("page_view")
        .sort_dir(SortDir::Asc)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_query(&req, &[("event_type", "page_view"), ("sort_dir", "asc")]);
    let ids: Vec<_> = events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, ["evt_2", "evt_1"]);
    assert_eq!(events[0].internal_contact_id.as_deref(), Some("ct_abc"));
}

#[tokio::test]
async fn notes_list_create_update_and_delete() {
    let (server, client) = start().await;
    authed("GET", "/contacts/ct_abc/notes")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "notes": [
                {"note_id": "nt_1", "content": "Met at the conference", "created_at": TS,
                 "author": {"user_id": "abc123"}},
                {"_id": "nt_2", "content": "Asked for pricing"},
                {"id": "nt_3", "note_id": "nt_3"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/contacts/ct_abc/notes")
        .and(body_json(json!({"content": "Follow up next week"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "note": {"_id": "nt_4", "content": "Follow up next week", "created_at": TS}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("PUT", "/contacts/ct_abc/notes/nt%2F4")
        .and(body_json(json!({"content": "Follow up on Monday"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "note": {"note_id": "nt/4", "content": "Follow up on Monday", "updated_at": TS}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("DELETE", "/contacts/ct_abc/notes/nt_4")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Note deleted"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let notes = client.contacts().list_notes("ct_abc").send().await.unwrap();
    let created = client
        .contacts()
        .create_note("ct_abc", "Follow up next week")
        .send()
        .await
        .unwrap();
    let updated = client
        .contacts()
        .update_note("ct_abc", "nt/4", "Follow up on Monday")
        .send()
        .await
        .unwrap();
    let deleted = client
        .contacts()
        .delete_note("ct_abc", "nt_4")
        .send()
        .await
        .unwrap();

    let ids: Vec<_> = notes.iter().map(|n| n.note_id.as_str()).collect();
    assert_eq!(ids, ["nt_1", "nt_2", "nt_3"]);
    assert_eq!(notes[0].created_at.as_ref().unwrap().as_str(), TS);
    assert_eq!(
        notes[0].extra.get("author"),
        Some(&json!({"user_id": "abc123"}))
    );
    assert!(notes[2].extra.is_empty());
    assert_eq!(created.note_id, "nt_4");
    assert_eq!(created.content.as_deref(), Some("Follow up next week"));
    assert_eq!(updated.note_id, "nt/4");
    assert_eq!(updated.updated_at.as_ref().unwrap().as_str(), TS);
    assert_eq!(deleted.message.as_deref(), Some("Note deleted"));

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 4);
    for req in &sent {
        assert_bearer(req);
    }
    assert_no_body(&sent[0]);
    assert_eq!(
        json_body(&sent[1]),
        json!({"content": "Follow up next week"})
    );
    assert_eq!(
        json_body(&sent[2]),
        json!({"content": "Follow up on Monday"})
    );
    assert_no_body(&sent[3]);
}

#[tokio::test]
async fn identify_sends_the_external_id_with_optional_fields_and_decodes_the_result() {
    let (server, client) = start().await;
    let expected = json!({
        "external_id": "usr_42",
        "anonymous_id": "vis_8f2a",
        "traits": {"email": "ada@example.com", "firstname": "Ada", "plan": "enterprise"}
    });
    authed("POST", "/identify")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contact_id": "ct_abc",
            "contact": {"contact_id": "ct_abc", "_id": "ct_abc",
                        "properties": {"email": "ada@example.com"}},
            "message": "Contact identified",
            "backfilled_events": 14
        })))
        .expect(1)
        .mount(&server)
        .await;

    let result = client
        .contacts()
        .identify("usr_42")
        .anonymous_id("vis_8f2a")
        .traits(ContactProperties {
            email: Some("ada@example.com".into()),
            firstname: Some("Ada".into()),
            extra: obj(json!({"plan": "enterprise"})),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(result.contact_id.as_deref(), Some("ct_abc"));
    assert_eq!(result.contact.as_ref().unwrap().contact_id, "ct_abc");
    assert_eq!(result.message.as_deref(), Some("Contact identified"));
    assert_eq!(result.extra.get("backfilled_events"), Some(&json!(14)));
    assert_eq!(result.extra.get("status"), Some(&json!("success")));
}

#[tokio::test]
async fn identify_with_only_the_external_id_reads_a_legacy_id() {
    let (server, client) = start().await;
    authed("POST", "/identify")
        .and(body_json(json!({"external_id": "usr_7"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "_id": "ct_7"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let result = client.contacts().identify("usr_7").send().await.unwrap();

    assert_eq!(result.contact_id.as_deref(), Some("ct_7"));
    assert_eq!(result.contact, None);
    assert!(!result.extra.contains_key("_id"));
}

#[tokio::test]
async fn a_safe_get_is_retried_after_a_503() {
    let (server, client) = start().await;
    authed("GET", "/contacts/ct_abc")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Service unavailable", json!([]))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/contacts/ct_abc")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contact": {"contact_id": "ct_abc"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client.contacts().get("ct_abc").send().await.unwrap();

    assert_eq!(details.contact.contact_id, "ct_abc");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_bearer(&sent[1]);
}

#[tokio::test]
async fn create_is_not_retried_after_a_503_but_is_after_a_429() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .and(body_json(json!({"email": "a@example.com"})))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(error_envelope("Unavailable", json!([]))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/contacts")
        .and(body_json(json!({"email": "b@example.com"})))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Too many requests", json!([]))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/contacts")
        .and(body_json(json!({"email": "b@example.com"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success", "contact": {"contact_id": "ct_b"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    // The server may have created the contact before failing: no second try.
    let err = client
        .contacts()
        .create("a@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_key_hidden(&err);
    assert_eq!(requests(&server).await.len(), 1);

    // A 429 was refused without acting: retried, and the same body is re-sent.
    let contact = client
        .contacts()
        .create("b@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(contact.contact_id, "ct_b");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(json_body(&sent[1]), json_body(&sent[2]));
    assert_bearer(&sent[2]);
}

#[tokio::test]
async fn a_429_without_retries_reports_the_servers_wait() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(error_envelope("Rate limit exceeded", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .list()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();

    assert!(err.is_rate_limited());
    assert!(err.is_retryable());
    let api = api_error(&err);
    assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
    assert!(err.to_string().contains("retry after 7s"), "{err}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn a_safe_get_gives_up_after_its_retries_and_says_how_many_attempts() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Service unavailable", json!([]))),
        )
        .expect(3)
        .mount(&server)
        .await;

    let err = client
        .contacts()
        .list()
        .options(pathbound_client::RequestOptions::new().max_retries(2))
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), Some(3));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(requests(&server).await.len(), 3);
    assert_key_hidden(&err);
}

#[tokio::test]
async fn an_unretried_transient_failure_says_it_was_not_retried() {
    let (server, client) = start().await;
    authed("POST", "/contacts")
        .respond_with(
            ResponseTemplate::new(503).set_body_json(error_envelope("Unavailable", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/contacts")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3600")
                .set_body_json(error_envelope("Rate limit exceeded", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    // POST /contacts is not safe to repeat after a 503.
    let err = client
        .contacts()
        .create("a@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    assert!(err.to_string().contains("1 attempt, not retried"), "{err}");
    assert_key_hidden(&err);

    // A 429 asking for an hour is returned at once rather than waited out.
    let err = client.contacts().list().send().await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(
        api_error(&err).retry_after,
        Some(std::time::Duration::from_secs(3600))
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn stream_walks_every_page_by_page_number() {
    let (server, client) = start().await;
    // The first request carries no page (the caller set none); later ones do.
    authed("GET", "/contacts")
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contacts": [{"contact_id": "ct_1"}, {"_id": "ct_2"}],
            "pagination": {"page": 1, "limit": 2, "total_pages": 3, "total_items": 5}
        })))
        .expect(1)
        .mount(&server)
        .await;
    for (page, body) in [
        (
            2,
            json!([{"id": "ct_3"}, {"contact_id": "ct_4", "_id": "ct_4"}]),
        ),
        (3, json!([{"contact_id": "ct_5"}])),
    ] {
        authed("GET", "/contacts")
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "contacts": body,
                "pagination": {"page": page, "limit": 2, "total_pages": 3, "total_items": 5}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items = collect(
        client
            .contacts()
            .list()
            .limit(2)
            .lifecycle_stage(LifecycleStage::Lead)
            .stream(),
    )
    .await;

    let ids: Vec<_> = items
        .into_iter()
        .map(|item| item.unwrap().contact_id)
        .collect();
    assert_eq!(ids, ["ct_1", "ct_2", "ct_3", "ct_4", "ct_5"]);
    let sent = requests(&server).await;
    assert_query(&sent[0], &[("limit", "2"), ("lifecycle_stage", "lead")]);
    assert_query(
        &sent[1],
        &[("page", "2"), ("limit", "2"), ("lifecycle_stage", "lead")],
    );
    assert_query(
        &sent[2],
        &[("page", "3"), ("limit", "2"), ("lifecycle_stage", "lead")],
    );
}

#[tokio::test]
async fn stream_with_max_items_fetches_no_further_page() {
    let (server, client) = start().await;
    for page in 1..=2 {
        authed("GET", "/contacts")
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success",
                "contacts": [{"contact_id": format!("ct_{page}a")},
                             {"contact_id": format!("ct_{page}b")}],
                "pagination": {"page": page, "limit": 2, "total_pages": 10}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items = collect(client.contacts().list().page(1).stream().max_items(3)).await;

    let ids: Vec<_> = items
        .into_iter()
        .map(|item| item.unwrap().contact_id)
        .collect();
    assert_eq!(ids, ["ct_1a", "ct_1b", "ct_2a"]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn stream_yields_a_failed_page_as_an_error_and_stops() {
    let (server, client) = start().await;
    authed("GET", "/contacts")
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contacts": [{"contact_id": "ct_1"}],
            "pagination": {"page": 1, "limit": 1, "total_pages": 4}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/contacts")
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(error_envelope("Invalid page", json!(["page"]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let items = collect(client.contacts().list().page(1).limit(1).stream()).await;

    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().contact_id, "ct_1");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(api_error(err).details, vec![json!("page")]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn stream_checks_limits_before_the_first_request() {
    let (server, client) = start().await;

    let items = collect(client.contacts().list().limit(500).stream()).await;

    assert_eq!(items.len(), 1);
    assert_invalid(items[0].as_ref().unwrap_err(), "contacts.list", "limit");
    assert_nothing_sent(&server).await;
}

/// DELETE endpoints decode `{status, message}` (an assumption of the spec);
/// a server answering a successful delete with `204 No Content` (common for
/// DELETE) must still count as success, with an empty `Message`.
#[tokio::test]
async fn delete_answered_with_204_no_content_succeeds() {
    let (server, client) = start().await;
    authed("DELETE", "/contacts/ct_abc")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let message = client.contacts().delete("ct_abc").send().await.unwrap();

    assert_eq!(message.message, None);
    assert!(message.extra.is_empty());
}
