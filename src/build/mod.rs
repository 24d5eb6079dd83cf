//! The build as a list of phases: load, validate, markdown, assets, render,
//! offline, search, links, write, each timed. Nothing is written unless every phase succeeded.
//!
//! [`build_cached`] reads as the pipeline; each phase lives with what it owns
//! (`load`, `stages`, the checks in [`crate::checks`]), and what a build keeps for
//! the next one is in [`cache`].

mod cache;
mod disk_cache;
mod load;
mod progress;
mod stages;
mod unchanged;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use cache::BuildCache;
pub use disk_cache::CACHE_DIR;

use crate::diagnostics::Diagnostics;
use crate::output::{self, OutputFile, WriteReport};
use crate::plan::Plan;
use crate::translations::Status;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The toolkit folder (holds `toolkit.yaml`).
    pub root: PathBuf,
    /// Output folder; default `root/site`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `toolkit.yaml`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Write the site (false for `check`).
    pub write: bool,
    /// A script to add to every page (live preview only).
    pub live_reload: Option<String>,
    /// Build the search index when the settings ask for it (off in the live preview).
    pub search: bool,
    /// Also check external links (with a timeout).
    pub external: bool,
    /// Write the offline copy (relative addresses, no search index) instead of
    /// the site to publish, which carries that copy as a zip.
    pub offline: bool,
    /// Keep what the next build can reuse in the toolkit's cache folder
    /// ([`CACHE_DIR`]): the search bundles, the offline zip, the stamp of the build.
    pub cache: bool,
    /// Show the phase on standard error when the build runs long and it is a terminal.
    pub progress: bool,
}

impl BuildOptions {
    /// Options to build `root` into its `site/` folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            write: true,
            live_reload: None,
            search: true,
            external: false,
            offline: false,
            cache: false,
            progress: false,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("site"))
    }
}

/// A page shown in a language from another language's text, or out of date.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TranslationNote {
    /// Translation key.
    pub key: String,
    /// Reader's language.
    pub lang: String,
    /// Missing, stale or orphan.
    pub status: Status,
}

/// The outcome of a build.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// Pages per language (code, count).
    pub pages: Vec<(String, usize)>,
    /// Each phase, in order.
    pub phases: Vec<Phase>,
    /// What the write phase did (None when nothing was written).
    pub write: Option<WriteReport>,
    /// Pages shown untranslated, stale or orphaned.
    pub translations: Vec<TranslationNote>,
    /// Words per language of the pages in their own language.
    pub words: Vec<(String, usize)>,
    /// Total time.
    pub total: Duration,
    /// The rendered files (kept for the live preview and tests).
    pub files: Vec<OutputFile>,
    /// What the cache on disk did, for `--verbose`.
    pub notes: Vec<String>,
}

impl BuildReport {
    /// True when the build found no error.
    pub fn ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// A line for each phase, as `--verbose` prints them: its time, and the peak
    /// memory so far where the system tells it.
    pub fn phase_lines(&self) -> Vec<String> {
        let line = |phase: &Phase| {
            let ms = phase.time.as_secs_f64() * 1000.0;
            match phase.peak_memory {
                Some(bytes) => format!(
                    "  {:<10} {ms:>8.1} ms   peak memory so far {:>6.1} MiB",
                    phase.name,
                    bytes as f64 / (1024.0 * 1024.0)
                ),
                None => format!("  {:<10} {ms:>8.1} ms", phase.name),
            }
        };
        self.phases.iter().map(line).collect()
    }
}

/// Run the whole build.
pub fn build(opts: &BuildOptions) -> BuildReport {
    build_cached(opts, &mut BuildCache::default())
}

/// Run the build, reusing what `cache` kept from the previous one.
pub fn build_cached(opts: &BuildOptions, cache: &mut BuildCache) -> BuildReport {
    let mut phases = Phases::start(opts.progress);
    let mut disk = disk_cache::DiskCache::open(opts.cache.then_some(opts.root.as_path()));
    if let Some(mut report) = unchanged::check(opts, &mut disk) {
        phases.done("unchanged");
        report.notes = disk.notes;
        report.total = phases.total();
        report.phases = phases.list;
        return report;
    }
    let mut report = run(opts, cache, &mut disk, &mut phases);
    report.notes = std::mem::take(&mut disk.notes);
    report.total = phases.total();
    report.phases = std::mem::take(&mut phases.list);
    report
}

/// The phases of a build.
fn run(
    opts: &BuildOptions,
    cache: &mut BuildCache,
    disk: &mut disk_cache::DiskCache,
    phases: &mut Phases,
) -> BuildReport {
    let mut report = BuildReport::default();
    let diags = &mut report.diagnostics;
    let Some(loaded) = load::load(opts, cache, diags) else {
        return report;
    };
    // What the stamp of this build records: the content of the inputs whose times
    // and sizes were taken before they were read. One that changes after that is
    // seen at the end, and the build then writes nothing and leaves no stamp.
    let inputs_hash = (loaded.stamps.as_ref())
        .filter(|_| disk.enabled())
        .map(|stamps| unchanged::inputs_hash(stamps.keys()));
    phases.done("load");
    let (routes, mut plan) = stages::validate(&loaded, diags, &mut report.translations);
    phases.done("validate");
    let changed = stages::markdown(&mut plan, &loaded, &routes, cache, diags);
    phases.done("markdown");
    let assets = stages::assets(opts, &loaded, diags);
    phases.done("assets");
    let inputs = stages::Inputs {
        opts,
        loaded: &loaded,
        routes: &routes,
    };
    let mut rendered = stages::render(&inputs, &plan, &changed, assets, cache, diags);
    if !cache.keep {
        stages::release_bodies(&mut plan);
    }
    phases.done("render");
    let offline_copy = stages::offline(&inputs, &mut rendered, disk, diags);
    phases.done("offline");
    if stages::search(&inputs, &plan, &mut rendered, disk, diags) {
        phases.done("search");
    }
    crate::checks::unique_output_paths(&plan, &rendered.files, routes.base_path(), diags);
    if stages::links(&inputs, &plan, &rendered, cache, diags) {
        phases.done("links");
    }
    count_pages_and_words(&plan, &loaded.config, &mut report);
    if let Some(before) = &loaded.stamps {
        let after = load::input_stamps(&opts.root, &loaded.theme);
        report
            .diagnostics
            .extend(changed_inputs(before, &after, &opts.root));
    }
    if opts.write && !report.diagnostics.has_errors() {
        let files = offline_copy.as_deref().unwrap_or(&rendered.files);
        match output::write(&opts.output_dir(), files) {
            Ok(w) => report.write = Some(w),
            Err(d) => report.diagnostics.push(d),
        }
        phases.done("write");
        if let Some(hash) = inputs_hash {
            unchanged::record(opts, hash, &loaded.theme, files, &report, disk);
        }
    }
    if !report.diagnostics.has_errors() {
        for kind in ["search", "offline", "build"] {
            disk.prune(kind);
        }
    }
    report.files = rendered.files;
    report
}

/// An error for each input that was added, removed or changed between `before`
/// and `after`: the build read a mix of versions and writes nothing.
fn changed_inputs(
    before: &load::Stamps,
    after: &load::Stamps,
    root: &std::path::Path,
) -> Vec<crate::diagnostics::Diagnostic> {
    let changed = after
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(s))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)));
    changed
        .map(|p| {
            crate::diagnostics::Diagnostic::error(
                crate::diagnostics::Code::Io,
                "this file changed while the build was reading the toolkit",
            )
            .in_file(crate::content::relative(root, p))
            .hint("run the build again once the file is saved; nothing was written")
        })
        .collect()
}

/// Pages and words per language, for the summary line and `--verbose`.
fn count_pages_and_words(plan: &Plan, config: &crate::config::Config, report: &mut BuildReport) {
    for (li, lang) in config.languages.iter().enumerate() {
        report
            .pages
            .push((lang.code.clone(), plan.in_language(li).count()));
        let words = plan
            .in_language(li)
            .filter(|e| e.status != Status::Missing)
            .map(|e| e.rendered.words)
            .sum();
        report.words.push((lang.code.clone(), words));
    }
}

/// A phase of the build, as `--verbose` shows it.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Its name (`load`, `render`, …).
    pub name: &'static str,
    /// How long it took.
    pub time: Duration,
    /// The process's peak resident memory so far, in bytes, at its end (where the
    /// system tells it: Linux).
    pub peak_memory: Option<u64>,
}

/// The process's peak resident memory so far, in bytes: `VmHWM` of
/// `/proc/self/status`; None where there is no such file.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The phases done so far, timed.
struct Phases {
    start: Instant,
    last: Instant,
    list: Vec<Phase>,
    progress: progress::Progress,
}

impl Phases {
    fn start(progress: bool) -> Self {
        let now = Instant::now();
        Self {
            start: now,
            last: now,
            list: Vec::new(),
            progress: progress::Progress::start(progress),
        }
    }

    fn done(&mut self, name: &'static str) {
        self.progress.done(name);
        let now = Instant::now();
        self.list.push(Phase {
            name,
            time: now - self.last,
            peak_memory: peak_memory(),
        });
        self.last = now;
    }

    fn total(&self) -> Duration {
        self.start.elapsed()
    }
}

#[cfg(test)]
mod tests {
    /// Linux says how much memory the build has held at most, and it is not nothing.
    #[cfg(target_os = "linux")]
    #[test]
    fn peak_memory_is_read_on_linux() {
        let peak = super::peak_memory().expect("VmHWM in /proc/self/status");
        assert!(peak > 1024 * 1024, "{peak} bytes");
    }
}
