//! Links in Markdown: `@/path.md#anchor` to the URL of the page in the reader's
//! language, `/path` under the base path; and short inline Markdown from front
//! matter.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::{MarkdownContext, Rendered, french_typography};
use crate::diagnostics::{Code, Diagnostic, SourceSpan, closest};

/// Rewrite `@/path.md#anchor` to the page's URL, and `/path` to the base path.
pub(super) fn rewrite_link(
    dest: &str,
    span: SourceSpan,
    ctx: &MarkdownContext,
    rendered: &mut Rendered,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let written = rewrite_link_target(dest, span.clone(), ctx, problems);
    rendered.links.push((written.clone(), span));
    written
}

/// The address a link written as `dest` gets in the HTML.
fn rewrite_link_target(
    dest: &str,
    span: SourceSpan,
    ctx: &MarkdownContext,
    problems: &mut Vec<Diagnostic>,
) -> String {
    match link_target(dest, ctx) {
        LinkTarget::Page {
            anchor,
            url: Some(url),
            ..
        } => page_href(&url, anchor.as_deref()),
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
    let french = crate::format::is_french(ctx.lang);
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
