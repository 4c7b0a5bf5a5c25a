//! The drift run: ask the key's scopes, call every read-only operation it may
//! call, and check each answer through the runtime's response observer.
//!
//! Every request goes through [`Runner::send`], which applies the spec's
//! read-only rule ([`Guard`]) to the request's method and concrete path before
//! anything is sent.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use pathbound_model::Model;
use pathbound_model::model::Operation;
use pathbound_runtime::__private::{ApiDefaults, Call};
use pathbound_runtime::{Client, ClientBuilder, RequestOptions};
use serde_json::Value;

use crate::check::Checker;
use crate::plan::{self, Guard, Request, Skip};
use crate::report::Report;

/// The operation that reports the key's scopes, and the field it reports them in.
pub const STATUS_OPERATION: (&str, &str) = ("auth.status", "scopes");

/// Where and how to call the API.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// The API key (read-only is enough, and recommended).
    pub api_key: String,
    /// The base URL; `None` for the spec's `api.base_url`.
    pub base_url: Option<String>,
}

/// Calls every read-only operation `model` describes that the key may call,
/// and reports how the answers differ from the spec.
///
/// Fails only when the client cannot be set up (a bad key or base URL); a
/// failed request is reported as a skipped operation.
pub async fn run(model: Model, target: &Target) -> Result<Report, String> {
    let checker = Arc::new(Checker::new(model));
    let mut runner = Runner::new(&checker, target)?;
    let model = checker.model();
    let mut skipped: Vec<(String, Skip)> = Vec::new();
    let mut called: Vec<String> = Vec::new();

    // The key's scopes first; unknown scopes mean: send, and let the server decide.
    let (status_id, scopes_field) = STATUS_OPERATION;
    let mut scopes = None;
    if let Some(op) = model.operations().find(|o| o.id == status_id) {
        match plan::request_for(model, op, None, &Default::default()) {
            Ok(request) => match runner.send(op, &request).await {
                Ok(body) => {
                    called.push(op.id.clone());
                    scopes = scopes_in(&body, op.response.key.as_deref(), scopes_field);
                }
                Err(Skip::Unauthorized(why)) => {
                    return Err(format!("the API refused the key: {why}"));
                }
                Err(skip) => skipped.push((op.id.clone(), skip)),
            },
            Err(skip) => skipped.push((op.id.clone(), skip)),
        }
    }

    // Then every other operation, lists before the calls that need their ids:
    // each pass calls what it can, until a pass calls nothing new.
    let mut pending: Vec<&Operation> = model.operations().filter(|o| o.id != status_id).collect();
    loop {
        let mut waiting = Vec::new();
        let mut progress = false;
        for op in pending {
            let values = checker.observations().values;
            match plan::request_for(model, op, scopes.as_deref(), &values) {
                Ok(request) => {
                    progress = true;
                    match runner.send(op, &request).await {
                        Ok(_) => called.push(op.id.clone()),
                        Err(skip) => skipped.push((op.id.clone(), skip)),
                    }
                }
                Err(Skip::NoValue(name)) => waiting.push((op, name)),
                Err(skip) => skipped.push((op.id.clone(), skip)),
            }
        }
        if !progress || waiting.is_empty() {
            skipped.extend(
                waiting
                    .into_iter()
                    .map(|(op, name)| (op.id.clone(), Skip::NoValue(name))),
            );
            break;
        }
        pending = waiting.into_iter().map(|(op, _)| op).collect();
    }

    // A run that could call nothing says nothing about drift: that is a failure.
    if called.is_empty() {
        let first = skipped
            .iter()
            .find_map(|(id, skip)| {
                let op = model.operations().find(|o| &o.id == id)?;
                (!matches!(skip, Skip::NotReadOnly)).then(|| format!("{id}: {}", skip.reason(op)))
            })
            .unwrap_or_else(|| "the spec has no read-only operation".into());
        return Err(format!("no operation could be called ({first})"));
    }
    let mut observations = checker.observations();
    observations.close(model);
    Ok(Report::new(model, observations, called, skipped, scopes))
}

/// The strings under `field` of the value under `key` (or of the whole body).
fn scopes_in(body: &Value, key: Option<&str>, field: &str) -> Option<Vec<String>> {
    let value = match key {
        Some(key) => body.get(key)?,
        None => body,
    };
    let scopes = value.get(field)?.as_array()?;
    Some(
        scopes
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

/// Sends requests, each checked by the guard first.
pub struct Runner {
    client: Client,
    guard: Guard,
    /// The runtime's description of each operation sent so far, made once.
    described: HashMap<String, Described>,
}

/// An operation as generated code would declare it, and its fixed query.
type Described = (
    &'static pathbound_runtime::Operation,
    &'static [(&'static str, &'static str)],
);

impl Runner {
    /// A runner whose client shows every successful body to `checker`.
    pub fn new(checker: &Arc<Checker>, target: &Target) -> Result<Self, String> {
        let model = checker.model();
        let api: &'static ApiDefaults = Box::leak(Box::new(ApiDefaults {
            base_url: leak(&model.api.base_url),
            api_key_env: leak(&model.api.api_key_env),
            base_url_env: leak(&model.api.base_url_env),
            user_agent: concat!("pathbound-drift/", env!("CARGO_PKG_VERSION")),
        }));
        let observer = Arc::clone(checker);
        let mut builder = ClientBuilder::<Client>::for_api(api)
            .api_key(target.api_key.clone())
            .max_retries(1)
            .timeout(Duration::from_secs(30))
            .observe_responses(move |op: &pathbound_runtime::Operation, body: &[u8]| {
                observer.observe(op.id, body);
            });
        if let Some(url) = &target.base_url {
            builder = builder.base_url(url.clone());
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Runner {
            client,
            guard: Guard::new(model),
            described: HashMap::new(),
        })
    }

    /// Sends `request` for `op` if the guard lets it through; the body read.
    pub async fn send(&mut self, op: &Operation, request: &Request) -> Result<Value, Skip> {
        let path = plan::render_path(&op.path, &request.path_args);
        self.guard.check(op.method, &path).map_err(Skip::Refused)?;
        let (runtime_op, fixed) = *self
            .described
            .entry(op.id.clone())
            .or_insert_with(|| describe(op));
        let options = RequestOptions::new();
        let args: Vec<&str> = request.path_args.iter().map(String::as_str).collect();
        let mut call = Call::new(runtime_op, &options)
            .path_args(&args)
            .fixed_query(fixed)
            .query(&request.query)
            .map_err(|e| Skip::Failed(e.to_string()))?;
        if let Some(body) = &request.body {
            call = call.json(body).map_err(|e| Skip::Failed(e.to_string()))?;
        }
        if let Some(value) = &request.scope_value {
            call = call.scope_param(value);
        }
        match self.client.execute(call).await {
            Ok(response) => Ok(serde_json::from_slice(response.body()).unwrap_or(Value::Null)),
            Err(e) if e.is_unauthorized() => Err(Skip::Unauthorized(e.to_string())),
            Err(e) if e.is_forbidden() => Err(Skip::Scope(op.possible_scopes().join("` or `"))),
            Err(e) => Err(Skip::Failed(e.to_string())),
        }
    }
}

/// A `'static` copy of `text`. A runner describes each operation to the runtime
/// once ([`describe`]), so what is leaked is bounded by the spec: a few hundred
/// bytes per operation, once per run.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The runtime's description of `op`, as generated code would declare it,
/// and its fixed query pairs.
fn describe(op: &Operation) -> Described {
    let fixed: &'static [(&'static str, &'static str)] = Box::leak(
        op.fixed_query
            .iter()
            .map(|(k, v)| (leak(k), leak(v)))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    (runtime_operation(op), fixed)
}

/// The runtime's description of `op`.
fn runtime_operation(op: &Operation) -> &'static pathbound_runtime::Operation {
    let scope_by = op.scope_by.as_ref().map(|by| pathbound_runtime::ScopeBy {
        param: leak(&by.param),
        values: Box::leak(
            by.values
                .iter()
                .map(|(v, s)| (leak(v), leak(s)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
    });
    Box::leak(Box::new(pathbound_runtime::Operation {
        id: leak(&op.id),
        method: op.method,
        path: leak(&op.path),
        scope: op.scope.as_deref().map(leak),
        scope_by,
        auth: op.auth,
        retry_safe: op.retry_safe,
    }))
}
