//! Site data files in `data/`: the bibliography, topics and the glossary.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::figures::Figure;
use crate::source::normalize_text;
use crate::yaml::{YamlSource, parse};

/// One bibliography entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The full citation, per language (Markdown inline).
    pub citation: BTreeMap<String, String>,
    /// A web address, if the source has one.
    pub url: Option<String>,
}

/// One topic: its label per language, and an optional group (`population`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Topic {
    /// `population` for topics that describe who a program serves.
    pub group: Option<String>,
    /// Labels by language code.
    #[serde(flatten)]
    pub labels: BTreeMap<String, String>,
}

/// One glossary entry: the term in each language and an optional note per language.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GlossaryEntry {
    /// Notes by language.
    #[serde(default)]
    pub note: BTreeMap<String, String>,
    /// Terms by language code.
    #[serde(flatten)]
    pub terms: BTreeMap<String, String>,
}

/// Text in each language, by language code.
pub type Localized = BTreeMap<String, String>;

/// The text of `texts` in language `code`, or else the source language's, marked
/// as such so that the page shows it with that language's `lang` and `dir`.
pub fn shown_in(texts: &Localized, code: &str, source: &str) -> Option<String> {
    match texts.get(code) {
        Some(t) => Some(t.clone()),
        None => texts.get(source).map(|t| crate::i18n::marked(t, source)),
    }
}

/// The text of `texts` in language `code`, or else in the source language.
pub fn in_language<'a>(texts: &'a Localized, code: &str, source: &str) -> Option<&'a String> {
    texts.get(code).or_else(|| texts.get(source))
}

/// One local service listed on the resource card.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name, per language.
    pub name: Localized,
    /// What it offers, per language.
    #[serde(default)]
    pub description: Localized,
    /// Phone number, as it should be printed.
    pub phone: Option<String>,
    /// Opening hours, per language.
    #[serde(default)]
    pub hours: Localized,
    /// Web address.
    pub url: Option<String>,
}

/// `data/resources.yaml`: the local services an agency prints on its resource card.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Services, in the order they are printed.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Blank rows printed after them, to write services in by hand (default 4).
    pub blank_rows: Option<u32>,
}

/// The longest a snippet name may be, in bytes.
const MAX_SNIPPET_NAME: usize = 100;

/// Everything in `data/`.
#[derive(Debug, Clone, Default)]
pub struct SiteData {
    /// Bibliography by id.
    pub sources: BTreeMap<String, SourceEntry>,
    /// Topics by id.
    pub topics: BTreeMap<String, Topic>,
    /// Glossary entries in file order.
    pub glossary: Vec<GlossaryEntry>,
    /// Local services for the resource card.
    pub resources: Resources,
    /// Blocks of Markdown written once and included in pages: language → name → text,
    /// from `data/snippets/{lang}/{name}.md`.
    pub snippets: BTreeMap<String, BTreeMap<String, Arc<str>>>,
    /// Figures of `data/figures.yaml`, drawn in each language: language → name → HTML.
    pub figures: BTreeMap<String, BTreeMap<String, Arc<str>>>,
}

fn read_yaml<T: for<'de> Deserialize<'de> + Default>(
    root: &Path,
    name: &str,
    diags: &mut Diagnostics,
) -> (T, Option<YamlSource>) {
    let path = root.join("data").join(name);
    let display = Path::new("data").join(name);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (T::default(), None),
        Err(e) => {
            diags.push(
                Diagnostic::error(Code::Io, format!("cannot read this file: {e}")).in_file(display),
            );
            return (T::default(), None);
        }
    };
    let source = YamlSource::whole(display, Arc::from(normalize_text(text)));
    if source.yaml().trim().is_empty() {
        return (T::default(), Some(source));
    }
    match parse::<T>(&source, name) {
        Ok(v) => (v, Some(source)),
        Err(d) => {
            diags.push(d);
            (T::default(), Some(source))
        }
    }
}

impl SiteData {
    /// Read `data/*.yaml` under `root`, checking that every language has its text.
    pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Self {
        let (sources, sources_file): (BTreeMap<String, SourceEntry>, _) =
            read_yaml(root, "sources.yaml", diags);
        let (topics, topics_file): (BTreeMap<String, Topic>, _) =
            read_yaml(root, "topics.yaml", diags);
        let (glossary, glossary_file): (Vec<GlossaryEntry>, _) =
            read_yaml(root, "glossary.yaml", diags);
        let (resources, _): (Resources, _) = read_yaml(root, "resources.yaml", diags);
        let (figures, figures_file): (BTreeMap<String, Figure>, _) =
            read_yaml(root, "figures.yaml", diags);
        let snippets = load_snippets(root, config, diags);
        for lang in &config.languages {
            let code = &lang.code;
            let source = &config.source_language().code;
            if let Some(f) = &sources_file {
                let missing: Vec<&String> = sources
                    .iter()
                    .filter(|(_, s)| !s.citation.contains_key(code))
                    .map(|(id, _)| id)
                    .collect();
                diags.extend(missing_texts(
                    f,
                    &missing,
                    sources.len(),
                    "sources",
                    "citation",
                    code,
                    source,
                ));
            }
            if let Some(f) = &topics_file {
                let missing: Vec<&String> = topics
                    .iter()
                    .filter(|(_, t)| !t.labels.contains_key(code))
                    .map(|(id, _)| id)
                    .collect();
                diags.extend(missing_texts(
                    f,
                    &missing,
                    topics.len(),
                    "topics",
                    "label",
                    code,
                    source,
                ));
            }
            if let Some(f) = &glossary_file {
                let missing: Vec<String> = glossary
                    .iter()
                    .filter(|g| !g.terms.contains_key(code))
                    .filter_map(|g| {
                        g.terms
                            .get(source)
                            .or_else(|| g.terms.values().next())
                            .cloned()
                    })
                    .collect();
                let missing: Vec<&String> = missing.iter().collect();
                diags.extend(missing_texts(
                    f,
                    &missing,
                    glossary.len(),
                    "glossary entries",
                    "term",
                    code,
                    source,
                ));
            }
        }
        if let Some(f) = &figures_file {
            check_figures(&figures, f, config, diags);
        }
        let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
        SiteData {
            sources,
            topics,
            glossary,
            resources,
            snippets,
            figures: crate::figures::render_all(
                &figures,
                &codes,
                &config.source_language().code,
                config.direction_of(&config.source_language().code),
            ),
        }
    }

    /// The topics of a group (`population`), or those of no group (`None`).
    pub fn topics_in_group(&self, group: Option<&str>) -> impl Iterator<Item = (&String, &Topic)> {
        self.topics
            .iter()
            .filter(move |(_, t)| t.group.as_deref() == group)
    }
}

/// Each figure has its title and summary in every language, and a number of
/// levels it can draw.
fn check_figures(
    figures: &BTreeMap<String, Figure>,
    file: &YamlSource,
    config: &Config,
    diags: &mut Diagnostics,
) {
    for (name, f) in figures {
        if !crate::figures::is_figure_name(name) {
            diags.push(
                Diagnostic::error(Code::Figure, format!("`{name}` cannot name a figure"))
                    .in_file(file.path.clone())
                    .hint("name figures with letters, digits and dashes, e.g. `ecological-model`"),
            );
        }
        if f.levels.is_empty() || f.levels.len() > crate::figures::MAX_LEVELS {
            let d = Diagnostic::error(
                Code::Figure,
                format!(
                    "figure `{name}` has {} levels; a figure draws 1 to {}",
                    f.levels.len(),
                    crate::figures::MAX_LEVELS
                ),
            )
            .hint("list the levels under `levels:`, from the innermost");
            diags.push(at_text(d, file, name));
        }
        for lang in &config.languages {
            let code = &lang.code;
            let names_missing = f.levels.iter().any(|l| !l.name.contains_key(code));
            if !f.title.contains_key(code) || !f.summary.contains_key(code) || names_missing {
                diags.push(missing_text(
                    file,
                    name,
                    &format!("figure `{name}` is not written in `{code}`: its title, summary or a level's name is missing"),
                    code,
                ));
            }
        }
    }
}

/// Read `data/snippets/{lang}/*.md` for every language of the toolkit.
fn load_snippets(
    root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> BTreeMap<String, BTreeMap<String, Arc<str>>> {
    let mut all = BTreeMap::new();
    for lang in &config.languages {
        let dir = root.join("data").join("snippets").join(&lang.code);
        let mut snippets = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            all.insert(lang.code.clone(), snippets);
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let display = Path::new("data")
                .join("snippets")
                .join(&lang.code)
                .join(path.file_name().unwrap_or_default());
            let is_md = path.extension().and_then(|e| e.to_str()) == Some("md");
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if !is_md || name.starts_with('.') || !path.is_file() {
                continue;
            }
            if name.len() > MAX_SNIPPET_NAME || name.contains(char::is_whitespace) {
                diags.push(
                    Diagnostic::error(
                        Code::Snippet,
                        "this snippet's file name cannot be used in `::: include`",
                    )
                    .in_file(display)
                    .hint(
                        "name snippets with letters, digits and dashes, e.g. `confidentiality.md`",
                    ),
                );
                continue;
            }
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        snippets.insert(name.to_string(), Arc::from(normalize_text(text)));
                    }
                    Err(_) => diags.push(
                        Diagnostic::error(Code::Encoding, "this snippet is not UTF-8 text")
                            .in_file(display)
                            .hint("save the file as UTF-8 in your editor"),
                    ),
                },
                Err(e) => diags.push(
                    Diagnostic::error(Code::Io, format!("cannot read this snippet: {e}"))
                        .in_file(display)
                        .hint("check that the file exists and that you may read it"),
                ),
            }
        }
        all.insert(lang.code.clone(), snippets);
    }
    all
}

/// One warning for the items of a data file that lack language `code`: how many,
/// the first of them, and that they are shown in the source language.
fn missing_texts(
    file: &YamlSource,
    missing: &[&String],
    total: usize,
    items: &str,
    what: &str,
    code: &str,
    source: &str,
) -> Option<Diagnostic> {
    let first = missing.first()?;
    let message = if missing.len() == 1 {
        format!("`{first}` of {items} has no `{code}` {what}; it is shown in `{source}`")
    } else {
        format!(
            "{} of the {total} {items} have no `{code}` {what} (the first is `{first}`); they are shown in `{source}`",
            missing.len()
        )
    };
    Some(missing_text(file, first, &message, code))
}

fn missing_text(file: &YamlSource, needle: &str, message: &str, code: &str) -> Diagnostic {
    let d = Diagnostic::warning(Code::DataLanguage, message.to_string()).hint(format!(
        "add the `{code}` text so readers of that language see it in their language"
    ));
    at_text(d, file, needle)
}

/// `d` placed at the first occurrence of `needle` in `file`, or at the file.
fn at_text(d: Diagnostic, file: &YamlSource, needle: &str) -> Diagnostic {
    match file.yaml().find(needle) {
        Some(i) => d.at(crate::diagnostics::SourceSpan::new(
            file.path.clone(),
            file.file_text.clone(),
            i..i + needle.len(),
        )),
        None => d.in_file(file.path.clone()),
    }
}
