//! The phases between loading and writing: validate, Markdown, assets, render,
//! search and links. Each takes what the earlier ones made and returns what the
//! later ones need.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{BuildCache, dirty_entries, hash_of, summary_fingerprint};
use super::disk_cache::DiskCache;
use super::load::Loaded;
use super::{BuildOptions, TranslationNote};
use crate::checks;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::markdown::{self, MarkdownContext};
use crate::output::OutputFile;
use crate::plan::Plan;
use crate::render::{Renderer, templates};
use crate::routes::{Routes, output_path};
use crate::translations::Status;

/// Validate: checks across pages, the URLs, and the plan of every page to publish
/// in every language, with the translation status of each.
pub(super) fn validate<'a>(
    loaded: &'a Loaded,
    diags: &mut Diagnostics,
    translations: &mut Vec<TranslationNote>,
) -> (Routes, Plan<'a>) {
    let Loaded {
        config,
        data,
        pages,
        ..
    } = loaded;
    checks::numbering(pages, diags);
    checks::unique_keys(pages, diags);
    checks::references(pages, data, diags);
    let routes = Routes::new(
        pages,
        &config.source_language().code,
        &crate::routes::BaseUrl::parse(&config.base_url),
    );
    let plan = Plan::new(pages, config, &routes, diags);
    checks::handout_references(&plan, config, diags);
    for (key, lang, status, page) in &plan.statuses {
        if !matches!(status, Status::Missing | Status::Stale | Status::Orphan) {
            continue;
        }
        translations.push(TranslationNote {
            key: key.clone(),
            lang: lang.clone(),
            status: *status,
        });
        if *status == Status::Orphan {
            diags.push(
                Diagnostic::warning(
                    Code::Orphan,
                    format!("this `{lang}` page translates a page that no longer exists"),
                )
                .at(page.file.yaml().span_start())
                .hint("remove it, or set `translation_key` to the key of its source page"),
            );
        }
    }
    (routes, plan)
}

/// Markdown: every page's body to HTML. A body depends on its text, its language,
/// and the URLs of the pages it may link to: when none changed, the last rendering
/// is reused. Returns, per entry, whether its body was rendered again.
pub(super) fn markdown(
    plan: &mut Plan,
    loaded: &Loaded,
    routes: &Routes,
    cache: &mut BuildCache,
    diags: &mut Diagnostics,
) -> Vec<bool> {
    let keys = plan.keys();
    let url_map = hash_of(
        plan.entries
            .iter()
            .map(|e| (e.lang, &e.page.key, &e.url))
            .collect::<Vec<_>>(),
    );
    let fingerprints: Vec<u64> = plan
        .entries
        .iter()
        .map(|e| {
            hash_of((
                e.page.hash,
                &e.page.lang,
                e.lang,
                e.status == Status::Missing,
                url_map,
            ))
        })
        .collect();
    let plan_ref: &Plan = plan;
    let source = &loaded.config.source_language().code;
    let open = format!(
        "<div lang=\"{source}\" dir=\"{}\">",
        loaded.config.direction_of(source)
    );
    let fallback = loaded
        .data
        .snippets
        .get(source)
        .map(|snippets| markdown::SnippetFallback {
            lang: source,
            snippets,
            open: &open,
        });
    let rendered: Vec<(Arc<markdown::Rendered>, Vec<Diagnostic>, bool)> = plan_ref
        .entries
        .par_iter()
        .zip(&fingerprints)
        .map(|(e, fp)| {
            if let Some((_, r, problems)) = cache.body(e.lang, &e.page.key, *fp) {
                return (r, problems, false);
            }
            let resolve = |key: &str| plan_ref.get(e.lang, key).map(|t| t.url.clone());
            let label = |key: &str| loaded.ui.text(&e.page.lang, key);
            let keys_fn = || keys.clone();
            let ctx = MarkdownContext {
                lang: &e.page.lang,
                base_path: routes.base_path(),
                ui: &label,
                resolve: &resolve,
                keys: &keys_fn,
                reserved_ids: crate::theme::anchors(&e.page.kind),
                snippets: loaded
                    .data
                    .snippets
                    .get(&e.page.lang)
                    .unwrap_or(&markdown::NO_SNIPPETS),
                figures: loaded
                    .data
                    .figures
                    .get(&e.page.lang)
                    .unwrap_or(&markdown::NO_SNIPPETS),
                fallback: fallback.filter(|f| f.lang != e.page.lang),
            };
            let mut problems = Vec::new();
            let r = markdown::render(&e.page.file, &ctx, &mut problems);
            // A page shown as a fallback repeats its source's problems: report them once.
            if e.status == Status::Missing {
                problems.clear();
            }
            (Arc::new(r), problems, true)
        })
        .collect();
    let mut changed: Vec<bool> = Vec::with_capacity(rendered.len());
    let mut bodies = HashMap::with_capacity(rendered.len());
    for ((e, (r, problems, fresh)), fp) in plan.entries.iter_mut().zip(rendered).zip(&fingerprints)
    {
        diags.extend(problems.iter().cloned());
        if cache.keep {
            bodies.insert((e.lang, e.page.key.clone()), (*fp, r.clone(), problems));
        }
        e.rendered = r;
        changed.push(fresh);
    }
    cache.markdown = bodies;
    changed
}

/// Let go of the HTML of each body once the pages hold it, where nothing else
/// keeps it (the preview's cache does): the later phases read the pages.
pub(super) fn release_bodies(plan: &mut Plan) {
    for e in &mut plan.entries {
        if let Some(body) = Arc::get_mut(&mut e.rendered) {
            body.html = String::new();
        }
    }
}

/// What the phases after validation read: the options, the loaded toolkit and its
/// URLs.
pub(super) struct Inputs<'a> {
    /// The build's options.
    pub(super) opts: &'a BuildOptions,
    /// Settings, UI strings, data and pages.
    pub(super) loaded: &'a Loaded,
    /// URLs.
    pub(super) routes: &'a Routes,
}

/// The stylesheet and the static files.
pub(super) struct Assets {
    /// The hashed stylesheet, when it could be built.
    stylesheet: Option<crate::assets::Stylesheet>,
    /// Files of `static/` (the site's over the theme's).
    statics: Vec<OutputFile>,
}

/// Assets: the stylesheet (its URL is needed by the templates) and static files.
pub(super) fn assets(opts: &BuildOptions, loaded: &Loaded, diags: &mut Diagnostics) -> Assets {
    let mut problems = Vec::new();
    let stylesheet = match crate::assets::stylesheet(&opts.root, &loaded.theme, &loaded.config) {
        Ok(s) => Some(s),
        Err(ds) => {
            problems.extend(ds);
            None
        }
    };
    let statics = crate::assets::static_files(&opts.root, &loaded.theme, &mut problems);
    diags.extend(problems);
    Assets {
        stylesheet,
        statics,
    }
}

/// What the render phase made.
pub(super) struct Rendered {
    /// Every file of the site so far: pages, generated pages, stylesheet, statics.
    pub(super) files: Vec<OutputFile>,
    /// Output paths rendered by this build (not reused from the last one).
    pub(super) fresh: HashSet<String>,
    /// A template failed: some pages are missing, so links to them are not checked.
    pub(super) failed: bool,
    /// The ids and links of each page, read by the offline copy's pass over it, for
    /// the link check (empty when no copy was made: the preview).
    pub(super) scanned: crate::offline::Scanned,
}

/// Render: the pages whose output can have changed, and the generated pages unless
/// nothing they show changed.
pub(super) fn render(
    inputs: &Inputs,
    plan: &Plan,
    changed: &[bool],
    assets: Assets,
    cache: &mut BuildCache,
    diags: &mut Diagnostics,
) -> Rendered {
    let Inputs {
        opts,
        loaded,
        routes,
    } = *inputs;
    let root = &opts.root;
    let stylesheet_url = assets
        .stylesheet
        .as_ref()
        .map(|s| format!("{}{}", routes.base_path(), s.path))
        .unwrap_or_default();
    let mut dirs = vec![root.join("templates"), loaded.theme.join("templates")];
    dirs.dedup();
    let (env, files) = templates::environment(root, dirs, loaded.ui.clone());
    let renderer = Renderer {
        env,
        files,
        config: &loaded.config,
        ui: loaded.ui.clone(),
        data: &loaded.data,
        routes,
        stylesheet: stylesheet_url,
        live_reload: opts.live_reload.clone(),
    };
    let summaries: Vec<u64> = plan.entries.iter().map(summary_fingerprint).collect();
    let dirty = dirty_entries(plan, &summaries, changed, cache);
    cache.last_rendered = dirty.iter().filter(|d| **d).count();
    let mut fresh: HashSet<String> = plan
        .entries
        .iter()
        .zip(&dirty)
        .filter(|(_, d)| **d)
        .map(|(e, _)| output_path(&e.url, routes.base_path()))
        .collect();
    let (pages_out, problems) = renderer.render_entries(plan, &|i| dirty[i]);
    let (mut out_files, more) = match cache.generated_if_unchanged(plan, &summaries, &dirty) {
        Some(previous) => (previous, Vec::new()),
        None => {
            let (files, problems) = renderer.render_generated_all(plan);
            fresh.extend(files.iter().map(|f| f.path.clone()));
            cache.generated = (cache.keep && problems.is_empty()).then(|| files.clone());
            (files, problems)
        }
    };
    // A page that failed to render is missing: checking links to it would only
    // repeat that error on every page that links to it.
    let failed = !problems.is_empty() || !more.is_empty();
    diags.extend(problems);
    diags.extend(more);
    let mut outputs = HashMap::with_capacity(plan.entries.len());
    let mut kept_summaries = HashMap::new();
    for ((e, out), summary) in plan.entries.iter().zip(pages_out).zip(&summaries) {
        let id = (e.lang, e.page.key.clone());
        if let Some(f) = out.or_else(|| cache.outputs.remove(&id)) {
            if cache.keep {
                outputs.insert(id.clone(), f.clone());
            }
            out_files.push(f);
        }
        // Only a cache that keeps pages compares summaries in the next build.
        if cache.keep {
            kept_summaries.insert(id, (*summary, e.page.folders.clone(), e.page.is_index));
        }
    }
    cache.keep_pages(outputs, kept_summaries, diags.has_errors());
    if let Some(s) = &assets.stylesheet {
        out_files.push(OutputFile::new(s.path.clone(), s.css.clone().into_bytes()));
    }
    out_files.extend(assets.statics);
    Rendered {
        files: out_files,
        fresh,
        failed,
        scanned: crate::offline::Scanned::new(),
    }
}

/// The offline copy of the rendered site. With `--offline` it is returned, to be
/// written instead of the site; otherwise its zip is added to the site and every
/// link to the zip is labelled with its size.
pub(super) fn offline(
    inputs: &Inputs,
    rendered: &mut Rendered,
    disk: &mut DiskCache,
    diags: &mut Diagnostics,
) -> Option<Vec<OutputFile>> {
    let Inputs {
        opts,
        loaded,
        routes,
    } = *inputs;
    if opts.live_reload.is_some() || opts.offline {
        // No zip is made: the live preview makes it when it is asked for
        // (`serve::http`), and `--offline` writes the copy instead. An empty
        // stand-in, not written, so that the links to it are known.
        let copy = match opts.offline {
            false => None,
            true => match crate::offline::copy_and_scan(&rendered.files, routes.base()) {
                Ok((copy, scanned)) => {
                    rendered.scanned = scanned;
                    Some(copy)
                }
                Err(d) => {
                    diags.push(d);
                    None
                }
            },
        };
        rendered
            .files
            .push(OutputFile::new(crate::offline::ZIP_PATH, Vec::new()));
        return copy;
    }
    // The last zip, whose files that did not change are taken as they are.
    let key = blake3::hash(b"offline zip");
    let previous = disk
        .get("offline", &key)
        .and_then(crate::offline::Zip::from_bytes);
    let zip = match crate::offline::zip_and_scan(&rendered.files, routes.base(), previous.as_ref())
    {
        Ok((zip, scanned)) => {
            rendered.scanned = scanned;
            zip
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if disk.enabled() && previous.is_none_or(|p| p.bytes != zip.bytes) {
        let (index, archive) = zip.payload();
        disk.put_parts("offline", &key, &[&index, archive]);
    }
    let languages: Vec<String> = loaded
        .config
        .languages
        .iter()
        .map(|l| l.code.clone())
        .collect();
    let labelled = crate::offline::label_download_links(
        &mut rendered.files,
        routes.base(),
        zip.bytes.len(),
        &loaded.ui,
        &languages,
    );
    if let Err(d) = labelled {
        diags.push(d);
    }
    rendered
        .files
        .push(OutputFile::new(crate::offline::ZIP_PATH, zip.bytes));
    None
}

/// Search: one index per language, from the rendered pages. Returns false when the
/// settings or the options leave it out.
pub(super) fn search(
    inputs: &Inputs,
    plan: &Plan,
    rendered: &mut Rendered,
    disk: &mut DiskCache,
    diags: &mut Diagnostics,
) -> bool {
    let Inputs {
        opts,
        loaded,
        routes,
    } = *inputs;
    let config = &loaded.config;
    if !(opts.search && config.search.enabled && !diags.has_errors()) {
        return false;
    }
    let urls: HashMap<String, &str> = plan
        .entries
        .iter()
        .map(|e| (output_path(&e.url, routes.base_path()), e.url.as_str()))
        .collect();
    let mut pages: Vec<(&OutputFile, String)> = rendered
        .files
        .iter()
        .filter_map(|f| urls.get(&f.path).map(|u| (f, u.to_string())))
        .collect();
    // The same pages give the same index, whatever order they were rendered in.
    pages.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let exclude = !config.search.index_facilitator_notes;
    // Each language's bundle is taken from the cache when its pages are the same;
    // the others are indexed, one after the other.
    let store: Option<&mut dyn crate::search::Store> =
        if disk.enabled() { Some(disk) } else { None };
    let (files, errors) = crate::search::index_reusing(&pages, exclude, store);
    rendered.files.extend(files);
    diags.extend(errors);
    true
}

/// Links: every link and anchor of the rendered pages, template-made ones too.
/// Returns false when a template failed (the link check is then left out).
pub(super) fn links(
    inputs: &Inputs,
    plan: &Plan,
    rendered: &Rendered,
    cache: &mut BuildCache,
    diags: &mut Diagnostics,
) -> bool {
    if rendered.failed {
        return false;
    }
    let Inputs {
        opts,
        loaded,
        routes,
    } = *inputs;
    let config = &loaded.config;
    let mut pages = HashMap::with_capacity(plan.entries.len());
    let mut keys = HashSet::with_capacity(plan.entries.len());
    for e in &plan.entries {
        let code = config.languages[e.lang].code.as_str();
        keys.insert((code, e.page.key.as_str()));
        pages.insert(
            output_path(&e.url, routes.base_path()),
            crate::links::PageInfo {
                lang: code,
                key: Some(e.page.key.as_str()),
                source_links: &e.rendered.links,
            },
        );
    }
    for f in &rendered.files {
        if f.path.ends_with(".html") && !pages.contains_key(&f.path) {
            let lang = f
                .path
                .split('/')
                .next()
                .filter(|l| config.language(l).is_some())
                .unwrap_or("");
            pages.insert(
                f.path.clone(),
                crate::links::PageInfo {
                    lang,
                    ..Default::default()
                },
            );
        }
    }
    let origin = routes.base().origin.clone();
    let mut throwaway = HashMap::new();
    let mut throwaway_findings = HashMap::new();
    let keep = cache.keep;
    let mut check = crate::links::LinkCheck {
        files: &rendered.files,
        base_path: routes.base_path(),
        origin,
        pages: &pages,
        keys: &keys,
        template_dirs: vec![opts.root.join("templates"), loaded.theme.join("templates")],
        root: &opts.root,
        external: opts.external,
        parsed: if keep {
            &mut cache.parsed_html
        } else {
            &mut throwaway
        },
        fresh: &rendered.fresh,
        scanned: &rendered.scanned,
        findings: if keep {
            &mut cache.link_findings
        } else {
            &mut throwaway_findings
        },
    };
    let found = check.run();
    // A Markdown link to no page was reported while rendering: report it once.
    let known_places: HashSet<(Code, Option<String>)> =
        diags.iter().map(|d| (d.code, d.location())).collect();
    diags.extend(
        found
            .into_iter()
            .filter(|d| d.span.is_none() || !known_places.contains(&(d.code, d.location()))),
    );
    true
}
