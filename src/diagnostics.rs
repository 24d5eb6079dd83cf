//! Typed diagnostics: every problem the build finds, with the file and the span it
//! concerns, a plain-words message and a hint on how to fix it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How serious a diagnostic is. Errors fail the build; warnings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something deserves attention.
    Warning,
}

/// A place in a source file: 1-based line and column, and a byte range into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    /// The file, relative to the toolkit root where possible.
    pub path: PathBuf,
    /// The whole text of the file, shared, for showing the offending line.
    pub text: Arc<str>,
    /// Byte range of the offending text.
    pub range: std::ops::Range<usize>,
}

impl SourceSpan {
    /// A span over `range` of `text`.
    pub fn new(path: impl Into<PathBuf>, text: Arc<str>, range: std::ops::Range<usize>) -> Self {
        let len = text.len();
        let start = floor_char_boundary(&text, range.start.min(len));
        let end = floor_char_boundary(&text, range.end.clamp(start, len));
        Self {
            path: path.into(),
            text,
            range: start..end,
        }
    }

    /// A span at 1-based `line` and `column` (in characters) of `text`.
    pub fn at_line_col(
        path: impl Into<PathBuf>,
        text: Arc<str>,
        line: usize,
        column: usize,
    ) -> Self {
        let start = offset_of(&text, line, column);
        let end = text[start..]
            .find(['\n', '\r'])
            .map(|n| start + n)
            .unwrap_or(text.len());
        Self::new(path, text, start..end.max(start))
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.range.start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|n| n + 1).unwrap_or(0);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset of 1-based `line` and character `column` in `text`, clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match text[offset..].find('\n') {
            Some(n) => offset += n + 1,
            None => return text.len(),
        }
    }
    let rest = &text[offset..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let col = rest[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line_end);
    offset + col
}

/// What kind of problem a diagnostic reports. Its name (`agenda-total`) is printed
/// with the message, so a user can look it up and tests can match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A module whose timed activities do not add up to its `hours`, or that lists none.
    ActivitiesTotal,
    /// A module activity in a week the module is not taught in, or with no week
    /// when the module spans several.
    ActivityWeek,
    /// A session whose agenda lists no block.
    AgendaEmpty,
    /// A session's agenda does not add up to its `duration`.
    AgendaTotal,
    /// An image without alternative text.
    AltText,
    /// A link to an `#anchor` the target page does not have.
    BrokenAnchor,
    /// A link to a page or file that does not exist.
    BrokenLink,
    /// A `:::` box of an unknown kind, never closed, or closing nothing.
    Callout,
    /// `toolkit.yaml` cannot be read or holds a wrong value.
    Config,
    /// The `content/` folder is missing.
    Content,
    /// A stylesheet that cannot be read or parsed.
    Css,
    /// A data entry (source, topic, glossary term) without the text of a language.
    DataLanguage,
    /// A date that is not `YYYY-MM-DD`.
    Date,
    /// Two pages of one language with the same translation key.
    DuplicateKey,
    /// Two sessions or modules with the same number.
    DuplicateNumber,
    /// Two files that would be written to one address.
    DuplicateUrl,
    /// A session or agenda block longer than a day.
    Duration,
    /// A file that is not UTF-8 text.
    Encoding,
    /// A link to another site that does not answer (with `--external`).
    ExternalLink,
    /// A page's front matter is missing or not closed.
    FrontMatter,
    /// A session names a handout that does not exist in its language.
    Handout,
    /// A heading id that is repeated or taken by the template.
    HeadingId,
    /// A `::: include` of a snippet that does not exist.
    Include,
    /// A figure of `data/figures.yaml` that cannot be drawn, or `::: figure` naming
    /// no figure.
    Figure,
    /// A file or folder that cannot be read or written.
    Io,
    /// A folder under `content/` that is not a language of the toolkit.
    LanguageFolder,
    /// A symbolic link that leads outside the toolkit, or to nothing: not followed.
    Link,
    /// A link whose text says nothing of where it leads ("here").
    LinkText,
    /// A gap in the numbers of the sessions or modules.
    MissingNumber,
    /// A module's `hours` is not a positive number.
    ModuleHours,
    /// A module number that is 0.
    ModuleNumber,
    /// A file under `content/` that is not a Markdown page.
    NotMarkdown,
    /// The offline copy of the site or its zip could not be made.
    Offline,
    /// A translation whose source page no longer exists.
    Orphan,
    /// A link to another language's page where the reader's language has one.
    OtherLanguageLink,
    /// An output folder that holds the sources or the toolkit.
    OutputFolder,
    /// An output path that would leave the output folder.
    OutputPath,
    /// A trauma-informed principle the toolkit does not know.
    Principle,
    /// The search index could not be built.
    Search,
    /// A session number that is 0.
    SessionNumber,
    /// A slug with no letters or digits.
    Slug,
    /// A snippet file whose name cannot be included.
    Snippet,
    /// A `source_hash` in a source-language page.
    SourceHash,
    /// A template that cannot be loaded or rendered.
    Template,
    /// A page with an empty title.
    Title,
    /// A UI string missing in a language.
    UiString,
    /// A front-matter or settings key the toolkit does not know.
    UnknownKey,
    /// A citation of a source that is not in `data/sources.yaml`.
    UnknownSource,
    /// A topic that is not in `data/topics.yaml`.
    UnknownTopic,
    /// An `untranslated` policy set in a translation.
    Untranslated,
    /// A page's crisis-line facts were last checked more than 12 months ago.
    VerifiedOld,
    /// YAML that cannot be parsed, or a value of the wrong type.
    Yaml,
}

impl Code {
    /// The name printed with the message: `agenda-total`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ActivitiesTotal => "activities-total",
            Code::ActivityWeek => "activity-week",
            Code::AgendaEmpty => "agenda-empty",
            Code::AgendaTotal => "agenda-total",
            Code::AltText => "alt-text",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenLink => "broken-link",
            Code::Callout => "callout",
            Code::Config => "config",
            Code::Content => "content",
            Code::Css => "css",
            Code::DataLanguage => "data-language",
            Code::Date => "date",
            Code::DuplicateKey => "duplicate-key",
            Code::DuplicateNumber => "duplicate-number",
            Code::DuplicateUrl => "duplicate-url",
            Code::Duration => "duration",
            Code::Encoding => "encoding",
            Code::ExternalLink => "external-link",
            Code::FrontMatter => "front-matter",
            Code::Handout => "handout",
            Code::HeadingId => "heading-id",
            Code::Include => "include",
            Code::Figure => "figure",
            Code::Io => "io",
            Code::Link => "symlink",
            Code::Offline => "offline",
            Code::LanguageFolder => "language-folder",
            Code::LinkText => "link-text",
            Code::MissingNumber => "missing-number",
            Code::ModuleHours => "module-hours",
            Code::ModuleNumber => "module-number",
            Code::NotMarkdown => "not-markdown",
            Code::Orphan => "orphan",
            Code::OtherLanguageLink => "other-language-link",
            Code::OutputFolder => "output-folder",
            Code::OutputPath => "output-path",
            Code::Principle => "principle",
            Code::Search => "search",
            Code::SessionNumber => "session-number",
            Code::Slug => "slug",
            Code::Snippet => "snippet",
            Code::SourceHash => "source-hash",
            Code::Template => "template",
            Code::Title => "title",
            Code::UiString => "ui-string",
            Code::UnknownKey => "unknown-key",
            Code::UnknownSource => "unknown-source",
            Code::UnknownTopic => "unknown-topic",
            Code::Untranslated => "untranslated",
            Code::VerifiedOld => "verified-old",
            Code::Yaml => "yaml",
        }
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found by the build.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable code, such as `agenda-total`, for tests and CI annotations.
    pub code: Code,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where, when the problem sits in a file.
    pub span: Option<SourceSpan>,
    /// The file, when there is no precise span.
    pub file: Option<PathBuf>,
    /// A short label under the offending text.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            file: None,
            label: None,
            hint: None,
        }
    }

    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// Attach the place the problem is at.
    pub fn at(mut self, span: SourceSpan) -> Self {
        self.span = Some(span);
        self
    }

    /// Attach a file without a precise place.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach a label shown under the offending text.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Attach a hint on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The file this diagnostic is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.span
            .as_ref()
            .map(|s| s.path.as_path())
            .or(self.file.as_deref())
    }

    /// `file:line:column`, `file`, or nothing.
    pub fn location(&self) -> Option<String> {
        match (&self.span, &self.file) {
            (Some(span), _) => {
                let (line, col) = span.line_col();
                Some(format!("{}:{line}:{col}", display_path(&span.path)))
            }
            (None, Some(file)) => Some(display_path(file)),
            (None, None) => None,
        }
    }

    fn sort_key(&self) -> (String, usize, usize, Severity) {
        let (line, col) = self.span.as_ref().map(|s| s.line_col()).unwrap_or((0, 0));
        let file = self.path().map(display_path).unwrap_or_default();
        (file, line, col, self.severity)
    }
}

/// A path written with forward slashes, as users see it in every platform's editor.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Every diagnostic of one run, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Add many.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when at least one error was found.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The diagnostics, sorted by file and position so reports are stable.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by_key(|d| d.sort_key());
        items
    }

    /// All diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people: `file:line:column`, the offending line, and a hint.
    #[default]
    Human,
    /// GitHub Actions workflow commands, so CI annotates the offending lines.
    Github,
}

/// Render every diagnostic in `format`.
pub fn render(diagnostics: &Diagnostics, format: Format, color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics.sorted() {
        match format {
            Format::Human => out.push_str(&render_human(d, color)),
            Format::Github => out.push_str(&render_github(d)),
        }
        out.push('\n');
    }
    out
}

/// One diagnostic for people, with the offending line when there is a span.
pub fn render_human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut title = d.message.clone();
    if d.span.is_none()
        && let Some(file) = &d.file
    {
        title = format!("{}: {title}", display_path(file));
    }
    let mut groups = Vec::new();
    let mut group = Group::with_title(level.primary_title(title.as_str()).id(d.code.as_str()));
    if let Some(span) = &d.span {
        let path = display_path(&span.path);
        let mut annotation = AnnotationKind::Primary.span(span.range.clone());
        if let Some(label) = &d.label {
            annotation = annotation.label(label.as_str());
        }
        group = group.element(
            Snippet::source(&*span.text)
                .path(path)
                .fold(true)
                .annotation(annotation),
        );
    }
    groups.push(group);
    if let Some(hint) = &d.hint {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(hint.as_str()),
        ));
    }
    renderer.render(&groups)
}

/// One diagnostic as a GitHub Actions workflow command.
pub fn render_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(path) = d.path() {
        props.push(format!("file={}", escape_property(&display_path(path))));
    }
    if let Some(span) = &d.span {
        let (line, col) = span.line_col();
        props.push(format!("line={line}"));
        props.push(format!("col={col}"));
    }
    props.push(format!("title={}", escape_property(d.code.as_str())));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        let _ = write!(message, "\nhint: {hint}");
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text: Arc<str> = Arc::from("a: 1\ntitré: é x\n");
        let span = SourceSpan::at_line_col("f.md", text, 2, 10);
        assert_eq!(span.line_col(), (2, 10));
        assert_eq!(&span.text[span.range.clone()], "x");
    }

    #[test]
    fn closest_suggests_typos_only() {
        let known = ["title", "description", "weight"];
        assert_eq!(closest("titel", known), Some("title"));
        assert_eq!(closest("colour", known), None);
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::error(Code::Io, "a: b\nc").in_file("dir/a,b.md");
        assert_eq!(
            render_github(&d),
            "::error file=dir/a%2Cb.md,title=io::a: b%0Ac"
        );
    }
}
