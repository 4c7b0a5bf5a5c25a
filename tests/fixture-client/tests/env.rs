//! `Client::from_env` should read the variables the spec names
//! (`auth.api_key_env`, `auth.base_url_env`). The only test in this binary, so
//! setting the process environment cannot race with another test.

use fixture_client::Client;

#[test]
fn from_env_reads_the_specs_variables() {
    assert_eq!(fixture_client::API_KEY_ENV, "KITCHEN_API_KEY");
    assert_eq!(fixture_client::BASE_URL_ENV, "KITCHEN_BASE_URL");
    // SAFETY: this binary has a single test and starts no other thread, so
    // nothing reads the environment concurrently.
    unsafe {
        std::env::remove_var("PATHBOUND_API_KEY");
        std::env::remove_var("PATHBOUND_BASE_URL");
        std::env::set_var(fixture_client::API_KEY_ENV, "sk_from_env");
        std::env::set_var(fixture_client::BASE_URL_ENV, "http://127.0.0.1:9/kitchen");
    }
    let client = Client::from_env()
        .unwrap_or_else(|e| panic!("from_env ignored {}: {e}", fixture_client::API_KEY_ENV));
    assert_eq!(client.base_url(), "http://127.0.0.1:9/kitchen");
}
