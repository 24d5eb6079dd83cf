//! Embeds the default theme in the binary, so `passerelle init` can start a toolkit
//! anywhere; and gives the binary a build id, a hash of its sources, that the
//! build cache on disk is keyed by.

use std::path::Path;

fn main() {
    build_id();
    let theme = Path::new("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let files = files_under(theme, |dir| {
        println!("cargo:rerun-if-changed={}", dir.display());
    });
    let mut code = String::from(
        "/// The default theme's files: (path under the theme, content).\npub const THEME_FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let rel = f
            .strip_prefix(theme)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let abs = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out).join("theme_files.rs"), code) {
        println!("cargo:warning=cannot write the embedded theme list: {e}");
    }
}

/// `PASSERELLE_BUILD_ID`: a hash of the sources and the locked dependencies, so that
/// a cache written by one binary is never read by another.
fn build_id() {
    use std::hash::Hasher;
    let mut files = vec![
        Path::new("Cargo.lock").to_path_buf(),
        Path::new("build.rs").to_path_buf(),
    ];
    files.extend(files_under(Path::new("src"), |_| {}));
    // The patched search indexer: the cache keeps what it reads of each page.
    files.extend(files_under(Path::new("vendor/pagefind/src"), |_| {}));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    for f in &files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=vendor/pagefind/src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!(
        "cargo:rustc-env=PASSERELLE_BUILD_ID={}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        h.finish()
    );
}

/// Every file under `root`, sorted; `on_dir` is told of each folder below it.
fn files_under(root: &Path, mut on_dir: impl FnMut(&Path)) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                on_dir(&path);
                stack.push(path);
            } else if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
