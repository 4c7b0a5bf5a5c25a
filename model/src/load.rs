//! Reading spec files and parsing their YAML.

use std::path::Path;

use crate::ast::{SourceFile, Spec};
use crate::decode::Decoder;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::locate::Sources;

/// A spec read from disk (or from memory), decoded but not yet validated.
#[derive(Debug)]
pub struct Loaded {
    /// The files (main file first), able to locate any node.
    pub sources: Sources,
    /// The decoded spec.
    pub spec: Spec,
}

/// Reads a spec directory (`api.yaml` plus `resources/*.yaml`) or a single spec file.
///
/// `display_root` is prefixed to file names in errors and headers, so messages read
/// `spec/resources/contacts.yaml` rather than an absolute path. That holds for
/// files that cannot be read too: a missing file, or one that is not UTF-8 (which
/// is reported at the line and column of its first invalid byte).
pub fn read_spec(path: &Path, display_root: &str) -> Result<Vec<SourceFile>, Diagnostics> {
    let display = |rel: &str| {
        if display_root.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", display_root.trim_end_matches('/'))
        }
    };
    if path.is_file() {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let name = display(&name);
        let text = read_text(path, &name)?;
        return Ok(vec![SourceFile { name, text }]);
    }
    let name = display("api.yaml");
    let text = read_text(&path.join("api.yaml"), &name)?;
    let mut files = vec![SourceFile { name, text }];
    let dir = path.join("resources");
    if dir.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|e| unreadable(display("resources"), &e))?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .collect();
        names.sort();
        for n in names {
            let name = display(&format!("resources/{n}"));
            let text = read_text(&dir.join(&n), &name)?;
            files.push(SourceFile { name, text });
        }
    }
    Ok(files)
}

/// Reads the file at `path` as UTF-8 text; errors name it `shown`.
fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(shown.to_string(), &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        // Everything before `at` is valid UTF-8, so the position can be counted in chars.
        let before = String::from_utf8_lossy(&bytes[..at]);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Diagnostics(vec![Diagnostic {
            file: shown.to_string(),
            line: Some(before.matches('\n').count() + 1),
            column: Some(before[line_start..].chars().count() + 1),
            spec_path: String::new(),
            message: format!(
                "the file is not UTF-8 text: the byte 0x{:02X} here is not valid UTF-8",
                bytes[at]
            ),
            help: Some("save the file as UTF-8".into()),
        }])
    })
}

fn unreadable(shown: String, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: shown,
        line: None,
        column: None,
        spec_path: String::new(),
        message: format!("cannot read the spec: {e}"),
        help: None,
    }])
}

/// Parses and decodes `files` (the first is the main file; the others are resource
/// files whose stem is the resource name).
///
/// A YAML syntax error stops here (the rest of the spec cannot be trusted). Shape
/// problems do not: the partly decoded spec comes back with them, so validation can
/// report its own findings in the same run.
pub fn decode(files: Vec<SourceFile>) -> Result<(Loaded, Vec<Diagnostic>), Diagnostics> {
    let mut diagnostics = Vec::new();
    let mut values = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match serde_yaml::from_str::<serde_yaml::Value>(&f.text) {
            Ok(v) => values.push((i, v)),
            Err(e) => {
                let loc = e.location();
                diagnostics.push(Diagnostic {
                    file: f.name.clone(),
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                    spec_path: String::new(),
                    message: format!("invalid YAML: {}", strip_location(&e.to_string())),
                    help: None,
                });
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(Diagnostics(diagnostics));
    }
    let sources = Sources::new(files);
    let mut spec = Spec::default();
    let mut decoder = Decoder::new(&sources);
    for (i, value) in &values {
        if *i == 0 {
            decoder.main_file(value, 0, &mut spec);
        } else {
            let stem = resource_name(sources.name(*i));
            decoder.resource_file(value, *i, &stem, &mut spec);
        }
    }
    let shape_problems = std::mem::take(&mut decoder.diagnostics);
    Ok((Loaded { sources, spec }, shape_problems))
}

/// The resource name of a file: its stem.
fn resource_name(file: &str) -> String {
    let base = file.rsplit('/').next().unwrap_or(file);
    base.trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string()
}

/// serde_yaml appends " at line L column C"; we print the location ourselves.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "pathbound-model-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("resources")).expect("create a temp spec dir");
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_is_reported_with_its_spec_path_and_position() {
        let dir = TempDir::new("not-utf8");
        let api = "api:\n  title: T\n  version: \"1\"\n  base_url: https://x.test\n  auth: { scheme: bearer, api_key_env: K, base_url_env: U }\n";
        std::fs::write(dir.0.join("api.yaml"), api).expect("write api.yaml");
        // `café` saved as Latin-1: 0xE9 is not UTF-8.
        std::fs::write(
            dir.0.join("resources/things.yaml"),
            b"description: Things.\nendpoints:\n  list:\n    summary: Caf\xe9 list.\n",
        )
        .expect("write things.yaml");
        let err = read_spec(&dir.0, "spec").expect_err("a Latin-1 file is not a spec");
        assert_eq!(err.len(), 1, "{err}");
        let d = &err.0[0];
        assert_eq!(d.file, "spec/resources/things.yaml", "{err}");
        assert_eq!((d.line, d.column), (Some(4), Some(17)), "{err}");
        assert!(d.message.contains("not UTF-8"), "{err}");
        let shown = err.to_string();
        assert!(
            !shown.contains(&*dir.0.to_string_lossy()),
            "the machine's path leaks into the report:\n{shown}"
        );
    }

    #[test]
    fn a_missing_file_is_reported_with_its_spec_path() {
        let dir = TempDir::new("missing");
        let err = read_spec(&dir.0, "spec").expect_err("there is no api.yaml");
        assert_eq!(err.0[0].file, "spec/api.yaml", "{err}");
        assert!(err.0[0].message.contains("cannot read"), "{err}");
    }
}
