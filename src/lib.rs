//! Passerelle: a static site generator for a bilingual peer-support planning and
//! facilitation toolkit.

pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod yaml;
