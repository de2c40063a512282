//! The child of the full-disk test (`tests/tests/full_disk.rs`). It runs in
//! its own mount namespace with DIR on a small tmpfs, so the disk really
//! fills (ENOSPC from the kernel, not a simulated limit). It fills a
//! household visit until the disk is full, then checks every operation
//! gives a clear error and loses nothing, and that all of it works once
//! there is room again. Any failed check panics (non-zero exit).
//!
//! Usage: full_disk_child DIR

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use palmgov::software::{camera_jpeg, offline_core};
use palmgov::{DraftState, PalmGov, PalmGovError};
use palmgov_tests::forms::household_answers;

const HOUSEHOLD: &str = include_str!("../../../server/forms/household-visit.v1.json");

fn open(dir: &Path) -> Arc<PalmGov> {
    let gov = offline_core(dir, &[3; 32]).unwrap();
    block_on(gov.unlock("full disk".into())).unwrap();
    gov
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Fills the file system with a ballast file until the kernel refuses,
/// then gives `room` bytes back.
fn fill(ballast: &Path, room: u64) {
    let mut file = std::fs::File::create(ballast).unwrap();
    let chunk = vec![0x5au8; 16 * 1024];
    for size in [chunk.len(), 1024, 64, 1] {
        while file
            .write_all(&chunk[..size])
            .and_then(|_| file.sync_data())
            .is_ok()
        {}
    }
    let len = file.metadata().unwrap().len();
    file.set_len(len.saturating_sub(room)).unwrap();
}

fn full<T: std::fmt::Debug>(what: &str, r: Result<T, PalmGovError>) {
    match r {
        Err(PalmGovError::DiskFull) => {}
        other => panic!("{what} on a full disk: {other:?}, expected DiskFull"),
    }
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let data = root.join("data");
    let ballast = root.join("ballast");
    let gov = open(&data);
    block_on(
        gov.drafts()
            .add_form_definition(HOUSEHOLD.into(), "en".into()),
    )
    .unwrap();
    let (draft, first) = block_on(palmgov_tests::forms::new_household(&gov));
    let answers = household_answers("张三", &first, 70);
    for (path, value) in &answers {
        block_on(
            gov.drafts()
                .save_answer(draft.clone(), path.clone(), value.clone(), "en".into()),
        )
        .unwrap();
    }
    let photo = block_on(
        gov.drafts()
            .register_attachment(draft.clone(), "door_photo".into()),
    )
    .unwrap();
    std::fs::write(&photo.capture_path, camera_jpeg(2000, 1500, 6)).unwrap();

    // Room for a few more members, not for the photo.
    fill(&ballast, 48 * 1024);
    // Household members with long notes until the database cannot grow.
    let mut saved = Vec::new();
    let mut unfinished = None;
    let refused = loop {
        let added = match block_on(gov.drafts().add_repeat_instance(
            draft.clone(),
            "members".into(),
            "en".into(),
        )) {
            Ok(added) => added,
            Err(e) => break e,
        };
        unfinished = Some(added.instance_id.clone());
        let member = [
            ("member_name", format!("\"{}\"", "长".repeat(3_000))),
            ("member_age", "30".to_string()),
        ];
        let mut failed = None;
        for (name, value) in member {
            let path = format!("members/{}/{name}", added.instance_id);
            match block_on(gov.drafts().save_answer(
                draft.clone(),
                path.clone(),
                value.clone(),
                "en".into(),
            )) {
                Ok(_) => saved.push((path, value)),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            break e;
        }
        unfinished = None;
        assert!(saved.len() < 38, "the disk never filled");
    };
    assert_eq!(refused, PalmGovError::DiskFull, "{refused:?}");
    full(
        "ingest",
        block_on(
            gov.drafts()
                .ingest_attachment(photo.attachment_id.clone(), None, "en".into()),
        ),
    );
    assert!(
        Path::new(&photo.capture_path).exists(),
        "the capture is kept"
    );

    // Everything saved before is still there, in memory and on disk.
    let check = |gov: &PalmGov| {
        let view = block_on(gov.drafts().open_draft(draft.clone(), "en".into())).unwrap();
        for (path, value) in answers.iter().chain(&saved) {
            let stored = view.fields.iter().find(|f| &f.path == path);
            assert_eq!(
                stored.and_then(|f| f.value_json.as_deref()),
                Some(value.as_str()),
                "{path}"
            );
        }
        view
    };
    check(&gov);
    gov.shutdown();
    drop(gov);
    let gov = open(&data);
    let view = check(&gov);
    assert_eq!(view.pending_captures, std::slice::from_ref(&photo));
    block_on(gov.check_integrity()).unwrap();

    // Room again: the same capture goes in, and the form goes out.
    std::fs::remove_file(&ballast).unwrap();
    if let Some(member) = unfinished {
        block_on(gov.drafts().remove_repeat_instance(
            draft.clone(),
            "members".into(),
            member,
            "en".into(),
        ))
        .unwrap();
    }
    let ingested = block_on(gov.drafts().ingest_attachment(
        photo.attachment_id.clone(),
        None,
        "en".into(),
    ))
    .unwrap();
    assert_eq!((ingested.width, ingested.height), (1200, 1600));
    let outcome = block_on(gov.drafts().finalize_draft(draft.clone(), "en".into())).unwrap();
    assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
    assert_eq!(
        block_on(gov.drafts().open_draft(draft, "en".into()))
            .unwrap()
            .summary
            .state,
        DraftState::Finalized
    );
    block_on(gov.check_integrity()).unwrap();
    println!(
        "full disk: {} answers saved after the disk was nearly full, then {refused:?}",
        saved.len()
    );
}
