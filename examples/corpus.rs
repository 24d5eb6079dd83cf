//! Write a synthetic bilingual site for benchmarks (see `bench/README.md`).
//!
//! ```sh
//! cargo run --release --example corpus -- OUT_DIR --pages N [--seed S] [--hugo] [--theme PATH]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use passerelle::corpus::{self, CorpusOptions};

const USAGE: &str = "usage: corpus OUT_DIR --pages N [--seed S] [--hugo] [--theme PATH]

Writes N pages per language (English and French) in folders of 100, in
Passerelle's layout, or with --hugo in Hugo's layout. The same seed gives the
same files. --theme is the theme folder written in toolkit.yaml (default: this
repository's themes/default); with --hugo its stylesheet is copied.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let mut pages: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut opts = CorpusOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--pages" | "-n" => {
                let v = value("--pages")?;
                pages = Some(
                    v.parse()
                        .map_err(|_| format!("--pages: not a number: {v}"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "--theme" => opts.theme = PathBuf::from(value("--theme")?),
            "--hugo" => opts.hugo = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n\n{USAGE}")),
            s if out.is_none() => out = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}\n\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("missing OUT_DIR\n\n{USAGE}"))?;
    let pages = pages.ok_or_else(|| format!("missing --pages N\n\n{USAGE}"))?;
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
    let size = corpus::write(&out, pages, seed, &opts)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote {} pages per language in {} sections ({} layout, seed {seed}) to {}",
        size.pages,
        size.sections,
        if opts.hugo { "Hugo" } else { "Passerelle" },
        out.display()
    );
    Ok(())
}
