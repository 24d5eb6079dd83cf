//! Curriculum sessions: a timed agenda that must add up to the session's length.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{KeySpans, YamlSource};

/// The longest a session or an agenda block may last, in minutes.
pub const MAX_MINUTES: u32 = 24 * 60;

/// One block of a session's agenda.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// What happens.
    pub title: String,
    /// How long, in minutes.
    pub minutes: u32,
    /// Guidance for the facilitator.
    pub notes: Option<String>,
}

/// An adaptation of the session for one group.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The group: "Women's groups".
    pub title: String,
    /// What changes.
    pub notes: String,
}

/// Front matter of a session page.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SessionFront {
    /// Session number, 1-based, no gaps.
    pub session: u32,
    /// Length in minutes.
    pub duration: u32,
    /// Why the session exists.
    pub purpose: Option<String>,
    /// What participants will do or learn.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// What to bring.
    #[serde(default)]
    pub materials: Vec<String>,
    /// The timed plan.
    pub agenda: Vec<AgendaItem>,
    /// Notes for facilitators only.
    #[serde(default)]
    pub facilitator_notes: Vec<String>,
    /// Trauma-informed cautions.
    #[serde(default)]
    pub care_notes: Vec<String>,
    /// Handouts to print.
    #[serde(default)]
    pub handouts: Vec<String>,
    /// Adaptations for particular groups.
    #[serde(default)]
    pub variants: Vec<Variant>,
}

impl SessionFront {
    /// Check the agenda against the duration.
    pub fn check(&self, yaml: &YamlSource, spans: &KeySpans) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        // Summed wide, so that no value can overflow.
        let total: u64 = self.agenda.iter().map(|a| u64::from(a.minutes)).sum();
        if self.duration > MAX_MINUTES || self.agenda.iter().any(|a| a.minutes > MAX_MINUTES) {
            problems.push(
                Diagnostic::error(Code::Duration, format!("a session or an agenda block cannot last more than {MAX_MINUTES} minutes (a day)"))
                    .at(spans.get("duration").cloned().unwrap_or_else(|| yaml.span_start()))
                    .hint("write the length in minutes, e.g. `duration: 150`"),
            );
            return problems;
        }
        if self.agenda.is_empty() {
            problems.push(
                Diagnostic::error(Code::AgendaEmpty, "the agenda is empty")
                    .at(spans
                        .get("agenda")
                        .cloned()
                        .unwrap_or_else(|| yaml.span_start()))
                    .hint("list the blocks of the session as `- {title: …, minutes: …}`"),
            );
        } else if total != u64::from(self.duration) {
            let diff = total.abs_diff(u64::from(self.duration));
            let (more_less, fix) = if total > u64::from(self.duration) {
                ("more", "shorten a block")
            } else {
                ("less", "lengthen a block")
            };
            problems.push(
                Diagnostic::error(
                    Code::AgendaTotal,
                    format!(
                        "the agenda adds up to {total} minutes, but the session lasts {} minutes",
                        self.duration
                    ),
                )
                .at(spans
                    .get("duration")
                    .cloned()
                    .unwrap_or_else(|| yaml.span_start()))
                .label(format!(
                    "the agenda is {diff} minutes {more_less} than this"
                ))
                .hint(format!(
                    "{fix} by {diff} minutes, or change `duration` to {total}"
                )),
            );
        }
        if self.session == 0 {
            problems.push(
                Diagnostic::error(Code::SessionNumber, "session numbers start at 1")
                    .at(spans
                        .get("session")
                        .cloned()
                        .unwrap_or_else(|| yaml.span_start()))
                    .hint("number the sessions 1, 2, 3…"),
            );
        }
        problems
    }
}
