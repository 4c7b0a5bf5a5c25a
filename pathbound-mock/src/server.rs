//! [`MockServer`]: the listener, its connections and a clean shutdown.

use std::collections::BTreeSet;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::config::{ApiKey, MockConfig};
use crate::fault::Fault;
use crate::pipeline::{self, BASE_PATH, Shared, lock};
use crate::spec::{self, Api};
use crate::state::{self, State};
use crate::time;
use crate::webhooks::{DeliveryRecord, Hooks};

/// How long open connections get to finish when the server shuts down.
const DRAIN: Duration = Duration::from_secs(5);
/// Connections over the limit answered with a 503 at once; past these, more are
/// closed without an answer.
const MAX_REFUSALS: usize = 64;
/// How long a connection over the limit gets to send its request headers (and
/// read the 503).
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(2);

/// A running mock of the Pathbound API on a local port.
///
/// Stops when dropped (connections are closed at once) or, gracefully, with
/// [`MockServer::shutdown`].
///
/// ```no_run
/// # async fn demo() {
/// let server = pathbound_mock::MockServer::start().await;
/// println!("{}", server.base_url()); // http://127.0.0.1:PORT/v1
/// # }
/// ```
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server with the default configuration on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port can be bound or the embedded spec does not load; use
    /// [`MockConfig::start`] to get the error instead.
    pub async fn start() -> MockServer {
        match MockConfig::new().start().await {
            Ok(server) => server,
            Err(e) => panic!("pathbound-mock could not start: {e}"),
        }
    }

    /// A configuration to start from.
    pub fn builder() -> MockConfig {
        MockConfig::new()
    }

    /// The API root, e.g. `http://127.0.0.1:41234/v1`: the client's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// The keys the server accepts, as configured.
    pub fn keys(&self) -> &[ApiKey] {
        &self.shared.keys
    }

    /// The scopes `key` grants, expanded (`*` becomes every scope); `None` for an
    /// unknown key.
    pub fn scopes_of(&self, key: &str) -> Option<Vec<String>> {
        self.shared.scopes.get(key).cloned()
    }

    /// Every operation id of the spec the server serves, in spec order.
    pub fn operations(&self) -> Vec<String> {
        self.shared
            .api
            .operations
            .iter()
            .map(|o| o.id.clone())
            .collect()
    }

    /// The operations answered with a 2xx so far.
    pub fn served_operations(&self) -> BTreeSet<String> {
        lock(&self.shared.served).clone()
    }

    /// How many requests were routed to `operation` (whatever their outcome,
    /// retries included).
    pub fn hits(&self, operation: &str) -> u64 {
        lock(&self.shared.hits).get(operation).copied().unwrap_or(0)
    }

    /// Adds a fault rule at run time.
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.shared.faults).add(fault);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// The webhook deliveries the log keeps (the last 1000 by default),
    /// oldest first, each with its attempts and outcome; empty without
    /// subscriptions. `GET /_mock/deliveries` serves the same log.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.shared
            .webhooks
            .as_ref()
            .map(Hooks::deliveries)
            .unwrap_or_default()
    }

    /// The webhook subscriptions, one line each: id (`sub_…`), URL, whether
    /// deliveries are signed, and the kinds it receives.
    pub fn webhooks(&self) -> Vec<String> {
        self.shared
            .webhooks
            .as_ref()
            .map(Hooks::describe)
            .unwrap_or_default()
    }

    /// Stops accepting, lets open requests finish (up to 5 s), then returns.
    /// Deliveries still queued or being retried are abandoned.
    pub async fn shutdown(mut self) {
        self.stop_webhooks();
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl MockServer {
    fn stop_webhooks(&self) {
        if let Some(hooks) = &self.shared.webhooks {
            hooks.stop();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop_webhooks();
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl MockConfig {
    /// Binds, seeds the data and starts serving.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let api: Arc<Api> = match &self.spec_files {
            Some(files) => Arc::new(Api::from_files(files.clone()).map_err(std::io::Error::other)?),
            None => spec::embedded_api().map_err(std::io::Error::other)?,
        };
        let listener = TcpListener::bind((self.host.as_str(), self.port)).await?;
        let addr = listener.local_addr()?;
        let mut data = State::empty();
        if self.seed {
            state::seed(&mut data, time::now_ms());
        }
        data.max_records = self.max_records;
        let hooks = if self.webhooks.is_empty() {
            None
        } else {
            data.record_touches();
            let hooks = Hooks::start(&api, self.webhooks, self.webhook_policy, self.log_requests);
            Some(hooks.map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?)
        };
        let mut shared = Shared::new(api, self.keys, data);
        shared.webhooks = hooks;
        shared.latency = self.latency;
        shared.rate_limit = self.rate_limit;
        shared.body_limit = self.body_limit;
        shared.max_fault_latency = self.max_fault_latency;
        shared.header_timeout = self.header_timeout;
        shared.body_timeout = self.body_timeout;
        shared.write_timeout = self.write_timeout;
        shared.max_connections = self.max_connections;
        shared.auth_failure_limit = self.auth_failure_limit;
        shared.log = self.log_requests;
        if self.drift {
            shared.drift = Some(crate::drift::Victims::of(&shared.api));
        }
        for fault in self.faults {
            lock(&shared.faults).add(fault);
        }
        let shared = Arc::new(shared);
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(serve(listener, Arc::clone(&shared), stopped));
        let host = match addr {
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
            SocketAddr::V4(a) => a.ip().to_string(),
        };
        Ok(MockServer {
            addr,
            base_url: format!("http://{host}:{}{BASE_PATH}", addr.port()),
            shared,
            stop,
            task: Some(task),
        })
    }
}

/// The accept loop; on the stop signal, drains open connections. At most
/// `max_connections` are served at once; one more is answered `503` (up to
/// [`MAX_REFUSALS`] at a time) or, past that, closed.
async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    let slots = Arc::new(Semaphore::new(
        shared.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    if let Ok(slot) = Arc::clone(&slots).try_acquire_owned() {
                        connections.spawn(connection(stream, peer, Arc::clone(&shared), stopped.clone(), slot));
                    } else if let Ok(slot) = Arc::clone(&refusals).try_acquire_owned() {
                        connections.spawn(refuse(stream, Arc::clone(&shared), slot));
                    }
                }
                // e.g. too many open files: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.abort_all();
    }
}

/// Serves one connection, holding its `_slot` until it closes.
async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let header_timeout = shared.header_timeout;
    let stream = WriteDeadline::new(stream, shared.write_timeout);
    let service = service_fn(move |req| pipeline::handle(req, Arc::clone(&shared), peer));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        // A client that never finishes its request headers is cut off, and so
        // is an idle keep-alive connection (the timer runs while hyper waits for
        // the next request's headers).
        .header_read_timeout(header_timeout)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stopped.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Answers a connection over the limit with `503` and closes it.
async fn refuse(stream: tokio::net::TcpStream, shared: Arc<Shared>, _slot: OwnedSemaphorePermit) {
    let service = service_fn(move |_req| {
        std::future::ready(Ok::<_, std::convert::Infallible>(pipeline::overloaded(
            &shared,
        )))
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(REFUSAL_TIMEOUT)
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT * 2, conn).await;
}

/// A stream whose writes fail once they have made no progress for `limit`: a
/// client that stops reading its answers cannot hold a connection (and its
/// slot) forever. Reads pass through; hyper's header timeout and the pipeline's
/// body timeout bound them.
struct WriteDeadline<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, limit: Duration) -> Self {
        WriteDeadline {
            inner,
            limit,
            stalled: None,
        }
    }

    /// Passes a ready write result on (progress: the clock stops); on
    /// `Pending`, starts the clock or fails once it has run out.
    fn guard<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if sleep.as_mut().poll(cx).is_ready() {
            self.stalled = None;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading (--write-timeout)",
            )));
        }
        Poll::Pending
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.guard(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.guard(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.guard(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.guard(cx, poll)
    }
}
