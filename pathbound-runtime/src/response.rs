//! [`Response`]: a successful response, read whole, and the ways to decode it.
//!
//! The generic decoding methods are thin: each builds a seed and calls one
//! non-generic helper to turn a serde error into [`Error::Decode`].
//!
//! [`Response::with_meta`] keeps the status, headers and request id next to
//! the decoded value, as a [`WithResponse`], for callers that need them.

use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, DeserializeSeed};

use super::envelope::Field;
use super::error::{Error, Result};
use super::operation::Operation;
use super::page::{Page, PageSeed, PaginationStyle};
use super::snippet::{bounded_message, snippet};

/// A 2xx response whose body has been read into memory.
///
/// Returned by [`super::Client::execute`]; generated code then calls exactly
/// one of the decoding methods.
#[derive(Debug)]
pub struct Response {
    op: &'static Operation,
    status: u16,
    headers: HeaderMap,
    body: Body,
}

/// A body read whole: the one chunk the connection delivered, kept as it came
/// (no copy: the usual case for a response with a `Content-Length`), or the
/// bytes of several chunks joined.
pub(crate) enum Body {
    /// Several chunks, joined (or a body built in memory).
    Joined(Vec<u8>),
    /// The only chunk (`bytes::Bytes`, which this crate does not name).
    Chunk(Box<dyn AsRef<[u8]> + Send + Sync>),
}

impl Body {
    /// The body as it came, without copying it.
    pub(crate) fn chunk(chunk: impl AsRef<[u8]> + Send + Sync + 'static) -> Self {
        Body::Chunk(Box::new(chunk))
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Body::Joined(bytes) => bytes,
            Body::Chunk(chunk) => (**chunk).as_ref(),
        }
    }

    pub(crate) fn into_vec(self) -> Vec<u8> {
        match self {
            Body::Joined(bytes) => bytes,
            Body::Chunk(chunk) => (*chunk).as_ref().to_vec(),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::Joined(bytes)
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.as_slice().len())
    }
}

impl Response {
    pub(crate) fn new(
        op: &'static Operation,
        status: u16,
        headers: HeaderMap,
        body: impl Into<Body>,
    ) -> Self {
        Response {
            op,
            status,
            headers,
            body: body.into(),
        }
    }

    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-request-id` header, when the server sent a printable one.
    pub fn request_id(&self) -> Option<&str> {
        super::client::request_id(&self.headers)
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        self.body.as_slice()
    }

    /// The operation this response answers.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The status, headers and body, taken apart. The body is copied when it
    /// arrived in one chunk (kept as it came, shared with the connection's
    /// read buffer, until then); the headers never are.
    pub fn into_parts(self) -> (u16, HeaderMap, Vec<u8>) {
        (self.status, self.headers, self.body.into_vec())
    }

    /// Decodes the response with `decode` (any of the decoding methods) and
    /// keeps its status, headers and request id next to the value.
    ///
    /// This is what a request's `send_with_response()` calls:
    ///
    /// ```ignore
    /// let response = client.execute(call).await?;
    /// let contact = response.with_meta(|r| r.decode_key::<Contact>("contact"))?;
    /// println!("{} {:?}", contact.status, contact.request_id);
    /// let contact: Contact = contact.value;
    /// ```
    ///
    /// # Errors
    ///
    /// Whatever `decode` returns; the metadata is dropped with it (an
    /// [`Error::Decode`] carries the status, the operation and a body snippet).
    pub fn with_meta<T>(
        mut self,
        decode: impl FnOnce(Response) -> Result<T>,
    ) -> Result<WithResponse<T>> {
        // Decoding reads only the status and the body, so the headers move out
        // (no copy: every typed `send` goes through here).
        let request_id = self.request_id().map(str::to_owned);
        let headers = std::mem::take(&mut self.headers);
        let status = self.status;
        let value = decode(self)?;
        Ok(WithResponse {
            value,
            status,
            headers,
            request_id,
        })
    }

    /// Decodes the whole body as `T`.
    ///
    /// An empty success body (a `204 No Content`, say) is read as `{}`: a type
    /// whose fields are all optional decodes to its empty value, and a type with
    /// required fields still fails with [`Error::Decode`].
    pub fn decode<T: DeserializeOwned>(self) -> Result<T> {
        let body: &[u8] = if self.body().iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            self.body()
        };
        let result = serde_json::from_slice(body);
        result.map_err(|e| self.decode_error(&e))
    }

    /// Decodes the value under the top-level `key` of the JSON envelope
    /// (`{"status":"success","contact":{…}}` → the contact), in one pass: other
    /// keys are skipped without being built. A missing key is an
    /// [`Error::Decode`] naming it.
    pub fn decode_key<T: DeserializeOwned>(self, key: &'static str) -> Result<T> {
        let result = self.decode_seed(Field::<T>::new(key));
        result.map_err(|e| self.decode_error(&e))
    }

    /// Decodes a paginated list whose items are under `items_key`, with the
    /// metadata of `style`, in one pass.
    pub fn decode_page<T: DeserializeOwned>(
        self,
        items_key: &'static str,
        style: PaginationStyle,
    ) -> Result<Page<T>> {
        let result = self.decode_seed(PageSeed::<T>::new(items_key, style));
        result.map_err(|e| self.decode_error(&e))
    }

    /// Discards the body (for endpoints that return nothing useful).
    pub fn ignore_body(self) -> Result<()> {
        Ok(())
    }

    fn decode_seed<'de, S: DeserializeSeed<'de>>(
        &'de self,
        seed: S,
    ) -> serde_json::Result<S::Value> {
        let mut deserializer = serde_json::Deserializer::from_slice(self.body());
        let value = seed.deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    }

    /// The one place a body that did not decode becomes an error.
    fn decode_error(&self, error: &serde_json::Error) -> Error {
        let message = match self.body().iter().all(u8::is_ascii_whitespace) {
            true => format!("the body is empty ({error})"),
            false => error.to_string(),
        };
        Error::Decode {
            operation: self.op.id,
            status: self.status,
            message: bounded_message(message),
            snippet: snippet(self.body()),
        }
    }
}

/// A decoded value together with the response it came from: the status, the
/// headers (for rate-limit or tracing headers the typed API does not model)
/// and the request id to quote to support.
///
/// Built by [`Response::with_meta`]; generated requests return it from
/// `send_with_response()`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WithResponse<T> {
    /// The decoded body, as `send()` would return it.
    pub value: T,
    /// The HTTP status (2xx).
    pub status: u16,
    /// All response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` header, when the server sent a printable one.
    pub request_id: Option<String>,
}

impl<T> WithResponse<T> {
    /// The value, dropping the metadata.
    pub fn into_value(self) -> T {
        self.value
    }

    /// Transforms the value, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> WithResponse<U> {
        WithResponse {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
        }
    }

    /// A header's value as text, when present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};
    use serde::Deserialize;

    use super::{Response, WithResponse};
    use crate::error::Error;
    use crate::operation::{Method, Operation};
    use crate::page::PaginationStyle;

    static GET: Operation = Operation {
        id: "contacts.get",
        method: Method::Get,
        path: "/contacts/{contact_id}",
        scope: Some("contacts:read"),
        scope_by: None,
        auth: true,
        retry_safe: true,
    };

    #[derive(Debug, Deserialize, PartialEq)]
    struct Contact {
        email: String,
    }

    fn response(body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req_1"));
        Response::new(&GET, 200, headers, body.as_bytes().to_vec())
    }

    fn decode_message(result: super::Result<impl std::fmt::Debug>) -> (String, String) {
        match result {
            Err(Error::Decode {
                operation,
                status,
                message,
                snippet,
            }) => {
                assert_eq!((operation, status), ("contacts.get", 200));
                (message, snippet)
            }
            other => panic!("expected a Decode error, got {other:?}"),
        }
    }

    #[test]
    fn accessors() {
        let r = response("{}");
        assert_eq!(
            (r.status(), r.request_id(), r.body()),
            (200, Some("req_1"), &b"{}"[..])
        );
        assert_eq!(r.operation().id, "contacts.get");
        assert!(r.ignore_body().is_ok());
    }

    #[test]
    fn decode_key_present_missing_and_non_object() {
        let contact: Contact = response(r#"{"status":"success","contact":{"email":"a@b.c"}}"#)
            .decode_key("contact")
            .unwrap();
        assert_eq!(contact.email, "a@b.c");

        let (message, snippet) =
            decode_message(response(r#"{"status":"success"}"#).decode_key::<Contact>("contact"));
        assert!(message.contains("missing field `contact`"), "{message}");
        assert_eq!(snippet, r#"{"status":"success"}"#);

        let (message, _) = decode_message(response(r#""text""#).decode_key::<Contact>("contact"));
        assert!(
            message.contains("expected a JSON object with the key `contact`"),
            "{message}"
        );
    }

    #[test]
    fn decode_whole_body_and_empty_body() {
        let contact: Contact = response(r#"{"email":"x@y.z"}"#).decode().unwrap();
        assert_eq!(contact.email, "x@y.z");
        let (message, _) = decode_message(response("").decode::<Contact>());
        assert!(message.starts_with("the body is empty"), "{message}");
        assert!(message.contains("missing field `email`"), "{message}");
        // A type with only optional fields (an acknowledgement) accepts a 204's empty body.
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Ack {
            message: Option<String>,
        }
        assert_eq!(response("").decode::<Ack>().unwrap(), Ack { message: None });
        assert_eq!(
            response(" \n").decode::<Ack>().unwrap(),
            Ack { message: None }
        );
    }

    #[test]
    fn decode_page_through_the_response() {
        let page = response(r#"{"contacts":[{"email":"a"}],"pagination":{"page":1,"limit":20}}"#)
            .decode_page::<Contact>("contacts", PaginationStyle::Page)
            .unwrap();
        assert_eq!(page.items, vec![Contact { email: "a".into() }]);
        assert_eq!(page.next_page_param(), None);
        let (message, _) = decode_message(
            response("{}").decode_page::<Contact>("contacts", PaginationStyle::Page),
        );
        assert!(message.contains("missing field `contacts`"), "{message}");
    }

    #[test]
    fn with_meta_keeps_status_headers_and_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req_7"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("42"));
        let response = Response::new(
            &GET,
            201,
            headers,
            br#"{"status":"success","contact":{"email":"a@b.c"}}"#.to_vec(),
        );
        let with: WithResponse<Contact> = response
            .with_meta(|r| {
                // The decoder sees the status and body; the headers moved out (no copy).
                assert_eq!(r.status(), 201);
                assert!(r.headers().is_empty());
                r.decode_key("contact")
            })
            .unwrap();
        assert_eq!(with.status, 201);
        assert_eq!(with.request_id.as_deref(), Some("req_7"));
        assert_eq!(with.header("x-ratelimit-remaining"), Some("42"));
        assert_eq!(with.header("x-missing"), None);
        let email = with.map(|c| c.email);
        assert_eq!(email.status, 201);
        assert_eq!(email.into_value(), "a@b.c");

        let (message, _) =
            decode_message(response_meta_failure().with_meta(|r| r.decode_key::<Contact>("x")));
        assert!(message.contains("missing field `x`"), "{message}");
    }

    fn response_meta_failure() -> Response {
        response(r#"{"status":"success"}"#)
    }

    #[test]
    fn into_parts_takes_the_response_apart() {
        let (status, headers, body) = response("{}").into_parts();
        assert_eq!(status, 200);
        assert_eq!(headers.get("x-request-id").unwrap(), "req_1");
        assert_eq!(body, b"{}");
    }
}
