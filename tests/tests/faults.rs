//! (b) Faulty network: a proxy between core and backend drops connections,
//! holds them past the timeout, answers 500 after the backend stored the
//! submission, sends requests twice, and answers 200 from a captive
//! portal. Once sync completes, the backend holds every finalized
//! submission exactly once, with all its attachments.

use std::collections::HashSet;
use std::time::Duration;

use palmgov::{SubmissionState, SyncOptions, default_server_config};
use palmgov_server::ServerOptions;
use palmgov_tests::fault_proxy::{FAULTS, FaultProxy};
use palmgov_tests::forms::{household, inventory};
use palmgov_tests::{TestProvider, backend, open_core_with, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_submission_arrives_exactly_once_through_a_faulty_network() {
    let provider = TestProvider::start(600);
    let listener = FaultProxy::bind().await;
    let public_origin = format!("http://{}", listener.local_addr().unwrap());
    let backend = backend(
        &provider,
        ServerOptions {
            public_origin: Some(public_origin),
            ..Default::default()
        },
    )
    .await;
    let proxy = FaultProxy::start(
        listener,
        backend.addr,
        30,
        0x5eed,
        Duration::from_millis(1500),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut server = default_server_config(proxy.base_url());
    server.request_timeout_ms = 1_000;
    server.connect_timeout_ms = 1_000;
    let gov = open_core_with(dir.path(), &provider.issuer, server);
    sign_in(&gov, "field-worker").await;
    // The catalog comes through the faulty proxy too; GETs retry inside the
    // call, and the person would press the button again.
    let mut tries = 0;
    while gov.refresh_forms("en".into(), None).await.is_err() {
        tries += 1;
        assert!(tries < 20, "catalog never came through");
    }
    const N: usize = 12;
    let mut finalized = HashSet::new();
    for i in 0..N {
        finalized.insert(household(&gov, &format!("户{i}")).await);
    }
    let options = SyncOptions {
        retry_budget_ms: 20_000,
        ..Default::default()
    };
    let mut runs = 0;
    loop {
        runs += 1;
        let report = gov.sync_now(options.clone(), None, None).await;
        let delivered = gov
            .submissions()
            .unwrap()
            .iter()
            .filter(|s| matches!(s.state, SubmissionState::Delivered { .. }))
            .count();
        if delivered == N {
            break;
        }
        assert!(
            runs < 10,
            "still undelivered after {runs} runs: {report:?} {:?}",
            gov.submissions()
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
    let counts = proxy.counts.lock().unwrap().clone();
    for fault in FAULTS {
        assert!(
            counts.get(&fault).copied().unwrap_or(0) > 0,
            "{fault:?} never injected: {counts:?}"
        );
    }
}
