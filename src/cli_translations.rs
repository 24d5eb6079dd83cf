//! `passerelle translations`: the status of every page in every language, and
//! stamping translations with the version of their source.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::Config;
use crate::content::{self, Page};
use crate::diagnostics::{self, Diagnostics, Format};
use crate::translations::{Status, TranslationMap, source_version, stamp};

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

fn load(root: &Path, diags: &mut Diagnostics) -> Option<(Config, Vec<std::sync::Arc<Page>>)> {
    let config = match Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")) {
        Ok(c) => c,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    let mut pages = Vec::new();
    for lang in &config.languages {
        pages.extend(content::load_language(
            root,
            &root.join("content"),
            &lang.code,
            &config,
            diags,
        ));
    }
    Some((config, pages))
}

/// Run the command for the languages `only` (all when empty); returns the exit code.
pub fn run(root: &Path, strict: bool, to_stamp: &[PathBuf], only: &[String]) -> ExitCode {
    let mut diags = Diagnostics::new();
    let Some((config, pages)) = load(root, &mut diags) else {
        tell!("{}", diagnostics::render(&diags, Format::Human, false));
        return ExitCode::FAILURE;
    };
    if diags.has_errors() {
        tell!("{}", diagnostics::render(&diags, Format::Human, false));
    }
    let map = TranslationMap::new(&pages);
    let source = config.source_language().code.clone();
    if !to_stamp.is_empty() {
        return stamp_files(root, &pages, &map, &source, to_stamp);
    }
    if let Some(unknown) = only.iter().find(|c| config.language(c).is_none()) {
        tell!("error: `{unknown}` is not a language of toolkit.yaml");
        return ExitCode::FAILURE;
    }
    let shown: Vec<&crate::config::Language> = config
        .languages
        .iter()
        .skip(1)
        .filter(|l| only.is_empty() || only.contains(&l.code))
        .collect();
    let mut counts = std::collections::BTreeMap::<(String, Status), usize>::new();
    let mut not_ok = 0;
    for (key, langs) in &map.by_key {
        for lang in &shown {
            let status = map.status(key, &lang.code, &source);
            *counts.entry((lang.code.clone(), status)).or_default() += 1;
            let file = langs
                .get(lang.code.as_str())
                .or(langs.get(source.as_str()))
                .map(|p| diagnostics::display_path(&p.file.path))
                .unwrap_or_default();
            if status != Status::UpToDate {
                not_ok += 1;
            }
            say!(
                "{:<4} {:<11} {:<40} {file}",
                lang.code,
                status.label(),
                if key.is_empty() { "(home)" } else { key }
            );
        }
    }
    // The UI strings each language still lacks.
    let mut diags = Diagnostics::new();
    let ui = crate::i18n::UiStrings::load(root, &config.theme_dir(root), &config, &mut diags);
    for lang in &shown {
        let missing = ui.untranslated(&lang.code).len();
        if missing > 0 {
            not_ok += 1;
        }
        say!(
            "{:<4} {:<11} {:<40} i18n/{}.yaml",
            lang.code,
            if missing == 0 {
                "up to date"
            } else {
                "untranslated"
            },
            format!("(UI strings: {missing} of {} to translate)", ui.count()),
            lang.code
        );
    }
    let totals: Vec<String> = counts
        .iter()
        .map(|((l, s), n)| format!("{l} {}: {n}", s.label()))
        .collect();
    say!("total: {}", totals.join(", "));
    if strict && not_ok > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `passerelle translations --diff FILE`: what changed in the source of the
/// translation `file` since the version it was stamped with.
pub fn diff(root: &Path, file: &Path) -> ExitCode {
    let mut diags = Diagnostics::new();
    let Some((config, pages)) = load(root, &mut diags) else {
        tell!("{}", diagnostics::render(&diags, Format::Human, false));
        return ExitCode::FAILURE;
    };
    let map = TranslationMap::new(&pages);
    let source = config.source_language().code.clone();
    // A path from the current folder, or else from the toolkit's.
    let file = if file.exists() {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let file = file.as_path();
    let Some(page) = page_at(root, &pages, file) else {
        tell!(
            "error: {} is not a page of this toolkit (or could not be read)",
            file.display()
        );
        return ExitCode::FAILURE;
    };
    let Some(src) = map
        .by_key
        .get(page.key.as_str())
        .and_then(|l| l.get(source.as_str()))
    else {
        tell!(
            "error: {} has no source page (key `{}`)",
            file.display(),
            page.key
        );
        return ExitCode::FAILURE;
    };
    let src_path = diagnostics::display_path(&src.file.path);
    let current = source_version(src);
    let Some(stamped) = page.common.source_hash.clone() else {
        tell!(
            "{} records no source version (`source_hash`), so there is nothing to compare with: check it against {src_path}, then stamp it with `passerelle translations --stamp {}`",
            diagnostics::display_path(&page.file.path),
            diagnostics::display_path(&page.file.path)
        );
        return ExitCode::FAILURE;
    };
    if stamped == current {
        say!(
            "{} is up to date with {src_path}: nothing changed",
            diagnostics::display_path(&page.file.path)
        );
        return ExitCode::SUCCESS;
    }
    match crate::translation_diff::find_version(root, &src.file.path, &stamped) {
        Ok(old) => {
            say!(
                "{src_path}: changes since version {stamped} (the translation's), to version {current} (now)\n"
            );
            say!(
                "{}",
                crate::translation_diff::paragraph_diff(&old, &src.file.text).trim_end()
            );
            say!(
                "\nWhen the translation is updated: passerelle translations --stamp {}",
                diagnostics::display_path(&page.file.path)
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            tell!("error: {why}");
            ExitCode::FAILURE
        }
    }
}

/// `--stamp`: record the current source version in each of `to_stamp`.
fn stamp_files(
    root: &Path,
    pages: &[std::sync::Arc<Page>],
    map: &TranslationMap,
    source: &str,
    to_stamp: &[PathBuf],
) -> ExitCode {
    let mut failed = false;
    for path in to_stamp {
        let Some(page) = page_at(root, pages, path) else {
            tell!(
                "error: {} is not a page of this toolkit (or could not be read)",
                path.display()
            );
            failed = true;
            continue;
        };
        if page.lang == source {
            tell!(
                "error: {} is in the source language; stamp its translations instead",
                path.display()
            );
            failed = true;
            continue;
        }
        let Some(src) = map
            .by_key
            .get(page.key.as_str())
            .and_then(|l| l.get(source))
        else {
            tell!(
                "error: {} has no source page (key `{}`)",
                path.display(),
                page.key
            );
            failed = true;
            continue;
        };
        match stamp(&root.join(&page.file.path), &source_version(src)) {
            Ok(true) => say!("stamped {}", diagnostics::display_path(&page.file.path)),
            Ok(false) => say!(
                "already up to date: {}",
                diagnostics::display_path(&page.file.path)
            ),
            Err(e) => {
                tell!("error: cannot stamp {}: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The page of the toolkit at `root` whose file is `path` (compared as
/// canonical paths, so `./x` and an absolute path both match).
fn page_at<'p>(root: &Path, pages: &'p [std::sync::Arc<Page>], path: &Path) -> Option<&'p Page> {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    pages
        .iter()
        .find(|p| std::fs::canonicalize(root.join(&p.file.path)).ok().as_ref() == Some(&canon))
        .map(|p| &**p)
}
