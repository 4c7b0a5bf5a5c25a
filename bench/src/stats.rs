//! Medians, and the `key=value` results file that `cargo xtask bench` reads.

use std::fmt::Write as _;
use std::time::Duration;

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    match v.len() % 2 {
        1 => v[mid],
        _ => (v[mid - 1] + v[mid]) / 2.0,
    }
}

/// The `q` quantile of `values` (0.25 for the first quartile), by nearest rank;
/// 0 when empty.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v[i.min(v.len() - 1)]
}

/// Results as `key=value` lines, in the order they were added.
#[derive(Default)]
pub struct Results {
    text: String,
}

impl Results {
    /// Records one figure.
    pub fn put(&mut self, key: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.text, "{key}={value}");
    }

    /// Writes the lines to `path`.
    pub fn write(&self, path: &str) -> std::io::Result<()> {
        std::fs::write(path, &self.text)
    }
}

/// CPU time consumed by the calling thread so far: unlike wall time, it does not
/// grow while other processes on this shared machine hold the cores.
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall and thread-CPU time of one stretch of work.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    /// Elapsed wall-clock time.
    pub wall: Duration,
    /// CPU time of the measuring thread.
    pub cpu: Duration,
}

impl std::ops::Add for Timing {
    type Output = Timing;

    fn add(self, other: Timing) -> Timing {
        Timing {
            wall: self.wall + other.wall,
            cpu: self.cpu + other.cpu,
        }
    }
}

/// A started stopwatch measuring both clocks.
pub struct Stopwatch {
    wall: std::time::Instant,
    cpu: Duration,
}

impl Stopwatch {
    /// Starts both clocks.
    pub fn start() -> Self {
        Stopwatch {
            cpu: thread_cpu(),
            wall: std::time::Instant::now(),
        }
    }

    /// Time since [`Stopwatch::start`].
    pub fn stop(&self) -> Timing {
        let wall = self.wall.elapsed();
        Timing {
            wall,
            cpu: thread_cpu().saturating_sub(self.cpu),
        }
    }
}
