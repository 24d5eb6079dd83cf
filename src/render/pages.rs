//! The context of a page of the plan: its front matter ready to show, by kind.

use super::Renderer;
use super::context::*;
use crate::config::SectionKind;
use crate::content::PageKind;
use crate::content::handout::{self, HandoutFront, HandoutLayout};
use crate::content::session::SessionFront;
use crate::markdown::{self, MarkdownContext};
use crate::plan::{Entry, Plan};

/// Each item of `v` as inline Markdown.
fn inline_all(v: &[String], mctx: &MarkdownContext) -> Vec<String> {
    v.iter().map(|s| markdown::inline(s, mctx)).collect()
}

impl Renderer<'_> {
    pub(super) fn page_ctx(&self, plan: &Plan, e: &Entry, li: usize) -> PageCtx {
        let p = e.page;
        let resolve = |key: &str| plan.get(li, key).map(|t| t.url.clone());
        let mctx = self.md_ctx(plan, li, &p.lang, &resolve);
        let mut ctx = PageCtx {
            kind: p.kind.name(),
            key: p.key.clone(),
            title: p.common.title.clone(),
            description: p.common.description.clone(),
            url: e.url.clone(),
            abs_url: self.abs(&e.url),
            content: e.rendered.html.clone(),
            content_lang: (p.lang != self.config.languages[li].code)
                .then(|| {
                    self.config
                        .languages
                        .iter()
                        .position(|l| l.code == p.lang)
                        .map(|i| self.lang_ctx(i))
                })
                .flatten(),
            status: e.status,
            toc: e
                .rendered
                .headings
                .iter()
                .filter(|h| h.level == 2)
                .cloned()
                .collect(),
            sources: p
                .common
                .sources
                .iter()
                .map(|s| self.citation(li, s.id(), s.locator(), &mctx))
                .collect(),
            topics: self.topic_links(li, &p.common.topics),
            principles: self.principle_links(li, &p.common.principles),
            updated: p.common.updated.clone(),
            session: None,
            module: None,
            case_study: None,
            section: None,
            children: Vec::new(),
            print_urls: None,
            handout: None,
            verified: p.common.verified.clone(),
        };
        match &p.kind {
            PageKind::Session(s) => ctx.session = Some(self.session_ctx(plan, li, s, &mctx)),
            PageKind::Module(m) => {
                ctx.module = Some(ModuleCtx {
                    number: m.module,
                    hours: m.hours,
                    weeks: m.weeks.clone(),
                    outcomes: inline_all(&m.outcomes, &mctx),
                    activities: inline_all(&m.activities, &mctx),
                    assessment: inline_all(&m.assessment, &mctx),
                });
            }
            PageKind::CaseStudy(c) => {
                let inline = |s: &String| markdown::inline(s, &mctx);
                ctx.case_study = Some(CaseStudyCtx {
                    organization: c.organization.clone(),
                    location: c.location.clone(),
                    population: c.population.clone(),
                    audience: c.audience.clone(),
                    need: c.need.as_ref().map(inline),
                    promising: c.promising.as_ref().map(inline),
                    takeaway: c.takeaway.as_ref().map(inline),
                    components: inline_all(&c.components, &mctx),
                    outcomes: inline_all(&c.outcomes, &mctx),
                    source: Some(self.citation(li, &c.source, None, &mctx)),
                });
            }
            PageKind::Home(s) | PageKind::Section(_, s) => {
                ctx.section = Some(SectionInfoCtx {
                    audience: s.audience.clone(),
                    group_size: s.group_size.clone(),
                    weeks: s.weeks,
                    session_length: s.session_length,
                });
                ctx.children = self.children(plan, e, li);
                if matches!(p.kind, PageKind::Section(SectionKind::Curriculum, _)) {
                    let print = crate::routes::slugify(&self.t(li, "url.print"));
                    let participant = crate::routes::slugify(&self.t(li, "url.participant"));
                    ctx.print_urls = Some((
                        format!("{}{print}/", e.url),
                        format!("{}{participant}/", e.url),
                    ));
                }
            }
            PageKind::Handout(h) => ctx.handout = Some(self.handout_ctx(plan, li, p, h)),
            PageKind::Guide => {}
        }
        ctx
    }

    /// A session's front matter, ready to show: inline Markdown rendered, the agenda
    /// with its running clock, the handouts as links.
    fn session_ctx(
        &self,
        plan: &Plan,
        li: usize,
        s: &SessionFront,
        mctx: &MarkdownContext,
    ) -> SessionCtx {
        let inline = |s: &String| markdown::inline(s, mctx);
        let mut clock: u32 = 0;
        SessionCtx {
            number: s.session,
            duration: s.duration,
            purpose: s.purpose.as_ref().map(inline),
            objectives: inline_all(&s.objectives, mctx),
            materials: inline_all(&s.materials, mctx),
            agenda: s
                .agenda
                .iter()
                .map(|a| {
                    let start = clock;
                    clock = clock.saturating_add(a.minutes);
                    AgendaCtx {
                        title: inline(&a.title),
                        minutes: a.minutes,
                        start,
                        end: clock,
                        notes: a.notes.as_ref().map(inline),
                    }
                })
                .collect(),
            facilitator_notes: inline_all(&s.facilitator_notes, mctx),
            care_notes: inline_all(&s.care_notes, mctx),
            handouts: self.handout_refs(plan, li, &s.handouts),
            variants: s
                .variants
                .iter()
                .map(|v| VariantCtx {
                    title: v.title.clone(),
                    notes: inline(&v.notes),
                })
                .collect(),
        }
    }

    /// A handout's front matter, ready to show.
    fn handout_ctx(
        &self,
        plan: &Plan,
        li: usize,
        p: &crate::content::Page,
        h: &HandoutFront,
    ) -> HandoutCtx {
        HandoutCtx {
            id: handout::id_of(&p.key).to_string(),
            fill_in: h.fill_in,
            layout: match h.layout {
                HandoutLayout::Sheet => "sheet",
                HandoutLayout::ResourceCard => "resource-card",
            },
            sessions: self
                .sessions_using(plan, li, &p.key)
                .into_iter()
                .map(|(_, l)| l)
                .collect(),
            resources: (h.layout == HandoutLayout::ResourceCard).then(|| self.resources(&p.lang)),
        }
    }

    /// Links to the handouts named `ids`, in the reader's language.
    fn handout_refs(&self, plan: &Plan, li: usize, ids: &[String]) -> Vec<HandoutRefCtx> {
        ids.iter()
            .filter_map(|id| {
                let e = plan.get(li, &handout::key_of(id))?;
                Some(HandoutRefCtx {
                    id: handout::id_of(&e.page.key).to_string(),
                    title: e.page.common.title.clone(),
                    url: e.url.clone(),
                })
            })
            .collect()
    }

    /// The sessions of language `li` that name the handout with key `key`, in order.
    pub(super) fn sessions_using(&self, plan: &Plan, li: usize, key: &str) -> Vec<(u32, LinkCtx)> {
        let mut sessions: Vec<(u32, LinkCtx)> = plan
            .in_language(li)
            .filter_map(|e| match &e.page.kind {
                PageKind::Session(s) if s.handouts.iter().any(|h| handout::key_of(h) == key) => {
                    Some((
                        s.session,
                        LinkCtx {
                            title: format!(
                                "{} {}. {}",
                                self.t(li, "session.label"),
                                s.session,
                                e.page.common.title
                            ),
                            url: e.url.clone(),
                            current: false,
                        },
                    ))
                }
                _ => None,
            })
            .collect();
        sessions.sort_by_key(|(n, _)| *n);
        sessions
    }

    /// The resource card's services in language `code` (that of the text shown).
    fn resources(&self, code: &str) -> ResourcesCtx {
        let source = &self.config.source_language().code;
        let pick = |m: &crate::data::Localized| {
            crate::data::in_language(m, code, source)
                .or_else(|| m.values().next())
                .cloned()
        };
        let r = &self.data.resources;
        ResourcesCtx {
            services: r
                .services
                .iter()
                .map(|s| ServiceCtx {
                    name: pick(&s.name).unwrap_or_default(),
                    description: pick(&s.description),
                    phone: s.phone.clone(),
                    hours: pick(&s.hours),
                    url: s.url.clone(),
                })
                .collect(),
            blank_rows: (1..=r.blank_rows.unwrap_or(4).min(20)).collect(),
        }
    }
}
