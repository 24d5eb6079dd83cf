//! The offline copy: the built site with every internal address relative and
//! naming a file (`../handouts/card/index.html`), so that it works opened from a
//! disk or a USB stick, in any browser; and the zip of that copy that the
//! published site offers for download.
//!
//! The copy is made from the rendered pages, not rendered again: addresses under
//! the base path are rewritten, parts marked `data-offline="omit"` (the search box,
//! the download offer) are left out, and the search index, sitemap and robots file
//! are not copied (the search page's list of every page works without them).

use std::io::Write;
use std::sync::Arc;

use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::i18n::UiStrings;
use crate::output::OutputFile;
use crate::routes::BaseUrl;

/// Where the zip of the offline copy is published, under the base path.
pub const ZIP_PATH: &str = "downloads/toolkit-offline.zip";
/// The address of the zip for a site published under `base_path`.
pub fn zip_url(base_path: &str) -> String {
    format!("{base_path}{ZIP_PATH}")
}

/// Whether `el` is a link to the zip at `zip_url` (its `href` read as a browser
/// reads it, character references decoded).
fn links_to_zip(el: &lol_html::html_content::Element, zip_url: &str) -> bool {
    el.get_attribute("href")
        .is_some_and(|href| html_escape::decode_html_entities(&href) == zip_url)
}

/// The folder the zip unpacks into.
const ZIP_FOLDER: &str = "toolkit-offline";
/// Files of the published site that have no use in the offline copy.
const LEFT_OUT: [&str; 4] = [
    "pagefind/",
    "sitemap.xml",
    "robots.txt",
    "downloads/toolkit-offline",
];

/// The offline copy of `files`, a site published under `base`.
pub fn copy(files: &[OutputFile], base: &BaseUrl) -> Result<Vec<OutputFile>, Diagnostic> {
    Ok(copy_pages(files, base, false)?
        .into_iter()
        .map(|(f, _)| f)
        .collect())
}

/// The ids and links of each page, by output path, read while the copy is made.
pub type Scanned = std::collections::HashMap<String, Arc<crate::links::Parsed>>;

/// The offline copy of `files`, and the ids and links of every page of the site
/// as the link check reads them, from the same pass over each page.
pub fn copy_and_scan(
    files: &[OutputFile],
    base: &BaseUrl,
) -> Result<(Vec<OutputFile>, Scanned), Diagnostic> {
    let mut scanned = Scanned::new();
    let mut copy = Vec::new();
    for (file, parsed) in copy_pages(files, base, true)? {
        if let Some(parsed) = parsed {
            scanned.insert(file.path.clone(), Arc::new(parsed));
        }
        copy.push(file);
    }
    Ok((copy, scanned))
}

/// Each file of the copy, and for a page what `scan` asked to read of it.
fn copy_pages(
    files: &[OutputFile],
    base: &BaseUrl,
    scan: bool,
) -> Result<Vec<(OutputFile, Option<crate::links::Parsed>)>, Diagnostic> {
    files
        .par_iter()
        .filter(|f| !LEFT_OUT.iter().any(|p| f.path.starts_with(p)))
        .map(|f| {
            if f.path.ends_with(".css") {
                let css = relative_stylesheet(&f.bytes, &f.path, &base.path);
                return Ok((OutputFile::new(f.path.clone(), css), None));
            }
            if !f.path.ends_with(".html") {
                return Ok((f.clone(), None));
            }
            let collector = scan.then(crate::links::Collector::default);
            let html = relative_page(&f.bytes, &f.path, base, collector.as_ref()).map_err(|e| {
                Diagnostic::error(
                    Code::Offline,
                    format!("cannot make the offline copy of {}: {e}", f.path),
                )
            })?;
            let file = OutputFile {
                path: f.path.clone(),
                bytes: Arc::new(html),
                template: f.template,
            };
            Ok((file, collector.map(crate::links::Collector::finish)))
        })
        .collect()
}

/// `href` as an address relative to the page at `page` (a path in the output
/// folder), naming a file: `None` when it is not an address under the base path.
fn relative(href: &str, page: &str, base_path: &str) -> Option<String> {
    let inside = href.strip_prefix(base_path)?;
    let cut = inside.find(['#', '?']).unwrap_or(inside.len());
    let (path, rest) = inside.split_at(cut);
    let last = path.rsplit('/').next().unwrap_or("");
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else if last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/index.html")
    };
    let depth = page.matches('/').count();
    Some(format!("{}{file}{rest}", "../".repeat(depth)))
}

/// A stylesheet with its `url(/base/…)` addresses (images, fonts of the agency's
/// `custom.css`) made relative to where it is. Stylesheets come out of
/// lightningcss, which writes every address as `url(…)` or `url("…")`.
fn relative_stylesheet(css: &[u8], path: &str, base_path: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(css);
    let up = "../".repeat(path.matches('/').count());
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find("url(") {
        let (before, after) = rest.split_at(i + 4);
        out.push_str(before);
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .map_or(0, char::len_utf8);
        let address = &after[quote..];
        // Under the base path, and not a `//host/…` address.
        match address.strip_prefix(base_path) {
            Some(inside) if !address.starts_with("//") => {
                out.push_str(&after[..quote]);
                out.push_str(&up);
                rest = inside;
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// One page with its addresses made relative and its online-only parts removed.
/// The offline version of the page `html` at `page`; `scan` reads the page's ids
/// and links as they are before the change.
fn relative_page(
    html: &[u8],
    page: &str,
    base: &BaseUrl,
    scan: Option<&crate::links::Collector>,
) -> Result<Vec<u8>, String> {
    let base_path = base.path.as_str();
    let zip_url = zip_url(base_path);
    let rewrite = |el: &mut lol_html::html_content::Element, attr: &str| {
        // As a browser reads it: character references decoded (`&#x2f;` is `/`).
        if let Some(value) = el.get_attribute(attr)
            && let Some(rel) = relative(&html_escape::decode_html_entities(&value), page, base_path)
        {
            el.set_attribute(attr, &rel)?;
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    };
    let mut out = Vec::with_capacity(html.len());
    let read_first = match scan {
        Some(collector) => collector.add_to(Settings::new()),
        None => Settings::new(),
    };
    let settings = read_first
        .append_element_content_handler(element!("[data-offline=omit]", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            // The copy does not hold itself: the offer leads online, or is plain text.
            if links_to_zip(el, &zip_url) {
                match &base.origin {
                    Some(_) => el.set_attribute("href", &base.absolute(&zip_url))?,
                    None => el.remove_and_keep_content(),
                }
                return Ok(());
            }
            rewrite(el, "href")
        }))
        .append_element_content_handler(element!("link[href], area[href]", |el| {
            rewrite(el, "href")
        }))
        .append_element_content_handler(element!("[src]", |el| rewrite(el, "src")))
        .append_element_content_handler(element!("form[action]", |el| rewrite(el, "action")))
        .append_element_content_handler(element!("video[poster]", |el| rewrite(el, "poster")));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The zip of the offline copy: every file under one folder, in path order, with
/// fixed dates, so the same site gives the same bytes. The files are compressed
/// in parallel, a part each, and the parts joined without compressing again.
pub fn zip(copy: &[OutputFile]) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(Code::Offline, format!("cannot make the offline zip: {e}"))
    };
    let mut sorted: Vec<&OutputFile> = copy.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let part_size = sorted
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 4)
        .max(1);
    let parts: Vec<Vec<u8>> = sorted
        .par_chunks(part_size)
        .map(|files| zip_part(files).map_err(|e| fail(&e)))
        .collect::<Result<_, _>>()?;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for part in parts {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(part)).map_err(|e| fail(&e))?;
        writer.merge_archive(archive).map_err(|e| fail(&e))?;
    }
    Ok(writer.finish().map_err(|e| fail(&e))?.into_inner())
}

/// What the zip of `copy` is made from: each file's path and bytes.
pub fn fingerprint(copy: &[OutputFile]) -> blake3::Hash {
    let mut each: Vec<(&str, blake3::Hash)> = copy
        .par_iter()
        .map(|f| (f.path.as_str(), blake3::hash(&f.bytes)))
        .collect();
    each.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut h = blake3::Hasher::new();
    for (path, hash) in each {
        h.update(&(path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update(hash.as_bytes());
    }
    h.finalize()
}

/// A zip of `files` alone.
fn zip_part(files: &[&OutputFile]) -> zip::result::ZipResult<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for f in files {
        writer.start_file(format!("{ZIP_FOLDER}/{}", f.path), options)?;
        writer.write_all(&f.bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Add the zip's size to every link to it, in the language of the page
/// ("Download the toolkit (ZIP, 4.2 MB)").
pub fn label_download_links(
    files: &mut [OutputFile],
    base: &BaseUrl,
    size: usize,
    ui: &UiStrings,
    languages: &[String],
) -> Result<(), Diagnostic> {
    let zip_url = zip_url(&base.path);
    // Under a megabyte in whole kilobytes, else in megabytes to one decimal.
    let (key, amount) = if size < 1_000_000 {
        ("offline.size_kb", (size as f64 / 1000.0).ceil())
    } else {
        ("offline.size_mb", (size as f64 / 100_000.0).round() / 10.0)
    };
    files.par_iter_mut().try_for_each(|f| {
        let names_zip = std::str::from_utf8(&f.bytes).is_ok_and(|text| text.contains(&zip_url));
        if !f.path.ends_with(".html") || !names_zip {
            return Ok(());
        }
        let lang = languages
            .iter()
            .find(|l| f.path.starts_with(&format!("{l}/")))
            .or(languages.first())
            .cloned()
            .unwrap_or_default();
        let size_text = ui
            .text(&lang, key)
            .replace("{size}", &crate::format::number(amount, &lang));
        let label = format!(" <span class=\"download-size\">({size_text})</span>");
        let mut out = Vec::with_capacity(f.bytes.len() + 64);
        let settings = Settings::new().append_element_content_handler(element!("a[href]", |el| {
            if links_to_zip(el, &zip_url) {
                el.append(&label, lol_html::html_content::ContentType::Html);
            }
            Ok(())
        }));
        let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
        let result = rewriter.write(&f.bytes).and_then(|()| rewriter.end());
        result.map_err(|e| {
            Diagnostic::error(
                Code::Offline,
                format!("cannot label the download link in {}: {e}", f.path),
            )
        })?;
        f.bytes = Arc::new(out);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn addresses_become_relative_and_name_a_file() {
        let page = "en/curriculum/session-01/index.html";
        assert_eq!(
            relative("/kit/en/handouts/card/", page, "/kit/").as_deref(),
            Some("../../../en/handouts/card/index.html")
        );
        assert_eq!(
            relative("/kit/", "index.html", "/kit/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            relative("/kit/assets/style.1234.css", "en/index.html", "/kit/").as_deref(),
            Some("../assets/style.1234.css")
        );
        assert_eq!(
            relative("/kit/en/guidance#crisis", "en/index.html", "/kit/").as_deref(),
            Some("../en/guidance/index.html#crisis")
        );
        assert_eq!(
            relative("/kit/en/?q=x", "404.html", "/kit/").as_deref(),
            Some("en/index.html?q=x")
        );
        assert_eq!(
            relative("https://example.org/", "index.html", "/kit/"),
            None
        );
        assert_eq!(relative("#top", "index.html", "/kit/"), None);
        assert_eq!(relative("/other/", "index.html", "/kit/"), None);
    }

    #[test]
    fn stylesheet_addresses_become_relative() {
        let css = br#"a{background:url(/kit/img/a.png)}b{src:url("/kit/f.woff2")}c{x:url(https://e.org/x)}"#;
        assert_eq!(
            String::from_utf8(super::relative_stylesheet(
                css,
                "assets/style.1.css",
                "/kit/"
            ))
            .unwrap(),
            r#"a{background:url(../img/a.png)}b{src:url("../f.woff2")}c{x:url(https://e.org/x)}"#
        );
        let css = br#"a{background:url(/img/a.png)}b{src:url(//cdn.example/f.woff2)}"#;
        assert_eq!(
            String::from_utf8(super::relative_stylesheet(css, "assets/style.1.css", "/")).unwrap(),
            r#"a{background:url(../img/a.png)}b{src:url(//cdn.example/f.woff2)}"#
        );
    }
}
