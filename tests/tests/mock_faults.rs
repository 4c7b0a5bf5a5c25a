//! Fault modes of `pathbound-mock` as the client sees them: injected 503s and
//! retries, 429 with `Retry-After`, the configured rate limit, dropped
//! connections and latency; per key, per operation and per request header (the
//! header takes effect only with a valid API key).

mod mock_support;

use std::time::{Duration, Instant};

use mock_support::*;
use pathbound_client::Error;
use pathbound_mock::testkit;
use pathbound_mock::{Fault, MockConfig, MockServer, RateLimit};

#[tokio::test]
async fn a_503_is_retried_for_safe_operations_only() {
    let (server, c) = start().await;
    server.inject_fault(Fault::status(503).for_key(KEY_ALL).times(2));
    let contacts = c.contacts().list().limit(2).send().await.unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(server.hits("contacts.list"), 3, "two 503s, then the answer");

    // Without retries the 503 surfaces, with the envelope's message.
    server.inject_fault(Fault::status(503).for_operation("events.types").times(1));
    let err = c
        .events()
        .types()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(api(&err).message, "Service unavailable (injected fault)");

    // A POST that the server may have seen is not repeated.
    server.inject_fault(Fault::status(503).for_operation("contacts.create").times(1));
    let err = c
        .contacts()
        .create("once@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.hits("contacts.create"), 1);
    // The fault is used up: the same call now succeeds.
    c.contacts()
        .create("once@example.com")
        .send()
        .await
        .unwrap();
    // Faults for another key do not fire.
    server.inject_fault(Fault::status(500).for_key("sk_someone_else"));
    c.health().check().send().await.unwrap();
    c.auth().status().send().await.unwrap();
}

#[tokio::test]
async fn a_429_carries_retry_after_and_is_retried_after_waiting() {
    let (server, c) = start().await;
    server.inject_fault(Fault::status(429).for_operation("segments.list").times(1));
    let err = c
        .segments()
        .list()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(
        api(&err).retry_after,
        Some(Duration::from_secs(1)),
        "Retry-After: 1 by default"
    );

    // With retries, the client waits what the server asked (here 30 ms) and retries.
    server.inject_fault(
        Fault::status(429)
            .retry_after(Duration::from_millis(30))
            .for_operation("segments.list")
            .times(1),
    );
    let started = Instant::now();
    let before = server.hits("segments.list");
    let segments = c.segments().list().send().await.unwrap();
    assert_eq!(segments.len(), 4);
    assert_eq!(server.hits("segments.list") - before, 2);
    assert!(started.elapsed() >= Duration::from_millis(30));

    // Raw: both headers are there.
    let r = testkit::send(
        server.base_url(),
        "GET",
        "/health",
        &[
            ("authorization", "Bearer sk_test_all"),
            ("x-mock-fault", "429,retry-after=3"),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("3"));
    assert_eq!(r.header("retry-after-ms"), Some("3000"));
    assert_eq!(r.json()["status"], "error");
}

#[tokio::test]
async fn the_rate_limit_counts_per_key_and_window() {
    let server = MockConfig::new()
        .rate_limit(RateLimit {
            requests: 3,
            window: Duration::from_secs(1),
        })
        .start()
        .await
        .unwrap();
    let c = client(&server, KEY_ALL);
    for _ in 0..3 {
        c.auth()
            .status()
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .unwrap();
    }
    let err = c
        .auth()
        .status()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    let wait = api(&err).retry_after.unwrap();
    assert!(
        wait <= Duration::from_secs(1) && wait > Duration::ZERO,
        "{wait:?}"
    );
    assert!(
        api(&err).message.contains("3 requests per 1 s"),
        "{}",
        api(&err).message
    );
    // Another key has its own budget.
    client(&server, KEY_READ_ONLY)
        .auth()
        .status()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap();
    // The client honours the wait and gets through once the window resets.
    let status = c.auth().status().send().await.unwrap();
    assert_eq!(status.authenticated, Some(true));
}

#[tokio::test]
async fn a_dropped_connection_is_retried_only_when_safe() {
    let (server, c) = start().await;
    server.inject_fault(
        Fault::drop_connection()
            .for_operation("companies.list")
            .times(1),
    );
    let companies = c.companies().list().send().await.unwrap();
    assert_eq!(companies.len(), 8);
    assert_eq!(server.hits("companies.list"), 2);

    server.inject_fault(
        Fault::drop_connection()
            .for_operation("companies.create")
            .times(1),
    );
    let err = c
        .companies()
        .create("dropped.example")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(server.hits("companies.create"), 1);

    // Per request, with the header.
    let r = testkit::send(
        server.base_url(),
        "GET",
        "/health",
        &[
            ("authorization", "Bearer sk_test_all"),
            ("x-mock-fault", "drop"),
        ],
        None,
    )
    .await;
    assert!(r.is_err(), "no answer: {r:?}");
}

#[tokio::test]
async fn latency_slows_answers_and_trips_client_timeouts() {
    let (server, c) = start().await;
    server.inject_fault(
        Fault::latency(Duration::from_millis(300))
            .for_operation("health.check")
            .times(1),
    );
    let err = c
        .health()
        .check()
        .options(
            pathbound_client::RequestOptions::new()
                .timeout(Duration::from_millis(50))
                .max_retries(0),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    let r_started = Instant::now();
    let r = testkit::send(
        server.base_url(),
        "GET",
        "/health",
        &[
            ("authorization", "Bearer sk_test_all"),
            ("x-mock-fault", "latency=120ms"),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert!(r_started.elapsed() >= Duration::from_millis(120));

    let slow = MockConfig::new()
        .latency(Duration::from_millis(80))
        .start()
        .await
        .unwrap();
    let started = Instant::now();
    client(&slow, KEY_ALL)
        .health()
        .check()
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(80));

    // An invalid fault header is the caller's mistake: 400, naming the header.
    let r = testkit::send(
        server.base_url(),
        "GET",
        "/health",
        &[
            ("authorization", "Bearer sk_test_all"),
            ("x-mock-fault", "explode"),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(raw_details(&r)[0].0, "x-mock-fault");
}

#[tokio::test]
async fn the_server_shuts_down_cleanly() {
    let server = MockServer::start().await;
    let base = server.base_url().to_owned();
    let c = client(&server, KEY_ALL);
    c.health().check().send().await.unwrap();
    server.shutdown().await;
    let err = c
        .health()
        .check()
        .options(pathbound_client::RequestOptions::new().max_retries(0))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // Dropping stops a server too.
    let dropped = MockServer::start().await;
    let addr = dropped.address();
    drop(dropped);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "{base}"
    );
}
