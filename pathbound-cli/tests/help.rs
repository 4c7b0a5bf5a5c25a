//! The help text, from the spec: every operation of the spec has a command
//! whose `--help` shows its method and path, its scope and its documented
//! errors; and the help of a few commands is snapshotted for review.

mod support;

use std::path::Path;

use pathbound_codegen::backend::cli;
use pathbound_codegen::backend::rust::naming;
use support::Cli;

#[test]
fn every_spec_operation_has_a_command_whose_help_comes_from_the_spec() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let model = match pathbound_model::load_dir(&spec, "spec") {
        Ok(model) => model,
        Err(e) => panic!("the spec does not load:\n{e}"),
    };
    let prefix = model.path_prefix();
    let mut root = pathbound_cli::command();
    let mut count = 0;
    for op in model.operations() {
        let resource = root
            .find_subcommand_mut(&op.resource)
            .unwrap_or_else(|| panic!("no `pathbound {}` command", op.resource));
        let name = op.name.replace('_', "-");
        let command = resource
            .find_subcommand_mut(&name)
            .unwrap_or_else(|| panic!("no `pathbound {} {name}` command", op.resource));
        let help = command.render_long_help().to_string();
        let line = format!("{} {prefix}{}", op.method.as_str(), op.path);
        assert!(help.contains(&line), "{}: {line} not in\n{help}", op.id);
        assert!(help.contains(op.summary.trim()), "{}: summary", op.id);
        for scope in op.possible_scopes() {
            assert!(
                help.contains(scope),
                "{}: scope {scope} not in\n{help}",
                op.id
            );
        }
        for (code, _) in &op.errors {
            assert!(
                help.contains(&format!("  {code}  ")),
                "{}: error {code}",
                op.id
            );
        }
        let body = op.body.iter().flat_map(|b| &b.fields);
        for f in op.path_params.iter().chain(&op.query).chain(body) {
            // The flag is the Rust setter's name, as the Rust backend decides it.
            let flag = cli::flag(&naming::field_name(f));
            assert!(
                help.contains(&format!("--{flag} "))
                    || help.contains(&flag.to_uppercase().replace('-', "_")),
                "{}: parameter {} not in\n{help}",
                op.id,
                f.wire
            );
        }
        count += 1;
    }
    assert!(count > 50, "{count}");
}

fn help(args: &[&str]) -> String {
    let run = Cli::new().run(args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "");
    run.stdout
}

#[test]
fn help_snapshots() {
    insta::assert_snapshot!("root", help(&["--help"]));
    insta::assert_snapshot!("contacts_create", help(&["contacts", "create", "--help"]));
    insta::assert_snapshot!("events_list_short", help(&["events", "list", "-h"]));
    insta::assert_snapshot!("batch_aggregate", help(&["batch", "aggregate", "--help"]));
    insta::assert_snapshot!("actions_approve", help(&["actions", "approve", "--help"]));
}
