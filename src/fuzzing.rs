//! Entry points for the fuzz targets in `fuzz/` and for `cargo test`, which
//! replays every input kept in `fuzz/regressions/`: one input is put in the place
//! of one file of a small valid toolkit (a page, `toolkit.yaml`, a data file, a UI
//! strings file, a template) and the whole build runs on it, writing nothing. A
//! run may report errors; it must not panic, hang or overflow the stack.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::build::{BuildCache, BuildOptions, build_cached};

/// What a fuzz input stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page: front matter and Markdown (`content/en/guidance/listening.md`).
    Page,
    /// The settings, `toolkit.yaml`.
    Settings,
    /// A data file (`data/glossary.yaml`; the first byte of the input picks which).
    Data,
    /// A UI strings file (`i18n/en.yaml`, over the theme's).
    UiStrings,
    /// A site template (`templates/guide.html`), rendered for every guide page.
    Template,
    /// A request path as the preview server decodes it.
    RequestPath,
}

impl Target {
    /// Every target, with the name of its folder under `fuzz/regressions/`.
    pub const ALL: [(Target, &'static str); 6] = [
        (Target::Page, "page"),
        (Target::Settings, "settings"),
        (Target::Data, "data"),
        (Target::UiStrings, "ui_strings"),
        (Target::Template, "template"),
        (Target::RequestPath, "request_path"),
    ];
}

/// The data files the `Data` target can stand for.
const DATA_FILES: [&str; 4] = [
    "data/glossary.yaml",
    "data/sources.yaml",
    "data/topics.yaml",
    "data/resources.yaml",
];

/// The smallest toolkit that exercises every phase: a home page and a guide in
/// English, a home page in French, the `valid` test fixture's data files and the
/// default theme. Made once per process in a temporary folder and shared (one
/// input at a time) with the build cache of the preview, so that a run takes
/// milliseconds.
fn toolkit() -> &'static Mutex<(PathBuf, BuildCache)> {
    static TOOLKIT: OnceLock<Mutex<(PathBuf, BuildCache)>> = OnceLock::new();
    TOOLKIT.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = std::env::temp_dir().join(format!("passerelle-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let data = repo.join("tests/fixtures/valid/data");
        for entry in walkdir::WalkDir::new(&data).into_iter().flatten() {
            let Ok(rel) = entry.path().strip_prefix(&data) else {
                continue;
            };
            let target = root.join("data").join(rel);
            if entry.file_type().is_dir() {
                let _ = std::fs::create_dir_all(&target);
            } else {
                let _ = std::fs::copy(entry.path(), &target);
            }
        }
        let theme = repo.join("themes/default");
        let settings = format!(
            "title: {{en: Fuzz, fr: Fuzz}}\nlanguages:\n  - {{code: en, name: English, direction: ltr}}\n  - {{code: fr, name: Français, direction: ltr}}\nbase_url: \"/kit/\"\ntheme: \"{}\"\n",
            theme.display()
        );
        let files = [
            ("toolkit.yaml", settings.as_str()),
            ("content/en/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            ("content/fr/_index.md", "---\ntitle: Accueil\n---\nBienvenue.\n"),
            ("content/en/guidance/_index.md", "---\ntitle: Guidance\n---\n"),
            (
                "content/en/guidance/listening.md",
                "---\ntitle: Listening\n---\n\n## Listen {#listen}\n\nSee [the home page](@/_index.md).\n",
            ),
        ];
        for (rel, text) in files {
            let path = root.join(rel);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(path, text);
        }
        Mutex::new((root, BuildCache::new()))
    })
}

/// Run one input through `target`.
pub fn run(target: Target, input: &[u8]) {
    if target == Target::RequestPath {
        if let Ok(path) = std::str::from_utf8(input) {
            let _ = crate::serve::http::site_path(path, "/");
            let _ = crate::serve::http::site_path(path, "/kit/");
        }
        return;
    }
    let _ = build_with(target, input);
}

/// The build of the small toolkit with `input` in the place `target` names
/// (`None` when the input could not be put there).
fn build_with(target: Target, input: &[u8]) -> Option<crate::build::BuildReport> {
    let (rel, bytes) = match target {
        Target::Page => ("content/en/guidance/listening.md", input),
        Target::Settings => ("toolkit.yaml", input),
        Target::Data => match input.split_first() {
            Some((which, rest)) => (DATA_FILES[usize::from(*which) % DATA_FILES.len()], rest),
            None => (DATA_FILES[0], input),
        },
        Target::UiStrings => ("i18n/en.yaml", input),
        Target::Template => ("templates/guide.html", input),
        Target::RequestPath => return None,
    };
    let mut guard = toolkit().lock().ok()?;
    let (root, cache) = &mut *guard;
    let path = root.join(rel);
    let original = std::fs::read(&path).ok();
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    write_fresh(&path, bytes).ok()?;
    let mut opts = BuildOptions::new(root.clone());
    opts.write = false;
    opts.search = false;
    // The offline copy without its zip: every phase, without the deflate.
    opts.offline = true;
    // Through the cache the preview uses: the theme, the stylesheet and the other
    // pages are kept, and only what the input changed is read and rendered again.
    let report = build_cached(&opts, cache);
    // The next input starts from the small toolkit again.
    let _ = match original {
        Some(text) => write_fresh(&path, &text),
        None => std::fs::remove_file(&path),
    };
    Some(report)
}

/// Write `bytes` to `path` with a modification time no earlier write had: file
/// times are coarser than a fuzzer's pace, and the cache compares them.
fn write_fresh(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static TICK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    std::fs::write(path, bytes)?;
    let tick = TICK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000 + tick);
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_toolkit_builds_cleanly_so_inputs_reach_every_phase() {
        let page = b"---\ntitle: Listening\n---\n\nSee [the home page](@/_index.md).\n";
        let report = build_with(Target::Page, page).unwrap();
        let problems: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(report.ok() && problems.is_empty(), "{problems:?}");
        assert!(
            report
                .files
                .iter()
                .any(|f| f.path == "en/guidance/listening/index.html")
        );
        let broken = build_with(Target::Page, b"---\ntitle: [\n---\n").unwrap();
        assert!(!broken.ok());
    }
}
