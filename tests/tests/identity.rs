//! Sign-in against a real OpenID provider (npm `oidc-provider`, OpenID
//! certified) on loopback: login with PKCE and DPoP, process death between
//! the browser and the callback, single-flight refresh, rotation replay,
//! revocation, step-up, a wrong device clock, and the callback refusals.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use palmgov::software::{DevBrowser, SoftwareAppLock, SoftwareKeystore};
use palmgov::{
    AccountKind, AppLockOutcome, Browser, IdentityConfig, LogLevel, LoginOptions, PalmGov,
    PalmGovConfig, PalmGovError, SessionStatus, default_identity_config, default_server_config,
};
use palmgov_server::ServerOptions;
use palmgov_server::dev_provider::ProviderOptions;
use palmgov_server::fault_proxy::{Fault, FaultProxy};
use palmgov_tests::clock::{Movable, Skewed};
use palmgov_tests::{CLIENT_ID, REDIRECT_URI, TestProvider};

const SECRET: [u8; 32] = [9; 32];

fn config(dir: &Path, identity: IdentityConfig) -> PalmGovConfig {
    PalmGovConfig {
        wallet: None,
        data_dir: dir.to_string_lossy().into_owned(),
        // The backend is not needed for sign-in; any loopback URL will do.
        server: default_server_config("http://127.0.0.1:9/".into()),
        log_level: LogLevel::Warn,
        log_dependencies: false,
        lock_timeout_secs: 300,
        identity: Some(identity),
        region: None,
    }
}

fn identity(provider: &TestProvider) -> IdentityConfig {
    default_identity_config(
        provider.issuer.clone(),
        CLIENT_ID.into(),
        REDIRECT_URI.into(),
    )
}

fn open_movable(dir: &Path, identity: IdentityConfig, clock: Arc<Movable>) -> Arc<PalmGov> {
    PalmGov::open_with_clock(
        config(dir, identity),
        Arc::new(SoftwareKeystore::from_secret(&SECRET).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
        clock,
    )
    .unwrap()
}

fn open_skewed(dir: &Path, identity: IdentityConfig, skew_secs: i64) -> Arc<PalmGov> {
    PalmGov::open_with_clock(
        config(dir, identity),
        Arc::new(SoftwareKeystore::from_secret(&SECRET).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
        Arc::new(Skewed(skew_secs)),
    )
    .unwrap()
}

/// [`open`], past the app lock: refreshing a session shows it, so it is
/// behind the lock.
fn open_unlocked(dir: &Path, provider: &TestProvider) -> Arc<PalmGov> {
    let gov = open(dir, provider);
    palmgov_tests::unlock(&gov);
    gov
}

fn open(dir: &Path, provider: &TestProvider) -> Arc<PalmGov> {
    open_skewed(dir, identity(provider), 0)
}

fn alice() -> Arc<dyn Browser> {
    palmgov::software::dev_browser("alice".into(), None)
}

fn rejected(reason: &str) -> PalmGovError {
    PalmGovError::LoginRejected {
        reason: reason.into(),
    }
}

/// Runs the browser part by hand: what Custom Tabs does while the app may be dead.
fn browse(url: &str) -> String {
    DevBrowser::new("alice", None)
        .authorize(url.into(), REDIRECT_URI.into())
        .unwrap()
}

/// Signs in under `root/live`, closes, and copies the data to `root/copy`:
/// a second device state holding the same, older tokens.
async fn signed_in_with_copy(
    root: &Path,
    open: &dyn Fn(&Path) -> Arc<PalmGov>,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let (live, copy) = (root.join("live"), root.join("copy"));
    let gov = open(&live);
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    gov.shutdown();
    copy_dir(&live, &copy);
    (live, copy)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_session_refresh_and_logout() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let gov = open(dir.path(), &provider);

    let info = gov
        .identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    assert_eq!(info.level, 3, "the test provider signs in at L3 by default");
    assert!(
        info.dpop_bound,
        "oidc-provider supports DPoP, so tokens are bound"
    );
    assert_eq!(info.status, SessionStatus::Active);
    assert_eq!(info.display_name.as_deref(), Some("陈丽华"));
    assert_eq!(info.kind, AccountKind::NaturalPerson);
    assert_eq!(info.organisation, None);

    // Offline session open sits behind the app lock.
    assert_eq!(gov.identity().session().await, Err(PalmGovError::Locked));
    gov.unlock("test".into()).await.unwrap();
    assert_eq!(
        gov.identity().session().await.unwrap().account_id,
        info.account_id
    );

    let refreshed = gov.identity().refresh_session(true, None).await.unwrap();
    assert_eq!(refreshed.account_id, info.account_id);
    assert_eq!(gov.refresh_requests().unwrap(), 1);

    let report = gov.identity().logout(None).await.unwrap();
    assert!(
        report.revoked,
        "the refresh token is revoked at the provider"
    );
    let end = report
        .end_session_url
        .expect("oidc-provider has an end-session endpoint");
    assert!(end.starts_with(&format!("{}/session/end?", provider.issuer)));
    assert_eq!(report.queued_submissions, 0);
    assert_eq!(
        gov.identity().session().await,
        Err(PalmGovError::SignInRequired)
    );
    assert!(gov.identity().accounts().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_after_process_death_completes_exactly_once() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let first = open(dir.path(), &provider);
    let request = first
        .identity()
        .begin_login(LoginOptions::default(), None)
        .await
        .unwrap();
    first.shutdown();
    drop(first);

    let callback = browse(&request.url);

    // A new process: same data directory, keystore from the same secret.
    let second = open(dir.path(), &provider);
    let info = second
        .identity()
        .complete_login(callback.clone(), None)
        .await
        .unwrap();
    assert_eq!(info.status, SessionStatus::Active);
    assert_eq!(
        second.identity().complete_login(callback, None).await,
        Err(rejected("callback.state")),
        "a callback is consumed once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_callers_near_expiry_make_one_refresh() {
    // Access tokens live 62 s; refresh starts 60 s before expiry.
    let provider = TestProvider::start(62);
    let dir = tempfile::tempdir().unwrap();
    let gov = open_unlocked(dir.path(), &provider);
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    assert_eq!(gov.refresh_requests().unwrap(), 0);
    tokio::time::sleep(Duration::from_secs(3)).await;

    let callers: Vec<_> = (0..100)
        .map(|_| {
            let gov = gov.clone();
            tokio::spawn(async move { gov.identity().refresh_session(false, None).await })
        })
        .collect();
    for caller in callers {
        caller.await.unwrap().unwrap();
    }
    assert_eq!(gov.refresh_requests().unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_refresh_token_ends_the_grant_but_keeps_the_account() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    // The copy holds the refresh token before rotation: what a client whose
    // refresh response was lost in transit still has.
    let (live, stale) = signed_in_with_copy(dir.path(), &|p| open(p, &provider)).await;
    let gov = open_unlocked(&live, &provider);
    gov.identity().refresh_session(true, None).await.unwrap();

    let lost = open_unlocked(&stale, &provider);
    assert_eq!(
        lost.identity().refresh_session(true, None).await,
        Err(PalmGovError::SignInRequired)
    );
    let accounts = lost.identity().accounts().await.unwrap();
    assert_eq!(accounts.len(), 1, "the account and its data stay");
    assert_eq!(accounts[0].session.status, SessionStatus::SignInRequired);

    // Reuse detection revoked the whole grant: the rotated token is dead too.
    assert_eq!(
        gov.identity().refresh_session(true, None).await,
        Err(PalmGovError::SignInRequired)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_tokens_cannot_be_used() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let (live, copy) = signed_in_with_copy(dir.path(), &|p| open(p, &provider)).await;
    let gov = open_unlocked(&live, &provider);
    assert!(gov.identity().logout(None).await.unwrap().revoked);
    let after = open_unlocked(&copy, &provider);
    assert_eq!(
        after.identity().refresh_session(true, None).await,
        Err(PalmGovError::SignInRequired)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_up_to_level_four() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let gov = open_unlocked(dir.path(), &provider);
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    assert_eq!(
        gov.identity().require_level(4).await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );

    // The provider's login honours the requested acr.
    let strong = palmgov::software::dev_browser("alice".into(), Some("urn:palmgov:loa:4".into()));
    let options = LoginOptions {
        level: Some(4),
        ..Default::default()
    };
    assert_eq!(
        gov.identity()
            .login(options.clone(), strong, None)
            .await
            .unwrap()
            .level,
        4
    );
    gov.identity().require_level(4).await.unwrap();
    gov.lock().unwrap();
    assert_eq!(
        gov.identity().accounts().await.err(),
        Some(PalmGovError::Locked)
    );
    assert_eq!(
        gov.identity().require_level(4).await,
        Err(PalmGovError::Locked)
    );
    gov.unlock("t".into()).await.unwrap();
    assert_eq!(
        gov.identity().accounts().await.unwrap().len(),
        1,
        "a step-up keeps one account"
    );

    // A provider that signs in lower than asked is refused.
    assert_eq!(
        gov.identity().login(options, alice(), None).await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
}

/// A step-up at the provider lapses like a face verdict: L4 holds for
/// `strong_level_secs` after the person authenticated, then the session
/// is L3 again, online or off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_step_up_lapses_after_its_hold() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Movable::default());
    let gov = open_movable(dir.path(), identity(&provider), clock.clone());
    palmgov_tests::unlock(&gov);
    let strong = palmgov::software::dev_browser("alice".into(), Some("urn:palmgov:loa:4".into()));
    let options = LoginOptions {
        level: Some(4),
        ..Default::default()
    };
    let info = gov.identity().login(options, strong, None).await.unwrap();
    assert_eq!(info.level, 4);
    clock.pass(9 * 60);
    gov.unlock("t".into()).await.unwrap();
    gov.identity().require_level(4).await.unwrap();
    clock.pass(2 * 60);
    gov.unlock("t".into()).await.unwrap();
    assert_eq!(
        gov.identity().require_level(4).await,
        Err(PalmGovError::LevelRequired { level: 4 })
    );
    assert_eq!(gov.identity().session().await.unwrap().level, 3);
    // Setting the phone's clock back does not bring it back either (and
    // locks the app: a clock set back counts as the timeout).
    clock.set_back(5 * 60);
    assert!(!gov.is_unlocked().unwrap());
    gov.unlock("t".into()).await.unwrap();
    assert_eq!(gov.identity().session().await.unwrap().level, 3);
}

/// A phone's clock once set a year ahead does not lock the person out for
/// good: once the provider's clock is seen again, it outranks the mark.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_once_set_forward_does_not_lock_the_person_out() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Movable::default());
    let reopen = || {
        let gov = open_movable(dir.path(), identity(&provider), clock.clone());
        palmgov_tests::unlock(&gov);
        gov
    };
    let gov = reopen();
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    gov.shutdown();
    // Offline, the clock a year ahead: the session is out of its window,
    // and the install has now seen that time.
    clock.set_forward(365 * 24 * 3600);
    let gov = reopen();
    assert_eq!(
        gov.identity().session().await,
        Err(PalmGovError::SignInRequired)
    );
    gov.shutdown();
    // The clock put right, back online: signing in again works.
    clock.set_back(365 * 24 * 3600);
    let gov = reopen();
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    assert_eq!(gov.identity().session().await.unwrap().level, 3);
}

/// The offline window closes on the latest time the install has seen: a
/// phone's clock set back does not reopen it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_back_does_not_reopen_the_offline_window() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Movable::default());
    let config = IdentityConfig {
        offline_grace_secs: 3600,
        ..identity(&provider)
    };
    let gov = open_movable(dir.path(), config.clone(), clock.clone());
    palmgov_tests::unlock(&gov);
    gov.identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    gov.shutdown();
    drop(gov);
    // Two hours in a village without signal: the window closed.
    clock.pass(2 * 3600);
    let gov = open_movable(dir.path(), config.clone(), clock.clone());
    palmgov_tests::unlock(&gov);
    assert_eq!(
        gov.identity().session().await,
        Err(PalmGovError::SignInRequired)
    );
    gov.shutdown();
    drop(gov);
    // The phone's clock set back two hours, and the app reopened.
    clock.set_back(2 * 3600);
    let gov = open_movable(dir.path(), config, clock.clone());
    palmgov_tests::unlock(&gov);
    assert_eq!(
        gov.identity().session().await,
        Err(PalmGovError::SignInRequired)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_clock_hours_off_still_signs_in() {
    let provider = TestProvider::start(600);
    for skew in [-5 * 3600, 3 * 3600] {
        let dir = tempfile::tempdir().unwrap();
        let gov = open_skewed(dir.path(), identity(&provider), skew);
        palmgov_tests::unlock(&gov);
        let info = gov
            .identity()
            .login(LoginOptions::default(), alice(), None)
            .await
            .unwrap();
        // Expiry is on the provider's clock, not the phone's.
        let real_now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        assert!((info.access_expires_at_ms - real_now - 600_000).abs() < 10_000);
        gov.identity().refresh_session(true, None).await.unwrap();
    }
}

/// A provider that sends no `Date` and refuses a DPoP proof whose `iat` is
/// minutes off (as a certified one does): the backend's `Date`, which the
/// app hears before any sign-in, corrects the proofs; until one is heard
/// the refusal names the clock instead of a generic provider error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_sends_no_date_still_signs_in_a_phone_hours_off() {
    let listener = FaultProxy::bind().await;
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let provider = TestProvider::start_with(ProviderOptions {
        issuer: Some(issuer),
        ..Default::default()
    });
    let _proxy = FaultProxy::start_with_rule(
        listener,
        provider.listening,
        Duration::ZERO,
        Arc::new(|_: &[u8]| Fault::StripDate),
    );
    let backend = palmgov_tests::backend(&provider, ServerOptions::default()).await;
    for skew in [3 * 3600, -2 * 3600] {
        let dir = tempfile::tempdir().unwrap();
        let gov = PalmGov::open_with_clock(
            PalmGovConfig {
                wallet: None,
                server: default_server_config(backend.base_url()),
                ..config(dir.path(), identity(&provider))
            },
            Arc::new(SoftwareKeystore::from_secret(&SECRET).unwrap()),
            Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
            None,
            Arc::new(Skewed(skew)),
        )
        .unwrap();
        palmgov_tests::unlock(&gov);
        assert_eq!(
            gov.identity()
                .login(LoginOptions::default(), alice(), None)
                .await
                .map(|_| ()),
            Err(PalmGovError::ClockWrong),
            "skew {skew}"
        );
        let health = gov.region().server_health(None).await.unwrap();
        let offset = health.clock_offset_ms.unwrap() / 1000;
        assert!((offset + skew).abs() < 30, "{offset} for a skew of {skew}");
        gov.identity()
            .login(LoginOptions::default(), alice(), None)
            .await
            .unwrap();
        gov.identity().refresh_session(true, None).await.unwrap();
        assert!(
            gov.identity()
                .check_backend_session(None)
                .await
                .unwrap()
                .dpop_bound
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_natural_and_a_legal_person_account_are_switchable() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let gov = open(dir.path(), &provider);
    let a = gov
        .identity()
        .login(LoginOptions::default(), alice(), None)
        .await
        .unwrap();
    // An agent (经办人) signing in for a legal person (法人).
    let agent = palmgov::software::dev_browser("org-zhang".into(), None);
    let options = LoginOptions {
        force_reauthentication: true,
        ..Default::default()
    };
    let b = gov.identity().login(options, agent, None).await.unwrap();
    assert_ne!(a.account_id, b.account_id);
    assert_eq!(a.kind, AccountKind::NaturalPerson);
    assert_eq!(b.kind, AccountKind::LegalPerson);
    assert_eq!(b.organisation.as_deref(), Some("西湖示例科技有限公司"));
    assert_eq!(b.display_name.as_deref(), Some("张海涛"));
    gov.unlock("t".into()).await.unwrap();
    let accounts = gov.identity().accounts().await.unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(accounts[0].current && accounts[0].session.account_id == b.account_id);
    assert_eq!(
        gov.identity()
            .switch_account(a.account_id.clone())
            .await
            .unwrap()
            .account_id,
        a.account_id
    );
    // Logging out one account leaves the other, still a legal person.
    gov.identity().logout(None).await.unwrap();
    let back = gov
        .identity()
        .switch_account(b.account_id.clone())
        .await
        .unwrap();
    assert_eq!(back.kind, AccountKind::LegalPerson);
    assert_eq!(gov.identity().accounts().await.unwrap().len(), 1);
}

/// Each callback refusal, against the real provider's real callbacks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_refusals() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    let gov = open(dir.path(), &provider);
    let set = |url: &str, name: &str, value: Option<&str>| {
        let mut u = url::Url::parse(url).unwrap();
        let pairs: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| k != name)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut q = u.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            q.append_pair(k, v);
        }
        if let Some(v) = value {
            q.append_pair(name, v);
        }
        drop(q);
        u.to_string()
    };
    let fresh = || async {
        let request = gov
            .identity()
            .begin_login(LoginOptions::default(), None)
            .await
            .unwrap();
        browse(&request.url)
    };

    let cb = fresh().await;
    let other_iss = set(&cb, "iss", Some("https://evil.example"));
    assert_eq!(
        gov.identity().complete_login(other_iss, None).await,
        Err(rejected("callback.iss"))
    );
    // The refused callback consumed its state: the genuine one cannot follow.
    assert_eq!(
        gov.identity().complete_login(cb, None).await,
        Err(rejected("callback.state"))
    );

    let cb = fresh().await;
    let no_iss = set(&cb, "iss", None);
    assert_eq!(
        gov.identity().complete_login(no_iss, None).await,
        Err(rejected("callback.iss"))
    );

    let cb = fresh().await;
    assert_eq!(
        gov.identity()
            .complete_login(set(&cb, "state", Some("forged")), None)
            .await,
        Err(rejected("callback.state"))
    );
    assert_eq!(
        gov.identity()
            .complete_login(set(&cb, "state", None), None)
            .await,
        Err(rejected("callback.state"))
    );

    let cb = fresh().await;
    let denied = set(&set(&cb, "code", None), "error", Some("access_denied"));
    assert_eq!(
        gov.identity().complete_login(denied, None).await,
        Err(PalmGovError::LoginFailed {
            oauth_error: "access_denied".into()
        })
    );

    let cb = fresh().await;
    assert_eq!(
        gov.identity()
            .complete_login(set(&cb, "code", None), None)
            .await,
        Err(rejected("callback.code"))
    );

    let cb = fresh().await;
    let elsewhere = cb.replacen(REDIRECT_URI, "org.palmgov.evil:/oauth2redirect", 1);
    assert_eq!(
        gov.identity().complete_login(elsewhere, None).await,
        Err(rejected("callback.redirect_uri"))
    );

    // A code replayed under another pending login: the provider refuses it
    // (the code is spent, and the other login's PKCE verifier does not match).
    let first = fresh().await;
    let second = gov
        .identity()
        .begin_login(LoginOptions::default(), None)
        .await
        .unwrap();
    gov.identity()
        .complete_login(first.clone(), None)
        .await
        .unwrap();
    // The authorization URL carries no state (the request was pushed,
    // RFC 9126); the provider hands it back on the callback.
    let second_state = url::Url::parse(&browse(&second.url))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let replay = set(&first, "state", Some(&second_state));
    assert_eq!(
        gov.identity().complete_login(replay, None).await,
        Err(rejected("token.invalid_grant"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_configuration_refusals() {
    let provider = TestProvider::start(600);
    let dir = tempfile::tempdir().unwrap();
    // The discovery document says the issuer without a trailing slash.
    let mut slash = identity(&provider);
    slash.issuer = format!("{}/", provider.issuer);
    let gov = open_skewed(dir.path(), slash, 0);
    assert_eq!(
        gov.identity()
            .begin_login(LoginOptions::default(), None)
            .await,
        Err(rejected("discovery.issuer"))
    );

    let mut plain = identity(&provider);
    plain.issuer = "http://id.example.gov.cn".into();
    let refused = PalmGov::open(
        config(dir.path(), plain),
        Arc::new(SoftwareKeystore::from_secret(&SECRET).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    );
    assert_eq!(
        refused.err(),
        Some(PalmGovError::InvalidInput {
            field: "identity.issuer".into()
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_backend_accepts_dpop_bound_tokens_until_revoked() {
    let provider = TestProvider::start(600);
    let mut auth = palmgov_server::dev_provider::backend_auth(&provider.issuer);
    auth.cache_ttl = Duration::ZERO;
    let backend = palmgov_server::start(
        "127.0.0.1:0".parse().unwrap(),
        palmgov_server::ServerOptions {
            auth: Some(auth),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let with_backend = |path: &Path| {
        let mut c = config(path, identity(&provider));
        c.server = default_server_config(backend.base_url());
        let gov = PalmGov::open(
            c,
            Arc::new(SoftwareKeystore::from_secret(&SECRET).unwrap()),
            Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
            None,
        )
        .unwrap();
        palmgov_tests::unlock(&gov);
        gov
    };
    let before = with_backend(&dir.path().join("nobody"));
    assert_eq!(
        before.identity().check_backend_session(None).await,
        Err(PalmGovError::SignInRequired)
    );
    let (live, copy) = signed_in_with_copy(dir.path(), &with_backend).await;
    let gov = with_backend(&live);
    assert!(
        gov.identity()
            .check_backend_session(None)
            .await
            .unwrap()
            .dpop_bound
    );
    assert!(gov.identity().logout(None).await.unwrap().revoked);
    // The copy still holds the old access token: the backend's introspection
    // says it is dead, the core refreshes once, and the grant is gone too.
    let after = with_backend(&copy);
    assert_eq!(
        after.identity().check_backend_session(None).await,
        Err(PalmGovError::SignInRequired)
    );
}

/// ID tokens signed with each algorithm the core accepts, by the real
/// provider's own keys (RSA PKCS#1 v1.5 and PSS, Ed25519, P-256).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_allowed_signature_algorithm_from_the_real_provider() {
    let provider = TestProvider::start(600);
    for suffix in ["", "-rs256", "-ps256", "-eddsa"] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = identity(&provider);
        config.client_id = format!("{CLIENT_ID}{suffix}");
        let gov = open_skewed(dir.path(), config, 0);
        let info = gov
            .identity()
            .login(LoginOptions::default(), alice(), None)
            .await
            .unwrap_or_else(|e| panic!("client {suffix}: {e:?}"));
        assert_eq!(info.level, 3, "client {suffix}");
    }
}
