//! `pathbound-mock`: a stateful local fake of the Pathbound API, for tests, demos
//! and offline development.
//!
//! **Spec-driven.** The spec (`spec/`) is embedded at build time and loaded with
//! `pathbound_model`, the generator's language-neutral spec model (the mock
//! compiles none of the code generator). Routing (method and path template), authentication
//! (bearer keys; `auth: false` endpoints need none), scope checks and request
//! validation (query and path parameters, JSON bodies) all come from it, so an
//! endpoint added to the spec is served at once with a schema-shaped response.
//!
//! **Stateful.** Hand-written handlers, dispatched by operation id, add real
//! behaviour over seeded in-memory data: contacts and companies (unique email
//! and domain), two weeks of tracked events, segments, batch reads and
//! aggregates, the action status machine, agents with runs and triggers, and
//! identities with the LinkedIn login flow.
//!
//! **Faults on demand.** Latency, a rate limit (429 with `Retry-After`),
//! injected error statuses and dropped connections, per request (the
//! `x-mock-fault` header, honoured only with a valid API key), per key or per
//! operation ([`Fault`]).
//!
//! **Bounded.** Connections, slow headers, bodies and readers, failed
//! authentications, injected latency and the size of the state all have
//! limits, with defaults and [`MockConfig`] methods to change them; a limit
//! is answered in the error envelope (`408`, `429` or `503`).
//!
//! ```no_run
//! # async fn demo() {
//! use pathbound_mock::{Fault, MockServer, KEY_ALL};
//!
//! let server = MockServer::start().await; // a free port on 127.0.0.1
//! let base_url = server.base_url(); // http://127.0.0.1:PORT/v1
//! server.inject_fault(Fault::status(503).for_key(KEY_ALL).times(1));
//! // ... point a client at base_url with KEY_ALL ...
//! assert!(server.served_operations().is_empty());
//! # let _ = base_url;
//! # }
//! ```
//!
//! Or from a terminal: `cargo run -p pathbound-mock -- --port 4010`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
// Nothing from the network may panic the server; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
mod config;
pub mod drift;
mod fault;
mod handlers;
mod ids;
mod pipeline;
mod ratelimit;
mod reply;
pub mod router;
mod server;
mod shape;
pub mod spec;
mod state;
pub mod testkit;
mod time;
pub mod validate;
mod webhooks;

pub use config::{ApiKey, KEY_ALL, KEY_NO_ACTIONS, KEY_READ_ONLY, MockConfig, RateLimit};
pub use fault::{FAULT_HEADER, Fault, FaultAction, parse_duration, parse_faults};
/// The spec model the mock is built on, re-exported so tests can load the
/// spec's model (`pathbound_mock::pathbound_model::load_dir`).
pub use pathbound_model;
pub use pipeline::BASE_PATH;
pub use server::MockServer;

pub use webhooks::{
    Attempt, ChangeType, DeliveryRecord, Outcome, Selector, Trigger, Webhook, WebhookPolicy,
};
