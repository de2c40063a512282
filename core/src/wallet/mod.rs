//! The e-licence wallet (电子证照): the signed-in person's licences fetched
//! from the backend, kept sealed under the account's key, and checked
//! offline against the trust list and the issuers' status lists.
//!
//! - **Fetch.** The backend issues each licence as an SD-JWT VC bound to
//!   this phone's holder key (a P-256 key in the keystore hook: the iOS
//!   Secure Enclave holds P-256 only). A new phone gets its licences by
//!   fetching again, bound to its own key; no key is ever copied. Each
//!   credential is checked before it is kept, and its licence identifier
//!   with the forms' own parser; one that fails is refused and logged by
//!   code.
//! - **Store.** Two sealed columns per licence: a small index (type,
//!   validity, the last verdict, when to refresh) that listing 50 licences
//!   opens without a signature check or the full credential, and the
//!   credential itself. Both under the account key, so signing out, which
//!   destroys that key, leaves nothing readable; the rows go too.
//! - **Check.** Offline: the issuer's signature under the trust list's keys
//!   for that issuer and algorithm (a closed list: ES256, SM2), every
//!   disclosure's digest, the validity period on the corrected clock, and
//!   the status list (2 bits: valid, invalid, suspended). A missing or stale
//!   list gives `Undetermined`, with its age, never `Valid`.
//! - **Refresh.** A licence near its expiry or past the update its issuer
//!   announced is fetched again at the next sync, including one the OS
//!   starts in the background. One the backend no longer gives stays
//!   readable, marked `NoLongerRefreshed`.
//!
//! This capability owns the `licences` and `trust_documents` tables.

mod holder;
mod material;
mod records;
mod showing;
pub(crate) mod trust;
mod verifier;

use std::sync::Arc;

use palmgov_credentials::sdjwt;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use records::{
    DisclosureProfile, LicenceClaim, LicenceDetail, LicenceFreshness, LicenceQr, LicenceSummary,
    LicenceVerdict, PresentationCheck, PresentationRecord, RequestQr, TrustListStatus,
    VerifierRequest, WalletDevice, WalletRefresh,
};
pub(crate) use showing::{Code, ONLINE_PREFIX, Request};

use crate::clock::now_ms;
use crate::config::WalletConfig;
use crate::context::Context;
use crate::crypto::DataKey;
use crate::error::{PalmGovError, Result};
use crate::forms::licence_types;
use crate::gate::Unlocked;
use crate::identity::IdentityService;

/// A licence is fetched again this long before its credential expires.
const REFRESH_BEFORE_SECS: i64 = 14 * 24 * 3600;
/// Most licences one person holds that the wallet keeps.
const MAX_LICENCES: usize = 50;
/// Allowed difference between the phone's corrected clock and an issuer's.
const SKEW_SECS: i64 = 300;

/// Status lists decoded during one judgement of several licences, by URI:
/// the list (or none fetched), or why it could not be used.
type StatusCache =
    std::collections::HashMap<String, std::result::Result<Option<trust::CachedStatus>, String>>;

/// The sealed index of one licence. Its identifier and type live only in
/// here: a row is keyed by a random id, so the database shows neither
/// which licences a person holds nor their numbers.
#[derive(Serialize, Deserialize)]
struct Index {
    licence_id: String,
    licence_type: String,
    valid_from: String,
    valid_until: String,
    verdict: LicenceVerdict,
    /// Unix seconds after which the licence is fetched again.
    refresh_after: i64,
    no_longer_refreshed: bool,
}

fn context(owner: &str, row: &str, part: &str) -> Vec<u8> {
    format!("wallet.licence\0{part}\0{owner}\0{row}").into_bytes()
}

fn refused(reason: &str) -> PalmGovError {
    PalmGovError::LicenceRefused {
        reason: reason.into(),
    }
}

/// What the backend sends for one licence.
#[derive(Deserialize)]
struct Fetched {
    credential: String,
    #[serde(default)]
    expected_update: Option<i64>,
    /// The compact form for QR codes (base64url of
    /// `IssuedCompact::to_bytes`), from backends that issue it.
    #[serde(default)]
    compact: Option<String>,
}

#[derive(Deserialize)]
struct FetchReply {
    licences: Vec<Fetched>,
}

/// A credential that passed its check, ready to be kept.
struct Checked {
    index: Index,
    credential: String,
    /// The compact form, checked, as `IssuedCompact::to_bytes`.
    compact: Option<Vec<u8>>,
}

/// One stored licence: its row id, index, credential and fetch time.
/// A licence held, without its identifier or claims ([`WalletService::holdings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holding {
    /// The row's random id: stable while the licence is kept.
    pub row: String,
    pub licence_type: String,
    /// `YYYY-MM-DD`; `9999-12-31` for a licence without an end.
    pub valid_until: String,
    /// Valid now, with a good or not yet known status.
    pub usable: bool,
}

struct Stored {
    row: String,
    index: Index,
    credential: Vec<u8>,
    fetched_at: i64,
}

/// The wallet capability of one open core.
pub(crate) struct WalletService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
    /// Replaced when a region profile names new licence trust roots.
    config: std::sync::RwLock<Option<Arc<WalletConfig>>>,
}

impl WalletService {
    pub(crate) fn new(
        ctx: Arc<Context>,
        identity: Arc<IdentityService>,
        config: Option<WalletConfig>,
    ) -> Self {
        Self {
            ctx,
            identity,
            config: std::sync::RwLock::new(config.map(Arc::new)),
        }
    }

    fn config(&self) -> Result<Arc<WalletConfig>> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| {
                PalmGovError::InvalidInput {
                    field: "wallet (not configured)".into(),
                }
                .into()
            })
    }

    /// Makes `keys` (JWKs as JSON) and `threshold` the licence trust
    /// list's root, as a new region profile says, on the open core. The
    /// root documents kept chain from the old pins, so they go; the next
    /// refresh fetches the trust list (and any rotations) under the new
    /// root. Returns whether anything changed.
    pub(crate) fn replace_trust_roots(&self, keys: Vec<String>, threshold: u32) -> Result<bool> {
        let mut slot = self.config.write().unwrap_or_else(|e| e.into_inner());
        let Some(current) = slot.as_ref() else {
            return Ok(false);
        };
        if current.trust_roots == keys && current.trust_threshold == threshold {
            return Ok(false);
        }
        // The new pins must make a root before anything is dropped.
        crate::crypto::pinned_root(&keys, threshold, "wallet.trust")?;
        self.ctx.store.write_durably(|tx| {
            tx.execute("DELETE FROM trust_documents WHERE kind LIKE 'root:%'", [])?;
            Ok(())
        })?;
        *slot = Some(Arc::new(WalletConfig {
            trust_roots: keys,
            trust_threshold: threshold,
            ..(**current).clone()
        }));
        Ok(true)
    }

    /// "Now" on the servers' clock, in seconds.
    fn now(&self) -> i64 {
        let api = self.ctx.api();
        api.server_now()
            .unwrap_or_else(|| crate::clock::unix_secs(api.clock().now()))
    }

    fn account_key(&self, owner: &str) -> Result<DataKey> {
        self.identity
            .account_key(owner)?
            .ok_or_else(|| PalmGovError::SignInRequired.into())
    }

    /// The account's licences as the sealed index has them. Offline; opens
    /// no credential and checks no signature.
    pub(crate) fn list(&self, _: &Unlocked, language: &str) -> Result<Vec<LicenceSummary>> {
        let owner = self.ctx.owner()?;
        let now = self.now();
        Ok(self
            .rows(&owner)?
            .iter()
            .map(|r| summary(&r.index, r.fetched_at, language, now))
            .collect())
    }

    /// What the signed-in person holds, as the sealed index has it: for
    /// the service catalog's "what do I still need?" and for reminders.
    /// Needs no app lock (reminders are computed in the background) and
    /// returns no identifier or claim: rows by their random ids.
    pub(crate) fn holdings(&self) -> Result<Vec<Holding>> {
        let Ok(owner) = self.ctx.owner() else {
            return Ok(Vec::new());
        };
        let today = date_in_china(self.now());
        Ok(self
            .rows(&owner)?
            .into_iter()
            .map(|r| Holding {
                usable: matches!(
                    r.index.verdict,
                    LicenceVerdict::Valid | LicenceVerdict::Undetermined { .. }
                ) && r.index.valid_until >= today,
                row: r.row,
                licence_type: r.index.licence_type,
                valid_until: r.index.valid_until,
            })
            .collect())
    }

    /// The account's rows, indexes opened, credentials still sealed.
    fn rows(&self, owner: &str) -> Result<Vec<Stored>> {
        let key = self.account_key(owner)?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT row_id, summary, credential, fetched_at FROM licences
             WHERE owner = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([owner])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let row: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(1)?;
            let index: Index =
                serde_json::from_slice(&key.open(&context(owner, &row, "index"), &sealed)?)?;
            out.push(Stored {
                row,
                index,
                credential: r.get(2)?,
                fetched_at: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// The stored licence `id` (its national identifier) with its
    /// credential opened.
    fn load(&self, owner: &str, id: &str) -> Result<(Stored, String)> {
        let stored = self
            .rows(owner)?
            .into_iter()
            .find(|r| r.index.licence_id == id)
            .ok_or(PalmGovError::NotFound)?;
        let key = self.account_key(owner)?;
        let credential = String::from_utf8(
            key.open(
                &context(owner, &stored.row, "credential"),
                &stored.credential,
            )?
            .to_vec(),
        )
        .map_err(|_| PalmGovError::Decryption)?;
        Ok((stored, credential))
    }

    /// One licence with every claim. Offline. A licence whose credential no
    /// longer verifies (it expired unrefreshed, its issuer key left the
    /// trust list) stays readable: the claims are read from the credential
    /// checked when it was fetched, and the verdict says what holds now.
    pub(crate) fn show(&self, _: &Unlocked, id: &str, language: &str) -> Result<LicenceDetail> {
        let owner = self.ctx.owner()?;
        let (stored, credential) = self.load(&owner, id)?;
        let inspected = sdjwt::inspect(&credential).map_err(|e| PalmGovError::LicenceRefused {
            reason: format!("credential.{}", e.reason()),
        })?;
        let issuer = trust::current(&self.ctx.store, &*self.config()?, self.now())
            .ok()
            .and_then(|trust| {
                let iss = inspected.issuer_payload.get("iss")?.as_str()?;
                trust.issuers.get(iss).map(|i| i.name.clone())
            })
            .unwrap_or_default();
        // The identifier first: always present and visible; then the
        // type's disclosable claims.
        let claims = std::iter::once(&licence_types::LICENCE_ID)
            .chain(
                licence_types::by_name(&stored.index.licence_type)
                    .map(|t| t.claims)
                    .unwrap_or_default(),
            )
            .filter_map(|name| {
                inspected.claims.get(*name).map(|v| LicenceClaim {
                    name: (*name).into(),
                    value_json: v.to_string(),
                })
            })
            .collect();
        Ok(LicenceDetail {
            summary: summary(&stored.index, stored.fetched_at, language, self.now()),
            issuer,
            claims,
        })
    }

    /// Checks one licence offline and records the verdict in its index.
    pub(crate) fn verify(&self, _: &Unlocked, id: &str) -> Result<LicenceVerdict> {
        let owner = self.ctx.owner()?;
        let (mut stored, credential) = self.load(&owner, id)?;
        let verdict = self.verdict_of(&credential)?;
        stored.index.verdict = verdict.clone();
        self.save_index(&owner, &stored.row, &stored.index)?;
        Ok(verdict)
    }

    fn save_index(&self, owner: &str, row: &str, index: &Index) -> Result<()> {
        let key = self.account_key(owner)?;
        let sealed = key.seal(&context(owner, row, "index"), &serde_json::to_vec(index)?)?;
        self.ctx.store.conn()?.execute(
            "UPDATE licences SET summary = ?3 WHERE owner = ?1 AND row_id = ?2",
            params![owner, row, sealed],
        )?;
        Ok(())
    }

    /// The issuer-signed credential checked against the trust list: the
    /// signature under the issuer's key for the header's algorithm, the
    /// disclosures, the validity window.
    fn verify_credential(
        &self,
        trust: &trust::TrustList,
        credential: &str,
    ) -> Result<sdjwt::Verified> {
        let lookup = |header: &Value, payload: &Value| {
            let issuer = trust.issuers.get(payload.get("iss")?.as_str()?)?;
            match header.get("kid").and_then(Value::as_str) {
                Some(kid) => issuer.keys.get(kid).cloned(),
                None if issuer.keys.len() == 1 => issuer.keys.values().next().cloned(),
                None => None,
            }
        };
        let options = sdjwt::VerifyOptions {
            now: self.now(),
            skew_secs: SKEW_SECS,
            expect_typ: Some("dc+sd-jwt"),
            key_binding: None,
            max_kb_age_secs: 0,
        };
        // The wallet needs the claims and the status, not a record of each
        // disclosure: a holder's licence discloses everything to its holder.
        sdjwt::verify_claims(credential, &lookup, &options).map_err(|e| {
            PalmGovError::LicenceRefused {
                reason: format!("credential.{}", e.reason()),
            }
            .into()
        })
    }

    /// The verdict on a credential, offline.
    fn verdict_of(&self, credential: &str) -> Result<LicenceVerdict> {
        let config = self.config()?;
        let now = self.now();
        let trust = match trust::current(&self.ctx.store, &config, now) {
            Ok(trust) => trust,
            Err(e) => {
                let e = PalmGovError::from(e);
                return Ok(LicenceVerdict::Undetermined {
                    reason: match e {
                        PalmGovError::LicenceRefused { reason } => reason,
                        other => other.code().into(),
                    },
                    list_age_secs: None,
                });
            }
        };
        self.verdict_with(&trust, &mut StatusCache::new(), credential, now)
    }

    /// The verdict on a credential under `trust`, the status lists decoded
    /// at most once per list in `statuses`: a refresh judges up to fifty
    /// licences against the same trust list and the same one or two lists.
    fn verdict_with(
        &self,
        trust: &trust::TrustList,
        statuses: &mut StatusCache,
        credential: &str,
        now: i64,
    ) -> Result<LicenceVerdict> {
        let verified = match self.verify_credential(trust, credential) {
            Ok(v) => v,
            Err(e) => {
                return Ok(match PalmGovError::from(e) {
                    PalmGovError::LicenceRefused { reason } if reason.contains("expired") => {
                        LicenceVerdict::Expired
                    }
                    PalmGovError::LicenceRefused { reason } => LicenceVerdict::Invalid { reason },
                    other => LicenceVerdict::Invalid {
                        reason: other.code().into(),
                    },
                });
            }
        };
        // The licence's own validity, from the claims as disclosed (a type
        // may make them disclosable), as dates in China.
        let today = date_in_china(now);
        let date = |name: &str| verified.claims.get(name).and_then(Value::as_str);
        match (date("valid_from"), date("valid_until")) {
            (Some(from), _) if !is_date(from) => {
                return Ok(LicenceVerdict::Invalid {
                    reason: "licence.valid_from".into(),
                });
            }
            (_, Some(until)) if !is_date(until) => {
                return Ok(LicenceVerdict::Invalid {
                    reason: "licence.valid_until".into(),
                });
            }
            (Some(from), _) if from > today.as_str() => {
                return Ok(LicenceVerdict::Invalid {
                    reason: "licence.not_yet_valid".into(),
                });
            }
            (_, Some(until)) if until < today.as_str() => return Ok(LicenceVerdict::Expired),
            _ => {}
        }
        let status = verified.status.as_ref().map(|s| (s.uri.as_str(), s.idx));
        self.status_verdict(trust, statuses, status, now)
    }

    /// The verdict a status list entry gives: `status` is the list's URI
    /// and the entry's index, `None` when the credential names none. Each
    /// list is decoded at most once per `statuses`.
    pub(crate) fn status_verdict(
        &self,
        trust: &trust::TrustList,
        statuses: &mut StatusCache,
        status: Option<(&str, u64)>,
        now: i64,
    ) -> Result<LicenceVerdict> {
        let config = self.config()?;
        let Some((uri, idx)) = status else {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.none".into(),
                list_age_secs: None,
            });
        };
        if !statuses.contains_key(uri) {
            let decoded = trust::cached_status(&self.ctx.store, trust, uri, now).map_err(|e| {
                match PalmGovError::from(e) {
                    PalmGovError::LicenceRefused { reason } => reason,
                    other => other.code().into(),
                }
            });
            statuses.insert(uri.to_string(), decoded);
        }
        let cached = match &statuses[uri] {
            Ok(cached) => cached.as_ref(),
            Err(reason) => {
                return Ok(LicenceVerdict::Undetermined {
                    reason: reason.clone(),
                    list_age_secs: None,
                });
            }
        };
        let Some(cached) = cached else {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.unavailable".into(),
                list_age_secs: None,
            });
        };
        let age = Some(cached.age);
        if cached.expired {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.expired".into(),
                list_age_secs: age,
            });
        }
        if cached.age > config.status_max_age_secs {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.stale".into(),
                list_age_secs: age,
            });
        }
        Ok(
            match usize::try_from(idx).ok().and_then(|i| cached.list.get(i)) {
                Some(0) => LicenceVerdict::Valid,
                Some(1) => LicenceVerdict::Revoked,
                Some(2) => LicenceVerdict::Suspended,
                Some(_) => LicenceVerdict::Undetermined {
                    reason: "status.unknown_value".into(),
                    list_age_secs: age,
                },
                // Past the list's end: a list older than the credential
                // cannot speak about it.
                None => LicenceVerdict::Undetermined {
                    reason: "status.index_out_of_range".into(),
                    list_age_secs: age,
                },
            },
        )
    }

    /// Fetches the trust list and every status list it names. Public
    /// documents: no app lock, nothing personal returned. How many status
    /// lists were refreshed.
    pub(crate) async fn refresh_status(&self) -> Result<u32> {
        self.refresh_trust_list().await?;
        self.refresh_status_lists().await
    }

    /// Fetches the trust list and takes it if it opens and is not a
    /// rollback.
    async fn refresh_trust_list(&self) -> Result<()> {
        let config = self.config()?.clone();
        // New roots first: a trust list signed by rotated keys opens only
        // under them. A backend that publishes none (404) has not rotated.
        #[derive(Deserialize)]
        struct Roots {
            roots: Vec<Value>,
        }
        match self.ctx.api().get_json::<Roots>("v1/wallet/roots").await {
            Ok(reply) => {
                let documents: Vec<String> =
                    reply.body.roots.iter().map(Value::to_string).collect();
                trust::accept_roots(&self.ctx.store, &config, &documents)?;
            }
            Err(e) => {
                let e = PalmGovError::from(e);
                if !matches!(e, PalmGovError::Server { status: 404, .. }) {
                    return Err(e.into());
                }
            }
        }
        // The envelope's signatures cover the base64 `signed` member, so
        // the JSON around it may be re-serialised.
        let document = self
            .ctx
            .api()
            .get_json::<Value>("v1/wallet/trust-list")
            .await?
            .body
            .to_string();
        trust::accept(&self.ctx.store, &config, &document, self.now())
    }

    /// Fetches every status list the trust list in force names; one that
    /// fails does not keep the others from being refreshed.
    async fn refresh_status_lists(&self) -> Result<u32> {
        let trust = trust::current(&self.ctx.store, &*self.config()?, self.now())?;
        let api = self.ctx.api();
        let mut refreshed = 0;
        let mut failure = None;
        for uri in trust.status_lists.keys() {
            let fetched = async {
                let url = crate::net::check_url(uri, "wallet.status_list")?;
                let token = api.get_token_at(url, "application/statuslist+jwt").await?;
                trust::accept_status(&self.ctx.store, &trust, uri, &token, self.now())
            };
            match fetched.await {
                Ok(()) => refreshed += 1,
                Err(e) => failure = Some(e),
            }
        }
        match failure {
            Some(e) if refreshed == 0 => Err(e),
            _ => Ok(refreshed),
        }
    }

    /// Fetches the account's licences, bound to this phone's holder key,
    /// checks each, and replaces the stored ones in one transaction; then
    /// the status lists, so they are at least as new as the credentials. A
    /// licence the backend no longer gives stays, marked so. A trust list
    /// that cannot be refreshed (a rollback, an outage) leaves the one in
    /// force to check against.
    pub(crate) async fn refresh(&self) -> Result<WalletRefresh> {
        let owner = self.ctx.owner()?;
        if let Err(e) = self.refresh_trust_list().await {
            tracing::warn!(
                "trust list kept as it was: {}",
                PalmGovError::from(e).code()
            );
        }
        let trust = trust::current(&self.ctx.store, &*self.config()?, self.now())?;
        let holder = holder::public_jwk(self.ctx.keystore().as_ref(), &owner)?;
        // Proof that this phone holds the key, over the backend's nonce.
        #[derive(Deserialize)]
        struct Nonce {
            c_nonce: String,
        }
        let nonce = self
            .identity
            .authorized_send(reqwest::Method::POST, "v1/wallet/nonce", None)
            .await?;
        let nonce: Nonce = self.identity.judge_authorized(nonce)?;
        // The backend's origin, as its DPoP checks name it.
        let aud = self.ctx.api().url("")?.origin().ascii_serialization();
        let proof = holder::proof(
            self.ctx.keystore().as_ref(),
            &owner,
            &aud,
            &nonce.c_nonce,
            self.now(),
        )?;
        let body =
            serde_json::to_vec(&serde_json::json!({ "holder_key": holder, "proof": proof }))?;
        let reply = self
            .identity
            .authorized_send(reqwest::Method::POST, "v1/wallet/licences", Some(&body))
            .await?;
        if reply.status == reqwest::StatusCode::FORBIDDEN
            && reply.error_code().as_deref() == Some("binding_revoked")
        {
            // This phone was reported lost: nothing more is issued to it.
            // What it holds stays readable, marked, and no longer verifies.
            let kept = self.store_fetched(&owner, Vec::new())?;
            let _ = self.refresh_status_lists().await;
            return Ok(WalletRefresh {
                kept,
                ..WalletRefresh::default()
            });
        }
        let reply: FetchReply = self.identity.judge_authorized(reply)?;
        let mut report = WalletRefresh::default();
        let mut checked = Vec::new();
        for fetched in reply.licences.into_iter().take(MAX_LICENCES) {
            match self.check_fetched(&trust, &holder, fetched) {
                Ok(c) => checked.push(c),
                Err(e) => {
                    report.refused += 1;
                    tracing::warn!("licence refused: {}", PalmGovError::from(e).code());
                }
            }
        }
        if let Err(e) = self.refresh_status_lists().await {
            tracing::warn!(
                "status lists kept as they were: {}",
                PalmGovError::from(e).code()
            );
        }
        let now = self.now();
        let mut statuses = StatusCache::new();
        for c in &mut checked {
            c.index.verdict = self.verdict_with(&trust, &mut statuses, &c.credential, now)?;
        }
        report.fetched = checked.len() as u32;
        report.kept = self.store_fetched(&owner, checked)?;
        Ok(report)
    }

    fn check_fetched(
        &self,
        trust: &trust::TrustList,
        holder: &Value,
        fetched: Fetched,
    ) -> Result<Checked> {
        let verified = self.verify_credential(trust, &fetched.credential)?;
        // The claims signed in clear (`iss`, `exp`) are in the processed claims.
        let payload = &verified.claims;
        // Bound to this phone's key, or it is of no use here.
        if verified.holder_key().map(|k| k.to_jwk()) != Some(holder.clone()) {
            return Err(refused("credential.not_bound_to_this_phone").into());
        }
        let id = verified
            .claims
            .get("licence_id")
            .and_then(Value::as_str)
            .ok_or_else(|| refused("credential.no_licence_id"))?;
        let identifier =
            licence_types::parse_identifier(id).ok_or_else(|| refused("licence_id.invalid"))?;
        let kind = licence_types::by_code(&identifier.type_code)
            .ok_or_else(|| refused("licence_type.unknown"))?;
        let issuer = payload
            .get("iss")
            .and_then(Value::as_str)
            .and_then(|iss| trust.issuers.get(iss))
            .ok_or_else(|| refused("issuer.unknown"))?;
        if !issuer.types.iter().any(|t| t == kind.name) {
            return Err(refused("issuer.not_for_this_type").into());
        }
        let exp = payload.get("exp").and_then(Value::as_i64).unwrap_or(0);
        let refresh_after = fetched
            .expected_update
            .unwrap_or(i64::MAX)
            .min(exp - REFRESH_BEFORE_SECS);
        let compact = match &fetched.compact {
            Some(encoded) => Some(self.check_compact(trust, holder, &verified, encoded)?),
            None => None,
        };
        // Validity as the licence states it, disclosed or not.
        let date = |name: &str| {
            verified
                .claims
                .get(name)
                .and_then(Value::as_str)
                .filter(|d| is_date(d))
                .map(str::to_string)
        };
        Ok(Checked {
            index: Index {
                licence_id: identifier.text,
                licence_type: kind.name.into(),
                valid_from: date("valid_from").unwrap_or_default(),
                valid_until: date("valid_until").unwrap_or_else(|| "9999-12-31".into()),
                verdict: LicenceVerdict::Undetermined {
                    reason: "status.unavailable".into(),
                    list_age_secs: None,
                },
                refresh_after,
                no_longer_refreshed: false,
            },
            credential: fetched.credential,
            compact,
        })
    }

    /// Replaces the account's licences with `fetched` (a licence fetched
    /// again keeps its row); those not fetched again stay, marked no longer
    /// refreshed. How many stayed that way.
    fn store_fetched(&self, owner: &str, fetched: Vec<Checked>) -> Result<u32> {
        let key = self.account_key(owner)?;
        let now = now_ms();
        let fresh: std::collections::HashSet<&str> = fetched
            .iter()
            .map(|c| c.index.licence_id.as_str())
            .collect();
        let mut rows_by_id = std::collections::HashMap::new();
        let mut marked = Vec::new();
        for mut stored in self.rows(owner)? {
            if fresh.contains(stored.index.licence_id.as_str()) {
                rows_by_id.insert(stored.index.licence_id.clone(), stored.row);
            } else {
                stored.index.no_longer_refreshed = true;
                let sealed = key.seal(
                    &context(owner, &stored.row, "index"),
                    &serde_json::to_vec(&stored.index)?,
                )?;
                marked.push((stored.row, sealed));
            }
        }
        let mut rows = Vec::with_capacity(fetched.len());
        for c in &fetched {
            let row = match rows_by_id.get(&c.index.licence_id) {
                Some(row) => row.clone(),
                None => crate::crypto::uuid_v4()?,
            };
            let compact = match &c.compact {
                Some(bytes) => Some(key.seal(&context(owner, &row, "compact"), bytes)?),
                None => None,
            };
            rows.push((
                key.seal(
                    &context(owner, &row, "index"),
                    &serde_json::to_vec(&c.index)?,
                )?,
                key.seal(&context(owner, &row, "credential"), c.credential.as_bytes())?,
                compact,
                row,
            ));
        }
        let kept = marked.len() as u32;
        self.ctx.store.write_durably(|tx| {
            for (row, sealed) in &marked {
                tx.execute(
                    "UPDATE licences SET summary = ?3 WHERE owner = ?1 AND row_id = ?2",
                    params![owner, row, sealed],
                )?;
            }
            for (index, credential, compact, row) in &rows {
                tx.execute(
                    "INSERT INTO licences (owner, row_id, summary, credential, compact, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (owner, row_id) DO UPDATE SET summary = excluded.summary,
                         credential = excluded.credential, compact = excluded.compact,
                         fetched_at = excluded.fetched_at",
                    params![owner, row, index, credential, compact, now],
                )?;
            }
            Ok(())
        })?;
        Ok(kept)
    }

    /// The trust list in force (fetched or bundled), or `None` before any.
    /// Public, offline.
    pub(crate) fn trust_list(&self) -> Result<Option<TrustListStatus>> {
        match trust::current(&self.ctx.store, &*self.config()?, self.now()) {
            Ok(list) => Ok(Some(TrustListStatus {
                version: list.version,
                expires_at_ms: list.expires.saturating_mul(1000),
                stale: list.stale,
            })),
            Err(e) => match PalmGovError::from(e) {
                PalmGovError::LicenceRefused { reason } if reason == "trust_list.none" => Ok(None),
                other => Err(other.into()),
            },
        }
    }

    /// The phones the person's licences are bound to, this one marked.
    pub(crate) async fn devices(&self) -> Result<Vec<WalletDevice>> {
        #[derive(Deserialize)]
        struct Binding {
            kid: String,
            created_at: i64,
            revoked_at: Option<i64>,
        }
        #[derive(Deserialize)]
        struct Bindings {
            bindings: Vec<Binding>,
        }
        let this = holder::public_jwk(self.ctx.keystore().as_ref(), &self.ctx.owner()?)?;
        let this = palmgov_credentials::keys::PublicKey::from_jwk(&this)
            .map(|k| k.thumbprint())
            .unwrap_or_default();
        let list: Bindings = self
            .identity
            .authorized_get_json("v1/wallet/bindings")
            .await?;
        Ok(list
            .bindings
            .into_iter()
            .map(|b| WalletDevice {
                this_device: b.kid == this,
                key_id: b.kid,
                bound_at_ms: b.created_at.saturating_mul(1000),
                revoked: b.revoked_at.is_some(),
            })
            .collect())
    }

    /// Reports another of the person's phones lost: the backend revokes its
    /// binding, and the licences bound to it stop verifying.
    pub(crate) async fn revoke_device(&self, key_id: &str) -> Result<()> {
        // A key id is a base64url thumbprint: nothing else goes in the path.
        if key_id.is_empty()
            || key_id.len() > 64
            || !key_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(PalmGovError::InvalidInput {
                field: "key_id".into(),
            }
            .into());
        }
        let reply = self
            .identity
            .authorized_send(
                reqwest::Method::DELETE,
                &format!("v1/wallet/bindings/{key_id}"),
                None,
            )
            .await?;
        match reply.status.as_u16() {
            204 => Ok(()),
            404 => Err(PalmGovError::NotFound.into()),
            // This phone's own binding: report another phone, not this one.
            409 => Err(PalmGovError::InvalidInput {
                field: "key_id (this device)".into(),
            }
            .into()),
            _ => {
                self.identity.judge_authorized::<Value>(reply)?;
                Ok(())
            }
        }
    }

    /// Whether a sync should fetch the licences again: none fetched yet, or
    /// one is past its refresh time. Reads only the sealed indexes, so
    /// background work may ask.
    pub(crate) fn refresh_due(&self) -> Result<bool> {
        if self.config().is_err() {
            return Ok(false);
        }
        let owner = self.ctx.owner()?;
        if self.identity.account_key(&owner)?.is_none() {
            return Ok(false);
        }
        let rows = self.rows(&owner)?;
        let now = self.now();
        Ok(rows.is_empty()
            || rows
                .iter()
                .any(|r| !r.index.no_longer_refreshed && r.index.refresh_after <= now))
    }

    /// Deletes the licences of an account that signed out, then its holder
    /// key. A keystore that fails to delete the key leaves it unused (the
    /// licences bound to it are gone) and does not stop the sign-out.
    pub(crate) fn forget(&self, owner: &str) -> Result<u64> {
        let deleted = self.ctx.store.write_durably(|tx| {
            Ok(tx.execute("DELETE FROM licences WHERE owner = ?1", [owner])? as u64)
        })?;
        if let Err(e) = self.ctx.keystore().delete_key(holder::alias(owner)) {
            tracing::warn!(
                "holder key not deleted: {}",
                crate::store::keystore_error(e).code()
            );
        }
        Ok(deleted)
    }
}

/// The calendar date in China (UTC+8) at `now` (unix seconds), as
/// `YYYY-MM-DD`: licences state their validity in local dates.
fn date_in_china(now: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(now + 8 * 3600)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Whether `d` is a `YYYY-MM-DD` date (`9999-12-31` stands for "no end",
/// 长期).
fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn summary(index: &Index, fetched_at: i64, language: &str, now: i64) -> LicenceSummary {
    let kind = licence_types::by_name(&index.licence_type);
    LicenceSummary {
        id: index.licence_id.clone(),
        licence_type: index.licence_type.clone(),
        display_name: kind
            .map(|k| k.display_name(language).to_string())
            .unwrap_or_else(|| index.licence_type.clone()),
        valid_from: index.valid_from.clone(),
        valid_until: index.valid_until.clone(),
        verdict: index.verdict.clone(),
        freshness: if index.no_longer_refreshed {
            LicenceFreshness::NoLongerRefreshed
        } else if index.refresh_after <= now {
            LicenceFreshness::RefreshDue
        } else {
            LicenceFreshness::Current
        },
        fetched_at_ms: fetched_at,
    }
}
