//! Diagnostics: each bad fixture gives exactly the expected report (snapshots).

use std::process::Command;

use crate::harness::*;

#[test]
fn bad_yaml_is_reported_at_its_line() {
    let (code, err) = check("bad-yaml");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_suggests_the_closest() {
    let (code, err) = check("unknown-key");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_nested_settings_keys_are_all_reported() {
    let (code, err) = check("nested-unknown-keys");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn agenda_total_must_match_duration() {
    let (code, err) = check("agenda-total");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn missing_ui_string_names_key_and_language() {
    // A string the language lacks is shown in the source language: a warning
    // that counts them and names one, not an error.
    let (code, err) = check("missing-ui-string");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[ui-string]"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_session_number() {
    let (code, err) = check("duplicate-session");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn every_error_of_a_build_in_one_report() {
    let (code, err) = check("many-errors");
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn github_annotations() {
    let root = fixture("many-errors");
    let out = passerelle(&[
        "check",
        "--format",
        "github",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn handouts_snippets_and_verified_dates_are_checked() {
    let root = fixture("handout-errors");
    // 25 July 2026: the card's `verified: 2025-06-30` is more than a year old.
    let out = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["check", "--root", root.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1785000000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(normalized(&out.stderr, None));
    // On 9 June 2026 it is not.
    let out = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["check", "--root", root.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1781000000")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("verified-old"), "{err}");
    assert!(err.contains("2 errors, 2 warnings"), "{err}");
}

#[test]
fn odd_inputs_are_reported_not_panicked_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let c = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    c(
        "content/en/curriculum/session-02.md",
        "---\ntitle: \"Huge\"\nsession: 4000000000\nduration: 90\nagenda:\n  - {title: A, minutes: 4294967295}\n  - {title: B, minutes: 2}\n---\nSee <a href=\"/kit/en/x%a\u{e9}\">x</a>.\n",
    );
    c(
        "content/en/guidance/other.md",
        "---\ntitle: \"Other\"\ntranslation_key: guidance/listening\nslug: \"../..\"\n---\nText.\n",
    );
    c(
        "content/en/guidance/code.md",
        "---\ntitle: \"Code\"\n---\n## Agenda {#agenda}\n\nText.\n",
    );
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for expected in [
        "cannot last more than 1440 minutes",
        "has no session numbered 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and 3999999988 more",
        "two `en` pages have the translation key `guidance/listening`",
        "the slug `../..` has no letters or digits",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    // An explicit anchor the template already uses is refused, in any page kind that has it.
    c(
        "content/en/curriculum/session-02.md",
        "---\ntitle: \"Two\"\nsession: 2\nduration: 30\nagenda:\n  - {title: A, minutes: 30}\n---\n## Agenda {#agenda}\n",
    );
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the anchor `#agenda` is already used by the page template")
    );
}

#[test]
fn module_plans_are_timed_and_figures_named() {
    let (code, err) = check("module-plan");
    assert_eq!(code, 1);
    for needle in [
        "error[activities-total]",
        "error[activity-week]",
        "has no time",
        "error[figure]",
        "did you mean `::: figure ecological-model`?",
        "`hours` is a key of a training module",
    ] {
        assert!(err.contains(needle), "{needle} missing from:\n{err}");
    }
    insta::assert_snapshot!(err);
}
