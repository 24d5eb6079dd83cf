//! Link checks on the rendered site.

use crate::harness::*;

#[test]
fn links_anchors_alt_text_and_template_links() {
    let (code, err) = check("broken-links");
    assert_eq!(code, 1);
    // One diagnostic each, with file and line.
    for (what, place) in [
        (
            "the link `/en/nowhere/` leads to no page or file",
            "content/en/guidance/a.md:6:3",
        ),
        (
            "leads to the `fr` version of a page that exists in `en`",
            "content/en/guidance/a.md:6:37",
        ),
        ("the link text \"here\"", "content/en/guidance/a.md:7:5"),
        ("this image has no alt text", "content/en/guidance/a.md:9:1"),
        (
            "has no anchor `#debut` in `fr`",
            "content/fr/guidance/a.md:6:6",
        ),
        (
            "the link `/agency-contact/` leads to no page or file of the site (made by a template",
            "templates/guide.html:7:48",
        ),
    ] {
        assert_eq!(err.matches(what).count(), 1, "{what}\n{err}");
        let line = err
            .lines()
            .skip_while(|l| !l.contains(what))
            .nth(1)
            .unwrap_or("");
        assert!(line.contains(place), "{what} at {place}:\n{err}");
    }
    insta::assert_snapshot!(err);
}

#[test]
fn links_as_github_annotations() {
    let root = fixture("broken-links");
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

#[cfg(not(feature = "external-links"))]
#[test]
fn without_the_http_client_external_checks_fail_and_say_why() {
    let kit = Toolkit::copy_of("valid");
    kit.write(
        "content/en/guidance/elsewhere.md",
        "---\ntitle: Elsewhere\n---\n\n[A site](https://example.org/page)\n",
    );
    let run = kit.run("check", &["--external"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("built without the `external-links` feature"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--features external-links"),
        "{}",
        run.stderr
    );
}

#[cfg(feature = "external-links")]
#[test]
fn external_links_are_checked_on_request() {
    use std::io::{Read, Write};
    // A local server stands in for another site: /ok answers 200, anything else 404.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let status = if req.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let guide = root.join("content/en/guidance/listening.md");
    std::fs::write(
        &guide,
        format!(
            "{}\n[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n",
            read(&guide)
        ),
    )
    .unwrap();
    let out = passerelle(&["check", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "not fetched by default");
    let out = passerelle(&["check", "--external", "--root", root.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "the external link `http://127.0.0.1:{port}/gone` does not work"
        )),
        "{err}"
    );
    assert!(!err.contains("/ok`"), "{err}");
}
