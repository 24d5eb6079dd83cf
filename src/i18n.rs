//! UI strings (menus, labels, notices) per language, from the theme's
//! `i18n/{lang}.yaml`, overridden key by key by the site's own `i18n/{lang}.yaml`.
//! A string a language lacks is shown in the source language; templates mark it
//! with the source language's `lang` and `dir` ([`mark_fallback`]).

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
    /// The source language's code.
    source: String,
    /// The source language's keys each language lacks, in key order.
    untranslated: BTreeMap<String, Vec<String>>,
    /// Each language's direction, `ltr` or `rtl`.
    directions: BTreeMap<String, &'static str>,
}

/// Opens a UI string shown in another language than the page's: then the
/// language code, [`FALLBACK_TEXT`], the text, and [`FALLBACK_CLOSE`]. Private-use
/// characters, which no string of a toolkit holds.
pub const FALLBACK_OPEN: char = '\u{E000}';
/// Separates the language code from the text in a marked string.
pub const FALLBACK_TEXT: char = '\u{E001}';
/// Closes a marked string.
pub const FALLBACK_CLOSE: char = '\u{E002}';

impl UiStrings {
    /// Read the theme's and the site's string files for every configured language.
    /// A key that the source language has and another language lacks is shown in
    /// the source language: one warning per language says how many.
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
                if source.yaml().trim().is_empty() || only_comments(source.yaml()) {
                    files.entry(lang.code.clone()).or_default().push(source);
                    continue;
                }
                match parse::<BTreeMap<String, String>>(&source, "UI strings") {
                    Ok(map) => strings.extend(map),
                    Err(d) => diags.push(d),
                }
                files.entry(lang.code.clone()).or_default().push(source);
            }
            by_lang.insert(lang.code.clone(), strings);
        }
        let source = config.source_language().code.clone();
        let reference = by_lang.get(&source).cloned().unwrap_or_default();
        let mut untranslated = BTreeMap::new();
        for lang in config.languages.iter().skip(1) {
            let strings = &by_lang[&lang.code];
            let missing: Vec<String> = reference
                .keys()
                .filter(|k| !strings.contains_key(*k))
                .cloned()
                .collect();
            if let Some(first) = missing.first() {
                let file = root_i18n_display(lang.code.as_str());
                let mut d = Diagnostic::warning(
                    Code::UiString,
                    format!(
                        "{} of the {} UI strings {} not translated into `{}` (such as `{first}`); pages show them in `{source}`",
                        missing.len(),
                        reference.len(),
                        if missing.len() == 1 { "is" } else { "are" },
                        lang.code
                    ),
                )
                .hint(format!(
                    "translate them in {file}: `passerelle new language` writes each one there from `{source}`, commented out; `passerelle translations` lists them"
                ));
                d = match files.get(&lang.code).and_then(|f| f.last()) {
                    Some(f) => d.at(SourceSpan::new(f.path.clone(), f.file_text.clone(), 0..0)),
                    None => d.in_file(file),
                };
                diags.push(d);
            }
            untranslated.insert(lang.code.clone(), missing);
        }
        UiStrings {
            by_lang,
            source,
            untranslated,
            directions: config
                .languages
                .iter()
                .map(|l| (l.code.clone(), config.direction_of(&l.code)))
                .collect(),
        }
    }

    /// The string `key` in `lang`, without falling back.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.by_lang.get(lang)?.get(key).map(String::as_str)
    }

    /// The string `key` in `lang`, or else in the source language with that
    /// language's code; `None` when no language has it.
    pub fn lookup(&self, lang: &str, key: &str) -> Option<(&str, Option<&str>)> {
        match self.get(lang, key) {
            Some(s) => Some((s, None)),
            None => self
                .get(&self.source, key)
                .map(|s| (s, Some(self.source.as_str()))),
        }
    }

    /// The string `key` in `lang` (or the source language), or the key itself
    /// where no language has it (already reported).
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.lookup(lang, key).map_or(key, |(s, _)| s).to_string()
    }

    /// The string `key` in `lang` for display: one from the source language is
    /// marked ([`marked`]) so that the page gives it that language's `lang` and
    /// `dir`. Not for addresses: use [`UiStrings::text`] there.
    pub fn shown(&self, lang: &str, key: &str) -> String {
        match self.lookup(lang, key) {
            Some((s, None)) => s.to_string(),
            Some((s, Some(source))) => marked(s, source),
            None => key.to_string(),
        }
    }

    /// All strings of `lang`.
    pub fn all(&self, lang: &str) -> Option<&BTreeMap<String, String>> {
        self.by_lang.get(lang)
    }

    /// The source language's keys that `lang` lacks.
    pub fn untranslated(&self, lang: &str) -> &[String] {
        self.untranslated.get(lang).map_or(&[], Vec::as_slice)
    }

    /// Each language's code with its direction, `ltr` or `rtl`.
    pub fn languages(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.directions.iter().map(|(c, d)| (c.as_str(), *d))
    }

    /// How many strings the source language has.
    pub fn count(&self) -> usize {
        self.by_lang.get(&self.source).map_or(0, BTreeMap::len)
    }
}

/// Where a toolkit keeps its own strings for `lang`.
fn root_i18n_display(lang: &str) -> String {
    format!("i18n/{lang}.yaml")
}

/// True when a YAML text holds nothing but comments (a language file whose
/// strings are all still to translate).
fn only_comments(yaml: &str) -> bool {
    yaml.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// A UI string shown in language `lang` although the page is in another: marked
/// so that [`mark_fallback`] can give it its `lang` and `dir`.
pub fn marked(text: &str, lang: &str) -> String {
    format!("{FALLBACK_OPEN}{lang}{FALLBACK_TEXT}{text}{FALLBACK_CLOSE}")
}

/// The marked strings of a rendered page made plain: in text, each becomes a
/// `<span lang dir>` with `dir_of` its language's direction; in attribute values
/// and in the title, the bare text. A page with no mark is returned as it is.
pub fn mark_fallback(html: String, dir_of: &dyn Fn(&str) -> &'static str) -> String {
    if !html.contains(FALLBACK_OPEN) {
        return html;
    }
    use lol_html::html_content::ContentType;
    use lol_html::{RewriteStrSettings, doc_text, element, rewrite_str};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let raw_text = Rc::new(Cell::new(false));
    let pending = RefCell::new(String::new());
    let open: RefCell<Option<String>> = RefCell::new(None);
    let (start, end) = (raw_text.clone(), raw_text.clone());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", |el| {
            let marked: Vec<(String, String)> = el
                .attributes()
                .iter()
                .filter(|a| a.value().contains(FALLBACK_OPEN))
                .map(|a| (a.name(), a.value()))
                .collect();
            for (name, value) in marked {
                el.set_attribute(&name, &rewrite_marks(&value, &|_, t| t.to_string()))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("title, script, style, textarea", move |el| {
            start.set(true);
            let end = end.clone();
            if el.can_have_content() {
                el.on_end_tag(lol_html::end_tag!(move |_| {
                    end.set(false);
                    Ok(())
                }))?;
            } else {
                end.set(false);
            }
            Ok(())
        }))
        .append_document_content_handler(doc_text!(|t| {
            pending.borrow_mut().push_str(t.as_str());
            if !t.last_in_text_node() {
                t.remove();
                return Ok(());
            }
            let text = std::mem::take(&mut *pending.borrow_mut());
            let mut open = open.borrow_mut();
            let out = if !text.contains([FALLBACK_OPEN, FALLBACK_CLOSE]) && open.is_none() {
                text
            } else if raw_text.get() {
                rewrite_marks_from(&text, &mut open, &|_, t| t.to_string())
            } else {
                rewrite_marks_from(&text, &mut open, &|lang, t| {
                    format!("<span lang=\"{lang}\" dir=\"{}\">{t}</span>", dir_of(lang))
                })
            };
            t.replace(&out, ContentType::Html);
            Ok(())
        }));
    let fallback = html.clone();
    rewrite_str(&html, settings).unwrap_or_else(|_| rewrite_marks(&fallback, &|_, t| t.to_string()))
}

/// Where the mark open at the start of `text` closes (skipping marks nested in
/// it), and the text after its close, if it closes in `text`.
fn close_of(text: &str) -> (usize, Option<&str>) {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            FALLBACK_OPEN => depth += 1,
            FALLBACK_CLOSE if depth == 0 => return (i, Some(&text[i + c.len_utf8()..])),
            FALLBACK_CLOSE => depth -= 1,
            _ => {}
        }
    }
    (text.len(), None)
}

/// `text` without the marks in it: each mark's language code goes with it.
fn strip_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            FALLBACK_OPEN => in_code = true,
            FALLBACK_TEXT => in_code = false,
            FALLBACK_CLOSE => {}
            c if !in_code => out.push(c),
            _ => {}
        }
    }
    out
}

/// `text` with each marked string replaced by `with(lang, text)`.
fn rewrite_marks(text: &str, with: &dyn Fn(&str, &str) -> String) -> String {
    rewrite_marks_from(text, &mut None, with)
}

/// [`rewrite_marks`] for one piece of a text that marks may span (text nodes
/// split by elements): `open` holds the language of a mark still open at the
/// start of `text`, and after it, the one still open at its end.
fn rewrite_marks_from(
    text: &str,
    open: &mut Option<String>,
    with: &dyn Fn(&str, &str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        if let Some(lang) = open.clone() {
            // The text up to this mark's close; a mark inside it (a marked label in
            // a marked sentence) is taken as part of it, without its own marks.
            let (end, after) = close_of(rest);
            let body = strip_marks(&rest[..end]);
            if !body.is_empty() {
                out.push_str(&with(&lang, &body));
            }
            match after {
                Some(a) => {
                    *open = None;
                    rest = a;
                }
                None => return out,
            }
        }
        let Some(i) = rest.find(FALLBACK_OPEN) else {
            out.push_str(&rest.replace(FALLBACK_CLOSE, ""));
            return out;
        };
        out.push_str(&rest[..i].replace(FALLBACK_CLOSE, ""));
        let after = &rest[i + FALLBACK_OPEN.len_utf8()..];
        let Some(sep) = after.find(FALLBACK_TEXT) else {
            out.push_str(after);
            return out;
        };
        *open = Some(after[..sep].to_string());
        rest = &after[sep + FALLBACK_TEXT.len_utf8()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(lang: &str) -> &'static str {
        if lang == "ar" { "rtl" } else { "ltr" }
    }

    #[test]
    fn marked_strings_get_their_language_in_text_and_plain_text_in_attributes() {
        let m = marked("Next", "en");
        let t = marked("Toolkit &amp; more", "en");
        let html = format!(
            "<html><head><title>{t}</title></head><body><nav aria-label=\"{m}\"><a href=\"/\">{m} page</a></nav></body></html>"
        );
        let out = mark_fallback(html, &dir);
        assert!(out.contains("<title>Toolkit &amp; more</title>"), "{out}");
        assert!(out.contains("aria-label=\"Next\""), "{out}");
        assert!(
            out.contains("<a href=\"/\"><span lang=\"en\" dir=\"ltr\">Next</span> page</a>"),
            "{out}"
        );
        assert!(!out.contains(FALLBACK_OPEN) && !out.contains(FALLBACK_CLOSE));
    }

    #[test]
    fn a_mark_across_elements_marks_each_piece_of_text() {
        let m = marked("A <em>book</em>, 2010", "en");
        let out = mark_fallback(format!("<p>{m}</p>"), &dir);
        assert_eq!(
            out,
            "<p><span lang=\"en\" dir=\"ltr\">A </span><em><span lang=\"en\" dir=\"ltr\">book</span></em><span lang=\"en\" dir=\"ltr\">, 2010</span></p>"
        );
    }

    #[test]
    fn a_mark_inside_a_mark_leaves_no_mark_behind() {
        let inner = marked("Coping", "en");
        let outer = marked(&format!("Pages about {inner}."), "en");
        let out = mark_fallback(format!("<p>{outer}</p><a title=\"{outer}\">x</a>"), &dir);
        assert_eq!(
            out,
            "<p><span lang=\"en\" dir=\"ltr\">Pages about Coping.</span></p><a title=\"Pages about Coping.\">x</a>"
        );
    }

    #[test]
    fn a_page_without_marks_is_untouched() {
        let html = "<p>Bonjour</p>".to_string();
        assert_eq!(mark_fallback(html.clone(), &dir), html);
    }
}
