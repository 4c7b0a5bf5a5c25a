//! Generator throughput: each stage of the pipeline, timed on the real spec and on
//! synthetic specs of 10 to 5,000 endpoints.
//!
//! The specs are measured round-robin (one round runs every spec, the small ones
//! several times), so a burst of load from another process on this shared machine
//! hits every size alike; each figure is a median over rounds. Every stage is timed
//! on the wall clock and on the thread's CPU clock: targets are judged on wall time
//! (what a user waits), linearity on CPU time (less disturbed by other processes).

use std::path::Path;

use pathbound_codegen::GeneratedFile;
use pathbound_codegen::ast::SourceFile;
use pathbound_codegen::backend::rust;
use pathbound_codegen::backend::rust::emit::{self, EmittedTokens};
use pathbound_codegen::spec::{load, model, validate};

use crate::stats::{Results, Stopwatch, Timing, median};
use crate::synth;

/// The stages, in pipeline order.
const STAGES: [&str; 5] = ["load", "validate", "model", "emit", "format"];

/// One run of the pipeline over in-memory files.
struct Run {
    /// Per stage, in [`STAGES`] order.
    stages: [Timing; 5],
    endpoints: usize,
    schemas: usize,
    files: usize,
    lines: usize,
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("error: {what}: {e}");
    std::process::exit(1)
}

/// Runs every stage once, timing each; the inputs are cloned outside the timers and
/// the outputs dropped outside them.
fn run(files: &[SourceFile]) -> Run {
    let input = files.to_vec();

    let t = Stopwatch::start();
    let (loaded, problems) = load::decode(input).unwrap_or_else(|d| fail("load", d));
    let load_t = t.stop();
    if !problems.is_empty() {
        fail("decode", pathbound_codegen::Diagnostics(problems));
    }

    let t = Stopwatch::start();
    let checked = validate::validate(&loaded);
    let validate_t = t.stop();
    if let Err(d) = checked {
        fail("validate", d);
    }

    // The spec model, then the Rust backend's view of it (every Rust name decided
    // and checked).
    let t = Stopwatch::start();
    let spec_model = model::build(&loaded.spec, loaded.sources);
    let model = rust::model::build(&spec_model).unwrap_or_else(|d| fail("rust names", d));
    let model_t = t.stop();

    let t = Stopwatch::start();
    let tokens = emit::emit_tokens(&model);
    let emit_t = t.stop();

    let t = Stopwatch::start();
    let out: Result<Vec<GeneratedFile>, _> =
        tokens.into_iter().map(EmittedTokens::format).collect();
    let format_t = t.stop();
    let out = out.unwrap_or_else(|e| fail("format", e));

    Run {
        stages: [load_t, validate_t, model_t, emit_t, format_t],
        endpoints: loaded
            .spec
            .resources
            .iter()
            .map(|r| r.endpoints.len())
            .sum(),
        schemas: loaded.spec.schemas.len(),
        files: out.len(),
        lines: out.iter().map(|f| f.contents.lines().count()).sum(),
    }
}

/// Every run of one spec.
struct Series {
    name: String,
    files: Vec<SourceFile>,
    /// Runs per round.
    per_round: usize,
    runs: Vec<Run>,
}

/// Medians of one clock over a series, in ms.
struct Medians {
    stages: [f64; 5],
    total: f64,
}

impl Series {
    fn new(name: String, files: Vec<SourceFile>, per_round: usize) -> Self {
        Series {
            name,
            files,
            per_round,
            runs: Vec::new(),
        }
    }

    fn medians(&self, clock: fn(&Timing) -> std::time::Duration) -> Medians {
        let ms = |t: &Timing| clock(t).as_secs_f64() * 1e3;
        let mut stages = [0.0; 5];
        for (i, s) in stages.iter_mut().enumerate() {
            let v: Vec<f64> = self.runs.iter().map(|r| ms(&r.stages[i])).collect();
            *s = median(&v);
        }
        let totals: Vec<f64> = self
            .runs
            .iter()
            .map(|r| ms(&r.stages.iter().fold(Timing::default(), |a, b| a + *b)))
            .collect();
        Medians {
            stages,
            total: median(&totals),
        }
    }

    fn last(&self) -> &Run {
        &self.runs[self.runs.len() - 1]
    }

    fn endpoints(&self) -> f64 {
        self.last().endpoints as f64
    }
}

fn wall(t: &Timing) -> std::time::Duration {
    t.wall
}

fn cpu(t: &Timing) -> std::time::Duration {
    t.cpu
}

/// Runs the generator benchmark, prints its tables and records its figures.
pub fn bench(root: &Path, quick: bool, results: &mut Results) {
    let spec_dir = root.join("spec");
    let read = || load::read_spec(&spec_dir, "spec").unwrap_or_else(|d| fail("read", d));

    let sizes: &[usize] = if quick {
        &[10, 100, 1_000]
    } else {
        &[10, 100, 1_000, 5_000]
    };
    let rounds = if quick { 3 } else { 5 };
    let mut series = vec![Series::new("real (spec/)".into(), read(), 5)];
    for &n in sizes {
        // Small specs run several times a round so that each round spends
        // comparable time on every size.
        let per_round = (1_000 / n).clamp(1, 10);
        series.push(Series::new(
            format!("synthetic {n}"),
            synth::spec(n),
            per_round,
        ));
    }
    // The real spec end to end, from disk: what `cargo xtask codegen` does for it.
    let mut e2e: Vec<Timing> = Vec::new();

    // Warm-up: one run of each, discarded.
    let _ = pathbound_codegen::generate_files(read());
    for s in &series {
        let _ = run(&s.files);
    }
    for _ in 0..rounds {
        for _ in 0..5 {
            let t = Stopwatch::start();
            let out =
                pathbound_codegen::generate_files(read()).unwrap_or_else(|e| fail("generate", e));
            e2e.push(t.stop());
            drop(out);
        }
        for s in &mut series {
            for _ in 0..s.per_round {
                let r = run(&s.files);
                s.runs.push(r);
            }
        }
    }

    println!("## Generator throughput\n");
    println!(
        "Round-robin over the specs ({rounds} rounds, small specs several times a round, \
         one warm-up run discarded); medians. Wall-clock ms per stage:\n"
    );
    println!(
        "| spec | endpoints | schemas | files | lines out | {} | total ms | µs/endpoint |",
        STAGES.map(|s| format!("{s} ms")).join(" | ")
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for s in &series {
        let m = s.medians(wall);
        let last = s.last();
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.0} |",
            s.name,
            last.endpoints,
            last.schemas,
            last.files,
            last.lines,
            m.stages.map(|v| format!("{v:.2}")).join(" | "),
            m.total,
            m.total * 1e3 / s.endpoints()
        );
    }
    let e2e_wall: Vec<f64> = e2e.iter().map(|t| t.wall.as_secs_f64() * 1e3).collect();
    let e2e_cpu: Vec<f64> = e2e.iter().map(|t| t.cpu.as_secs_f64() * 1e3).collect();
    let real_e2e = median(&e2e_wall);
    println!(
        "\nReal spec end to end (`read_spec` from disk + `generate_files`, {} runs): \
         {real_e2e:.1} ms wall, {:.1} ms CPU (target < 100 ms).\n",
        e2e.len(),
        median(&e2e_cpu)
    );

    println!("Per-endpoint cost by stage, thread CPU time (µs per endpoint):\n");
    println!(
        "| endpoints | {} | total | total ÷ total at 100 |",
        STAGES.join(" | ")
    );
    println!("|--:|--:|--:|--:|--:|--:|--:|--:|");
    let synthetic = &series[1..];
    let base = synthetic
        .iter()
        .find(|s| s.last().endpoints == 100)
        .map_or(1.0, |s| s.medians(cpu).total / 100.0);
    for s in synthetic {
        let m = s.medians(cpu);
        let e = s.endpoints();
        println!(
            "| {} | {} | {:.0} | {:.2} |",
            s.last().endpoints,
            m.stages.map(|v| format!("{:.0}", v * 1e3 / e)).join(" | "),
            m.total * 1e3 / e,
            (m.total / e) / base
        );
    }
    println!();

    results.put("gen.real.endpoints", series[0].last().endpoints);
    results.put("gen.real.e2e_ms", format!("{real_e2e:.2}"));
    for s in &series {
        let key = match s.name.strip_prefix("synthetic ") {
            Some(n) => n.to_string(),
            None => "real".to_string(),
        };
        let w = s.medians(wall);
        let c = s.medians(cpu);
        let e = s.endpoints();
        results.put(&format!("gen.{key}.total_ms"), format!("{:.2}", w.total));
        results.put(&format!("gen.{key}.cpu_ms"), format!("{:.2}", c.total));
        results.put(
            &format!("gen.{key}.cpu_us_per_endpoint"),
            format!("{:.1}", c.total * 1e3 / e),
        );
        results.put(
            &format!("gen.{key}.scaling"),
            format!("{:.3}", (c.total / e) / base),
        );
        results.put(&format!("gen.{key}.lines"), s.last().lines);
        for (i, stage) in STAGES.iter().enumerate() {
            results.put(
                &format!("gen.{key}.{stage}_ms"),
                format!("{:.3}", w.stages[i]),
            );
        }
    }
}
