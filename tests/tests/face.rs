//! Face step-up end to end: the real provider for sign-in, the reference
//! backend for challenge and verdict, and the software capture hook, whose
//! camera frames (1280×960, EXIF orientation 6, a fake GPS block) the backend
//! refuses unless the core prepared them.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use palmgov::software::{DevFaceCapture, dev_browser};
use palmgov::{
    CancelToken, FaceCapture, FaceCaptureResult, FaceChallenge, FaceConsent, GuardianConsent,
    HookError, LoginOptions, PalmGov, PalmGovError, StepUpMethod,
};
use palmgov_server::{FaceOptions, RunningServer, ServerOptions};
use palmgov_tests::disk::Snapshot;
use palmgov_tests::forms::{finalized, id_number_of, own_draft, photograph, save, sync};
use palmgov_tests::{TestProvider, backend, backend_at, signed_in};

/// A provider, a backend with `face` options, and a core signed in as `user`.
struct Fixture {
    gov: Arc<PalmGov>,
    dir: tempfile::TempDir,
    // Dropped last: they stop when dropped.
    _backend: RunningServer,
    _provider: TestProvider,
}

async fn fixture(user: &str, face: FaceOptions) -> Fixture {
    let provider = TestProvider::start(600);
    let backend = backend(
        &provider,
        ServerOptions {
            face,
            ..Default::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend, user).await;
    Fixture {
        gov,
        dir,
        _backend: backend,
        _provider: provider,
    }
}

fn consent() -> FaceConsent {
    FaceConsent {
        version: "face-2026-01".into(),
        guardian: None,
    }
}

fn token(t: &str) -> Arc<dyn FaceCapture> {
    Arc::new(DevFaceCapture::new(Some(t.into())))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_raise_the_level_on_the_device_and_the_backend_for_a_bounded_time() {
    let ttl = Duration::from_secs(3);
    let fx = fixture(
        "alice",
        FaceOptions {
            verdict_ttl: ttl,
            ..Default::default()
        },
    )
    .await;
    let gov = &fx.gov;

    assert_eq!(
        gov.identity().require_level(4).await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
    assert_eq!(
        gov.identity()
            .check_backend_level(4, Some("apply-1".into()), None)
            .await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
    assert_eq!(
        gov.identity().step_up_methods(4).unwrap(),
        [StepUpMethod::Face, StepUpMethod::Provider]
    );
    assert_eq!(
        gov.identity().step_up_methods(5).unwrap(),
        [StepUpMethod::Provider]
    );

    // No consent yet: refused before any camera opens.
    let camera = Arc::new(DevFaceCapture::new(None));
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], camera.clone(), None)
            .await,
        Err(PalmGovError::ConsentRequired { guardian: false })
    );
    assert_eq!(camera.captures.load(Ordering::SeqCst), 0);

    gov.face().record_consent(consent()).await.unwrap();
    let before = Snapshot::take(fx.dir.path());
    let verdict = gov
        .face()
        .step_up(vec!["apply-1".into()], camera.clone(), None)
        .await
        .unwrap();
    assert_eq!(verdict.level, 4);
    assert_eq!(camera.captures.load(Ordering::SeqCst), 1);
    // Frames never reach the disk, not even encrypted: the step-up writes
    // no file and no row (the verdict is held in memory). Counted, so a
    // frame written anywhere, sealed or not, fails this.
    let written = Snapshot::take(fx.dir.path()).written_since(&before);
    assert!(
        written.files.is_empty(),
        "files written: {:?}",
        written.files
    );
    assert!(written.rows.is_empty(), "rows written: {:?}", written.rows);
    let session = gov.identity().session().await.unwrap();
    assert_eq!(session.level, 4);
    assert_eq!(session.face_verified_until_ms, Some(verdict.valid_until_ms));
    gov.identity().require_level(4).await.unwrap();
    assert_eq!(
        gov.identity().require_level(5).await,
        Err(PalmGovError::LevelRequired { level: 5 })
    );
    // The backend's own record decides for backend operations.
    let backend_level = gov
        .identity()
        .check_backend_level(4, Some("apply-1".into()), None)
        .await
        .unwrap();
    assert_eq!(backend_level.level, 4);
    assert!(backend_level.face_verified_until_ms.is_some());
    // For the operation it names only: not for another, not for none.
    for other in [Some("apply-2".to_string()), None] {
        assert_eq!(
            gov.identity().check_backend_level(4, other, None).await,
            Err(PalmGovError::LevelRequired { level: 4 })
        );
    }
    let me = gov.identity().check_backend_session(None).await.unwrap();
    assert_eq!(me.level, 3, "a verdict never raises the whole account");

    // And nothing of a frame in clear in any file, the database included.
    for path in palmgov_tests::disk::every_file(fx.dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        for needle in [&b"JFIF"[..], b"GPS-SECRET"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{path:?}"
            );
        }
    }

    // The verdict lapses on both sides.
    tokio::time::sleep(ttl + Duration::from_millis(300)).await;
    assert_eq!(
        gov.identity().require_level(4).await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
    assert_eq!(
        gov.identity()
            .session()
            .await
            .unwrap()
            .face_verified_until_ms,
        None
    );
    assert_eq!(
        gov.identity()
            .check_backend_level(4, Some("apply-1".into()), None)
            .await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );

    // Withdrawing consent stops further face checks; logout forgets it.
    assert!(gov.face().withdraw_consent().await.unwrap());
    assert_eq!(gov.face().consent().await.unwrap(), None);
    gov.face().record_consent(consent()).await.unwrap();
    gov.identity().logout(None).await.unwrap();
    gov.identity()
        .login(
            LoginOptions::default(),
            dev_browser("alice".into(), None),
            None,
        )
        .await
        .unwrap();
    assert_eq!(gov.face().consent().await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_attempts_count_down_and_the_provider_remains_an_alternative() {
    let fx = fixture("bob", FaceOptions::default()).await;
    let gov = &fx.gov;
    gov.face().record_consent(consent()).await.unwrap();

    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("not-live"), None)
            .await,
        Err(PalmGovError::FaceRejected {
            reason: "not_live".into(),
            attempts_left: 2
        })
    );
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("no-match"), None)
            .await,
        Err(PalmGovError::FaceRejected {
            reason: "no_match".into(),
            attempts_left: 1
        })
    );
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("not-live"), None)
            .await,
        Err(PalmGovError::FaceAttemptsExhausted)
    );
    // Now refused before the camera opens, even with a passing answer.
    let camera = Arc::new(DevFaceCapture::new(Some("pass".into())));
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], camera.clone(), None)
            .await,
        Err(PalmGovError::FaceAttemptsExhausted)
    );
    assert_eq!(camera.captures.load(Ordering::SeqCst), 0);
    assert_eq!(gov.identity().session().await.unwrap().level, 3);

    // The non-face alternative: a step-up at the provider, which the
    // backend learns from the token's introspection.
    let options = LoginOptions {
        level: Some(4),
        ..Default::default()
    };
    let info = gov
        .identity()
        .login(
            options,
            dev_browser("bob".into(), Some("urn:palmgov:loa:4".into())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(info.level, 4);
    assert_eq!(
        gov.identity()
            .check_backend_level(4, Some("apply-1".into()), None)
            .await
            .unwrap()
            .level,
        4
    );
    assert_eq!(
        gov.identity()
            .check_backend_level(4, Some("apply-1".into()), None)
            .await
            .unwrap()
            .face_verified_until_ms,
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_needs_a_guardians_consent() {
    let fx = fixture("child-li", FaceOptions::default()).await;
    let gov = &fx.gov;

    gov.face().record_consent(consent()).await.unwrap();
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("pass"), None)
            .await,
        Err(PalmGovError::ConsentRequired { guardian: true })
    );
    // The guardian is identified: a name and their own, valid ID number.
    let guardian = |relationship: &str, name: &str, id_number: &str| FaceConsent {
        version: "face-2026-01".into(),
        guardian: Some(GuardianConsent {
            relationship: relationship.into(),
            name: name.into(),
            id_number: id_number.into(),
        }),
    };
    let father = id_number_of("李建国");
    for (consent, field) in [
        (guardian(" ", "李建国", &father), "relationship"),
        (guardian("parent", " ", &father), "name"),
        (
            guardian("parent", "李建国", "110105194912310021"),
            "id_number",
        ),
    ] {
        assert_eq!(
            gov.face().record_consent(consent).await,
            Err(PalmGovError::InvalidInput {
                field: format!("consent.guardian.{field}")
            })
        );
    }
    // What the guardian typed is kept as given, once normalised (a lower
    // case check character is the same number).
    let record = gov
        .face()
        .record_consent(guardian("parent", "李建国", &father.to_lowercase()))
        .await
        .unwrap();
    assert!(record.consented_at_ms > 0);
    assert_eq!(gov.face().consent().await.unwrap(), Some(record.clone()));
    // Never in a debug print (the shell logs records).
    let printed = format!("{:?}", record);
    assert!(
        !printed.contains(&father) && !printed.contains("李建国"),
        "{printed}"
    );
    let verdict = gov
        .face()
        .step_up(vec!["apply-1".into()], token("pass"), None)
        .await
        .unwrap();
    assert_eq!(verdict.level, 4);

    // The backend keeps the consent the challenge came with: who gave it,
    // for what, under which text; and nothing biometric.
    // The test provider's subject is the login name.
    let consents = fx._backend.face().consents("child-li");
    assert_eq!(consents.len(), 1, "{consents:?}");
    let kept = &consents[0];
    assert_eq!(kept["version"], "face-2026-01");
    assert_eq!(kept["operations"], serde_json::json!(["apply-1"]));
    assert_eq!(kept["guardian"]["relationship"], "parent");
    assert_eq!(kept["guardian"]["name"], "李建国");
    assert_eq!(kept["guardian"]["id_number"], father);
    let keys: Vec<&String> = kept.as_object().unwrap().keys().collect();
    for key in &keys {
        assert!(
            !["frames", "frame", "image", "liveness_token", "template"].contains(&key.as_str()),
            "{keys:?}"
        );
    }
}

/// The failed-attempt limit is the backend's, kept in its database: a
/// restart of the backend between attempts does not give a fresh three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_attempt_limit_survives_a_backend_restart() {
    let provider = TestProvider::start(600);
    let data = tempfile::tempdir().unwrap();
    let options = || ServerOptions {
        db_path: Some(data.path().join("backend.sqlite")),
        ..Default::default()
    };
    let first = backend(&provider, options()).await;
    let addr = first.addr;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &first, "zhao-min").await;
    gov.face().record_consent(consent()).await.unwrap();
    for (answer, left) in [("not-live", 2), ("no-match", 1)] {
        assert_eq!(
            gov.face()
                .step_up(vec!["apply-1".into()], token(answer), None)
                .await,
            Err(PalmGovError::FaceRejected {
                reason: answer.replace('-', "_"),
                attempts_left: left
            })
        );
    }
    drop(first);
    let second = backend_at(addr, &provider, options()).await;
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("not-live"), None)
            .await,
        Err(PalmGovError::FaceAttemptsExhausted),
        "the third failure counts against the two before the restart"
    );
    drop(second);
    let _third = backend_at(addr, &provider, options()).await;
    let camera = Arc::new(DevFaceCapture::new(Some("pass".into())));
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], camera.clone(), None)
            .await,
        Err(PalmGovError::FaceAttemptsExhausted)
    );
    assert_eq!(camera.captures.load(Ordering::SeqCst), 0);
}

/// A resident with twenty applications that need L4 queued offline does one
/// face check, not twenty: the step-up names every waiting submission and
/// the next sync delivers them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_step_up_releases_every_waiting_submission() {
    let fx = fixture("alice", FaceOptions::default()).await;
    let gov = &fx.gov;
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    let jpeg = palmgov::software::camera_jpeg(640, 480, 1);
    let mut queued = Vec::new();
    for i in 0..20 {
        let view = own_draft(gov, "subsidy-application", "zh-Hans").await;
        let draft = view.summary.id;
        save(gov, &draft, "residence", serde_json::json!("330106")).await;
        save(
            gov,
            &draft,
            "bank_account",
            serde_json::json!(format!("62220202001122{i:02}")),
        )
        .await;
        photograph(gov, &draft, "id_card_photo", &jpeg).await;
        queued.push(finalized(gov, &draft).await);
    }
    let report = sync(gov).await;
    assert_eq!(
        (report.delivered, report.waiting_for_level),
        (0, 20),
        "{report:?}"
    );

    let needed = gov.outbox().step_up_needed().await.unwrap().unwrap();
    assert_eq!(needed.level, 4);
    assert_eq!(needed.operations, queued, "oldest first, every one");
    gov.face().record_consent(consent()).await.unwrap();
    let camera = Arc::new(DevFaceCapture::new(None));
    let verdict = gov
        .face()
        .step_up(needed.operations.clone(), camera.clone(), None)
        .await
        .unwrap();
    assert_eq!(verdict.operations, queued);
    assert_eq!(camera.captures.load(Ordering::SeqCst), 1);

    let report = sync(gov).await;
    assert_eq!(
        (report.delivered, report.waiting_for_level),
        (20, 0),
        "{report:?}"
    );
    assert_eq!(gov.outbox().step_up_needed().await.unwrap(), None);
    // The verdict raised these twenty and nothing else.
    assert_eq!(
        gov.identity()
            .check_backend_level(4, Some("apply-elsewhere".into()), None)
            .await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
}

/// A camera that waits until the core cancels it, as a real one waits for
/// the person.
#[derive(Default)]
struct WaitingCamera {
    opened: std::sync::atomic::AtomicBool,
    cancelled: Mutex<bool>,
    wake: Condvar,
}

impl FaceCapture for WaitingCamera {
    fn capture(&self, _challenge: FaceChallenge) -> Result<FaceCaptureResult, HookError> {
        self.opened.store(true, std::sync::atomic::Ordering::SeqCst);
        let guard = self.cancelled.lock().unwrap();
        let (_guard, _) = self
            .wake
            .wait_timeout_while(guard, Duration::from_secs(20), |c| !*c)
            .unwrap();
        Err(HookError::Cancelled)
    }

    fn cancel(&self) {
        *self.cancelled.lock().unwrap() = true;
        self.wake.notify_all();
    }
}

impl WaitingCamera {
    /// Polls `done` for up to 10 s: under the whole suite on a 2-core
    /// machine whose host stalls it, a step of the flow can take seconds.
    async fn within_10s(&self, done: impl Fn(&Self) -> bool) -> bool {
        for _ in 0..500 {
            if done(self) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    async fn closed(&self) -> bool {
        self.within_10s(|c| *c.cancelled.lock().unwrap()).await
    }

    async fn opened(&self) -> bool {
        self.within_10s(|c| c.opened.load(std::sync::atomic::Ordering::SeqCst))
            .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_timeout_close_the_camera() {
    let fx = fixture(
        "carol",
        FaceOptions {
            challenge_timeout: Duration::from_secs(1),
            ..Default::default()
        },
    )
    .await;
    let gov = &fx.gov;
    gov.face().record_consent(consent()).await.unwrap();

    // The challenge times out while the person is still in front of the camera.
    let camera = Arc::new(WaitingCamera::default());
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], camera.clone(), None)
            .await,
        Err(PalmGovError::FaceTimeout)
    );
    assert!(
        camera.closed().await,
        "the core told the shell to close the camera"
    );

    // The app cancels (the person pressed back) once the camera is open:
    // a fixed delay raced the challenge request under load, and a cancel
    // before the camera opens leaves nothing to close.
    let camera = Arc::new(WaitingCamera::default());
    let cancel = CancelToken::new();
    let (canceller, watched) = (cancel.clone(), camera.clone());
    tokio::spawn(async move {
        assert!(watched.opened().await, "the core opened the camera");
        canceller.cancel();
    });
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], camera.clone(), Some(cancel))
            .await,
        Err(PalmGovError::Cancelled)
    );
    assert!(camera.closed().await);

    // Neither counted as a failed attempt: a passing answer still works.
    assert_eq!(
        gov.face()
            .step_up(vec!["apply-1".into()], token("pass"), None)
            .await
            .unwrap()
            .level,
        4
    );
}
