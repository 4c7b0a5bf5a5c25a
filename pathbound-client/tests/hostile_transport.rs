//! A hostile server at the HTTP level: bodies that never end or lie about
//! their length, bodies that drip, headers that never end, answers that are
//! not HTTP. Each must end in a prompt, clear error, without the client
//! reading (or holding) more than its limits.

mod hostile;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pathbound_client::Error;
use pathbound_client::runtime::__private::Call;
use pathbound_client::runtime::{self, Operation, RequestOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use hostile::{Loopback, read_head, rt, runtime_builder};

static OP: Operation = hostile::get("hostile.transport", "/thing");

const CAP: usize = 64 * 1024;

/// What a raw server saw: bytes it managed to write, and whether the client
/// hung up on it.
#[derive(Clone, Default)]
struct Seen {
    written: Arc<AtomicU64>,
    closed: Arc<AtomicBool>,
}

/// Serves every connection with `answer(socket, seen)` after reading the request head.
fn raw_server<F, Fut>(answer: F) -> (String, Seen)
where
    F: Fn(TcpStream, Seen) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = rt()
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Seen::default();
    let for_server = seen.clone();
    rt().spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = Vec::new();
            if read_head(&mut socket, &mut buf).await.is_none() {
                continue;
            }
            tokio::spawn(answer(socket, for_server.clone()));
        }
    });
    (base_url, seen)
}

/// Writes `head`, then `chunk` forever (or until the client hangs up),
/// counting what was written.
async fn head_then_forever(mut socket: TcpStream, seen: Seen, head: String, chunk: Vec<u8>) {
    if socket.write_all(head.as_bytes()).await.is_err() {
        seen.closed.store(true, Ordering::SeqCst);
        return;
    }
    loop {
        match socket.write_all(&chunk).await {
            Ok(()) => {
                seen.written.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
            Err(_) => {
                seen.closed.store(true, Ordering::SeqCst);
                return;
            }
        }
    }
}

fn capped_client(base_url: &str, cap: usize) -> runtime::Client {
    runtime_builder(base_url)
        .max_response_bytes(cap)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

fn execute(
    client: &runtime::Client,
) -> (
    pathbound_client::Result<pathbound_client::runtime::__private::Response>,
    Duration,
) {
    let options = RequestOptions::new();
    let started = Instant::now();
    let result = rt().block_on(client.execute(Call::new(&OP, &options)));
    (result, started.elapsed())
}

fn assert_too_large(
    result: &pathbound_client::Result<pathbound_client::runtime::__private::Response>,
    cap: usize,
) {
    match result {
        Err(error @ Error::BodyTooLarge { operation, limit }) => {
            assert_eq!((*operation, *limit), ("hostile.transport", cap));
            let shown = error.to_string();
            assert!(shown.contains("hostile.transport"), "{shown}");
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

/// Waits (a little) for the server to notice the client hung up.
fn wait_closed(seen: &Seen) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if seen.closed.load(Ordering::SeqCst) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn an_endless_chunked_body_stops_at_the_cap_and_the_connection_is_dropped() {
    let mut chunk = format!("{:x}\r\n", 16 * 1024).into_bytes();
    chunk.extend(std::iter::repeat_n(b'0', 16 * 1024));
    chunk.extend_from_slice(b"\r\n");
    let (base_url, seen) = raw_server(move |socket, seen| {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    transfer-encoding: chunked\r\n\r\n"
            .to_owned();
        head_then_forever(socket, seen, head, chunk.clone())
    });
    let client = capped_client(&base_url, CAP);
    let (result, elapsed) = execute(&client);
    assert_too_large(&result, CAP);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The client stopped reading and hung up: the endless writer fails soon
    // after, having pushed the cap plus what the kernel buffers hold.
    drop(result);
    assert!(wait_closed(&seen), "the client kept the connection open");
    let written = seen.written.load(Ordering::SeqCst);
    assert!(written < 64 * 1024 * 1024, "{written} bytes written");
}

#[test]
fn a_10_gib_content_length_fails_before_reading_the_body() {
    // Announces 10 GiB and then sends nothing: a client that tried to read
    // (or pre-allocate) the body would hang until its 30 s timeout.
    let (base_url, _seen) = raw_server(|mut socket, _seen| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    content-length: 10737418240\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    let client = capped_client(&base_url, CAP);
    let (result, elapsed) = execute(&client);
    assert_too_large(&result, CAP);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn a_10_gib_content_length_streaming_zeros_is_refused_at_once() {
    let (base_url, seen) = raw_server(|socket, seen| {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    content-length: 10737418240\r\n\r\n"
            .to_owned();
        head_then_forever(socket, seen, head, vec![0; 64 * 1024])
    });
    // The default cap (16 MiB) applies too: no setting needed.
    let client = runtime_builder(&base_url).build().expect("client");
    let (result, elapsed) = execute(&client);
    assert_too_large(
        &result,
        pathbound_client::runtime::DEFAULT_MAX_RESPONSE_BYTES,
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    drop(result);
    assert!(wait_closed(&seen), "the client kept the connection open");
}

#[test]
fn a_content_length_one_over_the_cap_fails_before_reading() {
    let (base_url, _seen) = raw_server(|mut socket, _seen| async move {
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", CAP + 1);
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    let (result, elapsed) = execute(&capped_client(&base_url, CAP));
    assert_too_large(&result, CAP);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn an_endless_error_body_is_cut_short_and_still_an_api_error() {
    let (base_url, seen) = raw_server(|socket, seen| {
        let head = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\n\
                    transfer-encoding: chunked\r\n\r\n"
            .to_owned();
        let mut chunk = format!("{:x}\r\n", 4096).into_bytes();
        chunk.extend(std::iter::repeat_n(b'<', 4096));
        chunk.extend_from_slice(b"\r\n");
        head_then_forever(socket, seen, head, chunk)
    });
    let (result, elapsed) = execute(&capped_client(&base_url, CAP));
    let error = result.expect_err("a 500");
    let api = error.api_error().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(api.status, 500);
    assert!(api.body_snippet.len() <= 600, "{}", api.body_snippet.len());
    assert!(
        api.body_snippet.ends_with("bytes in total)"),
        "{}",
        api.body_snippet
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    drop(error);
    assert!(wait_closed(&seen), "the client kept the connection open");
}

#[test]
fn a_dripping_body_times_out() {
    let (base_url, _seen) = raw_server(|mut socket, _seen| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        while socket.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let client = runtime_builder(&base_url)
        .timeout(Duration::from_millis(800))
        .build()
        .expect("client");
    let (result, elapsed) = execute(&client);
    match result {
        Err(Error::Timeout { operation, .. }) => assert_eq!(operation, "hostile.transport"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn endless_headers_are_a_transport_error() {
    let (base_url, _seen) = raw_server(|socket, seen| {
        head_then_forever(
            socket,
            seen,
            "HTTP/1.1 200 OK\r\n".to_owned(),
            b"x-filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".to_vec(),
        )
    });
    let (result, elapsed) = execute(&capped_client(&base_url, CAP));
    match result {
        Err(Error::Transport { operation, .. }) => assert_eq!(operation, "hostile.transport"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn an_answer_that_is_not_http_is_a_transport_error() {
    for garbage in [
        &b"SSH-2.0-OpenSSH_9.6\r\n"[..],
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"HTTP/1.1 999999999999 Nope\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: -5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    ] {
        let (base_url, _seen) = raw_server(move |mut socket, _seen| async move {
            let _ = socket.write_all(garbage).await;
            let _ = socket.shutdown().await;
        });
        let (result, elapsed) = execute(&capped_client(&base_url, CAP));
        match result {
            Err(Error::Transport { .. }) => {}
            other => panic!(
                "{:?}: expected a transport error, got {other:?}",
                String::from_utf8_lossy(garbage)
            ),
        }
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    }
}

/// Any body length around any cap, sent with a `Content-Length` or chunked in
/// any sizes: the body comes back whole exactly when it fits, otherwise
/// `BodyTooLarge`.
#[test]
fn bodies_up_to_the_cap_are_read_whole_and_larger_ones_refused() {
    let server = Loopback::start();
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let case = (0usize..3000).prop_flat_map(|cap| {
        let len = prop_oneof![
            Just(cap),
            Just(cap + 1),
            Just(cap.saturating_sub(1)),
            0..cap * 2 + 2,
        ];
        (
            Just(cap),
            len,
            any::<bool>(),
            prop::collection::vec(1usize..700, 1..8),
        )
    });
    let outcome = runner.run(&case, |(cap, len, chunked, sizes)| {
        let body: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        let mut raw = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n".to_vec();
        if chunked {
            raw.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
            let mut rest = &body[..];
            for size in sizes.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (chunk, tail) = rest.split_at((*size).min(rest.len()));
                raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                raw.extend_from_slice(chunk);
                raw.extend_from_slice(b"\r\n");
                rest = tail;
            }
            raw.extend_from_slice(b"0\r\n\r\n");
        } else {
            raw.extend_from_slice(format!("content-length: {len}\r\n\r\n").as_bytes());
            raw.extend_from_slice(&body);
        }
        server.set_reply(raw);
        let client = runtime_builder(&server.base_url)
            .max_response_bytes(cap)
            .build()
            .expect("client");
        let options = RequestOptions::new();
        match rt().block_on(client.execute(Call::new(&OP, &options))) {
            Ok(response) => {
                prop_assert!(len <= cap, "{len} bytes read under a cap of {cap}");
                prop_assert_eq!(response.body(), &body[..]);
            }
            Err(Error::BodyTooLarge { limit, .. }) => {
                prop_assert!(len > cap, "{len} bytes refused under a cap of {cap}");
                prop_assert_eq!(limit, cap);
            }
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Any `Retry-After`, `retry-after-ms` and `Date` a 429 or 503 carries (huge,
/// negative, fractional, not a number, dates out of range): the client never
/// panics, never waits longer than `max_retry_after`, and ends with the
/// server's status after one retry at most.
#[test]
fn any_retry_after_is_obeyed_within_the_limit_or_ignored() {
    let server = Loopback::start();
    let client = runtime_builder(&server.base_url)
        .max_retries(1)
        .retry_backoff(Duration::ZERO, Duration::from_millis(1))
        .max_retry_after(Duration::from_millis(100))
        .build()
        .expect("client");
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    const ODD: &[&str] = &[
        "0",
        "-1",
        "-0",
        "0.05",
        "1e400",
        "-1e400",
        "NaN",
        "inf",
        "-inf",
        "18446744073709551616",
        "99999999999999999999999999",
        "1e-320",
        "0x10",
        " 0 ",
        "",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 29 Feb 2100 00:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Wed, 31 Dec 1969 23:59:59 GMT",
        "Mon, 99 Nov 1994 99:99:99 GMT",
    ];
    let value = || {
        prop_oneof![
            3 => proptest::sample::select(ODD).prop_map(str::to_owned),
            1 => any::<f64>().prop_map(|f| f.to_string()),
            1 => any::<i64>().prop_map(|n| n.to_string()),
            1 => "[ -~]{0,30}",
            1 => "(Mon|Tue|Sun|Xyz), [0-9]{2} (Jan|Feb|Nov|Foo) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        ]
    };
    let headers = (
        prop::option::of(value()),
        prop::option::of(value()),
        prop::option::of(value()),
    );
    let status = proptest::sample::select(&[429u16, 503][..]);
    let outcome = runner.run(&(status, headers), |(status, (after, after_ms, date))| {
        let mut raw = format!("HTTP/1.1 {status} Busy\r\ncontent-length: 2\r\n");
        for (name, value) in [
            ("retry-after", after),
            ("retry-after-ms", after_ms),
            ("date", date),
        ] {
            if let Some(value) = value {
                raw.push_str(&format!("{name}: {}\r\n", value.trim()));
            }
        }
        raw.push_str("\r\n{}");
        server.set_reply(raw.into_bytes());
        server.take_requests();
        let (result, elapsed) = execute(&client);
        let error = match result {
            Err(error) => error,
            Ok(response) => return Err(TestCaseError::fail(format!("{response:?}"))),
        };
        prop_assert_eq!(error.status(), Some(status));
        let attempts = error.attempts().unwrap_or(0);
        prop_assert!((1..=2).contains(&attempts), "{} attempts", attempts);
        prop_assert_eq!(server.take_requests().len(), attempts as usize);
        // One wait of at most 100 ms, plus two loopback round trips.
        prop_assert!(elapsed < Duration::from_secs(2), "{:?}", elapsed);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
