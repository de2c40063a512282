//! `palmgov`: the terminal shell over the core.
//!
//! It uses the same facade the Kotlin and Swift shells use, with the
//! software hooks in place of Android Keystore / Keychain and biometrics.
//! Its keystore file offers no hardware protection: it is for development
//! and the demo, not for real residents' data.

#[macro_use]
mod output;
mod bench_forms;
mod bench_qr;
mod bench_region;
mod bench_services;
mod bench_sync;
mod bench_wallet;
mod demo;
mod demo_forms;
mod demo_region;
mod demo_services;
mod forms;
mod identity;
mod qr;
mod region;
mod services;
mod stalls;
mod steps;
mod wallet;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};
use palmgov::software::{SoftwareAppLock, SoftwareKeystore, StderrLogSink};
use palmgov::{
    AppLockOutcome, IdentityConfig, LogLevel, PalmGov, PalmGovConfig, PalmGovError,
    default_identity_config, default_server_config,
};

#[derive(Parser)]
#[command(
    name = "palmgov",
    version,
    about = "The palmgov core in a terminal: demo, reference backend and developer tools."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `palmgov serve`: the same options as `palmgov-server`.
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: std::net::SocketAddr,
    /// SQLite file for the backend's data; in memory when omitted.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The origin clients reach the server at, when a reverse proxy fronts
    /// it (DPoP proofs name it), such as https://api.example.gov.cn.
    #[arg(long)]
    public_url: Option<String>,
    /// Accept access tokens of this OpenID provider (such as `palmgov
    /// provider`), checked by introspection at the endpoint its discovery
    /// names; without it authenticated routes answer 401.
    #[arg(long)]
    issuer: Option<String>,
    /// The backend's own client at the provider, for introspection; its
    /// secret comes from PALMGOV_INTROSPECTION_SECRET. Required for a
    /// provider off this machine; on loopback, the test provider's.
    #[arg(long)]
    introspection_client: Option<String>,
    /// The introspection endpoint, when the provider's discovery names none.
    #[arg(long)]
    introspection_endpoint: Option<String>,
    /// A client whose tokens the API accepts (default: palmgov-app).
    #[arg(long)]
    accept_client: Vec<String>,
    /// The audience tokens must name (RFC 8707).
    #[arg(long)]
    audience: Option<String>,
    /// Require server nonces in DPoP proofs (RFC 9449 section 9).
    #[arg(long)]
    dpop_nonce: bool,
    /// Mount the development routes (/v1/dev/*), on loopback only, behind
    /// an admin token from PALMGOV_DEV_ADMIN_TOKEN or printed at start.
    #[arg(long)]
    dev: bool,
    /// How old the key binding of a licence attached to a submission may
    /// be when it arrives (seconds, or 30d, 12h, 90m; default 30d).
    #[arg(long, value_parser = palmgov_server::material::parse_max_age)]
    licence_max_age: Option<std::time::Duration>,
    /// The service catalog to serve (a directory with manifest.json and
    /// chunks/); the demo region's bundled one when omitted.
    #[arg(long)]
    catalog: Option<PathBuf>,
}

impl From<ServeArgs> for palmgov_server::serve::ServerArgs {
    fn from(a: ServeArgs) -> Self {
        let catalog = a.catalog.clone();
        Self {
            config: a.into(),
            catalog,
        }
    }
}

impl From<ServeArgs> for palmgov_server::serve::ServeConfig {
    fn from(a: ServeArgs) -> Self {
        Self {
            listen: a.listen,
            db: a.db,
            public_url: a.public_url,
            issuer: a.issuer,
            introspection_client: a.introspection_client,
            introspection_endpoint: a.introspection_endpoint,
            accept_clients: a.accept_client,
            audience: a.audience,
            dpop_nonce: a.dpop_nonce,
            dev: a.dev,
            licence_max_age: a.licence_max_age,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the main scenario against an embedded reference backend, in a
    /// temporary directory, with software hooks. Exits 0 when every step passes.
    Demo,
    /// Run the reference backend until SIGINT or SIGTERM (development only).
    Serve(ServeArgs),
    /// Ask a backend for its health and the device clock's offset.
    Health {
        #[command(flatten)]
        core: CoreArgs,
    },
    /// Fetch the region configuration and cache it encrypted; or a region
    /// team's signed-profile tools: keygen, root, root-rotate, sign,
    /// cosign, verify, check (production keys never enter the repository).
    Region {
        #[command(flatten)]
        core: CoreArgs,
        /// Print the cached copy instead of fetching (works offline).
        #[arg(long)]
        cached: bool,
        #[command(subcommand)]
        action: Option<region::RegionAction>,
    },
    /// Read and write the encrypted key-value store.
    Secure {
        #[command(flatten)]
        core: CoreArgs,
        #[command(subcommand)]
        action: SecureAction,
    },
    /// Run the local OpenID provider (npm oidc-provider) until SIGINT or SIGTERM,
    /// for `login --dev` (development only).
    Provider {
        #[arg(long, default_value_t = 8788)]
        port: u16,
        /// Access token lifetime in seconds.
        #[arg(long, default_value_t = 600)]
        access_ttl: u32,
    },
    /// Sign in. Prints the URL to open in a browser and reads the callback
    /// URL from stdin; with --dev, signs in at the local provider headlessly.
    Login {
        #[command(flatten)]
        core: CoreArgs,
        #[command(flatten)]
        sign_in: identity::SignInArgs,
    },
    /// Show the current session, offline.
    Whoami {
        #[command(flatten)]
        core: CoreArgs,
    },
    /// Sign out: revoke at the provider, wipe this account's tokens.
    Logout {
        #[command(flatten)]
        core: CoreArgs,
    },
    /// Raise the session's assurance level: by signing in again at LEVEL,
    /// or with --face by a face check against the backend (L4).
    StepUp {
        #[command(flatten)]
        core: CoreArgs,
        /// The assurance level to reach (2–5).
        #[arg(long, default_value_t = 4)]
        level: u8,
        #[command(flatten)]
        sign_in: identity::SignInArgs,
        #[command(flatten)]
        face: identity::FaceArgs,
    },
    /// Check a value with the forms engine's validators. Exits 0 when it is
    /// valid (printing the normalized value), 1 with the reason when not.
    Check {
        #[arg(value_enum)]
        kind: CheckArg,
        value: String,
    },
    /// List the forms on the device; --refresh downloads the backend's catalog.
    Forms {
        #[command(flatten)]
        core: CoreArgs,
        #[arg(long)]
        refresh: bool,
        /// Language of titles and messages: zh-Hans, zh-Hant, ug or en.
        #[arg(long, default_value = "zh-Hans")]
        lang: String,
    },
    /// Offline form drafts: new, fill, add, photo, show, list, finalize;
    /// attach-licence (from the wallet) and prefill-from-code (a visit).
    Draft {
        #[command(flatten)]
        core: CoreArgs,
        #[arg(long, default_value = "zh-Hans")]
        lang: String,
        #[command(subcommand)]
        action: forms::DraftAction,
    },
    /// The grid worker's household roster: cached (works offline), or
    /// --refresh from the backend, or `add` a household met on the way.
    Roster {
        #[command(flatten)]
        core: CoreArgs,
        #[arg(long)]
        refresh: bool,
        #[command(subcommand)]
        action: Option<forms::RosterAction>,
    },
    /// The signed-in person's e-licences (电子证照): list, show, refresh,
    /// verify-licence (offline), refresh-status; qr (亮证) and history;
    /// verify, a clerk's check of a shown code.
    Wallet {
        #[command(flatten)]
        core: CoreArgs,
        #[arg(long, default_value = "zh-Hans")]
        lang: String,
        #[command(subcommand)]
        action: wallet::WalletAction,
    },
    /// The region's service catalog (办事指南), offline: search QUERY (by
    /// characters, pinyin, initials, everyday words), show CODE [--needs],
    /// events; update from the backend or --bundled DIR.
    Services {
        #[command(flatten)]
        core: CoreArgs,
        /// Language of names and texts: zh-Hans, zh-Hant, ug or en.
        #[arg(long, default_value = "zh-Hans", global = true)]
        lang: String,
        #[command(subcommand)]
        action: services::ServicesAction,
    },
    /// The reminders a shell would schedule now (status changes, materials
    /// due, licences near expiry), soonest first.
    Reminders {
        #[command(flatten)]
        core: CoreArgs,
        #[arg(long, default_value = "zh-Hans")]
        lang: String,
        /// Days ahead to look.
        #[arg(long, default_value_t = 30)]
        horizon_days: u32,
    },
    /// Send added households and queued submissions (progress bar), then
    /// refresh the roster.
    Sync {
        #[command(flatten)]
        core: CoreArgs,
        /// Report a metered network: attachments wait for Wi-Fi.
        #[arg(long)]
        metered: bool,
    },
    /// Developer measurements used by scripts/bench.
    #[command(subcommand)]
    Bench(BenchCommand),
}

/// What `palmgov check` checks.
#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckArg {
    /// ID number: a citizen's (GB 11643, 18 or legacy 15 characters), a
    /// Hong Kong, Macao or Taiwan resident's permit, a foreigner's
    /// permanent residence card.
    IdNumber,
    /// Unified social credit code (GB 32100).
    CreditCode,
    /// Chinese mobile number (+86, spaces and dashes allowed).
    Mobile,
    /// Administrative division (6-digit GB/T 2260 or 12-digit village code).
    Division,
    /// Licence number as printed, or a national e-licence identifier.
    LicenceNumber,
}

#[derive(Subcommand)]
enum SecureAction {
    /// Store VALUE (UTF-8) under NAMESPACE/KEY.
    Put {
        namespace: String,
        key: String,
        value: String,
    },
    /// Print the value under NAMESPACE/KEY; exits 1 if absent.
    Get { namespace: String, key: String },
    /// Print every KEY=VALUE of NAMESPACE.
    List { namespace: String },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Fill DATA_DIR with RECORDS encrypted records (setup for cold-open).
    Populate {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        records: u32,
    },
    /// Open the core over DATA_DIR once and print the microseconds it took,
    /// measured from process start: a real cold open.
    ColdOpen {
        #[arg(long)]
        data_dir: PathBuf,
        /// Also read the stored session offline (unlock + session), as an
        /// app does at start; DATA_DIR must come from `bench identity --keep`.
        #[arg(long)]
        session: bool,
    },
    /// Forms figures: autosave p99 over 10,000 drafts beside a bare SQLite
    /// update, listing and searching them. Prints `name<TAB>value` lines.
    Forms {
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// Photo ingest of FILE (median and fastest of RUNS) and the peak memory it adds.
    Ingest {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        file: PathBuf,
        /// More runs make a stall-free one likelier on a noisy machine.
        #[arg(long, default_value_t = 15)]
        runs: usize,
    },
    /// Sync of SUBMISSIONS household visits, each with a ~200 KB photo,
    /// through a proxy faulting PERCENT% of requests; checks the backend
    /// holds each exactly once. Prints `name<TAB>value` lines.
    Sync {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 1_000)]
        submissions: u32,
        #[arg(long, default_value_t = 10)]
        faults: u64,
    },
    /// Identity figures against the local provider: login round trip,
    /// refreshes caused by 100 concurrent callers near expiry, ID token
    /// validation beside ring's bare verify. Prints `name<TAB>value` lines.
    Identity {
        /// Leave a signed-in data directory here, for `cold-open --session`.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Wallet figures: offline verification (SM2, ES256) beside ring's bare
    /// verify, a 1,000,000-entry status list beside zlib alone. Prints
    /// `name<TAB>value` lines.
    Wallet {
        /// Leave a wallet of 50 licences here, for `wallet-list`.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// 亮证 figures: each profile's QR version beside an SD-JWT with key
    /// binding, building and verifying one code beside the matrix and the
    /// signatures alone, the replay record's durable commit beside a bare
    /// insert. Prints `name<TAB>value` lines.
    Qr,
    /// Region profiles: verifying a 16 KiB profile signed 2 of 3 beside
    /// ring's bare verification of the same two signatures.
    Region,
    /// Switching an open core's region (fetch, verify, apply) beside
    /// opening the core afresh, in DATA_DIR.
    RegionSwitch {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 21)]
        rounds: usize,
    },
    /// Service catalog figures for REGION (regions/REGION/catalog): open
    /// and index beside reading and inflating; search p99 over the golden
    /// queries beside a substring scan; golden top-3; size on disk.
    Catalog {
        #[arg(long, default_value = "regions")]
        regions: PathBuf,
        #[arg(long, default_value = "330106")]
        region: String,
    },
    /// Reminders of ~200 licences and applications recomputed, beside
    /// reading and unsealing the same records, in DATA_DIR.
    Reminders {
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// Open the core over DATA_DIR, unlock and list the wallet; print the
    /// microseconds from process start.
    WalletList {
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// The baseline of `wallet-list`: bare SQLite opens the same database
    /// and reads ROWS rows; microseconds from process start.
    SqliteRows {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 50)]
        rows: u32,
    },
}

/// Where the core keeps its data, and which backend it talks to.
#[derive(clap::Args)]
struct CoreArgs {
    /// The core's data directory (created if missing).
    #[arg(long, default_value = ".palmgov")]
    data_dir: PathBuf,
    /// The backend base URL.
    #[arg(long, default_value = "http://127.0.0.1:8787/")]
    server: String,
    /// Forward the core's logs at this level or more severe to stderr.
    #[arg(long, value_enum, default_value_t = Verbosity::Warn)]
    log: Verbosity,
    /// The OpenID provider's issuer (default: `palmgov provider`'s).
    #[arg(long, default_value = "http://127.0.0.1:8788")]
    issuer: String,
    /// The app's client id at the provider.
    #[arg(long, default_value = palmgov_server::dev_provider::CLIENT_ID)]
    client_id: String,
    /// The redirect URI registered for the app.
    #[arg(long, default_value = palmgov_server::dev_provider::REDIRECT_URI)]
    redirect_uri: String,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Verbosity {
    Error,
    Warn,
    Info,
    Debug,
}

impl From<Verbosity> for LogLevel {
    fn from(v: Verbosity) -> Self {
        match v {
            Verbosity::Error => LogLevel::Error,
            Verbosity::Warn => LogLevel::Warn,
            Verbosity::Info => LogLevel::Info,
            Verbosity::Debug => LogLevel::Debug,
        }
    }
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo => demo::run(),
        Command::Serve(args) => serve(args.into()),
        Command::Health { core } => with_core(&core, |gov| {
            let h = block_on(gov.region().server_health(None))?;
            say!(
                "status: {} (server {}, api v{})",
                h.status,
                h.server_version,
                h.api_version
            );
            if let Some(offset) = h.clock_offset_ms {
                say!("device clock offset: {offset} ms");
            }
            Ok(())
        }),
        Command::Region {
            action: Some(action),
            ..
        } => region::run(action),
        Command::Region { core, cached, .. } => with_core(&core, |gov| {
            let config = if cached {
                block_on(gov.region().cached_config())?
            } else {
                Some(block_on(gov.region().refresh_config(None))?)
            };
            match config {
                Some(c) => say!(
                    "{} {} features={:?}",
                    c.region_code,
                    c.display_name,
                    c.features
                ),
                None => say!("no cached region configuration"),
            }
            Ok(())
        }),
        Command::Secure { core, action } => with_core(&core, |gov| secure(gov, action)),
        Command::Provider { port, access_ttl } => identity::provider(port, access_ttl),
        Command::Login { core, sign_in } => {
            with_core(&core, |gov| identity::login(gov, &sign_in, None))
        }
        Command::Whoami { core } => with_core(&core, identity::whoami),
        Command::Logout { core } => with_core(&core, identity::logout),
        Command::StepUp {
            core,
            level,
            sign_in,
            face,
        } => with_core(&core, |gov| {
            if face.face {
                identity::face_step_up(gov, &face)
            } else {
                identity::login(gov, &sign_in, Some(level))
            }
        }),
        Command::Bench(BenchCommand::Populate { data_dir, records }) => {
            open_core(&data_dir, "http://127.0.0.1:9/", LogLevel::Warn).and_then(|gov| {
                block_on(gov.unlock("bench".into()))?;
                for i in 0..records {
                    block_on(gov.secure_store().put(
                        "bench".into(),
                        format!("record-{i:06}"),
                        vec![b'x'; 200],
                    ))?;
                }
                say!("populated {records} records");
                Ok(())
            })
        }
        Command::Bench(BenchCommand::ColdOpen { data_dir, session }) => {
            let identity = session.then(|| {
                default_identity_config(
                    // Offline: the issuer is never contacted.
                    "http://127.0.0.1:9".into(),
                    palmgov_server::dev_provider::CLIENT_ID.into(),
                    palmgov_server::dev_provider::REDIRECT_URI.into(),
                )
            });
            open_core_with(&data_dir, "http://127.0.0.1:9/", LogLevel::Warn, identity).and_then(
                |gov| {
                    if session {
                        block_on(gov.unlock("bench".into()))?;
                        block_on(gov.identity().session())?;
                    }
                    let elapsed = started.elapsed();
                    gov.shutdown();
                    say!("{}", elapsed.as_micros());
                    Ok(())
                },
            )
        }
        Command::Bench(BenchCommand::Identity { keep }) => identity::bench(keep),
        Command::Bench(BenchCommand::Wallet { keep }) => bench_wallet::wallet(keep),
        Command::Bench(BenchCommand::Qr) => bench_qr::qr(),
        Command::Bench(BenchCommand::Region) => bench_region::region(),
        Command::Bench(BenchCommand::RegionSwitch { data_dir, rounds }) => {
            bench_region::switch(&data_dir, rounds)
        }
        Command::Bench(BenchCommand::Catalog { regions, region }) => {
            bench_services::catalog(&regions, &region)
        }
        Command::Bench(BenchCommand::Reminders { data_dir }) => {
            bench_services::reminders(&data_dir)
        }
        Command::Bench(BenchCommand::WalletList { data_dir }) => {
            bench_wallet::list_cold(&data_dir, started)
        }
        Command::Bench(BenchCommand::SqliteRows { data_dir, rows }) => {
            bench_wallet::sqlite_rows(&data_dir, rows, started)
        }
        Command::Bench(BenchCommand::Forms { data_dir }) => bench_forms::forms(&data_dir),
        Command::Bench(BenchCommand::Ingest {
            data_dir,
            file,
            runs,
        }) => bench_forms::ingest(&data_dir, &file, runs.max(1)),
        Command::Bench(BenchCommand::Sync {
            data_dir,
            submissions,
            faults,
        }) => bench_sync::sync(&data_dir, submissions, faults),
        Command::Check { kind, value } => check(kind, value),
        Command::Forms {
            core,
            refresh,
            lang,
        } => with_core(&core, |gov| forms::forms(gov, refresh, &lang)),
        Command::Draft { core, lang, action } => {
            with_core(&core, |gov| forms::draft(gov, action, &lang))
        }
        Command::Roster {
            core,
            refresh,
            action,
        } => with_core(&core, |gov| forms::roster(gov, refresh, action)),
        Command::Sync { core, metered } => with_core(&core, |gov| forms::sync(gov, metered)),
        Command::Wallet { core, lang, action } => {
            with_core(&core, |gov| wallet::wallet(gov, action, &lang))
        }
        Command::Services { core, lang, action } => {
            with_core(&core, |gov| services::services(gov, action, &lang))
        }
        Command::Reminders {
            core,
            lang,
            horizon_days,
        } => with_core(&core, |gov| {
            services::reminders(gov, &lang, output::local_offset_min(), horizon_days)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Core(e)) => {
            tell!("palmgov: {} [{}]", e, e.code());
            ExitCode::FAILURE
        }
        Err(CliError::Cli { code, detail }) => {
            tell!("palmgov: {detail} [{code}]");
            ExitCode::FAILURE
        }
    }
}

fn check(kind: CheckArg, value: String) -> CliResult {
    use palmgov::CheckKind;
    let kind = match kind {
        CheckArg::IdNumber => CheckKind::IdNumber,
        CheckArg::CreditCode => CheckKind::CreditCode,
        CheckArg::Mobile => CheckKind::Mobile,
        CheckArg::Division => CheckKind::Division,
        CheckArg::LicenceNumber => CheckKind::LicenceNumber,
    };
    let outcome = palmgov::check_value(kind, value);
    match (outcome.normalized, outcome.reason) {
        (Some(normalized), _) => {
            match outcome.detail {
                Some(detail) => say!("valid: {normalized} ({detail})"),
                None => say!("valid: {normalized}"),
            }
            Ok(())
        }
        (None, reason) => Err(CliError::cli(
            "cli.invalid_value",
            format!("invalid: {}", reason.map_or("unknown", |r| r.code())),
        )),
    }
}

/// A CLI failure: a core error (shown with its stable code) or a CLI problem.
enum CliError {
    Core(PalmGovError),
    /// A failure of the CLI itself, with a stable code (`cli.usage`,
    /// `cli.file`, …) like the core's, and what happened for a person.
    Cli {
        code: &'static str,
        detail: String,
    },
}

impl CliError {
    pub(crate) fn cli(code: &'static str, detail: impl std::fmt::Display) -> Self {
        CliError::Cli {
            code,
            detail: detail.to_string(),
        }
    }
}

impl From<PalmGovError> for CliError {
    fn from(e: PalmGovError) -> Self {
        CliError::Core(e)
    }
}

type CliResult<T = ()> = Result<T, CliError>;

fn serve(args: palmgov_server::serve::ServerArgs) -> CliResult {
    let rt = tokio::runtime::Runtime::new().map_err(|e| CliError::cli("cli.system", e))?;
    rt.block_on(palmgov_server::serve::serve_args(&args, "Ctrl-C to stop"))
        .map_err(|e| CliError::cli("cli.backend", e))
}

fn secure(gov: &PalmGov, action: SecureAction) -> CliResult {
    block_on(gov.unlock("palmgov secure".into()))?;
    match action {
        SecureAction::Put {
            namespace,
            key,
            value,
        } => block_on(gov.secure_store().put(namespace, key, value.into_bytes()))?,
        SecureAction::Get { namespace, key } => {
            match block_on(gov.secure_store().get(namespace, key))? {
                Some(v) => say!("{}", String::from_utf8_lossy(&v)),
                None => return Err(CliError::cli("cli.not_found", "no such entry")),
            }
        }
        SecureAction::List { namespace } => {
            for e in block_on(gov.secure_store().list(namespace))? {
                say!("{}={}", e.key, String::from_utf8_lossy(&e.value));
            }
        }
    }
    Ok(())
}

fn with_core(args: &CoreArgs, f: impl FnOnce(&PalmGov) -> CliResult) -> CliResult {
    let identity = default_identity_config(
        args.issuer.clone(),
        args.client_id.clone(),
        args.redirect_uri.clone(),
    );
    let gov = open_core_with(
        &args.data_dir,
        &args.server,
        args.log.into(),
        Some(identity),
    )?;
    let result = f(&gov);
    gov.shutdown();
    result
}

/// Opens the core with the software hooks; the keystore file sits beside the data.
pub(crate) fn open_core(data_dir: &Path, server: &str, log: LogLevel) -> CliResult<Arc<PalmGov>> {
    open_core_with(data_dir, server, log, None)
}

/// [`open_core`] with an identity provider configured.
pub(crate) fn open_core_with(
    data_dir: &Path,
    server: &str,
    log: LogLevel,
    identity: Option<IdentityConfig>,
) -> CliResult<Arc<PalmGov>> {
    open_core_clocked(
        data_dir,
        server,
        log,
        identity,
        Arc::new(palmgov::SystemClock),
    )
}

/// [`open_core_with`] on a clock of the caller's (the demo moves time on).
pub(crate) fn open_core_clocked(
    data_dir: &Path,
    server: &str,
    log: LogLevel,
    identity: Option<IdentityConfig>,
    clock: Arc<dyn palmgov::Clock>,
) -> CliResult<Arc<PalmGov>> {
    std::fs::create_dir_all(data_dir).map_err(|_| PalmGovError::DataDirUnwritable)?;
    let keystore =
        SoftwareKeystore::open_file(data_dir.join("software-keystore.json")).map_err(|e| {
            CliError::cli(
                "cli.keystore",
                format!("the software keystore file cannot be used: {e}"),
            )
        })?;
    let config = PalmGovConfig {
        wallet: Some(wallet::test_config()),
        data_dir: data_dir.join("core").to_string_lossy().into_owned(),
        server: default_server_config(server.to_string()),
        log_level: log,
        log_dependencies: false,
        lock_timeout_secs: 300,
        identity,
        region: None,
    };
    Ok(PalmGov::open_with_clock(
        config,
        Arc::new(keystore),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        Some(Arc::new(StderrLogSink { max_level: log })),
        clock,
    )?)
}

/// Drives one core future to completion from the CLI's thread; the work
/// itself runs on the core's runtime, so this only waits. One small
/// runtime per thread, reused: building one per call cost more than an
/// autosave.
pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    thread_local! {
        static WAITER: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime");
    }
    WAITER.with(|rt| rt.block_on(f))
}

/// Milliseconds since the Unix epoch on the device clock.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
