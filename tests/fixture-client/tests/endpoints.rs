//! Endpoints: methods, paths (with percent-encoding), query parameters (required,
//! fixed, renamed), named and inline bodies, response keys, statuses, whole-body
//! and empty responses, and the Authorization header, all on the wire.

mod common;

use std::time::Duration;

use common::*;
use fixture_client::types::{Colour, Dimensions, Widget, WidgetStats};
use fixture_client::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One body every endpoint's decoder accepts.
fn universal_body() -> Value {
    json!({
        "status": "success",
        "widgets": [],
        "widget": minimal_widget_json("w"),
        "count": 1,
        "total": 1,
        "part": null,
        "message": "pong"
    })
}

/// Calls every endpoint once, returning (name, expected method, expected raw
/// path, sends a key?, outcome), in spec order.
async fn call_every_endpoint(
    c: &Client,
) -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    bool,
    Result<(), Error>,
)> {
    let w = c.widgets();
    vec![
        (
            "list",
            "GET",
            "/v2/widgets",
            true,
            w.list().send().await.map(drop),
        ),
        (
            "list_by_skip",
            "GET",
            "/v2/widgets/by-skip",
            true,
            w.list_by_skip().send().await.map(drop),
        ),
        (
            "list_by_offset",
            "GET",
            "/v2/widgets/by-offset",
            true,
            w.list_by_offset().send().await.map(drop),
        ),
        (
            "search",
            "GET",
            "/v2/widgets/search",
            true,
            w.search("x").send().await.map(drop),
        ),
        (
            "count",
            "GET",
            "/v2/widgets",
            true,
            w.count().send().await.map(drop),
        ),
        (
            "get",
            "GET",
            "/v2/widgets/w_1",
            true,
            w.get("w_1").send().await.map(drop),
        ),
        (
            "get_part",
            "GET",
            "/v2/widgets/w_1/parts/2",
            true,
            w.get_part("w_1", 2).send().await.map(drop),
        ),
        (
            "stats",
            "GET",
            "/v2/widgets/stats",
            true,
            w.stats().send().await.map(drop),
        ),
        (
            "create",
            "POST",
            "/v2/widgets",
            true,
            w.create("n").send().await.map(drop),
        ),
        (
            "update",
            "PATCH",
            "/v2/widgets/w_1",
            true,
            w.update("w_1").send().await.map(drop),
        ),
        (
            "tag",
            "POST",
            "/v2/widgets/w_1/tags",
            true,
            w.tag("w_1", ["t"], 1.0).send().await.map(drop),
        ),
        (
            "delete",
            "DELETE",
            "/v2/widgets/w_1",
            true,
            w.delete("w_1").send().await,
        ),
        (
            "ping",
            "GET",
            "/v2/ping",
            false,
            w.ping().send().await.map(drop),
        ),
    ]
}

#[tokio::test]
async fn every_endpoint_sends_its_method_path_and_key() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(universal_body()),
    )
    .await;
    let outcomes = call_every_endpoint(&client(&server)).await;
    let sent = requests(&server).await;
    assert_eq!(
        outcomes.len(),
        spec_endpoints().len(),
        "an endpoint is untested"
    );
    assert_eq!(sent.len(), outcomes.len());
    for ((name, verb, path, auth, outcome), request) in outcomes.into_iter().zip(&sent) {
        outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(request.method.as_str(), verb, "{name}");
        assert_eq!(raw_path(request), path, "{name}");
        assert_eq!(
            header(request, "accept"),
            Some("application/json"),
            "{name}"
        );
        match auth {
            true => assert_eq!(
                header(request, "authorization"),
                Some("Bearer sk_fixture"),
                "{name}"
            ),
            false => assert!(
                !request.headers.contains_key("authorization"),
                "{name} sent {:?}",
                request.headers.get("authorization")
            ),
        }
        // only endpoints with a body send one
        let has_body = matches!(name, "create" | "update" | "tag");
        assert_eq!(
            header(request, "content-type"),
            has_body.then_some("application/json"),
            "{name}"
        );
        assert_eq!(!request.body.is_empty(), has_body, "{name}");
    }
}

#[tokio::test]
async fn ping_sends_no_key_and_unwraps_the_message() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/ping",
        200,
        json!({"status": "success", "message": "pong"}),
    )
    .await;
    let message: String = client(&server).widgets().ping().send().await.unwrap();
    assert_eq!(message, "pong");
    let request = only_request(&server).await;
    assert!(!request.headers.contains_key("authorization"));
    assert!(
        request
            .headers
            .values()
            .all(|v| !v.to_str().unwrap_or("").contains(KEY)),
        "the key leaked into a header: {:?}",
        request.headers
    );
}

#[tokio::test]
async fn paths_are_relative_to_the_base_url() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(universal_body()),
    )
    .await;
    bare_client(&server)
        .widgets()
        .get("w")
        .send()
        .await
        .unwrap();
    let with_slash = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2/", server.uri()))
        .build()
        .unwrap();
    with_slash.widgets().get("w").send().await.unwrap();
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| raw_path(r).to_owned())
        .collect();
    assert_eq!(paths, ["/widgets/w", "/v2/widgets/w"]);
}

#[tokio::test]
async fn search_takes_its_required_query_parameter_as_an_argument() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets/search",
        200,
        json!({"status": "success", "widgets": [
            {"_id": "a", "archived_at": null},
            {"id": "b", "archived_at": null, "label": "B"}
        ], "took_ms": 3}),
    )
    .await;
    let found: Vec<Widget> = client(&server)
        .widgets()
        .search("blue & green/1")
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = found.iter().map(|w| w.widget_id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(found[1].title.as_deref(), Some("B"));
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        [("term".to_owned(), "blue & green/1".to_owned())]
    );
    assert_eq!(raw_query(&request), Some("term=blue+%26+green%2F1"));
}

#[tokio::test]
async fn count_sends_its_fixed_query_first_and_unwraps_the_count() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets",
        200,
        json!({"status": "success", "count": 42}),
    )
    .await;
    let c = client(&server);
    assert_eq!(c.widgets().count().send().await.unwrap(), 42);
    assert_eq!(
        c.widgets()
            .count()
            .colour(Colour::Red)
            .send()
            .await
            .unwrap(),
        42
    );
    let sent = requests(&server).await;
    assert_eq!(raw_query(&sent[0]), Some("count_only=true"));
    assert_eq!(raw_query(&sent[1]), Some("count_only=true&colour=red"));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(universal_body()),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    w.get("a/b c").send().await.unwrap();
    w.get("ü?#%").send().await.unwrap();
    w.get_part("a/b c", 7).send().await.unwrap();
    w.update("a/b c").send().await.unwrap();
    w.tag("a/b c", ["t"], 1.0).send().await.unwrap();
    w.delete("a/b c").send().await.unwrap();
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| raw_path(r).to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v2/widgets/a%2Fb%20c",
            "/v2/widgets/%C3%BC%3F%23%25",
            "/v2/widgets/a%2Fb%20c/parts/7",
            "/v2/widgets/a%2Fb%20c",
            "/v2/widgets/a%2Fb%20c/tags",
            "/v2/widgets/a%2Fb%20c",
        ]
    );
}

#[tokio::test]
async fn dot_and_empty_path_parameters_are_refused_before_sending() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(universal_body()),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    for id in ["", ".", ".."] {
        let err = w.get(id).send().await.unwrap_err();
        assert_invalid(&err, "widgets.get", "widget_id", "must not be empty");
        let err = w.delete(id).send().await.unwrap_err();
        assert_invalid(&err, "widgets.delete", "widget_id", "must not be empty");
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn get_part_fills_a_string_and_an_integer_path_parameter() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets/w_1/parts/0",
        200,
        json!({"part": {"name": "axle", "mass": 1.25}}),
    )
    .await;
    answer(
        &server,
        "GET",
        "/v2/widgets/w_1/parts/9000000000",
        200,
        json!({"part": [1, 2]}),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    // `index` takes anything that converts into i64
    let part: Value = w.get_part("w_1", 0u8).send().await.unwrap();
    assert_eq!(part, json!({"name": "axle", "mass": 1.25}));
    let part = w
        .get_part(String::from("w_1"), 9_000_000_000_i64)
        .send()
        .await
        .unwrap();
    assert_eq!(part, json!([1, 2]));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn stats_needs_no_scope_but_sends_the_key_and_decodes_the_whole_body() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets/stats",
        200,
        json!({"total": 7, "by_colour": {"red": 3, "dark_blue": 4}, "generated": "now"}),
    )
    .await;
    let stats: WidgetStats = client(&server).widgets().stats().send().await.unwrap();
    assert_eq!(stats.total, 7);
    assert_eq!(
        stats.by_colour,
        Some([("dark_blue".to_owned(), 4), ("red".to_owned(), 3)].into())
    );
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer sk_fixture"));
}

#[tokio::test]
async fn stats_without_its_required_total_is_a_decode_error() {
    let server = MockServer::start().await;
    // an envelope is not what `stats` returns: it decodes the whole body
    answer(
        &server,
        "GET",
        "/v2/widgets/stats",
        200,
        json!({"status": "success", "stats": {"total": 1}}),
    )
    .await;
    let err = client(&server).widgets().stats().send().await.unwrap_err();
    match &err {
        Error::Decode {
            operation, message, ..
        } => {
            assert_eq!(*operation, "widgets.stats");
            assert!(message.contains("missing field `total`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_sends_the_named_body_and_decodes_the_201_widget() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v2/widgets",
        201,
        json!({"status": "success", "widget": {"_id": "w_new", "archived_at": null, "colour": "red"}}),
    )
    .await;
    let c = client(&server);
    let created: Widget = c
        .widgets()
        .create("Sprocket")
        .colour(Colour::DarkBlue)
        .tags("x")
        .priority(3)
        .weight(0.5)
        .send()
        .await
        .unwrap();
    assert_eq!(created.widget_id, "w_new");
    assert_eq!(created.colour, Some(Colour::Red));
    // only the required field; the server's default colour is not sent
    c.widgets()
        .create(String::from("Bare"))
        .send()
        .await
        .unwrap();
    // setters take anything convertible
    c.widgets()
        .create("Conv")
        .priority(5u8)
        .weight(2)
        .colour("createdAt")
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(
        body_json(&sent[0]),
        json!({"name": "Sprocket", "colour": "dark_blue", "tags": "x", "priority": 3, "weight": 0.5})
    );
    assert_eq!(body_json(&sent[1]), json!({"name": "Bare"}));
    assert_eq!(
        body_json(&sent[2]),
        json!({"name": "Conv", "colour": "createdAt", "priority": 5, "weight": 2.0})
    );
    assert_eq!(header(&sent[0], "content-type"), Some("application/json"));
}

#[tokio::test]
async fn update_sends_an_inline_body_with_only_what_was_set() {
    let server = MockServer::start().await;
    answer(
        &server,
        "PATCH",
        "/v2/widgets/w_1",
        200,
        json!({"widget": {"widget_id": "w_1", "archived_at": "2024-01-01T00:00:00Z", "label": "L"}}),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    let updated = w
        .update("w_1")
        .name("Renamed")
        .colour(Colour::CreatedAt)
        .ids(["a", "b", "c"])
        .dimensions(Dimensions {
            width: 3,
            visible: true,
            measured_at: Some("2024-05-01T10:00:00+02:00".into()),
            ..Dimensions::default()
        })
        .send()
        .await
        .unwrap();
    assert_eq!(updated.widget_id, "w_1");
    assert_eq!(updated.title.as_deref(), Some("L"));
    assert_eq!(
        updated.archived_at.as_ref().map(|t| t.as_str()),
        Some("2024-01-01T00:00:00Z")
    );
    w.update("w_1").send().await.unwrap();
    w.update("w_1")
        .ids(vec![String::from("only")])
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(
        body_json(&sent[0]),
        json!({
            "name": "Renamed",
            "colour": "createdAt",
            "ids": ["a", "b", "c"],
            "dimensions": {"width": 3, "visible": true, "measured_at": "2024-05-01T10:00:00+02:00"}
        })
    );
    assert_eq!(body_json(&sent[1]), json!({}));
    assert_eq!(body_json(&sent[2]), json!({"ids": ["only"]}));
}

#[tokio::test]
async fn tag_takes_required_body_fields_of_several_types_as_arguments() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v2/widgets/w_1/tags",
        200,
        json!({"tagged": 2, "tags": ["a", "b"]}),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    let result: Value = w.tag("w_1", ["a", "b"], 0.75).send().await.unwrap();
    // `response: { type: any }` without a key: the whole body
    assert_eq!(result, json!({"tagged": 2, "tags": ["a", "b"]}));
    w.tag("w_1", vec![String::from("c")], 2)
        .note("why")
        .send()
        .await
        .unwrap();
    w.tag("w_1", (1..=3).map(|i| format!("t{i}")), 1.5f32)
        .send()
        .await
        .unwrap();
    w.tag("w_1", Vec::<String>::new(), -1.0)
        .send()
        .await
        .unwrap();
    let bodies: Vec<Value> = requests(&server).await.iter().map(body_json).collect();
    assert_eq!(
        bodies,
        [
            json!({"tags": ["a", "b"], "weight": 0.75}),
            json!({"tags": ["c"], "weight": 2.0, "note": "why"}),
            json!({"tags": ["t1", "t2", "t3"], "weight": 1.5}),
            json!({"tags": [], "weight": -1.0}),
        ]
    );
}

#[tokio::test]
async fn delete_returns_unit_whatever_the_body() {
    let server = MockServer::start().await;
    let bodies = [
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "deleted": true})),
        ResponseTemplate::new(200),
        ResponseTemplate::new(204),
        ResponseTemplate::new(200).set_body_string("<html>not json</html>"),
        ResponseTemplate::new(202).set_body_string("accepted"),
    ];
    let count = bodies.len();
    for template in bodies {
        Mock::given(any())
            .respond_with(template)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    let w = c.widgets();
    for i in 0..count {
        let unit: () = w
            .delete("w_1")
            .send()
            .await
            .unwrap_or_else(|e| panic!("response {i}: {e}"));
        let () = unit;
    }
    let sent = requests(&server).await;
    assert_eq!(sent.len(), count);
    for request in &sent {
        assert_eq!(request.method.as_str(), "DELETE");
        assert_eq!(raw_path(request), "/v2/widgets/w_1");
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn delete_still_fails_on_an_error_status() {
    let server = MockServer::start().await;
    answer(
        &server,
        "DELETE",
        "/v2/widgets/w_1",
        404,
        json!({"error": "gone"}),
    )
    .await;
    let err = client(&server)
        .widgets()
        .delete("w_1")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn a_missing_response_key_is_a_decode_error_naming_it() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {}})),
    )
    .await;
    let c = client(&server);
    let w = c.widgets();
    let cases = [
        ("widgets.get", "widget", w.get("w").send().await.map(drop)),
        ("widgets.count", "count", w.count().send().await.map(drop)),
        ("widgets.ping", "message", w.ping().send().await.map(drop)),
        (
            "widgets.search",
            "widgets",
            w.search("x").send().await.map(drop),
        ),
        (
            "widgets.get_part",
            "part",
            w.get_part("w", 1).send().await.map(drop),
        ),
        (
            "widgets.create",
            "widget",
            w.create("n").send().await.map(drop),
        ),
    ];
    for (op, key, result) in cases {
        match result {
            Err(Error::Decode {
                operation,
                status,
                message,
                snippet,
            }) => {
                assert_eq!((operation, status), (op, 200));
                assert!(
                    message.contains(&format!("missing field `{key}`")),
                    "{op}: {message}"
                );
                assert!(snippet.contains("\"data\""), "{op}: {snippet}");
            }
            other => panic!("{op}: expected a Decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_per_request_timeout_applies() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(universal_body())
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let err = client(&server)
        .widgets()
        .get("w")
        .options(
            fixture_client::RequestOptions::new()
                .timeout(Duration::from_millis(100))
                .max_retries(0),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "widgets.get",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
}

/// The generated crate owns its `Client`: a resource named like a method of the
/// runtime's client (`execute`) is an ordinary accessor, and its request goes
/// out as the spec says.
#[tokio::test]
async fn a_resource_named_like_a_runtime_method_is_an_accessor() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v2/executions",
        200,
        json!({"status": "success", "execution_id": "ex_1"}),
    )
    .await;
    let id = client(&server).execute().run().send().await.unwrap();
    assert_eq!(id, "ex_1");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/v2/executions");
}

/// List query parameters go out in their declared style: `style: comma` as one
/// comma-joined value, `style: repeat` as one pair per item; unset lists not at all.
#[tokio::test]
async fn list_query_parameters_are_sent_in_their_declared_style() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "widgets": []})),
    )
    .await;
    let w = client(&server);
    w.widgets()
        .search("lamp")
        .colours([Colour::Red, Colour::DarkBlue])
        .tag(["a b", "c,d"])
        .send()
        .await
        .unwrap();
    w.widgets().search("lamp").send().await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(
        raw_query(&requests[0]),
        Some("term=lamp&colours=red%2Cdark_blue&tag=a+b&tag=c%2Cd")
    );
    assert_eq!(raw_query(&requests[1]), Some("term=lamp"));
}
