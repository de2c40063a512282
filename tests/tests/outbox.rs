//! The outbox respects the server: a `Retry-After` outlives the run that
//! met it, an edit never overtakes what it replaces. The real backend
//! behind a proxy that answers chosen requests itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use palmgov::{PalmGov, SyncOptions};
use palmgov_server::fault_proxy::{Fault, FaultProxy};
use palmgov_server::{RunningServer, ServerOptions};
use palmgov_tests::forms::{finalized, household_answers, inventory, new_household};
use palmgov_tests::{TestProvider, backend_behind_proxy, open_core_with, sign_in};

struct Fixture {
    gov: Arc<PalmGov>,
    backend: RunningServer,
    _proxy: FaultProxy,
    dir: tempfile::TempDir,
    _provider: TestProvider,
}

/// The backend behind a proxy whose `rule` sees every request first.
async fn fixture(rule: impl Fn(&[u8]) -> Fault + Send + Sync + 'static) -> Fixture {
    let provider = TestProvider::start(600);
    let (backend, proxy) =
        backend_behind_proxy(&provider, ServerOptions::default(), |listener, addr| {
            FaultProxy::start_with_rule(listener, addr, Duration::from_millis(100), Arc::new(rule))
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = open_core_with(
        dir.path(),
        &provider.issuer,
        palmgov::default_server_config(proxy.base_url()),
    );
    sign_in(&gov, "grid-9").await;
    gov.drafts().refresh_forms("en".into(), None).await.unwrap();
    Fixture {
        gov,
        backend,
        _proxy: proxy,
        dir,
        _provider: provider,
    }
}

/// A household visit for `name`, finalized: (draft id, instance id).
async fn visit(gov: &PalmGov, name: &str) -> (String, String) {
    let (draft, member) = new_household(gov).await;
    for (path, value) in household_answers(name, &member, 40) {
        gov.drafts()
            .save_answer(draft.clone(), path, value, "en".into())
            .await
            .unwrap();
    }
    let instance = finalized(gov, &draft).await;
    (draft, instance)
}

/// The instance ids the backend holds, sorted.
async fn stored(backend: &RunningServer) -> Vec<String> {
    let mut ids: Vec<String> = inventory(backend)
        .await
        .iter()
        .map(|s| s["instance_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn is_submission_put(request: &[u8], id: &str) -> bool {
    String::from_utf8_lossy(request)
        .lines()
        .next()
        .is_some_and(|line| line.starts_with(&format!("PUT /v1/submissions/{id}")))
}

const SHORT: SyncOptions = SyncOptions {
    metered: false,
    attachments_on_metered: false,
    retry_budget_ms: 500,
    send_now: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_outlives_the_run_that_met_it() {
    let busy = Arc::new(AtomicBool::new(true));
    let puts = Arc::new(AtomicU32::new(0));
    let (b, p) = (busy.clone(), puts.clone());
    let fx = fixture(move |request| {
        if !is_submission_put(request, "") {
            return Fault::None;
        }
        p.fetch_add(1, Ordering::SeqCst);
        if b.load(Ordering::SeqCst) {
            Fault::BusyForAnHour
        } else {
            Fault::None
        }
    })
    .await;
    let gov = &fx.gov;
    visit(gov, "周建华").await;
    let report = gov.outbox().sync_now(SHORT, None, None).await.unwrap();
    assert_eq!((report.delivered, report.remaining), (0, 1), "{report:?}");
    assert_eq!(puts.load(Ordering::SeqCst), 1);
    // The backend is fine again, but said an hour: a background sync
    // leaves the item alone.
    busy.store(false, Ordering::SeqCst);
    let report = gov.outbox().sync_now(SHORT, None, None).await.unwrap();
    assert_eq!((report.delivered, report.remaining), (0, 1), "{report:?}");
    assert_eq!(
        puts.load(Ordering::SeqCst),
        1,
        "not asked again before the hour"
    );
    // The person presses "send now".
    let now = SyncOptions {
        send_now: true,
        ..SHORT
    };
    let report = gov.outbox().sync_now(now, None, None).await.unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_never_overtakes_what_it_replaces() {
    let original = Arc::new(std::sync::Mutex::new(String::new()));
    let blocked = Arc::new(AtomicBool::new(true));
    let (o, b) = (original.clone(), blocked.clone());
    let fx = fixture(move |request| {
        let id = o.lock().unwrap().clone();
        if !id.is_empty() && is_submission_put(request, &id) && b.load(Ordering::SeqCst) {
            Fault::DropBefore
        } else {
            Fault::None
        }
    })
    .await;
    let gov = &fx.gov;
    let (draft, first) = visit(gov, "吴桂英").await;
    *original.lock().unwrap() = first.clone();
    // Corrected before the original went out.
    let edit = gov
        .drafts()
        .edit_submitted(draft, "en".into())
        .await
        .unwrap();
    let second = finalized(gov, &edit.summary.id).await;
    let now = SyncOptions {
        send_now: true,
        ..SHORT
    };
    let report = gov
        .outbox()
        .sync_now(now.clone(), None, None)
        .await
        .unwrap();
    assert_eq!(report.delivered, 0, "{report:?}");
    assert!(inventory(&fx.backend).await.is_empty(), "the edit waited");
    // The original gets through, alone; the edit follows in the next run.
    blocked.store(false, Ordering::SeqCst);
    let report = gov
        .outbox()
        .sync_now(now.clone(), None, None)
        .await
        .unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(stored(&fx.backend).await, std::slice::from_ref(&first));
    let report = gov.outbox().sync_now(now, None, None).await.unwrap();
    assert_eq!(report.delivered, 1, "{report:?}");
    let mut both = vec![first, second];
    both.sort();
    assert_eq!(stored(&fx.backend).await, both);
}

/// The sealed photo files in the core's data directory.
fn photo_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir.join("files"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|name| name.starts_with("att-"))
                .collect()
        })
        .unwrap_or_default()
}

/// A delivery that happened is reported as one, even when the photos cannot
/// leave the phone at that moment (a full disk fails the write that marks
/// them sent): the sync reports no error and nothing remaining, and the
/// next sync removes the photos. It used to fail the whole sync with
/// `disk_full` after the form had gone out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_stands_when_its_photos_cannot_leave_yet() {
    let fx = fixture(|_| Fault::None).await;
    let instance = palmgov_tests::forms::household(&fx.gov, "郑桂兰").await;
    assert_eq!(photo_files(fx.dir.path()).len(), 1);

    // What a full disk does to that write, made to happen on purpose (a
    // tmpfs cannot be filled at just that moment; see full_disk.rs for the
    // kernel's own ENOSPC): a trigger refuses marking the photo sent.
    let db = rusqlite::Connection::open(fx.dir.path().join("palmgov.db")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER full_disk BEFORE UPDATE OF state ON attachments
         WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .unwrap();
    let report = palmgov_tests::forms::sync(&fx.gov).await;
    assert_eq!(
        (
            report.delivered,
            report.remaining,
            report.last_error.as_deref()
        ),
        (1, 0, None),
        "{report:?}"
    );
    assert_eq!(stored(&fx.backend).await, std::slice::from_ref(&instance));
    assert_eq!(photo_files(fx.dir.path()).len(), 1, "kept for now");

    // Room again: the next sync tidies up, and sends nothing twice.
    db.execute_batch("DROP TRIGGER full_disk;").unwrap();
    let report = palmgov_tests::forms::sync(&fx.gov).await;
    assert_eq!((report.delivered, report.remaining), (0, 0), "{report:?}");
    assert!(photo_files(fx.dir.path()).is_empty());
    assert_eq!(stored(&fx.backend).await, [instance]);
}
