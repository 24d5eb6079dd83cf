//! Every input kept under `fuzz/regressions/<target>/` (each one crashed a fuzz
//! target once, or is a hostile input we keep on purpose) runs again through the
//! same entry point the fuzz target uses, on the stable toolchain.

use std::path::Path;

use passerelle::fuzzing::{Target, run};

#[test]
fn every_kept_fuzz_input_runs_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut count = 0;
    for (target, name) in Target::ALL {
        let Ok(entries) = std::fs::read_dir(dir.join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files.into_iter().filter(|f| f.is_file()) {
            let input = std::fs::read(&file).unwrap();
            // The size of the stack the `passerelle` binary runs its build on.
            let replay = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn(move || run(target, &input))
                .unwrap();
            assert!(replay.join().is_ok(), "{} panicked", file.display());
            count += 1;
        }
    }
    assert!(count > 0, "no input under {}", dir.display());
    eprintln!("replayed {count} kept fuzz inputs");
}
