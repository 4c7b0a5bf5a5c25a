//! Proves that tracing output, at TRACE level and including the HTTP stack's
//! own logs, names the operation but never the API key.
//!
//! Its own test binary on purpose: `tracing` caches per-callsite interest
//! globally, so a thread-local (`with_default`) subscriber can miss events
//! whose callsites other tests, running in parallel on other threads, hit
//! first. Alone in its binary, the capture is complete.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pathbound_client::runtime::__private::Call;
use pathbound_client::runtime::{self, Method, Operation, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "sk_test_trace_7e6d5c4b3a29";

static GET_CONTACT: Operation = Operation {
    id: "contacts.get",
    method: Method::Get,
    path: "/contacts/{contact_id}",
    scope: Some("contacts:read"),
    scope_by: None,
    auth: true,
    retry_safe: true,
};

static CREATE_CONTACT: Operation = Operation {
    id: "contacts.create",
    method: Method::Post,
    path: "/contacts",
    scope: Some("contacts:write"),
    scope_by: None,
    auth: true,
    retry_safe: false,
};

/// A `tracing` writer appending to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Answers each connection with the next `(status line, extra headers, body)`,
/// then stops listening. Returns the base URL and the raw requests seen.
async fn serve(
    replies: Vec<(&'static str, &'static str, &'static str)>,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let requests = Arc::clone(&seen);
    tokio::spawn(async move {
        for (status, headers, body) in replies {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            while !data.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => data.extend_from_slice(&buf[..n]),
                }
            }
            requests
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&data).into_owned());
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n{headers}\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (base_url, seen)
}

#[test]
fn trace_output_names_the_operation_and_never_the_key() {
    // `reqwest` and `rustls` log through the `log` crate: forward it to
    // `tracing` so the capture sees the HTTP stack's own logs too.
    tracing_log::LogTracer::init().unwrap();
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    // One thread runs everything: the runtime, the server, reqwest's tasks.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let (base_url, requests) = serve(vec![
                ("500 Internal Server Error", "", r#"{"error":"boom"}"#),
                ("200 OK", "", r#"{"contact":{"email":"a@b.c"}}"#),
                (
                    "401 Unauthorized",
                    "x-request-id: req_trace\r\n",
                    r#"{"error":"Invalid API key"}"#,
                ),
            ])
            .await;
            let client = runtime::ClientBuilder::<runtime::Client>::for_api(&pathbound_client::API)
                .api_key(KEY)
                .base_url(base_url)
                .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
                .build()
                .unwrap();
            let options = RequestOptions::new();
            let get = || Call::new(&GET_CONTACT, &options).path_args(&["ct_1"]);
            // 500 then 200: one retry.
            client.execute(get()).await.unwrap();
            // 401: a failure whose message talks about the key.
            let err = client.execute(get()).await.unwrap_err();
            assert!(err.is_unauthorized());
            for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
                assert!(!shown.contains(KEY), "{shown}");
            }
            // Refused by the client-side scope check, never sent.
            let err = client
                .with_scopes(["contacts:read"])
                .execute(Call::new(&CREATE_CONTACT, &options))
                .await
                .unwrap_err();
            assert!(err.is_forbidden());
            // The key did go over the wire: the capture below is meaningful.
            let requests = requests.lock().unwrap();
            assert_eq!(requests.len(), 3);
            assert!(requests[0].contains(KEY));
        });
    });
    let output = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture worked: the span and its fields, every attempt, the retry
    // warning, the outcome, and the HTTP stack's own logs.
    for expected in [
        "pathbound.request",
        "operation=\"contacts.get\"",
        "operation=\"contacts.create\"",
        "method=\"GET\"",
        "path=\"/contacts/{contact_id}\"",
        "attempt=1",
        "attempt=2",
        "status=500",
        "status=200",
        "status=401",
        "duration_ms=",
        "attempt failed",
        "attempt succeeded",
        " WARN ",
        "retrying request",
        "request failed",
        "not sent: the key lacks the scope",
        "reqwest::connect",
    ] {
        assert!(
            output.contains(expected),
            "missing {expected:?} in:\n{output}"
        );
    }
    // Neither the key, nor a piece of it, nor the header that carries it.
    let lower = output.to_ascii_lowercase();
    for secret in [KEY, "7e6d5c4b", "bearer", "authorization"] {
        assert!(
            !lower.contains(&secret.to_ascii_lowercase()),
            "{secret:?} leaked into:\n{output}"
        );
    }
    // Only the path template is logged, not the ids in the expanded path.
    assert!(!output.contains("ct_1"), "{output}");
    if std::env::var_os("PATHBOUND_DUMP_TRACE").is_some() {
        eprintln!("{output}");
    }
}
