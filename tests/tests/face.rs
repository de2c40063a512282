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
use palmgov_tests::{TestProvider, backend, signed_in};

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
        gov.identity().check_backend_level(4, None).await,
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
            .step_up("txn-1".into(), camera.clone(), None)
            .await,
        Err(PalmGovError::ConsentRequired { guardian: false })
    );
    assert_eq!(camera.captures.load(Ordering::SeqCst), 0);

    gov.face().record_consent(consent()).await.unwrap();
    let before = Snapshot::take(fx.dir.path());
    let verdict = gov
        .face()
        .step_up("txn-1".into(), camera.clone(), None)
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
    let backend_level = gov.identity().check_backend_level(4, None).await.unwrap();
    assert_eq!(backend_level.level, 4);
    assert!(backend_level.face_verified_until_ms.is_some());
    assert_eq!(
        gov.identity()
            .check_backend_session(None)
            .await
            .unwrap()
            .level,
        4
    );

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
        gov.identity().check_backend_level(4, None).await,
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
            .step_up("t".into(), token("not-live"), None)
            .await,
        Err(PalmGovError::FaceRejected {
            reason: "not_live".into(),
            attempts_left: 2
        })
    );
    assert_eq!(
        gov.face()
            .step_up("t".into(), token("no-match"), None)
            .await,
        Err(PalmGovError::FaceRejected {
            reason: "no_match".into(),
            attempts_left: 1
        })
    );
    assert_eq!(
        gov.face()
            .step_up("t".into(), token("not-live"), None)
            .await,
        Err(PalmGovError::FaceAttemptsExhausted)
    );
    // Now refused before the camera opens, even with a passing answer.
    let camera = Arc::new(DevFaceCapture::new(Some("pass".into())));
    assert_eq!(
        gov.face().step_up("t".into(), camera.clone(), None).await,
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
            .check_backend_level(4, None)
            .await
            .unwrap()
            .level,
        4
    );
    assert_eq!(
        gov.identity()
            .check_backend_level(4, None)
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
        gov.face().step_up("t".into(), token("pass"), None).await,
        Err(PalmGovError::ConsentRequired { guardian: true })
    );
    assert_eq!(
        gov.face()
            .record_consent(FaceConsent {
                version: "face-2026-01".into(),
                guardian: Some(GuardianConsent {
                    relationship: " ".into()
                }),
            })
            .await,
        Err(PalmGovError::InvalidInput {
            field: "consent.guardian.relationship".into()
        })
    );
    let record = gov
        .face()
        .record_consent(FaceConsent {
            version: "face-2026-01".into(),
            guardian: Some(GuardianConsent {
                relationship: "parent".into(),
            }),
        })
        .await
        .unwrap();
    assert!(record.consented_at_ms > 0);
    assert_eq!(gov.face().consent().await.unwrap(), Some(record));
    let verdict = gov
        .face()
        .step_up("t".into(), token("pass"), None)
        .await
        .unwrap();
    assert_eq!(verdict.level, 4);
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
        gov.face().step_up("t".into(), camera.clone(), None).await,
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
            .step_up("t".into(), camera.clone(), Some(cancel))
            .await,
        Err(PalmGovError::Cancelled)
    );
    assert!(camera.closed().await);

    // Neither counted as a failed attempt: a passing answer still works.
    assert_eq!(
        gov.face()
            .step_up("t".into(), token("pass"), None)
            .await
            .unwrap()
            .level,
        4
    );
}
