//! Let the real API correct the spec: compare live responses with the spec and
//! say exactly what to change.
//!
//! `cargo xtask drift` runs this crate's binary: it reads the key's scopes,
//! calls every operation the spec marks read-only that the key may call (small
//! pages, ids taken from the lists for the `get`s), and checks each answer
//! against the spec's schemas through the runtime's response observer
//! ([`pathbound_runtime::ResponseObserver`]). The [`Report`] lists, per schema
//! and field, located at the spec's file, line and spec path:
//!
//! - keys the spec does not declare, with a type inferred from the values;
//! - enum values it does not list;
//! - optional fields that never appeared, and required fields that were absent;
//! - `null` where the field is not `nullable`;
//! - values of another type (`"250"` for an `integer`);
//! - envelope keys other than `response.key` / `pagination.items`.
//!
//! Nothing is ever created, changed or deleted: [`plan::is_read_only`] is the
//! spec's rule (`effect: read`, the default of a `GET`), and [`plan::Guard`]
//! applies it again to every request before it is sent.
//!
//! | module | job |
//! |---|---|
//! | [`check`] | compares one body with the spec, per schema and field |
//! | `infer` | [`Shape`]: the type the values seen suggest |
//! | [`plan`] | the read-only rule, the guard, and each call's arguments |
//! | [`mod@run`] | the run against an API |
//! | [`report`] | located findings with suggested edits; text and JSON |
//! | `log` | [`DriftLog`]: the same check as a `tracing` observer for any application |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
mod infer;
mod log;
pub mod plan;
pub mod report;
pub mod run;

pub use check::{Checker, DriftKey, DriftKind, Observations};
pub use infer::Shape;
pub use log::DriftLog;
pub use report::{Finding, Report};
pub use run::{Target, run};
