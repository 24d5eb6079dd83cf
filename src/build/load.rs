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
    pub(super) pages: Vec<Page>,
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
    cache.start(root, &theme, opts);
    let ui = Arc::new(UiStrings::load(root, &theme, &config, diags));
    let data = SiteData::load(root, &config, diags);
    let content_dir = root.join("content");
    let mut pages: Vec<Page> = Vec::new();
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
    })
}

/// A draft is left out with its translations.
fn leave_out_drafts(pages: &mut Vec<Page>, config: &Config) {
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

/// The modification time and size of every input file: the settings, `content/`,
/// `data/`, the site's own templates, strings, assets and static files, and the
/// theme. Compared before and after a build, it tells a file that changed while
/// the build read it.
pub(super) type Stamps = std::collections::BTreeMap<PathBuf, (Option<std::time::SystemTime>, u64)>;

/// The stamps of the inputs of the toolkit at `root` with its theme at `theme`.
pub(super) fn input_stamps(root: &std::path::Path, theme: &std::path::Path) -> Stamps {
    let mut stamps = Stamps::new();
    let dirs = ["content", "data", "templates", "i18n", "assets", "static"]
        .map(|d| root.join(d))
        .into_iter()
        .chain([theme.to_path_buf()]);
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                stamps.insert(entry.into_path(), (meta.modified().ok(), meta.len()));
            }
        }
    }
    if let Ok(meta) = std::fs::metadata(root.join("toolkit.yaml")) {
        stamps.insert(
            root.join("toolkit.yaml"),
            (meta.modified().ok(), meta.len()),
        );
    }
    stamps
}
