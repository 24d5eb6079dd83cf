//! `toolkit.yaml`: the site's settings (title, languages, base URL, branding).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{KeySpans, KeyTree, YamlSource, parse_mapping, struct_fields, unknown_keys};

/// Text direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian…).
    Rtl,
}

/// One language of the toolkit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 code, used in URLs and `<html lang>`: `en`, `fr`, `ar`.
    pub code: String,
    /// The language's name in itself: `English`, `Français`.
    pub name: String,
    /// `ltr` or `rtl`.
    #[serde(default)]
    pub direction: Direction,
}

/// Colours of the theme, as CSS colours.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    /// Main colour: header, links.
    pub primary: Option<String>,
    /// Accent colour: highlights, focus ring.
    pub accent: Option<String>,
}

/// How to reach the agency.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number, as it should be shown.
    pub phone: Option<String>,
    /// Web site.
    pub url: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// The agency's brand.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Name of the organization publishing the toolkit.
    pub name: Option<String>,
    /// Path of a logo image under `static/`.
    pub logo: Option<String>,
    /// Theme colours.
    #[serde(default)]
    pub colors: Colors,
    /// Contact details shown in the footer.
    #[serde(default)]
    pub contact: Contact,
}

/// What a language without a translation of a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UntranslatedPolicy {
    /// The source text at the translated URL, under a notice.
    #[default]
    Fallback,
    /// No page in that language.
    Skip,
}

/// Kind of pages a section folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Curriculum sessions.
    Curriculum,
    /// Training modules.
    Training,
    /// Case studies.
    CaseStudies,
    /// Guide pages.
    Guides,
    /// Participant handouts.
    Handouts,
}

/// Site search.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Build a search index (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Index the boxes meant for facilitators only (default false).
    #[serde(default)]
    pub index_facilitator_notes: bool,
}

fn yes() -> bool {
    true
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            index_facilitator_notes: false,
        }
    }
}

/// The whole of `toolkit.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Config {
    /// Title of the toolkit in each language.
    pub title: BTreeMap<String, String>,
    /// One-sentence description in each language.
    #[serde(default)]
    pub description: BTreeMap<String, String>,
    /// Languages in order; the first is the source language.
    pub languages: Vec<Language>,
    /// Where the site is published: `https://org.github.io/toolkit/` or `/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The agency's brand.
    #[serde(default)]
    pub branding: Branding,
    /// Default policy for untranslated pages.
    #[serde(default)]
    pub untranslated: UntranslatedPolicy,
    /// Site search.
    #[serde(default)]
    pub search: SearchConfig,
    /// The theme folder, relative to the toolkit folder (default `themes/default`).
    #[serde(default)]
    pub theme: Option<String>,
    /// Section folders whose kind is not given by their name (`curriculum`,
    /// `training`, `case-studies`; anything else holds guides).
    #[serde(default)]
    pub sections: BTreeMap<String, SectionKind>,
}

fn default_base_url() -> String {
    "/".to_string()
}

impl Config {
    /// Read and check `toolkit.yaml` at `path` (shown to users as `display`).
    pub fn load(path: &Path, display: &Path) -> Result<Self, Vec<Diagnostic>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(Code::Config, format!("cannot read the site settings: {e}"))
                        .in_file(display)
                        .hint("run `passerelle init DIR` to start a toolkit, or pass --root to point at one"),
                ]);
            }
        };
        let text = crate::source::normalize_text(text);
        Self::parse(Arc::from(text), display)
    }

    /// Check settings given as text.
    pub fn parse(text: Arc<str>, display: &Path) -> Result<Self, Vec<Diagnostic>> {
        let source = YamlSource::whole(display, text);
        let (config, spans, mut problems): (Option<Config>, KeySpans, _) =
            parse_mapping(&source, struct_fields::<Config>(), "toolkit.yaml");
        let nested = nested_unknown_keys(&source);
        if !nested.is_empty() {
            // Serde stops at the first unknown nested key, with a hint about YAML
            // syntax: the list of every one, each with its closest key, replaces it.
            problems.retain(|d| !(d.code == Code::Yaml && d.message.contains("unknown field")));
            problems.extend(nested);
        }
        if let Some(c) = &config
            && let Err(more) = c.validate(&source, &spans)
        {
            problems.extend(more);
        }
        match config {
            Some(c) if problems.is_empty() => Ok(c),
            _ => Err(problems),
        }
    }

    fn validate(&self, source: &YamlSource, spans: &KeySpans) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let at = |key: &str| {
            spans
                .get(key)
                .cloned()
                .unwrap_or_else(|| source.span_start())
        };
        if self.languages.is_empty() {
            problems.push(
                Diagnostic::error(Code::Config, "no language is listed")
                    .at(at("languages"))
                    .hint("list at least one language, e.g. `- {code: en, name: English, direction: ltr}`"),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for lang in &self.languages {
            let valid = !lang.code.is_empty()
                && lang
                    .code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("`{}` is not a language code", lang.code),
                    )
                    .at(at("languages"))
                    .hint(
                        "use a short code such as `en`, `fr` or `ar` (letters, digits and hyphens)",
                    ),
                );
            }
            if !seen.insert(lang.code.as_str()) {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("language `{}` is listed twice", lang.code),
                    )
                    .at(at("languages"))
                    .hint("keep one entry per language"),
                );
            }
            // Another language without its title shows the source language's.
            if lang.code == self.languages[0].code && !self.title.contains_key(&lang.code) {
                problems.push(
                    Diagnostic::error(
                        Code::Config,
                        format!("the title has no `{}` version", lang.code),
                    )
                    .at(at("title"))
                    .hint(format!("add `{}: …` under `title:`", lang.code)),
                );
            }
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            problems.push(
                Diagnostic::error(
                    Code::Config,
                    format!(
                        "base_url `{}` is neither a path nor a web address",
                        self.base_url
                    ),
                )
                .at(at("base_url"))
                .hint("write `/`, `/toolkit/` or `https://org.github.io/toolkit/`"),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The theme folder.
    pub fn theme_dir(&self, root: &Path) -> std::path::PathBuf {
        match &self.theme {
            Some(t) => root.join(t),
            None => root.join("themes").join("default"),
        }
    }

    /// The source language (the first listed).
    pub fn source_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The language with `code`.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The toolkit's title in language `code`, or else in the source language.
    pub fn title_in(&self, code: &str) -> String {
        crate::data::in_language(&self.title, code, &self.source_language().code)
            .cloned()
            .unwrap_or_default()
    }

    /// `rtl` or `ltr`: the direction of language `code` (`ltr` for a code the
    /// toolkit does not have).
    pub fn direction_of(&self, code: &str) -> &'static str {
        match self.language(code).map(|l| l.direction) {
            Some(Direction::Rtl) => "rtl",
            _ => "ltr",
        }
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// The kind of a top-level section folder.
    pub fn section_kind(&self, folder: &str) -> SectionKind {
        if let Some(kind) = self.sections.get(folder) {
            return *kind;
        }
        match folder {
            "curriculum" => SectionKind::Curriculum,
            "training" => SectionKind::Training,
            "case-studies" => SectionKind::CaseStudies,
            "handouts" => SectionKind::Handouts,
            _ => SectionKind::Guides,
        }
    }
}

/// The path part of a base URL, starting and ending with `/`.
pub fn base_path_of(base_url: &str) -> String {
    crate::routes::BaseUrl::parse(base_url).path
}

/// Unknown keys inside the mappings of `toolkit.yaml` (`branding`, its `colors` and
/// `contact`, `search`), every one of them.
fn nested_unknown_keys(source: &YamlSource) -> Vec<Diagnostic> {
    let Ok(tree) = serde_saphyr::from_str::<KeyTree>(source.yaml()) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    if let Some(branding) = tree.child("branding") {
        problems.extend(unknown_keys(
            source,
            branding,
            struct_fields::<Branding>(),
            "`branding`",
        ));
        if let Some(colors) = branding.child("colors") {
            problems.extend(unknown_keys(
                source,
                colors,
                struct_fields::<Colors>(),
                "`branding.colors`",
            ));
        }
        if let Some(contact) = branding.child("contact") {
            problems.extend(unknown_keys(
                source,
                contact,
                struct_fields::<Contact>(),
                "`branding.contact`",
            ));
        }
    }
    if let Some(search) = tree.child("search") {
        problems.extend(unknown_keys(
            source,
            search,
            struct_fields::<SearchConfig>(),
            "`search`",
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path_of("https://org.github.io/toolkit"), "/toolkit/");
        assert_eq!(base_path_of("https://example.org"), "/");
        assert_eq!(base_path_of("/"), "/");
    }

    #[test]
    fn unknown_key_suggests() {
        let text = "title: {en: A}\nlanguages:\n  - {code: en, name: English}\nbrandin: {}\n";
        let errors = Config::parse(Arc::from(text), Path::new("toolkit.yaml")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `branding`?"));
    }
}
