//! `cargo xtask bench [--quick]`: every benchmark in BENCHMARKS.md, then a summary
//! of each figure against its target.
//!
//! 1. generator throughput and client overhead: `pathbound-bench all`, built and run
//!    in release mode;
//! 2. generated code size: lines of `pathbound-client/src/generated/`, per endpoint;
//! 3. build time of `pathbound-client` itself against `reqwest`, in debug and release,
//!    from `cargo build --timings` in a separate target directory
//!    (`target/bench-build/`);
//! 4. the largest functions by LLVM IR lines (`cargo llvm-lines`, when installed).
//!
//! Everything printed also goes to `target/bench/report.md`. The machine is shared,
//! so every comparison is a ratio against a baseline measured in the same run, from
//! medians of repeated measurements. Nothing here asserts on a timing: a missed
//! target is reported, not failed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

/// Where `cargo build --timings` builds, apart from the normal target directory.
const BUILD_DIR: &str = "target/bench-build";
/// Where the report and the raw figures go.
const OUT_DIR: &str = "target/bench";

/// The report, printed as it grows and written at the end.
struct Report {
    text: String,
}

impl Report {
    fn line(&mut self, line: impl AsRef<str>) {
        println!("{}", line.as_ref());
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }
}

/// Runs every benchmark; the error is the text to print.
pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let started = Instant::now();
    let out_dir = root.join(OUT_DIR);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut report = Report {
        text: String::new(),
    };
    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    report.line(format!("# `{command}`\n"));
    for line in machine() {
        report.line(line);
    }
    report.line("");

    // 1. Generator and client, in release mode.
    progress("building pathbound-bench (release)");
    cargo(root, &["build", "--release", "-p", "pathbound-bench"], &[])?;
    let results_file = out_dir.join("results.txt");
    let mut args = vec![
        "run",
        "--release",
        "--quiet",
        "-p",
        "pathbound-bench",
        "--",
        "all",
    ];
    if quick {
        args.push("--quick");
    }
    let results_arg = results_file.display().to_string();
    args.extend(["--results", &results_arg]);
    progress("running pathbound-bench (generator, then client)");
    for line in cargo_lines(root, &args)? {
        report.line(line);
    }
    let results = read_results(&results_file)?;

    // 2. Generated code size.
    let lines = generated_lines(root, &mut report)?;

    // 3. Build times.
    let builds = build_times(root, quick, &mut report)?;

    // 4. LLVM IR lines.
    llvm_lines(root, &mut report);

    summary(&results, &lines, &builds, quick, &mut report);
    report.line(format!(
        "\n`{command}` took {:.0} s.",
        started.elapsed().as_secs_f64()
    ));
    let path = out_dir.join("report.md");
    std::fs::write(&path, &report.text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("bench: report written to {}", path.display());
    Ok(())
}

fn progress(what: &str) {
    eprintln!("bench: {what} ...");
}

/// The machine, the toolchain and the date: what every figure depends on.
fn machine() -> Vec<String> {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into());
    vec![
        format!("- date (UTC): {}", today()),
        format!("- machine: {cores} cores (nproc), CPU `{cpu}`"),
        format!("- toolchain: `{rustc}`"),
        format!("- load average at the start (1, 5, 15 min): {load}"),
    ]
}

/// Today's date, `YYYY-MM-DD`, in UTC (civil-from-days, H. Hinnant).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn cargo_command(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = Command::new(cargo);
    c.args(args).current_dir(root);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Runs cargo with its output shown; fails when it fails.
fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let status = cargo_command(root, args, env)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("`cargo {}` failed ({status})", args.join(" "))),
    }
}

/// Runs cargo, echoing its standard output line by line, and returns those lines.
fn cargo_lines(root: &Path, args: &[&str]) -> Result<Vec<String>, String> {
    let mut child = cargo_command(root, args, &[])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut lines = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| format!("reading the benchmark's output: {e}"))?;
            lines.push(line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    match status.success() {
        true => Ok(lines),
        false => Err(format!("`cargo {}` failed ({status})", args.join(" "))),
    }
}

fn read_results(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// Generated-code figures for the summary.
struct Lines {
    total: usize,
    code: usize,
    endpoints: usize,
}

/// Counts the lines of the generated client, per file and per endpoint.
fn generated_lines(root: &Path, report: &mut Report) -> Result<Lines, String> {
    let model = pathbound_codegen::load_model(&root.join("spec"), "spec")
        .map_err(|d| format!("the spec does not load: {d}"))?;
    let endpoints_of: BTreeMap<String, usize> = model
        .resources
        .iter()
        .map(|r| (format!("{}.rs", r.name), r.operations.len()))
        .collect();
    let dir = root.join("pathbound-client/src/generated");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    names.sort();
    report.line("## Generated code\n");
    report.line(
        "Lines of `pathbound-client/src/generated/` as checked in (what `cargo xtask codegen` \
         writes). Code lines leave out blank lines and comments (docs included).\n",
    );
    report.line("| file | endpoints | lines | code lines | code lines per endpoint |");
    report.line("|---|--:|--:|--:|--:|");
    let (mut total, mut code, mut endpoints) = (0, 0, 0);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name))
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        let all = text.lines().count();
        let c = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .count();
        let e = endpoints_of.get(name).copied().unwrap_or(0);
        let per = match e {
            0 => "–".to_string(),
            e => format!("{:.0}", c as f64 / e as f64),
        };
        report.line(format!("| {name} | {e} | {all} | {c} | {per} |"));
        total += all;
        code += c;
        endpoints += e;
    }
    report.line(format!(
        "| **total** | {endpoints} | {total} | {code} | {:.0} |\n",
        code as f64 / endpoints.max(1) as f64
    ));
    Ok(Lines {
        total,
        code,
        endpoints,
    })
}

/// One unit of a `cargo build --timings` report.
#[derive(Debug, Clone)]
struct Unit {
    name: String,
    target: String,
    duration: f64,
}

/// Build-time figures for the summary, per profile.
struct Builds {
    /// `(profile, client seconds, reqwest seconds, client ÷ reqwest)`: medians
    /// over the measured builds (the ratio is the median of per-build ratios).
    profiles: Vec<(String, f64, f64, f64)>,
}

/// Times `pathbound-client` and `reqwest` with `cargo build --timings`.
///
/// Full mode starts each profile from an empty target directory (a clean build of
/// the client and everything under it), then builds `reqwest` and the client twice
/// more after cleaning `reqwest` and the client crates: three measurements.
/// Quick mode reuses the directory and rebuilds once. Each unit's duration comes
/// from the timings report of the same build.
fn build_times(root: &Path, quick: bool, report: &mut Report) -> Result<Builds, String> {
    let dir = root.join(BUILD_DIR);
    let dir_arg = dir.display().to_string();
    // Same settings for both crates: in this workspace's dev profile a member
    // (the client) gets line tables and a dependency (reqwest) no debug info, so
    // debug info is turned off for the member too, as for any dependency.
    let env = [
        ("CARGO_INCREMENTAL", "0"),
        ("CARGO_PROFILE_DEV_DEBUG", "false"),
        ("CARGO_TERM_COLOR", "never"),
    ];
    let rebuilds = if quick { 1 } else { 2 };
    report.line("## Build time of `pathbound-client`\n");
    report.line(format!(
        "`cargo build -p pathbound-client --timings` in `{BUILD_DIR}/` with \
         `CARGO_INCREMENTAL=0` (as in CI) and `CARGO_PROFILE_DEV_DEBUG=false` (so both crates \
         build with the same settings: no debug info, as for any dependency). Each build \
         gives the unit time of the client (the sum of the rustc runs of `pathbound-wire`, \
         `pathbound-runtime` and `pathbound-client`, other dependencies excluded) and of \
         `reqwest`, from the same timings report. Measured: {} and {rebuilds} rebuild(s) \
         after `cargo clean -p reqwest` and `-p` each client crate; medians. Builds are pipelined as usual, so on 2 cores the \
         client's front end overlaps the end of reqwest's code generation.\n",
        if quick {
            "the clean build only when the directory is new"
        } else {
            "a clean build"
        }
    ));
    report.line(
        "| profile | clean build, everything (s) | builds | client: wire + runtime + generated (s) | `reqwest` (s) | client ÷ reqwest per build | client ÷ reqwest, median (target < 1) |",
    );
    report.line("|---|--:|--:|--:|--:|---|--:|");
    let mut profiles = Vec::new();
    for (profile, release) in [("debug", false), ("release", true)] {
        let profile_dir = dir.join(profile);
        let mut build_args = vec![
            "build",
            "-p",
            "pathbound-client",
            "--timings",
            "--target-dir",
            &dir_arg,
        ];
        let mut clean_args = vec!["clean", "-p", "reqwest"];
        for name in CLIENT_UNITS {
            clean_args.extend(["-p", name]);
        }
        clean_args.extend(["--target-dir", &dir_arg]);
        if release {
            build_args.push("--release");
            clean_args.push("--release");
        }
        let (mut client, mut reqwest) = (Vec::new(), Vec::new());
        let mut wall = "– (reused)".to_string();
        if !quick || !profile_dir.exists() {
            if profile_dir.exists() {
                std::fs::remove_dir_all(&profile_dir)
                    .map_err(|e| format!("cannot remove {}: {e}", profile_dir.display()))?;
            }
            progress(&format!("clean {profile} build of pathbound-client"));
            let t = Instant::now();
            cargo(root, &build_args, &env)?;
            wall = format!("{:.1}", t.elapsed().as_secs_f64());
            let units = timings(&dir)?;
            client.push(client_unit(&units));
            reqwest.push(unit(&units, "reqwest"));
        }
        for i in 0..rebuilds {
            progress(&format!(
                "{profile} rebuild {} of {rebuilds} of reqwest and pathbound-client",
                i + 1
            ));
            cargo(root, &clean_args, &env)?;
            cargo(root, &build_args, &env)?;
            let units = timings(&dir)?;
            client.push(client_unit(&units));
            reqwest.push(unit(&units, "reqwest"));
        }
        let ratios: Vec<f64> = client.iter().zip(&reqwest).map(|(c, r)| c / r).collect();
        let per_build = client
            .iter()
            .zip(&reqwest)
            .map(|(c, r)| format!("{c:.1} ÷ {r:.1}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (c, r, ratio) = (median(&client), median(&reqwest), median(&ratios));
        report.line(format!(
            "| {profile} | {wall} | {} | {c:.1} | {r:.1} | {per_build} | {ratio:.2} |",
            client.len()
        ));
        profiles.push((profile.to_string(), c, r, ratio));
    }
    report.line("");
    Ok(Builds { profiles })
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The crates a user of the client compiles that this workspace writes: the
/// generated client, the runtime under it and the wire-format tables. Until the
/// runtime became its own crate they were one unit, `pathbound-client`; their sum
/// keeps the comparison with `reqwest` like for like.
const CLIENT_UNITS: [&str; 3] = ["pathbound-wire", "pathbound-runtime", "pathbound-client"];

/// The summed unit time of [`CLIENT_UNITS`].
fn client_unit(units: &[Unit]) -> f64 {
    CLIENT_UNITS.iter().map(|name| unit(units, name)).sum()
}

/// The duration of `name`'s library unit, 0 when it was not built.
fn unit(units: &[Unit], name: &str) -> f64 {
    units
        .iter()
        .filter(|u| u.name == name && !u.target.contains("build-script"))
        .map(|u| u.duration)
        .fold(0.0, f64::max)
}

/// The units of the last `cargo build --timings` in `dir`.
fn timings(dir: &Path) -> Result<Vec<Unit>, String> {
    let path = dir.join("cargo-timings/cargo-timing.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let units = parse_unit_data(&html);
    if units.is_empty() {
        return Err(format!(
            "{}: no UNIT_DATA found; has the --timings format changed?",
            path.display()
        ));
    }
    Ok(units)
}

/// Reads `name`, `target` and `duration` of each object in the report's
/// `UNIT_DATA` array (flat JSON objects; nested arrays are skipped).
fn parse_unit_data(html: &str) -> Vec<Unit> {
    let Some(start) = html.find("UNIT_DATA = [") else {
        return Vec::new();
    };
    let rest = &html[start + "UNIT_DATA = [".len()..];
    let end = rest.find("];").unwrap_or(rest.len());
    let data = &rest[..end];
    let mut units = Vec::new();
    // Split into top-level objects by brace depth.
    let (mut depth, mut from) = (0usize, 0usize);
    for (i, ch) in data.char_indices() {
        match ch {
            '{' => {
                if depth == 0 {
                    from = i;
                }
                depth += 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let obj = &data[from..=i];
                    if let (Some(name), Some(duration)) =
                        (json_str(obj, "name"), json_num(obj, "duration"))
                    {
                        units.push(Unit {
                            name,
                            target: json_str(obj, "target").unwrap_or_default(),
                            duration,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    units
}

fn json_value<'a>(obj: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("\"{key}\":");
    let at = obj.find(&needle)? + needle.len();
    Some(obj[at..].trim_start())
}

fn json_str(obj: &str, key: &str) -> Option<String> {
    let v = json_value(obj, key)?.strip_prefix('"')?;
    Some(v[..v.find('"')?].to_string())
}

fn json_num(obj: &str, key: &str) -> Option<f64> {
    let v = json_value(obj, key)?;
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .unwrap_or(v.len());
    v[..end].parse().ok()
}

/// The largest functions of `pathbound-client` by LLVM IR lines, when
/// `cargo llvm-lines` is installed.
fn llvm_lines(root: &Path, report: &mut Report) {
    report.line("## LLVM IR lines of `pathbound-client`\n");
    let installed = cargo_command(root, &["llvm-lines", "--version"], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        report.line(
            "`cargo llvm-lines` is not installed; `cargo install cargo-llvm-lines` adds it \
             (skipped).\n",
        );
        return;
    }
    progress("cargo llvm-lines -p pathbound-client --lib (debug)");
    let dir = root.join(BUILD_DIR).display().to_string();
    let output = cargo_command(
        root,
        &[
            "llvm-lines",
            "-p",
            "pathbound-client",
            "--lib",
            "--target-dir",
            &dir,
        ],
        &[("CARGO_INCREMENTAL", "0")],
    )
    .output();
    let text = match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => {
            report.line(format!(
                "`cargo llvm-lines` failed: {}\n",
                String::from_utf8_lossy(&o.stderr).trim()
            ));
            return;
        }
        Err(e) => {
            report.line(format!("`cargo llvm-lines` could not run: {e}\n"));
            return;
        }
    };
    report.line(
        "`cargo llvm-lines -p pathbound-client --lib` (debug): the total, then the 15 largest \
         functions (all copies of a generic function together).\n",
    );
    report.line("```text");
    for line in text.lines().take(18) {
        report.line(line);
    }
    report.line("```\n");
}

/// A figure against its target, for the summary.
fn row(report: &mut Report, figure: &str, value: String, target: &str, met: Option<bool>) {
    let met = match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "–",
    };
    report.line(format!("| {figure} | {value} | {target} | {met} |"));
}

fn summary(
    results: &BTreeMap<String, String>,
    lines: &Lines,
    builds: &Builds,
    quick: bool,
    report: &mut Report,
) {
    let num = |k: &str| results.get(k).and_then(|v| v.parse::<f64>().ok());
    report.line("## Summary\n");
    report.line("| figure | value | target | met |");
    report.line("|---|--:|---|---|");
    if let Some(ms) = num("gen.real.e2e_ms") {
        row(
            report,
            "real spec, end to end from disk (median wall ms)",
            format!("{ms:.1} ms"),
            "< 100 ms",
            Some(ms < 100.0),
        );
    }
    if let Some(ms) = num("gen.1000.total_ms") {
        row(
            report,
            "1,000 endpoints, all stages (median wall ms)",
            format!("{ms:.0} ms"),
            "< 2,000 ms",
            Some(ms < 2_000.0),
        );
    }
    let largest = if quick { "1000" } else { "5000" };
    if let Some(x) = num(&format!("gen.{largest}.scaling")) {
        row(
            report,
            &format!("CPU µs per endpoint at {largest} ÷ at 100 endpoints"),
            format!("{x:.2}"),
            "roughly flat (0.67–1.5)",
            Some((0.67..=1.5).contains(&x)),
        );
    }
    row(
        report,
        "generated code lines per endpoint (all generated files)",
        format!(
            "{:.0} ({} code lines, {} lines in all, {} endpoints)",
            lines.code as f64 / lines.endpoints.max(1) as f64,
            lines.code,
            lines.total,
            lines.endpoints
        ),
        "–",
        None,
    );
    for (profile, client, reqwest, ratio) in &builds.profiles {
        row(
            report,
            &format!(
                "client (wire + runtime + generated) unit time ÷ `reqwest` unit time ({profile})"
            ),
            format!("{ratio:.2} ({client:.1} s vs {reqwest:.1} s)"),
            "< 1",
            Some(*ratio < 1.0),
        );
    }
    for (key, what) in [
        ("create", "creates only, receiver answering 200"),
        ("create_silent", "creates only, receiver never answering"),
        ("mixed", "1 create in 10 requests, receiver answering 200"),
    ] {
        if let Some(ratio) = num(&format!("mock.webhooks.{key}.ratio")) {
            row(
                report,
                &format!("mock req/s with a webhook subscription ÷ without ({what})"),
                format!("{ratio:.3}"),
                "≥ 0.90",
                Some(ratio >= 0.90),
            );
        }
    }
    for (key, call) in [
        ("auth_status", "`auth().status()`"),
        ("contact_get", "`contacts().get(id)`"),
        ("contact_list100", "`contacts().list().limit(100)`"),
    ] {
        let (Some(speed), Some(cpu)) = (
            num(&format!("client.{key}.ratio")),
            num(&format!("client.{key}.cpu_ratio")),
        ) else {
            continue;
        };
        row(
            report,
            &format!("{call}: generated ÷ hand-written req/s (median)"),
            format!("{speed:.3} (CPU ratio {cpu:.3})"),
            "≥ 0.95",
            Some(speed >= 0.95),
        );
        if let (Some(g), Some(h)) = (
            num(&format!("client.{key}.generated_allocs")),
            num(&format!("client.{key}.hand_allocs")),
        ) {
            row(
                report,
                &format!("{call}: allocations per request, generated vs hand-written"),
                format!("{g:.0} vs {h:.0}"),
                "–",
                None,
            );
        }
    }
}
