//! End-to-end tests of the events resource: list (enriched and summary),
//! count, get and types.

mod support;

use pathbound_client::common::{FieldsProjection, IncludeOption, SortDir};
use pathbound_client::events::{DeviceType, EventSortBy, EventTypeEntry};
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::query_param;

/// An enriched event as the newer API sends it (fact sheet §4.3).
fn enriched_event() -> serde_json::Value {
    json!({
        "event_id": "evt_abc", "_id": "evt_abc",
        "event": "page_view",
        "timestamp": TS,
        "url": "https://acme.test/pricing?plan=pro",
        "domain": "acme.test",
        "data": {"title": "Pricing", "path": "/pricing",
                 "utmParams": {"utm_source": "newsletter"}},
        "internal_contact_id": "ct_abc",
        "contact": {"contact_id": "ct_abc", "_id": "ct_abc", "email": "ada@example.com",
                    "firstname": "Ada", "lastname": "Lovelace", "lifecyclestage": "lead"},
        "company": {"company_id": "co_xyz", "_id": "co_xyz", "name": "Acme Inc",
                    "domain": "acme.test"},
        "referring_domain": "news.ycombinator.com",
        "browser": "Chrome", "browser_version": "124.0", "os": "macOS",
        "device_type": "Desktop",
        "visitorId": "vis_8f2a"
    })
}

#[tokio::test]
async fn list_limit_and_sort_dir_send_exactly_those_parameters() {
    let (server, client) = start().await;
    authed("GET", "/events")
        .and(query_param("limit", "5"))
        .and(query_param("sort_dir", "desc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "events": [enriched_event()],
            "pagination": {"page": 1, "limit": 5, "total_pages": 1, "total_items": 1}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .events()
        .list()
        .limit(5)
        .sort_dir(SortDir::Desc)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(&req, &[("limit", "5"), ("sort_dir", "desc")]);
    assert_eq!(page.len(), 1);
    assert!(!page.has_more());

    let event = &page.items[0];
    assert_eq!(event.event_id, "evt_abc");
    assert_eq!(event.event.as_deref(), Some("page_view"));
    assert_eq!(event.timestamp.as_ref().unwrap().as_str(), TS);
    assert_eq!(event.domain.as_deref(), Some("acme.test"));
    assert_eq!(
        event.data.as_ref().unwrap()["utmParams"]["utm_source"],
        json!("newsletter")
    );
    assert_eq!(event.internal_contact_id.as_deref(), Some("ct_abc"));
    let contact = event.contact.as_ref().unwrap();
    assert_eq!(contact.contact_id, "ct_abc");
    assert_eq!(contact.firstname.as_deref(), Some("Ada"));
    assert_eq!(contact.extra.get("lifecyclestage"), Some(&json!("lead")));
    assert!(!contact.extra.contains_key("_id"));
    let company = event.company.as_ref().unwrap();
    assert_eq!(company.company_id, "co_xyz");
    assert_eq!(company.name.as_deref(), Some("Acme Inc"));
    assert_eq!(event.device_type, Some(DeviceType::Desktop));
    assert_eq!(event.browser_version.as_deref(), Some("124.0"));
    assert_eq!(event.is_bot, None);
    assert_eq!(event.extra.get("visitorId"), Some(&json!("vis_8f2a")));
    assert!(!event.extra.contains_key("_id"));
    assert!(!event.extra.contains_key("event_id"));
}

#[tokio::test]
async fn list_sends_every_filter_under_its_wire_name() {
    let (server, client) = start().await;
    authed("GET", "/events")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "events": []})),
        )
        .expect(1)
        .mount(&server)
        .await;

    client
        .events()
        .list()
        .page(4)
        .limit(50)
        .event_type("form_submit")
        .contact_id("ct_abc")
        .domain("acme.test")
        .url_contains("/pricing?plan=pro")
        .date_after("2026-04-01T00:00:00.000Z")
        .date_before("2026-04-29T12:00:00.000Z")
        .identified_only(true)
        .search("pricing")
        .sort_by(EventSortBy::CreatedAt)
        .sort_dir(SortDir::Asc)
        .fields(FieldsProjection::Summary)
        // A list, sent comma-separated as the docs describe (a value this
        // client does not know yet goes out as written).
        .include([IncludeOption::Provenance, IncludeOption::from("history")])
        .send()
        .await
        .unwrap();

    assert_query(
        &only_request(&server).await,
        &[
            ("page", "4"),
            ("limit", "50"),
            ("event_type", "form_submit"),
            ("contact_id", "ct_abc"),
            ("domain", "acme.test"),
            ("url_contains", "/pricing?plan=pro"),
            ("date_after", "2026-04-01T00:00:00.000Z"),
            ("date_before", "2026-04-29T12:00:00.000Z"),
            ("identified_only", "true"),
            ("search", "pricing"),
            ("sort_by", "createdAt"),
            ("sort_dir", "asc"),
            ("fields", "summary"),
            ("include", "provenance,history"),
        ],
    );
}

#[tokio::test]
async fn list_decodes_summary_projection_bots_and_unknown_devices() {
    let (server, client) = start().await;
    authed("GET", "/events")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "events": [
                {"id": "evt_1", "event": "link_click", "timestamp": TS,
                 "url": "https://acme.test/", "contact_id": "ct_abc"},
                {"_id": "evt_2", "event": "page_view", "is_bot": true, "device_type": "SmartTV",
                 "contact": null, "company": null, "internal_contact_id": null},
                {"event_id": "evt_3", "device_type": "Mobile",
                 "properties_provenance": {"url": {"source": "tracker"}}}
            ],
            "pagination": {"page": 2, "limit": 3, "total_items": 9}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .events()
        .list()
        .page(2)
        .limit(3)
        .fields(FieldsProjection::Summary)
        .send()
        .await
        .unwrap();

    let ids: Vec<_> = page.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids, ["evt_1", "evt_2", "evt_3"]);
    assert_eq!(page.items[0].contact_id.as_deref(), Some("ct_abc"));
    assert!(page.items[0].extra.is_empty(), "{:?}", page.items[0].extra);
    assert_eq!(page.items[1].is_bot, Some(true));
    assert_eq!(page.items[1].device_type, Some(DeviceType::from("SmartTV")));
    assert_eq!(
        page.items[1].device_type.as_ref().unwrap().as_str(),
        "SmartTV"
    );
    assert_eq!(page.items[1].contact, None);
    assert_eq!(page.items[2].device_type, Some(DeviceType::Mobile));
    assert_eq!(
        page.items[2].properties_provenance.as_ref().unwrap()["url"]["source"],
        json!("tracker")
    );
    // Only total_items (no total_pages): page 2 × 3 = 6 < 9, so page 3 follows.
    assert_eq!(page.info.total_pages, None);
    assert_eq!(page.next_page_param(), Some(3));
}

#[tokio::test]
async fn list_page_zero_is_rejected_locally() {
    let (server, client) = start().await;

    let err = client.events().list().page(0).send().await.unwrap_err();
    assert_invalid(&err, "events.list", "page");
    let err = client.events().list().limit(500).send().await.unwrap_err();
    assert_invalid(&err, "events.list", "limit");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn count_sends_count_only_true_and_filters() {
    let (server, client) = start().await;
    authed("GET", "/events")
        .and(query_param("count_only", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 58213})))
        .expect(1)
        .mount(&server)
        .await;

    let count = client
        .events()
        .count()
        .event_type("page_view")
        .identified_only(false)
        .date_after("2026-04-01T00:00:00.000Z")
        .send()
        .await
        .unwrap();

    assert_eq!(count, 58213);
    assert_query(
        &only_request(&server).await,
        &[
            ("count_only", "true"),
            ("event_type", "page_view"),
            ("identified_only", "false"),
            ("date_after", "2026-04-01T00:00:00.000Z"),
        ],
    );
}

#[tokio::test]
async fn count_without_the_count_key_is_a_decode_error() {
    let (server, client) = start().await;
    authed("GET", "/events")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "events": []})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.events().count().send().await.unwrap_err();

    match &err {
        pathbound_client::Error::Decode {
            operation,
            status,
            message,
            snippet,
            ..
        } => {
            assert_eq!((*operation, *status), ("events.count", 200));
            assert!(message.contains("count"), "{message}");
            assert!(snippet.contains("\"events\""), "{snippet}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_key_hidden(&err);
}

#[tokio::test]
async fn get_unwraps_the_event_envelope() {
    let (server, client) = start().await;
    authed("GET", "/events/evt_abc")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "event": enriched_event()})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let event = client.events().get("evt_abc").send().await.unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    assert_eq!(event.event_id, "evt_abc");
    assert_eq!(event.os.as_deref(), Some("macOS"));
    assert_eq!(
        event.referring_domain.as_deref(),
        Some("news.ycombinator.com")
    );
}

#[tokio::test]
async fn get_404_and_403() {
    let (server, client) = start().await;
    authed("GET", "/events/evt_missing")
        .respond_with(
            ResponseTemplate::new(404).set_body_json(error_envelope("Event not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/events/evt_secret")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.events().get("evt_missing").send().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(api_error(&err).message, "Event not found");

    let err = client.events().get("evt_secret").send().await.unwrap_err();
    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("events:read"), "{shown}");
    assert!(shown.contains("GET /v1/events/{event_id}"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn types_decodes_plain_names_and_counted_entries_under_either_key() {
    let (server, client) = start().await;
    authed("GET", "/events/types")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "event_types": ["page_view", "signup_completed"]
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/events/types")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "types": [
                {"event": "page_view", "count": 1200},
                {"name": "video_play", "count": 3, "last_seen": TS}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let plain = client.events().types().send().await.unwrap();
    let counted = client.events().types().send().await.unwrap();

    assert_eq!(
        plain.event_types,
        Some(vec![
            EventTypeEntry::Name("page_view".into()),
            EventTypeEntry::Name("signup_completed".into())
        ])
    );
    assert_eq!(plain.extra.get("status"), Some(&json!("success")));
    let entries = counted.event_types.as_ref().unwrap();
    match (&entries[0], &entries[1]) {
        (EventTypeEntry::Counted(a), EventTypeEntry::Counted(b)) => {
            assert_eq!(a.event.as_deref(), Some("page_view"));
            assert_eq!(a.count, Some(1200));
            assert_eq!(b.event.as_deref(), Some("video_play"));
            assert_eq!(b.extra.get("last_seen"), Some(&json!(TS)));
        }
        other => panic!("expected counted entries, got {other:?}"),
    }
    assert!(!counted.extra.contains_key("types"));
    for req in requests(&server).await {
        assert_eq!(req.url.path(), "/events/types");
        assert_bearer(&req);
    }
}
