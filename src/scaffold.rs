//! `passerelle new` and `passerelle init`: new pages with their required front matter
//! in every language, and a new toolkit for an agency.

use std::path::{Path, PathBuf};

use crate::config::{Config, SectionKind};
use crate::routes::slugify;

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

/// The GitHub Pages workflow of the repository, which a new toolkit gets as is
/// (it downloads the released `passerelle` of the version it names).
pub const PAGES_WORKFLOW: &str = include_str!("../.github/workflows/pages.yml");
/// The README of a new toolkit (`{title}` is replaced).
const AGENCY_README: &str = include_str!("scaffold_files/README.md");

/// The kinds of page `new` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A curriculum session.
    Session,
    /// A training module.
    Module,
    /// A case study.
    CaseStudy,
    /// A guide page.
    Guide,
    /// A participant handout.
    Handout,
}

impl NewKind {
    fn default_section(self) -> &'static str {
        match self {
            NewKind::Session => "curriculum",
            NewKind::Module => "training",
            NewKind::CaseStudy => "case-studies",
            NewKind::Guide => "guidance",
            NewKind::Handout => "handouts",
        }
    }

    fn section_kind(self) -> SectionKind {
        match self {
            NewKind::Session => SectionKind::Curriculum,
            NewKind::Module => SectionKind::Training,
            NewKind::CaseStudy => SectionKind::CaseStudies,
            NewKind::Guide => SectionKind::Guides,
            NewKind::Handout => SectionKind::Handouts,
        }
    }
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The highest `session:` or `module:` number in a folder.
fn highest_number(dir: &Path, key: &str) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| {
            t.lines()
                .find_map(|l| {
                    l.strip_prefix(&format!("{key}:"))
                        .map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<u32>().ok())
        })
        .max()
        .unwrap_or(0)
}

fn front_matter(kind: NewKind, title: &str, number: u32) -> String {
    let mut fm = format!("---\ntitle: {}\ndescription: \"\"\n", yaml_string(title));
    match kind {
        NewKind::Session => {
            fm.push_str(&format!(
                "session: {number}\nweight: {number}\nduration: 150\npurpose: \"\"\nobjectives:\n  - \"\"\nmaterials: []\nagenda:\n  - {{title: \"Arrival and refreshments\", minutes: 15}}\n  - {{title: \"Opening round\", minutes: 15}}\n  - {{title: \"Main activity\", minutes: 45}}\n  - {{title: \"Break\", minutes: 15}}\n  - {{title: \"Second activity\", minutes: 45}}\n  - {{title: \"Closing round\", minutes: 15}}\nfacilitator_notes: []\ncare_notes: []\nhandouts: []\n"
            ));
        }
        NewKind::Module => {
            fm.push_str(&format!("module: {number}\nweight: {number}\nhours: 8\nweeks: []\noutcomes:\n  - \"\"\nactivities:\n  - {{title: \"Opening round\", minutes: 20}}\n  - {{title: \"First activity\", minutes: 100}}\n  - {{title: \"Break\", minutes: 15}}\n  - {{title: \"Second activity\", minutes: 105}}\n  - {{title: \"Break\", minutes: 15}}\n  - {{title: \"Third activity\", minutes: 105}}\n  - {{title: \"Break\", minutes: 15}}\n  - {{title: \"Fourth activity\", minutes: 80}}\n  - {{title: \"Reflection round\", minutes: 25}}\nassessment: []\n"));
        }
        NewKind::CaseStudy => {
            fm.push_str("organization: \"\"\nlocation: \"\"\npopulation: \"\"\naudience: \"\"\nneed: \"\"\npromising: \"\"\ntakeaway: \"\"\ncomponents: []\noutcomes: []\nsource: \"\"\n");
        }
        NewKind::Handout => fm.push_str("fill_in: false\n"),
        NewKind::Guide => {}
    }
    fm.push_str("topics: []\nprinciples: []\nsources: []\n---\n");
    fm
}

fn body(kind: NewKind) -> &'static str {
    match kind {
        NewKind::Session => {
            "\n## Before the session {#before-the-session}\n\n## Running the session {#running-the-session}\n\n## After the session {#after-the-session}\n"
        }
        NewKind::Module => "\n## Why this module matters {#why}\n\n## Key content {#key-content}\n",
        NewKind::CaseStudy => {
            "\n## What the program did {#program}\n\n## Lessons for newcomer programs {#lessons}\n\n## What the evidence can and cannot tell us {#evidence}\n"
        }
        NewKind::Handout => {
            "\nWrite for participants: short sentences, everyday words, no facilitator notes. Keep it to one or two printed pages.\n"
        }
        NewKind::Guide => {
            "\n## What to do {#what-to-do}\n\n## What to say {#what-to-say}\n\n## What to avoid {#what-to-avoid}\n"
        }
    }
}

/// Create a page of `kind` named `name` in every language. Returns the files written.
pub fn new_page(
    root: &Path,
    kind: NewKind,
    name: &str,
    section: Option<&str>,
) -> Result<Vec<PathBuf>, String> {
    let config =
        Config::load(&root.join("toolkit.yaml"), Path::new("toolkit.yaml")).map_err(|ds| {
            ds.iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
    let section = section.unwrap_or(kind.default_section());
    if section.contains("..") || section.starts_with('/') || section.contains('\\') {
        return Err(format!(
            "`{section}` is not a folder under content/<language>/"
        ));
    }
    let top = section.split('/').next().unwrap_or(section);
    if config.section_kind(top) != kind.section_kind() {
        return Err(format!(
            "the folder `{section}` holds {:?} pages, not {kind:?} pages: choose another with --section",
            config.section_kind(top)
        ));
    }
    let slug = slugify(name);
    if slug.is_empty() {
        return Err("the name has no letters or digits to make a file name from".into());
    }
    let source = &config.source_language().code;
    let source_dir = root.join("content").join(source).join(section);
    let number = match kind {
        NewKind::Session => highest_number(&source_dir, "session").checked_add(1),
        NewKind::Module => highest_number(&source_dir, "module").checked_add(1),
        _ => Some(0),
    }
    .ok_or(
        "the sessions or modules of this folder are already numbered up to the largest number",
    )?;
    let files: Vec<PathBuf> = config
        .languages
        .iter()
        .map(|l| {
            root.join("content")
                .join(&l.code)
                .join(section)
                .join(format!("{slug}.md"))
        })
        .collect();
    if let Some(existing) = files.iter().find(|f| f.exists()) {
        return Err(format!(
            "{} already exists: nothing was written",
            existing.display()
        ));
    }
    for (file, lang) in files.iter().zip(&config.languages) {
        let mut text = front_matter(kind, name, number);
        if &lang.code != source {
            text = text.replacen(
                "---\n",
                &format!("---\n# Translate from content/{source}/{section}/{slug}.md, then run\n# `passerelle translations --stamp` on this file.\n"),
                1,
            );
        }
        text.push_str(body(kind));
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(files)
}

/// Start a new toolkit in `dir`: settings, the default theme, data files and a first
/// page of each kind, in English and French.
pub fn init(dir: &Path, title: &str) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} is not empty: choose a new folder",
            dir.display()
        ));
    }
    let mut written = Vec::new();
    let mut write = |rel: &str, bytes: &[u8]| -> Result<(), String> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let toolkit = format!(
        "# Settings of the toolkit. See docs/writing-content.md in the Passerelle repository.\ntitle:\n  en: {t}\n  fr: {t}\ndescription:\n  en: \"A planning and facilitation toolkit for peer-support programs.\"\n  fr: \"Une trousse de planification et d'animation pour les programmes de soutien par les pairs.\"\nlanguages:\n  - {{code: en, name: English, direction: ltr}}\n  - {{code: fr, name: Français, direction: ltr}}\n# The address where the site will be published, e.g. https://org.github.io/toolkit/\nbase_url: \"/\"\nbranding:\n  name: \"\"\n  colors: {{primary: \"#1f5f8b\", accent: \"#b4541d\"}}\n",
        t = yaml_string(title)
    );
    write("toolkit.yaml", toolkit.as_bytes())?;
    write(
        ".gitignore",
        b"# The built site (passerelle build)\n/site/\n# What a build keeps for the next one (safe to delete)\n/.passerelle-cache/\n",
    )?;
    write(".github/workflows/pages.yml", PAGES_WORKFLOW.as_bytes())?;
    write(
        "README.md",
        AGENCY_README.replace("{title}", title).as_bytes(),
    )?;
    for (rel, bytes) in THEME_FILES {
        write(&format!("themes/default/{rel}"), bytes)?;
    }
    write("data/sources.yaml", b"# Bibliography: pages cite these ids in `sources:`.\n# my-source:\n#   citation:\n#     en: \"Author (year). *Title.*\"\n#     fr: \"Auteur (annee). *Titre.*\"\n")?;
    write("data/topics.yaml", b"# Topic ids used in `topics:`, with a label per language.\npeer-support: {en: Peer support, fr: Soutien par les pairs}\n")?;
    write(
        "data/glossary.yaml",
        b"- en: peer support\n  fr: soutien par les pairs\n",
    )?;
    // The French home and section pages are real translations: they record the
    // version of the English page they translate.
    let stamped = |en: &str, fr: &str| {
        let version = crate::translations::version_of_text(en);
        fr.replacen("---\n", &format!("---\nsource_hash: \"{version}\"\n"), 1)
    };
    let en_home = format!(
        "---\ntitle: {}\ndescription: \"Sessions, training and guidance for our peer-support program.\"\n---\nWelcome.\n",
        yaml_string(title)
    );
    write("content/en/_index.md", en_home.as_bytes())?;
    write(
        "content/fr/_index.md",
        stamped(
            &en_home,
            &format!(
                "---\ntitle: {}\ndescription: \"Séances, formation et conseils pour notre programme de soutien par les pairs.\"\n---\nBienvenue.\n",
                yaml_string(title)
            ),
        )
        .as_bytes(),
    )?;
    for (section, en, fr, slug) in [
        ("curriculum", "Curriculum", "Programme", "programme"),
        ("training", "Training", "Formation", "formation"),
        ("guidance", "Guidance", "Guide", "guide"),
        (
            "case-studies",
            "Case studies",
            "Études de cas",
            "etudes-de-cas",
        ),
    ] {
        let en_index = format!("---\ntitle: \"{en}\"\n---\n");
        write(
            &format!("content/en/{section}/_index.md"),
            en_index.as_bytes(),
        )?;
        let fr_index = stamped(
            &en_index,
            &format!("---\ntitle: \"{fr}\"\nslug: {slug}\n---\n"),
        );
        write(
            &format!("content/fr/{section}/_index.md"),
            fr_index.as_bytes(),
        )?;
    }
    written.extend(starter_pages(dir)?);
    Ok(written)
}

/// A first session, module and guide, the translations stamped as up to date.
fn starter_pages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (kind, name) in [
        (NewKind::Session, "First session"),
        (NewKind::Module, "First module"),
        (NewKind::Guide, "First guide"),
    ] {
        // The starter pages are translations of each other from the start.
        let files = new_page(dir, kind, name, None)?;
        let source = std::fs::read_to_string(&files[0])
            .map_err(|e| format!("cannot read {}: {e}", files[0].display()))?;
        let version = crate::translations::version_of_text(&source);
        for translation in &files[1..] {
            crate::translations::stamp(translation, &version)
                .map_err(|e| format!("cannot stamp {}: {e}", translation.display()))?;
        }
        written.extend(files);
    }
    Ok(written)
}
