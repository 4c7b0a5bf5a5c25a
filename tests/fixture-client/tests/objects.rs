//! Object schemas (`Widget`, `Dimensions`): every field type, required and
//! optional fields, renames, wire names, keyword fields, `additional: keep`,
//! aliased ids and the boxed self-reference, decoded from a real HTTP response
//! and serialised back.

mod common;

use std::collections::BTreeMap;

use common::*;
use fixture_client::Error;
use fixture_client::Timestamp;
use fixture_client::types::{Colour, Dimensions, StringOrList, Widget};
use serde_json::{Map, Value, json};
use wiremock::MockServer;

/// Serves `widget` as `GET /v2/widgets/{id}` and fetches it with the client.
async fn fetch(widget: Value) -> fixture_client::Result<Widget> {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v2/widgets/w_1",
        200,
        json!({"status": "success", "widget": widget}),
    )
    .await;
    let result = client(&server).widgets().get("w_1").send().await;
    assert_eq!(requests(&server).await.len(), 1);
    result
}

fn to_json(widget: &Widget) -> Value {
    serde_json::to_value(widget).expect("a widget serialises")
}

fn decode_message(result: fixture_client::Result<Widget>) -> String {
    match result {
        Err(Error::Decode {
            operation,
            status,
            message,
            ..
        }) => {
            assert_eq!((operation, status), ("widgets.get", 200));
            message
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_field_type_decodes_from_the_wire() {
    let w = fetch(full_widget_json()).await.unwrap();

    // string, keyword field, camelCase wire name, rust_name rename
    assert_eq!(w.widget_id, "w_1");
    assert_eq!(w.r#type.as_deref(), Some("gadget"));
    assert_eq!(w.display_name.as_deref(), Some("Big Sprocket"));
    assert_eq!(w.title.as_deref(), Some("Sprocket"));
    // references to an enum and a union
    assert_eq!(w.colour, Some(Colour::DarkBlue));
    assert_eq!(
        w.tags,
        Some(StringOrList::Many(vec!["a".into(), "b".into()]))
    );
    // integer[] (full i64 precision, negatives) and map<integer>
    assert_eq!(w.sizes, Some(vec![1, -2, 9_007_199_254_740_993]));
    assert_eq!(
        w.counts,
        Some(BTreeMap::from([
            ("blue".to_owned(), -1),
            ("red".to_owned(), 2)
        ]))
    );
    // required nullable datetime sent as null
    assert_eq!(w.archived_at, None);
    assert_eq!(w.legacy_code.as_deref(), Some("LC-1"));

    // Dimensions: every primitive type
    let d = w.dimensions.as_ref().expect("dimensions");
    assert_eq!(d.width, 120);
    assert_eq!(d.ratio, Some(1.5));
    assert!(d.visible);
    assert_eq!(
        d.measured_at.as_ref().map(Timestamp::as_str),
        Some("2024-05-01T10:00:00.123456+02:00")
    );
    assert_eq!(d.raw, Some(json!([1, "two", null, {"x": true}])));
    let mut blob = Map::new();
    blob.insert("k".into(), json!([1, 2]));
    blob.insert("n".into(), Value::Null);
    assert_eq!(d.blob, Some(blob));
}

#[tokio::test]
async fn serialising_writes_canonical_ids_and_kept_keys_back() {
    let w = fetch(full_widget_json()).await.unwrap();
    assert_eq!(to_json(&w), full_widget_canonical_json());
    // and the canonical form decodes to the same value
    let again: Widget = serde_json::from_value(full_widget_canonical_json()).unwrap();
    assert_eq!(again, w);
    // serialised text has each id key exactly once
    let text = serde_json::to_string(&w).unwrap();
    assert_eq!(text.matches("\"widget_id\"").count(), 5, "{text}");
    assert!(!text.contains("\"_id\""), "{text}");
    assert!(!text.contains("\"id\""), "{text}");
}

#[tokio::test]
async fn unknown_keys_are_kept_in_extra_and_known_ones_are_not() {
    let w = fetch(full_widget_json()).await.unwrap();
    assert_eq!(
        Value::Object(w.extra.clone()),
        json!({"zeta": {"nested": [1, 2.5, "x"]}, "vendor_flag": false})
    );
    // a kept key that collides with nothing is written back verbatim
    let mut w2 = w.clone();
    w2.extra.insert("added_later".into(), json!({"a": [null]}));
    assert_eq!(to_json(&w2)["added_later"], json!({"a": [null]}));
}

#[test]
fn absent_optional_fields_are_not_serialised_and_archived_at_is_null() {
    let w = Widget {
        widget_id: "w_9".into(),
        ..Widget::default()
    };
    assert_eq!(
        to_json(&w),
        json!({"widget_id": "w_9", "archived_at": null})
    );
    let w = Widget {
        widget_id: "w_9".into(),
        archived_at: Some(Timestamp::from("2024-02-29T23:59:59Z")),
        ..Widget::default()
    };
    assert_eq!(
        to_json(&w),
        json!({"widget_id": "w_9", "archived_at": "2024-02-29T23:59:59Z"})
    );
}

#[test]
fn renamed_camel_case_and_keyword_fields_use_their_wire_names() {
    let w = Widget {
        widget_id: "w_1".into(),
        r#type: Some("gadget".into()),
        display_name: Some("Shown".into()),
        title: Some("Titled".into()),
        ..Widget::default()
    };
    let value = to_json(&w);
    let object = value.as_object().unwrap();
    assert_eq!(object["type"], "gadget");
    assert_eq!(object["displayName"], "Shown");
    assert_eq!(object["label"], "Titled");
    for rust_name in ["r#type", "display_name", "title"] {
        assert!(!object.contains_key(rust_name), "{rust_name} in {value}");
    }
}

#[tokio::test]
async fn rust_names_on_the_wire_are_unknown_keys() {
    // `title` and `display_name` are Rust names, not wire names: they must not
    // fill the fields, and are kept in `extra` like any unknown key.
    let w = fetch(json!({
        "widget_id": "w_1",
        "archived_at": null,
        "title": "not the label",
        "display_name": "not displayName",
        "search": "x"
    }))
    .await
    .unwrap();
    assert_eq!(w.title, None);
    assert_eq!(w.display_name, None);
    assert_eq!(
        Value::Object(w.extra),
        json!({"title": "not the label", "display_name": "not displayName", "search": "x"})
    );
}

#[tokio::test]
async fn each_id_alias_alone_decodes_and_serialises_under_the_canonical_name() {
    for name in ["widget_id", "_id", "id"] {
        let w = fetch(json!({name: "w_alias", "archived_at": null, "other": 1}))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(w.widget_id, "w_alias", "{name}");
        assert_eq!(
            Value::Object(w.extra.clone()),
            json!({"other": 1}),
            "{name}"
        );
        assert_eq!(
            to_json(&w),
            json!({"widget_id": "w_alias", "archived_at": null, "other": 1}),
            "{name}"
        );
    }
}

#[tokio::test]
async fn id_aliases_together_are_not_duplicates_and_the_canonical_name_wins() {
    let w = fetch(json!({"id": "w_5", "_id": "w_5", "widget_id": "w_5", "archived_at": null}))
        .await
        .unwrap();
    assert_eq!(w.widget_id, "w_5");
    assert!(w.extra.is_empty(), "{:?}", w.extra);
    assert_eq!(to_json(&w), minimal_widget_json("w_5"));

    // differing values: canonical first, then `_id`, then `id`, whatever the key order
    let w = fetch(json!({"id": "old", "_id": "older", "widget_id": "new", "archived_at": null}))
        .await
        .unwrap();
    assert_eq!(w.widget_id, "new");
    assert!(w.extra.is_empty(), "{:?}", w.extra);
    let w = fetch(json!({"id": "short", "_id": "legacy", "archived_at": null}))
        .await
        .unwrap();
    assert_eq!(w.widget_id, "legacy");
    assert!(w.extra.is_empty(), "{:?}", w.extra);

    // a null under one name falls back to the next
    let w = fetch(json!({"widget_id": null, "id": "w_6", "archived_at": null}))
        .await
        .unwrap();
    assert_eq!(w.widget_id, "w_6");
    assert!(w.extra.is_empty(), "{:?}", w.extra);
}

#[tokio::test]
async fn a_missing_id_is_a_decode_error_naming_every_alias() {
    let message = decode_message(fetch(json!({"archived_at": null, "label": "x"})).await);
    assert!(
        message.contains("missing field widget_id (or _id, id)"),
        "{message}"
    );
    let message = decode_message(fetch(json!({"_id": null, "archived_at": null})).await);
    assert!(
        message.contains("missing field widget_id (or _id, id)"),
        "{message}"
    );
}

#[tokio::test]
async fn the_boxed_self_reference_and_children_nest() {
    let w = fetch(full_widget_json()).await.unwrap();
    let parent = w.parent.as_deref().expect("parent");
    assert_eq!(parent.widget_id, "w_0");
    assert_eq!(
        parent.archived_at.as_ref().map(Timestamp::as_str),
        Some("2023-01-01")
    );
    assert!(parent.extra.is_empty(), "{:?}", parent.extra);
    let grandparent = parent.parent.as_deref().expect("grandparent");
    assert_eq!(grandparent.widget_id, "w_root");
    assert!(grandparent.parent.is_none());

    let children = w.children.as_ref().expect("children");
    assert_eq!(children.len(), 2);
    assert_eq!(children[0].widget_id, "w_2");
    assert_eq!(children[1].widget_id, "w_3");
    assert_eq!(children[1].colour, Some(Colour::from("ultraviolet")));
    for child in children {
        assert!(child.extra.is_empty(), "{:?}", child.extra);
    }

    // built in Rust: Box for the parent, Vec for the children
    let tree = Widget {
        widget_id: "c".into(),
        parent: Some(Box::new(Widget {
            widget_id: "p".into(),
            ..Widget::default()
        })),
        children: Some(vec![Widget {
            widget_id: "gc".into(),
            ..Widget::default()
        }]),
        ..Widget::default()
    };
    assert_eq!(
        to_json(&tree),
        json!({
            "widget_id": "c",
            "parent": {"widget_id": "p", "archived_at": null},
            "children": [{"widget_id": "gc", "archived_at": null}],
            "archived_at": null
        })
    );
}

#[tokio::test]
async fn required_fields_of_a_nested_object_must_be_present() {
    let message = decode_message(
        fetch(json!({"widget_id": "w", "archived_at": null, "dimensions": {"width": 1}})).await,
    );
    assert!(message.contains("missing field `visible`"), "{message}");
    let message = decode_message(
        fetch(json!({"widget_id": "w", "archived_at": null, "dimensions": {"visible": true}}))
            .await,
    );
    assert!(message.contains("missing field `width`"), "{message}");
    // optional ones may be absent or null
    let w = fetch(json!({
        "widget_id": "w", "archived_at": null,
        "dimensions": {"width": 0, "visible": false, "ratio": null, "measured_at": null}
    }))
    .await
    .unwrap();
    assert_eq!(
        w.dimensions,
        Some(Dimensions {
            width: 0,
            visible: false,
            ..Dimensions::default()
        })
    );
}

#[tokio::test]
async fn field_types_are_enforced() {
    for (field, bad) in [
        ("sizes", json!(["1"])),
        ("counts", json!({"red": "2"})),
        ("counts", json!({"red": 1.5})),
        ("dimensions", json!({"width": 1.5, "visible": true})),
        ("dimensions", json!({"width": 1, "visible": "yes"})),
        (
            "dimensions",
            json!({"width": 1, "visible": true, "blob": [1]}),
        ),
        (
            "dimensions",
            json!({"width": 1, "visible": true, "ratio": "1.0"}),
        ),
        ("tags", json!(5)),
    ] {
        let result = fetch(json!({"widget_id": "w", "archived_at": null, field: bad})).await;
        let message = decode_message(result);
        assert!(
            message.contains("invalid type") || message.contains("did not match any variant"),
            "{field}: {message}"
        );
    }
}

#[tokio::test]
async fn any_accepts_every_json_value_and_number_accepts_integers() {
    for raw in [
        json!("text"),
        json!(3),
        json!(-2.5),
        json!(true),
        json!({"a": 1}),
    ] {
        let w = fetch(json!({
            "widget_id": "w", "archived_at": null,
            "dimensions": {"width": 1, "visible": true, "raw": raw.clone(), "ratio": 2}
        }))
        .await
        .unwrap();
        let d = w.dimensions.unwrap();
        assert_eq!(d.raw, Some(raw));
        assert_eq!(d.ratio, Some(2.0));
    }
}

#[tokio::test]
async fn datetimes_are_kept_as_the_exact_text_sent() {
    for text in [
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00.123456+02:00",
        "2024-05-01 10:00",
        "2024-05-01",
        "not a date at all",
    ] {
        let w = fetch(json!({"widget_id": "w", "archived_at": text}))
            .await
            .unwrap();
        let at = w.archived_at.clone().expect("archived_at");
        assert_eq!(at.as_str(), text);
        assert_eq!(at.to_string(), text);
        assert_eq!(to_json(&w)["archived_at"], text);
    }
}

#[test]
fn dimensions_serialise_required_fields_always_and_optional_ones_when_set() {
    let d = Dimensions {
        width: 0,
        visible: false,
        ..Dimensions::default()
    };
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"width": 0, "visible": false})
    );
    let d = Dimensions {
        width: 7,
        visible: true,
        ratio: Some(0.25),
        measured_at: Some("2024-01-01T00:00:00+00:00".into()),
        raw: Some(json!(null)),
        blob: Some(Map::new()),
    };
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({
            "width": 7, "ratio": 0.25, "visible": true,
            "measured_at": "2024-01-01T00:00:00+00:00", "raw": null, "blob": {}
        })
    );
}
