//! End-to-end tests of `Client::execute` against a tiny HTTP/1.1 server on
//! the loopback interface (a real socket, no mocked transport).
//!
//! The server side is a few lines of tokio over a `TcpListener`, so every
//! test controls exactly what bytes come back and when.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::{
    __private::Call, Client, ClientBuilder, Error, Method, Operation, RequestOptions, TEST_API,
    WithResponse,
};

const KEY: &str = "sk_test_9d8c7b6a5f4e3d2c";

static CREATE_NOTE: Operation = Operation {
    id: "notes.create",
    method: Method::Post,
    path: "/contacts/{contact_id}/notes",
    scope: Some("notes:write"),
    scope_by: None,
    auth: true,
    retry_safe: false,
};

pub(crate) static GET_CONTACT: Operation = Operation {
    id: "contacts.get",
    method: Method::Get,
    path: "/contacts/{contact_id}",
    scope: Some("contacts:read"),
    scope_by: None,
    auth: true,
    retry_safe: true,
};

static PUBLIC: Operation = Operation {
    id: "status.get",
    method: Method::Get,
    path: "/status",
    scope: None,
    scope_by: None,
    auth: false,
    retry_safe: true,
};

/// A canned response: status line, extra headers, body.
pub(crate) struct Reply {
    status: &'static str,
    headers: &'static str,
    body: String,
}

pub(crate) fn reply(status: &'static str, body: &str) -> Reply {
    Reply {
        status,
        headers: "",
        body: body.to_owned(),
    }
}

/// What the server does with one connection, after reading the request.
enum Step {
    /// Answers, then closes the connection.
    Reply(Reply),
    /// Never answers (holds the connection open for up to 30 s).
    Silent,
    /// Closes the connection without answering (the client sees a reset or
    /// an incomplete message).
    Close,
    /// Announces a 100-byte body, sends 10 bytes, closes.
    Truncated,
}

/// A server taking one connection per step, in order, recording each raw
/// request (head and body) and counting connections. Once the steps run out it
/// stops listening, so a further attempt fails to connect.
pub(crate) struct Server {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// [`serve_steps`] with a reply per connection; `None` never answers.
pub(crate) async fn serve(replies: Vec<Option<Reply>>) -> Server {
    let steps = replies
        .into_iter()
        .map(|reply| reply.map_or(Step::Silent, Step::Reply))
        .collect();
    serve_steps(steps).await
}

async fn serve_steps(steps: Vec<Step>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/v1/", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (seen, accepted) = (Arc::clone(&requests), Arc::clone(&connections));
    tokio::spawn(async move {
        for step in steps {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            accepted.fetch_add(1, Ordering::SeqCst);
            let seen = Arc::clone(&seen);
            // One task per connection, so a silent one does not block the next.
            tokio::spawn(async move {
                let request = read_request(&mut socket).await;
                seen.lock().unwrap().push(request);
                let reply = match step {
                    Step::Reply(reply) => reply,
                    Step::Silent => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        return;
                    }
                    Step::Close => return,
                    Step::Truncated => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                    content-length: 100\r\nconnection: close\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(br#"{"contact""#).await;
                        let _ = socket.shutdown().await;
                        return;
                    }
                };
                let response = format!(
                    "HTTP/1.1 {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n{}\r\n{}",
                    reply.status,
                    reply.body.len(),
                    reply.headers,
                    reply.body
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Server {
        base_url,
        requests,
        connections,
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if data.len() >= head_end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

/// A builder for `server` with millisecond backoff, so retries do not sleep.
pub(crate) fn builder(server: &Server) -> ClientBuilder {
    ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(&server.base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(server: &Server) -> Client {
    builder(server).build().unwrap()
}

fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    let head = request.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[derive(serde::Serialize)]
struct NewNote<'a> {
    title: &'a str,
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Note {
    note_id: String,
}

#[tokio::test]
async fn execute_sends_auth_accept_content_type_and_encoded_path() {
    let server = serve(vec![Some(reply(
        "201 Created",
        r#"{"status":"success","note":{"note_id":"n_1"}}"#,
    ))])
    .await;
    let client = client(&server);
    let options = RequestOptions::new();
    let call = Call::new(&CREATE_NOTE, &options)
        .path_args(&["ct/1 2"])
        .fixed_query(&[("notify", "false")])
        .query(&[("tag", "a&b")])
        .unwrap()
        .json(&NewNote { title: "Hello" })
        .unwrap();
    let response = client.execute(call).await.unwrap();
    assert_eq!(response.status(), 201);
    let note: Note = response.decode_key("note").unwrap();
    assert_eq!(
        note,
        Note {
            note_id: "n_1".into()
        }
    );

    let requests = server.requests.lock().unwrap();
    let request = &requests[0];
    assert!(
        request
            .starts_with("POST /v1/contacts/ct%2F1%202/notes?notify=false&tag=a%26b HTTP/1.1\r\n"),
        "{request}"
    );
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "user-agent"), Some(TEST_API.user_agent));
    assert!(
        request.ends_with("\r\n\r\n{\"title\":\"Hello\"}"),
        "{request}"
    );
}

#[tokio::test]
async fn public_operations_send_no_authorization_and_no_content_type() {
    let server = serve(vec![Some(reply("200 OK", r#"{"ok":true}"#))]).await;
    let options = RequestOptions::new();
    let value: serde_json::Value = client(&server)
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(value, serde_json::json!({"ok": true}));
    let requests = server.requests.lock().unwrap();
    assert_eq!(header(&requests[0], "authorization"), None);
    assert_eq!(header(&requests[0], "content-type"), None);
    assert!(requests[0].starts_with("GET /v1/status HTTP/1.1\r\n"));
}

#[tokio::test]
async fn not_found_json_error_maps_to_api_error() {
    let server = serve(vec![Some(Reply {
        status: "404 Not Found",
        headers: "x-request-id: req_abc\r\n",
        body: r#"{"status":"error","error":"Contact not found"}"#.into(),
    })])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(Call::new(&GET_CONTACT, &options).path_args(&["ct_404"]))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let api = err.api_error().unwrap();
    assert_eq!(api.message, "Contact not found");
    assert_eq!(api.request_id.as_deref(), Some("req_abc"));
    assert_eq!(
        err.to_string(),
        "`GET /contacts/{contact_id}` failed with 404 Not Found: Contact not found [request id req_abc]"
    );
    assert!(!format!("{err:?}").contains(KEY));
    // a 404 is not retried
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn retry_safe_operations_are_retried_after_503() {
    let server = serve(vec![
        Some(reply("503 Service Unavailable", "<html>down</html>")),
        Some(reply("200 OK", r#"{"contact":{"note_id":"x"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let note: Note = client(&server)
        .execute(Call::new(&GET_CONTACT, &options).path_args(&["ct_1"]))
        .await
        .unwrap()
        .decode_key("contact")
        .unwrap();
    assert_eq!(note.note_id, "x");
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn unsafe_operations_are_not_retried_after_503_but_are_after_429() {
    let server = serve(vec![Some(reply(
        "503 Service Unavailable",
        "<html>down</html>",
    ))])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().contains("body: <html>down</html>"), "{err}");
    assert_eq!(server.requests.lock().unwrap().len(), 1);

    let server = serve(vec![
        Some(Reply {
            status: "429 Too Many Requests",
            headers: "retry-after-ms: 5\r\n",
            body: "{}".into(),
        }),
        Some(reply("201 Created", r#"{"note":{"note_id":"n_2"}}"#)),
    ])
    .await;
    let note: Note = client(&server)
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap()
        .decode_key("note")
        .unwrap();
    assert_eq!(note.note_id, "n_2");
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn retries_stop_at_max_retries_and_return_the_last_error() {
    let server = serve(vec![
        Some(reply("500 Internal Server Error", r#"{"error":"boom 1"}"#)),
        Some(reply("500 Internal Server Error", r#"{"error":"boom 2"}"#)),
        Some(reply("500 Internal Server Error", r#"{"error":"boom 3"}"#)),
    ])
    .await;
    let options = RequestOptions::new().max_retries(1);
    let err = client(&server)
        .execute(Call::new(&GET_CONTACT, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert_eq!(err.api_error().unwrap().message, "boom 2");
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = serve(vec![Some(reply(
        "200 OK",
        &format!("[{}]", "1,".repeat(100) + "1"),
    ))])
    .await;
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(&server.base_url)
        .max_response_bytes(64)
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = client
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                operation: "status.get",
                limit: 64
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = serve(vec![None]).await;
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(200))
        .max_retries(0);
    let err = client(&server)
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(
        err,
        Error::Timeout {
            operation: "status.get",
            attempts: 1,
        }
    ));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = client
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "status.get",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(
        err.to_string(),
        "`status.get`: could not connect to the server (1 attempt, not retried)"
    );
}

#[tokio::test]
async fn invalid_path_args_fail_before_sending() {
    let options = RequestOptions::new();
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = client
        .execute(Call::new(&GET_CONTACT, &options).path_args(&[".."]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                operation: Some("contacts.get"),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn client_builds_with_default_tls_and_is_cheap_to_clone() {
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), TEST_API.base_url);
    let clone = client.clone();
    // clones share one configuration
    assert!(std::ptr::eq(client.base_url(), clone.base_url()));
}

#[test]
fn client_debug_never_shows_the_key() {
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url("https://staging.example.test/v1/")
        .build()
        .unwrap();
    for shown in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("9d8c7b"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(shown.contains("https://staging.example.test/v1"), "{shown}");
    }
}

#[test]
fn client_and_execute_future_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let future = client.execute(Call::new(&PUBLIC, &options));
    assert_send(&future);
}

// --- Misbehaving servers: retries, resets, truncation, silence ---------------

fn get_contact(options: &RequestOptions) -> Call<'_> {
    Call::new(&GET_CONTACT, options).path_args(&["ct_1"])
}

#[tokio::test]
async fn two_503s_then_200_succeeds_on_exactly_the_third_attempt() {
    let server = serve(vec![
        Some(reply("503 Service Unavailable", "busy")),
        Some(reply("503 Service Unavailable", "busy")),
        Some(reply("200 OK", r#"{"contact":{"note_id":"third"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let note: Note = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap()
        .decode_key("contact")
        .unwrap();
    assert_eq!(note.note_id, "third");
    assert_eq!(server.request_count(), 3);
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retries_exhausted_say_how_many_attempts_were_made() {
    let server = serve(vec![
        Some(reply("503 Service Unavailable", r#"{"error":"busy"}"#)),
        Some(reply("503 Service Unavailable", r#"{"error":"busy"}"#)),
        Some(reply(
            "503 Service Unavailable",
            r#"{"error":"still busy"}"#,
        )),
    ])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(err.api_error().unwrap().attempts, 3);
    assert!(
        err.to_string().ends_with(": still busy (after 3 attempts)"),
        "{err}"
    );
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_zero_is_retried_even_for_a_post() {
    let server = serve(vec![
        Some(Reply {
            status: "429 Too Many Requests",
            headers: "retry-after: 0\r\n",
            body: r#"{"error":"slow down"}"#.into(),
        }),
        Some(reply("201 Created", r#"{"note":{"note_id":"n_9"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    // A backoff far longer than the test: only the server's 0 s can be waited.
    let client = builder(&server)
        .retry_backoff(Duration::from_secs(30), Duration::from_secs(30))
        .build()
        .unwrap();
    let note: Note = client
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap()
        .decode_key("note")
        .unwrap();
    assert_eq!(note.note_id, "n_9");
    assert_eq!(server.request_count(), 2);
    assert!(server.requests.lock().unwrap()[1].starts_with("POST "));
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_is_returned_at_once() {
    let server = serve(vec![Some(Reply {
        status: "429 Too Many Requests",
        headers: "retry-after: 120\r\n",
        body: r#"{"error":"slow down"}"#.into(),
    })])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(120))
    );
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_post_that_gets_a_500_is_not_retried() {
    let server = serve(vec![
        Some(reply("500 Internal Server Error", r#"{"error":"boom"}"#)),
        Some(reply("201 Created", r#"{"note":{"note_id":"never"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(
        err.to_string(),
        "`POST /contacts/{contact_id}/notes` failed with 500 Internal Server Error: boom \
         (1 attempt, not retried)"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_retried_for_a_get() {
    let server = serve_steps(vec![
        Step::Close,
        Step::Reply(reply("200 OK", r#"{"contact":{"note_id":"after-reset"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let note: Note = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap()
        .decode_key("contact")
        .unwrap();
    assert_eq!(note.note_id, "after-reset");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_not_retried_for_a_post() {
    let server = serve_steps(vec![
        Step::Close,
        Step::Reply(reply("201 Created", r#"{"note":{"note_id":"dup"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_not_a_hang() {
    let server = serve_steps(vec![Step::Truncated, Step::Truncated]).await;
    let options = RequestOptions::new().max_retries(1);
    // The guard only turns a hang into a failure; the client must not need it.
    let outcome = tokio::time::timeout(
        Duration::from_secs(20),
        client(&server).execute(get_contact(&options)),
    )
    .await
    .expect("a truncated body must not hang the client");
    let err = outcome.unwrap_err();
    let Error::Transport {
        ref source,
        attempts,
        ..
    } = err
    else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(source.is_body() || source.is_decode(), "{source:?}");
    assert_eq!(attempts, 2);
    assert_eq!(
        err.to_string(),
        "`contacts.get`: the connection failed while reading the response (after 2 attempts)"
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_silent_server_times_out_on_every_attempt() {
    let server = serve(vec![None, None]).await;
    let options = RequestOptions::new().max_retries(1);
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.execute(get_contact(&options)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "contacts.get",
                attempts: 2
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().ends_with("(after 2 attempts)"), "{err}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_deadline_stops_retries_whose_wait_would_pass_it() {
    // The server asks for a 1 s wait before retrying; with a 300 ms deadline
    // that retry is not attempted, however many retries are allowed.
    let busy = || Reply {
        status: "503 Service Unavailable",
        headers: "retry-after: 1\r\n",
        body: r#"{"error":"busy"}"#.to_owned(),
    };
    let server = serve((0..3).map(|_| Some(busy())).collect()).await;
    let client = builder(&server)
        .max_retries(2)
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = client.execute(get_contact(&options)).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(server.request_count(), 1);

    // Without the deadline the same server's answer is retried.
    let server = serve((0..3).map(|_| Some(busy())).collect()).await;
    let client = builder(&server).max_retries(1).build().unwrap();
    let err = client.execute(get_contact(&options)).await.unwrap_err();
    assert_eq!(err.attempts(), Some(2));
}

#[tokio::test]
async fn a_per_request_deadline_cuts_a_silent_attempt_short() {
    // The client's timeout alone would wait 30 s; the request's deadline ends it.
    let server = serve(vec![None]).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let options = RequestOptions::new()
        .deadline(Duration::from_millis(200))
        .max_retries(3);
    let err = client.execute(get_contact(&options)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        err.attempts(),
        Some(1),
        "no retry starts after the deadline"
    );
}

#[tokio::test]
async fn max_retries_zero_turns_retries_off() {
    let server = serve(vec![
        Some(reply("503 Service Unavailable", "busy")),
        Some(reply("200 OK", r#"{"contact":{"note_id":"x"}}"#)),
    ])
    .await;
    let options = RequestOptions::new();
    let err = builder(&server)
        .max_retries(0)
        .build()
        .unwrap()
        .execute(get_contact(&options))
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.attempts()), (Some(503), Some(1)));
    assert!(
        err.to_string().ends_with("(1 attempt, not retried)"),
        "{err}"
    );
    assert_eq!(server.request_count(), 1);
}

// --- Client-side scope checks -----------------------------------------------

#[tokio::test]
async fn a_missing_scope_fails_before_anything_is_sent() {
    let server = serve(vec![Some(reply("201 Created", "{}"))]).await;
    let client = builder(&server).scopes(["contacts:read"]).build().unwrap();
    let options = RequestOptions::new();
    let err = client
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err:?}");
    assert_eq!(err.missing_scope(), Some("notes:write".into()));
    assert!(matches!(
        err,
        Error::MissingScope {
            operation: "notes.create",
            method: "POST",
            path: "/contacts/{contact_id}/notes",
            scope: "notes:write",
        }
    ));
    assert_eq!(
        err.to_string(),
        "`POST /contacts/{contact_id}/notes` needs scope notes:write, which this key lacks: \
         not sent (checked by the client)"
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn granted_scopes_and_scopeless_operations_are_sent() {
    let server = serve(vec![
        Some(reply("200 OK", r#"{"contact":{"note_id":"a"}}"#)),
        Some(reply("200 OK", r#"{"ok":true}"#)),
    ])
    .await;
    let client = builder(&server)
        .scopes(["contacts:read", "notes:read"])
        .build()
        .unwrap();
    let options = RequestOptions::new();
    client.execute(get_contact(&options)).await.unwrap();
    client.execute(Call::new(&PUBLIC, &options)).await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn with_scopes_makes_a_checked_copy_sharing_the_client() {
    let server = serve(vec![Some(reply(
        "201 Created",
        r#"{"note":{"note_id":"n"}}"#,
    ))])
    .await;
    let unchecked = client(&server);
    assert_eq!(unchecked.scopes(), None);
    // As fed from the key-status endpoint's `scopes`.
    let reported: Vec<String> = vec!["contacts:read".into(), "events:read".into()];
    let checked = unchecked.with_scopes(reported);
    assert!(std::ptr::eq(unchecked.base_url(), checked.base_url()));
    assert_eq!(
        checked.scopes(),
        Some(&["contacts:read", "events:read"].map(crate::Scope::from)[..])
    );
    let options = RequestOptions::new();
    let note = || Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]);
    let err = checked.execute(note()).await.unwrap_err();
    assert!(matches!(err, Error::MissingScope { .. }), "{err:?}");
    assert_eq!(server.request_count(), 0);
    // The original is unchanged, and checks can be turned off again.
    assert!(checked.without_scope_checks().scopes().is_none());
    unchecked.execute(note()).await.unwrap();
    assert_eq!(server.request_count(), 1);
}

// --- Raw access ---------------------------------------------------------------

#[tokio::test]
async fn with_meta_returns_the_value_with_status_headers_and_request_id() {
    let server = serve(vec![Some(Reply {
        status: "201 Created",
        headers: "x-request-id: req_raw_1\r\nx-ratelimit-remaining: 99\r\n",
        body: r#"{"status":"success","note":{"note_id":"n_raw"}}"#.into(),
    })])
    .await;
    let options = RequestOptions::new();
    let with: WithResponse<Note> = client(&server)
        .execute(Call::new(&CREATE_NOTE, &options).path_args(&["ct_1"]))
        .await
        .unwrap()
        .with_meta(|r| r.decode_key("note"))
        .unwrap();
    assert_eq!(with.value.note_id, "n_raw");
    assert_eq!(with.status, 201);
    assert_eq!(with.request_id.as_deref(), Some("req_raw_1"));
    assert_eq!(with.header("x-ratelimit-remaining"), Some("99"));
}

// --- Bodies that arrive in several chunks --------------------------------------

/// Answers one connection with a chunked (`Transfer-Encoding: chunked`) body,
/// flushing each chunk separately with a pause, so the client reads several.
async fn serve_chunked(status: &'static str, chunks: &'static [&'static str]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/v1/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let _ = read_request(&mut socket).await;
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
        );
        let _ = socket.write_all(head.as_bytes()).await;
        for chunk in chunks {
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            let _ = socket.write_all(framed.as_bytes()).await;
            let _ = socket.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
        let _ = socket.shutdown().await;
    });
    base_url
}

#[tokio::test]
async fn a_body_in_several_chunks_is_joined_and_still_capped() {
    #[derive(serde::Deserialize)]
    struct Ids {
        ids: Vec<u32>,
    }
    const CHUNKS: &[&str] = &[r#"{"ids":[1,2,"#, r#"3,4,5,"#, r#"6]}"#];
    let options = RequestOptions::new().max_retries(0);
    let base_url = serve_chunked("200 OK", CHUNKS).await;
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(&base_url)
        .build()
        .unwrap();
    let response = client.execute(Call::new(&PUBLIC, &options)).await.unwrap();
    assert_eq!(response.body(), CHUNKS.concat().as_bytes());
    let ids: Ids = response.decode().unwrap();
    assert_eq!(ids.ids, [1, 2, 3, 4, 5, 6]);

    // No Content-Length to refuse it up front: the cap applies as chunks arrive.
    let base_url = serve_chunked("200 OK", CHUNKS).await;
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(&base_url)
        .max_response_bytes(20)
        .build()
        .unwrap();
    let err = client
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                operation: "status.get",
                limit: 20
            }
        ),
        "{err:?}"
    );

    // An error body in several chunks is read whole for the error message.
    const ERROR: &[&str] = &[r#"{"status":"error","#, r#""error":"no such status"}"#];
    let base_url = serve_chunked("404 Not Found", ERROR).await;
    let client = ClientBuilder::<Client>::for_api(&TEST_API)
        .api_key(KEY)
        .base_url(&base_url)
        .build()
        .unwrap();
    let err = client
        .execute(Call::new(&PUBLIC, &options))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err:?}");
    assert!(err.to_string().contains("no such status"), "{err}");
}

/// A transport error keeps the operation but not the URL: the query (here an
/// email in a search) must not reach `Display`, `Debug` or `source()`.
#[tokio::test]
async fn transport_errors_do_not_carry_the_url_or_its_query() {
    let server = serve_steps(vec![Step::Close, Step::Close]).await;
    let options = RequestOptions::new().max_retries(0);
    let err = client(&server)
        .execute(
            Call::new(&GET_CONTACT, &options)
                .path_args(&["ct_1"])
                .query(&[("search", "ada@example.com")])
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let mut shown = vec![err.to_string(), format!("{err:?}")];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push(cause.to_string());
        shown.push(format!("{cause:?}"));
        source = cause.source();
    }
    for text in &shown {
        for leak in [
            "ada",
            "example.com",
            "search=",
            "127.0.0.1",
            "/v1/contacts/ct_1",
        ] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
    }
    assert!(shown[0].contains("contacts.get"), "{}", shown[0]);
}

/// A server's error text is shown bounded and with its control characters
/// escaped, so it cannot forge log lines or bloat them; `Debug` keeps it whole.
#[tokio::test]
async fn a_servers_error_text_is_bounded_and_escaped_in_display() {
    let forged = format!(
        "boom\n2026-12-02T00:00:00Z INFO login ok user=admin\r\x1b[31mred{}",
        "x".repeat(60_000)
    );
    let body = serde_json::json!({"status": "error", "error": forged}).to_string();
    let server = serve(vec![Some(reply("500 Internal Server Error", &body))]).await;
    let options = RequestOptions::new().max_retries(0);
    let err = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap_err();
    let shown = err.to_string();
    assert!(shown.len() < 1_000, "{} bytes", shown.len());
    assert!(!shown.contains('\n') && !shown.contains('\r') && !shown.contains('\x1b'));
    assert!(shown.contains(r"boom\n2026-12-02"), "{shown}");
    assert!(shown.contains(r"\u{1b}[31mred"), "{shown}");
    assert!(shown.contains("characters in total)"), "{shown}");
    assert_eq!(err.api_error().unwrap().message, forged);
}

/// Settings that would make every request fail or loop are refused: at build
/// for the client, before sending for one request (the server sees nothing).
#[tokio::test]
async fn degenerate_timeouts_and_retry_budgets_are_refused() {
    let server = serve(vec![Some(reply("200 OK", "{}"))]).await;
    for (builder, setting) in [
        (builder(&server).timeout(Duration::ZERO), "timeout"),
        (builder(&server).deadline(Duration::ZERO), "deadline"),
        (
            builder(&server).connect_timeout(Duration::ZERO),
            "connect_timeout",
        ),
        (builder(&server).max_retries(u32::MAX), "max_retries"),
        (
            builder(&server).max_retries(crate::MAX_RETRIES_LIMIT + 1),
            "max_retries",
        ),
    ] {
        match builder.build() {
            Err(Error::Config(message)) => assert!(message.contains(setting), "{message}"),
            other => panic!("{setting}: {other:?}"),
        }
    }
    assert!(
        builder(&server)
            .max_retries(crate::MAX_RETRIES_LIMIT)
            .build()
            .is_ok()
    );
    let client = client(&server);
    for (options, setting) in [
        (RequestOptions::new().timeout(Duration::ZERO), "timeout"),
        (RequestOptions::new().deadline(Duration::ZERO), "deadline"),
        (RequestOptions::new().max_retries(u32::MAX), "max_retries"),
    ] {
        let err = client.execute(get_contact(&options)).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { .. }) && err.to_string().contains(setting),
            "{setting}: {err:?}"
        );
    }
    assert_eq!(server.request_count(), 0);
}

/// The worst budget allowed against a server that always answers 429 with
/// `Retry-After: 0` ends after `MAX_RETRIES_LIMIT + 1` attempts.
#[tokio::test]
async fn the_largest_retry_budget_ends_against_retry_after_zero() {
    let limit = crate::MAX_RETRIES_LIMIT as usize;
    let replies = (0..=limit)
        .map(|_| {
            Some(Reply {
                status: "429 Too Many Requests",
                headers: "retry-after: 0\r\n",
                body: "{}".to_owned(),
            })
        })
        .collect();
    let server = serve(replies).await;
    let client = builder(&server)
        .max_retries(crate::MAX_RETRIES_LIMIT)
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = client.execute(get_contact(&options)).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.attempts(), Some(crate::MAX_RETRIES_LIMIT + 1));
    assert_eq!(server.request_count(), limit + 1);
}

static DELETE_CONTACT: Operation = Operation {
    id: "contacts.delete",
    method: Method::Delete,
    path: "/contacts/{contact_id}",
    scope: Some("contacts:write"),
    scope_by: None,
    auth: true,
    retry_safe: true,
};

/// A DELETE whose first attempt timed out (the server may have deleted the
/// contact) and whose retry answers 404: reported as the 404 it is, marked as
/// following an attempt that may have succeeded, and said so in the message.
/// A 404 on a first attempt carries no such mark.
#[tokio::test]
async fn a_404_after_a_timed_out_delete_says_the_first_attempt_may_have_done_it() {
    let not_found = || {
        reply(
            "404 Not Found",
            r#"{"status":"error","error":"Contact not found"}"#,
        )
    };
    let server = serve(vec![None, Some(not_found())]).await;
    let retrying = builder(&server)
        .timeout(Duration::from_millis(300))
        .max_retries(1)
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let err = retrying
        .execute(Call::new(&DELETE_CONTACT, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.earlier_attempt_may_have_succeeded(), "{err:?}");
    assert_eq!(err.attempts(), Some(2));
    let shown = err.to_string();
    assert!(shown.contains("may already have done this"), "{shown}");
    assert_eq!(server.request_count(), 2);

    let server = serve(vec![Some(not_found())]).await;
    let err = client(&server)
        .execute(Call::new(&DELETE_CONTACT, &options).path_args(&["ct_1"]))
        .await
        .unwrap_err();
    assert!(
        err.is_not_found() && !err.earlier_attempt_may_have_succeeded(),
        "{err:?}"
    );
    assert!(!err.to_string().contains("may already"), "{err}");
}

static AGGREGATE: Operation = Operation {
    id: "batch.aggregate",
    method: Method::Post,
    path: "/aggregate",
    scope: None,
    scope_by: Some(crate::ScopeBy {
        param: "entity",
        values: &[
            ("contacts", "contacts:read"),
            ("companies", "companies:read"),
            ("events", "events:read"),
        ],
    }),
    auth: true,
    retry_safe: true,
};

/// A scope that depends on a parameter: the client-side check and a 403's
/// message use the scope the call's value selects.
#[tokio::test]
async fn a_scope_chosen_by_a_parameter_is_checked_and_named_per_call() {
    let server = serve(vec![
        Some(reply("200 OK", "{}")),
        Some(reply(
            "403 Forbidden",
            r#"{"status":"error","error":"Forbidden"}"#,
        )),
    ])
    .await;
    let client = client(&server).with_scopes(["events:read"]);
    let options = RequestOptions::new();
    let call = |entity| Call::new(&AGGREGATE, &options).scope_param(entity);
    // events: the key has events:read, so the call is sent.
    client.execute(call("events")).await.unwrap();
    // companies: refused before sending, naming companies:read.
    let err = client.execute(call("companies")).await.unwrap_err();
    assert_eq!(
        err.missing_scope(),
        Some("companies:read".into()),
        "{err:?}"
    );
    assert!(err.to_string().contains("companies:read"), "{err}");
    assert_eq!(server.request_count(), 1);
    // Without the pre-check, the server's 403 names the scope this value needed.
    let err = client
        .without_scope_checks()
        .execute(call("companies"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.missing_scope(),
        Some("companies:read".into()),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(AGGREGATE.scope_for(Some("events")), Some("events:read"));
    assert_eq!(AGGREGATE.scope_for(Some("deals")), None);
}

/// A 2xx body that does not decode: the decoder's message and the body snippet
/// are server text too, so `Display` escapes them (a value with a newline cannot
/// forge a log line) and bounds them.
#[tokio::test]
async fn a_decode_error_escapes_what_the_server_sent() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        #[serde(rename = "a")]
        A,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Thing {
        kind: Kind,
    }
    let body = "{\"kind\":\"x\\n2026-01-01T00:00:00Z INFO pathbound: forged\\u2028\"}";
    let server = serve(vec![Some(reply("200 OK", body))]).await;
    let options = RequestOptions::new();
    let err = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap()
        .decode::<Thing>()
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\u{2028}'),
        "{shown}"
    );
    assert!(shown.contains(r"x\n2026-01-01"), "{shown}");
}

/// The mark is for a DELETE only: a GET that got a 503 and then a 404 says
/// nothing about an earlier attempt having done anything.
#[tokio::test]
async fn a_404_after_a_retried_get_carries_no_mark() {
    let server = serve(vec![
        Some(reply("503 Service Unavailable", "{}")),
        Some(reply(
            "404 Not Found",
            r#"{"status":"error","error":"Contact not found"}"#,
        )),
    ])
    .await;
    let options = RequestOptions::new().max_retries(1);
    let err = client(&server)
        .execute(get_contact(&options))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.attempts(), Some(2));
    assert!(!err.earlier_attempt_may_have_succeeded(), "{err:?}");
}
