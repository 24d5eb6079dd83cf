//! Case studies of good practice, with a "quick facts" card.

use serde::{Deserialize, Serialize};

/// Front matter of a case study.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CaseStudyFront {
    /// Who runs the program.
    pub organization: String,
    /// Where.
    pub location: Option<String>,
    /// Who the program serves.
    pub population: String,
    /// Who among the toolkit's readers it is most useful to.
    pub audience: Option<String>,
    /// The need the program answers.
    pub need: Option<String>,
    /// What is promising.
    pub promising: Option<String>,
    /// The key takeaway.
    pub takeaway: Option<String>,
    /// Parts of the program.
    #[serde(default)]
    pub components: Vec<String>,
    /// Outcomes the source states; empty when it reports none.
    pub outcomes: Vec<String>,
    /// Bibliography id of the source.
    pub source: String,
}
