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
    --max-fault-latency DURATION
                          longest latency faults may add to a request (default 60s)
    --header-timeout DURATION
                          time to send a request's headers; idle keep-alive
                          connections close after it too (default 30s)
    --body-timeout DURATION
                          time to send a request's body; then 408 (default 10s)
    --write-timeout DURATION
                          time a response write may stall (the client not
                          reading) before the connection closes (default 30s)
    --max-connections N   connections served at once; more get 503 (default 256)
    --auth-failure-limit N/WINDOW|off
                          failed authentications per client address, then 429 for
                          requests that need a key until the window ends
                          (default 100/1m)
    --max-records N       records the tenant may hold; then 503 (default 100000)
    --no-seed             start with no data
    --drift               answer as a future API might (an extra key on every
                          object, an unlisted enum value, one optional field
                          dropped, one integer sent as a string)
    --quiet               do not log requests
    -h, --help            print this help

Per request, send the header `x-mock-fault: 503` (or 429, drop, latency=200ms)
together with a valid API key; without one the header is ignored.
Point a client at the printed base URL, e.g.
    PATHBOUND_BASE_URL=http://127.0.0.1:4010/v1 PATHBOUND_API_KEY=sk_test_all";

/// What the command line asked for.
#[derive(Debug)]
// Made once per process; boxing the configuration would only change the API.
#[allow(clippy::large_enum_variant)]
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
            "--max-fault-latency" => {
                config.max_fault_latency(parse_duration(&value("--max-fault-latency")?)?)
            }
            "--header-timeout" => config.header_timeout(positive_duration(
                "--header-timeout",
                &value("--header-timeout")?,
            )?),
            "--body-timeout" => config.body_timeout(positive_duration(
                "--body-timeout",
                &value("--body-timeout")?,
            )?),
            "--write-timeout" => config.write_timeout(positive_duration(
                "--write-timeout",
                &value("--write-timeout")?,
            )?),
            "--max-connections" => {
                let v = value("--max-connections")?;
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => config.max_connections(n),
                    _ => {
                        return Err(format!(
                            "invalid connection count {v:?}: expected 1 or more"
                        ));
                    }
                }
            }
            "--auth-failure-limit" => {
                let v = value("--auth-failure-limit")?;
                if v.eq_ignore_ascii_case("off") {
                    config.auth_failure_limit(None)
                } else {
                    config.auth_failure_limit(Some(RateLimit::parse(&v)?))
                }
            }
            "--max-records" => {
                let v = value("--max-records")?;
                config.max_records(
                    v.parse()
                        .map_err(|_| format!("invalid record count {v:?}"))?,
                )
            }
            "--no-seed" => config.seed(false),
            "--drift" => config.drift(true),
            "--quiet" => config.log_requests(false),
            other => return Err(format!("unknown option {other:?}; see --help")),
        };
    }
    if !keys.is_empty() {
        config = config.keys(keys);
    }
    Ok(Command::Run(config))
}

/// A duration longer than zero, for the timeouts.
fn positive_duration(flag: &str, text: &str) -> Result<std::time::Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err(format!("{flag} must be longer than 0"));
    }
    Ok(d)
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

    #[test]
    fn limits_parse() {
        use std::time::Duration;

        let c = run(&[]).unwrap();
        assert_eq!(c.max_fault_latency, Duration::from_secs(60));
        assert_eq!(c.header_timeout, Duration::from_secs(30));
        assert_eq!(c.body_timeout, Duration::from_secs(10));
        assert_eq!(c.write_timeout, Duration::from_secs(30));
        assert_eq!(c.max_connections, 256);
        assert_eq!(
            c.auth_failure_limit,
            Some(crate::RateLimit {
                requests: 100,
                window: Duration::from_secs(60)
            })
        );
        assert_eq!(c.max_records, 100_000);
        let c = run(&[
            "--max-fault-latency",
            "5s",
            "--header-timeout=2s",
            "--body-timeout",
            "500ms",
            "--write-timeout",
            "3s",
            "--max-connections",
            "8",
            "--auth-failure-limit",
            "5/10s",
            "--max-records",
            "1000",
        ])
        .unwrap();
        assert_eq!(c.max_fault_latency, Duration::from_secs(5));
        assert_eq!(c.header_timeout, Duration::from_secs(2));
        assert_eq!(c.body_timeout, Duration::from_millis(500));
        assert_eq!(c.write_timeout, Duration::from_secs(3));
        assert_eq!(c.max_connections, 8);
        assert_eq!(c.auth_failure_limit.map(|l| l.requests), Some(5));
        assert_eq!(c.max_records, 1000);
        assert_eq!(
            run(&["--auth-failure-limit", "off"])
                .unwrap()
                .auth_failure_limit,
            None
        );
        for bad in [
            &["--max-connections", "0"][..],
            &["--max-connections", "x"],
            &["--body-timeout", "0s"],
            &["--header-timeout", "soon"],
            &["--auth-failure-limit", "5"],
            &["--max-records", "-1"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }
}
