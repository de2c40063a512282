//! Any text as a licence number (the national e-licence identifier among
//! them): valid or a reason, never a panic; and a number it accepts is
//! accepted again, unchanged, in its normalised form. The whole entry point
//! is here, on the public `check_value`; tests/tests/fuzz_corpus.rs replays
//! the corpus with the same checks.
#![no_main]

use palmgov::{CheckKind, check_value};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let outcome = check_value(CheckKind::LicenceNumber, text.to_owned());
    if let Some(normalized) = outcome.normalized {
        let again = check_value(CheckKind::LicenceNumber, normalized.clone());
        assert_eq!(again.normalized.as_deref(), Some(normalized.as_str()));
    }
});
