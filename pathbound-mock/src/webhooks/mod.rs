//! Webhook deliveries: subscriptions, a queue and a worker per subscription,
//! and the delivery log.
//!
//! When a request changes the state (a contact or company created, updated
//! or deleted, a tracked event recorded), the pipeline hands the changes to
//! [`Hooks::after_request`] once the handler has answered: each subscription
//! whose kinds match gets a record in the log and a job in its bounded queue
//! (a full queue drops the job and marks the record `dropped`). The request
//! never waits for a delivery. A worker per subscription sends its queue in
//! order, signing each body when the subscription has a secret, and retries
//! failed attempts ([`WebhookPolicy`]).

mod endpoints;
mod log;
mod payload;
mod select;
mod send;
mod trigger;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub(crate) use endpoints::{MOCK_PATH, handle as handle_mock_route};
pub use log::{Attempt, DeliveryRecord, Outcome};
pub(crate) use payload::{Entity, Touch};
use payload::{Shapes, kind_of, render, summarize};
pub use select::{ChangeType, Selector};
use send::{Job, Target, worker};
pub use trigger::Trigger;

use crate::pipeline::lock;
use crate::spec::Api;
use crate::state::State;
use crate::time;

/// A webhook subscription: where deliveries go, the secret that signs them,
/// and what it receives.
///
/// ```
/// use pathbound_mock::{MockConfig, Selector, Webhook};
///
/// let config = MockConfig::new()
///     // Everything, signed with the secret.
///     .webhook("http://127.0.0.1:3000/hooks", "whsec_test")
///     // Only page views and new contacts, unsigned.
///     .subscribe(Webhook::new("http://127.0.0.1:3001/").kinds(Selector::parse_list("page_view,contact:created")?));
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    pub(crate) url: String,
    pub(crate) secret: Option<String>,
    pub(crate) kinds: Vec<Selector>,
}

impl Webhook {
    /// A subscription to every kind (`*`), unsigned, delivering to `url`
    /// (`http://` only).
    pub fn new(url: impl Into<String>) -> Self {
        Webhook {
            url: url.into(),
            secret: None,
            kinds: Selector::all(),
        }
    }

    /// Signs every delivery with `secret` (`X-Pathbound-Signature`).
    #[must_use]
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Receives only these kinds (see [`Selector::parse_list`]).
    #[must_use]
    pub fn kinds(mut self, kinds: Vec<Selector>) -> Self {
        self.kinds = kinds;
        self
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("kinds", &self.kinds)
            .finish()
    }
}

/// How deliveries are sent: the mock's own choices (the public docs do not
/// say how Pathbound retries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookPolicy {
    /// Attempts per delivery, the first included (default 3).
    pub attempts: u32,
    /// The wait after the first failed attempt; each later wait is 4 times
    /// longer (default 250 ms, then 1 s).
    pub backoff: Duration,
    /// How long one attempt may take, connection included (default 5 s).
    pub timeout: Duration,
    /// Deliveries waiting per subscription; more are dropped (default 1000).
    pub queue: usize,
    /// Deliveries kept in the log (default 1000).
    pub log: usize,
}

impl Default for WebhookPolicy {
    fn default() -> Self {
        WebhookPolicy {
            attempts: 3,
            backoff: Duration::from_millis(250),
            timeout: Duration::from_secs(5),
            queue: 1000,
            log: 1000,
        }
    }
}

/// A subscription at run time (its `Debug` hides the secret).
pub(crate) struct Subscription {
    pub id: String,
    pub url: String,
    pub target: Target,
    pub secret: Option<String>,
    pub kinds: Vec<Selector>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("kinds", &self.kinds)
            .finish()
    }
}

/// The server's webhooks: subscriptions with their queues, and the log.
#[derive(Debug)]
pub(crate) struct Hooks {
    subscriptions: Vec<(Arc<Subscription>, mpsc::Sender<Job>)>,
    log: Arc<Mutex<DeliveryLog>>,
    changes: AtomicU64,
    workers: Vec<JoinHandle<()>>,
    /// Ends the delivery thread.
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

use log::DeliveryLog;

/// Starts the thread deliveries run on, with its own single-threaded
/// runtime: however busy the API's runtime is, deliveries are not starved,
/// and their work never runs on the API's worker threads. Returns the
/// runtime's handle and the sender that ends the thread.
fn delivery_thread() -> Result<(Handle, oneshot::Sender<()>), String> {
    let (ready, handle) = std::sync::mpsc::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("pathbound-mock-webhooks".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => {
                    let _ = ready.send(Ok(runtime.handle().clone()));
                    runtime.block_on(async {
                        let _ = stopped.await;
                    });
                }
                Err(e) => {
                    let _ = ready.send(Err(format!("cannot start the webhook runtime: {e}")));
                }
            }
        })
        .map_err(|e| format!("cannot start the webhook thread: {e}"))?;
    let handle = handle
        .recv()
        .map_err(|_| "the webhook thread did not start".to_owned())??;
    Ok((handle, stop))
}

/// Checks a subscription as configured; `Err` says what is wrong.
pub(crate) fn check(webhook: &Webhook) -> Result<(), String> {
    Target::parse(&webhook.url)?;
    if webhook.secret.as_deref() == Some("") {
        return Err(format!(
            "the webhook secret for {} is empty; give a secret or none",
            webhook.url
        ));
    }
    if webhook.kinds.is_empty() {
        return Err(format!("the webhook {} receives nothing", webhook.url));
    }
    Ok(())
}

impl Hooks {
    /// Checks the subscriptions and starts a worker for each.
    /// With `log_attempts`, each attempt prints a line to stderr.
    pub(crate) fn start(
        api: &Api,
        webhooks: Vec<Webhook>,
        policy: WebhookPolicy,
        log_attempts: bool,
    ) -> Result<Hooks, String> {
        let shapes = Arc::new(Shapes::from_api(api)?);
        let log = Arc::new(Mutex::new(DeliveryLog::new(policy.log)));
        let mut subscriptions = Vec::new();
        let mut workers = Vec::new();
        let (runtime, stop) = delivery_thread()?;
        for (n, webhook) in webhooks.into_iter().enumerate() {
            check(&webhook)?;
            let subscription = Arc::new(Subscription {
                id: format!("sub_mock{:04}", n + 1),
                target: Target::parse(&webhook.url)?,
                url: webhook.url,
                secret: webhook.secret,
                kinds: webhook.kinds,
            });
            let (tx, rx) = mpsc::channel(policy.queue.max(1));
            workers.push(runtime.spawn(worker(
                Arc::clone(&subscription),
                rx,
                Arc::clone(&log),
                Arc::clone(&shapes),
                (policy, log_attempts),
            )));
            subscriptions.push((subscription, tx));
        }
        Ok(Hooks {
            subscriptions,
            log,
            changes: AtomicU64::new(0),
            workers,
            stop: Mutex::new(Some(stop)),
        })
    }

    /// Whether any subscription exists (the state records changes only then).
    pub(crate) fn active(&self) -> bool {
        !self.subscriptions.is_empty()
    }

    /// Takes the changes the request made to `state` and queues their
    /// deliveries (nothing when the request failed: `ok` is false). Call with
    /// the state lock held; never waits. Returns the log ids queued.
    pub(crate) fn after_request(&self, state: &mut State, ok: bool) -> Vec<String> {
        let touches = state.take_touches();
        if !ok || touches.is_empty() || !self.active() {
            return Vec::new();
        }
        let now = time::now_ms();
        let mut queued = Vec::new();
        for summary in summarize(touches) {
            let Some(kind) = kind_of(state, &summary) else {
                continue;
            };
            let targets: Vec<_> = self
                .subscriptions
                .iter()
                .filter(|(s, _)| s.kinds.iter().any(|k| k.matches(&kind)))
                .collect();
            if targets.is_empty() {
                continue;
            }
            let payload_id = match summary.change {
                Some(_) => {
                    let n = self.changes.fetch_add(1, Ordering::Relaxed) + 1;
                    format!("chg_{n:06}")
                }
                None => summary.id.clone(),
            };
            // Rendered only when a queue has room: a full queue costs the
            // request no more than its log record.
            let change = if targets.iter().any(|(_, tx)| tx.capacity() > 0) {
                render(state, summary, kind.clone(), payload_id.clone(), now).map(Arc::new)
            } else {
                None
            };
            let mut log = lock(&self.log);
            for (subscription, tx) in targets {
                let record = log.push(DeliveryRecord {
                    id: String::new(),
                    subscription_id: subscription.id.clone(),
                    url: subscription.url.clone(),
                    kind: kind.name(),
                    payload_id: payload_id.clone(),
                    queued_at: now,
                    body: String::new(),
                    attempts: Vec::new(),
                    outcome: Outcome::Pending,
                });
                let Some(entry) = log.get_mut(record) else {
                    continue;
                };
                queued.push(entry.id.clone());
                let sent = change.as_ref().is_some_and(|change| {
                    tx.try_send(Job {
                        record,
                        change: Arc::clone(change),
                    })
                    .is_ok()
                });
                if !sent {
                    entry.outcome = Outcome::Dropped;
                }
            }
        }
        queued
    }

    /// One line per subscription: id, URL, signed or not, kinds.
    pub(crate) fn describe(&self) -> Vec<String> {
        self.subscriptions
            .iter()
            .map(|(s, _)| {
                let kinds: Vec<String> = s.kinds.iter().map(ToString::to_string).collect();
                format!(
                    "{} -> {} ({}; {})",
                    s.id,
                    s.url,
                    if s.secret.is_some() {
                        "signed"
                    } else {
                        "unsigned"
                    },
                    kinds.join(", ")
                )
            })
            .collect()
    }

    /// Every delivery the log keeps, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<DeliveryRecord> {
        lock(&self.log).all()
    }
}

impl Hooks {
    /// Stops the workers: queued deliveries and retries are abandoned.
    pub(crate) fn stop(&self) {
        for worker in &self.workers {
            worker.abort();
        }
        if let Some(stop) = lock(&self.stop).take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for Hooks {
    fn drop(&mut self) {
        self.stop();
    }
}
