//! The publication plan: which page is shown at which URL in which language,
//! with translations paired and missing ones filled from the source language.

use std::collections::HashMap;

use crate::config::{Config, UntranslatedPolicy};
use crate::content::Page;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, display_path};
use crate::markdown::Rendered;
use crate::routes::Routes;
use crate::translations::{Status, TranslationMap};

/// One page as published in one language.
#[derive(Debug)]
pub struct Entry<'a> {
    /// The file whose text is shown (the source page for a missing translation).
    pub page: &'a Page,
    /// The reader's language (index into `config.languages`).
    pub lang: usize,
    /// The URL.
    pub url: String,
    /// Translation status in this language.
    pub status: Status,
    /// The body, rendered.
    pub rendered: std::sync::Arc<Rendered>,
    /// Sort order within its folder.
    pub order: (i64, u32, String),
}

/// Every published page.
#[derive(Debug)]
pub struct Plan<'a> {
    /// Entries, grouped by language in config order, then by translation key.
    pub entries: Vec<Entry<'a>>,
    /// key → entry index per language.
    index: HashMap<String, Vec<Option<usize>>>,
    /// (lang, folders) → the pages in that folder, in order (indexes excluded).
    folders: HashMap<(usize, Vec<String>), Vec<usize>>,
    /// (lang, folders) → the section indexes one level below, in order.
    subsections: HashMap<(usize, Vec<String>), Vec<usize>>,
    /// Per language, the entries in order.
    by_lang: Vec<Vec<usize>>,
    /// The statuses of every key in every language, for reports.
    pub statuses: Vec<(String, String, Status, &'a Page)>,
}

impl<'a> Plan<'a> {
    /// Pair translations and choose what each language shows.
    pub fn new(
        pages: &'a [std::sync::Arc<Page>],
        config: &Config,
        routes: &Routes,
        diags: &mut Diagnostics,
    ) -> Self {
        let map = TranslationMap::new(pages);
        let source_lang = config.source_language().code.as_str();
        let mut entries = Vec::new();
        let mut statuses = Vec::new();
        for (li, lang) in config.languages.iter().enumerate() {
            for (key, langs) in &map.by_key {
                let status = TranslationMap::status_in(langs, &lang.code, source_lang);
                let shown = match langs.get(lang.code.as_str()) {
                    Some(p) => Some(*p),
                    None => langs.get(source_lang).copied().filter(|s| {
                        s.common.untranslated.unwrap_or(config.untranslated)
                            == UntranslatedPolicy::Fallback
                    }),
                };
                if let Some(page) = langs.get(lang.code.as_str()).or(langs.get(source_lang)) {
                    statuses.push((key.to_string(), lang.code.clone(), status, *page));
                }
                if let Some(page) = shown {
                    entries.push(Entry {
                        page,
                        lang: li,
                        url: routes.page(page, &lang.code),
                        status,
                        rendered: std::sync::Arc::new(Rendered::default()),
                        order: page.order(),
                    });
                }
            }
        }
        // Two pages may not share a URL.
        let mut by_url: HashMap<&str, &Entry> = HashMap::with_capacity(entries.len());
        for e in &entries {
            if let Some(first) = by_url.get(e.url.as_str()) {
                // Two fallbacks collide only when their sources do, which is reported
                // in the source language already.
                if !(e.status == Status::Missing && first.status == Status::Missing) {
                    let (page, other): (&Entry, &Entry) = if e.status != Status::Missing {
                        (e, *first)
                    } else {
                        (*first, e)
                    };
                    let other_what = if other.status == Status::Missing {
                        format!(
                            "{} (shown untranslated)",
                            display_path(&other.page.file.path)
                        )
                    } else {
                        display_path(&other.page.file.path)
                    };
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateUrl,
                            format!("two pages would be published at {}", e.url),
                        )
                        .at(page
                            .page
                            .key_spans
                            .get("slug")
                            .cloned()
                            .unwrap_or_else(|| page.page.file.yaml().span_start()))
                        .label(format!("{other_what} has the same URL"))
                        .hint("give one of them another `slug`"),
                    );
                }
            } else {
                by_url.insert(e.url.as_str(), e);
            }
        }
        let languages = config.languages.len();
        let mut index: HashMap<String, Vec<Option<usize>>> = HashMap::with_capacity(entries.len());
        let mut folders: HashMap<(usize, Vec<String>), Vec<usize>> = HashMap::new();
        let mut subsections: HashMap<(usize, Vec<String>), Vec<usize>> = HashMap::new();
        let mut by_lang = vec![Vec::new(); languages];
        for (i, e) in entries.iter().enumerate() {
            index
                .entry(e.page.key.clone())
                .or_insert_with(|| vec![None; languages])[e.lang] = Some(i);
            by_lang[e.lang].push(i);
            if e.page.is_index {
                if let Some((_, parent)) = e.page.folders.split_last() {
                    subsections
                        .entry((e.lang, parent.to_vec()))
                        .or_default()
                        .push(i);
                }
            } else {
                folders
                    .entry((e.lang, e.page.folders.clone()))
                    .or_default()
                    .push(i);
            }
        }
        for list in folders.values_mut().chain(subsections.values_mut()) {
            list.sort_by(|a, b| entries[*a].order.cmp(&entries[*b].order));
        }
        Plan {
            entries,
            index,
            folders,
            subsections,
            by_lang,
            statuses,
        }
    }

    /// The entry of `key` in language `lang`.
    pub fn get(&self, lang: usize, key: &str) -> Option<&Entry<'a>> {
        let i = (*self.index.get(key)?.get(lang)?)?;
        Some(&self.entries[i])
    }

    /// Entries of one language.
    pub fn in_language(&self, lang: usize) -> impl Iterator<Item = &Entry<'a>> {
        self.by_lang
            .get(lang)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// The pages in a folder (not its index), in order.
    pub fn in_folder(&self, lang: usize, folders: &[String]) -> impl Iterator<Item = &Entry<'a>> {
        self.folders
            .get(&(lang, folders.to_vec()))
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// The section indexes directly below a folder, in order.
    pub fn subsections(&self, lang: usize, folders: &[String]) -> impl Iterator<Item = &Entry<'a>> {
        self.subsections
            .get(&(lang, folders.to_vec()))
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// Every translation key.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.index.keys().cloned().collect();
        keys.sort();
        keys
    }
}
