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
    /// Nine lists of 20 contacts, then a create, over and over.
    Mixed,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Health => "health.check",
            Scenario::List100 => "contacts.list limit=100",
            Scenario::Create => "contacts.create",
            Scenario::Segments => "segments.list",
            Scenario::Mixed => "9 × contacts.list limit=20 + 1 × contacts.create",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Scenario::Health => "health",
            Scenario::List100 => "list100",
            Scenario::Create => "create",
            Scenario::Segments => "segments",
            Scenario::Mixed => "mixed",
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
        Scenario::Mixed if n % 10 == 9 => Box::pin(one(client, Scenario::Create, task, n)).await,
        Scenario::Mixed => client
            .contacts()
            .list()
            .limit(20)
            .options(pathbound_client::RequestOptions::new().max_retries(0))
            .send()
            .await
            .is_ok_and(|p| p.len() == 20),
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

/// The runtime the load runs on: two workers, like the machine's cores.
fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("mock load: cannot start a runtime: {e}");
            None
        }
    }
}

/// Only the webhook comparison (`pathbound-bench webhooks`).
pub fn bench_webhooks(quick: bool, results: &mut Results) {
    if let Some(runtime) = runtime() {
        let duration = Duration::from_secs(if quick { 1 } else { 4 });
        runtime.block_on(webhook_overhead(duration, quick, results));
    }
}

/// Runs every scenario at 16 and 64 concurrent clients and prints a table.
pub fn bench(quick: bool, results: &mut Results) {
    let Some(runtime) = runtime() else {
        return;
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
        webhook_overhead(duration, quick, results).await;
    });
}

/// Concurrent clients in the webhook comparison.
const WEBHOOK_CLIENTS: usize = 16;

/// A mock with no subscription against one subscribed to a local receiver
/// answering 200, alternated over rounds in the same run, for two workloads:
/// creates only (each fires one signed delivery) and a mix of one create in
/// ten requests. Reports each cell and the ratio of the medians.
async fn webhook_overhead(duration: Duration, quick: bool, results: &mut Results) {
    let rounds = if quick { 1 } else { 3 };
    println!(
        "\n### Webhooks: the mock with and without a subscribed receiver \
         ({WEBHOOK_CLIENTS} clients, {} s per cell, {rounds} alternated rounds; each create fires \
         one signed delivery to a loopback receiver answering 200)\n",
        duration.as_secs()
    );
    let receiver = crate::server::start(crate::server::Routes(vec![(
        "/hooks".into(),
        b"{}".to_vec(),
    )]));
    let hook_url = format!("http://{receiver}/hooks");
    let silent_url = match silent_receiver() {
        Ok(address) => format!("http://{address}/hooks"),
        Err(e) => {
            eprintln!("mock load: {e}");
            return;
        }
    };
    println!(
        "| workload | round | receiver | req/s | p50 ms | p99 ms | errors | deliveries: delivered / dropped / failed / pending |"
    );
    println!("|---|--:|---|--:|--:|--:|--:|---|");
    let mut summary = Vec::new();
    for (scenario, url, receiver) in [
        (Scenario::Create, &hook_url, "answering 200"),
        (Scenario::Create, &silent_url, "never answering"),
        (Scenario::Mixed, &hook_url, "answering 200"),
    ] {
        let mut without = Vec::new();
        let mut with = Vec::new();
        let mut outcomes = [0usize; 4];
        for round in 1..=rounds {
            for subscribed in [false, true] {
                // Creates past the default 100,000 records would be 503s.
                let config = pathbound_mock::MockConfig::new().max_records(10_000_000);
                let config = if subscribed {
                    // A log long enough to count every delivery of the cell.
                    config.webhook(url.as_str(), "whsec_bench").webhook_policy(
                        pathbound_mock::WebhookPolicy {
                            log: 1_000_000,
                            ..pathbound_mock::WebhookPolicy::default()
                        },
                    )
                } else {
                    config
                };
                let server = match config.start().await {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("mock load: {e}");
                        return;
                    }
                };
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
                let _ = load(
                    &client,
                    Scenario::Health,
                    WEBHOOK_CLIENTS,
                    Duration::from_millis(200),
                )
                .await;
                let m = load(&client, scenario, WEBHOOK_CLIENTS, duration).await;
                // Let the queue drain (bounded) before reading the log.
                let settle = Instant::now();
                while url == &hook_url
                    && settle.elapsed() < Duration::from_secs(10)
                    && server
                        .deliveries()
                        .iter()
                        .any(|d| d.outcome == pathbound_mock::Outcome::Pending)
                {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let cell = if subscribed {
                    use pathbound_mock::Outcome::{Delivered, Dropped, Failed, Pending};
                    let log = server.deliveries();
                    let c = [Delivered, Dropped, Failed, Pending]
                        .map(|o| log.iter().filter(|d| d.outcome == o).count());
                    for (total, n) in outcomes.iter_mut().zip(c) {
                        *total += n;
                    }
                    format!("{} / {} / {} / {}", c[0], c[1], c[2], c[3])
                } else {
                    "-".to_owned()
                };
                println!(
                    "| {} | {round} | {} | {:.0} | {:.2} | {:.2} | {} | {cell} |",
                    scenario.name(),
                    if subscribed { receiver } else { "none" },
                    m.rps,
                    m.p50_ms,
                    m.p99_ms,
                    m.errors
                );
                if subscribed {
                    with.push(m.rps);
                } else {
                    without.push(m.rps);
                }
                server.shutdown().await;
            }
        }
        let (a, b) = (median(&without), median(&with));
        let ratio = b / a.max(f64::MIN_POSITIVE);
        let k = format!(
            "mock.webhooks.{}{}",
            scenario.key(),
            if url == &silent_url { "_silent" } else { "" }
        );
        results.put(&format!("{k}.rps_without"), format!("{a:.0}"));
        results.put(&format!("{k}.rps_with"), format!("{b:.0}"));
        results.put(&format!("{k}.ratio"), format!("{ratio:.3}"));
        results.put(&format!("{k}.delivered"), outcomes[0]);
        results.put(&format!("{k}.dropped"), outcomes[1]);
        summary.push(format!(
            "- {}, receiver {receiver}: median req/s {a:.0} without a subscription, {b:.0} with one: ratio {ratio:.3} \
             (target >= 0.90); deliveries {} delivered, {} dropped (queue full), {} failed, {} pending.",
            scenario.name(),
            outcomes[0],
            outcomes[1],
            outcomes[2],
            outcomes[3]
        ));
    }
    println!();
    for line in summary {
        println!("{line}");
    }
}
/// A receiver that accepts connections and never reads or answers; it
/// holds them on its own thread until the process exits.
fn silent_receiver() -> std::io::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    std::thread::Builder::new()
        .name("silent-receiver".into())
        .spawn(move || {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
        })?;
    Ok(address)
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
