//! Translations: pairing pages across languages by translation key, the version
//! of the source each translation was made from, and their status.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::Page;

/// Length of a source version, in hex digits.
pub const HASH_LEN: usize = 10;

/// The version of a source page: a short hash of its text, line endings normalized.
pub fn source_version(page: &Page) -> String {
    let version = page
        .version
        .get_or_init(|| version_of_text(&page.file.text));
    version.clone()
}

/// The version of a source text, as recorded in `source_hash`.
pub fn version_of_text(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..HASH_LEN].to_string()
}

/// Where a page stands in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The page is in the source language.
    Source,
    /// A translation of the current source.
    UpToDate,
    /// A translation of an older version of the source (or with no recorded version).
    Stale,
    /// No translation: the source text is shown under a notice.
    Missing,
    /// A translation whose source page is gone.
    Orphan,
}

impl Status {
    /// The word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Status::Source => "source",
            Status::UpToDate => "up to date",
            Status::Stale => "stale",
            Status::Missing => "missing",
            Status::Orphan => "orphan",
        }
    }
}

/// Pages of every language, by translation key.
#[derive(Debug, Default)]
pub struct TranslationMap<'a> {
    /// key → (lang → page)
    pub by_key: BTreeMap<&'a str, BTreeMap<&'a str, &'a Page>>,
}

impl<'a> TranslationMap<'a> {
    /// Index the pages of every language.
    pub fn new(pages: &'a [std::sync::Arc<Page>]) -> Self {
        let mut by_key: BTreeMap<&str, BTreeMap<&str, &Page>> = BTreeMap::new();
        for p in pages {
            by_key
                .entry(p.key.as_str())
                .or_default()
                .insert(p.lang.as_str(), p);
        }
        Self { by_key }
    }

    /// The status of `key` in `lang`, given the source language.
    pub fn status(&self, key: &str, lang: &str, source_lang: &str) -> Status {
        match self.by_key.get(key) {
            Some(langs) => Self::status_in(langs, lang, source_lang),
            None => Status::Missing,
        }
    }

    /// The status in `lang` of a key whose pages by language are `langs`.
    pub fn status_in(langs: &BTreeMap<&str, &Page>, lang: &str, source_lang: &str) -> Status {
        let source = langs.get(source_lang);
        if lang == source_lang {
            return if source.is_some() {
                Status::Source
            } else {
                Status::Missing
            };
        }
        match (langs.get(lang), source) {
            (None, _) => Status::Missing,
            (Some(_), None) => Status::Orphan,
            (Some(t), Some(s)) => match &t.common.source_hash {
                Some(h) if *h == source_version(s) => Status::UpToDate,
                _ => Status::Stale,
            },
        }
    }
}

/// One line of the translation report.
#[derive(Debug, Clone, Serialize)]
pub struct StatusLine {
    /// Translation key.
    pub key: String,
    /// Language.
    pub lang: String,
    /// Status.
    pub status: Status,
    /// The translation's file, or the source's when missing.
    pub file: String,
}

/// Record the current source version in the translation files at `paths`:
/// replace or add the `source_hash:` line of their front matter, leaving the rest
/// of each file as it is.
pub fn stamp(file: &Path, version: &str) -> std::io::Result<bool> {
    let text = std::fs::read_to_string(file)?;
    let crlf = text.contains("\r\n");
    let nl = if crlf { "\r\n" } else { "\n" };
    let bom = text.starts_with('\u{feff}');
    let body = text.trim_start_matches('\u{feff}');
    let mut lines: Vec<&str> = body.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(std::io::Error::other(
            "the file does not start with front matter",
        ));
    }
    let close = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "---" || l.trim_end() == "...")
        .map(|(i, _)| i)
        .ok_or_else(|| std::io::Error::other("the front matter is never closed"))?;
    let new_line = format!("source_hash: \"{version}\"{nl}");
    let existing = (1..close).find(|&i| lines[i].starts_with("source_hash:"));
    match existing {
        Some(i) if lines[i] == new_line => return Ok(false),
        Some(i) => lines[i] = &new_line,
        None => lines.insert(close, &new_line),
    }
    let mut out = String::with_capacity(text.len() + 32);
    if bom {
        out.push('\u{feff}');
    }
    for l in lines {
        out.push_str(l);
    }
    std::fs::write(file, out)?;
    Ok(true)
}
