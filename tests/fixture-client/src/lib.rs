//! The client generated from `tests/fixtures/kitchen-sink.yaml`, a spec that uses
//! every feature of the spec format.
//!
//! It depends on the same runtime crate as `pathbound-client`, so compiling this
//! crate proves that every spec feature produces working Rust, and its tests
//! prove the generated code behaves.
#![forbid(unsafe_code)]

pub use pathbound_runtime as runtime;

#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use runtime::{Error, Page, RequestOptions, Result, Timestamp};
