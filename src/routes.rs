//! URLs: `/{lang}/{section}/{slug}/`, with each folder's segment taken from the slug
//! of its `_index.md` in the reader's language, so a translation can have its own.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

use crate::content::Page;

/// Folder slugs per language: (lang, folder key) → slug.
#[derive(Debug, Default)]
pub struct Routes {
    folder_slugs: HashMap<(String, String), String>,
    source_lang: String,
    base_path: String,
}

impl Routes {
    /// Learn the folder slugs from the section indexes of every language.
    pub fn new<'a>(
        pages: impl IntoIterator<Item = &'a Page>,
        source_lang: &str,
        base_path: &str,
    ) -> Self {
        let mut folder_slugs = HashMap::new();
        for p in pages {
            if p.is_index && !p.folders.is_empty() {
                folder_slugs.insert((p.lang.clone(), p.folders.join("/")), p.slug.clone());
            }
        }
        Self {
            folder_slugs,
            source_lang: source_lang.to_string(),
            base_path: base_path.to_string(),
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
        format!("{}{lang}/", self.base_path)
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
    pub fn base_path(&self) -> &str {
        &self.base_path
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
    fn slugs_keep_letters_and_digits() {
        assert_eq!(slugify("Écoute  active_2"), "écoute-active-2");
        assert_eq!(slugify("e\u{301}coute"), "écoute");
        assert_eq!(slugify("--a.b--"), "a-b");
    }
}
