//! The CLI backend: its files are snapshotted (any change is a reviewed diff),
//! deterministic, and names it cannot use are located spec errors.

use std::path::{Path, PathBuf};

use pathbound_codegen::{GeneratedFile, cli, load, load_model, model_from_files};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate() -> Vec<GeneratedFile> {
    let model = match load_model(&root().join("spec"), "spec") {
        Ok(model) => model,
        Err(e) => panic!("the spec must load:\n{e}"),
    };
    match cli::generate(&model) {
        Ok(files) => files,
        Err(e) => panic!("the CLI must generate:\n{e}"),
    }
}

#[test]
fn every_generated_cli_file_matches_its_snapshot() {
    let files = generate();
    assert!(files.iter().any(|f| f.path == "mod.rs"));
    for f in &files {
        insta::assert_snapshot!(format!("cli__{}", f.path), f.contents);
    }
    assert_eq!(generate(), files, "byte-identical across runs");
}

#[test]
fn the_fixture_spec_generates_a_cli_too() {
    let model = match load_model(
        &root().join("tests/fixtures/kitchen-sink.yaml"),
        "tests/fixtures",
    ) {
        Ok(model) => model,
        Err(e) => panic!("{e}"),
    };
    let files = cli::generate(&model).unwrap_or_else(|e| panic!("{e}"));
    assert!(files.len() > 1);
}

/// The real spec with `extra` appended to the contacts resource file.
fn spec_with(extra: &str) -> Vec<pathbound_codegen::ast::SourceFile> {
    let mut files = match load::read_spec(&root().join("spec"), "spec") {
        Ok(files) => files,
        Err(e) => panic!("{e}"),
    };
    let contacts = files
        .iter_mut()
        .find(|f| f.name.ends_with("resources/contacts.yaml"))
        .expect("a contacts resource");
    contacts.text.push_str(extra);
    files
}

#[test]
fn a_parameter_whose_flag_the_cli_uses_is_a_located_error() {
    let files = spec_with(
        r#"
  everything:
    method: GET
    path: /contacts/everything
    scope: contacts:read
    summary: Every contact.
    query:
      all: { type: boolean, description: Really all. }
    response: { key: contacts, type: "Contact[]" }
"#,
    );
    let model = model_from_files(files).unwrap_or_else(|e| panic!("valid for Rust:\n{e}"));
    let err = match cli::generate(&model) {
        Err(pathbound_codegen::Error::Spec(d)) => d.to_string(),
        other => panic!("expected a spec error, got {other:?}"),
    };
    assert!(err.contains("spec/resources/contacts.yaml:"), "{err}");
    assert!(err.contains("`--all`"), "{err}");
    assert!(err.contains("rust_name"), "{err}");

    // The spec's own way out: a rust_name, which the flag follows.
    let renamed = spec_with(
        r#"
  everything:
    method: GET
    path: /contacts/everything
    scope: contacts:read
    summary: Every contact.
    query:
      all: { type: boolean, rust_name: include_all, description: Really all. }
    response: { key: contacts, type: "Contact[]" }
"#,
    );
    let model = model_from_files(renamed).unwrap_or_else(|e| panic!("{e}"));
    let files = cli::generate(&model).unwrap_or_else(|e| panic!("{e}"));
    let contacts = files.iter().find(|f| f.path == "contacts.rs").unwrap();
    assert!(contacts.contents.contains(r#"flag: "include-all""#));
    assert!(
        contacts
            .contents
            .contains("request = request.include_all(value);")
    );
}
