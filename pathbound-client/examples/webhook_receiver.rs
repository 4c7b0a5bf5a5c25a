//! A small webhook receiver: verifies each delivery's signature with
//! `verify_delivery`, dispatches on its typed kind and answers `200`.
//!
//! ```text
//! PATHBOUND_WEBHOOK_SECRET=whsec_local cargo run -p pathbound-client --example webhook_receiver
//! cargo run -p pathbound-mock -- --webhook http://127.0.0.1:3000/hooks --webhook-secret whsec_local
//! cargo run -p pathbound-mock -- trigger page_view
//! ```
//!
//! Answers: `200` for a verified delivery, of a known kind or not (an unknown
//! kind is logged and acknowledged, so the sender does not retry it); `401`
//! when the signature is missing or wrong; `400` for a verified body that does
//! not decode; `405` for anything but `POST`. Options: `--port PORT` (default
//! 3000). The secret comes from `PATHBOUND_WEBHOOK_SECRET` and is never
//! printed.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use pathbound_client::webhooks_verify::{
    Delivery, SIGNATURE_HEADER, WebhookError, verify_delivery,
};
use tokio::net::TcpListener;

/// The largest delivery body read.
const MAX_BODY: usize = 1024 * 1024;

#[tokio::main]
async fn main() -> Result<(), String> {
    let secret = match std::env::var("PATHBOUND_WEBHOOK_SECRET") {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            return Err(
                "set PATHBOUND_WEBHOOK_SECRET to the subscription's signing secret \
                 (the --webhook-secret given to pathbound-mock)"
                    .into(),
            );
        }
    };
    let mut port: u16 = 3000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().unwrap_or_default();
                port = value
                    .parse()
                    .map_err(|_| format!("invalid port {value:?}"))?;
            }
            other => return Err(format!("unknown option {other:?}; expected --port PORT")),
        }
    }
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!(
        "webhook receiver on http://{} (any path); Ctrl-C to stop",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let secret: Arc<[u8]> = secret.into_bytes().into();
    loop {
        let (stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let secret = Arc::clone(&secret);
        tokio::spawn(async move {
            let service = service_fn(move |req| receive(req, Arc::clone(&secret)));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Verifies, decodes and dispatches one delivery.
async fn receive(
    req: Request<Incoming>,
    secret: Arc<[u8]>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.method() != hyper::Method::POST {
        return Ok(answer(StatusCode::METHOD_NOT_ALLOWED, "POST only"));
    }
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The raw bytes, exactly as received: the signature covers them.
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(answer(StatusCode::BAD_REQUEST, "unreadable body")),
    };
    let delivery = match verify_delivery(&secret, signature.as_deref(), &body) {
        Ok(delivery) => delivery,
        Err(error @ WebhookError::InvalidPayload(_)) => {
            eprintln!("verified, but the body does not decode: {error}");
            return Ok(answer(StatusCode::BAD_REQUEST, "undecodable delivery"));
        }
        Err(error) => {
            // The error never contains the secret or the body.
            eprintln!("rejected a delivery: {error}");
            return Ok(answer(StatusCode::UNAUTHORIZED, "invalid signature"));
        }
    };
    match delivery {
        Delivery::Event(event) => println!(
            "event {} {} contact={} url={}",
            event.event.as_deref().unwrap_or("?"),
            event.event_id,
            event.internal_contact_id().unwrap_or("-"),
            event.url().unwrap_or("-"),
        ),
        Delivery::Contact { action, delivery } => println!(
            "contact {} {}",
            action.map_or_else(|| "changed".to_owned(), |a| wire(&a)),
            delivery
                .data
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok())
                .and_then(|c| c["contact_id"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "-".into()),
        ),
        Delivery::Company { action, delivery } => println!(
            "company {} {}",
            action.map_or_else(|| "changed".to_owned(), |a| wire(&a)),
            delivery
                .data
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok())
                .and_then(|c| c["company_id"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "-".into()),
        ),
        // `Delivery` is non-exhaustive: a kind this version does not know is
        // acknowledged, so the sender does not retry it.
        other => println!(
            "a delivery of a kind this receiver does not handle (id {}); acknowledged",
            other.id().unwrap_or("-")
        ),
    }
    Ok(answer(StatusCode::OK, "ok"))
}

/// A value's wire spelling, e.g. `created`.
fn wire(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => "?".to_owned(),
    }
}

fn answer(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response
}
