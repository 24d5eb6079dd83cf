//! Generated pages: the glossary, topic and principle pages, the printable
//! curricula, the search page, the 404 pages, the root language chooser and the
//! sitemap.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::context;
use minijinja::value::{Value, merge_maps};
use rayon::prelude::*;

use super::context::*;
use super::{PRINCIPLES, Renderer, Target, dedup_template_errors, sv};
use crate::config::SectionKind;
use crate::content::PageKind;
use crate::content::handout;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::output::OutputFile;
use crate::plan::{Entry, Plan};
use crate::routes::output_path;
use crate::theme;
use crate::translations::Status;

/// `html` with every id, and every link to an id of the same page, prefixed, so that
/// several pages can stand on one printable page with unique ids.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// One term of a taxonomy, as the generated pages show it.
struct Term<'r> {
    /// Its link (title and URL) in the reader's language.
    link: LinkCtx,
    /// Its entry in the list of terms.
    item: Value,
    /// The context of its own page; `None` when it has no page.
    page: Option<Value>,
    /// Its page's description, for search engines.
    description: String,
    /// Its URL in each language, for the language switcher.
    alt: Box<dyn Fn(usize) -> Option<String> + 'r>,
}

impl Renderer<'_> {
    /// Render the generated pages of every language and the root files.
    pub fn render_generated_all(&self, plan: &Plan) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let generated: Vec<Result<Vec<OutputFile>, Diagnostic>> = (0..self.config.languages.len())
            .into_par_iter()
            .map(|li| self.render_generated(plan, li))
            .collect();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for r in generated {
            match r {
                Ok(fs) => files.extend(fs),
                Err(d) => problems.push(d),
            }
        }
        match self.render_root(plan) {
            Ok(fs) => files.extend(fs),
            Err(d) => problems.push(d),
        }
        (files, dedup_template_errors(problems))
    }

    fn generated_page(
        &self,
        plan: &Plan,
        li: usize,
        target: Target,
        extra: Value,
        alt: &dyn Fn(usize) -> Option<String>,
    ) -> Result<OutputFile, Diagnostic> {
        let Target {
            template,
            url,
            title,
            description,
        } = target;
        let url = url.as_str();
        let alternates: Vec<AlternateCtx> = (0..self.config.languages.len())
            .filter_map(|i| {
                alt(i).map(|u| AlternateCtx {
                    code: self.config.languages[i].code.clone(),
                    name: self.config.languages[i].name.clone(),
                    abs_url: self.abs(&u),
                    url: u,
                    current: i == li,
                    translated: true,
                })
            })
            .collect();
        let x_default = alternates.first().map(|a| a.abs_url.clone());
        let crumbs = vec![LinkCtx {
            title: self.t(li, "nav.home"),
            url: self.routes.home(&self.config.languages[li].code),
            current: false,
            content_lang: None,
        }];
        let base = context! {
            page => context! { kind => "generated", title => title, description => description, url => url, abs_url => self.abs(url), status => "source" },
            breadcrumbs => sv(crumbs),
            alternates => sv(alternates),
            x_default => x_default,
        };
        let ctx = merge_maps([base, extra, self.common_ctx(plan, li, url, None)]);
        let html = self.render_template(template, ctx, None)?;
        Ok(OutputFile {
            path: output_path(url, self.routes.base_path()),
            bytes: Arc::new(html.into_bytes()),
            template: Some(template),
        })
    }

    /// The generated pages of language `li`.
    fn render_generated(&self, plan: &Plan, li: usize) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut out = Vec::new();
        self.glossary(plan, li, &mut out)?;
        self.taxonomies(plan, li, &mut out)?;
        self.printable_curricula(plan, li, &mut out)?;
        self.search_page(plan, li, &mut out)?;
        self.not_found_page(plan, li, &mut out)?;
        Ok(out)
    }

    /// The glossary: every language side by side, the reader's first.
    fn glossary(
        &self,
        plan: &Plan,
        li: usize,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let code = self.config.languages[li].code.clone();
        let source = self.config.source_language().code.clone();
        let mut langs: Vec<LangCtx> = (0..self.config.languages.len())
            .map(|i| self.lang_ctx(i))
            .collect();
        langs.sort_by_key(|l| l.code != code);
        // Each entry: its terms by language code (as written), `_note`, and `cells`,
        // one per column in the columns' order: the term, or for the first column
        // the source language's term in its own language when the reader's is
        // missing; `lang` and `dir` are those of the text shown.
        let entries: Vec<minijinja::Value> = self
            .data
            .glossary
            .iter()
            .map(|g| {
                let cells: Vec<minijinja::Value> = langs
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let shown = match g.terms.get(&l.code) {
                            Some(t) => Some((t, l.code.as_str())),
                            None if i == 0 => g.terms.get(&source).map(|t| (t, source.as_str())),
                            None => None,
                        };
                        match shown {
                            Some((text, lang)) => context! {
                                text, lang, dir => self.config.direction_of(lang), missing => lang != l.code
                            },
                            None => context! { missing => true },
                        }
                    })
                    .collect();
                let note = g.note.get(&code).map(|n| (n, code.as_str())).or_else(|| {
                    g.note.get(&source).map(|n| (n, source.as_str()))
                });
                let mut terms = sv(&g.terms);
                let note_ctx = note.map(|(text, lang)| {
                    context! { text, lang, dir => self.config.direction_of(lang) }
                });
                terms = context! {
                    ..terms,
                    ..context! {
                        _note => note.map(|(n, _)| n.clone()),
                        note => note_ctx,
                        cells => cells,
                    }
                };
                terms
            })
            .collect();
        let glossary_url = self.generated_url(li, "glossary");
        out.push(self.generated_page(
            plan,
            li,
            Target {
                template: theme::GLOSSARY,
                url: glossary_url.to_string(),
                title: self.t(li, "glossary.title"),
                description: self.t(li, "glossary.intro"),
            },
            context! { terms => sv(entries), columns => sv(langs) },
            &|i| Some(self.generated_url(i, "glossary")),
        )?);
        Ok(())
    }

    /// Topic and principle pages, and their lists.
    fn taxonomies(
        &self,
        plan: &Plan,
        li: usize,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let entries: Vec<&Entry> = plan.in_language(li).collect();
        let pages_with = |has: &dyn Fn(&Entry) -> bool| -> Vec<SummaryCtx> {
            entries
                .iter()
                .filter(|e| has(e))
                .map(|e| self.summary(e, li))
                .collect()
        };
        let topics: Vec<Term> = self
            .data
            .topics
            .iter()
            .map(|(id, topic)| {
                let link = self.topic_links(li, std::slice::from_ref(id)).remove(0);
                let pages = pages_with(&|e| e.page.common.topics.contains(id));
                Term {
                    item: context! { title => link.title.clone(), url => link.url.clone(), count => pages.len(), group => topic.group.clone() },
                    page: (!pages.is_empty()).then(|| context! { pages => sv(&pages), taxonomy => "topics" }),
                    description: self.t(li, "term.about").replace("{term}", &link.title),
                    link,
                    alt: Box::new(move |i| Some(self.topic_links(i, std::slice::from_ref(id)).remove(0).url)),
                }
            })
            .collect();
        self.taxonomy(plan, li, "topics", topics, out)?;
        let principles: Vec<Term> = PRINCIPLES
            .iter()
            .map(|id| {
                let link = self.principle_links(li, &[id.to_string()]).remove(0);
                let pages = pages_with(&|e| e.page.common.principles.iter().any(|p| p == id));
                let description = self.t(li, &format!("principle.{id}.description"));
                Term {
                    item: context! { title => link.title.clone(), url => link.url.clone(), count => pages.len(), description => description.clone() },
                    page: Some(context! { pages => sv(&pages), taxonomy => "principles", description => description.clone() }),
                    description,
                    link,
                    alt: Box::new(move |i| Some(self.principle_links(i, &[id.to_string()]).remove(0).url)),
                }
            })
            .collect();
        self.taxonomy(plan, li, "principles", principles, out)
    }

    /// A taxonomy (`topics` or `principles`): a page for each term that has one,
    /// then the list of terms.
    fn taxonomy(
        &self,
        plan: &Plan,
        li: usize,
        what: &str,
        terms: Vec<Term>,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let mut items = Vec::with_capacity(terms.len());
        for term in terms {
            if let Some(page) = term.page {
                out.push(self.generated_page(
                    plan,
                    li,
                    Target {
                        template: theme::TERM,
                        url: term.link.url.clone(),
                        title: term.link.title.clone(),
                        description: term.description,
                    },
                    page,
                    &*term.alt,
                )?);
            }
            items.push(term.item);
        }
        out.push(self.generated_page(
            plan,
            li,
            Target {
                template: theme::TAXONOMY,
                url: self.generated_url(li, what),
                title: self.t(li, &format!("{what}.title")),
                description: self.t(li, &format!("{what}.intro")),
            },
            context! { terms => items, taxonomy => what },
            &|i| Some(self.generated_url(i, what)),
        )?);
        Ok(())
    }

    /// Printable curricula: every session on one page, full and participant versions.
    fn printable_curricula(
        &self,
        plan: &Plan,
        li: usize,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let entries: Vec<&Entry> = plan.in_language(li).collect();
        // Printable curricula: every session on one page, full and participant versions.
        for e in entries
            .iter()
            .filter(|e| matches!(e.page.kind, PageKind::Section(SectionKind::Curriculum, _)))
        {
            let mut sessions: Vec<&Entry> = entries
                .iter()
                .copied()
                .filter(|c| !c.page.is_index && c.page.folders == e.page.folders)
                .collect();
            sessions.sort_by_key(|c| c.page.order());
            // Every session on one page: prefix each session's anchors so they stay unique.
            let sessions: Vec<PageCtx> = sessions
                .iter()
                .map(|s| {
                    let mut ctx = self.page_ctx(plan, s, li);
                    let prefix =
                        format!("s{}-", ctx.session.as_ref().map(|x| x.number).unwrap_or(0));
                    ctx.content = prefix_ids(&ctx.content, &prefix);
                    ctx
                })
                .collect();
            // The participant version ends with every handout the sessions name, once.
            let mut seen = std::collections::HashSet::new();
            let handouts: Vec<PageCtx> = sessions
                .iter()
                .flat_map(|s| s.session.iter().flat_map(|x| x.handouts.iter()))
                .filter(|h| seen.insert(h.id.clone()))
                .filter_map(|h| plan.get(li, &handout::key_of(&h.id)))
                .map(|h| {
                    let mut ctx = self.page_ctx(plan, h, li);
                    let prefix = format!("h-{}-", handout::id_of(&h.page.key));
                    // Under the handout's own heading (level 3), its headings move two
                    // levels down.
                    ctx.content = prefix_ids(&ctx.content, &prefix)
                        .replace("<h3", "<h5")
                        .replace("</h3>", "</h5>")
                        .replace("<h2", "<h4")
                        .replace("</h2>", "</h4>");
                    ctx
                })
                .collect();
            let overview = self.page_ctx(plan, e, li);
            for (participant, what) in [(false, "print"), (true, "participant")] {
                let slug = crate::routes::slugify(&self.t_plain(li, &format!("url.{what}")));
                let url = format!("{}{slug}/", e.url);
                let title = format!(
                    "{} — {}",
                    e.page.common.title,
                    self.t(li, &format!("print.{what}"))
                );
                out.push(self.generated_page(
            plan,
            li,
            Target {
                template: theme::PRINT,
                url: url.to_string(),
                title,
                description: self.t(li, if participant { "print.participant_intro" } else { "print.intro" }),
            },
                    context! { sessions => sv(&sessions), overview => sv(&overview), participant => participant, handouts => sv(if participant { &handouts[..] } else { &[] }) },
                    &|i| {
                        let slug = crate::routes::slugify(&self.t_plain(i, &format!("url.{what}")));
                        plan.get(i, &e.page.key).map(|t| format!("{}{slug}/", t.url))
                    },
                )?);
            }
        }
        Ok(())
    }

    /// The search page, with an index of every page for readers without script.
    fn search_page(
        &self,
        plan: &Plan,
        li: usize,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let entries: Vec<&Entry> = plan.in_language(li).collect();
        // Search page, with an index of every page for readers without script.
        let mut sections: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for e in entries.iter().filter(|e| !e.page.section.is_empty()) {
            sections.entry(e.page.section.as_str()).or_default().push(e);
        }
        let mut groups: Vec<(i64, String, Vec<SummaryCtx>)> = Vec::new();
        for (section, mut pages) in sections {
            pages.sort_by_key(|c| (!c.page.is_index, c.page.folders.len(), c.page.order()));
            let index = pages
                .iter()
                .find(|c| c.page.is_index && c.page.folders.len() == 1);
            let weight = index.and_then(|i| i.page.common.weight).unwrap_or(100);
            let title = index
                .map(|i| i.page.common.title.clone())
                .unwrap_or_else(|| section.to_string());
            groups.push((
                weight,
                title,
                pages.iter().map(|c| self.summary(c, li)).collect(),
            ));
        }
        groups.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let groups: Vec<Value> = groups
            .into_iter()
            .map(|(_, title, pages)| context! { title => title, pages => sv(pages) })
            .collect();
        let search_url = self.generated_url(li, "search");
        out.push(self.generated_page(
            plan,
            li,
            Target {
                template: theme::SEARCH,
                url: search_url.to_string(),
                title: self.t(li, "search.title"),
                description: self.t(li, "search.intro"),
            },
            context! { groups => groups },
            &|i| Some(self.generated_url(i, "search")),
        )?);
        Ok(())
    }

    /// The 404 page of the language.
    fn not_found_page(
        &self,
        plan: &Plan,
        li: usize,
        out: &mut Vec<OutputFile>,
    ) -> Result<(), Diagnostic> {
        let code = self.config.languages[li].code.clone();
        // 404 page of the language.
        let url_404 = format!("{}404.html", self.routes.home(&code));
        out.push(self.generated_page(
            plan,
            li,
            Target {
                template: theme::NOT_FOUND,
                url: url_404,
                title: self.t(li, "notfound.title"),
                description: self.t(li, "notfound.text"),
            },
            context! {},
            &|i| {
                Some(format!(
                    "{}404.html",
                    self.routes.home(&self.config.languages[i].code)
                ))
            },
        )?);
        Ok(())
    }

    fn render_root(&self, plan: &Plan) -> Result<Vec<OutputFile>, Diagnostic> {
        let langs: Vec<minijinja::Value> = (0..self.config.languages.len())
            .map(|li| {
                let code = &self.config.languages[li].code;
                context! {
                    lang => sv(self.lang_ctx(li)),
                    title => Some(self.config.title_in(code)),
                    description => self.config.description.get(code).cloned(),
                    url => self.routes.home(code),
                    abs_url => self.abs(&self.routes.home(code)),
                    choose => self.t(li, "root.choose"),
                    enter => self.t(li, "root.enter"),
                    notfound => self.t(li, "notfound.title"),
                }
            })
            .collect();
        let description = (0..self.config.languages.len())
            .filter_map(|li| self.config.description.get(&self.config.languages[li].code))
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ");
        let ctx = context! {
            languages => langs,
            description => description,
            abs_url => self.abs(self.routes.base_path()),
            site => sv(self.site_ctx(plan, 0, self.routes.base_path())),
            lang => sv(self.lang_ctx(0)),
        };
        let index = self.render_template(theme::ROOT, ctx.clone(), None)?;
        let not_found = self.render_template(theme::ROOT_NOT_FOUND, ctx, None)?;
        let sitemap = self.sitemap(plan)?;
        // A sitemap's address in robots.txt must be a full one: left out without it.
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if self.routes.base().origin.is_some() {
            robots.push_str(&format!(
                "Sitemap: {}\n",
                self.abs(&format!("{}sitemap.xml", self.routes.base_path()))
            ));
        }
        Ok(vec![
            OutputFile {
                path: "index.html".into(),
                bytes: Arc::new(index.into_bytes()),
                template: Some(theme::ROOT),
            },
            OutputFile {
                path: "404.html".into(),
                bytes: Arc::new(not_found.into_bytes()),
                template: Some(theme::ROOT_NOT_FOUND),
            },
            OutputFile {
                path: "sitemap.xml".into(),
                bytes: Arc::new(sitemap.into_bytes()),
                template: Some(theme::SITEMAP),
            },
            OutputFile {
                path: "robots.txt".into(),
                bytes: Arc::new(robots.into_bytes()),
                template: None,
            },
        ])
    }

    /// `sitemap.xml`: every published page with its translations, from the theme's
    /// template. Addresses are escaped for XML here and passed as safe text.
    fn sitemap(&self, plan: &Plan) -> Result<String, Diagnostic> {
        let xml = |s: &str| Value::from_safe_string(markdown::escape_html(s));
        let urls: Vec<Value> = plan
            .entries
            .iter()
            .filter(|e| e.status != Status::Missing)
            .map(|e| {
                let alternates: Vec<Value> = self
                    .alternates(plan, &e.page.key)
                    .iter()
                    .filter(|a| a.translated)
                    .map(|a| context! { code => a.code.clone(), href => xml(&a.abs_url) })
                    .collect();
                context! {
                    loc => xml(&self.abs(&e.url)),
                    alternates => alternates,
                    lastmod => e.page.common.updated.clone(),
                }
            })
            .collect();
        let mut text = self.render_template(theme::SITEMAP, context! { urls => urls }, None)?;
        text.push('\n');
        Ok(text)
    }
}
