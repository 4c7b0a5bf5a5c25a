//! Embeds the spec (`../spec/api.yaml` and `../spec/resources/*.yaml`, sorted) so the
//! mock serves the API it was built with, from any working directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=../spec");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec = manifest.join("..").join("spec");
    let mut files: Vec<(String, PathBuf)> = vec![("spec/api.yaml".into(), spec.join("api.yaml"))];
    let mut resources: Vec<String> = std::fs::read_dir(spec.join("resources"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect()
        })
        .unwrap_or_default();
    resources.sort();
    for name in resources {
        let path = spec.join("resources").join(&name);
        files.push((format!("spec/resources/{name}"), path));
    }
    let mut out = String::from(
        "/// The spec files the mock was built with: (display name, text), main file first.\n\
         pub(crate) const SPEC_FILES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        let absolute = absolute(path);
        let _ = writeln!(out, "    ({name:?}, include_str!({absolute:?})),");
    }
    out.push_str("];\n");
    // Where the embedded spec came from, so the binary can tell when it runs in
    // another checkout (a shared target directory) with a different spec.
    println!(
        "cargo:rustc-env=PATHBOUND_MOCK_SPEC_DIR={}",
        absolute(&spec)
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("spec_files.rs"), out) {
        panic!("cannot write the embedded spec table: {e}");
    }
}

fn absolute(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
