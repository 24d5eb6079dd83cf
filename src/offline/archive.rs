//! The zip of the offline copy. Each file is compressed on its own, in parallel
//! with the others, and the archive is put together in path order with fixed
//! dates, so the same copy gives the same bytes. A file that is in the last zip
//! with the same bytes is copied from it as it is, without compressing it again.

use std::collections::HashMap;
use std::io::Cursor;

use zip::result::{ZipError, ZipResult};
use zip::write::{PreparedZipFile, SimpleFileOptions};

/// The folder the zip unpacks into.
const ZIP_FOLDER: &str = "toolkit-offline";

/// A zip, and the hash of the bytes of each file it holds by its path in the copy:
/// what the next zip may take from it.
#[derive(Debug, Default)]
pub struct Zip {
    /// The archive.
    pub bytes: Vec<u8>,
    /// The hash of each file's bytes, by its path in the copy.
    hashes: HashMap<String, blake3::Hash>,
}

/// One file of the copy, ready to go into the zip.
pub(super) struct Compressed {
    path: String,
    hash: blake3::Hash,
    /// Compressed now, or `None` when the last zip holds it unchanged.
    fresh: Option<PreparedZipFile>,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(8))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
}

fn name(path: &str) -> String {
    format!("{ZIP_FOLDER}/{path}")
}

/// The file at `path` of the copy, compressed unless `previous` holds it with the
/// same bytes.
pub(super) fn compress(path: &str, bytes: &[u8], previous: Option<&Zip>) -> ZipResult<Compressed> {
    let hash = blake3::hash(bytes);
    let kept = previous.is_some_and(|p| p.hashes.get(path) == Some(&hash));
    let fresh = match kept {
        true => None,
        false => Some(PreparedZipFile::from_data(name(path), options(), bytes)?),
    };
    Ok(Compressed {
        path: path.to_string(),
        hash,
        fresh,
    })
}

/// The zip of `files`, in path order; the files not compressed again are copied
/// from `previous`.
pub(super) fn assemble(mut files: Vec<Compressed>, previous: Option<&Zip>) -> ZipResult<Zip> {
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut last = previous
        .map(|p| zip::ZipArchive::new(Cursor::new(p.bytes.as_slice())))
        .transpose()?;
    // Room for every entry (its data, two copies of its name, its headers), so
    // that the archive is not copied as it grows.
    let room: usize = files
        .iter()
        .map(|f| match &f.fresh {
            Some(p) => p.compressed_size() as usize + 2 * p.file_name_raw().len() + 128,
            None => 0,
        })
        .sum();
    let kept = files.iter().any(|f| f.fresh.is_none());
    let room = room + previous.filter(|_| kept).map_or(0, |p| p.bytes.len());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(room)));
    let mut hashes = HashMap::with_capacity(files.len());
    for file in files {
        match file.fresh {
            Some(prepared) => writer.add_prepared_file(prepared)?,
            None => {
                let last = last.as_mut().ok_or(ZipError::FileNotFound)?;
                writer.raw_copy_file(last.by_name(&name(&file.path))?)?;
            }
        }
        hashes.insert(file.path, file.hash);
    }
    Ok(Zip {
        bytes: writer.finish()?.into_inner(),
        hashes,
    })
}

impl Zip {
    /// The zip and its hashes as one payload, in two parts: the number of files,
    /// each file's path (its length first) and hash; then the archive.
    pub fn payload(&self) -> (Vec<u8>, &[u8]) {
        let mut paths: Vec<&String> = self.hashes.keys().collect();
        paths.sort_unstable();
        let mut index = Vec::with_capacity(8 + paths.len() * 100);
        index.extend_from_slice(&(paths.len() as u64).to_le_bytes());
        for path in paths {
            index.extend_from_slice(&(path.len() as u64).to_le_bytes());
            index.extend_from_slice(path.as_bytes());
            index.extend_from_slice(self.hashes[path].as_bytes());
        }
        (index, &self.bytes)
    }

    /// A payload made by [`Zip::payload`]; `None` unless it is one whose archive
    /// opens and holds every file it names.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        let mut payload = bytes.as_slice();
        fn take<'a>(rest: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
            let (head, tail) = rest.split_at_checked(len)?;
            *rest = tail;
            Some(head)
        }
        fn number(rest: &mut &[u8]) -> Option<usize> {
            usize::try_from(u64::from_le_bytes(take(rest, 8)?.try_into().ok()?)).ok()
        }
        let count = number(&mut payload)?;
        let mut hashes = HashMap::with_capacity(count.min(payload.len() / 40));
        for _ in 0..count {
            let len = number(&mut payload)?;
            let path = std::str::from_utf8(take(&mut payload, len)?)
                .ok()?
                .to_string();
            let hash: [u8; 32] = take(&mut payload, 32)?.try_into().ok()?;
            hashes.insert(path, blake3::Hash::from_bytes(hash));
        }
        let archive = zip::ZipArchive::new(Cursor::new(payload)).ok()?;
        if archive.len() != hashes.len()
            || hashes
                .keys()
                .any(|p| archive.index_for_name(&name(p)).is_none())
        {
            return None;
        }
        // The archive is the rest of the payload: moved out, not copied.
        let header = bytes.len() - payload.len();
        let mut bytes = bytes;
        bytes.drain(..header);
        Some(Self { bytes, hashes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_bytes(zip: &Zip) -> Vec<u8> {
        let (index, archive) = zip.payload();
        [index.as_slice(), archive].concat()
    }

    fn zip_of(files: &[(&str, &str)], previous: Option<&Zip>) -> Zip {
        let compressed = files
            .iter()
            .map(|(path, text)| compress(path, text.as_bytes(), previous).unwrap())
            .collect();
        assemble(compressed, previous).unwrap()
    }

    #[test]
    fn a_zip_made_from_the_last_one_is_the_zip_made_from_nothing() {
        let first = zip_of(&[("b.html", "<p>one</p>"), ("a.css", "p{}")], None);
        let files = [
            ("b.html", "<p>one</p>"),
            ("a.css", "p{color:red}"),
            ("c/index.html", "<p>new</p>"),
        ];
        // Only the unchanged file is taken from the last zip.
        let kept: Vec<String> = files
            .iter()
            .map(|(path, text)| compress(path, text.as_bytes(), Some(&first)).unwrap())
            .filter(|c| c.fresh.is_none())
            .map(|c| c.path)
            .collect();
        assert_eq!(kept, ["b.html"]);
        let again = zip_of(&files, Some(&first));
        let fresh = zip_of(&files, None);
        assert_eq!(again.bytes, fresh.bytes);
        assert_eq!(again.hashes, fresh.hashes);
        let mut archive = zip::ZipArchive::new(Cursor::new(again.bytes.as_slice())).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("toolkit-offline/b.html").unwrap(),
            &mut text,
        )
        .unwrap();
        assert_eq!(text, "<p>one</p>");
    }

    #[test]
    fn a_payload_comes_back_whole_and_a_wrong_one_is_refused() {
        let zip = zip_of(&[("a.html", "<p>a</p>"), ("b/c.html", "<p>c</p>")], None);
        let payload = to_bytes(&zip);
        let back = Zip::from_bytes(payload.clone()).unwrap();
        assert_eq!(back.bytes, zip.bytes);
        assert_eq!(back.hashes, zip.hashes);
        for cut in [0, 7, 20, payload.len() - 1] {
            assert!(
                Zip::from_bytes(payload[..cut].to_vec()).is_none(),
                "cut at {cut}"
            );
        }
        // A path the archive does not hold.
        let mut other = zip_of(&[("a.html", "<p>a</p>")], None);
        other
            .hashes
            .insert("missing.html".into(), blake3::hash(b""));
        assert!(Zip::from_bytes(to_bytes(&other)).is_none());
    }
}
