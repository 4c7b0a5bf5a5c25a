//! Benchmarks of the generator and of the generated client.
//!
//! ```text
//! pathbound-bench <codegen|client|mock|all> [--quick] [--root DIR] [--results FILE]
//! ```
//!
//! Run it through `cargo xtask bench` (see BENCHMARKS.md), which builds it in release
//! mode, adds the generated-code and build-time figures and prints the summary. It
//! refuses to run from a debug build. Nothing here is a test: no timing is asserted.

mod alloc;
mod client;
mod generator;
mod mock_load;
mod server;
mod stats;
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str =
    "usage: pathbound-bench <codegen|client|mock|webhooks|all> [--quick] [--root DIR] [--results FILE]
       pathbound-bench profile <auth_status|contact_get|contact_list100> <generated|hand> N

  codegen   generator throughput per stage: the real spec and synthetic specs
  client    requests/s and allocations/request, generated client vs hand-written reqwest
  mock      the mock server under load: req/s and p50/p99 latency, 16 and 64 clients,
            and its req/s with a subscribed webhook receiver against without one
  webhooks  only that last comparison
  all       all three

  --quick         fewer repetitions and no 5,000-endpoint spec
  --root DIR      the workspace root (default: this crate's parent)
  --results FILE  also write every figure as key=value lines to FILE

  profile   N requests of one kind made one way, to run under a profiler";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [cmd, scenario, side, n] = args.as_slice() {
        if cmd == "profile" {
            let n = n.parse().unwrap_or(1000);
            return match client::profile(scenario, side, n) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("pathbound-bench: {e}");
                    ExitCode::from(2)
                }
            };
        }
    }
    let mut what = None;
    let mut quick = false;
    let mut root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut results_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "codegen" | "client" | "mock" | "webhooks" | "all" if what.is_none() => {
                what = Some(a.clone())
            }
            "--quick" => quick = true,
            "--root" => match it.next() {
                Some(v) => root = PathBuf::from(v),
                None => return usage(),
            },
            "--results" => match it.next() {
                Some(v) => results_path = Some(v.clone()),
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let Some(what) = what else {
        return usage();
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "pathbound-bench: this is a debug build; timings would mean nothing. \
             Run `cargo xtask bench` or `cargo run --release -p pathbound-bench -- {what}`."
        );
        return ExitCode::from(2);
    }
    let mut results = stats::Results::default();
    if what == "codegen" || what == "all" {
        generator::bench(&root, quick, &mut results);
    }
    if what == "client" || what == "all" {
        client::bench(quick, &mut results);
    }
    if what == "mock" || what == "all" {
        mock_load::bench(quick, &mut results);
    }
    if what == "webhooks" {
        mock_load::bench_webhooks(quick, &mut results);
    }
    if let Some(path) = results_path {
        if let Err(e) = results.write(&path) {
            eprintln!("pathbound-bench: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
