//! Integration tests: each case is a fixture folder under `tests/fixtures/`, built
//! with the real `passerelle` binary, with assertions on its output and on the
//! site it writes. Diagnostics are checked as snapshots.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn passerelle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the passerelle binary runs")
}

/// Stderr with timings and temporary paths made stable.
fn normalized(text: &[u8], tmp: Option<&Path>) -> String {
    let mut s = String::from_utf8_lossy(text).to_string();
    if let Some(tmp) = tmp {
        s = s.replace(&tmp.display().to_string(), "[TMP]");
    }
    let re_ms = |s: &str| {
        let mut out = String::new();
        for line in s.lines() {
            let mut l = line.to_string();
            if let Some(i) = l.find(" in ")
                && let Some(j) = l[i..].find(" ms")
            {
                l.replace_range(i + 4..i + j, "[N]");
            }
            out.push_str(&l);
            out.push('\n');
        }
        out
    };
    re_ms(&s)
}

fn check(name: &str) -> (i32, String) {
    let root = fixture(name);
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    (
        out.status.code().unwrap_or(-1),
        normalized(&out.stderr, None),
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn bad_yaml_is_reported_at_its_line() {
    let (code, err) = check("bad-yaml");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_suggests_the_closest() {
    let (code, err) = check("unknown-key");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_nested_settings_keys_are_all_reported() {
    let (code, err) = check("nested-unknown-keys");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn agenda_total_must_match_duration() {
    let (code, err) = check("agenda-total");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn missing_ui_string_names_key_and_language() {
    let (code, err) = check("missing-ui-string");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_session_number() {
    let (code, err) = check("duplicate-session");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn every_error_of_a_build_in_one_report() {
    let (code, err) = check("many-errors");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn github_annotations() {
    let root = fixture("many-errors");
    let out = passerelle(&[
        "check",
        "--format",
        "github",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn handouts_snippets_and_verified_dates_are_checked() {
    let root = fixture("handout-errors");
    // 25 July 2026: the card's `verified: 2025-06-30` is more than a year old.
    let out = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["check", "--root", root.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1785000000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(normalized(&out.stderr, None));
    // On 9 June 2026 it is not.
    let out = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["check", "--root", root.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1781000000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("verified-old"), "{err}");
    assert!(err.contains("4 errors, 0 warnings"), "{err}");
}

#[test]
fn valid_bilingual_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let root = fixture("valid");
    let out = passerelle(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = normalized(&out.stdout, Some(tmp.path()));
    assert!(
        stdout.starts_with(
            "Built 10 en + 10 fr pages (2 untranslated, 1 stale), 0 errors, 0 warnings"
        ),
        "{stdout}"
    );

    // A translated page: lang, dir, alternates, switcher to the same page, own slugs.
    let fr = read(&out_dir.join("fr/programme/seance-01/index.html"));
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(fr.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/kit/en/curriculum/session-01/\">"));
    assert!(fr.contains("<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/kit/fr/programme/seance-01/\">"));
    assert!(fr.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/kit/en/curriculum/session-01/\">"));
    assert!(fr.contains(
        "<a href=\"/kit/en/curriculum/session-01/\" hreflang=\"en\" lang=\"en\">English</a>"
    ));
    assert!(
        fr.contains("Séance 1 · 1\u{a0}h\u{a0}30"),
        "French duration"
    );
    assert!(
        fr.contains("Montrez les sorties\u{202f}!"),
        "French typography"
    );
    assert!(fr.contains("class=\"callout callout-care facilitator-only\" role=\"note\" aria-label=\"Point de vigilance\""));
    assert!(!fr.contains("notice-untranslated"));

    // A missing translation: source text at the translated URL, marked, under a notice.
    let fallback = read(&out_dir.join("fr/programme/session-02/index.html"));
    assert!(fallback.contains("<html lang=\"fr\""));
    assert!(fallback.contains("notice-untranslated"));
    assert!(fallback.contains("pas encore traduite"));
    assert!(fallback.contains("<article class=\"session\" lang=\"en\" dir=\"ltr\">"));
    assert!(
        fallback.contains("href=\"/kit/fr/programme/seance-01/#agenda\""),
        "links lead to the reader's language"
    );

    // A stale translation says so.
    let stale = read(&out_dir.join("fr/case-studies/exemple/index.html"));
    assert!(stale.contains("notice-stale"));
    assert!(stale.contains("La source ne rapporte aucun résultat pour ce programme."));

    // Hashed stylesheet, linked under the sub-path.
    let css: Vec<_> = std::fs::read_dir(out_dir.join("assets"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(css.len(), 1);
    assert!(
        css[0].starts_with("style.")
            && css[0].ends_with(".css")
            && css[0].len() == "style.12345678.css".len()
    );
    assert!(fr.contains(&format!("href=\"/kit/assets/{}\"", css[0])));

    // Generated pages, sitemap and landing page.
    let root_page = read(&out_dir.join("index.html"));
    assert!(root_page.contains("href=\"/kit/fr/\"") && root_page.contains("href=\"/kit/en/\""));
    assert!(
        !root_page.contains("<script"),
        "the language choice needs no script"
    );
    let sitemap = read(&out_dir.join("sitemap.xml"));
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/kit/fr/programme/seance-01/\"/>"));
    assert!(
        !sitemap.contains("fr/programme/session-02/"),
        "untranslated pages are not listed"
    );
    assert!(out_dir.join("fr/glossaire/index.html").exists());
    assert!(out_dir.join("en/404.html").exists() && out_dir.join("fr/404.html").exists());
    assert!(out_dir.join("fr/programme/imprimer/index.html").exists());
    assert!(
        out_dir
            .join("en/curriculum/participant/index.html")
            .exists()
    );
    assert!(
        read(&out_dir.join("robots.txt")).contains("Sitemap: https://example.org/kit/sitemap.xml")
    );

    // Curriculum overview: schedule with running total.
    let overview = read(&out_dir.join("en/curriculum/index.html"));
    assert!(
        overview.contains("<td>1\u{a0}h\u{a0}30\u{a0}min</td><td>3\u{a0}h</td>"),
        "running total of two 90-minute sessions"
    );

    // Handouts: the session links them in the reader's language, the snippet is
    // included in each language, the handout page carries its kind, the crisis line
    // and the sessions that use it; the participant print version holds them all.
    assert!(fr.contains("<a href=\"/kit/fr/documents/fiche-accueil/\">Fiche d&#x27;accueil</a>"));
    assert!(fr.contains("<a href=\"/kit/fr/documents/card/\">Help card</a>"));
    assert!(fr.contains("Ce qui se dit ici reste ici, avec quelques limites\u{202f}:"));
    let en_session = read(&out_dir.join("en/curriculum/session-01/index.html"));
    let say = en_session.split("callout-say").nth(1).expect("a say box");
    assert!(say.contains("What we say here stays here, with a few limits"));
    let sheet = read(&out_dir.join("en/handouts/welcome-sheet/index.html"));
    assert!(sheet.contains("<body class=\"kind-handout\">"));
    assert!(sheet.contains("What we say here stays here"));
    let foot = sheet
        .split("class=\"handout-foot\"")
        .nth(1)
        .expect("a handout foot");
    assert!(
        foot.contains("Fixture Toolkit") && foot.contains("9-8-8"),
        "{foot}"
    );
    assert!(
        sheet
            .contains("<li><a href=\"/kit/en/curriculum/session-01/\">Session 1. Welcome</a></li>")
    );
    let card = read(&out_dir.join("fr/documents/card/index.html"));
    assert!(
        card.contains("notice-untranslated"),
        "an untranslated handout falls back"
    );
    assert!(card.contains("<dt>Health centre</dt>"), "{card}");
    assert!(card.contains("<strong>555-0100</strong>"));
    assert_eq!(
        card.matches("<tr><td></td><td></td></tr>").count(),
        2,
        "blank rows"
    );
    let index = read(&out_dir.join("fr/documents/index.html"));
    assert!(index.contains("Utilisé dans : Séance 1"));
    let participant = read(&out_dir.join("fr/programme/participants/index.html"));
    assert!(participant.contains("<a href=\"#handout-welcome-sheet\">"));
    assert!(participant.contains("id=\"handout-welcome-sheet\">Fiche d&#x27;accueil</h3>"));
    assert!(participant.contains("<h4 id=\"h-welcome-sheet-limits\">"));
    assert!(participant.contains("Vous pouvez passer votre tour"));
    let full_print = read(&out_dir.join("fr/programme/imprimer/index.html"));
    assert!(!full_print.contains("Vous pouvez passer votre tour"));

    // A rebuild rewrites nothing.
    let out = passerelle(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("(0 written,"), "{stdout}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the valid fixture in a temporary folder, with the theme found by absolute path.
fn valid_copy(tmp: &Path) -> PathBuf {
    let root = tmp.join("kit");
    copy_dir(&fixture("valid"), &root);
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let config = read(&root.join("toolkit.yaml"))
        .replace("../../../themes/default", &theme.display().to_string());
    std::fs::write(root.join("toolkit.yaml"), config).unwrap();
    root
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let out = passerelle(&["build", "--root", root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = root.join("site/en/curriculum/session-01/index.html");
    let before = read(&page);
    std::fs::write(root.join("site/CNAME"), "toolkit.example.org").unwrap();

    let session = root.join("content/en/curriculum/session-01.md");
    std::fs::write(
        &session,
        read(&session).replace("duration: 90", "duration: 95"),
    )
    .unwrap();
    let out = passerelle(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/en/curriculum/session-01.md:4:1"),
        "{err}"
    );
    assert!(err.contains("the previous site was left as it was"));
    assert_eq!(read(&page), before);

    // Fixed again: pages that disappear are removed, files the build did not make stay.
    std::fs::write(
        &session,
        read(&session).replace("duration: 95", "duration: 90"),
    )
    .unwrap();
    std::fs::remove_file(root.join("content/en/curriculum/session-02.md")).unwrap();
    let out = passerelle(&["build", "--root", root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!root.join("site/en/curriculum/session-02").exists());
    assert!(root.join("site/CNAME").exists());
}

#[test]
fn refuses_an_output_folder_that_holds_the_sources() {
    let root = fixture("valid");
    for output in [root.clone(), root.join("content"), root.join("content/en")] {
        let out = passerelle(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to build into"));
    }
}

#[test]
fn files_from_every_platform() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    // CRLF and a byte order mark in one file; a decomposed (NFD) accented name with a
    // space in its translation's pair.
    let guide = root.join("content/en/guidance/listening.md");
    let text = format!("\u{feff}{}", read(&guide).replace('\n', "\r\n"));
    std::fs::write(&guide, text).unwrap();
    std::fs::write(
        root.join("content/en/guidance/e\u{301}coute active.md"),
        "---\ntitle: \"NFD name\"\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/fr/guidance/\u{e9}coute active.md"),
        "---\ntitle: \"Nom NFC\"\n---\nTexte.\n",
    )
    .unwrap();
    let out = passerelle(&["build", "--root", root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root.join("site/en/guidance/listening/index.html").exists());
    let page = read(&root.join("site/en/guidance/\u{e9}coute-active/index.html"));
    assert!(
        page.contains("hreflang=\"fr\""),
        "the NFD and NFC names pair as translations"
    );
}

#[test]
fn translations_report_and_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    // An orphan: a French page whose English source is gone.
    std::fs::write(
        root.join("content/fr/guidance/orpheline.md"),
        "---\ntitle: \"Orpheline\"\n---\nTexte.\n",
    )
    .unwrap();
    let out = passerelle(&["translations", "--root", root.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));

    let stale = root.join("content/fr/case-studies/example.md");
    let out = passerelle(&[
        "translations",
        "--root",
        root.to_str().unwrap(),
        "--stamp",
        stale.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = passerelle(&["translations", "--root", root.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("fr   up to date  case-studies/example"),
        "{report}"
    );

    // Editing the source makes the translation stale again.
    let source = root.join("content/en/case-studies/example.md");
    std::fs::write(&source, read(&source).replace("no outcome", "no outcomes")).unwrap();
    let out = passerelle(&["translations", "--root", root.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("fr   stale       case-studies/example"));
}

fn files_of(
    report: &passerelle::build::BuildReport,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    report
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect()
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    use passerelle::build::{BuildCache, BuildOptions, build, build_cached};
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let mut opts = BuildOptions::new(&root);
    opts.write = false;
    let mut cache = BuildCache::new();
    let first = build_cached(&opts, &mut cache);
    assert!(first.ok());
    let (a, b) = (files_of(&first), files_of(&build(&opts)));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "first build: {path} differs from a one-shot build"
        );
    }

    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = read(&path);
        assert!(text.contains(from), "{rel} contains {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step> = vec![
        (
            "body edit",
            Box::new(|| {
                edit(
                    "content/en/guidance/listening.md",
                    "A footnote.",
                    "A changed footnote.",
                )
            }),
        ),
        (
            "title edit",
            Box::new(|| {
                edit(
                    "content/en/curriculum/session-02.md",
                    "Our journeys",
                    "Our paths",
                )
            }),
        ),
        (
            "session body",
            Box::new(|| {
                edit(
                    "content/en/curriculum/session-01.md",
                    "Show the exits.",
                    "Show every exit.",
                )
            }),
        ),
        (
            "section title",
            Box::new(|| {
                edit(
                    "content/fr/curriculum/_index.md",
                    "title: \"Programme\"",
                    "title: \"Le programme\"",
                )
            }),
        ),
        (
            "agenda edit",
            Box::new(|| {
                edit(
                    "content/en/curriculum/session-01.md",
                    "minutes: 60,",
                    "minutes: 60, ",
                )
            }),
        ),
        (
            "handout title",
            Box::new(|| {
                edit(
                    "content/en/handouts/card.md",
                    "title: \"Help card\"",
                    "title: \"Help and crisis card\"",
                )
            }),
        ),
        (
            "handout list of a session",
            Box::new(|| {
                edit(
                    "content/fr/curriculum/session-01.md",
                    "handouts: [welcome-sheet, card]",
                    "handouts: [welcome-sheet]",
                )
            }),
        ),
        (
            "handout body",
            Box::new(|| {
                edit(
                    "content/fr/handouts/welcome-sheet.md",
                    "en tout temps",
                    "à tout moment",
                )
            }),
        ),
        (
            "snippet",
            Box::new(|| {
                edit(
                    "data/snippets/en/promise.md",
                    "a court order",
                    "a court order or a law",
                )
            }),
        ),
        (
            "slug edit",
            Box::new(|| {
                edit(
                    "content/fr/guidance/listening.md",
                    "slug: ecoute-active",
                    "slug: ecouter",
                )
            }),
        ),
        (
            "new page",
            Box::new(|| {
                std::fs::write(root.join("content/fr/curriculum/session-02.md"), "---\ntitle: \"Nos parcours\"\nslug: seance-02\nsession: 2\nduration: 90\nagenda:\n  - {title: \"Accueil\", minutes: 90}\n---\nTexte.\n").unwrap()
            }),
        ),
        (
            "removed page",
            Box::new(|| {
                std::fs::remove_file(root.join("content/en/training/module-01.md")).unwrap()
            }),
        ),
        (
            "template",
            Box::new(|| {
                std::fs::create_dir_all(root.join("templates")).unwrap();
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates/guide.html");
                std::fs::write(
                    root.join("templates/guide.html"),
                    read(&theme).replace("<article", "<article data-custom"),
                )
                .unwrap();
            }),
        ),
    ];
    for (what, step) in steps {
        step();
        let incremental = build_cached(&opts, &mut cache);
        assert!(incremental.ok(), "{what}: {:?}", incremental.diagnostics);
        let full = build(&opts);
        let (a, b) = (files_of(&incremental), files_of(&full));
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

mod preview {
    //! `passerelle serve`, started as a user would, on a free port.
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};

    struct Server {
        child: Child,
        port: u16,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn start(root: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let mut args = vec!["serve", "--root", root.to_str().unwrap(), "--port"];
        let port_s = port.to_string();
        args.push(&port_s);
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.contains(&format!("http://127.0.0.1:{port}/")),
            "{line}"
        );
        Server { child, port }
    }

    /// A raw GET, so that odd paths reach the server exactly as written.
    fn get(port: u16, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }

    /// Listens to the reload events.
    struct Events {
        reader: BufReader<TcpStream>,
    }

    impl Events {
        fn connect(port: u16) -> Self {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(s, "GET /kit/__passerelle/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
            s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut reader = BufReader::new(s);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
                line.clear();
            }
            Events { reader }
        }

        /// The next event's name and data (keep-alive comments are skipped).
        fn next(&mut self) -> (String, String) {
            let (mut name, mut data) = (String::new(), String::new());
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                assert!(Instant::now() < deadline, "no event within 30 s");
                let mut line = String::new();
                if self.reader.read_line(&mut line).unwrap() == 0 {
                    panic!("event stream closed");
                }
                let line = line.trim_end();
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                } else if line.is_empty() && !name.is_empty() {
                    return (name, data);
                }
            }
        }
    }

    #[test]
    fn serves_reloads_and_shows_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let root = valid_copy(tmp.path());
        let server = start(&root, &[]);
        let port = server.port;

        let (status, head, body) = get(port, "/kit/fr/programme/seance-01/");
        assert_eq!(status, 200);
        assert!(head.contains("content-type: text/html; charset=utf-8"));
        assert!(
            body.contains("__passerelle/events"),
            "the preview adds its script"
        );
        assert_eq!(get(port, "/kit/fr/programme/seance-01").0, 301);
        let (status, _, body) = get(port, "/kit/fr/nowhere/");
        assert_eq!(status, 404);
        assert!(body.contains("Page introuvable"));
        let css = body
            .split("href=\"/kit/assets/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let (status, head, _) = get(port, &format!("/kit/assets/{css}"));
        assert_eq!(status, 200);
        assert!(head.contains("content-type: text/css"));

        // Nothing outside the site, however the path is written.
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("static-link.txt"))
            .ok();
        for path in [
            "/kit/../secret.txt",
            "/kit/%2e%2e/secret.txt",
            "/kit/%2E%2E%2Fsecret.txt",
            "/kit/..%5csecret.txt",
            "/kit/a\\..\\..\\secret.txt",
            "/kit//etc/passwd",
            "/etc/passwd",
            "/kit/static-link.txt",
            "/kit/toolkit.yaml",
            "/kit/content/en/_index.md",
        ] {
            let (status, _, body) = get(port, path);
            assert!(status == 404 || status == 400, "{path}: {status}");
            assert!(
                !body.contains("secret") && !body.contains("root:"),
                "{path}"
            );
        }

        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let mut events = Events::connect(port);
        // A content edit: the page changes and one reload follows.
        let session = root.join("content/fr/curriculum/session-01.md");
        std::fs::write(
            &session,
            read(&session).replace("Montrez les sorties", "Indiquez les sorties"),
        )
        .unwrap();
        assert_eq!(events.next().0, "reload");
        assert!(
            get(port, "/kit/fr/programme/seance-01/")
                .2
                .contains("Indiquez les sorties")
        );

        // A template edit reaches the pages that use it.
        let theme =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/guide.html");
        std::fs::write(
            root.join("templates/guide.html"),
            read(&theme).replace("<article", "<article data-agency"),
        )
        .unwrap();
        assert_eq!(events.next().0, "reload");
        assert!(
            get(port, "/kit/en/guidance/listening/")
                .2
                .contains("data-agency")
        );

        // A CSS edit swaps the stylesheet.
        std::fs::write(root.join("assets/custom.css"), ".agency{color:red}").unwrap();
        let (name, data) = events.next();
        assert_eq!(name, "css");
        assert!(
            data.starts_with("/kit/assets/style.") && data != format!("/kit/assets/{css}"),
            "{data}"
        );
        let (_, _, new_css) = get(port, &data);
        assert!(new_css.contains(".agency"));

        // An invalid edit: errors over the page, the last good page still served.
        let before = get(port, "/kit/fr/programme/seance-01/").2;
        std::fs::write(
            &session,
            read(&session).replace("duration: 90", "duration: 80"),
        )
        .unwrap();
        let (name, data) = events.next();
        assert_eq!(name, "errors");
        assert!(
            data.contains("content/fr/curriculum/session-01.md:5:1"),
            "{data}"
        );
        assert!(
            data.contains("La derni\\u00e8re modification contient des erreurs")
                || data.contains("La dernière modification contient des erreurs"),
            "{data}"
        );
        assert_eq!(get(port, "/kit/fr/programme/seance-01/").2, before);
        // A browser that loads a page now is told about the errors at once.
        let mut late = Events::connect(port);
        assert_eq!(late.next().0, "errors");

        // Fixed: reload again.
        std::fs::write(
            &session,
            read(&session).replace("duration: 80", "duration: 90"),
        )
        .unwrap();
        assert_eq!(events.next().0, "reload");

        // A file saved in several steps reloads once, after the last write.
        let started = Instant::now();
        let guide = root.join("content/en/guidance/listening.md");
        let text = read(&guide);
        std::fs::write(&guide, &text[..text.len() / 2]).unwrap();
        std::fs::write(&guide, text.replace("A footnote.", "A final footnote.")).unwrap();
        assert_eq!(events.next().0, "reload");
        assert!(
            get(port, "/kit/en/guidance/listening/")
                .2
                .contains("A final footnote.")
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn polling_mode_sees_edits() {
        let tmp = tempfile::tempdir().unwrap();
        let root = valid_copy(tmp.path());
        let server = start(&root, &["--poll"]);
        let mut events = Events::connect(server.port);
        let home = root.join("content/en/_index.md");
        std::fs::write(&home, read(&home).replace("Welcome.", "Welcome, polled.")).unwrap();
        assert_eq!(events.next().0, "reload");
        assert!(get(server.port, "/kit/en/").2.contains("Welcome, polled."));
    }
}

#[test]
fn links_anchors_alt_text_and_template_links() {
    let (code, err) = check("broken-links");
    assert_eq!(code, 1);
    // One diagnostic each, with file and line.
    for (what, place) in [
        (
            "the link `/en/nowhere/` leads to no page or file",
            "content/en/guidance/a.md:6:3",
        ),
        (
            "leads to the `fr` version of a page that exists in `en`",
            "content/en/guidance/a.md:6:37",
        ),
        ("the link text \"here\"", "content/en/guidance/a.md:7:5"),
        ("this image has no alt text", "content/en/guidance/a.md:9:1"),
        (
            "has no anchor `#debut` in `fr`",
            "content/fr/guidance/a.md:6:6",
        ),
        (
            "the link `/agency-contact/` leads to no page or file of the site (made by a template",
            "templates/guide.html:7:48",
        ),
    ] {
        assert_eq!(err.matches(what).count(), 1, "{what}\n{err}");
        let line = err
            .lines()
            .skip_while(|l| !l.contains(what))
            .nth(1)
            .unwrap_or("");
        assert!(line.contains(place), "{what} at {place}:\n{err}");
    }
    insta::assert_snapshot!(err);
}

#[test]
fn links_as_github_annotations() {
    let root = fixture("broken-links");
    let out = passerelle(&[
        "check",
        "--format",
        "github",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn external_links_are_checked_on_request() {
    use std::io::{Read, Write};
    // A local server stands in for another site: /ok answers 200, anything else 404.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let status = if req.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let guide = root.join("content/en/guidance/listening.md");
    std::fs::write(
        &guide,
        format!(
            "{}\n[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n",
            read(&guide)
        ),
    )
    .unwrap();
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "not fetched by default");
    let out = passerelle(&["check", "--external", "--root", root.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "the external link `http://127.0.0.1:{port}/gone` does not work"
        )),
        "{err}"
    );
    assert!(!err.contains("/ok`"), "{err}");
}

#[test]
fn search_index_per_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let root = fixture("valid");
    let out = passerelle(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
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
    let out = passerelle(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 written,"));
    // --no-search leaves the bundle out.
    let out = passerelle(&[
        "build",
        "--no-search",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(!bundle.join("pagefind.js").exists());
}

#[test]
fn init_and_new_make_a_toolkit_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let kit = tmp.path().join("agency kit");
    let out = passerelle(&["init", kit.to_str().unwrap(), "--title", "Agency Toolkit"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(kit.join("themes/default/templates/session.html").exists());
    let out = passerelle(&["init", kit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "an existing folder is refused");

    let root = kit.to_str().unwrap();
    let out = passerelle(&["new", "session", "Meeting the neighbours", "--root", root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let en = read(&kit.join("content/en/curriculum/meeting-the-neighbours.md"));
    assert!(
        en.contains("session: 2\n"),
        "numbered after the starter session:\n{en}"
    );
    assert!(
        kit.join("content/fr/curriculum/meeting-the-neighbours.md")
            .exists()
    );
    let out = passerelle(&["new", "session", "Meeting the neighbours", "--root", root]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an existing page is not overwritten"
    );
    let out = passerelle(&[
        "new",
        "case-study",
        "A program",
        "--section",
        "curriculum",
        "--root",
        root,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a case study does not go in the curriculum"
    );
    passerelle(&["new", "case-study", "A program", "--root", root]);

    // The new case study waits for its source: the one error says so.
    let out = passerelle(&["check", "--root", root]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        err.matches("error[").count(),
        2,
        "one in each language: {err}"
    );
    assert!(err.contains("error[unknown-source]: `` is not a source of data/sources.yaml\n  --> content/en/case-studies/a-program.md:13:1"), "{err}");
    std::fs::remove_file(kit.join("content/en/case-studies/a-program.md")).unwrap();
    std::fs::remove_file(kit.join("content/fr/case-studies/a-program.md")).unwrap();
    let out = passerelle(&["check", "--root", root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = passerelle(&["translations", "--root", root]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("fr   up to date  curriculum "), "{report}");
    assert!(
        report.contains("fr   stale       curriculum/meeting-the-neighbours"),
        "new pages wait for a translation:\n{report}"
    );
}

#[test]
fn odd_inputs_are_reported_not_panicked_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let c = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    c(
        "content/en/curriculum/session-02.md",
        "---\ntitle: \"Huge\"\nsession: 4000000000\nduration: 90\nagenda:\n  - {title: A, minutes: 4294967295}\n  - {title: B, minutes: 2}\n---\nSee <a href=\"/kit/en/x%a\u{e9}\">x</a>.\n",
    );
    c(
        "content/en/guidance/other.md",
        "---\ntitle: \"Other\"\ntranslation_key: guidance/listening\nslug: \"../..\"\n---\nText.\n",
    );
    c(
        "content/en/guidance/code.md",
        "---\ntitle: \"Code\"\n---\n## Agenda {#agenda}\n\nText.\n",
    );
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "cannot last more than 1440 minutes",
        "has no session numbered 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and 3999999988 more",
        "two `en` pages have the translation key `guidance/listening`",
        "the slug `../..` has no letters or digits",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // An explicit anchor the template already uses is refused, in any page kind that has it.
    c(
        "content/en/curriculum/session-02.md",
        "---\ntitle: \"Two\"\nsession: 2\nduration: 30\nagenda:\n  - {title: A, minutes: 30}\n---\n## Agenda {#agenda}\n",
    );
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the anchor `#agenda` is already used by the page template")
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
