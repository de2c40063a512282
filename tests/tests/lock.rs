//! The app lock locks: every export the README's table marks as gated
//! refuses with `Locked` until the lock is passed, and the test checks its
//! own list against that table, so a new export cannot slip past either.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, dev_face_capture};
use palmgov::{
    AppLockOutcome, DraftSubject, FaceConsent, LogLevel, NewHousehold, PalmGov, PalmGovConfig,
    PalmGovError, default_identity_config, default_server_config,
};

type Call = Pin<Box<dyn Future<Output = Result<(), PalmGovError>> + Send>>;

fn erase<T, F>(f: F) -> Call
where
    F: Future<Output = Result<T, PalmGovError>> + Send + 'static,
{
    Box::pin(async move { f.await.map(|_| ()) })
}

/// Every gated export, called on `gov` with plausible arguments.
fn gated(gov: &Arc<PalmGov>) -> Vec<(&'static str, Call)> {
    let (id, f, d, o, r, s) = (
        gov.identity(),
        gov.face(),
        gov.drafts(),
        gov.outbox(),
        gov.roster(),
        gov.secure_store(),
    );
    let w = gov.wallet();
    let services = gov.services();
    let en = || "en".to_string();
    vec![
        (
            "needs",
            erase({
                let h = services.clone();
                async move { h.needs("330A0101000000".into(), en(), None).await }
            }),
        ),
        (
            "session",
            erase({
                let h = id.clone();
                async move { h.session().await }
            }),
        ),
        (
            "refresh_session",
            erase({
                let h = id.clone();
                async move { h.refresh_session(false, None).await }
            }),
        ),
        (
            "logout",
            erase({
                let h = id.clone();
                async move { h.logout(None).await }
            }),
        ),
        (
            "accounts",
            erase({
                let h = id.clone();
                async move { h.accounts().await }
            }),
        ),
        (
            "switch_account",
            erase({
                let h = id.clone();
                async move { h.switch_account("a".into()).await }
            }),
        ),
        (
            "require_level",
            erase({
                let h = id.clone();
                async move { h.require_level(4).await }
            }),
        ),
        (
            "record_consent",
            erase({
                let h = f.clone();
                async move {
                    h.record_consent(FaceConsent {
                        version: "v1".into(),
                        guardian: None,
                    })
                    .await
                }
            }),
        ),
        (
            "consent",
            erase({
                let h = f.clone();
                async move { h.consent().await }
            }),
        ),
        (
            "withdraw_consent",
            erase({
                let h = f.clone();
                async move { h.withdraw_consent().await }
            }),
        ),
        (
            "step_up",
            erase({
                let h = f.clone();
                async move {
                    h.step_up(vec!["apply-1".into()], dev_face_capture(None), None)
                        .await
                }
            }),
        ),
        (
            "create_draft",
            erase({
                let h = d.clone();
                async move {
                    h.create_draft(
                        "household-visit".into(),
                        None,
                        DraftSubject::default(),
                        480,
                        en(),
                    )
                    .await
                }
            }),
        ),
        (
            "save_answer",
            erase({
                let h = d.clone();
                async move {
                    h.save_answer("d".into(), "p".into(), "1".into(), en())
                        .await
                }
            }),
        ),
        (
            "add_repeat_instance",
            erase({
                let h = d.clone();
                async move {
                    h.add_repeat_instance("d".into(), "members".into(), en())
                        .await
                }
            }),
        ),
        (
            "remove_repeat_instance",
            erase({
                let h = d.clone();
                async move {
                    h.remove_repeat_instance("d".into(), "members".into(), "i".into(), en())
                        .await
                }
            }),
        ),
        (
            "open_draft",
            erase({
                let h = d.clone();
                async move { h.open_draft("d".into(), en()).await }
            }),
        ),
        (
            "list_drafts",
            erase({
                let h = d.clone();
                async move { h.list_drafts(en()).await }
            }),
        ),
        (
            "search_drafts",
            erase({
                let h = d.clone();
                async move { h.search_drafts("张".into(), en()).await }
            }),
        ),
        (
            "delete_draft",
            erase({
                let h = d.clone();
                async move { h.delete_draft("d".into()).await }
            }),
        ),
        (
            "finalize_draft",
            erase({
                let h = d.clone();
                async move { h.finalize_draft("d".into(), en()).await }
            }),
        ),
        (
            "migrate_draft",
            erase({
                let h = d.clone();
                async move { h.migrate_draft("d".into(), 2).await }
            }),
        ),
        (
            "edit_submitted",
            erase({
                let h = d.clone();
                async move { h.edit_submitted("d".into(), en()).await }
            }),
        ),
        (
            "register_attachment",
            erase({
                let h = d.clone();
                async move { h.register_attachment("d".into(), "door_photo".into()).await }
            }),
        ),
        (
            "ingest_attachment",
            erase({
                let h = d.clone();
                async move { h.ingest_attachment("a".into(), None, en()).await }
            }),
        ),
        (
            "remove_attachment",
            erase({
                let h = d.clone();
                async move { h.remove_attachment("a".into(), en()).await }
            }),
        ),
        (
            "attachment_bytes",
            erase({
                let h = d.clone();
                async move { h.attachment_bytes("a".into()).await }
            }),
        ),
        (
            "licence_offer",
            erase({
                let h = d.clone();
                async move { h.licence_offer("a".into(), "f".into(), en()).await }
            }),
        ),
        (
            "attach_licence",
            erase({
                let h = d.clone();
                async move {
                    h.attach_licence("a".into(), "f".into(), "l".into(), en())
                        .await
                }
            }),
        ),
        (
            "prefill_from_licence_code",
            erase({
                let h = d.clone();
                async move {
                    h.prefill_from_licence_code("a".into(), "PG1:X".into(), en())
                        .await
                }
            }),
        ),
        (
            "submissions",
            erase({
                let h = o.clone();
                async move { h.submissions().await }
            }),
        ),
        (
            "discard_submission",
            erase({
                let h = o.clone();
                async move { h.discard_submission("i".into()).await }
            }),
        ),
        (
            "applications",
            erase({
                let h = o.clone();
                async move { h.applications().await }
            }),
        ),
        (
            "refresh_applications",
            erase({
                let h = o.clone();
                async move { h.refresh_applications(None).await }
            }),
        ),
        (
            "roster",
            erase({
                let h = r.clone();
                async move { h.roster().await }
            }),
        ),
        (
            "refresh_roster",
            erase({
                let h = r.clone();
                async move { h.refresh_roster(None).await }
            }),
        ),
        (
            "add_household",
            erase({
                let h = r.clone();
                async move {
                    h.add_household(NewHousehold {
                        head_name: "王秀英".into(),
                        address: String::new(),
                        division: "330106001001".into(),
                    })
                    .await
                }
            }),
        ),
        (
            "put",
            erase({
                let h = s.clone();
                async move { h.put("prefs".into(), "k".into(), vec![1]).await }
            }),
        ),
        (
            "get",
            erase({
                let h = s.clone();
                async move { h.get("prefs".into(), "k".into()).await }
            }),
        ),
        (
            "list",
            erase({
                let h = s.clone();
                async move { h.list("prefs".into()).await }
            }),
        ),
        (
            "delete",
            erase({
                let h = s.clone();
                async move { h.delete("prefs".into(), "k".into()).await }
            }),
        ),
        (
            "file_import",
            erase({
                let h = s.clone();
                async move {
                    h.file_import("scan.jpg".into(), "/nonexistent".into(), false)
                        .await
                }
            }),
        ),
        (
            "file_read",
            erase({
                let h = s.clone();
                async move { h.file_read("scan.jpg".into()).await }
            }),
        ),
        (
            "file_delete",
            erase({
                let h = s.clone();
                async move { h.file_delete("scan.jpg".into()).await }
            }),
        ),
        (
            "licences",
            erase({
                let h = w.clone();
                async move { h.licences(en()).await }
            }),
        ),
        (
            "licence",
            erase({
                let h = w.clone();
                async move { h.licence(LICENCE.into(), en()).await }
            }),
        ),
        (
            "verify_licence",
            erase({
                let h = w.clone();
                async move { h.verify_licence(LICENCE.into()).await }
            }),
        ),
        (
            "devices",
            erase({
                let h = w.clone();
                async move { h.devices(None).await }
            }),
        ),
        (
            "revoke_device",
            erase({
                let h = w.clone();
                async move { h.revoke_device("lost-phone-key".into(), None).await }
            }),
        ),
        (
            "history",
            erase({
                let h = w.clone();
                async move { h.history().await }
            }),
        ),
        (
            "check_presentation",
            erase({
                let h = w.clone();
                async move { h.check_presentation("PG1:0".into(), en()).await }
            }),
        ),
        (
            "open_request",
            erase({
                let h = w.clone();
                async move {
                    h.open_request("urn:palmgov:verifier:x".into(), vec!["name".into()])
                        .await
                }
            }),
        ),
    ]
}

/// A licence identifier with a valid check character.
const LICENCE: &str = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U";

/// A browser that ignores the sign-in it is asked to show and delivers a
/// callback it was given: another app answering the redirect scheme.
struct Delivers(String);

impl palmgov::Browser for Delivers {
    fn authorize(&self, _url: String, _redirect: String) -> Result<String, palmgov::HookError> {
        Ok(self.0.clone())
    }
}

/// A core over `dir` signed in through `issuer` (no backend), behind `lock`.
fn open(dir: &std::path::Path, issuer: &str, lock: SoftwareAppLock) -> Arc<PalmGov> {
    PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.to_string_lossy().into_owned(),
            server: default_server_config("http://127.0.0.1:9/".into()),
            log_level: LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(default_identity_config(
                issuer.into(),
                palmgov_tests::CLIENT_ID.into(),
                palmgov_tests::REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[6; 32]).unwrap()),
        Arc::new(lock),
        None,
    )
    .unwrap()
}

/// The exports the README's table marks gated.
fn gated_in_readme() -> BTreeSet<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let table = &readme[readme
        .find("| Export | Handle | Gated |")
        .expect("the exports table")..];
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.trim_end().ends_with("| **yes** |"))
        .flat_map(|l| {
            l.split('|')
                .nth(1)
                .unwrap()
                .split(',')
                .map(|name| {
                    name.trim()
                        .trim_matches('`')
                        .split_whitespace()
                        .next()
                        .unwrap()
                        .trim_matches('`')
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_gated_export_refuses_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    let gov = open(
        dir.path(),
        "http://127.0.0.1:9",
        SoftwareAppLock::new(AppLockOutcome::Unlocked),
    );
    let calls = gated(&gov);
    let names: BTreeSet<String> = calls.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        names,
        gated_in_readme(),
        "the README's gated rows and this walk differ"
    );
    for (name, call) in calls {
        assert_eq!(
            call.await,
            Err(PalmGovError::Locked),
            "{name} answered while locked"
        );
    }
    // Past the lock they answer (with whatever an empty, signed-out core
    // has to say), then refuse again once it locks.
    gov.unlock("test".into()).await.unwrap();
    for (name, call) in gated(&gov) {
        assert_ne!(
            call.await,
            Err(PalmGovError::Locked),
            "{name} is locked while unlocked"
        );
    }
    gov.lock().unwrap();
    for (name, call) in gated(&gov) {
        assert_eq!(
            call.await,
            Err(PalmGovError::Locked),
            "{name} answered after lock()"
        );
    }
}

/// A phone with no screen lock: nothing personal until an app PIN is set,
/// the PIN then unlocks, and only the person who set it can reset it by
/// signing in again; another person's sign-in is refused and not kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_without_a_screen_lock_gets_an_app_pin_only_its_owner_resets() {
    use palmgov::LockMethod;
    use palmgov::software::dev_browser;
    use palmgov_tests::TestProvider;

    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let gov = open(
        dir.path(),
        &provider.issuer,
        SoftwareAppLock::without_screen_lock(),
    );
    // Signing in is how a person gets in; what it shows is not.
    let me = gov
        .identity()
        .login(Default::default(), dev_browser("grid-9".into(), None), None)
        .await
        .unwrap();
    let status = gov.lock_status().await.unwrap();
    assert_eq!(
        (status.unlocked, status.method),
        (false, LockMethod::AppPinNotSet)
    );
    assert_eq!(gov.identity().session().await, Err(PalmGovError::Locked));
    assert_eq!(gov.unlock("t".into()).await, Err(PalmGovError::PinRequired));

    gov.set_app_pin("285714".into()).await.unwrap();
    assert_eq!(
        gov.identity().session().await.unwrap().account_id,
        me.account_id
    );
    gov.lock().unwrap();
    assert_eq!(gov.identity().session().await, Err(PalmGovError::Locked));
    assert_eq!(
        gov.unlock_with_pin("000001".into()).await,
        Err(PalmGovError::WrongPin {
            retry_after_secs: 0
        })
    );

    // Someone else signs in to reset it: refused, and nothing of theirs kept.
    assert_eq!(
        gov.recover_app_pin(dev_browser("grid-7".into(), None), None)
            .await
            .err(),
        Some(PalmGovError::PinRecoveryRefused)
    );
    assert_eq!(gov.lock_status().await.unwrap().method, LockMethod::AppPin);
    // Nor can someone start a sign-in of their own and have its callback
    // delivered to the reset (a custom scheme any app can answer on).
    let theirs = gov
        .identity()
        .begin_login(Default::default(), None)
        .await
        .unwrap();
    let callback = dev_browser("grid-7".into(), None)
        .authorize(theirs.url, theirs.redirect_uri)
        .unwrap();
    assert_eq!(
        gov.recover_app_pin(Arc::new(Delivers(callback)), None)
            .await
            .err(),
        Some(PalmGovError::PinRecoveryRefused)
    );
    assert_eq!(gov.lock_status().await.unwrap().method, LockMethod::AppPin);
    gov.unlock_with_pin("285714".into()).await.unwrap();
    let accounts = gov.identity().accounts().await.unwrap();
    assert_eq!(accounts.len(), 1, "the other person's sign-in was not kept");
    assert_eq!(accounts[0].session.account_id, me.account_id);

    // The owner signs in again: the PIN is gone and the app unlocked; they
    // choose a new one.
    gov.lock().unwrap();
    let again = gov
        .recover_app_pin(dev_browser("grid-9".into(), None), None)
        .await
        .unwrap();
    assert_eq!(again.account_id, me.account_id);
    let status = gov.lock_status().await.unwrap();
    assert_eq!(
        (status.unlocked, status.method),
        (true, LockMethod::AppPinNotSet)
    );
    gov.set_app_pin("902104".into()).await.unwrap();
    gov.lock().unwrap();
    gov.unlock_with_pin("902104".into()).await.unwrap();
}
