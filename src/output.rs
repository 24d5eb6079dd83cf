//! The write phase: only files whose content changed are written, files that an
//! earlier build produced and this one does not are removed (as listed in a
//! manifest), and nothing else in the output folder is touched.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};

/// A file to write into the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// Content, shared: the live preview keeps pages between builds without copying.
    pub bytes: Arc<Vec<u8>>,
    /// The template that made it, for pages.
    pub template: Option<&'static str>,
}

impl OutputFile {
    /// A file not made by a template.
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            path: path.into(),
            bytes: Arc::new(bytes),
            template: None,
        }
    }
}

/// Name of the manifest file inside the output folder.
pub const MANIFEST: &str = ".passerelle-manifest";

/// What the write phase did.
#[derive(Debug, Default, Clone)]
pub struct WriteReport {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of an earlier build removed.
    pub removed: usize,
}

/// Refuse an output folder that is the toolkit root, holds it, or is (or is inside)
/// a folder of sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let canon = |p: &Path| -> PathBuf {
        // The output folder may not exist yet: canonicalize its nearest existing parent.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = std::fs::canonicalize(&existing).unwrap_or(existing);
        for r in rest.into_iter().rev() {
            c.push(r);
        }
        c
    };
    let root = canon(root);
    let out = canon(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            Code::OutputFolder,
            format!("refusing to build into {}: {why}", out.display()),
        )
        .hint("choose an output folder of its own, such as `site/` (the default)"))
    };
    if out == root || root.starts_with(&out) {
        return refuse("it holds the toolkit itself");
    }
    for protected in [
        "content",
        "themes",
        "templates",
        "data",
        "i18n",
        "static",
        "assets",
        ".git",
        "src",
    ] {
        let p = root.join(protected);
        if out.starts_with(&p) || p.starts_with(&out) {
            return refuse(&format!("it is or holds the `{protected}` folder"));
        }
    }
    Ok(())
}

fn read_manifest(output: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(output.join(MANIFEST)) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, p)| is_safe_relative(p))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect()
}

/// A relative path with no `..`, no root and no drive: safe to join to the output folder.
fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains(':')
        && p.split('/').all(|s| !s.is_empty() && s != ".." && s != ".")
}

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// The suffix of a file being written: renamed into place once complete, and
/// removed by the next build if a killed build left it.
const TEMP_SUFFIX: &str = ".passerelle-tmp";

/// The temporary file for `path`: beside it, so that the rename is atomic.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}

fn io_err(what: &str, path: &Path, e: &std::io::Error) -> Diagnostic {
    let hint = match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "the output folder is read-only: choose another with --output, or make it writable"
        }
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "the disk is full: free some space, or choose another folder with --output"
        }
        _ => "check that the output folder is writable and the disk is not full",
    };
    Diagnostic::error(Code::Io, format!("cannot {what} {}: {e}", path.display())).hint(hint)
}

/// Write `bytes` for `path` to its temporary file, and return that file's path;
/// on failure nothing of it is left.
fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    let tmp = temp_path(path);
    let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io_err("write", path, &e))
        }
    }
}

/// Write `bytes` to `path` through a temporary file renamed into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = stage(path, bytes)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err("write", path, &e)
    })
}

fn manifest_text(entries: &BTreeMap<String, String>) -> String {
    let mut manifest = String::new();
    for (p, h) in entries {
        manifest.push_str(&format!("{h}\t{p}\n"));
    }
    manifest
}

/// Remove the temporary files a killed build left in `output` (never through a link).
fn remove_leftovers(output: &Path) {
    for entry in walkdir::WalkDir::new(output).into_iter().flatten() {
        let is_ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMP_SUFFIX));
        if is_ours && entry.file_type().is_file() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write `files` into `output`, so that a reader (or a server serving the folder)
/// never sees a half-written file, a failure leaves the previous site whole, and
/// a build killed at any moment leaves each file either its old or its new version:
///
/// 1. leftovers of a killed build are removed, and the manifest is extended with
///    every path this build may write (so the next build can remove them);
/// 2. every changed file is written to a temporary name beside it; on any failure
///    (a full disk, a read-only folder) those are removed and nothing else changed;
/// 3. each is renamed into place (a rename is atomic), stale files are removed,
///    and the manifest is written last.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<WriteReport, Diagnostic> {
    std::fs::create_dir_all(output).map_err(|e| io_err("create", output, &e))?;
    // Every path is checked before anything is written, so a refusal leaves the
    // previous site whole.
    if let Some(f) = files.iter().find(|f| !is_safe_relative(&f.path)) {
        return Err(Diagnostic::error(
            Code::OutputPath,
            format!(
                "a page would have the address `{}`, which is not a plain path in the site",
                f.path
            ),
        )
        .hint("check the slugs and topic labels: each needs letters or digits"));
    }
    remove_leftovers(output);
    let old = read_manifest(output);
    let mut report = WriteReport::default();
    let mut new: BTreeMap<String, String> = BTreeMap::new();
    let mut changed: Vec<(&OutputFile, PathBuf)> = Vec::new();
    // Each file is hashed and compared with what the folder holds in parallel.
    let compared: Vec<(String, PathBuf, bool)> = files
        .par_iter()
        .map(|f| {
            let h = hash(&f.bytes);
            let path = output.join(&f.path);
            let same_size = std::fs::metadata(&path)
                .map(|m| m.is_file() && m.len() == f.bytes.len() as u64)
                .unwrap_or(false);
            let unchanged = same_size
                && (old.get(&f.path) == Some(&h)
                    || std::fs::read(&path).map(|b| b == *f.bytes).unwrap_or(false));
            (h, path, unchanged)
        })
        .collect();
    for (f, (h, path, unchanged)) in files.iter().zip(compared) {
        if unchanged {
            report.unchanged += 1;
        } else {
            changed.push((f, path));
        }
        new.insert(f.path.clone(), h);
    }
    let manifest_path = output.join(MANIFEST);
    if !changed.is_empty() {
        let mut intent = old.clone();
        for (f, _) in &changed {
            intent.entry(f.path.clone()).or_default();
        }
        write_atomically(&manifest_path, manifest_text(&intent).as_bytes())?;
    }
    // The files are staged in parallel; if one fails, every staged one is removed
    // and the first failure (in the files' order) is reported.
    let staged: Vec<Result<PathBuf, Diagnostic>> = changed
        .par_iter()
        .map(|(f, path)| {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_err("create", parent, &e))?;
            }
            stage(path, &f.bytes)
        })
        .collect();
    let mut temps: Vec<PathBuf> = Vec::with_capacity(changed.len());
    let mut failure = None;
    for result in staged {
        match result {
            Ok(tmp) => temps.push(tmp),
            Err(d) => {
                failure.get_or_insert(d);
            }
        }
    }
    if let Some(d) = failure {
        for tmp in &temps {
            let _ = std::fs::remove_file(tmp);
        }
        let _ = write_atomically(&manifest_path, manifest_text(&old).as_bytes());
        return Err(d);
    }
    let renamed: Vec<Result<(), Diagnostic>> = (changed.par_iter().zip(&temps))
        .map(|((_, path), tmp)| std::fs::rename(tmp, path).map_err(|e| io_err("write", path, &e)))
        .collect();
    for result in renamed {
        result?;
        report.written += 1;
    }
    report.removed = remove_stale(output, &old, &new);
    write_atomically(&manifest_path, manifest_text(&new).as_bytes())?;
    Ok(report)
}

/// Remove the files of the previous build that this one no longer has, and the
/// folders that leaves empty. Returns how many files were removed.
fn remove_stale(
    output: &Path,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> usize {
    let mut removed = 0;
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for stale in old.keys().filter(|p| !new.contains_key(*p)) {
        let path = output.join(stale);
        // Only regular files, never through a link.
        if std::fs::symlink_metadata(&path)
            .map(|m| m.is_file())
            .unwrap_or(false)
            && std::fs::remove_file(&path).is_ok()
        {
            removed += 1;
            let mut dir = path.parent().map(Path::to_path_buf);
            while let Some(d) = dir {
                if d == output {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
                dirs.insert(d);
            }
        }
    }
    // Remove folders emptied by the removals, deepest first; a folder with anything
    // else in it stays.
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_rejected() {
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../x"));
        assert!(!is_safe_relative("C:/x"));
        assert!(is_safe_relative("fr/a/index.html"));
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let f = |p: &str, b: &str| OutputFile::new(p, b.as_bytes().to_vec());
        let r = write(&out, &[f("a/index.html", "A"), f("b/index.html", "B")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (2, 0, 0));
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let r = write(&out, &[f("a/index.html", "A2")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 0, 1));
        assert!(!out.join("b").exists());
        assert!(out.join("CNAME").exists());
        let r = write(&out, &[f("a/index.html", "A2")]).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (0, 1, 0));
    }

    #[test]
    fn refuses_root_and_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("content")).is_err());
        assert!(check_output_dir(&dir.path().join("x"), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("site")).is_ok());
    }
}
