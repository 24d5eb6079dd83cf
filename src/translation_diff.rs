//! `passerelle translations --diff FILE`: what changed in the source of a stale
//! translation since the version it was stamped with. The old version is found in
//! the toolkit's git history (the `git` command) by its hash; the two versions are
//! compared paragraph by paragraph.

use std::path::Path;
use std::process::Command;

use similar::{ChangeTag, TextDiff};

use crate::source::normalize_text;
use crate::translations::version_of_text;

/// Why the old version cannot be shown, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHistory {
    /// `git` is not installed or could not run.
    NoGit(String),
    /// The toolkit is not in a git repository.
    NotARepository,
    /// No commit of the source file has this version.
    VersionNotFound {
        /// The version recorded in the translation.
        version: String,
        /// How many versions of the source the history holds.
        searched: usize,
    },
}

impl std::fmt::Display for NoHistory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoHistory::NoGit(e) => write!(
                f,
                "the `git` command could not run ({e}): install git to compare versions"
            ),
            NoHistory::NotARepository => write!(
                f,
                "this toolkit has no git history, so the version the translation was made from cannot be found; compare the source with the translation by hand"
            ),
            NoHistory::VersionNotFound { version, searched } => write!(
                f,
                "none of the {searched} versions of the source in the git history is version {version}: it was never committed, or the history was shortened (a shallow clone)"
            ),
        }
    }
}

/// The text of `source` (a path relative to `root`) at the commit whose version
/// of it is `version`, searching the file's history from the newest commit.
pub fn find_version(root: &Path, source: &Path, version: &str) -> Result<String, NoHistory> {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| NoHistory::NoGit(e.to_string()))
    };
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Err(NoHistory::NotARepository);
    }
    let rel = source.to_string_lossy().replace('\\', "/");
    let log = git(&["log", "--format=%H", "--", &rel])?;
    let commits: Vec<String> = String::from_utf8_lossy(&log.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    for commit in &commits {
        let shown = git(&["show", &format!("{commit}:./{rel}")])?;
        if !shown.status.success() {
            continue;
        }
        let text = normalize_text(String::from_utf8_lossy(&shown.stdout).into_owned());
        if version_of_text(&text) == version {
            return Ok(text);
        }
    }
    Err(NoHistory::VersionNotFound {
        version: version.to_string(),
        searched: commits.len(),
    })
}

/// The paragraphs of a text: blocks separated by blank lines, trimmed.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line.trim_end());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A readable diff of `old` and `new` by paragraph: each changed paragraph with
/// `-` (removed) or `+` (added) before its lines, one unchanged paragraph of
/// context around, `…` where unchanged paragraphs are left out.
pub fn paragraph_diff(old: &str, new: &str) -> String {
    let (a, b) = (paragraphs(old), paragraphs(new));
    let a_ref: Vec<&str> = a.iter().map(String::as_str).collect();
    let b_ref: Vec<&str> = b.iter().map(String::as_str).collect();
    let diff = TextDiff::configure().diff_slices(&a_ref, &b_ref);
    let mut out = String::new();
    for (i, group) in diff.grouped_ops(1).iter().enumerate() {
        if i > 0 {
            out.push_str("…\n\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let mark = match change.tag() {
                    ChangeTag::Delete => "- ",
                    ChangeTag::Insert => "+ ",
                    ChangeTag::Equal => "  ",
                };
                for line in change.value().lines() {
                    out.push_str(mark);
                    out.push_str(line);
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_paragraph_shows_as_removed_and_added_with_context() {
        let old = "---\ntitle: T\n---\nOne.\n\nTwo.\n\nThree.\n\nFour.\n";
        let new = "---\ntitle: T\n---\nOne.\n\nTwo, changed.\n\nThree.\n\nFour.\n";
        let d = paragraph_diff(old, new);
        assert!(d.contains("- Two.\n"), "{d}");
        assert!(d.contains("+ Two, changed.\n"), "{d}");
        assert!(d.contains("  One.\n") && d.contains("  Three.\n"), "{d}");
        assert!(!d.contains("Four"), "only one paragraph of context: {d}");
    }

    #[test]
    fn paragraphs_are_blocks_between_blank_lines() {
        assert_eq!(
            paragraphs("a\nb\n\n\nc\n"),
            vec!["a\nb".to_string(), "c".to_string()]
        );
    }
}
