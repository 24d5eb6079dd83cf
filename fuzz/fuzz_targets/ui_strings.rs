//! Fuzz target `ui_strings`: see `passerelle::fuzzing::Target::UiStrings`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    passerelle::fuzzing::run(passerelle::fuzzing::Target::UiStrings, data);
});
