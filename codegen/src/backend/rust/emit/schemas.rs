//! Serde types for schemas: structs, open enums and untagged unions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::model::{Field, Kind, RustType, Schema, UnionVariant};
use super::super::naming::ident;
use super::docs;
use super::types::{field_type, rust_type};

/// Tokens for one schema, declared in module `module`.
pub fn schema(s: &Schema, module: &str) -> TokenStream {
    match &s.kind {
        Kind::Object {
            fields,
            keep_extra,
            default,
        } => object(s, fields, *keep_extra, *default, module),
        Kind::Enum { variants } => {
            let items: Vec<(String, String, Option<String>)> = variants
                .iter()
                .map(|v| (v.wire.clone(), v.rust.clone(), v.description.clone()))
                .collect();
            open_enum(&s.name, &s.description, &items, quote!())
        }
        Kind::Union { variants } => union(s, variants, module),
    }
}

/// A struct with serde attributes.
pub fn object(
    s: &Schema,
    fields: &[Field],
    keep_extra: bool,
    default: bool,
    module: &str,
) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = docs::outer(&s.description);
    let defs = fields.iter().map(|f| struct_field(&s.name, f, module));
    let markers = fields
        .iter()
        .filter(|f| !f.aliases.is_empty())
        .map(|f| wire_names_marker(&s.name, f));
    let extra = keep_extra.then(|| {
        quote! {
            #[doc = " Keys this version of the client does not know, kept as sent."]
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    });
    let derive_default = default.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#defs)*
            #extra
        }
        #(#markers)*
    }
}

/// The marker naming every wire name of an aliased field (see `runtime::ids`).
fn marker_ident(schema: &str, f: &Field) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        super::super::naming::wire_names_marker(schema, &f.rust)
    )
}

fn wire_names_marker(schema: &str, f: &Field) -> TokenStream {
    let marker = marker_ident(schema, f);
    let names = std::iter::once(&f.wire).chain(f.aliases.iter());
    let doc = format!(
        " The wire names of [`{schema}`]'s `{}` field, canonical first.",
        f.rust
    );
    quote! {
        #[doc = #doc]
        struct #marker;
        impl runtime::__private::ids::WireNames for #marker {
            const NAMES: &'static [&'static str] = &[#(#names),*];
        }
    }
}

/// One struct field with its serde attributes.
fn struct_field(schema: &str, f: &Field, module: &str) -> TokenStream {
    let doc = docs::outer(&docs::field(f));
    let rust = ident(&f.rust);
    let ty = field_type(f, module);
    if !f.aliases.is_empty() {
        // Several wire names, possibly present together: decoded by `runtime::ids`.
        // Aliased fields come before `extra`, so their keys do not also land there.
        let marker = marker_ident(schema, f);
        let flavour = if f.is_option() { "_option" } else { "" };
        let de = format!("runtime::__private::ids::deserialize{flavour}::<{marker}, _, _>");
        let ser = format!("runtime::__private::ids::serialize{flavour}::<{marker}, _, _>");
        return quote! {
            #doc
            #[serde(flatten, deserialize_with = #de, serialize_with = #ser)]
            pub #rust: #ty,
        };
    }
    let wire = &f.wire;
    // serde strips `r#` from raw identifiers, so only a real difference needs a rename.
    let rename = (f.rust != f.wire).then(|| quote!(rename = #wire,));
    let aliases = f.aliases.iter().map(|a| quote!(alias = #a,));
    let option = match (f.required, f.nullable) {
        (true, false) => quote!(),
        (true, true) => quote!(default,),
        (false, _) => quote!(default, skip_serializing_if = "Option::is_none",),
    };
    // `lenient: true`: the runtime's lenient decoders for the field's type.
    let lenient = f.lenient.then(|| {
        let kind = match &f.ty {
            RustType::I64 => "i64",
            RustType::F64 => "f64",
            _ => "timestamp",
        };
        let suffix = if f.is_option() { "_opt" } else { "" };
        let path = format!("runtime::__private::lenient::{kind}{suffix}");
        quote!(deserialize_with = #path,)
    });
    let serde = {
        let inner = quote!(#rename #(#aliases)* #option #lenient);
        if inner.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#inner)])
        }
    };
    quote! {
        #doc
        #serde
        pub #rust: #ty,
    }
}

/// An open enum: known variants, `Unknown(String)`, `as_str`, conversions, serde.
pub fn open_enum(
    name: &str,
    description: &str,
    variants: &[(String, String, Option<String>)],
    extra_impl: TokenStream,
) -> TokenStream {
    let name = format_ident!("{name}");
    let doc = docs::outer(&format!(
        "{}\n\nOpen: a value the API adds later decodes too, and [`as_str`](Self::as_str) reads it. Match the variants you know and keep a wildcard arm (`other => other.as_str()`) for the rest; see [`UnknownValue`](runtime::UnknownValue).",
        description.trim_end()
    ));
    let defs = variants.iter().map(|(wire, rust, d)| {
        let v = format_ident!("{rust}");
        let text = match d {
            Some(d) => format!("{d} (`{wire}`)"),
            None => format!("`{wire}`"),
        };
        let doc = docs::outer(&text);
        quote!(#doc #v,)
    });
    let idents: Vec<_> = variants
        .iter()
        .map(|(_, rust, _)| format_ident!("{rust}"))
        .collect();
    let wires: Vec<&String> = variants.iter().map(|(wire, _, _)| wire).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            #[doc(hidden)]
            #[deprecated = "a value this version does not know: match it with a wildcard arm and read it with `as_str()`"]
            Unknown(runtime::UnknownValue),
        }

        impl #name {
            #[doc = " Every value this version of the client knows."]
            pub const KNOWN: &'static [#name] = &[#(#name::#idents),*];

            #[doc = " The value as sent on the wire."]
            #[allow(deprecated)]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            #extra_impl
        }

        impl From<&str> for #name {
            #[allow(deprecated)]
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => #name::#idents,)*
                    other => #name::Unknown(runtime::__private::unknown(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::__private::from_str(deserializer, |value| #name::from(value))
            }
        }
    }
}

/// An untagged union with `From` for each variant whose type is unique.
fn union(s: &Schema, variants: &[UnionVariant], module: &str) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let doc = docs::outer(&format!(
        "{}\n\nDecoded by trying each variant in order.",
        s.description.trim_end()
    ));
    let defs = variants.iter().map(|v| {
        let vn = format_ident!("{}", v.rust);
        let ty = rust_type(&v.ty, module);
        let d = format!(" `{}`", v.ty.spec_expr(&str::to_string));
        quote!(#[doc = #d] #vn(#ty),)
    });
    let froms = variants
        .iter()
        .filter(|v| variants.iter().filter(|o| o.ty == v.ty).count() == 1)
        .map(|v| {
            let vn = format_ident!("{}", v.rust);
            let ty = rust_type(&v.ty, module);
            let from_str = (v.ty == RustType::String).then(|| {
                quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#vn(value.to_owned())
                        }
                    }
                }
            });
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        #name::#vn(value)
                    }
                }
                #from_str
            }
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#defs)*
        }
        #(#froms)*
    }
}
