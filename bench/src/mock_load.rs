//! The mock server under load: many concurrent clients on loopback, requests per
//! second and latency quantiles, for a list of 100 contacts and for a create.
//!
//! The load comes from the generated client in the same process (the mock runs
//! in-process too), so on a 2-core machine client and server share the CPU: the
//! absolute figures are a floor. The baseline in the same run is `health.check`
//! (no auth, no state), and the ratios say what a list or a create costs over it.

use std::time::{Duration, Instant};

use pathbound_client::Client;
use pathbound_mock::MockServer;

use crate::stats::{Results, median, quantile};

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Health,
    List100,
    Create,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Health => "health.check",
            Scenario::List100 => "contacts.list limit=100",
            Scenario::Create => "contacts.create",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Scenario::Health => "health",
            Scenario::List100 => "list100",
            Scenario::Create => "create",
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
        Scenario::Health => client.health().check().max_retries(0).send().await.is_ok(),
        Scenario::List100 => client
            .contacts()
            .list()
            .limit(100)
            .max_retries(0)
            .send()
            .await
            .is_ok_and(|p| p.len() == 100),
        Scenario::Create => client
            .contacts()
            .create(format!("load-{task}-{n}@example.com"))
            .max_retries(0)
            .send()
            .await
            .is_ok(),
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
    });
}
