//! End-to-end tests of `Client::execute` against a tiny HTTP/1.1 server on
//! the loopback interface (a real socket, no mocked transport).
//!
//! Declared from `lib.rs`, not from `runtime/mod.rs`, so crates that include
//! the runtime by `#[path]` do not compile these (they need tokio's test
//! features as dev-dependencies).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::runtime::{Call, Client, Error, Method, Operation, RequestOptions};

const KEY: &str = "sk_test_9d8c7b6a5f4e3d2c";

static CREATE_NOTE: Operation = Operation {
    id: "notes.create",
    method: Method::Post,
    path: "/contacts/{contact_id}/notes",
    scope: Some("notes:write"),
    auth: true,
    retry_safe: false,
    errors: &[(409, "A note with this title exists.")],
};

static GET_CONTACT: Operation = Operation {
    id: "contacts.get",
    method: Method::Get,
    path: "/contacts/{contact_id}",
    scope: Some("contacts:read"),
    auth: true,
    retry_safe: true,
    errors: &[],
};

static PUBLIC: Operation = Operation {
    id: "status.get",
    method: Method::Get,
    path: "/status",
    scope: None,
    auth: false,
    retry_safe: true,
    errors: &[],
};

/// A canned response: status line, extra headers, body.
struct Reply {
    status: &'static str,
    headers: &'static str,
    body: String,
}

fn reply(status: &'static str, body: &str) -> Reply {
    Reply {
        status,
        headers: "",
        body: body.to_owned(),
    }
}

/// A server answering the `replies` in order, one per connection, recording
/// each raw request (head and body). A `None` reply accepts and never answers.
struct Server {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn serve(replies: Vec<Option<Reply>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/v1/", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        for reply in replies {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let request = read_request(&mut socket).await;
            seen.lock().unwrap().push(request);
            let Some(reply) = reply else {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
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
        }
    });
    Server { base_url, requests }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap();
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
    String::from_utf8(data).unwrap()
}

fn client(server: &Server) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap()
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
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!("pathbound-rs/", env!("CARGO_PKG_VERSION")))
    );
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
    let client = Client::builder()
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
            operation: "status.get"
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
    let client = Client::builder()
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
        "`status.get`: could not connect to the server"
    );
}

#[tokio::test]
async fn invalid_path_args_fail_before_sending() {
    let options = RequestOptions::new();
    let client = Client::builder()
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
    let client = Client::new(KEY).unwrap();
    assert_eq!(client.base_url(), "https://api.pathbound.ai/v1");
    let clone = client.clone();
    // clones share one configuration
    assert!(std::ptr::eq(client.base_url(), clone.base_url()));
}

#[test]
fn client_debug_never_shows_the_key() {
    let client = Client::builder()
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
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let options = RequestOptions::new();
    let future = client.execute(Call::new(&PUBLIC, &options));
    assert_send(&future);
}
