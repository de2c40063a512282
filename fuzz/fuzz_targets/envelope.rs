//! Any bytes as a signed envelope or a root update under a pinned root:
//! a typed error or a document, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov_credentials::fuzzing::envelope(data));
