//! Helpers for tests that drive the mock from outside: a tiny HTTP/1.1 client
//! that sends exactly what it is given (malformed JSON, wrong types, huge
//! bodies, fault headers: what a typed client refuses to build), and `Stream`
//! helpers without a futures dependency.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;

use futures_core::Stream;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response read by [`send`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower-case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Sends `method path` (relative to `base_url`, e.g. `/contacts?limit=5`) with
/// `headers` and an optional body, on a fresh connection, and reads the answer.
pub async fn send(
    base_url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> io::Result<RawResponse> {
    let (authority, base_path) = split_base(base_url)?;
    let mut request = format!(
        "{method} {base_path}{path} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n"
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    let raw = send_bytes(&authority, &bytes).await?;
    parse_response(&raw)
}

/// Writes `bytes` to `authority` (`host:port`) and returns everything read back
/// until the server closes the connection.
pub async fn send_bytes(authority: &str, bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(authority).await?;
    stream.write_all(bytes).await?;
    let mut out = Vec::new();
    // A server that answers early may reset the rest; what arrived still counts.
    match stream.read_to_end(&mut out).await {
        Ok(_) => Ok(out),
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(e),
    }
}

/// `host:port` and the base path of `http://host:port/v1`.
pub fn split_base(base_url: &str) -> io::Result<(String, String)> {
    let rest = base_url
        .strip_prefix("http://")
        .ok_or_else(|| io::Error::other(format!("not an http:// URL: {base_url}")))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = if path.is_empty() {
        String::new()
    } else {
        format!("/{}", path.trim_end_matches('/'))
    };
    Ok((authority.to_owned(), path))
}

fn parse_response(raw: &[u8]) -> io::Result<RawResponse> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "no complete response (connection closed?)",
            )
        })?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other("malformed status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if let Some(n) = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body.truncate(n);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// The next item of a stream.
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Every item of a stream.
pub async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = next(&mut stream).await {
        out.push(item);
    }
    out
}
