//! Pagination (all three styles), filters, search and sorting against the mock's
//! seeded data, page by page and with `.stream()` over every page.

mod mock_support;

use std::collections::BTreeSet;

use mock_support::*;
use pathbound_client::common::{FieldsProjection, LifecycleStage, SortDir};
use pathbound_client::contacts::ContactSortBy;
use pathbound_client::events::EventSortBy;
use pathbound_mock::testkit::collect;

#[tokio::test]
async fn contacts_page_by_page_and_streamed_match_the_count() {
    let (server, c) = start().await;
    let total = c.contacts().count().send().await.unwrap();
    assert!(total >= 30, "{total}");

    let first = c.contacts().list().limit(7).send().await.unwrap();
    assert_eq!(first.len(), 7);
    assert_eq!(first.info.page, Some(1));
    assert_eq!(first.info.total_items, Some(total as u64));
    assert_eq!(first.info.total_pages, Some((total as u64).div_ceil(7)));
    let last_page = (total as u64).div_ceil(7);
    let last = c
        .contacts()
        .list()
        .limit(7)
        .page(last_page as i64)
        .send()
        .await
        .unwrap();
    assert_eq!(last.len() as u64, total as u64 - 7 * (last_page - 1));
    assert!(!last.has_more());
    let beyond = c
        .contacts()
        .list()
        .limit(7)
        .page(last_page as i64 + 1)
        .send()
        .await
        .unwrap();
    assert!(beyond.is_empty());

    let before = server.hits("contacts.list");
    let streamed: Vec<_> = collect(c.contacts().list().limit(7).stream()).await;
    let ids: BTreeSet<pathbound_client::ids::ContactId> = streamed
        .into_iter()
        .map(|r| r.unwrap().contact_id)
        .collect();
    assert_eq!(ids.len() as i64, total, "every contact exactly once");
    assert_eq!(
        server.hits("contacts.list") - before,
        last_page,
        "one request per page"
    );

    let capped: Vec<_> = collect(c.contacts().list().limit(5).stream().max_items(8)).await;
    assert_eq!(capped.len(), 8);
}

#[tokio::test]
async fn contact_filters_search_and_sorting() {
    let (_server, c) = start().await;
    let customers: Vec<_> = collect(
        c.contacts()
            .list()
            .lifecycle_stage(LifecycleStage::Customer)
            .limit(3)
            .stream(),
    )
    .await;
    assert!(!customers.is_empty());
    let count = c
        .contacts()
        .count()
        .lifecycle_stage(LifecycleStage::Customer)
        .send()
        .await
        .unwrap();
    assert_eq!(customers.len() as i64, count);
    for contact in customers {
        let stage = contact.unwrap().properties.unwrap().lifecyclestage.unwrap();
        assert_eq!(stage, LifecycleStage::Customer);
    }

    let germans = c.contacts().list().country("de").send().await.unwrap();
    assert!(!germans.is_empty());
    assert!(
        germans
            .iter()
            .all(|c| c.properties.as_ref().unwrap().country.as_deref() == Some("DE"))
    );

    let found = c.contacts().list().search("OKAFOR").send().await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found.items[0]
            .properties
            .as_ref()
            .unwrap()
            .lastname
            .as_deref(),
        Some("Okafor")
    );
    let by_company = c.contacts().list().search("globex").send().await.unwrap();
    assert!(by_company.len() >= 2, "search covers the company name");

    let linked = c
        .contacts()
        .count()
        .has_linkedin(true)
        .send()
        .await
        .unwrap();
    let unlinked = c
        .contacts()
        .count()
        .has_linkedin(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        linked + unlinked,
        c.contacts().count().send().await.unwrap()
    );
    let combined = c
        .contacts()
        .count()
        .has_linkedin(true)
        .country("US")
        .lifecycle_stage(LifecycleStage::Lead)
        .send()
        .await
        .unwrap();
    assert!(combined <= linked);

    let sorted = c
        .contacts()
        .list()
        .sort_by(ContactSortBy::Email)
        .sort_dir(SortDir::Asc)
        .limit(100)
        .send()
        .await
        .unwrap();
    let emails: Vec<String> = sorted
        .iter()
        .map(|c| c.properties.as_ref().unwrap().email.clone().unwrap())
        .collect();
    let mut expected = emails.clone();
    expected.sort_by_key(|e| e.to_lowercase());
    assert_eq!(emails, expected);

    // Newest first by default; created_after cuts at a contact's creation time.
    let newest = c.contacts().list().limit(100).send().await.unwrap();
    let times: Vec<String> = newest
        .iter()
        .map(|c| c.created_at.clone().unwrap().into_string())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let cut = times[5].clone();
    let after = c
        .contacts()
        .count()
        .created_after(cut.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(after, 6);

    let summary = c
        .contacts()
        .list()
        .fields(FieldsProjection::Summary)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert!(summary.items[0].extra.contains_key("email"));
    assert!(summary.items[0].properties.is_none());
}

#[tokio::test]
async fn events_filters_sorting_and_all_pages() {
    let (_server, c) = start().await;
    let views = c
        .events()
        .count()
        .event_type("page_view")
        .send()
        .await
        .unwrap();
    let streamed: Vec<_> = collect(
        c.events()
            .list()
            .event_type("page_view")
            .limit(100)
            .stream(),
    )
    .await;
    assert_eq!(streamed.len() as i64, views);
    assert!(
        streamed
            .iter()
            .all(|e| e.as_ref().unwrap().event.as_deref() == Some("page_view"))
    );
    // Event types add up to the total.
    let types = c.events().types().send().await.unwrap();
    let all = c.events().count().send().await.unwrap();
    let mut sum = 0;
    for entry in types.event_types.unwrap() {
        let counted = match entry {
            pathbound_client::events::EventTypeEntry::Counted(c) => c.count.unwrap(),
            other => panic!("expected counted types, got {other:?}"),
        };
        sum += counted;
    }
    assert_eq!(sum, all);

    // Newest first by default; ascending on request.
    let desc = c.events().list().limit(50).send().await.unwrap();
    let stamps: Vec<String> = desc
        .iter()
        .map(|e| e.timestamp.clone().unwrap().into_string())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]));
    let asc = c
        .events()
        .list()
        .limit(50)
        .sort_dir(SortDir::Asc)
        .send()
        .await
        .unwrap();
    let stamps_asc: Vec<String> = asc
        .iter()
        .map(|e| e.timestamp.clone().unwrap().into_string())
        .collect();
    assert!(stamps_asc.windows(2).all(|w| w[0] <= w[1]));
    let by_name = c
        .events()
        .list()
        .sort_by(EventSortBy::Event)
        .sort_dir(SortDir::Asc)
        .limit(100)
        .send()
        .await
        .unwrap();
    let names: Vec<String> = by_name.iter().map(|e| e.event.clone().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));

    // Date window: inclusive bounds.
    let (from, to) = (stamps[30].clone(), stamps[10].clone());
    let window = c
        .events()
        .list()
        .date_after(from.as_str())
        .date_before(to.as_str())
        .limit(100)
        .send()
        .await
        .unwrap();
    assert_eq!(window.len(), 21);
    assert!(window.iter().all(|e| {
        let t = e.timestamp.clone().unwrap().into_string();
        t >= from && t <= to
    }));

    // Identified only, per contact, by URL and domain.
    let identified = c
        .events()
        .count()
        .identified_only(true)
        .send()
        .await
        .unwrap();
    assert!(identified > 0 && identified < all);
    let contact_id = desc
        .iter()
        .find_map(|e| e.internal_contact_id.clone())
        .unwrap();
    let theirs = c
        .events()
        .list()
        .contact_id(contact_id.clone())
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(!theirs.is_empty());
    assert!(
        theirs
            .iter()
            .all(|e| e.internal_contact_id.as_deref() == Some(contact_id.as_str()))
    );
    let same = c.contacts().list_events(contact_id).send().await.unwrap();
    assert_eq!(same.len(), theirs.len());
    let pricing = c
        .events()
        .list()
        .url_contains("/PRICING")
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(
        !pricing.is_empty()
            && pricing
                .iter()
                .all(|e| e.url.as_deref().unwrap().contains("/pricing"))
    );
    let docs = c
        .events()
        .count()
        .domain("docs.acme-demo.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.events().count().search("docs.acme").send().await.unwrap(),
        docs
    );

    // Enrichment, summary projection, get by id.
    let enriched = desc.iter().find(|e| e.contact.is_some()).unwrap();
    assert!(enriched.contact.as_ref().unwrap().email.is_some());
    let summary = c
        .events()
        .list()
        .fields(FieldsProjection::Summary)
        .limit(1)
        .send()
        .await
        .unwrap();
    assert!(summary.items[0].contact.is_none() && summary.items[0].url.is_some());
    let one = c.events().get(&enriched.event_id).send().await.unwrap();
    assert_eq!(one.event_id, enriched.event_id);
}

#[tokio::test]
async fn segments_companies_actions_and_agents_paginate_in_their_own_styles() {
    let (server, c) = start().await;
    // Page style, default limit 50.
    let segments = c.segments().list().send().await.unwrap();
    assert_eq!(segments.info.limit, Some(50));
    assert_eq!(segments.len(), 4);
    for segment in segments.iter() {
        let expected = segment.contact_count.unwrap();
        let members: Vec<_> = collect(
            c.segments()
                .list_contacts(&segment.segment_id)
                .limit(2)
                .stream(),
        )
        .await;
        assert_eq!(members.len() as i64, expected, "{:?}", segment.name);
        for m in members {
            assert!(
                m.unwrap()
                    .segment_ids
                    .unwrap()
                    .contains(&segment.segment_id)
            );
        }
    }
    let page = c
        .segments()
        .list_contacts(&segments.items[0].segment_id)
        .send()
        .await
        .unwrap();
    assert_eq!(page.extra["segment_name"], "Customers");

    let companies: Vec<_> = collect(c.companies().list().limit(3).stream()).await;
    assert_eq!(companies.len(), 8);
    let software = c
        .companies()
        .list()
        .industry("software")
        .send()
        .await
        .unwrap();
    assert_eq!(software.len(), 3);
    let search = c.companies().list().search("hooli").send().await.unwrap();
    assert_eq!(search.len(), 1);

    // Skip style (actions): create enough to span pages.
    let sender = c
        .identities()
        .list()
        .send()
        .await
        .unwrap()
        .remove(0)
        .identity_id;
    for i in 0..12 {
        c.actions()
            .create(
                pathbound_client::actions::ActionType::CreateTask,
                serde_json::Map::new(),
                sender.clone(),
            )
            .list_id(if i % 2 == 0 { "list_even" } else { "list_odd" })
            .send()
            .await
            .unwrap();
    }
    let first = c.actions().list().limit(5).send().await.unwrap();
    assert_eq!(first.info.skip, Some(0));
    let total = first.info.total_items.unwrap();
    assert!(total >= 17, "{total}");
    let before = server.hits("actions.list");
    let all: Vec<_> = collect(c.actions().list().limit(5).stream()).await;
    assert_eq!(all.len() as u64, total);
    assert_eq!(server.hits("actions.list") - before, total.div_ceil(5));
    let even: Vec<_> = collect(c.actions().list().list_id("list_even").limit(4).stream()).await;
    assert_eq!(even.len(), 6);

    // Offset style (agents, runs).
    for i in 0..4 {
        c.agents()
            .create(format!("Agent {i}"))
            .enabled(i % 2 == 0)
            .send()
            .await
            .unwrap();
    }
    let agents: Vec<_> = collect(c.agents().list().limit(2).stream()).await;
    assert_eq!(agents.len(), 5);
    let page = c.agents().list().limit(2).offset(2).send().await.unwrap();
    assert_eq!(
        (page.info.offset, page.info.total_items, page.len()),
        (Some(2), Some(5), 2)
    );
    let enabled = c.agents().list().enabled(true).send().await.unwrap();
    assert_eq!(enabled.len(), 3);
}

/// `include` is a comma-separated list: the mock honours `provenance` among
/// other values, as sent by the client's typed list setter.
#[tokio::test]
async fn include_is_read_as_a_comma_separated_list() {
    use pathbound_client::common::IncludeOption;
    let (_server, c) = start().await;
    let page = c
        .events()
        .list()
        .limit(1)
        .include([IncludeOption::from("history"), IncludeOption::Provenance])
        .send()
        .await
        .unwrap();
    let event = page.items.first().expect("a seeded event");
    assert!(event.properties_provenance.is_some(), "{event:?}");
    let page = c.events().list().limit(1).send().await.unwrap();
    assert!(page.items[0].properties_provenance.is_none());
}
