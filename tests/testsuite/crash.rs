//! Crash safety: a build killed (SIGKILL) at a random moment leaves every file of
//! the output folder either its old or its new version, and the next build
//! repairs the folder to exactly what a clean build writes.
//!
//! By default a few trials without the search index (the debug binary is slow);
//! `bench/crash.sh` runs 100 with it, on the release build (`CRASH_TRIALS`,
//! `CRASH_SEARCH=1`, `CRASH_SEED` to repeat a trial).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::*;

const TEMP_SUFFIX: &str = ".passerelle-tmp";

/// The real toolkit, copied: a few hundred files to write, search included.
fn toolkit_copy(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "data", "themes"] {
        copy_dir(&repo.join(part), &to.join(part));
    }
    std::fs::copy(repo.join("toolkit.yaml"), to.join("toolkit.yaml")).unwrap();
}

/// `passerelle build` of `root` into `out`, with the search index when asked for.
fn build_command(root: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle"));
    command
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out);
    if std::env::var("CRASH_SEARCH").as_deref() != Ok("1") {
        command.arg("--no-search");
    }
    command
}

fn build(root: &Path, out: &Path) {
    assert!(build_command(root, out).status().unwrap().success());
}

/// A small generator of pseudo-random numbers, seeded from the clock (printed, so
/// a failing trial can be repeated with `CRASH_SEED`).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_old_or_new_files_and_the_next_build_repairs() {
    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0, |d| d.as_nanos() as u64) ^ u64::from(std::process::id())
        });
    eprintln!("crash trials: {trials}, seed {seed}");
    let mut rng = Lcg(seed);
    let tmp = tempfile::tempdir().unwrap();
    let (v1, v2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    toolkit_copy(&v1);
    toolkit_copy(&v2);
    // Version 2 changes every page (the title is on each) and drops one.
    let config = read(&v2.join("toolkit.yaml")).replacen(
        "Peer Support Toolkit",
        "Peer Support Toolkit 2",
        1,
    );
    std::fs::write(v2.join("toolkit.yaml"), config).unwrap();
    std::fs::remove_file(v2.join("content/fr/about/sources.md")).unwrap();
    let (old_site, new_site) = (tmp.path().join("old"), tmp.path().join("new"));
    build(&v1, &old_site);
    let started = Instant::now();
    build(&v2, &new_site);
    let full = started.elapsed();
    let old = files_under(&old_site);
    let new = files_under(&new_site);
    assert_ne!(old, new);

    let mut interrupted = 0;
    for trial in 0..trials {
        let out = tmp.path().join(format!("site-{trial}"));
        copy_dir(&old_site, &out);
        let delay = Duration::from_micros(rng.next() % (full.as_micros() as u64 + 1));
        let mut child = build_command(&v2, &out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let killed = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        interrupted += usize::from(killed);
        for (rel, bytes) in files_under(&out) {
            if rel.ends_with(TEMP_SUFFIX) {
                continue;
            }
            // The manifest is replaced whole too; between the two builds it lists
            // the paths of both, so it may be neither version: it must be whole.
            if rel == ".passerelle-manifest" {
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.is_empty()
                        || text.ends_with('\n') && text.lines().all(|l| l.contains('\t')),
                    "trial {trial} (seed {seed}): a torn manifest:\n{text}"
                );
                continue;
            }
            let is_old = old.get(&rel) == Some(&bytes);
            let is_new = new.get(&rel) == Some(&bytes);
            assert!(
                is_old || is_new,
                "trial {trial} (killed after {delay:?}, seed {seed}): {rel} is neither its old nor its new version"
            );
        }
        build(&v2, &out);
        let repaired = files_under(&out);
        assert!(
            repaired == new,
            "trial {trial} (killed after {delay:?}, seed {seed}): the next build did not repair the folder"
        );
    }
    eprintln!("crash trials: {interrupted} of {trials} builds were killed before they ended");
}
