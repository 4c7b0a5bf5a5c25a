//! A minimal HTTP/1.1 server on 127.0.0.1 serving canned JSON with keep-alive.
//!
//! It runs on its own thread with its own current-thread runtime, so its work (and
//! its allocations) stay off the measuring thread. Responses are built once; serving
//! one is a header scan, a route lookup and one write. It lives until the process
//! exits; every request loop that talks to it is bounded.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Canned answers: a request whose target (path and query) is the key gets the
/// body; anything else a 404.
pub struct Routes(pub Vec<(String, Vec<u8>)>);

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: req_bench\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Starts the server; returns its address once it is listening.
pub fn start(routes: Routes) -> SocketAddr {
    let routes: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        routes
            .0
            .into_iter()
            .map(|(target, body)| (target, response("200 OK", &body)))
            .collect(),
    );
    let not_found = Arc::new(response(
        "404 Not Found",
        br#"{"status":"error","error":"no such route"}"#,
    ));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .unwrap_or_else(|e| panic!("server runtime: {e}"));
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0")
                    .await
                    .unwrap_or_else(|e| panic!("bind 127.0.0.1: {e}"));
                let _ = tx.send(listener.local_addr());
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(serve(socket, Arc::clone(&routes), Arc::clone(&not_found)));
                }
            });
        })
        .unwrap_or_else(|e| panic!("server thread: {e}"));
    match rx.recv() {
        Ok(Ok(addr)) => addr,
        other => panic!("the loopback server did not start: {other:?}"),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `content-length` of a request head, 0 when absent.
fn content_length(head: &[u8]) -> usize {
    let text = String::from_utf8_lossy(head);
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

async fn serve(
    mut socket: TcpStream,
    routes: Arc<Vec<(String, Vec<u8>)>>,
    not_found: Arc<Vec<u8>>,
) {
    let _ = socket.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        // Read a whole request: the head, then its body (if any).
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let total = head_end + content_length(&buf[..head_end]);
        while buf.len() < total {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let target = buf[..head_end]
            .split(|b| *b == b' ')
            .nth(1)
            .unwrap_or_default();
        let answer = routes
            .iter()
            .find(|(t, _)| target == t.as_bytes())
            .map_or(not_found.as_slice(), |(_, r)| r.as_slice());
        if socket.write_all(answer).await.is_err() {
            return;
        }
        buf.drain(..total);
    }
}
