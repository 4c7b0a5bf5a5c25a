//! `pathbound-mock trigger EVENT`: asks a running mock to record a tracked
//! event (`POST /_mock/trigger`), which fires its webhook deliveries.

use bytes::Bytes;
use serde_json::{Value, json};

use super::send::{Connection, Target};

/// The base URL used when neither `--base-url` nor `PATHBOUND_BASE_URL` is set.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:4010/v1";

/// What `pathbound-mock trigger` was asked for.
#[derive(Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The event name, e.g. `page_view`.
    pub event: String,
    /// The contact to link the event to.
    pub contact_id: Option<String>,
    /// The mock's base URL (`--base-url`; else `PATHBOUND_BASE_URL`, else
    /// `http://127.0.0.1:4010/v1`); a trailing `/v1` is ignored.
    pub base_url: Option<String>,
    /// The API key (`--key`; else `PATHBOUND_API_KEY`, else `sk_test_all`).
    pub key: Option<String>,
}

impl std::fmt::Debug for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trigger")
            .field("event", &self.event)
            .field("contact_id", &self.contact_id)
            .field("base_url", &self.base_url)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl Trigger {
    /// Parses the arguments after `trigger`: `EVENT [--contact ID]
    /// [--base-url URL] [--key KEY]`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Trigger, String> {
        let mut trigger = Trigger {
            event: String::new(),
            contact_id: None,
            base_url: None,
            key: None,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value; see --help"))
            };
            match flag.as_str() {
                "--contact" => trigger.contact_id = Some(value("--contact")?),
                "--base-url" => trigger.base_url = Some(value("--base-url")?),
                "--key" => trigger.key = Some(value("--key")?),
                other if other.starts_with('-') => {
                    return Err(format!("unknown trigger option {other:?}; see --help"));
                }
                _ if trigger.event.is_empty() => trigger.event = arg,
                _ => return Err(format!("unexpected argument {arg:?}; see --help")),
            }
        }
        if trigger.event.is_empty() {
            return Err(
                "trigger needs an event name, e.g. `pathbound-mock trigger page_view`".into(),
            );
        }
        Ok(trigger)
    }

    /// Sends the trigger to the running mock and returns its answer's summary
    /// (the event id and the deliveries queued).
    pub async fn send(&self) -> Result<String, String> {
        let base = self
            .base_url
            .clone()
            .or_else(|| std::env::var("PATHBOUND_BASE_URL").ok())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let root = base.trim_end_matches('/');
        let root = root.strip_suffix(crate::BASE_PATH).unwrap_or(root);
        let url = format!("{root}{}/trigger", super::MOCK_PATH);
        let target = Target::parse(&url).map_err(|e| e.replace("webhook URL", "base URL"))?;
        let key = self
            .key
            .clone()
            .or_else(|| std::env::var("PATHBOUND_API_KEY").ok())
            .unwrap_or_else(|| crate::KEY_ALL.to_owned());
        let body = json!({ "event": self.event, "contact_id": self.contact_id });
        let auth = format!("Bearer {key}");
        let (status, answer) = Connection::default()
            .post(
                &target,
                &[("authorization", auth.as_str())],
                Bytes::from(body.to_string()),
            )
            .await
            .map_err(|e| format!("cannot reach the mock at {root}: {e}"))?;
        let answer: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let message = answer["error"].as_str().unwrap_or("no message");
            return Err(format!("the mock answered {status}: {message}"));
        }
        let deliveries: Vec<&str> = answer["deliveries"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        Ok(format!(
            "recorded {} {}; deliveries queued: {}",
            self.event,
            answer["event"]["event_id"].as_str().unwrap_or("?"),
            if deliveries.is_empty() {
                "none (no subscription receives it)".to_owned()
            } else {
                deliveries.join(", ")
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Trigger;

    #[test]
    fn trigger_arguments_parse() {
        let args = |a: &[&str]| Trigger::parse(a.iter().map(|s| s.to_string()));
        let t = args(&[
            "page_view",
            "--contact",
            "ct_1",
            "--base-url=http://127.0.0.1:9/v1",
        ])
        .unwrap();
        assert_eq!(t.event, "page_view");
        assert_eq!(t.contact_id.as_deref(), Some("ct_1"));
        assert_eq!(t.base_url.as_deref(), Some("http://127.0.0.1:9/v1"));
        assert!(args(&[]).is_err());
        assert!(args(&["a", "b"]).is_err());
        assert!(args(&["a", "--bogus"]).is_err());
        assert!(args(&["a", "--contact"]).is_err());
        let t = args(&["x", "--key", "sk_secret"]).unwrap();
        assert!(!format!("{t:?}").contains("sk_secret"));
    }
}
