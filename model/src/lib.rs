//! The Pathbound spec, loaded, checked and modelled for every backend.
//!
//! The pipeline has three stages, each in its own module:
//!
//! 1. [`load`]: read the spec files and parse their YAML ([`decode`] turns values
//!    into the [`ast`], reporting every shape problem with its location);
//! 2. [`validate`]: check references, paths, scopes and pagination across the spec;
//! 3. [`model`]: the resolved, language-neutral [`Model`] that the generator's
//!    backends (Rust, OpenAPI, Markdown) and the mock read.
//!
//! The wire format (envelopes, pagination, methods) is not written here: it is
//! [`wire`], re-exported from `pathbound-wire`, which the runtime reads too.
//! [`load_dir`] and [`load_files`] run the whole pipeline.
//!
//! This crate does not know any target language, and depends on nothing that
//! generates code.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
pub mod decode;
pub mod diagnostics;
pub mod load;
pub mod locate;
pub mod model;
pub mod names;
pub mod path;
pub mod types;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use model::Model;
pub use pathbound_wire as wire;
pub use types::TypeExpr;

use std::path::Path;

/// Loads, validates and models the spec at `path` (a directory with `api.yaml`,
/// or a single file). File names in errors are shown under `display_root`.
pub fn load_dir(path: &Path, display_root: &str) -> Result<Model, Diagnostics> {
    load_files(load::read_spec(path, display_root)?)
}

/// Like [`load_dir`], from in-memory files (the first is the main file).
pub fn load_files(files: Vec<ast::SourceFile>) -> Result<Model, Diagnostics> {
    let (model, problems) = load_files_with_problems(files)?;
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Loads and validates in-memory files, and builds the model even when the spec
/// has problems (from whatever decoded), so that a backend can add its own
/// findings to the same report and an author sees every problem in one run.
///
/// A model built from a spec with problems is only fit for such checks; nothing
/// should be generated from it. `Err` only when a file is not valid YAML.
pub fn load_files_with_problems(
    files: Vec<ast::SourceFile>,
) -> Result<(Model, Vec<Diagnostic>), Diagnostics> {
    let (loaded, mut problems) = load::decode(files)?;
    if let Err(Diagnostics(more)) = validate::validate(&loaded) {
        problems.extend(more);
    }
    Ok((model::build(&loaded.spec, loaded.sources), problems))
}
