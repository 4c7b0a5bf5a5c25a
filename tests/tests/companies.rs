//! End-to-end tests of the companies resource: create, list (with the summary
//! and provenance projections), get, update, delete and notes.

mod support;

use pathbound_client::common::{FieldsProjection, IncludeOption, LifecycleStage, SortDir};
use pathbound_client::companies::CompanyProperties;
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::body_json;

#[tokio::test]
async fn create_sends_domain_and_properties_and_unwraps_the_company() {
    let (server, client) = start().await;
    let expected = json!({
        "domain": "acme.test",
        "properties": {
            "name": "Acme Inc",
            "industry": "Software",
            "employee_count": 250,
            "lifecyclestage": "customer",
            "hq_city": "Berlin"
        }
    });
    authed("POST", "/companies")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "company": {
                "company_id": "co_xyz", "_id": "co_xyz", "tenant_id": "tenant_abc",
                "properties": {"domain": "acme.test", "name": "Acme Inc", "industry": "Software",
                               "employee_count": 250, "lifecyclestage": "customer",
                               "hq_city": "Berlin"},
                "created_at": TS, "updated_at": TS,
                "enriched": false
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let company = client
        .companies()
        .create("acme.test")
        .properties(CompanyProperties {
            name: Some("Acme Inc".into()),
            industry: Some("Software".into()),
            employee_count: Some(250),
            lifecyclestage: Some(LifecycleStage::Customer),
            extra: obj(json!({"hq_city": "Berlin"})),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_eq!(json_body(&req), expected);
    assert_eq!(company.company_id, "co_xyz");
    assert_eq!(company.tenant_id.as_deref(), Some("tenant_abc"));
    let props = company.properties.as_ref().unwrap();
    assert_eq!(props.employee_count, Some(250));
    assert_eq!(props.lifecyclestage, Some(LifecycleStage::Customer));
    assert_eq!(props.extra.get("hq_city"), Some(&json!("Berlin")));
    assert_eq!(company.extra.get("enriched"), Some(&json!(false)));
    assert!(!company.extra.contains_key("_id"));
    assert_eq!(company.created_at.as_ref().unwrap().as_str(), TS);
}

#[tokio::test]
async fn create_with_only_the_domain_and_a_legacy_id() {
    let (server, client) = start().await;
    authed("POST", "/companies")
        .and(body_json(json!({"domain": "globex.test"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success", "company": {"_id": "co_legacy"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let company = client
        .companies()
        .create("globex.test")
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"domain": "globex.test"})
    );
    assert_eq!(company.company_id, "co_legacy");
    assert_eq!(company.properties, None);
}

#[tokio::test]
async fn create_409_duplicate_domain_is_a_conflict() {
    let (server, client) = start().await;
    authed("POST", "/companies")
        .respond_with(ResponseTemplate::new(409).set_body_json(error_envelope(
            "Company with this domain already exists",
            json!([]),
        )))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .companies()
        .create("acme.test")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_conflict());
    assert_eq!(
        api_error(&err).message,
        "Company with this domain already exists"
    );
    assert!(err.to_string().contains("POST /v1/companies"), "{err}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn list_sends_every_set_parameter_under_its_wire_name() {
    let (server, client) = start().await;
    authed("GET", "/companies")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "companies": [],
            "pagination": {"page": 3, "limit": 10, "total_pages": 2, "total_items": 12}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .companies()
        .list()
        .page(3)
        .limit(10)
        .search("acme")
        .industry("Software")
        .country("DE")
        .sort_by("name")
        .sort_dir(SortDir::Asc)
        .fields(FieldsProjection::Summary)
        .include([IncludeOption::Provenance])
        .send()
        .await
        .unwrap();

    assert_query(
        &only_request(&server).await,
        &[
            ("page", "3"),
            ("limit", "10"),
            ("search", "acme"),
            ("industry", "Software"),
            ("country", "DE"),
            ("sort_by", "name"),
            ("sort_dir", "asc"),
            ("fields", "summary"),
            ("include", "provenance"),
        ],
    );
    // Past the end: no items, and no next page even though totals are odd.
    assert!(page.is_empty());
    assert_eq!(page.next_page_param(), None);
}

#[tokio::test]
async fn list_decodes_the_summary_projection_and_provenance() {
    let (server, client) = start().await;
    authed("GET", "/companies")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "companies": [
                {"company_id": "co_1", "id": "co_1", "name": "Acme Inc", "domain": "acme.test",
                 "industry": "Software", "last_activity_at": TS},
                {"_id": "co_2", "properties": {"domain": "globex.test", "name": "Globex"},
                 "properties_provenance": {"name": {"source": "hubspot", "at": TS}}},
                {"company_id": "co_3", "last_activity_at": null}
            ],
            "pagination": {"page": 1, "limit": 3, "total_pages": 4, "total_items": 12}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client.companies().list().limit(3).send().await.unwrap();

    let ids: Vec<_> = page.iter().map(|c| c.company_id.as_str()).collect();
    assert_eq!(ids, ["co_1", "co_2", "co_3"]);
    let summary = &page.items[0];
    assert_eq!(summary.name.as_deref(), Some("Acme Inc"));
    assert_eq!(summary.domain.as_deref(), Some("acme.test"));
    assert_eq!(summary.industry.as_deref(), Some("Software"));
    assert_eq!(summary.last_activity_at.as_ref().unwrap().as_str(), TS);
    assert!(summary.extra.is_empty(), "{:?}", summary.extra);
    let provenance = page.items[1].properties_provenance.as_ref().unwrap();
    assert_eq!(provenance["name"]["source"], json!("hubspot"));
    assert_eq!(
        page.items[1].properties.as_ref().unwrap().name.as_deref(),
        Some("Globex")
    );
    assert_eq!(page.items[2].last_activity_at, None);
    assert_eq!(page.next_page_param(), Some(2));
    assert!(page.has_more());
}

#[tokio::test]
async fn list_limit_above_100_is_rejected_locally() {
    let (server, client) = start().await;

    let err = client
        .companies()
        .list()
        .limit(101)
        .send()
        .await
        .unwrap_err();

    assert_invalid(&err, "companies.list", "limit");
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn get_decodes_the_company_with_its_contacts() {
    let (server, client) = start().await;
    authed("GET", "/companies/co_xyz")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "company": {"_id": "co_xyz", "tenant_id": "tenant_xyz",
                        "properties": {"domain": "acme.test", "name": "Acme Inc",
                                       "lifecyclestage": "partner"}},
            "contacts": [
                {"_id": "ct_1", "properties": {"email": "a@acme.test"}},
                {"contact_id": "ct_2", "_id": "ct_2"}
            ],
            "unified_profile": {"sources": ["hubspot"]}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let details = client.companies().get("co_xyz").send().await.unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_no_query(&req);
    assert_eq!(details.company.company_id, "co_xyz");
    assert_eq!(
        details.company.properties.as_ref().unwrap().lifecyclestage,
        Some(LifecycleStage::from("partner"))
    );
    let contacts = details.contacts.as_ref().unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].contact_id, "ct_1");
    assert_eq!(contacts[1].contact_id, "ct_2");
    assert_eq!(
        details.extra.get("unified_profile"),
        Some(&json!({"sources": ["hubspot"]}))
    );
}

#[tokio::test]
async fn get_404_is_not_found() {
    let (server, client) = start().await;
    authed("GET", "/companies/co_missing")
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(error_envelope("Company not found", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .companies()
        .get("co_missing")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_not_found());
    assert_eq!(api_error(&err).message, "Company not found");
    assert!(
        err.to_string().contains("GET /v1/companies/{company_id}"),
        "{err}"
    );
}

#[tokio::test]
async fn update_merges_properties_with_a_put() {
    let (server, client) = start().await;
    let expected = json!({"properties": {"employee_count": 300, "country": "DE"}});
    authed("PUT", "/companies/co_xyz")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "company": {"company_id": "co_xyz",
                        "properties": {"domain": "acme.test", "employee_count": 300, "country": "DE"}}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let company = client
        .companies()
        .update("co_xyz")
        .properties(CompanyProperties {
            employee_count: Some(300),
            country: Some("DE".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    let props = company.properties.unwrap();
    assert_eq!(props.employee_count, Some(300));
    assert_eq!(props.domain.as_deref(), Some("acme.test"));
}

#[tokio::test]
async fn update_403_names_companies_write() {
    let (server, client) = start().await;
    authed("PUT", "/companies/co_xyz")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Missing scope", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .companies()
        .update("co_xyz")
        .send()
        .await
        .unwrap_err();

    assert!(err.is_forbidden());
    let shown = err.to_string();
    assert!(shown.contains("companies:write"), "{shown}");
    assert!(shown.contains("PUT /v1/companies/{company_id}"), "{shown}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn delete_sends_a_bodiless_delete() {
    let (server, client) = start().await;
    authed("DELETE", "/companies/co_xyz")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Company deleted", "contacts_unlinked": 3
        })))
        .expect(1)
        .mount(&server)
        .await;

    let message = client.companies().delete("co_xyz").send().await.unwrap();

    assert_no_body(&only_request(&server).await);
    assert_eq!(message.message.as_deref(), Some("Company deleted"));
    assert_eq!(message.extra.get("contacts_unlinked"), Some(&json!(3)));
}

#[tokio::test]
async fn notes_list_create_update_and_delete() {
    let (server, client) = start().await;
    authed("GET", "/companies/co_xyz/notes")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "notes": [{"_id": "nt_1", "content": "Renewal in Q3"}, {"note_id": "nt_2", "id": "nt_2"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/companies/co_xyz/notes")
        .and(body_json(json!({"content": "Champion left"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success", "note": {"id": "nt_3", "content": "Champion left"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("PUT", "/companies/co_xyz/notes/nt_3")
        .and(body_json(json!({"content": "Champion left in May"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "note": {"note_id": "nt_3", "content": "Champion left in May"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("DELETE", "/companies/co_xyz/notes/nt_3")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Note deleted"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let notes = client
        .companies()
        .list_notes("co_xyz")
        .send()
        .await
        .unwrap();
    let created = client
        .companies()
        .create_note("co_xyz", "Champion left")
        .send()
        .await
        .unwrap();
    let updated = client
        .companies()
        .update_note("co_xyz", "nt_3", "Champion left in May")
        .send()
        .await
        .unwrap();
    let deleted = client
        .companies()
        .delete_note("co_xyz", "nt_3")
        .send()
        .await
        .unwrap();

    let ids: Vec<_> = notes.iter().map(|n| n.note_id.as_str()).collect();
    assert_eq!(ids, ["nt_1", "nt_2"]);
    assert_eq!(notes[0].content.as_deref(), Some("Renewal in Q3"));
    assert_eq!(created.note_id, "nt_3");
    assert_eq!(updated.content.as_deref(), Some("Champion left in May"));
    assert_eq!(deleted.message.as_deref(), Some("Note deleted"));
    let sent = requests(&server).await;
    assert_eq!(json_body(&sent[1]), json!({"content": "Champion left"}));
    assert_eq!(
        json_body(&sent[2]),
        json!({"content": "Champion left in May"})
    );
    assert_no_body(&sent[3]);
}

/// HubSpot-style properties from imports and syncs: `employee_count` as a
/// numeric string and a contact's `createdate` as epoch milliseconds decode,
/// as the spec's `lenient` fields allow, instead of failing the response.
#[tokio::test]
async fn numeric_strings_and_epoch_dates_in_properties_decode() {
    let (server, client) = start().await;
    authed("GET", "/companies/co_xyz")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "company": {"_id": "co_xyz",
                        "properties": {"domain": "acme.test", "employee_count": "250"}},
            "contacts": [
                {"_id": "ct_1", "properties": {"email": "a@acme.test", "createdate": 1714392000000u64}}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let details = client.companies().get("co_xyz").send().await.unwrap();
    let properties = details.company.properties.as_ref().unwrap();
    assert_eq!(properties.employee_count, Some(250));
    let contact = &details.contacts.as_ref().unwrap()[0];
    assert_eq!(
        contact
            .properties
            .as_ref()
            .and_then(|p| p.createdate.as_ref())
            .map(|t| t.as_str()),
        Some("2024-04-29T12:00:00.000Z")
    );
}
