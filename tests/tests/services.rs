//! The service catalog and reminders end to end, against the reference
//! backend and a real OpenID provider:
//!
//! - a region build's core takes the catalog its profile pins, then only
//!   the chunk a new publication changed; a publication whose chunk is
//!   truncated, or a manifest the profile does not pin, is refused with a
//!   typed error and the last good catalog stays in use;
//! - the catalog bundled with the app is taken offline, checked the same;
//! - the golden queries find their service in the top three;
//! - "what do I still need?" counts the wallet only for its own person;
//! - a status change and a due date (补正) a sync brings become reminders.

use std::path::{Path, PathBuf};

use palmgov::{
    LicenceVerdict, MatchKind, MaterialSource, PalmGovError, PresentationCheck, ReminderKind,
};
use palmgov_server::region::{sign_test_profile, test_profile_body};
use palmgov_server::submissions::StatusChange;
use palmgov_server::{RunningServer, ServerOptions};
use palmgov_tests::forms::{household, sync};
use palmgov_tests::{CLIENT_ID, REDIRECT_URI, TestProvider, backend, open_region_core, signed_in};
use serde_json::Value;

const REGION: &str = "330106";

fn regions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../regions")
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Copies a published catalog directory.
fn copy_catalog(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("chunks")).unwrap();
    std::fs::copy(from.join("manifest.json"), to.join("manifest.json")).unwrap();
    for entry in std::fs::read_dir(from.join("chunks")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join("chunks").join(entry.file_name())).unwrap();
    }
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Publishes a new version of the catalog in `dir` in which the first
/// guide of the last guides chunk costs `fee_fen`: that one chunk is new.
/// Returns the changed guide's code and the new chunk's size.
fn republish_with_fee(dir: &Path, fee_fen: u64) -> (String, u64) {
    let mut m = manifest(dir);
    let last = m["chunks"].as_array().unwrap().len() - 1;
    let old = m["chunks"][last]["sha256"].as_str().unwrap().to_string();
    let bytes = std::fs::read(dir.join("chunks").join(format!("{old}.zlib"))).unwrap();
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&bytes).unwrap();
    let mut guides: Value = serde_json::from_slice(&raw).unwrap();
    guides["guides"][0]["fee_fen"] = fee_fen.into();
    let code = guides["guides"][0]["code"].as_str().unwrap().to_string();
    let raw = serde_json::to_vec(&guides).unwrap();
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 9);
    let sha = sha256_hex(&z);
    std::fs::write(dir.join("chunks").join(format!("{sha}.zlib")), &z).unwrap();
    let chunk = &mut m["chunks"][last];
    chunk["sha256"] = sha.into();
    chunk["bytes"] = z.len().into();
    chunk["raw_bytes"] = raw.len().into();
    m["version"] = (m["version"].as_u64().unwrap() + 1).into();
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    (code, z.len() as u64)
}

/// A profile of `version` for `backend` that pins the catalog in `dir`.
fn profile(backend: &RunningServer, provider: &TestProvider, dir: &Path, version: u64) -> String {
    let mut body = test_profile_body(
        REGION,
        &format!("{}/", backend.base_url().trim_end_matches('/')),
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        Vec::new(),
    );
    body["catalog"] = serde_json::json!({
        "url": "v1/catalog",
        "manifest_sha256": sha256_hex(&std::fs::read(dir.join("manifest.json")).unwrap()),
    });
    let expires = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 30 * 24 * 3600) as i64;
    sign_test_profile(&body, version, expires, &[0, 1])
}

fn refused(e: PalmGovError) -> String {
    match e {
        PalmGovError::CatalogRefused { reason } => reason,
        other => panic!("expected a refused catalog, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pinned_catalog_then_only_changed_chunks_and_a_bad_publication_keeps_the_last_good() {
    let provider = TestProvider::start(600);
    let tmp = tempfile::tempdir().unwrap();
    let published = tmp.path().join("published");
    copy_catalog(&regions().join(REGION).join("catalog"), &published);
    let chunks = manifest(&published)["chunks"].as_array().unwrap().len() as u32;
    let server = backend(
        &provider,
        ServerOptions {
            catalog_dir: Some(published.clone()),
            ..Default::default()
        },
    )
    .await;
    let gov = open_region_core(
        &tmp.path().join("core"),
        profile(&server, &provider, &published, 1),
    );
    let services = gov.services();
    // The backend serves profile `version`, pinning what is published
    // now, and the phone takes it.
    let roll_to = |version: u64| {
        server
            .region()
            .serve_profile(profile(&server, &provider, &published, version));
        let region = gov.region();
        async move { region.refresh_profile("en".into(), None).await.unwrap() }
    };

    // Before any: a typed error, not an empty list.
    assert!(matches!(
        services.search("sfz".into(), "zh-Hans".into(), 3).await,
        Err(PalmGovError::CatalogMissing)
    ));
    let first = services.update(None).await.unwrap();
    assert!(first.updated);
    assert_eq!(first.chunks_fetched, chunks);
    let status = first.status.unwrap();
    assert!(status.services >= 5_000, "{status:?}");
    assert!(!status.outdated);
    let hit = &services
        .search("sfz".into(), "zh-Hans".into(), 3)
        .await
        .unwrap()[0];
    // 身份证's initials: of the names, or the reading of the everyday
    // word 身份证 (→ 居民身份证).
    assert!(
        matches!(hit.matched, MatchKind::Initials | MatchKind::Synonym),
        "{hit:?}"
    );
    assert!(hit.name.contains("身份证"), "{hit:?}");
    // The pinned one is on the phone: nothing to fetch.
    let again = services.update(None).await.unwrap();
    assert!(!again.updated);
    assert_eq!(again.chunks_fetched, 0);

    // A new publication changes one guides chunk; profile v2 pins it.
    let (code, size) = republish_with_fee(&published, 12_300);
    roll_to(2).await;
    assert!(services.status().await.unwrap().unwrap().outdated);
    let second = services.update(None).await.unwrap();
    assert!(second.updated);
    assert_eq!((second.chunks_fetched, second.bytes_fetched), (1, size));
    assert_eq!(
        services
            .show(code.clone(), "zh-Hans".into())
            .await
            .unwrap()
            .fee_fen,
        12_300
    );
    let v2 = second.status.unwrap();
    let v2_manifest = std::fs::read(published.join("manifest.json")).unwrap();

    // Publication 3's new chunk is truncated on the backend's disk: the
    // backend will not serve it (500), and the phone keeps v2.
    let (_, _) = republish_with_fee(&published, 45_600);
    let last = manifest(&published)["chunks"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let path = published.join("chunks").join(format!("{last}.zlib"));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    roll_to(3).await;
    let e = services.update(None).await.unwrap_err();
    assert!(
        matches!(e, PalmGovError::Server { status: 500, .. }),
        "{e:?}"
    );
    let kept = services.status().await.unwrap().unwrap();
    assert_eq!(kept.manifest_sha256, v2.manifest_sha256);
    assert!(kept.outdated);

    // Publication 4 is whole but its new chunk names a licence type the
    // wallet does not know (a publisher's bug): refused, v2 stays.
    std::fs::write(&path, &bytes).unwrap();
    let mut m = manifest(&published);
    let chunk = m["chunks"].as_array().unwrap().last().unwrap().clone();
    let z = std::fs::read(&path).unwrap();
    let mut guides: Value =
        serde_json::from_slice(&miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap()).unwrap();
    guides["guides"][0]["materials"][0]["licence"] = "passport_of_mars".into();
    let raw = serde_json::to_vec(&guides).unwrap();
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 9);
    let sha = sha256_hex(&z);
    std::fs::write(published.join("chunks").join(format!("{sha}.zlib")), &z).unwrap();
    let last_index = m["chunks"].as_array().unwrap().len() - 1;
    m["chunks"][last_index] = serde_json::json!({
        "kind": "guides", "sha256": sha, "bytes": z.len(), "raw_bytes": raw.len(),
        "first": chunk["first"], "last": chunk["last"],
    });
    m["version"] = 4.into();
    std::fs::write(
        published.join("manifest.json"),
        serde_json::to_vec(&m).unwrap(),
    )
    .unwrap();
    roll_to(4).await;
    let e = services.update(None).await.unwrap_err();
    assert_eq!(refused(e), "catalog.guides_content");
    let kept = services.status().await.unwrap().unwrap();
    assert_eq!(kept.manifest_sha256, v2.manifest_sha256);
    assert_eq!(
        services
            .show(code.clone(), "zh-Hans".into())
            .await
            .unwrap()
            .fee_fen,
        12_300
    );
    assert!(
        !services
            .search("低保".into(), "zh-Hans".into(), 3)
            .await
            .unwrap()
            .is_empty()
    );

    // The backend serves a manifest the profile does not pin.
    let mut other = manifest(&published);
    other["version"] = 99.into();
    std::fs::write(
        published.join("manifest.json"),
        serde_json::to_vec(&other).unwrap(),
    )
    .unwrap();
    let e = services.update(None).await.unwrap_err();
    assert_eq!(refused(e), "catalog.manifest_pin");
    // A sync does not fail for it, and says nothing was taken.
    palmgov_tests::sign_in(&gov, "alice").await;
    let report = sync(&gov).await;
    assert!(!report.catalog_updated);

    // A good publication on top of v2, pinned by profile v5: a sync takes
    // it and says so; the next finds nothing to take.
    std::fs::write(published.join("manifest.json"), &v2_manifest).unwrap();
    let (code, _) = republish_with_fee(&published, 78_900);
    roll_to(5).await;
    assert!(sync(&gov).await.catalog_updated);
    assert_eq!(
        services.show(code, "zh-Hans".into()).await.unwrap().fee_fen,
        78_900
    );
    assert!(!services.status().await.unwrap().unwrap().outdated);
    assert!(!sync(&gov).await.catalog_updated);
    gov.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bundled_catalog_is_taken_offline_and_checked_as_a_fetched_one() {
    let provider = TestProvider::start(600);
    let server = backend(&provider, ServerOptions::default()).await;
    let tmp = tempfile::tempdir().unwrap();
    let bundled = regions().join(REGION).join("catalog");
    let gov = open_region_core(
        &tmp.path().join("core"),
        profile(&server, &provider, &bundled, 1),
    );
    let manifest_bytes = std::fs::read(bundled.join("manifest.json")).unwrap();
    let mut chunks: Vec<Vec<u8>> = std::fs::read_dir(bundled.join("chunks"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    chunks.sort();
    // One chunk left out of the app: refused, nothing taken.
    let missing = chunks[1..].to_vec();
    let e = gov
        .services()
        .install_bundled(manifest_bytes.clone(), missing)
        .await
        .unwrap_err();
    assert_eq!(refused(e), "catalog.chunk_missing");
    assert!(gov.services().status().await.unwrap().is_none());
    let taken = gov
        .services()
        .install_bundled(manifest_bytes, chunks)
        .await
        .unwrap();
    assert!(taken.updated);
    assert_eq!(taken.bytes_fetched, 0, "nothing came over the network");
    gov.shutdown();
    drop(server);
}

#[test]
fn the_golden_queries_find_their_service_in_the_top_three() {
    let golden: Vec<Value> =
        serde_json::from_slice(&std::fs::read(regions().join("catalog-golden.json")).unwrap())
            .unwrap();
    assert!(golden.len() >= 60, "{} golden queries", golden.len());
    let mut found = 0;
    let mut misses = Vec::new();
    for code in ["330106", "440106", "653101"] {
        let dir = regions().join(code).join("catalog");
        let catalog = palmgov::services::bench::open(&dir).unwrap();
        let bytes: u64 = std::fs::read_dir(dir.join("chunks"))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        assert!(bytes <= 1_000_000, "{code}: {bytes} bytes on disk");
        for g in golden.iter().filter(|g| g["region"] == code) {
            let (query, lang, expect) = (
                g["query"].as_str().unwrap(),
                g["lang"].as_str().unwrap(),
                g["expect"].as_str().unwrap(),
            );
            if palmgov::services::bench::in_top_three(&catalog, query, lang, expect) {
                found += 1;
            } else {
                misses.push(format!("{code} {} {query}", g["kind"]));
            }
        }
    }
    let share = found as f64 / golden.len() as f64;
    assert!(
        share >= 0.95,
        "{found}/{} found; missed: {misses:?}",
        golden.len()
    );
}

/// A code a resident showed on a visit, as the verifier reported it.
fn shown(licence_type: &str, verdict: LicenceVerdict) -> PresentationCheck {
    PresentationCheck {
        verdict,
        licence_type: licence_type.into(),
        display_name: String::new(),
        issuer: "测试发证机关".into(),
        claims: Vec::new(),
        shown_at_ms: 0,
        valid_from: "2020-01-01".into(),
        valid_until: "2040-01-01".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn what_a_service_still_needs_counts_the_wallet_only_for_its_own_person() {
    let provider = TestProvider::start(600);
    let server = backend(&provider, ServerOptions::default()).await;
    let tmp = tempfile::tempdir().unwrap();
    // 陈丽华, a resident, with her licences.
    let gov = signed_in(&tmp.path().join("core"), &provider, &server, "alice").await;
    gov.wallet().refresh(None).await.unwrap();
    let services = gov.services();
    services.update(None).await.unwrap();
    // A service that asks for the ID card and something to bring.
    let mut chosen = None;
    for hit in services
        .search("社保卡".into(), "zh-Hans".into(), 20)
        .await
        .unwrap()
    {
        let guide = services
            .show(hit.code.clone(), "zh-Hans".into())
            .await
            .unwrap();
        let card = guide
            .materials
            .iter()
            .any(|m| m.licence_type.as_deref() == Some("id_card"));
        let other = guide
            .materials
            .iter()
            .any(|m| m.licence_type.is_none() && !m.answered_by_form);
        if card && other {
            chosen = Some(hit.code);
            break;
        }
    }
    let code = chosen.expect("a service asking for the ID card and something to bring");
    let own = services
        .needs(code.clone(), "zh-Hans".into(), None)
        .await
        .unwrap();
    let card = own
        .materials
        .iter()
        .find(|m| m.material.licence_type.as_deref() == Some("id_card"))
        .unwrap();
    assert_eq!(card.source, MaterialSource::InWallet);
    assert!(own.outstanding >= 1, "{own:?}");
    assert_eq!(own.covered + own.outstanding, own.materials.len() as u32);

    // On a visit her wallet is not the resident's: only what was shown.
    let visit = services
        .needs(code.clone(), "zh-Hans".into(), Some(Vec::new()))
        .await
        .unwrap();
    assert!(
        visit
            .materials
            .iter()
            .all(|m| m.source != MaterialSource::InWallet)
    );
    let refused_code = shown(
        "id_card",
        LicenceVerdict::Invalid {
            reason: "credential.bad_signature".into(),
        },
    );
    let with_bad = services
        .needs(code.clone(), "zh-Hans".into(), Some(vec![refused_code]))
        .await
        .unwrap();
    assert!(
        with_bad
            .materials
            .iter()
            .all(|m| m.source != MaterialSource::ShownOnVisit)
    );
    let with_card = services
        .needs(
            code,
            "zh-Hans".into(),
            Some(vec![shown("id_card", LicenceVerdict::Valid)]),
        )
        .await
        .unwrap();
    let card = with_card
        .materials
        .iter()
        .find(|m| m.material.licence_type.as_deref() == Some("id_card"))
        .unwrap();
    assert_eq!(card.source, MaterialSource::ShownOnVisit);

    // Behind the app lock.
    gov.lock().unwrap();
    assert!(matches!(
        services.needs("x".into(), "zh-Hans".into(), None).await,
        Err(PalmGovError::Locked)
    ));
    gov.shutdown();
}

/// A UTC offset at which it is midday now, so no reminder waits for the
/// end of the quiet hours whatever the hour the test runs.
fn midday_offset() -> i32 {
    let hour = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 3600
        % 24) as i32;
    let mut offset = 12 - hour;
    if offset > 12 {
        offset -= 24;
    }
    if offset < -12 {
        offset += 24;
    }
    offset * 60
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_change_and_a_due_date_a_sync_brings_become_reminders() {
    let provider = TestProvider::start(600);
    let server = backend(&provider, ServerOptions::default()).await;
    let tmp = tempfile::tempdir().unwrap();
    // 周志强, a grid worker, sends a household visit.
    let gov = signed_in(&tmp.path().join("core"), &provider, &server, "grid-7").await;
    gov.drafts().refresh_forms("en".into(), None).await.unwrap();
    let instance = household(&gov, "马玉兰").await;
    assert_eq!(sync(&gov).await.delivered, 1);
    let offset = midday_offset();
    let reminders = gov.reminders();
    let plan = reminders
        .plan(Vec::new(), "zh-Hans".into(), offset, 30, 64)
        .await
        .unwrap();
    assert!(
        plan.due.is_empty(),
        "what the phone sent is no news: {plan:?}"
    );

    // The caseworker asks for materials within 5 days.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let due = now_ms + 5 * 24 * 3600 * 1000;
    server
        .submissions()
        .change_status(
            &instance,
            &StatusChange {
                status: "correction_required".into(),
                note: Some("缺户口簿首页".into()),
                due_at_ms: Some(due),
                requested_materials: Some(vec!["户口簿首页复印件".into()]),
            },
        )
        .unwrap();
    let report = sync(&gov).await;
    assert_eq!(report.applications_changed, 1);
    let plan = reminders
        .plan(Vec::new(), "zh-Hans".into(), offset, 30, 64)
        .await
        .unwrap();
    let kinds: Vec<ReminderKind> = plan.due.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == ReminderKind::StatusChanged)
            .count(),
        1
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == ReminderKind::MaterialsDue)
            .count(),
        2
    );
    let status = plan
        .due
        .iter()
        .find(|r| r.kind == ReminderKind::StatusChanged)
        .unwrap();
    assert_eq!(status.deep_link, format!("applications/{instance}"));
    assert_eq!(status.body, "您的一项申请需要补正材料，请打开应用查看。");
    for r in &plan.due {
        for private in ["马玉兰", "户口簿", "household-visit"] {
            assert!(
                !r.body.contains(private) && !r.title.contains(private),
                "{r:?}"
            );
        }
    }
    // The details are in the app, behind the lock.
    let apps = gov.outbox().applications().await.unwrap();
    let last = apps[0].history.last().unwrap();
    assert_eq!(last.due_at_ms, Some(due));
    assert_eq!(last.requested_materials, ["户口簿首页复印件"]);

    // The shell scheduled all; a second plan changes nothing.
    let scheduled: Vec<String> = plan.due.iter().map(|r| r.id.clone()).collect();
    let again = reminders
        .plan(scheduled.clone(), "zh-Hans".into(), offset, 30, 64)
        .await
        .unwrap();
    assert!(
        again.schedule.is_empty() && again.cancel.is_empty(),
        "{again:?}"
    );
    // A vendor's power manager dropped one: the next plan adds it back.
    let dropped: Vec<String> = scheduled[1..].to_vec();
    let back = reminders
        .plan(dropped, "zh-Hans".into(), offset, 30, 64)
        .await
        .unwrap();
    assert_eq!(
        back.schedule.iter().map(|r| &r.id).collect::<Vec<_>>(),
        [&scheduled[0]]
    );
    // Shown: a passed reminder is not offered again.
    reminders.shown(vec![status.id.clone()]).await.unwrap();
    let after = reminders
        .plan(Vec::new(), "zh-Hans".into(), offset, 30, 64)
        .await
        .unwrap();
    assert!(after.due.iter().all(|r| r.id != status.id));
    gov.shutdown();
}
