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
    assert_same(what, &files_of(incremental), &files_of(full));
}

/// The same paths, and under each the same bytes.
fn assert_same(
    what: &str,
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: same files"
    );
    for (path, bytes) in a {
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

/// Every file of the output folder `a` is, byte for byte, the file of `b`.
fn assert_same_output(what: &str, a: &Path, b: &Path) {
    assert_same(what, &files_under(a), &files_under(b));
}

/// `passerelle build` after each edit, through the cache folder, writes what a
/// build without the cache writes into an empty folder.
#[test]
fn command_line_rebuilds_through_the_cache_equal_full_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let site = tmp.path().join("site");
    let full = tmp.path().join("full");
    let full_build = |what: &str| {
        let _ = std::fs::remove_dir_all(&full);
        let out = build_into(&root, &full, &["--no-cache"]);
        assert!(
            out.status.success(),
            "{what}: {}",
            normalized(&out.stderr, None)
        );
    };
    let out = build_into(&root, &site, &["--verbose"]);
    assert!(out.status.success(), "{}", normalized(&out.stderr, None));
    let cache = root.join(passerelle::build::CACHE_DIR);
    for kind in ["search", "offline", "build"] {
        assert!(
            cache.join(kind).read_dir().unwrap().count() > 0,
            "{kind} kept"
        );
    }
    full_build("first build");
    assert_same_output("first build", &site, &full);

    // Nothing changed: nothing to do, and the site stays whole.
    let out = build_into(&root, &site, &["--verbose"]);
    let stderr = normalized(&out.stderr, None);
    assert!(
        stderr.contains("nothing changed since the last build"),
        "{stderr}"
    );
    assert_same_output("no change", &site, &full);

    // A file of the site removed: the build notices and writes it again.
    std::fs::remove_file(site.join("en/index.html")).unwrap();
    let out = build_into(&root, &site, &["--verbose"]);
    assert!(!normalized(&out.stderr, None).contains("nothing changed"));
    assert_same_output("removed output file", &site, &full);

    for (what, rel, from, to) in EDITS {
        let path = root.join(rel);
        let text = read(&path);
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let out = build_into(&root, &site, &["--verbose"]);
        let stderr = normalized(&out.stderr, None);
        assert!(out.status.success(), "{what}: {stderr}");
        if *what == "body edit" {
            // One page changed: the search index reads that page again, not the others.
            let read: Vec<&str> = stderr.lines().filter(|l| l.contains("search: ")).collect();
            assert!(
                !read.is_empty() && read.iter().all(|l| l.contains("search: 1 of ")),
                "{stderr}"
            );
        }
        full_build(what);
        assert_same_output(what, &site, &full);
    }
}

/// A damaged cache entry is not trusted: the build says so with `--verbose`, makes
/// the entry again, and writes what a build without the cache writes.
#[test]
fn a_damaged_cache_entry_is_ignored_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let site = tmp.path().join("site");
    let full = tmp.path().join("full");
    assert!(build_into(&root, &site, &[]).status.success());
    let cache = root.join(passerelle::build::CACHE_DIR);
    for kind in ["search", "offline"] {
        for entry in cache.join(kind).read_dir().unwrap() {
            let path = entry.unwrap().path();
            let mut bytes = std::fs::read(&path).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x55;
            std::fs::write(&path, bytes).unwrap();
        }
    }
    std::fs::remove_dir_all(&site).unwrap();
    let out = build_into(&root, &site, &["--verbose"]);
    let stderr = normalized(&out.stderr, None);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cache: ignored .passerelle-cache/search/")
            && stderr.contains("cache: ignored .passerelle-cache/offline/")
            && stderr.contains("does not match its checksum"),
        "{stderr}"
    );
    assert!(build_into(&root, &full, &["--no-cache"]).status.success());
    assert_same_output("damaged cache", &site, &full);
    // The entries were made again: the next build reads them without a note.
    std::fs::remove_dir_all(&site).unwrap();
    let out = build_into(&root, &site, &["--verbose"]);
    assert!(!normalized(&out.stderr, None).contains("cache: ignored"));
}
