//! The mock server under load: many concurrent clients on loopback, requests per
//! second and latency quantiles, for a list of 100 contacts and for a create.
//!
//! The load comes from the generated client in the same process (the mock runs
//! in-process too), so on a 2-core machine client and server share the CPU: the
//! absolute figures are a floor. The baseline in the same run is `health.check`
//! (no auth, no state), and the ratios say what a list or a create costs over it.
//!
//! A second table reads `GET /v1/segments` (every segment with its member count)
//! from tenants of 1,000 and 10,000 contacts, each with two tracked events: with
//! membership indexed, its cost should not grow with the tenant (it used to
//! scan segments × contacts × events under the state lock).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pathbound_client::Client;
use pathbound_mock::MockServer;

use crate::stats::{Results, median, quantile};

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Health,
    List100,
    Create,
    Segments,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Health => "health.check",
            Scenario::List100 => "contacts.list limit=100",
            Scenario::Create => "contacts.create",
            Scenario::Segments => "segments.list",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Scenario::Health => "health",
            Scenario::List100 => "list100",
            Scenario::Create => "create",
            Scenario::Segments => "segments",
        }
    }
}

/// What one scenario measured.
struct Measured {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

/// One request of `scenario`; `n` makes create emails unique.
async fn one(client: &Client, scenario: Scenario, task: usize, n: u64) -> bool {
    match scenario {
        Scenario::Health => client
            .health()
            .check()
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .is_ok(),
        Scenario::List100 => client
            .contacts()
            .list()
            .limit(100)
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .is_ok_and(|p| p.len() == 100),
        Scenario::Create => client
            .contacts()
            .create(format!("load-{task}-{n}@example.com"))
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .is_ok(),
        Scenario::Segments => client
            .segments()
            .list()
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .is_ok_and(|p| p.len() == 4),
    }
}

/// `clients` tasks each sending requests back to back for `duration`.
async fn load(client: &Client, scenario: Scenario, clients: usize, duration: Duration) -> Measured {
    let started = Instant::now();
    let until = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for task in 0..clients {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut n = 0u64;
            while Instant::now() < until {
                let t = Instant::now();
                if !one(&client, scenario, task, n).await {
                    errors += 1;
                }
                latencies.push(t.elapsed().as_secs_f64() * 1e3);
                n += 1;
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            latencies.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    Measured {
        rps: latencies.len() as f64 / elapsed,
        p50_ms: median(&latencies),
        p99_ms: quantile(&latencies, 0.99),
        errors,
    }
}

/// Runs every scenario at 16 and 64 concurrent clients and prints a table.
pub fn bench(quick: bool, results: &mut Results) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mock load: cannot start a runtime: {e}");
            return;
        }
    };
    runtime.block_on(async {
        let duration = Duration::from_secs(if quick { 1 } else { 4 });
        println!(
            "\n## Mock server under load ({} s per cell, client and server in one process on loopback)\n",
            duration.as_secs()
        );
        println!("| scenario | clients | req/s | ÷ health req/s | p50 ms | p99 ms | errors |");
        println!("|---|--:|--:|--:|--:|--:|--:|");
        for clients in [16usize, 64] {
            // A fresh server per concurrency level, so every list sees the same
            // tenant (the seed plus 100 contacts) and creates never collide.
            let server = MockServer::start().await;
            let client = match Client::builder().api_key("sk_test_all").base_url(server.base_url()).build() {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("mock load: {e}");
                    return;
                }
            };
            for i in 0..100 {
                let _ = client.contacts().create(format!("seed-{i}@example.com")).send().await;
            }
            // Warm up connections, then the baseline, then the scenarios (create last: it adds contacts).
            let _ = load(&client, Scenario::Health, clients, Duration::from_millis(200)).await;
            let health = load(&client, Scenario::Health, clients, duration).await;
            for scenario in [Scenario::Health, Scenario::List100, Scenario::Create] {
                let m = if scenario == Scenario::Health { Measured { ..health } } else { load(&client, scenario, clients, duration).await };
                let ratio = m.rps / health.rps.max(f64::MIN_POSITIVE);
                println!(
                    "| {} | {clients} | {:.0} | {ratio:.3} | {:.2} | {:.2} | {} |",
                    scenario.name(),
                    m.rps,
                    m.p50_ms,
                    m.p99_ms,
                    m.errors
                );
                let k = format!("mock.{}.c{clients}", scenario.key());
                results.put(&format!("{k}.rps"), format!("{:.0}", m.rps));
                results.put(&format!("{k}.p50_ms"), format!("{:.2}", m.p50_ms));
                results.put(&format!("{k}.p99_ms"), format!("{:.2}", m.p99_ms));
                results.put(&format!("{k}.errors"), m.errors);
            }
            server.shutdown().await;
        }
        segments_by_tenant_size(duration, results).await;
    });
}

/// The seeded tenant's contacts; the scenario adds the rest.
const SEEDED_CONTACTS: usize = 36;
/// Form submissions per added contact: each adds one tracked event.
const EVENTS_PER_CONTACT: usize = 2;
/// Concurrent clients reading the segments.
const SEGMENT_CLIENTS: usize = 16;

/// `GET /v1/segments` at 1,000 and 10,000 contacts (16 clients), and the ratio.
async fn segments_by_tenant_size(duration: Duration, results: &mut Results) {
    println!(
        "\n### `GET /v1/segments` by tenant size ({SEGMENT_CLIENTS} clients, {} s per cell; \
         each added contact has {EVENTS_PER_CONTACT} events from form submissions)\n",
        duration.as_secs()
    );
    println!("| contacts | events | req/s | ÷ health req/s | p50 ms | p99 ms | errors | setup s |");
    println!("|--:|--:|--:|--:|--:|--:|--:|--:|");
    let mut cells = Vec::new();
    for contacts in [1_000usize, 10_000] {
        let server = MockServer::start().await;
        let client = match Client::builder()
            .api_key("sk_test_all")
            .base_url(server.base_url())
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("mock load: {e}");
                return;
            }
        };
        let started = Instant::now();
        if let Err(e) = fill(server.base_url(), contacts.saturating_sub(SEEDED_CONTACTS)).await {
            eprintln!("mock load: filling the tenant: {e}");
            return;
        }
        let setup = started.elapsed().as_secs_f64();
        let events = client.events().count().send().await.unwrap_or(0);
        let _ = load(
            &client,
            Scenario::Health,
            SEGMENT_CLIENTS,
            Duration::from_millis(200),
        )
        .await;
        let health = load(&client, Scenario::Health, SEGMENT_CLIENTS, duration).await;
        let m = load(&client, Scenario::Segments, SEGMENT_CLIENTS, duration).await;
        let ratio = m.rps / health.rps.max(f64::MIN_POSITIVE);
        println!(
            "| {contacts} | {events} | {:.0} | {ratio:.3} | {:.2} | {:.2} | {} | {setup:.1} |",
            m.rps, m.p50_ms, m.p99_ms, m.errors
        );
        let k = format!("mock.segments.n{contacts}");
        results.put(&format!("{k}.events"), events);
        results.put(&format!("{k}.rps"), format!("{:.0}", m.rps));
        results.put(&format!("{k}.p50_ms"), format!("{:.2}", m.p50_ms));
        results.put(&format!("{k}.p99_ms"), format!("{:.2}", m.p99_ms));
        results.put(&format!("{k}.errors"), m.errors);
        cells.push(m);
        server.shutdown().await;
    }
    if let [small, large] = cells.as_slice() {
        let p50 = large.p50_ms / small.p50_ms.max(f64::MIN_POSITIVE);
        let rps = small.rps / large.rps.max(f64::MIN_POSITIVE);
        println!(
            "\n10,000 ÷ 1,000 contacts (10 × the contacts, about 8 × the events): p50 × {p50:.2}, \
             time per request (1 / req/s) × {rps:.2}. A cost growing with contacts × events \
             would be about × 80."
        );
        results.put("mock.segments.ratio_p50", format!("{p50:.2}"));
        results.put("mock.segments.ratio_time", format!("{rps:.2}"));
    }
}

/// Adds `contacts` contacts to the tenant at `base_url`, each through
/// [`EVENTS_PER_CONTACT`] public form submissions (with the tenant's origin,
/// which the typed client does not send), from 16 concurrent tasks.
async fn fill(base_url: &str, contacts: usize) -> Result<(), String> {
    // reqwest is built without a default TLS provider; nothing here uses TLS, but a
    // client cannot be built without one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .build()
        .map_err(|e| format!("reqwest client: {e}"))?;
    let url = format!("{base_url}/public/form-submission/tenant_mock/form_bench");
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (http, url, next) = (http.clone(), url.clone(), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= contacts {
                    return Ok(());
                }
                let stage = if i % 3 == 0 { "customer" } else { "lead" };
                let body = format!(
                    r#"{{"contact_data":{{"email":"member-{i}@example.com","lifecyclestage":"{stage}","country":"US"}}}}"#
                );
                for _ in 0..EVENTS_PER_CONTACT {
                    let response = http
                        .post(&url)
                        .header("origin", "https://www.acme-demo.com")
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                    if !response.status().is_success() {
                        return Err(format!("form submission: {}", response.status()));
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}
