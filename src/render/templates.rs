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
        match strings.get(&lang, key) {
            Some(s) => Ok(Value::from(s)),
            None => Err(Error::new(
                ErrorKind::UndefinedError,
                format!("the UI string `{key}` is missing for language `{lang}`: add it to i18n/{lang}.yaml"),
            )),
        }
    });
    env.add_filter("duration", |minutes: u32, lang: &str| {
        crate::format::duration(minutes, lang)
    });
    env.add_filter("clock", |minutes: u32, lang: &str| {
        crate::format::clock(minutes, lang)
    });
    env.add_filter("hours", |h: f64, lang: &str| crate::format::hours(h, lang));
    env.add_filter("number", |h: f64, lang: &str| {
        crate::format::number(h, lang)
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
