//! `cargo xtask codegen | openapi | docs [--check]`.
//!
//! Every generated artefact comes from a validated model of a spec:
//! - the client (`pathbound-client/src/generated/`) and the fixture client;
//! - the `pathbound` CLI's command tree (`pathbound-cli/src/generated/`);
//! - the OpenAPI 3.1 export (`docs/openapi.yaml`);
//! - the Markdown API reference (`docs/api.md`).
//!
//! `codegen` writes all of them; `openapi` and `docs` write one each. With
//! `--check` nothing is written and any stale file fails the run with a diff.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Write the files, or only check them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite stale files and remove files the spec no longer generates.
    Write,
    /// Change nothing; fail when anything is stale.
    Check,
}

/// Which artefacts to produce.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Artefacts {
    /// Everything.
    All,
    /// Only `docs/openapi.yaml`.
    OpenApi,
    /// Only `docs/api.md`.
    Docs,
}

/// The Pathbound spec and where its outputs live (relative to the workspace root).
const SPEC: &str = "spec";
const CLIENT_OUT: &str = "pathbound-client/src/generated";
const CLI_OUT: &str = "pathbound-cli/src/generated";
/// The example call of every operation, run against the mock by `tests/tests/examples.rs`.
const EXAMPLES_OUT: &str = "tests/tests/generated_examples";
/// The response types `pathbound-client/tests/hostile_decode.rs` decodes hostile bodies as.
const RESPONSES_OUT: &str = "pathbound-client/tests/generated_responses";
const OPENAPI_OUT: &str = "docs/openapi.yaml";
const DOCS_OUT: &str = "docs/api.md";
/// The feature-complete fixture spec and its compiled client.
const FIXTURE_SPEC: &str = "tests/fixtures/kitchen-sink.yaml";
const FIXTURE_OUT: &str = "tests/fixture-client/src/generated";
/// The fixture client's crate, which its rustdoc examples import.
pub const FIXTURE_CRATE: &str = "fixture_client";

/// One file to bring up to date.
struct Output {
    /// Shown in messages, relative to the root.
    shown: String,
    path: PathBuf,
    contents: String,
}

/// Runs the task; the error is the text to print.
pub fn run(root: &Path, mode: Mode, which: Artefacts) -> Result<(), String> {
    let mut outputs = Vec::new();
    // Directories whose `.rs` files must all be generated (stale ones are removed).
    let mut owned_dirs: Vec<(String, BTreeSet<String>)> = Vec::new();
    let mut errors = String::new();

    match pathbound_codegen::load_model(&root.join(SPEC), SPEC) {
        Err(d) => {
            let _ = writeln!(errors, "{d}\n");
        }
        Ok(model) => {
            if which == Artefacts::All {
                match pathbound_codegen::backend::rust::generate(&model) {
                    Ok(files) => add_dir(root, CLIENT_OUT, files, &mut outputs, &mut owned_dirs),
                    Err(e) => {
                        let _ = writeln!(errors, "{e}\n");
                    }
                }
                match pathbound_codegen::backend::rust::generate_examples(&model) {
                    Ok(file) => add_dir(
                        root,
                        EXAMPLES_OUT,
                        vec![file],
                        &mut outputs,
                        &mut owned_dirs,
                    ),
                    Err(e) => {
                        let _ = writeln!(errors, "{e}\n");
                    }
                }
                match pathbound_codegen::backend::rust::generate_responses(&model) {
                    Ok(file) => add_dir(
                        root,
                        RESPONSES_OUT,
                        vec![file],
                        &mut outputs,
                        &mut owned_dirs,
                    ),
                    Err(e) => {
                        let _ = writeln!(errors, "{e}\n");
                    }
                }
                match pathbound_codegen::cli::generate(&model) {
                    Ok(files) => add_dir(root, CLI_OUT, files, &mut outputs, &mut owned_dirs),
                    Err(e) => {
                        let _ = writeln!(errors, "{e}\n");
                    }
                }
            }
            if matches!(which, Artefacts::All | Artefacts::OpenApi) {
                match pathbound_codegen::openapi::document(&model) {
                    Ok(text) => outputs.push(Output {
                        shown: OPENAPI_OUT.into(),
                        path: root.join(OPENAPI_OUT),
                        contents: text,
                    }),
                    Err(e) => {
                        let _ = writeln!(errors, "{e}\n");
                    }
                }
            }
            if matches!(which, Artefacts::All | Artefacts::Docs) {
                let text = pathbound_codegen::markdown::document(&model);
                outputs.push(Output {
                    shown: DOCS_OUT.into(),
                    path: root.join(DOCS_OUT),
                    contents: text,
                });
            }
        }
    }
    if which == Artefacts::All {
        match pathbound_codegen::generate_dir_as(
            &root.join(FIXTURE_SPEC),
            "tests/fixtures",
            FIXTURE_CRATE,
        ) {
            Ok(files) => add_dir(root, FIXTURE_OUT, files, &mut outputs, &mut owned_dirs),
            Err(e) => {
                let _ = writeln!(errors, "{e}\n");
            }
        }
    }
    if !errors.is_empty() {
        return Err(format!("{errors}codegen failed: fix the spec errors above"));
    }

    let mut report = String::new();
    let mut stale = 0usize;
    for o in &outputs {
        let current = std::fs::read_to_string(&o.path).ok();
        if current.as_deref() == Some(o.contents.as_str()) {
            continue;
        }
        stale += 1;
        match mode {
            Mode::Check => {
                let old = current.unwrap_or_default();
                let diff = similar::TextDiff::from_lines(&old, &o.contents);
                let _ = writeln!(
                    report,
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{}", o.shown), &format!("b/{}", o.shown))
                );
            }
            Mode::Write => {
                if let Some(dir) = o.path.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                std::fs::write(&o.path, &o.contents)
                    .map_err(|e| format!("cannot write {}: {e}", o.path.display()))?;
                let _ = writeln!(report, "  wrote {}", o.shown);
            }
        }
    }
    for (dir, wanted) in &owned_dirs {
        for name in stray_files(&root.join(dir), wanted) {
            stale += 1;
            let shown = format!("{dir}/{name}");
            match mode {
                Mode::Check => {
                    let _ = writeln!(
                        report,
                        "{shown}: no longer generated by the spec; `cargo xtask codegen` removes it"
                    );
                }
                Mode::Write => {
                    std::fs::remove_file(root.join(&shown))
                        .map_err(|e| format!("cannot remove {shown}: {e}"))?;
                    let _ = writeln!(report, "  removed {shown}");
                }
            }
        }
    }

    match (mode, stale) {
        (Mode::Check, 0) => {
            println!(
                "codegen: all {} generated files are up to date",
                outputs.len()
            );
            Ok(())
        }
        (Mode::Check, n) => Err(format!(
            "{report}codegen --check: {n} generated file(s) are stale; run `cargo xtask codegen` and commit the result"
        )),
        (Mode::Write, 0) => {
            println!("codegen: nothing changed ({} files checked)", outputs.len());
            Ok(())
        }
        (Mode::Write, n) => {
            print!("{report}");
            println!("codegen: {n} file(s) changed");
            Ok(())
        }
    }
}

fn add_dir(
    root: &Path,
    dir: &str,
    files: Vec<pathbound_codegen::GeneratedFile>,
    outputs: &mut Vec<Output>,
    owned: &mut Vec<(String, BTreeSet<String>)>,
) {
    owned.push((
        dir.to_string(),
        files.iter().map(|f| f.path.clone()).collect(),
    ));
    for f in files {
        outputs.push(Output {
            shown: format!("{dir}/{}", f.path),
            path: root.join(dir).join(&f.path),
            contents: f.contents,
        });
    }
}

/// `.rs` files in `dir` that the spec no longer generates.
fn stray_files(dir: &Path, wanted: &BTreeSet<String>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut extra: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs") && !wanted.contains(n))
        .collect();
    extra.sort();
    extra
}
