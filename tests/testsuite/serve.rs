//! `passerelle serve`, started as a user would, on a free port.

use std::path::Path;
use std::process::Command;

use crate::harness::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(root: &Path, extra: &[&str]) -> Server {
    start_with(root, extra, Stdio::null())
}

/// The preview with its standard error sent to `stderr`.
fn start_with(root: &Path, extra: &[&str], stderr: Stdio) -> Server {
    let port = free_port();
    let mut args = vec!["serve", "--root", root.to_str().unwrap(), "--port"];
    let port_s = port.to_string();
    args.push(&port_s);
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.contains(&format!("http://127.0.0.1:{port}/")),
        "{line}"
    );
    Server { child, port }
}

/// A raw GET, so that odd paths reach the server exactly as written: the whole
/// response, head and body, as bytes.
fn get_raw(port: u16, path: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    raw
}

/// A raw GET: status, head (lowercased) and body as text.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let raw = get_raw(port, path);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

/// Listens to the reload events.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(port: u16) -> Self {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /kit/__passerelle/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events { reader }
    }

    /// The next event's name and data (keep-alive comments are skipped).
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no event within 30 s");
            let mut line = String::new();
            if self.reader.read_line(&mut line).unwrap() == 0 {
                panic!("event stream closed");
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push_str(d);
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }
}

/// The file name of the stylesheet a page links, under `/kit/assets/`.
fn stylesheet_of(page: &str) -> String {
    page.split("href=\"/kit/assets/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page links its stylesheet")
        .to_string()
}

#[test]
fn serves_reloads_and_shows_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let server = start(&root, &[]);
    let port = server.port;

    let (status, head, body) = get(port, "/kit/fr/programme/seance-01/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"));
    assert!(
        body.contains("__passerelle/events"),
        "the preview adds its script"
    );
    assert_eq!(get(port, "/kit/fr/programme/seance-01").0, 301);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut events = Events::connect(port);
    // A content edit: the page changes and one reload follows.
    let session = root.join("content/fr/curriculum/session-01.md");
    std::fs::write(
        &session,
        read(&session).replace("Montrez les sorties", "Indiquez les sorties"),
    )
    .unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(
        get(port, "/kit/fr/programme/seance-01/")
            .2
            .contains("Indiquez les sorties")
    );

    // A template edit reaches the pages that use it.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/guide.html");
    std::fs::write(
        root.join("templates/guide.html"),
        read(&theme).replace(
            "{% block after_article %}",
            "{% block after_article %}\n<p data-agency></p>",
        ),
    )
    .unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(
        get(port, "/kit/en/guidance/listening/")
            .2
            .contains("data-agency")
    );

    // A CSS edit swaps the stylesheet.
    let page = get(port, "/kit/fr/programme/seance-01/").2;
    let css = stylesheet_of(&page);
    std::fs::write(root.join("assets/custom.css"), ".agency{color:red}").unwrap();
    let (name, data) = events.next();
    assert_eq!(name, "css");
    assert!(
        data.starts_with("/kit/assets/style.") && data != format!("/kit/assets/{css}"),
        "{data}"
    );
    let (_, _, new_css) = get(port, &data);
    assert!(new_css.contains(".agency"));

    // An invalid edit: errors over the page, the last good page still served.
    let before = get(port, "/kit/fr/programme/seance-01/").2;
    std::fs::write(
        &session,
        read(&session).replace("duration: 90", "duration: 80"),
    )
    .unwrap();
    let (name, data) = events.next();
    assert_eq!(name, "errors");
    assert!(
        data.contains("content/fr/curriculum/session-01.md:5:1"),
        "{data}"
    );
    assert!(
        data.contains("La derni\\u00e8re modification contient des erreurs")
            || data.contains("La dernière modification contient des erreurs"),
        "{data}"
    );
    assert_eq!(get(port, "/kit/fr/programme/seance-01/").2, before);
    // A browser that loads a page now is told about the errors at once.
    let mut late = Events::connect(port);
    assert_eq!(late.next().0, "errors");

    // Fixed: reload again.
    std::fs::write(
        &session,
        read(&session).replace("duration: 80", "duration: 90"),
    )
    .unwrap();
    assert_eq!(events.next().0, "reload");

    // A file saved in several steps reloads once, after the last write.
    let started = Instant::now();
    let guide = root.join("content/en/guidance/listening.md");
    let text = read(&guide);
    std::fs::write(&guide, &text[..text.len() / 2]).unwrap();
    std::fs::write(&guide, text.replace("A footnote.", "A final footnote.")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(
        get(port, "/kit/en/guidance/listening/")
            .2
            .contains("A final footnote.")
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn polling_mode_sees_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let server = start(&root, &["--poll"]);
    let mut events = Events::connect(server.port);
    let home = root.join("content/en/_index.md");
    std::fs::write(&home, read(&home).replace("Welcome.", "Welcome, polled.")).unwrap();
    assert_eq!(events.next().0, "reload");
    assert!(get(server.port, "/kit/en/").2.contains("Welcome, polled."));
}

/// `serve --verbose` tells the time of each phase, for the first build and for
/// every rebuild.
#[test]
fn the_verbose_preview_tells_the_phases_of_each_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let log = tmp.path().join("serve.log");
    let file = std::fs::File::create(&log).unwrap();
    let server = start_with(&root, &["--verbose"], file.into());
    let mut events = Events::connect(server.port);
    let home = root.join("content/en/_index.md");
    std::fs::write(&home, read(&home).replace("Welcome.", "Welcome, again.")).unwrap();
    assert_eq!(events.next().0, "reload");
    // The phases are printed once the browsers are told.
    let renders = |text: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with("render ") && l.contains(" ms"))
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = std::fs::read_to_string(&log).unwrap();
        if renders(&text) >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(renders(&text), 2, "{text}");
    assert!(text.contains("  links "), "{text}");
}

#[test]
fn nothing_outside_the_site_is_served() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let server = start(&root, &[]);
    let port = server.port;
    let (status, _, body) = get(port, "/kit/fr/nowhere/");
    assert_eq!(status, 404);
    assert!(body.contains("Page introuvable"));
    let css = stylesheet_of(&body);
    let (status, head, _) = get(port, &format!("/kit/assets/{css}"));
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));

    // Nothing outside the site, however the path is written.
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("static-link.txt")).ok();
    for path in [
        "/kit/../secret.txt",
        "/kit/%2e%2e/secret.txt",
        "/kit/%2E%2E%2Fsecret.txt",
        "/kit/..%5csecret.txt",
        "/kit/a\\..\\..\\secret.txt",
        "/kit//etc/passwd",
        "/etc/passwd",
        "/kit/static-link.txt",
        "/kit/toolkit.yaml",
        "/kit/content/en/_index.md",
        "/kit/100%",
        "/kit/%zz/",
    ] {
        let (status, _, body) = get(port, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(
            !body.contains("secret") && !body.contains("root:"),
            "{path}"
        );
    }
}

/// The preview makes the offline zip when it is asked for, not on every rebuild:
/// the zip of the site as last built, with no live-reload script in its pages.
#[test]
fn the_preview_makes_the_offline_zip_on_request() {
    let tmp = tempfile::tempdir().unwrap();
    let root = valid_copy(tmp.path());
    let server = start(&root, &[]);
    let raw = get_raw(server.port, "/kit/downloads/toolkit-offline.zip");
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&raw[..at]).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("application/zip"), "{head}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(raw[at..].to_vec())).unwrap();
    let mut page = String::new();
    zip.by_name("toolkit-offline/en/index.html")
        .unwrap()
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("<html"), "{page}");
    assert!(!page.contains("data-base="), "no live-reload script");
    // The preview's pages link to it, without a size (it is not made yet).
    let (_, _, home) = get(server.port, "/kit/en/");
    assert!(home.contains("downloads/toolkit-offline.zip"));
}
