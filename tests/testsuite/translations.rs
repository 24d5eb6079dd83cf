//! The translation report and stamping.

use crate::harness::*;

#[test]
fn translations_report_and_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    // An orphan: a French page whose English source is gone.
    std::fs::write(
        root.join("content/fr/guidance/orpheline.md"),
        "---\ntitle: \"Orpheline\"\n---\nTexte.\n",
    )
    .unwrap();
    let out = passerelle(&["translations", "--root", root.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));

    let stale = root.join("content/fr/case-studies/example.md");
    let out = passerelle(&[
        "translations",
        "--root",
        root.to_str().unwrap(),
        "--stamp",
        stale.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = passerelle(&["translations", "--root", root.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("fr   up to date  case-studies/example"),
        "{report}"
    );

    // Editing the source makes the translation stale again.
    let source = root.join("content/en/case-studies/example.md");
    std::fs::write(&source, read(&source).replace("no outcome", "no outcomes")).unwrap();
    let out = passerelle(&["translations", "--root", root.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("fr   stale       case-studies/example"));
}
