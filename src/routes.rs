//! URLs: `/{lang}/{section}/{slug}/`, with each folder's segment taken from the slug
//! of its `_index.md` in the reader's language, so a translation can have its own.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

use crate::content::Page;

/// The toolkit's base URL, read once: the origin when it is a full address
/// (`https://org.github.io`), and the path every URL starts with (`/toolkit/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, for a base URL such as `https://org.github.io/toolkit/`.
    pub origin: Option<String>,
    /// The path part, starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Read a base URL: a full `http(s)://` address or a path (`/`, `/toolkit/`).
    pub fn parse(base_url: &str) -> Self {
        let web = url::Url::parse(base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        let (origin, path) = match &web {
            Some(u) => (Some(u.origin().ascii_serialization()), u.path().to_string()),
            None => (None, base_url.to_string()),
        };
        let mut path = path;
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        Self { origin, path }
    }

    /// `url` (a path from the root of the host) as a full address when the base URL
    /// is one, else as it is.
    pub fn absolute(&self, url: &str) -> String {
        match &self.origin {
            Some(origin) => format!("{origin}{url}"),
            None => url.to_string(),
        }
    }
}

/// Folder slugs per language: (lang, folder key) → slug.
#[derive(Debug, Default)]
pub struct Routes {
    folder_slugs: HashMap<(String, String), String>,
    source_lang: String,
    base: BaseUrl,
}

impl Routes {
    /// Learn the folder slugs from the section indexes of every language.
    pub fn new(pages: &[std::sync::Arc<Page>], source_lang: &str, base: &BaseUrl) -> Self {
        let mut folder_slugs = HashMap::new();
        for p in pages {
            if p.is_index && !p.folders.is_empty() {
                folder_slugs.insert((p.lang.clone(), p.folders.join("/")), p.slug.clone());
            }
        }
        Self {
            folder_slugs,
            source_lang: source_lang.to_string(),
            base: base.clone(),
        }
    }

    /// The slug of folder `folders[..=i]` in `lang`.
    fn folder_slug(&self, lang: &str, folders: &[String], i: usize) -> String {
        let key = folders[..=i].join("/");
        self.folder_slugs
            .get(&(lang.to_string(), key.clone()))
            .or_else(|| self.folder_slugs.get(&(self.source_lang.clone(), key)))
            .cloned()
            .unwrap_or_else(|| crate::routes::slugify(&folders[i]))
    }

    /// The path of the language's home: `/toolkit/fr/`.
    pub fn home(&self, lang: &str) -> String {
        format!("{}{lang}/", self.base.path)
    }

    /// The URL of the section made of `folders` in `lang`.
    pub fn folder(&self, lang: &str, folders: &[String]) -> String {
        let mut url = self.home(lang);
        for i in 0..folders.len() {
            url.push_str(&self.folder_slug(lang, folders, i));
            url.push('/');
        }
        url
    }

    /// The URL of `page` when shown in `lang` (its own language, or another one as a
    /// fallback).
    pub fn page(&self, page: &Page, lang: &str) -> String {
        let mut url = self.folder(lang, &page.folders);
        if !page.is_index && !page.slug.is_empty() {
            url.push_str(&page.slug);
            url.push('/');
        }
        url
    }

    /// A URL for a generated page: `/fr/glossaire/`.
    pub fn generated(&self, lang: &str, segments: &[&str]) -> String {
        let mut url = self.home(lang);
        for s in segments {
            url.push_str(s);
            url.push('/');
        }
        url
    }

    /// The base path, `/` or `/toolkit/`.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The path part of the base URL, `/` or `/toolkit/`.
    pub fn base_path(&self) -> &str {
        &self.base.path
    }
}

/// The file that serves `url` inside the output folder: `/fr/a/` → `fr/a/index.html`.
pub fn output_path(url: &str, base_path: &str) -> String {
    let rel = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// A URL segment from a name: lowercase, spaces and underscores as hyphens, only
/// letters, digits and hyphens kept.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '.') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn base_urls_are_read_once() {
        let b = super::BaseUrl::parse("https://org.github.io/toolkit");
        assert_eq!(b.origin.as_deref(), Some("https://org.github.io"));
        assert_eq!(b.path, "/toolkit/");
        assert_eq!(
            b.absolute("/toolkit/en/"),
            "https://org.github.io/toolkit/en/"
        );
        let b = super::BaseUrl::parse("https://example.org");
        assert_eq!(
            (b.origin.as_deref(), b.path.as_str()),
            (Some("https://example.org"), "/")
        );
        let b = super::BaseUrl::parse("/");
        assert_eq!((b.origin, b.path.as_str()), (None, "/"));
        assert_eq!(super::BaseUrl::parse("kit").path, "/kit/");
        assert_eq!(
            super::BaseUrl::parse("/kit/").absolute("/kit/en/"),
            "/kit/en/"
        );
    }

    #[test]
    fn slugs_keep_letters_and_digits() {
        assert_eq!(slugify("Écoute  active_2"), "écoute-active-2");
        assert_eq!(slugify("e\u{301}coute"), "écoute");
        assert_eq!(slugify("--a.b--"), "a-b");
    }
}
