//! The top-level command: global flags, the generated resources, `mock` and
//! `completions`; and running one command.

use std::ffi::OsString;
use std::io::IsTerminal;

use clap::{Arg, ArgAction, ArgMatches, Command};
use pathbound_client::{API_KEY_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL};

use crate::command::{Invocation, Operation, resource_command};
use crate::dry_run::{Capture, origin_of, path_of};
use crate::error::{CliError, EXIT_USAGE};
use crate::generated::RESOURCES;
use crate::output::{Format, Output};

const MOCK: &str = "mock";
const BASE_URL: &str = "base-url";
const PROFILE: &str = "profile";
const DRY_RUN: &str = "dry-run";
const OUTPUT: &str = "output";
const DEBUG: &str = "debug";
const COMPLETIONS: &str = "completions";

const AFTER_HELP: &str = "\
Configuration: the API key comes from PATHBOUND_API_KEY or a profile in
~/.config/pathbound/config.toml (or $XDG_CONFIG_HOME/pathbound/config.toml, or
$PATHBOUND_CONFIG), chosen with --profile; the base URL from --base-url,
the profile, or PATHBOUND_BASE_URL.

Exit codes: 0 success, 1 API error (4xx/5xx), 2 usage error, 3 network failure or timeout.

Try it offline: pathbound --mock contacts list --limit 5";

/// The whole command tree.
pub fn command() -> Command {
    let global = |arg: Arg| arg.global(true).help_heading("Global options");
    Command::new("pathbound")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Pathbound API from the command line")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(global(
            Arg::new(MOCK)
                .long(MOCK)
                .action(ArgAction::SetTrue)
                .help("Run against the bundled mock server, started for this command (offline)"),
        ))
        .arg(global(
            Arg::new(BASE_URL)
                .long(BASE_URL)
                .value_name("URL")
                .help("The API root [env: PATHBOUND_BASE_URL]"),
        ))
        .arg(global(
            Arg::new(PROFILE)
                .long(PROFILE)
                .value_name("NAME")
                .help("Use this profile of the config file"),
        ))
        .arg(global(
            Arg::new(DRY_RUN)
                .long(DRY_RUN)
                .action(ArgAction::SetTrue)
                .help("Print the request that would be sent (key redacted) and send nothing"),
        ))
        .arg(global(
            Arg::new(OUTPUT)
                .short('o')
                .long(OUTPUT)
                .value_name("FORMAT")
                .value_parser(["json", "table"])
                .default_value("json")
                .help("Output format: JSON (pretty on a terminal, compact when piped) or aligned columns"),
        ))
        .arg(global(
            Arg::new(DEBUG)
                .long(DEBUG)
                .action(ArgAction::SetTrue)
                .help("Show the request id, the tracing spans and the causes of errors on stderr"),
        ))
        .subcommands(RESOURCES.iter().map(|r| resource_command(r)))
        .subcommand(
            Command::new(MOCK)
                .about("Run the bundled mock server in the foreground (see `pathbound mock --help`)")
                .disable_help_flag(true)
                .arg(
                    Arg::new("args")
                        .num_args(0..)
                        .trailing_var_arg(true)
                        .allow_hyphen_values(true)
                        .value_name("MOCK FLAGS"),
                ),
        )
        .subcommand(
            Command::new(COMPLETIONS)
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// Runs the command line `args` (program name first); returns the exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    let leaf = leaf(&matches);
    let debug = leaf.get_flag(DEBUG);
    if debug {
        use tracing_subscriber::layer::SubscriberExt as _;
        use tracing_subscriber::util::SubscriberInitExt as _;
        // The client's spans and events (`pathbound_runtime`), not the HTTP stack's.
        let only_pathbound = tracing_subscriber::filter::Targets::new()
            .with_target(
                "pathbound_runtime",
                tracing_subscriber::filter::LevelFilter::DEBUG,
            )
            .with_target(
                "pathbound_cli",
                tracing_subscriber::filter::LevelFilter::DEBUG,
            );
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE),
            )
            .with(only_pathbound)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(dispatch(&matches)) {
        Ok(()) => 0,
        // `pathbound … | head`: the reader has gone; stop quietly.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {}", e.message(debug));
            e.exit_code()
        }
    }
}

/// The innermost subcommand's matches (global flags are propagated there).
fn leaf(matches: &ArgMatches) -> &ArgMatches {
    let mut m = matches;
    while let Some((_, sub)) = m.subcommand() {
        m = sub;
    }
    m
}

async fn dispatch(matches: &ArgMatches) -> Result<(), CliError> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(CliError::Usage("a command is required; see --help".into()));
    };
    match name {
        COMPLETIONS => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| CliError::Usage("completions: which shell?".into()))?;
            let mut cmd = command();
            clap_complete::generate(shell, &mut cmd, "pathbound", &mut std::io::stdout());
            Ok(())
        }
        MOCK => {
            let args: Vec<String> = sub
                .get_many::<String>("args")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            serve_mock(args).await
        }
        resource => {
            let op = RESOURCES
                .iter()
                .filter(|r| r.name == resource)
                .flat_map(|r| r.operations)
                .find(|op| sub.subcommand_name() == Some(op.command))
                .ok_or_else(|| {
                    CliError::Usage(format!("{resource}: which operation? see --help"))
                })?;
            let leaf = leaf(sub);
            call(op, leaf).await
        }
    }
}

/// `pathbound mock …`: the mock in the foreground, with `pathbound-mock`'s flags.
async fn serve_mock(args: Vec<String>) -> Result<(), CliError> {
    use pathbound_mock::cli::{Command as MockCommand, USAGE, parse};
    let config = match parse(args).map_err(|e| CliError::Usage(format!("mock: {e}")))? {
        MockCommand::Run(config) => config,
        MockCommand::Help => {
            println!(
                "{}",
                USAGE.replace("pathbound-mock [OPTIONS]", "pathbound mock [OPTIONS]")
            );
            return Ok(());
        }
        // `pathbound mock trigger page_view`: ask a running mock for an event.
        MockCommand::Trigger(trigger) => {
            let summary = trigger
                .send()
                .await
                .map_err(|e| CliError::Usage(format!("mock trigger: {e}")))?;
            println!("{summary}");
            return Ok(());
        }
    };
    let server = config
        .start()
        .await
        .map_err(|e| CliError::Usage(format!("mock: could not start: {e}")))?;
    println!("Pathbound mock listening on {}", server.base_url());
    if let Some(key) = server.keys().first() {
        println!(
            "In another shell:\n  export PATHBOUND_BASE_URL={}\n  export PATHBOUND_API_KEY={}\n  pathbound auth status",
            server.base_url(),
            key.key
        );
    }
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot listen for Ctrl-C ({e}); stopping");
    }
    server.shutdown().await;
    Ok(())
}

/// Runs one operation.
async fn call(op: &'static Operation, m: &ArgMatches) -> Result<(), CliError> {
    let env = |name: &str| std::env::var_os(name);
    let settings = crate::config::resolve(
        m.get_one::<String>(BASE_URL).map(String::as_str),
        m.get_one::<String>(PROFILE).map(String::as_str),
        API_KEY_ENV,
        BASE_URL_ENV,
        &env,
    )?;
    let (mut api_key, mut base_url) = (settings.api_key, settings.base_url);
    let mock = if m.get_flag(MOCK) {
        let server = pathbound_mock::MockServer::builder()
            .start()
            .await
            .map_err(|e| CliError::Usage(format!("--mock: the mock could not start: {e}")))?;
        eprintln!(
            "pathbound: --mock: using the bundled mock server at {} (offline; its data lasts for this command only)",
            server.base_url()
        );
        // The mock knows only its own keys: use the given one if it is one of them.
        if !api_key
            .as_deref()
            .is_some_and(|k| server.keys().iter().any(|known| known.key == k))
        {
            api_key = Some(pathbound_mock::KEY_ALL.to_owned());
        }
        base_url = Some(server.base_url().to_owned());
        Some(server)
    } else {
        None
    };
    let real_base = base_url
        .clone()
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let capture = if m.get_flag(DRY_RUN) {
        let capture = Capture::start().await.map_err(|e| {
            CliError::Internal(format!("--dry-run: cannot listen on loopback: {e}"))
        })?;
        base_url = Some(format!("{}{}", capture.origin, path_of(&real_base)));
        Some(capture)
    } else {
        None
    };
    let api_key = match api_key {
        Some(key) => key,
        // Never sent: the operation is public.
        None if !op.auth => "unused".to_owned(),
        None => {
            return Err(CliError::Usage(format!(
                "no API key: set {API_KEY_ENV}, or add `api_key` to a profile of the config file (see `pathbound --help`); try `pathbound --mock …` to work offline"
            )));
        }
    };
    let mut builder = Client::builder()
        .api_key(api_key)
        .user_agent(concat!("pathbound-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    let output = Output {
        format: match m.get_one::<String>(OUTPUT).map(String::as_str) {
            Some("table") => Format::Table,
            _ => Format::Json,
        },
        pretty: std::io::stdout().is_terminal(),
        debug: m.get_flag(DEBUG),
    };
    let invocation = Invocation::new(op, m, output, &mut std::io::stdin().lock())?;
    let result = (op.run)(client, invocation).await;
    let result = match capture {
        Some(capture) => match capture.take().await {
            Some(request) => {
                let text = request.render(origin_of(&real_base));
                let mut out = std::io::stdout().lock();
                std::io::Write::write_all(&mut out, text.as_bytes()).map_err(CliError::Output)
            }
            // The client refused before sending (a value out of range, …).
            None => result,
        },
        None => result,
    };
    if let Some(server) = mock {
        server.shutdown().await;
    }
    result
}
