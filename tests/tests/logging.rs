//! The log sink in its own test binary: the sink is process-wide (the last
//! opened core's sink wins), so parallel tests elsewhere would race for it.

use std::sync::Arc;

use palmgov::software::{MemoryLogSink, SoftwareAppLock, SoftwareKeystore};
use palmgov::{AppLockOutcome, LogLevel, PalmGov, PalmGovConfig, default_server_config};

#[tokio::test]
async fn logs_carry_no_stored_secret() {
    let sink = Arc::new(MemoryLogSink::default());
    let dir = tempfile::tempdir().unwrap();
    let secret = "330106199001011234-李四";
    let core = PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.path().to_string_lossy().into_owned(),
            server: default_server_config("http://127.0.0.1:9/".into()),
            log_level: LogLevel::Trace,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[5; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        Some(sink.clone()),
    )
    .unwrap();
    core.unlock("test".into()).await.unwrap();
    core.secure_store()
        .put("people".into(), "p1".into(), secret.as_bytes().to_vec())
        .await
        .unwrap();
    let _ = core
        .secure_store()
        .get("people".into(), "p1".into())
        .await
        .unwrap();
    let _ = core.region().server_health(None).await;
    // A dependency's event (an HTTP library's debug line may hold a URL
    // or a header) is not forwarded; the core's own are.
    tracing::warn!(target: "hyper_util::client", "GET https://api.example/?name=李四");
    tracing::warn!(target: "palmgov::net", "a line of the core's own");
    let records = sink.records();
    assert!(
        records.iter().any(|r| r.message.contains("core opened")),
        "{records:?}"
    );
    assert!(records.iter().any(|r| r.message.contains("the core's own")));
    assert!(
        records.iter().all(|r| r.target.starts_with("palmgov")),
        "{records:?}"
    );
    assert!(records.iter().all(|r| !r.message.contains(secret)));
    assert!(records.iter().all(|r| !r.message.contains("李四")));
}
