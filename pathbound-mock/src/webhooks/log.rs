//! The delivery log: the last deliveries, each with its attempts and outcome.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};

use crate::time;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Queued or being attempted.
    Pending,
    /// A receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
    /// Never sent: the subscription's queue was full.
    Dropped,
}

impl Outcome {
    /// `pending`, `delivered`, `failed` or `dropped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
            Outcome::Dropped => "dropped",
        }
    }
}

/// One attempt to send a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// When it started (ms since the epoch).
    pub started_at: i64,
    /// How long it took, until the answer, the error or the timeout.
    pub duration: Duration,
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// Why it failed without an answer (connection refused, timeout, ...).
    pub error: Option<String>,
}

/// One delivery: a change sent to one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRecord {
    /// `dlv_000001`: the log's id for it.
    pub id: String,
    /// The subscription it was sent to (`sub_…`).
    pub subscription_id: String,
    /// The receiver's URL.
    pub url: String,
    /// What it reports: `page_view`, `contact.created`, `company.deleted`, ...
    pub kind: String,
    /// The id the body carries (the event's `evt_…`, or the change's `chg_…`).
    pub payload_id: String,
    /// When it was queued (ms since the epoch).
    pub queued_at: i64,
    /// The body as sent (empty until the first attempt).
    pub body: String,
    /// The attempts so far.
    pub attempts: Vec<Attempt>,
    /// Where it stands.
    pub outcome: Outcome,
}

impl DeliveryRecord {
    /// The record as `GET /_mock/deliveries` shows it (the body as JSON).
    pub fn to_json(&self) -> Value {
        let attempts: Vec<Value> = self
            .attempts
            .iter()
            .map(|a| {
                json!({
                    "started_at": time::iso(a.started_at),
                    "duration_ms": u64::try_from(a.duration.as_millis()).unwrap_or(u64::MAX),
                    "status": a.status,
                    "error": a.error,
                })
            })
            .collect();
        json!({
            "id": self.id,
            "subscription_id": self.subscription_id,
            "url": self.url,
            "kind": self.kind,
            "payload_id": self.payload_id,
            "queued_at": time::iso(self.queued_at),
            "outcome": self.outcome.as_str(),
            "attempts": attempts,
            "body": serde_json::from_str::<Value>(&self.body).unwrap_or(Value::Null),
        })
    }
}

/// The last `capacity` deliveries, oldest first.
#[derive(Debug)]
pub(crate) struct DeliveryLog {
    records: VecDeque<DeliveryRecord>,
    /// The number of the first record kept (numbers start at 1).
    first: u64,
    capacity: usize,
}

impl DeliveryLog {
    pub(crate) fn new(capacity: usize) -> Self {
        DeliveryLog {
            records: VecDeque::new(),
            first: 1,
            capacity: capacity.max(1),
        }
    }

    /// Adds a record (its id is set here) and returns its number.
    pub(crate) fn push(&mut self, mut record: DeliveryRecord) -> u64 {
        let number = self.first + self.records.len() as u64;
        record.id = format!("dlv_{number:06}");
        self.records.push_back(record);
        while self.records.len() > self.capacity {
            self.records.pop_front();
            self.first += 1;
        }
        number
    }

    /// The record `number`, unless it has been dropped from the log.
    pub(crate) fn get_mut(&mut self, number: u64) -> Option<&mut DeliveryRecord> {
        let index = usize::try_from(number.checked_sub(self.first)?).ok()?;
        self.records.get_mut(index)
    }

    /// Every record kept, oldest first.
    pub(crate) fn all(&self) -> Vec<DeliveryRecord> {
        self.records.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{DeliveryLog, DeliveryRecord, Outcome};

    fn record() -> DeliveryRecord {
        DeliveryRecord {
            id: String::new(),
            subscription_id: "sub_1".into(),
            url: "http://127.0.0.1:1/".into(),
            kind: "page_view".into(),
            payload_id: "evt_1".into(),
            queued_at: 0,
            body: String::new(),
            attempts: Vec::new(),
            outcome: Outcome::Pending,
        }
    }

    #[test]
    fn the_log_keeps_the_last_records() {
        let mut log = DeliveryLog::new(2);
        let a = log.push(record());
        let b = log.push(record());
        let c = log.push(record());
        assert!(log.get_mut(a).is_none());
        assert_eq!(log.get_mut(b).unwrap().id, "dlv_000002");
        log.get_mut(c).unwrap().outcome = Outcome::Delivered;
        let all = log.all();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].outcome, Outcome::Delivered);
        assert!(log.get_mut(99).is_none());
    }
}
