//! The client generated from `tests/fixtures/kitchen-sink.yaml`, a spec that uses
//! every feature of the spec format.
//!
//! It shares the hand-written runtime with `pathbound-client` (compiled in from the
//! same source files), so compiling this crate proves that every spec feature
//! produces working Rust, and its tests prove the generated code behaves.

#[path = "../../../pathbound-client/src/runtime/mod.rs"]
pub mod runtime;

#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use runtime::{Client, Error, Page, Result, Timestamp};
