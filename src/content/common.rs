//! Front-matter keys every page may use.

use serde::{Deserialize, Serialize};

use crate::config::UntranslatedPolicy;

/// A citation of a bibliography entry: `mhcc` or `{id: mhcc, locator: "Values"}`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum SourceRef {
    /// Just the id.
    Id(String),
    /// The id and where in the source.
    Located {
        /// Bibliography id from `data/sources.yaml`.
        id: String,
        /// Section or page of the source.
        locator: Option<String>,
    },
}

impl SourceRef {
    /// The bibliography id.
    pub fn id(&self) -> &str {
        match self {
            SourceRef::Id(id) | SourceRef::Located { id, .. } => id,
        }
    }

    /// The locator, if any.
    pub fn locator(&self) -> Option<&str> {
        match self {
            SourceRef::Id(_) => None,
            SourceRef::Located { locator, .. } => locator.as_deref(),
        }
    }
}

/// The trauma-informed principles a page can serve.
pub const PRINCIPLES: &[&str] = &[
    "safety",
    "trustworthiness",
    "peer-support",
    "collaboration",
    "empowerment",
    "culture",
];

/// Keys common to every page.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct CommonFront {
    /// Page title.
    pub title: String,
    /// One-sentence summary.
    pub description: Option<String>,
    /// A short title for menus (section indexes), when the title is long.
    pub menu_title: Option<String>,
    /// Last URL segment.
    pub slug: Option<String>,
    /// Order within the section.
    pub weight: Option<i64>,
    /// Left out unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Pairs translations.
    pub translation_key: Option<String>,
    /// Topic ids.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Trauma-informed principle ids.
    #[serde(default)]
    pub principles: Vec<String>,
    /// Citations.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Date of the last review, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Date the page's crisis-line facts (numbers, hours, languages) were last checked,
    /// `YYYY-MM-DD`; the build warns when it is more than a year old.
    pub verified: Option<String>,
    /// In a translation: the version of the source it was made from.
    pub source_hash: Option<String>,
    /// In a source page: what languages without a translation show.
    pub untranslated: Option<UntranslatedPolicy>,
}

/// How old a `verified` date may be before the build warns, in days.
pub const VERIFIED_MAX_AGE_DAYS: i32 = 365;

/// Today's date: `SOURCE_DATE_EPOCH` (seconds since 1970, for reproducible builds and
/// tests) when set, otherwise the system clock, in UTC.
pub fn today() -> jiff::civil::Date {
    if let Some(date) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
    {
        return date.to_zoned(jiff::tz::TimeZone::UTC).date();
    }
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}
