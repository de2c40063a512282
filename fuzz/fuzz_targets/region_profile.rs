//! Any bytes as a region profile (its body, and a signed envelope): a
//! typed refusal or a checked profile, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov::region::profile::fuzz(data));
