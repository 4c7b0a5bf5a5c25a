//! The backends: each reads the language-neutral spec model and writes one kind
//! of artefact. They do not depend on each other, except that the Markdown
//! reference shows the Rust call of each operation through the Rust backend's
//! naming layer.

pub mod cli;
pub mod markdown;
pub mod openapi;
pub mod rust;
