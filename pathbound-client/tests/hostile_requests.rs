//! Hostile input from the caller: base URLs, API keys, user agents, path
//! parameters, query values and body strings. Each either builds a request
//! that carries exactly what was given (checked on the wire, through a loopback
//! server that records the raw request) or fails before sending with a clear
//! error that never quotes the key.

mod hostile;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use pathbound_client::runtime::__private::Call;
use pathbound_client::runtime::{self, Operation, RequestOptions};
use pathbound_client::{Client, ClientBuilder, Error};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use hostile::{KEY, Loopback, header, http_response, rt, target};

static PATH_OP: Operation = hostile::get("hostile.path", "/items/{a}/sub/{b}");
static QUERY_OP: Operation = hostile::get("hostile.query", "/items");

fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// One reqwest client for every case that does not test TLS (building the
/// default one loads the system's root certificates each time).
/// A builder of the runtime's client, for tests that drive `execute` directly.
fn rt_builder() -> runtime::ClientBuilder<runtime::Client> {
    runtime::ClientBuilder::for_api(&pathbound_client::API)
}

fn http() -> reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
        reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .build()
            .expect("reqwest client")
    })
    .clone()
}

/// Strings that have broken URL builders and header writers before.
const TRICKY: &[&str] = &[
    "",
    ".",
    "..",
    "...",
    "/",
    "//",
    "../admin",
    "a/../b",
    "..\\..",
    "%2e%2e",
    "%2E",
    "%",
    "%zz",
    "%00",
    "?x=1",
    "#frag",
    "a b",
    "a+b",
    "a&b=c",
    ";a=b",
    "\\",
    "\0",
    "\r\nX-Injected: 1",
    "\n",
    " ",
    "\t",
    "é",
    "😀",
    "\u{feff}",
    "\u{7f}",
    "\u{202e}",
    "sk_live_x",
];

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        3 => select(TRICKY).prop_map(String::from),
        2 => "[./%?#&=+; a-zA-Z0-9\\\\~_-]{0,8}",
        1 => "[\\u{0}-\\u{7f}]{0,12}",
        1 => prop::collection::vec(select(TRICKY), 1..4).prop_map(|parts| parts.concat()),
    ]
}

/// Decodes `%XX` escapes; `None` on a malformed one.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A segment as the client must write it: unreserved characters and `%XX`
/// with upper-case hex, nothing else.
fn is_encoded_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let ok = bytes.get(i + 1..i + 3).is_some_and(|h| {
                    h.iter()
                        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
                });
                if !ok {
                    return false;
                }
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => i += 1,
            _ => return false,
        }
    }
    true
}

fn invalid_request(error: &Error) -> Option<(&str, Option<&'static str>)> {
    match error {
        Error::InvalidRequest {
            parameter,
            operation,
            ..
        } => Some((parameter.as_str(), *operation)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Path parameters and query values.

/// Any string as a path parameter: the request is refused before sending
/// (only for "", "." and ".."), or it reaches the server as exactly one
/// segment that decodes back to the string.
#[test]
fn any_path_parameter_is_one_segment_that_decodes_back() {
    let server = Loopback::start();
    let client = hostile::runtime_client(&server.base_url);
    let outcome = runner(128).run(&(hostile_string(), hostile_string()), |(a, b)| {
        server.set_reply(http_response(200, b"{}"));
        let options = RequestOptions::new();
        let args = [a.as_str(), b.as_str()];
        let result = rt().block_on(client.execute(Call::new(&PATH_OP, &options).path_args(&args)));
        let requests = server.take_requests();
        let unusable = |s: &str| matches!(s, "" | "." | "..");
        if unusable(&a) || unusable(&b) {
            let error = result
                .err()
                .ok_or_else(|| TestCaseError::fail("sent an unusable path argument"))?;
            let expected = if unusable(&a) { "a" } else { "b" };
            prop_assert_eq!(
                invalid_request(&error),
                Some((expected, Some("hostile.path")))
            );
            prop_assert!(requests.is_empty(), "sent: {:?}", requests);
            return Ok(());
        }
        result.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(requests.len(), 1);
        let (head, _) = &requests[0];
        let request_line = head.split("\r\n").next().unwrap_or("");
        let target = target(head);
        prop_assert_eq!(request_line, format!("GET {target} HTTP/1.1"));
        prop_assert!(!target.contains(['?', '#']), "{}", target);
        let segments: Vec<&str> = target.split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{}", target);
        prop_assert_eq!(&segments[..3], &["", "base", "items"][..]);
        prop_assert_eq!(segments[4], "sub");
        for (segment, original) in [(segments[3], &a), (segments[5], &b)] {
            prop_assert!(is_encoded_segment(segment), "{}", segment);
            prop_assert_eq!(percent_decode(segment), Some(original.as_bytes().to_vec()));
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Any strings as query names and values reach the server in a query string
/// that decodes back to them, in order.
#[test]
fn any_query_value_decodes_back() {
    let server = Loopback::start();
    let client = hostile::runtime_client(&server.base_url);
    let pairs = prop::collection::vec((hostile_string(), hostile_string()), 0..4);
    let outcome = runner(128).run(&pairs, |pairs| {
        server.set_reply(http_response(200, b"{}"));
        let options = RequestOptions::new();
        let call = Call::new(&QUERY_OP, &options)
            .query(&pairs)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        rt().block_on(client.execute(call))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let requests = server.take_requests();
        prop_assert_eq!(requests.len(), 1);
        let target = target(&requests[0].0).to_owned();
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target.as_str(), None),
        };
        prop_assert_eq!(path, "/base/items");
        prop_assert!(!target.contains('#'));
        let decoded: Vec<(String, String)> = match query {
            Some(query) => serde_urlencoded::from_str(query)
                .map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?,
            None => Vec::new(),
        };
        prop_assert_eq!(decoded, pairs);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// The same through generated request builders: an id in the path, a filter
/// in the query and a string in a JSON body all arrive as given.
#[test]
fn generated_requests_carry_any_string_intact() {
    let server = Loopback::start();
    let client = hostile::client(&server.base_url);
    let outcome = runner(64).run(&hostile_string(), |s| {
        // An id in the path.
        server.set_reply(http_response(200, br#"{"contact":{"contact_id":"ct_1"}}"#));
        let result = rt().block_on(client.contacts().get(s.as_str()).send());
        let requests = server.take_requests();
        if matches!(s.as_str(), "" | "." | "..") {
            let error = result.err().ok_or_else(|| TestCaseError::fail("sent"))?;
            prop_assert_eq!(
                invalid_request(&error),
                Some(("contact_id", Some("contacts.get")))
            );
            prop_assert!(requests.is_empty());
        } else {
            result.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let target = target(&requests[0].0);
            let segment = target
                .strip_prefix("/base/contacts/")
                .ok_or_else(|| TestCaseError::fail(format!("target {target}")))?;
            prop_assert!(is_encoded_segment(segment), "{}", segment);
            prop_assert_eq!(percent_decode(segment), Some(s.as_bytes().to_vec()));
        }

        // A filter in the query.
        server.set_reply(http_response(200, br#"{"contacts":[],"pagination":{}}"#));
        rt().block_on(client.contacts().list().search(s.as_str()).send())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let requests = server.take_requests();
        let target = target(&requests[0].0);
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
        let decoded: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| TestCaseError::fail(format!("{query}: {e}")))?;
        prop_assert_eq!(decoded, vec![("search".to_owned(), s.clone())]);

        // A string in a JSON body.
        server.set_reply(http_response(201, br#"{"contact":{"contact_id":"ct_1"}}"#));
        rt().block_on(client.contacts().create(s.as_str()).send())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let requests = server.take_requests();
        let body: serde_json::Value = serde_json::from_slice(&requests[0].1)
            .map_err(|e| TestCaseError::fail(format!("body: {e}")))?;
        prop_assert_eq!(&body["email"], &serde_json::Value::String(s.clone()));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------
// Headers: the API key and the user agent are the only caller strings that
// go into headers.

fn config_message<C: std::fmt::Debug>(
    result: pathbound_client::Result<C>,
) -> Result<String, TestCaseError> {
    match result {
        Err(Error::Config(message)) => Ok(message),
        other => Err(TestCaseError::fail(format!(
            "expected Error::Config, got {other:?}"
        ))),
    }
}

/// Any string as the API key: the client builds only when the key is a
/// visible-ASCII token, and then the server receives exactly `Bearer <key>`;
/// otherwise `build` fails with one of two fixed messages (so it cannot
/// quote the key).
#[test]
fn any_api_key_is_sent_exactly_or_refused_without_being_quoted() {
    let server = Loopback::start();
    let refused = |key: &str| {
        config_message(Client::builder().api_key(key).http_client(http()).build())
            .expect("a Config error")
    };
    let empty = refused("");
    let unsendable = refused("sk\n");
    let key = prop_oneof![
        2 => hostile_string(),
        2 => "[!-~]{1,40}",
        1 => ("[!-~]{1,20}", hostile_string(), "[!-~]{0,20}").prop_map(|(a, b, c)| format!("{a}{b}{c}")),
    ];
    let outcome = runner(128).run(&key, |key| {
        let result = rt_builder()
            .api_key(key.as_str())
            .base_url(&server.base_url)
            .http_client(http())
            .max_retries(0)
            .build();
        let sendable = !key.is_empty() && key.bytes().all(|b| b.is_ascii_graphic());
        if !sendable {
            let message = config_message(result)?;
            prop_assert!(message == empty || message == unsendable, "{}", message);
            return Ok(());
        }
        let client = result.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let shown = format!("{client:?}");
        prop_assert!(!shown.contains(&key) || key.len() < 4, "{}", shown);
        server.set_reply(http_response(200, b"{}"));
        let options = RequestOptions::new();
        rt().block_on(client.execute(Call::new(&QUERY_OP, &options)))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let requests = server.take_requests();
        let expected = format!("Bearer {key}");
        prop_assert_eq!(
            header(&requests[0].0, "authorization"),
            Some(expected.as_str())
        );
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Any string as the user agent: sent as given (without surrounding
/// whitespace) when it is printable ASCII, else a `Config` error naming it.
#[test]
fn any_user_agent_is_sent_exactly_or_refused() {
    let server = Loopback::start();
    let agent = prop_oneof![
        2 => hostile_string(),
        2 => "[ -~\t]{0,40}",
        1 => ("[!-~]{1,20}", hostile_string()).prop_map(|(a, b)| format!("{a}{b}")),
    ];
    let outcome = runner(128).run(&agent, |agent| {
        let result = rt_builder()
            .api_key(KEY)
            .user_agent(agent.as_str())
            .base_url(&server.base_url)
            .http_client(http())
            .max_retries(0)
            .build();
        let trimmed = agent.trim_matches([' ', '\t']);
        let sendable = !trimmed.is_empty()
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_graphic() || b == b' ' || b == b'\t');
        if !sendable {
            let message = config_message(result)?;
            prop_assert!(message.contains("user agent"), "{}", message);
            prop_assert!(!message.contains(KEY));
            return Ok(());
        }
        let client = result.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        server.set_reply(http_response(200, b"{}"));
        let options = RequestOptions::new();
        rt().block_on(client.execute(Call::new(&QUERY_OP, &options)))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let requests = server.take_requests();
        prop_assert_eq!(header(&requests[0].0, "user-agent"), Some(trimmed));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

// ---------------------------------------------------------------------------
// The base URL: https, or plain http to loopback, or an explicit opt-in.

fn build_with(base_url: &str, allow_insecure_http: bool) -> pathbound_client::Result<Client> {
    let mut builder: ClientBuilder = Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .http_client(http());
    if allow_insecure_http {
        builder = builder.allow_insecure_http(true);
    }
    builder.build()
}

/// Whether a URL with this host must be accepted over plain http by default.
#[derive(Clone, Debug)]
struct Host {
    text: String,
    loopback: bool,
}

fn host() -> impl Strategy<Value = Host> {
    let v4 = prop_oneof![
        any::<[u8; 4]>(),
        any::<[u8; 3]>().prop_map(|[a, b, c]| [127, a, b, c])
    ]
    .prop_map(|octets| {
        let ip = std::net::Ipv4Addr::from(octets);
        Host {
            text: ip.to_string(),
            loopback: octets[0] == 127,
        }
    });
    let v6 = prop_oneof![
        3 => any::<[u16; 8]>(),
        1 => Just([0, 0, 0, 0, 0, 0, 0, 1]),
        1 => any::<u16>().prop_map(|low| [0, 0, 0, 0, 0, 0xffff, 0x7f00, low]),
        1 => any::<u16>().prop_map(|low| [0, 0, 0, 0, 0, 0xffff, 0x0a00, low]),
    ]
    .prop_map(|segments| {
        let ip = std::net::Ipv6Addr::from(segments);
        let loopback = ip == std::net::Ipv6Addr::LOCALHOST
            || (segments[..6] == [0, 0, 0, 0, 0, 0xffff] && segments[6] >> 8 == 127);
        Host {
            text: format!("[{ip}]"),
            loopback,
        }
    });
    let name = prop_oneof![
        3 => "[a-z][a-z0-9-]{0,9}(\\.[a-z][a-z0-9]{0,5}){0,2}",
        1 => select(&["localhost", "LocalHost", "localhost.", "localhost.example.com", "mylocalhost", "local", "api.pathbound.ai"][..]).prop_map(String::from),
    ]
    .prop_map(|text| {
        let lower = text.to_ascii_lowercase();
        Host {
            loopback: lower == "localhost" || lower == "localhost.",
            text,
        }
    });
    prop_oneof![v4, v6, name]
}

/// Any host over plain http: accepted exactly when it is loopback, unless the
/// caller opted in; refused with a message saying how to opt in and never
/// quoting the key. https is accepted for every host.
#[test]
fn plain_http_is_accepted_only_for_loopback_hosts_or_with_the_opt_in() {
    let case = (host(), prop::option::of(1u16..), "(/[a-z0-9]{1,5}){0,2}/?");
    let outcome = runner(256).run(&case, |(host, port, path)| {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let http_url = format!("http://{}{port}{path}", host.text);
        let https_url = format!("https://{}{port}{path}", host.text);
        match build_with(&http_url, false) {
            Ok(client) => {
                prop_assert!(host.loopback, "{} was accepted", http_url);
                prop_assert!(client.base_url().starts_with("http://"));
            }
            Err(Error::Config(message)) => {
                prop_assert!(!host.loopback, "{} was refused: {}", http_url, message);
                prop_assert!(message.contains("allow_insecure_http(true)"), "{}", message);
                prop_assert!(message.contains("clear text"), "{}", message);
                prop_assert!(!message.contains(KEY));
            }
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
        prop_assert!(
            build_with(&http_url, true).is_ok(),
            "{} with the opt-in",
            http_url
        );
        prop_assert!(build_with(&https_url, false).is_ok(), "{}", https_url);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// The default base URL is https, so a client that names none builds.
#[test]
fn the_default_base_url_is_https() {
    let client = Client::builder()
        .api_key(KEY)
        .http_client(http())
        .build()
        .expect("client");
    assert!(
        client.base_url().starts_with("https://"),
        "{}",
        client.base_url()
    );
}

/// No request goes out from a client that refused to build, and a client
/// built with the opt-in really talks plain http (here to loopback, which
/// needs no opt-in; the opt-in changes nothing for it).
#[test]
fn the_opt_in_does_not_change_loopback_behaviour() {
    let server = Loopback::start();
    let client = rt_builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .allow_insecure_http(true)
        .http_client(http())
        .build()
        .expect("client");
    let options = RequestOptions::new();
    rt().block_on(client.execute(Call::new(&QUERY_OP, &options)))
        .expect("sent");
    let requests = server.take_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        header(&requests[0].0, "authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
}

// ---------------------------------------------------------------------------
// Settings: any duration, count or size a caller can pass.

/// Any durations, retry budget and size limit: `build` succeeds, or fails
/// with `Error::Config` only for a setting that would make every request fail
/// or loop (a zero timeout or connect timeout, more than `MAX_RETRIES_LIMIT`
/// retries) or an initial backoff above its maximum, naming it.
#[test]
fn any_settings_build_or_fail_cleanly() {
    let settings = (
        (duration(), prop::option::of(duration()), duration()),
        (duration(), duration()),
        (any::<u32>(), any::<usize>()),
    );
    let outcome = runner(48).run(
        &settings,
        |((timeout, connect_timeout, max_retry_after), (initial, max), (retries, limit))| {
            let mut builder = Client::builder()
                .api_key(KEY)
                .timeout(timeout)
                .retry_backoff(initial, max)
                .max_retry_after(max_retry_after)
                .max_retries(retries)
                .max_response_bytes(limit);
            builder = match connect_timeout {
                Some(connect_timeout) => builder.connect_timeout(connect_timeout),
                None => builder.http_client(http()),
            };
            let degenerate: Vec<&str> = [
                (timeout.is_zero(), "timeout"),
                (
                    connect_timeout.is_some_and(|c| c.is_zero()),
                    "connect_timeout",
                ),
                (
                    retries > pathbound_client::runtime::MAX_RETRIES_LIMIT,
                    "max_retries",
                ),
                (initial > max, "retry_backoff"),
            ]
            .into_iter()
            .filter_map(|(bad, setting)| bad.then_some(setting))
            .collect();
            match builder.build() {
                Ok(_) => prop_assert!(degenerate.is_empty(), "{:?} accepted", degenerate),
                Err(Error::Config(message)) => prop_assert!(
                    degenerate.iter().any(|setting| message.contains(setting)),
                    "{:?}: {}",
                    degenerate,
                    message
                ),
                Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
            }
            Ok(())
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

const DURATIONS: &[Duration] = &[
    Duration::ZERO,
    Duration::from_nanos(1),
    Duration::from_millis(1),
    Duration::from_secs(5),
    Duration::from_secs(u64::MAX),
    Duration::MAX,
];

fn duration() -> impl Strategy<Value = Duration> {
    select(DURATIONS)
}

/// Any timeout (zero, a nanosecond, `Duration::MAX`), connect timeout, size
/// limit and `max_retry_after`, with a short retry budget: a request to a
/// server that answers at once succeeds, times out or is refused as too large,
/// promptly; no duration overflows into a panic; a zero timeout is refused when
/// the client is built.
#[test]
fn any_timeout_and_limit_give_a_prompt_answer() {
    let server = Loopback::start();
    let settings = (
        (duration(), prop::option::of(duration()), duration()),
        select(&DURATIONS[..3]),
        (
            select(&[0u32, 1, 3][..]),
            select(&[0usize, 1, 2, 3, usize::MAX][..]),
        ),
    );
    let outcome = runner(32).run(
        &settings,
        |((timeout, connect_timeout, max_retry_after), backoff, (retries, limit))| {
            let mut builder = rt_builder()
                .api_key(KEY)
                .base_url(&server.base_url)
                .timeout(timeout)
                .retry_backoff(backoff, backoff)
                .max_retry_after(max_retry_after)
                .max_retries(retries)
                .max_response_bytes(limit);
            builder = match connect_timeout {
                Some(connect_timeout) => builder.connect_timeout(connect_timeout),
                None => builder.http_client(http()),
            };
            let client = match builder.build() {
                Ok(client) => client,
                // A zero timeout would fail every request: refused up front.
                Err(Error::Config(message))
                    if timeout.is_zero() || connect_timeout.is_some_and(|c| c.is_zero()) =>
                {
                    prop_assert!(message.contains("is zero"), "{}", message);
                    return Ok(());
                }
                Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            };
            server.set_reply(http_response(200, b"{}"));
            let options = RequestOptions::new();
            let started = std::time::Instant::now();
            match rt().block_on(client.execute(Call::new(&QUERY_OP, &options))) {
                Ok(response) => prop_assert_eq!(response.body(), b"{}"),
                // A nanosecond to connect may not be enough on a busy machine.
                Err(Error::Timeout { .. }) => prop_assert!(
                    timeout < Duration::from_secs(1)
                        || connect_timeout.is_some_and(|c| c < Duration::from_secs(1)),
                    "{:?} {:?}",
                    timeout,
                    connect_timeout
                ),
                Err(Error::BodyTooLarge { limit: got, .. }) => {
                    prop_assert!(limit < 2);
                    prop_assert_eq!(got, limit);
                }
                Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
            }
            prop_assert!(started.elapsed() < Duration::from_secs(5));
            Ok(())
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
