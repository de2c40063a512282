//! Any bytes as a compact licence presentation (the offline QR code), as
//! a QR string and as CBOR, verified: a typed error or a presentation,
//! never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palmgov_credentials::fuzzing::compact_presentation(data));
