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
/// `spec/resources/contacts.yaml` rather than an absolute path.
pub fn read_spec(path: &Path, display_root: &str) -> Result<Vec<SourceFile>, Diagnostics> {
    let io_error = |p: &Path, e: std::io::Error| {
        Diagnostics(vec![Diagnostic {
            file: p.display().to_string(),
            line: None,
            column: None,
            spec_path: String::new(),
            message: format!("cannot read the spec: {e}"),
            help: None,
        }])
    };
    let display = |rel: &str| {
        if display_root.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", display_root.trim_end_matches('/'))
        }
    };
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        return Ok(vec![SourceFile {
            name: display(&name),
            text,
        }]);
    }
    let main = path.join("api.yaml");
    let mut files = vec![SourceFile {
        name: display("api.yaml"),
        text: std::fs::read_to_string(&main).map_err(|e| io_error(&main, e))?,
    }];
    let dir = path.join("resources");
    if dir.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|e| io_error(&dir, e))?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .collect();
        names.sort();
        for n in names {
            let p = dir.join(&n);
            let text = std::fs::read_to_string(&p).map_err(|e| io_error(&p, e))?;
            files.push(SourceFile {
                name: display(&format!("resources/{n}")),
                text,
            });
        }
    }
    Ok(files)
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
