//! Rebuilds through the cache give, byte for byte, what a full build gives.

use std::path::Path;

use passerelle::build::{BuildCache, BuildOptions, BuildReport, build, build_cached};

use crate::harness::*;

/// Edits made one after another, each followed by a rebuild through the cache:
/// (what, file, text, replacement).
const EDITS: &[(&str, &str, &str, &str)] = &[
    (
        "body edit",
        "content/en/guidance/listening.md",
        "A footnote.",
        "A changed footnote.",
    ),
    (
        "title edit",
        "content/en/curriculum/session-02.md",
        "Our journeys",
        "Our paths",
    ),
    (
        "session body",
        "content/en/curriculum/session-01.md",
        "Show the exits.",
        "Show every exit.",
    ),
    (
        "section title",
        "content/fr/curriculum/_index.md",
        "title: \"Programme\"",
        "title: \"Le programme\"",
    ),
    (
        "agenda edit",
        "content/en/curriculum/session-01.md",
        "minutes: 60,",
        "minutes: 60, ",
    ),
    (
        "handout title",
        "content/en/handouts/card.md",
        "title: \"Help card\"",
        "title: \"Help and crisis card\"",
    ),
    (
        "handout list of a session",
        "content/fr/curriculum/session-01.md",
        "handouts: [welcome-sheet, card]",
        "handouts: [welcome-sheet]",
    ),
    (
        "handout body",
        "content/fr/handouts/welcome-sheet.md",
        "en tout temps",
        "à tout moment",
    ),
    (
        "snippet",
        "data/snippets/en/promise.md",
        "a court order",
        "a court order or a law",
    ),
    (
        "slug edit",
        "content/fr/guidance/listening.md",
        "slug: ecoute-active",
        "slug: ecouter",
    ),
];

/// Every file of `incremental` is, byte for byte, the file of the full build.
fn assert_same_files(what: &str, incremental: &BuildReport, full: &BuildReport) {
    assert!(incremental.ok(), "{what}: {:?}", incremental.diagnostics);
    let (a, b) = (files_of(incremental), files_of(full));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{what}: {path} differs from a full build"
        );
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let mut opts = BuildOptions::new(&root);
    opts.write = false;
    let mut cache = BuildCache::new();
    let first = build_cached(&opts, &mut cache);
    assert_same_files("first build", &first, &build(&opts));

    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = read(&path);
        assert!(text.contains(from), "{rel} contains {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    for (what, rel, from, to) in EDITS {
        edit(rel, from, to);
        assert_same_files(what, &build_cached(&opts, &mut cache), &build(&opts));
    }
    std::fs::write(
        root.join("content/fr/curriculum/session-02.md"),
        "---\ntitle: \"Nos parcours\"\nslug: seance-02\nsession: 2\nduration: 90\nagenda:\n  - {title: \"Accueil\", minutes: 90}\n---\nTexte.\n",
    )
    .unwrap();
    assert_same_files("new page", &build_cached(&opts, &mut cache), &build(&opts));
    std::fs::remove_file(root.join("content/en/training/module-01.md")).unwrap();
    assert_same_files(
        "removed page",
        &build_cached(&opts, &mut cache),
        &build(&opts),
    );
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/guide.html");
    std::fs::write(
        root.join("templates/guide.html"),
        read(&theme).replace("<article", "<article data-custom"),
    )
    .unwrap();
    assert_same_files("template", &build_cached(&opts, &mut cache), &build(&opts));

    // A body edit re-renders that page and not the whole site.
    edit(
        "content/en/guidance/listening.md",
        "A changed footnote.",
        "A footnote again.",
    );
    build_cached(&opts, &mut cache);
    assert_eq!(
        cache.last_rendered, 1,
        "only the edited page is rendered again"
    );
}

#[test]
fn incremental_link_checks_report_what_a_full_check_reports() {
    use passerelle::build::{BuildCache, BuildOptions, build, build_cached};
    use passerelle::diagnostics::{Format, render};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kit");
    copy_dir(&fixture("broken-links"), &root);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let config = read(&root.join("toolkit.yaml"))
        .replace("../../../themes/default", &theme.display().to_string());
    std::fs::write(root.join("toolkit.yaml"), config).unwrap();
    let mut opts = BuildOptions::new(&root);
    opts.write = false;
    let mut cache = BuildCache::new();
    build_cached(&opts, &mut cache);
    for (i, text) in [
        "Back to [A](@/guidance/a.md#start), again.",
        "Back to [A](@/guidance/a.md#nowhere).",
    ]
    .iter()
    .enumerate()
    {
        let b = root.join("content/en/guidance/b.md");
        std::fs::write(
            &b,
            read(&b).lines().take(5).collect::<Vec<_>>().join("\n") + "\n\n" + text + "\n",
        )
        .unwrap();
        let incremental = render(
            &build_cached(&opts, &mut cache).diagnostics,
            Format::Github,
            false,
        );
        let full = render(&build(&opts).diagnostics, Format::Github, false);
        assert_eq!(incremental, full, "edit {i}");
        assert!(incremental.contains("/en/nowhere/") && incremental.contains("agency-contact"));
    }
}
