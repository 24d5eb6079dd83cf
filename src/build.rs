//! The build as explicit phases — load, validate, markdown, render, assets, write —
//! each timed. Nothing is written unless every phase succeeded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checks::{self, AnchorIndex};
use crate::config::Config;
use crate::content::{self, Page, PageKind};
use crate::data::SiteData;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::i18n::UiStrings;
use crate::markdown::{self, MarkdownContext};
use crate::output::{self, OutputFile, WriteReport};
use crate::plan::Plan;
use crate::render::{Renderer, templates};
use crate::routes::Routes;
use crate::translations::Status;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The toolkit folder (holds `toolkit.yaml`).
    pub root: PathBuf,
    /// Output folder; default `root/site`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `toolkit.yaml`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Write the site (false for `check`).
    pub write: bool,
    /// A script to add to every page (live preview only).
    pub live_reload: Option<String>,
    /// Build the search index when the settings ask for it (off in the live preview).
    pub search: bool,
    /// Also check external links (with a timeout).
    pub external: bool,
}

impl BuildOptions {
    /// Options to build `root` into its `site/` folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            write: true,
            live_reload: None,
            search: true,
            external: false,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("site"))
    }
}

/// A page shown in a language from another language's text, or out of date.
#[derive(Debug, Clone)]
pub struct TranslationNote {
    /// Translation key.
    pub key: String,
    /// Reader's language.
    pub lang: String,
    /// Missing, stale or orphan.
    pub status: Status,
}

/// The outcome of a build.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// Pages per language (code, count).
    pub pages: Vec<(String, usize)>,
    /// Time of each phase.
    pub phases: Vec<(&'static str, Duration)>,
    /// What the write phase did (None when nothing was written).
    pub write: Option<WriteReport>,
    /// Pages shown untranslated, stale or orphaned.
    pub translations: Vec<TranslationNote>,
    /// Words per language of the pages in their own language.
    pub words: Vec<(String, usize)>,
    /// Total time.
    pub total: Duration,
    /// The rendered files (kept for the live preview and tests).
    pub files: Vec<OutputFile>,
}

impl BuildReport {
    /// True when the build found no error.
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

struct Phases {
    last: Instant,
    list: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn done(&mut self, name: &'static str) {
        let now = Instant::now();
        self.list.push((name, now - self.last));
        self.last = now;
    }
}

/// Run the whole build.
pub fn build(opts: &BuildOptions) -> BuildReport {
    build_cached(opts, &mut BuildCache::default())
}

/// A rendered body with the fingerprint of its inputs and its problems.
type CachedBody = (u64, Arc<markdown::Rendered>, Vec<Diagnostic>);

/// What a build keeps for the next one, so that after an edit only the files that
/// changed are read again and only the pages whose output can change are rendered
/// again. The result is the same as a full build.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Keep what the next build can reuse (false for a one-shot build, to save memory).
    keep: bool,
    /// Hash of everything but the content (settings, theme, data, UI strings, options).
    inputs: Option<blake3::Hash>,
    files: content::FileCache,
    /// (lang, key) → (input fingerprint, rendered body, problems).
    markdown: HashMap<(usize, String), CachedBody>,
    /// (lang, key) → what other pages show of this one, its folders, whether an index.
    summaries: HashMap<(usize, String), (u64, Vec<String>, bool)>,
    /// (lang, key) → the page's last output.
    outputs: HashMap<(usize, String), OutputFile>,
    /// Pages rendered by the last build (for the live preview's report).
    pub last_rendered: usize,
    /// Ids and links of each output page, for the link check.
    parsed_html: HashMap<String, Arc<crate::links::Parsed>>,
    /// What the link check found on each page.
    link_findings: HashMap<String, Arc<crate::links::Findings>>,
    /// The generated pages of the last build.
    generated: Option<Vec<OutputFile>>,
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
fn inputs_fingerprint(root: &Path, theme: &Path, opts: &BuildOptions) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(format!("{:?}|{}|{:?}", opts.base_url, opts.drafts, opts.live_reload).as_bytes());
    let mut paths = vec![root.join("toolkit.yaml")];
    for dir in [
        theme.to_path_buf(),
        root.join("templates"),
        root.join("i18n"),
        root.join("data"),
        root.join("assets"),
        root.join("static"),
    ] {
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                paths.push(e.path().to_path_buf());
            }
        }
    }
    for p in paths {
        h.update(p.to_string_lossy().as_bytes());
        if let Ok(bytes) = std::fs::read(&p) {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
    h.finalize()
}

fn hash_of(value: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

/// What other pages show of an entry: title, order, numbers, URL, status, topics…
fn summary_fingerprint(e: &crate::plan::Entry) -> u64 {
    let p = e.page;
    let kind = match &p.kind {
        PageKind::Session(s) => format!("s{}|{}|{:?}", s.session, s.duration, s.handouts),
        PageKind::Module(m) => format!("m{}|{}|{:?}", m.module, m.hours, m.weeks),
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

/// Run the build, reusing what `cache` kept from the previous one.
pub fn build_cached(opts: &BuildOptions, cache: &mut BuildCache) -> BuildReport {
    let start = Instant::now();
    let mut phases = Phases {
        last: start,
        list: Vec::new(),
    };
    let mut report = BuildReport::default();
    let diags = &mut report.diagnostics;
    let root = &opts.root;

    // Load.
    let mut config = match Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")) {
        Ok(c) => c,
        Err(ds) => {
            diags.extend(ds);
            report.total = start.elapsed();
            return report;
        }
    };
    if let Some(b) = &opts.base_url {
        config.base_url = b.clone();
    }
    if opts.write
        && let Err(d) = output::check_output_dir(root, &opts.output_dir())
    {
        diags.push(d);
        report.total = start.elapsed();
        return report;
    }
    let theme = config.theme_dir(root);
    let inputs = inputs_fingerprint(root, &theme, opts);
    if cache.inputs != Some(inputs) {
        *cache = BuildCache {
            keep: cache.keep,
            inputs: Some(inputs),
            ..BuildCache::default()
        };
    }
    let ui = Arc::new(UiStrings::load(root, &theme, &config, diags));
    let data = SiteData::load(root, &config, diags);
    let content_dir = root.join("content");
    let mut pages: Vec<Page> = Vec::new();
    for lang in &config.languages {
        pages.extend(content::load_language_cached(
            root,
            &content_dir,
            &lang.code,
            &config,
            diags,
            Some(&mut cache.files),
        ));
    }
    report_unknown_language_folders(&content_dir, &config, diags);
    if !opts.drafts {
        // A draft is left out with its translations.
        let source = config.source_language().code.clone();
        let drafts: std::collections::HashSet<String> = pages
            .iter()
            .filter(|p| p.common.draft && p.lang == source)
            .map(|p| p.key.clone())
            .collect();
        pages.retain(|p| !p.common.draft && !drafts.contains(&p.key));
    }
    phases.done("load");

    // Validate.
    checks::numbering(&pages, diags);
    checks::unique_keys(&pages, diags);
    checks::references(&pages, &data, diags);
    let routes = Routes::new(
        pages.iter(),
        &config.source_language().code,
        &config.base_path(),
    );
    let mut plan = Plan::new(&pages, &config, &routes, diags);
    checks::handout_references(&plan, &config, diags);
    for (key, lang, status, page) in &plan.statuses {
        if matches!(status, Status::Missing | Status::Stale | Status::Orphan) {
            report.translations.push(TranslationNote {
                key: key.clone(),
                lang: lang.clone(),
                status: *status,
            });
            if *status == Status::Orphan {
                diags.push(
                    Diagnostic::warning(
                        Code::Orphan,
                        format!("this `{lang}` page translates a page that no longer exists"),
                    )
                    .at(page.file.yaml().span_start())
                    .hint("remove it, or set `translation_key` to the key of its source page"),
                );
            }
        }
    }
    phases.done("validate");

    // Markdown. A body depends on its text, its language, and the URLs of the pages it
    // may link to: when none changed, the last rendering is reused.
    let keys = plan.keys();
    let url_map = hash_of(
        plan.entries
            .iter()
            .map(|e| (e.lang, &e.page.key, &e.url))
            .collect::<Vec<_>>(),
    );
    let fingerprints: Vec<u64> = plan
        .entries
        .iter()
        .map(|e| {
            hash_of((
                e.page.hash,
                &e.page.lang,
                e.lang,
                e.status == Status::Missing,
                url_map,
            ))
        })
        .collect();
    let rendered: Vec<(Arc<markdown::Rendered>, Vec<Diagnostic>, bool)> = plan
        .entries
        .par_iter()
        .zip(&fingerprints)
        .map(|(e, fp)| {
            if let Some((old, r, problems)) = cache.markdown.get(&(e.lang, e.page.key.clone()))
                && old == fp
            {
                return (r.clone(), problems.clone(), false);
            }
            let resolve = |key: &str| plan.get(e.lang, key).map(|t| t.url.clone());
            let label_lang = e.page.lang.clone();
            let label = |key: &str| ui.text(&label_lang, key);
            let keys_fn = || keys.clone();
            let ctx = MarkdownContext {
                lang: &e.page.lang,
                base_path: routes.base_path(),
                ui: &label,
                resolve: &resolve,
                keys: &keys_fn,
                reserved_ids: crate::theme::anchors(&e.page.kind),
                snippets: data
                    .snippets
                    .get(&e.page.lang)
                    .unwrap_or(&markdown::NO_SNIPPETS),
            };
            let mut problems = Vec::new();
            let r = markdown::render(&e.page.file, &ctx, &mut problems);
            // A page shown as a fallback repeats its source's problems: report them once.
            if e.status == Status::Missing {
                problems.clear();
            }
            (Arc::new(r), problems, true)
        })
        .collect();
    let mut changed: Vec<bool> = Vec::with_capacity(rendered.len());
    let mut markdown_cache = HashMap::with_capacity(rendered.len());
    for ((e, (r, problems, fresh)), fp) in plan.entries.iter_mut().zip(rendered).zip(&fingerprints)
    {
        diags.extend(problems.iter().cloned());
        if cache.keep {
            markdown_cache.insert((e.lang, e.page.key.clone()), (*fp, r.clone(), problems));
        }
        e.rendered = r;
        changed.push(fresh);
    }
    cache.markdown = markdown_cache;
    let mut anchors = AnchorIndex::default();
    for e in &plan.entries {
        let code = &config.languages[e.lang].code;
        anchors.insert(
            code,
            &e.page.key,
            e.rendered.headings.iter().map(|h| h.id.clone()),
        );
        anchors.insert(
            code,
            &e.page.key,
            crate::theme::anchors(&e.page.kind)
                .iter()
                .map(|s| s.to_string()),
        );
    }
    for e in &plan.entries {
        let code = &config.languages[e.lang].code;
        for link in &e.rendered.page_links {
            let Some(anchor) = &link.anchor else { continue };
            if anchors.has(code, &link.key, anchor) == Some(false) {
                let known = anchors.of(code, &link.key);
                let mut d = Diagnostic::error(
                    Code::BrokenAnchor,
                    format!(
                        "the page `{}` has no anchor `#{anchor}` in `{code}`",
                        link.key
                    ),
                )
                .at(link.span.clone())
                .label("this anchor does not exist");
                d = match closest(anchor, known.iter().copied()) {
                    Some(k) => d.hint(format!("did you mean `#{k}`?")),
                    None => d.hint(format!("add `{{#{anchor}}}` after the heading in the `{code}` page, or link to the page without the anchor")),
                };
                diags.push(d);
            }
        }
    }
    phases.done("markdown");

    // Assets (needed by the templates for the stylesheet URL).
    let mut asset_problems = Vec::new();
    let stylesheet = match crate::assets::stylesheet(root, &theme, &config) {
        Ok(s) => Some(s),
        Err(ds) => {
            asset_problems.extend(ds);
            None
        }
    };
    let statics = crate::assets::static_files(root, &theme, &mut asset_problems);
    diags.extend(asset_problems);
    phases.done("assets");

    // Render.
    let stylesheet_url = stylesheet
        .as_ref()
        .map(|s| format!("{}{}", routes.base_path(), s.path))
        .unwrap_or_default();
    let mut dirs = vec![root.join("templates"), theme.join("templates")];
    dirs.dedup();
    let (env, files) = templates::environment(root, dirs, ui.clone());
    let renderer = Renderer {
        env,
        files,
        config: &config,
        ui: ui.clone(),
        data: &data,
        routes: &routes,
        stylesheet: stylesheet_url,
        live_reload: opts.live_reload.clone(),
    };
    let dirty = dirty_entries(&plan, &changed, cache);
    cache.last_rendered = dirty.iter().filter(|d| **d).count();
    let mut fresh: std::collections::HashSet<String> = plan
        .entries
        .iter()
        .zip(&dirty)
        .filter(|(_, d)| **d)
        .map(|(e, _)| crate::routes::output_path(&e.url, routes.base_path()))
        .collect();
    let (pages_out, problems) = renderer.render_entries(&plan, &|i| dirty[i]);
    // Generated pages (lists, glossary, printable curricula) show the summaries of
    // pages and the full text of sessions: when neither changed, the last ones stand.
    let summaries_changed = plan.entries.len() != cache.summaries.len()
        || plan.entries.iter().any(|e| {
            cache
                .summaries
                .get(&(e.lang, e.page.key.clone()))
                .map(|s| s.0)
                != Some(summary_fingerprint(e))
        });
    let sessions_changed = plan.entries.iter().zip(&dirty).any(|(e, d)| {
        *d && matches!(
            e.page.kind,
            PageKind::Session(_)
                | PageKind::Handout(_)
                | PageKind::Section(crate::config::SectionKind::Curriculum, _)
        )
    });
    let (mut out_files, more) = match &cache.generated {
        Some(previous) if !summaries_changed && !sessions_changed => (previous.clone(), Vec::new()),
        _ => {
            let (files, problems) = renderer.render_generated_all(&plan);
            fresh.extend(files.iter().map(|f| f.path.clone()));
            cache.generated = (cache.keep && problems.is_empty()).then(|| files.clone());
            (files, problems)
        }
    };
    // A page that failed to render is missing: checking links to it would only
    // repeat that error on every page that links to it.
    let render_failed = !problems.is_empty() || !more.is_empty();
    diags.extend(problems);
    diags.extend(more);
    let mut outputs = HashMap::with_capacity(plan.entries.len());
    let mut summaries = HashMap::with_capacity(plan.entries.len());
    for (e, out) in plan.entries.iter().zip(pages_out) {
        let id = (e.lang, e.page.key.clone());
        let file = match out {
            Some(f) => Some(f),
            None => cache.outputs.remove(&id),
        };
        if let Some(f) = file {
            if cache.keep {
                outputs.insert(id.clone(), f.clone());
            }
            out_files.push(f);
        }
        summaries.insert(
            id,
            (
                summary_fingerprint(e),
                e.page.folders.clone(),
                e.page.is_index,
            ),
        );
    }
    if diags.has_errors() {
        // Keep nothing from a failed build: the next one starts afresh.
        cache.outputs.clear();
        cache.summaries.clear();
        cache.generated = None;
    } else {
        cache.outputs = outputs;
        cache.summaries = summaries;
    }
    if let Some(s) = &stylesheet {
        out_files.push(OutputFile::new(s.path.clone(), s.css.clone().into_bytes()));
    }
    out_files.extend(statics);
    phases.done("render");

    // Search.
    if opts.search && config.search.enabled && !diags.has_errors() {
        let urls: HashMap<String, &str> = plan
            .entries
            .iter()
            .map(|e| {
                (
                    crate::routes::output_path(&e.url, routes.base_path()),
                    e.url.as_str(),
                )
            })
            .collect();
        let mut pages: Vec<(&OutputFile, String)> = out_files
            .iter()
            .filter_map(|f| urls.get(&f.path).map(|u| (f, u.to_string())))
            .collect();
        // The same pages give the same index, whatever order they were rendered in.
        pages.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        let previous = opts.write.then(|| opts.output_dir());
        match crate::search::index_cached(
            &pages,
            !config.search.index_facilitator_notes,
            previous.as_deref(),
        ) {
            Ok(files) => out_files.extend(files),
            Err(d) => diags.push(d),
        }
        phases.done("search");
    }

    // Two files for one address: a page's URL taken by a generated page, a static file
    // or another page's slug.
    {
        let entry_files: HashMap<String, &Page> = plan
            .entries
            .iter()
            .filter(|e| e.status != Status::Missing)
            .map(|e| {
                (
                    crate::routes::output_path(&e.url, routes.base_path()),
                    e.page,
                )
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut reported = std::collections::HashSet::new();
        for f in &out_files {
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

    // Links: every link and anchor of the rendered pages, template-made ones too.
    if !render_failed {
        let mut pages = HashMap::with_capacity(plan.entries.len());
        let mut keys = std::collections::HashSet::with_capacity(plan.entries.len());
        for e in &plan.entries {
            let code = config.languages[e.lang].code.clone();
            keys.insert((code.clone(), e.page.key.clone()));
            pages.insert(
                crate::routes::output_path(&e.url, routes.base_path()),
                crate::links::PageInfo {
                    lang: code,
                    key: Some(e.page.key.clone()),
                    source_links: e.rendered.links.clone(),
                },
            );
        }
        for f in &out_files {
            if f.path.ends_with(".html") && !pages.contains_key(&f.path) {
                let lang = f
                    .path
                    .split('/')
                    .next()
                    .filter(|l| config.language(l).is_some())
                    .unwrap_or("");
                pages.insert(
                    f.path.clone(),
                    crate::links::PageInfo {
                        lang: lang.to_string(),
                        ..Default::default()
                    },
                );
            }
        }
        let origin = config.base_url.find("://").map(|i| {
            let rest = &config.base_url[i + 3..];
            config.base_url[..i + 3 + rest.find('/').unwrap_or(rest.len())].to_string()
        });
        let mut throwaway = HashMap::new();
        let mut throwaway_findings = HashMap::new();
        let mut check = crate::links::LinkCheck {
            files: &out_files,
            base_path: routes.base_path(),
            origin,
            pages: &pages,
            keys: &keys,
            template_dirs: vec![root.join("templates"), theme.join("templates")],
            root,
            external: opts.external,
            parsed: if cache.keep {
                &mut cache.parsed_html
            } else {
                &mut throwaway
            },
            fresh: &fresh,
            findings: if cache.keep {
                &mut cache.link_findings
            } else {
                &mut throwaway_findings
            },
        };
        let found = check.run();
        // Links written in Markdown were checked when it was rendered: report each once.
        let known: std::collections::HashSet<(String, Option<String>)> = diags
            .iter()
            .map(|d| (d.message.clone(), d.location()))
            .collect();
        let known_places: std::collections::HashSet<(crate::diagnostics::Code, Option<String>)> =
            diags.iter().map(|d| (d.code, d.location())).collect();
        let found: Vec<Diagnostic> = found
            .into_iter()
            .filter(|d| {
                let repeated = known.contains(&(d.message.clone(), d.location()))
                    || (d.span.is_some() && known_places.contains(&(d.code, d.location())));
                !repeated
            })
            .collect();
        diags.extend(found);
        phases.done("links");
    }

    for (li, lang) in config.languages.iter().enumerate() {
        report
            .pages
            .push((lang.code.clone(), plan.in_language(li).count()));
        let words = plan
            .in_language(li)
            .filter(|e| e.status != Status::Missing)
            .map(|e| e.rendered.words)
            .sum();
        report.words.push((lang.code.clone(), words));
    }

    // Write.
    if opts.write && !diags.has_errors() {
        match output::write(&opts.output_dir(), &out_files) {
            Ok(w) => report.write = Some(w),
            Err(d) => diags.push(d),
        }
        phases.done("write");
    }
    report.files = out_files;
    report.phases = phases.list;
    report.total = start.elapsed();
    report
}

/// Which entries must be rendered again: those never rendered, those whose text or
/// body changed, and those that show something of a page whose summary changed (its
/// section index, its siblings, its translations, the pages below an index, and every
/// page of the language when a top-level index changes, as it is in the menu).
fn dirty_entries(plan: &Plan, changed: &[bool], cache: &BuildCache) -> Vec<bool> {
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
    for e in &plan.entries {
        let id = (e.lang, e.page.key.clone());
        let now = summary_fingerprint(e);
        if cache.summaries.get(&id).map(|s| s.0) != Some(now) {
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

fn report_unknown_language_folders(content_dir: &Path, config: &Config, diags: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        diags.push(
            Diagnostic::error(Code::Content, "there is no `content` folder")
                .in_file("content")
                .hint("put the pages in content/<language code>/, e.g. content/en/_index.md"),
        );
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir() && !name.starts_with('.') && config.language(&name).is_none() {
            let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
            let mut d = Diagnostic::warning(
                Code::LanguageFolder,
                format!("content/{name} is not a language of toolkit.yaml and is not published"),
            )
            .in_file(format!("content/{name}"));
            d = match closest(&name, codes.iter().copied()) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(format!(
                    "add `{name}` to `languages` in toolkit.yaml, or move the folder"
                )),
            };
            diags.push(d);
        }
    }
}
