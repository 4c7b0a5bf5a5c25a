//! Hostile 2xx bodies, decoded as every response type the client decodes.
//!
//! For each `send()` return type of the generated API, with the envelope its
//! operation really uses (`decode()`, `decode_key(key)` or
//! `decode_page(key, style)`), a property test serves generated bodies through a
//! loopback server to the real client and checks that decoding never panics and
//! ends in `Ok` or in an `Error::Decode` that carries the status and a bounded
//! snippet and message. Bodies are:
//!
//! - JSON shaped like the operation's envelope, with nested values whose keys
//!   are mostly the generated types' real wire names (scraped from
//!   `src/generated/`), so decoding goes deep into the types: nulls, booleans,
//!   numbers (huge, negative, fractional, out of every range), strings (unicode,
//!   escapes, lone surrogates, long ones), arrays, objects, duplicate keys,
//!   `\u`-escaped keys;
//! - nesting at, just below and far beyond the JSON parser's depth limit,
//!   under real keys;
//! - arbitrary bytes, and JSON truncated or with one byte changed.
//!
//! The cases come from the spec (`generated_responses`, written by `cargo xtask
//! codegen`); `every_response_type_is_covered` checks them against the
//! `send()` signatures of the generated client, read as text. Error (non-2xx) bodies are
//! covered by `error_bodies_of_any_shape_become_api_errors`.
//!
//! Cases per type default to 48 (set `PROPTEST_CASES` to run more).

mod hostile;

use std::fmt::Debug;
use std::sync::OnceLock;

use pathbound_client::runtime::__private::{Call, Response};
use pathbound_client::runtime::{Operation, PaginationStyle, RequestOptions};
use pathbound_client::{Error, Page};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use hostile::{Loopback, http_response, rt, runtime_client as client};

static DECODE: Operation = hostile::get("hostile.decode", "/thing");

/// The most bytes an error's snippet keeps, plus room for the "… (N bytes in
/// total)" marker.
const SNIPPET_BOUND: usize = 512 + 48;
/// The most bytes a decode error's message may have.
const MESSAGE_BOUND: usize = 1024;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

// ---------------------------------------------------------------------------
// The generated API, read as text: wire names and `send()` signatures.

/// Every generated file, whitespace kept.
fn generated_sources() -> &'static [(String, String)] {
    static SOURCES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("src/generated")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("read");
                (path.display().to_string(), text)
            })
            .collect();
        files.sort();
        files
    })
}

/// Every quoted string in `text` (no escapes in generated wire names).
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split('"').skip(1).step_by(2)
}

/// The wire names of every generated struct field (plain, renamed and
/// aliased), and every known enum value: the keys and strings bodies are built from.
fn wire_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for (_, text) in generated_sources() {
            for line in text.lines().map(str::trim) {
                if let Some(rest) = line.strip_prefix("pub ")
                    && let Some((field, _)) = rest.split_once(':')
                    && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                {
                    names.push(field.to_owned());
                }
                if let Some(at) = line.find("rename = \"") {
                    names.extend(quoted(&line[at..]).next().map(str::to_owned));
                }
                if line.starts_with("const NAMES") {
                    names.extend(quoted(line).map(str::to_owned));
                }
                // `"email_message" => ActionType::EmailMessage,` in `From<&str>`.
                if line.starts_with('"') && line.contains("\" => ") {
                    names.extend(quoted(line).next().map(str::to_owned));
                }
            }
        }
        names.extend(
            [
                "status",
                "pagination",
                "total",
                "limit",
                "offset",
                "skip",
                "page",
            ]
            .map(String::from),
        );
        names.sort();
        names.dedup();
        assert!(names.len() > 100, "scraped only {} names", names.len());
        names
    })
}

/// `Type|decode_call(args)` for every `send()` in the generated code, with
/// whitespace and module paths removed, e.g.
/// `Page<Contact>|decode_page("contacts",PaginationStyle::Page)`.
fn generated_signatures() -> Vec<String> {
    let mut out = Vec::new();
    for (file, text) in generated_sources() {
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut rest = flat.as_str();
        while let Some(at) = rest.find("pubasyncfnsend(self") {
            rest = &rest[at..];
            let start = rest.find("Result<").expect("send returns a Result") + "Result<".len();
            let ty = balanced(&rest[start..], '<', '>');
            let meta = rest
                .find(".with_meta(|response|")
                .unwrap_or_else(|| panic!("{file}: no with_meta decode after a send()"))
                + ".with_meta(|response|".len();
            // `response.decode…(…)`, or the same in a block.
            let call = rest[meta..].trim_start_matches('{');
            let call = call
                .strip_prefix("response.")
                .unwrap_or_else(|| panic!("{file}: unexpected decode call {call:.60}"));
            let open = call.find('(').expect("call");
            let args = balanced(&call[open + 1..], '(', ')');
            out.push(normalize(&format!("{ty}|{}({args})", &call[..open])));
            rest = &rest[meta..];
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The text up to the bracket closing an already opened one.
fn balanced(text: &str, open: char, close: char) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return &text[..i];
            }
        }
    }
    panic!("unbalanced {open}{close} in {text:.80}")
}

/// Drops whitespace and `crate::runtime::` / `super::<module>::` paths.
fn normalize(signature: &str) -> String {
    let mut flat: String = signature.chars().filter(|c| !c.is_whitespace()).collect();
    // Generated code names types `super::module::T` and `runtime::T`; the
    // generated cases name them through the client crate.
    flat = flat
        .replace("pathbound_client::types::", "")
        .replace("pathbound_client::ids::", "")
        .replace("pathbound_client::runtime::", "")
        .replace("pathbound_client::", "")
        .replace("crate::runtime::", "")
        .replace("runtime::", "");
    while let Some(at) = flat.find("super::") {
        let after = &flat[at + "super::".len()..];
        let module_end = after.find("::").expect("super::module::Type") + 2;
        flat.replace_range(at..at + "super::".len() + module_end, "");
    }
    flat
}

// ---------------------------------------------------------------------------
// Bodies.

/// A JSON text under construction. Unlike `serde_json::Value` it can hold
/// numbers no Rust type holds, duplicate keys, raw escapes and `\u`-escaped keys.
#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    /// A number token as written, e.g. `1e400`.
    Num(String),
    Str(String),
    /// A string token written as is, escapes and all (e.g. a lone surrogate).
    RawStr(&'static str),
    Arr(Vec<Json>),
    Obj(Vec<(Key, Json)>),
    /// Arrays or objects nested until the whole document is `total` levels deep.
    Deep {
        objects: bool,
        total: usize,
    },
}

#[derive(Clone, Debug)]
struct Key {
    name: String,
    /// Written as `\uXXXX` escapes, which must still match the field.
    escaped: bool,
}

impl Json {
    fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => out.push_str(&serde_json::to_string(s).expect("string")),
            Json::RawStr(s) => out.push_str(s),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out, depth + 1);
                }
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    key.write(out);
                    out.push(':');
                    value.write(out, depth + 1);
                }
                out.push('}');
            }
            Json::Deep { objects, total } => {
                let levels = total.saturating_sub(depth);
                for _ in 0..levels {
                    out.push_str(if *objects { "{\"extra\":" } else { "[" });
                }
                out.push_str("null");
                for _ in 0..levels {
                    out.push(if *objects { '}' } else { ']' });
                }
            }
        }
    }
}

impl Key {
    fn write(&self, out: &mut String) {
        if !self.escaped {
            out.push_str(&serde_json::to_string(&self.name).expect("key"));
            return;
        }
        out.push('"');
        for unit in self.name.encode_utf16() {
            out.push_str(&format!("\\u{unit:04x}"));
        }
        out.push('"');
    }
}

/// Number tokens no `i64`, `u64` or `f64` holds exactly, and edge cases.
const ODD_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1.5",
    "-0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "4.9e-324",
    "1.7976931348623157e308",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000000000000000001",
    "2147483648",
    "4294967296",
    "1E2",
    "2.0",
];

/// String tokens with escapes that are legal JSON but awkward to decode.
const RAW_STRINGS: &[&str] = &[
    r#""\ud800""#,
    r#""\udc00""#,
    r#""\ud83d\ude00""#,
    r#""\ud800\u0041""#,
    r#""\u0000""#,
    r#""\/\b\f\n\r\t\"\\""#,
    r#""\u00e9\u20ac""#,
    r#""""#,
];

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        8 => select(wire_names().to_vec()).prop_map(|name| Key { name, escaped: false }),
        1 => select(wire_names().to_vec()).prop_map(|name| Key { name, escaped: true }),
        1 => any::<String>().prop_map(|name| Key { name, escaped: false }),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => select(wire_names().to_vec()),
        1 => Just("2024-05-01T10:00:00.000Z".to_owned()),
        1 => "[0-9 .eE+-]{0,6}",
        1 => "[a-z]{400,1500}",
        1 => "é{200,800}",
        1 => "[\\u{0}-\\u{1f}\"\\\\]{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        1 => Just(Json::Null),
        1 => any::<bool>().prop_map(Json::Bool),
        1 => any::<i64>().prop_map(|n| Json::Num(n.to_string())),
        1 => any::<u64>().prop_map(|n| Json::Num(n.to_string())),
        1 => (0u8..30).prop_map(|n| Json::Num(n.to_string())),
        1 => any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Json::Num(format!("{f:e}"))),
        1 => select(ODD_NUMBERS).prop_map(|n| Json::Num(n.to_owned())),
        4 => string().prop_map(Json::Str),
        1 => select(RAW_STRINGS).prop_map(Json::RawStr),
    ]
}

/// Any JSON value, a few levels deep, objects keyed mostly by real wire names.
fn value() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            1 => prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Arr),
            2 => prop::collection::vec((key(), inner), 0..7).prop_map(Json::Obj),
        ]
    })
}

/// An object keyed by real wire names: what a decoded type sees.
fn object() -> impl Strategy<Value = Json> {
    prop::collection::vec((key(), value()), 0..9).prop_map(Json::Obj)
}

/// Nesting around the parser's depth limit (128) or far beyond it, under a
/// chain of real keys (so it lands in typed fields, `extra` maps, untagged enums).
fn deep() -> impl Strategy<Value = Json> {
    let total = prop_oneof![Just(120usize), 126usize..=130, Just(50_000usize)];
    (prop::collection::vec(key(), 0..4), any::<bool>(), total).prop_map(|(path, objects, total)| {
        path.into_iter()
            .rev()
            .fold(Json::Deep { objects, total }, |inner, key| {
                Json::Obj(vec![(key, inner)])
            })
    })
}

/// How the operation unwraps its body.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Whole,
    Key(&'static str),
    Page(&'static str, PaginationStyle),
}

fn k(name: &str) -> Key {
    Key {
        name: name.to_owned(),
        escaped: false,
    }
}

/// A valid value of a decoded type, to build bodies around: its `Default`,
/// serialised (required fields present, with values of the right type).
trait Seed {
    fn seed() -> Json;
}

impl<T: Seed> Seed for Vec<T> {
    fn seed() -> Json {
        Json::Arr(vec![T::seed()])
    }
}

/// A page's seed is its item's.
impl<T: Seed> Seed for Page<T> {
    fn seed() -> Json {
        T::seed()
    }
}

macro_rules! seed_from_default {
    ($($ty:ty),* $(,)?) => {
        $(impl Seed for $ty {
            fn seed() -> Json {
                Json::from(serde_json::to_value(<$ty>::default()).expect("serialise default"))
            }
        })*
    };
}

impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Num(n.to_string()),
            Value::String(s) => Json::Str(s),
            Value::Array(items) => Json::Arr(items.into_iter().map(Json::from).collect()),
            Value::Object(map) => {
                Json::Obj(map.into_iter().map(|(n, v)| (k(&n), v.into())).collect())
            }
        }
    }
}

/// The payload of one item or of the whole response: mostly the seed with
/// more keys (real ones, so optional fields get values of every type),
/// shuffled; sometimes anything.
fn payload(seed: Json) -> BoxedStrategy<Json> {
    let seeded = match seed {
        Json::Obj(entries) => (
            Just(entries),
            prop::collection::vec((key(), value()), 0..8),
            prop_oneof![4 => Just(None), 1 => deep().prop_map(Some)],
        )
            .prop_flat_map(|(mut entries, more, deep)| {
                entries.extend(more);
                entries.extend(deep.map(|deep| (k("extra"), deep)));
                Just(entries).prop_shuffle()
            })
            .prop_map(Json::Obj)
            .boxed(),
        Json::Arr(items) => match items.into_iter().next() {
            Some(item) => prop::collection::vec(payload(item), 0..4)
                .prop_map(Json::Arr)
                .boxed(),
            None => Just(Json::Arr(Vec::new())).boxed(),
        },
        other => prop_oneof![2 => Just(other), 1 => leaf()].boxed(),
    };
    prop_oneof![
        6 => seeded,
        2 => object(),
        1 => value(),
        1 => deep(),
    ]
    .boxed()
}

/// A body shaped like the operation's envelope, then shuffled, with extra keys.
fn envelope(shape: Shape, seed: Json) -> BoxedStrategy<Json> {
    let status = prop_oneof![Just(Json::Str("success".into())), value()];
    let extras = prop::collection::vec((key(), value()), 0..3);
    match shape {
        Shape::Whole => payload(seed),
        Shape::Key(name) => (status, payload(seed), extras)
            .prop_flat_map(move |(status, item, mut extras)| {
                extras.push((k("status"), status));
                extras.push((k(name), item));
                Just(extras).prop_shuffle()
            })
            .prop_map(Json::Obj)
            .boxed(),
        Shape::Page(name, style) => {
            let items = prop_oneof![
                6 => prop::collection::vec(payload(seed), 0..4).prop_map(Json::Arr),
                1 => value(),
            ];
            let count =
                || prop_oneof![3 => (0u8..50).prop_map(|n| Json::Num(n.to_string())), 1 => leaf()];
            const META_KEYS: &[&str] = &[
                "page",
                "limit",
                "total_pages",
                "total_items",
                "skip",
                "offset",
            ];
            let pagination = prop::collection::vec((select(META_KEYS), count()), 0..6)
                .prop_map(|pairs| Json::Obj(pairs.into_iter().map(|(n, v)| (k(n), v)).collect()));
            let top =
                prop::collection::vec((select(&["total", "limit", "offset"][..]), count()), 0..3);
            (status, items, pagination, top, extras)
                .prop_flat_map(move |(status, items, pagination, top, mut extras)| {
                    extras.push((k("status"), status));
                    extras.push((k(name), items));
                    match style {
                        PaginationStyle::Offset => {
                            extras.extend(top.into_iter().map(|(n, v)| (k(n), v)))
                        }
                        _ => extras.push((k("pagination"), pagination)),
                    }
                    Just(extras).prop_shuffle()
                })
                .prop_map(Json::Obj)
                .boxed()
        }
    }
}

/// Any bytes: JSON of the right shape, any JSON, JSON cut short or with one
/// byte changed, and random bytes.
fn body(shape: Shape, seed: Json) -> impl Strategy<Value = Body> {
    let json = move || envelope(shape, seed.clone()).prop_map(|j| j.render().into_bytes());
    prop_oneof![
        8 => json(),
        1 => value().prop_map(|j| j.render().into_bytes()),
        1 => (json(), any::<prop::sample::Index>()).prop_map(|(mut b, at)| {
            b.truncate(at.index(b.len() + 1));
            b
        }),
        1 => (json(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut b, at, byte)| {
            if !b.is_empty() {
                let at = at.index(b.len());
                b[at] = byte;
            }
            b
        }),
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => Just(Vec::new()),
    ]
    .prop_map(Body)
}

/// Bytes shown as text when a case fails.
#[derive(Clone)]
struct Body(Vec<u8>);

impl Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

// ---------------------------------------------------------------------------
// The property.

/// Serves `body` with `status`, decodes it with `decode`, checks the outcome.
fn check_one<T: Debug>(
    server: &Loopback,
    client: &pathbound_client::runtime::Client,
    decode: &dyn Fn(Response) -> pathbound_client::Result<T>,
    status: u16,
    body: &[u8],
) -> Result<(), TestCaseError> {
    server.set_reply(http_response(status, body));
    let options = RequestOptions::new();
    let response = rt()
        .block_on(client.execute(Call::new(&DECODE, &options)))
        .map_err(|e| TestCaseError::fail(format!("the request itself failed: {e}")))?;
    prop_assert_eq!(response.body(), body);
    let result = response.with_meta(decode);
    match result {
        Ok(_) => Ok(()),
        Err(error) => check_decode_error(&error, status, body),
    }
}

fn check_decode_error(error: &Error, status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    let Error::Decode {
        operation,
        status: got,
        message,
        snippet,
    } = error
    else {
        return Err(TestCaseError::fail(format!(
            "expected Ok or Error::Decode, got {error:?}"
        )));
    };
    prop_assert_eq!(*operation, "hostile.decode");
    prop_assert_eq!(*got, status);
    prop_assert_eq!(error.status(), Some(status));
    prop_assert!(!message.is_empty());
    prop_assert!(
        message.len() <= MESSAGE_BOUND,
        "message of {} bytes: {:.200}…",
        message.len(),
        message
    );
    prop_assert!(
        snippet.len() <= SNIPPET_BOUND,
        "snippet of {} bytes",
        snippet.len()
    );
    // The snippet is the start of the body, as text.
    let text = String::from_utf8_lossy(body);
    let kept = snippet.split("… (").next().unwrap_or("");
    prop_assert!(
        text.trim_start().starts_with(kept),
        "snippet {:?} is not the body's start",
        kept
    );
    let shown = error.to_string();
    prop_assert!(shown.len() <= MESSAGE_BOUND + SNIPPET_BOUND + 200);
    Ok(())
}

fn run<T: Debug + Seed>(
    name: &str,
    shape: Shape,
    decode: impl Fn(Response) -> pathbound_client::Result<T>,
) {
    let server = Loopback::start();
    let client = client(&server.base_url);
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let statuses = select(&[200u16, 200, 200, 201, 202, 206][..]);
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&(statuses, body(shape, T::seed())), |(status, body)| {
        check_one(&server, &client, &decode, status, &body.0)
    });
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
    // Fixed worst cases: the depth limit exactly, under the envelope key.
    for total in 125..=130 {
        for objects in [false, true] {
            let deep = Json::Deep { objects, total };
            let body = match shape {
                Shape::Whole => Json::Obj(vec![(k("zz_unknown"), deep)]),
                Shape::Key(key) => {
                    Json::Obj(vec![(k(key), Json::Obj(vec![(k("zz_unknown"), deep)]))])
                }
                Shape::Page(key, _) => Json::Obj(vec![(
                    k(key),
                    Json::Arr(vec![Json::Obj(vec![(k("zz_unknown"), deep)])]),
                )]),
            };
            let body = body.render().into_bytes();
            if let Err(failure) = check_one(&server, &client, &decode, 200, &body) {
                panic!("{name}: depth {total}: {failure}");
            }
        }
    }
}

/// Builds the shape from the decode call, as the generated code writes it.
macro_rules! shape {
    (decode()) => {
        Shape::Whole
    };
    (decode_key($key:literal)) => {
        Shape::Key($key)
    };
    (decode_page($key:literal, $style:expr)) => {
        Shape::Page($key, $style)
    };
}

/// One test per response type; `COVERED` lists their signatures.
macro_rules! every_response_type {
    ($( $test:ident: $ty:ty = $decode:ident ( $($arg:tt)* ); )*) => {
        $(
            #[test]
            fn $test() {
                run::<$ty>(
                    stringify!($test),
                    shape!($decode($($arg)*)),
                    |response: Response| response.$decode($($arg)*),
                );
            }
        )*

        pub(crate) const COVERED: &[&str] = &[
            $( concat!(stringify!($ty), "|", stringify!($decode), "(", stringify!($($arg)*), ")") ),*
        ];
    };
}

// The cases: written by `cargo xtask codegen` from the spec (one per type and
// envelope a `send()` returns), so a new endpoint is tested with no edit here.
// Formatted by the generator; the freshness check guards it.
#[rustfmt::skip]
mod generated_responses;

#[test]
fn every_response_type_is_covered() {
    let generated = generated_signatures();
    let mut covered: Vec<String> = generated_responses::COVERED
        .iter()
        .map(|s| normalize(s))
        .collect();
    covered.sort();
    covered.dedup();
    let missing: Vec<&String> = generated.iter().filter(|s| !covered.contains(s)).collect();
    let stale: Vec<&String> = covered.iter().filter(|s| !generated.contains(s)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the generated cases (tests/generated_responses) and the generated client disagree; \
         run `cargo xtask codegen`: missing {missing:#?}\nno longer generated: {stale:#?}"
    );
    assert!(generated.len() >= 30, "{generated:#?}");
}

/// Non-2xx bodies of any shape and size, with any status: always an
/// `Error::Api` with that status and a bounded snippet, never a panic.
#[test]
fn error_bodies_of_any_shape_become_api_errors() {
    let server = Loopback::start();
    let client = client(&server.base_url);
    let mut runner = TestRunner::new(Config {
        cases: cases() * 4,
        failure_persistence: None,
        ..Config::default()
    });
    let error_body = prop_oneof![
        4 => (value(), prop::collection::vec((key(), value()), 0..4)).prop_map(|(error, mut rest)| {
            rest.push((k("error"), error));
            Json::Obj(rest).render().into_bytes()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => "[a-z<>/ ]{0,3000}".prop_map(String::into_bytes),
        1 => deep().prop_map(|j| j.render().into_bytes()),
    ];
    let status = prop_oneof![
        300u16..=599,
        select(&[400u16, 401, 403, 404, 409, 422, 429, 500, 503][..])
    ];
    let outcome = runner.run(&(status, error_body), |(status, body)| {
        server.set_reply(http_response(status, &body));
        let options = RequestOptions::new();
        let error = match rt().block_on(client.execute(Call::new(&DECODE, &options))) {
            Ok(response) => return Err(TestCaseError::fail(format!("{status}: Ok {response:?}"))),
            Err(error) => error,
        };
        let Error::Api(api) = &error else {
            return Err(TestCaseError::fail(format!("{status}: {error:?}")));
        };
        prop_assert_eq!(api.status, status);
        prop_assert!(api.body_snippet.len() <= SNIPPET_BOUND);
        prop_assert!(!api.message.trim().is_empty());
        let shown = error.to_string();
        // The server's message is quoted; the body it came from is at most 64 KiB.
        prop_assert!(shown.len() <= 64 * 1024 + 1024, "{} bytes", shown.len());
        prop_assert!(!shown.contains(hostile::KEY));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
