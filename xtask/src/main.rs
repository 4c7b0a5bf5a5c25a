//! Workspace tasks.
//!
//! `cargo xtask codegen` regenerates every generated file from its spec and says
//! which files changed; `cargo xtask codegen --check` writes nothing and fails with
//! a diff when a checked-in file is stale. A broken spec makes both print every
//! located error and exit non-zero. `cargo xtask bench [--quick]` runs the
//! benchmarks described in BENCHMARKS.md. `cargo xtask drift` asks the live API
//! (key in `PATHBOUND_API_KEY`) and reports where it differs from the spec.
//! `cargo xtask man [DIR]` writes the
//! `pathbound` CLI's man pages (default `target/man`).

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

mod bench;
mod codegen;
mod drift;
mod workspace;

const USAGE: &str = "usage: cargo xtask <task> [--check | --quick | --base-url URL --json]

  codegen   regenerate everything generated from a spec: the client, the CLI's
            commands, the fixture client, docs/openapi.yaml and docs/api.md
  openapi   regenerate only docs/openapi.yaml (OpenAPI 3.1)
  docs      regenerate only docs/api.md (Markdown API reference)
  bench     run every benchmark and print the figures against their targets
            (see BENCHMARKS.md); `bench --quick` runs a shorter version
  drift     call every read-only operation the key in PATHBOUND_API_KEY may call
            and report where the answers differ from the spec, with suggested
            edits (`--base-url URL`, `--json`); exit 1 when something drifted
  man       write the man pages of the `pathbound` CLI to DIR (default target/man)

  --check   change nothing; fail with a diff if a generated file is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if args.first() == Some(&"drift") {
        return drift::run(&workspace_root(), &args[1..]);
    }
    if args.first() == Some(&"bench") {
        let quick = match &args[1..] {
            [] => false,
            ["--quick"] => true,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        };
        return match bench::run(&workspace_root(), quick) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        };
    }
    if args.first() == Some(&"man") {
        let root = workspace_root();
        let out = match &args[1..] {
            [] => root.join("target/man"),
            [dir] => PathBuf::from(dir),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        };
        return man(&root, &out);
    }
    let which = match args.first() {
        Some(&"codegen") => codegen::Artefacts::All,
        Some(&"openapi") => codegen::Artefacts::OpenApi,
        Some(&"docs") => codegen::Artefacts::Docs,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match &args[1..] {
        [] => codegen::run(&workspace_root(), codegen::Mode::Write, which),
        ["--check"] => codegen::run(&workspace_root(), codegen::Mode::Check, which),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask man`: builds and runs the CLI's `man` example, which renders
/// every command with `clap_mangen` (a dev-dependency, so the binary stays lean).
fn man(root: &std::path::Path, out: &std::path::Path) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            "pathbound-cli",
            "--example",
            "man",
            "--",
        ])
        .arg(out)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The root of the checkout xtask was run in, found at run time from the current
/// directory (see [`workspace`]); with none, says so and exits non-zero.
fn workspace_root() -> PathBuf {
    match workspace::root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(1);
        }
    }
}
