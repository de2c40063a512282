//! A region profile: what a region decides at run time, signed by the
//! region's keys in the wallet's envelope (kind [`PROFILE_KIND`]) and
//! verified offline. What the OS and the stores need (app id, signing,
//! name, icon, redirect scheme) is the build's (`regions/<code>/`); the
//! rest is here, so a region changes it without a release.
//!
//! [`parse`] reads a profile's body and checks every setting once, so
//! everything after it can rely on the values: a profile that fails any
//! check is refused whole with a stable reason (`profile.<field>`), never
//! partly applied.
//!
//! ```json
//! {"region": {"code": "330106", "names": {"zh-Hans": "杭州市西湖区", "en": "Xihu District"}},
//!  "api": {"base_url": "https://api.xihu.example.gov.cn/", "extra_roots_pem": [],
//!          "pins": ["<base64 SHA-256 SPKI>"], "backup_pins": ["…"]},
//!  "identity": {"issuer": "…", "client_id": "…", "redirect_uri": "…", "scopes": ["openid"],
//!               "acr_levels": ["…", "…", "…", "…"], "use_dpop": true,
//!               "offline_grace_secs": 604800, "refresh_reuse_window_secs": 0,
//!               "takes_over": ["<an earlier provider's issuer>"]},
//!  "services": ["drafts", "wallet"],
//!  "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
//!  "branding": {"colours": {"primary": "#1B5FAA"}, "hotline": "12345", "names": {"zh-Hans": "…"}},
//!  "catalog": {"url": "v1/catalog", "manifest_sha256": "<hex SHA-256 of its manifest.json>"},
//!  "reminders": {"licence_expiry_days": [30, 7, 0], "correction_due_days": [3, 1],
//!                "status_window_hours": 72, "hour": 9, "quiet_hours": [21, 8]},
//!  "licence_trust": {"roots": [<JWK>…], "threshold": 2},
//!  "app": {"ids": ["cn.gov.zj.hz.xihu.palmgov"], "min_version": "1.0.0"}}
//! ```

use std::collections::BTreeMap;

use base64::Engine;
use palmgov_credentials::keys::PublicKey;
use serde_json::Value;

use crate::config::{IdentityConfig, check_identity};
use crate::error::{PalmGovError, Result};
use crate::net::{ServerConfig, check_url, default_server_config};
use crate::shape::{labels, list, number, object, string, strings};

/// The envelope kind of region profiles.
pub const PROFILE_KIND: &str = "palmgov.region-profile";

/// The languages the core has catalogs for.
pub const LANGUAGES: &[&str] = &["zh-Hans", "zh-Hant", "ug", "en"];

/// Labels by language tag.
pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq)]
pub struct RegionPart {
    /// GB/T 2260: six digits.
    pub code: String,
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiPart {
    pub base_url: String,
    pub extra_roots_pem: Vec<String>,
    /// Base64 SHA-256 SubjectPublicKeyInfo pins of the servers' keys.
    pub pins: Vec<String>,
    /// Pins of keys not yet in use, so a key change never locks the app out
    /// (required whenever `pins` is set).
    pub backup_pins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdentityPart {
    pub issuer: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub acr_levels: Vec<String>,
    pub use_dpop: bool,
    pub offline_grace_secs: u64,
    pub refresh_reuse_window_secs: u64,
    /// Earlier providers of this region whose accounts a sign-in here takes
    /// over (their drafts, queue and roster), when the region's backend
    /// vouches that both are the same person.
    pub takes_over: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LanguagesPart {
    pub offered: Vec<String>,
    pub default: String,
    pub fallback: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrandingPart {
    /// `#RRGGBB` by role (`primary`, `on_primary`…).
    pub colours: BTreeMap<String, String>,
    pub hotline: String,
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CatalogPart {
    /// Where the catalog is published (its `manifest.json` and `chunks/`):
    /// relative to the API base, or an https URL.
    pub url: String,
    /// Lowercase hex SHA-256 of the manifest: the one the app takes, which
    /// in turn pins every chunk by its hash.
    pub manifest_sha256: String,
}

/// When the app reminds people, by the core's reminders
/// (`core/src/reminders`). Every member has a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemindersPart {
    /// Days before a licence's last valid day to remind, each at
    /// `hour` local time (0: on the day itself).
    pub licence_expiry_days: Vec<u32>,
    /// Days before a due date for materials an application is asked for
    /// (补正) to remind.
    pub correction_due_days: Vec<u32>,
    /// How long after a sync found a status change it is still worth a
    /// notification, in hours.
    pub status_window_hours: u32,
    /// The local hour day reminders are placed at.
    pub hour: u32,
    /// Local hours `[from, to)` in which nothing is shown: a status change
    /// found at night waits for `to`.
    pub quiet_hours: (u32, u32),
}

impl Default for RemindersPart {
    fn default() -> Self {
        Self {
            licence_expiry_days: vec![30, 7, 0],
            correction_due_days: vec![3, 1],
            status_window_hours: 72,
            hour: 9,
            quiet_hours: (21, 8),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LicenceTrustPart {
    /// JWKs of the root keys of the licence trust list.
    pub roots: Vec<Value>,
    pub threshold: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppPart {
    /// The app ids (Android application id, iOS bundle id) this profile is
    /// for.
    pub ids: Vec<String>,
    /// The lowest app version that may run it (`major.minor.patch`).
    pub min_version: String,
}

/// A region profile's body, every setting checked ([`parse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub region: RegionPart,
    pub api: ApiPart,
    pub identity: Option<IdentityPart>,
    pub services: Vec<String>,
    pub languages: LanguagesPart,
    pub branding: BrandingPart,
    pub catalog: Option<CatalogPart>,
    /// The reminder policy, read by the reminders capability.
    pub reminders: RemindersPart,
    pub licence_trust: LicenceTrustPart,
    pub app: AppPart,
}

fn refused(reason: &str) -> crate::error::Error {
    PalmGovError::RegionProfileRefused {
        reason: format!("profile.{reason}"),
    }
    .into()
}

/// Reads and checks a profile's body (the envelope's, already verified).
pub(crate) fn parse(body: Value) -> Result<Profile> {
    let profile = read(body).ok_or_else(|| refused("shape"))?;
    profile.check()?;
    Ok(profile)
}

/// The body's shape, read by hand and by value (the strings move, the CA
/// certificates of a 16 KiB profile are not copied): serde's derives over
/// a `Value` compiled to about 40 KB of the library for these ten structs.
/// Unknown members are refused, as `deny_unknown_fields` would; `None` for
/// any shape error.
fn read(body: Value) -> Option<Profile> {
    let mut root = object(
        body,
        &[
            "region",
            "api",
            "identity",
            "services",
            "languages",
            "branding",
            "catalog",
            "reminders",
            "licence_trust",
            "app",
        ],
    )?;
    let mut region = object(root.remove("region")?, &["code", "names"])?;
    let mut api = object(
        root.remove("api")?,
        &["base_url", "extra_roots_pem", "pins", "backup_pins"],
    )?;
    let identity = match root.remove("identity") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let mut i = object(
                v,
                &[
                    "issuer",
                    "client_id",
                    "redirect_uri",
                    "scopes",
                    "acr_levels",
                    "use_dpop",
                    "offline_grace_secs",
                    "refresh_reuse_window_secs",
                    "takes_over",
                ],
            )?;
            Some(IdentityPart {
                issuer: string(i.remove("issuer"))?,
                client_id: string(i.remove("client_id"))?,
                redirect_uri: string(i.remove("redirect_uri"))?,
                scopes: strings(i.remove("scopes"), false)?,
                acr_levels: strings(i.remove("acr_levels"), false)?,
                use_dpop: match i.remove("use_dpop") {
                    None => true,
                    Some(v) => v.as_bool()?,
                },
                offline_grace_secs: number(i.remove("offline_grace_secs"), 7 * 24 * 3600)?,
                refresh_reuse_window_secs: number(i.remove("refresh_reuse_window_secs"), 0)?,
                takes_over: strings(i.remove("takes_over"), true)?,
            })
        }
    };
    let mut languages = object(
        root.remove("languages")?,
        &["offered", "default", "fallback"],
    )?;
    let mut branding = object(root.remove("branding")?, &["colours", "hotline", "names"])?;
    let catalog = match root.remove("catalog") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let mut c = object(v, &["url", "manifest_sha256"])?;
            Some(CatalogPart {
                url: string(c.remove("url"))?,
                manifest_sha256: string(c.remove("manifest_sha256"))?,
            })
        }
    };
    let mut trust = object(root.remove("licence_trust")?, &["roots", "threshold"])?;
    let mut app = object(root.remove("app")?, &["ids", "min_version"])?;
    Some(Profile {
        region: RegionPart {
            code: string(region.remove("code"))?,
            names: labels(region.remove("names"))?,
        },
        api: ApiPart {
            base_url: string(api.remove("base_url"))?,
            extra_roots_pem: strings(api.remove("extra_roots_pem"), true)?,
            pins: strings(api.remove("pins"), true)?,
            backup_pins: strings(api.remove("backup_pins"), true)?,
        },
        identity,
        services: strings(root.remove("services"), false)?,
        languages: LanguagesPart {
            offered: strings(languages.remove("offered"), false)?,
            default: string(languages.remove("default"))?,
            fallback: strings(languages.remove("fallback"), false)?,
        },
        branding: BrandingPart {
            colours: match branding.remove("colours") {
                None => BTreeMap::new(),
                v => labels(v)?,
            },
            hotline: string(branding.remove("hotline"))?,
            names: labels(branding.remove("names"))?,
        },
        catalog,
        reminders: match root.remove("reminders") {
            None => RemindersPart::default(),
            Some(v) => reminders(v)?,
        },
        licence_trust: LicenceTrustPart {
            threshold: u32::try_from(trust.get("threshold")?.as_u64()?).ok()?,
            roots: match trust.remove("roots")? {
                Value::Array(roots) => roots,
                _ => return None,
            },
        },
        app: AppPart {
            ids: strings(app.remove("ids"), false)?,
            min_version: string(app.remove("min_version"))?,
        },
    })
}

fn reminders(value: Value) -> Option<RemindersPart> {
    let mut r = object(
        value,
        &[
            "licence_expiry_days",
            "correction_due_days",
            "status_window_hours",
            "hour",
            "quiet_hours",
        ],
    )?;
    let d = RemindersPart::default();
    let small = |v: Option<Value>, default: u32| u32::try_from(number(v, u64::from(default))?).ok();
    let days = |v: Option<Value>, default: Vec<u32>| match v {
        None => Some(default),
        v => list(v, |d| u32::try_from(d.as_u64()?).ok()),
    };
    let quiet = match r.remove("quiet_hours") {
        None => d.quiet_hours,
        v => match list(v, |h| u32::try_from(h.as_u64()?).ok())?[..] {
            [from, to] => (from, to),
            _ => return None,
        },
    };
    Some(RemindersPart {
        licence_expiry_days: days(r.remove("licence_expiry_days"), d.licence_expiry_days)?,
        correction_due_days: days(r.remove("correction_due_days"), d.correction_due_days)?,
        status_window_hours: small(r.remove("status_window_hours"), d.status_window_hours)?,
        hour: small(r.remove("hour"), d.hour)?,
        quiet_hours: quiet,
    })
}

impl Profile {
    fn check(&self) -> Result<()> {
        let r = &self.region;
        if r.code.len() != 6 || !r.code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refused("region_code"));
        }
        check_labels(&r.names, "region_names")?;
        check_url(&self.api.base_url, "api.base_url").map_err(|_| refused("api.base_url"))?;
        // Backup pins alone would pin the app to keys not yet in use: no
        // connection, not even to fetch the profile that fixes it.
        if self.api.pins.is_empty() && !self.api.backup_pins.is_empty() {
            return Err(refused("backup_pins"));
        }
        if !self.api.pins.is_empty() {
            let b64 = base64::engine::general_purpose::STANDARD;
            let pin_ok = |p: &String| b64.decode(p).is_ok_and(|d| d.len() == 32);
            if !self
                .api
                .pins
                .iter()
                .chain(&self.api.backup_pins)
                .all(pin_ok)
            {
                return Err(refused("pins"));
            }
            // A backup pin that is also in use backs nothing up.
            let backed = self
                .api
                .backup_pins
                .iter()
                .any(|b| !self.api.pins.contains(b));
            if !backed {
                return Err(refused("backup_pins"));
            }
        }
        if let Some(identity) = &self.identity {
            check_identity(&self.identity_config_of(identity)).map_err(|_| refused("identity"))?;
            if identity.takes_over.contains(&identity.issuer) {
                return Err(refused("identity.takes_over"));
            }
        }
        let names_ok = |s: &String| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if !self.services.iter().all(names_ok) {
            return Err(refused("services"));
        }
        let l = &self.languages;
        let known = |t: &String| LANGUAGES.contains(&t.as_str());
        if l.offered.is_empty()
            || !l.offered.iter().all(known)
            || !l.offered.contains(&l.default)
            || !l.fallback.iter().all(known)
        {
            return Err(refused("languages"));
        }
        let b = &self.branding;
        let colour_ok = |c: &String| {
            c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|x| x.is_ascii_hexdigit())
        };
        if !b.colours.values().all(colour_ok) {
            return Err(refused("branding.colours"));
        }
        let hotline_ok = !b.hotline.is_empty()
            && b.hotline.len() <= 20
            && b.hotline.bytes().all(|x| x.is_ascii_digit() || x == b'-');
        if !hotline_ok {
            return Err(refused("branding.hotline"));
        }
        check_labels(&b.names, "branding.names")?;
        // Every language offered has its names.
        for tag in &l.offered {
            if !r.names.contains_key(tag) || !b.names.contains_key(tag) {
                return Err(refused("languages.names"));
            }
        }
        if let Some(c) = &self.catalog {
            let relative = !c.url.is_empty()
                && !c.url.contains("://")
                && !c.url.starts_with('/')
                && !c.url.contains("..");
            if !relative {
                check_url(&c.url, "catalog").map_err(|_| refused("catalog.url"))?;
            }
            if !crate::crypto::is_sha256_hex(&c.manifest_sha256) {
                return Err(refused("catalog.manifest_sha256"));
            }
        }
        let r = &self.reminders;
        let days_ok = |d: &[u32]| d.len() <= 8 && d.iter().all(|d| *d <= 366);
        if !days_ok(&r.licence_expiry_days)
            || !days_ok(&r.correction_due_days)
            || r.status_window_hours > 24 * 30
            || r.hour > 23
            || r.quiet_hours.0 > 23
            || r.quiet_hours.1 > 23
        {
            return Err(refused("reminders"));
        }
        self.licence_roots()?;
        if self.app.ids.is_empty() || self.app.ids.iter().any(|i| !app_id_ok(i)) {
            return Err(refused("app.ids"));
        }
        if version_of(&self.app.min_version).is_none() {
            return Err(refused("app.min_version"));
        }
        Ok(())
    }

    /// Whether the network settings build (the CA certificates parse, the
    /// pins make a verifier): checked before a profile is kept, or the next
    /// start could not open the core at all. Apart from [`parse`], which
    /// tools and the verifier run, because it builds a whole TLS
    /// configuration.
    pub(crate) fn check_network(&self) -> Result<()> {
        let pins: Vec<String> = self
            .api
            .pins
            .iter()
            .chain(&self.api.backup_pins)
            .cloned()
            .collect();
        crate::net::tls::client_config(&self.api.extra_roots_pem, &pins)
            .map(|_| ())
            .map_err(|_| refused("api.tls"))
    }

    /// The network settings this profile gives, with the core's defaults
    /// for timeouts and attempts.
    pub(crate) fn server_config(&self) -> Result<ServerConfig> {
        check_url(&self.api.base_url, "api.base_url").map_err(|_| refused("api.base_url"))?;
        let mut server = default_server_config(self.api.base_url.clone());
        server.extra_root_certs_pem = self.api.extra_roots_pem.clone();
        server.spki_pins_sha256 = self
            .api
            .pins
            .iter()
            .chain(&self.api.backup_pins)
            .cloned()
            .collect();
        Ok(server)
    }

    /// The identity provider this profile names, if any.
    pub(crate) fn identity_config(&self) -> Option<IdentityConfig> {
        self.identity.as_ref().map(|i| self.identity_config_of(i))
    }

    fn identity_config_of(&self, i: &IdentityPart) -> IdentityConfig {
        let mut config = crate::config::default_identity_config(
            i.issuer.clone(),
            i.client_id.clone(),
            i.redirect_uri.clone(),
        );
        config.scopes = i.scopes.clone();
        config.acr_levels = i.acr_levels.clone();
        config.use_dpop = i.use_dpop;
        config.offline_grace_secs = i.offline_grace_secs;
        config.refresh_reuse_window_secs = i.refresh_reuse_window_secs;
        config
    }

    /// The licence trust list's root keys (JWKs as JSON text) and threshold.
    pub(crate) fn licence_roots(&self) -> Result<(Vec<String>, u32)> {
        let t = &self.licence_trust;
        let keys: Vec<String> = t
            .roots
            .iter()
            .map(|jwk| {
                PublicKey::from_jwk(jwk)
                    .map(|_| jwk.to_string())
                    .map_err(|_| refused("licence_trust.roots"))
            })
            .collect::<Result<_>>()?;
        if t.threshold == 0 || t.threshold as usize > keys.len() {
            return Err(refused("licence_trust.threshold"));
        }
        Ok((keys, t.threshold))
    }

    /// Whether an app at `version` may run this profile.
    pub fn supports(&self, version: &str) -> bool {
        match (version_of(version), version_of(&self.app.min_version)) {
            (Some(have), Some(need)) => have >= need,
            _ => false,
        }
    }
}

fn check_labels(labels: &Labels, field: &str) -> Result<()> {
    let ok = labels.contains_key("zh-Hans")
        && labels.iter().all(|(k, v)| {
            LANGUAGES.contains(&k.as_str()) && !v.trim().is_empty() && v.len() <= 200
        });
    if ok { Ok(()) } else { Err(refused(field)) }
}

/// A reverse-DNS app id: `cn.gov.zj.hz.xihu.palmgov`.
fn app_id_ok(id: &str) -> bool {
    id.len() <= 150
        && id.split('.').count() >= 2
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// `major.minor.patch`, each a number.
pub fn version_of(version: &str) -> Option<(u32, u32, u32)> {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// A profile envelope verified by [`ProfileVerifier`].
#[derive(Debug, Clone)]
pub struct Verified {
    pub profile: Profile,
    pub version: u64,
    pub expires: i64,
    pub stale: bool,
    /// SHA-256 of the payload: with `version`, what a next check's `last` is.
    pub digest: [u8; 32],
}

/// Verifies profile envelopes under a root, with no stored state: for a
/// region's tools (`palmgov region verify|check`), the fuzz target and
/// `scripts/bench`. Errors are the stable reasons
/// [`PalmGovError::RegionProfileRefused`] gives.
pub struct ProfileVerifier {
    root: palmgov_credentials::envelope::Root,
}

impl ProfileVerifier {
    /// The pinned `root_keys` (JWKs as JSON) and `threshold`, carried
    /// through the root documents `roots` in order.
    pub fn new(
        root_keys: &[String],
        threshold: u32,
        roots: &[String],
    ) -> std::result::Result<Self, String> {
        let mut root =
            crate::crypto::pinned_root(root_keys, threshold, "region.trust").map_err(reason_of)?;
        for document in roots {
            root = palmgov_credentials::envelope::update_root(&root, document)
                .map_err(|e| format!("root.{}", e.reason()))?;
        }
        Ok(Self { root })
    }

    /// Verifies `document` (signatures by a threshold of distinct keys,
    /// not below `last`: the version and payload digest accepted before)
    /// and checks its body.
    pub fn verify(
        &self,
        document: &str,
        last: Option<(u64, [u8; 32])>,
        now: i64,
    ) -> std::result::Result<Verified, String> {
        let opened =
            palmgov_credentials::envelope::open(&self.root, PROFILE_KIND, document, last, now)
                .map_err(|e| format!("profile.{}", e.reason()))?;
        let profile = parse(opened.body).map_err(reason_of)?;
        Ok(Verified {
            profile,
            version: opened.version,
            expires: opened.expires,
            stale: opened.stale,
            digest: opened.digest,
        })
    }
}

fn reason_of(e: crate::error::Error) -> String {
    match PalmGovError::from(e) {
        PalmGovError::RegionProfileRefused { reason } => reason,
        PalmGovError::InvalidInput { field } => field,
        other => other.code().to_string(),
    }
}

/// [`ProfileVerifier::verify`] under a root made for the one call.
pub fn verify_document(
    root_keys: &[String],
    threshold: u32,
    roots: &[String],
    document: &str,
    now: i64,
) -> std::result::Result<Verified, String> {
    ProfileVerifier::new(root_keys, threshold, roots)?.verify(document, None, now)
}

/// The fuzz target's body (`fuzz/fuzz_targets/region_profile.rs`) and the
/// corpus replay's: any bytes as a profile body, and as an envelope under
/// a fixed root. Must only ever return.
pub fn fuzz(data: &[u8]) {
    if let Ok(body) = serde_json::from_slice::<Value>(data)
        && let Ok(profile) = parse(body)
    {
        let _ = profile.server_config();
        let _ = profile.identity_config();
        let _ = profile.supports("1.0.0");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // A fixed root (RFC 8037's example Ed25519 key): the fuzzer cannot
        // sign, so this reaches the envelope parser and the threshold check.
        const KEY: &str =
            r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
        let _ = verify_document(&[KEY.to_string()], 1, &[], text, 1_800_000_000);
    }
}
