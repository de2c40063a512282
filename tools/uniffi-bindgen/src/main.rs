//! `cargo run -p uniffi-bindgen -- generate --library target/debug/libpalmgov.so ...`
//!
//! Kept as a workspace binary so the bindings always come from the same UniFFI
//! version as the library they describe; a global install would drift.
fn main() {
    uniffi::uniffi_bindgen_main()
}
