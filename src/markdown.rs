//! Markdown to HTML: CommonMark with tables, footnotes and heading IDs, callout
//! boxes for facilitators, links between pages by content path (`@/…`), and French
//! typography.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic, SourceSpan, closest};
use crate::routes::slugify;
use crate::source::SourceFile;

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

/// A link from a page to another page by content path, for checking anchors.
#[derive(Debug, Clone)]
pub struct PageLink {
    /// Translation key of the target.
    pub key: String,
    /// `#anchor`, without the `#`.
    pub anchor: Option<String>,
    /// Where the link is written.
    pub span: SourceSpan,
}

/// Link texts that say nothing of where the link leads.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "here",
    "click here",
    "this",
    "this link",
    "link",
    "more",
    "read more",
    "ici",
    "cliquez ici",
    "ce lien",
    "lien",
    "plus",
    "en savoir plus",
];

/// A page's body rendered to HTML.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links to other pages by content path.
    pub page_links: Vec<PageLink>,
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
}

/// No snippets.
pub static NO_SNIPPETS: BTreeMap<String, Arc<str>> = BTreeMap::new();

/// Callout lines turned into HTML, with a map back to the original offsets.
struct Prepared {
    text: String,
    /// (offset in `text`, offset in the original, end of the original line it maps
    /// to) at the start of each copied line. Lines of a snippet all map to the
    /// `::: include` line.
    map: Vec<(usize, usize, usize)>,
}

impl Prepared {
    fn original(&self, offset: usize) -> usize {
        let i = self
            .map
            .partition_point(|(p, _, _)| *p <= offset)
            .saturating_sub(1);
        match self.map.get(i) {
            Some((p, o, end)) => (o + (offset - p)).min(*end),
            None => offset,
        }
    }
}

/// One line to prepare: its text, where it stands in the page body, and the end of
/// the body line it is reported at (the `::: include` line for a snippet's lines).
struct BodyLine<'t> {
    text: &'t str,
    offset: usize,
    end: usize,
}

/// The name after `::: include`, if `line` is an include line.
fn include_name(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix(":::")?.trim_start();
    let name = rest.strip_prefix("include")?;
    if !name.is_empty() && !name.starts_with(char::is_whitespace) {
        return None;
    }
    Some(name.trim())
}

/// The body's lines, with each `::: include NAME` line replaced by the lines of the
/// snippet `NAME` of the text's language. Includes inside code fences are left as
/// written; a snippet cannot include another.
fn expand_includes<'t>(
    body: &'t str,
    ctx: &'t MarkdownContext,
    span: &dyn Fn(usize, usize) -> SourceSpan,
    problems: &mut Vec<Diagnostic>,
) -> Vec<BodyLine<'t>> {
    let mut lines = Vec::new();
    let mut fence: Option<String> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let end = here + line.trim_end().len();
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
        } else if marker.len() >= 3 {
            fence = Some(marker);
        } else if let Some(name) = include_name(line) {
            match ctx.snippets.get(name) {
                Some(snippet) if !name.is_empty() => {
                    for s in snippet.split_inclusive('\n') {
                        if include_name(s).is_some() {
                            problems.push(
                                Diagnostic::error(
                                    Code::Include,
                                    format!("the snippet `{name}` includes another snippet"),
                                )
                                .at(span(here, end - here))
                                .hint(format!(
                                    "write the text of the other snippet into data/snippets/{}/{name}.md, or include both snippets from the page",
                                    ctx.lang
                                )),
                            );
                            continue;
                        }
                        lines.push(BodyLine {
                            text: s,
                            offset: here,
                            end,
                        });
                    }
                    if !snippet.ends_with('\n') {
                        lines.push(BodyLine {
                            text: "\n",
                            offset: here,
                            end,
                        });
                    }
                    continue;
                }
                _ => {
                    let known = ctx.snippets.keys().map(String::as_str);
                    let mut d = Diagnostic::error(
                        Code::Include,
                        if name.is_empty() {
                            "`::: include` needs the name of a snippet".to_string()
                        } else {
                            format!(
                                "there is no snippet `{name}` in `{}` (data/snippets/{}/{name}.md)",
                                ctx.lang, ctx.lang
                            )
                        },
                    )
                    .at(span(here, end - here))
                    .label("included here");
                    d = match closest(name, known) {
                        Some(k) if !name.is_empty() => d.hint(format!("did you mean `::: include {k}`?")),
                        _ if name.is_empty() => d.hint(format!(
                            "write the text once in data/snippets/{}/NAME.md and include it with `::: include NAME`",
                            ctx.lang
                        )),
                        _ => d.hint(format!(
                            "write this snippet in data/snippets/{}/{name}.md: each language has its own copy, under the same name",
                            ctx.lang
                        )),
                    };
                    problems.push(d);
                    continue;
                }
            }
        }
        lines.push(BodyLine {
            text: line,
            offset: here,
            end: here + line.len(),
        });
    }
    lines
}

fn callout_open(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix(":::")?.trim();
    if rest.is_empty() {
        return None;
    }
    let (kind, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((kind, title.trim()))
}

fn is_callout_close(line: &str) -> bool {
    line.trim() == ":::"
}

/// Escape text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn prepare(
    body: &str,
    file: &SourceFile,
    ctx: &MarkdownContext,
    problems: &mut Vec<Diagnostic>,
) -> Prepared {
    let mut text = String::with_capacity(body.len() + 256);
    let mut map = Vec::new();
    let mut fence: Option<String> = None;
    // Open boxes: the opener's offset, or None for an unknown kind (already reported).
    let mut open: Vec<Option<usize>> = Vec::new();
    let span = |start: usize, len: usize| {
        let s = file.body_start + start;
        SourceSpan::new(file.path.clone(), file.text.clone(), s..s + len)
    };
    for BodyLine {
        text: line,
        offset,
        end,
    } in expand_includes(body, ctx, &span, problems)
    {
        let trimmed = line.trim_start();
        let fence_marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
        } else if fence_marker.len() >= 3 {
            fence = Some(fence_marker);
        } else if let Some((kind, title)) = callout_open(line) {
            match CALLOUTS.iter().find(|(k, _)| *k == kind) {
                Some((kind, facilitator_only)) => {
                    let label = (ctx.ui)(&format!("callout.{kind}"));
                    let class = if *facilitator_only {
                        " facilitator-only"
                    } else {
                        ""
                    };
                    let heading = if title.is_empty() {
                        escape_html(&label)
                    } else {
                        format!(
                            "{}<span class=\"callout-title\">{}</span>",
                            escape_html(&label),
                            escape_html(title)
                        )
                    };
                    map.push((text.len(), offset, end));
                    text.push_str(&format!(
                        "\n<div class=\"callout callout-{kind}{class}\" role=\"note\" aria-label=\"{}\">\n<p class=\"callout-label\">{heading}</p>\n\n",
                        escape_html(&label)
                    ));
                    open.push(Some(offset));
                    continue;
                }
                None => {
                    let known = CALLOUTS.iter().map(|(k, _)| *k);
                    let mut d = Diagnostic::error(
                        Code::Callout,
                        format!("`{kind}` is not a kind of callout box"),
                    )
                    .at(span(offset, line.trim_end().len()));
                    d = match closest(kind, known) {
                        Some(k) => d.hint(format!("did you mean `::: {k}`?")),
                        None => d.hint(format!(
                            "use one of: {}",
                            CALLOUTS
                                .iter()
                                .map(|(k, _)| *k)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    problems.push(d);
                    open.push(None);
                    continue;
                }
            }
        } else if is_callout_close(line) {
            match open.pop() {
                Some(Some(_)) => {
                    map.push((text.len(), offset, end));
                    text.push_str("\n\n</div>\n\n");
                    continue;
                }
                Some(None) => {
                    continue;
                }
                None => {}
            }
            problems.push(
                Diagnostic::error(Code::Callout, "this `:::` closes no callout box")
                    .at(span(offset, 3))
                    .hint("remove this line, or open a box above it with `::: care` (or another kind)"),
            );
        }
        map.push((text.len(), offset, end));
        text.push_str(line);
    }
    for start in open.into_iter().flatten() {
        let len = body[start..].find('\n').unwrap_or(body.len() - start);
        problems.push(
            Diagnostic::error(Code::Callout, "this callout box is never closed")
                .at(span(start, len))
                .label("opened here")
                .hint("add a line `:::` after the last line of the box"),
        );
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Prepared { text, map }
}

/// French spacing: narrow no-break spaces before `; : ! ?` and inside « ».
pub fn french_typography(text: &str) -> String {
    const NNBSP: char = '\u{202f}';
    let needs_work = text.contains('«')
        || text.contains('»')
        || text
            .as_bytes()
            .windows(2)
            .any(|w| (w[0] == b' ' || w[0] == 0xa0) && matches!(w[1], b';' | b':' | b'!' | b'?'))
        || text.contains("\u{a0};")
        || text.contains("\u{a0}:")
        || text.contains("\u{a0}!")
        || text.contains("\u{a0}?");
    if !needs_work {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            ' ' | '\u{a0}'
                if prev.is_some_and(|p| !p.is_whitespace())
                    && (next == Some('»')
                        || (matches!(next, Some(';' | ':' | '!' | '?'))
                            && chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric()))) =>
            {
                out.push(NNBSP);
            }
            ' ' | '\u{a0}' if prev == Some('«') => out.push(NNBSP),
            _ => out.push(c),
        }
        i += 1;
    }
    out
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
        french: ctx.lang == "fr" || ctx.lang.starts_with("fr-"),
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
            .trim_end_matches(['.', ':', '!', '?'])
            .to_lowercase();
        if VAGUE_LINK_TEXTS.contains(&words.as_str()) {
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
        self.rendered.html = html;
        self.rendered
    }
}

/// Rewrite `@/path.md#anchor` to the page's URL, and `/path` to the base path.
fn rewrite_link(
    dest: &str,
    span: SourceSpan,
    ctx: &MarkdownContext,
    rendered: &mut Rendered,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let written = rewrite_link_target(dest, span.clone(), ctx, rendered, problems);
    rendered.links.push((written.clone(), span));
    written
}

/// The address a link written as `dest` gets in the HTML.
fn rewrite_link_target(
    dest: &str,
    span: SourceSpan,
    ctx: &MarkdownContext,
    rendered: &mut Rendered,
    problems: &mut Vec<Diagnostic>,
) -> String {
    match link_target(dest, ctx) {
        LinkTarget::Page {
            key,
            anchor,
            url: Some(url),
        } => {
            let href = page_href(&url, anchor.as_deref());
            rendered.page_links.push(PageLink { key, anchor, span });
            href
        }
        LinkTarget::Page { key, url: None, .. } => {
            let keys = (ctx.keys)();
            let mut d = Diagnostic::error(
                Code::BrokenLink,
                format!("the link `{dest}` leads to no page"),
            )
            .at(span)
            .label("no page has this path");
            d = match closest(&key, keys.iter().map(String::as_str)) {
                Some(k) => d.hint(format!("did you mean `@/{}`?", key_to_path(k))),
                None => d.hint("write the path of the page under the language folder, e.g. `@/curriculum/session-01.md`"),
            };
            problems.push(d);
            dest.to_string()
        }
        LinkTarget::Address(href) => href,
    }
}

/// Where a link leads: a page of the toolkit by content path, or an address.
enum LinkTarget {
    /// `@/path.md#anchor`: the page's key, the anchor, and its URL if it exists.
    Page {
        key: String,
        anchor: Option<String>,
        url: Option<String>,
    },
    /// Any other address, with `/…` put under the base path.
    Address(String),
}

fn link_target(dest: &str, ctx: &MarkdownContext) -> LinkTarget {
    if let Some(path) = dest.strip_prefix("@/") {
        let (path, anchor) = match path.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (path, None),
        };
        let key = content_key(path);
        let url = (ctx.resolve)(&key);
        LinkTarget::Page { key, anchor, url }
    } else if dest.starts_with('/') && !dest.starts_with("//") {
        LinkTarget::Address(format!("{}{}", ctx.base_path, &dest[1..]))
    } else {
        LinkTarget::Address(dest.to_string())
    }
}

fn page_href(url: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url.to_string(),
    }
}

/// The translation key a content path points at: `curriculum/_index.md` →
/// `curriculum`, `guidance/crisis.md` → `guidance/crisis`, `_index.md` → ``.
pub fn content_key(path: &str) -> String {
    // Resolve `.` and `..` first, so `@/curriculum/../guidance/a.md` is `guidance/a`;
    // a path that climbs above the language folder matches no page.
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return "\u{0}outside".to_string();
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    let path = joined.as_str();
    let path = path.strip_suffix(".md").unwrap_or(path);
    let path = path.strip_suffix("_index").unwrap_or(path);
    crate::source::normalized_key(std::path::Path::new(path.trim_end_matches('/')))
}

fn key_to_path(key: &str) -> String {
    match key {
        "" => "_index.md".to_string(),
        k if k.contains('/') || !k.is_empty() => format!("{k}.md"),
        k => k.to_string(),
    }
}

/// Render a short Markdown text from front matter (a list item, a note) as inline
/// HTML: no paragraph around it, French typography, `@/` links resolved.
pub fn inline(text: &str, ctx: &MarkdownContext) -> String {
    let french = ctx.lang == "fr" || ctx.lang.starts_with("fr-");
    let events =
        Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Text(t) if french => Some(Event::Text(CowStr::from(french_typography(&t)))),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // Front matter is checked elsewhere: an unknown page keeps its text.
                let dest = match link_target(&dest_url, ctx) {
                    LinkTarget::Page {
                        url: Some(url),
                        anchor,
                        ..
                    } => page_href(&url, anchor.as_deref()),
                    LinkTarget::Page { url: None, .. } => dest_url.to_string(),
                    LinkTarget::Address(href) => href,
                };
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }))
            }
            other => Some(other),
        });
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn render_text(body: &str, lang: &str) -> (Rendered, Vec<Diagnostic>) {
        render_with_snippets(body, lang, &NO_SNIPPETS)
    }

    fn render_with_snippets(
        body: &str,
        lang: &str,
        snippets: &BTreeMap<String, Arc<str>>,
    ) -> (Rendered, Vec<Diagnostic>) {
        let text = format!("---\ntitle: T\n---\n{body}");
        let file = SourceFile::split("t.md".into(), Arc::from(text)).unwrap();
        let ctx = MarkdownContext {
            lang,
            base_path: "/kit/",
            ui: &|k| format!("L-{}", k.trim_start_matches("callout.")),
            resolve: &|k| (k == "guidance/crisis").then(|| "/kit/en/guidance/crisis/".to_string()),
            keys: &|| vec!["guidance/crisis".to_string()],
            reserved_ids: &["main", "agenda"],
            snippets,
        };
        let mut problems = Vec::new();
        let r = render(&file, &ctx, &mut problems);
        (r, problems)
    }

    fn snippets() -> BTreeMap<String, Arc<str>> {
        let mut m = BTreeMap::new();
        m.insert(
            "limits".to_string(),
            Arc::from("There are a few limits:\n\n- a life at risk;\n- a child not safe.\n"),
        );
        m.insert("nested".to_string(), Arc::from("::: include limits\n"));
        m
    }

    #[test]
    fn includes_insert_the_snippet_inside_boxes() {
        let body = "Intro.\n\n::: say\n::: include limits\n:::\n\nAfter.\n";
        let (r, p) = render_with_snippets(body, "en", &snippets());
        assert!(p.is_empty(), "{p:?}");
        assert!(r.html.contains("callout-say"), "{}", r.html);
        let inside = r.html.split("callout-say").nth(1).unwrap();
        assert!(inside.contains("<li>a child not safe.</li>"), "{}", r.html);
        assert!(r.html.contains("<p>After.</p>"));
    }

    #[test]
    fn unknown_nested_and_fenced_includes() {
        let (_, p) = render_with_snippets("\n::: include limit\n", "fr", &snippets());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, "include");
        assert!(
            p[0].message.contains("data/snippets/fr/limit.md"),
            "{}",
            p[0].message
        );
        assert_eq!(
            p[0].hint.as_deref(),
            Some("did you mean `::: include limits`?")
        );
        // The error points at the include line: line 5 of the file (3 of front matter).
        assert_eq!(p[0].span.as_ref().unwrap().line_col(), (5, 1));

        let (_, p) = render_with_snippets("::: include nested\n", "en", &snippets());
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("includes another snippet"));

        let (r, p) = render_with_snippets("```\n::: include nothing\n```\n", "en", &snippets());
        assert!(p.is_empty());
        assert!(r.html.contains("::: include nothing"));

        let (_, p) = render_with_snippets("::: include\n", "en", &snippets());
        assert!(p[0].message.contains("needs the name"));
    }

    #[test]
    fn callouts_become_labelled_boxes() {
        let (r, p) = render_text("::: care Be gentle\nDo *not* ask.\n:::\n", "en");
        assert!(p.is_empty(), "{p:?}");
        assert!(r.html.contains(
            "class=\"callout callout-care facilitator-only\" role=\"note\" aria-label=\"L-care\""
        ));
        assert!(r.html.contains("<em>not</em>"));
        assert!(
            r.html
                .contains("<span class=\"callout-title\">Be gentle</span>")
        );
    }

    #[test]
    fn unknown_and_unclosed_callouts() {
        let (_, p) = render_text("text\n\n::: cares\n", "en");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].hint.as_deref(), Some("did you mean `::: care`?"));
        assert_eq!(p[0].span.as_ref().unwrap().line_col(), (6, 1));
        let (_, p) = render_text("::: tip\nnever closed\n", "en");
        assert_eq!(p[0].message, "this callout box is never closed");
    }

    #[test]
    fn heading_ids_explicit_and_automatic() {
        let (r, _) = render_text(
            "## Écoute active {#active-listening}\n\n## Écoute active\n\n## Écoute active\n",
            "fr",
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["active-listening", "écoute-active", "écoute-active-1"]
        );
        assert!(r.html.contains("<h2 id=\"active-listening\">"));
    }

    #[test]
    fn content_links_resolve_or_report() {
        let (r, p) = render_text(
            "[a](@/guidance/crisis.md#call-911) [b](@/guidance/crisiss.md) ![](/img.png)",
            "en",
        );
        assert!(
            r.html
                .contains("href=\"/kit/en/guidance/crisis/#call-911\"")
        );
        assert!(r.html.contains("src=\"/kit/img.png\""));
        assert_eq!(r.page_links.len(), 1);
        let codes: Vec<_> = p.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["broken-link", "alt-text"]);
        assert_eq!(
            p[0].hint.as_deref(),
            Some("did you mean `@/guidance/crisis.md`?")
        );
    }

    #[test]
    fn french_spacing() {
        assert_eq!(
            french_typography("Oui ! « Bien » : non ?"),
            "Oui\u{202f}! «\u{202f}Bien\u{202f}»\u{202f}: non\u{202f}?"
        );
        assert_eq!(french_typography("a !important"), "a !important");
    }
}
