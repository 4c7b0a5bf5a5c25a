//! [`DriftLog`]: the observing mode for an application's own client.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use pathbound_model::Model;
use pathbound_runtime::{Operation, ResponseObserver};

use crate::check::{DriftKey, Observations, check_body};

/// A response observer that logs each way the API differs from the spec once,
/// as a `DEBUG` event of target `pathbound_drift`, and counts every sighting.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // The spec the client was generated from, read at start-up.
/// let model = pathbound_model::load_dir("spec".as_ref(), "spec")?;
/// let log = pathbound_drift::DriftLog::new(model);
/// let client = pathbound_runtime::ClientBuilder::<pathbound_runtime::Client>::for_api(&API)
///     .api_key("sk_live_…")
///     .observe_responses(log.clone())
///     .build()?;
/// // ... later: how often each difference was seen.
/// for (drift, count) in log.counts() {
///     println!("{} {}.{}: {count}", drift.kind.as_str(), drift.subject, drift.name);
/// }
/// # static API: pathbound_runtime::__private::ApiDefaults = pathbound_runtime::__private::ApiDefaults {
/// #     base_url: "https://api.example.test/v1", api_key_env: "K", base_url_env: "U", user_agent: "x" };
/// # Ok(()) }
/// ```
///
/// With the generated client it is `pathbound_client::Client::builder().observe_responses(…)`.
/// Each event carries `kind` (`undeclared_key`, `unlisted_enum_value`, ...),
/// `schema` (or the operation, for an envelope), `name` (the key, field or
/// enum value) and `operation`; never a value of the body. Clones share
/// their counts.
#[derive(Clone, Debug)]
pub struct DriftLog {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    model: Model,
    counts: Mutex<BTreeMap<DriftKey, u64>>,
}

impl DriftLog {
    /// A log for the API `model` describes.
    pub fn new(model: Model) -> Self {
        DriftLog {
            inner: Arc::new(Inner {
                model,
                counts: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// How many times each difference was seen so far.
    pub fn counts(&self) -> BTreeMap<DriftKey, u64> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<DriftKey, u64>> {
        self.inner
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl ResponseObserver for DriftLog {
    fn observe(&self, operation: &Operation, body: &[u8]) {
        let model = &self.inner.model;
        let Some(op) = model.operations().find(|o| o.id == operation.id) else {
            return;
        };
        let mut found = Observations::default();
        check_body(model, op, body, &mut found);
        let mut counts = self.lock();
        for (key, seen) in found.drifts {
            let count = counts.entry(key.clone()).or_default();
            if *count == 0 {
                tracing::debug!(
                    target: "pathbound_drift",
                    kind = key.kind.as_str(),
                    schema = %key.subject,
                    name = %key.name,
                    operation = operation.id,
                    "the response differs from the spec"
                );
            }
            *count += seen.count;
        }
    }
}
