//! The search phase: one Pagefind index per page language, built in-process from the
//! rendered pages, with French stemming for French pages. Facilitator-only boxes can
//! be left out of the index.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::{Code, Diagnostic};
use crate::output::OutputFile;

/// Folder of the search files in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// The pages of one language: (output file, URL).
type LanguagePages<'a> = Vec<&'a (&'a OutputFile, String)>;

/// The pages grouped by the language Pagefind files them under.
fn by_language<'a>(pages: &'a [(&'a OutputFile, String)]) -> Vec<LanguagePages<'a>> {
    let mut groups: BTreeMap<String, LanguagePages<'a>> = BTreeMap::new();
    for page in pages {
        groups
            .entry(html_lang(&page.0.bytes))
            .or_default()
            .push(page);
    }
    groups.into_values().collect()
}

/// What the bundle of one language is made from: Pagefind's version, the settings,
/// and each page's URL and bytes.
fn fingerprint(pages: &[&(&OutputFile, String)], exclude_facilitator: bool) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(format!("pagefind 1.6|{exclude_facilitator}").as_bytes());
    for (f, url) in pages {
        h.update(&(url.len() as u64).to_le_bytes());
        h.update(url.as_bytes());
        h.update(&(f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    h.finalize()
}

/// Index `pages` (output path, URL, HTML) and return the files of the search bundle.
///
/// Pagefind keeps one index per page language (the `lang` of `<html>`), and indexes
/// the pages given to one of its instances one at a time. So each language gets an
/// instance of its own, and the languages are indexed in parallel; the files they
/// share are the same in every bundle, and their lists of languages are merged.
pub fn index(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let (files, mut errors) = index_reusing(pages, exclude_facilitator, |_| None, |_, _| {});
    match errors.pop() {
        Some(e) => Err(e),
        None => Ok(files),
    }
}

/// Like [`index`], but a language's bundle is taken from `reuse` when it has the
/// bundle of that language's [`fingerprint`], and each bundle made is given to
/// `keep`. Returns the files, and the problems of the languages that failed.
pub fn index_reusing(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
    mut reuse: impl FnMut(&blake3::Hash) -> Option<Vec<OutputFile>>,
    mut keep: impl FnMut(&blake3::Hash, &[OutputFile]),
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut bundles = Vec::new();
    let mut todo = Vec::new();
    for pages in by_language(pages) {
        let key = fingerprint(&pages, exclude_facilitator);
        match reuse(&key) {
            Some(files) => bundles.push(files),
            None => todo.push((key, pages)),
        }
    }
    // A thread for each language, not a task of rayon's pool: each language's
    // pages are parsed on that pool, and a worker waiting on its language would
    // leave the pool short of the worker that parsing needs.
    let made: Vec<_> = std::thread::scope(|scope| {
        let running: Vec<_> = todo
            .into_iter()
            .map(|(key, pages)| {
                scope.spawn(move || index_language(&pages, exclude_facilitator).map(|f| (key, f)))
            })
            .collect();
        running
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err(failure("the indexer stopped".to_string())))
            })
            .collect()
    });
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok((key, files)) => {
                keep(&key, &files);
                bundles.push(files);
            }
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

/// One Pagefind instance for the pages of one language.
fn index_language(
    pages: &[&(&OutputFile, String)],
    exclude_facilitator: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(e.to_string()))?;
    runtime.block_on(async {
        let mut index = new_index(exclude_facilitator)?;
        // Parsed in parallel, a batch at a time (a batch's text is held at once),
        // and added in order: the index is the one pages added one by one make.
        let batch = 64 * rayon::current_num_threads().max(1);
        for pages in pages.chunks(batch) {
            let files = pages
                .iter()
                .map(|(file, url)| {
                    let html = String::from_utf8_lossy(&file.bytes).into_owned();
                    (None, Some(url.clone()), html)
                })
                .collect();
            index
                .add_html_files(files)
                .await
                .map_err(|e| failure(format!("{e:#}")))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| failure(e.to_string()))?;
        Ok(files.into_iter().map(bundle_file).collect())
    })
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
    let path = format!(
        "{BUNDLE_DIR}/{}",
        f.filename.to_string_lossy().replace('\\', "/")
    );
    OutputFile::new(path, f.contents)
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
mod tests {
    use super::*;

    #[test]
    fn the_language_of_a_page_is_the_lang_of_its_html_element() {
        assert_eq!(
            html_lang(b"<!doctype html>\n<html lang=\"fr-CA\" dir=\"ltr\"><body>"),
            "fr-ca"
        );
        assert_eq!(html_lang(b"<HTML dir=rtl lang=ar>"), "ar");
        assert_eq!(html_lang(b"<html><body lang=\"en\">"), "");
        assert_eq!(html_lang(b"no markup"), "");
    }

    #[test]
    fn the_bundles_of_two_languages_merge_into_the_bundle_of_one_index() {
        let pages = |lang: &str, n: usize| -> Vec<OutputFile> {
            (0..n)
                .map(|i| {
                    OutputFile::new(
                        format!("{lang}/p{i}/index.html"),
                        format!("<!doctype html><html lang=\"{lang}\"><head><title>P{i}</title></head><body><main><h1>Page {i}</h1><p>words {lang} number {i} safety</p></main></body></html>").into_bytes(),
                    )
                })
                .collect()
        };
        let files: Vec<OutputFile> = pages("en", 3).into_iter().chain(pages("fr", 2)).collect();
        let input: Vec<(&OutputFile, String)> = files
            .iter()
            .map(|f| (f, format!("/{}", f.path.trim_end_matches("index.html"))))
            .collect();
        let merged = index(&input, true).unwrap();
        // One instance for all the pages, as Pagefind alone would do it.
        let single = index_language(&input.iter().collect::<Vec<_>>(), true).unwrap();
        let sorted = |mut v: Vec<OutputFile>| {
            v.sort_by(|a, b| a.path.cmp(&b.path));
            v.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>()
        };
        assert_eq!(sorted(merged), sorted(single));
    }

    #[test]
    fn pages_parsed_in_parallel_give_the_index_of_pages_added_one_by_one() {
        let files: Vec<OutputFile> = (0..150)
            .map(|i| {
                OutputFile::new(
                    format!("en/p{i}/index.html"),
                    format!("<!doctype html><html lang=\"en\"><head><title>P{i}</title></head><body><main><h1>Page {i}</h1><p>words number {i} safety {}</p><h2 id=\"s{i}\">Part</h2><p>listening {}</p></main></body></html>", "care ".repeat(i % 7), "group ".repeat(i % 5)).into_bytes(),
                )
            })
            .collect();
        let input: Vec<(&OutputFile, String)> = files
            .iter()
            .map(|f| (f, format!("/{}", f.path.trim_end_matches("index.html"))))
            .collect();
        let batched = index_language(&input.iter().collect::<Vec<_>>(), false).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let one_by_one = runtime.block_on(async {
            let mut index = new_index(false).unwrap();
            for (file, url) in &input {
                let html = String::from_utf8(file.bytes.to_vec()).unwrap();
                index
                    .add_html_file(None, Some(url.clone()), html)
                    .await
                    .unwrap();
            }
            index.get_files().await.unwrap()
        });
        let sorted = |files: Vec<OutputFile>| {
            let mut v: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|f| (f.path, f.bytes.to_vec()))
                .collect();
            v.sort();
            v
        };
        let one_by_one = sorted(one_by_one.into_iter().map(bundle_file).collect());
        let batched = sorted(batched);
        assert_eq!(batched.len(), one_by_one.len());
        assert!(batched == one_by_one, "the bundles differ");
    }
}
