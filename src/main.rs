//! The `passerelle` command.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use passerelle::build::{BuildOptions, BuildReport, build};
use passerelle::diagnostics::{self, Format};
use passerelle::translations::Status;

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

/// Build a bilingual peer-support toolkit from Markdown into a static site.
#[derive(Parser, Debug)]
#[command(name = "passerelle", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build content/ into site/.
    Build(BuildArgs),
    /// Run every check without writing anything; exit 1 on any error.
    Check {
        #[command(flatten)]
        common: CommonArgs,
        /// How to print problems: `human` or `github` (Actions annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build, serve on 127.0.0.1, watch the files and reload the browser after each change.
    Serve {
        #[command(flatten)]
        common: CommonArgs,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port (default 8000, or the next free one).
        #[arg(long)]
        port: Option<u16>,
        /// Poll for changes instead of using the system's file events (network drives, WSL).
        #[arg(long)]
        poll: bool,
    },
    /// Create a page from a template, in every language, with its front matter filled in.
    New {
        /// What kind of page.
        #[arg(value_enum)]
        kind: passerelle::scaffold::NewKind,
        /// Its title (the file name is made from it).
        name: String,
        /// The folder under content/<language>/ (default: the kind's usual section).
        #[arg(long)]
        section: Option<String>,
        /// The toolkit folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new toolkit for an agency in a new folder.
    Init {
        /// The folder to create.
        dir: PathBuf,
        /// The toolkit's title.
        #[arg(long, default_value = "Peer Support Toolkit")]
        title: String,
    },
    /// Print the translation status of every page in every language.
    Translations {
        #[command(flatten)]
        common: CommonArgs,
        /// Exit 1 when any page is not up to date.
        #[arg(long)]
        strict: bool,
        /// Record the current source version in these translation files.
        #[arg(long, num_args = 1.., value_name = "PATH")]
        stamp: Vec<PathBuf>,
    },
}

#[derive(Args, Debug, Clone)]
struct CommonArgs {
    /// The toolkit folder (the one with toolkit.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Publish at this base URL instead of toolkit.yaml's (e.g. https://org.github.io/toolkit/).
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print the time of each phase.
    #[arg(long, short)]
    verbose: bool,
    /// Also check links to other sites (needs a network; 10 s timeout each).
    #[arg(long)]
    external: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: site/ in the toolkit folder).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Skip the search index (faster; the search page then offers only the list of pages).
    #[arg(long)]
    no_search: bool,
}

fn options(common: &CommonArgs, write: bool) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        output: None,
        base_url: common.base_url.clone(),
        drafts: common.drafts,
        write,
        live_reload: None,
        search: write,
        external: common.external,
    }
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
    for (name, d) in &report.phases {
        tell!("  {name:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let mut opts = options(&args.common, true);
            opts.output = args.output.clone();
            opts.search = !args.no_search;
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
        Command::Check { common, format } => {
            let report = build(&options(&common, false));
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
        Command::Serve {
            common,
            bind,
            port,
            poll,
        } => {
            let opts = passerelle::serve::ServeOptions {
                root: common.root.clone(),
                bind,
                port: port.unwrap_or(8000),
                port_is_default: port.is_none(),
                poll,
                drafts: common.drafts,
                base_url: common.base_url.clone(),
                quiet: common.quiet,
            };
            match passerelle::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tell!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New {
            kind,
            name,
            section,
            root,
        } => match passerelle::scaffold::new_page(&root, kind, &name, section.as_deref()) {
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
        },
        Command::Init { dir, title } => match passerelle::scaffold::init(&dir, &title) {
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
        },
        Command::Translations {
            common,
            strict,
            stamp,
        } => passerelle::cli_translations::run(&common.root, strict, &stamp),
    }
}
