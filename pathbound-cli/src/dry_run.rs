//! `--dry-run`: show the request the client would send, and send nothing.
//!
//! The client is pointed at a listener on loopback inside this process, which
//! takes the one request the client builds (method, path and query, headers,
//! body: exactly what would go to the API, the client's own validation, headers
//! and encoding included), answers it with an error so the client stops, and
//! hands it back to be printed against the real base URL, with the API key
//! redacted. Nothing leaves the process.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The largest request head read.
const MAX_HEAD: usize = 64 * 1024;
/// The largest body read.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// A captured request.
#[derive(Debug)]
pub struct Captured {
    /// `POST`.
    pub method: String,
    /// `/v1/contacts?x=y`.
    pub target: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// The capturing listener.
pub struct Capture {
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    task: JoinHandle<Option<Captured>>,
}

impl Capture {
    /// Starts listening on an ephemeral loopback port.
    pub async fn start() -> std::io::Result<Capture> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.ok()?;
            let captured = read_request(&mut stream).await?;
            let body = br#"{"status":"error","error":"dry run: the request was not sent"}"#;
            let head = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body).await;
            let _ = stream.shutdown().await;
            Some(captured)
        });
        Ok(Capture { origin, task })
    }

    /// The request, if the client sent one (it may have refused to, e.g. for a
    /// value out of its documented range).
    pub async fn take(self) -> Option<Captured> {
        let wait = tokio::time::timeout(std::time::Duration::from_secs(2), self.task);
        match wait.await {
            Ok(Ok(captured)) => captured,
            _ => None,
        }
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Captured> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Captured {
        method,
        target,
        headers,
        body,
    })
}

/// The scheme, host and port of `base_url` (`https://api.pathbound.ai`).
pub fn origin_of(base_url: &str) -> &str {
    let after = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after..].find('/') {
        Some(i) => &base_url[..after + i],
        None => base_url.trim_end_matches('/'),
    }
}

/// The path of `base_url` (`/v1`), without a trailing slash.
pub fn path_of(base_url: &str) -> &str {
    let origin = origin_of(base_url).len();
    base_url[origin..].trim_end_matches('/')
}

impl Captured {
    /// The request as text: `METHOD URL`, the headers (the key redacted; the
    /// loopback host left out), a blank line and the body (pretty JSON).
    pub fn render(&self, origin: &str) -> String {
        let mut out = format!("{} {origin}{}\n", self.method, self.target);
        for (name, value) in &self.headers {
            match name.as_str() {
                "host" => continue,
                "authorization" => {
                    let scheme = value.split_once(' ').map_or("", |(s, _)| s);
                    out.push_str(&format!("{name}: {scheme} <redacted>\n"));
                }
                _ => out.push_str(&format!("{name}: {}\n", value.escape_debug())),
            }
        }
        if !self.body.is_empty() {
            out.push('\n');
            match serde_json::from_slice::<serde_json::Value>(&self.body) {
                Ok(v) => out.push_str(&serde_json::to_string_pretty(&v).unwrap_or_default()),
                Err(_) => out.push_str(&String::from_utf8_lossy(&self.body)),
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_split_into_origin_and_path() {
        assert_eq!(
            origin_of("https://api.pathbound.ai/v1"),
            "https://api.pathbound.ai"
        );
        assert_eq!(path_of("https://api.pathbound.ai/v1/"), "/v1");
        assert_eq!(origin_of("http://127.0.0.1:4010"), "http://127.0.0.1:4010");
        assert_eq!(path_of("http://127.0.0.1:4010"), "");
    }

    #[test]
    fn the_key_is_redacted_and_the_host_left_out() {
        let c = Captured {
            method: "POST".into(),
            target: "/v1/contacts".into(),
            headers: vec![
                ("host".into(), "127.0.0.1:9".into()),
                ("authorization".into(), "Bearer sk_secret_123".into()),
            ],
            body: br#"{"email":"a@b.c"}"#.to_vec(),
        };
        let text = c.render("https://api.pathbound.ai");
        assert!(text.starts_with("POST https://api.pathbound.ai/v1/contacts\n"));
        assert!(text.contains("authorization: Bearer <redacted>"));
        assert!(!text.contains("sk_secret_123") && !text.contains("127.0.0.1"));
        assert!(text.contains("\"email\": \"a@b.c\""));
    }
}
