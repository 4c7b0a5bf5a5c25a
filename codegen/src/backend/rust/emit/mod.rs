//! Model to formatted Rust source files.
//!
//! Tokens are built with `quote`, parsed back with `syn` (which catches any
//! malformed output as an error rather than a broken file) and printed with
//! `prettyplease`. Nothing here depends on time, randomness or hash order, so the
//! same model always gives byte-identical files.

pub mod docs;
pub mod examples;
mod operations;
mod schemas;
mod types;

pub use types::type_outside;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Model, Module, RustType};
use super::naming::ident;

/// One generated file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, e.g. `contacts.rs`.
    pub path: String,
    /// The formatted source, header included.
    pub contents: String,
}

/// Emission failed: the generator produced tokens that are not valid Rust.
/// This is a bug in the generator, reported rather than panicking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    /// The file being generated.
    pub file: String,
    /// The parser's message.
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "internal generator error in {}: the emitted code does not parse: {}",
            self.file, self.message
        )
    }
}

impl std::error::Error for EmitError {}

/// Emits every file for `model`, in a fixed order.
pub fn emit(model: &Model) -> Result<Vec<GeneratedFile>, EmitError> {
    emit_tokens(model)
        .into_iter()
        .map(EmittedTokens::format)
        .collect()
}

/// One file's tokens, before they are parsed back and formatted.
///
/// [`emit`] is [`emit_tokens`] followed by [`EmittedTokens::format`] on each file;
/// the two halves are public so a benchmark can time them apart.
#[derive(Debug, Clone)]
pub struct EmittedTokens {
    /// Path relative to the output directory, e.g. `contacts.rs`.
    pub path: String,
    /// Spec files the file is generated from (for its header).
    pub sources: Vec<String>,
    /// The unformatted tokens.
    pub tokens: TokenStream,
}

impl EmittedTokens {
    /// Parses the tokens with `syn` and prints them with `prettyplease`.
    ///
    /// # Errors
    ///
    /// [`EmitError`] when the tokens are not valid Rust (a generator bug).
    pub fn format(self) -> Result<GeneratedFile, EmitError> {
        file(&self.path, &self.sources, self.tokens)
    }
}

/// The tokens of every file for `model`, in the order of [`emit`], unformatted.
pub fn emit_tokens(model: &Model) -> Vec<EmittedTokens> {
    let prefix = model.path_prefix();
    let all_sources = all_sources(model);
    let mut files = vec![
        EmittedTokens {
            path: "mod.rs".into(),
            sources: all_sources,
            tokens: root(model),
        },
        EmittedTokens {
            path: "scopes.rs".into(),
            sources: vec![model.main_file.clone()],
            tokens: scopes(model),
        },
        EmittedTokens {
            path: "ids.rs".into(),
            sources: vec![model.main_file.clone()],
            tokens: ids(model),
        },
    ];
    let examples = examples::Examples::new(model);
    for m in &model.modules {
        files.push(EmittedTokens {
            path: format!("{}.rs", m.name),
            sources: m.sources.clone(),
            tokens: module(m, &prefix, &examples),
        });
    }
    files
}

/// `mod.rs` of the generated examples test support: every operation with its
/// example call (the one its rustdoc shows), for a test to run against the mock.
pub fn examples_file(model: &Model) -> Result<GeneratedFile, EmitError> {
    let examples = examples::Examples::new(model);
    let krate = format_ident!("{}", model.crate_name);
    let mut calls = Vec::new();
    let mut without = Vec::new();
    for r in model.modules.iter().filter_map(|m| m.resource.as_ref()) {
        for op in &r.operations {
            let Some(text) = examples.call(&r.name, op) else {
                without.push(op.id.clone());
                continue;
            };
            let call: syn::Expr = syn::parse_str(&text).map_err(|e| EmitError {
                file: "examples".into(),
                message: format!("{}: {e}", op.id),
            })?;
            let id = &op.id;
            calls.push(quote! {
                (#id, |client| Box::pin(async move { #call.send().await.map(drop) })),
            });
        }
    }
    let doc = docs::inner(
        "Every operation of the spec with the example call its rustdoc shows, for\n`tests/tests/examples.rs` to run against the mock.",
    );
    let tokens = quote! {
        #doc
        use std::future::Future;
        use std::pin::Pin;

        use #krate::Client;

        #[doc = " Runs one operation from its example on a client."]
        pub type Call = fn(Client) -> Pin<Box<dyn Future<Output = #krate::Result<()>> + Send>>;

        #[doc = " Every operation with an example, in spec order: its id and its call."]
        pub const ALL: &[(&str, Call)] = &[#(#calls)*];

        #[doc = " Operations with an argument the generator cannot make an example of (a union, an object without defaults, a list of lists): not run."]
        pub const WITHOUT_EXAMPLE: &[&str] = &[#(#without),*];
    };
    file("mod.rs", &all_sources(model), tokens)
}

/// `mod.rs` of the hostile decoding test's list of cases: every type a `send()`
/// returns with the envelope its operation uses, for the `every_response_type!`
/// and `seed_from_default!` macros of `pathbound-client/tests/hostile_decode.rs`.
pub fn responses_file(model: &Model) -> Result<GeneratedFile, EmitError> {
    // Types as the test names them: through the client crate, as any user would.
    let krate: TokenStream = {
        let k = format_ident!("{}", model.crate_name);
        quote!(#k)
    };
    let outside = |ty: &RustType| -> String {
        let text: String = type_outside(ty, &krate)
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        text.replace(',', ", ")
    };
    fn item(ty: &RustType) -> &RustType {
        match ty {
            RustType::Vec(t) => item(t),
            other => other,
        }
    }
    let krate = &model.crate_name;
    let mut seeds: Vec<String> = Vec::new();
    let mut cases: Vec<(String, String, String)> = Vec::new();
    for r in model.modules.iter().filter_map(|m| m.resource.as_ref()) {
        for op in &r.operations {
            let Some(ty) = &op.response.ty else {
                continue;
            };
            let seed = outside(item(ty));
            if !seeds.contains(&seed) {
                seeds.push(seed);
            }
            let (name, ty, decode) = match (&op.pagination, &op.response.key) {
                (Some(p), _) => (
                    format!("page_{}", p.items),
                    format!("{krate}::Page<{}>", outside(ty)),
                    format!(
                        "decode_page({:?}, {krate}::runtime::PaginationStyle::{:?})",
                        p.items, p.style
                    ),
                ),
                (None, Some(key)) => (
                    format!("key_{key}"),
                    outside(ty),
                    format!("decode_key({key:?})"),
                ),
                (None, None) => {
                    let text = outside(ty);
                    let last = text.rsplit("::").next().unwrap_or(&text);
                    (
                        format!("whole_{}", heck::ToSnakeCase::to_snake_case(last)),
                        text.clone(),
                        "decode()".into(),
                    )
                }
            };
            let name = super::naming::snake(&name);
            if !cases.iter().any(|(_, t, d)| *t == ty && *d == decode) {
                let mut unique = name.clone();
                let mut n = 2;
                while cases.iter().any(|(c, _, _)| *c == unique) {
                    unique = format!("{name}_{n}");
                    n += 1;
                }
                cases.push((unique, ty, decode));
            }
        }
    }
    let mut text = String::from(
        "//! Every type a `send()` of the generated client returns, with the envelope its\n//! operation decodes, for `hostile_decode.rs` to test with hostile bodies.\nuse super::*;\n\n",
    );
    text.push_str(&format!(
        "seed_from_default!(\n    {},\n);\n\n",
        seeds.join(",\n    ")
    ));
    text.push_str("every_response_type! {\n");
    for (name, ty, decode) in &cases {
        text.push_str(&format!("    {name}: {ty} = {decode};\n"));
    }
    text.push_str("}\n");
    Ok(GeneratedFile {
        path: "mod.rs".into(),
        contents: header(&all_sources(model)) + &text,
    })
}

/// Every spec file the model comes from, in order, once each.
fn all_sources(model: &Model) -> Vec<String> {
    let mut sources: Vec<String> = model
        .modules
        .iter()
        .flat_map(|m| m.sources.iter().cloned())
        .collect();
    sources.sort();
    sources.dedup();
    sources
}

/// The header of every generated file: what it is generated from, and how.
fn header(sources: &[String]) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from {}.\n// Do not edit by hand: change the spec and run `cargo xtask codegen`.\n\n",
        sources.join(", ")
    )
}

fn file(path: &str, sources: &[String], tokens: TokenStream) -> Result<GeneratedFile, EmitError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| EmitError {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    let body = space_items(&prettyplease::unparse(&parsed));
    Ok(GeneratedFile {
        path: path.to_string(),
        contents: header(sources) + &body,
    })
}

/// Puts a blank line between items, as rustfmt-formatted code has them:
/// prettyplease prints none. A line that opens an item (its docs, attributes
/// or signature) gets one when the line before closes an item; runs of `use`
/// and `mod` declarations stay together.
fn space_items(text: &str) -> String {
    fn opens_item(line: &str) -> bool {
        [
            "///", "#[", "pub ", "fn ", "impl", "struct ", "enum ", "const ", "type ", "mod ",
            "use ",
        ]
        .iter()
        .any(|start| line.starts_with(start))
    }
    fn declaration(line: &str) -> bool {
        let line = line.strip_prefix("pub ").unwrap_or(line);
        (line.starts_with("use ") || line.starts_with("mod ")) && line.ends_with(';')
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(before) = previous {
            let closes = !before.starts_with("//") && (before == "}" || before.ends_with(';'));
            if closes && opens_item(trimmed) && !(declaration(before) && declaration(trimmed)) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(trimmed);
    }
    out
}

fn has_items(m: &Module) -> bool {
    !m.schemas.is_empty() || m.resource.is_some()
}

fn root(model: &Model) -> TokenStream {
    let api = &model.api;
    let mut text = format!(
        "The {} (version {}), generated from the spec.",
        api.title, api.version
    );
    if let Some(d) = &api.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    text.push_str("\n\nOne module per resource; [`types`] re-exports every generated type.");
    let doc = docs::inner(&text);
    let mods = model.modules.iter().map(|m| {
        let n = ident(&m.name);
        let d = docs::outer(&docs::first_sentence(
            m.description.as_deref().unwrap_or(""),
        ));
        quote!(#d pub mod #n;)
    });
    let globs = model.modules.iter().filter(|m| has_items(m)).map(|m| {
        let n = ident(&m.name);
        quote!(pub use super::#n::*;)
    });
    let base_url = &api.base_url;
    let key_env = &api.api_key_env;
    let url_env = &api.base_url_env;
    let new_doc = format!(
        " A client for the {} at [`DEFAULT_BASE_URL`], authenticating with `api_key`.",
        api.title
    );
    let client_doc = format!(" A client for the {}.", api.title);
    let accessors = model.modules.iter().filter_map(|m| {
        m.resource
            .as_ref()
            .map(|r| operations::accessor(r, m.description.as_deref()))
    });
    let env_doc = format!(
        " A client configured from the environment: the API key from `{key_env}` (required) and the base URL from `{url_env}` (optional; empty counts as unset)."
    );
    quote! {
        #doc
        use ::pathbound_runtime as runtime;

        #(#mods)*
        pub mod ids;
        pub mod scopes;
        pub use runtime::Scope;

        #[doc = " The production base URL."]
        pub const DEFAULT_BASE_URL: &str = #base_url;
        #[doc = " The environment variable `Client::from_env` reads the API key from."]
        pub const API_KEY_ENV: &str = #key_env;
        #[doc = " The environment variable that overrides the base URL."]
        pub const BASE_URL_ENV: &str = #url_env;
        #[doc = " What the runtime needs to know about this API to configure a client."]
        #[doc(hidden)]
        pub const API: runtime::__private::ApiDefaults = runtime::__private::ApiDefaults {
            base_url: DEFAULT_BASE_URL,
            api_key_env: API_KEY_ENV,
            base_url_env: BASE_URL_ENV,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
        };

        #[doc = #client_doc]
        #[doc = ""]
        #[doc = " Cheap to clone: clones share one connection pool and configuration, so create one at start-up and pass clones around. The API key is never shown by `Debug`. How requests are sent, retried, checked and traced is described on [`pathbound_runtime::Client`](runtime::Client)."]
        #[derive(Clone)]
        pub struct Client {
            inner: runtime::Client,
        }

        #[doc = " The settings of a [`Client`]: base URL, timeouts, retries, user agent, scopes, your own `reqwest::Client`. Get one with [`Client::builder`]."]
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl runtime::__private::FromRuntime for Client {
            fn from_runtime(inner: runtime::Client) -> Self {
                Client { inner }
            }
        }

        impl Client {
            #[doc = #new_doc]
            #[doc = ""]
            #[doc = " # Errors"]
            #[doc = ""]
            #[doc = " [`Error::Config`](runtime::Error::Config) when the key is empty or cannot be sent in a header."]
            pub fn new(api_key: impl Into<String>) -> runtime::Result<Self> {
                Self::builder().api_key(api_key).build()
            }

            #[doc = #env_doc]
            #[doc = ""]
            #[doc = " # Errors"]
            #[doc = ""]
            #[doc = " [`Error::Config`](runtime::Error::Config) when the key is missing or a variable is not valid."]
            pub fn from_env() -> runtime::Result<Self> {
                ClientBuilder::from_env(&API)?.build()
            }

            #[doc = " A builder for the less common settings: base URL, timeouts, retries, user agent, scopes, your own `reqwest::Client`."]
            pub fn builder() -> ClientBuilder {
                ClientBuilder::for_api(&API)
            }

            #[doc = " A copy of this client with client-side scope checks on, for a key that grants `scopes`: a request whose scope the key lacks fails with `Error::MissingScope` before anything is sent. Typically fed with `auth().status()`'s scopes. The copy shares the connection pool and settings."]
            pub fn with_scopes(&self, scopes: impl IntoIterator<Item = impl Into<runtime::Scope>>) -> Self {
                Client { inner: self.inner.with_scopes(scopes) }
            }

            #[doc = " A copy of this client with client-side scope checks off (the default): every request is sent and the server decides."]
            pub fn without_scope_checks(&self) -> Self {
                Client { inner: self.inner.without_scope_checks() }
            }

            #[doc = " The scopes checked before sending (sorted), or `None` when client-side scope checks are off."]
            pub fn scopes(&self) -> Option<&[runtime::Scope]> {
                self.inner.scopes()
            }

            #[doc = " The API root requests go to, without a trailing slash."]
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            #(#accessors)*
        }

        #[doc = " Every generated type, for `use pathbound_client::types::*`."]
        pub mod types {
            #(#globs)*
        }
    }
}

/// `ids.rs`: one id type per `<kind>_id` name the spec uses.
fn ids(model: &Model) -> TokenStream {
    let kinds: Vec<proc_macro2::Ident> = model
        .ids
        .iter()
        .map(|id| format_ident!("{}", super::naming::id_kind(id)))
        .collect();
    let aliases = model.ids.iter().zip(&kinds).map(|(id, kind)| {
        let name = format_ident!("{id}");
        let field = heck::ToSnakeCase::to_snake_case(id.as_str());
        let doc = docs::outer(&format!("An id sent or received as `{field}`."));
        quote!(#doc pub type #name = runtime::Id<kind::#kind>;)
    });
    let doc = docs::inner(
        "Ids typed by what they identify.\n\nEvery string the API names `<kind>_id` has its own type here, a [`runtime::Id`] over a marker: a contact id cannot be passed where a note id is expected, while `\"ct_123\".into()` and `String`s still convert, and an id reads as a `&str`.",
    );
    quote! {
        #doc
        use ::pathbound_runtime as runtime;

        #(#aliases)*

        #[doc = " The markers that tell the id types apart (never values)."]
        #[doc(hidden)]
        pub mod kind {
            #(
                #[doc(hidden)]
                pub enum #kinds {}
            )*
        }
    }
}

fn scopes(model: &Model) -> TokenStream {
    let consts = model.scopes.iter().map(|s| {
        let name = format_ident!("{}", s.constant);
        let wire = &s.wire;
        let mut text = format!("`{wire}`: {}", s.description.trim());
        if s.opt_in {
            text.push_str(" Granted only when chosen explicitly (never to a legacy key).");
        }
        let doc = docs::outer(&text);
        quote!(#doc pub const #name: Scope = Scope::from_static(#wire);)
    });
    let all = model.scopes.iter().map(|s| format_ident!("{}", s.constant));
    let opt_in = model
        .scopes
        .iter()
        .filter(|s| s.opt_in)
        .map(|s| format_ident!("{}", s.constant));
    let doc = docs::inner(
        "The scopes an API key can be granted, as [`Scope`] constants.\n\nPass them (or scope names as strings, e.g. from `auth().status()`) to [`ClientBuilder::scopes`](super::ClientBuilder::scopes) or [`Client::with_scopes`](super::Client::with_scopes); compare them with [`Error::missing_scope`](runtime::Error::missing_scope) and an operation's [`required_scope`](runtime::Operation::required_scope).",
    );
    quote! {
        #doc
        use ::pathbound_runtime as runtime;
        use runtime::Scope;

        #(#consts)*

        #[doc = " Every scope the spec defines, in its order."]
        pub const ALL: &[Scope] = &[#(#all),*];

        #[doc = " The scopes granted only when chosen explicitly (never to a legacy key)."]
        pub const OPT_IN: &[Scope] = &[#(#opt_in),*];
    }
}

fn module(m: &Module, prefix: &str, examples: &examples::Examples<'_>) -> TokenStream {
    let doc = docs::inner(m.description.as_deref().unwrap_or("Generated types."));
    let schemas = m.schemas.iter().map(|s| schemas::schema(s, &m.name));
    let resource = m
        .resource
        .as_ref()
        .map(|r| operations::resource(r, prefix, examples));
    let items = quote! {
        #resource
        #(#schemas)*
    };
    let import = runtime_import(&items);
    quote! {
        #doc
        #import
        #items
    }
}

/// `use ::pathbound_runtime as runtime;` when `items` name the runtime.
///
/// Generated code reaches the runtime crate as `runtime::…` (user-facing types)
/// and `runtime::__private::…` (plumbing), in code and in serde's `with` paths.
fn runtime_import(items: &TokenStream) -> Option<TokenStream> {
    fn uses_runtime(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => i == "runtime",
            proc_macro2::TokenTree::Literal(l) => l.to_string().contains("runtime::"),
            proc_macro2::TokenTree::Group(g) => uses_runtime(g.stream()),
            proc_macro2::TokenTree::Punct(_) => false,
        })
    }
    uses_runtime(items.clone()).then(|| {
        quote!(
            use ::pathbound_runtime as runtime;
        )
    })
}
