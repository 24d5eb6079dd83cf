//! The command line: every command and option, parsed with clap. The library knows
//! nothing of clap; this module turns arguments into its options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use passerelle::build::BuildOptions;
use passerelle::diagnostics::Format;
use passerelle::scaffold::NewKind;

/// Build a bilingual peer-support toolkit from Markdown into a static site.
#[derive(Parser, Debug)]
#[command(name = "passerelle", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Build content/ into site/.
    Build(BuildArgs),
    /// Run every check without writing anything; exit 1 on any error.
    Check {
        #[command(flatten)]
        common: CommonArgs,
        /// How to print problems: `human` or `github` (Actions annotations).
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
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
    /// Create a page from a template, in every language, with its front matter
    /// filled in; or add a language (`new language CODE --name NAME [--rtl]`).
    New {
        /// What kind of page, or `language`.
        #[arg(value_enum)]
        kind: KindArg,
        /// Its title (the file name is made from it); for a language, its code.
        name: String,
        /// For a language: its name in itself, e.g. "العربية".
        #[arg(long = "name", value_name = "NAME")]
        language_name: Option<String>,
        /// For a language: written right to left.
        #[arg(long)]
        rtl: bool,
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
        /// Only these languages (repeat the option for several).
        #[arg(long = "lang", value_name = "CODE")]
        langs: Vec<String>,
        /// Show what changed in the source of this stale translation since the
        /// version it was stamped with (needs the toolkit's git history).
        #[arg(long, value_name = "FILE", conflicts_with = "stamp")]
        diff: Option<PathBuf>,
    },
}

#[derive(Args, Debug, Clone)]
pub(crate) struct CommonArgs {
    /// The toolkit folder (the one with toolkit.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Publish at this base URL instead of toolkit.yaml's (e.g. https://org.github.io/toolkit/).
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Print the time of each phase.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Also check links to other sites (needs a network; 10 s timeout each).
    #[arg(long)]
    pub(crate) external: bool,
}

#[derive(Args, Debug)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Output folder (default: site/ in the toolkit folder).
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Skip the search index (faster; the search page then offers only the list of pages).
    #[arg(long)]
    pub(crate) no_search: bool,
    /// Write a copy to read from a disk or USB stick: every address relative and
    /// naming a file, no search index (the search page lists every page).
    #[arg(long)]
    pub(crate) offline: bool,
    /// Build everything again, without reading or writing the cache folder
    /// (`.passerelle-cache/`, which keeps the search index and the offline zip
    /// for the next build, and lets a build with nothing changed stop early).
    #[arg(long)]
    pub(crate) no_cache: bool,
}

/// How to print problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// For people: `file:line:column`, the offending line, and a hint.
    Human,
    /// GitHub Actions workflow commands, so CI annotates the offending lines.
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Github => Format::Github,
        }
    }
}

/// The kinds of page `passerelle new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// A curriculum session.
    Session,
    /// A training module.
    Module,
    /// A case study.
    CaseStudy,
    /// A guide page.
    Guide,
    /// A participant handout.
    Handout,
    /// A language of the toolkit.
    Language,
}

impl KindArg {
    /// The kind of page, or `None` for a language.
    pub(crate) fn page_kind(self) -> Option<NewKind> {
        Some(match self {
            KindArg::Session => NewKind::Session,
            KindArg::Module => NewKind::Module,
            KindArg::CaseStudy => NewKind::CaseStudy,
            KindArg::Guide => NewKind::Guide,
            KindArg::Handout => NewKind::Handout,
            KindArg::Language => return None,
        })
    }
}

/// Build options from the common arguments; `write` is false for `check`.
pub(crate) fn options(common: &CommonArgs, write: bool) -> BuildOptions {
    BuildOptions {
        root: common.root.clone(),
        output: None,
        base_url: common.base_url.clone(),
        drafts: common.drafts,
        write,
        live_reload: None,
        offline: false,
        search: write,
        external: common.external,
        cache: false,
        progress: !common.quiet
            && std::env::var_os("CI").is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    }
}
