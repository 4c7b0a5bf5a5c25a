//! End-to-end tests of the segments resource: list, get and the members of
//! a segment.

mod support;

use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn list_sends_page_and_limit_and_decodes_segments() {
    let (server, client) = start().await;
    authed("GET", "/segments")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "segments": [
                {"_id": "seg_vip", "name": "VIP", "description": "Top accounts",
                 "contact_count": 42, "filter": {"lifecyclestage": "customer"},
                 "created_at": TS, "color": "gold"},
                {"segment_id": "seg_new", "_id": "seg_new", "name": "New this week",
                 "contact_count": 0}
            ],
            "pagination": {"page": 2, "limit": 50, "total_pages": 3, "total_items": 102}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .segments()
        .list()
        .page(2)
        .limit(50)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(&req, &[("page", "2"), ("limit", "50")]);
    let vip = &page.items[0];
    assert_eq!(vip.segment_id, "seg_vip");
    assert_eq!(vip.name.as_deref(), Some("VIP"));
    assert_eq!(vip.description.as_deref(), Some("Top accounts"));
    assert_eq!(vip.contact_count, Some(42));
    assert_eq!(
        vip.filter.as_ref().unwrap().get("lifecyclestage"),
        Some(&json!("customer"))
    );
    assert_eq!(vip.created_at.as_ref().unwrap().as_str(), TS);
    assert_eq!(vip.extra.get("color"), Some(&json!("gold")));
    assert!(!vip.extra.contains_key("_id"));
    assert_eq!(page.items[1].segment_id, "seg_new");
    assert!(page.items[1].extra.is_empty());
    // Middle page of three.
    assert_eq!(page.next_page_param(), Some(3));
}

#[tokio::test]
async fn list_without_parameters_sends_no_query_and_reads_the_last_page() {
    let (server, client) = start().await;
    authed("GET", "/segments")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "segments": [{"_id": "seg_1"}],
            "pagination": {"page": 1, "limit": 50, "total_pages": 1, "total_items": 1}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client.segments().list().send().await.unwrap();

    assert_no_query(&only_request(&server).await);
    assert_eq!(page.info.limit, Some(50));
    assert!(!page.has_more());
    assert_eq!(page.next_page_param(), None);
}

#[tokio::test]
async fn list_limit_zero_is_rejected_locally() {
    let (server, client) = start().await;

    let err = client.segments().list().limit(0).send().await.unwrap_err();

    assert_invalid(&err, "segments.list", "limit");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn get_unwraps_the_segment() {
    let (server, client) = start().await;
    authed("GET", "/segments/seg_vip")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "segment": {"_id": "seg_vip", "name": "VIP",
                        "filter": {"and": [{"field": "country", "eq": "DE"}]},
                        "contact_count": 42}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let segment = client.segments().get("seg_vip").send().await.unwrap();

    assert_no_query(&only_request(&server).await);
    assert_eq!(segment.segment_id, "seg_vip");
    assert_eq!(segment.contact_count, Some(42));
    assert_eq!(segment.filter.unwrap()["and"][0]["eq"], json!("DE"));
}

#[tokio::test]
async fn get_404_is_not_found_and_403_names_segments_read() {
    let (server, client) = start().await;
    authed("GET", "/segments/seg_gone")
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(error_envelope("Segment not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/segments/seg_vip/contacts")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.segments().get("seg_gone").send().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(api_error(&err).message, "Segment not found");

    let err = client
        .segments()
        .list_contacts("seg_vip")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("segments:read"), "{shown}");
    assert!(
        shown.contains("GET /v1/segments/{segment_id}/contacts"),
        "{shown}"
    );
    assert_key_hidden(&err);
}

#[tokio::test]
async fn list_contacts_decodes_members_and_keeps_segment_name() {
    let (server, client) = start().await;
    authed("GET", "/segments/seg%20vip/contacts")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "segment_name": "VIP",
            "contacts": [
                {"_id": "ct_1",
                 "properties": {"email": "a@acme.test", "firstname": "Ann", "lastname": "Lee",
                                "company": "Acme", "jobtitle": "CEO", "lifecyclestage": "customer"},
                 "company_id": "co_xyz", "segment_ids": ["seg vip", "seg_all"], "created_at": TS},
                {"contact_id": "ct_2", "_id": "ct_2", "company_id": null}
            ],
            "pagination": {"page": 1, "limit": 2, "total_pages": 5, "total_items": 9}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .segments()
        .list_contacts("seg vip")
        .page(1)
        .limit(2)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(&req, &[("page", "1"), ("limit", "2")]);
    assert_eq!(page.extra.get("segment_name"), Some(&json!("VIP")));
    let first = &page.items[0];
    assert_eq!(first.contact_id, "ct_1");
    assert_eq!(
        first.properties.as_ref().unwrap().jobtitle.as_deref(),
        Some("CEO")
    );
    assert_eq!(
        first.segment_ids.as_deref(),
        Some(&["seg vip".into(), "seg_all".into()][..])
    );
    assert_eq!(page.items[1].contact_id, "ct_2");
    assert_eq!(page.items[1].company_id, None);
    assert!(page.has_more());
    assert_eq!(page.next_page_param(), Some(2));
}
