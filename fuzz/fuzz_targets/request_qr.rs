//! Any bytes as a verifier's request QR (two-way 亮证), verified: a typed
//! error or a request, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov_credentials::fuzzing::request_qr(data));
