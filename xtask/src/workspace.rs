//! Which checkout xtask acts on, decided at run time.
//!
//! The workspace root is the nearest directory, starting at the current directory and
//! walking up, whose `Cargo.toml` declares a workspace (a `[workspace]` table) — the
//! same rule cargo uses to find the workspace it builds. `cargo xtask` keeps the
//! caller's current directory, so this is the checkout the command was typed in.
//!
//! It is deliberately *not* derived from the compile-time `CARGO_MANIFEST_DIR`: when
//! two checkouts share a `CARGO_TARGET_DIR`, `cargo xtask` in checkout B can run the
//! `target/debug/xtask` that was last linked from checkout A (cargo only re-copies the
//! binary when it recompiles it), and a baked-in path would then make B's command read
//! and rewrite A's files. `cargo locate-project --workspace` is not used either: it
//! spawns cargo and loads every member manifest, so it fails on a partial tree that
//! codegen itself would handle fine.

use std::path::{Path, PathBuf};

/// The root of the workspace containing the current directory.
///
/// The error is a complete message for the user.
pub fn root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("xtask: cannot read the current directory: {e}"))?;
    find_from(&cwd)
}

/// The nearest of `start` and its ancestors whose `Cargo.toml` declares a workspace.
///
/// The error is a complete message for the user.
pub fn find_from(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("xtask: cannot read {}: {e}", manifest.display()))?;
        if declares_workspace(&text) {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "xtask: no workspace found: neither {} nor any directory above it has a \
         Cargo.toml with a [workspace] table; run `cargo xtask` from inside the checkout",
        start.display()
    ))
}

/// Whether a `Cargo.toml` declares a workspace: a `[workspace]` or `[workspace.…]`
/// table header, or a top-level `workspace = …` / `workspace.… = …` key.
///
/// A line scan rather than a TOML parser (xtask has no TOML dependency); it ignores
/// comments, spacing and quoting of the key, and array-of-tables headers.
fn declares_workspace(manifest: &str) -> bool {
    let mut top_level = true;
    for line in manifest.lines() {
        let line = strip_comment(line).trim();
        if let Some(header) = line.strip_prefix('[') {
            if header.starts_with('[') {
                // `[[bin]]` and friends: an array of tables, never the workspace.
                top_level = false;
                continue;
            }
            let Some(header) = header.trim_end().strip_suffix(']') else {
                continue;
            };
            if first_key(header) == "workspace" {
                return true;
            }
            top_level = false;
        } else if top_level && line.contains('=') && first_key(line) == "workspace" {
            return true;
        }
    }
    false
}

/// The first segment of a dotted key (`workspace` in `"workspace" .package = …`),
/// without quotes or surrounding spaces.
fn first_key(key: &str) -> &str {
    let end = key.find(['.', '=']).unwrap_or(key.len());
    key[..end].trim().trim_matches(['"', '\''])
}

/// `line` up to a `#` that is not inside a basic or literal string.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return &line[..i],
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir()
                .join(format!("xtask-unit-{name}-{}-{nanos}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn recognises_workspace_manifests() {
        for text in [
            "[workspace]\nmembers = [\"a\"]\n",
            "[package]\nname = \"x\"\n\n[workspace]\n",
            "  [ workspace ]  # the root\n",
            "[workspace.package]\nedition = \"2024\"\n",
            "[\"workspace\"]\n",
            "workspace = { members = [] }\n[package]\nname = \"x\"\n",
            "workspace.members = [\"a\"]\n",
        ] {
            assert!(declares_workspace(text), "should be a workspace:\n{text}");
        }
    }

    #[test]
    fn rejects_other_manifests() {
        for text in [
            "",
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
            "# [workspace]\n[package]\nname = \"x\"\n",
            "[package]\nname = \"x\"\nworkspace = \"../..\"\n",
            "[dependencies]\nworkspace = \"1\"\n",
            "[workspace-hack]\n",
            "[workspaces]\n",
            "[[workspace]]\n",
            "[package]\ndescription = \"see [workspace]\"\n",
            "[package]\nname = \"x\" # [workspace]\n",
        ] {
            assert!(
                !declares_workspace(text),
                "should not be a workspace:\n{text}"
            );
        }
    }

    #[test]
    fn comments_end_outside_strings_only() {
        assert_eq!(strip_comment("a = \"#x\" # c"), "a = \"#x\" ");
        assert_eq!(strip_comment("a = '#' # c"), "a = '#' ");
        assert_eq!(strip_comment("# all"), "");
        assert_eq!(strip_comment("no comment"), "no comment");
    }

    #[test]
    fn walks_up_past_member_manifests_to_the_workspace() {
        let tmp = TempDir::new("walk");
        let root = tmp.0.join("checkout");
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n",
        );
        write(
            &root.join("member/Cargo.toml"),
            "[package]\nname = \"member\"\n",
        );
        let deep = root.join("member/src/deep");
        std::fs::create_dir_all(&deep).unwrap();

        assert_eq!(find_from(&deep).unwrap(), root);
        assert_eq!(find_from(&root.join("member")).unwrap(), root);
        assert_eq!(find_from(&root).unwrap(), root);
    }

    #[test]
    fn the_nearest_workspace_wins() {
        let tmp = TempDir::new("nearest");
        let outer = tmp.0.join("outer");
        let inner = outer.join("inner");
        write(&outer.join("Cargo.toml"), "[workspace]\n");
        write(&inner.join("Cargo.toml"), "[workspace]\n");
        assert_eq!(find_from(&inner.join("src")).unwrap(), inner);
    }

    #[test]
    fn no_workspace_is_a_clear_error() {
        let tmp = TempDir::new("none");
        // A lone package manifest is not a workspace.
        write(&tmp.0.join("Cargo.toml"), "[package]\nname = \"lone\"\n");
        let start = tmp.0.join("sub");
        std::fs::create_dir_all(&start).unwrap();
        // Meaningless if something above the temp dir is a workspace.
        if std::env::temp_dir()
            .ancestors()
            .any(|d| d.join("Cargo.toml").is_file())
        {
            eprintln!("skipped: a directory above the temp dir has a Cargo.toml");
            return;
        }
        let err = find_from(&start).unwrap_err();
        assert!(err.contains("no workspace found"), "{err}");
        assert!(err.contains(&start.display().to_string()), "{err}");
        assert!(err.contains("[workspace]"), "{err}");
    }
}
