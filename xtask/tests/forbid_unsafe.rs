//! None of the crates this workspace ships or runs on behalf of users uses
//! `unsafe`, and each says so with `#![forbid(unsafe_code)]` at its root, so that
//! an `unsafe` block cannot slip in unnoticed. (The benchmark crate is the
//! exception: it counts allocations with a `GlobalAlloc`, which is `unsafe` by
//! nature.) Generated code lives inside the client crates and is covered by
//! their attribute.

use std::path::Path;

const CRATE_ROOTS: &[&str] = &[
    "wire/src/lib.rs",
    "model/src/lib.rs",
    "codegen/src/lib.rs",
    "pathbound-runtime/src/lib.rs",
    "pathbound-client/src/lib.rs",
    "tests/fixture-client/src/lib.rs",
    "pathbound-mock/src/lib.rs",
    "pathbound-mock/src/main.rs",
    "xtask/src/main.rs",
    "drift/src/lib.rs",
    "drift/src/main.rs",
];

#[test]
fn every_shipped_crate_forbids_unsafe_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let missing: Vec<&str> = CRATE_ROOTS
        .iter()
        .copied()
        .filter(|path| {
            let text =
                std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            !text.lines().any(|l| l.trim() == "#![forbid(unsafe_code)]")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "without #![forbid(unsafe_code)]: {missing:?}"
    );
}
