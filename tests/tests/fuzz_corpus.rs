//! (d) Replays the committed fuzz corpus (`fuzz/corpus/`) through the fuzz
//! targets' entry points, so `scripts/test` catches a regression the fuzzer
//! once found without needing cargo-fuzz or a nightly toolchain.
//!
//! The credential, status list and envelope targets are replayed by
//! palmgov-credentials' own tests (`palmgov_credentials::fuzzing`): this
//! crate does not depend on that one.

use std::path::Path;

use palmgov::{CheckKind, check_value};

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let data = std::fs::read(entry.path()).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {:?} panicked", entry.path());
        n += 1;
    }
    n
}

#[test]
fn form_definition_corpus() {
    assert!(replay("form_definition", palmgov::forms::fuzzing::form_definition) >= 5);
}

#[test]
fn region_profile_corpus() {
    assert!(replay("region_profile", palmgov::region::profile::fuzz) >= 12);
}

#[test]
fn service_catalog_corpus() {
    assert!(replay("service_catalog", palmgov::services::fuzz) >= 7);
}

#[test]
fn expression_corpus() {
    assert!(replay("expression", palmgov::forms::fuzzing::expression) >= 8);
}

/// The `licence_identifier` target's body (fuzz/fuzz_targets/), which has
/// no entry point in the core to share: a number that is accepted is
/// accepted again, unchanged, in its normalised form.
fn licence_identifier(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let outcome = check_value(CheckKind::LicenceNumber, text.to_owned());
    if let Some(normalized) = outcome.normalized {
        let again = check_value(CheckKind::LicenceNumber, normalized.clone());
        assert_eq!(again.normalized.as_deref(), Some(normalized.as_str()));
    }
}

#[test]
fn licence_identifier_corpus() {
    assert!(replay("licence_identifier", licence_identifier) >= 16);
}
