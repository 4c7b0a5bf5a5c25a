//! The generated docs: each operation's doc comment states its HTTP method,
//! its full path (with the base URL's `/v2`), the scope it needs, its success
//! status and its documented errors, as the spec says.

mod common;

use common::*;

const WIDGETS: &str = include_str!("../src/generated/widgets.rs");
const COMMON: &str = include_str!("../src/generated/common.rs");

/// The `///` lines right above `pub fn {name}(` in `impl WidgetsApi`, without
/// the `///` and one following space.
fn method_docs(name: &str) -> Vec<&'static str> {
    let api_start = WIDGETS
        .find("impl WidgetsApi<'_> {")
        .expect("the WidgetsApi impl");
    let api = &WIDGETS[api_start..];
    let api_end = api.find("\n}\n").expect("the end of the WidgetsApi impl");
    let api = &api[..api_end];
    let lines: Vec<&str> = api.lines().collect();
    let signature = format!("    pub fn {name}(");
    let at = lines
        .iter()
        .position(|l| l.starts_with(&signature))
        .unwrap_or_else(|| panic!("no `pub fn {name}(` in WidgetsApi"));
    let mut docs: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with("///"))
        .map(|l| {
            let text = l.trim_start().trim_start_matches("///");
            text.strip_prefix(' ').unwrap_or(text)
        })
        .collect();
    docs.reverse();
    assert!(!docs.is_empty(), "`{name}` has no doc comment");
    docs
}

/// The path of the spec's `api.base_url` (`/v2`).
fn spec_base_path() -> String {
    let spec = spec();
    let url = spec["api"]["base_url"].as_str().expect("api.base_url");
    let after_scheme = &url[url.find("://").expect("a scheme") + 3..];
    let path = &after_scheme[after_scheme.find('/').unwrap_or(after_scheme.len())..];
    path.trim_end_matches('/').to_owned()
}

#[test]
fn the_base_path_comes_from_the_spec() {
    assert_eq!(spec_base_path(), BASE_PATH);
    assert_eq!(
        fixture_client::DEFAULT_BASE_URL,
        spec()["api"]["base_url"].as_str().unwrap()
    );
}

#[test]
fn each_operation_doc_states_method_full_path_and_scope() {
    let base = spec_base_path();
    let endpoints = spec_endpoints();
    assert_eq!(endpoints.len(), 13);
    for e in &endpoints {
        let docs = method_docs(&e.name);
        let who = match (&e.scope, e.auth) {
            (_, false) => "public: no API key is sent".to_owned(),
            (Some(scope), true) => format!("requires scope `{scope}`"),
            (None, true) => "any valid API key".to_owned(),
        };
        let expected = format!("`{} {base}{}` · {who}", e.method, e.path);
        assert!(
            docs.contains(&expected.as_str()),
            "`{}`: no line {expected:?} in {docs:#?}",
            e.name
        );
        // the summary comes first
        assert_eq!(docs[0], e.summary, "{}", e.name);
        // the success status
        assert!(
            docs.iter()
                .any(|l| l.starts_with(&format!("On `{}` returns", e.status))),
            "`{}`: no success status {} in {docs:#?}",
            e.name,
            e.status
        );
        // every documented error, under an `# Errors` heading
        if !e.errors.is_empty() {
            assert!(docs.contains(&"# Errors"), "`{}`: {docs:#?}", e.name);
        }
        for (code, meaning) in &e.errors {
            let line = format!("- `{code}`: {meaning}");
            assert!(
                docs.contains(&line.as_str()),
                "`{}`: no {line:?} in {docs:#?}",
                e.name
            );
        }
    }
}

#[test]
fn spot_checks_of_the_doc_lines() {
    assert!(method_docs("create").contains(&"`POST /v2/widgets` · requires scope `widgets:write`"));
    assert!(
        method_docs("get_part").contains(
            &"`GET /v2/widgets/{widget_id}/parts/{index}` · requires scope `widgets:read`"
        )
    );
    assert!(
        method_docs("update")
            .contains(&"`PATCH /v2/widgets/{widget_id}` · requires scope `widgets:write`")
    );
    assert!(
        method_docs("delete")
            .contains(&"`DELETE /v2/widgets/{widget_id}` · requires scope `widgets:destroy`")
    );
    assert!(method_docs("stats").contains(&"`GET /v2/widgets/stats` · any valid API key"));
    assert!(method_docs("ping").contains(&"`GET /v2/ping` · public: no API key is sent"));
    assert!(
        method_docs("create").contains(&"On `201` returns the `widget` of the response envelope.")
    );
    assert!(
        method_docs("delete").contains(&"On `200` returns nothing: the response body is not read.")
    );
    assert!(method_docs("stats").contains(&"On `200` returns the whole response body."));
    // the description follows the summary
    assert!(
        method_docs("list").contains(&"Page/limit pagination with every query parameter type.")
    );
}

#[test]
fn field_docs_carry_the_spec_details() {
    // deprecation message, aliases, wire names, nullability, defaults and bounds
    for needle in [
        "/// **Deprecated:** Use `widget_id`.\n    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub legacy_code",
        "/// (also accepted as `_id`, `id`)",
        "/// (wire name `displayName`)",
        "/// (wire name `label`)\n    #[serde(rename = \"label\"",
        "/// (may be `null`)\n    #[serde(default)]\n    pub archived_at",
        "/// (server default `red`)",
        "/// (between 1 and 5)",
        "/// (at least 0.5)",
        "/// (1 to 3 items)",
        "/// (at most 10 items)",
        "/// (server default `20`; between 1 and 100)",
        "/// (wire name `q`)",
    ] {
        assert!(WIDGETS.contains(needle), "widgets.rs lacks {needle:?}");
    }
    for needle in [
        "/// A widget colour.",
        "/// The darker blue. (`dark_blue`)",
        "/// One tag or several.",
        "/// Every primitive type, required and optional.",
        "/// Width in mm.",
    ] {
        assert!(COMMON.contains(needle), "common.rs lacks {needle:?}");
    }
}

#[test]
fn the_promised_stream_method_exists() {
    for (name, request_type) in [
        ("list", "WidgetsListRequest"),
        ("list_by_skip", "WidgetsListBySkipRequest"),
        ("list_by_offset", "WidgetsListByOffsetRequest"),
    ] {
        let promised = method_docs(name)
            .iter()
            .any(|l| l.contains("`.stream()` walks every page"));
        assert!(promised, "{name} no longer promises .stream()");
        let impl_start = WIDGETS
            .find(&format!("impl {request_type} {{"))
            .unwrap_or_else(|| panic!("no inherent impl of {request_type}"));
        let body = &WIDGETS[impl_start..];
        let body = &body[..body.find("\n}\n").unwrap()];
        let has_stream = body.contains("pub fn stream(")
            || WIDGETS.contains(&format!("PagedRequest for {request_type}"));
        assert!(
            has_stream,
            "{request_type} has no `stream` method, yet `{name}`'s docs promise one"
        );
    }
}
