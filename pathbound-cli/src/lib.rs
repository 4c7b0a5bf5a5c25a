//! `pathbound`: the Pathbound API from the command line.
//!
//! The command tree is generated from the spec (`src/generated/`, written by
//! `cargo xtask codegen`): one subcommand per resource, one per operation, its
//! required parameters as arguments and the others as `--flags`. Each command
//! calls the API through `pathbound-client`, so retries, error messages, scope
//! names and pagination are the library's. The hand-written part builds the
//! `clap` commands from the generated tables ([`mod@command`]), resolves the key and
//! base URL ([`config`]), prints results ([`output`]) and maps failures to exit
//! codes ([`error`]).
#![forbid(unsafe_code)]

pub mod command;
pub mod config;
pub mod dry_run;
pub mod error;
#[rustfmt::skip]
mod generated;
pub mod output;
mod run;

pub use run::{command, main};

/// Every resource's command table, generated from the spec, in spec order.
pub fn resources() -> &'static [&'static command::Resource] {
    generated::RESOURCES
}
