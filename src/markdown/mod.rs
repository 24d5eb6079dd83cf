//! Markdown to HTML: CommonMark with tables, footnotes and heading IDs, callout
//! boxes for facilitators, links between pages by content path (`@/…`), and French
//! typography.

mod callouts;
mod links;
#[cfg(test)]
mod tests;
mod typography;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic, SourceSpan};
use crate::routes::slugify;
use crate::source::SourceFile;
use callouts::{Prepared, prepare};
use links::rewrite_link;
pub use links::{content_key, inline};
pub use typography::french_typography;

/// Kinds of callout boxes, and whether they are for facilitators only.
pub const CALLOUTS: &[(&str, bool)] = &[
    ("facilitator", true),
    ("care", true),
    ("caution", true),
    ("reflection", false),
    ("tip", false),
    ("say", false),
    ("activity", false),
];

/// A heading of a page, for anchors and tables of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor.
    pub id: String,
    /// The text.
    pub text: String,
}

/// The UI string listing, separated by `;`, the link texts of a language that say
/// nothing of where the link leads ("here; click here; …").
pub const VAGUE_LINK_TEXTS_KEY: &str = "check.vague_link_texts";

/// A page's body rendered to HTML.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Number of words.
    pub words: usize,
    /// Every link and image address as written in the HTML, with where it is written.
    pub links: Vec<(String, SourceSpan)>,
}

/// What the renderer needs from the rest of the site.
pub struct MarkdownContext<'a> {
    /// Language of the text (for typography).
    pub lang: &'a str,
    /// Path part of the base URL, `/` or `/toolkit/`.
    pub base_path: &'a str,
    /// A UI string of the text's language: `callout.care`, `task.open`, `task.done`.
    pub ui: &'a dyn Fn(&str) -> String,
    /// URL of the page with translation key `key` in the reader's language.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// Every known translation key, for suggestions.
    pub keys: &'a dyn Fn() -> Vec<String>,
    /// Ids the page's template uses, which headings must not take.
    pub reserved_ids: &'a [&'a str],
    /// Snippets of the text's language, by name, for `::: include NAME`.
    pub snippets: &'a BTreeMap<String, Arc<str>>,
    /// Figures drawn in the text's language, by name, for `::: figure NAME`.
    pub figures: &'a BTreeMap<String, Arc<str>>,
    /// The source language's snippets, shown when the text's language lacks one.
    pub fallback: Option<SnippetFallback<'a>>,
}

/// The snippets of the source language, for a text whose language lacks one.
#[derive(Clone, Copy)]
pub struct SnippetFallback<'a> {
    /// The source language's code.
    pub lang: &'a str,
    /// Its snippets by name.
    pub snippets: &'a BTreeMap<String, Arc<str>>,
    /// The element that opens a snippet shown in that language:
    /// `<div lang="en" dir="ltr">`.
    pub open: &'a str,
}

/// No snippets.
pub static NO_SNIPPETS: BTreeMap<String, Arc<str>> = BTreeMap::new();

/// Escape text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// A heading being read: where its start event goes, its attributes and its text.
struct OpenHeading<'a> {
    /// Index of its start event (a placeholder until the id is known).
    at: usize,
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    /// Its text, for the table of contents and automatic ids.
    text: String,
}

/// The Markdown options of the toolkit: CommonMark with tables, footnotes,
/// strikethrough, task lists and `{#id}` heading attributes.
fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options
}

/// Render `file`'s body for the reader's language.
pub fn render(
    file: &SourceFile,
    ctx: &MarkdownContext,
    problems: &mut Vec<Diagnostic>,
) -> Rendered {
    let prepared = prepare(file.body(), file, ctx, problems);
    let mut body = Body {
        file,
        ctx,
        prepared: &prepared,
        problems,
        french: crate::format::is_french(ctx.lang),
        rendered: Rendered::default(),
        // Ids the page template uses around the body are not free for headings.
        used_ids: ctx.reserved_ids.iter().map(|s| s.to_string()).collect(),
        explicit_ids: HashSet::new(),
        events: Vec::new(),
        heading: None,
        image: None,
        link_text: None,
        in_code: false,
        pending: Vec::new(),
    };
    for (event, range) in Parser::new_ext(&prepared.text, options()).into_offset_iter() {
        body.event(event, range);
    }
    body.finish()
}

/// The state of one body's rendering: the events so far and what is open.
struct Body<'a, 'c> {
    file: &'c SourceFile,
    ctx: &'c MarkdownContext<'c>,
    prepared: &'a Prepared,
    problems: &'c mut Vec<Diagnostic>,
    french: bool,
    rendered: Rendered,
    used_ids: HashSet<String>,
    explicit_ids: HashSet<String>,
    events: Vec<Event<'a>>,
    heading: Option<OpenHeading<'a>>,
    image: Option<(Range<usize>, String)>,
    link_text: Option<(Range<usize>, String)>,
    in_code: bool,
    /// Headings without an explicit id get one after the pass, so that automatic ids
    /// never take an id written explicitly further down: (index in `headings`, the
    /// heading).
    pending: Vec<(usize, OpenHeading<'a>)>,
}

impl<'a> Body<'a, '_> {
    /// Where `range` of the prepared text stands in the file.
    fn span_of(&self, range: Range<usize>) -> SourceSpan {
        let file = self.file;
        let start = file.body_start + self.prepared.original(range.start);
        let end = file.body_start + self.prepared.original(range.end.max(range.start));
        SourceSpan::new(file.path.clone(), file.text.clone(), start..end.max(start))
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                Event::End(TagEnd::CodeBlock)
            }
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(&t);
                }
                Event::Code(t)
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(OpenHeading {
                    at: self.events.len(),
                    level,
                    id,
                    classes,
                    attrs,
                    text: String::new(),
                });
                Event::Text(CowStr::Borrowed("")) // placeholder
            }
            Event::End(TagEnd::Heading(level)) => {
                self.heading_end(range);
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.link_target(&dest_url, range.clone());
                self.link_text = Some((range, String::new()));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.image = Some((range.clone(), String::new()));
                let dest = self.link_target(&dest_url, range);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                self.link_end();
                Event::End(TagEnd::Link)
            }
            Event::End(TagEnd::Image) => {
                self.image_end();
                Event::End(TagEnd::Image)
            }
            Event::TaskListMarker(done) => self.task_box(done),
            Event::Start(Tag::Table(align)) => {
                self.events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                Event::Start(Tag::Table(align))
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                Event::Html(CowStr::Borrowed("</div>\n"))
            }
            other => other,
        };
        self.events.push(event);
    }

    /// Text: counted, gathered for the open heading, link or image, and given French
    /// spacing outside code.
    fn text(&mut self, t: CowStr<'a>) -> Event<'a> {
        self.rendered.words += t.split_whitespace().count();
        if let Some((_, alt)) = &mut self.image {
            alt.push_str(&t);
        }
        if let Some((_, text)) = &mut self.link_text {
            text.push_str(&t);
        }
        if let Some(h) = &mut self.heading {
            h.text.push_str(&t);
        }
        if self.french && !self.in_code {
            Event::Text(CowStr::from(french_typography(&t)))
        } else {
            Event::Text(t)
        }
    }

    /// The end of a heading: an explicit id is checked and kept; one without waits
    /// for the end of the pass.
    fn heading_end(&mut self, range: Range<usize>) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let Some(id) = h.id.clone() else {
            self.rendered.headings.push(Heading {
                level: h.level as u8,
                id: String::new(),
                text: h.text.trim().to_string(),
            });
            self.pending.push((self.rendered.headings.len() - 1, h));
            return;
        };
        if self.ctx.reserved_ids.contains(&id.as_ref()) {
            let d = Diagnostic::error(
                Code::HeadingId,
                format!("the anchor `#{id}` is already used by the page template"),
            )
            .at(self.span_of(range))
            .hint("choose another `{#id}` for this heading");
            self.problems.push(d);
        } else if !self.explicit_ids.insert(id.to_string()) {
            let d = Diagnostic::error(
                Code::HeadingId,
                format!("the anchor `#{id}` is used by two headings"),
            )
            .at(self.span_of(range))
            .hint("give each heading its own `{#id}`");
            self.problems.push(d);
        }
        self.used_ids.insert(id.to_string());
        self.rendered.headings.push(Heading {
            level: h.level as u8,
            id: id.to_string(),
            text: h.text.trim().to_string(),
        });
        self.events[h.at] = Event::Start(Tag::Heading {
            level: h.level,
            id: Some(id),
            classes: h.classes,
            attrs: h.attrs,
        });
    }

    /// The address a link or image gets, recorded for the link check.
    fn link_target(&mut self, dest: &str, range: Range<usize>) -> String {
        let span = self.span_of(range);
        rewrite_link(dest, span, self.ctx, &mut self.rendered, self.problems)
    }

    /// The end of a link: a text that says nothing of where it leads is reported.
    fn link_end(&mut self) {
        let Some((range, text)) = self.link_text.take() else {
            return;
        };
        let words = text
            .trim()
            .trim_end_matches(['.', ':', '!', '?', '؟', '،', '…'])
            .to_lowercase();
        let vague = (self.ctx.ui)(VAGUE_LINK_TEXTS_KEY);
        if !words.is_empty() && vague.split(';').any(|v| v.trim().to_lowercase() == words) {
            let d = Diagnostic::warning(Code::LinkText, format!("the link text \"{}\" does not say where the link leads", text.trim()))
                .at(self.span_of(range))
                .hint("use words that name the page, e.g. \"the crisis guidance\" instead of \"here\": screen reader users often list links out of context");
            self.problems.push(d);
        }
    }

    /// The end of an image: it must have alt text.
    fn image_end(&mut self) {
        if let Some((range, alt)) = self.image.take()
            && alt.trim().is_empty()
        {
            let d = Diagnostic::error(Code::AltText, "this image has no alt text")
                .at(self.span_of(range))
                .label("the text between [ and ] is empty")
                .hint("describe the image for people who cannot see it: `![Chairs in a circle](…)`; for a purely decorative image, describe its role in a few words");
            self.problems.push(d);
        }
    }

    /// A task-list box, labelled for screen readers.
    fn task_box(&self, done: bool) -> Event<'a> {
        let (mark, key) = if done {
            ("☑", "task.done")
        } else {
            ("☐", "task.open")
        };
        Event::Html(CowStr::from(format!(
            "<span class=\"task-box\" role=\"img\" aria-label=\"{}\">{mark}</span> ",
            escape_html(&(self.ctx.ui)(key))
        )))
    }

    /// Automatic ids for the headings without one, then the HTML.
    fn finish(mut self) -> Rendered {
        for (heading_index, h) in std::mem::take(&mut self.pending) {
            let base = match slugify(&h.text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let mut id = base.clone();
            let mut n = 1;
            while self.used_ids.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            self.used_ids.insert(id.clone());
            self.rendered.headings[heading_index].id = id.clone();
            self.events[h.at] = Event::Start(Tag::Heading {
                level: h.level,
                id: Some(CowStr::from(id)),
                classes: h.classes,
                attrs: h.attrs,
            });
        }
        let mut html = String::with_capacity(self.prepared.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        // Kept until the pages are written: no room held beyond the text.
        html.shrink_to_fit();
        self.rendered.html = html;
        self.rendered
    }
}
