//! Provenance notes (`notes:` in the spec) stay out of everything a user reads:
//! the generated client (rustdoc and the `OPERATION` tables whose error strings
//! end up in runtime error messages) and the Markdown reference. Only the OpenAPI
//! export carries them, as `x-pathbound-notes`.

use std::path::Path;

use pathbound_codegen::spec::Model;
use serde_yaml::Value;

/// Words that mark a guess; user-facing text says what is unknown plainly instead.
const DOUBT_MARKERS: &[&str] = &["(?)", "assumed", "inferred"];

fn doubt_marker(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    DOUBT_MARKERS.iter().copied().find(|m| lower.contains(m))
}

fn load(root: &Path, shown: &str) -> Model {
    pathbound_codegen::load_model(root, shown).unwrap_or_else(|e| panic!("{e}"))
}

fn spec_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn kitchen_sink() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kitchen-sink.yaml")
}

/// Every user-facing output of `model`: (name, text).
fn user_facing_outputs(root: &Path, model: &Model) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pathbound_codegen::generate_dir(root, "spec")
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    out.push((
        "api.md".into(),
        pathbound_codegen::markdown::document(model),
    ));
    out
}

#[test]
fn no_doubt_marker_reaches_the_generated_client_or_the_markdown_reference() {
    let root = spec_root();
    let model = load(&root, "spec");
    let outputs = user_facing_outputs(&root, &model);
    assert!(outputs.len() > 10, "expected the client's files and api.md");
    for (name, text) in &outputs {
        for (i, line) in text.lines().enumerate() {
            if let Some(marker) = doubt_marker(line) {
                panic!("{name}:{}: `{marker}` in user-facing text: {line}", i + 1);
            }
        }
    }
    // The committed copies are what users read; `cargo xtask codegen --check`
    // keeps them equal to the generator's output, but check them too.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = repo.join("pathbound-client/src/generated");
    let mut committed: Vec<_> = std::fs::read_dir(&generated)
        .unwrap_or_else(|e| panic!("{}: {e}", generated.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    committed.push(repo.join("docs/api.md"));
    for path in committed {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(doubt_marker(&text), None, "{}", path.display());
    }
}

#[test]
fn no_error_meaning_carries_a_doubt_marker() {
    // These strings become the error list of each operation's `OPERATION`
    // table, and so the text of runtime errors.
    let model = load(&spec_root(), "spec");
    let mut checked = 0;
    for op in model.operations() {
        for (status, meaning) in &op.errors {
            checked += 1;
            assert_eq!(doubt_marker(meaning), None, "{} {status}: {meaning}", op.id);
        }
    }
    assert!(checked > 100, "only {checked} error meanings");
    // The spec keeps the provenance of error statuses in notes instead.
    assert!(model.operations().any(|op| !op.error_notes.is_empty()));
}

/// Every note the fixture declares, by where it sits in the OpenAPI export.
fn notes_in_export(doc: &Value) -> Vec<(&'static str, String)> {
    let note = |v: &Value| {
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no note in {v:?}"))
    };
    let widget = &doc["components"]["schemas"]["Widget"];
    let colour = &doc["components"]["schemas"]["Colour"];
    let get = &doc["paths"]["/widgets/{widget_id}"]["get"];
    let destroy = doc["x-pathbound-scopes"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|s| s["name"].as_str() == Some("widgets:destroy"))
        .unwrap_or_else(|| panic!("no widgets:destroy in x-pathbound-scopes"));
    let param = get["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|p| p["name"].as_str() == Some("widget_id"))
        .unwrap_or_else(|| panic!("no widget_id parameter"));
    vec![
        ("api", note(&doc["info"]["x-pathbound-notes"])),
        ("scope", note(&destroy["x-pathbound-notes"])),
        ("enum", note(&colour["x-pathbound-notes"])),
        (
            "value",
            note(&colour["x-pathbound-value-notes"]["dark_blue"]),
        ),
        ("schema", note(&widget["x-pathbound-notes"])),
        (
            "field",
            note(&widget["properties"]["widget_id"]["x-pathbound-notes"]),
        ),
        ("endpoint", note(&get["x-pathbound-notes"])),
        ("param", note(&param["x-pathbound-notes"])),
        ("error", note(&get["responses"]["404"]["x-pathbound-notes"])),
        (
            "resource",
            note(&doc["x-pathbound-resource-notes"]["execute"]),
        ),
    ]
}

#[test]
fn notes_land_in_the_openapi_export_and_nowhere_else() {
    let root = kitchen_sink();
    let model = load(&root, "spec");
    let text = pathbound_codegen::openapi::document(&model).unwrap_or_else(|e| panic!("{e}"));
    let doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let notes = notes_in_export(&doc);
    for (place, note) in &notes {
        assert!(
            note.starts_with(&format!("kitchen-note-{place}")),
            "{place}: {note}"
        );
    }
    // A note is not also a description, and an alias's property does not repeat it.
    assert_eq!(text.matches("kitchen-note-").count(), notes.len(), "{text}");

    let outputs = user_facing_outputs(&root, &model);
    assert!(outputs.iter().any(|(name, _)| name == "widgets.rs"));
    for (name, output) in &outputs {
        assert!(
            !output.contains("kitchen-note-"),
            "a note leaked into {name}"
        );
        assert_eq!(doubt_marker(output), None, "{name}");
    }
    // The descriptions next to the notes are still there.
    let widgets = &outputs
        .iter()
        .find(|(n, _)| n == "widgets.rs")
        .map(|(_, t)| t);
    let widgets = widgets.unwrap_or_else(|| panic!("no widgets.rs"));
    assert!(widgets.contains("Notes may sit on an endpoint, a parameter and an error."));
    assert!(widgets.contains("No such widget."));
}
