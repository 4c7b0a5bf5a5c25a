//! The OpenAPI export agrees one-for-one with the spec, and both derived documents
//! are snapshotted.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

fn model() -> pathbound_codegen::spec::Model {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    pathbound_codegen::load_model(&root, "spec").unwrap_or_else(|e| panic!("{e}"))
}

fn document() -> Value {
    let text = pathbound_codegen::openapi::document(&model()).unwrap_or_else(|e| panic!("{e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("the export must be valid YAML: {e}"))
}

/// (method, path, scope) of every spec endpoint, by operation id.
type Facts = BTreeMap<String, (String, String, Option<String>)>;

#[test]
fn every_spec_endpoint_appears_once_with_its_method_path_and_scope_and_nothing_else_does() {
    let mut expected: Facts = BTreeMap::new();
    for op in model().operations() {
        // A scope that depends on a parameter is written `by=<param>:<value>=<scope>,…`.
        let scope = match (&op.scope, &op.scope_by) {
            (Some(scope), _) => Some(scope.clone()),
            (None, Some(by)) => Some(format!(
                "by={}:{}",
                by.param,
                by.values
                    .iter()
                    .map(|(v, s)| format!("{v}={s}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            (None, None) => None,
        };
        expected.insert(
            op.id.clone(),
            (op.method.as_str().to_lowercase(), op.path.clone(), scope),
        );
    }
    let doc = document();
    let mut found: Facts = BTreeMap::new();
    let paths = doc["paths"]
        .as_mapping()
        .unwrap_or_else(|| panic!("no paths"));
    for (path, item) in paths {
        let path = path.as_str().unwrap_or_default();
        for (method, op) in item
            .as_mapping()
            .unwrap_or_else(|| panic!("{path} is not a mapping"))
        {
            let method = method.as_str().unwrap_or_default().to_string();
            // The scope is also in `security`, as the bearer scheme's required role;
            // a scope that depends on a parameter lists each possible scope as an
            // alternative.
            let security: Vec<String> = op["security"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(|alt| alt["bearerAuth"][0].as_str().map(str::to_string))
                .collect();
            let scope = match &op["x-pathbound-scope"] {
                serde_yaml::Value::String(scope) => {
                    assert_eq!(security, std::slice::from_ref(scope), "{method} {path}");
                    Some(scope.clone())
                }
                serde_yaml::Value::Mapping(by) => {
                    let param = by[&serde_yaml::Value::from("by")]
                        .as_str()
                        .unwrap_or_default();
                    let values = by[&serde_yaml::Value::from("values")]
                        .as_mapping()
                        .unwrap_or_else(|| panic!("{method} {path}: scope without values"));
                    let pairs: Vec<(String, String)> = values
                        .iter()
                        .map(|(v, s)| {
                            (
                                v.as_str().unwrap_or_default().to_string(),
                                s.as_str().unwrap_or_default().to_string(),
                            )
                        })
                        .collect();
                    let mut distinct: Vec<String> = Vec::new();
                    for (_, s) in &pairs {
                        if !distinct.contains(s) {
                            distinct.push(s.clone());
                        }
                    }
                    assert_eq!(security, distinct, "{method} {path}");
                    Some(format!(
                        "by={param}:{}",
                        pairs
                            .iter()
                            .map(|(v, s)| format!("{v}={s}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    ))
                }
                _ => {
                    assert!(security.is_empty(), "{method} {path}: {security:?}");
                    None
                }
            };
            let ids = op["x-pathbound-operations"]
                .as_sequence()
                .unwrap_or_else(|| panic!("{method} {path} lists no operations"));
            assert!(!ids.is_empty());
            for id in ids {
                let id = id.as_str().unwrap_or_default().to_string();
                let previous = found.insert(
                    id.clone(),
                    (method.clone(), path.to_string(), scope.clone()),
                );
                assert!(previous.is_none(), "{id} appears twice");
            }
        }
    }
    assert_eq!(found, expected);
}

#[test]
fn operation_ids_are_stable_and_unique() {
    let doc = document();
    let mut ids = Vec::new();
    for (_, item) in doc["paths"].as_mapping().into_iter().flatten() {
        for (_, op) in item.as_mapping().into_iter().flatten() {
            ids.push(op["operationId"].as_str().unwrap_or_default().to_string());
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate operationId");
    assert!(ids.contains(&"contacts_create".to_string()));
}

#[test]
fn public_endpoints_need_no_key_and_aliased_ids_accept_any_spelling() {
    let doc = document();
    assert_eq!(
        doc["paths"]["/health"]["get"]["security"],
        Value::Sequence(vec![])
    );
    let contact = &doc["components"]["schemas"]["Contact"];
    assert!(contact["properties"]["contact_id"].is_mapping());
    assert!(contact["properties"]["_id"].is_mapping());
    let any_of = contact["anyOf"]
        .as_sequence()
        .unwrap_or_else(|| panic!("Contact must accept any id spelling: {contact:?}"));
    assert_eq!(any_of.len(), 3);
    // Pagination parameters carry their documented range.
    let params = doc["paths"]["/contacts"]["get"]["parameters"]
        .as_sequence()
        .cloned()
        .unwrap_or_default();
    let limit = params
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap_or_else(|| panic!("no limit parameter"));
    assert_eq!(limit["schema"]["minimum"], Value::from(1));
    assert_eq!(limit["schema"]["maximum"], Value::from(100));
    // An optional property accepts null (the client reads it as absent); a
    // required one does not.
    let action = &doc["components"]["schemas"]["Action"]["properties"];
    assert_eq!(
        action["description"]["oneOf"][1]["type"], "null",
        "{action:?}"
    );
    assert!(contact["properties"]["contact_id"]["oneOf"].is_null());
}

#[test]
fn both_documents_match_their_snapshots() {
    let model = model();
    insta::assert_snapshot!(
        "openapi",
        pathbound_codegen::openapi::document(&model).unwrap_or_default()
    );
    insta::assert_snapshot!("reference", pathbound_codegen::markdown::document(&model));
}
