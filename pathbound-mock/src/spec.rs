//! The spec the mock serves: embedded at build time (see `build.rs`), turned into
//! the spec model with `pathbound_model` (the same model the generator's backends
//! read, without any of the generator), and indexed for the server.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use pathbound_model::ast::SourceFile;
use pathbound_model::model::{self, Model, Operation};

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

/// The directory the embedded spec was read from when this crate was built.
pub const EMBEDDED_SPEC_DIR: &str = env!("PATHBOUND_MOCK_SPEC_DIR");

/// Checks the embedded spec against the spec directory `dir` on disk (the
/// layout `build.rs` reads: `api.yaml`, then `resources/*.yaml` in name order).
///
/// `Err` names the first file that differs, is missing or is extra. The mock's
/// binary runs this under `cargo run`, where two checkouts sharing one target
/// directory can be served a binary built from the other checkout's spec.
pub fn check_embedded_against(dir: &Path) -> Result<(), String> {
    let mut on_disk: Vec<(String, std::path::PathBuf)> =
        vec![("spec/api.yaml".into(), dir.join("api.yaml"))];
    let mut resources: Vec<String> = std::fs::read_dir(dir.join("resources"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    resources.sort();
    on_disk.extend(
        resources
            .into_iter()
            .map(|n| (format!("spec/resources/{n}"), dir.join("resources").join(n))),
    );
    let stale = |what: String| {
        Err(format!(
            "this pathbound-mock binary embeds the spec of {EMBEDDED_SPEC_DIR}, and {what} in {}: \
             it was built from another checkout's spec (a target directory shared between \
             checkouts). Rebuild it here (`touch spec/api.yaml`) or give each checkout its own \
             CARGO_TARGET_DIR.",
            dir.display()
        ))
    };
    for (name, path) in &on_disk {
        let embedded = SPEC_FILES.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        match (embedded, std::fs::read_to_string(path)) {
            (Some(embedded), Ok(text)) if embedded == text => {}
            (Some(_), Ok(_)) => return stale(format!("{name} differs")),
            (None, Ok(_)) => return stale(format!("{name} is not embedded")),
            (_, Err(_)) => return stale(format!("{name} cannot be read")),
        }
    }
    if let Some((name, _)) = SPEC_FILES
        .iter()
        .find(|(n, _)| !on_disk.iter().any(|(d, _)| d == n))
    {
        return stale(format!("{name} no longer exists"));
    }
    Ok(())
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
    /// The spec model.
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
        let model = pathbound_model::load_files(files)
            .map_err(|d| format!("the spec does not load:\n{d}"))?;
        Ok(Api::from_model(model))
    }

    /// Indexes an already built model.
    pub fn from_model(model: Model) -> Api {
        let operations: Vec<Operation> = model.operations().cloned().collect();
        let schemas = model
            .schemas
            .iter()
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
        self.model.scopes.iter().map(|s| s.name.clone()).collect()
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
    use std::path::{Path, PathBuf};

    use super::{check_embedded_against, embedded_api};

    fn spec_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
    }

    /// A copy of the spec in a fresh temporary directory.
    fn copy_of_spec(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("pathbound-mock-spec-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("resources")).unwrap();
        std::fs::copy(spec_dir().join("api.yaml"), dir.join("api.yaml")).unwrap();
        for entry in std::fs::read_dir(spec_dir().join("resources")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join("resources").join(entry.file_name())).unwrap();
        }
        dir
    }

    #[test]
    fn the_embedded_spec_is_this_checkouts() {
        assert_eq!(check_embedded_against(&spec_dir()), Ok(()));
    }

    #[test]
    fn another_checkouts_spec_is_detected() {
        let dir = copy_of_spec("edited");
        let health = dir.join("resources/health.yaml");
        let text = std::fs::read_to_string(&health).unwrap();
        std::fs::write(
            &health,
            text.replace("summary:", "summary: Edited.\n    x_summary:"),
        )
        .unwrap();
        let err = check_embedded_against(&dir).unwrap_err();
        assert!(err.contains("spec/resources/health.yaml differs"), "{err}");
        assert!(err.contains("CARGO_TARGET_DIR"), "{err}");

        let dir2 = copy_of_spec("added");
        std::fs::write(dir2.join("resources/timeline.yaml"), "endpoints: {}\n").unwrap();
        let err = check_embedded_against(&dir2).unwrap_err();
        assert!(err.contains("timeline.yaml is not embedded"), "{err}");
        std::fs::remove_file(dir2.join("resources/timeline.yaml")).unwrap();
        std::fs::remove_file(dir2.join("resources/health.yaml")).unwrap();
        let err = check_embedded_against(&dir2).unwrap_err();
        assert!(err.contains("health.yaml no longer exists"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
        let _ = std::fs::remove_dir_all(dir2);
    }

    #[test]
    fn the_embedded_spec_loads() {
        let api = embedded_api().unwrap();
        assert!(api.operation("contacts.create").is_some());
        assert!(api.operations.len() > 50, "{}", api.operations.len());
        assert!(api.scope_names().contains(&"actions:write".to_owned()));
    }
}
