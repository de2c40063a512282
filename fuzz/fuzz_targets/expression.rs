//! Any text as a form expression, compiled and evaluated: never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov::forms::fuzzing::expression(data));
