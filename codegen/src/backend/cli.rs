//! The command-line client (`pathbound-cli/src/generated/`): the command tree
//! of the `pathbound` binary and one function per operation that calls the
//! generated Rust client.
//!
//! Each resource becomes a file with a `RESOURCE` table (its commands, their
//! arguments and flags, the help text from the spec) and, per operation, a
//! function that turns the parsed values into the client's call:
//! `client.<resource>().<operation>(arguments).<setter>(value)…`. Every Rust
//! name it writes (accessors, methods, setters, types) comes from the Rust
//! backend's model, so the CLI names what the client really has; the flags are
//! those Rust names in kebab-case, so the model's uniqueness checks on setters
//! make flags unique too. The hand-written half of the crate
//! (`pathbound-cli/src/command.rs`) builds the `clap` commands from the tables,
//! reads the values and prints the results.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use pathbound_model::diagnostics::Diagnostics;
use pathbound_model::model as spec;

use super::rust::emit::docs;
use super::rust::emit::{EmittedTokens, type_outside};
use super::rust::model::{self as rust, Field, Place, RustType};
use super::rust::naming::ident;
use crate::{Error, GeneratedFile};

/// Flags the CLI itself takes on every operation command (global flags and the
/// list and body flags): a parameter whose flag would be one of these is a
/// located spec error.
pub const RESERVED_FLAGS: &[&str] = &[
    "all",
    "api-key",
    "base-url",
    "body",
    "debug",
    "dry-run",
    "help",
    "max-items",
    "mock",
    "output",
    "profile",
];

/// Every file of the CLI's command tree for `model`.
///
/// # Errors
///
/// [`Error::Spec`] when a name does not work in Rust or as a flag,
/// [`Error::Emit`] on a generator bug.
pub fn generate(model: &spec::Model) -> Result<Vec<GeneratedFile>, Error> {
    let rust = rust::build(model).map_err(Error::Spec)?;
    check_flags(model).map_err(Error::Spec)?;
    let choices = enum_values(&rust);
    let prefix = rust.path_prefix();
    let mut files = vec![root(model, &rust)];
    for (m, r) in rust
        .modules
        .iter()
        .filter_map(|m| m.resource.as_ref().map(|r| (m, r)))
    {
        let tokens = resource(r, m.description.as_deref(), &prefix, &choices);
        files.push(EmittedTokens {
            path: format!("{}.rs", r.name),
            sources: m.sources.clone(),
            tokens,
        });
    }
    files
        .into_iter()
        .map(EmittedTokens::format)
        .collect::<Result<_, _>>()
        .map_err(Error::Emit)
}

/// The kebab-case flag of a parameter: its Rust name with `-` for `_`.
pub fn flag(rust_name: &str) -> String {
    rust_name.trim_start_matches("r#").replace('_', "-")
}

/// Top-level commands of the CLI besides the resources.
pub const RESERVED_COMMANDS: &[&str] = &["mock", "completions", "help"];

/// No resource may take a command, and no parameter a flag, that the CLI uses
/// itself.
fn check_flags(model: &spec::Model) -> Result<(), Diagnostics> {
    let mut problems = Vec::new();
    for r in &model.resources {
        if RESERVED_COMMANDS.contains(&r.name.as_str()) {
            problems.push(model.diagnostic(
                &r.origin,
                format!(
                    "resource `{}` becomes the command `pathbound {}`, which the CLI uses itself; rename the resource file",
                    r.name, r.name
                ),
            ));
        }
    }
    for op in model.operations() {
        let body = op.body.iter().flat_map(|b| {
            b.fields
                .iter()
                .map(move |f| (f, if b.inline { &f.origin } else { &b.origin }))
        });
        let params = op
            .path_params
            .iter()
            .chain(&op.query)
            .map(|f| (f, &f.origin))
            .chain(body);
        for (f, origin) in params {
            let name = flag(&super::rust::naming::field_name(f));
            if RESERVED_FLAGS.contains(&name.as_str()) {
                let mut d = model.diagnostic(
                    origin,
                    format!(
                        "parameter `{}` of `{}` becomes the command-line flag `--{name}`, which the `pathbound` CLI uses itself",
                        f.wire, op.id
                    ),
                );
                d.help = Some("give it a `rust_name`".into());
                problems.push(d);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems))
    }
}

/// The wire values of every enum schema, by schema name.
fn enum_values(model: &rust::Model) -> BTreeMap<String, Vec<String>> {
    model
        .modules
        .iter()
        .flat_map(|m| &m.schemas)
        .filter_map(|s| match &s.kind {
            rust::Kind::Enum { variants } => Some((
                s.name.clone(),
                variants.iter().map(|v| v.wire.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}

/// `mod.rs`: the resource modules and the table of every resource.
fn root(model: &spec::Model, rust: &rust::Model) -> EmittedTokens {
    let resources: Vec<&rust::Resource> = rust
        .modules
        .iter()
        .filter_map(|m| m.resource.as_ref())
        .collect();
    let mods = resources.iter().map(|r| {
        let n = ident(&r.name);
        quote!(mod #n;)
    });
    let tables = resources.iter().map(|r| {
        let n = ident(&r.name);
        quote!(&#n::RESOURCE)
    });
    let doc = docs::inner(&format!(
        "The `pathbound` command tree for the {} (version {}), generated from the spec: one module per resource.",
        model.api.title, model.api.version
    ));
    let mut sources = vec![model.main_file().to_string()];
    sources.extend(model.resources.iter().map(|r| r.file.clone()));
    let tokens = quote! {
        #doc
        #(#mods)*

        #[doc = " Every resource, in spec order."]
        pub(crate) static RESOURCES: &[&crate::command::Resource] = &[#(#tables),*];
    };
    EmittedTokens {
        path: "mod.rs".into(),
        sources,
        tokens,
    }
}

/// One resource's table and run functions.
fn resource(
    r: &rust::Resource,
    description: Option<&str>,
    prefix: &str,
    choices: &BTreeMap<String, Vec<String>>,
) -> TokenStream {
    let name = &r.name;
    let about = first_sentence(description.unwrap_or(""));
    let module_doc = docs::inner(&format!("The `pathbound {name}` commands."));
    let tables = r.operations.iter().map(|op| table(op, prefix, choices));
    let runs = r.operations.iter().map(|op| run(op, &r.name));
    let any_params = r.operations.iter().any(|op| !params(op).is_empty());
    let imports = if any_params {
        quote!(
            use crate::command::{Invocation, Kind, Operation, Param, Place, Resource, Run};
        )
    } else {
        quote!(
            use crate::command::{Invocation, Operation, Resource, Run};
        )
    };
    quote! {
        #module_doc
        #imports
        use pathbound_client::Client;

        #[doc = " The resource's commands."]
        pub(crate) static RESOURCE: Resource = Resource {
            name: #name,
            about: #about,
            operations: &[#(#tables),*],
        };

        #(#runs)*
    }
}

fn place_tokens(place: Place) -> TokenStream {
    match place {
        Place::Path => quote!(Place::Path),
        Place::Query => quote!(Place::Query),
        Place::Body => quote!(Place::Body),
    }
}

/// How a flag's text becomes a JSON value.
fn kind(ty: &RustType, choices: &BTreeMap<String, Vec<String>>) -> TokenStream {
    match ty {
        RustType::String | RustType::Id(_) | RustType::Timestamp => quote!(Kind::Text),
        RustType::Secret => quote!(Kind::Secret),
        RustType::I64 => quote!(Kind::Integer),
        RustType::F64 => quote!(Kind::Number),
        RustType::Bool => quote!(Kind::Boolean),
        RustType::Json => quote!(Kind::Any),
        RustType::JsonObject | RustType::Map(_) => quote!(Kind::Json),
        RustType::Vec(inner) if !matches!(**inner, RustType::Vec(_)) => {
            let inner = kind(inner, choices);
            quote!(Kind::List(&#inner))
        }
        RustType::Vec(_) => quote!(Kind::Json),
        RustType::Named { name, .. } => match choices.get(name) {
            Some(values) => quote!(Kind::Choice(&[#(#values),*])),
            None => quote!(Kind::Json),
        },
    }
}

/// The first sentence of `text`, on one line: up to the first `. ` that does
/// not end an abbreviation (`e.g. `, `i.e. `).
fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut from = 0;
    while let Some(i) = flat[from..].find(". ").map(|i| i + from) {
        let before = &flat[..i];
        if !["e.g", "i.e", "etc", "vs"]
            .iter()
            .any(|a| before.ends_with(a))
        {
            return flat[..=i].to_string();
        }
        from = i + 2;
    }
    flat
}

/// The help line of a parameter: its description's first sentence, its
/// type and server default.
fn param_help(f: &Field) -> String {
    let mut help = first_sentence(f.description.as_deref().unwrap_or(""));
    let ty = f.ty.spec_expr(&|n| n.to_string());
    let mut facts = vec![ty];
    if let Some(d) = &f.default {
        facts.push(format!("default {d}"));
    }
    if let Some(d) = &f.deprecated {
        facts.push(format!("deprecated: {}", first_sentence(d)));
    }
    if !help.is_empty() {
        help.push(' ');
    }
    help.push_str(&format!("[{}]", facts.join("; ")));
    help
}

fn params(op: &rust::Operation) -> Vec<(&Field, Place)> {
    let mut out: Vec<(&Field, Place)> = op.arguments();
    let optional_query = op
        .query
        .iter()
        .filter(|f| !f.is_argument())
        .map(|f| (f, Place::Query));
    let optional_body = op
        .body
        .iter()
        .flat_map(|b| b.fields.iter())
        .filter(|f| !f.is_argument())
        .map(|f| (f, Place::Body));
    out.extend(optional_query.chain(optional_body));
    out
}

/// The scope line of an operation's help.
fn scope_text(op: &rust::Operation) -> String {
    match (&op.scope, &op.scope_by, op.auth) {
        (Some((s, _)), _, _) => s.clone(),
        (None, Some(by), _) => {
            let each: Vec<String> = by
                .values
                .iter()
                .map(|(value, scope)| format!("{scope} for {}={value}", flag_of(op, &by.param)))
                .collect();
            each.join(", ")
        }
        (None, None, true) => "any valid API key".into(),
        (None, None, false) => "none (public; no API key is sent)".into(),
    }
}

/// `--flag` or `ARG` of the parameter with wire name `wire`.
fn flag_of(op: &rust::Operation, wire: &str) -> String {
    match params(op).into_iter().find(|(f, _)| f.wire == wire) {
        Some((f, _)) if f.is_argument() => flag(&f.rust).to_uppercase(),
        Some((f, _)) => format!("--{}", flag(&f.rust)),
        None => wire.to_string(),
    }
}

/// The `Operation { .. }` table entry.
fn table(
    op: &rust::Operation,
    prefix: &str,
    choices: &BTreeMap<String, Vec<String>>,
) -> TokenStream {
    let id = &op.id;
    let command = op.method_name.trim_start_matches("r#").replace('_', "-");
    let method = op.http_method.as_str();
    let path = format!("{prefix}{}", op.path);
    let summary = op.summary.trim();
    let description = op.description.as_deref().unwrap_or("").trim();
    let scope = scope_text(op);
    let auth = op.auth;
    let errors = op.errors.iter().map(|(c, t)| {
        let c = proc_macro2::Literal::u16_unsuffixed(*c);
        let t = t.trim();
        quote!((#c, #t))
    });
    let list = match &op.pagination {
        Some(p) if op.response.ty.is_some() => {
            let items = &p.items;
            quote!(Some(#items))
        }
        _ => quote!(None),
    };
    let stream = op.has_stream();
    let body = op.body.is_some();
    let run = ident(&op.method_name);
    let params = params(op).into_iter().map(|(f, place)| {
        let wire = &f.wire;
        let flag = flag(&f.rust);
        let place = place_tokens(place);
        let kind = kind(&f.ty, choices);
        let required = f.is_argument();
        let help = param_help(f);
        quote!(Param { wire: #wire, flag: #flag, place: #place, kind: #kind, required: #required, help: #help })
    });
    quote! {
        Operation {
            id: #id,
            command: #command,
            method: #method,
            path: #path,
            summary: #summary,
            description: #description,
            scope: #scope,
            auth: #auth,
            errors: &[#(#errors),*],
            params: &[#(#params),*],
            body: #body,
            list: #list,
            stream: #stream,
            run: #run,
        }
    }
}

/// The function that makes the client's call for one operation.
fn run(op: &rust::Operation, resource: &str) -> TokenStream {
    let krate = quote!(pathbound_client);
    let name = ident(&op.method_name);
    let accessor = ident(resource);
    let take = |f: &Field, place: Place, required: bool| {
        let ty = type_outside(&f.ty, &krate);
        let wire = &f.wire;
        let place = place_tokens(place);
        if required {
            quote!(input.required::<#ty>(#place, #wire)?)
        } else {
            quote!(input.optional::<#ty>(#place, #wire)?)
        }
    };
    let args = op
        .arguments()
        .into_iter()
        .map(|(f, place)| take(f, place, true));
    let setters = params(op)
        .into_iter()
        .filter(|(f, _)| !f.is_argument())
        .map(|(f, place)| {
            let setter = ident(&f.rust);
            let value = take(f, place, false);
            quote! {
                if let Some(value) = #value {
                    request = request.#setter(value);
                }
            }
        });
    let mutable = params(op).iter().any(|(f, _)| !f.is_argument());
    let binding = if mutable {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let send = match (&op.pagination, &op.response.ty) {
        (Some(_), Some(_)) if op.has_stream() => quote! {
            if input.all() {
                return input.print_stream(request.stream()).await;
            }
            input.print_page(request.send_with_response().await)
        },
        (Some(_), Some(_)) => quote!(input.print_page(request.send_with_response().await)),
        _ => quote!(input.print(request.send_with_response().await)),
    };
    let doc = format!(" Calls `{}`.", op.id);
    let input = if params(op).is_empty() {
        quote!(input)
    } else {
        quote!(mut input)
    };
    quote! {
        #[doc = #doc]
        fn #name(client: Client, #input: Invocation) -> Run {
            Box::pin(async move {
                #binding = client.#accessor().#name(#(#args),*);
                #(#setters)*
                #send
            })
        }
    }
}
