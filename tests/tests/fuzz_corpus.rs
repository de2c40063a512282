//! (d) Replays the committed fuzz corpus (`fuzz/corpus/`) through the fuzz
//! targets' entry points, so `scripts/test` catches a regression the fuzzer
//! once found without needing cargo-fuzz or a nightly toolchain.

use std::path::Path;

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
fn expression_corpus() {
    assert!(replay("expression", palmgov::forms::fuzzing::expression) >= 8);
}
