//! The spec's `api` block: `base_url`, `auth.api_key_env` and
//! `auth.base_url_env` become the crate's constants, and should be what the
//! client actually uses.

mod common;

use common::*;
use fixture_client::{Client, Error};

#[test]
fn the_generated_constants_match_the_spec() {
    let spec = spec();
    let api = &spec["api"];
    assert_eq!(
        fixture_client::DEFAULT_BASE_URL,
        api["base_url"].as_str().unwrap()
    );
    assert_eq!(
        fixture_client::API_KEY_ENV,
        api["auth"]["api_key_env"].as_str().unwrap()
    );
    assert_eq!(
        fixture_client::BASE_URL_ENV,
        api["auth"]["base_url_env"].as_str().unwrap()
    );
    assert_eq!(api["auth"]["scheme"].as_str(), Some("bearer"));
}

#[test]
fn the_builder_needs_a_key_and_keeps_the_base_url_given() {
    match Client::builder().base_url("http://127.0.0.1:9/v2").build() {
        Err(Error::Config(message)) => assert!(message.contains("no API key"), "{message}"),
        other => panic!("expected a Config error, got {other:?}"),
    }
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9/v2/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v2");
    // the key never shows in Debug
    assert!(!format!("{client:?}").contains(KEY));
}

#[test]
fn a_client_without_a_base_url_uses_the_specs() {
    let client = Client::new(KEY).unwrap();
    assert_eq!(client.base_url(), fixture_client::DEFAULT_BASE_URL);
    let client = Client::builder().api_key(KEY).build().unwrap();
    assert_eq!(client.base_url(), fixture_client::DEFAULT_BASE_URL);
}

#[test]
fn the_missing_key_error_names_the_specs_variable() {
    match Client::builder().build() {
        Err(Error::Config(message)) => {
            assert!(message.contains(fixture_client::API_KEY_ENV), "{message}");
            assert!(!message.contains("PATHBOUND"), "{message}");
        }
        other => panic!("expected a Config error, got {other:?}"),
    }
}
