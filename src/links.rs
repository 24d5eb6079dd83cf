//! Link checks on the rendered site: every internal link and `#anchor` in every
//! page, including links the templates make; images without alt text; links to
//! another language's page when a page in the reader's language exists; and, on
//! request, external links.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, SourceSpan};
use crate::output::OutputFile;

/// The problems found on one page (not yet placed in their source files) and its
/// external links.
pub type Findings = (
    Vec<(Diagnostic, String)>,
    Vec<(String, String, Option<SourceSpan>)>,
);

/// What the checker knows of a rendered page.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Language of the page's URL.
    pub lang: String,
    /// Translation key, for pages made from content.
    pub key: Option<String>,
    /// Links written in the Markdown, as rendered, with their place in the source.
    pub source_links: Vec<(String, SourceSpan)>,
}

/// One link found in a page.
#[derive(Debug, Clone)]
struct Found {
    /// True for `<a>` links (not `<link>` metadata or embedded resources).
    anchor: bool,
    attr_value: String,
    hreflang: bool,
}

/// The ids and links of one page.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    ids: HashSet<String>,
    links: Vec<Found>,
    images_without_alt: Vec<String>,
}

fn parse(html: &[u8]) -> Parsed {
    let mut ids = HashSet::new();
    let links = std::cell::RefCell::new(Vec::new());
    let mut images = Vec::new();
    {
        let settings = Settings::new()
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.insert(unescape(&id));
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href], link[href], area[href]", |el| {
                if let Some(v) = el.get_attribute("href").map(|v| unescape(&v)) {
                    links.borrow_mut().push(Found {
                        anchor: el.tag_name() == "a",
                        attr_value: v,
                        hreflang: el.has_attribute("hreflang"),
                    });
                }
                Ok(())
            }))
            .append_element_content_handler(element!(
                "img, script[src], source[src], iframe[src]",
                |el| {
                    if let Some(v) = el.get_attribute("src").map(|v| unescape(&v)) {
                        if el.tag_name() == "img" && !el.has_attribute("alt") {
                            images.push(v.clone());
                        }
                        links.borrow_mut().push(Found {
                            anchor: false,
                            attr_value: v,
                            hreflang: false,
                        });
                    }
                    Ok(())
                }
            ));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // The pages are our own output: a parse error only stops the scan of that page.
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    Parsed {
        ids,
        links: links.into_inner(),
        images_without_alt: images,
    }
}

/// Decode the character references an attribute value may hold (`&amp;`, `&#x2f;`…),
/// as a browser does.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode `%xx` in a fragment or path.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
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

/// Where a template makes a link: the template file and the line, when the link's
/// last path segment is written literally in it.
/// Where a template writes the link whose last path segment is `segment` (or whose
/// fragment is `fragment`): inside an `href="…"` or `src="…"` value, as a whole
/// segment, never a word that merely contains it elsewhere in the template.
fn link_in_template(text: &str, segment: &str, fragment: &str) -> Option<std::ops::Range<usize>> {
    let values = || {
        ["href=\"", "src=\""].into_iter().flat_map(move |attr| {
            text.match_indices(attr).filter_map(move |(i, _)| {
                let start = i + attr.len();
                let len = text[start..].find('"')?;
                Some((start, &text[start..start + len]))
            })
        })
    };
    let bounded = |value: &str, at: usize, len: usize| {
        let before = value[..at].chars().next_back();
        let after = value[at + len..].chars().next();
        matches!(before, None | Some('/' | '}' | '#'))
            && matches!(after, None | Some('/' | '#' | '{' | '?'))
    };
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    for n in [segment, fragment] {
        if n.len() < 2 {
            continue;
        }
        for (start, value) in values() {
            if let Some(at) = value
                .match_indices(n)
                .map(|(at, _)| at)
                .find(|at| bounded(value, *at, n.len()))
            {
                found.push(start + at..start + at + n.len());
            }
        }
        if let Some(first) = found.iter().min_by_key(|r| r.start) {
            return Some(first.clone());
        }
    }
    None
}

struct TemplateFinder {
    dirs: Vec<PathBuf>,
    root: PathBuf,
    cache: HashMap<String, Option<(PathBuf, Arc<str>)>>,
}

impl TemplateFinder {
    fn file(&mut self, name: &str) -> Option<(PathBuf, Arc<str>)> {
        if let Some(f) = self.cache.get(name) {
            return f.clone();
        }
        let found = self.dirs.iter().find_map(|d| {
            let p = d.join(name);
            std::fs::read_to_string(&p).ok().map(|t| {
                (
                    crate::content::relative(&self.root, &p),
                    Arc::from(t.as_str()),
                )
            })
        });
        self.cache.insert(name.to_string(), found.clone());
        found
    }

    fn locate(&mut self, template: &str, href: &str) -> (Option<SourceSpan>, PathBuf) {
        let needle = href
            .split('#')
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        let fragment = href
            .split_once('#')
            .map(|(_, f)| f.to_string())
            .unwrap_or_default();
        let mut first = None;
        for name in [template, crate::theme::BASE, crate::theme::MACROS] {
            let Some((path, text)) = self.file(name) else {
                continue;
            };
            if first.is_none() {
                first = Some(path.clone());
            }
            if let Some(range) = link_in_template(&text, &needle, &fragment) {
                return (
                    Some(SourceSpan::new(path, text.clone(), range)),
                    PathBuf::new(),
                );
            }
        }
        (None, first.unwrap_or_else(|| PathBuf::from(template)))
    }
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
    pub pages: &'a HashMap<String, PageInfo>,
    /// (lang, key) for each output path of a content page.
    pub keys: &'a HashSet<(String, String)>,
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
        let parsed: HashMap<&str, Arc<Parsed>> = html
            .par_iter()
            .map(|f| {
                let p = match cached.get(&f.path) {
                    Some(p) if !fresh.contains(&f.path) => p.clone(),
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
                    Diagnostic::error(
                        Code::BrokenAnchor,
                        format!("the link `{href}` leads to a page with no anchor `#{fragment}`"),
                    )
                    .hint(
                        "give the heading a fixed anchor with `{#…}`, the same in every language",
                    ),
                    href.to_string(),
                ));
            }
            // A link to another language's page while the reader's language has it.
            if link.anchor
                && !link.hreflang
                && !info.lang.is_empty()
                && let Some(target_info) = self.pages.get(&file)
                && target_info.lang != info.lang
                && let Some(key) = &target_info.key
                && self.keys.contains(&(info.lang.clone(), key.clone()))
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

/// Fetch each external address once, with a timeout; report those that fail.
fn check_external(links: BTreeMap<String, Vec<(String, Option<SourceSpan>)>>) -> Vec<Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let results: Vec<(String, Option<String>)> = links
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|url| {
            let outcome = match agent.head(&url).call() {
                Ok(r) if r.status().as_u16() < 400 => None,
                Ok(r) if r.status().as_u16() == 405 => match agent.get(&url).call() {
                    Ok(r) if r.status().as_u16() < 400 => None,
                    Ok(r) => Some(format!("it answers {}", r.status())),
                    Err(e) => Some(e.to_string()),
                },
                Ok(r) => Some(format!("it answers {}", r.status())),
                Err(e) => Some(e.to_string()),
            };
            (url, outcome)
        })
        .collect();
    let mut problems = Vec::new();
    for (url, outcome) in results {
        let Some(why) = outcome else { continue };
        for (page, span) in &links[&url] {
            let d = Diagnostic::warning(
                Code::ExternalLink,
                format!("the external link `{url}` does not work: {why}"),
            )
            .hint("check the address, or remove the link if the page is gone");
            problems.push(match span {
                Some(s) => d.at(s.clone()),
                None => d.in_file(page.clone()),
            });
        }
    }
    problems
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
