//! The three pagination styles (`list` page/limit, `list_by_skip`,
//! `list_by_offset`): the query sent, the items and totals decoded, and
//! `next_page_param()` and `.stream()` walking a whole list against a real
//! server.

mod common;

use std::pin::Pin;

use common::*;
use fixture_client::Page;
use fixture_client::runtime::__private::PagedRequest;
use fixture_client::runtime::{PageStream, PaginationStyle};
use fixture_client::types::{Colour, Widget};
use futures_core::Stream;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn widgets(ids: &[&str]) -> Value {
    // mixes the id aliases, as list responses do
    Value::Array(
        ids.iter()
            .enumerate()
            .map(|(i, id)| {
                let name = ["widget_id", "_id", "id"][i % 3];
                json!({name: id, "archived_at": null})
            })
            .collect(),
    )
}

fn ids(page: &Page<Widget>) -> Vec<&str> {
    page.iter().map(|w| w.widget_id.as_str()).collect()
}

async fn serve_page(server: &MockServer, full_path: &str, param: (&str, &str), body: Value) {
    Mock::given(method("GET"))
        .and(path(full_path))
        .and(query_param(param.0, param.1))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn list_sends_every_query_parameter_type_under_its_wire_name() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets",
        200,
        json!({"widgets": [], "pagination": {}}),
    )
    .await;
    let c = client(&server);
    c.widgets()
        .list()
        .page(2)
        .limit(50)
        .colour(Colour::DarkBlue)
        .visible(true)
        .since("2024-05-01T10:00:00+02:00")
        .min_ratio(0.25)
        .search("blue sky")
        .send()
        .await
        .unwrap();
    c.widgets().list().send().await.unwrap();
    c.widgets()
        .list()
        .visible(false)
        .min_ratio(0)
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    let pairs: Vec<(String, String)> = query_pairs(&sent[0]);
    let expected: Vec<(String, String)> = [
        ("page", "2"),
        ("limit", "50"),
        ("colour", "dark_blue"),
        ("visible", "true"),
        ("since", "2024-05-01T10:00:00+02:00"),
        ("min_ratio", "0.25"),
        ("q", "blue sky"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected);
    // `search` is the Rust name; the wire name `q` is what is sent
    assert!(!raw_query(&sent[0]).unwrap().contains("search="));
    // unset optional parameters are not sent at all (the server applies its defaults)
    assert_eq!(raw_query(&sent[1]), None);
    assert_eq!(raw_query(&sent[2]), Some("visible=false&min_ratio=0.0"));
}

#[tokio::test]
async fn page_style_decodes_items_totals_and_the_next_page() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets",
        200,
        json!({
            "status": "success",
            "widgets": widgets(&["a", "b"]),
            "pagination": {"page": 2, "limit": 2, "total_pages": 3, "total_items": 6},
            "facets": {"red": 1}
        }),
    )
    .await;
    let page = client(&server)
        .widgets()
        .list()
        .page(2)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&page), ["a", "b"]);
    assert_eq!(page.len(), 2);
    assert_eq!(page.info.style, PaginationStyle::Page);
    assert_eq!(page.info.page, Some(2));
    assert_eq!(page.info.limit, Some(2));
    assert_eq!(page.info.total_pages, Some(3));
    assert_eq!(page.info.total_items, Some(6));
    assert_eq!(page.next_page_param(), Some(3));
    assert!(page.has_more());
    // unknown top-level keys are kept; `status` and the metadata are not
    assert_eq!(
        Value::Object(page.extra.clone()),
        json!({"facets": {"red": 1}})
    );
    for w in &page {
        assert!(w.extra.is_empty(), "{:?}", w.extra);
    }
}

#[tokio::test]
async fn page_style_walks_every_page() {
    let server = MockServer::start().await;
    let pages = [
        ("1", vec!["a", "b"]),
        ("2", vec!["c", "d"]),
        ("3", vec!["e"]),
    ];
    for (number, items) in &pages {
        let n: u64 = number.parse().unwrap();
        serve_page(
            &server,
            "/v2/widgets",
            ("page", number),
            json!({
                "widgets": widgets(items),
                "pagination": {"page": n, "limit": 2, "total_pages": 3, "total_items": 5}
            }),
        )
        .await;
    }
    let c = client(&server);
    let mut seen = Vec::new();
    let mut next = Some(1);
    while let Some(page_number) = next {
        let page = c
            .widgets()
            .list()
            .page(page_number as i64)
            .limit(2)
            .send()
            .await
            .unwrap();
        seen.extend(ids(&page).into_iter().map(str::to_owned));
        next = page.next_page_param();
    }
    assert_eq!(seen, ["a", "b", "c", "d", "e"]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    for (request, (number, _)) in sent.iter().zip(&pages) {
        assert_eq!(
            raw_query(request),
            Some(format!("page={number}&limit=2").as_str())
        );
    }
}

#[tokio::test]
async fn skip_style_decodes_and_walks_by_items_returned() {
    let server = MockServer::start().await;
    serve_page(
        &server,
        "/v2/widgets/by-skip",
        ("skip", "0"),
        json!({"widgets": widgets(&["a", "b"]), "pagination": {"total_items": 3, "limit": 2, "skip": 0}}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets/by-skip",
        ("skip", "2"),
        json!({"widgets": widgets(&["c"]), "pagination": {"total_items": 3, "limit": 2, "skip": 2}}),
    )
    .await;
    let c = client(&server);
    let first = c
        .widgets()
        .list_by_skip()
        .skip(0)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(first.info.style, PaginationStyle::Skip);
    assert_eq!(
        (first.info.skip, first.info.limit, first.info.total_items),
        (Some(0), Some(2), Some(3))
    );
    assert_eq!(first.next_page_param(), Some(2));
    let second = c
        .widgets()
        .list_by_skip()
        .skip(first.next_page_param().unwrap() as i64)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&second), ["c"]);
    assert_eq!(second.next_page_param(), None);
    assert!(!second.has_more());
    let queries: Vec<Option<String>> = requests(&server)
        .await
        .iter()
        .map(|r| raw_query(r).map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("skip=0&limit=2".to_owned()),
            Some("skip=2&limit=2".to_owned())
        ]
    );
}

#[tokio::test]
async fn offset_style_reads_top_level_totals_and_walks() {
    let server = MockServer::start().await;
    serve_page(
        &server,
        "/v2/widgets/by-offset",
        ("offset", "0"),
        json!({"widgets": widgets(&["a", "b"]), "total": 4, "limit": 2, "offset": 0, "cursor_hint": "x"}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets/by-offset",
        ("offset", "2"),
        json!({"widgets": widgets(&["c", "d"]), "total": 4, "limit": 2, "offset": 2}),
    )
    .await;
    let c = client(&server);
    let mut all = Vec::new();
    let mut infos = Vec::new();
    let mut next = Some(0);
    while let Some(offset) = next {
        let page = c
            .widgets()
            .list_by_offset()
            .offset(offset as i64)
            .limit(2)
            .send()
            .await
            .unwrap();
        all.extend(page.iter().map(|w| w.widget_id.clone()));
        infos.push((
            page.info.style,
            page.info.offset,
            page.info.limit,
            page.info.total_items,
            page.extra.clone(),
        ));
        next = page.next_page_param();
    }
    assert_eq!(all, ["a", "b", "c", "d"]);
    assert_eq!(infos.len(), 2);
    assert_eq!(
        (infos[0].0, infos[0].1, infos[0].2, infos[0].3),
        (PaginationStyle::Offset, Some(0), Some(2), Some(4))
    );
    assert_eq!(
        Value::Object(infos[0].4.clone()),
        json!({"cursor_hint": "x"})
    );
    assert_eq!((infos[1].1, infos[1].3), (Some(2), Some(4)));
    assert!(infos[1].4.is_empty());
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn without_totals_a_short_page_is_the_last_and_an_empty_page_ends() {
    let server = MockServer::start().await;
    serve_page(
        &server,
        "/v2/widgets",
        ("page", "1"),
        json!({"widgets": widgets(&["a", "b"]), "pagination": {"page": 1, "limit": 2}}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets",
        ("page", "2"),
        json!({"widgets": widgets(&["c"]), "pagination": {"page": 2, "limit": 2}}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets/by-skip",
        ("skip", "5"),
        json!({"widgets": [], "pagination": {"skip": 5, "limit": 2, "total_items": 99}}),
    )
    .await;
    let c = client(&server);
    let full = c.widgets().list().page(1).send().await.unwrap();
    assert_eq!(full.next_page_param(), Some(2));
    let short = c.widgets().list().page(2).send().await.unwrap();
    assert_eq!(short.next_page_param(), None);
    let empty = c.widgets().list_by_skip().skip(5).send().await.unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.next_page_param(), None);
}

#[tokio::test]
async fn a_list_without_its_items_key_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets",
        200,
        json!({"items": [], "pagination": {"page": 1}}),
    )
    .await;
    let err = client(&server).widgets().list().send().await.unwrap_err();
    match err {
        fixture_client::Error::Decode {
            operation, message, ..
        } => {
            assert_eq!(operation, "widgets.list");
            assert!(message.contains("`widgets`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// Drains a `.stream()` of every item (and error) it yields.
async fn drain<R: PagedRequest>(mut stream: PageStream<R>) -> Vec<fixture_client::Result<R::Item>> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        out.push(item);
        assert!(out.len() < 100, "the stream does not end");
    }
    out
}

fn stream_ids(items: Vec<fixture_client::Result<Widget>>) -> Vec<String> {
    items
        .into_iter()
        .map(|r| r.expect("a stream item").widget_id.into_string())
        .collect()
}

#[tokio::test]
async fn page_style_stream_walks_every_page_keeping_the_filters() {
    let server = MockServer::start().await;
    // the first request carries no `page`: the server starts at 1
    Mock::given(method("GET"))
        .and(path("/v2/widgets"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "widgets": widgets(&["a", "b"]),
            "pagination": {"page": 1, "limit": 2, "total_pages": 3}
        })))
        .mount(&server)
        .await;
    for (number, items) in [(2, vec!["c", "d"]), (3, vec!["e"])] {
        serve_page(
            &server,
            "/v2/widgets",
            ("page", &number.to_string()),
            json!({
                "widgets": widgets(&items),
                "pagination": {"page": number, "limit": 2, "total_pages": 3}
            }),
        )
        .await;
    }
    let stream = client(&server)
        .widgets()
        .list()
        .limit(2)
        .colour(Colour::Red)
        .search("s")
        .stream();
    assert_eq!(stream_ids(drain(stream).await), ["a", "b", "c", "d", "e"]);
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| raw_query(r).unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2&colour=red&q=s",
            "page=2&limit=2&colour=red&q=s",
            "page=3&limit=2&colour=red&q=s",
        ]
    );
}

#[tokio::test]
async fn skip_and_offset_streams_advance_by_the_items_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/widgets/by-skip"))
        .and(query_param_is_missing("skip"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "widgets": widgets(&["a", "b"]),
            "pagination": {"skip": 0, "limit": 2, "total_items": 3}
        })))
        .mount(&server)
        .await;
    serve_page(
        &server,
        "/v2/widgets/by-skip",
        ("skip", "2"),
        json!({"widgets": widgets(&["c"]), "pagination": {"skip": 2, "limit": 2, "total_items": 3}}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets/by-offset",
        ("offset", "10"),
        json!({"widgets": widgets(&["x", "y"]), "total": 13, "limit": 2, "offset": 10}),
    )
    .await;
    serve_page(
        &server,
        "/v2/widgets/by-offset",
        ("offset", "12"),
        json!({"widgets": widgets(&["z"]), "total": 13, "limit": 2, "offset": 12}),
    )
    .await;
    let c = client(&server);
    let skipped = drain(c.widgets().list_by_skip().limit(2).stream()).await;
    assert_eq!(stream_ids(skipped), ["a", "b", "c"]);
    let offset = drain(c.widgets().list_by_offset().offset(10).limit(2).stream()).await;
    assert_eq!(stream_ids(offset), ["x", "y", "z"]);
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{}?{}", raw_path(r), raw_query(r).unwrap_or("")))
        .collect();
    assert_eq!(
        queries,
        [
            "/v2/widgets/by-skip?limit=2",
            "/v2/widgets/by-skip?skip=2&limit=2",
            "/v2/widgets/by-offset?offset=10&limit=2",
            "/v2/widgets/by-offset?offset=12&limit=2",
        ]
    );
}

#[tokio::test]
async fn a_capped_stream_fetches_no_further_page() {
    let server = MockServer::start().await;
    for number in 1..=3 {
        serve_page(
            &server,
            "/v2/widgets",
            ("page", &number.to_string()),
            json!({
                "widgets": widgets(&[&format!("p{number}a"), &format!("p{number}b")]),
                "pagination": {"page": number, "limit": 2, "total_pages": 3}
            }),
        )
        .await;
    }
    let stream = client(&server)
        .widgets()
        .list()
        .page(1)
        .limit(2)
        .stream()
        .max_items(3);
    assert_eq!(stream_ids(drain(stream).await), ["p1a", "p1b", "p2a"]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_one_error() {
    let server = MockServer::start().await;
    serve_page(
        &server,
        "/v2/widgets",
        ("page", "1"),
        json!({"widgets": widgets(&["a"]), "pagination": {"page": 1, "total_pages": 2}}),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2/widgets"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "boom"})))
        .mount(&server)
        .await;
    let items = drain(
        client(&server)
            .widgets()
            .list()
            .page(1)
            .options(fixture_client::RequestOptions::new().max_retries(0))
            .stream(),
    )
    .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().widget_id, "a");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.operation(), Some("widgets.list"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn out_of_range_parameters_fail_the_stream_before_sending() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"widgets": []})),
    )
    .await;
    let items = drain(client(&server).widgets().list().limit(0).stream()).await;
    assert_eq!(items.len(), 1);
    assert_invalid(
        items[0].as_ref().unwrap_err(),
        "widgets.list",
        "limit",
        "got 0",
    );
    assert!(requests(&server).await.is_empty());
}
