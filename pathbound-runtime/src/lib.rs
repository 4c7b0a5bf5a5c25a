//! The hand-written runtime under a generated Pathbound client.
//!
//! A generated client crate (`pathbound-client`, or any crate the generator
//! writes from a spec) depends on this crate and owns its `Client`: a thin type
//! over this crate's [`Client`], with one accessor per resource. Users meet this
//! crate's types through that crate's re-exports: [`Error`], [`Page`],
//! [`PageStream`], [`RequestOptions`], [`Scope`], [`Timestamp`], the builder's settings.
//!
//! # Requests
//!
//! Every operation of a generated client works the same way. The resource
//! accessor takes the required arguments and returns a request value
//! (`client.contacts().create("ada@example.com")`); its setters add optional
//! parameters, and nothing is sent until it is awaited:
//!
//! - `.send().await` sends it and decodes the success response: the object the
//!   envelope holds, a [`Page`] for one page of a list, or `()`.
//! - `.send_with_response().await` also returns the status, headers and
//!   request id ([`WithResponse`]).
//! - `.stream()`, on lists, walks every page lazily ([`PageStream`]).
//! - `.options(RequestOptions::new().timeout(..).max_retries(0))` overrides the
//!   client's timeout, retries or deadline for this request only
//!   ([`RequestOptions`]).
//! - `Request::OPERATION` says what the request is: method, documented path,
//!   scope ([`Operation::required_scope`]) and whether it is safe to retry.
//!
//! Sending fails with an [`Error`]: before anything is sent when a documented
//! limit is broken ([`Error::InvalidRequest`]) or client-side scope checks find
//! the key lacks the scope ([`Error::MissingScope`]); on a transport failure or
//! timeout ([`Error::Transport`], [`Error::Timeout`]) once retries are spent;
//! for any non-success status ([`Error::Api`], which names the endpoint, the
//! status and what the server said); and when a success body does not decode
//! ([`Error::Decode`]).
//!
//! The runtime is spec-agnostic: nothing in here names a Pathbound resource. It
//! reads the wire format (envelopes, pagination, the error body) from
//! `pathbound-wire`, the same tables the generator and the mock read.
//!
//! What only generated code calls (preparing a [`__private::Call`], decoding a
//! response, walking pages, checking documented limits, accepting several wire
//! names for one field) is under [`__private`], hidden from the docs: it is not
//! part of the API and may change with the generator.
//!
//! Layout, one job per module:
//!
//! | module | job |
//! |---|---|
//! | `config` | [`ClientBuilder`]: collect and validate settings |
//! | `client` | [`Client`]: the shared handle; `Client::execute` sends a `Call` |
//! | `tls` | the rustls configuration used when we build the HTTP client ourselves |
//! | `operation` | [`Operation`] and [`Method`]: static descriptions of endpoints |
//! | `observe` | [`ResponseObserver`]: an opt-in look at every successful body |
//! | `call` | `Call` and [`RequestOptions`]: one prepared request |
//! | `url` | path templating and percent-encoding |
//! | `retry` | which failures are retried, and how long to wait |
//! | `response` | `Response`: the body and its decoding helpers; [`WithResponse`] |
//! | `envelope` | one-pass extraction of a key from a JSON envelope |
//! | `page` | [`Page`], [`PageInfo`], decoding of the wire format's pagination envelopes |
//! | `stream` | [`PageStream`]: every page of a list as a lazy `Stream` of items |
//! | `error` | [`Error`] and [`ApiError`], read from the wire format's error envelope |
//! | `snippet` | bounded, char-safe excerpts of bodies for error messages |
//! | `validate` | client-side range and length checks |
//! | `query` | list query parameters (`style: comma` and `style: repeat`) |
//! | `id` | [`Id`]: ids typed by what they identify |
//! | `ids` | fields that arrive under several wire names |
//! | `lenient` | decoders for fields marked `lenient` (numeric strings, epoch dates) |
//! | `scope` | [`Scope`]: one type for every scope, constant or sent by the server |
//! | `unknown` | [`UnknownValue`]: enum values this version does not know |
//! | `timestamp` | [`Timestamp`], and its conversions behind the features below |
//! | `secret` | the redacting wrapper around the API key |
//! | [`webhook`] | verification of signed webhook deliveries |
//!
//! # Optional features
//!
//! All off by default; each adds one date-time crate (with its default features
//! off) and conversions of [`Timestamp`] to and from it. A generated client
//! re-exposes them under the same names (`pathbound-client/chrono`, …).
//!
//! | feature | adds | to a date | from a date |
//! |---|---|---|---|
//! | `time` | `time` 0.3 (`parsing`) | `Timestamp::to_time()` → `time::OffsetDateTime` | `From<OffsetDateTime>` |
//! | `chrono` | `chrono` 0.4 (`alloc`) | `Timestamp::to_chrono()` → `chrono::DateTime<Utc>` | `From<DateTime<Tz>>` |
//! | `jiff` | `jiff` 1 (`std`) | `Timestamp::to_jiff()` → `jiff::Timestamp` | `From<jiff::Timestamp>` |
//!
//! The `to_*` methods (also `TryFrom<&Timestamp>`) read RFC 3339 text and fail
//! with `TimestampError` otherwise; `From` writes the API's format, UTC with
//! milliseconds (`2024-05-01T10:00:00.123Z`).
#![warn(missing_docs)]
#![forbid(unsafe_code)]
// Nothing from the network or the caller may panic the client; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod call;
mod client;
mod config;
mod envelope;
mod error;
mod id;
#[doc(hidden)]
pub mod ids;
#[doc(hidden)]
pub mod lenient;
mod observe;
mod operation;
mod page;
#[doc(hidden)]
pub mod query;
mod response;
mod retry;
mod scope;
mod secret;
mod snippet;
mod stream;
mod timestamp;
mod tls;
mod unknown;
mod url;
#[doc(hidden)]
pub mod validate;
pub mod webhook;

#[cfg(test)]
mod loopback_tests;

pub use call::RequestOptions;
pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT, MAX_RETRIES_LIMIT,
};
pub use error::{ApiError, Error, Result};
pub use id::Id;
pub use observe::ResponseObserver;
pub use operation::{Method, Operation, ScopeBy};
pub use page::{Page, PageInfo, PaginationStyle};
pub use response::WithResponse;
pub use scope::Scope;
pub use secret::SecretString;
pub use stream::PageStream;
pub use timestamp::Timestamp;
#[cfg(any(feature = "time", feature = "chrono", feature = "jiff"))]
pub use timestamp::TimestampError;
pub use unknown::UnknownValue;

/// Plumbing for generated code: not part of the API, and it may change with
/// the generator. Generated code reaches it as `::pathbound_runtime::__private`.
#[doc(hidden)]
pub mod __private {
    pub use crate::call::Call;
    pub use crate::config::{ApiDefaults, FromRuntime};
    pub use crate::response::Response;
    pub use crate::stream::{PageFuture, PagedRequest};
    pub use crate::unknown::{from_str, unknown};
    pub use crate::{ids, lenient, query, validate};
}

/// The API the runtime's own tests configure clients for: no real API's name.
#[cfg(test)]
pub(crate) const TEST_API: config::ApiDefaults = config::ApiDefaults {
    base_url: "https://api.example.test/v1",
    api_key_env: "TEST_API_KEY",
    base_url_env: "TEST_BASE_URL",
    user_agent: "runtime-tests/1",
};
