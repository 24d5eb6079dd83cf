//! The content model: pages read from `content/{lang}/`, one typed front matter per
//! page kind, checked on load.

pub mod case_study;
pub mod common;
pub mod handout;
pub mod module;
pub mod section;
pub mod session;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::{Config, SectionKind};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::routes::slugify;
use crate::source::{SourceFile, normalized_key};
use crate::yaml::{KeySpans, YamlSource, parse, parse_mapping, struct_fields};
use case_study::CaseStudyFront;
use common::CommonFront;
use handout::HandoutFront;
use module::ModuleFront;
use section::SectionFront;
use session::SessionFront;

/// The typed front matter of a page, by kind.
#[derive(Debug, Clone)]
pub enum PageKind {
    /// The home page of a language (`_index.md` at the top).
    Home(SectionFront),
    /// A section overview (`_index.md` in a folder).
    Section(SectionKind, SectionFront),
    /// A curriculum session.
    Session(Box<SessionFront>),
    /// A training module.
    Module(Box<ModuleFront>),
    /// A case study.
    CaseStudy(Box<CaseStudyFront>),
    /// A participant handout.
    Handout(HandoutFront),
    /// A guide page.
    Guide,
}

impl PageKind {
    /// Name used in templates and CSS classes.
    pub fn name(&self) -> &'static str {
        match self {
            PageKind::Home(_) => "home",
            PageKind::Section(..) => "section",
            PageKind::Session(_) => "session",
            PageKind::Module(_) => "module",
            PageKind::CaseStudy(_) => "case-study",
            PageKind::Handout(_) => "handout",
            PageKind::Guide => "guide",
        }
    }
}

/// One page as read from a file.
#[derive(Debug, Clone)]
pub struct Page {
    /// The language folder the file is in.
    pub lang: String,
    /// The translation key (the path under the language folder, without `.md`,
    /// `_index` dropped; `""` for the home page).
    pub key: String,
    /// The top-level folder (`""` for the home page).
    pub section: String,
    /// Folders between the language folder and the file.
    pub folders: Vec<String>,
    /// True for `_index.md`.
    pub is_index: bool,
    /// The URL segment of this page (the slug; for an index, the folder's slug).
    pub slug: String,
    /// The file, split.
    pub file: SourceFile,
    /// Keys common to every page.
    pub common: CommonFront,
    /// Typed front matter of its kind.
    pub kind: PageKind,
    /// Where each front-matter key stands.
    pub key_spans: KeySpans,
    /// A hash of the file's text, to notice changes.
    pub hash: u64,
    /// Its version as a translation's `source_hash` names it, once asked for
    /// ([`crate::translations::source_version`]): kept with the page between the
    /// preview's rebuilds.
    pub version: std::sync::OnceLock<String>,
}

impl Page {
    /// The sort order within a section: weight, then number, then title.
    pub fn order(&self) -> (i64, u32, String) {
        let number = match &self.kind {
            PageKind::Session(s) => s.session,
            PageKind::Module(m) => m.module,
            _ => 0,
        };
        let weight = self.common.weight.unwrap_or(number as i64);
        (weight, number, self.common.title.to_lowercase())
    }
}

/// A file found under `content/{lang}/`.
struct Found {
    path: PathBuf,
    display: PathBuf,
    rel: PathBuf,
}

/// Read every page of language `lang` under `content_dir`. Problems go to `diags`;
/// pages that could not be read are left out.
pub fn load_language(
    root: &Path,
    content_dir: &Path,
    lang: &str,
    config: &Config,
    diags: &mut Diagnostics,
) -> Vec<Arc<Page>> {
    load_language_cached(root, content_dir, lang, config, diags, None)
}

/// The result of loading one file: the page and its warnings, or its errors.
pub type Loaded = Result<(Arc<Page>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Pages already read, by file, with the modification time and size they had, so a
/// rebuild reads and parses only the files that changed.
#[derive(Debug, Default, Clone)]
pub struct FileCache {
    files: std::collections::HashMap<PathBuf, (Option<std::time::SystemTime>, u64, Loaded)>,
}

impl FileCache {
    /// Forget every file (after a change of settings that affects parsing).
    pub fn clear(&mut self) {
        self.files.clear();
    }
}

fn stamp_of(path: &Path) -> (Option<std::time::SystemTime>, u64) {
    match std::fs::metadata(path) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    }
}

/// The Markdown files under `dir` (other files reported), in name order; a link is
/// followed only while it stays inside the toolkit.
fn find_pages(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Found> {
    let mut found = Vec::new();
    // Links are followed only while they stay inside the toolkit.
    let skipped = std::cell::RefCell::new(Vec::new());
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let refused = e
                .path_is_symlink()
                .then(|| crate::source::link_not_followed(e.path(), &[root]));
            match refused.flatten() {
                Some(d) => {
                    skipped
                        .borrow_mut()
                        .push(d.in_file(relative(root, e.path())));
                    false
                }
                None => true,
            }
        });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // A link to nothing cannot be walked into: a warning, not an error.
                let refused = e
                    .path()
                    .and_then(|p| Some((p, crate::source::link_not_followed(p, &[root])?)));
                if let Some((path, d)) = refused {
                    skipped.borrow_mut().push(d.in_file(relative(root, path)));
                    continue;
                }
                diags.push(
                    Diagnostic::error(Code::Io, format!("cannot read a folder: {e}"))
                        .in_file(relative(root, e.path().unwrap_or(dir))),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
        let display = relative(root, &path);
        if path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.eq_ignore_ascii_case("md"))
            != Some(true)
        {
            diags.push(
                Diagnostic::warning(
                    Code::NotMarkdown,
                    "this file is not a Markdown page and is not published",
                )
                .in_file(display)
                .hint("put images and downloads in the `static/` folder, and pages in `.md` files"),
            );
            continue;
        }
        found.push(Found { path, display, rel });
    }
    diags.extend(skipped.into_inner());
    found
}

/// [`load_language`] with a cache of files already read.
pub fn load_language_cached(
    root: &Path,
    content_dir: &Path,
    lang: &str,
    config: &Config,
    diags: &mut Diagnostics,
    cache: Option<&mut FileCache>,
) -> Vec<Arc<Page>> {
    let dir = content_dir.join(lang);
    // A language with no folder yet has no pages of its own: every page falls back.
    if lang != config.source_language().code && !dir.exists() {
        return Vec::new();
    }
    let found = find_pages(root, &dir, diags);
    // Each file's page, and for one read now (not from the cache) its time and
    // size as they were before it was read.
    let results: Vec<(Loaded, Option<_>)> = found
        .par_iter()
        .map(|f| {
            let stamp = stamp_of(&f.path);
            if let Some(cache) = cache.as_deref()
                && let Some((mtime, len, loaded)) = cache.files.get(&f.path)
                && mtime.is_some()
                && (*mtime, *len) == stamp
            {
                return (loaded.clone(), None);
            }
            let page = load_page(f, lang, config).map(|(p, warnings)| (Arc::new(p), warnings));
            (page, Some(stamp))
        })
        .collect();
    if let Some(cache) = cache {
        for (f, (r, read_now)) in found.iter().zip(&results) {
            if let Some((mtime, len)) = read_now {
                cache
                    .files
                    .insert(f.path.clone(), (*mtime, *len, r.clone()));
            }
        }
    }
    let results = results.into_iter().map(|(r, _)| r);
    let mut pages = Vec::new();
    for r in results {
        match r {
            Ok((p, warnings)) => {
                pages.push(p);
                diags.extend(warnings);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    pages
}

/// A short hash of a text.
pub fn text_hash(text: &str) -> u64 {
    let h = blake3::hash(text.as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or([0; 8]))
}

/// `path` relative to `root` when it is inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn load_page(
    found: &Found,
    lang: &str,
    config: &Config,
) -> Result<(Page, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file = SourceFile::read(&found.path, found.display.clone()).map_err(|d| vec![d])?;
    let rel_key = normalized_key(&found.rel);
    let stem_key = rel_key
        .strip_suffix(".md")
        .or_else(|| rel_key.strip_suffix(".MD"))
        .unwrap_or(&rel_key);
    let mut parts: Vec<String> = stem_key.split('/').map(str::to_string).collect();
    let file_stem = parts.pop().unwrap_or_default();
    let folders = parts;
    let is_index = file_stem == "_index";
    let section = folders.first().cloned().unwrap_or_default();
    let default_key = if is_index {
        folders.join("/")
    } else if folders.is_empty() {
        file_stem.clone()
    } else {
        format!("{}/{}", folders.join("/"), file_stem)
    };
    let yaml = file.yaml();
    let section_kind = config.section_kind(&section);
    let (kind_known, kind): (&[&str], KindParser) = if is_index && folders.is_empty() {
        (struct_fields::<SectionFront>(), KindParser::Home)
    } else if is_index {
        (
            struct_fields::<SectionFront>(),
            KindParser::Section(section_kind),
        )
    } else if folders.is_empty() {
        (&[], KindParser::Guide)
    } else {
        match section_kind {
            SectionKind::Curriculum => (struct_fields::<SessionFront>(), KindParser::Session),
            SectionKind::Training => (struct_fields::<ModuleFront>(), KindParser::Module),
            SectionKind::CaseStudies => (struct_fields::<CaseStudyFront>(), KindParser::CaseStudy),
            SectionKind::Handouts => (struct_fields::<HandoutFront>(), KindParser::Handout),
            SectionKind::Guides => (&[], KindParser::Guide),
        }
    };
    let mut known: Vec<&str> = struct_fields::<CommonFront>().to_vec();
    known.extend_from_slice(kind_known);
    let (common, spans, mut problems): (Option<CommonFront>, KeySpans, _) =
        parse_mapping(&yaml, &known, "the front matter");
    // A type error in the common keys is already reported; a kind error would repeat it.
    let Some(common) = common else {
        return Err(problems);
    };
    let kind = kind.without_module_number(&yaml, &spans, kind_known, &mut problems);
    let kind = match kind.parse(&yaml, &spans, &mut problems) {
        Some(k) => k,
        None => return Err(problems),
    };
    check_common(&common, &yaml, &spans, lang, config, &mut problems);
    if let Some(s) = &common.slug
        && slugify(s).is_empty()
    {
        problems.push(
            Diagnostic::error(
                Code::Slug,
                format!("the slug `{s}` has no letters or digits"),
            )
            .at(spans
                .get("slug")
                .cloned()
                .unwrap_or_else(|| yaml.span_start()))
            .hint("write the last part of the page's address, e.g. `slug: active-listening`"),
        );
    }
    let slug = match (&common.slug, is_index) {
        (Some(s), _) => slugify(s),
        (None, true) => folders.last().map(|f| slugify(f)).unwrap_or_default(),
        (None, false) => slugify(&file_stem),
    };
    let page = Page {
        lang: lang.to_string(),
        key: common.translation_key.clone().unwrap_or(default_key),
        section,
        folders,
        is_index,
        slug,
        common,
        kind,
        key_spans: spans,
        hash: text_hash(&file.text),
        file,
        version: std::sync::OnceLock::new(),
    };
    Ok((page, problems))
}

enum KindParser {
    Home,
    Section(SectionKind),
    Session,
    Module,
    CaseStudy,
    Handout,
    Guide,
}

fn typed<T: DeserializeOwned>(yaml: &YamlSource, problems: &mut Vec<Diagnostic>) -> Option<T> {
    let source = if yaml.yaml().trim().is_empty() {
        YamlSource::whole(yaml.path.clone(), Arc::from("{}"))
    } else {
        yaml.clone()
    };
    match parse::<T>(&source, "the front matter") {
        Ok(v) => Some(v),
        Err(d) => {
            problems.push(d);
            None
        }
    }
}

impl KindParser {
    /// A page of the training section without a module number is a page of its
    /// own (a checklist, a guide for trainers), which takes no module keys.
    fn without_module_number(
        self,
        yaml: &YamlSource,
        spans: &KeySpans,
        module_keys: &[&str],
        problems: &mut Vec<Diagnostic>,
    ) -> Self {
        if !matches!(self, KindParser::Module) || spans.get("module").is_some() {
            return self;
        }
        for key in spans
            .keys()
            .iter()
            .filter(|k| module_keys.contains(&k.as_str()))
        {
            problems.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("`{key}` is a key of a training module, but this page has no `module:` number"),
                )
                .at(spans.get(key).cloned().unwrap_or_else(|| yaml.span_start()))
                .hint("add `module: N` to make the page a module, or remove the key to keep it a page of the training section"),
            );
        }
        KindParser::Guide
    }

    fn parse(
        self,
        yaml: &YamlSource,
        spans: &KeySpans,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<PageKind> {
        Some(match self {
            KindParser::Home => PageKind::Home(typed(yaml, problems)?),
            KindParser::Section(k) => PageKind::Section(k, typed(yaml, problems)?),
            KindParser::Session => {
                let s: SessionFront = typed(yaml, problems)?;
                problems.extend(s.check(yaml, spans));
                PageKind::Session(Box::new(s))
            }
            KindParser::Module => {
                let m: ModuleFront = typed(yaml, problems)?;
                problems.extend(m.check(yaml, spans));
                PageKind::Module(Box::new(m))
            }
            KindParser::CaseStudy => PageKind::CaseStudy(Box::new(typed(yaml, problems)?)),
            KindParser::Handout => PageKind::Handout(typed(yaml, problems)?),
            KindParser::Guide => PageKind::Guide,
        })
    }
}

fn check_common(
    common: &CommonFront,
    yaml: &YamlSource,
    spans: &KeySpans,
    lang: &str,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) {
    let at = |key: &str| spans.get(key).cloned().unwrap_or_else(|| yaml.span_start());
    if common.title.trim().is_empty() {
        problems.push(
            Diagnostic::error(Code::Title, "the title is empty")
                .at(at("title"))
                .hint("give the page a title: `title: \"Welcome\"`"),
        );
    }
    for p in &common.principles {
        if !common::PRINCIPLES.contains(&p.as_str()) {
            let mut d = Diagnostic::error(
                Code::Principle,
                format!("`{p}` is not a trauma-informed principle the toolkit knows"),
            )
            .at(at("principles"));
            d = match crate::diagnostics::closest(p, common::PRINCIPLES.iter().copied()) {
                Some(k) => d.hint(format!("did you mean `{k}`?")),
                None => d.hint(format!("use one of: {}", common::PRINCIPLES.join(", "))),
            };
            problems.push(d);
        }
    }
    if let Some(date) = &common.updated
        && date.parse::<jiff::civil::Date>().is_err()
    {
        problems.push(
            Diagnostic::error(Code::Date, format!("`{date}` is not a date"))
                .at(at("updated"))
                .hint("write the date as year-month-day: `2026-11-22`"),
        );
    }
    if let Some(date) = &common.verified {
        match date.parse::<jiff::civil::Date>() {
            Err(_) => problems.push(
                Diagnostic::error(Code::Date, format!("`{date}` is not a date"))
                    .at(at("verified"))
                    .hint("write the date the crisis-line facts were checked as year-month-day: `2026-11-22`"),
            ),
            Ok(checked) => {
                let today = common::today();
                let age = checked.until(today).map(|s| s.get_days()).unwrap_or(0);
                if age > common::VERIFIED_MAX_AGE_DAYS {
                    problems.push(
                        Diagnostic::warning(
                            Code::VerifiedOld,
                            format!(
                                "the crisis-line facts on this page were last checked on {date}, more than 12 months ago"
                            ),
                        )
                        .at(at("verified"))
                        .hint("check every phone number, opening hour and language on this page against the services' own information, then set `verified:` to today's date"),
                    );
                }
            }
        }
    }
    let is_source = config.source_language().code == lang;
    if is_source && common.source_hash.is_some() {
        problems.push(
            Diagnostic::warning(
                Code::SourceHash,
                "`source_hash` belongs in translations, not in source-language pages",
            )
            .at(at("source_hash"))
            .hint("remove this line"),
        );
    }
    if !is_source && common.untranslated.is_some() {
        problems.push(
            Diagnostic::warning(
                Code::Untranslated,
                "`untranslated` only has an effect in source-language pages",
            )
            .at(at("untranslated"))
            .hint(format!(
                "set it in the `{}` version of this page",
                config.source_language().code
            )),
        );
    }
}
