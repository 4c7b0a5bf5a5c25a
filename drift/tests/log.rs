//! `DriftLog`, the observing mode for an application: one `DEBUG` event per
//! difference (never a body value), every sighting counted; through a real
//! client over loopback.

use std::io::Write;
use std::sync::{Arc, Mutex};

use pathbound_drift::{DriftKind, DriftLog};
use pathbound_mock::{KEY_ALL, MockConfig};
use pathbound_runtime::__private::{ApiDefaults, Call};
use pathbound_runtime::{Client, ClientBuilder, Method, Operation, RequestOptions};

static API: ApiDefaults = ApiDefaults {
    base_url: "https://api.example.test/v1",
    api_key_env: "PATHBOUND_API_KEY",
    base_url_env: "PATHBOUND_BASE_URL",
    user_agent: "drift-log-test",
};

static LIST_SEGMENTS: Operation = Operation {
    id: "segments.list",
    method: Method::Get,
    path: "/segments",
    scope: Some("segments:read"),
    scope_by: None,
    auth: true,
    retry_safe: true,
};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_difference_is_logged_once_and_counted_every_time() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockConfig::new().drift(true).start().await.unwrap();
    let model = pathbound_model::load_files(pathbound_mock::spec::embedded_files()).unwrap();
    let log = DriftLog::new(model);
    let client = ClientBuilder::<Client>::for_api(&API)
        .api_key(KEY_ALL)
        .base_url(server.base_url())
        .observe_responses(log.clone())
        .build()
        .unwrap();
    let options = RequestOptions::new();
    for _ in 0..2 {
        let call = Call::new(&LIST_SEGMENTS, &options)
            .query(&[("limit", "2")])
            .unwrap();
        client.execute(call).await.unwrap();
    }
    server.shutdown().await;

    let counts = log.counts();
    let extra = counts
        .iter()
        .find(|(k, _)| k.kind == DriftKind::UndeclaredKey && k.subject == "Segment")
        .map(|(_, n)| *n);
    // Two segments per page, two pages.
    assert_eq!(extra, Some(4), "{counts:#?}");
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("the response differs from the spec"))
        .collect();
    let segment_lines = lines
        .iter()
        .filter(|l| l.contains("kind=\"undeclared_key\"") && l.contains("schema=Segment"))
        .count();
    assert_eq!(segment_lines, 1, "{text}");
    assert!(lines.iter().all(|l| l.contains("DEBUG")), "{text}");
    // One event per difference, however many sightings.
    assert_eq!(lines.len(), counts.len(), "{text}");
    // Names only: no value of the body (the drift note's text, a segment name).
    assert!(!text.contains("added by pathbound-mock"), "{text}");
}
