//! Client overhead: the generated client against hand-written `reqwest` +
//! `serde_json` calls making the same requests, to the same loopback server, over
//! the same `reqwest::Client` (so the same connection pool and settings), decoding
//! into the same generated types. What differs is only what the generated client
//! adds: URL building, validation, the tracing span, retry bookkeeping, error
//! mapping and envelope decoding.
//!
//! Runs alternate (generated then hand-written, then the other way round, ...) in
//! batches of equal size, so drift on a shared machine hits both; each round gives
//! a ratio, and the median ratio is reported.

use std::future::Future;
use std::hint::black_box;

use pathbound_client::Page;
use pathbound_client::auth::AuthStatus;
use pathbound_client::contacts::{Contact, ContactDetails};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::alloc::thread_counts;
use crate::server::{self, Routes};
use crate::stats::{Results, Stopwatch, Timing, median, quantile};

const API_KEY: &str = "sk_bench_0123456789abcdef";
const USER_AGENT_TEXT: &str = "pathbound-bench/0.1.0";
/// Items on the list page.
pub const LIST_LEN: usize = 100;

fn contact_json(i: usize) -> String {
    format!(
        r#"{{"contact_id":"ct_{i:06}","_id":"ct_{i:06}","properties":{{"email":"person{i}@example.com","firstname":"Ada","lastname":"Lovelace {i}","company":"Analytical Engines Ltd","jobtitle":"Engineer","lifecyclestage":"customer","country":"GB","city":"London","createdate":"2026-01-02T03:04:05.000Z","favourite_colour":"blue"}},"associations":{{"companies":["co_{i:06}"]}},"company_id":"co_{i:06}","segment_ids":["seg_1","seg_2"],"first_seen_at":"2026-01-01T00:00:00.000Z","creation_source":"manual","creation_referrer":null,"notes":[],"created_at":"2026-01-02T03:04:05.000Z","updated_at":"2026-02-03T04:05:06.000Z","owner":"usr_1"}}"#
    )
}

fn routes() -> Routes {
    let auth = br#"{"status":"success","authenticated":true,"auth_type":"api_key","key_id":"1a2b3c4d","scopes":["contacts:read","contacts:write","events:read"],"user":{"user_id":"usr_1","email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","tenant_id":"tenant_1"}}"#.to_vec();
    let get = format!(
        r#"{{"status":"success","contact":{},"unified_profile":{{"emails":["person1@example.com"]}},"actions":[],"events":[]}}"#,
        contact_json(1)
    )
    .into_bytes();
    let items: Vec<String> = (0..LIST_LEN).map(contact_json).collect();
    let list = format!(
        r#"{{"status":"success","contacts":[{}],"pagination":{{"page":1,"limit":{LIST_LEN},"total_pages":5,"total_items":{}}}}}"#,
        items.join(","),
        LIST_LEN * 5
    )
    .into_bytes();
    Routes(vec![
        ("/v1/auth/status".into(), auth),
        ("/v1/contacts/ct_000001".into(), get),
        (format!("/v1/contacts?limit={LIST_LEN}"), list),
    ])
}

/// The hand-written side: what a careful `reqwest` + `serde_json` caller writes.
struct Hand {
    http: reqwest::Client,
    base: String,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

/// The list envelope, for the hand-written side.
#[derive(Deserialize)]
struct ListEnvelope {
    contacts: Vec<Contact>,
    #[allow(dead_code)]
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Pagination {
    page: Option<u64>,
    limit: Option<u64>,
    total_pages: Option<u64>,
    total_items: Option<u64>,
}

type BoxError = Box<dyn std::error::Error>;

impl Hand {
    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, BoxError> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("status {status}").into());
        }
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }
}

/// One scenario: the same request made both ways.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    AuthStatus,
    ContactGet,
    ContactList,
}

impl Scenario {
    const ALL: [Scenario; 3] = [
        Scenario::AuthStatus,
        Scenario::ContactGet,
        Scenario::ContactList,
    ];

    fn key(self) -> &'static str {
        match self {
            Scenario::AuthStatus => "auth_status",
            Scenario::ContactGet => "contact_get",
            Scenario::ContactList => "contact_list100",
        }
    }

    fn call(self) -> &'static str {
        match self {
            Scenario::AuthStatus => "`client.auth().status()`",
            Scenario::ContactGet => "`client.contacts().get(id)`",
            Scenario::ContactList => "`client.contacts().list().limit(100)`",
        }
    }

    async fn generated(self, client: &pathbound_client::Client) -> Result<usize, BoxError> {
        Ok(match self {
            Scenario::AuthStatus => {
                let s: AuthStatus = client.auth().status().send().await?;
                usize::from(black_box(s).authenticated == Some(true))
            }
            Scenario::ContactGet => {
                let d: ContactDetails = client.contacts().get("ct_000001").send().await?;
                black_box(d).contact.contact_id.len()
            }
            Scenario::ContactList => {
                let page: Page<Contact> = client
                    .contacts()
                    .list()
                    .limit(LIST_LEN as i64)
                    .send()
                    .await?;
                black_box(page).len()
            }
        })
    }

    async fn hand(self, hand: &Hand) -> Result<usize, BoxError> {
        Ok(match self {
            Scenario::AuthStatus => {
                let s: AuthStatus = hand.get("/auth/status").await?;
                usize::from(black_box(s).authenticated == Some(true))
            }
            Scenario::ContactGet => {
                let d: ContactDetails = hand.get("/contacts/ct_000001").await?;
                black_box(d).contact.contact_id.len()
            }
            Scenario::ContactList => {
                let e: ListEnvelope = hand.get(&format!("/contacts?limit={LIST_LEN}")).await?;
                black_box(e).contacts.len()
            }
        })
    }
}

/// One timed batch: wall and client-thread CPU time, and allocations (count,
/// bytes) on this thread.
struct Batch {
    time: Timing,
    allocations: u64,
    bytes: u64,
}

async fn batch<F, Fut>(n: usize, mut one: F) -> Result<Batch, BoxError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, BoxError>>,
{
    let (a0, b0) = thread_counts();
    let watch = Stopwatch::start();
    let mut check = 0usize;
    for _ in 0..n {
        check = check.wrapping_add(one().await?);
    }
    let time = watch.stop();
    let (a1, b1) = thread_counts();
    black_box(check);
    Ok(Batch {
        time,
        allocations: a1 - a0,
        bytes: b1 - b0,
    })
}

/// Median, first and third quartile.
struct Spread {
    median: f64,
    q1: f64,
    q3: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Self {
        Spread {
            median: median(values),
            q1: quantile(values, 0.25),
            q3: quantile(values, 0.75),
        }
    }
}

/// The figures of one scenario.
struct Outcome {
    scenario: Scenario,
    rounds: usize,
    batch: usize,
    generated_rps: f64,
    hand_rps: f64,
    /// Generated ÷ hand-written requests per second (wall clock), per round.
    ratio: Spread,
    generated_cpu_us: f64,
    hand_cpu_us: f64,
    /// Hand-written ÷ generated client-thread CPU time per request, per round
    /// (above 1 when the generated client is cheaper).
    cpu_ratio: Spread,
    generated_allocs: f64,
    hand_allocs: f64,
    generated_kib: f64,
    hand_kib: f64,
}

async fn scenario(
    s: Scenario,
    client: &pathbound_client::Client,
    hand: &Hand,
    quick: bool,
) -> Result<Outcome, BoxError> {
    // Warm up both paths (connection, caches), and size the batches from their
    // speed: about 50 ms each (25 ms with --quick). Short batches in many rounds
    // keep each generated/hand-written pair close in time.
    let warm = batch(200, || s.generated(client)).await?;
    let warm_hand = batch(200, || s.hand(hand)).await?;
    let per_request = warm.time.wall.max(warm_hand.time.wall).as_secs_f64() / 200.0;
    let target = if quick { 0.025 } else { 0.05 };
    let n = ((target / per_request) as usize).clamp(20, 20_000);
    let rounds = if quick { 16 } else { 50 };

    let mut gen_rps = Vec::new();
    let mut hand_rps = Vec::new();
    let mut ratios = Vec::new();
    let mut gen_cpu = Vec::new();
    let mut hand_cpu = Vec::new();
    let mut cpu_ratios = Vec::new();
    let mut gen_allocs = Vec::new();
    let mut hand_allocs = Vec::new();
    let mut gen_bytes = Vec::new();
    let mut hand_bytes = Vec::new();
    for round in 0..rounds {
        // A B, B A, A B, ...: neither side always goes first.
        let (g, h) = if round % 2 == 0 {
            let g = batch(n, || s.generated(client)).await?;
            let h = batch(n, || s.hand(hand)).await?;
            (g, h)
        } else {
            let h = batch(n, || s.hand(hand)).await?;
            let g = batch(n, || s.generated(client)).await?;
            (g, h)
        };
        let per = |b: &Batch| {
            (
                n as f64 / b.time.wall.as_secs_f64(),
                b.time.cpu.as_secs_f64() * 1e6 / n as f64,
            )
        };
        let (g_rps, g_cpu) = per(&g);
        let (h_rps, h_cpu) = per(&h);
        gen_rps.push(g_rps);
        hand_rps.push(h_rps);
        ratios.push(g_rps / h_rps);
        gen_cpu.push(g_cpu);
        hand_cpu.push(h_cpu);
        cpu_ratios.push(h_cpu / g_cpu);
        gen_allocs.push(g.allocations as f64 / n as f64);
        hand_allocs.push(h.allocations as f64 / n as f64);
        gen_bytes.push(g.bytes as f64 / n as f64 / 1024.0);
        hand_bytes.push(h.bytes as f64 / n as f64 / 1024.0);
    }
    Ok(Outcome {
        scenario: s,
        rounds,
        batch: n,
        generated_rps: median(&gen_rps),
        hand_rps: median(&hand_rps),
        ratio: Spread::of(&ratios),
        generated_cpu_us: median(&gen_cpu),
        hand_cpu_us: median(&hand_cpu),
        cpu_ratio: Spread::of(&cpu_ratios),
        generated_allocs: median(&gen_allocs),
        hand_allocs: median(&hand_allocs),
        generated_kib: median(&gen_bytes),
        hand_kib: median(&hand_bytes),
    })
}

/// The server, the shared `reqwest::Client`, both sides and a runtime.
struct Setup {
    client: pathbound_client::Client,
    hand: Hand,
    rt: tokio::runtime::Runtime,
}

fn setup() -> Setup {
    // reqwest is built without a default TLS provider; nothing here uses TLS, but a
    // client cannot be built without one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let addr = server::start(routes());
    let base = format!("http://{addr}/v1");
    // One reqwest::Client, shared: the generated client gets it through
    // `ClientBuilder::http_client`, the hand-written path uses it directly. Set up
    // as the runtime sets up its own (connect timeout, no redirects), plus the
    // client-wide timeout a careful hand-written caller relies on.
    let http = reqwest::Client::builder()
        .connect_timeout(pathbound_client::runtime::DEFAULT_CONNECT_TIMEOUT)
        .timeout(pathbound_client::runtime::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("reqwest client: {e}"));
    let client = pathbound_client::Client::builder()
        .api_key(API_KEY)
        .base_url(&base)
        .user_agent(USER_AGENT_TEXT)
        .http_client(http.clone())
        .build()
        .unwrap_or_else(|e| panic!("generated client: {e}"));
    let hand = Hand {
        http,
        base,
        authorization: HeaderValue::from_str(&format!("Bearer {API_KEY}"))
            .unwrap_or_else(|e| panic!("header: {e}")),
        user_agent: HeaderValue::from_static(USER_AGENT_TEXT),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    Setup { client, hand, rt }
}

/// For profilers (`perf record`, `valgrind --tool=dhat`): `n` requests of one
/// scenario made one way, after 100 made both ways; prints the allocations per
/// request of the last `n`.
pub fn profile(scenario: &str, side: &str, n: usize) -> Result<(), String> {
    let s = Scenario::ALL
        .into_iter()
        .find(|s| s.key() == scenario)
        .ok_or_else(|| {
            format!("unknown scenario {scenario}: auth_status, contact_get or contact_list100")
        })?;
    let generated = match side {
        "generated" => true,
        "hand" => false,
        _ => return Err(format!("unknown side {side}: generated or hand")),
    };
    let Setup { client, hand, rt } = setup();
    rt.block_on(async {
        batch(100, || s.generated(&client)).await?;
        batch(100, || s.hand(&hand)).await?;
        let b = match generated {
            true => batch(n, || s.generated(&client)).await?,
            false => batch(n, || s.hand(&hand)).await?,
        };
        println!(
            "{scenario} {side}: {n} requests, {:.1} allocations and {:.1} KiB per request, {:.1} µs CPU per request",
            b.allocations as f64 / n as f64,
            b.bytes as f64 / n as f64 / 1024.0,
            b.time.cpu.as_secs_f64() * 1e6 / n as f64
        );
        Ok::<(), BoxError>(())
    })
    .map_err(|e| e.to_string())
}

/// Runs the client benchmark, prints its table and records its figures.
pub fn bench(quick: bool, results: &mut Results) {
    let Setup { client, hand, rt } = setup();
    let outcomes: Vec<Outcome> = rt.block_on(async {
        let mut out = Vec::new();
        for s in Scenario::ALL {
            match scenario(s, &client, &hand, quick).await {
                Ok(o) => out.push(o),
                Err(e) => panic!("{}: {e}", s.key()),
            }
        }
        out
    });

    println!("## Client overhead\n");
    println!(
        "Loopback HTTP/1.1 with keep-alive, one request in flight, current-thread runtime; \
         the server runs on its own thread. Rounds alternate generated and hand-written \
         batches (then the other order); each round gives a ratio, and the table shows \
         medians with the interquartile range in brackets. Speed ratio: generated ÷ \
         hand-written requests per second (wall clock). CPU ratio: hand-written ÷ generated \
         CPU time of the client thread per request (the client's own work, undisturbed by \
         other processes). Allocations are counted on the client thread only.\n"
    );
    println!(
        "| request | rounds × batch | generated req/s | hand-written req/s | speed ratio (≥ 0.95) | generated CPU µs/req | hand-written CPU µs/req | CPU ratio (≥ 0.95) | allocs/req generated | allocs/req hand-written | KiB/req generated | KiB/req hand-written |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for o in &outcomes {
        println!(
            "| {} | {} × {} | {:.0} | {:.0} | {:.3} ({:.3}–{:.3}) | {:.1} | {:.1} | {:.3} ({:.3}–{:.3}) | {:.1} | {:.1} | {:.1} | {:.1} |",
            o.scenario.call(),
            o.rounds,
            o.batch,
            o.generated_rps,
            o.hand_rps,
            o.ratio.median,
            o.ratio.q1,
            o.ratio.q3,
            o.generated_cpu_us,
            o.hand_cpu_us,
            o.cpu_ratio.median,
            o.cpu_ratio.q1,
            o.cpu_ratio.q3,
            o.generated_allocs,
            o.hand_allocs,
            o.generated_kib,
            o.hand_kib
        );
        let k = o.scenario.key();
        results.put(
            &format!("client.{k}.generated_rps"),
            format!("{:.0}", o.generated_rps),
        );
        results.put(
            &format!("client.{k}.hand_rps"),
            format!("{:.0}", o.hand_rps),
        );
        results.put(
            &format!("client.{k}.ratio"),
            format!("{:.3}", o.ratio.median),
        );
        results.put(
            &format!("client.{k}.cpu_ratio"),
            format!("{:.3}", o.cpu_ratio.median),
        );
        results.put(
            &format!("client.{k}.generated_cpu_us"),
            format!("{:.1}", o.generated_cpu_us),
        );
        results.put(
            &format!("client.{k}.hand_cpu_us"),
            format!("{:.1}", o.hand_cpu_us),
        );
        results.put(
            &format!("client.{k}.generated_allocs"),
            format!("{:.1}", o.generated_allocs),
        );
        results.put(
            &format!("client.{k}.hand_allocs"),
            format!("{:.1}", o.hand_allocs),
        );
    }
    println!();
}
