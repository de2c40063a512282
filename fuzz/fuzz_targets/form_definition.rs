//! Any bytes as a form definition: a typed error or a form, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov::forms::fuzzing::form_definition(data));
