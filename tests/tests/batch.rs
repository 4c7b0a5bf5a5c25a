//! End-to-end tests of the batch resource: batch details, batch activity and
//! aggregate, including their client-side limits and retry policy.

mod support;

use pathbound_client::batch::{AggregateEntity, EntityType, GroupBy};
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

#[tokio::test]
async fn details_of_contacts_sends_type_and_ids_and_decodes_the_found_ones() {
    let (server, client) = start().await;
    let expected = json!({"entity_type": "contacts", "ids": ["ct_1", "ct_2", "ct_other_tenant"]});
    authed("POST", "/batch/details")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contacts": [
                {"contact_id": "ct_1", "_id": "ct_1", "properties": {"email": "a@acme.test"}},
                {"_id": "ct_2", "lead_score": 12}
            ],
            "requested": 3
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client
        .batch()
        .details(EntityType::Contacts, ["ct_1", "ct_2", "ct_other_tenant"])
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    assert_eq!(json_body(&req), expected);
    let contacts = details.contacts.as_ref().unwrap();
    let ids: Vec<_> = contacts.iter().map(|c| c.contact_id.as_str()).collect();
    assert_eq!(ids, ["ct_1", "ct_2"]);
    assert_eq!(contacts[1].extra.get("lead_score"), Some(&json!(12)));
    assert_eq!(details.companies, None);
    assert_eq!(details.extra.get("requested"), Some(&json!(3)));
}

#[tokio::test]
async fn details_of_companies_reads_the_companies_key() {
    let (server, client) = start().await;
    authed("POST", "/batch/details")
        .and(body_json(
            json!({"entity_type": "companies", "ids": ["co_1"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "companies": [{"company_id": "co_1", "_id": "co_1", "properties": {"name": "Acme"}}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client
        .batch()
        .details(EntityType::Companies, vec!["co_1".to_owned()])
        .send()
        .await
        .unwrap();

    assert_eq!(details.contacts, None);
    let companies = details.companies.unwrap();
    assert_eq!(companies[0].company_id, "co_1");
    assert_eq!(
        companies[0].properties.as_ref().unwrap().name.as_deref(),
        Some("Acme")
    );
}

#[tokio::test]
async fn details_with_26_or_no_ids_fails_before_sending() {
    let (server, client) = start().await;
    let ids: Vec<String> = (1..=26).map(|i| format!("ct_{i}")).collect();

    let err = client
        .batch()
        .details(EntityType::Contacts, ids)
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "batch.details", "ids");
    assert!(err.to_string().contains("26"), "{err}");
    assert!(err.to_string().contains("25"), "{err}");

    let err = client
        .batch()
        .details(EntityType::Contacts, Vec::<String>::new())
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "batch.details", "ids");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn details_with_exactly_25_ids_is_sent() {
    let (server, client) = start().await;
    authed("POST", "/batch/details")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "contacts": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<String> = (1..=25).map(|i| format!("ct_{i}")).collect();

    let details = client
        .batch()
        .details(EntityType::Contacts, ids.clone())
        .send()
        .await
        .unwrap();

    assert_eq!(details.contacts, Some(vec![]));
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"entity_type": "contacts", "ids": ids})
    );
}

#[tokio::test]
async fn details_is_a_read_so_a_503_is_retried() {
    let (server, client) = start().await;
    authed("POST", "/batch/details")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Unavailable", json!([]))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/batch/details")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contacts": [{"contact_id": "ct_1"}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client
        .batch()
        .details(EntityType::Contacts, ["ct_1"])
        .send()
        .await
        .unwrap();

    assert_eq!(details.contacts.unwrap()[0].contact_id, "ct_1");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(json_body(&sent[0]), json_body(&sent[1]));
}

#[tokio::test]
async fn activity_sends_ids_limit_and_dates_and_decodes_per_contact_events() {
    let (server, client) = start().await;
    let expected = json!({
        "contact_ids": ["ct_1", "ct_2"],
        "events_limit": 3,
        "date_after": "2026-04-01T00:00:00.000Z",
        "date_before": "2026-04-29T12:00:00.000Z"
    });
    authed("POST", "/batch/activity")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "contact_count": 2,
            "activity": {
                "ct_1": {
                    "events": [
                        {"id": "evt_9", "event": "page_view", "url": "https://acme.test/pricing",
                         "timestamp": TS, "title": "Pricing", "duration_ms": 5400},
                        {"id": "evt_8", "event": "link_click", "url": "https://acme.test/",
                         "timestamp": "2026-04-28T08:00:00.000Z"}
                    ],
                    "total_events": 57
                },
                "ct_2": {"events": [], "total_events": 0}
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let activity = client
        .batch()
        .activity(["ct_1", "ct_2"])
        .events_limit(3)
        .date_after("2026-04-01T00:00:00.000Z")
        .date_before("2026-04-29T12:00:00.000Z")
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(activity.contact_count, Some(2));
    let per_contact = activity.activity.as_ref().unwrap();
    let busy = &per_contact["ct_1"];
    assert_eq!(busy.total_events, Some(57));
    let events = busy.events.as_ref().unwrap();
    assert_eq!(events[0].event_id, "evt_9");
    assert_eq!(events[0].title.as_deref(), Some("Pricing"));
    assert_eq!(events[0].extra.get("duration_ms"), Some(&json!(5400)));
    assert!(!events[0].extra.contains_key("id"));
    assert_eq!(events[1].event_id, "evt_8");
    assert_eq!(events[1].title, None);
    let quiet = &per_contact["ct_2"];
    assert_eq!(quiet.events.as_deref(), Some(&[][..]));
    assert_eq!(quiet.total_events, Some(0));
}

#[tokio::test]
async fn activity_with_only_ids_sends_only_ids() {
    let (server, client) = start().await;
    authed("POST", "/batch/activity")
        .and(body_json(json!({"contact_ids": ["ct_1"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contact_count": 1,
            "activity": {"ct_1": {"events": [], "total_events": 0}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let activity = client.batch().activity(["ct_1"]).send().await.unwrap();

    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"contact_ids": ["ct_1"]})
    );
    assert_eq!(activity.activity.unwrap().len(), 1);
}

#[tokio::test]
async fn activity_limits_are_checked_before_sending() {
    let (server, client) = start().await;

    let err = client
        .batch()
        .activity(["ct_1"])
        .events_limit(21)
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "batch.activity", "events_limit");

    let err = client
        .batch()
        .activity(["ct_1"])
        .events_limit(0)
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "batch.activity", "events_limit");

    let too_many: Vec<String> = (0..26).map(|i| format!("ct_{i}")).collect();
    let err = client.batch().activity(too_many).send().await.unwrap_err();
    assert_invalid(&err, "batch.activity", "contact_ids");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn aggregate_sends_entity_filters_and_group_by_and_decodes_results() {
    let (server, client) = start().await;
    let expected = json!({
        "entity": "events",
        "filters": {"segment_id": "seg_vip", "event_type": "page_view"},
        "group_by": "device_type"
    });
    authed("POST", "/aggregate")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "entity": "events",
            "results": [
                {"device_type": "Desktop", "count": 812},
                {"device_type": "Mobile", "count": 301}
            ],
            "total": 1113
        })))
        .expect(1)
        .mount(&server)
        .await;

    let result = client
        .batch()
        .aggregate(AggregateEntity::Events)
        .filters(obj(
            json!({"segment_id": "seg_vip", "event_type": "page_view"}),
        ))
        .group_by("device_type".to_owned())
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_eq!(json_body(&req), expected);
    assert_eq!(result.entity, Some(AggregateEntity::Events));
    assert_eq!(result.results.as_ref().unwrap()[1]["count"], json!(301));
    assert_eq!(result.extra.get("total"), Some(&json!(1113)));
    assert!(!result.extra.contains_key("results"));
}

#[tokio::test]
async fn aggregate_with_several_group_by_fields_and_a_groups_answer() {
    let (server, client) = start().await;
    authed("POST", "/aggregate")
        .and(body_json(
            json!({"entity": "contacts", "group_by": ["country", "lifecyclestage"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "entity": "deals",
            "groups": [{"country": "DE", "lifecyclestage": "lead", "count": 4}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let result = client
        .batch()
        .aggregate(AggregateEntity::Contacts)
        .group_by(GroupBy::Many(vec![
            "country".into(),
            "lifecyclestage".into(),
        ]))
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"entity": "contacts", "group_by": ["country", "lifecyclestage"]})
    );
    // Unknown entity values are kept; `groups` is read as `results`.
    assert_eq!(result.entity, Some(AggregateEntity::from("deals")));
    assert_eq!(
        result.results,
        Some(json!([{"country": "DE", "lifecyclestage": "lead", "count": 4}]))
    );
    assert!(!result.extra.contains_key("groups"));
}

#[tokio::test]
async fn aggregate_403_names_the_declared_scope() {
    let (server, client) = start().await;
    authed("POST", "/aggregate")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .batch()
        .aggregate(AggregateEntity::Contacts)
        .send()
        .await
        .unwrap_err();

    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("POST /v1/aggregate"), "{shown}");
    assert!(shown.contains("contacts:read"), "{shown}");
    assert_key_hidden(&err);
}
