//! Every operation of the command tree, with values derived from its parameter
//! types, renders the request the client would send (`--dry-run`): the command
//! parses, the values convert to the client's types, and the method and URL
//! are the spec's. Then every operation runs for real against the mock with
//! the same values. New endpoints are covered with no edit here.

mod support;

use pathbound_cli::command::Kind;
use pathbound_mock::KEY_ALL;
use support::{Cli, Mock};

const BASE: &str = "https://api.example.test/v1";

/// A value of `kind` for the parameter `wire`.
fn sample(kind: &Kind, wire: &str) -> String {
    match kind {
        Kind::Text => format!("x_{wire}"),
        Kind::Secret => "s3cret".into(),
        Kind::Integer | Kind::Number => "1".into(),
        Kind::Boolean => "true".into(),
        Kind::Choice(values) => values[0].into(),
        Kind::Json | Kind::Any => "{}".into(),
        Kind::List(inner) => sample(inner, wire),
    }
}

#[test]
fn every_operation_renders_its_request_from_spec_derived_values() {
    let cli = Cli::new()
        .env("PATHBOUND_API_KEY", "sk_test_dry")
        .env("PATHBOUND_BASE_URL", BASE);
    let mut count = 0;
    for resource in pathbound_cli::resources() {
        for op in resource.operations {
            let mut args = vec![resource.name.to_owned(), op.command.to_owned()];
            let mut path = op.path.to_owned();
            for p in op.params.iter().filter(|p| p.required) {
                let value = sample(&p.kind, p.wire);
                path = path.replace(&format!("{{{}}}", p.wire), &value);
                args.push(value);
            }
            args.push("--dry-run".into());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = cli.run(&args);
            assert_eq!(run.code, 0, "{}: {args:?}: {run:?}", op.id);
            let first = run.stdout.lines().next().unwrap_or_default();
            let origin = BASE.trim_end_matches("/v1");
            let expected = format!("{} {origin}{path}", op.method);
            assert!(
                first == expected || first.starts_with(&format!("{expected}?")),
                "{}: {first} is not {expected}",
                op.id
            );
            let key_line = run.stdout.lines().find(|l| l.starts_with("authorization:"));
            match (op.auth, key_line) {
                (true, Some(line)) => assert_eq!(line, "authorization: Bearer <redacted>"),
                (false, None) => {}
                other => panic!("{}: auth {other:?}", op.id),
            }
            assert!(!run.stdout.contains("sk_test_dry"), "{}", op.id);
            count += 1;
        }
    }
    assert!(count > 50, "{count}");
}

/// The same spec-derived calls, sent: each reaches the mock and ends in a
/// success (exit 0) or an API error (exit 1; made-up ids meet 404s), never in
/// a usage error (2) or a network failure (3).
#[test]
fn every_operation_runs_against_the_mock_from_spec_derived_values() {
    let mock = Mock::start();
    let cli = mock.cli(KEY_ALL);
    let mut ok = 0;
    for resource in pathbound_cli::resources() {
        for op in resource.operations {
            let mut args = vec![resource.name.to_owned(), op.command.to_owned()];
            for p in op.params.iter().filter(|p| p.required) {
                args.push(sample(&p.kind, p.wire));
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = cli.run(&args);
            assert!(matches!(run.code, 0 | 1), "{}: {args:?}: {run:?}", op.id);
            assert!(
                mock.server.hits(op.id) > 0,
                "{}: the mock never saw it",
                op.id
            );
            ok += usize::from(run.code == 0);
        }
    }
    // The lists, counts and creates need no existing object (18 today).
    assert!(ok >= 15, "{ok} operations succeeded");
}
