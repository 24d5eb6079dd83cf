//! Fuzz target `settings`: see `passerelle::fuzzing::Target::Settings`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::Settings, data);
});
