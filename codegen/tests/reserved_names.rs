//! The names the Rust backend reserves are the names the generated code really
//! takes. The validator rejects a resource, operation or parameter whose Rust name
//! is in these lists (see `tests/broken/client_collisions.yaml`); these tests parse
//! the generated client and check that the lists cover every method a spec name
//! could shadow, so a method added to the emitter cannot slip past the check.

use std::collections::BTreeSet;
use std::path::Path;

use pathbound_codegen::backend::rust::naming::{
    ACCESSOR_METHODS, CLIENT_METHODS, RESERVED_METHODS,
};
use pathbound_codegen::{GeneratedFile, generate_dir, load_model};

fn spec_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn files() -> Vec<GeneratedFile> {
    generate_dir(&spec_dir(), "spec").unwrap_or_else(|e| panic!("{e}"))
}

fn parse(file: &GeneratedFile) -> syn::File {
    syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path))
}

/// `(self type, method names)` of every inherent `impl` block in `file`.
fn inherent_methods(file: &syn::File) -> Vec<(String, BTreeSet<String>)> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(p) = &*i.self_ty else {
                    return None;
                };
                let name = p.path.segments.last()?.ident.to_string();
                let methods = i
                    .items
                    .iter()
                    .filter_map(|m| match m {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                Some((name, methods))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_method_of_the_generated_client_is_reserved_or_an_accessor() {
    let model = load_model(&spec_dir(), "spec").unwrap_or_else(|e| panic!("{e}"));
    let accessors: BTreeSet<String> = model.resources.iter().map(|r| r.name.clone()).collect();
    let files = files();
    let root = files.iter().find(|f| f.path == "mod.rs").expect("mod.rs");
    let methods: BTreeSet<String> = inherent_methods(&parse(root))
        .into_iter()
        .filter(|(ty, _)| ty == "Client")
        .flat_map(|(_, m)| m)
        .collect();
    assert!(methods.contains("builder") && methods.contains("contacts"));
    for m in &methods {
        assert!(
            accessors.contains(m) || CLIENT_METHODS.contains(&m.as_str()),
            "`Client::{m}` is neither a resource accessor nor in CLIENT_METHODS"
        );
    }
    for reserved in ["new", "from_env", "builder", "with_scopes", "base_url"] {
        assert!(methods.contains(reserved), "Client lacks {reserved}");
    }
}

#[test]
fn methods_every_request_has_are_reserved() {
    // Every type's methods, over all its impl blocks.
    let mut by_type: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for file in files() {
        for (ty, methods) in inherent_methods(&parse(&file)) {
            by_type.entry(ty).or_default().extend(methods);
        }
    }
    let mut common: Option<BTreeSet<String>> = None;
    let mut accessor_methods: Option<BTreeSet<String>> = None;
    {
        for (ty, methods) in by_type {
            if ty.ends_with("Request") {
                common = Some(match common {
                    None => methods,
                    Some(c) => c.intersection(&methods).cloned().collect(),
                });
            } else if ty.ends_with("Api") {
                // An accessor's own methods are the operations; what they all
                // share would be a fixed method.
                accessor_methods = Some(match accessor_methods {
                    None => methods,
                    Some(c) => c.intersection(&methods).cloned().collect(),
                });
            }
        }
    }
    let common = common.expect("request types");
    assert!(common.contains("send"), "{common:?}");
    for m in &common {
        assert!(
            RESERVED_METHODS.contains(&m.as_str()),
            "every request has `{m}`, which RESERVED_METHODS lacks"
        );
    }
    for m in accessor_methods.expect("accessors") {
        assert!(
            ACCESSOR_METHODS.contains(&m.as_str()),
            "every accessor has `{m}`, which ACCESSOR_METHODS lacks"
        );
    }
}
