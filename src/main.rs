//! The `passerelle` command.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use passerelle::build::{BuildReport, build};
use passerelle::diagnostics::{self, Format};
use passerelle::translations::Status;

use cli::{BuildArgs, Cli, Command, CommonArgs, options};

/// Print a line; a closed pipe (`passerelle … | head`) is not an error.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// Print a line on standard error; a closed pipe is not an error.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

fn print_diagnostics(report: &BuildReport, format: Format, quiet: bool) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut shown = passerelle::diagnostics::Diagnostics::new();
    for d in report.diagnostics.iter() {
        if !quiet || d.severity == diagnostics::Severity::Error {
            shown.push(d.clone());
        }
    }
    let text = diagnostics::render(&shown, format, color);
    match format {
        Format::Github => {
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
        Format::Human => {
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }
}

fn summary(report: &BuildReport, verb: &str) -> String {
    let pages: Vec<String> = report
        .pages
        .iter()
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    let untranslated = report
        .translations
        .iter()
        .filter(|t| t.status == Status::Missing)
        .count();
    let stale = report
        .translations
        .iter()
        .filter(|t| t.status == Status::Stale)
        .count();
    let mut line = if pages.is_empty() {
        verb.to_string()
    } else {
        format!("{verb} {} pages", pages.join(" + "))
    };
    if untranslated + stale > 0 {
        line.push_str(&format!(" ({untranslated} untranslated, {stale} stale)"));
    }
    let errors = report.diagnostics.error_count();
    let warnings = report.diagnostics.warning_count();
    line.push_str(&format!(
        ", {errors} error{}, {warnings} warning{}, in {} ms",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        report.total.as_millis()
    ));
    if let Some(w) = &report.write {
        line.push_str(&format!(
            " ({} written, {} unchanged, {} removed)",
            w.written, w.unchanged, w.removed
        ));
    }
    line
}

fn print_phases(report: &BuildReport) {
    for note in &report.notes {
        tell!("  {note}");
    }
    for line in report.phase_lines() {
        tell!("{line}");
    }
    let words: Vec<String> = report
        .words
        .iter()
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    tell!(
        "  words of the pages' text (in their own language): {}",
        words.join(", ")
    );
}

/// jemalloc: much of a build's time is in allocating and freeing small blocks
/// (Pagefind's word lists above all), which it does faster than glibc's malloc.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => build_command(&args),
        Command::Check { common, format } => check_command(&common, format.into()),
        Command::Serve {
            common,
            bind,
            port,
            poll,
        } => serve_command(&common, bind, port, poll),
        Command::New {
            kind,
            name,
            language_name,
            rtl,
            section,
            root,
        } => match kind.page_kind() {
            Some(kind) => new_command(&root, kind, &name, section.as_deref()),
            None => new_language_command(&root, &name, language_name.as_deref(), rtl),
        },
        Command::Init { dir, title } => init_command(&dir, &title),
        Command::Translations {
            common,
            strict,
            stamp,
            langs,
            diff,
        } => match diff {
            Some(file) => passerelle::cli_translations::diff(&common.root, &file),
            None => passerelle::cli_translations::run(&common.root, strict, &stamp, &langs),
        },
    }
}

/// `passerelle build`.
fn build_command(args: &BuildArgs) -> ExitCode {
    let mut opts = options(&args.common, true);
    opts.output = args.output.clone();
    opts.search = !args.no_search && !args.offline;
    opts.offline = args.offline;
    opts.cache = !args.no_cache;
    let report = build(&opts);
    print_diagnostics(&report, Format::Human, args.common.quiet);
    if args.common.verbose {
        print_phases(&report);
        for t in &report.translations {
            tell!("  {} {:<12} {}", t.lang, t.status.label(), t.key);
        }
    }
    if report.ok() {
        if !args.common.quiet {
            say!(
                "{} → {}",
                summary(&report, "Built"),
                opts.output_dir().display()
            );
        }
        ExitCode::SUCCESS
    } else {
        tell!(
            "{}; the previous site was left as it was",
            summary(&report, "Failed:")
        );
        ExitCode::FAILURE
    }
}

/// `passerelle check`.
fn check_command(common: &CommonArgs, format: Format) -> ExitCode {
    let report = build(&options(common, false));
    print_diagnostics(&report, format, common.quiet);
    if common.verbose {
        print_phases(&report);
    }
    if format == Format::Human && !common.quiet {
        tell!("{}", summary(&report, "Checked"));
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `passerelle serve`.
fn serve_command(
    common: &CommonArgs,
    bind: std::net::IpAddr,
    port: Option<u16>,
    poll: bool,
) -> ExitCode {
    let opts = passerelle::serve::ServeOptions {
        root: common.root.clone(),
        bind,
        port: port.unwrap_or(8000),
        port_is_default: port.is_none(),
        poll,
        drafts: common.drafts,
        base_url: common.base_url.clone(),
        quiet: common.quiet,
        verbose: common.verbose,
    };
    match passerelle::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `passerelle new`.
fn new_command(
    root: &std::path::Path,
    kind: passerelle::scaffold::NewKind,
    name: &str,
    section: Option<&str>,
) -> ExitCode {
    match passerelle::scaffold::new_page(root, kind, name, section) {
        Ok(files) => {
            for f in files {
                say!("created {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `passerelle new language`.
fn new_language_command(
    root: &std::path::Path,
    code: &str,
    name: Option<&str>,
    rtl: bool,
) -> ExitCode {
    let Some(name) = name else {
        tell!(
            "error: give the language's name in itself: passerelle new language {code} --name \"…\" [--rtl]"
        );
        return ExitCode::FAILURE;
    };
    let lang = passerelle::new_language::NewLanguage { code, name, rtl };
    match passerelle::new_language::add(root, &lang) {
        Ok(files) => {
            for f in files {
                say!("wrote {}", f.display());
            }
            say!(
                "next: translate the strings in i18n/{code}.yaml and add pages under content/{code}/; until then the build shows them in the source language"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `passerelle init`.
fn init_command(dir: &std::path::Path, title: &str) -> ExitCode {
    match passerelle::scaffold::init(dir, title) {
        Ok(files) => {
            say!(
                "created a toolkit in {} ({} files)",
                dir.display(),
                files.len()
            );
            say!("next: cd {} && passerelle serve", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
