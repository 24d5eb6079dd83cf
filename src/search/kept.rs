//! What the cache folder keeps of one language's search index for the next build:
//! the bundle, with the fingerprint of the pages it was made from; each page as
//! Pagefind read it, under the hash of its URL and HTML; and, for each file that
//! Pagefind compresses, the hash of its content before compression. A build after
//! an edit then reads only the pages that changed, and compresses only the files
//! whose content changed; the index is the one a build from nothing makes.

use std::collections::HashMap;

/// One part of an entry: what it is.
const FINGERPRINT: u8 = b'F';
/// A file of the bundle (name: its path; bytes: its content).
const FILE: u8 = b'B';
/// A compressed file (name: the hash of its content before compression; bytes: its path).
const COMPRESSED: u8 = b'Z';
/// A page as Pagefind read it (name: [`page_key`]; bytes: the record).
const PAGE: u8 = b'P';

/// A language's index as the last build left it, borrowed from its cache entry.
#[derive(Default)]
pub(super) struct Kept<'a> {
    /// What the bundle was made from (see `fingerprint` in the search module).
    pub(super) fingerprint: Option<blake3::Hash>,
    /// The files of the bundle: (path in the bundle, bytes).
    pub(super) files: Vec<(&'a str, &'a [u8])>,
    /// The bytes of each compressed file, by the hash of its content before compression.
    pub(super) compressed: HashMap<blake3::Hash, &'a [u8]>,
    /// The record of each page, by [`page_key`].
    pub(super) pages: HashMap<blake3::Hash, &'a [u8]>,
}

impl<'a> Kept<'a> {
    /// The parts of `entry`; `None` when it is not an entry [`Keeping`] made.
    pub(super) fn read(mut entry: &'a [u8]) -> Option<Self> {
        fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
            let (len, tail) = rest.split_at_checked(8)?;
            let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
            let (bytes, tail) = tail.split_at_checked(len)?;
            *rest = tail;
            Some(bytes)
        }
        fn hash(bytes: &[u8]) -> Option<blake3::Hash> {
            Some(blake3::Hash::from_bytes(bytes.try_into().ok()?))
        }
        let mut kept = Kept::default();
        let mut compressed = Vec::new();
        while let Some((&kind, rest)) = entry.split_first() {
            entry = rest;
            let name = take(&mut entry)?;
            let bytes = take(&mut entry)?;
            match kind {
                FINGERPRINT => kept.fingerprint = Some(hash(bytes)?),
                FILE => kept.files.push((std::str::from_utf8(name).ok()?, bytes)),
                COMPRESSED => compressed.push((hash(name)?, bytes)),
                PAGE => {
                    kept.pages.insert(hash(name)?, bytes);
                }
                _ => return None,
            }
        }
        let by_path: HashMap<&[u8], &[u8]> = kept
            .files
            .iter()
            .map(|(path, bytes)| (path.as_bytes(), *bytes))
            .collect();
        for (raw, path) in compressed {
            kept.compressed.insert(raw, by_path.get(path)?);
        }
        Some(kept)
    }
}

/// The cache entry of a language's index, as it is made: in chunks of about
/// [`CHUNK`] bytes, so that a large entry is not copied as it grows.
#[derive(Default)]
pub(super) struct Keeping {
    chunks: Vec<Vec<u8>>,
}

/// The size of a chunk of an entry being made.
const CHUNK: usize = 1 << 20;

impl Keeping {
    fn part(&mut self, kind: u8, name: &[u8], bytes: &[u8]) {
        let size = 17 + name.len() + bytes.len();
        let chunk = match self.chunks.last_mut() {
            Some(c) if c.capacity() - c.len() >= size => c,
            _ => {
                self.chunks.push(Vec::with_capacity(size.max(CHUNK)));
                self.chunks.last_mut().expect("a chunk was just pushed")
            }
        };
        chunk.push(kind);
        for b in [name, bytes] {
            chunk.extend_from_slice(&(b.len() as u64).to_le_bytes());
            chunk.extend_from_slice(b);
        }
    }

    /// What the bundle is made from.
    pub(super) fn fingerprint(&mut self, fingerprint: &blake3::Hash) {
        self.part(FINGERPRINT, &[], fingerprint.as_bytes());
    }

    /// A page's record.
    pub(super) fn page(&mut self, key: &blake3::Hash, record: &[u8]) {
        self.part(PAGE, key.as_bytes(), record);
    }

    /// A file of the bundle.
    pub(super) fn file(&mut self, path: &str, bytes: &[u8]) {
        self.part(FILE, path.as_bytes(), bytes);
    }

    /// That the file at `path` is the compressed form of content of hash `raw`.
    pub(super) fn compressed(&mut self, raw: &blake3::Hash, path: &str) {
        self.part(COMPRESSED, raw.as_bytes(), path.as_bytes());
    }

    /// The entry, in chunks to be written one after the other.
    pub(super) fn into_chunks(self) -> Vec<Vec<u8>> {
        self.chunks
    }
}

/// The key of a page's record: its URL and its HTML.
pub(super) fn page_key(url: &str, html: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(&(url.len() as u64).to_le_bytes());
    h.update(url.as_bytes());
    h.update(html);
    h.finalize()
}

/// The hash of a file's content before compression (its chunks, as Pagefind gives them).
pub(super) fn content_hash(chunks: &[&[u8]]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for chunk in chunks {
        h.update(&(chunk.len() as u64).to_le_bytes());
        h.update(chunk);
    }
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_and_a_cut_one_is_refused() {
        let fp = blake3::hash(b"pages");
        let mut k = Keeping::default();
        k.fingerprint(&fp);
        k.page(&page_key("/a/", b"<html>"), b"record");
        // Larger than a chunk: the entry is made of several.
        let big = vec![7u8; CHUNK + 10];
        k.page(&page_key("/b/", b"<html>"), &big);
        k.file("fragment/en_1.pf_fragment", b"gz");
        k.compressed(&content_hash(&[b"raw"]), "fragment/en_1.pf_fragment");
        let chunks = k.into_chunks();
        assert!(chunks.len() >= 2);
        let entry = chunks.concat();
        let kept = Kept::read(&entry).unwrap();
        assert_eq!(kept.fingerprint, Some(fp));
        assert_eq!(kept.files, vec![("fragment/en_1.pf_fragment", &b"gz"[..])]);
        assert_eq!(kept.compressed[&content_hash(&[b"raw"])], b"gz");
        assert_eq!(kept.pages[&page_key("/a/", b"<html>")], b"record");
        assert_eq!(kept.pages[&page_key("/b/", b"<html>")], &big[..]);
        assert!(Kept::read(&entry[..entry.len() - 1]).is_none());
    }
}
