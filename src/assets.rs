//! The assets phase: one stylesheet (the theme's CSS, the brand colours and the
//! site's own `assets/custom.css`), minified by lightningcss and named by its
//! content hash; and static files from the theme and the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, SourceSpan};
use crate::output::OutputFile;

/// The built stylesheet.
#[derive(Debug, Clone)]
pub struct Stylesheet {
    /// Path in the output folder: `assets/style.1a2b3c4d.css`.
    pub path: String,
    /// Minified CSS.
    pub css: String,
}

fn is_safe_css_value(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%-".contains(c))
}

/// Concatenate, check and minify the CSS. Errors point into the file at fault.
pub fn stylesheet(
    root: &Path,
    theme_dir: &Path,
    config: &Config,
) -> Result<Stylesheet, Vec<Diagnostic>> {
    let mut parts: Vec<(PathBuf, String)> = Vec::new();
    let theme_css = theme_dir.join("assets").join("style.css");
    match std::fs::read_to_string(&theme_css) {
        Ok(t) => parts.push((crate::content::relative(root, &theme_css), t)),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(
                    Code::Css,
                    format!("cannot read the theme's stylesheet: {e}"),
                )
                .in_file(crate::content::relative(root, &theme_css))
                .hint("the theme needs assets/style.css"),
            ]);
        }
    }
    let mut brand = String::new();
    let colors = &config.branding.colors;
    for (name, value) in [
        ("--brand-primary", &colors.primary),
        ("--brand-accent", &colors.accent),
    ] {
        if let Some(v) = value {
            if is_safe_css_value(v) {
                brand.push_str(&format!("{name}:{v};"));
            } else {
                return Err(vec![
                    Diagnostic::error(Code::Css, format!("`{v}` is not a colour"))
                        .in_file("toolkit.yaml")
                        .hint("write a CSS colour such as \"#1d5e8c\" (in quotes)"),
                ]);
            }
        }
    }
    if !brand.is_empty() {
        parts.push((PathBuf::from("toolkit.yaml"), format!(":root{{{brand}}}\n")));
    }
    let custom = root.join("assets").join("custom.css");
    if let Ok(t) = std::fs::read_to_string(&custom) {
        parts.push((crate::content::relative(root, &custom), t));
    }
    let mut problems = Vec::new();
    let mut css_out = String::new();
    for (path, text) in &parts {
        let text = crate::source::normalize_text(text.clone());
        let filename = crate::diagnostics::display_path(path);
        let options = ParserOptions {
            filename: filename.clone(),
            ..ParserOptions::default()
        };
        let result = StyleSheet::parse(&text, options)
            .map_err(|e| (e.to_string(), e.loc))
            .and_then(|mut sheet| {
                sheet
                    .minify(MinifyOptions::default())
                    .map_err(|e| (e.to_string(), e.loc))?;
                sheet
                    .to_css(PrinterOptions {
                        minify: true,
                        ..PrinterOptions::default()
                    })
                    .map(|r| r.code)
                    .map_err(|e| (e.to_string(), e.loc))
            });
        match result {
            Ok(code) => css_out.push_str(&code),
            Err((message, loc)) => {
                let mut d = Diagnostic::error(
                    Code::Css,
                    format!("the stylesheet cannot be read: {message}"),
                )
                .hint("check the CSS near this line: a missing `;`, `}` or a misspelt property");
                d = match loc {
                    Some(l) => d.at(SourceSpan::at_line_col(
                        path.clone(),
                        Arc::from(text.as_str()),
                        l.line as usize + 1,
                        l.column as usize,
                    )),
                    None => d.in_file(path.clone()),
                };
                problems.push(d);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let hash = blake3::hash(css_out.as_bytes()).to_hex()[..8].to_string();
    Ok(Stylesheet {
        path: format!("assets/style.{hash}.css"),
        css: css_out,
    })
}

/// Static files of the theme and then the site (the site's win), as output files.
pub fn static_files(
    root: &Path,
    theme_dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let mut files: std::collections::BTreeMap<String, OutputFile> =
        std::collections::BTreeMap::new();
    for dir in [theme_dir.join("static"), root.join("static")] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name()
        {
            let Ok(entry) = entry else { continue };
            if entry.path_is_symlink() {
                // Followed only while it stays inside the toolkit or the theme.
                if let Some(d) = crate::source::link_not_followed(entry.path(), &[root, theme_dir])
                {
                    problems.push(d.in_file(crate::content::relative(root, entry.path())));
                    continue;
                }
                if !entry.path().is_file() {
                    continue;
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::source::normalized_key(
                entry.path().strip_prefix(&dir).unwrap_or(entry.path()),
            );
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(rel.clone(), OutputFile::new(rel, bytes));
                }
                Err(e) => problems.push(
                    Diagnostic::error(Code::Io, format!("cannot read this static file: {e}"))
                        .in_file(crate::content::relative(root, entry.path())),
                ),
            }
        }
    }
    files.into_values().collect()
}
