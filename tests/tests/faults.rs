//! (b) Faulty network: a proxy between core and backend drops connections,
//! holds them past the timeout, answers 500 after the backend stored the
//! submission, sends requests twice, sends replies twice, and answers 200
//! from a captive portal. Once sync completes, the backend holds every finalized
//! submission exactly once, with all its attachments, and every household
//! the worker added exactly once.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use palmgov::{
    HouseholdSync, NewHousehold, SubmissionState, SyncListener, SyncOptions, SyncProgress,
    default_server_config,
};
use palmgov_server::ServerOptions;
use palmgov_tests::fault_proxy::{FAULTS, FaultProxy};
use palmgov_tests::forms::{household, inventory};
use palmgov_tests::{TestProvider, backend_behind_proxy, open_core_with, sign_in};

struct Progress(Mutex<Vec<SyncProgress>>);

impl SyncListener for Progress {
    fn on_progress(&self, progress: SyncProgress) {
        self.0.lock().unwrap().push(progress);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_submission_arrives_exactly_once_through_a_faulty_network() {
    let provider = TestProvider::start(600);
    let (backend, proxy) =
        backend_behind_proxy(&provider, ServerOptions::default(), |listener, addr| {
            FaultProxy::start(listener, addr, 30, 0x5eed, Duration::from_millis(1500))
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let mut server = default_server_config(proxy.base_url());
    server.request_timeout_ms = 1_000;
    server.connect_timeout_ms = 1_000;
    let gov = open_core_with(dir.path(), &provider.issuer, server);
    sign_in(&gov, "field-worker").await;
    // The catalog comes through the faulty proxy too; GETs retry inside the
    // call, and the person would press the button again.
    let mut tries = 0;
    while gov.drafts().refresh_forms("en".into(), None).await.is_err() {
        tries += 1;
        assert!(tries < 20, "catalog never came through");
    }
    const N: usize = 12;
    let mut finalized = HashSet::new();
    for i in 0..N {
        finalized.insert(household(&gov, &format!("户{i}")).await);
    }
    // Households met on the way go through the same faults.
    let mut added = HashSet::new();
    for i in 0..4 {
        let h = gov
            .roster()
            .add_household(NewHousehold {
                head_name: format!("户主{i}"),
                address: String::new(),
                division: "330106".into(),
            })
            .await
            .unwrap();
        added.insert(h.id);
    }
    let options = SyncOptions {
        retry_budget_ms: 20_000,
        ..Default::default()
    };
    let mut runs = 0;
    loop {
        runs += 1;
        let seen = Arc::new(Progress(Mutex::new(Vec::new())));
        let report = gov
            .outbox()
            .sync_now(options.clone(), Some(seen.clone()), None)
            .await;
        // Retries and parallel items never make progress go back or
        // count the same bytes twice.
        let seen = seen.0.lock().unwrap().clone();
        assert!(
            seen.windows(2)
                .all(|w| w[0].bytes_done <= w[1].bytes_done && w[0].items_done <= w[1].items_done),
            "{seen:?}"
        );
        assert!(
            seen.iter().all(|p| p.bytes_done <= p.bytes_total),
            "{seen:?}"
        );
        let delivered = gov
            .outbox()
            .submissions()
            .await
            .unwrap()
            .iter()
            .filter(|s| matches!(s.state, SubmissionState::Delivered { .. }))
            .count();
        let households_synced = gov
            .roster()
            .roster()
            .await
            .unwrap()
            .iter()
            .all(|h| h.sync == HouseholdSync::Synced);
        if delivered == N && households_synced {
            break;
        }
        assert!(
            runs < 10,
            "still undelivered after {runs} runs: {report:?} {:?}",
            gov.outbox()
                .submissions()
                .await
                .unwrap()
                .iter()
                .map(|s| &s.state)
                .collect::<Vec<_>>()
        );
    }
    let stored = inventory(&backend).await;
    let ids: HashSet<String> = stored
        .iter()
        .map(|s| s["instance_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored.len(), N, "no duplicates");
    assert_eq!(ids, finalized, "nothing lost");
    for s in &stored {
        assert_eq!(s["attachments"], s["attachments_complete"], "{s}");
    }
    let held: HashSet<String> = backend
        .roster()
        .households_of("field-worker")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(held, added, "every added household once");
    // Duplicated requests replay DPoP proofs, which the backend refuses
    // with 401 `invalid_dpop_proof`: that takes a new proof, never a token
    // refresh (refreshes under load once ended the grant in the sync bench).
    assert_eq!(gov.refresh_requests().unwrap(), 0);
    let counts = proxy.counts.lock().unwrap().clone();
    for fault in FAULTS {
        assert!(
            counts.get(&fault).copied().unwrap_or(0) > 0,
            "{fault:?} never injected: {counts:?}"
        );
    }
}
