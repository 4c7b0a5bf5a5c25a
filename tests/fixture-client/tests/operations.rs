//! The `OPERATION` and `SCOPE` constants of every request type, checked
//! against the spec: method, path, scope (`none`), `auth: false`, the retry
//! policy (method default or `retry: safe`) and the documented errors.

mod common;

use common::*;
use fixture_client::Scope;
use fixture_client::runtime::{Method, Operation};
use fixture_client::widgets::*;

/// Every request type's constants, by endpoint name.
fn generated() -> Vec<(&'static str, Operation, Option<Scope>)> {
    vec![
        (
            "list",
            WidgetsListRequest::OPERATION,
            WidgetsListRequest::SCOPE,
        ),
        (
            "list_by_skip",
            WidgetsListBySkipRequest::OPERATION,
            WidgetsListBySkipRequest::SCOPE,
        ),
        (
            "list_by_offset",
            WidgetsListByOffsetRequest::OPERATION,
            WidgetsListByOffsetRequest::SCOPE,
        ),
        (
            "search",
            WidgetsSearchRequest::OPERATION,
            WidgetsSearchRequest::SCOPE,
        ),
        (
            "count",
            WidgetsCountRequest::OPERATION,
            WidgetsCountRequest::SCOPE,
        ),
        (
            "get",
            WidgetsGetRequest::OPERATION,
            WidgetsGetRequest::SCOPE,
        ),
        (
            "get_part",
            WidgetsGetPartRequest::OPERATION,
            WidgetsGetPartRequest::SCOPE,
        ),
        (
            "stats",
            WidgetsStatsRequest::OPERATION,
            WidgetsStatsRequest::SCOPE,
        ),
        (
            "create",
            WidgetsCreateRequest::OPERATION,
            WidgetsCreateRequest::SCOPE,
        ),
        (
            "update",
            WidgetsUpdateRequest::OPERATION,
            WidgetsUpdateRequest::SCOPE,
        ),
        (
            "tag",
            WidgetsTagRequest::OPERATION,
            WidgetsTagRequest::SCOPE,
        ),
        (
            "delete",
            WidgetsDeleteRequest::OPERATION,
            WidgetsDeleteRequest::SCOPE,
        ),
        (
            "ping",
            WidgetsPingRequest::OPERATION,
            WidgetsPingRequest::SCOPE,
        ),
    ]
}

#[test]
fn every_spec_endpoint_has_constants_matching_the_spec() {
    let spec = spec_endpoints();
    let generated = generated();
    let spec_names: Vec<&str> = spec.iter().map(|e| e.name.as_str()).collect();
    let generated_names: Vec<&str> = generated.iter().map(|g| g.0).collect();
    assert_eq!(generated_names, spec_names);

    for (endpoint, (name, op, scope)) in spec.iter().zip(&generated) {
        assert_eq!(op.id, format!("widgets.{name}"));
        assert_eq!(op.method.as_str(), endpoint.method, "{name}");
        assert_eq!(op.path, endpoint.path, "{name}");
        assert_eq!(op.scope, endpoint.scope.as_deref(), "{name}");
        assert_eq!(op.auth, endpoint.auth, "{name}");
        let default_safe = matches!(endpoint.method.as_str(), "GET" | "PUT" | "DELETE");
        let retry_safe = match endpoint.retry.as_deref() {
            Some("safe") => true,
            Some("unsafe") => false,
            None => default_safe,
            Some(other) => panic!("{name}: retry: {other}"),
        };
        assert_eq!(op.retry_safe, retry_safe, "{name}");
        let errors: Vec<(u16, &str)> = op.errors.to_vec();
        let spec_errors: Vec<(u16, &str)> = endpoint
            .errors
            .iter()
            .map(|(c, m)| (*c, m.as_str()))
            .collect();
        assert_eq!(errors, spec_errors, "{name}");
        for (code, meaning) in &endpoint.errors {
            assert_eq!(op.documented_error(*code), Some(meaning.as_str()), "{name}");
        }
        // SCOPE is the typed form of the same scope, and always a known one
        assert_eq!(
            scope.as_ref().map(Scope::as_str),
            endpoint.scope.as_deref(),
            "{name}"
        );
        if let Some(scope) = scope {
            assert!(Scope::KNOWN.contains(scope), "{name}: {scope:?}");
        }
    }
}

#[test]
fn retry_safe_follows_the_method_unless_the_spec_says_otherwise() {
    let cases = [
        // GET, PUT and DELETE are safe by default
        ("get", WidgetsGetRequest::OPERATION, Method::Get, true),
        ("list", WidgetsListRequest::OPERATION, Method::Get, true),
        (
            "delete",
            WidgetsDeleteRequest::OPERATION,
            Method::Delete,
            true,
        ),
        // PATCH is unsafe by default, but `update` declares `retry: safe`
        (
            "update",
            WidgetsUpdateRequest::OPERATION,
            Method::Patch,
            true,
        ),
        // POST is unsafe
        (
            "create",
            WidgetsCreateRequest::OPERATION,
            Method::Post,
            false,
        ),
        ("tag", WidgetsTagRequest::OPERATION, Method::Post, false),
    ];
    for (name, op, method, retry_safe) in cases {
        assert_eq!(op.method, method, "{name}");
        assert_eq!(op.retry_safe, retry_safe, "{name}");
    }
}

#[test]
fn scope_none_and_auth_false() {
    let cases = [
        // `stats`: any valid key will do, but a key is sent
        (
            "stats",
            WidgetsStatsRequest::OPERATION,
            WidgetsStatsRequest::SCOPE,
            true,
        ),
        // `ping`: public
        (
            "ping",
            WidgetsPingRequest::OPERATION,
            WidgetsPingRequest::SCOPE,
            false,
        ),
        // the others need a key with a scope
        (
            "list",
            WidgetsListRequest::OPERATION,
            WidgetsListRequest::SCOPE,
            true,
        ),
    ];
    for (name, op, scope, auth) in cases {
        assert_eq!(op.auth, auth, "{name}");
        assert_eq!(op.scope, scope.as_ref().map(Scope::as_str), "{name}");
    }
    assert_eq!(WidgetsStatsRequest::SCOPE, None);
    assert_eq!(WidgetsPingRequest::SCOPE, None);
    assert_eq!(WidgetsListRequest::SCOPE, Some(Scope::WidgetsRead));
    assert_eq!(WidgetsCreateRequest::SCOPE, Some(Scope::WidgetsWrite));
    assert_eq!(WidgetsDeleteRequest::SCOPE, Some(Scope::WidgetsDestroy));
    assert!(WidgetsDeleteRequest::SCOPE.unwrap().is_opt_in());
}

#[test]
fn documented_errors_are_looked_up_by_status() {
    assert_eq!(
        WidgetsCreateRequest::OPERATION.documented_error(409),
        Some("A widget with this name exists.")
    );
    assert_eq!(WidgetsCreateRequest::OPERATION.documented_error(404), None);
    assert_eq!(
        WidgetsGetRequest::OPERATION.documented_error(404),
        Some("No such widget.")
    );
    assert_eq!(
        WidgetsListRequest::OPERATION.documented_error(400),
        Some("Invalid query.")
    );
    assert!(WidgetsPingRequest::OPERATION.errors.is_empty());
}
