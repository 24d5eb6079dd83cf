//! Participant handouts: plain-language sheets that sessions name and that print on
//! one or two pages.

use serde::{Deserialize, Serialize};

/// How a handout is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandoutLayout {
    /// A sheet of one or two pages.
    #[default]
    Sheet,
    /// A wallet-size card with the agency's contact, emergency numbers and the local
    /// services of `data/resources.yaml`.
    ResourceCard,
}

/// Front matter of a handout.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HandoutFront {
    /// A sheet with blanks that the agency or the participant fills in.
    #[serde(default)]
    pub fill_in: bool,
    /// Sheet or card.
    #[serde(default)]
    pub layout: HandoutLayout,
}

/// The name sessions use for the handout with translation key `key`: its file name
/// without `.md` (`handouts/listening-tips` → `listening-tips`).
pub fn id_of(key: &str) -> &str {
    key.strip_prefix("handouts/").unwrap_or(key)
}

/// The translation key of the handout a session names as `id`.
pub fn key_of(id: &str) -> String {
    format!("handouts/{}", id.trim().trim_end_matches(".md"))
}
