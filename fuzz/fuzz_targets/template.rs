//! Fuzz target `template`: see `passerelle::fuzzing::Target::Template`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::Template, data);
});
