//! What a proxy named in the environment sees (issue: the API key must never
//! travel to a proxy in clear text).
//!
//! Its own test binary, with one test, because it sets process environment
//! variables (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`), which every
//! thread of a process shares.
//!
//! The promise (see `ClientBuilder::base_url`):
//! - a plain-`http` or loopback base URL is never proxied: requests go straight to
//!   the host, whatever the environment says;
//! - an `https` base URL on another host honours the environment's proxy (and
//!   `NO_PROXY`), as the user configured it: the proxy sees a `CONNECT` to the
//!   host and port, and the request itself (the key included) only inside TLS.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use pathbound_runtime::__private::{ApiDefaults, Call};
use pathbound_runtime::{Client, ClientBuilder, Method, Operation, RequestOptions};

const KEY: &str = "sk_test_proxy_0a1b2c3d4e5f";

static API: ApiDefaults = ApiDefaults {
    base_url: "https://api.example.test/v1",
    api_key_env: "PROXY_TEST_KEY",
    base_url_env: "PROXY_TEST_URL",
    user_agent: "proxy-test/1",
};

static PING: Operation = Operation {
    id: "things.ping",
    method: Method::Get,
    path: "/ping",
    scope: None,
    scope_by: None,
    auth: true,
    retry_safe: true,
};

/// A listener that records the head of every request and answers `reply`.
struct Recorder {
    port: u16,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start(reply: &'static str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let seen = Arc::clone(&seen);
                thread::spawn(move || {
                    let head = read_head(&mut stream);
                    seen.lock().unwrap().push(head);
                    let _ = stream.write_all(reply.as_bytes());
                });
            }
        });
        Recorder { port, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn read_head(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
const PROXY_REFUSES: &str =
    "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

fn client(base_url: &str) -> Client {
    ClientBuilder::<Client>::for_api(&API)
        .api_key(KEY)
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn ping(client: &Client) -> pathbound_runtime::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let options = RequestOptions::new();
    runtime
        .block_on(client.execute(Call::new(&PING, &options)))
        .map(drop)
}

fn set_proxy_env(proxy: &Recorder, no_proxy: Option<&str>) {
    let url = format!("http://127.0.0.1:{}", proxy.port);
    // SAFETY-free: this binary runs one test, so no other thread reads the
    // environment while it changes (Rust 2024 makes set_var unsafe for that reason).
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        set_env(name, Some(&url));
    }
    for name in ["NO_PROXY", "no_proxy"] {
        set_env(name, no_proxy);
    }
}

#[allow(unsafe_code)]
fn set_env(name: &str, value: Option<&str>) {
    // SAFETY: this test binary has a single test and sets variables before it
    // starts any thread that could read the environment concurrently.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

#[test]
fn loopback_and_plain_http_are_never_proxied_and_https_honours_the_environment() {
    let proxy = Recorder::start(PROXY_REFUSES);
    set_proxy_env(&proxy, None);

    // Plain http to loopback, by name and by address: straight to the server.
    for host in ["localhost", "127.0.0.1"] {
        let server = Recorder::start(OK);
        let client = client(&format!("http://{host}:{}/v1", server.port));
        ping(&client).unwrap_or_else(|e| panic!("{host}: {e}"));
        let heads = server.heads();
        assert_eq!(heads.len(), 1, "{host}: {heads:?}");
        assert!(heads[0].starts_with("GET /v1/ping HTTP/1.1"), "{heads:?}");
        assert!(
            proxy.heads().is_empty(),
            "{host}: the proxy saw {:?}",
            proxy.heads()
        );
    }

    // Plain http to another host (opted in): not proxied either; with no such
    // host it fails on its own.
    let insecure = ClientBuilder::<Client>::for_api(&API)
        .api_key(KEY)
        .base_url("http://api.example.test/v1")
        .allow_insecure_http(true)
        .max_retries(0)
        .build()
        .unwrap();
    assert!(ping(&insecure).is_err());
    assert!(proxy.heads().is_empty(), "{:?}", proxy.heads());

    // https to another host: through the proxy, as a CONNECT tunnel; the proxy
    // never sees the request line, its headers or the key.
    let client = client("https://api.example.test/v1");
    let err = ping(&client).unwrap_err();
    assert!(
        err.is_retryable() || err.to_string().contains("connect"),
        "{err}"
    );
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with("CONNECT api.example.test:443 HTTP/1.1"),
        "{heads:?}"
    );
    assert!(!heads[0].contains(KEY), "{heads:?}");
    assert!(
        !heads[0].to_ascii_lowercase().contains("authorization"),
        "{heads:?}"
    );

    // NO_PROXY is honoured for https: the proxy sees nothing more (the request
    // fails on its own, as the host does not resolve).
    set_proxy_env(&proxy, Some("api.example.test"));
    let client = self::client("https://api.example.test/v1");
    assert!(ping(&client).is_err());
    assert_eq!(proxy.heads().len(), 1, "{:?}", proxy.heads());
}
