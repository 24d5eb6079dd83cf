//! Reading a rendered page: its ids, its links and its images without alt text.

use std::collections::HashSet;

use lol_html::{HtmlRewriter, Settings, element};

/// One link found in a page.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// True for `<a>` links (not `<link>` metadata or embedded resources).
    pub(super) anchor: bool,
    /// The address, as written.
    pub(super) attr_value: String,
    /// The link names the language of its target.
    pub(super) hreflang: bool,
}

/// The ids and links of one page.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    /// Every id of the page.
    pub(super) ids: HashSet<String>,
    /// Every link and embedded resource.
    pub(super) links: Vec<Found>,
    /// The addresses of images without an `alt` attribute.
    pub(super) images_without_alt: Vec<String>,
}

pub(super) fn parse(html: &[u8]) -> Parsed {
    let mut ids = HashSet::new();
    let links = std::cell::RefCell::new(Vec::new());
    let mut images = Vec::new();
    {
        let settings = Settings::new()
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.insert(unescape(&id));
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href], link[href], area[href]", |el| {
                if let Some(v) = el.get_attribute("href").map(|v| unescape(&v)) {
                    links.borrow_mut().push(Found {
                        anchor: el.tag_name() == "a",
                        attr_value: v,
                        hreflang: el.has_attribute("hreflang"),
                    });
                }
                Ok(())
            }))
            .append_element_content_handler(element!(
                "img, script[src], source[src], iframe[src]",
                |el| {
                    if let Some(v) = el.get_attribute("src").map(|v| unescape(&v)) {
                        if el.tag_name() == "img" && !el.has_attribute("alt") {
                            images.push(v.clone());
                        }
                        links.borrow_mut().push(Found {
                            anchor: false,
                            attr_value: v,
                            hreflang: false,
                        });
                    }
                    Ok(())
                }
            ));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // The pages are our own output: a parse error only stops the scan of that page.
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    Parsed {
        ids,
        links: links.into_inner(),
        images_without_alt: images,
    }
}

/// Decode the character references an attribute value may hold (`&amp;`, `&#x2f;`…),
/// as a browser does.
pub(super) fn unescape(value: &str) -> String {
    html_escape::decode_html_entities(value).into_owned()
}

/// Decode `%xx` in a fragment or path.
pub(super) fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
