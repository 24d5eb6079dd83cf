//! Fuzz target `request_path`: see `passerelle::fuzzing::Target::RequestPath`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::RequestPath, data);
});
