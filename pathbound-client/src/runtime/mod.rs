//! The hand-written runtime that generated API code calls into.
//!
//! It is deliberately spec-agnostic: nothing in here names a Pathbound resource,
//! so the same files can be compiled into other crates (the test fixture crate
//! includes them with `#[path = ...]`). For that reason the modules refer to
//! each other only through `super::`; the one exception is `crate::runtime::`
//! in tests and in serde attribute paths, which assumes (as every including
//! crate does) that the runtime is mounted at `crate::runtime`. An including
//! crate needs the same dependencies as `pathbound-client`: `reqwest`,
//! `ring`, `rustls`, `rustls-platform-verifier`, `serde`, `serde_json`,
//! `serde_urlencoded`, `tokio` (feature `time`) and `tracing`; the unit tests in
//! these files need nothing more.
//!
//! Layout, one job per module:
//!
//! | module | job |
//! |---|---|
//! | `config` | [`ClientBuilder`]: collect and validate settings |
//! | `client` | [`Client`]: the shared handle; [`Client::execute`] sends a [`Call`] |
//! | `tls` | the rustls configuration used when we build the HTTP client ourselves |
//! | `operation` | [`Operation`] and [`Method`]: static descriptions of endpoints |
//! | `call` | [`Call`] and [`RequestOptions`]: one prepared request |
//! | `url` | path templating and percent-encoding |
//! | `retry` | which failures are retried, and how long to wait |
//! | `response` | [`Response`]: the body and its decoding helpers; [`WithResponse`] |
//! | `envelope` | one-pass extraction of a key from a JSON envelope |
//! | `page` | [`Page`], [`PageInfo`] and [`PaginationStyle`] |
//! | `stream` | [`PageStream`]: every page of a list as a lazy `Stream` of items |
//! | `error` | [`Error`] and [`ApiError`] |
//! | `snippet` | bounded, char-safe excerpts of bodies for error messages |
//! | [`validate`] | client-side range and length checks |
//! | [`ids`] | fields that arrive under several wire names |
//! | `timestamp` | [`Timestamp`] |
//! | `secret` | the redacting wrapper around the API key |
//! | [`webhook`] | verification of signed webhook deliveries |
#![warn(missing_docs)]
#![deny(unsafe_code)]
// Nothing from the network or the caller may panic the client; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod call;
mod client;
mod config;
mod envelope;
mod error;
pub mod ids;
mod operation;
mod page;
mod response;
mod retry;
mod secret;
mod snippet;
mod stream;
mod timestamp;
mod tls;
mod url;
pub mod validate;
pub mod webhook;

pub use call::{Call, RequestOptions};
pub use client::Client;
pub use config::{
    ApiDefaults, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
pub use error::{ApiError, Error, Result};
pub use operation::{Method, Operation};
pub use page::{Page, PageInfo, PaginationStyle};
pub use response::{Response, WithResponse};
pub use secret::SecretString;
pub use stream::{PageFuture, PageStream, PagedRequest};
pub use timestamp::Timestamp;

/// The API the runtime's own tests configure clients for: no real API's name.
#[cfg(test)]
pub(crate) const TEST_API: ApiDefaults = ApiDefaults {
    base_url: "https://api.example.test/v1",
    api_key_env: "TEST_API_KEY",
    base_url_env: "TEST_BASE_URL",
    user_agent: "runtime-tests/1",
};
