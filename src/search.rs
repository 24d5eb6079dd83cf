//! The search phase: one Pagefind index per page language, built in-process from the
//! rendered pages, with French stemming for French pages. Facilitator-only boxes can
//! be left out of the index.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

/// Folder of the search files in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Index `pages` (output path, URL, HTML) and return the files of the search bundle.
pub fn index(
    pages: &[(&OutputFile, String)],
    exclude_facilitator: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error("search", format!("the search index could not be built: {e}"))
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
