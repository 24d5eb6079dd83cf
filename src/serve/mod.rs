//! `passerelle serve`: build, serve on 127.0.0.1, watch the tree, rebuild what changed
//! and tell the browser to reload; a failed rebuild keeps the last good site and
//! shows its errors over the page.

pub mod http;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use tokio::sync::broadcast;

use crate::build::{BuildCache, BuildOptions, BuildReport, build_cached};
use crate::config::Config;
use crate::diagnostics::{self, Format};
use http::{AppState, Notice, Snapshot};

/// How to run the preview.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The toolkit folder.
    pub root: PathBuf,
    /// Address to listen on (default 127.0.0.1).
    pub bind: IpAddr,
    /// Port; when `port_is_default`, the next free one is taken if it is busy.
    pub port: u16,
    /// Whether the port was not chosen by the user.
    pub port_is_default: bool,
    /// Poll the file system instead of native events (network drives, WSL).
    pub poll: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides the base URL.
    pub base_url: Option<String>,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Also print the time of each phase of every rebuild.
    pub verbose: bool,
}

/// What the preview prints of a rebuild.
#[derive(Debug, Clone, Copy)]
struct Talk {
    /// Nothing but errors.
    quiet: bool,
    /// The phases of each rebuild too.
    verbose: bool,
}

/// The script added to every page in the preview (never in `build` output).
pub fn live_reload_script(base_path: &str) -> String {
    format!(
        "<script data-base=\"{base_path}\" data-offline=\"omit\">{}</script>\n",
        include_str!("livereload.js")
    )
}

fn bind(opts: &ServeOptions) -> Result<TcpListener, String> {
    let tries = if opts.port_is_default { 20 } else { 1 };
    let mut last = String::new();
    for port in opts.port..opts.port.saturating_add(tries) {
        match TcpListener::bind(SocketAddr::new(opts.bind, port)) {
            Ok(l) => return Ok(l),
            Err(e) => last = format!("{}:{port}: {e}", opts.bind),
        }
    }
    Err(format!(
        "cannot listen on {last}; choose another port with --port"
    ))
}

/// Files and folders whose changes never need a rebuild, as globs relative to the
/// toolkit folder: the output, build and development folders, version control, and
/// the files editors and browsers write while saving.
const IGNORED: &[&str] = &[
    "{site,target,node_modules,bench,tests,src,docs}",
    "{site,target,node_modules,bench,tests,src,docs}/**",
    "**/.git",
    "**/.git/**",
    "**/.#*",
    "**/~$*",
    "**/*~",
    "**/*.{swp,swx,tmp,part,crdownload}",
    "**/4913",
    "**/.DS_Store",
];

/// [`IGNORED`], compiled once.
static IGNORED_SET: std::sync::LazyLock<globset::GlobSet> = std::sync::LazyLock::new(|| {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in IGNORED {
        if let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
});

/// Files and folders whose changes never need a rebuild.
pub fn is_ignored(path: &Path, root: &Path) -> bool {
    IGNORED_SET.is_match(path.strip_prefix(root).unwrap_or(path))
}

fn overlay_json(report: &BuildReport, root: &Path) -> String {
    let mut title = serde_json::Map::new();
    let mut note = serde_json::Map::new();
    if let Ok(config) = Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")) {
        let ui = crate::i18n::UiStrings::load(
            root,
            &config.theme_dir(root),
            &config,
            &mut diagnostics::Diagnostics::new(),
        );
        for l in &config.languages {
            if let Some(t) = ui.get(&l.code, "serve.errors_title") {
                title.insert(l.code.clone(), t.into());
            }
            if let Some(t) = ui.get(&l.code, "serve.errors_note") {
                note.insert(l.code.clone(), t.into());
            }
        }
    }
    title
        .entry("en")
        .or_insert("The last change has errors".into());
    note.entry("en").or_insert("This is the last version that built. Fix the problems below and save: the page will reload.".into());
    let errors: Vec<String> = report
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .map(|d| diagnostics::render_human(d, false))
        .collect();
    serde_json::json!({ "title": title, "note": note, "errors": errors }).to_string()
}

fn print_report(report: &BuildReport, quiet: bool) {
    let mut shown = diagnostics::Diagnostics::new();
    for d in report.diagnostics.iter() {
        if !quiet || d.severity == diagnostics::Severity::Error {
            shown.push(d.clone());
        }
    }
    eprint!(
        "{}",
        diagnostics::render(
            &shown,
            Format::Human,
            std::io::IsTerminal::is_terminal(&std::io::stderr())
        )
    );
}

/// One rebuild: update the snapshot and tell the browsers. Returns the line to print.
fn rebuild(
    opts: &BuildOptions,
    cache: &mut BuildCache,
    state: &AppState,
    changed: &BTreeSet<PathBuf>,
    root: &Path,
    talk: Talk,
) -> String {
    let started = Instant::now();
    let content = root.join("content");
    if !changed.is_empty() && changed.iter().all(|p| p.starts_with(&content)) {
        cache.only_content_changed();
    }
    let report = build_cached(opts, cache);
    let what: Vec<String> = changed
        .iter()
        .take(3)
        .map(|p| diagnostics::display_path(p.strip_prefix(root).unwrap_or(p)))
        .collect();
    let more = changed.len().saturating_sub(3);
    let what = if more > 0 {
        format!("{} and {more} more", what.join(", "))
    } else {
        what.join(", ")
    };
    if report.ok() {
        let css_only = !changed.is_empty()
            && changed
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        let stylesheet = report
            .files
            .iter()
            .find(|f| f.path.starts_with("assets/style.") && f.path.ends_with(".css"))
            .map(|f| f.path.clone());
        if let Ok(mut snap) = state.snapshot.write() {
            snap.files = report
                .files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            snap.errors = None;
        }
        let notice = match (css_only, stylesheet) {
            (true, Some(css)) => Notice::Css(format!("{}{css}", state.base_path)),
            _ => Notice::Reload,
        };
        let _ = state.notices.send(notice);
        if !talk.quiet {
            print_report(&report, true);
        }
        if talk.verbose {
            for line in report.phase_lines() {
                eprintln!("{line}");
            }
        }
        format!(
            "{what} changed: {} pages rendered in {} ms",
            cache.last_rendered,
            started.elapsed().as_millis()
        )
    } else {
        print_report(&report, talk.quiet);
        let json = overlay_json(&report, root);
        if let Ok(mut snap) = state.snapshot.write() {
            snap.errors = Some(json.clone());
        }
        let _ = state.notices.send(Notice::Errors(json));
        format!(
            "{what} changed: {} error(s); the last good site is still served",
            report.diagnostics.error_count()
        )
    }
}

/// A debounced watcher, on native events or polling. It watches as long as it lives.
enum Watcher {
    Native(
        notify_debouncer_full::Debouncer<
            notify::RecommendedWatcher,
            notify_debouncer_full::RecommendedCache,
        >,
    ),
    Poll(notify_debouncer_full::Debouncer<notify::PollWatcher, notify_debouncer_full::NoCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Watcher::Native(w) => w.watch(path, RecursiveMode::Recursive),
            Watcher::Poll(w) => w.watch(path, RecursiveMode::Recursive),
        }
    }
}

/// Run the preview until interrupted.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", opts.root.display()))?;
    let config =
        Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")).map_err(|ds| {
            let mut d = diagnostics::Diagnostics::new();
            d.extend(ds);
            diagnostics::render(&d, Format::Human, false)
        })?;
    let base_path =
        crate::config::base_path_of(opts.base_url.as_deref().unwrap_or(&config.base_url));
    let listener = bind(&opts)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut build_opts = BuildOptions::new(&root);
    build_opts.write = false;
    build_opts.search = false;
    build_opts.drafts = opts.drafts;
    build_opts.base_url = opts.base_url.clone();
    build_opts.live_reload = Some(live_reload_script(&base_path));

    let (notices, _) = broadcast::channel(64);
    let state = AppState {
        snapshot: Arc::new(RwLock::new(Snapshot::default())),
        notices,
        base_path: Arc::from(base_path.as_str()),
        base: Arc::new(crate::routes::BaseUrl::parse(
            opts.base_url.as_deref().unwrap_or(&config.base_url),
        )),
    };
    let mut cache = BuildCache::new();
    let talk = Talk {
        quiet: opts.quiet,
        verbose: opts.verbose,
    };
    let line = rebuild(
        &build_opts,
        &mut cache,
        &state,
        &BTreeSet::new(),
        &root,
        talk,
    );
    if !opts.quiet {
        eprintln!("{}", line.trim_start_matches(" changed: "));
    }

    // Watch, and rebuild on a thread of its own.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut watcher = watcher(opts.poll, tx)?;
    watcher
        .watch(&root)
        .map_err(|e| format!("cannot watch {}: {e}; try --poll", root.display()))?;
    let theme = config.theme_dir(&root);
    if !theme.starts_with(&root) {
        let _ = watcher.watch(&theme);
    }

    // Always printed, even with --quiet: it says where to look.
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    println!(
        "Serving on http://{host}:{}{base_path} (Ctrl+C to stop)",
        addr.port()
    );
    let rebuild_state = state.clone();
    let watch_root = root.clone();
    std::thread::spawn(move || {
        rebuild_on_changes(
            &rx,
            &build_opts,
            &mut cache,
            &rebuild_state,
            &watch_root,
            talk,
        );
    });

    let result = serve_http(listener, state);
    drop(watcher);
    result
}

/// The file watcher: native events, or polling (network drives, WSL), debounced.
fn watcher(poll: bool, tx: mpsc::Sender<DebounceEventResult>) -> Result<Watcher, String> {
    let delay = Duration::from_millis(if poll { 50 } else { 15 });
    Ok(if poll {
        // File times may have a resolution of a second: compare contents too, so an edit
        // in the same second as the last scan is still seen.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        Watcher::Poll(
            new_debouncer_opt::<_, notify::PollWatcher, notify_debouncer_full::NoCache>(
                delay,
                Some(Duration::from_millis(5)),
                tx,
                notify_debouncer_full::NoCache,
                config,
            )
            .map_err(|e| format!("cannot watch the files: {e}"))?,
        )
    } else {
        Watcher::Native(
            new_debouncer(delay, Some(Duration::from_millis(5)), tx)
                .map_err(|e| format!("cannot watch the files: {e}; try --poll"))?,
        )
    })
}

/// Rebuild after each batch of file events, until the watcher is dropped.
fn rebuild_on_changes(
    rx: &mpsc::Receiver<DebounceEventResult>,
    build_opts: &BuildOptions,
    cache: &mut BuildCache,
    state: &AppState,
    watch_root: &Path,
    talk: Talk,
) {
    while let Ok(first) = rx.recv() {
        let mut changed = BTreeSet::new();
        let mut collect = |r: DebounceEventResult| {
            if let Ok(events) = r {
                for e in events {
                    if matches!(e.kind, notify::EventKind::Access(_)) {
                        continue;
                    }
                    for p in &e.paths {
                        // A folder alone changes nothing in the site; its files do.
                        if !is_ignored(p, watch_root) && !p.is_dir() {
                            changed.insert(p.clone());
                        }
                    }
                }
            }
        };
        collect(first);
        while let Ok(more) = rx.try_recv() {
            collect(more);
        }
        if changed.is_empty() {
            continue;
        }
        let line = rebuild(build_opts, cache, state, &changed, watch_root, talk);
        if !talk.quiet || line.contains("error") {
            eprintln!("{} {line}", jiff::Timestamp::now().strftime("%H:%M:%S"));
        }
    }
}

/// Serve the site from memory until Ctrl+C.
fn serve_http(listener: std::net::TcpListener, state: AppState) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        axum::serve(listener, http::router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(port: u16, port_is_default: bool) -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::from([127, 0, 0, 1]),
            port,
            port_is_default,
            poll: false,
            drafts: false,
            base_url: None,
            quiet: true,
            verbose: false,
        }
    }

    #[test]
    fn a_busy_default_port_moves_to_the_next() {
        let busy = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = busy.local_addr().unwrap().port();
        let l = bind(&options(port, true)).unwrap();
        assert_ne!(l.local_addr().unwrap().port(), port);
        assert!(
            bind(&options(port, false)).is_err(),
            "a port the user chose is not changed"
        );
    }

    #[test]
    fn editor_and_output_files_are_ignored() {
        let root = Path::new("/kit");
        for p in [
            "/kit/site/en/index.html",
            "/kit/.git/index",
            "/kit/content/en/.#a.md",
            "/kit/content/en/a.md~",
            "/kit/content/en/.a.md.swp",
            "/kit/content/en/4913",
            "/kit/target/x",
            "/kit/site",
            "/kit/content/fr/.DS_Store",
            "/kit/content/fr/~$page.md",
            "/kit/content/fr/page.md.crdownload",
            "/kit/static/.git",
        ] {
            assert!(is_ignored(Path::new(p), root), "{p}");
        }
        for p in [
            "/kit/content/en/a.md",
            "/kit/toolkit.yaml",
            "/kit/themes/default/assets/style.css",
            "/kit/templates/guide.html",
            "/kit/content/en/sites/page.md",
            "/kit/data/snippets/en/confidentiality.md",
        ] {
            assert!(!is_ignored(Path::new(p), root), "{p}");
        }
    }
}
