//! Any bytes as a service catalog: a manifest, a NUL, then a chunk taken
//! as its compressed index and as a guides chunk's JSON. A typed refusal
//! or a catalog that searches, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov::services::fuzz(data));
