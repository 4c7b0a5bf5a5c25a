//! `cargo run -p pathbound-mock -- --port 4010`: serves the mock until Ctrl-C.

#![forbid(unsafe_code)]

use pathbound_mock::cli::{self, Command, USAGE};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return std::process::ExitCode::SUCCESS;
        }
        Ok(Command::Trigger(trigger)) => {
            return match trigger.send().await {
                Ok(summary) => {
                    println!("{summary}");
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    // Under `cargo run`, make sure this binary serves this checkout's spec: with a
    // target directory shared between checkouts, cargo can run a binary built
    // from another checkout (see `spec::check_embedded_against`).
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let spec_dir = std::path::Path::new(&manifest_dir).join("../spec");
        if spec_dir.join("api.yaml").is_file() {
            if let Err(e) = pathbound_mock::spec::check_embedded_against(&spec_dir) {
                eprintln!("error: {e}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let server = match config.start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: could not start the mock: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("Pathbound mock listening on {}", server.base_url());
    println!("API keys:");
    for key in server.keys() {
        let scopes = server.scopes_of(&key.key).unwrap_or_default();
        let shown = if key.scopes.iter().any(|s| s == "*")
            && !key.scopes.iter().any(|s| s.starts_with('-'))
        {
            "all scopes".to_owned()
        } else if scopes.is_empty() {
            "no scopes".to_owned()
        } else {
            scopes.join(", ")
        };
        println!("  {:<20} {shown}", key.key);
    }
    if let Some(first) = server.keys().first() {
        println!(
            "\nTry:\n  export PATHBOUND_BASE_URL={}\n  export PATHBOUND_API_KEY={}\n  curl -H \"Authorization: Bearer $PATHBOUND_API_KEY\" $PATHBOUND_BASE_URL/auth/status\n",
            server.base_url(),
            first.key
        );
    }
    for hook in server.webhooks() {
        println!("Webhook {hook}");
    }
    println!(
        "Serving {} operations. Press Ctrl-C to stop.",
        server.operations().len()
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot listen for Ctrl-C ({e}); stopping");
    }
    println!("\nShutting down…");
    server.shutdown().await;
    println!("Stopped.");
    std::process::ExitCode::SUCCESS
}
