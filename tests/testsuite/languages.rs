//! Languages: one added with `passerelle new language`, built before anything is
//! translated; right-to-left text; what changed in a stale translation's source.

use std::process::Command;

use crate::harness::*;

/// The `lang` and `dir` of the first element whose start tag begins with `tag`.
fn lang_dir(html: &str, tag: &str) -> (String, String) {
    let start = html
        .find(tag)
        .unwrap_or_else(|| panic!("no {tag} in:\n{html}"));
    let end = start + html[start..].find('>').unwrap();
    let t = &html[start..end];
    let attr = |name: &str| {
        t.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_string()
    };
    (attr("lang"), attr("dir"))
}

#[test]
fn a_new_language_builds_at_once_with_every_page_falling_back() {
    let kit = Toolkit::copy_of("valid");
    let run = kit
        .run("new", &["language", "fa", "--name", "فارسی", "--rtl"])
        .success();
    assert!(run.stdout.contains("i18n/fa.yaml"), "{}", run.stdout);
    let settings = read(&kit.root.join("toolkit.yaml"));
    assert!(
        settings.contains("  - {code: fa, name: \"فارسی\", direction: rtl}\n"),
        "{settings}"
    );
    let strings = read(&kit.root.join("i18n/fa.yaml"));
    assert!(
        strings.contains("# session.label: \"Session\"\n"),
        "each source string, commented out"
    );
    assert!(kit.root.join("content/fa").is_dir());
    // The same language twice is refused, and nothing is changed.
    let again = kit.run("new", &["language", "fa", "--name", "فارسی"]);
    assert_eq!(again.code, 1);
    assert_eq!(read(&kit.root.join("toolkit.yaml")), settings);

    let built = kit.build(&[]);
    let said = format!("{}{}", built.stdout, built.stderr);
    assert!(said.contains(" + 11 fa pages"), "{said}");
    assert!(
        built.stderr.contains("warning[ui-string]"),
        "{}",
        built.stderr
    );
    assert!(
        built.stderr.contains("not translated into `fa`"),
        "{}",
        built.stderr
    );
    assert!(!built.stderr.contains("error["), "{}", built.stderr);
    // Every page of the source language is there in Arabic, with the notice.
    let en = files_under(&kit.root.join("site/en"));
    for rel in en.keys().filter(|r| r.ends_with("index.html")) {
        let rel = rel.replace("/fiche-accueil", "/welcome-sheet");
        assert!(kit.has(&format!("fa/{rel}")), "fa/{rel} is missing");
    }
    let page = kit.page("fa/guidance/listening/index.html");
    assert_eq!(lang_dir(&page, "<html"), ("fa".into(), "rtl".into()));
    // The English text shown in the Arabic page is marked English and left to right.
    assert_eq!(lang_dir(&page, "<article"), ("en".into(), "ltr".into()));
    assert!(page.contains("class=\"notice"), "the untranslated notice");
    // UI strings shown in English are marked so, in text; plain in attributes.
    assert!(
        page.contains("<span lang=\"en\" dir=\"ltr\">Skip to content</span>"),
        "{page}"
    );
    assert!(!page.contains('\u{E000}') && !page.contains('\u{E002}'));
    let title = page
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(!title.contains('<'), "no markup in the title: {title}");
    // The glossary shows the terms the language lacks in the source language,
    // marked so, and no error.
    let glossary = kit.page("fa/glossary/index.html");
    assert!(
        glossary.contains("<th scope=\"row\" lang=\"en\" dir=\"ltr\">"),
        "{glossary}"
    );

    // A topic label the language lacks is shown in English, marked so, and its
    // page keeps the address made from that label.
    let topics = kit.page("fa/topics/index.html");
    assert!(
        topics.contains("<span lang=\"en\" dir=\"ltr\">Coping</span>"),
        "{topics}"
    );
    assert!(kit.has("fa/topics/coping/index.html"));

    // `translations` counts the UI strings still to translate.
    let report = kit.run("translations", &["--lang", "fa"]);
    assert!(report.stdout.contains("(UI strings:"), "{}", report.stdout);
    assert!(
        report
            .stdout
            .lines()
            .all(|l| l.starts_with("fa ") || l.starts_with("total")),
        "{}",
        report.stdout
    );
}

#[test]
fn a_ui_string_that_no_language_has_is_an_error() {
    let kit = Toolkit::copy_of("valid");
    let theme = kit.own_theme("theme");
    let footer = theme.join("templates/base.html");
    let text = read(&footer).replacen("</footer>", "{{ t(\"no.such.key\") }}</footer>", 1);
    std::fs::write(&footer, text).unwrap();
    let run = kit.run("check", &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`no.such.key` is in no language"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_right_to_left_language_writes_its_own_durations_and_checks_its_own_link_texts() {
    let kit = Toolkit::copy_of("valid");
    kit.run("new", &["language", "ar", "--name", "العربية", "--rtl"])
        .success();
    kit.write(
        "i18n/ar.yaml",
        "session.label: \"الجلسة\"\nformat.minutes: \"{m} د\"\nformat.hours_minutes: \"{h} س {m} د\"\ncheck.vague_link_texts: \"هنا; اضغط هنا\"\n",
    );
    kit.write(
        "content/ar/guidance/listening.md",
        "---\ntitle: \"الإصغاء\"\n---\nاقرؤوا [هنا](@/guidance/listening.md).\n",
    );
    let run = kit.run("check", &[]);
    assert!(run.stderr.contains("warning[link-text]"), "{}", run.stderr);
    assert!(run.stderr.contains("\"هنا\""), "{}", run.stderr);
    // A translated session shows its times in the Arabic forms.
    let en = read(&kit.root.join("content/en/curriculum/session-01.md"));
    let title = en
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    kit.write(
        "content/ar/curriculum/session-01.md",
        &en.replacen(&title, "title: \"الترحيب\"", 1),
    );
    kit.build(&[]);
    let session = kit.page("ar/curriculum/session-01/index.html");
    assert!(
        session.contains(">1\u{a0}س\u{a0}30\u{a0}د<"),
        "Arabic durations: {session}"
    );
    // English text in the Arabic page stays left to right, in its own element.
    let fallback = kit.page("ar/curriculum/session-02/index.html");
    assert_eq!(lang_dir(&fallback, "<html"), ("ar".into(), "rtl".into()));
    assert_eq!(lang_dir(&fallback, "<article"), ("en".into(), "ltr".into()));
}

#[test]
fn the_diff_of_a_stale_translation_comes_from_the_git_history() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let kit = Toolkit::copy_of("valid");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&kit.root)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let fr = "content/fr/guidance/listening.md";
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "first"]);
    let source = kit.root.join("content/en/guidance/listening.md");
    let text = read(&source).replace("A footnote.[^1]", "A footnote, now longer.[^1]");
    std::fs::write(&source, text).unwrap();
    git(&["commit", "-q", "-a", "-m", "second"]);
    let run = kit.run("translations", &["--diff", fr]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("- A footnote.[^1]\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("+ A footnote, now longer.[^1]\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  ::: say\n"),
        "context: {}",
        run.stdout
    );

    // Without the history, it says so in plain words.
    std::fs::remove_dir_all(kit.root.join(".git")).unwrap();
    let run = kit.run("translations", &["--diff", fr]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("has no git history"), "{}", run.stderr);
}
