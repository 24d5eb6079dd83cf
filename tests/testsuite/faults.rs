//! Faults of the machine, not of the content: a read-only or full output folder,
//! links out of the toolkit. Each gets a clear error or warning naming the path,
//! and the previous site stays whole.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::*;

/// A small tmpfs mounted at a new folder, unmounted on drop; `None` where this
/// machine does not let the tests mount one (it needs root).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (the fault tests need root)");
        }
        ok.then(|| Self(at.to_path_buf()))
    }

    fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Build into a new tmpfs of `size`, then let `fault` change the toolkit and the
/// disk, and build again: that build must fail, say each of `expected`, and leave
/// the site as it was (no temporary file either).
fn fault_keeps_the_site(size: &str, fault: impl FnOnce(&Toolkit, &Tmpfs), expected: &[&str]) {
    let kit = Toolkit::copy_of("valid");
    let Some(disk) = Tmpfs::mount(&kit.root.join("mnt"), size) else {
        return;
    };
    let out = disk.0.join("site");
    let out_arg = out.to_str().unwrap();
    kit.run("build", &["--no-search", "--output", out_arg])
        .success();
    let before = files_under(&out);
    // Every page changes.
    let config =
        read(&kit.root.join("toolkit.yaml")).replace("Fixture Toolkit", "Fixture Toolkit 2");
    kit.write("toolkit.yaml", &config);
    fault(&kit, &disk);
    let run = kit.run("build", &["--no-search", "--output", out_arg]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for text in expected
        .iter()
        .chain(&["the previous site was left as it was"])
    {
        assert!(run.stderr.contains(text), "no `{text}` in:\n{}", run.stderr);
    }
    assert!(
        files_under(&out) == before,
        "the previous site changed, or a temporary file was left"
    );
}

#[test]
fn a_read_only_output_folder_is_an_error_and_the_site_stays() {
    fault_keeps_the_site(
        "8m",
        |_, disk| disk.read_only(),
        &["Read-only file system", "the output folder is read-only"],
    );
}

#[test]
fn a_full_disk_is_an_error_and_the_previous_site_stays_whole() {
    // A download too big for what is left on the disk.
    let fill = |kit: &Toolkit, _: &Tmpfs| {
        let noise: Vec<u8> = (0..6_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        std::fs::create_dir_all(kit.root.join("static")).unwrap();
        std::fs::write(kit.root.join("static/big.bin"), noise).unwrap();
    };
    fault_keeps_the_site("4m", fill, &["No space left on device", "the disk is full"]);
}

#[test]
fn links_out_of_the_toolkit_are_not_followed_and_are_reported() {
    let kit = Toolkit::copy_of("valid");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nNot ours.\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not ours").unwrap();
    let link = |target: &Path, at: &str| {
        let at = kit.root.join(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    };
    link(
        &outside.path().join("secret.md"),
        "content/en/guidance/secret.md",
    );
    link(outside.path(), "content/en/linked-folder");
    link(&outside.path().join("secret.txt"), "static/secret.txt");
    link(
        Path::new("/no/such/file.md"),
        "content/en/guidance/dangling.md",
    );
    // A link inside the toolkit is followed.
    link(
        &kit.root.join("content/en/guidance/listening.md"),
        "content/en/guidance/same.md",
    );
    let run = kit.build(&[]);
    for (path, what) in [
        (
            "content/en/guidance/secret.md",
            "points outside the toolkit",
        ),
        ("content/en/linked-folder", "points outside the toolkit"),
        ("static/secret.txt", "points outside the toolkit"),
        ("content/en/guidance/dangling.md", "points to nothing"),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains("warning[symlink]") && l.contains(path) && l.contains(what)),
            "{path}: {what}\n{}",
            run.stderr
        );
    }
    assert!(!kit.has("en/guidance/secret/index.html"));
    assert!(!kit.has("secret.txt"));
    assert!(
        kit.has("en/guidance/same/index.html"),
        "a link inside is followed"
    );
}

#[test]
fn a_file_that_changes_while_the_build_reads_it_stops_the_write() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let before = files_under(&kit.root.join("site"));
    // A long page keeps the build busy while another file keeps changing.
    kit.write(
        "content/en/guidance/long.md",
        &format!(
            "---\ntitle: Long\n---\n\n{}",
            "Words of a long page.\n\n".repeat(150_000)
        ),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["build", "--no-search", "--root"])
        .arg(&kit.root)
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let edited = kit.root.join("content/en/guidance/listening.md");
    let text = read(&edited);
    let mut n = 0;
    while child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        n += 1;
        std::fs::write(&edited, format!("{text}\n<!-- edit {n} -->\n")).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/en/guidance/listening.md: this file changed while the build was reading the toolkit"),
        "{stderr}"
    );
    assert!(
        files_under(&kit.root.join("site")) == before,
        "the previous site changed"
    );
}
