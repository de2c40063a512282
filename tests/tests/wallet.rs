//! The e-licence wallet end to end: the reference backend issues each test
//! person's own licences (SM2 and ES256 issuers, bound to the phone's
//! holder key, listed in a trust list two of three pinned roots signed),
//! the core keeps them sealed and checks them offline, and a suspension, a
//! revocation, a stale status list and a lost phone each give the verdict
//! they should.

use std::sync::Arc;
use std::time::Duration;

use palmgov::{
    DisclosureProfile, LicenceFreshness, LicenceVerdict, PalmGov, default_server_config,
};
use palmgov_server::{RunningServer, ServerOptions};
use palmgov_tests::fault_proxy::{Fault, FaultProxy, Rule};
use palmgov_tests::forms::{dev_request, http};
use palmgov_tests::{
    TestProvider, backend, backend_behind_proxy, open_core_with, open_core_with_wallet, sign_in,
    signed_in, test_wallet_config,
};

struct Fixture {
    gov: Arc<PalmGov>,
    backend: RunningServer,
    dir: tempfile::TempDir,
    _provider: TestProvider,
}

async fn fixture(user: &str) -> Fixture {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, user).await;
    Fixture {
        gov,
        backend,
        dir,
        _provider: provider,
    }
}

async fn set_status(backend: &RunningServer, licence: &str, status: &str) {
    let body = serde_json::json!({"licence_id": licence, "status": status}).to_string();
    let reply = dev_request(backend, "POST", "v1/dev/licences/status", &body).await;
    assert!(reply.contains(status), "{reply}");
}

/// A second core on the same backend that never signs in, unlocked: a
/// clerk's phone or a kiosk in verifier mode.
async fn verifier_core(fx: &Fixture, dir: &std::path::Path) -> Arc<PalmGov> {
    let gov = palmgov_tests::open_core(dir, &fx._provider.issuer, &fx.backend.base_url());
    gov.unlock("test".into()).await.unwrap();
    gov
}

/// The person's licence of type `kind`, as listed.
async fn licence_of_type(gov: &PalmGov, kind: &str) -> palmgov::LicenceSummary {
    gov.wallet()
        .licences("en".into())
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.licence_type == kind)
        .unwrap()
}

/// Starts showing licence `id` with `profile` (the app lock passes).
async fn show(gov: &PalmGov, id: &str, profile: DisclosureProfile) -> Arc<palmgov::LicenceShowing> {
    gov.wallet()
        .show_licence(id.into(), profile, false, "亮证".into())
        .await
        .unwrap()
}

/// The service hall's kiosk of the two-way tests.
const HALL: &str = "urn:palmgov:verifier:330106:xihu-service-hall";

/// Puts `kiosk`'s verifier key on the backend's trust list as the service
/// hall's, allowed to ask for a name, the ID number's last four digits and
/// "over 18", and fetches that list on the kiosk.
async fn register_kiosk(backend: &RunningServer, kiosk: &PalmGov) {
    let key = kiosk.wallet().verifier_key().await.unwrap();
    let register = serde_json::json!({
        "id": HALL,
        "name": "西湖区行政服务中心",
        "jwk": serde_json::from_str::<serde_json::Value>(&key).unwrap(),
        "asks": ["name", "id_number_last4", "age_over_18"],
    });
    let reply = dev_request(
        backend,
        "POST",
        "v1/dev/wallet/verifiers",
        &register.to_string(),
    )
    .await;
    assert!(reply.contains(HALL), "{reply}");
    kiosk.wallet().refresh_status(None).await.unwrap();
}

/// What an issuing authority changes about a licence (a development route).
async fn change(backend: &RunningServer, change: serde_json::Value) {
    let reply = dev_request(
        backend,
        "POST",
        "v1/dev/licences/change",
        &change.to_string(),
    )
    .await;
    assert!(reply.contains("licence_id"), "{reply}");
}

fn claim(detail: &palmgov::LicenceDetail, name: &str) -> serde_json::Value {
    let claim = detail.claims.iter().find(|c| c.name == name).unwrap();
    serde_json::from_str(&claim.value_json).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_residents_licences_are_fetched_sealed_and_checked_offline() {
    let fx = fixture("alice").await;
    let wallet = fx.gov.wallet();

    assert_eq!(
        wallet.trust_list().await.unwrap(),
        None,
        "none before a fetch"
    );
    let report = wallet.refresh(None).await.unwrap();
    assert_eq!((report.fetched, report.refused), (4, 0), "{report:?}");
    let trust = wallet.trust_list().await.unwrap().unwrap();
    assert!(!trust.stale && trust.version > 1, "{trust:?}");
    let list = wallet.licences("zh-Hans".into()).await.unwrap();
    let types: Vec<&str> = list.iter().map(|l| l.licence_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "id_card",
            "household_register",
            "social_security_card",
            "driving_licence"
        ]
    );
    assert!(
        list.iter().all(|l| l.verdict == LicenceVerdict::Valid),
        "{list:?}"
    );
    assert!(
        list.iter()
            .all(|l| l.freshness == LicenceFreshness::Current)
    );
    assert_eq!(list[0].display_name, "居民身份证");

    // Her own data, from the SM2-signed ID card.
    let card = &list[0];
    assert!(card.id.starts_with("1.2.156.3005.2.11100000000013338W001."));
    let detail = wallet.licence(card.id.clone(), "en".into()).await.unwrap();
    assert_eq!(claim(&detail, "name"), "陈丽华");
    assert_eq!(claim(&detail, "id_number"), "330106198703150221");
    assert_eq!(claim(&detail, "age_over_18"), true);
    assert_eq!(claim(&detail, "licence_id"), card.id.as_str());
    assert!(detail.issuer.contains("公安厅"), "{}", detail.issuer);
    // Never printed: the shells log records.
    assert!(!format!("{detail:?}").contains("陈丽华"));

    // Nothing of it in clear on disk.
    for path in palmgov_tests::disk::every_file(fx.dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        for needle in [
            "330106198703150221",
            "陈丽华",
            card.id.as_str(),
            "driving_licence",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in clear in {path:?}"
            );
        }
    }

    // Never printed with its identifier.
    assert!(!format!("{card:?}").contains(&card.id));

    // 暂扣: suspended once the status list says so; then revoked; then
    // reinstated. Checked offline against the list last fetched.
    set_status(&fx.backend, &card.id, "suspended").await;
    assert_eq!(
        wallet.verify_licence(card.id.clone()).await.unwrap(),
        LicenceVerdict::Valid,
        "offline, the list fetched before the suspension still says valid"
    );
    wallet.refresh_status(None).await.unwrap();
    assert_eq!(
        wallet.verify_licence(card.id.clone()).await.unwrap(),
        LicenceVerdict::Suspended
    );
    set_status(&fx.backend, &card.id, "revoked").await;
    wallet.refresh_status(None).await.unwrap();
    assert_eq!(
        wallet.verify_licence(card.id.clone()).await.unwrap(),
        LicenceVerdict::Revoked
    );
    let listed = wallet.licences("en".into()).await.unwrap();
    assert_eq!(
        listed[0].verdict,
        LicenceVerdict::Revoked,
        "kept in the index"
    );
    set_status(&fx.backend, &card.id, "valid").await;
    wallet.refresh_status(None).await.unwrap();
    assert_eq!(
        wallet.verify_licence(card.id.clone()).await.unwrap(),
        LicenceVerdict::Valid
    );

    // Sign-out takes the licences with the account key.
    fx.gov.identity().logout(None).await.unwrap();
    let db = rusqlite::Connection::open(fx.dir.path().join("palmgov.db")).unwrap();
    let rows: i64 = db
        .query_row("SELECT COUNT(*) FROM licences", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_person_gets_their_own_and_an_agent_gets_the_business_licence() {
    let fx = fixture("bob").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let list = fx.gov.wallet().licences("en".into()).await.unwrap();
    let detail = fx
        .gov
        .wallet()
        .licence(list[0].id.clone(), "en".into())
        .await
        .unwrap();
    assert_eq!(claim(&detail, "name"), "刘建国");
    // Bob's own number (tests/oidc/provider.mjs), not Alice's.
    assert_eq!(claim(&detail, "id_number"), "330102197908210136");

    let fx = fixture("org-zhang").await;
    let report = fx.gov.wallet().refresh(None).await.unwrap();
    assert_eq!(report.fetched, 1);
    let list = fx.gov.wallet().licences("zh-Hans".into()).await.unwrap();
    assert_eq!(list[0].licence_type, "business_licence");
    assert_eq!(list[0].display_name, "营业执照");
    let detail = fx
        .gov
        .wallet()
        .licence(list[0].id.clone(), "en".into())
        .await
        .unwrap();
    assert_eq!(claim(&detail, "company_name"), "西湖示例科技有限公司");
    assert_eq!(claim(&detail, "legal_representative"), "张海涛");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_current_status_list_the_answer_is_undetermined() {
    let fx = fixture("alice").await;
    let wallet = fx.gov.wallet();
    wallet.refresh(None).await.unwrap();
    let id = wallet.licences("en".into()).await.unwrap()[0].id.clone();

    // The backend gone: the wallet still lists and checks, offline.
    let dir = fx.dir.path().to_path_buf();
    drop(fx.backend);
    assert_eq!(wallet.licences("en".into()).await.unwrap().len(), 4);
    assert_eq!(
        wallet.verify_licence(id.clone()).await.unwrap(),
        LicenceVerdict::Valid
    );

    // The status list gone from the phone: never `Valid`.
    let db = rusqlite::Connection::open(dir.join("palmgov.db")).unwrap();
    let kind: String = db
        .query_row(
            "SELECT kind FROM trust_documents WHERE kind LIKE 'status:%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    db.execute(
        "UPDATE trust_documents SET kind = 'set-aside' WHERE kind = ?1",
        [&kind],
    )
    .unwrap();
    assert_eq!(
        wallet.verify_licence(id.clone()).await.unwrap(),
        LicenceVerdict::Undetermined {
            reason: "status.unavailable".into(),
            list_age_secs: None
        }
    );
    db.execute(
        "UPDATE trust_documents SET kind = ?1 WHERE kind = 'set-aside'",
        [&kind],
    )
    .unwrap();

    // The same data directory opened with a policy that counts no list
    // older than a second: after two, the honest answer.
    fx.gov.shutdown();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let strict = palmgov::PalmGov::open(
        palmgov::PalmGovConfig {
            wallet: Some(palmgov::config::WalletConfig {
                status_max_age_secs: 1,
                ..palmgov_tests::test_wallet_config()
            }),
            data_dir: dir.to_string_lossy().into_owned(),
            server: palmgov::default_server_config("http://127.0.0.1:9/".into()),
            log_level: palmgov::LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(palmgov::default_identity_config(
                fx._provider.issuer.clone(),
                palmgov_tests::CLIENT_ID.into(),
                palmgov_tests::REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(palmgov::software::SoftwareKeystore::from_secret(&[5; 32]).unwrap()),
        Arc::new(palmgov::software::SoftwareAppLock::new(
            palmgov::AppLockOutcome::Unlocked,
        )),
        None,
    )
    .unwrap();
    palmgov_tests::unlock(&strict);
    match strict.wallet().verify_licence(id).await.unwrap() {
        LicenceVerdict::Undetermined {
            reason,
            list_age_secs,
        } => {
            assert_eq!(reason, "status.stale");
            assert!(list_age_secs.unwrap() >= 2);
        }
        other => panic!("{other:?}"),
    }
}

/// A resident whose phone is lost reports it from her new one: the old
/// phone's licences stop verifying (their status turns invalid), it gets
/// nothing more, and what it holds stays marked; the new phone's are
/// untouched. Each phone has its own holder key: nothing was copied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_phone_is_revoked_from_another_and_its_licences_stop_verifying() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let (old_dir, new_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let old = signed_in(old_dir.path(), &provider, &backend, "alice").await;
    let new = signed_in(new_dir.path(), &provider, &backend, "alice").await;
    old.wallet().refresh(None).await.unwrap();
    new.wallet().refresh(None).await.unwrap();
    let old_card = old.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    let new_card = new.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    assert_eq!(old_card, new_card, "the same licence, bound to two phones");

    let devices = new.wallet().devices(None).await.unwrap();
    assert_eq!(devices.len(), 2, "{devices:?}");
    assert_eq!(devices.iter().filter(|d| d.this_device).count(), 1);
    // A phone cannot report itself lost.
    let this = devices.iter().find(|d| d.this_device).unwrap();
    assert_eq!(
        new.wallet().revoke_device(this.key_id.clone(), None).await,
        Err(palmgov::PalmGovError::InvalidInput {
            field: "key_id (this device)".into()
        })
    );
    let lost = devices.iter().find(|d| !d.this_device).unwrap();
    new.wallet()
        .revoke_device(lost.key_id.clone(), None)
        .await
        .unwrap();
    assert_eq!(
        new.wallet().revoke_device(lost.key_id.clone(), None).await,
        Err(palmgov::PalmGovError::NotFound)
    );
    assert_eq!(
        new.wallet().revoke_device("../me".into(), None).await,
        Err(palmgov::PalmGovError::InvalidInput {
            field: "key_id".into()
        })
    );

    // The lost phone's licences turn revoked for anyone who checks (the
    // status lists are public, so even the lost phone sees it) ...
    old.wallet().refresh_status(None).await.unwrap();
    assert_eq!(
        old.wallet().verify_licence(old_card.clone()).await.unwrap(),
        LicenceVerdict::Revoked
    );
    new.wallet().refresh_status(None).await.unwrap();
    assert_eq!(
        new.wallet().verify_licence(new_card).await.unwrap(),
        LicenceVerdict::Valid
    );
    // ... and its session is refused everywhere, so whoever holds it can
    // neither fetch licences for a key of their own nor use the API.
    assert!(old.wallet().refresh(None).await.is_err());
    assert!(old.identity().check_backend_session(None).await.is_err());
    assert!(new.identity().check_backend_session(None).await.is_ok());
    // What it holds stays readable on it, for its owner if it is found.
    assert_eq!(old.wallet().licences("en".into()).await.unwrap().len(), 4);
    let devices = new.wallet().devices(None).await.unwrap();
    assert!(devices.iter().any(|d| d.revoked && !d.this_device));
}

/// The key id the backend bound this phone's licences to, for the account
/// signed in.
async fn this_phones_key(gov: &PalmGov) -> String {
    let devices = gov.wallet().devices(None).await.unwrap();
    let mine: Vec<_> = devices.iter().filter(|d| d.this_device).collect();
    assert_eq!(mine.len(), 1, "{devices:?}");
    mine[0].key_id.clone()
}

/// Two people on one phone (a grid worker and her husband) are not linked
/// by a holder key their licences share, and signing out deletes the
/// account's key with its licences: signing in again binds a new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_account_on_a_phone_has_its_own_holder_key_and_sign_out_deletes_it() {
    let fx = fixture("alice").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let alice = this_phones_key(&fx.gov).await;
    sign_in(&fx.gov, "bob").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let bob = this_phones_key(&fx.gov).await;
    assert_ne!(alice, bob, "one key per account, not per phone");

    fx.gov.identity().logout(None).await.unwrap();
    let accounts = fx.gov.identity().accounts().await.unwrap();
    assert_eq!(accounts.len(), 1, "Alice is still signed in");
    fx.gov
        .identity()
        .switch_account(accounts[0].session.account_id.clone())
        .await
        .unwrap();
    assert_eq!(this_phones_key(&fx.gov).await, alice, "hers is untouched");
    sign_in(&fx.gov, "bob").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let bob_again = this_phones_key(&fx.gov).await;
    assert_ne!(bob_again, bob, "his old key went with his sign-out");
    assert_ne!(bob_again, alice);
}

/// A person who lost their only phone calls the hotline, and the operator
/// revokes all of her phones at the backend: the lost phone's licences turn
/// Revoked and its session is refused. The new phone she signs in on
/// afterwards binds afresh and gets her licences.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_only_phone_is_revoked_at_the_backend_and_a_new_one_binds_afresh() {
    let fx = fixture("alice").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let card = fx.gov.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    let reply = dev_request(&fx.backend, "DELETE", "v1/dev/wallet/bindings/alice", "").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&reply).unwrap()["revoked"],
        1,
        "{reply}"
    );
    fx.gov.wallet().refresh_status(None).await.unwrap();
    assert_eq!(
        fx.gov.wallet().verify_licence(card.clone()).await.unwrap(),
        LicenceVerdict::Revoked
    );
    assert!(fx.gov.identity().check_backend_session(None).await.is_err());

    let dir = tempfile::tempdir().unwrap();
    let new = signed_in(dir.path(), &fx._provider, &fx.backend, "alice").await;
    assert_eq!(new.wallet().refresh(None).await.unwrap().fetched, 4);
    assert_eq!(
        new.wallet().verify_licence(card).await.unwrap(),
        LicenceVerdict::Valid
    );
}

/// Real wallets hold licences that lapse and licences an authority stops
/// issuing. Bob's social-security card lapsed last year: it reads Expired,
/// online and off. His household register moved to another county (迁出)
/// and is no longer issued here: it stays readable, marked no longer
/// refreshed (not "refresh due": that refresh can never come).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lapsed_licence_reads_expired_and_a_withdrawn_one_stays_marked() {
    let fx = fixture("bob").await;
    let wallet = fx.gov.wallet();
    wallet.refresh(None).await.unwrap();
    let list = wallet.licences("zh-Hans".into()).await.unwrap();
    let id_of = |kind: &str| {
        list.iter()
            .find(|l| l.licence_type == kind)
            .unwrap()
            .id
            .clone()
    };
    let (card, register) = (id_of("social_security_card"), id_of("household_register"));
    change(
        &fx.backend,
        serde_json::json!({"licence_id": card, "valid_until": "2025-06-30"}),
    )
    .await;
    change(
        &fx.backend,
        serde_json::json!({"licence_id": register, "withdrawn": true}),
    )
    .await;

    let report = wallet.refresh(None).await.unwrap();
    assert_eq!((report.fetched, report.kept), (3, 1), "{report:?}");
    let list = wallet.licences("zh-Hans".into()).await.unwrap();
    assert_eq!(list.len(), 4, "nothing dropped");
    let lapsed = list.iter().find(|l| l.id == card).unwrap();
    assert_eq!(lapsed.valid_until, "2025-06-30");
    assert_eq!(lapsed.verdict, LicenceVerdict::Expired);
    assert_eq!(
        wallet.verify_licence(card.clone()).await.unwrap(),
        LicenceVerdict::Expired
    );
    let moved = list.iter().find(|l| l.id == register).unwrap();
    assert_eq!(moved.freshness, LicenceFreshness::NoLongerRefreshed);
    assert_eq!(
        wallet.verify_licence(register.clone()).await.unwrap(),
        LicenceVerdict::Valid,
        "what it said when issued still verifies"
    );
    assert_eq!(
        claim(
            &wallet.licence(register.clone(), "en".into()).await.unwrap(),
            "relation_to_head"
        ),
        "户主"
    );

    // Offline after a restart, the same answers.
    let dir = fx.dir.path().to_path_buf();
    fx.gov.shutdown();
    drop(fx.backend);
    let gov = palmgov_tests::open_core(&dir, &fx._provider.issuer, "http://127.0.0.1:9/");
    gov.unlock("test".into()).await.unwrap();
    assert_eq!(
        gov.wallet().verify_licence(card).await.unwrap(),
        LicenceVerdict::Expired
    );
    let list = gov.wallet().licences("en".into()).await.unwrap();
    let moved = list.iter().find(|l| l.id == register).unwrap();
    assert_eq!(moved.freshness, LicenceFreshness::NoLongerRefreshed);
}

/// A phone's first run with the backend's trust documents out of reach (a
/// CDN outage, a network that blocks them): the trust list shipped in the
/// app lets it check, and so keep, the licences it fetches. Without one,
/// nothing it cannot check is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trust_list_shipped_with_the_app_serves_until_one_can_be_fetched() {
    let provider = TestProvider::start(600);
    let rule: Rule = Arc::new(|request: &[u8]| {
        if request.starts_with(b"GET /v1/wallet/trust-list")
            || request.starts_with(b"GET /v1/wallet/roots")
        {
            Fault::DropBefore
        } else {
            Fault::None
        }
    });
    let (backend, proxy) =
        backend_behind_proxy(&provider, ServerOptions::default(), |listener, upstream| {
            FaultProxy::start_with_rule(listener, upstream, Duration::from_secs(1), rule)
        })
        .await;
    // What the app's build fetched and shipped, straight from the backend.
    let shipped = http(
        "GET",
        &format!("{}v1/wallet/trust-list", backend.base_url()),
        "",
        &[],
    )
    .await;
    let version = {
        use base64::Engine;
        let wire: serde_json::Value = serde_json::from_str(&shipped).unwrap();
        let signed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(wire["signed"].as_str().unwrap())
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&signed).unwrap()["version"]
            .as_u64()
            .unwrap()
    };

    let dir = tempfile::tempdir().unwrap();
    let bare = open_core_with(
        dir.path(),
        &provider.issuer,
        default_server_config(proxy.base_url()),
    );
    sign_in(&bare, "alice").await;
    assert!(bare.wallet().refresh(None).await.is_err());
    assert!(
        bare.wallet()
            .licences("en".into())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(bare.wallet().trust_list().await.unwrap(), None);

    let dir = tempfile::tempdir().unwrap();
    let gov = open_core_with_wallet(
        dir.path(),
        &provider.issuer,
        default_server_config(proxy.base_url()),
        palmgov::config::WalletConfig {
            bundled_trust_list: Some(shipped),
            ..test_wallet_config()
        },
    );
    sign_in(&gov, "alice").await;
    let report = gov.wallet().refresh(None).await.unwrap();
    assert_eq!((report.fetched, report.refused), (4, 0), "{report:?}");
    let list = gov.wallet().licences("en".into()).await.unwrap();
    assert!(
        list.iter().all(|l| l.verdict == LicenceVerdict::Valid),
        "{:?}",
        list.iter().map(|l| &l.verdict).collect::<Vec<_>>()
    );
    let trust = gov.wallet().trust_list().await.unwrap().unwrap();
    assert_eq!(trust.version, version);
    assert!(!trust.stale);
    assert!(
        proxy.injected() > 0,
        "the trust documents were asked for, and blocked"
    );
}

/// 亮证 at a counter with no network on either side: Alice shows her ID
/// card as "name and over 18"; the clerk's phone (a second core, signed in
/// as nobody, with the trust list and status lists fetched earlier)
/// checks it offline and sees exactly that; the same code scanned again is
/// refused, after a restart of the clerk's app too; a suspension reaches
/// the clerk with the next status refresh; and Alice can read what she
/// showed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licence_shown_as_a_qr_code_is_checked_offline_once() {
    let fx = fixture("alice").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let card = licence_of_type(&fx.gov, "id_card").await;
    let clerk_dir = tempfile::tempdir().unwrap();
    let clerk = verifier_core(&fx, clerk_dir.path()).await;
    clerk.wallet().refresh_status(None).await.unwrap();

    let showing = show(&fx.gov, &card.id, DisclosureProfile::NameAndAgeOver18).await;
    let code = showing.code().await.unwrap();
    assert!(code.payload.starts_with("PG1:"));
    assert!(code.version <= 20, "version {}", code.version);
    assert_eq!(code.modules.len(), (code.width * code.width) as usize);
    assert_eq!(code.claims, ["name", "age_over_18"]);
    assert_eq!(code.expires_at_ms - code.made_at_ms, 60_000);

    let check = clerk
        .wallet()
        .check_presentation(code.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(check.verdict, LicenceVerdict::Valid);
    assert_eq!(check.display_name, "居民身份证");
    let shown: Vec<(&str, &str)> = check
        .claims
        .iter()
        .map(|c| (c.name.as_str(), c.value_json.as_str()))
        .collect();
    assert_eq!(shown, [("name", "\"陈丽华\""), ("age_over_18", "true")]);

    // The same code again: a photo of the screen, a relay.
    let again = clerk
        .wallet()
        .check_presentation(code.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(
        again.verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.replayed".into()
        }
    );
    assert!(again.claims.is_empty(), "a refused code shows nothing");
    clerk.shutdown();
    let clerk = verifier_core(&fx, clerk_dir.path()).await;
    assert_eq!(
        clerk
            .wallet()
            .check_presentation(code.payload.clone(), "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.replayed".into()
        },
        "still refused after a restart"
    );
    // Each code is a new presentation; a tampered one is refused.
    let next = showing.code().await.unwrap();
    assert_ne!(next.payload, code.payload);
    let mut tampered = next.payload.clone();
    tampered.replace_range(40..41, if &tampered[40..41] == "A" { "B" } else { "A" });
    assert!(matches!(
        clerk
            .wallet()
            .check_presentation(tampered, "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid { .. }
    ));

    // A suspension reaches the clerk with the next status refresh.
    set_status(&fx.backend, &card.id, "suspended").await;
    clerk.wallet().refresh_status(None).await.unwrap();
    let code = showing.code().await.unwrap();
    assert_eq!(
        clerk
            .wallet()
            .check_presentation(code.payload, "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Suspended
    );

    // "Full" needs an explicit confirmation; the ID number is only in
    // "household visit" and "full".
    assert_eq!(
        fx.gov
            .wallet()
            .show_licence(
                card.id.clone(),
                DisclosureProfile::Full,
                false,
                "亮证".into()
            )
            .await
            .err(),
        Some(palmgov::PalmGovError::InvalidInput {
            field: "confirm_full".into()
        })
    );
    let visit = show(&fx.gov, &card.id, DisclosureProfile::HouseholdVisit).await;
    let code = visit.code().await.unwrap();
    assert_eq!(code.claims, ["name", "id_number", "address"]);
    assert!(code.version <= 20);
    let full = fx
        .gov
        .wallet()
        .show_licence(
            card.id.clone(),
            DisclosureProfile::Full,
            true,
            "亮证".into(),
        )
        .await
        .unwrap();
    let code = full.code().await.unwrap();
    assert!(code.version <= 20, "version {}", code.version);
    assert!(!code.claims.iter().any(|c| c == "age_over_18"));

    let history = fx.gov.wallet().history().await.unwrap();
    assert_eq!(history.len(), 3, "one record per showing, not per code");
    assert_eq!(history[2].profile, DisclosureProfile::NameAndAgeOver18);
    assert_eq!(history[2].licence_id, card.id);
    assert_eq!(history[2].claims, ["name", "age_over_18"]);
    assert_eq!(history[0].profile, DisclosureProfile::Full);
}

/// Two-way 亮证 at a service hall's kiosk: the kiosk shows a request QR
/// signed by its key on the region's trust list, asking for a name and the
/// last four digits of the ID number. Alice's phone reads who asks and for
/// what, and answers with exactly that; the kiosk accepts it once. The same
/// answer is refused by a clerk scanning codes one-way (it was made for the
/// kiosk: a relay), and by another request of the kiosk's (another nonce);
/// a request signed by a key the trust list does not name is refused on
/// the phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_asks_with_a_signed_request_and_only_its_answer_counts() {
    let fx = fixture("alice").await;
    let kiosk_dir = tempfile::tempdir().unwrap();
    let kiosk = verifier_core(&fx, kiosk_dir.path()).await;
    register_kiosk(&fx.backend, &kiosk).await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let card = licence_of_type(&fx.gov, "id_card").await;

    let asks = vec!["name".to_string(), "id_number_last4".to_string()];
    let request = kiosk
        .wallet()
        .open_request(HALL.into(), asks.clone())
        .await
        .unwrap();
    let shown = request.qr();
    assert!(shown.payload.starts_with("PGR1:") && shown.version <= 20);
    let read = fx
        .gov
        .wallet()
        .read_request(shown.payload.clone())
        .await
        .unwrap();
    assert_eq!(read.verifier_name, "西湖区行政服务中心");
    assert_eq!(read.asks, asks);
    let answer = fx
        .gov
        .wallet()
        .show_licence_for(card.id.clone(), shown.payload.clone(), "亮证".into())
        .await
        .unwrap()
        .code()
        .await
        .unwrap();
    assert_eq!(answer.claims, asks);

    // Another request of the kiosk's, and a clerk scanning one-way: both
    // refuse the answer made for the first request.
    let other = kiosk
        .wallet()
        .open_request(HALL.into(), asks.clone())
        .await
        .unwrap();
    assert_eq!(
        other
            .check(answer.payload.clone(), "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.wrong_nonce".into()
        }
    );
    assert_eq!(
        kiosk
            .wallet()
            .check_presentation(answer.payload.clone(), "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.unexpected_request".into()
        }
    );
    let check = request
        .check(answer.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(check.verdict, LicenceVerdict::Valid);
    let got: Vec<(&str, &str)> = check
        .claims
        .iter()
        .map(|c| (c.name.as_str(), c.value_json.as_str()))
        .collect();
    assert_eq!(
        got,
        [("name", "\"陈丽华\""), ("id_number_last4", "\"0221\"")]
    );
    assert_eq!(
        request
            .check(answer.payload, "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.replayed".into()
        }
    );
    let history = fx.gov.wallet().history().await.unwrap();
    assert_eq!(history[0].verifier.as_deref(), Some("西湖区行政服务中心"));
    assert_eq!(history[0].profile, DisclosureProfile::AsRequested);

    // A kiosk the trust list does not name, and items the kiosk may not ask.
    assert!(matches!(
        kiosk
            .wallet()
            .open_request("urn:palmgov:verifier:elsewhere".into(), asks.clone())
            .await,
        Err(palmgov::PalmGovError::LicenceRefused { reason }) if reason == "verifier.not_on_trust_list"
    ));
    assert!(matches!(
        kiosk
            .wallet()
            .open_request(HALL.into(), vec!["id_number".into()])
            .await,
        Err(palmgov::PalmGovError::LicenceRefused { reason }) if reason == "verifier.asks_not_allowed"
    ));
    // A request QR made by a key the trust list does not name.
    let stranger_dir = tempfile::tempdir().unwrap();
    let stranger = verifier_core(&fx, stranger_dir.path()).await;
    stranger.wallet().refresh_status(None).await.unwrap();
    assert!(matches!(
        stranger.wallet().open_request(HALL.into(), asks).await,
        Err(palmgov::PalmGovError::LicenceRefused { reason }) if reason == "verifier.not_on_trust_list"
    ));
    assert!(matches!(
        fx.gov.wallet().read_request("PGR1:ABC".into()).await,
        Err(palmgov::PalmGovError::LicenceRefused { .. })
    ));
}

/// A request left on the kiosk's screen past its five minutes: the answer
/// the phone makes then is refused, and the kiosk asks again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_to_a_request_left_on_screen_too_long_is_refused() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let clock = Arc::new(palmgov_tests::clock::Movable::default());
    let (resident_dir, kiosk_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let resident = palmgov_tests::open_core_clocked(
        resident_dir.path(),
        &provider.issuer,
        &backend.base_url(),
        clock.clone(),
    );
    sign_in(&resident, "alice").await;
    let kiosk = palmgov_tests::open_core_clocked(
        kiosk_dir.path(),
        &provider.issuer,
        &backend.base_url(),
        clock.clone(),
    );
    kiosk.unlock("test".into()).await.unwrap();
    register_kiosk(&backend, &kiosk).await;
    resident.wallet().refresh(None).await.unwrap();
    let card = resident.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    let asks = vec!["name".to_string()];
    let request = kiosk
        .wallet()
        .open_request(HALL.into(), asks)
        .await
        .unwrap();
    let showing = resident
        .wallet()
        .show_licence_for(card, request.qr().payload, "亮证".into())
        .await
        .unwrap();
    let first = showing.code().await.unwrap();
    // Five minutes and a half on the kiosk's screen: both phones' clocks
    // move, and both apps lock meanwhile.
    clock.pass(330 + 5);
    resident.unlock("test".into()).await.unwrap();
    kiosk.unlock("test".into()).await.unwrap();
    let late = showing.code().await.unwrap();
    assert_ne!(late.payload, first.payload, "a fresh code, made now");
    assert_eq!(
        request
            .check(late.payload, "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "presentation.request_expired".into()
        }
    );
}

/// A presentation too large for a readable code (a company's business
/// licence shown in full: its name, address, capital…) is never printed as
/// an unreadable code: the phone has the backend hold it, and the code
/// carries only a short reference that a clerk's phone with a network
/// resolves, once, and checks as it would an offline code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licence_too_large_for_a_code_is_shown_online_by_reference() {
    let fx = fixture("org-zhang").await;
    fx.gov.wallet().refresh(None).await.unwrap();
    let licence = fx.gov.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    let clerk_dir = tempfile::tempdir().unwrap();
    let clerk = verifier_core(&fx, clerk_dir.path()).await;
    clerk.wallet().refresh_status(None).await.unwrap();

    let code = fx
        .gov
        .wallet()
        .show_licence(licence, DisclosureProfile::Full, true, "亮证".into())
        .await
        .unwrap()
        .code()
        .await
        .unwrap();
    assert!(code.online, "{} characters", code.payload.len());
    assert!(code.payload.starts_with("PGO1:"));
    assert!(
        code.version <= 3,
        "a reference is a small code: {}",
        code.version
    );
    assert!(code.claims.iter().any(|c| c == "company_name"));

    let check = clerk
        .wallet()
        .check_presentation(code.payload.clone(), "zh-Hans".into())
        .await
        .unwrap();
    assert_eq!(check.verdict, LicenceVerdict::Valid);
    assert_eq!(check.display_name, "营业执照");
    let company = check
        .claims
        .iter()
        .find(|c| c.name == "company_name")
        .unwrap();
    assert_eq!(company.value_json, "\"西湖示例科技有限公司\"");
    // Given out once: the same code again finds nothing.
    assert_eq!(
        clerk
            .wallet()
            .check_presentation(code.payload, "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "online.unknown_reference".into()
        }
    );
    assert_eq!(
        clerk
            .wallet()
            .check_presentation("PGO1:not-a-reference".into(), "en".into())
            .await
            .unwrap()
            .verdict,
        LicenceVerdict::Invalid {
            reason: "online.bad_reference".into()
        }
    );
}

/// The region rotates its trust roots: an app that pins the old ones
/// catches up through the root document signed by two old keys and two new,
/// then takes the trust list the new keys signed; the chain is replayed
/// from the pinned keys at every use, so a reopened app still trusts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_pinned_to_the_old_roots_follows_a_rotation() {
    let provider = TestProvider::start(600);
    let backend = backend(
        &provider,
        ServerOptions {
            wallet: palmgov_server::wallet::WalletOptions {
                rotated_root: true,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, "alice").await;
    let report = gov.wallet().refresh(None).await.unwrap();
    assert_eq!((report.fetched, report.refused), (4, 0), "{report:?}");
    let id = gov.wallet().licences("en".into()).await.unwrap()[0]
        .id
        .clone();
    assert_eq!(
        gov.wallet().verify_licence(id.clone()).await.unwrap(),
        LicenceVerdict::Valid
    );
    // Reopened, offline: the stored root chain is replayed from the pins.
    gov.shutdown();
    drop(backend);
    let again = palmgov_tests::open_core(dir.path(), &provider.issuer, "http://127.0.0.1:9/");
    palmgov_tests::unlock(&again);
    assert_eq!(
        again.wallet().verify_licence(id).await.unwrap(),
        LicenceVerdict::Valid
    );
}
