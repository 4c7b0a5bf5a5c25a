//! [`Call`]: one prepared request, and [`RequestOptions`]: per-request overrides.
//!
//! Generated code turns a request builder into a `Call` and hands it to
//! [`super::Client::execute`]. The generic methods here ([`Call::query`],
//! [`Call::json`]) only serialise; everything else happens in non-generic code,
//! so each generated operation adds little compiled code.

use std::time::Duration;

use serde::Serialize;

use super::error::{Error, Result};
use super::operation::Operation;

/// Per-request settings that override the client's.
///
/// Generated request builders carry one and expose setters for it; build one
/// with [`RequestOptions::new`] and the chained setters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Total time allowed for each attempt, instead of the client's timeout.
    pub timeout: Option<Duration>,
    /// Retries allowed for this request, instead of the client's
    /// (`Some(0)` disables them; more than [`super::MAX_RETRIES_LIMIT`] makes
    /// the request fail before it is sent, as does a zero timeout or deadline). A request is retried after a connection
    /// failure, after a 429, and — only for operations safe to repeat — after a
    /// timeout, a broken connection, or a 408/500/502/503/504.
    pub max_retries: Option<u32>,
    /// Total time allowed for the request, every attempt and every wait
    /// between retries included, instead of the client's deadline. When it is
    /// reached the request ends with the last failure (or [`super::Error::Timeout`]).
    pub deadline: Option<Duration>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`RequestOptions::timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`RequestOptions::max_retries`].
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sets [`RequestOptions::deadline`].
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

/// A request ready to be sent with [`super::Client::execute`].
///
/// It borrows its path arguments and options, so build it in the same
/// expression that executes it (or bind the argument array to a variable first).
///
/// Its `Debug` shows the operation and options, and only the sizes of the
/// values: a body may hold fields marked `secret` (passwords, codes), and path
/// and query values personal data (an email in a search).
#[must_use = "a Call does nothing until passed to Client::execute"]
pub struct Call<'a> {
    pub(crate) op: &'static Operation,
    pub(crate) options: &'a RequestOptions,
    pub(crate) path_args: &'a [&'a str],
    pub(crate) fixed_query: &'static [(&'static str, &'static str)],
    /// Serialised query string without the leading `?`.
    pub(crate) query: String,
    /// Serialised JSON body.
    pub(crate) body: Option<Vec<u8>>,
    /// The value of the parameter the operation's scope depends on, if it does.
    pub(crate) scope_value: Option<&'a str>,
}

impl std::fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.op.id)
            .field("options", &self.options)
            .field(
                "path_args",
                &format_args!("[{} value(s)]", self.path_args.len()),
            )
            .field("fixed_query", &self.fixed_query)
            .field("query", &format_args!("[{} bytes]", self.query.len()))
            .field(
                "body",
                &format_args!(
                    "{}",
                    match &self.body {
                        Some(body) => format!("[{} bytes]", body.len()),
                        None => "None".to_owned(),
                    }
                ),
            )
            .finish()
    }
}

impl<'a> Call<'a> {
    /// Starts a call of `op` with `options`.
    pub fn new(op: &'static Operation, options: &'a RequestOptions) -> Self {
        Call {
            op,
            options,
            path_args: &[],
            fixed_query: &[],
            query: String::new(),
            body: None,
            scope_value: None,
        }
    }

    /// The value of the parameter the operation's scope depends on
    /// ([`Operation::scope_by`](super::Operation::scope_by)), so the client-side
    /// scope check and a 403's message name the scope this call needs.
    pub fn scope_param(mut self, value: &'a str) -> Self {
        self.scope_value = Some(value);
        self
    }

    /// Values for the path template's `{...}` placeholders, in order. Each is
    /// percent-encoded as one path segment (`a/b` cannot escape it); an empty,
    /// `.` or `..` value, or a count that does not match the template, makes
    /// `execute` fail with [`Error::InvalidRequest`] before sending.
    pub fn path_args(mut self, args: &'a [&'a str]) -> Self {
        self.path_args = args;
        self
    }

    /// Adds query parameters from any value `serde_urlencoded` can serialise
    /// (a struct whose `None` fields are marked `skip_serializing_if`, a slice
    /// of pairs, a map). May be called more than once; parameters accumulate.
    pub fn query<Q: Serialize + ?Sized>(self, query: &Q) -> Result<Self> {
        let encoded = serde_urlencoded::to_string(query);
        self.push_query(encoded)
    }

    /// Adds `name=item` once per item (a list parameter declared `style: repeat`);
    /// `None` adds nothing.
    pub fn query_repeated<T: Serialize>(self, name: &str, items: Option<&[T]>) -> Result<Self> {
        let mut pairs = Vec::new();
        for item in items.unwrap_or_default() {
            let text = super::query::item_text(item)
                .map_err(|why| Error::invalid(Some(self.op.id), "query", why))?;
            pairs.push((name, text));
        }
        let encoded = serde_urlencoded::to_string(&pairs);
        self.push_query(encoded)
    }

    fn push_query(mut self, encoded: Result<String, serde_urlencoded::ser::Error>) -> Result<Self> {
        let encoded = encoded.map_err(|e| {
            Error::invalid(
                Some(self.op.id),
                "query",
                format!("could not encode the query: {e}"),
            )
        })?;
        if !encoded.is_empty() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query.push_str(&encoded);
        }
        Ok(self)
    }

    /// Query pairs sent on every call of this operation (e.g. `count_only=true`);
    /// they come first in the query string.
    pub fn fixed_query(mut self, pairs: &'static [(&'static str, &'static str)]) -> Self {
        self.fixed_query = pairs;
        self
    }

    /// Sets the JSON request body.
    pub fn json<B: Serialize + ?Sized>(self, body: &B) -> Result<Self> {
        let encoded = serde_json::to_vec(body);
        self.set_body(encoded)
    }

    fn set_body(mut self, encoded: serde_json::Result<Vec<u8>>) -> Result<Self> {
        let body = encoded.map_err(|e| {
            Error::invalid(
                Some(self.op.id),
                "body",
                format!("could not encode the body: {e}"),
            )
        })?;
        self.body = Some(body);
        Ok(self)
    }

    /// The operation this call is for.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The full query string: fixed pairs first, then the caller's.
    pub(crate) fn query_string(&self) -> Result<String> {
        if self.fixed_query.is_empty() {
            return Ok(self.query.clone());
        }
        let fixed = serde_urlencoded::to_string(self.fixed_query).map_err(|e| {
            Error::invalid(
                Some(self.op.id),
                "query",
                format!("could not encode the query: {e}"),
            )
        })?;
        Ok(match self.query.is_empty() {
            true => fixed,
            false => format!("{fixed}&{}", self.query),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::{Call, RequestOptions};
    use crate::error::Error;
    use crate::operation::{Method, Operation};

    static LIST: Operation = Operation {
        id: "contacts.list",
        method: Method::Get,
        path: "/contacts",
        scope: Some("contacts:read"),
        scope_by: None,
        auth: true,
        retry_safe: true,
    };

    #[derive(Serialize)]
    struct Query<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        search: Option<&'a str>,
    }

    #[test]
    fn query_skips_none_and_encodes_values_after_fixed_pairs() {
        let options = RequestOptions::new();
        let call = Call::new(&LIST, &options)
            .fixed_query(&[("count_only", "true")])
            .query(&Query {
                page: Some(2),
                search: Some("a&b c"),
            })
            .unwrap()
            .query(&Query {
                page: None,
                search: None,
            })
            .unwrap();
        assert_eq!(
            call.query_string().unwrap(),
            "count_only=true&page=2&search=a%26b+c"
        );
    }

    #[test]
    fn unencodable_query_and_body_are_invalid_requests() {
        let options = RequestOptions::new();
        let nested = BTreeMap::from([("filter", BTreeMap::from([("a", 1)]))]);
        match Call::new(&LIST, &options).query(&nested) {
            Err(Error::InvalidRequest {
                parameter,
                operation,
                ..
            }) => {
                assert_eq!(
                    (parameter.as_str(), operation),
                    ("query", Some("contacts.list"))
                );
            }
            other => panic!("{other:?}"),
        }
        let bad_body = BTreeMap::from([(vec![1u8], 1)]);
        match Call::new(&LIST, &options).json(&bad_body) {
            Err(Error::InvalidRequest { parameter, .. }) => assert_eq!(parameter, "body"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_body_is_serialised_and_options_chain() {
        let options = RequestOptions::new()
            .max_retries(0)
            .timeout(std::time::Duration::from_secs(1));
        assert_eq!(options.max_retries, Some(0));
        let call = Call::new(&LIST, &options)
            .json(&serde_json::json!({"email": "a@b.c"}))
            .unwrap();
        assert_eq!(call.body.as_deref(), Some(&br#"{"email":"a@b.c"}"#[..]));
        assert_eq!(call.operation().id, "contacts.list");
    }

    #[test]
    fn debug_shows_sizes_not_values() {
        static OP: Operation = Operation {
            id: "identities.linkedin_login",
            method: Method::Post,
            path: "/identities/{identity_id}/linkedin/login",
            scope: None,
            scope_by: None,
            auth: true,
            retry_safe: false,
        };
        let options = RequestOptions::new();
        let args = ["id_ada@example.com"];
        let call = Call::new(&OP, &options)
            .path_args(&args)
            .query(&[("search", "ada@example.com")])
            .unwrap()
            .json(&serde_json::json!({"username": "ada", "password": "hunter2"}))
            .unwrap();
        let shown = format!("{call:?}");
        for secret in [
            "hunter2",
            "ada@example.com",
            "ada%40example.com",
            "104, 117",
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("identities.linkedin_login"), "{shown}");
        assert!(shown.contains("bytes]"), "{shown}");
    }
}
