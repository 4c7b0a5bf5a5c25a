//! Static descriptions of API endpoints.
//!
//! Generated code declares one `static` [`Operation`] per endpoint; everything
//! the runtime needs to know about an endpoint that does not change between
//! calls lives here, so a call site only supplies the per-call values.

/// The HTTP methods the API uses, as the wire format defines them.
pub use pathbound_wire::Method;

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
    /// The path template relative to the base URL, with `{name}` placeholders,
    /// e.g. `"/contacts/{contact_id}/notes"`. Values come from [`Call::path_args`](crate::__private::Call::path_args).
    pub path: &'static str,
    /// The scope the API key needs, e.g. `"contacts:write"`; `None` for public
    /// endpoints, and when the scope depends on a parameter (`scope_by`). Used to
    /// explain a 403 and for the client-side scope check.
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
    /// Documented error statuses and what they mean for this endpoint; shown
    /// in [`super::ApiError`]'s message.
    pub errors: &'static [(u16, &'static str)],
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

    /// The documented meaning of `status` for this endpoint, if the spec gives one.
    pub fn documented_error(&self, status: u16) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(code, _)| *code == status)
            .map(|(_, meaning)| *meaning)
    }
}

#[cfg(test)]
mod tests {
    use super::{Method, Operation, to_reqwest};

    static OP: Operation = Operation {
        id: "things.create",
        method: Method::Post,
        path: "/things",
        scope: Some("things:write"),
        scope_by: None,
        auth: true,
        retry_safe: false,
        errors: &[(409, "A thing with this name exists."), (422, "Bad name.")],
    };

    #[test]
    fn documented_error_looks_up_by_status() {
        assert_eq!(
            OP.documented_error(409),
            Some("A thing with this name exists.")
        );
        assert_eq!(OP.documented_error(404), None);
    }

    #[test]
    fn method_names_match_the_wire() {
        for method in Method::ALL {
            assert_eq!(method.as_str(), to_reqwest(method).as_str());
            assert_eq!(method.to_string(), method.as_str());
        }
    }
}
