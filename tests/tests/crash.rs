//! (a) Kill test: a child process autosaves, finalizes and syncs, and is
//! killed with SIGKILL at random points, 200 times. Afterwards every answer
//! whose save call had returned is present, SQLite's integrity check is
//! ok, every finalized form reaches the backend, and none arrives twice.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use palmgov::SyncOptions;
use palmgov_server::ServerOptions;
use palmgov_tests::forms::inventory;
use palmgov_tests::{TestProvider, backend, signed_in};

/// Kills per run; the issue asks for at least 200.
const KILLS: u32 = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_saved_is_lost_and_nothing_sent_twice_across_200_kills() {
    let provider = TestProvider::start(3600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    {
        let gov = signed_in(dir.path(), &provider, &backend, "crash-worker").await;
        gov.drafts().refresh_forms("en".into(), None).await.unwrap();
        gov.shutdown();
    }
    // What the children reported as done, in order.
    let mut saved: HashMap<(String, String), String> = HashMap::new();
    let mut finalized: HashMap<String, String> = HashMap::new();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for kill in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
            .args([
                dir.path().to_str().unwrap(),
                &backend.base_url(),
                &provider.issuer,
                &kill.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // xorshift: reproducible kill points between 10 and 200 ms.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        tokio::time::sleep(Duration::from_millis(10 + rng % 190)).await;
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        // Only complete lines: a line cut by the kill was never acknowledged.
        let complete = out.rfind('\n').map_or("", |i| &out[..i]);
        for line in complete.lines() {
            let parts: Vec<&str> = line.split('\t').collect();
            match parts.as_slice() {
                ["saved", draft, path, value] => {
                    saved.insert((draft.to_string(), path.to_string()), value.to_string());
                }
                ["finalized", draft, instance] => {
                    finalized.insert(draft.to_string(), instance.to_string());
                }
                _ => panic!("unexpected line {line:?}"),
            }
        }
    }
    assert!(
        saved.len() > 100,
        "children saved too little to test: {}",
        saved.len()
    );

    let gov = palmgov_tests::open_core(dir.path(), &provider.issuer, &backend.base_url());
    gov.unlock("check".into()).await.unwrap();
    gov.check_integrity().await.unwrap();
    let drafts: HashSet<&String> = saved.keys().map(|(d, _)| d).collect();
    for draft in drafts {
        let view = gov
            .drafts()
            .open_draft(draft.clone(), "en".into())
            .await
            .unwrap();
        for ((d, path), value) in &saved {
            if d != draft {
                continue;
            }
            let stored = view.fields.iter().find(|f| &f.path == path);
            assert_eq!(
                stored.and_then(|f| f.value_json.as_deref()),
                Some(value.as_str()),
                "{draft} {path}"
            );
        }
    }
    // Everything finalized goes out once the network is back.
    let report = gov
        .outbox()
        .sync_now(SyncOptions::default(), None, None)
        .await
        .unwrap();
    assert_eq!(report.remaining, 0, "{report:?}");
    let stored = inventory(&backend).await;
    let ids: HashSet<&str> = stored
        .iter()
        .map(|s| s["instance_id"].as_str().unwrap())
        .collect();
    for instance in finalized.values() {
        assert!(
            ids.contains(instance.as_str()),
            "finalized {instance} never arrived"
        );
    }
    // Each form carries a unique name: two submissions with one name would
    // be one form sent twice.
    let mut names = HashSet::new();
    for s in &stored {
        let name = s["answers"]["head_name"].as_str().unwrap().to_string();
        assert!(names.insert(name.clone()), "{name} arrived twice");
    }
    eprintln!(
        "{KILLS} kills: {} answers, {} finalized, {} stored at the backend",
        saved.len(),
        finalized.len(),
        stored.len()
    );
}
