//! Figures drawn from data: `data/figures.yaml` describes each figure in every
//! language, and a page places one with `::: figure NAME`. A figure is an inline
//! SVG drawing with a title and description for assistive technology, and beside it
//! the same facts as text, so it translates with the page, prints, and reads
//! without the picture.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::data::{Localized, in_language};
use crate::markdown::{escape_html, french_typography};

/// Lists of text in each language, by language code.
pub type LocalizedList = BTreeMap<String, Vec<String>>;

/// One level of a figure of nested levels (the ecological model).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The level's name: "Microsystem".
    pub name: Localized,
    /// What the level takes in: "family, friends and other close relationships".
    #[serde(default)]
    pub scope: Localized,
    /// What was found at this level, one item each.
    #[serde(default)]
    pub findings: LocalizedList,
    /// Said when nothing could be found or assessed at this level.
    #[serde(default)]
    pub none: Localized,
}

/// A figure of nested levels, innermost first, drawn as concentric rings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// A short title, shown as the caption's first words and read as the image's name.
    pub title: Localized,
    /// One or two sentences that say what the picture shows, for readers who do not see it.
    pub summary: Localized,
    /// Where the facts come from, shown in the caption (inline text).
    #[serde(default)]
    pub credit: Localized,
    /// The heading of the findings beside the drawing: "What the study found".
    #[serde(default)]
    pub findings_label: Localized,
    /// The levels, from the innermost.
    pub levels: Vec<Level>,
}

/// True for a figure name that can be an id: letters, digits and dashes.
pub fn is_figure_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The most levels a figure can draw.
pub const MAX_LEVELS: usize = 8;

/// Side of the drawing, in SVG units.
const SIZE: f64 = 400.0;

/// A text of the figure in the reader's language, or in the source language with
/// its `lang` and `dir` when the reader's is missing.
struct Shown<'a> {
    text: &'a str,
    /// The language of the text when it is not the reader's.
    other: Option<&'a str>,
    /// The direction of the source language.
    dir: &'static str,
}

impl Shown<'_> {
    fn lang_attr(&self) -> String {
        lang_dir(self.other, self.dir)
    }
}

/// ` lang="…" dir="…"` for a text in `other`, nothing for the reader's language.
fn lang_dir(other: Option<&str>, dir: &str) -> String {
    other
        .map(|l| format!(" lang=\"{}\" dir=\"{dir}\"", escape_html(l)))
        .unwrap_or_default()
}

/// Picks the text of each language, falling back to the source language.
struct Pick<'a> {
    lang: &'a str,
    source: &'a str,
    /// The source language's direction.
    source_dir: &'static str,
}

impl<'a> Pick<'a> {
    fn text(&self, texts: &'a Localized) -> Option<Shown<'a>> {
        let text = in_language(texts, self.lang, self.source)?;
        let other = (!texts.contains_key(self.lang)).then_some(self.source);
        Some(Shown {
            text,
            other,
            dir: self.source_dir,
        })
    }

    fn list(&self, lists: &'a LocalizedList) -> (&'a [String], Option<&'a str>) {
        match lists.get(self.lang) {
            Some(l) => (l, None),
            None => (
                lists
                    .get(self.source)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                Some(self.source),
            ),
        }
    }

    /// Escaped text on one line (a blank line would end the HTML block), with
    /// French typography in French.
    fn html(&self, text: &str, lang: Option<&str>) -> String {
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let escaped = escape_html(&one_line);
        if crate::format::is_french(lang.unwrap_or(self.lang)) {
            french_typography(&escaped)
        } else {
            escaped
        }
    }
}

/// The HTML of figure `name` in language `lang`: one block with no blank line, so
/// that Markdown passes it through as it is.
pub fn render(
    name: &str,
    figure: &Figure,
    lang: &str,
    source: &str,
    source_dir: &'static str,
) -> String {
    let pick = Pick {
        lang,
        source,
        source_dir,
    };
    let id = format!("figure-{name}");
    let title = pick.text(&figure.title);
    let mut out = format!(
        "<figure class=\"figure figure-levels\" id=\"{id}\" aria-labelledby=\"{id}-caption\">\n<div class=\"figure-body\">\n"
    );
    draw_rings(&mut out, &pick, &id, figure, title.as_ref());
    write_key(&mut out, &pick, figure);
    out.push_str("</div>\n");
    let _ = write!(out, "<figcaption id=\"{id}-caption\">");
    if let Some(t) = &title {
        let _ = write!(
            out,
            "<strong{}>{}</strong>",
            t.lang_attr(),
            pick.html(t.text, t.other)
        );
    }
    if let Some(c) = pick.text(&figure.credit) {
        let _ = write!(
            out,
            " <span class=\"figure-credit\"{}>{}</span>",
            c.lang_attr(),
            pick.html(c.text, c.other)
        );
    }
    out.push_str("</figcaption>\n</figure>\n");
    out
}

/// The number of levels drawn.
fn levels_drawn(figure: &Figure) -> usize {
    figure.levels.len().clamp(1, MAX_LEVELS)
}

/// The drawing: concentric rings, the innermost level at the centre, each named
/// in its ring; titled and described for assistive technology.
fn draw_rings(out: &mut String, pick: &Pick, id: &str, figure: &Figure, title: Option<&Shown>) {
    let n = levels_drawn(figure);
    let step = (SIZE / 2.0 - 4.0) / n as f64;
    let centre = SIZE / 2.0;
    let summary = pick.text(&figure.summary);
    let attr = |s: Option<&Shown>| s.map(Shown::lang_attr).unwrap_or_default();
    let text = |s: Option<&Shown>| s.map(|s| pick.html(s.text, s.other)).unwrap_or_default();
    let _ = write!(
        out,
        "<svg class=\"figure-drawing\" viewBox=\"0 0 {SIZE} {SIZE}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\n<title id=\"{id}-title\"{}>{}</title>\n<desc id=\"{id}-desc\"{}>{}</desc>\n",
        attr(title),
        text(title),
        attr(summary.as_ref()),
        text(summary.as_ref()),
    );
    for (i, level) in figure.levels.iter().enumerate().take(n).rev() {
        let r = step * (i + 1) as f64;
        let none = if level.findings.is_empty() && !level.none.is_empty() {
            " level-none"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<circle class=\"level level-{i}{none}\" cx=\"{centre}\" cy=\"{centre}\" r=\"{r:.1}\"/>"
        );
    }
    for (i, level) in figure.levels.iter().enumerate().take(n) {
        let Some(name) = pick.text(&level.name) else {
            continue;
        };
        // The label sits in the middle of its ring, above the centre; the
        // innermost at the centre.
        let y = if i == 0 {
            centre
        } else {
            centre - step * (i as f64 + 0.5)
        };
        let _ = writeln!(
            out,
            "<text class=\"level-label\" x=\"{centre}\" y=\"{y:.1}\" text-anchor=\"middle\" dominant-baseline=\"middle\" aria-hidden=\"true\"{}>{}</text>",
            name.lang_attr(),
            pick.html(name.text, name.other)
        );
    }
    out.push_str("</svg>\n");
}

/// The same levels as text, from the innermost: the figure's facts for every reader.
fn write_key(out: &mut String, pick: &Pick, figure: &Figure) {
    out.push_str("<div class=\"figure-text\">\n");
    if let Some(label) = pick.text(&figure.findings_label) {
        let _ = writeln!(
            out,
            "<p class=\"figure-key-label\"{}>{}</p>",
            label.lang_attr(),
            pick.html(label.text, label.other)
        );
    }
    out.push_str("<ol class=\"figure-key\">\n");
    for (i, level) in figure.levels.iter().enumerate().take(levels_drawn(figure)) {
        let _ = write!(out, "<li class=\"key-{i}\">");
        if let Some(name) = pick.text(&level.name) {
            let _ = write!(
                out,
                "<span class=\"swatch level-{i}\" aria-hidden=\"true\"></span><strong{}>{}</strong>",
                name.lang_attr(),
                pick.html(name.text, name.other)
            );
        }
        if let Some(scope) = pick.text(&level.scope) {
            let _ = write!(
                out,
                " <span class=\"key-scope\"{}>— {}</span>",
                scope.lang_attr(),
                pick.html(scope.text, scope.other)
            );
        }
        let (findings, other) = pick.list(&level.findings);
        if !findings.is_empty() {
            let lang = lang_dir(other, pick.source_dir);
            let _ = write!(out, "<ul{lang}>");
            for f in findings {
                let _ = write!(out, "<li>{}</li>", pick.html(f, other));
            }
            out.push_str("</ul>");
        } else if let Some(none) = pick.text(&level.none) {
            let _ = write!(
                out,
                "<p class=\"key-none\"{}>{}</p>",
                none.lang_attr(),
                pick.html(none.text, none.other)
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</div>\n");
}

/// Every figure rendered in every language: language → name → HTML.
pub fn render_all(
    figures: &BTreeMap<String, Figure>,
    languages: &[String],
    source: &str,
    source_dir: &'static str,
) -> BTreeMap<String, BTreeMap<String, Arc<str>>> {
    languages
        .iter()
        .map(|lang| {
            let by_name = figures
                .iter()
                .map(|(name, f)| {
                    (
                        name.clone(),
                        Arc::from(render(name, f, lang, source, source_dir)),
                    )
                })
                .collect();
            (lang.clone(), by_name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Figure {
        let loc = |en: &str, fr: &str| -> Localized {
            [
                ("en".to_string(), en.to_string()),
                ("fr".to_string(), fr.to_string()),
            ]
            .into()
        };
        Figure {
            title: loc("Levels", "Niveaux"),
            summary: loc("Two rings.", "Deux anneaux."),
            credit: Localized::new(),
            findings_label: loc("Found: at", "Constaté : à"),
            levels: vec![
                Level {
                    name: loc("Inner", "Intérieur"),
                    scope: Localized::new(),
                    findings: [("en".to_string(), vec!["hope & <more>".to_string()])].into(),
                    none: Localized::new(),
                },
                Level {
                    name: loc("Outer", "Extérieur"),
                    scope: Localized::new(),
                    findings: LocalizedList::new(),
                    none: loc("Not assessed", "Non évalué"),
                },
            ],
        }
    }

    #[test]
    fn draws_one_ring_per_level_with_its_text_alternative() {
        let html = render("levels", &figure(), "en", "en", "ltr");
        assert_eq!(html.matches("<circle").count(), 2);
        assert!(html.contains("<title id=\"figure-levels-title\">Levels</title>"));
        assert!(html.contains("<desc id=\"figure-levels-desc\">Two rings.</desc>"));
        assert!(html.contains("<li>hope &amp; &lt;more&gt;</li>"), "{html}");
        assert!(html.contains("level-none"));
        assert!(
            !html.contains("\n\n"),
            "a blank line would end the HTML block"
        );
    }

    #[test]
    fn a_missing_list_falls_back_with_its_language() {
        let html = render("levels", &figure(), "fr", "en", "ltr");
        assert!(
            html.contains("<ul lang=\"en\" dir=\"ltr\"><li>hope"),
            "{html}"
        );
        assert!(
            html.contains("Constaté\u{a0}: à") || html.contains("Constaté\u{202f}: à"),
            "{html}"
        );
        assert!(html.contains(">Non évalué<"));
    }
}
