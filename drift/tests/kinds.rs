//! Every kind of drift, from crafted bodies against a small spec: what is
//! found, where it is located (file, line, spec path) and what edit is suggested.

use pathbound_drift::check::{Observations, check_body};
use pathbound_drift::{DriftKind, Report};
use pathbound_model::ast::SourceFile;

const SPEC: &str = "\
api:
  title: T
  version: \"1\"
  base_url: https://x.test/v1
  auth: { scheme: bearer, api_key_env: K, base_url_env: U }
schemas:
  Stage:
    description: A stage.
    enum: [lead, customer]
  Thing:
    description: A thing.
    additional: keep
    known_extra: [legacy]
    fields:
      id: { type: string, required: true, aliases: [_id] }
      count: { type: integer }
      score: { type: number, lenient: true }
      stage: { type: Stage }
      note: { type: string }
      tags: { type: \"integer[]\" }
resources:
  things:
    endpoints:
      get: { method: GET, path: \"/things/{id}\", scope: none, summary: Get., path_params: { id: { type: string } }, response: { key: thing, type: Thing } }
      list: { method: GET, path: /things, scope: none, summary: List., query: { page: { type: integer }, limit: { type: integer } }, pagination: { style: page, items: things }, response: { type: Thing } }
";

fn model() -> pathbound_model::Model {
    pathbound_model::load_files(vec![SourceFile {
        name: "spec.yaml".into(),
        text: SPEC.into(),
    }])
    .expect("the test spec is valid")
}

/// The 1-based line of the first line after `after` that starts (indented) with `key:`.
fn line_of(after: &str, key: &str) -> usize {
    let lines: Vec<&str> = SPEC.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(after))
        .unwrap();
    start
        + 1
        + lines[start..]
            .iter()
            .position(|l| l.trim_start().starts_with(key))
            .unwrap()
}

fn report(bodies: &[(&str, &str)]) -> Report {
    let model = model();
    let mut seen = Observations::default();
    for (op, body) in bodies {
        let op = model.operations().find(|o| o.id == *op).unwrap();
        check_body(&model, op, body.as_bytes(), &mut seen);
    }
    seen.close(&model);
    Report::new(&model, seen, Vec::new(), Vec::new(), None)
}

fn find<'a>(r: &'a Report, kind: DriftKind, name: &str) -> &'a pathbound_drift::Finding {
    r.findings
        .iter()
        .find(|f| f.key.kind == kind && f.key.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} for {name} in\n{}", r.to_text()))
}

#[test]
fn a_body_matching_the_spec_is_no_drift() {
    let r = report(&[
        (
            "things.get",
            r#"{"status":"success","thing":{"_id":"t1","count":2,"score":"1.5","stage":"lead","note":"n","tags":[1],"legacy":true}}"#,
        ),
        (
            "things.list",
            r#"{"status":"success","things":[{"id":"t2"}],"pagination":{"page":1,"limit":1,"total_pages":1,"total_items":1}}"#,
        ),
    ]);
    assert!(!r.drifted(), "{}", r.to_text());
    assert!(r.findings.is_empty(), "{}", r.to_text());
}

#[test]
fn each_kind_is_found_located_and_given_an_edit() {
    let r = report(&[
        (
            "things.get",
            r#"{"status":"success","thing":{"id":"t1","count":"250","stage":"prospect","note":null,"tags":[1,"2"],"session_tag":"a"},"trace":1}"#,
        ),
        ("things.get", r#"{"status":"success","thing":{"count":3}}"#),
        ("things.get", r#"{"status":"success","item":{"id":"t3"}}"#),
    ]);
    assert!(r.drifted());

    let f = find(&r, DriftKind::UndeclaredKey, "session_tag");
    let fields = line_of("Thing:", "fields:");
    assert_eq!((f.file.as_str(), f.line), ("spec.yaml", Some(fields)));
    assert_eq!(f.spec_path, "schemas.Thing.fields");
    assert_eq!(
        f.suggestion,
        format!("add field session_tag: {{ type: string }} under spec.yaml:{fields}")
    );

    let f = find(&r, DriftKind::UnlistedEnumValue, "prospect");
    assert_eq!(f.line, Some(line_of("Stage:", "enum:")));
    assert!(
        f.suggestion
            .contains("add `- prospect` to the values of `Stage`"),
        "{}",
        f.suggestion
    );

    let f = find(&r, DriftKind::TypeMismatch, "count");
    assert_eq!(f.line, Some(line_of("Thing:", "count:")));
    assert_eq!(f.spec_path, "schemas.Thing.fields.count.type");
    assert!(
        f.suggestion.contains("add `lenient: true` to `count`"),
        "{}",
        f.suggestion
    );
    // An item of the wrong type inside an array.
    let f = find(&r, DriftKind::TypeMismatch, "tags");
    assert!(f.message.contains("declared `integer`"), "{}", f.message);

    let f = find(&r, DriftKind::UnexpectedNull, "note");
    assert_eq!(f.line, Some(line_of("Thing:", "note:")));
    assert_eq!(f.suggestion, "add `nullable: true` to `note`");

    let f = find(&r, DriftKind::RequiredMissing, "id");
    assert_eq!(f.line, Some(line_of("Thing:", "id:")));
    assert!(
        f.message.contains("absent in 1 of 2 object(s)"),
        "{}",
        f.message
    );

    let f = find(&r, DriftKind::EnvelopeMissing, "thing");
    assert_eq!(f.spec_path, "endpoints.things.get.response.key");
    assert_eq!(f.line, Some(line_of("get:", "get:")));
    // The key that appeared instead, and the one next to the value: notes.
    let f = find(&r, DriftKind::EnvelopeExtra, "item");
    assert!(f.key.kind.is_note());
    assert!(
        f.suggestion.contains("set `response.key: item`"),
        "{}",
        f.suggestion
    );
    find(&r, DriftKind::EnvelopeExtra, "trace");

    // Fields no object carried: a note, not drift.
    let f = find(&r, DriftKind::NeverSeen, "score");
    assert!(f.key.kind.is_note());
    assert_eq!(f.line, Some(line_of("Thing:", "score:")));

    // Text groups by file; JSON carries the same, with severities.
    let text = r.to_text();
    assert!(text.starts_with("spec.yaml\n"), "{text}");
    assert!(text.contains("Notes (not drift"), "{text}");
    let json = r.to_json();
    assert_eq!(json["drifted"], true);
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for kind in DriftKind::ALL {
        assert!(
            kinds.contains(&kind.as_str()),
            "{kind:?} missing from {kinds:?}"
        );
    }
}

#[test]
fn a_page_is_checked_against_its_envelope_and_items() {
    let r = report(&[(
        "things.list",
        r#"{"status":"success","data":[{"id":"t"}],"pagination":{"page":1,"limit":1,"total_pages":1,"total_items":1,"cursor":"x"}}"#,
    )]);
    let f = find(&r, DriftKind::EnvelopeMissing, "things");
    assert_eq!(f.spec_path, "endpoints.things.list.pagination.items");
    assert!(
        f.suggestion.contains("set `pagination.items`"),
        "{}",
        f.suggestion
    );
    find(&r, DriftKind::EnvelopeExtra, "data");
    find(&r, DriftKind::EnvelopeExtra, "pagination.cursor");
}
