//! Callout boxes (`::: care` … `:::`) and includes (`::: include NAME`): the lines
//! that Markdown does not know, turned into HTML or into the snippet's lines before
//! the Markdown parser runs, with a map back to the offsets of the page.

use super::{CALLOUTS, MarkdownContext, escape_html};
use crate::diagnostics::{Code, Diagnostic, SourceSpan, closest};
use crate::source::SourceFile;

/// Callout lines turned into HTML, with a map back to the original offsets.
pub(super) struct Prepared {
    pub(super) text: String,
    /// (offset in `text`, offset in the original, end of the original line it maps
    /// to) at the start of each copied line. Lines of a snippet all map to the
    /// `::: include` line.
    map: Vec<(usize, usize, usize)>,
}

impl Prepared {
    pub(super) fn original(&self, offset: usize) -> usize {
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

/// The name after `::: WORD` (`include`, `figure`), if `line` is such a line.
fn directive_name<'l>(line: &'l str, word: &str) -> Option<&'l str> {
    let rest = line.trim_start().strip_prefix(":::")?.trim_start();
    let name = rest.strip_prefix(word)?;
    if !name.is_empty() && !name.starts_with(char::is_whitespace) {
        return None;
    }
    Some(name.trim())
}

/// The name after `::: include`, if `line` is an include line.
fn include_name(line: &str) -> Option<&str> {
    directive_name(line, "include")
}

/// The lines of figure `name`'s HTML, or the problem with the `::: figure` line.
fn figure_lines<'t>(
    name: &str,
    ctx: &'t MarkdownContext,
    at: SourceSpan,
) -> Result<&'t str, Diagnostic> {
    if let Some(html) = ctx.figures.get(name).filter(|_| !name.is_empty()) {
        return Ok(html);
    }
    let d = Diagnostic::error(
        Code::Figure,
        if name.is_empty() {
            "`::: figure` needs the name of a figure".to_string()
        } else {
            format!("there is no figure `{name}` in data/figures.yaml")
        },
    )
    .at(at)
    .label("placed here");
    Err(match closest(name, ctx.figures.keys().map(String::as_str)) {
        Some(k) if !name.is_empty() => d.hint(format!("did you mean `::: figure {k}`?")),
        _ => d.hint("describe the figure under its name in data/figures.yaml, then place it with `::: figure NAME`"),
    })
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
    let mut fence = Fence::default();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let end = here + line.trim_end().len();
        let at = || span(here, end - here);
        let mut push = |text: &'t str| {
            lines.push(BodyLine {
                text,
                offset: here,
                end,
            })
        };
        // `fence.in_code` takes in every line, so it comes first.
        let directive = !fence.in_code(line) && !is_indented_code(line);
        if directive && let Some(name) = directive_name(line, "figure") {
            match figure_lines(name, ctx, at()) {
                // A blank line before and after, so the figure is a block of its own.
                Ok(html) => ["\n"]
                    .into_iter()
                    .chain(html.split_inclusive('\n'))
                    .chain(["\n"])
                    .for_each(push),
                Err(d) => problems.push(d),
            }
        } else if directive && let Some(name) = include_name(line) {
            snippet_lines(name, ctx, &at, problems)
                .into_iter()
                .for_each(push);
        } else {
            push(line);
        }
    }
    lines
}

/// The lines that `::: include NAME` stands for: the snippet of the text's
/// language, or else the source language's inside an element with its `lang`
/// (a warning), or nothing (an error).
fn snippet_lines<'t>(
    name: &str,
    ctx: &'t MarkdownContext,
    at: &dyn Fn() -> SourceSpan,
    problems: &mut Vec<Diagnostic>,
) -> Vec<&'t str> {
    let nested = |problems: &mut Vec<Diagnostic>| {
        problems.push(
            Diagnostic::error(Code::Include, format!("the snippet `{name}` includes another snippet"))
                .at(at())
                .hint(format!(
                    "write the text of the other snippet into data/snippets/{}/{name}.md, or include both snippets from the page",
                    ctx.lang
                )),
        );
    };
    if let Some(snippet) = ctx.snippets.get(name).filter(|_| !name.is_empty()) {
        let mut out = Vec::new();
        for s in snippet.split_inclusive('\n') {
            if include_name(s).is_some() {
                nested(problems);
            } else {
                out.push(s);
            }
        }
        if !snippet.ends_with('\n') {
            out.push("\n");
        }
        return out;
    }
    let fallback = ctx
        .fallback
        .and_then(|f| f.snippets.get(name).map(|s| (f, s)))
        .filter(|_| !name.is_empty());
    if let Some((f, snippet)) = fallback {
        problems.push(
            Diagnostic::warning(
                Code::Include,
                format!(
                    "the snippet `{name}` has no `{}` version: its `{}` text is shown",
                    ctx.lang, f.lang
                ),
            )
            .at(at())
            .hint(format!(
                "translate data/snippets/{}/{name}.md into data/snippets/{}/{name}.md",
                f.lang, ctx.lang
            )),
        );
        let body = snippet
            .split_inclusive('\n')
            .filter(|s| include_name(s).is_none());
        return ["\n", f.open, "\n\n"]
            .into_iter()
            .chain(body)
            .chain(["\n\n</div>\n\n"])
            .collect();
    }
    let known = ctx.snippets.keys().map(String::as_str);
    let d = Diagnostic::error(
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
    .at(at())
    .label("included here");
    problems.push(match closest(name, known) {
        Some(k) if !name.is_empty() => d.hint(format!("did you mean `::: include {k}`?")),
        _ if name.is_empty() => d.hint(format!(
            "write the text once in data/snippets/{}/NAME.md and include it with `::: include NAME`",
            ctx.lang
        )),
        _ => d.hint(format!(
            "write this snippet in data/snippets/{}/{name}.md: each language has its own copy, under the same name",
            ctx.lang
        )),
    });
    Vec::new()
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

/// The callout boxes of a body being prepared: the text so far, its offset map, and
/// the boxes still open.
struct Boxes<'c> {
    ctx: &'c MarkdownContext<'c>,
    text: String,
    map: Vec<(usize, usize, usize)>,
    /// Open boxes: the opener's offset, or None for an unknown kind (already reported).
    open: Vec<Option<usize>>,
}

impl Boxes<'_> {
    /// Copy a line of the body as it is.
    fn copy(&mut self, line: &str, offset: usize, end: usize) {
        self.map.push((self.text.len(), offset, end));
        self.text.push_str(line);
    }

    /// A `::: kind title` line: the box opens, or an unknown kind is reported.
    fn open_box(&mut self, kind: &str, title: &str, line: &BodyLine) -> Option<Diagnostic> {
        let Some((kind, facilitator_only)) = CALLOUTS.iter().find(|(k, _)| *k == kind) else {
            self.open.push(None);
            let known = CALLOUTS.iter().map(|(k, _)| *k);
            let d = Diagnostic::error(
                Code::Callout,
                format!("`{kind}` is not a kind of callout box"),
            );
            return Some(match closest(kind, known) {
                Some(k) => d.hint(format!("did you mean `::: {k}`?")),
                None => d.hint(format!(
                    "use one of: {}",
                    CALLOUTS
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            });
        };
        let label = (self.ctx.ui)(&format!("callout.{kind}"));
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
        self.map.push((self.text.len(), line.offset, line.end));
        self.text.push_str(&format!(
            "\n<div class=\"callout callout-{kind}{class}\" role=\"note\" aria-label=\"{}\">\n<p class=\"callout-label\">{heading}</p>\n\n",
            escape_html(&label)
        ));
        self.open.push(Some(line.offset));
        None
    }

    /// A `:::` line: the innermost box closes. False when no box is open.
    fn close_box(&mut self, line: &BodyLine) -> bool {
        match self.open.pop() {
            Some(Some(_)) => {
                self.map.push((self.text.len(), line.offset, line.end));
                self.text.push_str("\n\n</div>\n\n");
                true
            }
            Some(None) => true,
            None => false,
        }
    }
}

/// Code fences (```` ``` ```` or `~~~`) seen so far, line by line: inside one,
/// `:::` lines are text.
#[derive(Default)]
struct Fence(Option<String>);

impl Fence {
    /// Take in `line`; true when it opens, closes or stands inside a fence.
    fn in_code(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        if let Some(f) = &self.0 {
            if trimmed.starts_with(f.as_str()) {
                self.0 = None;
            }
            return true;
        }
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3 {
            self.0 = Some(marker);
            return true;
        }
        false
    }
}

/// True when `line` is indented enough to be code (four columns or a tab), where
/// `:::` is text to show, not a box.
fn is_indented_code(line: &str) -> bool {
    let mut columns = 0;
    for c in line.chars() {
        match c {
            ' ' => columns += 1,
            '\t' => return true,
            _ => break,
        }
    }
    columns >= 4
}

/// Turn callout lines into HTML and include snippets, before Markdown parsing.
pub(super) fn prepare(
    body: &str,
    file: &SourceFile,
    ctx: &MarkdownContext,
    problems: &mut Vec<Diagnostic>,
) -> Prepared {
    let span = |start: usize, len: usize| {
        let s = file.body_start + start;
        SourceSpan::new(file.path.clone(), file.text.clone(), s..s + len)
    };
    let mut boxes = Boxes {
        ctx,
        text: String::with_capacity(body.len() + 256),
        map: Vec::new(),
        open: Vec::new(),
    };
    let mut fence = Fence::default();
    for line in expand_includes(body, ctx, &span, problems) {
        if fence.in_code(line.text) || is_indented_code(line.text) {
            // Code: copied as written.
        } else if let Some((kind, title)) = callout_open(line.text) {
            if let Some(d) = boxes.open_box(kind, title, &line) {
                problems.push(d.at(span(line.offset, line.text.trim_end().len())));
            }
            continue;
        } else if is_callout_close(line.text) {
            if boxes.close_box(&line) {
                continue;
            }
            problems.push(
                Diagnostic::error(Code::Callout, "this `:::` closes no callout box")
                    .at(span(line.offset, 3))
                    .hint("remove this line, or open a box above it with `::: care` (or another kind)"),
            );
        }
        boxes.copy(line.text, line.offset, line.end);
    }
    for start in boxes.open.iter().copied().flatten() {
        let len = body[start..].find('\n').unwrap_or(body.len() - start);
        problems.push(
            Diagnostic::error(Code::Callout, "this callout box is never closed")
                .at(span(start, len))
                .label("opened here")
                .hint("add a line `:::` after the last line of the box"),
        );
    }
    let Boxes { mut text, map, .. } = boxes;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Prepared { text, map }
}
