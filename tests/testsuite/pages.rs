//! One rendered page of each template kind, as a snapshot, so that a change to a
//! template or to what it is given shows as a reviewed diff; and the features a
//! page shows that no other test covers.

use crate::harness::*;

#[test]
fn one_page_of_each_template_kind() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    for (name, rel) in [
        ("home", "en/index.html"),
        ("curriculum", "en/curriculum/index.html"),
        ("session", "fr/programme/seance-01/index.html"),
        ("session_fallback", "fr/programme/session-02/index.html"),
        ("module", "en/training/module-01/index.html"),
        ("training", "en/training/index.html"),
        ("case_study", "en/case-studies/example/index.html"),
        ("guide", "fr/guidance/ecoute-active/index.html"),
        ("handouts", "en/handouts/index.html"),
        ("handout", "fr/documents/fiche-accueil/index.html"),
        ("resource_card", "en/handouts/card/index.html"),
        ("glossary", "fr/glossaire/index.html"),
        ("participant_print", "en/curriculum/participant/index.html"),
        ("not_found", "en/404.html"),
        ("root", "index.html"),
    ] {
        insta::assert_snapshot!(name, stable_page(&kit.page(rel)));
    }
}

#[test]
fn drafts_are_left_out_with_their_translations_unless_asked_for() {
    let kit = Toolkit::case("drafts");
    kit.build(&[]);
    assert!(!kit.has("en/guidance/listening/index.html"));
    assert!(
        !kit.has("fr/guidance/ecoute-active/index.html"),
        "its translation too"
    );
    kit.build(&["--drafts"]);
    assert!(kit.has("en/guidance/listening/index.html"));
    assert!(kit.has("fr/guidance/ecoute-active/index.html"));
}

#[test]
fn untranslated_skip_publishes_no_fallback() {
    let kit = Toolkit::case("untranslated-skip");
    let run = kit.build(&[]);
    assert!(
        run.stdout.contains("Built 11 en + 10 fr pages"),
        "{}",
        run.stdout
    );
    assert!(!kit.has("fr/programme/session-02/index.html"));
    assert!(kit.has("en/curriculum/session-02/index.html"));
    let fr_overview = kit.page("fr/programme/index.html");
    assert!(!fr_overview.contains("session-02"), "not listed in French");
}

#[test]
fn a_right_to_left_language_is_marked_on_every_page() {
    let kit = Toolkit::case("right-to-left");
    kit.build(&[]);
    let fr = kit.page("fr/programme/seance-01/index.html");
    assert!(fr.contains("<html lang=\"fr\" dir=\"rtl\">"));
    // A fallback page in a right-to-left language shows its text left to right.
    let fallback = kit.page("fr/programme/session-02/index.html");
    assert!(fallback.contains("<html lang=\"fr\" dir=\"rtl\">"));
    assert!(fallback.contains("<article class=\"session\" lang=\"en\" dir=\"ltr\">"));
}

#[test]
fn base_url_option_sets_every_address() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&["--base-url", "https://agency.example/toolkit/"]);
    let page = kit.page("en/curriculum/session-01/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://agency.example/toolkit/en/curriculum/session-01/\">"
    ));
    assert!(page.contains("href=\"/toolkit/assets/style."));
    assert!(
        !page.contains("/kit/"),
        "the settings' base URL is replaced"
    );
    assert!(
        kit.page("robots.txt")
            .contains("Sitemap: https://agency.example/toolkit/sitemap.xml")
    );
}

#[test]
fn a_colour_that_is_not_a_colour_is_refused() {
    let run = Toolkit::case("bad-colour").run("check", &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not a colour"), "{}", run.stderr);
}

#[test]
fn a_static_file_of_the_site_overrides_the_theme_s() {
    let kit = Toolkit::copy_of("valid");
    let theme = kit.own_theme("theme");
    std::fs::create_dir_all(theme.join("static")).unwrap();
    std::fs::write(theme.join("static/logo.txt"), "theme").unwrap();
    std::fs::write(theme.join("static/only-theme.txt"), "theme").unwrap();
    kit.write("static/logo.txt", "site");
    kit.build(&[]);
    assert_eq!(kit.page("logo.txt"), "site");
    assert_eq!(kit.page("only-theme.txt"), "theme");
}

#[test]
fn sections_can_take_another_kind() {
    let run = Toolkit::case("sections").run("check", &[]);
    assert_eq!(run.code, 1, "a section of sessions checks the agenda");
    assert!(
        run.stderr
            .contains("the agenda adds up to 20 minutes, but the session lasts 30 minutes"),
        "{}",
        run.stderr
    );
}

#[test]
fn canonical_alternates_and_sitemap_line_are_absolute_or_left_out() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    assert!(
        kit.page("robots.txt")
            .contains("Sitemap: https://example.org/kit/sitemap.xml\n")
    );
    let home = kit.page("en/index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://example.org/kit/en/">"#));
    assert!(
        home.contains(
            r#"<link rel="alternate" hreflang="x-default" href="https://example.org/kit/">"#
        ),
        "the language chooser is the home pages' default"
    );
    let root = kit.page("index.html");
    assert!(root.contains(r#"<link rel="canonical" href="https://example.org/kit/">"#));
    assert!(root.contains(r#"hreflang="fr" href="https://example.org/kit/fr/""#));

    // With a path alone, nothing that must be absolute is written.
    kit.build(&["--base-url", "/kit/"]);
    assert_eq!(kit.page("robots.txt"), "User-agent: *\nAllow: /\n");
    for rel in [
        "index.html",
        "en/index.html",
        "fr/index.html",
        "en/glossary/index.html",
    ] {
        let page = kit.page(rel);
        assert!(!page.contains("rel=\"canonical\""), "{rel}");
        assert!(!page.contains("<link rel=\"alternate\""), "{rel}");
    }
}

#[test]
fn figures_are_drawn_in_the_page_language_with_a_text_alternative() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let fr = kit.page("fr/guidance/ecoute-active/index.html");
    // The drawing is named and described for assistive technology, in French.
    assert!(
        fr.contains("role=\"img\" aria-labelledby=\"figure-levels-title figure-levels-desc\""),
        "{fr}"
    );
    assert!(fr.contains("<title id=\"figure-levels-title\">Deux niveaux</title>"));
    assert!(
        fr.contains("Deux cercles emboîtés\u{202f}: la personne"),
        "French typography"
    );
    // One ring per level; a level not assessed is drawn apart and said in words.
    assert_eq!(fr.matches("<circle class=\"level ").count(), 3);
    assert!(fr.contains("level-none"));
    assert!(fr.contains("<p class=\"key-none\">Non évalué.</p>"));
    // Findings missing in French are shown in English, marked as English.
    assert!(fr.contains("<ul lang=\"en\" dir=\"ltr\"><li>a circle of peers</li></ul>"));
    assert!(
        fr.contains("<li>plus d&#x27;espoir</li>") || fr.contains("<li>plus d'espoir</li>"),
        "{fr}"
    );
    let en = kit.page("en/guidance/listening/index.html");
    assert!(en.contains("<title id=\"figure-levels-title\">Two levels</title>"));
    assert!(
        !en.contains("lang=\"en\"><li>"),
        "nothing falls back in the source language"
    );
}

#[test]
fn module_plans_make_the_training_s_weekly_plan() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let module = kit.page("en/training/module-01/index.html");
    // A module over two weeks: a plan per week, clock and numbers starting again.
    assert!(
        module.contains("<h3 id=\"activities-week-1\">Week 1 · 4\u{a0}h\u{a0}30\u{a0}min</h3>"),
        "{module}"
    );
    assert!(module.contains("<h3 id=\"activities-week-2\">Week 2 · 3\u{a0}h</h3>"));
    assert_eq!(module.matches("<svg class=\"time-bar\"").count(), 2);
    assert!(
        module.contains("aria-hidden=\"true\">1</span> <bdi>0:00</bdi>–<bdi>3:00</bdi></td>"),
        "{module}"
    );
    let training = kit.page("en/training/index.html");
    assert!(training.contains("id=\"weekly-plan\""));
    assert!(
        training.contains("<tr><th scope=\"row\">2</th>"),
        "{training}"
    );
}
