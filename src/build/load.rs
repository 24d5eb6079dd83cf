//! The load phase: settings, UI strings, data files and every page, read once and
//! checked one by one. What is read again on a rebuild is decided by the cache.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::BuildOptions;
use super::cache::BuildCache;
use crate::config::Config;
use crate::content::{self, Page};
use crate::data::SiteData;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::i18n::UiStrings;
use crate::output;

/// Everything a build reads before it validates.
pub(super) struct Loaded {
    /// `toolkit.yaml`, with `--base-url` applied.
    pub(super) config: Config,
    /// The theme folder.
    pub(super) theme: PathBuf,
    /// UI strings of every language.
    pub(super) ui: Arc<UiStrings>,
    /// `data/`.
    pub(super) data: SiteData,
    /// Every published page of every language (drafts left out unless asked for).
    pub(super) pages: Vec<Arc<Page>>,
    /// The time and size of every input, taken before any but the settings was
    /// read, for a command-line build that writes (see [`input_stamps`]).
    pub(super) stamps: Option<Stamps>,
}

/// Read the toolkit. `None` when the settings cannot be read or the output folder is
/// refused: nothing else can be checked then.
pub(super) fn load(
    opts: &BuildOptions,
    cache: &mut BuildCache,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let root = &opts.root;
    let mut config = match Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")) {
        Ok(c) => c,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    if let Some(b) = &opts.base_url {
        config.base_url = b.clone();
    }
    if opts.write
        && let Err(d) = output::check_output_dir(root, &opts.output_dir())
    {
        diags.push(d);
        return None;
    }
    let theme = config.theme_dir(root);
    // A command-line build notices an input that changes while it runs (the
    // preview rebuilds after such a change anyway).
    let stamps = (opts.write && opts.live_reload.is_none()).then(|| input_stamps(root, &theme));
    cache.start(root, &theme, opts);
    let ui = Arc::new(UiStrings::load(root, &theme, &config, diags));
    let data = SiteData::load(root, &config, diags);
    let content_dir = root.join("content");
    let mut pages: Vec<Arc<Page>> = Vec::new();
    for lang in &config.languages {
        pages.extend(content::load_language_cached(
            root,
            &content_dir,
            &lang.code,
            &config,
            diags,
            Some(cache.files()),
        ));
    }
    report_unknown_language_folders(&content_dir, &config, diags);
    if !opts.drafts {
        leave_out_drafts(&mut pages, &config);
    }
    Some(Loaded {
        config,
        theme,
        ui,
        data,
        pages,
        stamps,
    })
}

/// A draft is left out with its translations.
fn leave_out_drafts(pages: &mut Vec<Arc<Page>>, config: &Config) {
    let source = config.source_language().code.clone();
    let drafts: HashSet<String> = pages
        .iter()
        .filter(|p| p.common.draft && p.lang == source)
        .map(|p| p.key.clone())
        .collect();
    pages.retain(|p| !p.common.draft && !drafts.contains(&p.key));
}

fn report_unknown_language_folders(content_dir: &Path, config: &Config, diags: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        diags.push(
            Diagnostic::error(Code::Content, "there is no `content` folder")
                .in_file("content")
                .hint("put the pages in content/<language code>/, e.g. content/en/_index.md"),
        );
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir() && !name.starts_with('.') && config.language(&name).is_none() {
            let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            let mut d = Diagnostic::warning(
                Code::LanguageFolder,
                format!("content/{name} is not a language of toolkit.yaml and is not published"),
            )
            .in_file(format!("content/{name}"));
            d = match closest(&name, codes.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(format!(
                    "add `{name}` to `languages` in toolkit.yaml, or move the folder"
                )),
            };
            diags.push(d);
        }
    }
}

/// Every input file but the content pages, in a stable order: the settings, the
/// theme, and the site's own templates, strings, data, assets and static files.
pub(super) fn input_files(root: &Path, theme: &Path) -> Vec<PathBuf> {
    let mut paths = vec![root.join("toolkit.yaml")];
    for dir in [
        theme.to_path_buf(),
        root.join("templates"),
        root.join("i18n"),
        root.join("data"),
        root.join("assets"),
        root.join("static"),
    ] {
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                paths.push(e.path().to_path_buf());
            }
        }
    }
    paths
}

/// The modification time and size of every input file ([`input_files`] and the
/// content pages). Compared before and after a build, it tells a file that
/// changed while the build read it.
pub(super) type Stamps = std::collections::BTreeMap<PathBuf, (Option<std::time::SystemTime>, u64)>;

/// The stamps of the inputs of the toolkit at `root` with its theme at `theme`.
pub(super) fn input_stamps(root: &Path, theme: &Path) -> Stamps {
    let content = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path);
    input_files(root, theme)
        .into_iter()
        .chain(content)
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            Some((p, (meta.modified().ok(), meta.len())))
        })
        .collect()
}
