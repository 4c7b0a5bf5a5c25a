//! xtask acts on the checkout it is run from, not the one its binary was built in.
//!
//! Each test copies the files `cargo xtask codegen` reads and writes into a fresh
//! temp dir and runs this checkout's xtask binary there. A binary that found its
//! workspace through a compile-time path would check and rewrite this checkout's files
//! instead, and these tests would fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What `codegen` reads or writes, relative to the workspace root (see
/// `xtask/src/codegen.rs`), plus the root manifest that marks the workspace.
const NEEDED: &[&str] = &[
    "Cargo.toml",
    "spec",
    "tests/fixtures",
    "docs/openapi.yaml",
    "docs/api.md",
    "pathbound-client/src/generated",
    "pathbound-cli/src/generated",
    "tests/fixture-client/src/generated",
    "tests/tests/generated_examples",
    "pathbound-client/tests/generated_responses",
];

const SPEC_FILE: &str = "spec/resources/health.yaml";
const GENERATED_FILE: &str = "pathbound-client/src/generated/health.rs";
const SUMMARY: &str = "summary: Check that the API is up.";
const EDITED_SUMMARY: &str = "summary: Check that the API is up (edited in the copy).";
const EDITED_DOC: &str = "Check that the API is up (edited in the copy).";

/// This checkout's root; the test binary is rebuilt per checkout, so this is right.
fn original_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "xtask-ws-{name}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_recursively(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_recursively(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to)
            .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
    }
}

/// A copy of the minimum of this checkout that `codegen --check` needs.
fn copy_checkout(name: &str) -> TempDir {
    let tmp = TempDir::new(name);
    let original = original_root();
    for rel in NEEDED {
        copy_recursively(&original.join(rel), &tmp.0.join(rel));
    }
    tmp
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run xtask")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The bytes of every file under `NEEDED` in `root`, by relative path.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, path: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                walk(root, &p, out);
            }
        } else {
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            out.push((rel, std::fs::read(path).unwrap()));
        }
    }
    let mut out = Vec::new();
    for rel in NEEDED {
        walk(root, &root.join(rel), &mut out);
    }
    out
}

#[test]
fn check_passes_in_a_fresh_copy_from_its_root_and_subdirectories() {
    let copy = copy_checkout("fresh");
    for dir in [
        copy.0.clone(),
        copy.0.join("spec/resources"),
        copy.0.join("pathbound-client/src/generated"),
    ] {
        let out = xtask(&dir, &["codegen", "--check"]);
        assert!(
            out.status.success(),
            "from {}:\n{}",
            dir.display(),
            describe(&out)
        );
        assert!(
            text(&out.stdout).contains("generated files are up to date"),
            "{}",
            describe(&out)
        );
    }
}

#[test]
fn check_and_write_act_on_the_copy_not_the_original() {
    let original = original_root();
    let before = snapshot(&original);
    let copy = copy_checkout("edited");

    // Edit a summary in the copy's spec only.
    let spec = copy.0.join(SPEC_FILE);
    let yaml = read(&spec);
    assert_eq!(
        yaml.matches(SUMMARY).count(),
        1,
        "{SPEC_FILE} changed shape"
    );
    std::fs::write(&spec, yaml.replace(SUMMARY, EDITED_SUMMARY)).unwrap();

    // (b) --check fails in the copy, with a diff of the copy's file carrying the edit.
    let out = xtask(&copy.0, &["codegen", "--check"]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{}", describe(&out));
    assert!(
        stderr.contains(&format!("a/{GENERATED_FILE}")),
        "{}",
        describe(&out)
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with('+') && l.contains(EDITED_DOC)),
        "the diff should add the copy's edited summary:\n{}",
        describe(&out)
    );
    assert!(stderr.contains("are stale"), "{}", describe(&out));
    assert!(!read(&copy.0.join(GENERATED_FILE)).contains(EDITED_DOC));

    // (c) write mode rewrites the copy's generated file...
    let out = xtask(&copy.0, &["codegen"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(
        text(&out.stdout).contains(&format!("wrote {GENERATED_FILE}")),
        "{}",
        describe(&out)
    );
    assert!(read(&copy.0.join(GENERATED_FILE)).contains(EDITED_DOC));
    let out = xtask(&copy.0, &["codegen", "--check"]);
    assert!(out.status.success(), "{}", describe(&out));

    // ...and the original checkout was neither read for the edit nor written.
    assert!(!read(&original.join(GENERATED_FILE)).contains(EDITED_DOC));
    assert!(!read(&original.join(SPEC_FILE)).contains(EDITED_SUMMARY));
    assert!(
        snapshot(&original) == before,
        "the original checkout's spec or generated files changed"
    );
}

#[test]
fn no_workspace_is_a_clear_error() {
    let tmp = TempDir::new("none");
    if std::env::temp_dir()
        .ancestors()
        .any(|d| d.join("Cargo.toml").is_file())
    {
        eprintln!("skipped: a directory above the temp dir has a Cargo.toml");
        return;
    }
    let out = xtask(&tmp.0, &["codegen", "--check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(stderr.contains("no workspace found"), "{}", describe(&out));
    assert!(stderr.contains("[workspace]"), "{}", describe(&out));
    assert!(!stderr.contains("panicked"), "{}", describe(&out));
    assert!(std::fs::read_dir(&tmp.0).unwrap().next().is_none());
}
