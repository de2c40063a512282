//! The child of the kill test (`tests/tests/crash.rs`): fills household
//! forms, finalizes and syncs in a loop until it is killed with SIGKILL.
//! After each call returns it prints what it did, so the parent knows what
//! must have survived.
//!
//! Usage: crash_child DATA_DIR BACKEND_URL ISSUER SEED

use std::io::Write;

use palmgov::SyncOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, backend, issuer, seed) = (&args[1], &args[2], &args[3], &args[4]);
    let gov = palmgov_tests::open_core(std::path::Path::new(dir), issuer, backend);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(gov.unlock("crash".into())).unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let marker = format!("户{seed}-{n}");
        let (draft, member) = runtime.block_on(palmgov_tests::forms::new_household(&gov));
        let answers = palmgov_tests::forms::household_answers(&marker, &member, n % 90);
        for (path, value) in answers {
            runtime
                .block_on(gov.drafts().save_answer(
                    draft.clone(),
                    path.clone(),
                    value.clone(),
                    "en".into(),
                ))
                .unwrap();
            writeln!(out, "saved\t{draft}\t{path}\t{value}").unwrap();
            out.flush().unwrap();
        }
        if n % 2 == 0 {
            let outcome = runtime
                .block_on(gov.drafts().finalize_draft(draft.clone(), "en".into()))
                .unwrap();
            writeln!(out, "finalized\t{draft}\t{}", outcome.instance_id.unwrap()).unwrap();
            out.flush().unwrap();
        }
        if n % 3 == 0 {
            let options = SyncOptions {
                retry_budget_ms: 1_000,
                ..Default::default()
            };
            let _ = runtime.block_on(gov.outbox().sync_now(options, None, None));
        }
    }
}
