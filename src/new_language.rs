//! `passerelle new language CODE --name NAME [--rtl]`: a language added to a
//! toolkit. The entry goes into `toolkit.yaml` (its text edited in place, so its
//! comments stay), `content/CODE/` is made, and `i18n/CODE.yaml` lists every UI
//! string of the source language, commented out, to translate one by one. Until
//! then the build shows each page and string in the source language.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::i18n::UiStrings;

/// What to add.
#[derive(Debug, Clone)]
pub struct NewLanguage<'a> {
    /// BCP 47 code: `ar`, `zh-Hans`.
    pub code: &'a str,
    /// The language's name in itself: `العربية`.
    pub name: &'a str,
    /// Written right to left.
    pub rtl: bool,
}

/// True for a BCP 47 code of the simple kind a toolkit uses: a 2 or 3 letter
/// language, then subtags of 2 to 8 letters or digits (`pt-BR`, `zh-Hans`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Add the language to the toolkit at `root`. Returns the files written or changed.
pub fn add(root: &Path, lang: &NewLanguage) -> Result<Vec<PathBuf>, String> {
    if !is_language_code(lang.code) {
        return Err(format!(
            "`{}` is not a language code: write it as in BCP 47, e.g. `ar`, `so`, `pt-BR`",
            lang.code
        ));
    }
    if lang.name.trim().is_empty() || lang.name.contains(['\n', '\r']) {
        return Err(
            "give the language's name in itself on one line, e.g. --name \"العربية\"".into(),
        );
    }
    let settings = root.join("toolkit.yaml");
    let config = load(&settings, None)?;
    if config.language(lang.code).is_some() {
        return Err(format!(
            "`{}` is already a language of toolkit.yaml",
            lang.code
        ));
    }
    let strings_file = root.join("i18n").join(format!("{}.yaml", lang.code));
    if strings_file.exists() {
        return Err(format!(
            "{} already exists: add the language to toolkit.yaml by hand, or move that file",
            crate::diagnostics::display_path(&strings_file)
        ));
    }
    let text =
        std::fs::read_to_string(&settings).map_err(|e| format!("cannot read toolkit.yaml: {e}"))?;
    // A JSON string is a YAML double-quoted string, escapes included.
    let name = serde_json::to_string(lang.name.trim()).unwrap_or_else(|_| "\"\"".into());
    let entry = format!(
        "{{code: {}, name: {name}, direction: {}}}",
        lang.code,
        if lang.rtl { "rtl" } else { "ltr" }
    );
    let edited = with_language(&text, &entry)?;
    // The edited settings must load, with the new language in them.
    let new_config = load(&settings, Some(&edited))?;
    if new_config.language(lang.code).is_none() {
        return Err(
            "the language could not be added to toolkit.yaml: add it under `languages:` by hand"
                .into(),
        );
    }
    let mut diags = Diagnostics::new();
    let ui = UiStrings::load(root, &config.theme_dir(root), &config, &mut diags);
    let source = config.source_language();
    let strings = ui.all(&source.code).cloned().unwrap_or_default();
    let mut out = format!(
        "# UI strings in {name} ({code}). Each line below is the {source} text, commented\n\
         # out: translate it, then remove the `# ` in front. Until then the site shows\n\
         # the {source} text. `passerelle translations` counts those still to do.\n",
        name = lang.name.trim(),
        code = lang.code,
        source = source.name,
    );
    for (key, value) in &strings {
        // A JSON string is a YAML double-quoted string.
        let quoted = serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into());
        out.push_str(&format!("# {key}: {quoted}\n"));
    }
    let content = root.join("content").join(lang.code);
    std::fs::create_dir_all(&content)
        .map_err(|e| format!("cannot create {}: {e}", content.display()))?;
    let keep = content.join(".gitkeep");
    if !keep.exists() {
        std::fs::write(&keep, "").map_err(|e| format!("cannot write {}: {e}", keep.display()))?;
    }
    if let Some(dir) = strings_file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&strings_file, out)
        .map_err(|e| format!("cannot write {}: {e}", strings_file.display()))?;
    std::fs::write(&settings, edited).map_err(|e| format!("cannot write toolkit.yaml: {e}"))?;
    Ok(vec![settings, content, strings_file])
}

/// The settings loaded from `text` (or from the file).
fn load(settings: &Path, text: Option<&str>) -> Result<Config, String> {
    let result = match text {
        Some(t) => Config::parse(std::sync::Arc::from(t), Path::new("toolkit.yaml")),
        None => Config::load(settings, Path::new("toolkit.yaml")),
    };
    result.map_err(|ds| {
        ds.iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// `text` with `entry` added as the last item of its block list `languages:`,
/// indented as the items before it.
fn with_language(text: &str, entry: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| l.trim_end() == "languages:") else {
        return Err("toolkit.yaml has no `languages:` list of its own lines: add the language there by hand".into());
    };
    // The last line of the last item: an item's own lines are indented deeper
    // than its dash (block-style entries span several lines).
    let mut last = None;
    let mut indent = "  ".to_string();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if trimmed.starts_with("- ") {
            last = Some(i);
            indent = line[..depth].to_string();
        } else if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        } else if last.is_some() && depth > indent.len() {
            last = Some(i);
        } else if line.starts_with(' ') {
            continue;
        } else {
            break;
        }
    }
    let Some(last) = last else {
        return Err("the `languages:` list of toolkit.yaml has no item to add after".into());
    };
    let mut out = String::with_capacity(text.len() + entry.len() + 8);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i == last {
            if !line.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{indent}- {entry}\n"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked() {
        for ok in ["ar", "so", "pt-BR", "zh-Hans", "fil"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "a", "Arabic", "ar_", "../x", "ar-", "AR"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn the_entry_follows_the_last_language_and_keeps_comments() {
        let text = "title: {en: T}\n# Languages\nlanguages:\n  - {code: en, name: English}\n  # French next\n  - {code: fr, name: Français}\nbase_url: \"/\"\n";
        let out = with_language(text, "{code: ar, name: \"العربية\", direction: rtl}").unwrap();
        assert_eq!(
            out,
            "title: {en: T}\n# Languages\nlanguages:\n  - {code: en, name: English}\n  # French next\n  - {code: fr, name: Français}\n  - {code: ar, name: \"العربية\", direction: rtl}\nbase_url: \"/\"\n"
        );
        assert!(with_language("languages: [en]\n", "{}").is_err());
        let block = "languages:\n  - code: en\n    name: English\n  - code: fr\n    name: Français\n    direction: ltr\nbase_url: \"/\"\n";
        let out = with_language(block, "{code: ar}").unwrap();
        assert!(
            out.ends_with("    direction: ltr\n  - {code: ar}\nbase_url: \"/\"\n"),
            "{out}"
        );
    }
}
