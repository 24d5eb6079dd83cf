//! Reading a rendered page: its ids, its links and its images without alt text.

use std::cell::RefCell;
use std::collections::HashSet;

use lol_html::{HtmlRewriter, Settings, element};

/// One link found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// True for `<a>` links (not `<link>` metadata or embedded resources).
    pub(super) anchor: bool,
    /// The address, as written.
    pub(super) attr_value: String,
    /// The link names the language of its target.
    pub(super) hreflang: bool,
}

/// The ids and links of one page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Every id of the page.
    pub(super) ids: HashSet<String>,
    /// Every link and embedded resource.
    pub(super) links: Vec<Found>,
    /// The addresses of images without an `alt` attribute.
    pub(super) images_without_alt: Vec<String>,
}

/// What a scan collects while a page is parsed: on its own ([`parse`]), or in
/// another pass over the page (the offline copy's), so that a page is parsed once.
#[derive(Default)]
pub struct Collector {
    ids: RefCell<HashSet<String>>,
    links: RefCell<Vec<Found>>,
    images_without_alt: RefCell<Vec<String>>,
}

/// The element handlers of a pass over a page.
pub type Handlers<'h> = Vec<(
    std::borrow::Cow<'static, lol_html::Selector>,
    lol_html::ElementContentHandlers<'h>,
)>;

impl Collector {
    /// Handlers that read the page's ids, links and images; put them before any
    /// that change those attributes.
    pub fn handlers(&self) -> Handlers<'_> {
        vec![
            element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    self.ids.borrow_mut().insert(unescape(&id));
                }
                Ok(())
            }),
            element!("a[href], link[href], area[href]", |el| {
                if let Some(v) = el.get_attribute("href").map(|v| unescape(&v)) {
                    self.links.borrow_mut().push(Found {
                        anchor: el.tag_name() == "a",
                        attr_value: v,
                        hreflang: el.has_attribute("hreflang"),
                    });
                }
                Ok(())
            }),
            element!("img, script[src], source[src], iframe[src]", |el| {
                if let Some(v) = el.get_attribute("src").map(|v| unescape(&v)) {
                    if el.tag_name() == "img" && !el.has_attribute("alt") {
                        self.images_without_alt.borrow_mut().push(v.clone());
                    }
                    self.links.borrow_mut().push(Found {
                        anchor: false,
                        attr_value: v,
                        hreflang: false,
                    });
                }
                Ok(())
            }),
        ]
    }

    /// `settings` with the [`handlers`](Self::handlers) added.
    pub fn add_to<'h, 's>(&'h self, settings: Settings<'h, 's>) -> Settings<'h, 's> {
        self.handlers()
            .into_iter()
            .fold(settings, Settings::append_element_content_handler)
    }

    /// What the pass found.
    pub fn finish(self) -> Parsed {
        Parsed {
            ids: self.ids.into_inner(),
            links: self.links.into_inner(),
            images_without_alt: self.images_without_alt.into_inner(),
        }
    }
}

/// The ids and links of `html`, parsed on its own.
pub(super) fn parse(html: &[u8]) -> Parsed {
    let collector = Collector::default();
    {
        let settings = collector.add_to(Settings::new());
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // The pages are our own output: a parse error only stops the scan of that page.
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    collector.finish()
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
