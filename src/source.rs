//! Reading a content file from any platform: UTF-8 byte order marks, CRLF line
//! endings, and file names in either Unicode normal form.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Code, Diagnostic, SourceSpan};

/// Why the symbolic link at `path` is not followed: it leads outside every folder
/// of `allowed` (the toolkit, the theme), or to nothing. `None` for a plain file
/// or folder, or a link that stays inside.
pub fn link_not_followed(path: &Path, allowed: &[&Path]) -> Option<Diagnostic> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let Ok(resolved) = std::fs::canonicalize(path) else {
        return Some(
            Diagnostic::warning(
                Code::Link,
                format!("this symbolic link points to nothing (`{target}`): it is skipped"),
            )
            .hint("remove the link, or point it at a file inside the toolkit"),
        );
    };
    let inside = allowed
        .iter()
        .filter_map(|a| std::fs::canonicalize(a).ok())
        .any(|a| resolved.starts_with(a));
    (!inside).then(|| {
        Diagnostic::warning(
            Code::Link,
            format!(
                "this symbolic link points outside the toolkit (`{target}`): it is not followed"
            ),
        )
        .hint("copy the file into the toolkit instead of linking to it")
    })
}

/// Strip a byte order mark and turn CRLF and lone CR line endings into LF.
pub fn normalize_text(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// A path with every component in Unicode NFC and `/` separators, so that a file
/// saved on macOS (NFD) pairs with its translation saved on Windows (NFC).
pub fn normalized_key(path: &Path) -> String {
    let mut parts = Vec::new();
    for c in path.components() {
        if let Component::Normal(p) = c {
            parts.push(p.to_string_lossy().nfc().collect::<String>());
        }
    }
    parts.join("/")
}

/// A file split into its YAML front matter and Markdown body.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to users (relative to the toolkit root).
    pub path: PathBuf,
    /// The normalized text.
    pub text: Arc<str>,
    /// Byte range of the front matter (between the `---` lines).
    pub front: std::ops::Range<usize>,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

impl SourceFile {
    /// Read and split `path`; `display` is the path shown in diagnostics.
    pub fn read(path: &Path, display: PathBuf) -> Result<Self, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::error(Code::Io, format!("cannot read this file: {e}")).in_file(&display)
        })?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                // Position in the text as it is on disk (the replacement character
                // keeps the bytes before it where they were).
                let text: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).to_string());
                let start = valid.min(text.len());
                return Err(Diagnostic::error(Code::Encoding, "this file is not valid UTF-8 text")
                    .at(SourceSpan::new(display, text, start..start + 1))
                    .hint("save the file with the UTF-8 encoding (in most editors: File › Save with encoding › UTF-8)"));
            }
        };
        Self::split(display, Arc::from(normalize_text(text)))
    }

    /// Split normalized text into front matter and body.
    pub fn split(path: PathBuf, text: Arc<str>) -> Result<Self, Diagnostic> {
        let first_line_end = text.find('\n').unwrap_or(text.len());
        if text[..first_line_end].trim_end() != "---" {
            return Err(Diagnostic::error(Code::FrontMatter, "the file does not start with front matter")
                .at(SourceSpan::new(path, text.clone(), 0..first_line_end))
                .label("expected a line `---` here")
                .hint("start the file with a line `---`, the keys (at least `title: …`), and another line `---` before the text"));
        }
        let front_start = (first_line_end + 1).min(text.len());
        let mut offset = front_start;
        loop {
            let line_end = text[offset..]
                .find('\n')
                .map(|n| offset + n)
                .unwrap_or(text.len());
            let line = &text[offset..line_end];
            if line.trim_end() == "---" || line.trim_end() == "..." {
                let body_start = (line_end + 1).min(text.len());
                return Ok(Self {
                    path,
                    text: text.clone(),
                    front: front_start..offset,
                    body_start,
                });
            }
            if line_end >= text.len() {
                return Err(Diagnostic::error(
                    Code::FrontMatter,
                    "the front matter is never closed",
                )
                .at(SourceSpan::new(path, text.clone(), 0..first_line_end))
                .label("front matter opened here")
                .hint("add a line `---` after the last key, before the text of the page"));
            }
            offset = line_end + 1;
        }
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Number of lines before the front matter (the opening `---`).
    pub fn front_line_offset(&self) -> usize {
        1
    }

    /// The front matter as a YAML source for [`crate::yaml`].
    pub fn yaml(&self) -> crate::yaml::YamlSource {
        crate::yaml::YamlSource {
            path: self.path.clone(),
            file_text: self.text.clone(),
            start: self.front.start,
            end: self.front.end,
            line_offset: self.front_line_offset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_bom() {
        let t = normalize_text("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n".into());
        assert_eq!(t, "---\ntitle: A\n---\nBody\n");
        let f = SourceFile::split("a.md".into(), Arc::from(t)).unwrap();
        assert_eq!(f.body(), "Body\n");
        assert_eq!(&f.text[f.front.clone()], "title: A\n");
    }

    #[test]
    fn nfc_keys_and_slugs() {
        let nfd = "e\u{301}coute active.md";
        assert_eq!(normalized_key(Path::new(nfd)), "\u{e9}coute active.md");
    }

    #[test]
    fn unclosed_front_matter() {
        let e = SourceFile::split("a.md".into(), Arc::from("---\ntitle: A\n")).unwrap_err();
        assert_eq!(e.code, "front-matter");
    }
}
