//! The `OPERATION` and `SCOPE` constants of every request type, checked
//! against the spec: method, path, scope (`none`), `auth: false`, the retry
//! policy (method default or `retry: safe`) and the documented errors.

mod common;

use common::*;
use fixture_client::runtime::{Method, Operation};
use fixture_client::widgets::*;
use fixture_client::{Scope, scopes};

/// Every request type's constants, by endpoint name.
fn generated() -> Vec<(&'static str, Operation, Option<Scope>)> {
    vec![
        (
            "list",
            WidgetsListRequest::OPERATION,
            WidgetsListRequest::OPERATION.required_scope(),
        ),
        (
            "list_by_skip",
            WidgetsListBySkipRequest::OPERATION,
            WidgetsListBySkipRequest::OPERATION.required_scope(),
        ),
        (
            "list_by_offset",
            WidgetsListByOffsetRequest::OPERATION,
            WidgetsListByOffsetRequest::OPERATION.required_scope(),
        ),
        (
            "search",
            WidgetsSearchRequest::OPERATION,
            WidgetsSearchRequest::OPERATION.required_scope(),
        ),
        (
            "count",
            WidgetsCountRequest::OPERATION,
            WidgetsCountRequest::OPERATION.required_scope(),
        ),
        (
            "get",
            WidgetsGetRequest::OPERATION,
            WidgetsGetRequest::OPERATION.required_scope(),
        ),
        (
            "get_part",
            WidgetsGetPartRequest::OPERATION,
            WidgetsGetPartRequest::OPERATION.required_scope(),
        ),
        (
            "stats",
            WidgetsStatsRequest::OPERATION,
            WidgetsStatsRequest::OPERATION.required_scope(),
        ),
        (
            "create",
            WidgetsCreateRequest::OPERATION,
            WidgetsCreateRequest::OPERATION.required_scope(),
        ),
        (
            "update",
            WidgetsUpdateRequest::OPERATION,
            WidgetsUpdateRequest::OPERATION.required_scope(),
        ),
        (
            "tag",
            WidgetsTagRequest::OPERATION,
            WidgetsTagRequest::OPERATION.required_scope(),
        ),
        (
            "delete",
            WidgetsDeleteRequest::OPERATION,
            WidgetsDeleteRequest::OPERATION.required_scope(),
        ),
        (
            "ping",
            WidgetsPingRequest::OPERATION,
            WidgetsPingRequest::OPERATION.required_scope(),
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
        // The path as the docs write it: the base URL's path, then the spec's.
        assert_eq!(op.path, format!("/v2{}", endpoint.path), "{name}");
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
        // The typed form of the same scope, and always one of the spec's
        assert_eq!(
            scope.as_ref().map(Scope::as_str),
            endpoint.scope.as_deref(),
            "{name}"
        );
        if let Some(scope) = scope {
            assert!(scopes::ALL.contains(scope), "{name}: {scope:?}");
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
            WidgetsStatsRequest::OPERATION.required_scope(),
            true,
        ),
        // `ping`: public
        (
            "ping",
            WidgetsPingRequest::OPERATION,
            WidgetsPingRequest::OPERATION.required_scope(),
            false,
        ),
        // the others need a key with a scope
        (
            "list",
            WidgetsListRequest::OPERATION,
            WidgetsListRequest::OPERATION.required_scope(),
            true,
        ),
    ];
    for (name, op, scope, auth) in cases {
        assert_eq!(op.auth, auth, "{name}");
        assert_eq!(op.scope, scope.as_ref().map(Scope::as_str), "{name}");
    }
    assert_eq!(WidgetsStatsRequest::OPERATION.required_scope(), None);
    assert_eq!(WidgetsPingRequest::OPERATION.required_scope(), None);
    assert_eq!(
        WidgetsListRequest::OPERATION.required_scope(),
        Some(scopes::WIDGETS_READ)
    );
    assert_eq!(
        WidgetsCreateRequest::OPERATION.required_scope(),
        Some(scopes::WIDGETS_WRITE)
    );
    assert_eq!(
        WidgetsDeleteRequest::OPERATION.required_scope(),
        Some(scopes::WIDGETS_DESTROY)
    );
    assert!(scopes::OPT_IN.contains(&scopes::WIDGETS_DESTROY));
}
