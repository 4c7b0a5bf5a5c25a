//! The `pathbound` binary's contract, run against the mock over loopback:
//! `--all` walks every page lazily, exit codes, `--dry-run`, `--body`, profiles,
//! output formats, `--mock` and `--debug`.

mod support;

use pathbound_mock::{KEY_ALL, KEY_READ_ONLY};
use support::*;

#[test]
fn all_prints_every_item_of_the_list_as_ndjson() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let first = cli.ok(&["events", "list", "--limit", "1"]);
    let total = first["total_items"].as_u64().unwrap();
    assert!(total > 25, "the seeded list spans several pages: {total}");
    let before = mock.server.hits("events.list");
    let run = cli.run(&["events", "list", "--all", "--limit", "10"]);
    assert_eq!(run.code, 0, "{run:?}");
    let items = run.lines();
    assert_eq!(
        items.len() as u64,
        total,
        "one line per item of the whole list"
    );
    let mut ids: Vec<&str> = items
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, total, "no item twice");
    assert_eq!(
        mock.server.hits("events.list") - before,
        total.div_ceil(10),
        "one request per page"
    );
}

#[test]
fn max_items_stops_the_walk_without_fetching_further_pages() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let before = mock.server.hits("contacts.list");
    let run = cli.run(&[
        "contacts",
        "list",
        "--all",
        "--limit",
        "2",
        "--max-items",
        "3",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.lines().len(), 3);
    assert_eq!(
        mock.server.hits("contacts.list") - before,
        2,
        "pages 1 and 2 only"
    );
    // --max-items means nothing without --all.
    cli.fails(2, &["contacts", "list", "--max-items", "3"]);
}

#[test]
fn api_errors_exit_1_with_the_message_details_and_scope_on_stderr() {
    let mock = Mock::start();
    let unauthorized = mock.cli("sk_test_wrong").fails(1, &["auth", "status"]);
    assert!(
        unauthorized.stderr.contains("401"),
        "{}",
        unauthorized.stderr
    );
    assert!(
        unauthorized.stderr.contains("PATHBOUND_API_KEY"),
        "{}",
        unauthorized.stderr
    );
    assert!(
        !unauthorized.stderr.contains("sk_test_wrong"),
        "the key is never shown"
    );

    let forbidden = mock
        .cli(KEY_READ_ONLY)
        .fails(1, &["contacts", "create", "ada@example.com"]);
    assert!(
        forbidden.stderr.contains("Forbidden"),
        "{}",
        forbidden.stderr
    );
    assert!(
        forbidden.stderr.contains("contacts:write"),
        "names the missing scope: {}",
        forbidden.stderr
    );

    let cli = mock.cli(KEY_ALL);
    let missing = cli.fails(1, &["contacts", "get", "ct_doesnotexist"]);
    assert!(missing.stderr.contains("404"), "{}", missing.stderr);

    let invalid = cli.fails(1, &["contacts", "create", "not-an-email"]);
    assert!(invalid.stderr.contains("400"), "{}", invalid.stderr);
    assert!(
        invalid
            .stderr
            .contains("\n  - email: must be a valid email address"),
        "the details, one per line: {}",
        invalid.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let before = mock.server.hits("events.list");
    let bad_enum = cli.fails(2, &["events", "list", "--sort-dir", "sideways"]);
    assert!(
        bad_enum.stderr.contains("asc"),
        "lists the values: {}",
        bad_enum.stderr
    );
    let out_of_range = cli.fails(2, &["events", "list", "--limit", "500"]);
    assert!(
        out_of_range.stderr.contains("between 1 and 100"),
        "{}",
        out_of_range.stderr
    );
    cli.fails(2, &["events", "list", "--limit", "many"]);
    cli.fails(2, &["events", "list", "--no-such-flag"]);
    cli.fails(
        2,
        &["contacts", "create", "a@b.c", "--properties", "{not json"],
    );
    cli.fails(2, &["contacts", "create"]);
    cli.fails(
        2,
        &[
            "contacts",
            "create",
            "--body",
            r#"{"email":"a@b.c","nope":1}"#,
        ],
    );
    assert_eq!(mock.server.hits("events.list"), before);
    assert_eq!(mock.server.hits("contacts.create"), 0);
    let no_key = Cli::new()
        .env("PATHBOUND_BASE_URL", mock.server.base_url())
        .fails(2, &["auth", "status"]);
    assert!(
        no_key.stderr.contains("PATHBOUND_API_KEY"),
        "{}",
        no_key.stderr
    );
    // A public endpoint needs no key.
    let health = Cli::new()
        .env("PATHBOUND_BASE_URL", mock.server.base_url())
        .ok(&["health", "check"]);
    assert_eq!(health["status"], "success");
}

#[test]
fn network_failures_exit_3() {
    // A port nothing listens on: bind one, then drop it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = Cli::new().env("PATHBOUND_API_KEY", KEY_ALL).fails(
        3,
        &[
            "--base-url",
            &format!("http://127.0.0.1:{port}/v1"),
            "auth",
            "status",
        ],
    );
    assert!(run.stderr.contains("could not connect"), "{}", run.stderr);
}

#[test]
fn dry_run_prints_the_request_with_the_key_redacted_and_sends_nothing() {
    let mock = Mock::start();
    let cli = mock.cli("sk_test_all");
    let run = cli.run(&[
        "contacts",
        "create",
        "ada@example.com",
        "--properties",
        r#"{"firstname":"Ada"}"#,
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let base = mock.server.base_url();
    assert!(
        run.stdout.starts_with(&format!("POST {base}/contacts\n")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("authorization: Bearer <redacted>"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("content-type: application/json"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r#""email": "ada@example.com""#),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("sk_test_all") && !run.stderr.contains("sk_test_all"));
    assert_eq!(mock.server.hits("contacts.create"), 0, "nothing was sent");

    // Query strings as the client encodes them; a global flag before the command.
    let list = cli.run(&[
        "--dry-run",
        "events",
        "list",
        "--search",
        "a b&c",
        "--include",
        "provenance",
    ]);
    assert_eq!(list.code, 0, "{list:?}");
    let first = list.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!("GET {base}/events?search=a+b%26c&include=provenance")
    );
    assert_eq!(mock.server.hits("events.list"), 0);
    // A value the client refuses is still refused.
    cli.fails(2, &["events", "list", "--limit", "0", "--dry-run"]);
}

#[test]
fn the_body_comes_from_stdin_or_a_file_and_flags_override_its_fields() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let run = cli.run_with_stdin(
        &[
            "contacts",
            "create",
            "--body",
            "-",
            "--properties",
            r#"{"firstname":"Grace"}"#,
        ],
        r#"{"email":"grace@example.com","properties":{"firstname":"Overridden"}}"#,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let created = run.json();
    assert_eq!(
        created["properties"]["email"], "grace@example.com",
        "{created}"
    );
    assert_eq!(created["properties"]["firstname"], "Grace");

    let file = std::env::temp_dir().join(format!("pathbound-cli-body-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"email":"file@example.com"}"#).unwrap();
    let from_file = cli.ok(&[
        "contacts",
        "create",
        "--body",
        &format!("@{}", file.display()),
    ]);
    assert_eq!(from_file["properties"]["email"], "file@example.com");
    // The argument beats the body's field.
    let argument = cli.ok(&[
        "contacts",
        "create",
        "arg@example.com",
        "--body",
        &format!("@{}", file.display()),
    ]);
    assert_eq!(argument["properties"]["email"], "arg@example.com");
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn profiles_give_the_key_and_base_url() {
    let mock = Mock::start();
    let dir = std::env::temp_dir().join(format!("pathbound-cli-profiles-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pathbound")).unwrap();
    std::fs::write(
        dir.join("pathbound/config.toml"),
        format!(
            "[default]\napi_key = \"{KEY_READ_ONLY}\"\nbase_url = \"{url}\"\n\n[admin]\napi_key = \"{KEY_ALL}\"\nbase_url = \"{url}\"\n",
            url = mock.server.base_url()
        ),
    )
    .unwrap();
    // Found through XDG_CONFIG_HOME, with nothing else set.
    let cli = Cli::new()
        .env("PATHBOUND_CONFIG", "")
        .env("XDG_CONFIG_HOME", &dir.to_string_lossy());
    let default = cli.ok(&["auth", "status"]);
    let admin = cli.ok(&["auth", "status", "--profile", "admin"]);
    assert_ne!(
        default["scopes"], admin["scopes"],
        "two keys: {default} {admin}"
    );
    // The read-only default cannot write; the admin profile can.
    cli.fails(1, &["contacts", "create", "p@example.com"]);
    cli.ok(&["--profile", "admin", "contacts", "create", "p@example.com"]);
    // An explicit profile beats the environment's key.
    let env = cli.clone().env("PATHBOUND_API_KEY", "sk_test_wrong");
    env.ok(&["auth", "status", "--profile", "admin"]);
    env.fails(1, &["auth", "status"]);
    let unknown = cli.fails(2, &["auth", "status", "--profile", "nope"]);
    assert!(
        unknown.stderr.contains("admin, default"),
        "{}",
        unknown.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn table_output_aligns_the_items_of_a_list() {
    let mock = Mock::start();
    let run = mock.cli(KEY_ALL).run(&["segments", "list", "-o", "table"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines[0];
    assert!(
        header.contains("SEGMENT_ID") && header.contains("NAME"),
        "{header}"
    );
    // Every column after the first starts where the header's does, after two spaces.
    let bytes = header.as_bytes();
    let starts: Vec<usize> = (1..bytes.len())
        .filter(|&i| bytes[i] != b' ' && bytes[i - 1] == b' ')
        .collect();
    assert_eq!(
        starts.len(),
        header.split_whitespace().count() - 1,
        "{header}"
    );
    assert!(lines.len() > 2, "{}", run.stdout);
    for line in &lines[1..] {
        assert!(line.contains("seg_"), "{line}");
        for &at in &starts {
            assert_eq!(&line[at - 2..at], "  ", "aligned:\n{}", run.stdout);
            assert_ne!(line.as_bytes()[at], b' ', "aligned:\n{}", run.stdout);
        }
    }
}

#[test]
fn mock_flag_runs_offline_and_says_so() {
    let run = Cli::new().run(&["--mock", "contacts", "list", "--limit", "2"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("bundled mock server"), "{}", run.stderr);
    assert_eq!(run.json()["contacts"].as_array().unwrap().len(), 2);
    // Piped: compact JSON on one line.
    assert_eq!(run.stdout.trim_end().lines().count(), 1);
}

#[test]
fn debug_shows_the_request_id_and_the_spans() {
    let mock = Mock::start();
    let run = mock.cli(KEY_ALL).run(&["health", "check", "--debug"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("request id: req_mock_"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pathbound.request"), "{}", run.stderr);
    let failed = mock
        .cli(KEY_ALL)
        .fails(1, &["contacts", "get", "ct_nope", "--debug"]);
    assert!(
        failed.stderr.contains("request id: req_mock_"),
        "{}",
        failed.stderr
    );
}

#[test]
fn secrets_given_as_flags_draw_a_warning() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let sender = text(&cli.ok(&["identities", "list"]), "/0/identity_id");
    let run = cli.run(&[
        "identities",
        "linkedin-login",
        &sender,
        "--username",
        "a@example.com",
        "--password",
        "hunter2",
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("warning: --password"), "{}", run.stderr);
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Cli::new().run(&["completions", shell]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains("contacts"), "{shell}");
        assert!(run.stdout.contains("list-notes"), "{shell}");
    }
    Cli::new().fails(2, &["completions", "tcsh"]);
}

#[test]
fn the_mock_command_serves_in_the_foreground_and_keeps_state_between_commands() {
    use std::io::BufRead;
    /// Stops the server however the test ends.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_pathbound"))
            .args(["mock", "--port", "0", "--quiet", "--key", "sk_test_mine=*"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(server.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("Pathbound mock listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    // The mock's own flags (here --key) are `pathbound-mock`'s parser's.
    let cli = Cli::new()
        .env("PATHBOUND_BASE_URL", &url)
        .env("PATHBOUND_API_KEY", "sk_test_mine");
    let created = cli.ok(&["contacts", "create", "shared@example.com"]);
    let id = text(&created, "/contact_id");
    let again = cli.ok(&["contacts", "get", &id]);
    assert_eq!(again["contact"]["contact_id"], created["contact_id"]);
    drop(server);

    let usage = Cli::new().run(&["mock", "--help"]);
    assert_eq!(usage.code, 0);
    assert!(
        usage.stdout.contains("pathbound mock [OPTIONS]"),
        "{}",
        usage.stdout
    );
    Cli::new().fails(2, &["mock", "--port", "notaport"]);
}

/// Splits a README command line like a shell would for these lines: words,
/// `'single quoted'` text, a trailing `# comment`.
fn shell_words(line: &str) -> Vec<String> {
    let line = line.split("  #").next().unwrap_or(line);
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn the_readme_commands_run_offline() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("## The `pathbound` command line")
        .nth(1)
        .expect("the README has a CLI section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let commands: Vec<Vec<String>> = block
        .lines()
        .filter(|l| l.starts_with("pathbound "))
        .map(shell_words)
        .collect();
    assert_eq!(commands.len(), 5, "{block}");
    for words in commands {
        assert_eq!(words[1], "--mock", "offline: {words:?}");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let run = Cli::new().run(&args);
        assert_eq!(run.code, 0, "{words:?}: {run:?}");
        assert!(!run.stdout.is_empty(), "{words:?}");
    }
}
