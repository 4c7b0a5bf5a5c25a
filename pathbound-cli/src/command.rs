//! The tables the generated code fills in (one [`Resource`] per spec resource),
//! the `clap` commands built from them, and [`Invocation`]: the parsed values
//! of one command, which the generated run functions turn into typed client
//! calls.

use std::future::Future;
use std::pin::Pin;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::output::Output;

/// A resource: `pathbound <name> …`.
#[derive(Debug)]
pub struct Resource {
    /// The resource name (`contacts`), its subcommand.
    pub name: &'static str,
    /// The first sentence of its description.
    pub about: &'static str,
    /// Its operations, in spec order.
    pub operations: &'static [Operation],
}

/// One operation: `pathbound <resource> <command> …`.
pub struct Operation {
    /// `contacts.create`.
    pub id: &'static str,
    /// The subcommand (`list-notes`).
    pub command: &'static str,
    /// `POST`.
    pub method: &'static str,
    /// The path with the base URL's path (`/v1/contacts`).
    pub path: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Longer documentation (may be empty).
    pub description: &'static str,
    /// The scope it needs, as a sentence fragment.
    pub scope: &'static str,
    /// Sends the API key.
    pub auth: bool,
    /// Documented error statuses.
    pub errors: &'static [(u16, &'static str)],
    /// Arguments (required, in call order) then options.
    pub params: &'static [Param],
    /// Takes a JSON body (`--body`).
    pub body: bool,
    /// The item key of a paginated list.
    pub list: Option<&'static str>,
    /// The request has `.stream()` (`--all`).
    pub stream: bool,
    /// Makes the call.
    pub run: fn(pathbound_client::Client, Invocation) -> Run,
}

impl std::fmt::Debug for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation").field("id", &self.id).finish()
    }
}

/// The future of one call.
pub type Run = Pin<Box<dyn Future<Output = Result<(), CliError>>>>;

/// A parameter: a positional argument when required, else a `--flag`.
#[derive(Debug)]
pub struct Param {
    /// Its wire name.
    pub wire: &'static str,
    /// Its flag (kebab-case Rust name), also the argument's id.
    pub flag: &'static str,
    /// Where it is sent.
    pub place: Place,
    /// How its text becomes JSON.
    pub kind: Kind,
    /// A required argument of the call.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The path.
    Path,
    /// The query string.
    Query,
    /// The JSON body.
    Body,
}

/// How the text of a flag becomes a JSON value.
#[derive(Debug)]
pub enum Kind {
    /// A string, as given.
    Text,
    /// A secret string (a password): given as a flag it is visible to other
    /// processes, so a warning suggests `--body -` instead.
    Secret,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false` (a bare optional flag means `true`).
    Boolean,
    /// One of these strings (checked before sending).
    Choice(&'static [&'static str]),
    /// A JSON value (object, array, union).
    Json,
    /// Any JSON value; text that is not JSON is taken as a string.
    Any,
    /// A list: the flag repeated, or one JSON array.
    List(&'static Kind),
}

const BODY: &str = "body";
const ALL: &str = "all";
const MAX_ITEMS: &str = "max-items";

/// The `clap` command of a resource.
pub fn resource_command(r: &'static Resource) -> Command {
    Command::new(r.name)
        .about(r.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands(r.operations.iter().map(operation_command))
}

fn operation_command(op: &'static Operation) -> Command {
    let request = format!("{} {}\nScope: {}", op.method, op.path, op.scope);
    let mut errors = String::new();
    if !op.errors.is_empty() {
        errors.push_str("Errors:");
        for (code, text) in op.errors {
            errors.push_str(&format!("\n  {code}  {}", one_line(text)));
        }
    }
    let mut long_about = format!("{}\n\n{request}", op.summary);
    if !op.description.is_empty() {
        long_about.push_str("\n\n");
        long_about.push_str(op.description);
    }
    let short_after = if errors.is_empty() {
        request
    } else {
        format!("{request}\n\n{errors}")
    };
    let mut cmd = Command::new(op.command)
        .about(op.summary)
        .long_about(long_about)
        .after_help(short_after)
        .after_long_help(errors);
    for p in op.params {
        cmd = cmd.arg(param_arg(op, p));
    }
    if op.body {
        cmd = cmd.arg(
            Arg::new(BODY)
                .long(BODY)
                .value_name("JSON|@FILE|-")
                .help("The whole JSON body: inline, @file.json, or - for stdin; flags and arguments override its fields"),
        );
    }
    if op.stream {
        cmd = cmd
            .arg(
                Arg::new(ALL)
                    .long(ALL)
                    .action(ArgAction::SetTrue)
                    .help("Walk every page, printing one item per line (NDJSON) as they arrive"),
            )
            .arg(
                Arg::new(MAX_ITEMS)
                    .long(MAX_ITEMS)
                    .value_name("N")
                    .value_parser(clap::value_parser!(usize))
                    .requires(ALL)
                    .help("With --all: stop after N items"),
            );
    }
    cmd
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn param_arg(op: &Operation, p: &'static Param) -> Arg {
    let mut arg = Arg::new(p.flag).help(p.help);
    arg = if p.required {
        let arg = arg.value_name(p.flag.to_uppercase().replace('-', "_"));
        if op.body && p.place == Place::Body {
            arg.required_unless_present(BODY)
                .help(format!("{} (required, here or in --body)", p.help))
        } else {
            arg.required(true)
        }
    } else {
        arg.long(p.flag).value_name(value_name(&p.kind))
    };
    let (choices, list) = match &p.kind {
        Kind::Choice(values) => (Some(*values), false),
        Kind::List(Kind::Choice(values)) => (Some(*values), true),
        Kind::List(_) => (None, true),
        _ => (None, false),
    };
    if let Some(values) = choices {
        arg = arg.value_parser(PossibleValuesParser::new(values.iter().copied()));
    }
    if list && !p.required {
        arg = arg.action(ArgAction::Append);
    }
    if matches!(p.kind, Kind::Boolean) {
        arg = arg.value_parser(["true", "false"]);
        if !p.required {
            arg = arg.num_args(0..=1).default_missing_value("true");
        }
    }
    arg
}

fn value_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Secret | Kind::Choice(_) => "VALUE",
        Kind::Integer => "INT",
        Kind::Number => "NUMBER",
        Kind::Boolean => "BOOL",
        Kind::Json => "JSON",
        Kind::Any => "VALUE",
        Kind::List(inner) => value_name(inner),
    }
}

/// The values of one command, ready for the generated call.
pub struct Invocation {
    op: &'static Operation,
    path: Map<String, Value>,
    query: Map<String, Value>,
    body: Map<String, Value>,
    all: bool,
    max_items: Option<usize>,
    output: Output,
}

impl Invocation {
    /// Reads the values of `op` from `matches`; `stdin` supplies `--body -`.
    pub fn new(
        op: &'static Operation,
        matches: &ArgMatches,
        output: Output,
        stdin: &mut dyn std::io::Read,
    ) -> Result<Invocation, CliError> {
        let mut inv = Invocation {
            op,
            path: Map::new(),
            query: Map::new(),
            body: Map::new(),
            all: op.stream && matches.get_flag(ALL),
            max_items: if op.stream {
                matches.get_one::<usize>(MAX_ITEMS).copied()
            } else {
                None
            },
            output,
        };
        if op.body {
            if let Some(source) = matches.get_one::<String>(BODY) {
                inv.body = read_body(op, source, stdin)?;
            }
        }
        for p in op.params {
            let Some(texts) = matches.get_many::<String>(p.flag) else {
                continue;
            };
            let texts: Vec<&String> = texts.collect();
            let value = value_of(p, &texts)?;
            let map = match p.place {
                Place::Path => &mut inv.path,
                Place::Query => &mut inv.query,
                Place::Body => &mut inv.body,
            };
            map.insert(p.wire.to_owned(), value);
        }
        Ok(inv)
    }

    fn map(&mut self, place: Place) -> &mut Map<String, Value> {
        match place {
            Place::Path => &mut self.path,
            Place::Query => &mut self.query,
            Place::Body => &mut self.body,
        }
    }

    fn describe(&self, place: Place, wire: &str) -> String {
        match self
            .op
            .params
            .iter()
            .find(|p| p.wire == wire && p.place == place)
        {
            Some(p) if p.required => p.flag.to_uppercase().replace('-', "_"),
            Some(p) => format!("--{}", p.flag),
            None => wire.to_owned(),
        }
    }

    /// A required argument, as the client's argument type.
    ///
    /// # Errors
    ///
    /// A usage error when it is missing (it may come from `--body`) or has
    /// the wrong shape.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        place: Place,
        wire: &str,
    ) -> Result<T, CliError> {
        match self.optional(place, wire)? {
            Some(value) => Ok(value),
            None => Err(CliError::Usage(format!(
                "{} is required (give it as an argument, or in --body)",
                self.describe(place, wire)
            ))),
        }
    }

    /// An optional parameter, as the client's setter type.
    ///
    /// # Errors
    ///
    /// A usage error when the value does not have the expected shape.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        place: Place,
        wire: &str,
    ) -> Result<Option<T>, CliError> {
        let Some(value) = self.map(place).remove(wire) else {
            return Ok(None);
        };
        serde_json::from_value(value).map(Some).map_err(|e| {
            CliError::Usage(format!(
                "{}: not a valid value for `{}`: {e}",
                self.describe(place, wire),
                self.op.id
            ))
        })
    }

    /// `--all` was given.
    pub fn all(&self) -> bool {
        self.all
    }

    /// Prints the result of a call.
    ///
    /// # Errors
    ///
    /// The client's error, or a failure to write the output.
    pub fn print<T: Serialize>(
        self,
        result: pathbound_client::Result<pathbound_client::WithResponse<T>>,
    ) -> Result<(), CliError> {
        let response = result?;
        self.output.request_id(response.request_id.as_deref());
        let value = to_json(&response.value)?;
        self.output.value(&value)
    }

    /// Prints one page of a list: its items under the list's key, then the
    /// page's position and totals, then any other keys of the response.
    ///
    /// # Errors
    ///
    /// The client's error, or a failure to write the output.
    pub fn print_page<T: Serialize>(
        self,
        result: pathbound_client::Result<pathbound_client::WithResponse<pathbound_client::Page<T>>>,
    ) -> Result<(), CliError> {
        let response = result?;
        self.output.request_id(response.request_id.as_deref());
        let page = response.value;
        let mut out = Map::new();
        let items: Vec<Value> = page.items.iter().map(to_json).collect::<Result<_, _>>()?;
        out.insert(
            self.op.list.unwrap_or("items").to_owned(),
            Value::Array(items),
        );
        let info = &page.info;
        for (key, value) in [
            ("page", info.page),
            ("limit", info.limit),
            ("total_pages", info.total_pages),
            ("total_items", info.total_items),
            ("skip", info.skip),
            ("offset", info.offset),
        ] {
            if let Some(v) = value {
                out.insert(key.to_owned(), Value::from(v));
            }
        }
        for (k, v) in page.extra {
            out.entry(k).or_insert(v);
        }
        self.output
            .page(self.op.list.unwrap_or("items"), &Value::Object(out))
    }

    /// Prints every item of a list, one JSON line each as pages arrive
    /// (`--all`), up to `--max-items`.
    ///
    /// # Errors
    ///
    /// The client's error (after the items before it were printed), or a
    /// failure to write the output.
    pub async fn print_stream<T, S>(self, stream: S) -> Result<(), CliError>
    where
        T: Serialize,
        S: futures_core::Stream<Item = pathbound_client::Result<T>>,
    {
        let mut stream = std::pin::pin!(stream);
        let mut lines = self.output.lines();
        let mut count = 0usize;
        while self.max_items.is_none_or(|max| count < max) {
            let next = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await;
            let Some(item) = next else { break };
            lines.item(&to_json(&item?)?)?;
            count += 1;
        }
        lines.finish()
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, CliError> {
    serde_json::to_value(value)
        .map_err(|e| CliError::Internal(format!("could not encode the response as JSON: {e}")))
}

/// The value of a parameter from its texts (several for a repeated list flag).
fn value_of(p: &Param, texts: &[&String]) -> Result<Value, CliError> {
    let shown = if p.required {
        p.flag.to_uppercase().replace('-', "_")
    } else {
        format!("--{}", p.flag)
    };
    match &p.kind {
        Kind::List(inner) => {
            // One JSON array, or one item per occurrence.
            if let [only] = texts {
                if only.trim_start().starts_with('[') {
                    return parse_json(&shown, only);
                }
            }
            texts
                .iter()
                .map(|t| scalar(&shown, inner, t))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        kind => match texts.last() {
            Some(t) => scalar(&shown, kind, t),
            None => Ok(Value::Null),
        },
    }
}

fn scalar(shown: &str, kind: &Kind, text: &str) -> Result<Value, CliError> {
    let bad = |what: &str| CliError::Usage(format!("{shown}: expected {what}, got {text:?}"));
    match kind {
        Kind::Text | Kind::Choice(_) => Ok(Value::String(text.to_owned())),
        Kind::Secret => {
            eprintln!(
                "warning: {shown} on the command line is visible to other processes; prefer --body - (stdin) or --body @file"
            );
            Ok(Value::String(text.to_owned()))
        }
        Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("a whole number")),
        Kind::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number")),
        Kind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        // Text that is not JSON and does not try to be an object or array is
        // a string (a union's string variant: `--group-by browser`).
        Kind::Json | Kind::List(_) | Kind::Any => match serde_json::from_str(text) {
            Ok(value) => Ok(value),
            Err(_) if !text.trim_start().starts_with(['{', '[', '"']) => {
                Ok(Value::String(text.to_owned()))
            }
            Err(e) => Err(CliError::Usage(format!("{shown}: not valid JSON ({e})"))),
        },
    }
}

fn parse_json(shown: &str, text: &str) -> Result<Value, CliError> {
    serde_json::from_str(text)
        .map_err(|e| CliError::Usage(format!("{shown}: not valid JSON ({e})")))
}

/// The `--body` object: inline JSON, `@file`, or `-` for stdin. Keys that are
/// not body fields of the operation are refused.
fn read_body(
    op: &Operation,
    source: &str,
    stdin: &mut dyn std::io::Read,
) -> Result<Map<String, Value>, CliError> {
    let (text, from) = if source == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("--body -: could not read stdin: {e}")))?;
        (text, "stdin".to_owned())
    } else if let Some(path) = source.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("--body @{path}: {e}")))?;
        (text, path.to_owned())
    } else {
        (source.to_owned(), "--body".to_owned())
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("--body ({from}): not valid JSON ({e})")))?;
    let Value::Object(map) = value else {
        return Err(CliError::Usage(format!(
            "--body ({from}): the body must be a JSON object"
        )));
    };
    let known: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.place == Place::Body)
        .map(|p| p.wire)
        .collect();
    if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(CliError::Usage(format!(
            "--body ({from}): `{}` has no body field {unknown:?}; its fields are: {}",
            op.id,
            known.join(", ")
        )));
    }
    Ok(map)
}
