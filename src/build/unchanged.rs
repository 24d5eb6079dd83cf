//! A command-line build with nothing changed: when every input has the content it
//! had at the last build, the options are the same and the output folder is as
//! that build left it, there is nothing to do. The stamp of the last build, in the
//! disk cache, tells: the hash of the inputs' contents, the theme they used, the
//! output's manifest and the size of every file written, and what the report said.
//! Only a build that found no problem at all leaves a stamp, so a warning is shown
//! again by every build until it is fixed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::disk_cache::DiskCache;
use super::{BuildOptions, BuildReport, TranslationNote};
use crate::output::{MANIFEST, OutputFile, WriteReport};

/// What the last build with nothing to report left.
#[derive(Serialize, Deserialize)]
struct Stamp {
    /// Hash of every input's path and content.
    inputs: String,
    /// The theme folder the settings chose.
    theme: PathBuf,
    /// Hash of the output's manifest after the write.
    manifest: String,
    /// Every file written: path in the output, size.
    files: Vec<(String, u64)>,
    /// The report's pages and words per language, and translation notes.
    pages: Vec<(String, usize)>,
    words: Vec<(String, usize)>,
    translations: Vec<TranslationNote>,
}

/// The cache key of the stamp: the options and the output folder.
fn key(opts: &BuildOptions) -> Option<blake3::Hash> {
    let eligible = opts.write && opts.live_reload.is_none() && !opts.external;
    eligible.then(|| {
        blake3::hash(
            format!(
                "{:?}|{:?}|{}|{}|{}",
                opts.output_dir(),
                opts.base_url,
                opts.drafts,
                opts.search,
                opts.offline
            )
            .as_bytes(),
        )
    })
}

/// A hash of the path and content of each input of `paths` (the inputs of
/// [`super::load::input_stamps`]).
pub(super) fn inputs_hash<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for path in paths {
        let bytes = std::fs::read(path).unwrap_or_default();
        h.update(path.to_string_lossy().as_bytes());
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.finalize()
}

fn manifest_hash(output: &Path) -> Option<String> {
    let bytes = std::fs::read(output.join(MANIFEST)).ok()?;
    Some(blake3::hash(&bytes).to_hex().to_string())
}

/// The report of the last build when nothing changed since it, else `None`.
pub(super) fn check(opts: &BuildOptions, disk: &mut DiskCache) -> Option<BuildReport> {
    let key = key(opts)?;
    let payload = disk.get("build", &key)?;
    let stamp: Stamp = match serde_json::from_slice(&payload) {
        Ok(stamp) => stamp,
        Err(e) => {
            disk.notes
                .push(format!("cache: ignored the stamp of the last build: {e}"));
            return None;
        }
    };
    let now = super::load::input_stamps(&opts.root, &stamp.theme);
    if inputs_hash(now.keys()).to_hex().as_str() != stamp.inputs {
        return None;
    }
    let output = opts.output_dir();
    if manifest_hash(&output).as_deref() != Some(stamp.manifest.as_str()) {
        disk.notes
            .push("cache: the output folder changed since the last build".to_string());
        return None;
    }
    let intact = stamp.files.iter().all(|(path, size)| {
        std::fs::metadata(output.join(path)).is_ok_and(|m| m.is_file() && m.len() == *size)
    });
    if !intact {
        disk.notes
            .push("cache: a file of the output folder changed since the last build".to_string());
        return None;
    }
    disk.notes
        .push("cache: nothing changed since the last build; nothing to do".to_string());
    Some(BuildReport {
        pages: stamp.pages,
        words: stamp.words,
        translations: stamp.translations,
        write: Some(WriteReport {
            unchanged: stamp.files.len(),
            ..WriteReport::default()
        }),
        ..BuildReport::default()
    })
}

/// Leave the stamp of a build that wrote `files` and found no problem.
pub(super) fn record(
    opts: &BuildOptions,
    inputs: blake3::Hash,
    theme: &Path,
    files: &[OutputFile],
    report: &BuildReport,
    disk: &mut DiskCache,
) {
    let Some(key) = key(opts) else { return };
    if !report.diagnostics.is_empty() || report.write.is_none() {
        return;
    }
    let Some(manifest) = manifest_hash(&opts.output_dir()) else {
        return;
    };
    let stamp = Stamp {
        inputs: inputs.to_hex().to_string(),
        theme: theme.to_path_buf(),
        manifest,
        files: files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.len() as u64))
            .collect(),
        pages: report.pages.clone(),
        words: report.words.clone(),
        translations: report.translations.clone(),
    };
    if let Ok(json) = serde_json::to_vec(&stamp) {
        disk.put("build", &key, &json);
    }
}
