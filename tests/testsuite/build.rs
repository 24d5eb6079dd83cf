//! Building a valid site: the pages, languages, URLs and files it writes, and what a build refuses or leaves in place.

use crate::harness::*;

#[test]
fn valid_bilingual_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("site");
    let root = fixture("valid");
    let out = build_into(&root, &out_dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = normalized(&out.stdout, Some(tmp.path()));
    assert!(
        stdout.starts_with(
            "Built 11 en + 11 fr pages (2 untranslated, 1 stale), 0 errors, 0 warnings"
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
        "<a href=\"/kit/en/curriculum/session-01/\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">English</a>"
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
        let out = build_into(&root, &output, &[]);
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
fn handouts_and_snippets_in_the_built_site() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let fr = kit.page("fr/programme/seance-01/index.html");
    // Handouts: the session links them in the reader's language, the snippet is
    // included in each language, the handout page carries its kind, the crisis line
    // and the sessions that use it; the participant print version holds them all.
    assert!(fr.contains("<a href=\"/kit/fr/documents/fiche-accueil/\">Fiche d&#x27;accueil</a>"));
    assert!(fr.contains("<a href=\"/kit/fr/documents/card/\">Help card</a>"));
    assert!(fr.contains("Ce qui se dit ici reste ici, avec quelques limites\u{202f}:"));
    let en_session = kit.page("en/curriculum/session-01/index.html");
    let say = en_session.split("callout-say").nth(1).expect("a say box");
    assert!(say.contains("What we say here stays here, with a few limits"));
    let sheet = kit.page("en/handouts/welcome-sheet/index.html");
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
    let card = kit.page("fr/documents/card/index.html");
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
    let index = kit.page("fr/documents/index.html");
    assert!(index.contains("Utilisé dans : Séance 1"));
    let participant = kit.page("fr/programme/participants/index.html");
    assert!(participant.contains("<a href=\"#handout-welcome-sheet\">"));
    assert!(participant.contains("id=\"handout-welcome-sheet\">Fiche d&#x27;accueil</h3>"));
    assert!(participant.contains("<h4 id=\"h-welcome-sheet-limits\">"));
    assert!(participant.contains("Vous pouvez passer votre tour"));
    let full_print = kit.page("fr/programme/imprimer/index.html");
    assert!(!full_print.contains("Vous pouvez passer votre tour"));
}

#[test]
fn a_rebuild_rewrites_nothing() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let run = kit.build(&[]);
    assert!(run.stdout.contains("(0 written,"), "{}", run.stdout);
}

/// The progress line is for a terminal: a build whose standard error is a pipe
/// (a log, CI) shows none of it, however long it runs.
#[test]
fn no_progress_line_when_the_output_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["build", "--root", root.to_str().unwrap(), "--output"])
        .arg(tmp.path().join("site"))
        // Shown at once were it a terminal, and not taken for CI.
        .env("PASSERELLE_PROGRESS_DELAY_MS", "0")
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("building:") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
}
