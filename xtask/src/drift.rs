//! `cargo xtask drift [--base-url URL] [--json]`: runs `pathbound-drift` (the
//! `drift/` crate) against the API, with this checkout's spec.
//!
//! The tool is a separate binary, built on demand, so that xtask itself stays
//! small: `cargo xtask codegen` (the first step of CI) does not compile an
//! HTTP client, and a broken generated client can never stop the generator
//! that would fix it.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Builds and runs `pathbound-drift --spec <root>/spec <args>`; its exit code
/// (0 no drift, 1 drift, 2 the run failed) becomes ours.
pub fn run(root: &Path, args: &[&str]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let spec = root.join("spec");
    let status = Command::new(cargo)
        .args(["run", "--quiet", "-p", "pathbound-drift", "--", "--spec"])
        .arg(&spec)
        .args(args)
        .current_dir(root)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
            None => ExitCode::from(2),
        },
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}
