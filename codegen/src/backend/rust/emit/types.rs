//! Rust type tokens for model types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::model::{Field, RustType};

/// The type of `ty` as written inside module `module`.
pub fn rust_type(ty: &RustType, module: &str) -> TokenStream {
    match ty {
        RustType::String => quote!(String),
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Timestamp => quote!(runtime::Timestamp),
        RustType::Secret => quote!(runtime::SecretString),
        RustType::Id(name) => {
            let n = format_ident!("{name}");
            quote!(super::ids::#n)
        }
        RustType::Json => quote!(serde_json::Value),
        RustType::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        RustType::Vec(t) => {
            let t = rust_type(t, module);
            quote!(Vec<#t>)
        }
        RustType::Map(t) => {
            let t = rust_type(t, module);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        RustType::Named {
            name,
            module: m,
            boxed,
        } => {
            let n = format_ident!("{name}");
            let path = if m == module {
                quote!(#n)
            } else {
                let m = super::super::naming::ident(m);
                quote!(super::#m::#n)
            };
            if *boxed { quote!(Box<#path>) } else { path }
        }
    }
}

/// The declared type of a field: `T` or `Option<T>`.
pub fn field_type(f: &Field, module: &str) -> TokenStream {
    let t = rust_type(&f.ty, module);
    if f.is_option() { quote!(Option<#t>) } else { t }
}

/// The argument type and conversion for a setter or required argument:
/// `impl Into<T>` for most types, `impl IntoIterator<Item = impl Into<T>>` for lists.
pub fn setter(ty: &RustType, module: &str) -> (TokenStream, TokenStream) {
    match ty {
        RustType::Vec(inner) if !matches!(**inner, RustType::Vec(_)) => {
            let t = rust_type(inner, module);
            (
                quote!(impl IntoIterator<Item = impl Into<#t>>),
                quote!(.into_iter().map(Into::into).collect()),
            )
        }
        RustType::Named { boxed: true, .. } => {
            let t = rust_type(ty, module);
            (quote!(#t), quote!())
        }
        _ => {
            let t = rust_type(ty, module);
            (quote!(impl Into<#t>), quote!(.into()))
        }
    }
}

/// The type of `ty` as another crate names it through the generated client
/// crate `krate` (`::pathbound_client`): generated types through its `types`
/// module, runtime types through its `runtime` re-export. A value of this type
/// can be passed to the setter or argument of the same field.
pub fn type_outside(ty: &RustType, krate: &TokenStream) -> TokenStream {
    match ty {
        RustType::Timestamp => quote!(#krate::runtime::Timestamp),
        RustType::Secret => quote!(#krate::runtime::SecretString),
        RustType::Vec(t) => {
            let t = type_outside(t, krate);
            quote!(Vec<#t>)
        }
        RustType::Map(t) => {
            let t = type_outside(t, krate);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        RustType::Named { name, boxed, .. } => {
            let n = format_ident!("{name}");
            let path = quote!(#krate::types::#n);
            if *boxed { quote!(Box<#path>) } else { path }
        }
        RustType::Id(name) => {
            let n = format_ident!("{name}");
            quote!(#krate::ids::#n)
        }
        RustType::String
        | RustType::I64
        | RustType::F64
        | RustType::Bool
        | RustType::Json
        | RustType::JsonObject => rust_type(ty, ""),
    }
}
