//! Resource accessors and request builders.
//!
//! Every operation becomes a method on its resource's accessor that takes the
//! required arguments and returns a request value; optional parameters are builder
//! methods on that value, and `.send().await` performs it. All HTTP work is done by
//! the hand-written runtime (`crate::runtime`), so each operation adds little code.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::model::{Field, Operation, Place, Resource, RustType};
use super::super::naming::ident;
use super::docs;
use super::examples::Examples;
use super::types::{field_type, rust_type, setter};
use pathbound_model::model::ListStyle;
use pathbound_model::wire::{Method as HttpMethod, PaginationStyle};

/// `Client::<resource>()`, the method that returns a resource's accessor.
pub fn accessor(r: &Resource, description: Option<&str>) -> TokenStream {
    let api = format_ident!("{}", r.api_struct);
    let accessor = ident(&r.name);
    let doc = docs::outer(&format!(
        "The `{}` operations. {}",
        r.name,
        docs::first_sentence(description.unwrap_or(""))
    ));
    quote! {
        #doc
        pub fn #accessor(&self) -> #accessor::#api<'_> {
            #accessor::#api { client: &self.inner }
        }
    }
}

/// The accessor struct and every request of a resource.
pub fn resource(r: &Resource, path_prefix: &str, examples: &Examples<'_>) -> TokenStream {
    let api = format_ident!("{}", r.api_struct);
    let api_doc = docs::outer(&format!(
        "The `{}` operations; get one with [`Client::{}`](super::Client::{}).",
        r.name, r.name, r.name
    ));
    let methods = r
        .operations
        .iter()
        .map(|op| constructor(op, &r.name, path_prefix, examples));
    let requests = r
        .operations
        .iter()
        .map(|op| request(op, &r.name, path_prefix));
    quote! {
        #api_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #api<'a> {
            pub(crate) client: &'a runtime::Client,
        }

        impl #api<'_> {
            #(#methods)*
        }

        #(#requests)*
    }
}

/// The accessor method that starts a request.
fn constructor(
    op: &Operation,
    module: &str,
    path_prefix: &str,
    examples: &Examples<'_>,
) -> TokenStream {
    let mut text = docs::operation(op, path_prefix);
    if let Some(example) = examples.doc(module, op) {
        text.push_str("\n\n");
        text.push_str(&example);
    }
    let doc = docs::outer(&text);
    let name = ident(&op.method_name);
    let req = format_ident!("{}", op.request_struct);
    let args = op.arguments();
    let params = args.iter().map(|(f, _)| {
        let n = ident(&f.rust);
        let (ty, _) = setter(&f.ty, module);
        quote!(#n: #ty)
    });
    let value_of = |f: &Field| {
        let n = ident(&f.rust);
        let (_, conv) = setter(&f.ty, module);
        quote!(#n #conv)
    };
    let path_inits = args
        .iter()
        .filter(|(_, p)| *p == Place::Path)
        .map(|(f, _)| {
            let n = ident(&f.rust);
            let v = value_of(f);
            quote!(#n: #v,)
        });
    let init_fields = |fields: &[Field], place: Place| -> Vec<TokenStream> {
        fields
            .iter()
            .map(|f| {
                let n = ident(&f.rust);
                if args.iter().any(|(a, p)| *p == place && a.rust == f.rust) {
                    let v = value_of(f);
                    quote!(#n: #v,)
                } else {
                    quote!(#n: None,)
                }
            })
            .collect()
    };
    let query_init = op.query_struct.as_ref().map(|q| {
        let q = format_ident!("{q}");
        if !op.query_default {
            let inits = init_fields(&op.query, Place::Query);
            return quote!(query: #q { #(#inits)* },);
        }
        let inits: Vec<TokenStream> = args
            .iter()
            .filter(|(_, p)| *p == Place::Query)
            .map(|(f, _)| {
                let n = ident(&f.rust);
                let v = value_of(f);
                quote!(#n: #v,)
            })
            .collect();
        if inits.is_empty() {
            quote!(query: #q::default(),)
        } else {
            quote!(query: #q { #(#inits)* ..#q::default() },)
        }
    });
    let body_init = op.body.as_ref().map(|b| {
        let t = rust_type(&b.ty(), module);
        let inits = init_fields(&b.fields, Place::Body);
        let extra = b.keep_extra.then(|| quote!(extra: serde_json::Map::new(),));
        quote!(body: #t { #(#inits)* #extra },)
    });
    let too_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #too_many
        pub fn #name(&self, #(#params),*) -> #req {
            #req {
                client: self.client.clone(),
                options: runtime::RequestOptions::default(),
                #(#path_inits)*
                #query_init
                #body_init
            }
        }
    }
}

/// The request struct, its metadata constant, setters and `send`.
fn request(op: &Operation, module: &str, path_prefix: &str) -> TokenStream {
    let req = format_ident!("{}", op.request_struct);
    let has_setters = op.query.iter().any(|f| !f.is_argument())
        || op
            .body
            .iter()
            .flat_map(|b| b.fields.iter())
            .any(|f| !f.is_argument());
    let then = if has_setters {
        "set optional parameters, then `.send().await` it"
    } else {
        "`.send().await` it"
    };
    let doc = docs::outer(&format!(
        "A prepared `{}` request (`{} {path_prefix}{}`): {then} (see [Requests](runtime#requests)).",
        op.id,
        op.http_method.as_str(),
        op.path
    ));
    let path_fields = op.path_params.iter().map(|f| {
        let n = ident(&f.rust);
        let t = rust_type(&f.ty, module);
        quote!(#n: #t,)
    });
    let query_field = op.query_struct.as_ref().map(|q| {
        let q = format_ident!("{q}");
        quote!(query: #q,)
    });
    let body_field = op.body.as_ref().map(|b| {
        let t = rust_type(&b.ty(), module);
        quote!(body: #t,)
    });
    let query_struct = op
        .query_struct
        .as_ref()
        .map(|q| query_struct(op, q, module));
    let setters_query = op
        .query
        .iter()
        .filter(|f| !f.is_argument())
        .map(|f| setter_method(f, quote!(query), module));
    let setters_body = op
        .body
        .iter()
        .flat_map(|b| b.fields.iter())
        .filter(|f| !f.is_argument())
        .map(|f| setter_method(f, quote!(body), module));
    let operation = operation_const(op, path_prefix);
    let send = send(op, module);
    let stream = op.has_stream().then(|| paginated_impl(op, module));
    quote! {
        #query_struct

        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until you `.send().await` it"]
        pub struct #req {
            client: runtime::Client,
            options: runtime::RequestOptions,
            #(#path_fields)*
            #query_field
            #body_field
        }

        impl #req {
            #operation

            #(#setters_query)*
            #(#setters_body)*

            #[doc = " Overrides the client's timeout, retries or deadline for this request."]
            pub fn options(mut self, options: runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send
        }

        #stream
    }
}

/// The query-string struct of an operation.
fn query_struct(op: &Operation, name: &str, module: &str) -> TokenStream {
    let name = format_ident!("{name}");
    let doc = docs::outer(&format!(
        "Query-string parameters of [`{}`].",
        op.request_struct
    ));
    // Private: the setters carry the documentation.
    let fields = op.query.iter().map(|f| {
        let n = ident(&f.rust);
        let t = field_type(f, module);
        let wire = &f.wire;
        let rename = (f.rust != f.wire).then(|| quote!(rename = #wire,));
        // Lists: one comma-joined value (nothing when empty), or (repeat) added
        // pair by pair in `send`.
        let skip = match (f.list_style, f.is_option()) {
            (Some(ListStyle::Comma), true) => Some(quote!(
                skip_serializing_if = "runtime::__private::query::is_none_or_empty",
            )),
            (Some(ListStyle::Comma), false) => Some(quote!(skip_serializing_if = "Vec::is_empty",)),
            (_, true) => Some(quote!(skip_serializing_if = "Option::is_none",)),
            (_, false) => None,
        };
        let list = match f.list_style {
            Some(ListStyle::Comma) => {
                let with = if f.is_option() {
                    "runtime::__private::query::comma_opt"
                } else {
                    "runtime::__private::query::comma"
                };
                Some(quote!(serialize_with = #with,))
            }
            Some(ListStyle::Repeat) => Some(quote!(skip,)),
            None => None,
        };
        let serde = if rename.is_some() || skip.is_some() || list.is_some() {
            quote!(#[serde(#rename #skip #list)])
        } else {
            quote!()
        };
        quote!(#serde #n: #t,)
    });
    let default = op.query_default.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
        struct #name {
            #(#fields)*
        }
    }
}

/// `pub fn limit(mut self, value: impl Into<i64>) -> Self`.
fn setter_method(f: &Field, target: TokenStream, module: &str) -> TokenStream {
    let doc = docs::outer(&docs::field(f));
    let n = ident(&f.rust);
    let (ty, conv) = setter(&f.ty, module);
    quote! {
        #doc
        pub fn #n(mut self, #n: #ty) -> Self {
            self.#target.#n = Some(#n #conv);
            self
        }
    }
}

/// `pub const OPERATION: Operation = Operation { .. };`
fn operation_const(op: &Operation, path_prefix: &str) -> TokenStream {
    let id = &op.id;
    let method = format_ident!(
        "{}",
        match op.http_method {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Delete => "Delete",
        }
    );
    let path = format!("{path_prefix}{}", op.path);
    let scope = match &op.scope {
        Some((wire, _)) => quote!(Some(#wire)),
        None => quote!(None),
    };
    let scope_by = match &op.scope_by {
        Some(by) => {
            let param = &by.param;
            let pairs = by.values.iter().map(|(v, s)| quote!((#v, #s)));
            quote!(Some(runtime::ScopeBy { param: #param, values: &[#(#pairs),*] }))
        }
        None => quote!(None),
    };
    let auth = op.auth;
    let retry_safe = op.retry_safe;
    quote! {
        #[doc = " What this operation is: its method, path, scope (also as a [`Scope`](runtime::Scope): [`required_scope`](runtime::Operation::required_scope)) and retry policy."]
        pub const OPERATION: runtime::Operation = runtime::Operation {
            id: #id,
            method: runtime::Method::#method,
            path: #path,
            scope: #scope,
            scope_by: #scope_by,
            auth: #auth,
            retry_safe: #retry_safe,
        };
    }
}

/// Client-side checks of documented limits, run before anything is sent.
fn checks(op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut add = |f: &Field, target: TokenStream| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let access = quote!(self.#target #n);
        if f.min.is_some() || f.max.is_some() {
            let value = if f.is_option() {
                quote!(#access)
            } else {
                quote!(Some(#access))
            };
            if f.ty == RustType::F64 {
                let min = opt_f64(f.min);
                let max = opt_f64(f.max);
                out.push(quote!(runtime::__private::validate::range_f64(Self::OPERATION.id, #wire, #value, #min, #max)?;));
            } else {
                let min = opt_i64(f.min);
                let max = opt_i64(f.max);
                out.push(quote!(runtime::__private::validate::range(Self::OPERATION.id, #wire, #value, #min, #max)?;));
            }
        }
        if f.min_items.is_some() || f.max_items.is_some() {
            let len = if f.is_option() {
                quote!(#access.as_ref().map(Vec::len))
            } else {
                quote!(Some(#access.len()))
            };
            let min = opt_usize(f.min_items);
            let max = opt_usize(f.max_items);
            out.push(quote!(runtime::__private::validate::items(Self::OPERATION.id, #wire, #len, #min, #max)?;));
        }
    };
    for f in op.path_params.iter().filter(|f| f.has_checks()) {
        add(f, quote!());
    }
    for f in op.query.iter().filter(|f| f.has_checks()) {
        add(f, quote!(query.));
    }
    for f in op
        .body
        .iter()
        .flat_map(|b| b.fields.iter())
        .filter(|f| f.has_checks())
    {
        add(f, quote!(body.));
    }
    out
}

fn opt_i64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = proc_macro2::Literal::i64_unsuffixed(v as i64);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = proc_macro2::Literal::f64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn opt_usize(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = proc_macro2::Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// The return type of `send`.
fn return_type(op: &Operation, module: &str) -> TokenStream {
    match (&op.pagination, &op.response.ty) {
        (Some(_), Some(t)) => {
            let t = rust_type(t, module);
            quote!(runtime::Page<#t>)
        }
        (_, Some(t)) => rust_type(t, module),
        (_, None) => quote!(()),
    }
}

/// `pub async fn send(self) -> Result<T>`.
fn send(op: &Operation, module: &str) -> TokenStream {
    let ret = return_type(op, module);
    let checks = checks(op);
    let prepare = prepare_call(op);
    let decode = match (&op.pagination, &op.response.key, &op.response.ty) {
        (Some(p), _, _) => {
            let items = &p.items;
            let style = style_tokens(p.style);
            quote!(response.decode_page(#items, #style))
        }
        (None, Some(k), Some(_)) => quote!(response.decode_key(#k)),
        (None, None, Some(_)) => quote!(response.decode()),
        (None, _, None) => quote!(response.ignore_body()),
    };
    let doc = docs::outer(&format!(
        "Sends the request and decodes the `{}` response. Errors: see [Requests](runtime#requests).",
        op.response.status
    ));
    let raw_doc = docs::outer(
        "Like [`send`](Self::send), also returning the response's status, headers and request id.",
    );
    quote! {
        #doc
        pub async fn send(self) -> runtime::Result<#ret> {
            self.send_with_response().await.map(runtime::WithResponse::into_value)
        }

        #raw_doc
        pub async fn send_with_response(self) -> runtime::Result<runtime::WithResponse<#ret>> {
            #(#checks)*
            #prepare
            let response = self.client.execute(call).await?;
            response.with_meta(|response| #decode)
        }
    }
}

/// Builds `let call = Call::new(..)...;`, with string copies of integer path params.
fn prepare_call(op: &Operation) -> TokenStream {
    let conversions = op
        .path_params
        .iter()
        .filter(|f| !matches!(f.ty, RustType::String | RustType::Id(_)))
        .map(|f| {
            let n = ident(&f.rust);
            quote!(let #n = self.#n.to_string();)
        });
    let args = op.path_params.iter().map(|f| {
        let n = ident(&f.rust);
        if matches!(f.ty, RustType::String | RustType::Id(_)) {
            quote!(self.#n.as_str())
        } else {
            quote!(#n.as_str())
        }
    });
    let bind_args = (!op.path_params.is_empty()).then(|| quote!(let path_args = [#(#args),*];));
    let path_args = (!op.path_params.is_empty()).then(|| quote!(.path_args(&path_args)));
    let fixed = (!op.fixed_query.is_empty()).then(|| {
        let pairs = op.fixed_query.iter().map(|(k, v)| quote!((#k, #v)));
        quote!(.fixed_query(&[#(#pairs),*]))
    });
    let query = op
        .query_struct
        .as_ref()
        .map(|_| quote!(.query(&self.query)?));
    let repeated = op
        .query
        .iter()
        .filter(|f| f.list_style == Some(ListStyle::Repeat))
        .map(|f| {
            let n = ident(&f.rust);
            let wire = &f.wire;
            let items = if f.is_option() {
                quote!(self.query.#n.as_deref())
            } else {
                quote!(Some(&self.query.#n[..]))
            };
            quote!(.query_repeated(#wire, #items)?)
        });
    let body = op.body.as_ref().map(|_| quote!(.json(&self.body)?));
    let scope_param = op.scope_by.as_ref().map(|by| {
        let access = by.access.iter().map(|name| ident(name));
        quote!(.scope_param(self.#(#access).*.as_str()))
    });
    quote! {
        #(#conversions)*
        #bind_args
        let call = runtime::__private::Call::new(&Self::OPERATION, &self.options)
            #path_args
            #fixed
            #query
            #(#repeated)*
            #body
            #scope_param;
    }
}

fn style_tokens(style: PaginationStyle) -> TokenStream {
    match style {
        PaginationStyle::Page => quote!(runtime::PaginationStyle::Page),
        PaginationStyle::Skip => quote!(runtime::PaginationStyle::Skip),
        PaginationStyle::Offset => quote!(runtime::PaginationStyle::Offset),
    }
}

/// Paginated requests: `PagedRequest` (so the runtime can walk pages) and `.stream()`.
fn paginated_impl(op: &Operation, module: &str) -> TokenStream {
    let req = format_ident!("{}", op.request_struct);
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let Some(item) = &op.response.ty else {
        return quote!();
    };
    let item = rust_type(item, module);
    let position_param = p.style.envelope().position;
    let Some(position) = op.query.iter().find(|f| f.wire == position_param) else {
        return quote!();
    };
    let field = ident(&position.rust);
    let value = quote!(i64::try_from(position).unwrap_or(i64::MAX));
    let assign = if position.is_option() {
        quote!(Some(#value))
    } else {
        value
    };
    let current = if position.is_option() {
        quote!(self.query.#field.and_then(|position| u64::try_from(position).ok()))
    } else {
        quote!(u64::try_from(self.query.#field).ok())
    };
    let doc = docs::outer(&format!(
        "Every `{}` item across all pages, as a lazy `Stream`: the next page is fetched only when needed, and the stream ends after the last page. Cap it with `.max_items(n)`.",
        p.items
    ));
    quote! {
        impl #req {
            #doc
            pub fn stream(self) -> runtime::PageStream<Self> {
                runtime::PageStream::new(self)
            }
        }

        impl runtime::__private::PagedRequest for #req {
            type Item = #item;

            fn set_position(&mut self, position: u64) {
                self.query.#field = #assign;
            }

            fn position(&self) -> Option<u64> {
                #current
            }

            fn fetch_page(self) -> runtime::__private::PageFuture<Self::Item> {
                Box::pin(self.send())
            }
        }
    }
}
