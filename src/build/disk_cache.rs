//! What a command-line build keeps on disk for the next one, in the toolkit's
//! `.passerelle-cache/` folder (ignored by git, safe to delete at any time): the
//! search bundle of each language and the offline zip, each filed under the hash
//! of what it was made from, and the stamp of the last build, which lets a build
//! with nothing changed stop after hashing its inputs.
//!
//! Every entry starts with the binary's build id (a hash of its sources) and a
//! checksum of its payload. An entry another binary wrote, or that does not match
//! its checksum (a disk error, a build killed while writing, an edit by hand), is
//! ignored with a note for `--verbose`, and made again. Entries this build did not
//! use are removed at its end, so the folder holds one build's worth.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The cache folder, at the toolkit's root.
pub const CACHE_DIR: &str = ".passerelle-cache";

/// The build id of this binary: its version and a hash of its sources.
const BUILD_ID: &str = env!("PASSERELLE_BUILD_ID");

/// The first line of every entry.
const MAGIC: &str = "passerelle-cache 1";

/// The cache of one build: where it is, the entries it used, and what it noticed.
#[derive(Debug, Default)]
pub(super) struct DiskCache {
    /// The folder, or `None` when the build keeps nothing on disk.
    dir: Option<PathBuf>,
    /// The entries (`kind/key`) read or written by this build.
    used: BTreeSet<String>,
    /// What `--verbose` tells: entries ignored and why, entries that could not be written.
    pub(super) notes: Vec<String>,
}

impl DiskCache {
    /// The cache of the toolkit at `root`; `None` keeps nothing.
    pub(super) fn open(root: Option<&Path>) -> Self {
        Self {
            dir: root.map(|r| r.join(CACHE_DIR)),
            ..Self::default()
        }
    }

    /// Whether this build has a cache.
    pub(super) fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    fn path(&self, kind: &str, key: &blake3::Hash) -> Option<(String, PathBuf)> {
        let name = format!("{kind}/{}", key.to_hex());
        let path = self.dir.as_ref()?.join(&name);
        Some((name, path))
    }

    /// The payload of entry `kind`/`key`, when it is there, this binary's, and whole.
    pub(super) fn get(&mut self, kind: &str, key: &blake3::Hash) -> Option<Vec<u8>> {
        let (name, path) = self.path(kind, key)?;
        let bytes = std::fs::read(&path).ok()?;
        self.used.insert(name.clone());
        match unwrap_entry(bytes) {
            Ok(payload) => Some(payload),
            Err(why) => {
                self.notes
                    .push(format!("cache: ignored {CACHE_DIR}/{name}: {why}"));
                None
            }
        }
    }

    /// Keep `payload` as entry `kind`/`key`. The cache is a help, not a need: a
    /// failure is a note, and the entry is left out.
    pub(super) fn put(&mut self, kind: &str, key: &blake3::Hash, payload: &[u8]) {
        self.put_parts(kind, key, &[payload]);
    }

    /// Like [`DiskCache::put`], with the payload in `parts`, one after the other
    /// (written as they are, not joined in memory first).
    pub(super) fn put_parts(&mut self, kind: &str, key: &blake3::Hash, parts: &[&[u8]]) {
        use std::io::Write;
        let Some((name, path)) = self.path(kind, key) else {
            return;
        };
        self.used.insert(name.clone());
        let mut sum = blake3::Hasher::new();
        for part in parts {
            sum.update(part);
        }
        let header = format!("{MAGIC}\n{BUILD_ID}\n{}\n", sum.finalize().to_hex());
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
                file.write_all(header.as_bytes())?;
                for part in parts {
                    file.write_all(part)?;
                }
                file.into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
                Ok(())
            })
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            self.notes
                .push(format!("cache: cannot write {CACHE_DIR}/{name}: {e}"));
        }
    }

    /// Remove the entries of `kind` this build did not use, when it used some (a
    /// build without search keeps the search bundles of the last one with it).
    pub(super) fn prune(&self, kind: &str) {
        let Some(dir) = &self.dir else { return };
        let prefix = format!("{kind}/");
        if !self.used.iter().any(|n| n.starts_with(&prefix)) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
            return;
        };
        for entry in entries.flatten() {
            let name = format!("{kind}/{}", entry.file_name().to_string_lossy());
            if !self.used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The search phase keeps each language's index under the kind `search`.
impl crate::search::Store for DiskCache {
    fn get(&mut self, key: &blake3::Hash) -> Option<Vec<u8>> {
        DiskCache::get(self, "search", key)
    }

    fn put(&mut self, key: &blake3::Hash, entry: &[&[u8]]) {
        DiskCache::put_parts(self, "search", key, entry);
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

/// The payload of an entry, or why it cannot be trusted.
fn unwrap_entry(mut bytes: Vec<u8>) -> Result<Vec<u8>, &'static str> {
    let mut lines = bytes.splitn(4, |b| *b == b'\n');
    let (Some(magic), Some(id), Some(sum), Some(payload)) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return Err("it is cut short");
    };
    if magic != MAGIC.as_bytes() {
        return Err("it is not a cache entry");
    }
    if id != BUILD_ID.as_bytes() {
        return Err("another version of passerelle wrote it");
    }
    if sum != blake3::hash(payload).to_hex().as_bytes() {
        return Err("its content does not match its checksum (damaged)");
    }
    // The header is taken off in place: an entry may be large.
    let header = bytes.len() - payload.len();
    bytes.drain(..header);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_comes_back_whole_and_a_damaged_one_is_ignored_with_a_note() {
        let root = tempfile::tempdir().unwrap();
        let key = blake3::hash(b"key");
        let mut cache = DiskCache::open(Some(root.path()));
        cache.put_parts("search", &key, &[b"one\n", b"", b"two"]);
        assert_eq!(cache.get("search", &key).unwrap(), b"one\ntwo");
        assert!(cache.notes.is_empty());

        let path = root
            .path()
            .join(CACHE_DIR)
            .join("search")
            .join(key.to_hex().as_str());
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(cache.get("search", &key).is_none());
        assert!(cache.notes[0].contains("damaged"), "{:?}", cache.notes);

        std::fs::write(&path, b"passerelle-cache 1\nother-build\n00\nx").unwrap();
        assert!(cache.get("search", &key).is_none());
        assert!(
            cache.notes[1].contains("another version"),
            "{:?}",
            cache.notes
        );
    }

    #[test]
    fn entries_a_build_did_not_use_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let mut first = DiskCache::open(Some(root.path()));
        first.put("zip", &blake3::hash(b"old"), b"old");
        let mut second = DiskCache::open(Some(root.path()));
        second.put("zip", &blake3::hash(b"new"), b"new");
        second.prune("zip");
        let left: Vec<_> = std::fs::read_dir(root.path().join(CACHE_DIR).join("zip"))
            .unwrap()
            .collect();
        assert_eq!(left.len(), 1);
        assert!(second.get("zip", &blake3::hash(b"new")).is_some());
    }
}
