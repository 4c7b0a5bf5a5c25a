//! Client-side checks of `min`/`max` and `min_items`/`max_items`: a value out
//! of range fails before any request is sent, with an error naming the
//! parameter; the boundary values themselves are sent.

mod common;

use common::*;
use fixture_client::Error;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// A server that would answer any request successfully, so a check that does
/// not happen shows up as a request (and an `Ok`).
async fn permissive_server() -> MockServer {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "widgets": [],
            "widget": minimal_widget_json("w"),
            "part": 1
        })),
    )
    .await;
    server
}

/// Asserts `result` was refused on the client and nothing reached `server`.
async fn refused<T: std::fmt::Debug>(
    server: &MockServer,
    result: Result<T, Error>,
    operation: &str,
    parameter: &str,
    message: &str,
) {
    let err = match result {
        Ok(value) => panic!("`{parameter}` was not checked: got {value:?}"),
        Err(err) => err,
    };
    assert_invalid(&err, operation, parameter, message);
    let sent = requests(server).await;
    assert!(
        sent.is_empty(),
        "`{parameter}`: {} request(s) sent before the check failed",
        sent.len()
    );
}

#[tokio::test]
async fn list_limit_zero_is_refused() {
    let server = permissive_server().await;
    let result = client(&server).widgets().list().limit(0).send().await;
    refused(
        &server,
        result,
        "widgets.list",
        "limit",
        "`limit` must be between 1 and 100, got 0",
    )
    .await;
}

#[tokio::test]
async fn list_limit_101_is_refused() {
    let server = permissive_server().await;
    let result = client(&server).widgets().list().limit(101).send().await;
    refused(
        &server,
        result,
        "widgets.list",
        "limit",
        "`limit` must be between 1 and 100, got 101",
    )
    .await;
}

#[tokio::test]
async fn list_page_and_min_ratio_below_their_minimum_are_refused() {
    let server = permissive_server().await;
    let c = client(&server);
    let result = c.widgets().list().page(0).send().await;
    refused(
        &server,
        result,
        "widgets.list",
        "page",
        "`page` must be at least 1, got 0",
    )
    .await;
    let result = c.widgets().list().min_ratio(-0.5).send().await;
    refused(
        &server,
        result,
        "widgets.list",
        "min_ratio",
        "`min_ratio` must be at least 0, got -0.5",
    )
    .await;
    let result = c.widgets().list().min_ratio(f64::NAN).send().await;
    refused(
        &server,
        result,
        "widgets.list",
        "min_ratio",
        "must be a number",
    )
    .await;
}

#[tokio::test]
async fn skip_offset_and_their_limits_are_checked() {
    let server = permissive_server().await;
    let c = client(&server);
    let result = c.widgets().list_by_skip().skip(-1).send().await;
    refused(
        &server,
        result,
        "widgets.list_by_skip",
        "skip",
        "`skip` must be at least 0, got -1",
    )
    .await;
    let result = c.widgets().list_by_skip().limit(101).send().await;
    refused(
        &server,
        result,
        "widgets.list_by_skip",
        "limit",
        "`limit` must be between 1 and 100, got 101",
    )
    .await;
    let result = c.widgets().list_by_offset().offset(-1).send().await;
    refused(
        &server,
        result,
        "widgets.list_by_offset",
        "offset",
        "`offset` must be at least 0, got -1",
    )
    .await;
    let result = c.widgets().list_by_offset().limit(0).send().await;
    refused(
        &server,
        result,
        "widgets.list_by_offset",
        "limit",
        "`limit` must be between 1 and 100, got 0",
    )
    .await;
}

#[tokio::test]
async fn create_priority_six_is_refused() {
    let server = permissive_server().await;
    let result = client(&server)
        .widgets()
        .create("n")
        .priority(6)
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.create",
        "priority",
        "`priority` must be between 1 and 5, got 6",
    )
    .await;
    let result = client(&server)
        .widgets()
        .create("n")
        .priority(0)
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.create",
        "priority",
        "`priority` must be between 1 and 5, got 0",
    )
    .await;
}

#[tokio::test]
async fn create_weight_below_its_minimum_is_refused() {
    let server = permissive_server().await;
    let result = client(&server)
        .widgets()
        .create("n")
        .weight(0.1)
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.create",
        "weight",
        "`weight` must be at least 0.5, got 0.1",
    )
    .await;
    let result = client(&server)
        .widgets()
        .create("n")
        .weight(f64::NAN)
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.create",
        "weight",
        "must be a number",
    )
    .await;
}

#[tokio::test]
async fn update_ids_with_zero_items_is_refused() {
    let server = permissive_server().await;
    let result = client(&server)
        .widgets()
        .update("w")
        .ids(Vec::<String>::new())
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.update",
        "ids",
        "`ids` must have between 1 and 3 items, got 0",
    )
    .await;
}

#[tokio::test]
async fn update_ids_with_four_items_is_refused() {
    let server = permissive_server().await;
    let result = client(&server)
        .widgets()
        .update("w")
        .ids(["a", "b", "c", "d"])
        .send()
        .await;
    refused(
        &server,
        result,
        "widgets.update",
        "ids",
        "`ids` must have between 1 and 3 items, got 4",
    )
    .await;
}

#[tokio::test]
async fn tag_with_eleven_tags_is_refused() {
    let server = permissive_server().await;
    let tags: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    let result = client(&server).widgets().tag("w", tags, 1.0).send().await;
    refused(
        &server,
        result,
        "widgets.tag",
        "tags",
        "`tags` must have at most 10 items, got 11",
    )
    .await;
}

#[tokio::test]
async fn get_part_with_a_negative_index_is_refused() {
    let server = permissive_server().await;
    let result = client(&server).widgets().get_part("w", -1).send().await;
    refused(
        &server,
        result,
        "widgets.get_part",
        "index",
        "`index` must be at least 0, got -1",
    )
    .await;
}

#[tokio::test]
async fn boundary_values_are_sent() {
    let server = permissive_server().await;
    let c = client(&server);
    let w = c.widgets();
    let ten: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
    let outcomes: Vec<(&str, Result<(), Error>)> = vec![
        ("limit 1", w.list().limit(1).send().await.map(drop)),
        ("limit 100", w.list().limit(100).send().await.map(drop)),
        ("page 1", w.list().page(1).send().await.map(drop)),
        (
            "min_ratio 0",
            w.list().min_ratio(0.0).send().await.map(drop),
        ),
        ("skip 0", w.list_by_skip().skip(0).send().await.map(drop)),
        (
            "skip limit 100",
            w.list_by_skip().limit(100).send().await.map(drop),
        ),
        (
            "offset 0",
            w.list_by_offset().offset(0).send().await.map(drop),
        ),
        (
            "priority 1",
            w.create("n").priority(1).send().await.map(drop),
        ),
        (
            "priority 5",
            w.create("n").priority(5).send().await.map(drop),
        ),
        (
            "weight 0.5",
            w.create("n").weight(0.5).send().await.map(drop),
        ),
        ("ids 1", w.update("w").ids(["a"]).send().await.map(drop)),
        (
            "ids 3",
            w.update("w").ids(["a", "b", "c"]).send().await.map(drop),
        ),
        ("tags 10", w.tag("w", ten, 1.0).send().await.map(drop)),
        (
            "tags 0",
            w.tag("w", Vec::<String>::new(), 1.0).send().await.map(drop),
        ),
        (
            "tag weight below create's minimum",
            w.tag("w", ["a"], 0.1).send().await.map(drop),
        ),
        ("index 0", w.get_part("w", 0).send().await.map(drop)),
    ];
    let count = outcomes.len();
    for (case, outcome) in outcomes {
        outcome.unwrap_or_else(|e| panic!("{case}: {e}"));
    }
    assert_eq!(requests(&server).await.len(), count);
}
