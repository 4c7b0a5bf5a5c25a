//! Sending: a tiny HTTP/1.1 client over hyper (plain `http://` only) and the
//! worker that delivers one subscription's queue, with retries.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::log::{Attempt, DeliveryLog, Outcome};
use super::payload::{Change, Shapes, sign};
use super::{Subscription, WebhookPolicy};
use crate::pipeline::lock;
use crate::time;

/// The `User-Agent` of every delivery, as the docs give it.
pub const USER_AGENT: &str = "Pathbound-Webhooks/1.0";

/// The most of a receiver's answer that is read (the rest is ignored).
const MAX_ANSWER: usize = 64 * 1024;

/// Where requests go: an `http://` URL, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    host: String,
    port: u16,
    authority: String,
    path: String,
}

impl Target {
    /// Parses an `http://host[:port][/path][?query]` URL. `https://` and other
    /// schemes, user names and passwords are refused with a clear message.
    pub(crate) fn parse(url: &str) -> Result<Target, String> {
        if url.contains('@') {
            // Not quoted: it may hold a password.
            return Err(
                "invalid webhook URL: user names and passwords are not supported (and the URL \
                 is not repeated here)"
                    .to_owned(),
            );
        }
        let uri: Uri = url
            .trim()
            .parse()
            .map_err(|e| format!("invalid webhook URL {url:?}: {e}"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(format!(
                    "invalid webhook URL {url:?}: the mock delivers over plain http:// only \
                     (it is meant for receivers on your machine or in CI); use http://"
                ));
            }
            _ => {
                return Err(format!(
                    "invalid webhook URL {url:?}: expected http://HOST[:PORT]/PATH"
                ));
            }
        }
        let authority = uri
            .authority()
            .ok_or_else(|| format!("invalid webhook URL {url:?}: no host"))?;
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if host.is_empty() {
            return Err(format!("invalid webhook URL {url:?}: no host"));
        }
        Ok(Target {
            host: host.to_owned(),
            port: authority.port_u16().unwrap_or(80),
            authority: authority.as_str().to_owned(),
            path: uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned()),
        })
    }
}

/// An HTTP/1.1 connection kept open between requests to one target.
#[derive(Debug, Default)]
pub(crate) struct Connection {
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    /// POSTs `body` with `headers` and returns the status and (the start of)
    /// the answer. Reuses the open connection, or opens one.
    pub(crate) async fn post(
        &mut self,
        target: &Target,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Result<(u16, Bytes), String> {
        let reused = self.sender.as_ref().is_some_and(|s| !s.is_closed());
        match self.post_once(target, headers, body.clone()).await {
            // A kept-alive connection the receiver closed meanwhile: once more,
            // on a new connection.
            Err(_) if reused => self.post_once(target, headers, body).await,
            result => result,
        }
    }

    async fn post_once(
        &mut self,
        target: &Target,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Result<(u16, Bytes), String> {
        let mut sender = match self.sender.take() {
            Some(s) if !s.is_closed() => s,
            _ => connect(target).await?,
        };
        sender
            .ready()
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        let mut request = Request::post(target.path.as_str())
            .header(hyper::header::HOST, target.authority.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(body))
            .map_err(|e| format!("invalid request: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status().as_u16();
        let answer = Limited::new(response.into_body(), MAX_ANSWER)
            .collect()
            .await
            .map(http_body_util::Collected::to_bytes)
            .unwrap_or_default();
        self.sender = Some(sender);
        Ok((status, answer))
    }
}

async fn connect(target: &Target) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot connect to {}: {e}", target.authority))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {} failed: {e}", target.authority))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// One delivery waiting in a subscription's queue: the log record it updates
/// and the change it reports.
#[derive(Debug)]
pub(crate) struct Job {
    pub record: u64,
    pub change: Arc<Change>,
}

/// Delivers `subscription`'s queue in order, one delivery at a time: each is
/// tried up to `policy.attempts` times (a non-2xx answer, an error and a
/// timeout all count as failures), waiting `policy.backoff`, then 4 times
/// longer, between attempts.
pub(crate) async fn worker(
    subscription: Arc<Subscription>,
    mut queue: mpsc::Receiver<Job>,
    log: Arc<Mutex<DeliveryLog>>,
    shapes: Arc<Shapes>,
    (policy, log_attempts): (WebhookPolicy, bool),
) {
    let mut connection = Connection::default();
    while let Some(job) = queue.recv().await {
        let body = Bytes::from(shapes.body(&job.change, &subscription.id));
        let signature = subscription
            .secret
            .as_deref()
            .map(|s| sign(s.as_bytes(), &body));
        let event_name = job.change.kind.name();
        let mut headers: Vec<(&str, &str)> = vec![
            ("user-agent", USER_AGENT),
            ("x-pathbound-event", &event_name),
            ("x-pathbound-subscription", &subscription.id),
        ];
        if let Some(signature) = &signature {
            headers.push(("x-pathbound-signature", signature));
        }
        if let Some(record) = lock(&log).get_mut(job.record) {
            record.body = String::from_utf8_lossy(&body).into_owned();
        }
        let mut outcome = Outcome::Failed;
        for attempt in 1..=policy.attempts.max(1) {
            let started_at = time::now_ms();
            let started = Instant::now();
            let result = tokio::time::timeout(
                policy.timeout,
                connection.post(&subscription.target, &headers, body.clone()),
            )
            .await;
            let (status, error) = match result {
                Ok(Ok((status, _))) => (Some(status), None),
                Ok(Err(e)) => (None, Some(e)),
                Err(_) => (
                    None,
                    Some(format!(
                        "no answer within {} (the attempt timeout)",
                        crate::pipeline::describe_duration(policy.timeout)
                    )),
                ),
            };
            if status.is_none() {
                // An error or a timeout leaves the connection in an unknown state.
                connection = Connection::default();
            }
            let delivered = status.is_some_and(|s| (200..300).contains(&s));
            if log_attempts {
                eprintln!(
                    "webhook {event_name} -> {} attempt {attempt}: {} ({} ms)",
                    subscription.url,
                    status.map_or_else(|| error.clone().unwrap_or_default(), |s| s.to_string()),
                    started.elapsed().as_millis()
                );
            }
            if let Some(record) = lock(&log).get_mut(job.record) {
                record.attempts.push(Attempt {
                    started_at,
                    duration: started.elapsed(),
                    status,
                    error,
                });
                if delivered {
                    record.outcome = Outcome::Delivered;
                }
            }
            if delivered {
                outcome = Outcome::Delivered;
                break;
            }
            if attempt < policy.attempts {
                tokio::time::sleep(wait_after(&policy, attempt)).await;
            }
        }
        if let Some(record) = lock(&log).get_mut(job.record) {
            record.outcome = outcome;
        }
    }
}

/// The wait before attempt `n + 1` (after `n` failures): `backoff × 4^(n-1)`.
fn wait_after(policy: &WebhookPolicy, failures: u32) -> Duration {
    policy
        .backoff
        .saturating_mul(4u32.saturating_pow(failures.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Target, wait_after};
    use crate::webhooks::WebhookPolicy;

    #[test]
    fn targets_parse() {
        let t = Target::parse("http://127.0.0.1:3000/hooks?x=1").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 3000));
        assert_eq!(t.path, "/hooks?x=1");
        let t = Target::parse("http://[::1]/").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 80));
        assert_eq!(Target::parse("http://localhost:8").unwrap().path, "/");
        for bad in [
            "https://example.com/hooks",
            "ftp://x/",
            "127.0.0.1:3000",
            "http://user:pw@127.0.0.1/",
            "",
            "http://",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert!(!e.contains("pw@"), "{e}");
        }
        assert!(
            Target::parse("https://x/")
                .unwrap_err()
                .contains("plain http:// only")
        );
    }

    #[test]
    fn backoff_grows_fourfold() {
        let p = WebhookPolicy {
            backoff: Duration::from_millis(100),
            ..WebhookPolicy::default()
        };
        assert_eq!(wait_after(&p, 1), Duration::from_millis(100));
        assert_eq!(wait_after(&p, 2), Duration::from_millis(400));
    }
}
