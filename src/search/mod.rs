//! The search phase: one Pagefind index per page language, built in-process from the
//! rendered pages, with French stemming for French pages. Facilitator-only boxes can
//! be left out of the index.

use std::collections::BTreeMap;

mod kept;

use pagefind::api::{PageRecord, PagefindIndex};
use pagefind::options::PagefindServiceConfig;

use kept::{Keeping, Kept};

use crate::diagnostics::{Code, Diagnostic};
use crate::output::OutputFile;

/// Folder of the search files in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// The pages of one language: (output file, URL).
type LanguagePages<'a> = Vec<&'a (&'a OutputFile, String)>;

/// The pages grouped by the language Pagefind files them under, with that language.
fn by_language<'a>(pages: &'a [(&'a OutputFile, String)]) -> BTreeMap<String, LanguagePages<'a>> {
    let mut groups: BTreeMap<String, LanguagePages<'a>> = BTreeMap::new();
    for page in pages {
        groups
            .entry(html_lang(&page.0.bytes))
            .or_default()
            .push(page);
    }
    groups
}

/// What the bundle of one language is made from: Pagefind's version, the settings,
/// and each page's URL and bytes (through its [`kept::page_key`]).
fn fingerprint(keys: &[blake3::Hash], exclude_facilitator: bool) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(format!("pagefind 1.6|{exclude_facilitator}").as_bytes());
    for key in keys {
        h.update(key.as_bytes());
    }
    h.finalize()
}

/// What the store gives and takes of a language being indexed.
struct Caching<'a> {
    /// The key of each page's record, in the pages' order.
    keys: Vec<blake3::Hash>,
    /// The [`fingerprint`] of the pages.
    fingerprint: blake3::Hash,
    /// The language's entry from the last build, when there is one.
    kept: Option<Kept<'a>>,
}

/// Where the search phase keeps each language's index between builds (the cache
/// folder): entries made by [`index_reusing`], under keys it gives.
pub trait Store {
    /// The entry under `key`, when there is one.
    fn get(&mut self, key: &blake3::Hash) -> Option<Vec<u8>>;
    /// Keep `entry` (its parts, one after the other) under `key`.
    fn put(&mut self, key: &blake3::Hash, entry: &[&[u8]]);
    /// Tell `--verbose` what was taken from the store.
    fn note(&mut self, note: String);
}

/// Index `pages` (output path, URL, HTML) and return the files of the search bundle.
///
/// Pagefind keeps one index per page language (the `lang` of `<html>`). Each
/// language gets an instance of its own, and the languages are indexed one after
/// the other, each on every core, so that only one language's index is held at a
/// time; the files they share are the same in every bundle, and their lists of
/// languages are merged.
pub fn index(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let (files, mut errors) = index_reusing(pages, exclude_facilitator, None);
    match errors.pop() {
        Some(e) => Err(e),
        None => Ok(files),
    }
}

/// Like [`index`], keeping what it made in `store` for the next build: a language
/// whose pages are all the same is taken from there as it is, and in the others
/// only the pages that changed are read again. Returns the files, and the problems
/// of the languages that failed.
pub fn index_reusing(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
    mut store: Option<&mut dyn Store>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut bundles = Vec::new();
    let mut errors = Vec::new();
    for (lang, pages) in by_language(pages) {
        let store = store.as_deref_mut();
        match index_one_language(&lang, &pages, exclude_facilitator, store) {
            Ok(files) => bundles.push(files),
            Err(d) => errors.push(d),
        }
    }
    match merge_bundles(bundles) {
        Ok(files) => (files, errors),
        Err(d) => {
            errors.push(d);
            (Vec::new(), errors)
        }
    }
}

/// The bundle of one language: from `store` when its pages are the ones it was
/// made from, else indexed (reading again only the pages that changed) and kept.
fn index_one_language(
    lang: &str,
    pages: &[&(&OutputFile, String)],
    exclude_facilitator: bool,
    store: Option<&mut (dyn Store + '_)>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    use rayon::prelude::*;
    let Some(store) = store else {
        return index_language(pages, exclude_facilitator, None).map(|made| made.files);
    };
    let key = language_key(lang, exclude_facilitator);
    let entry = store.get(&key);
    let keys: Vec<blake3::Hash> = pages
        .par_iter()
        .map(|(file, url)| kept::page_key(url, &file.bytes))
        .collect();
    let caching = Caching {
        fingerprint: fingerprint(&keys, exclude_facilitator),
        keys,
        kept: entry.as_deref().and_then(Kept::read),
    };
    if let Some(kept) = &caching.kept
        && kept.fingerprint == Some(caching.fingerprint)
    {
        return Ok(kept
            .files
            .iter()
            .map(|(path, bytes)| OutputFile::new(*path, bytes.to_vec()))
            .collect());
    }
    let made = index_language(pages, exclude_facilitator, Some(&caching))?;
    if let Some(entry) = made.entry {
        let parts: Vec<&[u8]> = entry.iter().map(Vec::as_slice).collect();
        store.put(&key, &parts);
        store.note(format!(
            "search: {} of {} pages read, {} of {} files compressed; the others taken from the cache",
            made.read, made.pages, made.compressed, made.gzipped
        ));
    }
    Ok(made.files)
}

/// The key of a language's entry in the [`Store`]: the language and the settings.
fn language_key(lang: &str, exclude_facilitator: bool) -> blake3::Hash {
    blake3::hash(format!("search language|pagefind 1.6|{exclude_facilitator}|{lang}").as_bytes())
}

/// The language Pagefind files a page under: the `lang` of its `<html>` element,
/// lowercased; empty when there is none (Pagefind's "unknown").
fn html_lang(html: &[u8]) -> String {
    let head = &html[..html.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let Some(start) = lower.find("<html") else {
        return String::new();
    };
    let tag = &lower[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let Some(at) = tag.find(" lang=") else {
        return String::new();
    };
    let value = &tag[at + " lang=".len()..];
    let value = value.trim_start_matches(['"', '\'']);
    value
        .split(['"', '\'', ' ', '>'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// What indexing a language made.
struct Made {
    /// The files of its bundle.
    files: Vec<OutputFile>,
    /// Its cache entry (in parts), when it is kept.
    entry: Option<Vec<Vec<u8>>>,
    /// How many of its pages were read from their HTML, of how many.
    read: usize,
    pages: usize,
    /// How many of the files Pagefind gzips were compressed, of how many.
    compressed: usize,
    gzipped: usize,
}

/// One Pagefind instance for the pages of one language. With `caching`, its entry
/// is made, a page whose record the last entry has is not read again, and a
/// compressed file it has is not compressed again.
fn index_language(
    pages: &[&(&OutputFile, String)],
    exclude_facilitator: bool,
    caching: Option<&Caching>,
) -> Result<Made, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let kept = caching.and_then(|c| c.kept.as_ref());
    let mut entry = caching.map(|c| {
        let mut k = Keeping::default();
        k.fingerprint(&c.fingerprint);
        k
    });
    runtime.block_on(async {
        let mut index = new_index(exclude_facilitator)?;
        // Read in parallel, a batch at a time (a batch's text is held at once),
        // and added in order: the index is the one pages added one by one make.
        let batch = 64 * rayon::current_num_threads().max(1);
        let mut read = 0;
        for (i, pages) in pages.chunks(batch).enumerate() {
            let (Some(caching), Some(entry)) = (caching, entry.as_mut()) else {
                read += pages.len();
                let files = pages
                    .iter()
                    .map(|(file, url)| html_file(file, url))
                    .collect();
                index
                    .add_html_files(files)
                    .await
                    .map_err(|e| failure(format!("{e:#}")))?;
                continue;
            };
            let keys = &caching.keys[i * batch..][..pages.len()];
            let (records, fresh) = records(&index, pages, keys, kept, entry).await?;
            read += fresh;
            index
                .add_records(records)
                .await
                .map_err(|e| failure(format!("{e:#}")))?;
        }
        let made = std::sync::Mutex::new(Vec::new());
        let gzip = |path: &std::path::Path, chunks: &[&[u8]]| {
            let raw = kept::content_hash(chunks);
            let (bytes, new) = match kept.and_then(|k| k.compressed.get(&raw)) {
                Some(bytes) => (bytes.to_vec(), false),
                None => (pagefind::api::gzip(path, chunks), true),
            };
            made.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((raw, bundle_path(path), new));
            bytes
        };
        let files = index
            .get_files_compressed_by(&gzip)
            .await
            .map_err(|e| failure(e.to_string()))?;
        let files: Vec<OutputFile> = files.into_iter().map(bundle_file).collect();
        let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = entry.as_mut() {
            for f in &files {
                entry.file(&f.path, &f.bytes);
            }
            for (raw, path, _) in &made {
                entry.compressed(raw, path);
            }
        }
        Ok(Made {
            files,
            entry: entry.map(Keeping::into_chunks),
            read,
            pages: pages.len(),
            compressed: made.iter().filter(|m| m.2).count(),
            gzipped: made.len(),
        })
    })
}

/// A page as Pagefind's calls take it: (source path, URL, HTML).
fn html_file(file: &OutputFile, url: &str) -> (Option<String>, Option<String>, String) {
    let html = String::from_utf8_lossy(&file.bytes).into_owned();
    (None, Some(url.to_string()), html)
}

/// The records of `pages` (whose record keys are `keys`): from `kept` where it
/// has them, read from the HTML (in parallel) where it does not; each is added to
/// `entry`. Also returns how many were read.
async fn records(
    index: &PagefindIndex,
    pages: &[&(&OutputFile, String)],
    keys: &[blake3::Hash],
    kept: Option<&Kept<'_>>,
    entry: &mut Keeping,
) -> Result<(Vec<PageRecord>, usize), Diagnostic> {
    use rayon::prelude::*;
    let mut cached: Vec<Option<&[u8]>> = keys
        .iter()
        .map(|key| kept?.pages.get(key).copied())
        .collect();
    let mut records: Vec<Option<PageRecord>> = cached
        .par_iter()
        .map(|bytes| postcard::from_bytes((*bytes)?).ok())
        .collect();
    let unread: Vec<usize> = (0..pages.len()).filter(|&i| records[i].is_none()).collect();
    let fresh = unread.len();
    for &i in &unread {
        // Not a record after all (it did not decode): the page is read again.
        cached[i] = None;
    }
    if !unread.is_empty() {
        let files = unread
            .iter()
            .map(|&i| html_file(pages[i].0, &pages[i].1))
            .collect();
        let read = index
            .read_html_files(files)
            .await
            .map_err(|e| failure(format!("{e:#}")))?;
        for (i, record) in unread.into_iter().zip(read) {
            records[i] = Some(record);
        }
    }
    let records: Vec<PageRecord> = records.into_iter().flatten().collect();
    // A record taken from the last entry is kept as it was; a new one is encoded.
    let made: Vec<Option<Vec<u8>>> = records
        .par_iter()
        .zip(&cached)
        .map(|(r, old)| match old {
            Some(_) => None,
            None => postcard::to_allocvec(r).ok(),
        })
        .collect();
    for ((key, old), new) in keys.iter().zip(&cached).zip(&made) {
        if let Some(bytes) = old.or(new.as_deref()) {
            entry.page(key, bytes);
        }
    }
    Ok((records, fresh))
}

/// A Pagefind instance with the toolkit's settings: the text of `<main>`, without
/// what is marked to be left out (and the facilitator-only boxes, on request).
fn new_index(exclude_facilitator: bool) -> Result<PagefindIndex, Diagnostic> {
    let mut exclude = vec!["[data-search-ignore]".to_string()];
    if exclude_facilitator {
        exclude.push(".facilitator-only".to_string());
    }
    let config = PagefindServiceConfig::builder()
        .root_selector("main".to_string())
        .exclude_selectors(exclude)
        .build();
    PagefindIndex::new(Some(config)).map_err(|e| failure(e.to_string()))
}

/// A file of a bundle, at its place in the output.
fn bundle_file(f: pagefind::api::SyntheticFile) -> OutputFile {
    OutputFile::new(bundle_path(&f.filename), f.contents)
}

/// The place in the output of the file at `path` in a bundle.
fn bundle_path(path: &std::path::Path) -> String {
    format!("{BUNDLE_DIR}/{}", path.to_string_lossy().replace('\\', "/"))
}

/// The error of a search index that could not be built.
fn failure(e: String) -> Diagnostic {
    Diagnostic::error(Code::Search, format!("the search index could not be built: {e}"))
        .hint("this is a problem in the search indexer; build with `search: {enabled: false}` in toolkit.yaml to publish without search")
}

/// The entry file of a bundle, `pagefind-entry.json`, as Pagefind writes it (the
/// fields in its order, so that a merged entry is the one a single instance writes).
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    version: String,
    languages: BTreeMap<String, EntryLanguage>,
    include_characters: Vec<String>,
}

/// One language of the entry file.
#[derive(serde::Serialize, serde::Deserialize)]
struct EntryLanguage {
    hash: String,
    wasm: Option<String>,
    page_count: usize,
}

/// The path of the entry file in the output.
const ENTRY: &str = "pagefind/pagefind-entry.json";

/// One bundle from the bundles of each language: every file once, the entry files'
/// languages together.
fn merge_bundles(bundles: Vec<Vec<OutputFile>>) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files: BTreeMap<String, OutputFile> = BTreeMap::new();
    let mut entry: Option<Entry> = None;
    for file in bundles.into_iter().flatten() {
        if file.path == ENTRY {
            let one: Entry = serde_json::from_slice(&file.bytes)
                .map_err(|e| failure(format!("{ENTRY}: {e}")))?;
            match &mut entry {
                None => entry = Some(one),
                Some(all) => {
                    for (code, language) in one.languages {
                        if all.languages.insert(code.clone(), language).is_some() {
                            return Err(failure(format!("two indexes of language `{code}`")));
                        }
                    }
                }
            }
            continue;
        }
        match files.get(&file.path) {
            Some(kept) if kept.bytes != file.bytes => {
                return Err(failure(format!(
                    "{} differs between the languages' indexes",
                    file.path
                )));
            }
            Some(_) => {}
            None => {
                files.insert(file.path.clone(), file);
            }
        }
    }
    let mut files: Vec<OutputFile> = files.into_values().collect();
    if let Some(entry) = entry {
        let json = serde_json::to_vec(&entry).map_err(|e| failure(e.to_string()))?;
        files.push(OutputFile::new(ENTRY, json));
    }
    Ok(files)
}

#[cfg(test)]
mod tests;
