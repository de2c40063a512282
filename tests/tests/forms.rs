//! Forms end to end: the real provider for sign-in, the reference backend
//! for the catalog, submissions, attachments and application status.

use std::sync::{Arc, Mutex};

use palmgov::{
    ApplicationChange, ApplicationListener, DraftSubject, PalmGov, PalmGovError, SubmissionState,
    SyncListener, SyncOptions, SyncProgress,
};
use palmgov_server::ServerOptions;
use palmgov_tests::forms::{dev_request, household, inventory, own_draft, save};
use palmgov_tests::{TestProvider, backend, signed_in};
use serde_json::json;

pub struct Progress(Mutex<Vec<SyncProgress>>);

impl SyncListener for Progress {
    fn on_progress(&self, progress: SyncProgress) {
        self.0.lock().unwrap().push(progress);
    }
}

struct Changes(Mutex<Vec<ApplicationChange>>);

impl ApplicationListener for Changes {
    fn on_status_changed(&self, changes: Vec<ApplicationChange>) {
        self.0.lock().unwrap().extend(changes);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_worker_fills_three_households_then_syncs_each_once() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, "worker1").await;
    let forms = gov
        .drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    assert!(
        forms
            .iter()
            .any(|f| f.form_id == "household-visit" && f.title == "入户走访登记")
    );

    let mut instances = Vec::new();
    for name in ["张三", "李四", "王五"] {
        instances.push(household(&gov, name).await);
    }
    let progress = Arc::new(Progress(Mutex::new(Vec::new())));
    let report = gov
        .outbox()
        .sync_now(SyncOptions::default(), Some(progress.clone()), None)
        .await
        .unwrap();
    assert_eq!(report.delivered, 3, "{report:?}");
    assert_eq!(report.remaining, 0);
    let seen = progress.0.lock().unwrap().clone();
    let last = seen.last().unwrap();
    assert_eq!((last.items_done, last.items_total), (3, 3));
    assert_eq!(last.bytes_done, last.bytes_total);
    assert!(seen.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done));

    let stored = inventory(&backend).await;
    assert_eq!(stored.len(), 3);
    for s in &stored {
        assert!(instances.contains(&s["instance_id"].as_str().unwrap().to_string()));
        assert_eq!(s["attachments"], 1);
        assert_eq!(s["attachments_complete"], 1);
        // Non-relevant answers never leave the device.
        assert!(s["answers"].get("rent_monthly").is_none());
    }
    // The backend holds every photo, so the phone no longer does.
    let photos: Vec<_> = std::fs::read_dir(dir.path().join("files"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("att-"))
        .collect();
    assert!(photos.is_empty(), "{photos:?}");
    // A second sync sends nothing again.
    let again = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(again.delivered, 0);
    assert_eq!(inventory(&backend).await.len(), 3);
    assert!(
        gov.outbox()
            .submissions()
            .await
            .unwrap()
            .iter()
            .all(|s| matches!(s.state, SubmissionState::Delivered { .. }))
    );

    // Application status (办件查询): the backend moves one case on.
    let status = format!("v1/dev/applications/{}/status", instances[0]);
    dev_request(
        &backend,
        "POST",
        &status,
        r#"{"status":"accepted","note":"受理"}"#,
    )
    .await;
    let changes = Arc::new(Changes(Mutex::new(Vec::new())));
    let subscription = gov
        .outbox()
        .subscribe_application_changes(changes.clone())
        .unwrap();
    let changed = gov.outbox().refresh_applications(None).await.unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].status, "accepted");
    assert_eq!(changed[0].history.len(), 2);
    // The subscriber hears of it on a core thread, with no note.
    for _ in 0..100 {
        if !changes.0.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(changes.0.lock().unwrap().len(), 1);
    assert_eq!(changes.0.lock().unwrap()[0].status, "accepted");
    // Dropping the handle ends the subscription.
    drop(subscription);
    dev_request(&backend, "POST", &status, r#"{"status":"approved"}"#).await;
    assert_eq!(
        gov.outbox()
            .refresh_applications_in_background(None)
            .await
            .unwrap(),
        1
    );
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        changes.0.lock().unwrap().len(),
        1,
        "no news after unsubscribing"
    );
    let local = gov.outbox().applications().await.unwrap();
    assert_eq!(local.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_work_survives_logout_and_goes_out_after_the_next_sign_in() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, "worker2").await;
    gov.drafts().refresh_forms("en".into(), None).await.unwrap();
    let instance = household(&gov, "赵六").await;
    let report = gov.identity().logout(None).await.unwrap();
    assert_eq!(report.queued_submissions, 1);
    assert!(matches!(
        gov.outbox()
            .sync_now(SyncOptions::default(), None, None)
            .await,
        Err(PalmGovError::SignInRequired)
    ));
    gov.shutdown();
    assert!(inventory(&backend).await.is_empty());

    let gov = signed_in(dir.path(), &provider, &backend, "worker2").await;
    let queued = gov.outbox().submissions().await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].state, SubmissionState::Queued);
    let sent = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(sent.delivered, 1);
    let stored = inventory(&backend).await;
    assert_eq!(stored[0]["instance_id"], instance.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_park_or_quarantine_one_item_and_the_rest_go_on() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, "worker3").await;
    gov.drafts().refresh_forms("en".into(), None).await.unwrap();

    // The allowance form needs L4 (a face check) at the backend. Nobody
    // else is named, so it is the worker's own application: their profile
    // prefills it.
    let view = own_draft(&gov, "subsidy-application", "en").await;
    let sources: Vec<(&str, &str)> = view
        .prefilled
        .iter()
        .map(|p| (p.path.as_str(), p.source.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            ("applicant_name", "subject.name"),
            ("applicant_id_number", "subject.id_number"),
            ("applicant_phone", "subject.phone"),
            ("birth_date", "subject.birth_date")
        ]
    );
    let draft = view.summary.id;
    save(&gov, &draft, "birth_date", json!("1950-01-01")).await;
    save(&gov, &draft, "residence", json!("330106")).await;
    save(&gov, &draft, "bank_account", json!("6222020200112233")).await;
    let photo = gov
        .drafts()
        .register_attachment(draft.clone(), "id_card_photo".into())
        .await
        .unwrap();
    std::fs::write(
        &photo.capture_path,
        palmgov::software::camera_jpeg(800, 600, 1),
    )
    .unwrap();
    gov.drafts()
        .ingest_attachment(photo.attachment_id, None, "en".into())
        .await
        .unwrap();
    let subsidy = gov
        .drafts()
        .finalize_draft(draft, "en".into())
        .await
        .unwrap()
        .instance_id
        .unwrap();

    // A form the backend does not publish: refused for good (422).
    let mut local: serde_json::Value =
        serde_json::from_str(palmgov_server::submissions::BUNDLED_FORMS[0]).unwrap();
    local["id"] = json!("local-only");
    gov.drafts()
        .add_form_definition(local.to_string(), "en".into())
        .await
        .unwrap();
    let view = gov
        .drafts()
        .create_draft(
            "local-only".into(),
            None,
            DraftSubject::default(),
            480,
            "en".into(),
        )
        .await
        .unwrap();
    save(&gov, &view.summary.id, "head_name", json!("x")).await;
    let quarantined = finalize_anyway(&gov, &view.summary.id).await;

    let household = household(&gov, "孙七").await;
    let report = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(
        (
            report.delivered,
            report.waiting_for_level,
            report.quarantined
        ),
        (1, 1, 1),
        "{report:?}"
    );
    let all = gov.outbox().submissions().await.unwrap();
    let state = |id: &str| {
        all.iter()
            .find(|s| s.instance_id == id)
            .unwrap()
            .state
            .clone()
    };
    assert_eq!(
        state(&subsidy),
        SubmissionState::WaitingForLevel { level: 4 }
    );
    assert_eq!(
        state(&quarantined),
        SubmissionState::Quarantined {
            reason: "unknown_form".into()
        }
    );
    assert!(matches!(
        state(&household),
        SubmissionState::Delivered { .. }
    ));
    // The shell can offer the step-up the waiting submission needs.
    // It names the waiting submission so the verdict covers that one only.
    assert_eq!(
        gov.outbox().step_up_needed().await.unwrap(),
        Some(palmgov::StepUpNeeded {
            level: 4,
            operations: vec![subsidy.clone()],
        })
    );
    // Logout counts what waits for a sync apart from what was refused.
    let report = gov.identity().logout(None).await.unwrap();
    assert_eq!(
        (report.queued_submissions, report.quarantined_submissions),
        (1, 1)
    );
}

/// Finalizes a draft of a form whose required fields are left empty, by
/// filling what finalize asks for generically.
async fn finalize_anyway(gov: &PalmGov, draft: &str) -> String {
    for (path, value) in [
        ("visit_date", json!("2026-11-20")),
        ("household_division", json!("330106")),
        ("head_id_number", json!("11010519491231002X")),
        ("housing", json!("owned")),
    ] {
        save(gov, draft, path, value).await;
    }
    let view = gov
        .drafts()
        .open_draft(draft.into(), "en".into())
        .await
        .unwrap();
    let member = &view.repeats[0].instance_ids[0];
    save(
        gov,
        draft,
        &format!("members/{member}/member_name"),
        json!("x"),
    )
    .await;
    save(
        gov,
        draft,
        &format!("members/{member}/member_age"),
        json!(30),
    )
    .await;
    let outcome = gov
        .drafts()
        .finalize_draft(draft.into(), "en".into())
        .await
        .unwrap();
    assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
    outcome.instance_id.unwrap()
}

/// Grid-worker mode: the township's roster is cached for offline visits, a
/// household met on the way is added offline and survives a restart, and
/// the next sync sends it exactly once before the submissions naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_is_cached_offline_and_added_households_go_with_the_next_sync() {
    use palmgov::{HouseholdOrigin, HouseholdSync, NewHousehold};
    use palmgov_server::AssignedHousehold;

    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    assert!(
        backend
            .roster()
            .assign("grid-7", &AssignedHousehold::sample(3))
    );
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, "grid-7").await;
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    let roster = gov.roster().refresh_roster(None).await.unwrap();
    assert_eq!(roster.len(), 3);
    assert!(
        roster
            .iter()
            .all(|h| h.origin == HouseholdOrigin::Assigned && h.sync == HouseholdSync::Synced)
    );
    drop(gov);

    // Offline in the village: the backend is unreachable.
    let dead = "http://127.0.0.1:9/";
    let gov = palmgov_tests::open_core(dir.path(), &provider.issuer, dead);
    gov.unlock("test".into()).await.unwrap();
    assert_eq!(
        gov.roster().roster().await.unwrap().len(),
        3,
        "the cached roster is there offline"
    );
    assert!(gov.roster().refresh_roster(None).await.is_err());
    assert_eq!(
        gov.roster().roster().await.unwrap().len(),
        3,
        "a failed refresh keeps the cache"
    );
    let bad = gov
        .roster()
        .add_household(NewHousehold {
            head_name: "赵六".into(),
            address: String::new(),
            division: "339999".into(),
        })
        .await;
    assert_eq!(
        bad.unwrap_err(),
        PalmGovError::InvalidInput {
            field: "division".into()
        }
    );
    let added = gov
        .roster()
        .add_household(NewHousehold {
            head_name: " 赵六 ".into(),
            address: "桐坞村3组".into(),
            division: "330106001001".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (added.head_name.as_str(), &added.sync),
        ("赵六", &HouseholdSync::Pending)
    );
    // A visit picked from the roster takes its head as the subject.
    let draft = gov
        .drafts()
        .create_draft(
            "household-visit".into(),
            None,
            DraftSubject {
                household_id: Some(roster[0].id.clone()),
                name: None,
            },
            480,
            "zh-Hans".into(),
        )
        .await
        .unwrap();
    assert_eq!(draft.summary.subject.name.as_deref(), Some("王秀英"));
    drop(gov);

    // Back at the township office, after a restart.
    let gov = palmgov_tests::open_core(dir.path(), &provider.issuer, &backend.base_url());
    gov.unlock("test".into()).await.unwrap();
    let listed = gov.roster().roster().await.unwrap();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[3].sync, HouseholdSync::Pending);
    let report = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(
        (report.households_sent, report.roster_refreshed),
        (1, true),
        "{report:?}"
    );
    let held = backend.roster().households_of("grid-7");
    assert_eq!(held.len(), 4);
    assert!(held.contains(&(added.id.clone(), "added".into())));
    let roster = gov.roster().roster().await.unwrap();
    assert!(
        roster.iter().all(|h| h.sync == HouseholdSync::Synced),
        "{roster:?}"
    );
    assert_eq!(
        roster.iter().find(|h| h.id == added.id).unwrap().origin,
        HouseholdOrigin::AddedByWorker
    );
    let again = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(again.households_sent, 0);
    assert_eq!(backend.roster().households_of("grid-7").len(), 4);
    let report = gov.identity().logout(None).await.unwrap();
    assert_eq!(report.pending_households, 0);
}
