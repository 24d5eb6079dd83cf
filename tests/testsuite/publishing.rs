//! Publishing: the GitHub Pages workflow's own commands, and the clean start a
//! new agency toolkit gets from `passerelle init`.

use std::path::Path;
use std::process::Command;

use crate::harness::*;

fn workflow() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml");
    serde_saphyr::from_str(&read(&path)).expect("pages.yml is YAML")
}

/// The `run:` script of the build job's step that `pick` chooses.
fn step_script(pick: impl Fn(&serde_json::Value) -> bool) -> String {
    let flow = workflow();
    let steps = flow["jobs"]["build"]["steps"]
        .as_array()
        .expect("a build job");
    let step = steps.iter().find(|s| pick(s)).expect("the step");
    step["run"].as_str().expect("a run script").to_string()
}

/// Run `script` with bash in `dir`, as the workflow's runner would, with the
/// `passerelle` under test first on the PATH.
fn run_script(script: &str, dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_passerelle"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs")
}

#[test]
fn the_pages_workflow_names_this_version_and_its_build_step_builds_the_site() {
    let flow = workflow();
    assert_eq!(
        flow["env"]["PASSERELLE_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "pages.yml must name the version in Cargo.toml"
    );
    let kit = Toolkit::copy_of("valid");
    let build = step_script(|s| s["id"] == "build");
    let out = run_script(
        &build,
        &kit.root,
        &[("BASE_URL", "https://example.org/agency/")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = kit.page("en/index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://example.org/agency/en/">"#));
    assert!(kit.has("downloads/toolkit-offline.zip"));
    assert!(
        kit.page("robots.txt")
            .contains("Sitemap: https://example.org/agency/sitemap.xml")
    );

    // The pull-request check prints annotations for a mistake.
    let check = step_script(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("--format github"))
    });
    kit.write(
        "content/en/guidance/broken.md",
        "---\ntitle: Broken\n---\n\n[A page](@/no-such-page.md)\n",
    );
    let out = run_script(&check, &kit.root, &[]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=content/en/guidance/broken.md,line=5"),
        "{stdout}"
    );
}

#[test]
fn init_gives_a_clean_start_with_workflow_gitignore_and_readme() {
    let tmp = tempfile::tempdir().unwrap();
    let kit = tmp.path().join("kit");
    let out = passerelle(&[
        "init",
        kit.to_str().unwrap(),
        "--title",
        "Maple Street Toolkit",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = kit.to_str().unwrap();

    let check = passerelle(&["check", "--root", root]);
    let report = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{report}");
    assert!(report.contains("0 errors, 0 warnings"), "{report}");
    assert!(
        !report.contains("stale") && !report.contains("untranslated"),
        "{report}"
    );
    assert_eq!(
        report.lines().count(),
        1,
        "nothing but the summary line:\n{report}"
    );

    let translations = passerelle(&["translations", "--strict", "--root", root]);
    assert!(
        translations.status.success(),
        "{}",
        String::from_utf8_lossy(&translations.stdout)
    );

    assert!(read(&kit.join(".gitignore")).lines().any(|l| l == "/site/"));
    let repo_workflow =
        read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"));
    assert_eq!(
        read(&kit.join(".github/workflows/pages.yml")),
        repo_workflow
    );
    let readme = read(&kit.join("README.md"));
    assert!(readme.starts_with("# Maple Street Toolkit\n"), "{readme}");
    for command in ["passerelle build", "passerelle check"] {
        assert!(readme.contains(command), "the README gives `{command}`");
    }
    let build = passerelle(&["build", "--root", root]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}
