//! A synthetic, deterministic bilingual site for benchmarks.
//!
//! [`write`] makes a site of `N` pages per language from a seed: the same seed and
//! size always give the same files, byte for byte. The pages are guide pages in
//! folders of 100 (`section-001/` …, each with an `_index.md`), about 800 words of
//! Markdown each (headings, lists, a table, a block quote, a footnote, inline
//! emphasis and links to other pages of the site), with front matter (title,
//! description, weight, topics, sources; in French a `slug` and an up-to-date
//! `source_hash`), plus `toolkit.yaml` and `data/`.
//!
//! With [`CorpusOptions::hugo`] the same pages are written in Hugo's layout
//! (`hugo.yaml`, `content/{en,fr}`, `tags` instead of `topics`, links as plain
//! relative URLs) with minimal layouts that render the same shape of HTML, so the
//! two generators can be compared on equal work. See `bench/README.md`.

mod text;
mod words;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use text::*;
use words::{EN, FR, Words};

/// How to write the corpus.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// The theme folder written in `toolkit.yaml` (`theme:`), absolute or relative
    /// to the corpus folder. Default: this repository's `themes/default`.
    pub theme: PathBuf,
    /// Write Hugo's layout instead of Passerelle's.
    pub hugo: bool,
    /// Pages per section folder (default 100).
    pub pages_per_section: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        Self {
            theme: Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .nth(2)
                .unwrap_or(Path::new("."))
                .join("themes/default"),
            hugo: false,
            pages_per_section: 100,
        }
    }
}

/// What [`write`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusSize {
    /// Content pages per language (without section indexes and the home page).
    pub pages: usize,
    /// Section folders per language.
    pub sections: usize,
}

impl CorpusSize {
    /// The size of a corpus of `pages` pages per language.
    pub fn new(pages: usize, pages_per_section: usize) -> Self {
        let per = pages_per_section.max(1);
        Self {
            pages,
            sections: pages.div_ceil(per),
        }
    }

    /// Every Markdown file of one language: pages, section indexes and the home page.
    pub fn files_per_language(&self) -> usize {
        self.pages + self.sections + 1
    }
}

/// Write a corpus of `pages_per_lang` pages per language into `dir` (created if
/// missing). Refuses a folder that already has a `content/` folder, so an older,
/// larger corpus never leaves pages behind.
pub fn write(
    dir: &Path,
    pages_per_lang: usize,
    seed: u64,
    opts: &CorpusOptions,
) -> std::io::Result<CorpusSize> {
    if dir.join("content").exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} already holds a content/ folder: remove it or choose an empty folder",
                dir.display()
            ),
        ));
    }
    let per = opts.pages_per_section.max(1);
    let size = CorpusSize::new(pages_per_lang, per);
    let corpus = Corpus {
        pages: pages_per_lang,
        per,
        seed,
        hugo: opts.hugo,
    };
    std::fs::create_dir_all(dir.join("data"))?;
    std::fs::write(dir.join("data/topics.yaml"), topics_yaml())?;
    std::fs::write(dir.join("data/sources.yaml"), sources_yaml())?;
    if opts.hugo {
        std::fs::write(dir.join("hugo.yaml"), HUGO_CONFIG)?;
        let layouts = dir.join("layouts/_default");
        std::fs::create_dir_all(&layouts)?;
        for (name, text) in HUGO_LAYOUTS {
            std::fs::write(layouts.join(name), text)?;
        }
        // The same stylesheet as the theme, copied as is.
        let css = opts.theme.join("assets/style.css");
        if css.is_file() {
            std::fs::create_dir_all(dir.join("static"))?;
            std::fs::copy(&css, dir.join("static/style.css"))?;
        }
    } else {
        std::fs::write(dir.join("data/glossary.yaml"), GLOSSARY)?;
        std::fs::write(dir.join("toolkit.yaml"), toolkit_yaml(&opts.theme))?;
    }
    for lang in [Lang::En, Lang::Fr] {
        let base = dir.join("content").join(lang.code());
        std::fs::create_dir_all(&base)?;
        // The English text of each file, for the French `source_hash`.
        let home = corpus.home(lang);
        std::fs::write(base.join("_index.md"), &home)?;
        if opts.hugo {
            for (i, (id, en, fr)) in TOPICS.iter().enumerate() {
                let folder = base.join("tags").join(id);
                std::fs::create_dir_all(&folder)?;
                let title = if lang == Lang::En { en } else { fr };
                std::fs::write(
                    folder.join("_index.md"),
                    format!("---\ntitle: \"{title}\"\nweight: {}\n---\n", i + 1),
                )?;
            }
        }
        for s in 0..size.sections {
            let folder = base.join(section_name(s));
            std::fs::create_dir_all(&folder)?;
            std::fs::write(folder.join("_index.md"), corpus.section(s, lang))?;
            let first = s * per;
            let last = (first + per).min(pages_per_lang);
            for p in first..last {
                std::fs::write(folder.join(page_file(p)), corpus.page(p, lang))?;
            }
        }
    }
    Ok(size)
}

/// `section-001` for section index 0.
fn section_name(s: usize) -> String {
    format!("section-{:03}", s + 1)
}

/// `page-0001.md` for page index 0.
fn page_file(p: usize) -> String {
    format!("page-{:04}.md", p + 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Fr,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// Topic ids with their English and French labels.
const TOPICS: &[(&str, &str, &str)] = &[
    ("peer-support", "Peer support", "Soutien par les pairs"),
    ("settlement", "Settlement", "Établissement"),
    ("mental-health", "Mental health", "Santé mentale"),
    ("coping", "Coping strategies", "Stratégies d'adaptation"),
    ("facilitation", "Group facilitation", "Animation de groupe"),
    ("active-listening", "Active listening", "Écoute active"),
    ("boundaries", "Boundaries", "Limites"),
    ("self-care", "Self-care", "Prendre soin de soi"),
    ("culture", "Culture and language", "Culture et langue"),
    ("family", "Family and parenting", "Famille et parentalité"),
    ("evaluation", "Evaluation", "Évaluation"),
    ("planning", "Program planning", "Planification de programme"),
];

/// Bibliography ids.
const SOURCES: &[&str] = &[
    "guide-2019",
    "survey-2021",
    "report-2016",
    "manual-2020",
    "study-2023",
];

fn topics_yaml() -> String {
    let mut s = String::from("# Topics of the synthetic benchmark corpus.\n");
    for (id, en, fr) in TOPICS {
        let _ = writeln!(s, "{id}: {{en: \"{en}\", fr: \"{fr}\"}}");
    }
    s
}

fn sources_yaml() -> String {
    let mut s = String::from("# Bibliography of the synthetic benchmark corpus.\n");
    for (i, id) in SOURCES.iter().enumerate() {
        let _ = write!(
            s,
            "{id}:\n  citation:\n    en: \"Author {n}, A. ({id}). *A practical guide to peer support, volume {n}.*\"\n    fr: \"Auteur {n}, A. ({id}). *Un guide pratique du soutien par les pairs, tome {n}* (en anglais).\"\n",
            n = i + 1
        );
    }
    s
}

const GLOSSARY: &str = "- en: peer support
  fr: soutien par les pairs
  note: {en: \"Support between people who share an experience.\", fr: \"Soutien entre personnes qui partagent une expérience.\"}
- en: facilitator
  fr: personne animatrice
- en: newcomer
  fr: personne nouvellement arrivée
";

fn toolkit_yaml(theme: &Path) -> String {
    let theme = theme
        .to_string_lossy()
        .replace('\\', "/")
        .replace('"', "\\\"");
    format!(
        "# Synthetic benchmark corpus (see bench/README.md).
title:
  en: \"Benchmark Toolkit\"
  fr: \"Trousse d'essai de performance\"
description:
  en: \"A synthetic toolkit for measuring build speed.\"
  fr: \"Une trousse synthétique pour mesurer la vitesse de construction.\"
languages:
  - {{code: en, name: English, direction: ltr}}
  - {{code: fr, name: Français, direction: ltr}}
base_url: \"/\"
branding:
  name: \"Passerelle\"
theme: \"{theme}\"
"
    )
}

struct Corpus {
    pages: usize,
    per: usize,
    seed: u64,
    hugo: bool,
}

/// A link target.
enum Target {
    Page(usize, Option<&'static str>),
    Section(usize),
}

impl Corpus {
    /// A link to `target` from a page of language `lang` at depth 2
    /// (`/{lang}/section-001/page-0001/`).
    fn link(&self, target: &Target, lang: Lang) -> String {
        if self.hugo {
            match target {
                Target::Page(p, anchor) => {
                    let slug = page_slug(*p, lang);
                    let s = section_name(p / self.per);
                    match anchor {
                        Some(a) => format!("../../{s}/{slug}/#{a}"),
                        None => format!("../../{s}/{slug}/"),
                    }
                }
                Target::Section(s) => format!("../../{}/", section_name(*s)),
            }
        } else {
            match target {
                Target::Page(p, anchor) => {
                    let s = section_name(p / self.per);
                    let stem = page_file(*p);
                    match anchor {
                        Some(a) => format!("@/{s}/{stem}#{a}"),
                        None => format!("@/{s}/{stem}"),
                    }
                }
                Target::Section(s) => format!("@/{}/_index.md", section_name(*s)),
            }
        }
    }

    fn home(&self, lang: Lang) -> String {
        let w = words(lang);
        let mut r = Rng::new(self.seed, u64::MAX);
        let (title, desc) = match lang {
            Lang::En => (
                "Benchmark Toolkit",
                "The home page of the benchmark corpus.",
            ),
            Lang::Fr => (
                "Trousse d'essai de performance",
                "La page d'accueil du corpus d'essai.",
            ),
        };
        let mut body = String::new();
        paragraph(&mut body, &mut r, w, 3);
        body.push('\n');
        let first = Target::Section(0);
        let _ = writeln!(
            body,
            "{} [{} 1]({}).",
            capitalize(w.see[0]),
            w.section,
            self.link_home(&first)
        );
        let mut text = format!("---\ntitle: \"{title}\"\ndescription: \"{desc}\"\n");
        self.finish(&mut text, lang, None, &body);
        text
    }

    /// Links from the home page (depth 0 under the language).
    fn link_home(&self, target: &Target) -> String {
        match target {
            Target::Section(s) if self.hugo => format!("{}/", section_name(*s)),
            _ => self.link(target, Lang::En),
        }
    }

    fn section(&self, s: usize, lang: Lang) -> String {
        let w = words(lang);
        let mut r = Rng::new(self.seed, (1 << 40) + s as u64);
        let name = title_words(&mut r, w, 3);
        let title = format!("{} {}: {name}", w.section, s + 1);
        let desc = sentence_text(&mut r, w);
        let mut body = String::new();
        paragraph(&mut body, &mut r, w, 4);
        let mut text = format!(
            "---\ntitle: \"{title}\"\ndescription: \"{}\"\nweight: {}\n",
            yaml_escape(&desc),
            s + 1
        );
        let source = (lang == Lang::Fr).then(|| self.section(s, Lang::En));
        self.finish(&mut text, lang, source.as_deref(), &body);
        text
    }

    /// Close the front matter (adding the French `source_hash` in Passerelle's
    /// layout) and append the body.
    fn finish(&self, text: &mut String, lang: Lang, en_source: Option<&str>, body: &str) {
        if !self.hugo && lang == Lang::Fr {
            let en = match en_source {
                Some(s) => s.to_string(),
                None => self.home(Lang::En),
            };
            let version = passerelle::translations::version_of_text(&en);
            let _ = writeln!(text, "source_hash: \"{version}\"");
        }
        text.push_str("---\n");
        text.push_str(body);
    }

    fn page(&self, p: usize, lang: Lang) -> String {
        let w = words(lang);
        let mut r = Rng::new(self.seed, p as u64);
        let n = r.range(3, 6);
        let title = title_words(&mut r, w, n);
        let desc = format!("{} {}.", w.page_desc, lower_words(&mut r, w, 4));
        let weight = p % self.per + 1;
        let ntopics = r.range(1, 3);
        let mut topics: Vec<&str> = Vec::new();
        for _ in 0..ntopics {
            let t = TOPICS[r.below(TOPICS.len())].0;
            if !topics.contains(&t) {
                topics.push(t);
            }
        }
        let nsources = r.range(1, 2);
        let mut sources: Vec<&str> = Vec::new();
        for _ in 0..nsources {
            let s = SOURCES[r.below(SOURCES.len())];
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
        let mut text = format!(
            "---\ntitle: \"{}\"\ndescription: \"{}\"\nweight: {weight}\n",
            yaml_escape(&title),
            yaml_escape(&desc)
        );
        if lang == Lang::Fr {
            let _ = writeln!(text, "slug: {}", page_slug(p, lang));
        }
        let taxonomy = if self.hugo { "tags" } else { "topics" };
        let _ = writeln!(text, "{taxonomy}: [{}]", topics.join(", "));
        let _ = writeln!(text, "sources: [{}]", sources.join(", "));
        let body = self.body(p, &mut r, lang);
        let source = (lang == Lang::Fr).then(|| self.page(p, Lang::En));
        self.finish(&mut text, lang, source.as_deref(), &body);
        text
    }

    /// A target page other than `p`.
    fn other_page(&self, p: usize, r: &mut Rng) -> usize {
        if self.pages <= 1 {
            return p;
        }
        let q = r.below(self.pages - 1);
        if q >= p { q + 1 } else { q }
    }

    /// `see [some words](link)` to a page other than `p`.
    fn link_text(&self, r: &mut Rng, lang: Lang, p: usize) -> String {
        let w = words(lang);
        let q = self.other_page(p, r);
        let anchor = r.chance(30).then_some("overview");
        let n = r.range(2, 4);
        let text = lower_words(r, w, n);
        let see = r.pick(w.see);
        format!(
            "{see} [{text}]({})",
            self.link(&Target::Page(q, anchor), lang)
        )
    }

    /// About 800 words of Markdown.
    fn body(&self, p: usize, r: &mut Rng, lang: Lang) -> String {
        let w = words(lang);
        let mut b = String::with_capacity(6 * 1024);
        paragraph(&mut b, r, w, 3);
        b.push('\n');
        let _ = writeln!(b, "## {} {{#overview}}\n", w.overview);
        paragraph(&mut b, r, w, 4);
        b.push('\n');
        // A paragraph with a footnote and a link.
        let mut para = String::new();
        for _ in 0..3 {
            para.push_str(&sentence_text(r, w));
            para.push(' ');
        }
        let link = self.link_text(r, lang, p);
        let _ = writeln!(b, "{para}{}.[^1]\n", capitalize(&link));
        let table_at = r.range(0, 3);
        let quote_at = r.range(0, 3);
        for i in 0..4 {
            let n = r.range(2, 5);
            let _ = writeln!(b, "## {}\n", title_words(r, w, n));
            paragraph(&mut b, r, w, 4);
            b.push('\n');
            if r.chance(40) {
                let _ = writeln!(b, "### {}\n", title_words(r, w, 3));
                paragraph(&mut b, r, w, 2);
                b.push('\n');
            }
            let ordered = r.chance(40);
            let items = r.range(4, 6);
            for k in 0..items {
                let item = list_item(r, w);
                if ordered {
                    let _ = writeln!(b, "{}. {item}", k + 1);
                } else {
                    let _ = writeln!(b, "- {item}");
                }
            }
            b.push('\n');
            if i == table_at {
                let _ = writeln!(b, "{}\n|---|---|---|", w.table_head);
                let rows = r.range(3, 5);
                for _ in 0..rows {
                    let what = lower_words(r, w, 3);
                    let who = r.pick(w.noun);
                    let min = 5 * r.range(1, 12);
                    let _ = writeln!(b, "| {what} | {who} | {min} {} |", w.minutes);
                }
                b.push('\n');
            }
            if i == quote_at {
                let _ = writeln!(b, "> {} {}\n", sentence_text(r, w), sentence_text(r, w));
            }
            let mut para = String::new();
            for _ in 0..2 {
                para.push_str(&sentence_text(r, w));
                para.push(' ');
            }
            if r.chance(25) {
                let s = r.below(self.pages.div_ceil(self.per));
                let see = r.pick(w.see);
                let _ = writeln!(
                    b,
                    "{para}{} [{} {}]({}).\n",
                    capitalize(see),
                    w.section.to_lowercase(),
                    s + 1,
                    self.link(&Target::Section(s), lang)
                );
            } else {
                let link = self.link_text(r, lang, p);
                let _ = writeln!(b, "{para}{}.\n", capitalize(&link));
            }
        }
        let _ = writeln!(b, "[^1]: {}", sentence_text(r, w));
        b
    }
}

/// The slug of page `p` in `lang` (`page-0001`, `fiche-0001`).
fn page_slug(p: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("page-{:04}", p + 1),
        Lang::Fr => format!("fiche-{:04}", p + 1),
    }
}

fn yaml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Hugo's settings for the corpus.
const HUGO_CONFIG: &str = include_str!("../hugo/hugo.yaml");

/// Minimal Hugo layouts that render the same shape of HTML as Passerelle's theme.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        include_str!("../hugo/layouts/_default/baseof.html"),
    ),
    (
        "single.html",
        include_str!("../hugo/layouts/_default/single.html"),
    ),
    (
        "list.html",
        include_str!("../hugo/layouts/_default/list.html"),
    ),
    (
        "terms.html",
        include_str!("../hugo/layouts/_default/terms.html"),
    ),
    (
        "term.html",
        include_str!("../hugo/layouts/_default/term.html"),
    ),
];

#[cfg(test)]
mod tests;
