//! [`ResponseObserver`]: an opt-in look at every successful response body,
//! before it is decoded.
//!
//! The generated types survive an API that changed under them: unknown keys
//! are skipped (or kept in `extra`) and unknown enum values become `Unknown`.
//! An observer makes that visible. It is called once per successful request,
//! with the operation and the raw body, from the one non-generic place that
//! sends requests ([`Client::execute`](crate::Client::execute)); what it does
//! with them is up to it: count, log, or compare the body with the spec (as
//! `pathbound-drift` and `cargo xtask drift` do).
//!
//! Off by default: then the only cost is one `Option` check per request.

use std::fmt;
use std::sync::Arc;

use super::operation::Operation;

/// Sees the body of every successful response of a client that has it
/// ([`ClientBuilder::observe_responses`](crate::ClientBuilder::observe_responses)).
///
/// Called after the whole body is read and before the caller decodes it, on the
/// task that sent the request: keep it quick, and never panic. The body is the
/// server's, unparsed and unverified; it may hold personal data, so an observer
/// that logs should log names (keys, enum values), not values.
///
/// A closure `Fn(&Operation, &[u8])` is an observer too.
pub trait ResponseObserver: Send + Sync + 'static {
    /// `body` is the whole 2xx response body of a request for `operation`.
    fn observe(&self, operation: &Operation, body: &[u8]);
}

impl<F> ResponseObserver for F
where
    F: Fn(&Operation, &[u8]) + Send + Sync + 'static,
{
    fn observe(&self, operation: &Operation, body: &[u8]) {
        self(operation, body);
    }
}

/// The observer a client was built with, shared by its clones.
#[derive(Clone)]
pub(crate) struct Observer(pub(crate) Arc<dyn ResponseObserver>);

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseObserver")
    }
}

/// Shows `body` to `observer`, if there is one: the whole cost when there is not.
#[inline]
pub(crate) fn notify(observer: Option<&Observer>, operation: &Operation, body: &[u8]) {
    if let Some(Observer(observer)) = observer {
        observer.observe(operation, body);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crate::__private::Call;
    use crate::RequestOptions;
    use crate::loopback_tests::{GET_CONTACT, builder, reply, serve};

    #[tokio::test]
    async fn the_observer_sees_each_successful_body_once_and_no_error_body() {
        let body = r#"{"status":"success","contact":{"contact_id":"ct_1","new_key":1}}"#;
        let server = serve(vec![
            Some(reply(
                "503 Service Unavailable",
                r#"{"status":"error","error":"busy"}"#,
            )),
            Some(reply("200 OK", body)),
            Some(reply(
                "404 Not Found",
                r#"{"status":"error","error":"gone"}"#,
            )),
        ])
        .await;
        let seen: Arc<Mutex<Vec<(&'static str, String)>>> = Arc::default();
        let record = Arc::clone(&seen);
        let client = builder(&server)
            .observe_responses(move |op: &crate::Operation, body: &[u8]| {
                let text = String::from_utf8_lossy(body).into_owned();
                record.lock().unwrap().push((op.id, text));
            })
            .build()
            .unwrap();
        let options = RequestOptions::new().max_retries(1);
        let call = || Call::new(&GET_CONTACT, &options).path_args(&["ct_1"]);
        // A 503, retried, then a 200: the observer sees the 200's body only.
        let response = client.execute(call()).await.unwrap();
        assert_eq!(response.body(), body.as_bytes());
        // A 404 is an error: nothing to observe.
        let no_retry = RequestOptions::new().max_retries(0);
        let err = client
            .execute(Call::new(&GET_CONTACT, &no_retry).path_args(&["ct_2"]))
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(*seen.lock().unwrap(), [("contacts.get", body.to_owned())]);
        // Clones share the observer; its Debug names it without a body.
        assert!(
            format!(
                "{:?}",
                builder(&server).observe_responses(|_: &crate::Operation, _: &[u8]| {})
            )
            .contains("observer: Some(ResponseObserver)")
        );
    }
}
