//! Open enums (`Colour`, and the generated `Scope`) and unions (`StringOrList`):
//! conversions, serde, and how they travel in queries and bodies.

mod common;

use std::str::FromStr;

use common::*;
use fixture_client::types::{Colour, StringOrList, Widget};
use fixture_client::{Scope, scopes};
use serde_json::{Value, json};
use wiremock::MockServer;

const WIRE: [(&str, Colour); 3] = [
    ("red", Colour::Red),
    ("dark_blue", Colour::DarkBlue),
    ("createdAt", Colour::CreatedAt),
];

#[test]
fn known_colours_map_to_their_variants_both_ways() {
    for (text, colour) in WIRE {
        assert_eq!(colour.as_str(), text);
        assert_eq!(colour.to_string(), text);
        assert_eq!(Colour::from(text), colour);
        assert_eq!(Colour::from_str(text), Ok(colour.clone()));
        assert_eq!(text.parse::<Colour>(), Ok(colour.clone()));
        assert_eq!(serde_json::to_value(&colour).unwrap(), json!(text));
        assert_eq!(
            serde_json::from_value::<Colour>(json!(text)).unwrap(),
            colour
        );
    }
}

#[test]
fn known_lists_every_spec_value_in_order() {
    assert_eq!(
        Colour::KNOWN,
        &[Colour::Red, Colour::DarkBlue, Colour::CreatedAt]
    );
    let spec = spec();
    let values: Vec<String> = spec["schemas"]["Colour"]["enum"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| match v.as_str() {
            Some(text) => text.to_owned(),
            None => v["value"].as_str().unwrap().to_owned(),
        })
        .collect();
    let known: Vec<&str> = Colour::KNOWN.iter().map(Colour::as_str).collect();
    assert_eq!(known, values);
    for colour in Colour::KNOWN {
        assert_eq!(&Colour::from(colour.as_str()), colour);
    }
}

#[test]
fn the_camel_case_value_gets_a_pascal_case_variant() {
    // `createdAt` → `CreatedAt`, not `Createdat` or `CreatedAT`
    assert_eq!(Colour::from("createdAt"), Colour::CreatedAt);
    assert_eq!(Colour::CreatedAt.as_str(), "createdAt");
    // matching is exact: other spellings are unknown values, kept as sent
    for other in ["created_at", "CreatedAt", "createdat", "Red", "RED", " red"] {
        let unknown = Colour::from(other);
        assert!(!Colour::KNOWN.contains(&unknown), "{other}");
        assert_eq!(unknown.as_str(), other);
    }
}

#[test]
fn the_documented_variant_behaves_like_any_other() {
    assert_eq!(Colour::from("dark_blue"), Colour::DarkBlue);
    assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
    assert_eq!(format!("{}", Colour::DarkBlue), "dark_blue");
    assert!(Colour::KNOWN.contains(&Colour::DarkBlue));
    // and its description from the spec is its doc comment
    let source = include_str!("../src/generated/common.rs");
    assert!(
        source.contains("/// The darker blue. (`dark_blue`)\n    DarkBlue,"),
        "DarkBlue is not documented with the spec's description"
    );
}

#[test]
fn unknown_colours_keep_their_text() {
    let purple = Colour::from("ultra-violet ☂");
    assert_eq!(purple, Colour::from("ultra-violet ☂"));
    assert_eq!(purple.as_str(), "ultra-violet ☂");
    assert_eq!(purple.to_string(), "ultra-violet ☂");
    assert_eq!(
        serde_json::to_string(&purple).unwrap(),
        "\"ultra-violet ☂\""
    );
    let decoded: Colour = serde_json::from_str("\"teal\"").unwrap();
    assert_eq!(decoded, Colour::from("teal"));
    assert_eq!(serde_json::to_string(&decoded).unwrap(), "\"teal\"");
    assert_eq!("mauve".parse::<Colour>(), Ok(Colour::from("mauve")));
    // an enum value must still be a string
    assert!(serde_json::from_value::<Colour>(json!(3)).is_err());
}

#[tokio::test]
async fn colours_travel_as_their_wire_text_in_queries_and_bodies() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/v2/widgets", 200, json!({"count": 3})).await;
    answer(
        &server,
        "POST",
        "/v2/widgets",
        201,
        json!({"widget": minimal_widget_json("w")}),
    )
    .await;
    let c = client(&server);
    c.widgets()
        .count()
        .colour(Colour::CreatedAt)
        .send()
        .await
        .unwrap();
    c.widgets().count().colour("neon").send().await.unwrap();
    c.widgets()
        .create("n")
        .colour(Colour::DarkBlue)
        .send()
        .await
        .unwrap();
    c.widgets()
        .create("n")
        .colour(Colour::from("neon"))
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(
        raw_query(&sent[0]),
        Some("count_only=true&colour=createdAt")
    );
    assert_eq!(raw_query(&sent[1]), Some("count_only=true&colour=neon"));
    assert_eq!(
        body_json(&sent[2]),
        json!({"name": "n", "colour": "dark_blue"})
    );
    assert_eq!(body_json(&sent[3]), json!({"name": "n", "colour": "neon"}));
}

#[test]
fn scope_constants_are_the_spec_scopes() {
    assert_eq!(
        scopes::ALL,
        &[
            scopes::WIDGETS_READ,
            scopes::WIDGETS_WRITE,
            scopes::WIDGETS_DESTROY
        ]
    );
    let spec = spec();
    let declared = spec["scopes"].as_mapping().unwrap();
    assert_eq!(declared.len(), scopes::ALL.len());
    for ((name, _), scope) in declared.iter().zip(scopes::ALL) {
        let name = name.as_str().unwrap();
        assert_eq!(scope.as_str(), name);
        assert_eq!(scope.to_string(), name);
        assert_eq!(&Scope::from(name), scope);
        assert_eq!(serde_json::to_value(scope).unwrap(), json!(name));
        assert_eq!(
            &serde_json::from_value::<Scope>(json!(name)).unwrap(),
            scope
        );
    }
    assert_eq!(scopes::OPT_IN, &[scopes::WIDGETS_DESTROY]);
    // Each constant is documented with the spec's description.
    let source = include_str!("../src/generated/scopes.rs");
    assert!(
        source.contains("/// `widgets:read`: Read widgets.\npub const WIDGETS_READ: Scope"),
        "{source}"
    );
}

#[test]
fn unknown_scopes_keep_their_text() {
    let scope = Scope::from("widgets:admin");
    assert_eq!(scope.as_str(), "widgets:admin");
    assert!(!scopes::ALL.contains(&scope));
    let decoded: Vec<Scope> =
        serde_json::from_str(r#"["widgets:read","billing:*","widgets:destroy"]"#).unwrap();
    assert_eq!(
        decoded,
        [
            scopes::WIDGETS_READ,
            Scope::from("billing:*"),
            scopes::WIDGETS_DESTROY
        ]
    );
    assert_eq!(
        serde_json::to_string(&decoded).unwrap(),
        r#"["widgets:read","billing:*","widgets:destroy"]"#
    );
}

#[test]
fn string_or_list_decodes_either_shape() {
    let one: StringOrList = serde_json::from_value(json!("solo")).unwrap();
    assert_eq!(one, StringOrList::One("solo".into()));
    let many: StringOrList = serde_json::from_value(json!(["a", "b"])).unwrap();
    assert_eq!(many, StringOrList::Many(vec!["a".into(), "b".into()]));
    let empty: StringOrList = serde_json::from_value(json!([])).unwrap();
    assert_eq!(empty, StringOrList::Many(vec![]));
    for bad in [json!(1), json!(null), json!([1]), json!({"one": "x"})] {
        assert!(
            serde_json::from_value::<StringOrList>(bad.clone()).is_err(),
            "{bad} decoded"
        );
    }
}

#[test]
fn string_or_list_conversions_and_untagged_serialisation() {
    assert_eq!(StringOrList::from("x"), StringOrList::One("x".into()));
    assert_eq!(
        StringOrList::from(String::from("y")),
        StringOrList::One("y".into())
    );
    assert_eq!(
        StringOrList::from(vec!["a".to_owned(), "b".to_owned()]),
        StringOrList::Many(vec!["a".into(), "b".into()])
    );
    assert_eq!(
        serde_json::to_value(StringOrList::from("x")).unwrap(),
        json!("x")
    );
    assert_eq!(
        serde_json::to_value(StringOrList::from(vec!["a".to_owned()])).unwrap(),
        json!(["a"])
    );
    // no tag, no variant name anywhere
    let text = serde_json::to_string(&StringOrList::from(vec!["a".to_owned()])).unwrap();
    assert_eq!(text, r#"["a"]"#);
}

#[tokio::test]
async fn unions_travel_untagged_in_bodies_and_responses() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v2/widgets",
        201,
        json!({"widget": {"widget_id": "w", "archived_at": null, "tags": "one-tag"}}),
    )
    .await;
    answer(
        &server,
        "GET",
        "/v2/widgets/search",
        200,
        json!({"widgets": [
            {"widget_id": "a", "archived_at": null, "tags": "t"},
            {"widget_id": "b", "archived_at": null, "tags": ["t", "u"]},
            {"widget_id": "c", "archived_at": null}
        ]}),
    )
    .await;
    let c = client(&server);
    let created = c.widgets().create("n").tags("x").send().await.unwrap();
    assert_eq!(created.tags, Some(StringOrList::One("one-tag".into())));
    c.widgets()
        .create("n")
        .tags(vec!["x".to_owned(), "y".to_owned()])
        .send()
        .await
        .unwrap();
    c.widgets()
        .create("n")
        .tags(String::from("z"))
        .send()
        .await
        .unwrap();
    let found: Vec<Widget> = c.widgets().search("t").send().await.unwrap();
    let tags: Vec<Option<StringOrList>> = found.into_iter().map(|w| w.tags).collect();
    assert_eq!(
        tags,
        [
            Some(StringOrList::One("t".into())),
            Some(StringOrList::Many(vec!["t".into(), "u".into()])),
            None
        ]
    );
    let bodies: Vec<Value> = requests(&server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(body_json)
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"name": "n", "tags": "x"}),
            json!({"name": "n", "tags": ["x", "y"]}),
            json!({"name": "n", "tags": "z"})
        ]
    );
}
