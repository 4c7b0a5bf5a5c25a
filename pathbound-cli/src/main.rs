//! The `pathbound` binary.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(pathbound_cli::main(std::env::args_os()))
}
