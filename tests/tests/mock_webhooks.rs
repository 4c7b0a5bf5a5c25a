//! Webhooks end to end: a mock subscribed to receivers on loopback delivers
//! signed deliveries when its state changes and on demand (`/_mock/trigger`),
//! retries failed attempts, logs every attempt, never holds up the API, and
//! sends each subscription only the kinds it asked for. The receivers verify
//! and decode with the client's own `webhooks_verify`.

mod mock_support;

use std::future::Future;
use std::time::Duration;

use mock_support::{KEY_ALL, client};
use pathbound_client::webhooks::WebhookChangeType;
use pathbound_client::webhooks_verify::{
    Delivery, EVENT_HEADER, SIGNATURE_HEADER, SUBSCRIPTION_HEADER, USER_AGENT, Verifier,
    WebhookError, verify_delivery,
};
use pathbound_mock::testkit::{self, RawResponse};
use pathbound_mock::{MockConfig, MockServer, Outcome, Selector, Trigger, Webhook, WebhookPolicy};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, Request, ResponseTemplate};

const SECRET: &str = "whsec_e2e_secret";

/// A receiver on loopback answering every delivery with `status`.
async fn receiver(status: u16) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

/// Retries quickly, so the tests stay fast.
fn fast() -> WebhookPolicy {
    WebhookPolicy {
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        ..WebhookPolicy::default()
    }
}

/// Polls `check` until it holds; a generous bound only stops a hung test.
async fn eventually<F: Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    for _ in 0..1000 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn received(server: &wiremock::MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// Waits until `server` has received `n` requests, and returns them.
async fn wait_for(server: &wiremock::MockServer, n: usize) -> Vec<Request> {
    eventually(&format!("{n} deliveries"), || async {
        received(server).await.len() >= n
    })
    .await;
    received(server).await
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A raw request to the mock's root (outside `/v1`), e.g. `/_mock/deliveries`.
async fn mock_route(
    server: &MockServer,
    verb: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> RawResponse {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth));
    }
    let body = body.map(|b| b.to_string());
    testkit::send(
        &format!("http://{}", server.address()),
        verb,
        path,
        &headers,
        body.as_deref().map(str::as_bytes),
    )
    .await
    .expect("the mock answers")
}

/// Triggers `event` on `server` the way `pathbound-mock trigger` does.
async fn trigger(server: &MockServer, event: &str, contact: Option<&str>) -> String {
    Trigger {
        event: event.to_owned(),
        contact_id: contact.map(str::to_owned),
        base_url: Some(server.base_url().to_owned()),
        key: Some(KEY_ALL.to_owned()),
    }
    .send()
    .await
    .expect("the trigger is accepted")
}

async fn create_contact(c: &pathbound_client::Client, email: &str) -> String {
    let contact = c.contacts().create(email).send().await.unwrap();
    serde_json::to_value(&contact).unwrap()["contact_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Decodes an unsigned delivery (subscriptions without a secret).
fn unsigned(request: &Request) -> Delivery {
    assert_eq!(header(request, SIGNATURE_HEADER), None);
    Verifier::without_secret()
        .allow_unsigned(true)
        .verify(None, &request.body)
        .unwrap()
}

#[tokio::test]
async fn a_created_contact_and_a_triggered_page_view_reach_the_receiver_signed_and_typed() {
    let hooks = receiver(200).await;
    let server = MockConfig::new()
        .webhook(format!("{}/hooks", hooks.uri()), SECRET)
        .webhook_policy(fast())
        .start()
        .await
        .unwrap();
    assert!(
        !format!("{server:?}").contains(SECRET),
        "Debug hides the secret"
    );
    let c = client(&server, KEY_ALL);
    let contact_id = create_contact(&c, "hook@example.com").await;
    let summary = trigger(&server, "page_view", Some(&contact_id)).await;
    assert!(summary.contains("dlv_"), "{summary}");

    let requests = wait_for(&hooks, 2).await;
    assert_eq!(requests.len(), 2, "exactly the two deliveries");
    let mut kinds = Vec::new();
    for request in &requests {
        assert_eq!(request.url.path(), "/hooks");
        assert_eq!(header(request, "user-agent"), Some(USER_AGENT));
        assert_eq!(header(request, "content-type"), Some("application/json"));
        assert_eq!(header(request, SUBSCRIPTION_HEADER), Some("sub_mock0001"));
        let signature = header(request, SIGNATURE_HEADER);
        assert!(signature.is_some_and(|s| s.starts_with("sha256=")));
        let delivery = verify_delivery(SECRET.as_bytes(), signature, &request.body).unwrap();
        // A tampered body, or the wrong secret, fails verification.
        let mut tampered = request.body.clone();
        tampered.extend_from_slice(b" ");
        assert_eq!(
            verify_delivery(SECRET.as_bytes(), signature, &tampered),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            verify_delivery(b"whsec_other", signature, &request.body),
            Err(WebhookError::SignatureMismatch)
        );
        match delivery {
            Delivery::Contact {
                action: Some(WebhookChangeType::Created),
                delivery,
            } => {
                assert_eq!(header(request, EVENT_HEADER), Some("contact.created"));
                let data = serde_json::to_value(delivery.data.unwrap()).unwrap();
                assert_eq!(data["contact_id"], contact_id.as_str());
                assert_eq!(data["properties"]["email"], "hook@example.com");
                assert!(delivery.id.unwrap().starts_with("chg_"));
                assert!(delivery.timestamp.is_some());
                kinds.push("contact.created");
            }
            Delivery::Event(event) => {
                assert_eq!(header(request, EVENT_HEADER), Some("page_view"));
                assert_eq!(event.event.as_deref(), Some("page_view"));
                assert!(event.event_id.starts_with("evt_"));
                assert_eq!(event.internal_contact_id(), Some(contact_id.as_str()));
                assert_eq!(event.url(), Some("https://www.acme-demo.com/pricing"));
                assert_eq!(event.subscription_id.as_deref(), Some("sub_mock0001"));
                let data = event.data.as_ref().unwrap();
                assert_eq!(data.path.as_deref(), Some("/pricing"));
                assert!(data.title.is_some());
                let contact = serde_json::to_value(event.contact().unwrap()).unwrap();
                assert_eq!(contact["email"], "hook@example.com");
                kinds.push("page_view");
            }
            other => panic!("unexpected delivery {other:?}"),
        }
    }
    kinds.sort_unstable();
    assert_eq!(kinds, ["contact.created", "page_view"]);
    // The log agrees: two deliveries, each delivered at the first attempt.
    eventually("the log to show both delivered", || async {
        server
            .deliveries()
            .iter()
            .all(|d| d.outcome == Outcome::Delivered)
    })
    .await;
    let log = server.deliveries();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|d| d.attempts.len() == 1));
}

#[tokio::test]
async fn a_receiver_failing_twice_sees_three_attempts_and_the_log_shows_them() {
    let hooks = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&hooks)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&hooks)
        .await;
    let server = MockConfig::new()
        .webhook(hooks.uri(), SECRET)
        .webhook_policy(fast())
        .start()
        .await
        .unwrap();
    let c = client(&server, KEY_ALL);
    let contact_id = create_contact(&c, "retry@example.com").await;
    eventually("the delivery to succeed", || async {
        server
            .deliveries()
            .first()
            .is_some_and(|d| d.outcome == Outcome::Delivered)
    })
    .await;

    // Three identical attempts, each verifiable.
    let requests = received(&hooks).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.body, requests[0].body);
        let signature = header(request, SIGNATURE_HEADER);
        assert!(verify_delivery(SECRET.as_bytes(), signature, &request.body).is_ok());
    }
    let log = server.deliveries();
    assert_eq!(log.len(), 1);
    let record = &log[0];
    let statuses: Vec<Option<u16>> = record.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    assert_eq!(record.kind, "contact.created");
    assert_eq!(record.subscription_id, "sub_mock0001");
    assert_eq!(record.body.as_bytes(), &requests[0].body[..]);

    // The same log over HTTP, with a key.
    let raw = mock_route(&server, "GET", "/_mock/deliveries", Some(KEY_ALL), None).await;
    assert_eq!(raw.status, 200);
    let listed = &raw.json()["deliveries"];
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], record.id.as_str());
    assert_eq!(listed[0]["outcome"], "delivered");
    assert_eq!(listed[0]["kind"], "contact.created");
    assert_eq!(listed[0]["body"]["data"]["contact_id"], contact_id.as_str());
    let listed: Vec<&Value> = listed[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["status"])
        .collect();
    assert_eq!(listed, [&json!(500), &json!(500), &json!(200)]);
    assert!(!raw.json().to_string().contains(SECRET));
    // Without a valid key, the log is not shown.
    let anonymous = mock_route(&server, "GET", "/_mock/deliveries", None, None).await;
    assert_eq!(anonymous.status, 401);
    let bad = mock_route(&server, "GET", "/_mock/deliveries", Some("sk_nope"), None).await;
    assert_eq!(bad.status, 401);
    assert_eq!(
        bad.json()["error"],
        "Unauthorized: invalid API key",
        "the API's error envelope"
    );
}

#[tokio::test]
async fn a_receiver_that_never_answers_does_not_hold_up_the_api() {
    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            open.push(stream);
        }
    });
    let server = MockConfig::new()
        .webhook(format!("http://{address}/"), SECRET)
        .webhook_policy(WebhookPolicy {
            timeout: Duration::from_secs(60),
            queue: 5,
            ..fast()
        })
        .start()
        .await
        .unwrap();
    let c = client(&server, KEY_ALL);
    for i in 0..20 {
        create_contact(&c, &format!("slow-{i}@example.com")).await;
    }
    // Every request was answered, while no delivery has completed an attempt:
    // the first waits on the silent receiver, five wait in the queue, and the
    // queue was full for the rest.
    let log = server.deliveries();
    assert_eq!(log.len(), 20);
    assert!(log.iter().all(|d| d.attempts.is_empty()));
    let pending = log.iter().filter(|d| d.outcome == Outcome::Pending).count();
    let dropped = log.iter().filter(|d| d.outcome == Outcome::Dropped).count();
    assert_eq!(pending + dropped, 20);
    assert!((5..=6).contains(&pending), "{pending} pending");
    assert_eq!(c.contacts().count().send().await.ok(), Some(36 + 20));
    held.abort();
}

#[tokio::test]
async fn failed_attempts_record_timeouts_and_refused_connections() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_address = silent.local_addr().unwrap();
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_address = closed.local_addr().unwrap();
    drop(closed);
    let policy = WebhookPolicy {
        attempts: 2,
        timeout: Duration::from_millis(200),
        ..fast()
    };
    let server = MockConfig::new()
        .subscribe(Webhook::new(format!("http://{silent_address}/")))
        .subscribe(Webhook::new(format!("http://{closed_address}/")))
        .webhook_policy(policy)
        .start()
        .await
        .unwrap();
    trigger(&server, "button_click", None).await;
    eventually("both deliveries to fail", || async {
        let log = server.deliveries();
        log.len() == 2 && log.iter().all(|d| d.outcome == Outcome::Failed)
    })
    .await;
    for record in server.deliveries() {
        assert_eq!(record.attempts.len(), 2);
        let expected = if record.url.contains(&silent_address.to_string()) {
            "no answer within 200 ms"
        } else {
            "cannot connect"
        };
        for attempt in &record.attempts {
            assert_eq!(attempt.status, None);
            let error = attempt.error.as_deref().unwrap_or_default();
            assert!(error.contains(expected), "{error}");
        }
    }
    drop(silent);
}

#[tokio::test]
async fn each_subscription_receives_only_the_kinds_it_chose() {
    let page_views = receiver(200).await;
    let changes = receiver(200).await;
    let server = MockConfig::new()
        .subscribe(
            Webhook::new(page_views.uri()).kinds(Selector::parse_list("event:page_view").unwrap()),
        )
        .subscribe(
            Webhook::new(changes.uri())
                .kinds(Selector::parse_list("contact:deleted,company:*").unwrap()),
        )
        .webhook_policy(fast())
        .start()
        .await
        .unwrap();
    let c = client(&server, KEY_ALL);
    let contact_id = create_contact(&c, "kinds@example.com").await;
    trigger(&server, "page_view", Some(&contact_id)).await;
    trigger(&server, "form_submit", Some(&contact_id)).await;
    c.contacts().delete(&contact_id).send().await.unwrap();
    c.companies()
        .create("kinds-example.com")
        .send()
        .await
        .unwrap();

    eventually("every delivery to settle", || async {
        let log = server.deliveries();
        log.len() == 3 && log.iter().all(|d| d.outcome == Outcome::Delivered)
    })
    .await;
    let got = received(&page_views).await;
    assert_eq!(got.len(), 1);
    match unsigned(&got[0]) {
        Delivery::Event(event) => assert_eq!(event.event.as_deref(), Some("page_view")),
        other => panic!("{other:?}"),
    }
    let got = received(&changes).await;
    assert_eq!(got.len(), 2);
    match unsigned(&got[0]) {
        Delivery::Contact {
            action: Some(WebhookChangeType::Deleted),
            delivery,
        } => {
            let data = serde_json::to_value(delivery.data.unwrap()).unwrap();
            assert_eq!(data["contact_id"], contact_id.as_str());
        }
        other => panic!("{other:?}"),
    }
    match unsigned(&got[1]) {
        Delivery::Company {
            action: Some(WebhookChangeType::Created),
            delivery,
        } => {
            let data = serde_json::to_value(delivery.data.unwrap()).unwrap();
            assert_eq!(data["properties"]["domain"], "kinds-example.com");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_form_submission_and_updates_fire_deliveries() {
    let hooks = receiver(200).await;
    let server = MockConfig::new()
        .webhook(hooks.uri(), SECRET)
        .webhook_policy(fast())
        .start()
        .await
        .unwrap();
    let form = testkit::send(
        server.base_url(),
        "POST",
        "/public/form-submission/tenant_mock/form_1",
        &[("origin", "https://www.acme-demo.com")],
        Some(br#"{"contact_data":{"email":"form@example.com"}}"#),
    )
    .await
    .unwrap();
    assert_eq!(form.status, 200);
    let requests = wait_for(&hooks, 2).await;
    let decode = |r: &Request| {
        verify_delivery(SECRET.as_bytes(), header(r, SIGNATURE_HEADER), &r.body).unwrap()
    };
    let contact_id = match decode(&requests[0]) {
        Delivery::Contact {
            action: Some(WebhookChangeType::Created),
            delivery,
        } => serde_json::to_value(delivery.data.unwrap()).unwrap()["contact_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        other => panic!("{other:?}"),
    };
    match decode(&requests[1]) {
        Delivery::Event(event) => {
            assert_eq!(event.event.as_deref(), Some("form_submit"));
            assert_eq!(event.internal_contact_id(), Some(contact_id.as_str()));
        }
        other => panic!("{other:?}"),
    }
    // An update is an `updated` delivery; a request that fails sends nothing.
    let c = client(&server, KEY_ALL);
    c.contacts()
        .update(&contact_id)
        .properties(
            serde_json::from_value::<pathbound_client::contacts::ContactProperties>(
                json!({ "firstname": "Ada" }),
            )
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(
        c.contacts()
            .create("form@example.com")
            .send()
            .await
            .is_err()
    );
    let requests = wait_for(&hooks, 3).await;
    match decode(&requests[2]) {
        Delivery::Contact {
            action: Some(WebhookChangeType::Updated),
            delivery,
        } => {
            let data = serde_json::to_value(delivery.data.unwrap()).unwrap();
            assert_eq!(data["properties"]["firstname"], "Ada");
        }
        other => panic!("{other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(received(&hooks).await.len(), 3, "the 409 sent nothing");
}

#[tokio::test]
async fn triggers_and_mock_routes_refuse_bad_input() {
    let server = MockServer::start().await;
    let post =
        |body: Value| mock_route(&server, "POST", "/_mock/trigger", Some(KEY_ALL), Some(body));
    let missing = post(json!({ "event": "page_view", "contact_id": "ct_missing" })).await;
    assert_eq!(missing.status, 404);
    assert_eq!(post(json!({ "event": "" })).await.status, 400);
    assert_eq!(post(json!({ "event": "a b" })).await.status, 400);
    assert_eq!(post(json!({ "contact_id": "ct_1" })).await.status, 400);
    assert_eq!(post(json!({ "event": "x", "bogus": 1 })).await.status, 400);
    // Without a subscription the event is still recorded.
    let ok = post(json!({ "event": "pricing_viewed", "data": { "plan": "scale" } })).await;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.json()["event"]["event"], "pricing_viewed");
    assert_eq!(ok.json()["event"]["data"]["plan"], "scale");
    assert_eq!(ok.json()["deliveries"], json!([]));
    let anonymous = mock_route(&server, "POST", "/_mock/trigger", None, Some(json!({}))).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        mock_route(&server, "GET", "/_mock/trigger", Some(KEY_ALL), None)
            .await
            .status,
        405
    );
    assert_eq!(
        mock_route(&server, "GET", "/_mock/nothing", Some(KEY_ALL), None)
            .await
            .status,
        404
    );
    // The API never serves the mock-only routes.
    assert_eq!(
        mock_route(&server, "GET", "/v1/_mock/deliveries", Some(KEY_ALL), None)
            .await
            .status,
        404
    );
    // Subscriptions are checked when the server starts.
    let https = MockConfig::new()
        .webhook("https://example.com/hooks", SECRET)
        .start()
        .await
        .unwrap_err();
    assert!(https.to_string().contains("plain http:// only"), "{https}");
    let empty = MockConfig::new()
        .webhook("http://127.0.0.1:9/", "")
        .start()
        .await
        .unwrap_err();
    assert!(empty.to_string().contains("empty"), "{empty}");
}

#[tokio::test]
async fn a_receiver_closing_each_connection_still_gets_every_delivery_at_the_first_attempt() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    // Answers one request per connection (keep-alive not refused, just not
    // honoured) and closes it: the sender's kept-alive connection goes stale.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let receiver = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length: "))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .await;
            drop(stream);
        }
    });
    let server = MockConfig::new()
        .webhook(format!("http://{address}/"), SECRET)
        .webhook_policy(fast())
        .start()
        .await
        .unwrap();
    // Back to back: each delivery is queued while the one before is sent.
    for _ in 0..5 {
        trigger(&server, "page_view", None).await;
    }
    eventually("five deliveries", || async {
        let log = server.deliveries();
        log.len() == 5 && log.iter().all(|d| d.outcome == Outcome::Delivered)
    })
    .await;
    for record in server.deliveries() {
        assert_eq!(record.attempts.len(), 1, "{:?}", record.attempts);
    }
    receiver.abort();
}

#[tokio::test]
async fn failed_keys_on_mock_routes_count_against_the_auth_failure_limit() {
    let server = MockConfig::new()
        .auth_failure_limit(Some(pathbound_mock::RateLimit {
            requests: 2,
            window: Duration::from_secs(60),
        }))
        .start()
        .await
        .unwrap();
    for _ in 0..2 {
        let bad = mock_route(&server, "GET", "/_mock/deliveries", Some("sk_guess"), None).await;
        assert_eq!(bad.status, 401);
    }
    // Locked out now, on the mock routes and on the API, whatever the key.
    let locked = mock_route(&server, "GET", "/_mock/deliveries", Some(KEY_ALL), None).await;
    assert_eq!(locked.status, 429);
    assert!(locked.header("retry-after").is_some());
    let api = mock_route(&server, "GET", "/v1/contacts", Some(KEY_ALL), None).await;
    assert_eq!(api.status, 429);
}
