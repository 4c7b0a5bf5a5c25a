//! Property tests: mutate the real spec in every way a person (or a bad merge)
//! might, and check that the generator never panics, always answers with located
//! errors, and never emits code that does not parse.

use std::path::Path;

use pathbound_codegen::ast::SourceFile;
use pathbound_codegen::{Error, generate_files};
use proptest::prelude::*;
use serde_yaml::Value;

fn real_spec() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    match pathbound_codegen::load::read_spec(&root, "spec") {
        Ok(files) => files,
        Err(e) => panic!("{e}"),
    }
}

/// Runs the generator and checks the shape of its answer.
fn check(files: Vec<SourceFile>) -> Result<(), TestCaseError> {
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    match generate_files(files) {
        Ok(generated) => prop_assert!(!generated.is_empty()),
        Err(Error::Emit(e)) => {
            return Err(TestCaseError::fail(format!(
                "the generator emitted invalid code: {e}"
            )));
        }
        Err(Error::Spec(diagnostics)) => {
            prop_assert!(!diagnostics.is_empty());
            for d in diagnostics.iter() {
                prop_assert!(
                    names.contains(&d.file),
                    "error names an unknown file: {}",
                    d.file
                );
                prop_assert!(!d.message.is_empty());
                let shown = d.to_string();
                prop_assert!(shown.contains(&format!("--> {}", d.file)), "{shown}");
            }
        }
    }
    Ok(())
}

/// Every path to a node of a YAML value, as a list of keys / indexes.
fn node_paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                here.push(k.clone());
                node_paths(child, here, out);
                here.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Value::from(i as u64));
                node_paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(v);
    };
    let child = match v {
        Value::Mapping(m) => m.get_mut(first)?,
        Value::Sequence(items) => items.get_mut(first.as_u64()? as usize)?,
        _ => return None,
    };
    node_mut(child, rest)
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete,
    Replace(Value),
    InsertKey(String),
    RenameReference,
}

fn junk_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        "[a-zA-Z_:{}/ ]{0,12}".prop_map(Value::String),
        Just(Value::Sequence(vec![Value::from("x")])),
        Just(Value::Mapping(Default::default())),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Delete),
        junk_value().prop_map(Mutation::Replace),
        "[a-z_]{1,10}".prop_map(Mutation::InsertKey),
        Just(Mutation::RenameReference),
    ]
}

/// Applies `mutation` at the `pick`-th node of the file.
fn mutate(text: &str, pick: usize, mutation: &Mutation) -> Option<String> {
    let mut value: Value = serde_yaml::from_str(text).ok()?;
    let mut paths = Vec::new();
    node_paths(&value, &mut Vec::new(), &mut paths);
    let path = paths.get(pick % paths.len())?.clone();
    match mutation {
        Mutation::Delete => {
            let (last, parent) = path.split_last()?;
            match node_mut(&mut value, parent)? {
                Value::Mapping(m) => {
                    m.remove(last);
                }
                Value::Sequence(items) => {
                    let i = last.as_u64()? as usize;
                    if i < items.len() {
                        items.remove(i);
                    }
                }
                _ => return None,
            }
        }
        Mutation::Replace(v) => *node_mut(&mut value, &path)? = v.clone(),
        Mutation::InsertKey(k) => {
            if let Value::Mapping(m) = node_mut(&mut value, &path)? {
                m.insert(Value::from(k.as_str()), Value::from("junk"));
            }
        }
        Mutation::RenameReference => {
            if let Value::String(s) = node_mut(&mut value, &path)? {
                *s = format!("{s}X");
            }
        }
    }
    serde_yaml::to_string(&value).ok()
}

proptest! {
    // 96 cases per property in CI; `PROPTEST_CASES=5000` for a longer campaign.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn structural_mutations_give_located_errors_never_panics(file in 0usize..64, pick in any::<usize>(), m in mutation()) {
        let mut files = real_spec();
        let i = file % files.len();
        if let Some(text) = mutate(&files[i].text, pick, &m) {
            files[i].text = text;
            check(files)?;
        }
    }

    #[test]
    fn truncated_files_give_located_errors(file in 0usize..64, cut in any::<usize>()) {
        let mut files = real_spec();
        let i = file % files.len();
        let text = &files[i].text;
        let mut at = cut % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        files[i].text = text[..at].to_string();
        check(files)?;
    }

    #[test]
    fn random_bytes_as_a_spec_file_never_panic(file in 0usize..64, bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut files = real_spec();
        let i = file % files.len();
        files[i].text = String::from_utf8_lossy(&bytes).into_owned();
        check(files)?;
    }

    #[test]
    fn random_yaml_like_text_never_panics(text in "[a-z_:{}\\[\\], \\n-]{0,300}") {
        check(vec![SourceFile { name: "spec/api.yaml".into(), text }])?;
    }
}
