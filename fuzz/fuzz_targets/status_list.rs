//! Any bytes as a Token Status List claim, zlib stream or list token:
//! a typed error or a list, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov_credentials::fuzzing::status_list(data));
