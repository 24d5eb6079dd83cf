//! `passerelle init` and `passerelle new`.

use crate::harness::*;

#[test]
fn init_and_new_make_a_toolkit_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let kit = tmp.path().join("agency kit");
    let out = passerelle(&["init", kit.to_str().unwrap(), "--title", "Agency Toolkit"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(kit.join("themes/default/templates/session.html").exists());
    let out = passerelle(&["init", kit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "an existing folder is refused");

    let root = kit.to_str().unwrap();
    let out = passerelle(&["new", "session", "Meeting the neighbours", "--root", root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let en = read(&kit.join("content/en/curriculum/meeting-the-neighbours.md"));
    assert!(
        en.contains("session: 2\n"),
        "numbered after the starter session:\n{en}"
    );
    assert!(
        kit.join("content/fr/curriculum/meeting-the-neighbours.md")
            .exists()
    );
    let out = passerelle(&["new", "session", "Meeting the neighbours", "--root", root]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an existing page is not overwritten"
    );
    let out = passerelle(&[
        "new",
        "case-study",
        "A program",
        "--section",
        "curriculum",
        "--root",
        root,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a case study does not go in the curriculum"
    );
    passerelle(&["new", "case-study", "A program", "--root", root]);

    // The new case study waits for its source: the one error says so.
    let out = passerelle(&["check", "--root", root]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        err.matches("error[").count(),
        2,
        "one in each language: {err}"
    );
    assert!(err.contains("error[unknown-source]: `` is not a source of data/sources.yaml\n  --> content/en/case-studies/a-program.md:13:1"), "{err}");
    std::fs::remove_file(kit.join("content/en/case-studies/a-program.md")).unwrap();
    std::fs::remove_file(kit.join("content/fr/case-studies/a-program.md")).unwrap();
    let out = passerelle(&["check", "--root", root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = passerelle(&["translations", "--root", root]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("fr   up to date  curriculum "), "{report}");
    assert!(
        report.contains("fr   stale       curriculum/meeting-the-neighbours"),
        "new pages wait for a translation:\n{report}"
    );
}
