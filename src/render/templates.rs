//! The template environment: minijinja, with templates from the site's own
//! `templates/` folder first and the theme's second, and template errors as
//! diagnostics at the template's file and line.
//!
//! A name under `theme/` (`theme/base.html`) is always the theme's own file, so a
//! site template can extend the one it replaces and change a single block.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

use crate::diagnostics::{Code, Diagnostic, SourceSpan};
use crate::i18n::UiStrings;

/// A template's path and text.
type TemplateFile = (PathBuf, Arc<str>);

/// Where each loaded template came from, for error reports.
#[derive(Debug, Default, Clone)]
pub struct TemplateFiles {
    files: Arc<Mutex<HashMap<String, TemplateFile>>>,
}

impl TemplateFiles {
    fn record(&self, name: &str, path: PathBuf, text: Arc<str>) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(name.to_string(), (path, text));
        }
    }

    fn get(&self, name: &str) -> Option<(PathBuf, Arc<str>)> {
        self.files.lock().ok()?.get(name).cloned()
    }
}

/// The prefix that names the theme's own template, past any site override.
pub const THEME_PREFIX: &str = "theme/";

/// The files a template name can stand for, in the order they are tried: each
/// folder of `dirs` in turn, or for a `theme/…` name the theme's folder alone.
pub fn candidates<'a>(dirs: &'a [PathBuf], name: &'a str) -> impl Iterator<Item = PathBuf> + 'a {
    let (file, search) = match name.strip_prefix(THEME_PREFIX) {
        Some(file) => (file, &dirs[dirs.len().saturating_sub(1)..]),
        None => (name, dirs),
    };
    search.iter().map(move |dir| dir.join(file))
}

/// Build the environment. `dirs` are searched in order: the site's overrides, then
/// the theme's templates (the last folder, which `theme/…` names alone).
pub fn environment(
    root: &Path,
    dirs: Vec<PathBuf>,
    ui: Arc<UiStrings>,
) -> (Environment<'static>, TemplateFiles) {
    let mut env = Environment::new();
    let files = TemplateFiles::default();
    let recorder = files.clone();
    let root = root.to_path_buf();
    env.set_loader(move |name: &str| {
        if name.contains("..") || name.starts_with('/') || name.contains('\\') {
            return Ok(None);
        }
        let theme_dir = dirs.last().cloned().unwrap_or_default();
        for path in candidates(&dirs, name) {
            if let Some(d) = crate::source::link_not_followed(&path, &[&root, &theme_dir]) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("{} ({})", d.message, path.display()),
                ));
            }
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let text = crate::source::normalize_text(text);
                    recorder.record(
                        name,
                        crate::content::relative(&root, &path),
                        Arc::from(text.as_str()),
                    );
                    return Ok(Some(text));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!("cannot read template {}: {e}", path.display()),
                    ));
                }
            }
        }
        Ok(None)
    });
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    let strings = ui.clone();
    env.add_function("t", move |state: &State, key: &str| -> Result<Value, Error> {
        let lang = state.lookup("lang").and_then(|l| l.get_attr("code").ok()).map(|v| v.to_string()).unwrap_or_default();
        match strings.lookup(&lang, key) {
            Some((s, None)) => Ok(Value::from(s)),
            Some((s, Some(source))) => Ok(Value::from(crate::i18n::marked(s, source))),
            None => Err(Error::new(
                ErrorKind::UndefinedError,
                format!("the UI string `{key}` is in no language: add it to i18n/{lang}.yaml and to the other languages' files"),
            )),
        }
    });
    let directions: std::collections::BTreeMap<String, &'static str> = ui
        .languages()
        .map(|(code, dir)| (code.to_string(), dir))
        .collect();
    env.add_function("dir", move |code: &str| -> Value {
        Value::from(directions.get(code).copied().unwrap_or("ltr"))
    });
    // Each language's forms of numbers and times, from its UI strings.
    let formats: Arc<std::collections::BTreeMap<String, crate::format::Formats>> = Arc::new(
        ui.languages()
            .map(|(code, _)| {
                let f = crate::format::Formats::from_strings(code, |k| {
                    ui.get(code, k).map(str::to_string)
                });
                (code.to_string(), f)
            })
            .collect(),
    );
    // The filters look a language's forms up without copying them.
    let apply =
        move |lang: &str, f: &dyn Fn(&crate::format::Formats) -> String| match formats.get(lang) {
            Some(forms) => f(forms),
            None => f(&crate::format::Formats::default_for(lang)),
        };
    let apply = Arc::new(apply);
    let (f1, f2, f3, f4) = (apply.clone(), apply.clone(), apply.clone(), apply);
    env.add_filter("duration", move |minutes: u32, lang: &str| {
        f1(lang, &|f| f.duration(minutes))
    });
    env.add_filter("clock", move |minutes: u32, lang: &str| {
        f2(lang, &|f| f.clock(minutes))
    });
    env.add_filter("hours", move |h: f64, lang: &str| f3(lang, &|f| f.hours(h)));
    env.add_filter("number", move |h: f64, lang: &str| {
        f4(lang, &|f| f.number(h))
    });
    (env, files)
}

/// A template error as a diagnostic at the template's file and line.
pub fn template_error(error: &Error, files: &TemplateFiles, page: Option<&Path>) -> Diagnostic {
    let mut message = error
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| error.kind().to_string());
    if let Some(page) = page {
        message = format!(
            "{message} (while rendering {})",
            crate::diagnostics::display_path(page)
        );
    }
    let mut d = Diagnostic::error(Code::Template, message)
        .hint("fix the template at this line; if you changed a template in `templates/`, compare it with the theme's original");
    // Walk to the innermost error with a template name.
    let mut located: Option<(&str, usize)> = error.name().zip(error.line());
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        if let Some(e) = s.downcast_ref::<Error>()
            && let (Some(n), Some(l)) = (e.name(), e.line())
        {
            located = Some((n, l));
        }
        source = s.source();
    }
    match located.and_then(|(n, l)| files.get(n).map(|f| (f, l))) {
        Some(((path, text), line)) => {
            d = d.at(SourceSpan::at_line_col(path, text, line, 1));
        }
        None => {
            if let Some(n) = error.name() {
                d = d.in_file(n);
            }
        }
    }
    d
}
