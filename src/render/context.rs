//! What templates see: plain serializable structs built from the plan.

use serde::Serialize;

use crate::config::{Branding, Direction};

/// A language, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct LangCtx {
    /// Code: `en`.
    pub code: String,
    /// Name in itself: `Français`.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: Direction,
}

/// A link with a title.
#[derive(Debug, Clone, Serialize)]
pub struct LinkCtx {
    /// Link text.
    pub title: String,
    /// URL.
    pub url: String,
    /// True when this link leads to the current page or one of its parents.
    pub current: bool,
    /// The language of the link text, when it is not the reader's.
    pub content_lang: Option<String>,
}

/// Settings of the site in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// Title in the reader's language.
    pub title: String,
    /// Description in the reader's language.
    pub description: String,
    /// Path part of the base URL.
    pub base_path: String,
    /// Absolute base URL when configured as one, else the base path.
    pub base_url: String,
    /// Whether the base URL is a full address, so that canonical links, language
    /// alternates and the sitemap's address can be written (they must be absolute).
    pub absolute: bool,
    /// URL of the stylesheet.
    pub stylesheet: String,
    /// The agency's brand.
    pub branding: Branding,
    /// URL of the logo, when there is one.
    pub logo_url: Option<String>,
    /// Home page of the reader's language.
    pub home_url: String,
    /// The sections, for the main navigation.
    pub nav: Vec<LinkCtx>,
    /// Generated pages: glossary, topics, principles, search.
    pub glossary_url: String,
    /// Topics index.
    pub topics_url: String,
    /// Principles index.
    pub principles_url: String,
    /// Search page.
    pub search_url: String,
    /// The zip of the offline copy.
    pub offline_zip_url: String,
    /// Every language.
    pub languages: Vec<LangCtx>,
}

/// A translation of the current page.
#[derive(Debug, Clone, Serialize)]
pub struct AlternateCtx {
    /// Language code.
    pub code: String,
    /// Language name in itself.
    pub name: String,
    /// URL of the page in that language.
    pub url: String,
    /// Absolute URL (for `hreflang` links and the sitemap).
    pub abs_url: String,
    /// True for the reader's language.
    pub current: bool,
    /// True when the page is really translated in that language.
    pub translated: bool,
}

/// A citation shown on a page.
#[derive(Debug, Clone, Serialize)]
pub struct CitationCtx {
    /// Bibliography id.
    pub id: String,
    /// Citation, as inline HTML.
    pub html: String,
    /// Where in the source.
    pub locator: Option<String>,
}

/// One agenda block with its running clock.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaCtx {
    /// Title (inline HTML).
    pub title: String,
    /// Minutes.
    pub minutes: u32,
    /// Minutes from the start of the session at which the block starts.
    pub start: u32,
    /// Minutes from the start at which it ends.
    pub end: u32,
    /// Notes (inline HTML).
    pub notes: Option<String>,
    /// The week of the training (module activities only).
    pub week: Option<u32>,
    /// Position in the plan, from 1.
    pub index: usize,
}

/// The minutes of a module taught in one week.
#[derive(Debug, Clone, Serialize)]
pub struct WeekMinutesCtx {
    /// Week of the training.
    pub week: u32,
    /// Minutes of the module that week.
    pub minutes: u32,
}

/// One week of a training's plan.
#[derive(Debug, Clone, Serialize)]
pub struct WeekPlanCtx {
    /// Week number.
    pub week: u32,
    /// Minutes taught that week.
    pub minutes: u32,
    /// The modules taught that week, in module order.
    pub modules: Vec<WeekModuleCtx>,
}

/// A module's part of one week.
#[derive(Debug, Clone, Serialize)]
pub struct WeekModuleCtx {
    /// Module number.
    pub number: u32,
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Language of the title, when it is not the reader's.
    pub content_lang: Option<String>,
    /// Minutes of the module that week.
    pub minutes: u32,
}

/// A variant of a session.
#[derive(Debug, Clone, Serialize)]
pub struct VariantCtx {
    /// For whom.
    pub title: String,
    /// What changes (inline HTML).
    pub notes: String,
}

/// The front matter of a session, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct SessionCtx {
    /// Number.
    pub number: u32,
    /// Minutes.
    pub duration: u32,
    /// Purpose (inline HTML).
    pub purpose: Option<String>,
    /// Objectives (inline HTML each).
    pub objectives: Vec<String>,
    /// Materials.
    pub materials: Vec<String>,
    /// Agenda with running clock.
    pub agenda: Vec<AgendaCtx>,
    /// Notes for facilitators.
    pub facilitator_notes: Vec<String>,
    /// Trauma-informed cautions.
    pub care_notes: Vec<String>,
    /// Handouts, as links to their pages.
    pub handouts: Vec<HandoutRefCtx>,
    /// Variants.
    pub variants: Vec<VariantCtx>,
}

/// The front matter of a module, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleCtx {
    /// Number.
    pub number: u32,
    /// Hours.
    pub hours: f64,
    /// Minutes of all activities (equal to the hours in a module that passed its check).
    pub minutes: u32,
    /// Weeks.
    pub weeks: Vec<u32>,
    /// Minutes taught in each week.
    pub week_minutes: Vec<WeekMinutesCtx>,
    /// Outcomes.
    pub outcomes: Vec<String>,
    /// Timed activities, with a clock that restarts each week.
    pub activities: Vec<AgendaCtx>,
    /// Assessment.
    pub assessment: Vec<String>,
}

/// The front matter of a case study, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct CaseStudyCtx {
    /// Organization.
    pub organization: String,
    /// Location.
    pub location: Option<String>,
    /// Population.
    pub population: String,
    /// Audience.
    pub audience: Option<String>,
    /// Need.
    pub need: Option<String>,
    /// What is promising.
    pub promising: Option<String>,
    /// Key takeaway.
    pub takeaway: Option<String>,
    /// Components.
    pub components: Vec<String>,
    /// Outcomes stated by the source.
    pub outcomes: Vec<String>,
    /// The source's citation.
    pub source: Option<CitationCtx>,
}

/// A section index's extra keys.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SectionInfoCtx {
    /// Audience.
    pub audience: Option<String>,
    /// Group size.
    pub group_size: Option<String>,
    /// Weeks.
    pub weeks: Option<u32>,
    /// Session length in minutes.
    pub session_length: Option<u32>,
}

/// A page in a list (a section's children, a topic's pages).
#[derive(Debug, Clone, Serialize)]
pub struct SummaryCtx {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Kind of page.
    pub kind: &'static str,
    /// Session or module number.
    pub number: Option<u32>,
    /// Session minutes.
    pub duration: Option<u32>,
    /// Module hours.
    pub hours: Option<f64>,
    /// Module weeks.
    pub weeks: Vec<u32>,
    /// Module minutes in each of its weeks.
    pub week_minutes: Vec<WeekMinutesCtx>,
    /// Running total of minutes or hours before this item (in a schedule).
    pub running_before: f64,
    /// Running total after this item.
    pub running_after: f64,
    /// Case study: organization.
    pub organization: Option<String>,
    /// Case study: population.
    pub population: Option<String>,
    /// Case study: location.
    pub location: Option<String>,
    /// Topic ids.
    pub topics: Vec<String>,
    /// Language of the text, when it is not the reader's.
    pub content_lang: Option<String>,
    /// For a handout: the sessions that use it ("Session 4").
    pub used_in: Vec<String>,
}

/// The page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageCtx {
    /// `home`, `section`, `session`, `module`, `case-study`, `guide`, or a generated kind.
    pub kind: &'static str,
    /// Translation key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// URL.
    pub url: String,
    /// Absolute URL.
    pub abs_url: String,
    /// Body HTML.
    pub content: String,
    /// Language of the text when it is not the reader's (missing translation).
    pub content_lang: Option<LangCtx>,
    /// Translation status.
    pub status: crate::translations::Status,
    /// `##` headings, for a table of contents.
    pub toc: Vec<crate::markdown::Heading>,
    /// Citations.
    pub sources: Vec<CitationCtx>,
    /// Topics.
    pub topics: Vec<LinkCtx>,
    /// Principles.
    pub principles: Vec<LinkCtx>,
    /// Date of last review.
    pub updated: Option<String>,
    /// Session data.
    pub session: Option<SessionCtx>,
    /// Module data.
    pub module: Option<ModuleCtx>,
    /// Case study data.
    pub case_study: Option<CaseStudyCtx>,
    /// Section index data.
    pub section: Option<SectionInfoCtx>,
    /// Pages of the section (for an index).
    pub children: Vec<SummaryCtx>,
    /// Print views of a curriculum: (full, participant).
    pub print_urls: Option<(String, String)>,
    /// A training section's weeks, from its modules' timed activities.
    pub weekly_plan: Vec<WeekPlanCtx>,
    /// Handout data.
    pub handout: Option<HandoutCtx>,
    /// Date the page's crisis-line facts were last checked.
    pub verified: Option<String>,
}

/// A handout named by a session.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutRefCtx {
    /// The handout's file name without `.md`: `listening-tips`.
    pub id: String,
    /// Title in the reader's language (or the source's, for a missing translation).
    pub title: String,
    /// URL of the handout's page.
    pub url: String,
}

/// The front matter of a handout, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutCtx {
    /// The file name without `.md`.
    pub id: String,
    /// A sheet with blanks to fill in.
    pub fill_in: bool,
    /// `sheet` or `resource-card`.
    pub layout: &'static str,
    /// The sessions that use it: "Session 4: …".
    pub sessions: Vec<LinkCtx>,
    /// For a resource card: the agency and the local services.
    pub resources: Option<ResourcesCtx>,
}

/// What a resource card lists, in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct ResourcesCtx {
    /// Local services from `data/resources.yaml`.
    pub services: Vec<ServiceCtx>,
    /// Blank rows to print below them, for services written in by hand.
    pub blank_rows: Vec<u32>,
}

/// One local service on a resource card.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceCtx {
    /// Name.
    pub name: String,
    /// What it offers.
    pub description: Option<String>,
    /// Phone number, as written.
    pub phone: Option<String>,
    /// Opening hours.
    pub hours: Option<String>,
    /// Web address.
    pub url: Option<String>,
}
