//! The Rust backend: the generated client.
//!
//! 1. [`naming`] holds every rule that turns a spec name into a Rust identifier,
//!    and the names the runtime and the generated `Client` already take;
//! 2. [`model`] builds the Rust view of the spec model with those rules and
//!    checks them (collisions and reserved names are located spec errors);
//! 3. [`emit`] turns that view into tokens, parses them back with `syn` and
//!    formats them with `prettyplease`.
//!
//! The generated crate depends on `pathbound-runtime` and owns its `Client`: a
//! thin type over the runtime's, with one accessor per resource.

pub mod emit;
pub mod model;
pub mod naming;

use pathbound_model::Model;

use crate::{Error, GeneratedFile};

/// Every file of the Rust client for `model`.
///
/// # Errors
///
/// [`Error::Spec`] when a name does not work in Rust, [`Error::Emit`] on a
/// generator bug.
pub fn generate(model: &Model) -> Result<Vec<GeneratedFile>, Error> {
    generate_crate(model, model::DEFAULT_CRATE)
}

/// Like [`generate`], for a client in the crate `crate_name` (as code names
/// it, `fixture_client`): the rustdoc examples import it.
///
/// # Errors
///
/// As for [`generate`].
pub fn generate_crate(model: &Model, crate_name: &str) -> Result<Vec<GeneratedFile>, Error> {
    let mut rust = model::build(model).map_err(Error::Spec)?;
    rust.crate_name = crate_name.to_string();
    emit::emit(&rust).map_err(Error::Emit)
}

/// The hostile decoding test's cases for `model`'s client (see
/// [`emit::responses_file`]).
///
/// # Errors
///
/// As for [`generate`].
pub fn generate_responses(model: &Model) -> Result<GeneratedFile, Error> {
    let rust = model::build(model).map_err(Error::Spec)?;
    emit::responses_file(&rust).map_err(Error::Emit)
}

/// The generated examples test support for `model`'s client: one example call
/// per operation (see [`emit::examples`]).
///
/// # Errors
///
/// As for [`generate`].
pub fn generate_examples(model: &Model) -> Result<GeneratedFile, Error> {
    let rust = model::build(model).map_err(Error::Spec)?;
    emit::examples_file(&rust).map_err(Error::Emit)
}
