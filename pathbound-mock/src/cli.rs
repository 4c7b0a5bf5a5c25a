//! The command line of the `pathbound-mock` binary.

use crate::config::{ApiKey, MockConfig, RateLimit};
use crate::fault::{parse_duration, parse_faults};
use crate::webhooks::{Selector, Trigger, Webhook, WebhookPolicy};

/// The `--help` text.
pub const USAGE: &str = "\
pathbound-mock: a stateful local fake of the Pathbound API

USAGE:
    pathbound-mock [OPTIONS]
    pathbound-mock trigger EVENT [--contact ID] [--base-url URL] [--key KEY]
                          ask a running mock to record a tracked event (e.g.
                          page_view), which fires its webhook deliveries; the base
                          URL defaults to $PATHBOUND_BASE_URL, else
                          http://127.0.0.1:4010/v1, the key to $PATHBOUND_API_KEY

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
    --webhook URL         deliver changes to URL, an http:// receiver (repeatable);
                          the next two options apply to the --webhook before them
    --webhook-secret SECRET
                          sign its deliveries: X-Pathbound-Signature: sha256=<hex>
    --webhook-events KINDS
                          what it receives, comma-separated (default *): event:NAME,
                          event:*, contact:created|updated|deleted|*, company:...
    --webhook-attempts N  attempts per delivery (default 3)
    --webhook-backoff DURATION
                          wait after a failed attempt, 4x longer each time
                          (default 250ms)
    --webhook-timeout DURATION
                          time one attempt may take (default 5s)
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
    /// `trigger EVENT ...`: ask a running mock to record an event.
    Trigger(Trigger),
}

/// Parses the arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = MockConfig::new().port(4010).log_requests(true);
    let mut keys: Vec<ApiKey> = Vec::new();
    let (mut hooks, mut policy) = (Vec::<Webhook>::new(), WebhookPolicy::default());
    let mut args = args.into_iter().peekable();
    if args.next_if(|a| a == "trigger").is_some() {
        let rest: Vec<String> = args.collect();
        if rest.iter().any(|a| a == "-h" || a == "--help") {
            return Ok(Command::Help);
        }
        return Trigger::parse(rest).map(Command::Trigger);
    }
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
            "--webhook" => {
                let url = value("--webhook")?;
                crate::webhooks::check(&Webhook::new(url.clone()))?;
                hooks.push(Webhook::new(url));
                config
            }
            "--webhook-secret" | "--webhook-events" => {
                let v = value(&flag)?;
                let Some(hook) = hooks.last_mut() else {
                    return Err(format!("{flag} applies to a --webhook URL given before it"));
                };
                if flag == "--webhook-secret" && v.is_empty() {
                    return Err("--webhook-secret must not be empty".into());
                }
                match flag.as_str() {
                    "--webhook-secret" => hook.secret = Some(v),
                    _ => hook.kinds = Selector::parse_list(&v)?,
                }
                config
            }
            "--webhook-attempts" => {
                let v = value("--webhook-attempts")?;
                policy.attempts =
                    v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("invalid attempt count {v:?}: expected 1 or more")
                    })?;
                config
            }
            "--webhook-backoff" => {
                policy.backoff = parse_duration(&value("--webhook-backoff")?)?;
                config
            }
            "--webhook-timeout" => {
                let v = value("--webhook-timeout")?;
                policy.timeout = positive_duration("--webhook-timeout", &v)?;
                config
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
    for hook in hooks {
        config = config.subscribe(hook);
    }
    Ok(Command::Run(config.webhook_policy(policy)))
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
            Command::Help | Command::Trigger(_) => Err("help or trigger".into()),
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
    fn webhook_options_parse() {
        use crate::{Selector, Webhook};

        let c = run(&[
            "--webhook",
            "http://127.0.0.1:3000/hooks",
            "--webhook-secret",
            "whsec_1",
            "--webhook=http://127.0.0.1:3001/",
            "--webhook-events",
            "event:page_view,contact:*",
            "--webhook-attempts",
            "5",
            "--webhook-timeout=2s",
        ])
        .unwrap();
        assert_eq!(
            c.webhooks,
            [
                Webhook::new("http://127.0.0.1:3000/hooks").secret("whsec_1"),
                Webhook::new("http://127.0.0.1:3001/").kinds(vec![
                    Selector::Event(Some("page_view".into())),
                    Selector::Contact(None)
                ]),
            ]
        );
        assert_eq!(c.webhook_policy.attempts, 5);
        assert_eq!(c.webhook_policy.timeout.as_secs(), 2);
        assert!(!format!("{c:?}").contains("whsec_1"));
        for bad in [
            &["--webhook", "https://example.com/"][..],
            &["--webhook-secret", "s"],
            &["--webhook", "http://127.0.0.1/", "--webhook-secret", ""],
            &[
                "--webhook",
                "http://127.0.0.1/",
                "--webhook-events",
                "segment:*",
            ],
            &["--webhook-attempts", "0"],
            &["--webhook-timeout", "0s"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
        match super::parse(["trigger", "page_view", "--contact", "ct_1"].map(String::from)) {
            Ok(Command::Trigger(t)) => assert_eq!(t.contact_id.as_deref(), Some("ct_1")),
            other => panic!("{other:?}"),
        }
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
