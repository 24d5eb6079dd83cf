//! Integration tests, in one binary: each case is a fixture folder under
//! `tests/fixtures/` (or a copy of one, changed by the test), built with the real
//! `passerelle` binary, with assertions on its output and on the site it writes.
//! Diagnostics and rendered pages are checked as snapshots (`insta`).

mod build;
mod crash;
mod customizing;
mod diagnostics;
mod faults;
mod fuzz_regressions;
mod harness;
mod incremental;
mod languages;
mod links;
mod offline;
mod pages;
mod publishing;
mod scaffold;
mod search;
mod serve;
mod translations;
