//! UI strings (menus, labels, notices) per language, from the theme's
//! `i18n/{lang}.yaml`, overridden key by key by the site's own `i18n/{lang}.yaml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceSpan};
use crate::source::normalize_text;
use crate::yaml::{YamlSource, parse};

/// UI strings of every language.
#[derive(Debug, Clone, Default)]
pub struct UiStrings {
    by_lang: BTreeMap<String, BTreeMap<String, String>>,
}

impl UiStrings {
    /// Read the theme's and the site's string files for every configured language.
    /// A key that the source language has and another language lacks is an error.
    pub fn load(root: &Path, theme_dir: &Path, config: &Config, diags: &mut Diagnostics) -> Self {
        let mut by_lang = BTreeMap::new();
        let mut files: BTreeMap<String, Vec<YamlSource>> = BTreeMap::new();
        for lang in &config.languages {
            let mut strings = BTreeMap::new();
            for dir in [theme_dir.join("i18n"), root.join("i18n")] {
                let path = dir.join(format!("{}.yaml", lang.code));
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let display = crate::content::relative(root, &path);
                let source = YamlSource::whole(display, Arc::from(normalize_text(text)));
                match parse::<BTreeMap<String, String>>(&source, "UI strings") {
                    Ok(map) => strings.extend(map),
                    Err(d) => diags.push(d),
                }
                files.entry(lang.code.clone()).or_default().push(source);
            }
            by_lang.insert(lang.code.clone(), strings);
        }
        let source = &config.source_language().code;
        let reference = by_lang.get(source).cloned().unwrap_or_default();
        for lang in config.languages.iter().skip(1) {
            let strings = &by_lang[&lang.code];
            for key in reference.keys() {
                if !strings.contains_key(key) {
                    let mut d = Diagnostic::error(
                        Code::UiString,
                        format!(
                            "the UI string `{key}` is missing for language `{}`",
                            lang.code
                        ),
                    )
                    .hint(format!(
                        "add `{key}: \"…\"` to i18n/{}.yaml (the `{source}` text is \"{}\")",
                        lang.code, reference[key]
                    ));
                    d = match files.get(&lang.code).and_then(|f| f.last()) {
                        Some(f) => d.at(SourceSpan::new(f.path.clone(), f.file_text.clone(), 0..0)),
                        None => {
                            d.in_file(theme_dir.join("i18n").join(format!("{}.yaml", lang.code)))
                        }
                    };
                    diags.push(d);
                }
            }
        }
        UiStrings { by_lang }
    }

    /// The string `key` in `lang`.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.by_lang.get(lang)?.get(key).map(String::as_str)
    }

    /// The string `key` in `lang`, or the key itself (for use where a missing
    /// string has already been reported).
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.get(lang, key).unwrap_or(key).to_string()
    }

    /// All strings of `lang`.
    pub fn all(&self, lang: &str) -> Option<&BTreeMap<String, String>> {
        self.by_lang.get(lang)
    }
}
