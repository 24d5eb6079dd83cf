//! Write a synthetic bilingual site for benchmarks (see `bench/README.md`).
//!
//! ```sh
//! cargo run --release -p passerelle-corpus -- OUT_DIR --pages N [--seed S] [--hugo] [--theme PATH]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use passerelle_corpus::{CorpusOptions, write};

/// Writes N pages per language (English and French) in folders of 100, in
/// Passerelle's layout, or with --hugo in Hugo's layout. The same seed gives the
/// same files.
#[derive(Debug, Parser)]
#[command(name = "corpus")]
struct Args {
    /// The folder to write (must not hold a `content/` folder yet).
    out_dir: PathBuf,
    /// Pages per language.
    #[arg(short = 'n', long)]
    pages: usize,
    /// The seed of the text generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write Hugo's layout instead of Passerelle's.
    #[arg(long)]
    hugo: bool,
    /// The theme folder written in toolkit.yaml (default: this repository's
    /// themes/default); with --hugo its stylesheet is copied.
    #[arg(long)]
    theme: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let mut opts = CorpusOptions {
        hugo: args.hugo,
        ..CorpusOptions::default()
    };
    if let Some(theme) = args.theme {
        opts.theme = theme;
    }
    if !opts.hugo {
        // toolkit.yaml is read from OUT_DIR: make a relative theme path absolute.
        if opts.theme.is_relative() {
            opts.theme = std::env::current_dir()
                .map_err(|e| e.to_string())?
                .join(&opts.theme);
        }
        if !opts.theme.join("templates").is_dir() {
            return Err(format!(
                "{} is not a theme folder (it has no templates/)",
                opts.theme.display()
            ));
        }
    }
    let size = write(&args.out_dir, args.pages, args.seed, &opts)
        .map_err(|e| format!("cannot write {}: {e}", args.out_dir.display()))?;
    println!(
        "wrote {} pages per language in {} sections ({} layout, seed {}) to {}",
        size.pages,
        size.sections,
        if opts.hugo { "Hugo" } else { "Passerelle" },
        args.seed,
        args.out_dir.display()
    );
    Ok(())
}
