//! An agency's own templates: one block of the theme's frame replaced, the rest
//! still the theme's.

use crate::harness::*;

/// Every page of the built site that the frame `base.html` renders: the pages of
/// each language (the root chooser and root 404 have a frame of their own).
fn framed_pages(kit: &Toolkit) -> Vec<(String, String)> {
    let site = kit.root.join("site");
    walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(&site).unwrap().display().to_string())
        .filter(|rel| rel.contains('/'))
        .map(|rel| (rel.clone(), kit.page(&rel)))
        .collect()
}

#[test]
fn a_site_template_extends_the_theme_frame_and_replaces_only_the_footer() {
    let kit = Toolkit::copy_of("valid");
    // The theme in the toolkit's own folder, so the test can change it as an update would.
    let theme = kit.own_theme("themes/ours");
    kit.write(
        "templates/base.html",
        "{% extends \"theme/base.html\" %}\n{% block footer %}\n<footer class=\"site-footer agency-footer\"><p>Run by the Maple Street Agency</p></footer>\n{% endblock %}\n",
    );
    kit.build(&[]);
    let pages = framed_pages(&kit);
    assert!(pages.len() > 20, "{} pages", pages.len());
    for (rel, html) in &pages {
        assert!(
            html.contains("Run by the Maple Street Agency"),
            "{rel} lacks the new footer"
        );
        assert_eq!(
            html.matches("<footer class=\"site-footer").count(),
            1,
            "{rel}: one footer"
        );
        assert!(
            html.contains("<header class=\"site-header\">"),
            "{rel} lacks the theme's header"
        );
        assert!(
            html.contains("class=\"skip-link\""),
            "{rel} lacks the theme's skip link"
        );
    }

    // The theme changes its header: the agency's pages follow, footer kept.
    let theme_base = theme.join("templates/base.html");
    let updated = read(&theme_base).replace(
        "<header class=\"site-header\">",
        "<header class=\"site-header\" data-theme-update>",
    );
    std::fs::write(&theme_base, updated).unwrap();
    kit.build(&[]);
    for (rel, html) in framed_pages(&kit) {
        assert!(
            html.contains("data-theme-update"),
            "{rel} missed the theme's change"
        );
        assert!(
            html.contains("Run by the Maple Street Agency"),
            "{rel} lost the footer"
        );
    }
}

#[test]
fn a_mistake_in_an_overriding_template_is_reported_at_its_line() {
    let kit = Toolkit::copy_of("valid");
    kit.write(
        "templates/base.html",
        "{% extends \"theme/base.html\" %}\n{% block footer %}\n<footer>{{ site.title | nosuchfilter }}</footer>\n{% endblock %}\n",
    );
    let run = kit.run("build", &["--no-search"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/base.html:3"),
        "{}",
        run.stderr
    );
}
