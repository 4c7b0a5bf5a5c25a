//! Static descriptions of API endpoints.
//!
//! Generated code declares one `static` [`Operation`] per endpoint; everything
//! the runtime needs to know about an endpoint that does not change between
//! calls lives here, so a call site only supplies the per-call values.

/// The HTTP methods the API uses, as the wire format defines them.
pub use pathbound_wire::Method;

use crate::Scope;

/// The `reqwest` method for `method`.
pub(crate) fn to_reqwest(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// Everything about one endpoint that is fixed at generation time.
///
/// All fields are public and the type is const-constructible so generated code
/// can declare it as a `static` and pass `&'static Operation` around for free;
/// errors borrow their operation id, method and path template from it instead
/// of allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// A stable id for logs and errors, `"<resource>.<method>"`, e.g. `"contacts.create"`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template as the API's documentation writes it, with `{name}`
    /// placeholders, e.g. `"/v1/contacts/{contact_id}/notes"`: what errors and
    /// tracing spans show. Requests go to the configured base URL followed by
    /// the part of this path after the API's own base path (`/v1`), so a base
    /// URL such as `http://127.0.0.1:4010/v1` works unchanged. Values come from
    /// [`Call::path_args`](crate::__private::Call::path_args).
    pub path: &'static str,
    /// The scope the API key needs, e.g. `"contacts:write"`; `None` for public
    /// endpoints, and when the scope depends on a parameter (`scope_by`). Used to
    /// explain a 403 and for the client-side scope check; as a [`Scope`] through
    /// [`Operation::required_scope`].
    pub scope: Option<&'static str>,
    /// The scope depends on the value of a request parameter (for instance the
    /// `entity` an aggregate reads); the call says the value with
    /// `Call::scope_param`.
    pub scope_by: Option<ScopeBy>,
    /// Whether to send `Authorization: Bearer <key>`. `false` for public endpoints.
    pub auth: bool,
    /// Whether the request may be sent again after a failure the server may
    /// already have acted on (a timeout, a 5xx). True for idempotent endpoints.
    pub retry_safe: bool,
}

/// A scope that depends on the value of a request parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeBy {
    /// The parameter's wire name, e.g. `"entity"`.
    pub param: &'static str,
    /// `(parameter value, scope)` pairs, e.g. `("events", "events:read")`.
    pub values: &'static [(&'static str, &'static str)],
}

impl Operation {
    /// The scope a call needs: the fixed scope, or the one `param_value` selects
    /// when the scope depends on a parameter (`None` for a value the spec does
    /// not list: then the server decides).
    pub fn scope_for(&self, param_value: Option<&str>) -> Option<&'static str> {
        match (self.scope, &self.scope_by, param_value) {
            (Some(scope), _, _) => Some(scope),
            (None, Some(by), Some(value)) => by
                .values
                .iter()
                .find(|(v, _)| *v == value)
                .map(|(_, scope)| *scope),
            _ => None,
        }
    }

    /// The scope the API key needs for every call of this operation; `None`
    /// for public endpoints and when the scope depends on a parameter (see
    /// [`scope_by`](Self::scope_by)).
    pub fn required_scope(&self) -> Option<Scope> {
        self.scope.map(Scope::from_static)
    }

    /// Every scope a call of this operation may need: the fixed scope, or each
    /// scope a parameter value may select.
    pub fn possible_scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        let by = self.scope_by.iter().flat_map(|by| by.values.iter());
        self.scope
            .into_iter()
            .chain(by.map(|(_, scope)| *scope))
            .map(Scope::from_static)
    }
}

#[cfg(test)]
mod tests {
    use super::{Method, Operation, ScopeBy, to_reqwest};
    use crate::Scope;

    static OP: Operation = Operation {
        id: "things.create",
        method: Method::Post,
        path: "/v1/things",
        scope: Some("things:write"),
        scope_by: None,
        auth: true,
        retry_safe: false,
    };

    #[test]
    fn scopes_are_typed() {
        assert_eq!(OP.required_scope(), Some(Scope::from("things:write")));
        let by = Operation {
            scope: None,
            scope_by: Some(ScopeBy {
                param: "entity",
                values: &[("a", "a:read"), ("b", "b:read")],
            }),
            ..OP
        };
        assert_eq!(by.required_scope(), None);
        let all: Vec<Scope> = by.possible_scopes().collect();
        assert_eq!(all, ["a:read", "b:read"].map(Scope::from));
        assert_eq!(by.scope_for(Some("b")), Some("b:read"));
    }

    #[test]
    fn method_names_match_the_wire() {
        for method in Method::ALL {
            assert_eq!(method.as_str(), to_reqwest(method).as_str());
            assert_eq!(method.to_string(), method.as_str());
        }
    }
}
