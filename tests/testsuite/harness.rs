//! What every test uses: the fixtures, the real binary, and stable output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub(crate) fn passerelle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the passerelle binary runs")
}

/// `passerelle build --root ROOT --output OUT EXTRA…`, from a folder of the
/// caller's (a fixture built in place, or into a temporary output).
pub(crate) fn build_into(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    passerelle(&args)
}

/// Stderr with timings and temporary paths made stable.
pub(crate) fn normalized(text: &[u8], tmp: Option<&Path>) -> String {
    let mut s = String::from_utf8_lossy(text).to_string();
    if let Some(tmp) = tmp {
        s = s.replace(&tmp.display().to_string(), "[TMP]");
    }
    let re_ms = |s: &str| {
        let mut out = String::new();
        for line in s.lines() {
            let mut l = line.to_string();
            if let Some(i) = l.find(" in ")
                && let Some(j) = l[i..].find(" ms")
            {
                l.replace_range(i + 4..i + j, "[N]");
            }
            out.push_str(&l);
            out.push('\n');
        }
        out
    };
    re_ms(&s)
}

pub(crate) fn check(name: &str) -> (i32, String) {
    let root = fixture(name);
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    (
        out.status.code().unwrap_or(-1),
        normalized(&out.stderr, None),
    )
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
pub(crate) fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    // Not the cache a build of the fixture in place left.
    let walk = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != passerelle::build::CACHE_DIR);
    for entry in walk {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the valid fixture in a temporary folder, with the theme found by absolute path.
pub(crate) fn valid_copy(tmp: &Path) -> PathBuf {
    let root = tmp.join("kit");
    copy_fixture("valid", None, &root);
    root
}

/// Copy fixture `name` to `root`, lay the case folder `tests/fixtures/cases/CASE/`
/// over it when given, and point its settings at the theme by absolute path.
fn copy_fixture(name: &str, case: Option<&str>, root: &Path) {
    copy_dir(&fixture(name), root);
    if let Some(case) = case {
        let overlay = fixture("cases").join(case);
        assert!(overlay.is_dir(), "no case {case}");
        copy_dir(&overlay, root);
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let config = read(&root.join("toolkit.yaml"))
        .replace("../../../themes/default", &theme.display().to_string());
    std::fs::write(root.join("toolkit.yaml"), config).unwrap();
}

pub(crate) fn files_of(
    report: &passerelle::build::BuildReport,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    report
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect()
}

/// A toolkit for one test, in the manner of mdBook's `BookTest`: a copy of a
/// fixture in a temporary folder that the test may change, built and checked with
/// the real binary.
pub(crate) struct Toolkit {
    _tmp: tempfile::TempDir,
    /// The toolkit folder.
    pub(crate) root: PathBuf,
}

/// What a run of the binary printed, and how it ended.
pub(crate) struct Run {
    /// The exit status.
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error, with timings made stable.
    pub(crate) stderr: String,
}

impl Run {
    /// Assert that the run succeeded, showing its errors if not.
    pub(crate) fn success(self) -> Self {
        assert_eq!(self.code, 0, "{}{}", self.stdout, self.stderr);
        self
    }
}

impl Toolkit {
    /// A copy of fixture `name`, its theme found by absolute path.
    pub(crate) fn copy_of(name: &str) -> Self {
        Self::with_overlay(name, None)
    }

    /// A case: the `valid` fixture with the files of `tests/fixtures/cases/CASE/`
    /// laid over it (each file replaces or adds one).
    pub(crate) fn case(case: &str) -> Self {
        Self::with_overlay("valid", Some(case))
    }

    fn with_overlay(name: &str, case: Option<&str>) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("kit");
        copy_fixture(name, case, &root);
        Self { _tmp: tmp, root }
    }

    /// Give the toolkit its own copy of the default theme in the folder `rel`, as
    /// its settings' `theme`, so a test can change the theme; returns its path.
    pub(crate) fn own_theme(&self, rel: &str) -> PathBuf {
        let theme = self.root.join(rel);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
            &theme,
        );
        let config: String = read(&self.root.join("toolkit.yaml"))
            .lines()
            .map(|l| {
                if l.starts_with("theme:") {
                    format!("theme: \"{rel}\"\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        self.write("toolkit.yaml", &config);
        theme
    }

    /// Write `text` to the file `rel` of the toolkit (folders made as needed).
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Run `passerelle COMMAND --root ROOT ARGS…`.
    pub(crate) fn run(&self, command: &str, args: &[&str]) -> Run {
        let root = self.root.to_str().unwrap();
        let mut all = vec![command, "--root", root];
        all.extend_from_slice(args);
        let out = passerelle(&all);
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).to_string(),
            stderr: normalized(&out.stderr, Some(&self.root)),
        }
    }

    /// Build into `site/` (extra options after), asserting success.
    pub(crate) fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["--no-search"];
        all.extend_from_slice(args);
        self.run("build", &all).success()
    }

    /// A file of the built site.
    pub(crate) fn page(&self, rel: &str) -> String {
        read(&self.root.join("site").join(rel))
    }

    /// Whether the built site has the file `rel`.
    pub(crate) fn has(&self, rel: &str) -> bool {
        self.root.join("site").join(rel).exists()
    }
}

/// A page with the stylesheet's content hash made stable, for snapshots.
pub(crate) fn stable_page(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("style.") {
        out.push_str(&rest[..i + 6]);
        rest = &rest[i + 6..];
        let hash_len = rest.find(".css").unwrap_or(0);
        if hash_len == 8 && rest[..8].chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str("[HASH]");
            rest = &rest[8..];
        }
    }
    out.push_str(rest);
    out
}
