//! What the Rust side knows of the theme: the template that renders each kind of
//! page, and the ids the templates give to parts of a page outside its Markdown
//! body (so links to `#agenda` can be checked, and headings cannot take them).

use crate::config::SectionKind;
use crate::content::PageKind;

/// The frame every page template extends.
pub const BASE: &str = "base.html";
/// The theme's own frame, which a site's `templates/base.html` can extend to
/// replace only some of its blocks.
pub const THEME_BASE: &str = "theme/base.html";
/// The article frame (header, body, sources, pager) the page templates extend.
pub const ARTICLE: &str = "article.html";
/// Macros the templates import.
pub const MACROS: &str = "macros.html";
/// The bilingual glossary.
pub const GLOSSARY: &str = "glossary.html";
/// The list of topics or of principles.
pub const TAXONOMY: &str = "taxonomy.html";
/// The pages of one topic or principle.
pub const TERM: &str = "term.html";
/// A printable curriculum (facilitator and participant versions).
pub const PRINT: &str = "print.html";
/// The search page.
pub const SEARCH: &str = "search.html";
/// The 404 page of a language.
pub const NOT_FOUND: &str = "404.html";
/// The language chooser at the root.
pub const ROOT: &str = "root.html";
/// The bilingual 404 page at the root.
pub const ROOT_NOT_FOUND: &str = "root-404.html";
/// `sitemap.xml`, with the language alternates of every page.
pub const SITEMAP: &str = "sitemap.xml";

/// The template of a page of `kind`.
pub fn template_for(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::Home(_) => "home.html",
        PageKind::Section(SectionKind::Curriculum, _) => "curriculum.html",
        PageKind::Section(SectionKind::Training, _) => "training.html",
        PageKind::Section(SectionKind::CaseStudies, _) => "case-studies.html",
        PageKind::Section(SectionKind::Guides, _) => "section.html",
        PageKind::Section(SectionKind::Handouts, _) => "handouts.html",
        PageKind::Handout(_) => "handout.html",
        PageKind::Session(_) => "session.html",
        PageKind::Module(_) => "module.html",
        PageKind::CaseStudy(_) => "case-study.html",
        PageKind::Guide => "guide.html",
    }
}

/// Ids the template of a page of `kind` uses outside the Markdown body.
pub fn anchors(kind: &PageKind) -> &'static [&'static str] {
    match kind {
        PageKind::Session(_) => &[
            "main",
            "purpose",
            "objectives",
            "materials",
            "agenda",
            "care-notes",
            "facilitator-notes",
            "handouts",
            "variants",
            "sources",
        ],
        PageKind::Module(_) => &["main", "outcomes", "activities", "assessment", "sources"],
        PageKind::CaseStudy(_) => &["main", "quick-facts", "components", "outcomes", "sources"],
        PageKind::Home(_) => &["main", "contents", "offline", "sources"],
        PageKind::Section(SectionKind::Training, _) => {
            &["main", "contents", "schedule", "weekly-plan", "sources"]
        }
        PageKind::Section(SectionKind::Curriculum, _) => {
            &["main", "contents", "schedule", "timeline-title", "sources"]
        }
        PageKind::Section(..) => &["main", "contents", "schedule", "sources"],
        PageKind::Handout(_) => &["main", "used-in", "sources"],
        PageKind::Guide => &["main", "sources"],
    }
}
