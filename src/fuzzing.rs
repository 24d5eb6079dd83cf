//! Entry points for the fuzz targets in `fuzz/` and for `cargo test`, which
//! replays every input kept in `fuzz/regressions/`: one input is put in the place
//! of one file of a small valid toolkit (a page, `toolkit.yaml`, a data file, a UI
//! strings file, a template) and the whole build runs on it, writing nothing. A
//! run may report errors; it must not panic, hang or overflow the stack.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::build::{BuildOptions, build};

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

/// A copy of the `valid` test fixture in a temporary folder, made once per
/// process and shared (one input at a time).
fn toolkit() -> &'static Mutex<PathBuf> {
    static TOOLKIT: OnceLock<Mutex<PathBuf>> = OnceLock::new();
    TOOLKIT.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = std::env::temp_dir().join(format!("passerelle-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let fixture = repo.join("tests/fixtures/valid");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
            let Ok(rel) = entry.path().strip_prefix(&fixture) else {
                continue;
            };
            let target = root.join(rel);
            if entry.file_type().is_dir() {
                let _ = std::fs::create_dir_all(&target);
            } else {
                let _ = std::fs::copy(entry.path(), &target);
            }
        }
        let theme = repo.join("themes/default");
        if let Ok(config) = std::fs::read_to_string(root.join("toolkit.yaml")) {
            let config = config.replace("../../../themes/default", &theme.display().to_string());
            let _ = std::fs::write(root.join("toolkit.yaml"), config);
        }
        Mutex::new(root)
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
    let (rel, bytes) = match target {
        Target::Page => ("content/en/guidance/listening.md", input),
        Target::Settings => ("toolkit.yaml", input),
        Target::Data => match input.split_first() {
            Some((which, rest)) => (DATA_FILES[usize::from(*which) % DATA_FILES.len()], rest),
            None => (DATA_FILES[0], input),
        },
        Target::UiStrings => ("i18n/en.yaml", input),
        Target::Template => ("templates/guide.html", input),
        Target::RequestPath => unreachable!("handled above"),
    };
    let Ok(root) = toolkit().lock() else {
        return;
    };
    let path = root.join(rel);
    let original = std::fs::read(&path).ok();
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let mut opts = BuildOptions::new(root.clone());
    opts.write = false;
    opts.search = false;
    let _ = build(&opts);
    // The next input starts from the fixture again.
    let _ = match original {
        Some(text) => std::fs::write(&path, text),
        None => std::fs::remove_file(&path),
    };
}
