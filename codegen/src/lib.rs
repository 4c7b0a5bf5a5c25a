//! The Pathbound generator: backends that turn the spec model into artefacts.
//!
//! The spec is loaded, validated and modelled by `pathbound-model` (re-exported
//! here as [`spec`]); its [`Model`](spec::Model) is language-neutral. Each
//! backend reads that model:
//!
//! | backend | writes |
//! |---|---|
//! | [`backend::rust`] | the Rust client: its naming layer decides and checks every identifier, then `quote` builds tokens that `syn` parses and `prettyplease` formats |
//! | [`backend::openapi`] | the OpenAPI 3.1 document (`docs/openapi.yaml`) |
//! | [`backend::markdown`] | the Markdown API reference (`docs/api.md`) |
//! | [`backend::cli`] | the `pathbound` command tree (`pathbound-cli/src/generated/`), calling the Rust client |
//!
//! The wire format every backend describes (envelopes, pagination, errors) is
//! `pathbound-wire`, reachable as [`spec::wire`]. [`generate_dir`] runs the
//! pipeline and the Rust backend.
#![forbid(unsafe_code)]

pub mod backend;

use std::path::Path;

pub use backend::rust::emit::{EmitError, GeneratedFile};
pub use backend::{cli, markdown, openapi};
pub use pathbound_model as spec;
pub use pathbound_model::{Diagnostic, Diagnostics, ast, load};

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec has problems; every one found is listed.
    Spec(Diagnostics),
    /// The generator emitted invalid code (a generator bug).
    Emit(EmitError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) => d.fmt(f),
            Error::Emit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Loads the spec at `path` (a directory with `api.yaml`, or a single file) and
/// checks it for every backend, Rust names included: one report lists the
/// spec's own problems first, then the names that do not work in Rust. File
/// names in errors are shown under `display_root`.
pub fn load_model(path: &Path, display_root: &str) -> Result<spec::Model, Diagnostics> {
    model_from_files(load::read_spec(path, display_root)?)
}

/// Like [`load_model`], from in-memory files (the first is the main file).
pub fn model_from_files(files: Vec<ast::SourceFile>) -> Result<spec::Model, Diagnostics> {
    let (model, mut problems) = pathbound_model::load_files_with_problems(files)?;
    if let Err(Diagnostics(more)) = backend::rust::model::build(&model) {
        problems.extend(more);
    }
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Generates the Rust client for the spec at `path`.
pub fn generate_dir(path: &Path, display_root: &str) -> Result<Vec<GeneratedFile>, Error> {
    let model = load_model(path, display_root).map_err(Error::Spec)?;
    backend::rust::generate(&model)
}

/// Like [`generate_dir`], for a client in the crate `crate_name` (as code
/// names it, e.g. `fixture_client`), which its rustdoc examples import.
pub fn generate_dir_as(
    path: &Path,
    display_root: &str,
    crate_name: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let model = load_model(path, display_root).map_err(Error::Spec)?;
    backend::rust::generate_crate(&model, crate_name)
}

/// Generates the Rust client from in-memory spec files.
pub fn generate_files(files: Vec<ast::SourceFile>) -> Result<Vec<GeneratedFile>, Error> {
    let model = model_from_files(files).map_err(Error::Spec)?;
    backend::rust::generate(&model)
}
