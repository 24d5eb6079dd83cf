//! Passerelle: a static site generator for a bilingual peer-support planning and
//! facilitation toolkit.
//!
//! The build runs in phases (see [`build`]): load the settings, UI strings, data
//! and pages; validate them across pages; render Markdown; build the assets;
//! render the templates; and write only what changed.

// Diagnostics are the error type of most phases; they are built on the error path
// only, so their size does not matter for speed.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod build;
pub mod checks;
pub mod cli_translations;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod figures;
pub mod format;
pub mod fuzzing;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod new_language;
pub mod offline;
pub mod output;
pub mod plan;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
pub mod translation_diff;
pub mod translations;
pub mod yaml;
