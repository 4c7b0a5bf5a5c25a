//! `.stream()` over every pagination style, against a real loopback server.
//!
//! Each test serves numbered items page by page and checks what the stream yields
//! and, just as much, which requests it made: one per page, none after the last
//! page, none beyond what a capped or dropped stream needed.

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use pathbound_client::Client;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `StreamExt::next` without pulling in futures-util.
async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

async fn collect_ids<S, T, F>(mut stream: S, id: F) -> pathbound_client::Result<Vec<String>>
where
    S: Stream<Item = pathbound_client::Result<T>> + Unpin,
    F: Fn(&T) -> String,
{
    let mut out = Vec::new();
    while let Some(item) = next(&mut stream).await {
        out.push(id(&item?));
    }
    Ok(out)
}

fn client(server: &MockServer) -> Client {
    match Client::builder()
        .api_key("sk_test_stream")
        .base_url(server.uri())
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

fn contacts(range: std::ops::Range<u32>) -> Vec<Value> {
    range.map(|i| json!({ "contact_id": format!("ct_{i}"), "properties": { "email": format!("c{i}@example.com") } })).collect()
}

/// Serves `total` contacts, `limit` per page, page/limit style.
async fn serve_contact_pages(server: &MockServer, total: u32, limit: u32) {
    let pages = total.div_ceil(limit).max(1);
    for page in 1..=pages {
        let start = (page - 1) * limit;
        let end = (start + limit).min(total);
        Mock::given(method("GET"))
            .and(path("/contacts"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success",
                "contacts": contacts(start..end),
                "pagination": { "page": page, "limit": limit, "total_pages": pages, "total_items": total }
            })))
            .mount(server)
            .await;
    }
}

async fn requests_for(server: &MockServer, p: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .map(|r| r.url.query().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn page_style_stream_walks_every_page_once_and_stops_at_the_last() {
    let server = MockServer::start().await;
    serve_contact_pages(&server, 7, 3).await;
    let stream = client(&server).contacts().list().page(1).limit(3).stream();
    let ids = collect_ids(stream, |c| c.contact_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, (0..7).map(|i| format!("ct_{i}")).collect::<Vec<_>>());
    assert_eq!(
        requests_for(&server, "/contacts").await,
        ["page=1&limit=3", "page=2&limit=3", "page=3&limit=3"]
    );
}

#[tokio::test]
async fn filters_are_kept_on_every_page() {
    let server = MockServer::start().await;
    serve_contact_pages(&server, 4, 2).await;
    let stream = client(&server)
        .contacts()
        .list()
        .page(1)
        .limit(2)
        .search("ada")
        .stream();
    let ids = collect_ids(stream, |c| c.contact_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.len(), 4);
    let queries = requests_for(&server, "/contacts").await;
    assert_eq!(
        queries,
        ["page=1&limit=2&search=ada", "page=2&limit=2&search=ada"]
    );
}

#[tokio::test]
async fn an_empty_list_yields_nothing_after_one_request() {
    let server = MockServer::start().await;
    serve_contact_pages(&server, 0, 20).await;
    let stream = client(&server).contacts().list().page(1).stream();
    let ids = collect_ids(stream, |c| c.contact_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ids.is_empty());
    assert_eq!(requests_for(&server, "/contacts").await.len(), 1);
}

#[tokio::test]
async fn max_items_stops_without_fetching_further_pages() {
    let server = MockServer::start().await;
    serve_contact_pages(&server, 30, 5).await;
    let stream = client(&server)
        .contacts()
        .list()
        .page(1)
        .limit(5)
        .stream()
        .max_items(7);
    let ids = collect_ids(stream, |c| c.contact_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.len(), 7);
    assert_eq!(
        requests_for(&server, "/contacts").await.len(),
        2,
        "7 items need pages 1 and 2 only"
    );
}

#[tokio::test]
async fn a_stream_dropped_half_way_issues_no_further_requests() {
    let server = MockServer::start().await;
    serve_contact_pages(&server, 30, 10).await;
    let mut stream = client(&server).contacts().list().page(1).limit(10).stream();
    for _ in 0..12 {
        assert!(matches!(next(&mut stream).await, Some(Ok(_))));
    }
    drop(stream);
    assert_eq!(requests_for(&server, "/contacts").await.len(), 2);
}

#[tokio::test]
async fn skip_style_stream_advances_skip_by_the_items_received() {
    let server = MockServer::start().await;
    for (skip, count) in [(0u32, 2u32), (2, 2), (4, 1)] {
        let actions: Vec<Value> = (skip..skip + count).map(|i| json!({ "action_id": format!("act_{i}"), "type": "email_message", "status": "scheduled" })).collect();
        Mock::given(method("GET"))
            .and(path("/actions"))
            .and(query_param("skip", skip.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success",
                "actions": actions,
                "pagination": { "total_items": 5, "limit": 2, "skip": skip }
            })))
            .mount(&server)
            .await;
    }
    let stream = client(&server).actions().list().skip(0).limit(2).stream();
    let ids = collect_ids(stream, |a| a.action_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, ["act_0", "act_1", "act_2", "act_3", "act_4"]);
    assert_eq!(
        requests_for(&server, "/actions").await,
        ["skip=0&limit=2", "skip=2&limit=2", "skip=4&limit=2"]
    );
}

#[tokio::test]
async fn offset_style_stream_reads_top_level_totals() {
    let server = MockServer::start().await;
    for offset in [0u32, 2] {
        let agents: Vec<Value> = (offset..(offset + 2).min(3))
            .map(|i| json!({ "_id": format!("agent_{i}"), "name": format!("Agent {i}") }))
            .collect();
        Mock::given(method("GET"))
            .and(path("/agents"))
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "agents": agents, "total": 3, "limit": 2, "offset": offset
            })))
            .mount(&server)
            .await;
    }
    let stream = client(&server).agents().list().offset(0).limit(2).stream();
    let ids = collect_ids(stream, |a| a.agent_id.to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, ["agent_0", "agent_1", "agent_2"]);
    assert_eq!(requests_for(&server, "/agents").await.len(), 2);
}

#[tokio::test]
async fn a_failing_page_is_yielded_as_an_error_and_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "contacts": contacts(0..2),
            "pagination": { "page": 1, "limit": 2, "total_pages": 3, "total_items": 6 }
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({ "status": "error", "error": "Forbidden", "details": [] })),
        )
        .mount(&server)
        .await;
    let mut stream = client(&server).contacts().list().page(1).limit(2).stream();
    assert!(matches!(next(&mut stream).await, Some(Ok(_))));
    assert!(matches!(next(&mut stream).await, Some(Ok(_))));
    match next(&mut stream).await {
        Some(Err(e)) => assert!(e.is_forbidden(), "{e}"),
        other => panic!(
            "expected the page-2 error, got {:?}",
            other.map(|r| r.map(|c| c.contact_id))
        ),
    }
    assert!(next(&mut stream).await.is_none());
    assert_eq!(requests_for(&server, "/contacts").await.len(), 2);
}
