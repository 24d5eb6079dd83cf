//! Fuzz target `data`: see `passerelle::fuzzing::Target::Data`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::Data, data);
});
