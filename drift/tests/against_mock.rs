//! The `pathbound-drift` binary (what `cargo xtask drift` runs) against the mock
//! over loopback: in drift mode it reports each kind of drift the mock makes,
//! at the right spec file and line, and exits 1; against the normal mock it
//! reports no drift and exits 0.

use std::path::{Path, PathBuf};
use std::process::Output;

use pathbound_mock::drift::{ENUM_VALUE, EXTRA_KEY, Victims};
use pathbound_mock::{KEY_ALL, MockConfig};
use serde_json::Value;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// Runs the binary against `base_url` with `--json`; its output and report.
fn run_drift(base_url: &str) -> (Output, Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pathbound-drift"))
        .arg("--spec")
        .arg(spec_dir())
        .args(["--base-url", base_url, "--json"])
        .env("PATHBOUND_API_KEY", KEY_ALL)
        .env_remove("PATHBOUND_BASE_URL")
        .output()
        .expect("the binary runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, report)
}

/// The 1-based line of the first line, after the one declaring `schema:` in
/// `file`, that declares `key:` of the schema or of one of its fields: found by reading the YAML here,
/// not through the model the tool uses.
fn line_of(file: &str, schema: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(spec_dir().join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("  {schema}:")))
        .unwrap_or_else(|| panic!("{schema} in {file}"));
    let rel = lines[start..]
        .iter()
        .position(|l| {
            // A key of the schema (4 spaces) or of its fields (6 spaces).
            l.starts_with(&format!("    {key}:")) || l.starts_with(&format!("      {key}:"))
        })
        .unwrap_or_else(|| panic!("{key} under {schema} in {file}"));
    (start + rel + 1) as u64
}

/// The file that declares `schema`.
fn file_of(schema: &str) -> String {
    let needle = format!("\n  {schema}:\n");
    for file in std::iter::once("api.yaml".to_owned()).chain(
        std::fs::read_dir(spec_dir().join("resources"))
            .unwrap()
            .map(|e| format!("resources/{}", e.unwrap().file_name().to_string_lossy())),
    ) {
        if std::fs::read_to_string(spec_dir().join(&file))
            .unwrap()
            .contains(&needle)
        {
            return file;
        }
    }
    panic!("no file declares {schema}")
}

fn finding<'a>(report: &'a Value, kind: &str, subject: &str, name: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["subject"] == subject && f["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {subject}.{name} in {report:#}"))
}

/// `finding` is in the file declaring `schema`, at the line of `key` under it.
fn assert_at(finding: &Value, schema: &str, key: &str) {
    let file = file_of(schema);
    assert_eq!(finding["file"], format!("spec/{file}"), "{finding:#}");
    assert_eq!(finding["line"], line_of(&file, schema, key), "{finding:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drift_mock_is_reported_kind_by_kind_at_its_spec_lines() {
    let server = MockConfig::new().drift(true).start().await.unwrap();
    let api = pathbound_mock::spec::embedded_api().unwrap();
    let victims = Victims::of(&api);
    let url = server.base_url().to_owned();
    let (out, report) = tokio::task::spawn_blocking(move || run_drift(&url))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["drifted"], true);

    // An extra key on every object: every schema seen reports it, at `fields:`.
    let f = finding(&report, "undeclared_key", "Contact", EXTRA_KEY);
    assert_at(f, "Contact", "fields");
    assert_eq!(
        f["suggestion"],
        format!(
            "add field {EXTRA_KEY}: {{ type: string }} under spec/{}:{}",
            file_of("Contact"),
            line_of(&file_of("Contact"), "Contact", "fields")
        )
    );
    assert_at(
        finding(&report, "undeclared_key", "Segment", EXTRA_KEY),
        "Segment",
        "fields",
    );
    // ... the envelope too, as a note.
    let f = finding(&report, "envelope_key_extra", "contacts.list", EXTRA_KEY);
    assert_eq!(f["severity"], "note");

    // An unlisted value in every enum, at `enum:`.
    let f = finding(&report, "unlisted_enum_value", "LifecycleStage", ENUM_VALUE);
    assert_at(f, "LifecycleStage", "enum");
    assert_eq!(f["severity"], "drift");

    // One optional field dropped: never seen (a note), at the field.
    let (schema, field) = victims.dropped.clone().expect("a field to drop");
    let f = finding(&report, "never_seen", &schema, &field);
    assert_at(f, &schema, &field);

    // One integer sent as a string, at the field, with the lenient suggestion.
    let (schema, field) = victims.stringly.clone().expect("an integer to stringify");
    let f = finding(&report, "type_mismatch", &schema, &field);
    let file = file_of(&schema);
    let text = std::fs::read_to_string(spec_dir().join(&file)).unwrap();
    let at_field = line_of(&file, &schema, &field) as usize;
    // The field's `type:` line (or the field's own, when written as a flow mapping).
    let type_line = match text.lines().nth(at_field) {
        Some(next) if next.trim_start().starts_with("type:") => at_field + 1,
        _ => at_field,
    };
    assert_eq!(f["file"], format!("spec/{file}"));
    assert_eq!(f["line"], type_line as u64, "{f:#}");
    assert_eq!(
        f["spec_path"],
        format!("schemas.{schema}.fields.{field}.type")
    );
    assert_eq!(f["expected"], "integer");
    assert!(
        f["suggestion"]
            .as_str()
            .unwrap()
            .contains("add `lenient: true`"),
        "{f:#}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_normal_mock_shows_no_drift_and_exits_0() {
    let server = MockConfig::new().start().await.unwrap();
    let url = server.base_url().to_owned();
    let (out, report) = tokio::task::spawn_blocking(move || run_drift(&url))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["drifted"], false);
    let drifts: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "note")
        .collect();
    assert!(drifts.is_empty(), "{drifts:#?}");
    // It did call the read operations, through the lists to the gets.
    let called: Vec<&str> = report["called"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for id in [
        "auth.status",
        "contacts.list",
        "contacts.get",
        "segments.list_contacts",
        "batch.details",
        "batch.aggregate",
    ] {
        assert!(called.contains(&id), "{id} not called: {called:?}");
        assert!(server.hits(id) >= 1, "{id}");
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_is_a_failed_run_not_a_clean_one() {
    let server = MockConfig::new().start().await.unwrap();
    let url = server.base_url().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_pathbound-drift"))
            .arg("--spec")
            .arg(spec_dir())
            .args(["--base-url", &url])
            .env("PATHBOUND_API_KEY", "sk_test_not_a_key")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the API refused the key"), "{stderr}");
    assert!(!stderr.contains("sk_test_not_a_key"), "{stderr}");
    assert_eq!(server.hits("auth.status"), 1);
    server.shutdown().await;
}

#[test]
fn without_a_key_it_says_so_and_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pathbound-drift"))
        .arg("--spec")
        .arg(spec_dir())
        .env_remove("PATHBOUND_API_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set PATHBOUND_API_KEY"));
}
