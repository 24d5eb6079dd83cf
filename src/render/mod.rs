//! The render phase: every page of the plan and every generated page (glossary,
//! topics, principles, printable curricula, 404, landing page, sitemap) through
//! the templates, in parallel.

pub mod context;
mod generated;
mod pages;
pub mod templates;

use std::sync::Arc;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::PageKind;
use crate::data::SiteData;
use crate::diagnostics::Diagnostic;
use crate::i18n::UiStrings;
use crate::markdown::{self, MarkdownContext};
use crate::output::OutputFile;
use crate::plan::{Entry, Plan};
use crate::routes::{Routes, output_path};
use crate::translations::Status;
use context::*;
use templates::{TemplateFiles, template_error};

/// Everything the templates need, shared by all pages.
pub struct Renderer<'a> {
    /// The environment.
    pub env: Environment<'static>,
    /// Where templates came from.
    pub files: TemplateFiles,
    /// Settings.
    pub config: &'a Config,
    /// UI strings.
    pub ui: Arc<UiStrings>,
    /// Data files.
    pub data: &'a SiteData,
    /// URLs.
    pub routes: &'a Routes,
    /// URL of the stylesheet.
    pub stylesheet: String,
    /// Whether the build is for the live preview.
    pub live_reload: Option<String>,
}

/// A generated page: its template, URL and title.
struct Target {
    template: &'static str,
    url: String,
    title: String,
    /// For the page's `<meta name="description">`.
    description: String,
}

/// Template errors repeat for every page that uses the template: keep one of each.
fn dedup_template_errors(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    problems.retain(|d| {
        let message = d
            .message
            .split(" (while rendering")
            .next()
            .unwrap_or("")
            .to_string();
        seen.insert((d.location(), message))
    });
    problems
}

/// A serializable value for a template context.
fn sv<T: serde::Serialize>(x: T) -> Value {
    Value::from(Serde(x))
}

/// The principle ids, in display order.
pub use crate::content::common::PRINCIPLES;

impl<'a> Renderer<'a> {
    fn lang_ctx(&self, li: usize) -> LangCtx {
        let l = &self.config.languages[li];
        LangCtx {
            code: l.code.clone(),
            name: l.name.clone(),
            dir: l.direction,
        }
    }

    /// UI string `key` for display in language `li` (marked when it falls back).
    fn t(&self, li: usize, key: &str) -> String {
        self.ui.shown(&self.config.languages[li].code, key)
    }

    /// UI string `key` as plain text, for addresses.
    fn t_plain(&self, li: usize, key: &str) -> String {
        self.ui.text(&self.config.languages[li].code, key)
    }

    fn abs(&self, url: &str) -> String {
        self.routes.base().absolute(url)
    }

    /// The generated-page URL segment for `what` (`glossary`, `topics`, …) in `li`.
    fn generated_url(&self, li: usize, what: &str) -> String {
        let code = &self.config.languages[li].code;
        let slug = crate::routes::slugify(&self.t_plain(li, &format!("url.{what}")));
        self.routes.generated(code, &[&slug])
    }

    fn site_ctx(&self, plan: &Plan, li: usize, current_url: &str) -> SiteCtx {
        let code = &self.config.languages[li].code;
        let mut nav: Vec<(i64, LinkCtx)> = plan
            .subsections(li, &[])
            .map(|e| {
                let weight = e.page.common.weight.unwrap_or(100);
                (
                    weight,
                    LinkCtx {
                        title: e
                            .page
                            .common
                            .menu_title
                            .clone()
                            .unwrap_or_else(|| e.page.common.title.clone()),
                        url: e.url.clone(),
                        current: current_url.starts_with(&e.url),
                        content_lang: (e.page.lang != *code).then(|| e.page.lang.clone()),
                    },
                )
            })
            .collect();
        nav.sort_by_key(|(w, l)| (*w, l.title.clone()));
        SiteCtx {
            title: self.config.title_in(code),
            description: self
                .config
                .description
                .get(code)
                .cloned()
                .unwrap_or_default(),
            base_path: self.routes.base_path().to_string(),
            base_url: self.config.base_url.clone(),
            absolute: self.routes.base().origin.is_some(),
            stylesheet: self.stylesheet.clone(),
            branding: self.config.branding.clone(),
            logo_url: self
                .config
                .branding
                .logo
                .as_ref()
                .map(|l| format!("{}{}", self.routes.base_path(), l.trim_start_matches('/'))),
            home_url: self.routes.home(code),
            nav: nav.into_iter().map(|(_, l)| l).collect(),
            glossary_url: self.generated_url(li, "glossary"),
            topics_url: self.generated_url(li, "topics"),
            principles_url: self.generated_url(li, "principles"),
            search_url: self.generated_url(li, "search"),
            offline_zip_url: crate::offline::zip_url(self.routes.base_path()),
            languages: (0..self.config.languages.len())
                .map(|i| self.lang_ctx(i))
                .collect(),
        }
    }

    fn md_ctx<'b>(
        &'b self,
        plan: &'b Plan,
        li: usize,
        content_lang: &'b str,
        resolve: &'b dyn Fn(&str) -> Option<String>,
    ) -> MarkdownContext<'b> {
        let _ = (plan, li);
        MarkdownContext {
            lang: content_lang,
            base_path: self.routes.base_path(),
            ui: &|_| String::new(),
            resolve,
            keys: &Vec::new,
            reserved_ids: &[],
            snippets: &markdown::NO_SNIPPETS,
            figures: &markdown::NO_SNIPPETS,
            fallback: None,
        }
    }

    fn citation(
        &self,
        li: usize,
        id: &str,
        locator: Option<&str>,
        ctx: &MarkdownContext,
    ) -> CitationCtx {
        let code = &self.config.languages[li].code;
        let source = self.config.source_language().code.as_str();
        let text = self
            .data
            .sources
            .get(id)
            .and_then(|s| crate::data::shown_in(&s.citation, code, source))
            .unwrap_or_else(|| id.to_string());
        CitationCtx {
            id: id.to_string(),
            html: markdown::inline(&text, ctx),
            locator: locator.map(str::to_string),
        }
    }

    fn topic_links(&self, li: usize, ids: &[String]) -> Vec<LinkCtx> {
        let code = &self.config.languages[li].code;
        let base = self.generated_url(li, "topics");
        ids.iter()
            .filter_map(|id| self.data.topics.get(id).map(|t| (id, t)))
            .map(|(id, t)| {
                let source = &self.config.source_language().code;
                let label =
                    crate::data::shown_in(&t.labels, code, source).unwrap_or_else(|| id.clone());
                let plain = crate::data::in_language(&t.labels, code, source).unwrap_or(id);
                // A label of punctuation only falls back to the topic's id.
                let slug = match crate::routes::slugify(plain) {
                    s if s.is_empty() => crate::routes::slugify(id),
                    s => s,
                };
                LinkCtx {
                    url: format!("{base}{slug}/"),
                    title: label,
                    current: false,
                    content_lang: None,
                }
            })
            .collect()
    }

    fn principle_links(&self, li: usize, ids: &[String]) -> Vec<LinkCtx> {
        let base = self.generated_url(li, "principles");
        ids.iter()
            .filter(|id| PRINCIPLES.contains(&id.as_str()))
            .map(|id| {
                let label = self.t(li, &format!("principle.{id}"));
                LinkCtx {
                    url: format!(
                        "{base}{}/",
                        crate::routes::slugify(&self.t_plain(li, &format!("principle.{id}")))
                    ),
                    title: label,
                    current: false,
                    content_lang: None,
                }
            })
            .collect()
    }

    fn summary(&self, e: &Entry, li: usize) -> SummaryCtx {
        let p = e.page;
        let mut s = SummaryCtx {
            title: p.common.title.clone(),
            url: e.url.clone(),
            description: p.common.description.clone(),
            kind: p.kind.name(),
            number: None,
            duration: None,
            hours: None,
            weeks: Vec::new(),
            week_minutes: Vec::new(),
            running_before: 0.0,
            running_after: 0.0,
            organization: None,
            population: None,
            location: None,
            topics: p.common.topics.clone(),
            content_lang: (p.lang != self.config.languages[li].code).then(|| p.lang.clone()),
            used_in: Vec::new(),
        };
        match &p.kind {
            PageKind::Session(x) => {
                s.number = Some(x.session);
                s.duration = Some(x.duration);
            }
            PageKind::Module(x) => {
                s.number = Some(x.module);
                s.hours = Some(x.hours);
                s.weeks = x.weeks.clone();
                s.week_minutes = pages::week_minutes(x);
            }
            PageKind::CaseStudy(x) => {
                s.organization = Some(x.organization.clone());
                s.population = Some(x.population.clone());
                s.location = x.location.clone();
            }
            _ => {}
        }
        s
    }

    /// Pages directly inside the folder of index page `e`, in order, with running totals.
    fn children(&self, plan: &Plan, e: &Entry, li: usize) -> Vec<SummaryCtx> {
        let folders = &e.page.folders;
        let mut kids: Vec<&Entry> = plan
            .subsections(li, folders)
            .chain(plan.in_folder(li, folders))
            .collect();
        kids.sort_by(|a, b| a.order.cmp(&b.order));
        let mut running = 0.0;
        kids.into_iter()
            .map(|c| {
                let mut s = self.summary(c, li);
                if matches!(c.page.kind, PageKind::Handout(_)) {
                    s.used_in = self
                        .sessions_using(plan, li, &c.page.key)
                        .into_iter()
                        .map(|(n, _)| format!("{} {n}", self.t(li, "session.label")))
                        .collect();
                }
                let amount = s.duration.map(f64::from).or(s.hours).unwrap_or(0.0);
                s.running_before = running;
                running += amount;
                s.running_after = running;
                s
            })
            .collect()
    }

    fn alternates(&self, plan: &Plan, key: &str) -> Vec<AlternateCtx> {
        (0..self.config.languages.len())
            .filter_map(|i| {
                plan.get(i, key).map(|t| AlternateCtx {
                    code: self.config.languages[i].code.clone(),
                    name: self.config.languages[i].name.clone(),
                    url: t.url.clone(),
                    abs_url: self.abs(&t.url),
                    current: false,
                    translated: t.status != Status::Missing,
                })
            })
            .collect()
    }

    fn breadcrumbs(&self, plan: &Plan, e: &Entry, li: usize) -> Vec<LinkCtx> {
        let mut crumbs = Vec::new();
        if e.page.key.is_empty() {
            return crumbs;
        }
        if let Some(home) = plan.get(li, "") {
            crumbs.push(LinkCtx {
                title: self.t(li, "nav.home"),
                url: home.url.clone(),
                current: false,
                content_lang: None,
            });
        }
        let depth = if e.page.is_index {
            e.page.folders.len().saturating_sub(1)
        } else {
            e.page.folders.len()
        };
        for i in 1..=depth {
            let key = e.page.folders[..i].join("/");
            if let Some(s) = plan.get(li, &key) {
                crumbs.push(LinkCtx {
                    title: s.page.common.title.clone(),
                    url: s.url.clone(),
                    current: false,
                    content_lang: (s.page.lang != self.config.languages[li].code)
                        .then(|| s.page.lang.clone()),
                });
            }
        }
        crumbs
    }

    fn siblings(&self, plan: &Plan, e: &Entry, li: usize) -> (Option<LinkCtx>, Option<LinkCtx>) {
        if e.page.is_index {
            return (None, None);
        }
        let sibs: Vec<&Entry> = plan.in_folder(li, &e.page.folders).collect();
        let Some(i) = sibs.iter().position(|c| std::ptr::eq(*c, e)) else {
            return (None, None);
        };
        let link = |c: &Entry| LinkCtx {
            title: c.page.common.title.clone(),
            url: c.url.clone(),
            current: false,
            content_lang: (c.page.lang != self.config.languages[li].code)
                .then(|| c.page.lang.clone()),
        };
        (
            i.checked_sub(1).map(|j| link(sibs[j])),
            sibs.get(i + 1).map(|c| link(c)),
        )
    }

    fn render_template(
        &self,
        name: &str,
        ctx: minijinja::Value,
        file: Option<&std::path::Path>,
    ) -> Result<String, Diagnostic> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&e, &self.files, file))?;
        let html = tmpl
            .render(ctx)
            .map_err(|e| template_error(&e, &self.files, file))?;
        let mut html = crate::i18n::mark_fallback(html, &|l| self.config.direction_of(l));
        if let Some(script) = &self.live_reload
            && let Some(i) = html.rfind("</body>")
        {
            html.insert_str(i, script);
        }
        // Kept until the pages are written: no room held beyond the text.
        html.shrink_to_fit();
        Ok(html)
    }

    fn common_ctx(&self, plan: &Plan, li: usize, url: &str, key: Option<&str>) -> minijinja::Value {
        let alternates = match key {
            Some(k) => self.alternates(plan, k),
            None => Vec::new(),
        };
        // The language chooser at the root stands for the home pages; any other
        // page's default is its source-language version.
        let x_default = if url == self.routes.home(&self.config.languages[li].code) {
            Some(self.abs(self.routes.base_path()))
        } else {
            alternates
                .iter()
                .find(|a| a.code == self.config.source_language().code)
                .map(|a| a.abs_url.clone())
        };
        context! {
            site => sv(self.site_ctx(plan, li, url)),
            lang => sv(self.lang_ctx(li)),
            alternates => sv(alternates),
            x_default => x_default,
        }
    }

    /// Render one entry of the plan.
    pub fn render_entry(&self, plan: &Plan, e: &Entry) -> Result<OutputFile, Diagnostic> {
        let li = e.lang;
        let page = self.page_ctx(plan, e, li);
        let (prev, next) = self.siblings(plan, e, li);
        let ctx = context! {
            page => sv(page),
            breadcrumbs => sv(self.breadcrumbs(plan, e, li)),
            prev => sv(prev),
            next => sv(next),
            ..self.common_ctx(plan, li, &e.url, Some(&e.page.key))
        };
        let template = crate::theme::template_for(&e.page.kind);
        let html = self.render_template(template, ctx, Some(&e.page.file.path))?;
        Ok(OutputFile {
            path: output_path(&e.url, self.routes.base_path()),
            bytes: Arc::new(html.into_bytes()),
            template: Some(template),
        })
    }

    /// Render every entry and every generated page. All errors are returned together.
    pub fn render_all(&self, plan: &Plan) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let (pages, mut problems) = self.render_entries(plan, &|_| true);
        let (mut files, more) = self.render_generated_all(plan);
        files.extend(pages.into_iter().flatten());
        problems.extend(more);
        (files, dedup_template_errors(problems))
    }

    /// Render the entries for which `dirty` is true; `None` in their place for the others.
    pub fn render_entries(
        &self,
        plan: &Plan,
        dirty: &(dyn Fn(usize) -> bool + Sync),
    ) -> (Vec<Option<OutputFile>>, Vec<Diagnostic>) {
        let results: Vec<Option<Result<OutputFile, Diagnostic>>> = plan
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| dirty(i).then(|| self.render_entry(plan, e)))
            .collect();
        let mut files = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for r in results {
            match r {
                Some(Ok(f)) => files.push(Some(f)),
                Some(Err(d)) => {
                    problems.push(d);
                    files.push(None);
                }
                None => files.push(None),
            }
        }
        (files, dedup_template_errors(problems))
    }
}
