//! The search index.

use crate::harness::*;

#[test]
fn search_index_per_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let root = fixture("valid");
    let out = build_into(&root, &out_dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bundle = out_dir.join("pagefind");
    for f in [
        "pagefind.js",
        "pagefind-ui.js",
        "pagefind-ui.css",
        "wasm.en.pagefind",
        "wasm.fr.pagefind",
    ] {
        assert!(bundle.join(f).exists(), "{f}");
    }
    let entry = read(&bundle.join("pagefind-entry.json"));
    assert!(
        entry.contains("\"en\"") && entry.contains("\"fr\""),
        "{entry}"
    );
    let search = read(&out_dir.join("fr/recherche/index.html"));
    assert!(
        search.contains("data-bundle=\"/kit/pagefind/\""),
        "works under the sub-path"
    );
    assert!(
        search.contains("href=\"/kit/fr/programme/seance-01/\""),
        "a plain index of pages without script"
    );
    // Unchanged pages: the index is reused and nothing is written again.
    let out = build_into(&root, &out_dir, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 written,"));
    // --no-search leaves the bundle out.
    let out = build_into(&root, &out_dir, &["--no-search"]);
    assert!(out.status.success());
    assert!(!bundle.join("pagefind.js").exists());
}

/// The text of every page record of the built search index.
fn indexed_text(kit: &Toolkit) -> String {
    use std::io::Read as _;
    let mut all = String::new();
    for entry in std::fs::read_dir(kit.root.join("site/pagefind/fragment")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        all.push_str(&text);
    }
    all
}

#[test]
fn facilitator_boxes_are_indexed_only_when_asked() {
    let kit = Toolkit::copy_of("valid");
    kit.run("build", &[]).success();
    let text = indexed_text(&kit);
    assert!(text.contains("Learn names"), "the session is indexed");
    assert!(
        !text.contains("Show the exits"),
        "a care box is left out by default"
    );
    let kit = Toolkit::case("facilitator-notes");
    kit.run("build", &[]).success();
    assert!(
        indexed_text(&kit).contains("Show the exits"),
        "indexed when asked for"
    );
}
