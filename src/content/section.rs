//! Section indexes (`_index.md`): the overview page of a section, or the home page.

use serde::{Deserialize, Serialize};

/// Front matter of a section index beyond the common keys.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct SectionFront {
    /// Who the program is for.
    pub audience: Option<String>,
    /// Group size, as text: `8–14`.
    pub group_size: Option<String>,
    /// Number of weeks.
    pub weeks: Option<u32>,
    /// Session length in minutes.
    pub session_length: Option<u32>,
}
