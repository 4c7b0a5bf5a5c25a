//! The Pathbound spec-to-Rust generator.
//!
//! The pipeline has four stages, each in its own module:
//!
//! 1. [`load`]: read the spec files and parse their YAML ([`decode`] turns values
//!    into the [`ast`], reporting every shape problem with its location);
//! 2. [`validate`]: check references, names, paths and pagination across the spec;
//! 3. [`model`]: build the intermediate representation, where every Rust name is
//!    decided beside its wire name ([`naming`] holds all case conversion);
//! 4. [`emit`]: turn the model into tokens with `quote` and format them with
//!    `prettyplease`.
//!
//! [`generate_dir`] runs them all.

pub mod ast;
pub mod decode;
pub mod diagnostics;
pub mod emit;
pub mod load;
pub mod locate;
pub mod model;
pub mod naming;
pub mod openapi;
pub mod reference;
pub mod types;
pub mod validate;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::GeneratedFile;

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec has problems; every one found is listed.
    Spec(Diagnostics),
    /// The generator emitted invalid code (a generator bug).
    Emit(emit::EmitError),
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

/// Loads, validates and builds the model of the spec at `path` (a directory with
/// `api.yaml`, or a single file). File names in errors are shown under `display_root`.
pub fn load_model(path: &Path, display_root: &str) -> Result<model::Model, Diagnostics> {
    let files = load::read_spec(path, display_root)?;
    model_from_files(files)
}

/// Like [`load_model`], from in-memory files (the first is the main file).
pub fn model_from_files(files: Vec<ast::SourceFile>) -> Result<model::Model, Diagnostics> {
    let (loaded, mut problems) = load::decode(files)?;
    if let Err(Diagnostics(more)) = validate::validate(&loaded) {
        problems.extend(more);
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let names: Vec<String> = loaded.files.iter().map(|f| f.name.clone()).collect();
    Ok(model::build(&loaded.spec, &names))
}

/// Generates every file for the spec at `path`.
pub fn generate_dir(path: &Path, display_root: &str) -> Result<Vec<GeneratedFile>, Error> {
    let model = load_model(path, display_root).map_err(Error::Spec)?;
    emit::emit(&model).map_err(Error::Emit)
}

/// Generates every file from in-memory spec files.
pub fn generate_files(files: Vec<ast::SourceFile>) -> Result<Vec<GeneratedFile>, Error> {
    let model = model_from_files(files).map_err(Error::Spec)?;
    emit::emit(&model).map_err(Error::Emit)
}
