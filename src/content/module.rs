//! Training modules of the peer facilitator training: timed activities that must
//! add up to the module's hours, each in one of the weeks the module is taught.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic, SourceSpan};
use crate::yaml::{KeySpans, YamlSource};

/// One timed activity of a module.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// What happens (inline Markdown).
    pub title: String,
    /// How long, in minutes.
    pub minutes: u32,
    /// The week of the training it is taught in; required when the module spans
    /// more than one week.
    pub week: Option<u32>,
    /// How to run it (inline Markdown).
    pub notes: Option<String>,
}

/// The keys of an activity, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityFields {
    title: String,
    minutes: u32,
    week: Option<u32>,
    notes: Option<String>,
}

/// An activity is a mapping; a plain text (the untimed form) is refused with the
/// form to write instead.
impl<'de> Deserialize<'de> for Activity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ActivityVisitor;
        impl<'de> serde::de::Visitor<'de> for ActivityVisitor {
            type Value = Activity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a timed activity such as `{title: \"…\", minutes: 30}`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Activity, E> {
                Err(E::custom(format!(
                    "the activity \"{text}\" has no time: write it as `{{title: \"{text}\", minutes: 30}}` with its minutes"
                )))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Activity, A::Error> {
                let f =
                    ActivityFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Activity {
                    title: f.title,
                    minutes: f.minutes,
                    week: f.week,
                    notes: f.notes,
                })
            }
        }
        deserializer.deserialize_any(ActivityVisitor)
    }
}

/// Front matter of a training module.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ModuleFront {
    /// Module number, 1-based, no gaps.
    pub module: u32,
    /// Teaching hours.
    pub hours: f64,
    /// Weeks of the program the module is taught in.
    #[serde(default)]
    pub weeks: Vec<u32>,
    /// What the learner can do afterwards.
    #[serde(default)]
    pub outcomes: Vec<String>,
    /// The timed plan.
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// How learning is checked.
    #[serde(default)]
    pub assessment: Vec<String>,
}

/// The longest a module may last, in hours (so minutes cannot overflow).
const MAX_HOURS: f64 = 1000.0;

impl ModuleFront {
    /// The minutes of activities in each week, in the order of `weeks`; activities
    /// without a week count in the module's only week.
    pub fn minutes_by_week(&self) -> Vec<(u32, u32)> {
        self.weeks
            .iter()
            .map(|&w| {
                let minutes = self
                    .activities
                    .iter()
                    .filter(|a| a.week.map_or(self.weeks.len() == 1, |aw| aw == w))
                    .fold(0u32, |sum, a| sum.saturating_add(a.minutes));
                (w, minutes)
            })
            .collect()
    }

    /// Check hours, number, and the timed activities against the hours and weeks.
    pub fn check(&self, yaml: &YamlSource, spans: &KeySpans) -> Vec<Diagnostic> {
        let at = |key: &str| spans.get(key).cloned().unwrap_or_else(|| yaml.span_start());
        let mut problems = Vec::new();
        if self.module == 0 {
            problems.push(
                Diagnostic::error(Code::ModuleNumber, "module numbers start at 1")
                    .at(at("module"))
                    .hint("number the modules 1, 2, 3…"),
            );
        }
        if !(self.hours.is_finite() && self.hours > 0.0 && self.hours <= MAX_HOURS) {
            problems.push(
                Diagnostic::error(
                    Code::ModuleHours,
                    format!("`hours` must be a positive number of at most {MAX_HOURS}"),
                )
                .at(at("hours"))
                .hint("write the teaching hours, e.g. `hours: 8` or `hours: 7.5`"),
            );
            return problems;
        }
        let activities_at = spans
            .get("activities")
            .cloned()
            .unwrap_or_else(|| at("hours"));
        problems.extend(self.check_total(at("hours"), activities_at.clone()));
        problems.extend(self.check_weeks(activities_at, at("weeks")));
        problems
    }

    /// The activities' minutes must add up to the hours.
    fn check_total(&self, hours_at: SourceSpan, activities_at: SourceSpan) -> Option<Diagnostic> {
        // Summed wide, so that no value can overflow.
        let total: u64 = self.activities.iter().map(|a| u64::from(a.minutes)).sum();
        let expected = self.hours * 60.0;
        if self.activities.is_empty() {
            return Some(
                Diagnostic::error(Code::ActivitiesTotal, "the module lists no timed activity")
                    .at(activities_at)
                    .hint("list the module's activities as `- {title: …, minutes: …}`; their minutes add up to `hours`"),
            );
        }
        // Whole minutes, within rounding (8.45 h is 507 minutes, not 506.99…).
        let rounded = expected.round();
        if (expected - rounded).abs() > 1e-6 {
            return Some(
                Diagnostic::error(
                    Code::ModuleHours,
                    format!("{} hours is not a whole number of minutes", self.hours),
                )
                .at(hours_at)
                .hint("use hours that are whole minutes, such as 7.5 or 7.25"),
            );
        }
        // `rounded` is a whole number of at most 60,000: the cast is exact.
        let expected = rounded as u64;
        if total == expected {
            return None;
        }
        let diff = total.abs_diff(expected);
        let (more_less, fix) = if total > expected {
            ("more", format!("shorten the activities by {diff} minutes"))
        } else {
            (
                "less",
                format!("lengthen an activity by {diff} minutes or add one of {diff} minutes"),
            )
        };
        Some(
            Diagnostic::error(
                Code::ActivitiesTotal,
                format!(
                    "the activities add up to {total} minutes, but the module lasts {} hours ({expected} minutes)",
                    self.hours,
                ),
            )
            .at(hours_at)
            .label(format!("the activities are {diff} minutes {more_less} than this"))
            .hint(format!("{fix}, or change `hours`")),
        )
    }

    /// Each activity's week must be one of the module's weeks, and must be given
    /// when the module spans several weeks.
    fn check_weeks(&self, activities_at: SourceSpan, weeks_at: SourceSpan) -> Vec<Diagnostic> {
        let weeks = || {
            self.weeks
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut problems = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        if let Some(w) = self.weeks.iter().find(|w| !seen.insert(**w)) {
            problems.push(
                Diagnostic::error(
                    Code::ActivityWeek,
                    format!("week {w} is listed twice in `weeks`"),
                )
                .at(weeks_at.clone())
                .hint("list each week once"),
            );
        }
        for a in &self.activities {
            match a.week {
                Some(w) if !self.weeks.contains(&w) => problems.push(
                    Diagnostic::error(
                        Code::ActivityWeek,
                        format!("the activity “{}” is in week {w}, which is not one of the module's weeks", a.title),
                    )
                    .at(weeks_at.clone())
                    .hint(if self.weeks.is_empty() {
                        format!("add {w} to `weeks`, or remove `week` from the activity")
                    } else {
                        format!("use one of the weeks {} or add {w} to `weeks`", weeks())
                    }),
                ),
                None if self.weeks.len() > 1 => problems.push(
                    Diagnostic::error(
                        Code::ActivityWeek,
                        format!("the module is taught over weeks {}, but the activity “{}” does not say in which", weeks(), a.title),
                    )
                    .at(activities_at.clone())
                    .hint(format!("add `week: {}` (or another of its weeks) to the activity", self.weeks[0])),
                ),
                _ => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(hours: f64, minutes: &[u32]) -> ModuleFront {
        ModuleFront {
            module: 1,
            hours,
            weeks: vec![1],
            outcomes: Vec::new(),
            activities: minutes
                .iter()
                .map(|&m| Activity {
                    title: "A".into(),
                    minutes: m,
                    week: None,
                    notes: None,
                })
                .collect(),
            assessment: Vec::new(),
        }
    }

    #[test]
    fn hours_that_are_whole_minutes_pass_despite_floating_point() {
        let yaml = YamlSource::whole("m.md", std::sync::Arc::from("hours: 8.45\n"));
        let spans = KeySpans::default();
        // 8.45 × 60 is 506.99999999999994 in binary floating point.
        assert!(module(8.45, &[500, 7]).check(&yaml, &spans).is_empty());
        assert!(module(4.1, &[246]).check(&yaml, &spans).is_empty());
        let odd = module(1.01, &[60]).check(&yaml, &spans);
        assert_eq!(odd.len(), 1);
        assert!(odd[0].message.contains("not a whole number of minutes"));
    }
}
