//! Property tests: mutate the real spec in every way a person (or a bad merge)
//! might, and check that the generator never panics, always answers with located
//! errors, and never emits code that does not parse. Then the same for names:
//! specs whose names, enum values and wire names are arbitrary text, whose
//! generated code must parse and, for a small fixed sample, compile.

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

// ---------------------------------------------------------------------------
// Names: every wire text the spec format accepts where the Rust backend makes an
// identifier of it (scopes, schema names, enum values, field, parameter and body
// wire names, union variants, resources, endpoints) either becomes code that
// parses (and, for a sample, compiles), or is rejected with located errors.
// ---------------------------------------------------------------------------

/// Text that has broken, or could break, a generated identifier, and that has
/// a Rust spelling: keywords (`self` cannot even be a raw identifier), Latin
/// letters, digits first, punctuation, empty-looking text.
#[rustfmt::skip]
const SPELLABLE_WORDS: &[&str] = &[
    "self", "Self", "super", "crate", "_", "__", "type", "gen", "async", "match", "r#type", "value",
    "Empty", "names", "", " ", "-", "$ref", "9lives", "größe", "Größe", "GRÖSSE", "café",
    "cafe\u{301}", "niño", "ÆRØ", "5–10", "İstanbul", "a.b", "x-y", "contacts:read", "ß",
    "a\u{308}b", "\u{a0}", "std", "serde", "core", "Box", "Some", "Into",
];

/// Text the Rust backend may have to reject: reserved names, no ASCII spelling.
#[rustfmt::skip]
const REJECTED_WORDS: &[&str] = &[
    "Unknown", "unknown", "extra", "send", "query", "body", "client", "options", "名前", "🙂", "€",
    "Ǆ", "имя",
];

/// A name with a Rust spelling: mostly hard words, sometimes ASCII or Latin junk.
fn spellable_name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => proptest::sample::select(SPELLABLE_WORDS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9_ .:$-]{0,10}",
        1 => "[a-zA-Zäöüßéñøæœ_ÄÖÜÉ]{1,8}",
    ]
    .boxed()
}

/// Any name: the above, words to reject, or any printable text.
fn any_name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => spellable_name(),
        1 => proptest::sample::select(REJECTED_WORDS).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ]
    .boxed()
}

/// Schema names to try: PascalCase, some of them taken by Rust or the runtime.
#[rustfmt::skip]
const SCHEMA_NAMES: &[&str] = &[
    "Thing", "Names", "Empty", "V2", "Self", "Box", "Some", "Into", "Unknown", "Client",
    "ThingSelfNames",
];

/// Resource, endpoint and path parameter names to try: snake_case, some of
/// them keywords or taken by the generated code.
#[rustfmt::skip]
const SPEC_NAMES: &[&str] = &[
    "things", "type", "gen", "async", "match", "std", "serde", "core", "list", "id", "self",
    "super", "crate", "clone", "query", "body", "_", "9lives",
];

/// A schema name: one of [`SCHEMA_NAMES`] (the first `usual` of them), any
/// PascalCase word, or (when `usual` is all of them) `name`.
fn schema_name(name: BoxedStrategy<String>, usual: usize) -> BoxedStrategy<String> {
    let other = if usual == SCHEMA_NAMES.len() { 1 } else { 0 };
    prop_oneof![
        3 => proptest::sample::select(&SCHEMA_NAMES[..usual]).prop_map(str::to_string),
        1 => "[A-Z][a-zA-Z0-9]{0,8}",
        other => name,
    ]
    .boxed()
}

/// A resource, endpoint or path parameter name, as [`schema_name`].
fn spec_name(name: BoxedStrategy<String>, usual: usize) -> BoxedStrategy<String> {
    let other = if usual == SPEC_NAMES.len() { 1 } else { 0 };
    prop_oneof![
        3 => proptest::sample::select(&SPEC_NAMES[..usual]).prop_map(str::to_string),
        1 => "[a-z][a-z0-9_]{0,8}",
        other => name,
    ]
    .boxed()
}

/// The names of one generated spec (see [`names_spec`] for where each goes).
#[derive(Debug, Clone)]
struct Names {
    scopes: Vec<String>,
    object: String,
    fields: Vec<String>,
    enumeration: String,
    values: Vec<String>,
    variants: Vec<String>,
    resource: String,
    endpoints: Vec<String>,
    path_param: String,
    query: Vec<String>,
    body: Vec<String>,
}

/// Names drawn from `name` (and from the first `usual` schema and spec names).
fn names_from(name: BoxedStrategy<String>, usual: (usize, usize)) -> impl Strategy<Value = Names> {
    let few = |n: std::ops::Range<usize>| proptest::collection::vec(name.clone(), n);
    let (schemas, specs) = usual;
    (
        few(1..3),
        schema_name(name.clone(), schemas),
        few(1..5),
        schema_name(name.clone(), schemas),
        few(1..5),
        few(2..4),
        spec_name(name.clone(), specs),
        proptest::collection::vec(spec_name(name.clone(), specs), 1..3),
        spec_name(name.clone(), specs),
        few(0..3),
        few(0..3),
    )
        .prop_map(
            |(
                scopes,
                object,
                fields,
                enumeration,
                values,
                variants,
                resource,
                endpoints,
                path_param,
                query,
                body,
            )| Names {
                scopes,
                object,
                fields,
                enumeration,
                values,
                variants,
                resource,
                endpoints,
                path_param,
                query,
                body,
            },
        )
}

/// Mostly names that the generator should accept (so that most specs generate
/// code, which must parse), sometimes any text (which must give located errors
/// when it does not work).
fn names() -> impl Strategy<Value = Names> {
    prop_oneof![
        3 => names_from(spellable_name(), (4, 10)),
        1 => names_from(any_name(), (SCHEMA_NAMES.len(), SPEC_NAMES.len())),
    ]
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `{ type: <ty> }`.
fn of_type(ty: &str) -> Value {
    Value::Mapping(serde_yaml::Mapping::from_iter([(
        Value::from("type"),
        Value::from(ty),
    )]))
}

/// A single-file spec that puts `n`'s names everywhere a name becomes an
/// identifier; the rest of the spec is valid.
fn names_spec(n: &Names) -> String {
    use serde_yaml::Mapping;
    let s = |t: &str| Value::from(t);
    let mut root = Mapping::new();
    root.insert(
        s("api"),
        yaml("{ title: Names, version: \"1\", base_url: \"https://api.example.test/v1\", auth: { scheme: bearer, api_key_env: K, base_url_env: U } }"),
    );
    let mut scopes = Mapping::new();
    for sc in &n.scopes {
        scopes.insert(s(sc), yaml("{ description: A scope. }"));
    }
    root.insert(s("scopes"), Value::Mapping(scopes));

    let mut schemas = Mapping::new();
    let mut fields = Mapping::new();
    for (i, f) in n.fields.iter().enumerate() {
        // Every kind of field: plain, required, aliased (a marker type), typed by the enum.
        let def = match i % 4 {
            0 => yaml("{ type: string }"),
            1 => yaml("{ type: integer, required: true }"),
            2 => yaml("{ type: string, aliases: [other_name] }"),
            _ => of_type(&n.enumeration),
        };
        fields.insert(s(f), def);
    }
    schemas.insert(
        s(&n.object),
        Value::Mapping(Mapping::from_iter([
            (s("description"), s("An object.")),
            (s("additional"), s("keep")),
            (s("fields"), Value::Mapping(fields)),
        ])),
    );
    schemas.insert(
        s(&n.enumeration),
        Value::Mapping(Mapping::from_iter([
            (s("description"), s("An enum.")),
            (
                s("enum"),
                Value::Sequence(n.values.iter().map(|v| s(v)).collect()),
            ),
        ])),
    );
    let types = ["string", "integer", "boolean", "number"];
    schemas.insert(
        s("Choice"),
        Value::Mapping(Mapping::from_iter([
            (s("description"), s("A union.")),
            (
                s("one_of"),
                Value::Mapping(
                    n.variants
                        .iter()
                        .zip(types)
                        .map(|(v, t)| (s(v), s(t)))
                        .collect(),
                ),
            ),
        ])),
    );
    root.insert(s("schemas"), Value::Mapping(schemas));

    let scope = n.scopes.first().map_or("none", String::as_str);
    let mut endpoints = Mapping::new();
    for (i, ep) in n.endpoints.iter().enumerate() {
        let mut e = Mapping::new();
        e.insert(s("summary"), s("An endpoint."));
        e.insert(s("scope"), s(scope));
        if i == 0 {
            // Path parameter, query parameters and an inline body.
            e.insert(s("method"), s("POST"));
            e.insert(s("path"), s(&format!("/things/{{{}}}", n.path_param)));
            e.insert(
                s("path_params"),
                Value::Mapping(Mapping::from_iter([(
                    s(&n.path_param),
                    yaml("{ type: integer }"),
                )])),
            );
            let mut query = Mapping::new();
            for q in &n.query {
                query.insert(s(q), of_type(&n.enumeration));
            }
            if !query.is_empty() {
                e.insert(s("query"), Value::Mapping(query));
            }
            let mut body = Mapping::new();
            for (j, b) in n.body.iter().enumerate() {
                let def = if j == 0 {
                    "{ type: string, required: true }"
                } else {
                    "{ type: \"string[]\", min_items: 1 }"
                };
                body.insert(s(b), yaml(def));
            }
            e.insert(
                s("body"),
                Value::Mapping(Mapping::from_iter([(s("fields"), Value::Mapping(body))])),
            );
            let mut response = Mapping::new();
            response.insert(s("key"), s("thing"));
            response.insert(s("type"), s(&n.object));
            e.insert(s("response"), Value::Mapping(response));
        } else {
            // A paginated list.
            e.insert(s("method"), s("GET"));
            e.insert(s("path"), s("/things"));
            e.insert(
                s("query"),
                yaml("{ page: { type: integer }, limit: { type: integer, max: 100 } }"),
            );
            e.insert(s("response"), yaml("{ type: Choice }"));
            e.insert(s("pagination"), yaml("{ style: page, items: things }"));
        }
        endpoints.insert(s(ep), Value::Mapping(e));
    }
    root.insert(
        s("resources"),
        Value::Mapping(Mapping::from_iter([(
            s(&n.resource),
            Value::Mapping(Mapping::from_iter([(
                s("endpoints"),
                Value::Mapping(endpoints),
            )])),
        )])),
    );
    serde_yaml::to_string(&Value::Mapping(root)).unwrap_or_else(|e| panic!("{e}"))
}

/// What the generator made of a spec: located errors (checked) or files that parse.
fn generate_checked(
    text: String,
) -> Result<Option<Vec<pathbound_codegen::GeneratedFile>>, TestCaseError> {
    let file = "spec/api.yaml".to_string();
    match generate_files(vec![SourceFile {
        name: file.clone(),
        text,
    }]) {
        Ok(generated) => {
            for f in &generated {
                if let Err(e) = syn::parse_file(&f.contents) {
                    return Err(TestCaseError::fail(format!(
                        "{} does not parse: {e}",
                        f.path
                    )));
                }
            }
            Ok(Some(generated))
        }
        Err(Error::Emit(e)) => Err(TestCaseError::fail(format!(
            "the generator emitted invalid code: {e}"
        ))),
        Err(Error::Spec(diagnostics)) => {
            prop_assert!(!diagnostics.is_empty());
            for d in diagnostics.iter() {
                prop_assert_eq!(&d.file, &file);
                prop_assert!(d.line.is_some(), "an error without a line:\n{}", d);
                prop_assert!(!d.message.is_empty());
            }
            Ok(None)
        }
    }
}

proptest! {
    // 96 cases in CI, as above; `PROPTEST_CASES=20000` for a longer campaign.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_names_give_located_errors_or_code_that_parses(n in names()) {
        generate_checked(names_spec(&n))?;
    }
}

/// A spec whose every name is hard: keywords (`self` is not even a raw
/// identifier), Latin letters with an ASCII spelling, empty-looking text.
const HARD_NAMES: &str = r#"
api:
  title: Hard names
  version: "1"
  base_url: https://api.example.test/v1
  auth: { scheme: bearer, api_key_env: K, base_url_env: U }
scopes:
  self:
    description: A scope named like a keyword.
  größe:lesen:
    description: Umlauts and ß.
  "連絡先:読む":
    description: No ASCII spelling, so it says how to write it.
    rust_name: ContactsRead
schemas:
  Relation:
    description: Keywords as enum values.
    enum: [self, super, crate, _, type, gen, 9lives, $ref, Größe, ÄRGER, niño, "5–10"]
  Other:
    description: More enum values.
    enum: [Self, "", café, { value: 🙂, rust_name: Smile }]
  Keywords:
    description: Keywords as field names.
    additional: keep
    fields:
      self: { type: string }
      super: { type: Relation }
      crate: { type: integer }
      type: { type: string }
      _: { type: boolean }
      gen: { type: string }
      größe: { type: number }
      café: { type: string }
      niño: { type: string }
      ÆRØ: { type: string }
      "e\u0301tat": { type: string }
      self_id: { type: string, aliases: [selfId] }
      "名前": { type: string, rust_name: name_jp }
  KeywordsToo:
    description: More.
    fields:
      Self: { type: Other, required: true }
      Größe: { type: Pick }
  Pick:
    description: Keywords as union variants.
    one_of:
      self: string
      crate: integer
      größe: number
resources:
  type:
    endpoints:
      self:
        method: POST
        path: /types/{self}
        scope: self
        summary: Keywords as parameter names.
        path_params:
          self: { type: integer }
        query:
          crate: { type: Relation }
          größe: { type: integer, min: 1 }
        body:
          fields:
            super: { type: string, required: true }
            _: { type: "boolean[]", max_items: 3 }
        response: { key: thing, type: Keywords }
      match:
        method: GET
        path: /types
        scope: größe:lesen
        summary: A paginated list.
        query:
          page: { type: integer }
          limit: { type: integer }
          Self: { type: Other }
        response: { type: KeywordsToo }
        pagination: { style: page, items: types }
"#;

#[test]
fn keywords_and_latin_letters_as_names_generate_code_that_parses() {
    let files = match generate_checked(HARD_NAMES.to_string()) {
        Ok(Some(files)) => files,
        Ok(None) => panic!(
            "{}",
            generate_files(vec![SourceFile {
                name: "spec/api.yaml".into(),
                text: HARD_NAMES.into()
            }])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
        ),
        Err(e) => panic!("{e}"),
    };
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    for expected in [
        // A keyword that cannot be a raw identifier gets a `_`, and serde keeps the wire name.
        "Self_,",
        "#[serde(rename = \"self\", default, skip_serializing_if = \"Option::is_none\")]\n    pub self_: Option<String>,",
        "pub r#type: Option<String>,",
        "pub r#gen: Option<String>,",
        "pub crate_: Option<i64>,",
        "pub super_: Option<Relation>,",
        "pub fn self_(",
        // Latin letters are spelled in ASCII.
        "pub groesse: Option<f64>,",
        "pub cafe: Option<String>,",
        "pub nino: Option<String>,",
        "pub aero: Option<String>,",
        "pub etat: Option<String>,",
        "Groesse,",
        "Aerger,",
        "Nino,",
        "pub const GROESSE_LESEN: Scope",
        "pub const CONTACTS_READ: Scope",
        "Smile,",
    ] {
        assert!(
            all.contains(expected),
            "missing `{expected}` in the generated code:\n{all}"
        );
    }
}

/// A crate that depends on the runtime, to compile generated code in.
fn sample_crate(
    dir: &Path,
    modules: &[(String, Vec<pathbound_codegen::GeneratedFile>)],
) -> std::io::Result<()> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = workspace.canonicalize()?;
    let runtime = workspace.join("pathbound-runtime");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile-names-sample\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\npathbound-runtime = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
             # Not a member of the pathbound workspace.\n[workspace]\n",
            runtime.display().to_string()
        ),
    )?;
    // The workspace's versions, so `--offline` finds them and built dependencies are reused.
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let mut lib =
        String::from("//! Generated code from hostile specs, compiled by `hostile_specs.rs`.\n");
    for (name, files) in modules {
        // As in `tests/fixture-client`: `mod generated; pub use generated::*;`.
        lib.push_str(&format!(
            "pub mod {name} {{\n    mod generated;\n    pub use generated::*;\n}}\n"
        ));
        let out = dir.join("src").join(name).join("generated");
        std::fs::create_dir_all(&out)?;
        for f in files {
            std::fs::write(out.join(&f.path), &f.contents)?;
        }
    }
    std::fs::write(dir.join("src/lib.rs"), lib)
}

/// The generated code for [`HARD_NAMES`] and for the first two specs the
/// generator accepts from [`names`] (a fixed seed, so always the same three)
/// compiles against the runtime. Skipped, with a message, when `cargo` cannot run.
#[test]
fn generated_code_for_hostile_names_compiles() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !std::process::Command::new(&cargo)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!(
            "SKIPPED generated_code_for_hostile_names_compiles: `{cargo} --version` does not run"
        );
        return;
    }
    let hard = match generate_checked(HARD_NAMES.to_string()) {
        Ok(Some(files)) => files,
        other => panic!("HARD_NAMES is not generated: {other:?}"),
    };
    let mut modules = vec![("hard_names".to_string(), hard)];
    let mut runner = TestRunner::deterministic();
    let strategy = names();
    for _ in 0..10_000 {
        if modules.len() == 3 {
            break;
        }
        let n = strategy.new_tree(&mut runner).expect("a tree").current();
        if let Ok(Some(files)) = generate_checked(names_spec(&n)) {
            modules.push((format!("sample{}", modules.len()), files));
        }
    }
    assert_eq!(modules.len(), 3, "the strategy should give accepted specs");

    // `<target dir>/compile-sample`: kept between runs, so dependencies are built once.
    let exe = std::env::current_exe().expect("the test's path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(Into::into))
        .expect("a target directory");
    let root = target.join("compile-sample");
    let dir = root.join("crate");
    sample_crate(&dir, &modules).unwrap_or_else(|e| panic!("writing {}: {e}", dir.display()));
    let out = std::process::Command::new(&cargo)
        .args(["check", "--offline", "--quiet", "--lib", "--target-dir"])
        .arg(root.join("target"))
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .output()
        .expect("run cargo check");
    assert!(
        out.status.success(),
        "the generated code does not compile (crate in {}):\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}
