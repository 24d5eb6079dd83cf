//! What a build keeps for the next one (the live preview), and how it decides what
//! must be read and rendered again. The rule it may not break: a rebuild gives, byte
//! for byte, the files a full build would.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::BuildOptions;
use crate::content::{self, PageKind};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::output::OutputFile;
use crate::plan::Plan;

/// A rendered body with the fingerprint of its inputs and its problems.
type CachedBody = (u64, Arc<markdown::Rendered>, Vec<Diagnostic>);

/// What a build keeps for the next one, so that after an edit only the files that
/// changed are read again and only the pages whose output can change are rendered
/// again. The result is the same as a full build.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Keep what the next build can reuse (false for a one-shot build, to save memory).
    pub(super) keep: bool,
    /// Hash of everything but the content (settings, theme, data, UI strings, options).
    pub(super) inputs: Option<blake3::Hash>,
    pub(super) files: content::FileCache,
    /// (lang, key) → (input fingerprint, rendered body, problems).
    pub(super) markdown: HashMap<(usize, String), CachedBody>,
    /// (lang, key) → what other pages show of this one, its folders, whether an index.
    pub(super) summaries: HashMap<(usize, String), (u64, Vec<String>, bool)>,
    /// (lang, key) → the page's last output.
    pub(super) outputs: HashMap<(usize, String), OutputFile>,
    /// Pages rendered by the last build (for the live preview's report).
    pub last_rendered: usize,
    /// Ids and links of each output page, for the link check.
    pub(super) parsed_html: HashMap<String, Arc<crate::links::Parsed>>,
    /// What the link check found on each page.
    pub(super) link_findings: HashMap<String, Arc<crate::links::Findings>>,
    /// The generated pages of the last build.
    pub(super) generated: Option<Vec<OutputFile>>,
    /// The caller knows that only content pages changed since the last build: the
    /// next build need not hash the other inputs again.
    content_only: bool,
}

impl BuildCache {
    /// A cache for a series of builds (the live preview).
    pub fn new() -> Self {
        Self {
            keep: true,
            ..Self::default()
        }
    }
}

/// A hash of every input of a build except the content pages.
pub(super) fn inputs_fingerprint(root: &Path, theme: &Path, opts: &BuildOptions) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(format!("{:?}|{}|{:?}", opts.base_url, opts.drafts, opts.live_reload).as_bytes());
    for p in super::load::input_files(root, theme) {
        h.update(p.to_string_lossy().as_bytes());
        if let Ok(bytes) = std::fs::read(&p) {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
    h.finalize()
}

pub(super) fn hash_of(value: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

/// What other pages show of an entry: title, order, numbers, URL, status, topics…
pub(super) fn summary_fingerprint(e: &crate::plan::Entry) -> u64 {
    let p = e.page;
    let kind = match &p.kind {
        PageKind::Session(s) => format!("s{}|{}|{:?}", s.session, s.duration, s.handouts),
        PageKind::Module(m) => format!("m{}|{}|{:?}", m.module, m.hours, m.minutes_by_week()),
        PageKind::CaseStudy(c) => format!("c{}|{}|{:?}", c.organization, c.population, c.location),
        other => other.name().to_string(),
    };
    hash_of((
        &p.common.title,
        p.common.weight,
        &p.common.menu_title,
        &p.common.description,
        p.order(),
        &p.common.topics,
        &p.common.principles,
        &p.common.updated,
        &e.url,
        e.status,
        &p.lang,
        kind,
    ))
}

impl BuildCache {
    /// Start a build: when anything but the content changed (settings, theme, data,
    /// UI strings, options), forget everything.
    pub(super) fn start(&mut self, root: &Path, theme: &Path, opts: &BuildOptions) {
        if std::mem::take(&mut self.content_only) && self.inputs.is_some() {
            return;
        }
        let inputs = inputs_fingerprint(root, theme, opts);
        if self.inputs != Some(inputs) {
            *self = BuildCache {
                keep: self.keep,
                inputs: Some(inputs),
                ..BuildCache::default()
            };
        }
    }

    /// Only files under `content/` changed since the last build (the live preview
    /// knows it from the file events): the next build skips hashing the settings,
    /// theme, data and static files.
    pub fn only_content_changed(&mut self) {
        self.content_only = true;
    }

    /// The pages already read, by file.
    pub(super) fn files(&mut self) -> &mut content::FileCache {
        &mut self.files
    }

    /// The body rendered last time for `(lang, key)`, if its inputs are the same.
    pub(super) fn body(&self, lang: usize, key: &str, fingerprint: u64) -> Option<CachedBody> {
        self.markdown
            .get(&(lang, key.to_string()))
            .filter(|(old, _, _)| *old == fingerprint)
            .cloned()
    }

    /// The generated pages of the last build, when nothing they show has changed:
    /// no page's summary, and no session, handout or curriculum overview rendered
    /// again.
    pub(super) fn generated_if_unchanged(
        &self,
        plan: &Plan,
        summaries: &[u64],
        dirty: &[bool],
    ) -> Option<Vec<OutputFile>> {
        let summaries_changed = plan.entries.len() != self.summaries.len()
            || plan.entries.iter().zip(summaries).any(|(e, now)| {
                self.summaries
                    .get(&(e.lang, e.page.key.clone()))
                    .map(|s| s.0)
                    != Some(*now)
            });
        let sessions_changed = plan.entries.iter().zip(dirty).any(|(e, d)| {
            *d && matches!(
                e.page.kind,
                PageKind::Session(_)
                    | PageKind::Handout(_)
                    | PageKind::Section(crate::config::SectionKind::Curriculum, _)
            )
        });
        match &self.generated {
            Some(previous) if !summaries_changed && !sessions_changed => Some(previous.clone()),
            _ => None,
        }
    }

    /// After the render phase: keep each page's output and summary for the next
    /// build, or nothing after a failed one, so that the next one starts afresh.
    pub(super) fn keep_pages(
        &mut self,
        outputs: HashMap<(usize, String), OutputFile>,
        summaries: HashMap<(usize, String), (u64, Vec<String>, bool)>,
        failed: bool,
    ) {
        if failed {
            self.outputs.clear();
            self.summaries.clear();
            self.generated = None;
        } else {
            self.outputs = outputs;
            self.summaries = summaries;
        }
    }
}

/// Which entries must be rendered again: those never rendered, those whose text or
/// body changed, and those that show something of a page whose summary changed (its
/// section index, its siblings, its translations, the pages below an index, and every
/// page of the language when a top-level index changes, as it is in the menu).
/// `summaries` holds [`summary_fingerprint`] of each entry.
pub(super) fn dirty_entries(
    plan: &Plan,
    summaries: &[u64],
    changed: &[bool],
    cache: &BuildCache,
) -> Vec<bool> {
    let mut dirty: Vec<bool> = plan
        .entries
        .iter()
        .zip(changed)
        .map(|(e, c)| *c || !cache.outputs.contains_key(&(e.lang, e.page.key.clone())))
        .collect();
    if cache.outputs.is_empty() {
        return dirty;
    }
    // Pages whose summary changed, appeared or disappeared: (lang, folders, is_index, key).
    let mut moved: Vec<(usize, Vec<String>, bool, String)> = Vec::new();
    // Languages in which a session or a handout changed what the other shows (a
    // session lists its handouts' titles; a handout, the sessions that use it).
    let mut linked: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    for (e, now) in plan.entries.iter().zip(summaries) {
        let id = (e.lang, e.page.key.clone());
        if cache.summaries.get(&id).map(|s| s.0) != Some(*now) {
            if shows_handouts(&e.page.kind) {
                linked.insert(e.lang);
            }
            moved.push((
                e.lang,
                e.page.folders.clone(),
                e.page.is_index,
                e.page.key.clone(),
            ));
        }
        seen.insert(id);
    }
    for ((lang, key), (_, folders, is_index)) in &cache.summaries {
        if !seen.contains(&(*lang, key.clone())) {
            // It may have been a session or a handout.
            linked.insert(*lang);
            moved.push((*lang, folders.clone(), *is_index, key.clone()));
        }
    }
    if moved.is_empty() {
        return dirty;
    }
    for (i, e) in plan.entries.iter().enumerate() {
        if dirty[i] {
            continue;
        }
        let p = e.page;
        if linked.contains(&e.lang) && shows_handouts(&p.kind) {
            dirty[i] = true;
            continue;
        }
        dirty[i] = moved.iter().any(|(lang, folders, is_index, key)| {
            if *key == p.key {
                return true; // a translation: the language switcher and alternates
            }
            if *lang != e.lang {
                return false;
            }
            let parent_of_moved: &[String] = if *is_index {
                &folders[..folders.len().saturating_sub(1)]
            } else {
                folders
            };
            let menu_item = *is_index && folders.len() <= 1;
            menu_item
                || (p.is_index && p.folders.as_slice() == parent_of_moved)
                || (!p.is_index && !*is_index && p.folders == *folders)
                || (*is_index && p.folders.starts_with(folders))
        });
    }
    dirty
}

/// Pages that show something of sessions and handouts both: sessions (their
/// handouts' titles), handouts (the sessions that use them) and the handouts index.
fn shows_handouts(kind: &PageKind) -> bool {
    matches!(
        kind,
        PageKind::Session(_)
            | PageKind::Handout(_)
            | PageKind::Section(crate::config::SectionKind::Handouts, _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostics::Diagnostics;
    use crate::routes::Routes;

    /// A toolkit of one language: a home page, a section with two guides, another
    /// section with one guide.
    fn site(dir: &Path, second_title: &str) -> (Config, Vec<Arc<crate::content::Page>>) {
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "toolkit.yaml",
            "title: {en: T}\nlanguages:\n  - {code: en, name: English, direction: ltr}\n",
        );
        write("content/en/_index.md", "---\ntitle: Home\n---\n");
        write("content/en/a/_index.md", "---\ntitle: A\n---\n");
        write("content/en/a/one.md", "---\ntitle: One\nweight: 1\n---\n");
        write(
            "content/en/a/two.md",
            &format!("---\ntitle: {second_title}\nweight: 2\n---\n"),
        );
        write("content/en/b/_index.md", "---\ntitle: B\n---\n");
        write("content/en/b/three.md", "---\ntitle: Three\n---\n");
        let config = Config::load(&dir.join("toolkit.yaml"), Path::new("toolkit.yaml")).unwrap();
        let mut diags = Diagnostics::new();
        let pages = content::load_language(dir, &dir.join("content"), "en", &config, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        (config, pages)
    }

    /// The cache as a build of `pages` leaves it.
    fn cache_after(plan: &Plan) -> BuildCache {
        let mut cache = BuildCache::new();
        for e in &plan.entries {
            let id = (e.lang, e.page.key.clone());
            cache
                .outputs
                .insert(id.clone(), OutputFile::new(e.url.clone(), Vec::new()));
            cache.summaries.insert(
                id,
                (
                    summary_fingerprint(e),
                    e.page.folders.clone(),
                    e.page.is_index,
                ),
            );
        }
        cache
    }

    fn fingerprints(plan: &Plan) -> Vec<u64> {
        plan.entries.iter().map(summary_fingerprint).collect()
    }

    fn dirty_keys(plan: &Plan, dirty: &[bool]) -> Vec<String> {
        let mut keys: Vec<String> = plan
            .entries
            .iter()
            .zip(dirty)
            .filter(|(_, d)| **d)
            .map(|(e, _)| e.page.key.clone())
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn a_new_title_dirties_its_page_siblings_and_index_only() {
        let dir = tempfile::tempdir().unwrap();
        let (config, before) = site(dir.path(), "Two");
        let routes = Routes::new(&before, "en", &crate::routes::BaseUrl::parse("/"));
        let plan = Plan::new(&before, &config, &routes, &mut Diagnostics::new());
        let cache = cache_after(&plan);
        let nothing = vec![false; plan.entries.len()];
        assert!(
            dirty_keys(
                &plan,
                &dirty_entries(&plan, &fingerprints(&plan), &nothing, &cache)
            )
            .is_empty()
        );

        let (_, after) = site(dir.path(), "Two, renamed");
        let plan = Plan::new(&after, &config, &routes, &mut Diagnostics::new());
        let changed: Vec<bool> = plan.entries.iter().map(|e| e.page.key == "a/two").collect();
        assert_eq!(
            dirty_keys(
                &plan,
                &dirty_entries(&plan, &fingerprints(&plan), &changed, &cache)
            ),
            ["a", "a/one", "a/two"],
            "the section index lists it, its sibling links to it; section b is untouched"
        );
    }

    #[test]
    fn a_page_never_rendered_is_dirty() {
        let dir = tempfile::tempdir().unwrap();
        let (config, pages) = site(dir.path(), "Two");
        let routes = Routes::new(&pages, "en", &crate::routes::BaseUrl::parse("/"));
        let plan = Plan::new(&pages, &config, &routes, &mut Diagnostics::new());
        let mut cache = cache_after(&plan);
        cache.outputs.remove(&(0, "b/three".to_string()));
        let nothing = vec![false; plan.entries.len()];
        assert_eq!(
            dirty_keys(
                &plan,
                &dirty_entries(&plan, &fingerprints(&plan), &nothing, &cache)
            ),
            ["b/three"]
        );
    }

    #[test]
    fn other_inputs_changing_empties_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let (_, _) = site(dir.path(), "Two");
        let opts = BuildOptions::new(dir.path());
        let theme = dir.path().join("theme");
        let mut cache = BuildCache::new();
        cache.start(dir.path(), &theme, &opts);
        cache
            .outputs
            .insert((0, "x".into()), OutputFile::new("x", Vec::new()));
        cache.start(dir.path(), &theme, &opts);
        assert_eq!(cache.outputs.len(), 1, "same inputs: kept");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/topics.yaml"), "x: {en: X}\n").unwrap();
        cache.start(dir.path(), &theme, &opts);
        assert!(cache.outputs.is_empty(), "a data file changed: emptied");
        assert!(cache.keep, "still a cache that keeps");
    }

    #[test]
    fn a_content_only_change_skips_the_inputs_once() {
        let dir = tempfile::tempdir().unwrap();
        let (_, _) = site(dir.path(), "Two");
        let opts = BuildOptions::new(dir.path());
        let theme = dir.path().join("theme");
        let mut cache = BuildCache::new();
        cache.start(dir.path(), &theme, &opts);
        cache
            .outputs
            .insert((0, "x".into()), OutputFile::new("x", Vec::new()));
        std::fs::write(dir.path().join("toolkit.yaml"), "title: {en: U}\n").unwrap();
        cache.only_content_changed();
        cache.start(dir.path(), &theme, &opts);
        assert_eq!(
            cache.outputs.len(),
            1,
            "told only content changed: not hashed"
        );
        cache.start(dir.path(), &theme, &opts);
        assert!(
            cache.outputs.is_empty(),
            "the next build hashes again and sees it"
        );
    }

    #[test]
    fn a_body_is_reused_only_for_the_same_fingerprint() {
        let mut cache = BuildCache::new();
        let body = Arc::new(markdown::Rendered::default());
        cache
            .markdown
            .insert((0, "a".into()), (7, body, Vec::new()));
        assert!(cache.body(0, "a", 7).is_some());
        assert!(cache.body(0, "a", 8).is_none());
        assert!(cache.body(1, "a", 7).is_none());
    }
}
