//! Feeds arbitrary bytes to the spec loader as a single-file spec.
//!
//! The generator must answer every input with `Ok` or located errors: a panic, a
//! hang or unbounded memory is a bug. Smoke run (nightly toolchain, cargo-fuzz):
//!
//! ```sh
//! cd codegen/fuzz && cargo +nightly fuzz run load_spec -- -max_total_time=60
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathbound_codegen::ast::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let files = vec![SourceFile { name: "fuzz.yaml".into(), text }];
    if let Err(pathbound_codegen::Error::Emit(e)) = pathbound_codegen::generate_files(files) {
        panic!("the generator emitted code that does not parse: {e}");
    }
});
