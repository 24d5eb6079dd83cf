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
            weekly_plan: Vec::new(),
            handout: None,
            verified: p.common.verified.clone(),
        };
        match &p.kind {
            PageKind::Session(s) => ctx.session = Some(self.session_ctx(plan, li, s, &mctx)),
            PageKind::Module(m) => {
                ctx.module = Some(module_ctx(m, &mctx));
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
                ctx.weekly_plan = weekly_plan(&ctx.children);
                if matches!(p.kind, PageKind::Section(SectionKind::Curriculum, _)) {
                    let print = crate::routes::slugify(&self.t_plain(li, "url.print"));
                    let participant = crate::routes::slugify(&self.t_plain(li, "url.participant"));
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
        SessionCtx {
            number: s.session,
            duration: s.duration,
            purpose: s.purpose.as_ref().map(inline),
            objectives: inline_all(&s.objectives, mctx),
            materials: inline_all(&s.materials, mctx),
            agenda: timed_blocks(
                s.agenda.iter().map(|a| TimedBlock {
                    title: &a.title,
                    minutes: a.minutes,
                    notes: a.notes.as_ref(),
                    week: None,
                }),
                mctx,
            ),
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
                            content_lang: None,
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
        // A text the language lacks is the source language's, marked with its lang.
        let pick = |m: &crate::data::Localized| {
            crate::data::shown_in(m, code, source).or_else(|| m.values().next().cloned())
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

/// A block of a timed plan (a session's agenda, a module's activities), as written.
struct TimedBlock<'a> {
    title: &'a String,
    minutes: u32,
    notes: Option<&'a String>,
    week: Option<u32>,
}

/// The blocks with their running clock and their number from 1, both counted
/// within each week.
fn timed_blocks<'a>(
    blocks: impl Iterator<Item = TimedBlock<'a>>,
    mctx: &MarkdownContext,
) -> Vec<AgendaCtx> {
    // Each week has its own clock and numbers, even if its activities are not
    // written together.
    let mut weeks: std::collections::BTreeMap<Option<u32>, (u32, usize)> = Default::default();
    let mut out: Vec<AgendaCtx> = Vec::new();
    for b in blocks {
        let (clock, index) = weeks.entry(b.week).or_insert((0, 0));
        *index += 1;
        let start = *clock;
        *clock = clock.saturating_add(b.minutes);
        let (clock, index) = (*clock, *index);
        out.push(AgendaCtx {
            title: markdown::inline(b.title, mctx),
            minutes: b.minutes,
            start,
            end: clock,
            notes: b.notes.map(|n| markdown::inline(n, mctx)),
            week: b.week,
            index,
        });
    }
    out
}

/// Minutes of a module in each of its weeks.
pub(super) fn week_minutes(m: &crate::content::module::ModuleFront) -> Vec<WeekMinutesCtx> {
    m.minutes_by_week()
        .into_iter()
        .map(|(week, minutes)| WeekMinutesCtx { week, minutes })
        .collect()
}

/// The weeks of a training section's modules, in order, each with the modules
/// taught in it and their minutes there; empty when no child is a module with weeks.
fn weekly_plan(children: &[SummaryCtx]) -> Vec<WeekPlanCtx> {
    let mut weeks: std::collections::BTreeMap<u32, WeekPlanCtx> = Default::default();
    for c in children {
        for wm in &c.week_minutes {
            let w = weeks.entry(wm.week).or_insert_with(|| WeekPlanCtx {
                week: wm.week,
                minutes: 0,
                modules: Vec::new(),
            });
            w.minutes = w.minutes.saturating_add(wm.minutes);
            w.modules.push(WeekModuleCtx {
                number: c.number.unwrap_or(0),
                title: c.title.clone(),
                url: c.url.clone(),
                content_lang: c.content_lang.clone(),
                minutes: wm.minutes,
            });
        }
    }
    weeks.into_values().collect()
}

/// A module's front matter, ready to show: its activities timed week by week.
fn module_ctx(m: &crate::content::module::ModuleFront, mctx: &MarkdownContext) -> ModuleCtx {
    ModuleCtx {
        number: m.module,
        hours: m.hours,
        minutes: m
            .activities
            .iter()
            .fold(0, |t, a| t.saturating_add(a.minutes)),
        weeks: m.weeks.clone(),
        week_minutes: week_minutes(m),
        outcomes: inline_all(&m.outcomes, mctx),
        activities: timed_blocks(
            m.activities.iter().map(|a| TimedBlock {
                title: &a.title,
                minutes: a.minutes,
                notes: a.notes.as_ref(),
                week: a.week.or_else(|| (m.weeks.len() == 1).then(|| m.weeks[0])),
            }),
            mctx,
        ),
        assessment: inline_all(&m.assessment, mctx),
    }
}
