//! `palmgov login|whoami|logout|step-up|provider`: sign-in from a terminal.

use std::io::BufRead;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use palmgov::software::{dev_browser, dev_face_capture};
use palmgov::{
    FaceConsent, GuardianConsent, LogLevel, LoginOptions, PalmGov, SessionInfo,
    default_identity_config,
};
use palmgov_server::dev_provider::{self, DevProvider};

use crate::{CliError, CliResult, block_on, open_core_with};

/// How to get through the provider's pages.
#[derive(clap::Args)]
pub(crate) struct SignInArgs {
    /// Sign in at the local provider (`palmgov provider`) without a browser.
    #[arg(long)]
    dev: bool,
    /// With --dev: the name to sign in as.
    #[arg(long, default_value = "alice")]
    user: String,
}

/// `palmgov step-up --face`: a terminal has no camera, so the software
/// capture hook answers the challenge (camera-like frames, or a vendor
/// liveness token); the challenge, frame preparation and verdict are real.
#[derive(clap::Args)]
pub(crate) struct FaceArgs {
    /// Step up by face verification (L4) instead of at the provider.
    #[arg(long)]
    pub face: bool,
    /// Record the person's consent to face verification first.
    #[arg(long, requires = "face")]
    consent: bool,
    /// With --consent: a guardian consents, as this relationship (such as
    /// `parent`); needed for a person under 14. The guardian's ID number is
    /// read from `PALMGOV_GUARDIAN_ID_NUMBER` or, without it, from standard
    /// input: never an argument, which `ps` and the shell history show.
    #[arg(long, requires = "consent", requires = "guardian_name")]
    guardian: Option<String>,
    /// With --guardian: the guardian's name.
    #[arg(long, requires = "guardian")]
    guardian_name: Option<String>,
    /// Answer with this vendor liveness token instead of frames (`pass`,
    /// `not-live`, `no-match` on the reference backend).
    #[arg(long, requires = "face")]
    liveness_token: Option<String>,
    /// An operation (a submission's instance id) the verdict is for; may be
    /// repeated. Without it: every submission waiting for a step-up.
    #[arg(long = "operation", requires = "face")]
    operations: Vec<String>,
}

/// The guardian's ID number, from the environment or standard input.
fn guardian_id_number() -> Result<String, CliError> {
    if let Ok(id) = std::env::var("PALMGOV_GUARDIAN_ID_NUMBER") {
        return Ok(id);
    }
    eprint!("guardian's ID number: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::cli("cli.input", e))?;
    Ok(line.trim().to_owned())
}

pub(crate) fn face_step_up(gov: &PalmGov, args: &FaceArgs) -> CliResult {
    block_on(gov.unlock("palmgov step-up".into()))?;
    if args.consent {
        let guardian = match &args.guardian {
            Some(relationship) => Some(GuardianConsent {
                relationship: relationship.clone(),
                name: args.guardian_name.clone().unwrap_or_default(),
                id_number: guardian_id_number()?,
            }),
            None => None,
        };
        block_on(gov.face().record_consent(FaceConsent {
            version: "palmgov-cli-1".into(),
            guardian,
        }))?;
    }
    let operations = if args.operations.is_empty() {
        match block_on(gov.outbox().step_up_needed())? {
            Some(needed) => needed.operations,
            None => {
                return Err(CliError::cli(
                    "cli.nothing_waits",
                    "no submission waits for a step-up: name one with --operation",
                ));
            }
        }
    } else {
        args.operations.clone()
    };
    let verdict = block_on(gov.face().step_up(
        operations,
        dev_face_capture(args.liveness_token.clone()),
        None,
    ))?;
    say!(
        "face verified: level L{} until {} (ms since 1970)",
        verdict.level,
        verdict.valid_until_ms
    );
    print_session(&block_on(gov.identity().session())?);
    Ok(())
}

pub(crate) fn provider(port: u16, access_ttl: u32) -> CliResult {
    let provider =
        DevProvider::try_start(port, access_ttl).map_err(|e| CliError::cli("cli.provider", e))?;
    say!(
        "local OpenID provider on {} (Ctrl-C to stop)",
        provider.issuer
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::cli("cli.backend", e))?;
    // SIGTERM too: returning drops the provider, which stops node. Were
    // this process killed outright, node still exits: it ends when its
    // stdin (a pipe from here) closes.
    rt.block_on(palmgov_server::serve::stopped());
    drop(provider);
    Ok(())
}

pub(crate) fn login(gov: &PalmGov, args: &SignInArgs, level: Option<u8>) -> CliResult {
    let options = LoginOptions {
        level,
        force_reauthentication: level.is_some(),
        login_hint: None,
    };
    let info = if args.dev {
        // The dev provider grants the level asked for (L3 when none).
        let acr = level.map(|l| format!("urn:palmgov:loa:{l}"));
        block_on(
            gov.identity()
                .login(options, dev_browser(args.user.clone(), acr), None),
        )?
    } else {
        let request = block_on(gov.identity().begin_login(options, None))?;
        say!(
            "Open this URL in a browser and sign in:\n\n  {}\n",
            request.url
        );
        say!(
            "Then paste the URL the browser was sent to ({}…):",
            request.redirect_uri
        );
        let mut callback = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut callback)
            .map_err(|e| CliError::cli("cli.backend", e))?;
        block_on(
            gov.identity()
                .complete_login(callback.trim().to_string(), None),
        )?
    };
    print_session(&info);
    Ok(())
}

pub(crate) fn whoami(gov: &PalmGov) -> CliResult {
    block_on(gov.unlock("palmgov whoami".into()))?;
    print_session(&block_on(gov.identity().session())?);
    Ok(())
}

pub(crate) fn logout(gov: &PalmGov) -> CliResult {
    block_on(gov.unlock("palmgov logout".into()))?;
    let report = block_on(gov.identity().logout(None))?;
    say!(
        "signed out; refresh token revoked: {}; queued submissions kept: {}",
        report.revoked,
        report.queued_submissions
    );
    if let Some(url) = report.end_session_url {
        // The app opens it in the browser (the provider asks the person to
        // confirm); a terminal shows only where it goes.
        let endpoint = url.split('?').next().unwrap_or_default();
        say!("the provider's browser session can be ended at {endpoint}");
    }
    Ok(())
}

pub(crate) fn print_session(s: &SessionInfo) {
    say!(
        "account {} ({:?}) level L{} {:?}{}",
        s.account_id,
        s.kind,
        s.level,
        s.status,
        if s.dpop_bound { ", DPoP-bound" } else { "" }
    );
}

/// `palmgov bench identity`; see its help.
pub(crate) fn bench(keep: Option<PathBuf>) -> CliResult {
    // Access tokens live 62 s: refresh starts 60 s before expiry, so after a
    // short wait every caller sees a token about to expire.
    let provider = DevProvider::try_start(0, 62).map_err(|e| CliError::cli("cli.provider", e))?;
    let tmp = tempfile::tempdir().map_err(|e| CliError::cli("cli.system", e))?;
    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    let identity = default_identity_config(
        provider.issuer.clone(),
        dev_provider::CLIENT_ID.into(),
        dev_provider::REDIRECT_URI.into(),
    );
    let gov = open_core_with(&dir, "http://127.0.0.1:9/", LogLevel::Warn, Some(identity))?;
    block_on(gov.unlock("bench".into()))?;
    // The first login also discovers the provider; time a second, warm one.
    block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser("bench".into(), None),
        None,
    ))?;
    // Median of 9 warm logins; the spread shows the provider's own pauses.
    let mut rounds = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        block_on(gov.identity().login(
            LoginOptions::default(),
            dev_browser("bench".into(), None),
            None,
        ))?;
        rounds.push(started.elapsed().as_secs_f64() * 1e3);
    }
    rounds.sort_by(f64::total_cmp);
    say!("login_round_trip_ms\t{:.1}", rounds[rounds.len() / 2]);
    say!(
        "login_round_trip_range_ms\t{:.1}-{:.1}",
        rounds[0],
        rounds[rounds.len() - 1]
    );

    std::thread::sleep(Duration::from_secs(3));
    let before = gov.refresh_requests()?;
    let results = block_on(async {
        let callers: Vec<_> = (0..100)
            .map(|_| {
                let gov = gov.clone();
                tokio::spawn(async move { gov.identity().refresh_session(false, None).await })
            })
            .collect();
        let mut ok = 0;
        for caller in callers {
            if matches!(caller.await, Ok(Ok(_))) {
                ok += 1;
            }
        }
        ok
    });
    say!("concurrent_callers_ok\t{results}");
    say!(
        "refresh_requests_for_100_callers\t{}",
        gov.refresh_requests()? - before
    );
    gov.shutdown();

    let (full, bare) = palmgov::identity::bench::id_token_validation_us(20_000);
    say!("id_token_validation_us\t{full:.1}");
    say!("ring_es256_verify_us\t{bare:.1}");
    Ok(())
}
