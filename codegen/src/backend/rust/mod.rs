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
    let rust = model::build(model).map_err(Error::Spec)?;
    emit::emit(&rust).map_err(Error::Emit)
}
