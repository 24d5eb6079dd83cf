//! Checks across pages: numbering of sessions and modules, references to topics and
//! sources, handouts named by sessions, and addresses taken twice.

use std::collections::{BTreeMap, HashMap};

use crate::content::{Page, PageKind};
use crate::data::SiteData;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};

/// Session and module numbers are unique and have no gaps, per section and language.
pub fn numbering(pages: &[std::sync::Arc<Page>], diags: &mut Diagnostics) {
    type Group<'a> = Vec<(u32, &'a Page)>;
    let mut groups: BTreeMap<(&str, &str, &str), Group> = BTreeMap::new();
    for p in pages {
        let (what, n) = match &p.kind {
            PageKind::Session(s) => ("session", s.session),
            PageKind::Module(m) => ("module", m.module),
            _ => continue,
        };
        groups
            .entry((p.lang.as_str(), p.section.as_str(), what))
            .or_default()
            .push((n, p));
    }
    for ((_, section, what), mut items) in groups {
        items.sort_by_key(|(n, p)| (*n, p.file.path.clone()));
        let mut seen: HashMap<u32, &Page> = HashMap::new();
        for (n, p) in &items {
            if *n == 0 {
                continue;
            }
            if let Some(first) = seen.get(n) {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateNumber,
                        format!("{what} number {n} is used twice in `{section}`"),
                    )
                    .at(p
                        .key_spans
                        .get(what)
                        .cloned()
                        .unwrap_or_else(|| p.file.yaml().span_start()))
                    .label(format!(
                        "also used by {}",
                        crate::diagnostics::display_path(&first.file.path)
                    ))
                    .hint(format!("give each {what} its own number")),
                );
            } else {
                seen.insert(*n, p);
            }
        }
        let max = items.iter().map(|(n, _)| *n).max().unwrap_or(0);
        // Walk the gaps between the numbers used, without counting up to the largest
        // one (a typo can make it huge).
        let mut used: Vec<u32> = seen.keys().copied().collect();
        used.sort_unstable();
        let mut missing: Vec<String> = Vec::new();
        let mut missing_count: u64 = 0;
        let mut expected: u64 = 1;
        for n in used {
            let n = u64::from(n);
            if n > expected {
                missing_count += n - expected;
                for m in expected..n.min(expected + 10) {
                    if missing.len() < 10 {
                        missing.push(m.to_string());
                    }
                }
            }
            expected = n + 1;
        }
        if missing_count > missing.len() as u64 {
            missing.push(format!("and {} more", missing_count - missing.len() as u64));
        }
        if !missing.is_empty() {
            let last = items.last().map(|(_, p)| *p);
            let mut d = Diagnostic::error(
                Code::MissingNumber,
                format!("`{section}` has no {what} numbered {}", missing.join(", ")),
            )
            .hint(format!(
                "number the {what}s 1 to {max} without gaps, or add the missing {what}"
            ));
            if let Some(p) = last {
                d = d.at(p
                    .key_spans
                    .get(what)
                    .cloned()
                    .unwrap_or_else(|| p.file.yaml().span_start()));
            }
            diags.push(d);
        }
    }
}

/// No two pages of a language share a translation key (a `translation_key` or a
/// file `a.md` beside a folder `a/_index.md` would otherwise hide one of them).
pub fn unique_keys(pages: &[std::sync::Arc<Page>], diags: &mut Diagnostics) {
    let mut seen: HashMap<(&str, &str), &Page> = HashMap::new();
    for p in pages {
        if let Some(first) = seen.get(&(p.lang.as_str(), p.key.as_str())) {
            let key = if p.key.is_empty() {
                "(home)"
            } else {
                p.key.as_str()
            };
            diags.push(
                Diagnostic::error(
                    Code::DuplicateKey,
                    format!("two `{}` pages have the translation key `{key}`", p.lang),
                )
                .at(p
                    .key_spans
                    .get("translation_key")
                    .cloned()
                    .unwrap_or_else(|| p.file.yaml().span_start()))
                .label(format!(
                    "{} has the same key",
                    crate::diagnostics::display_path(&first.file.path)
                ))
                .hint("give one of them another `translation_key`, or rename the file"),
            );
        } else {
            seen.insert((p.lang.as_str(), p.key.as_str()), p);
        }
    }
}

/// Topics, principles and sources cited by pages exist.
pub fn references(pages: &[std::sync::Arc<Page>], data: &SiteData, diags: &mut Diagnostics) {
    for p in pages {
        let at = |key: &str| {
            p.key_spans
                .get(key)
                .cloned()
                .unwrap_or_else(|| p.file.yaml().span_start())
        };
        for t in &p.common.topics {
            if !data.topics.contains_key(t) {
                let mut d = Diagnostic::error(
                    Code::UnknownTopic,
                    format!("`{t}` is not a topic of data/topics.yaml"),
                )
                .at(at("topics"));
                d = match closest(t, data.topics.keys().map(String::as_str)) {
                    Some(k) => d.hint(format!(
                        "did you mean `{k}`? (or add `{t}` to data/topics.yaml)"
                    )),
                    None => d.hint(format!(
                        "add `{t}` with its label in each language to data/topics.yaml"
                    )),
                };
                diags.push(d);
            }
        }
        let mut ids: Vec<(&str, &str)> = p
            .common
            .sources
            .iter()
            .map(|s| (s.id(), "sources"))
            .collect();
        if let PageKind::CaseStudy(c) = &p.kind {
            ids.push((c.source.as_str(), "source"));
        }
        for (id, key) in ids {
            if !data.sources.contains_key(id) {
                let mut d = Diagnostic::error(
                    Code::UnknownSource,
                    format!("`{id}` is not a source of data/sources.yaml"),
                )
                .at(at(key));
                d = match closest(id, data.sources.keys().map(String::as_str)) {
                    Some(k) => d.hint(format!("did you mean `{k}`?")),
                    None => d.hint("add the source with its citation to data/sources.yaml"),
                };
                diags.push(d);
            }
        }
    }
}

/// Every handout a session names exists, as a handout, in the session's language.
pub fn handout_references(
    plan: &crate::plan::Plan,
    config: &crate::config::Config,
    diags: &mut Diagnostics,
) {
    use crate::content::handout::key_of;
    use crate::translations::Status;
    let mut available: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for e in &plan.entries {
        if matches!(e.page.kind, PageKind::Handout(_)) {
            available
                .entry(e.lang)
                .or_default()
                .push(crate::content::handout::id_of(&e.page.key).to_string());
        }
    }
    for e in &plan.entries {
        // A fallback page repeats its source page: its problems are reported there.
        if e.status == Status::Missing {
            continue;
        }
        let PageKind::Session(s) = &e.page.kind else {
            continue;
        };
        let code = &config.languages[e.lang].code;
        for id in &s.handouts {
            let found = plan.get(e.lang, &key_of(id));
            if matches!(found.map(|f| &f.page.kind), Some(PageKind::Handout(_))) {
                continue;
            }
            let known = available.get(&e.lang).cloned().unwrap_or_default();
            let mut d = Diagnostic::error(
                Code::Handout,
                format!("there is no handout `{id}` in `{code}`"),
            )
            .at(item_span(e.page, "handouts", id))
            .label(format!("there is no content/{code}/handouts/{id}.md"));
            d = match closest(id, known.iter().map(String::as_str)) {
                Some(k) => d.hint(format!("did you mean `{k}`?")),
                None => d.hint(format!(
                    "write the handout in `content/{code}/handouts/{id}.md`, or name one of the handouts by its file name (without `.md`)"
                )),
            };
            diags.push(d);
        }
    }
}

/// Where `item` is written in the list under front-matter key `key`, or the key itself.
fn item_span(page: &Page, key: &str, item: &str) -> crate::diagnostics::SourceSpan {
    let Some(span) = page.key_spans.get(key).cloned() else {
        return page.file.yaml().span_start();
    };
    let text = span.text.clone();
    let after = span.range.end;
    match text.get(after..).and_then(|rest| rest.find(item)) {
        Some(i) if !item.is_empty() => crate::diagnostics::SourceSpan::new(
            span.path.clone(),
            text,
            after + i..after + i + item.len(),
        ),
        _ => span,
    }
}

/// No two files are written to one address: a page's URL taken by a generated page,
/// a static file or another page's slug.
pub fn unique_output_paths(
    plan: &crate::plan::Plan,
    files: &[crate::output::OutputFile],
    base_path: &str,
    diags: &mut Diagnostics,
) {
    use crate::translations::Status;
    let entry_files: HashMap<String, &Page> = plan
        .entries
        .iter()
        .filter(|e| e.status != Status::Missing)
        .map(|e| (crate::routes::output_path(&e.url, base_path), e.page))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut reported = std::collections::HashSet::new();
    for f in files {
        if !seen.insert(f.path.as_str()) && reported.insert(f.path.as_str()) {
            let mut d = Diagnostic::error(Code::DuplicateUrl, format!("two files would be written to `{}`", f.path))
                .hint("a page's slug, a topic label or a file in static/ takes an address the toolkit already uses: rename one of them");
            d = match entry_files.get(&f.path) {
                Some(p) => d.at(p
                    .key_spans
                    .get("slug")
                    .cloned()
                    .unwrap_or_else(|| p.file.yaml().span_start())),
                None => d,
            };
            diags.push(d);
        }
    }
}
