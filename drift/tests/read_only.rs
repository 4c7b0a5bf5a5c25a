//! The drift run cannot issue a request that is not read-only: the rule comes
//! from the spec (`effect: read`, the default of a `GET`), the guard applies it
//! to each request before sending, and an endpoint added to a copy of the spec
//! is never called unless the spec says it only reads.

use std::collections::BTreeMap;
use std::path::Path;

use pathbound_drift::plan::{Guard, Skip, is_read_only, render_path, request_for};
use pathbound_mock::{KEY_ALL, MockConfig};
use pathbound_model::Model;
use pathbound_model::ast::SourceFile;
use pathbound_model::wire::Method;

fn spec_files() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    pathbound_model::load::read_spec(&dir, "spec").expect("the spec reads")
}

/// A value for every field name, so no operation waits for an id.
fn every_value(model: &Model) -> BTreeMap<String, Vec<String>> {
    let mut values = BTreeMap::new();
    for op in model.operations() {
        for f in op.path_params.iter().chain(&op.query) {
            values.insert(f.wire.clone(), vec![format!("x_{}", f.wire)]);
        }
    }
    values.insert("contact_id".into(), vec!["ct_1".into()]);
    values
}

/// The spec with `extra` appended to the endpoints of `spec/resources/batch.yaml`.
fn with_endpoints(extra: &str) -> Vec<SourceFile> {
    let mut files = spec_files();
    let batch = files
        .iter_mut()
        .find(|f| f.name.ends_with("resources/batch.yaml"))
        .unwrap();
    assert!(batch.text.ends_with('\n'));
    batch.text.push_str(extra);
    files
}

const NEW_ENDPOINTS: &str = "
  purge:
    method: POST
    path: /batch/purge
    scope: contacts:read
    summary: A new POST that the spec does not mark read-only (even though retry-safe).
    retry: safe
    response: { type: BatchActivity }
  touch:
    method: GET
    path: /batch/touch
    scope: contacts:read
    summary: A GET the spec says writes.
    effect: write
    response: { type: BatchActivity }
  peek:
    method: POST
    path: /batch/peek
    scope: contacts:read
    summary: A new POST that only reads.
    retry: safe
    effect: read
    response: { type: BatchActivity }
";

#[test]
fn only_gets_and_retry_safe_posts_marked_read_are_planned_or_let_through() {
    let model = pathbound_model::load_files(spec_files()).unwrap();
    let guard = Guard::new(&model);
    let values = every_value(&model);
    let mut read_posts = Vec::new();
    for op in model.operations() {
        let read = is_read_only(op);
        // The rule, restated from the spec's own words.
        assert_eq!(
            read,
            op.reads_only
                && (op.method == Method::Get || (op.method == Method::Post && op.retry_safe)),
            "{}",
            op.id
        );
        if read && op.method == Method::Post {
            read_posts.push(op.id.as_str());
        }
        let planned = request_for(&model, op, None, &values);
        match planned {
            Ok(request) => {
                assert!(read, "{} is not read-only but was planned", op.id);
                let path = render_path(&op.path, &request.path_args);
                assert_eq!(guard.check(op.method, &path), Ok(()), "{}", op.id);
            }
            Err(Skip::NotReadOnly) => {
                assert!(!read, "{}", op.id);
                let args: Vec<String> = op
                    .path_params
                    .iter()
                    .map(|p| format!("x_{}", p.wire))
                    .collect();
                let path = render_path(&op.path, &args);
                let refused = guard.check(op.method, &path).expect_err(&op.id);
                assert!(refused.contains("does not mark read-only"), "{refused}");
            }
            Err(other) => panic!("{}: {other:?}", op.id),
        }
    }
    // The batch reads and the aggregate are the POSTs the spec marks `effect: read`.
    assert_eq!(
        read_posts,
        ["batch.details", "batch.activity", "batch.aggregate"]
    );
    // No route at all is refused too.
    assert!(guard.check(Method::Get, "/nowhere").is_err());
    assert!(guard.check(Method::Delete, "/contacts/ct_1").is_err());
}

#[test]
fn a_new_endpoint_is_refused_unless_the_spec_says_it_only_reads() {
    let model = pathbound_model::load_files(with_endpoints(NEW_ENDPOINTS)).unwrap();
    let guard = Guard::new(&model);
    let op = |id: &str| model.operations().find(|o| o.id == id).unwrap();
    let values = every_value(&model);
    for id in ["batch.purge", "batch.touch"] {
        assert!(!is_read_only(op(id)), "{id}");
        assert_eq!(
            request_for(&model, op(id), None, &values),
            Err(Skip::NotReadOnly)
        );
        assert!(guard.check(op(id).method, &op(id).path).is_err(), "{id}");
    }
    assert!(is_read_only(op("batch.peek")));
    assert_eq!(guard.check(Method::Post, "/batch/peek"), Ok(()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_against_a_spec_with_a_new_post_never_sends_it_nor_any_write() {
    let files = with_endpoints(NEW_ENDPOINTS);
    let model = pathbound_model::load_files(files.clone()).unwrap();
    // The mock serves the new endpoints too (from the schema), so a request
    // would be answered and counted.
    let server = MockConfig::new().spec_files(files).start().await.unwrap();
    let target = pathbound_drift::Target {
        api_key: KEY_ALL.into(),
        base_url: Some(server.base_url().into()),
    };
    let report = pathbound_drift::run(model.clone(), &target).await.unwrap();
    let skipped = |id: &str| {
        report
            .skipped
            .iter()
            .find(|(op, ..)| op == id)
            .map(|(_, code, _)| code.as_str())
    };
    assert_eq!(skipped("batch.purge"), Some("not_read_only"));
    assert_eq!(skipped("batch.touch"), Some("not_read_only"));
    assert!(
        report.called.iter().any(|id| id == "batch.peek"),
        "{:?}",
        report.called
    );
    for op in model.operations() {
        if !is_read_only(op) {
            assert_eq!(server.hits(&op.id), 0, "{} was sent", op.id);
            assert!(!report.called.contains(&op.id), "{}", op.id);
        }
    }
    assert_eq!(server.hits("batch.peek"), 1);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sender_refuses_a_write_before_anything_is_sent() {
    use std::sync::Arc;

    use pathbound_drift::plan::Request;
    use pathbound_drift::run::Runner;

    let server = MockConfig::new().start().await.unwrap();
    let model = pathbound_model::load_files(spec_files()).unwrap();
    let checker = Arc::new(pathbound_drift::Checker::new(model.clone()));
    let target = pathbound_drift::Target {
        api_key: KEY_ALL.into(),
        base_url: Some(server.base_url().into()),
    };
    let mut runner = Runner::new(&checker, &target).unwrap();
    // Every write of the spec, handed straight to the sender with a body and
    // path arguments: each is refused, and the server sees nothing.
    for op in model.operations().filter(|op| !is_read_only(op)) {
        let request = Request {
            path_args: op.path_params.iter().map(|_| "x".to_owned()).collect(),
            query: Vec::new(),
            body: op.body.as_ref().map(|_| serde_json::json!({})),
            scope_value: None,
        };
        match runner.send(op, &request).await {
            Err(Skip::Refused(why)) => assert!(why.contains("does not mark read-only"), "{why}"),
            other => panic!("{} was not refused: {other:?}", op.id),
        }
        assert_eq!(server.hits(&op.id), 0, "{}", op.id);
    }
    // A read goes through.
    let list = model
        .operations()
        .find(|o| o.id == "contacts.list")
        .unwrap();
    let request = request_for(&model, list, None, &BTreeMap::new()).unwrap();
    runner.send(list, &request).await.unwrap();
    assert_eq!(server.hits("contacts.list"), 1);
    server.shutdown().await;
}
