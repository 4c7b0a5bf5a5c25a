//! The command line of the `pathbound-mock` binary.

use crate::config::{ApiKey, MockConfig, RateLimit};
use crate::fault::{parse_duration, parse_faults};

/// The `--help` text.
pub const USAGE: &str = "\
pathbound-mock: a stateful local fake of the Pathbound API

USAGE:
    pathbound-mock [OPTIONS]

OPTIONS:
    --host HOST           address to listen on (default 127.0.0.1)
    --port PORT           port to listen on (default 4010; 0 picks a free one)
    --key KEY=SCOPES      accept KEY with comma-separated SCOPES; `*` grants all,
                          `-scope` removes one (repeatable; replaces the default keys)
    --latency DURATION    delay every answer, e.g. 150ms
    --rate-limit N/WINDOW at most N requests per WINDOW per key, e.g. 100/15m
    --fault [KEY=]FAULTS  inject faults for KEY (or every request): 503, 429, drop,
                          latency=200ms, retry-after=SECS, times=N (repeatable)
    --body-limit BYTES    largest request body (default 1048576)
    --no-seed             start with no data
    --quiet               do not log requests
    -h, --help            print this help

Per request, send the header `x-mock-fault: 503` (or 429, drop, latency=200ms).
Point a client at the printed base URL, e.g.
    PATHBOUND_BASE_URL=http://127.0.0.1:4010/v1 PATHBOUND_API_KEY=sk_test_all";

/// What the command line asked for.
#[derive(Debug)]
pub enum Command {
    /// Run a server with this configuration.
    Run(MockConfig),
    /// Print the help.
    Help,
}

/// Parses the arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = MockConfig::new().port(4010).log_requests(true);
    let mut keys: Vec<ApiKey> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value; see --help"))
        };
        config = match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--host" => config.host(value("--host")?),
            "--port" => {
                let v = value("--port")?;
                config.port(v.parse().map_err(|_| format!("invalid port {v:?}"))?)
            }
            "--key" => {
                keys.push(ApiKey::parse(&value("--key")?)?);
                config
            }
            "--latency" => config.latency(parse_duration(&value("--latency")?)?),
            "--rate-limit" => config.rate_limit(RateLimit::parse(&value("--rate-limit")?)?),
            "--fault" => {
                let v = value("--fault")?;
                let (key, spec) = match v.split_once('=') {
                    // `KEY=503` but not `latency=200ms` alone.
                    Some((k, s)) if !is_fault_token(k) => (Some(k.to_owned()), s.to_owned()),
                    _ => (None, v.clone()),
                };
                let mut config = config;
                for fault in parse_faults(&spec)? {
                    config = config.fault(match &key {
                        Some(k) => fault.for_key(k.clone()),
                        None => fault,
                    });
                }
                config
            }
            "--body-limit" => {
                let v = value("--body-limit")?;
                config.body_limit(v.parse().map_err(|_| format!("invalid byte count {v:?}"))?)
            }
            "--no-seed" => config.seed(false),
            "--quiet" => config.log_requests(false),
            other => return Err(format!("unknown option {other:?}; see --help")),
        };
    }
    if !keys.is_empty() {
        config = config.keys(keys);
    }
    Ok(Command::Run(config))
}

fn is_fault_token(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "latency" | "retry-after" | "retry-after-ms" | "times"
    )
}

#[cfg(test)]
mod tests {
    use super::{Command, parse};

    fn run(args: &[&str]) -> Result<crate::MockConfig, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Command::Run(c) => Ok(c),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn options_parse() {
        let c = run(&[
            "--port",
            "0",
            "--key",
            "a=*",
            "--key=b=contacts:read",
            "--latency",
            "20ms",
            "--rate-limit",
            "5/1s",
            "--fault",
            "a=503,times=1",
            "--fault",
            "latency=5ms",
        ])
        .unwrap();
        assert_eq!(c.port, 0);
        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.faults.len(), 2);
        assert_eq!(c.faults[0].key.as_deref(), Some("a"));
        assert_eq!(c.faults[1].key, None);
        assert!(run(&["--help"]).is_err());
        assert!(run(&["--port"]).is_err());
        assert!(run(&["--port", "x"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--fault", "k=boom"]).is_err());
    }
}
