//! Tests of the search phase.

use super::*;
use std::collections::HashMap;

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
    let single = index_language(&input.iter().collect::<Vec<_>>(), true, None)
        .unwrap()
        .files;
    let sorted = |mut v: Vec<OutputFile>| {
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>()
    };
    assert_eq!(sorted(merged), sorted(single));
}

/// A [`Store`] in memory.
#[derive(Default)]
struct Memory {
    entries: HashMap<blake3::Hash, Vec<u8>>,
    notes: Vec<String>,
}

impl Store for Memory {
    fn get(&mut self, key: &blake3::Hash) -> Option<Vec<u8>> {
        self.entries.get(key).cloned()
    }
    fn put(&mut self, key: &blake3::Hash, entry: &[&[u8]]) {
        self.entries.insert(*key, entry.concat());
    }
    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

#[test]
fn an_index_made_again_from_kept_records_is_the_index_made_from_nothing() {
    let page = |lang: &str, i: usize, extra: &str| {
        OutputFile::new(
            format!("{lang}/p{i}/index.html"),
            format!("<!doctype html><html lang=\"{lang}\"><head><title>P{i}</title></head><body><main><h1>Page {i}</h1><p>words {lang} number {i} safety {extra}</p><h2 id=\"s{i}\">Part</h2></main></body></html>").into_bytes(),
        )
    };
    let site = |edit: &str| -> Vec<OutputFile> {
        (0..40)
            .map(|i| page("en", i, if i == 7 { edit } else { "" }))
            .chain((0..30).map(|i| page("fr", i, "")))
            .collect()
    };
    let input = |files: &[OutputFile]| -> Vec<(OutputFile, String)> {
        files
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    format!("/{}", f.path.trim_end_matches("index.html")),
                )
            })
            .collect()
    };
    let sorted = |mut v: Vec<OutputFile>| {
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v.into_iter()
            .map(|f| (f.path, f.bytes.to_vec()))
            .collect::<Vec<_>>()
    };
    let mut store = Memory::default();
    for (round, edit) in ["", "listening with care", "group agreements"]
        .iter()
        .enumerate()
    {
        let pages = input(&site(edit));
        let pages: Vec<(&OutputFile, String)> = pages.iter().map(|(f, u)| (f, u.clone())).collect();
        store.notes.clear();
        let (kept, errors) = index_reusing(&pages, false, Some(&mut store));
        assert!(errors.is_empty());
        let fresh = index(&pages, false).unwrap();
        assert!(
            sorted(kept) == sorted(fresh),
            "round {round}: the bundles differ"
        );
        if round > 0 {
            // English changed on one page: that page alone is read again; French
            // is the same, and its bundle is taken whole.
            assert_eq!(
                store.notes,
                [
                    "search: 1 of 40 pages read, 3 of 42 files compressed; the others taken from the cache"
                ]
            );
        }
    }
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
    let batched = index_language(&input.iter().collect::<Vec<_>>(), false, None)
        .unwrap()
        .files;
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
