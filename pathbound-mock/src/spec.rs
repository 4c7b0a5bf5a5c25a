//! The spec the mock serves: embedded at build time (see `build.rs`), turned into
//! the generator's model with `pathbound_codegen`, and indexed for the server.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use pathbound_codegen::ast::SourceFile;
use pathbound_codegen::model::{self, Model, Operation};

use crate::router::Router;

include!(concat!(env!("OUT_DIR"), "/spec_files.rs"));

/// The spec files embedded in this build: `spec/api.yaml` first, then
/// `spec/resources/*.yaml` in file-name order.
pub fn embedded_files() -> Vec<SourceFile> {
    SPEC_FILES
        .iter()
        .map(|(name, text)| SourceFile {
            name: (*name).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The embedded spec's model, built once per process.
pub fn embedded_api() -> Result<Arc<Api>, String> {
    static API: OnceLock<Result<Arc<Api>, String>> = OnceLock::new();
    API.get_or_init(|| Api::from_files(embedded_files()).map(Arc::new))
        .clone()
}

/// The model plus the lookups the server needs.
#[derive(Debug)]
pub struct Api {
    /// The generator's model of the spec.
    pub model: Model,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// Schemas by name.
    pub schemas: BTreeMap<String, model::Schema>,
    /// Method + path template matching.
    pub router: Router,
}

impl Api {
    /// Builds the model from spec files (main file first) and indexes it.
    pub fn from_files(files: Vec<SourceFile>) -> Result<Api, String> {
        let model = pathbound_codegen::model_from_files(files)
            .map_err(|d| format!("the spec does not load:\n{d}"))?;
        Ok(Api::from_model(model))
    }

    /// Indexes an already built model.
    pub fn from_model(model: Model) -> Api {
        let operations: Vec<Operation> = model
            .modules
            .iter()
            .filter_map(|m| m.resource.as_ref())
            .flat_map(|r| r.operations.iter().cloned())
            .collect();
        let schemas = model
            .modules
            .iter()
            .flat_map(|m| m.schemas.iter())
            .map(|s| (s.name.clone(), s.clone()))
            .collect();
        let router = Router::new(&operations);
        Api {
            model,
            operations,
            schemas,
            router,
        }
    }

    /// Every scope's wire name, in spec order.
    pub fn scope_names(&self) -> Vec<String> {
        self.model.scopes.iter().map(|s| s.wire.clone()).collect()
    }

    /// The operation with `id` (e.g. `contacts.create`).
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// The schema called `name`.
    pub fn schema(&self, name: &str) -> Option<&model::Schema> {
        self.schemas.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::embedded_api;

    #[test]
    fn the_embedded_spec_loads() {
        let api = embedded_api().unwrap();
        assert!(api.operation("contacts.create").is_some());
        assert!(api.operations.len() > 50, "{}", api.operations.len());
        assert!(api.scope_names().contains(&"actions:write".to_owned()));
    }
}
