//! The offline copy: `build --offline`, and the zip the published site carries.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::harness::*;

/// The values of `attr="…"` in `html`.
fn values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pattern = format!(" {attr}=\"");
    html.match_indices(&pattern)
        .map(|(i, _)| {
            let start = i + pattern.len();
            let len = html[start..].find('"').unwrap();
            &html[start..start + len]
        })
        .collect()
}

#[test]
fn the_offline_copy_has_only_relative_addresses_that_name_files() {
    let kit = Toolkit::copy_of("valid");
    let out = kit.root.join("offline");
    kit.run("build", &["--offline", "--output", out.to_str().unwrap()])
        .success();
    let dir = kit.root.join("offline");
    let files = files_under(&dir);
    assert!(files.contains_key("index.html") && files.contains_key("en/index.html"));
    for left_out in ["sitemap.xml", "robots.txt"] {
        assert!(!files.contains_key(left_out), "{left_out} is online only");
    }
    assert!(!files.keys().any(|p| p.starts_with("pagefind/")));
    let mut followed = 0;
    for (rel, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            !html.contains("data-offline"),
            "{rel}: an online-only part was kept"
        );
        for attr in ["href", "src", "action"] {
            for value in values(&html, attr) {
                assert!(
                    !value.starts_with('/'),
                    "{rel}: root-relative {attr}=\"{value}\""
                );
                if value.contains(':') || value.starts_with('#') {
                    continue;
                }
                let path = value.split(['#', '?']).next().unwrap();
                let target = Path::new(rel).parent().unwrap().join(path);
                let target = dir.join(target);
                assert!(target.is_file(), "{rel}: {attr}=\"{value}\" names no file");
                followed += 1;
            }
        }
    }
    assert!(followed > 200, "only {followed} addresses followed");
    let search = kit.root.join("offline/en/search/index.html");
    let search = read(&search);
    assert!(
        !search.contains("pagefind"),
        "the search box is online only"
    );
    assert!(
        search.contains("id=\"site-index\""),
        "the list of every page stays"
    );
}

#[test]
fn the_site_carries_its_offline_copy_as_a_zip_with_its_size_on_the_home_page() {
    let kit = Toolkit::copy_of("valid");
    kit.build(&[]);
    let out = kit.root.join("offline");
    kit.run("build", &["--offline", "--output", out.to_str().unwrap()])
        .success();
    let offline = files_under(&kit.root.join("offline"));
    let zip_path = kit.root.join("site/downloads/toolkit-offline.zip");
    let zip_bytes = std::fs::read(&zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip_bytes)).unwrap();
    let mut zipped = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let rel = name
            .strip_prefix("toolkit-offline/")
            .unwrap_or_else(|| panic!("{name} outside the folder"))
            .to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        zipped.insert(rel, bytes);
    }
    assert_eq!(
        zipped.keys().collect::<Vec<_>>(),
        offline
            .keys()
            .filter(|k| !k.starts_with('.'))
            .collect::<Vec<_>>(),
        "the zip holds the offline copy's files"
    );
    for (rel, bytes) in &zipped {
        assert!(
            offline[rel] == *bytes,
            "{rel} differs from the --offline build"
        );
    }

    let kb = zip_bytes.len().div_ceil(1000);
    let home = kit.page("en/index.html");
    assert!(
        home.contains(&format!(
            "href=\"/kit/downloads/toolkit-offline.zip\" download>Download the offline copy <span class=\"download-size\">(ZIP, {kb} kB)</span>"
        )),
        "{home}"
    );
    assert!(
        kit.page("fr/index.html")
            .contains(&format!("(ZIP, {kb} ko)"))
    );

    // The same site makes the same zip.
    kit.build(&[]);
    assert!(
        std::fs::read(&zip_path).unwrap() == zip_bytes,
        "the zip is reproducible"
    );
}
