//! Training modules of the peer facilitator training.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{KeySpans, YamlSource};

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
    /// Exercises.
    #[serde(default)]
    pub activities: Vec<String>,
    /// How learning is checked.
    #[serde(default)]
    pub assessment: Vec<String>,
}

impl ModuleFront {
    /// Check hours and number.
    pub fn check(&self, yaml: &YamlSource, spans: &KeySpans) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if !(self.hours.is_finite() && self.hours > 0.0) {
            problems.push(
                Diagnostic::error(Code::ModuleHours, "`hours` must be a positive number")
                    .at(spans
                        .get("hours")
                        .cloned()
                        .unwrap_or_else(|| yaml.span_start()))
                    .hint("write the teaching hours, e.g. `hours: 8` or `hours: 7.5`"),
            );
        }
        if self.module == 0 {
            problems.push(
                Diagnostic::error(Code::ModuleNumber, "module numbers start at 1")
                    .at(spans
                        .get("module")
                        .cloned()
                        .unwrap_or_else(|| yaml.span_start()))
                    .hint("number the modules 1, 2, 3…"),
            );
        }
        problems
    }
}
