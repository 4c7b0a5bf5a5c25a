//! `pathbound-drift [--spec DIR] [--base-url URL] [--json]`: what `cargo xtask
//! drift` runs. The key comes from the spec's `api_key_env` (`PATHBOUND_API_KEY`),
//! the base URL from `--base-url`, else the spec's `base_url_env`, else the spec.
//!
//! Exit status: 0 when every response matched the spec, 1 when something
//! drifted, 2 when the run could not be made.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: pathbound-drift [--spec DIR] [--base-url URL] [--json]

  Calls every read-only operation of the spec that the key may call and reports
  how the answers differ from the spec. The key is read from PATHBOUND_API_KEY
  (the spec's api.auth.api_key_env); use a read-only key.

  --spec DIR       the spec directory (default: ./spec)
  --base-url URL   the API root (default: $PATHBOUND_BASE_URL, else the spec's base_url)
  --json           machine-readable output

  exit status: 0 no drift, 1 drift found, 2 the run failed";

fn main() -> ExitCode {
    let mut spec = PathBuf::from("spec");
    let mut base_url = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => match args.next() {
                Some(v) => spec = PathBuf::from(v),
                None => return usage(),
            },
            "--base-url" => match args.next() {
                Some(v) => base_url = Some(v),
                None => return usage(),
            },
            "--json" => json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    let model = match pathbound_model::load_dir(&spec, "spec") {
        Ok(model) => model,
        Err(problems) => {
            eprintln!("pathbound-drift: the spec has problems:\n{problems}");
            return ExitCode::from(2);
        }
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(api_key) = env(&model.api.api_key_env) else {
        eprintln!(
            "pathbound-drift: set {} to an API key (a read-only key is enough)",
            model.api.api_key_env
        );
        return ExitCode::from(2);
    };
    let target = pathbound_drift::Target {
        api_key,
        base_url: base_url.or_else(|| env(&model.api.base_url_env)),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pathbound-drift: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(pathbound_drift::run(model, &target)) {
        Ok(report) => {
            if json {
                println!("{:#}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            if report.drifted() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("pathbound-drift: {message}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
