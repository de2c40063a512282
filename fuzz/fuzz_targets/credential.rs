//! Any bytes as an SD-JWT VC or a presentation, inspected, verified and
//! presented: a typed error or a credential, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov_credentials::fuzzing::credential(data));
