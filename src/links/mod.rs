//! Link checks on the rendered site: every internal link and `#anchor` in every
//! page, including links the templates make; images without alt text; links to
//! another language's page when a page in the reader's language exists; and, on
//! request, external links.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, SourceSpan, closest};
use crate::output::OutputFile;

mod external;
mod scan;
mod template;

use external::check_external;
pub use scan::{Collector, Handlers, Parsed};
/// A link to an id its target page does not have: named by the target's key and
/// language when it is a page of the toolkit, with the closest id the page has.
fn missing_anchor(
    href: &str,
    fragment: &str,
    target: Option<&PageInfo>,
    target_page: &Parsed,
) -> Diagnostic {
    let Some((key, lang)) = target.and_then(|t| t.key.map(|k| (k, t.lang))) else {
        return Diagnostic::error(
            Code::BrokenAnchor,
            format!("the link `{href}` leads to a page with no anchor `#{fragment}`"),
        )
        .hint("give the heading a fixed anchor with `{#…}`, the same in every language");
    };
    let d = Diagnostic::error(
        Code::BrokenAnchor,
        format!("the page `{key}` has no anchor `#{fragment}` in `{lang}`"),
    )
    .label("this anchor does not exist");
    match closest(fragment, target_page.ids.iter().map(String::as_str)) {
        Some(k) => d.hint(format!("did you mean `#{k}`?")),
        None => d.hint(format!(
            "add `{{#{fragment}}}` after the heading in the `{lang}` page, or link to the page without the anchor"
        )),
    }
}

#[cfg(test)]
use scan::unescape;
use scan::{decode, parse};
use template::TemplateFinder;
#[cfg(test)]
use template::link_in_template;

/// The problems found on one page (not yet placed in their source files) and its
/// external links.
pub type Findings = (
    Vec<(Diagnostic, String)>,
    Vec<(String, String, Option<SourceSpan>)>,
);

/// What the checker knows of a rendered page (borrowed from the plan).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInfo<'a> {
    /// Language of the page's URL.
    pub lang: &'a str,
    /// Translation key, for pages made from content.
    pub key: Option<&'a str>,
    /// Links written in the Markdown, as rendered, with their place in the source.
    pub source_links: &'a [(String, SourceSpan)],
}

/// The site file a URL path leads to, if any: `/kit/fr/a/` → `fr/a/index.html`.
fn target_file(path: &str, base_path: &str, files: &HashSet<&str>) -> Option<String> {
    let rel = decode(path.strip_prefix(base_path)?);
    let candidate = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if files.contains(candidate.as_str()) {
        return Some(candidate);
    }
    let folder = format!("{rel}/index.html");
    files.contains(folder.as_str()).then_some(folder)
}

/// Resolve `href` found on the page at `page_url` into (path, fragment), or `None`
/// for links that leave the site.
fn resolve(href: &str, page_url: &str, origin: Option<&str>) -> Option<(String, String)> {
    let href = href.trim();
    if href.is_empty() {
        return Some((page_url.to_string(), String::new()));
    }
    let href = match origin {
        Some(o) if href.starts_with(o) => &href[o.len()..],
        _ => href,
    };
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("//")
        || lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("javascript:")
        || lower.starts_with("data:")
    {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or("");
    let joined = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map(|i| i + 1).unwrap_or(0)];
        format!("{dir}{path}")
    };
    // Normalize `.` and `..`.
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut normalized = parts.join("/");
    if !normalized.starts_with('/') {
        normalized.insert(0, '/');
    }
    Some((normalized, decode(fragment)))
}

/// What to check.
pub struct LinkCheck<'a> {
    /// Every output file.
    pub files: &'a [OutputFile],
    /// Path part of the base URL.
    pub base_path: &'a str,
    /// Scheme and host of the base URL, when it has them.
    pub origin: Option<String>,
    /// What is known of each page, by output path.
    pub pages: &'a HashMap<String, PageInfo<'a>>,
    /// (lang, key) for each output path of a content page.
    pub keys: &'a HashSet<(&'a str, &'a str)>,
    /// Template folders, the site's first.
    pub template_dirs: Vec<PathBuf>,
    /// The toolkit folder.
    pub root: &'a Path,
    /// Also fetch external links.
    pub external: bool,
    /// Pages parsed by an earlier check, by output path; pages not in `fresh` are
    /// taken from here.
    pub parsed: &'a mut HashMap<String, Arc<Parsed>>,
    /// Output paths rendered by this build (to parse again).
    pub fresh: &'a HashSet<String>,
    /// Pages this build already scanned in another pass (the offline copy's), by
    /// output path: not parsed again.
    pub scanned: &'a HashMap<String, Arc<Parsed>>,
    /// Findings of an earlier check, by output path, reused for pages not rendered
    /// again when no page appeared, disappeared or changed its anchors.
    pub findings: &'a mut HashMap<String, Arc<Findings>>,
}

impl LinkCheck<'_> {
    /// Run the checks.
    pub fn run(&mut self) -> Vec<Diagnostic> {
        let html: Vec<&OutputFile> = self
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .collect();
        let (parsed, targets_unchanged) = self.scan(&html);
        let checked = self.check_all(&parsed, targets_unchanged);
        self.place(checked, &html)
    }

    /// Scan: the ids and links of every page, parsed again only where the page is new
    /// or changed. Also says whether every page kept its ids (then the findings of
    /// unchanged pages still hold).
    fn scan<'f>(&mut self, html: &[&'f OutputFile]) -> (HashMap<&'f str, Arc<Parsed>>, bool) {
        let cached = &*self.parsed;
        let fresh = self.fresh;
        let scanned = self.scanned;
        let parsed: HashMap<&str, Arc<Parsed>> = html
            .par_iter()
            .map(|f| {
                let p = match (scanned.get(&f.path), cached.get(&f.path)) {
                    (Some(p), _) => p.clone(),
                    (None, Some(p)) if !fresh.contains(&f.path) => p.clone(),
                    _ => Arc::new(parse(&f.bytes)),
                };
                (f.path.as_str(), p)
            })
            .collect();
        let targets_unchanged = !cached.is_empty()
            && cached.len() == parsed.len()
            && parsed.iter().all(|(path, p)| match cached.get(*path) {
                Some(old) => !fresh.contains(*path) || old.ids == p.ids,
                None => false,
            });
        *self.parsed = parsed
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        (parsed, targets_unchanged)
    }

    /// The URL of the page written at `path`.
    fn url_of(&self, path: &str) -> String {
        let p = path.strip_suffix("index.html").unwrap_or(path);
        format!("{}{p}", self.base_path)
    }

    /// Check: each page on its own, in parallel, in path order; an unchanged page
    /// keeps its earlier findings when no page changed its ids.
    fn check_all<'p>(
        &mut self,
        parsed: &'p HashMap<&str, Arc<Parsed>>,
        targets_unchanged: bool,
    ) -> Vec<(&'p str, Arc<Findings>)> {
        let file_set: HashSet<&str> = self.files.iter().map(|f| f.path.as_str()).collect();
        let mut paths: Vec<&str> = parsed.keys().copied().collect();
        paths.sort_unstable();
        let this = &*self;
        let checked: Vec<(&str, Arc<Findings>)> = paths
            .par_iter()
            .map(|path| {
                if targets_unchanged
                    && !this.fresh.contains(*path)
                    && let Some(f) = this.findings.get(*path)
                {
                    return (*path, f.clone());
                }
                let found = this.check_page(path, &parsed[*path], parsed, &file_set);
                (*path, Arc::new(found))
            })
            .collect();
        *self.findings = checked
            .iter()
            .map(|(p, f)| (p.to_string(), f.clone()))
            .collect();
        checked
    }

    /// The problems of one page: images without alt text, links to no page or
    /// file, to a missing anchor, or to another language's page; and its external
    /// links, to fetch later.
    fn check_page(
        &self,
        path: &str,
        page: &Parsed,
        parsed: &HashMap<&str, Arc<Parsed>>,
        file_set: &HashSet<&str>,
    ) -> Findings {
        let empty = PageInfo::default();
        let info = self.pages.get(path).unwrap_or(&empty);
        let page_url = self.url_of(path);
        let mut findings: Vec<(Diagnostic, String)> = Vec::new();
        let mut externals: Vec<(String, String, Option<SourceSpan>)> = Vec::new();
        for img in &page.images_without_alt {
            findings.push((
                Diagnostic::error(Code::AltText, format!("the image `{img}` has no alt text"))
                    .hint("add alt=\"…\" describing the image, or alt=\"\" when it only decorates"),
                img.to_string(),
            ));
        }
        for link in &page.links {
            let href = link.attr_value.as_str();
            let Some((target, fragment)) = resolve(href, &page_url, self.origin.as_deref()) else {
                if self.external && (href.starts_with("http://") || href.starts_with("https://")) {
                    let span = info
                        .source_links
                        .iter()
                        .find(|(h, _)| h == href)
                        .map(|(_, s)| s.clone());
                    externals.push((href.to_string(), page_url.clone(), span));
                }
                continue;
            };
            let Some(file) = target_file(&target, self.base_path, file_set) else {
                findings.push((
                    Diagnostic::error(Code::BrokenLink, format!("the link `{href}` leads to no page or file of the site"))
                        .hint("check the address; link to pages of the toolkit with `@/path.md` in Markdown"),
                    href.to_string(),
                ));
                continue;
            };
            if !fragment.is_empty()
                && let Some(target_page) = parsed.get(file.as_str())
                && !target_page.ids.contains(&fragment)
            {
                findings.push((
                    missing_anchor(href, &fragment, self.pages.get(&file), target_page),
                    href.to_string(),
                ));
            }
            // A link to another language's page while the reader's language has it.
            if link.anchor
                && !link.hreflang
                && !info.lang.is_empty()
                && let Some(target_info) = self.pages.get(&file)
                && target_info.lang != info.lang
                && let Some(key) = target_info.key
                && self.keys.contains(&(info.lang, key))
            {
                findings.push((
                    Diagnostic::warning(
                        Code::OtherLanguageLink,
                        format!("the link `{href}` leads to the `{}` version of a page that exists in `{}`", target_info.lang, info.lang),
                    )
                    .hint("link with `@/path.md`: the build chooses the page in the reader's language"),
                    href.to_string(),
                ));
            }
        }
        (findings, externals)
    }

    /// Place: each problem at the Markdown that wrote the link, or else at the
    /// template line that made it (reported once for all the pages it breaks); then
    /// the external links, fetched on request.
    fn place(&self, checked: Vec<(&str, Arc<Findings>)>, html: &[&OutputFile]) -> Vec<Diagnostic> {
        let by_path: HashMap<&str, &OutputFile> =
            html.iter().map(|f| (f.path.as_str(), *f)).collect();
        let mut finder = TemplateFinder {
            dirs: self.template_dirs.clone(),
            root: self.root.to_path_buf(),
            cache: HashMap::new(),
        };
        let mut problems = Vec::new();
        // Template-made problems, reported once: (file, place, message) → pages.
        let mut template_problems: BTreeMap<(String, String), (Diagnostic, Vec<String>)> =
            BTreeMap::new();
        let mut external: BTreeMap<String, Vec<(String, Option<SourceSpan>)>> = BTreeMap::new();
        let empty = PageInfo::default();
        for (path, found) in checked {
            let (findings, externals) = (&found.0, &found.1);
            let info = self.pages.get(path).unwrap_or(&empty);
            let page_url = self.url_of(path);
            let template = by_path
                .get(path)
                .and_then(|f| f.template)
                .unwrap_or(crate::theme::BASE);
            for (d, href) in findings {
                let d = d.clone();
                if let Some((_, span)) = info
                    .source_links
                    .iter()
                    .find(|(h, _)| h == href || decode(h) == decode(href))
                {
                    problems.push(d.at(span.clone()));
                    continue;
                }
                let (span, file) = finder.locate(template, href);
                let place = match &span {
                    Some(s) => format!("{:?}", s.line_col()),
                    None => String::new(),
                };
                let id = (
                    crate::diagnostics::display_path(
                        span.as_ref().map(|s| s.path.as_path()).unwrap_or(&file),
                    ),
                    format!("{place}|{}", d.message),
                );
                let d = match span {
                    Some(s) => d.at(s),
                    None => d.in_file(file),
                };
                template_problems
                    .entry(id)
                    .or_insert_with(|| (d, Vec::new()))
                    .1
                    .push(page_url.clone());
            }
            for (href, page, span) in externals {
                external
                    .entry(href.clone())
                    .or_default()
                    .push((page.clone(), span.clone()));
            }
        }
        for (_, (mut d, pages)) in template_problems {
            let example = pages.first().cloned().unwrap_or_default();
            d.message = if pages.len() > 1 {
                format!(
                    "{} (made by a template, on {} pages such as {example})",
                    d.message,
                    pages.len()
                )
            } else {
                format!("{} (made by a template, on {example})", d.message)
            };
            problems.push(d);
        }
        if self.external {
            problems.extend(check_external(external));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_absolute_links() {
        assert_eq!(
            resolve("../b/#x", "/kit/en/a/", None),
            Some(("/kit/en/b/".into(), "x".into()))
        );
        assert_eq!(
            resolve("#top", "/kit/en/a/", None),
            Some(("/kit/en/a/".into(), "top".into()))
        );
        assert_eq!(
            resolve("https://ex.org/kit/fr/", "/kit/en/", Some("https://ex.org")),
            Some(("/kit/fr/".into(), String::new()))
        );
        assert_eq!(
            resolve("https://other.org/", "/kit/en/", Some("https://ex.org")),
            None
        );
        assert_eq!(resolve("mailto:a@b.c", "/", None), None);
    }

    #[test]
    fn finds_ids_links_and_missing_alt() {
        let p = parse(b"<h2 id=\"a\">A</h2><a href=\"/x/\">x</a><a hreflang=\"fr\" href=\"/fr/\">fr</a><img src=\"i.png\">");
        assert!(p.ids.contains("a"));
        assert_eq!(p.links.len(), 3);
        assert!(p.links[1].hreflang);
        assert_eq!(p.images_without_alt, vec!["i.png".to_string()]);
        assert_eq!(unescape("&#x2f;a&amp;b&#47;&unknown;"), "/a&b/&unknown;");
    }

    /// The offline copy's pass reads a page as the link check's own parse does,
    /// the parts the copy leaves out and the addresses it rewrites included.
    #[test]
    fn the_offline_pass_reads_what_a_parse_reads() {
        let page = "<!doctype html><html lang=\"en\"><head><link rel=\"stylesheet\" href=\"/kit/assets/s.css\"></head><body>\
            <div data-offline=\"omit\" id=\"offer\"><a href=\"/kit/downloads/toolkit-offline.zip\" id=\"zip\">Zip</a><img src=\"/kit/i.png\"></div>\
            <main id=\"main\"><h2 id=\"a&amp;b\">A</h2><a href=\"/kit/en/x/#a\" hreflang=\"en\">x</a><a href=\"https://ex.org/\">out</a>\
            <script src=\"/kit/s.js\"></script><iframe src=\"/kit/f/\"></iframe></main></body></html>";
        let files = vec![OutputFile::new("en/index.html", page.as_bytes().to_vec())];
        let base = crate::routes::BaseUrl::parse("https://ex.org/kit/");
        let (copy, scanned) = crate::offline::copy_and_scan(&files, &base).unwrap();
        assert!(
            !String::from_utf8_lossy(&copy[0].bytes).contains("/kit/en/x/"),
            "rewritten"
        );
        let read = &scanned["en/index.html"];
        assert_eq!(**read, parse(page.as_bytes()));
        assert!(read.ids.contains("zip") && read.ids.contains("a&b"));
        assert_eq!(read.links.len(), 7);
    }

    #[test]
    fn template_links_are_found_in_link_attributes_only() {
        let text = "<p>Ask about agency-contact details.</p>\n<a href=\"{{ base }}agency-contact/\">Contact</a>\n<a href=\"#agenda\">x</a>";
        let r = link_in_template(text, "agency-contact", "").unwrap();
        assert_eq!(&text[r.clone()], "agency-contact");
        assert!(
            r.start > text.find('\n').unwrap(),
            "the href, not the paragraph"
        );
        let r = link_in_template(text, "", "agenda").unwrap();
        assert_eq!(&text[r.start - 1..r.end], "#agenda");
        // A segment that is only part of a longer one is not the link.
        assert!(link_in_template("<a href=\"/x/contact-us/\">", "contact", "").is_none());
    }
}
