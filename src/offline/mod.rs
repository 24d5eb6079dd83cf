//! The offline copy: the built site with every internal address relative and
//! naming a file (`../handouts/card/index.html`), so that it works opened from a
//! disk or a USB stick, in any browser; and the zip of that copy that the
//! published site offers for download.
//!
//! The copy is made from the rendered pages, not rendered again: addresses under
//! the base path are rewritten, parts marked `data-offline="omit"` (the search box,
//! the download offer) are left out, and the search index, sitemap and robots file
//! are not copied (the search page's list of every page works without them).

mod archive;

use std::sync::Arc;

use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::i18n::UiStrings;
use crate::output::OutputFile;
use crate::routes::BaseUrl;

pub use archive::Zip;

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

/// Files of the published site that have no use in the offline copy.
const LEFT_OUT: [&str; 4] = [
    "pagefind/",
    "sitemap.xml",
    "robots.txt",
    "downloads/toolkit-offline",
];

/// The ids and links of each page, by output path, read while the copy is made.
pub type Scanned = std::collections::HashMap<String, Arc<crate::links::Parsed>>;

/// The offline copy of `files`, a site published under `base`, and the ids and
/// links of every page of the site as the link check reads them, from the same
/// pass over each page.
pub fn copy_and_scan(
    files: &[OutputFile],
    base: &BaseUrl,
) -> Result<(Vec<OutputFile>, Scanned), Diagnostic> {
    copy_pages(files, base, Ok)
}

/// The zip of the offline copy of `files`, and the ids and links of every page,
/// from one pass over each page: the copy of a page is compressed as soon as it
/// is made, and only its compressed bytes are kept. A file that `previous` holds
/// with the same bytes is taken from it.
pub fn zip_and_scan(
    files: &[OutputFile],
    base: &BaseUrl,
    previous: Option<&Zip>,
) -> Result<(Zip, Scanned), Diagnostic> {
    let fail = |e: zip::result::ZipError| {
        Diagnostic::error(Code::Offline, format!("cannot make the offline zip: {e}"))
    };
    let (entries, scanned) = copy_pages(files, base, |file| {
        archive::compress(&file.path, &file.bytes, previous).map_err(fail)
    })?;
    let zip = archive::assemble(entries, previous).map_err(fail)?;
    Ok((zip, scanned))
}

/// What `each` makes of each file of the copy, and the ids and links of each page.
fn copy_pages<T: Send>(
    files: &[OutputFile],
    base: &BaseUrl,
    each: impl Fn(OutputFile) -> Result<T, Diagnostic> + Sync,
) -> Result<(Vec<T>, Scanned), Diagnostic> {
    let made: Vec<(T, Option<(String, crate::links::Parsed)>)> = files
        .par_iter()
        .filter(|f| !LEFT_OUT.iter().any(|p| f.path.starts_with(p)))
        .map(|f| {
            if f.path.ends_with(".css") {
                let css = relative_stylesheet(&f.bytes, &f.path, &base.path);
                return Ok((each(OutputFile::new(f.path.clone(), css))?, None));
            }
            if !f.path.ends_with(".html") {
                return Ok((each(f.clone())?, None));
            }
            let collector = crate::links::Collector::default();
            let html = relative_page(&f.bytes, &f.path, base, &collector).map_err(|e| {
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
            Ok((each(file)?, Some((f.path.clone(), collector.finish()))))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let mut scanned = Scanned::new();
    let mut out = Vec::with_capacity(made.len());
    for (item, parsed) in made {
        if let Some((path, parsed)) = parsed {
            scanned.insert(path, Arc::new(parsed));
        }
        out.push(item);
    }
    Ok((out, scanned))
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
    scan: &crate::links::Collector,
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
    let settings = scan
        .add_to(Settings::new())
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
