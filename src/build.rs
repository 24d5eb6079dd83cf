//! The build as explicit phases — load, validate, markdown, render, assets, write —
//! each timed. Nothing is written unless every phase succeeded.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checks::{self, AnchorIndex};
use crate::config::Config;
use crate::content::{self, Page, PageKind};
use crate::data::SiteData;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::i18n::UiStrings;
use crate::markdown::{self, MarkdownContext};
use crate::output::{self, WriteReport};
use crate::plan::Plan;
use crate::render::{OutputFile, Renderer, templates};
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
    let ui = Arc::new(UiStrings::load(root, &theme, &config, diags));
    let data = SiteData::load(root, &config, diags);
    let content_dir = root.join("content");
    let mut pages: Vec<Page> = Vec::new();
    for lang in &config.languages {
        pages.extend(content::load_language(
            root,
            &content_dir,
            &lang.code,
            &config,
            diags,
        ));
    }
    report_unknown_language_folders(&content_dir, &config, diags);
    if !opts.drafts {
        pages.retain(|p| !p.common.draft);
    }
    phases.done("load");

    // Validate.
    checks::numbering(&pages, diags);
    checks::references(&pages, &data, diags);
    let routes = Routes::new(
        pages.iter(),
        &config.source_language().code,
        &config.base_path(),
    );
    let mut plan = Plan::new(&pages, &config, &routes, diags);
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
                        "orphan",
                        format!("this `{lang}` page translates a page that no longer exists"),
                    )
                    .at(page.file.yaml().span_start())
                    .hint("remove it, or set `translation_key` to the key of its source page"),
                );
            }
        }
    }
    phases.done("validate");

    // Markdown.
    let keys = plan.keys();
    let rendered: Vec<(markdown::Rendered, Vec<Diagnostic>)> = plan
        .entries
        .par_iter()
        .map(|e| {
            let resolve = |key: &str| plan.get(e.lang, key).map(|t| t.url.clone());
            let label_lang = e.page.lang.clone();
            let label = |kind: &str| ui.text(&label_lang, &format!("callout.{kind}"));
            let keys_fn = || keys.clone();
            let ctx = MarkdownContext {
                lang: &e.page.lang,
                base_path: routes.base_path(),
                callout_label: &label,
                resolve: &resolve,
                keys: &keys_fn,
            };
            let mut problems = Vec::new();
            let r = markdown::render(&e.page.file, &ctx, &mut problems);
            // A page shown as a fallback repeats its source's problems: report them once.
            if e.status == Status::Missing {
                problems.clear();
            }
            (r, problems)
        })
        .collect();
    for (e, (r, problems)) in plan.entries.iter_mut().zip(rendered) {
        e.rendered = r;
        diags.extend(problems);
    }
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
            template_anchors(&e.page.kind).iter().map(|s| s.to_string()),
        );
    }
    for e in &plan.entries {
        let code = &config.languages[e.lang].code;
        for link in &e.rendered.page_links {
            let Some(anchor) = &link.anchor else { continue };
            if anchors.has(code, &link.key, anchor) == Some(false) {
                let known = anchors.of(code, &link.key);
                let mut d = Diagnostic::error(
                    "broken-anchor",
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
    let (mut out_files, problems) = renderer.render_all(&plan);
    diags.extend(problems);
    if let Some(s) = &stylesheet {
        out_files.push(OutputFile {
            path: s.path.clone(),
            bytes: s.css.clone().into_bytes(),
        });
    }
    out_files.extend(statics);
    phases.done("render");

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

/// Anchors the templates add to pages of each kind (sections of the page outside the
/// Markdown body), so `#agenda` links can be checked.
pub fn template_anchors(kind: &PageKind) -> &'static [&'static str] {
    match kind {
        PageKind::Session(_) => &[
            "main",
            "purpose",
            "objectives",
            "materials",
            "agenda",
            "care-notes",
            "facilitator-notes",
            "handouts",
            "variants",
            "sources",
        ],
        PageKind::Module(_) => &["main", "outcomes", "activities", "assessment", "sources"],
        PageKind::CaseStudy(_) => &["main", "quick-facts", "components", "outcomes", "sources"],
        PageKind::Section(..) | PageKind::Home(_) => &["main", "contents", "schedule", "sources"],
        PageKind::Guide => &["main", "sources"],
    }
}

fn report_unknown_language_folders(content_dir: &Path, config: &Config, diags: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        diags.push(
            Diagnostic::error("content", "there is no `content` folder")
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
                "language-folder",
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
