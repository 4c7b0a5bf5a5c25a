//! Responses in the API's envelopes, as the wire format (`pathbound_wire`)
//! defines them: `{"status":"success", <key>: ...}` and
//! `{"status":"error","error":msg,"details":[...],"timestamp":"..."}`.

use pathbound_wire::{ERROR_ENVELOPE, success};
use serde_json::{Map, Value, json};

use crate::time;
use crate::validate::Problem;

/// A response about to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: Value,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

/// What a handler returns: the success body (without `status`, which is added
/// together with the spec's success status code), or an error reply.
pub type Outcome = Result<Map<String, Value>, Reply>;

impl Reply {
    /// A success envelope with `status: "success"` first.
    pub fn success(status: u16, body: Map<String, Value>) -> Reply {
        let mut out = Map::new();
        out.insert(success::STATUS_KEY.into(), json!(success::STATUS));
        for (k, v) in body {
            if k != success::STATUS_KEY {
                out.insert(k, v);
            }
        }
        Reply {
            status,
            body: Value::Object(out),
            headers: Vec::new(),
        }
    }

    /// An error envelope with no details.
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::error_with(status, message, Vec::new())
    }

    /// An error envelope with `details`.
    pub fn error_with(status: u16, message: impl Into<String>, details: Vec<Value>) -> Reply {
        let e = ERROR_ENVELOPE;
        let mut body = Map::new();
        body.insert(success::STATUS_KEY.into(), json!(e.status));
        body.insert(e.message.into(), json!(message.into()));
        body.insert(e.details.into(), Value::Array(details));
        body.insert(e.timestamp.into(), json!(time::iso(time::now_ms())));
        Reply {
            status,
            body: Value::Object(body),
            headers: Vec::new(),
        }
    }

    /// A `400` listing every problem in `details`.
    pub fn invalid(problems: &[Problem]) -> Reply {
        let message = match problems {
            [] => "Validation failed".to_owned(),
            [one] => format!("Validation failed: {} {}", one.field, one.message),
            [first, rest @ ..] => format!(
                "Validation failed: {} {} (and {} more; see details)",
                first.field,
                first.message,
                rest.len()
            ),
        };
        Reply::error_with(
            400,
            message,
            problems.iter().map(Problem::to_json).collect(),
        )
    }

    /// A `400` for one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Reply {
        Reply::invalid(&[Problem::new(field, message)])
    }

    /// A `404` for an unknown id.
    pub fn not_found(what: &str, id: &str) -> Reply {
        Reply::error(404, format!("No {what} with id {id:?} in this tenant"))
    }

    /// A `400` for a state-machine transition that is not allowed.
    pub fn illegal(message: impl Into<String>) -> Reply {
        Reply::error(400, message)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Adds a top-level key to the body (an object).
    pub fn with(mut self, key: &str, value: Value) -> Reply {
        if let Value::Object(map) = &mut self.body {
            map.insert(key.to_owned(), value);
        }
        self
    }
}

/// Builds a success body from `(key, value)` pairs.
pub fn body<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
