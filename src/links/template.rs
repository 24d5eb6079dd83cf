//! Where a template writes a link: the template file and line to report a broken
//! link that no Markdown wrote.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::SourceSpan;

/// Where a template makes a link: the template file and the line, when the link's
/// last path segment is written literally in it.
/// Where a template writes the link whose last path segment is `segment` (or whose
/// fragment is `fragment`): inside an `href="…"` or `src="…"` value, as a whole
/// segment, never a word that merely contains it elsewhere in the template.
pub(super) fn link_in_template(
    text: &str,
    segment: &str,
    fragment: &str,
) -> Option<std::ops::Range<usize>> {
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

pub(super) struct TemplateFinder {
    pub(super) dirs: Vec<PathBuf>,
    pub(super) root: PathBuf,
    pub(super) cache: HashMap<String, Option<(PathBuf, Arc<str>)>>,
}

impl TemplateFinder {
    pub(super) fn file(&mut self, name: &str) -> Option<(PathBuf, Arc<str>)> {
        if let Some(f) = self.cache.get(name) {
            return f.clone();
        }
        let found = crate::render::templates::candidates(&self.dirs, name).find_map(|p| {
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

    pub(super) fn locate(&mut self, template: &str, href: &str) -> (Option<SourceSpan>, PathBuf) {
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
        for name in [
            template,
            crate::theme::ARTICLE,
            crate::theme::BASE,
            crate::theme::THEME_BASE,
            crate::theme::MACROS,
        ] {
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
