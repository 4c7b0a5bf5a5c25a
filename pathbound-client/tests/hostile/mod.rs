//! Shared by the `hostile_*` tests: one tokio runtime for every case, and a
//! tiny loopback HTTP/1.1 server that answers every request with bytes the
//! test chose (so a proptest case can change the answer between requests) and
//! records the raw request heads it received.
//!
//! The server is written on plain sockets, not with a framework, so it can say
//! things a well-behaved server never would (lying `Content-Length`, endless
//! bodies) and show exactly what reached the wire.

#![allow(dead_code)]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use pathbound_client::Client;
use pathbound_client::runtime::{self, Method, Operation};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

/// The API key every hostile test uses.
pub const KEY: &str = "sk_test_hostile_5f3c9d2e";

/// One runtime for the whole test binary: proptest closures are synchronous
/// and `block_on` a request each.
pub fn rt() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// A `GET` operation with a path template; nothing Pathbound about it.
pub const fn get(id: &'static str, path: &'static str) -> Operation {
    Operation {
        id,
        method: Method::Get,
        path,
        scope: None,
        scope_by: None,
        auth: true,
        retry_safe: true,
    }
}

/// A client for `base_url` that never retries and gives up after 20 s.
pub fn client(base_url: &str) -> Client {
    builder(base_url).build().expect("client")
}

/// The builder [`client`] uses, for tests that change a setting.
pub fn builder(base_url: &str) -> pathbound_client::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(20))
}

/// A builder of the runtime's client (what generated requests send through),
/// for tests that drive `execute` directly: the settings of [`builder`].
pub fn runtime_builder(base_url: &str) -> runtime::ClientBuilder<runtime::Client> {
    runtime::ClientBuilder::for_api(&pathbound_client::API)
        .api_key(KEY)
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(20))
}

/// The runtime client of [`runtime_builder`].
pub fn runtime_client(base_url: &str) -> runtime::Client {
    runtime_builder(base_url).build().expect("client")
}

/// A complete HTTP/1.1 response with a `Content-Length`, kept alive.
pub fn http_response(status: u16, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\n\
         x-request-id: req_hostile\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// One request as received: the head (request line and headers) and the body.
pub type Received = (String, Vec<u8>);

/// A server answering every request with the current reply.
pub struct Loopback {
    pub base_url: String,
    reply: Arc<Mutex<Replies>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Loopback {
    /// Binds `127.0.0.1:0` and serves keep-alive connections on [`rt`].
    pub fn start() -> Loopback {
        let listener = rt()
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let base_url = format!("http://{}/base", listener.local_addr().expect("addr"));
        let reply = Arc::new(Mutex::new(Replies {
            all: vec![http_response(200, b"{}")],
            served: 0,
        }));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (r, h) = (Arc::clone(&reply), Arc::clone(&received));
        rt().spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (r, h) = (Arc::clone(&r), Arc::clone(&h));
                tokio::spawn(serve_connection(socket, r, h));
            }
        });
        Loopback {
            base_url,
            reply,
            received,
        }
    }

    /// What the server sends for the following requests (a whole response).
    pub fn set_reply(&self, raw: Vec<u8>) {
        self.set_replies(vec![raw]);
    }

    /// What the server sends for the following requests, in order; the last
    /// one is repeated.
    pub fn set_replies(&self, all: Vec<Vec<u8>>) {
        assert!(!all.is_empty());
        *self.reply.lock().unwrap() = Replies { all, served: 0 };
    }

    /// Takes the requests received so far.
    pub fn take_requests(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

/// Responses served in order, the last one repeated.
struct Replies {
    all: Vec<Vec<u8>>,
    served: usize,
}

async fn serve_connection(
    mut socket: TcpStream,
    reply: Arc<Mutex<Replies>>,
    received: Arc<Mutex<Vec<Received>>>,
) {
    let mut buf = Vec::new();
    loop {
        let Some(head_end) = read_head(&mut socket, &mut buf).await else {
            return;
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let body_len = content_length(&head).unwrap_or(0);
        while buf.len() < head_end + body_len {
            match socket.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let body = buf[head_end..head_end + body_len].to_vec();
        buf.drain(..head_end + body_len);
        received.lock().unwrap().push((head, body));
        let raw = {
            let mut replies = reply.lock().unwrap();
            let at = replies.served.min(replies.all.len() - 1);
            replies.served += 1;
            replies.all[at].clone()
        };
        if socket.write_all(&raw).await.is_err() {
            return;
        }
    }
}

/// Reads until the end of a request head; returns its length (with the blank line).
pub async fn read_head(socket: &mut TcpStream, buf: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(at + 4);
        }
        match socket.read_buf(buf).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The `content-length` of a request head, if any.
pub fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

/// The value of header `name` in a raw request head (first occurrence), as sent.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n").skip(1).find_map(|line| {
        let (n, value) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| value.trim_start())
    })
}

/// The request target of a raw request head (`/base/x?y` in `GET /base/x?y HTTP/1.1`).
pub fn target(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or("")
}
