//! Running the real `pathbound` binary against a mock started in the test.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use pathbound_mock::MockServer;
use serde_json::Value;

/// A mock on loopback and the runtime serving it.
pub struct Mock {
    pub server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Mock {
    /// Starts a default mock (seeded, the three default keys).
    pub fn start() -> Mock {
        Self::with(MockServer::builder())
    }

    /// Starts a mock with this configuration.
    pub fn with(config: pathbound_mock::MockConfig) -> Mock {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(config.start()).unwrap();
        Mock { server, runtime }
    }

    /// A command line against this mock with `key`.
    pub fn cli(&self, key: &str) -> Cli {
        Cli::new()
            .env("PATHBOUND_BASE_URL", self.server.base_url())
            .env("PATHBOUND_API_KEY", key)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        // The server stops with its runtime.
        let _ = &self.runtime;
    }
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as one JSON value.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// stdout as JSON lines.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// One `pathbound` command line, with a clean environment.
#[derive(Clone)]
pub struct Cli {
    env: Vec<(String, String)>,
}

/// A path no test creates, so no user profile file is read.
pub fn no_config() -> PathBuf {
    std::env::temp_dir().join("pathbound-cli-tests-no-such-config.toml")
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            env: vec![(
                "PATHBOUND_CONFIG".into(),
                no_config().to_string_lossy().into_owned(),
            )],
        }
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.into(), value.into()));
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pathbound"));
        cmd.args(args)
            .env_remove("PATHBOUND_API_KEY")
            .env_remove("PATHBOUND_BASE_URL")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("RUST_LOG");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs with `stdin` as standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs with empty standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    /// Runs, expecting success; stdout as JSON.
    pub fn ok(&self, args: &[&str]) -> Value {
        let run = self.run(args);
        assert_eq!(run.code, 0, "pathbound {args:?} failed: {run:?}");
        if run.stdout.trim().is_empty() {
            Value::Null
        } else {
            run.json()
        }
    }

    /// Runs, expecting exit code `code` and nothing on stdout.
    pub fn fails(&self, code: i32, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, code, "pathbound {args:?}: {run:?}");
        assert_eq!(run.stdout, "", "nothing on stdout on failure: {run:?}");
        run
    }
}

/// A string field of a JSON value.
pub fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value}"))
        .to_owned()
}
