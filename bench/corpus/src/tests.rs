//! Tests of the corpus generator.

use super::*;

#[test]
fn same_seed_same_text() {
    let c = Corpus {
        pages: 300,
        per: 100,
        seed: 7,
        hugo: false,
    };
    assert_eq!(c.page(42, Lang::En), c.page(42, Lang::En));
    assert_ne!(c.page(42, Lang::En), c.page(43, Lang::En));
    let other = Corpus { seed: 8, ..c };
    assert_ne!(other.page(42, Lang::En), c.page(42, Lang::En));
}

#[test]
fn links_point_at_existing_pages() {
    let c = Corpus {
        pages: 150,
        per: 100,
        seed: 3,
        hugo: false,
    };
    for p in 0..150 {
        let text = c.page(p, Lang::En);
        for part in text.split("](@/").skip(1) {
            let path = part.split([')', '#']).next().unwrap();
            let (section, file) = path.split_once('/').unwrap();
            let s: usize = section.trim_start_matches("section-").parse().unwrap();
            assert!((1..=2).contains(&s), "{path}");
            if file != "_index.md" {
                let n: usize = file
                    .trim_start_matches("page-")
                    .trim_end_matches(".md")
                    .parse()
                    .unwrap();
                assert!((1..=150).contains(&n), "{path}");
                assert_eq!((n - 1) / 100 + 1, s, "{path}");
            }
        }
    }
}

#[test]
fn hugo_layout_has_config_layouts_and_french_slugs() {
    let dir = tempfile::tempdir().unwrap();
    let opts = CorpusOptions {
        hugo: true,
        ..CorpusOptions::default()
    };
    write(dir.path(), 5, 1, &opts).unwrap();
    let root = dir.path();
    assert!(root.join("hugo.yaml").is_file());
    assert!(root.join("layouts/_default/baseof.html").is_file());
    assert!(!root.join("toolkit.yaml").exists());
    let fr = std::fs::read_to_string(root.join("content/fr/section-001/page-0001.md")).unwrap();
    assert!(fr.contains("slug: fiche-0001"));
    assert!(fr.contains("tags: ["));
    assert!(!fr.contains("](@/"));
    assert!(!fr.contains("/page-0"), "French links use French slugs");
    // A second write into the same folder is refused.
    assert!(write(root, 5, 1, &opts).is_err());
}

/// The smoke test CI runs: a small corpus builds without any problem.
#[test]
fn small_corpus_builds() {
    let dir = tempfile::tempdir().unwrap();
    let size = write(dir.path(), 120, 42, &CorpusOptions::default()).unwrap();
    assert_eq!(size.sections, 2);
    let report = passerelle::build::build(&passerelle::build::BuildOptions::new(dir.path()));
    let problems: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(report.ok(), "{problems:#?}");
    assert!(problems.is_empty(), "{problems:#?}");
    let expected = size.files_per_language();
    assert_eq!(expected, 123);
    assert_eq!(
        report.pages,
        vec![("en".to_string(), expected), ("fr".to_string(), expected)]
    );
    // Every French page is an up-to-date translation.
    assert!(report.translations.is_empty(), "{:?}", report.translations);
    // About 800 words a page.
    let en_words = report.words[0].1 / size.pages;
    assert!((600..1000).contains(&en_words), "{en_words} words a page");
    let page =
        std::fs::read_to_string(dir.path().join("site/fr/section-001/fiche-0001/index.html"))
            .unwrap();
    assert!(page.contains("<table>"));
    assert!(page.contains("<blockquote>"));
}
