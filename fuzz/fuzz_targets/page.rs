//! Fuzz target `page`: see `passerelle::fuzzing::Target::Page`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::Page, data);
});
