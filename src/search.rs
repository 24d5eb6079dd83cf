//! The search phase: one Pagefind index per page language, built in-process from the
//! rendered pages, with French stemming for French pages. Facilitator-only boxes can
//! be left out of the index.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::{Code, Diagnostic};
use crate::output::OutputFile;

/// Folder of the search files in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// File in the output folder that records which pages the search bundle was built from.
pub const STAMP: &str = "pagefind/.passerelle-search";

/// Like [`index`], but when the output folder already holds a bundle built from the
/// same pages, that bundle is reused instead of indexing again.
pub fn index_cached(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
    output: Option<&std::path::Path>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut h = blake3::Hasher::new();
    h.update(format!("pagefind 1.6|{exclude_facilitator}").as_bytes());
    for (f, url) in pages {
        h.update(url.as_bytes());
        h.update(&(f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    let fingerprint = h.finalize().to_hex().to_string();
    if let Some(dir) = output
        && let Ok(stamp) = std::fs::read_to_string(dir.join(STAMP))
        && let Some((first, files)) = stamp.split_once('\n')
        && first == fingerprint
    {
        let reused: Option<Vec<OutputFile>> = files
            .lines()
            .filter(|l| l.starts_with(BUNDLE_DIR) && !l.contains(".."))
            .map(|l| {
                std::fs::read(dir.join(l))
                    .ok()
                    .map(|b| OutputFile::new(l, b))
            })
            .collect();
        if let Some(mut files) = reused {
            files.push(OutputFile::new(STAMP, stamp.into_bytes()));
            return Ok(files);
        }
    }
    let mut files = index(pages, exclude_facilitator)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut stamp = format!("{fingerprint}\n");
    for f in &files {
        stamp.push_str(&f.path);
        stamp.push('\n');
    }
    files.push(OutputFile::new(STAMP, stamp.into_bytes()));
    Ok(files)
}

/// Index `pages` (output path, URL, HTML) and return the files of the search bundle.
pub fn index(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(Code::Search, format!("the search index could not be built: {e}"))
            .hint("this is a problem in the search indexer; build with `search: {enabled: false}` in toolkit.yaml to publish without search")
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    runtime.block_on(async {
        let mut exclude = vec!["[data-search-ignore]".to_string()];
        if exclude_facilitator {
            exclude.push(".facilitator-only".to_string());
        }
        let config = PagefindServiceConfig::builder()
            .root_selector("main".to_string())
            .exclude_selectors(exclude)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| fail(e.to_string()))?;
        for (file, url) in pages {
            let html = String::from_utf8_lossy(&file.bytes).to_string();
            index
                .add_html_file(None, Some(url.clone()), html)
                .await
                .map_err(|e| fail(format!("{}: {e}", file.path)))?;
        }
        let files = index.get_files().await.map_err(|e| fail(e.to_string()))?;
        Ok(files
            .into_iter()
            .map(|f| {
                let path = format!(
                    "{BUNDLE_DIR}/{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                );
                OutputFile::new(path, f.contents)
            })
            .collect())
    })
}
