//! Tests of Markdown rendering: callouts, includes, headings, links, typography.

use super::*;
use std::sync::Arc;

fn render_text(body: &str, lang: &str) -> (Rendered, Vec<Diagnostic>) {
    render_with_snippets(body, lang, &NO_SNIPPETS)
}

fn render_with_snippets(
    body: &str,
    lang: &str,
    snippets: &BTreeMap<String, Arc<str>>,
) -> (Rendered, Vec<Diagnostic>) {
    let text = format!("---\ntitle: T\n---\n{body}");
    let file = SourceFile::split("t.md".into(), Arc::from(text)).unwrap();
    let ctx = MarkdownContext {
        lang,
        base_path: "/kit/",
        ui: &|k| match k {
            super::VAGUE_LINK_TEXTS_KEY => "here; click here; ici".to_string(),
            _ => format!("L-{}", k.trim_start_matches("callout.")),
        },
        resolve: &|k| (k == "guidance/crisis").then(|| "/kit/en/guidance/crisis/".to_string()),
        keys: &|| vec!["guidance/crisis".to_string()],
        reserved_ids: &["main", "agenda"],
        snippets,
        figures: &super::NO_SNIPPETS,
        fallback: None,
    };
    let mut problems = Vec::new();
    let r = render(&file, &ctx, &mut problems);
    (r, problems)
}

fn snippets() -> BTreeMap<String, Arc<str>> {
    let mut m = BTreeMap::new();
    m.insert(
        "limits".to_string(),
        Arc::from("There are a few limits:\n\n- a life at risk;\n- a child not safe.\n"),
    );
    m.insert("nested".to_string(), Arc::from("::: include limits\n"));
    m
}

#[test]
fn includes_insert_the_snippet_inside_boxes() {
    let body = "Intro.\n\n::: say\n::: include limits\n:::\n\nAfter.\n";
    let (r, p) = render_with_snippets(body, "en", &snippets());
    assert!(p.is_empty(), "{p:?}");
    assert!(r.html.contains("callout-say"), "{}", r.html);
    let inside = r.html.split("callout-say").nth(1).unwrap();
    assert!(inside.contains("<li>a child not safe.</li>"), "{}", r.html);
    assert!(r.html.contains("<p>After.</p>"));
}

#[test]
fn unknown_nested_and_fenced_includes() {
    let (_, p) = render_with_snippets("\n::: include limit\n", "fr", &snippets());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].code, "include");
    assert!(
        p[0].message.contains("data/snippets/fr/limit.md"),
        "{}",
        p[0].message
    );
    assert_eq!(
        p[0].hint.as_deref(),
        Some("did you mean `::: include limits`?")
    );
    // The error points at the include line: line 5 of the file (3 of front matter).
    assert_eq!(p[0].span.as_ref().unwrap().line_col(), (5, 1));

    let (_, p) = render_with_snippets("::: include nested\n", "en", &snippets());
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("includes another snippet"));

    let (r, p) = render_with_snippets("```\n::: include nothing\n```\n", "en", &snippets());
    assert!(p.is_empty());
    assert!(r.html.contains("::: include nothing"));

    let (_, p) = render_with_snippets("::: include\n", "en", &snippets());
    assert!(p[0].message.contains("needs the name"));
}

#[test]
fn callouts_become_labelled_boxes() {
    let (r, p) = render_text("::: care Be gentle\nDo *not* ask.\n:::\n", "en");
    assert!(p.is_empty(), "{p:?}");
    assert!(r.html.contains(
        "class=\"callout callout-care facilitator-only\" role=\"note\" aria-label=\"L-care\""
    ));
    assert!(r.html.contains("<em>not</em>"));
    assert!(
        r.html
            .contains("<span class=\"callout-title\">Be gentle</span>")
    );
}

#[test]
fn unknown_and_unclosed_callouts() {
    let (_, p) = render_text("text\n\n::: cares\n", "en");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].hint.as_deref(), Some("did you mean `::: care`?"));
    assert_eq!(p[0].span.as_ref().unwrap().line_col(), (6, 1));
    let (_, p) = render_text("::: tip\nnever closed\n", "en");
    assert_eq!(p[0].message, "this callout box is never closed");
}

#[test]
fn heading_ids_explicit_and_automatic() {
    let (r, _) = render_text(
        "## Écoute active {#active-listening}\n\n## Écoute active\n\n## Écoute active\n",
        "fr",
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["active-listening", "écoute-active", "écoute-active-1"]
    );
    assert!(r.html.contains("<h2 id=\"active-listening\">"));
}

#[test]
fn content_links_resolve_or_report() {
    let (r, p) = render_text(
        "[a](@/guidance/crisis.md#call-911) [b](@/guidance/crisiss.md) ![](/img.png)",
        "en",
    );
    assert!(
        r.html
            .contains("href=\"/kit/en/guidance/crisis/#call-911\"")
    );
    assert!(r.html.contains("src=\"/kit/img.png\""));
    assert_eq!(
        r.links.len(),
        3,
        "every address is recorded for the link check"
    );
    let codes: Vec<_> = p.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["broken-link", "alt-text"]);
    assert_eq!(
        p[0].hint.as_deref(),
        Some("did you mean `@/guidance/crisis.md`?")
    );
}

#[test]
fn french_spacing() {
    assert_eq!(
        french_typography("Oui ! « Bien » : non ?"),
        "Oui\u{202f}! «\u{202f}Bien\u{202f}»\u{202f}: non\u{202f}?"
    );
    assert_eq!(french_typography("a !important"), "a !important");
}

#[test]
fn indented_code_shows_callout_and_include_lines_as_text() {
    let body =
        "Write a box like this:\n\n    ::: tip\n    Be kind.\n    :::\n\n    ::: include limits\n";
    let (r, p) = render_with_snippets(body, "en", &snippets());
    assert!(p.is_empty(), "{p:?}");
    assert!(!r.html.contains("callout-tip"), "{}", r.html);
    assert!(
        r.html.contains("<pre><code>::: tip\nBe kind.\n:::\n"),
        "{}",
        r.html
    );
    assert!(r.html.contains("::: include limits"), "{}", r.html);
    assert!(!r.html.contains("a child not safe"));
}
