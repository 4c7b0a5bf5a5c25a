//! Rustdoc text for generated items.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::model::{Field, Operation};

/// `#[doc = "..."]` attributes, one per line (prettyplease prints them as `///`).
pub fn outer(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {}", l.trim_end())
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// `#![doc = "..."]` attributes for module docs.
pub fn inner(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {}", l.trim_end())
        };
        quote!(#![doc = #l])
    });
    quote!(#(#lines)*)
}

/// The docs of a field, parameter or body field.
pub fn field(f: &Field) -> String {
    let mut doc = f
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`.", f.wire));
    let mut facts = Vec::new();
    if f.rust != f.wire {
        facts.push(format!("wire name `{}`", f.wire));
    }
    if !f.aliases.is_empty() {
        let names: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
        facts.push(format!("also accepted as {}", names.join(", ")));
    }
    if let Some(d) = &f.default {
        facts.push(format!("server default `{d}`"));
    }
    match (f.min, f.max) {
        (Some(a), Some(b)) => facts.push(format!("between {} and {}", num(a), num(b))),
        (Some(a), None) => facts.push(format!("at least {}", num(a))),
        (None, Some(b)) => facts.push(format!("at most {}", num(b))),
        _ => {}
    }
    match (f.min_items, f.max_items) {
        (Some(a), Some(b)) => facts.push(format!("{a} to {b} items")),
        (Some(a), None) => facts.push(format!("at least {a} items")),
        (None, Some(b)) => facts.push(format!("at most {b} items")),
        _ => {}
    }
    if f.nullable {
        facts.push("may be `null`".into());
    }
    if f.ty == super::super::model::RustType::Secret {
        facts.push("secret: hidden from `Debug`".into());
    }
    if !facts.is_empty() {
        doc.push_str(&format!("\n\n({})", facts.join("; ")));
    }
    if let Some(d) = &f.deprecated {
        doc.push_str(&format!("\n\n**Deprecated:** {d}"));
    }
    doc
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// The HTTP line: ``POST /v1/contacts`` · scope.
pub fn http_line(op: &Operation, path_prefix: &str) -> String {
    let scope = match (&op.scope, &op.scope_by, op.auth) {
        (Some((s, _)), _, _) => format!("requires scope `{s}`"),
        (None, Some(by), _) => {
            let each: Vec<String> = by
                .values
                .iter()
                .map(|(value, scope)| format!("`{scope}` for `{value}`"))
                .collect();
            format!(
                "requires the scope `{}` selects: {}",
                by.param,
                each.join(", ")
            )
        }
        (None, None, true) => "any valid API key".to_string(),
        (None, None, false) => "public: no API key is sent".to_string(),
    };
    format!(
        "`{} {}{}` · {scope}",
        op.http_method.as_str(),
        path_prefix,
        op.path
    )
}

/// The full docs of an operation's method.
pub fn operation(op: &Operation, path_prefix: &str) -> String {
    let mut doc = format!("{}\n\n{}", op.summary.trim(), http_line(op, path_prefix));
    if let Some(d) = &op.description {
        doc.push_str("\n\n");
        doc.push_str(d.trim());
    }
    let returns = match (&op.pagination, &op.response.key) {
        (Some(p), _) => format!("one page of `{}`; `.stream()` walks every page", p.items),
        (None, Some(k)) => format!("the `{k}` of the response envelope"),
        (None, None) if op.response.ty.is_some() => "the whole response body".to_string(),
        (None, None) => "nothing: the response body is not read".to_string(),
    };
    doc.push_str(&format!(
        "\n\nOn `{}` returns {returns}.",
        op.response.status
    ));
    if !op.errors.is_empty() {
        doc.push_str("\n\n# Errors\n");
        for (code, text) in &op.errors {
            doc.push_str(&format!("\n- `{code}`: {}", text.trim()));
        }
    }
    doc
}

/// The first sentence of `text` (up to the first `. ` or line end), joined onto one line.
pub fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}
