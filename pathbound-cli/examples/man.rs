//! Writes the man pages of `pathbound` (one per command) into the directory
//! given as the first argument: `cargo xtask man` runs this.

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: man <output directory>");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return std::process::ExitCode::FAILURE;
    }
    match clap_mangen::generate_to(pathbound_cli::command(), &dir) {
        Ok(()) => {
            let pages = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            println!("wrote {pages} man pages to {}", dir.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the man pages: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
