//! The broken-spec corpus: one file per validation rule in `tests/broken/`. Each
//! snapshot holds the full report, so the message, the file, the line and column
//! and the spec path are all asserted (and reviewed) together.

/// The report for one broken spec, read as `xtask` reads a spec (so a file that
/// cannot be read is reported too), with file names shown under `broken/`.
fn report(path: &std::path::Path) -> String {
    let files = match pathbound_codegen::load::read_spec(path, "broken") {
        Ok(files) => files,
        Err(e) => return e.to_string(),
    };
    match pathbound_codegen::generate_files(files) {
        Ok(_) => panic!("{} should be rejected", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_broken_spec_is_rejected_with_located_errors() {
    insta::glob!("broken/*.yaml", |path| {
        let report = report(path);
        assert!(
            report.contains("  --> broken/"),
            "every error names its file:\n{report}"
        );
        insta::assert_snapshot!(report);
    });
}

#[test]
fn every_error_in_a_file_is_reported_not_just_the_first() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken/many_errors.yaml");
    let report = report(&path);
    for expected in [
        "schema name `thing` must be PascalCase",
        "unknown schema `Nobody`",
        "unknown method `FETCH`",
        "path `things/{id}` must start with `/`",
        "path parameter `{id}` is not declared",
        "unknown scope `nope:read`",
        "a success status must be 2xx, found 404",
    ] {
        assert!(
            report.contains(expected),
            "missing `{expected}` in:\n{report}"
        );
    }
}

#[test]
fn errors_carry_line_and_column() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken/unknown_key.yaml");
    let report = report(&path);
    assert!(report.contains("error: unknown key `sumary`"), "{report}");
    assert!(
        report.contains("--> broken/unknown_key.yaml:16:9"),
        "{report}"
    );
    assert!(
        report.contains("= at: endpoints.things.list.sumary"),
        "{report}"
    );
    assert!(report.contains("did you mean `summary`?"), "{report}");
}
