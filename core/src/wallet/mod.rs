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
mod records;
pub(crate) mod trust;

use std::sync::Arc;

use palmgov_credentials::sdjwt;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use records::{
    LicenceClaim, LicenceDetail, LicenceFreshness, LicenceSummary, LicenceVerdict, WalletDevice,
    WalletRefresh,
};

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

/// The sealed index of one licence.
#[derive(Serialize, Deserialize)]
struct Index {
    licence_type: String,
    valid_from: String,
    valid_until: String,
    verdict: LicenceVerdict,
    /// Unix seconds after which the licence is fetched again.
    refresh_after: i64,
    no_longer_refreshed: bool,
}

fn context(owner: &str, id: &str, part: &str) -> Vec<u8> {
    format!("wallet.licence\0{part}\0{owner}\0{id}").into_bytes()
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
}

#[derive(Deserialize)]
struct FetchReply {
    licences: Vec<Fetched>,
}

/// A credential that passed its check, ready to be kept.
struct Checked {
    id: String,
    index: Index,
    credential: String,
}

/// The wallet capability of one open core.
pub(crate) struct WalletService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
    config: Option<WalletConfig>,
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
            config,
        }
    }

    fn config(&self) -> Result<&WalletConfig> {
        self.config.as_ref().ok_or_else(|| {
            PalmGovError::InvalidInput {
                field: "wallet (not configured)".into(),
            }
            .into()
        })
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
        let key = self.account_key(&owner)?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, summary, fetched_at FROM licences WHERE owner = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([&owner])?;
        let now = self.now();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(1)?;
            let index: Index =
                serde_json::from_slice(&key.open(&context(&owner, &id, "index"), &sealed)?)?;
            out.push(summary(&id, &index, r.get(2)?, language, now));
        }
        Ok(out)
    }

    /// One licence with every claim. Offline.
    pub(crate) fn show(&self, _: &Unlocked, id: &str, language: &str) -> Result<LicenceDetail> {
        let owner = self.ctx.owner()?;
        let (index, credential, fetched_at) = self.load(&owner, id)?;
        let trust = trust::current(&self.ctx.store, self.config()?, self.now())?;
        let verified = self.verify_credential(&trust, &credential)?;
        let issuer = verified
            .issuer_payload
            .get("iss")
            .and_then(Value::as_str)
            .and_then(|iss| trust.issuers.get(iss))
            .map(|i| i.name.clone())
            .unwrap_or_default();
        let claims = licence_types::by_name(&index.licence_type)
            .map(|t| t.claims)
            .unwrap_or_default()
            .iter()
            .filter_map(|name| {
                verified.claims.get(*name).map(|v| LicenceClaim {
                    name: (*name).into(),
                    value_json: v.to_string(),
                })
            })
            .collect();
        Ok(LicenceDetail {
            summary: summary(id, &index, fetched_at, language, self.now()),
            issuer,
            claims,
        })
    }

    /// Checks one licence offline and records the verdict in its index.
    pub(crate) fn verify(&self, _: &Unlocked, id: &str) -> Result<LicenceVerdict> {
        let owner = self.ctx.owner()?;
        let (mut index, credential, _) = self.load(&owner, id)?;
        let verdict = self.verdict_of(&credential)?;
        index.verdict = verdict.clone();
        self.save_index(&owner, id, &index)?;
        Ok(verdict)
    }

    fn load(&self, owner: &str, id: &str) -> Result<(Index, String, i64)> {
        let key = self.account_key(owner)?;
        let row: Option<(Vec<u8>, Vec<u8>, i64)> = {
            use rusqlite::OptionalExtension;
            self.ctx
                .store
                .conn()?
                .query_row(
                    "SELECT summary, credential, fetched_at FROM licences
                     WHERE owner = ?1 AND id = ?2",
                    params![owner, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
        };
        let (summary, credential, fetched_at) = row.ok_or(PalmGovError::NotFound)?;
        let index: Index =
            serde_json::from_slice(&key.open(&context(owner, id, "index"), &summary)?)?;
        let credential = String::from_utf8(
            key.open(&context(owner, id, "credential"), &credential)?
                .to_vec(),
        )
        .map_err(|_| PalmGovError::Decryption)?;
        Ok((index, credential, fetched_at))
    }

    fn save_index(&self, owner: &str, id: &str, index: &Index) -> Result<()> {
        let key = self.account_key(owner)?;
        let sealed = key.seal(&context(owner, id, "index"), &serde_json::to_vec(index)?)?;
        self.ctx.store.conn()?.execute(
            "UPDATE licences SET summary = ?3 WHERE owner = ?1 AND id = ?2",
            params![owner, id, sealed],
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
        sdjwt::verify(credential, &lookup, &options).map_err(|e| {
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
        let trust = match trust::current(&self.ctx.store, config, now) {
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
        let verified = match self.verify_credential(&trust, credential) {
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
        let payload = &verified.issuer_payload;
        if let Some(until) = payload.get("valid_until").and_then(Value::as_str)
            && until < date_in_china(now).as_str()
        {
            return Ok(LicenceVerdict::Expired);
        }
        let status = &payload["status"]["status_list"];
        let (Some(idx), Some(uri)) = (status["idx"].as_u64(), status["uri"].as_str()) else {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.none".into(),
                list_age_secs: None,
            });
        };
        let cached = match trust::cached_status(&self.ctx.store, &trust, uri, now) {
            Ok(cached) => cached,
            Err(e) => {
                return Ok(LicenceVerdict::Undetermined {
                    reason: match PalmGovError::from(e) {
                        PalmGovError::LicenceRefused { reason } => reason,
                        other => other.code().into(),
                    },
                    list_age_secs: None,
                });
            }
        };
        let Some((list, age)) = cached else {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.unavailable".into(),
                list_age_secs: None,
            });
        };
        if age > config.status_max_age_secs {
            return Ok(LicenceVerdict::Undetermined {
                reason: "status.stale".into(),
                list_age_secs: Some(age),
            });
        }
        Ok(match usize::try_from(idx).ok().and_then(|i| list.get(i)) {
            Some(0) => LicenceVerdict::Valid,
            Some(1) => LicenceVerdict::Revoked,
            Some(2) => LicenceVerdict::Suspended,
            Some(_) => LicenceVerdict::Undetermined {
                reason: "status.unknown_value".into(),
                list_age_secs: Some(age),
            },
            // An index past the list's end: the list is not the one
            // this credential refers to.
            None => LicenceVerdict::Invalid {
                reason: "status.index_out_of_range".into(),
            },
        })
    }

    /// Fetches the trust list and every status list the account's
    /// licences refer to. Public documents: no app lock, nothing personal
    /// returned. How many status lists were refreshed.
    pub(crate) async fn refresh_status(&self) -> Result<u32> {
        let config = self.config()?.clone();
        let api = self.ctx.api();
        // The envelope's signatures cover the base64 `signed` member, so
        // the JSON around it may be re-serialised.
        let document = api
            .get_json::<Value>("v1/wallet/trust-list")
            .await?
            .body
            .to_string();
        trust::accept(&self.ctx.store, &config, &document, self.now())?;
        let trust = trust::current(&self.ctx.store, &config, self.now())?;
        let mut refreshed = 0;
        for uri in trust.status_lists.keys() {
            let url = crate::net::check_url(uri, "wallet.status_list")?;
            let token = api.get_token_at(url, "application/statuslist+jwt").await?;
            trust::accept_status(&self.ctx.store, &trust, uri, &token, self.now())?;
            refreshed += 1;
        }
        Ok(refreshed)
    }

    /// Fetches the account's licences, bound to this phone's holder key,
    /// checks each, and replaces the stored ones in one transaction. A
    /// licence the backend no longer gives stays, marked so.
    pub(crate) async fn refresh(&self) -> Result<WalletRefresh> {
        let owner = self.ctx.owner()?;
        self.refresh_status().await?;
        let holder = holder::public_jwk(self.ctx.keystore().as_ref())?;
        let body = serde_json::to_vec(&serde_json::json!({ "holder_key": holder }))?;
        let reply = self
            .identity
            .authorized_send(reqwest::Method::POST, "v1/wallet/licences", Some(&body))
            .await?;
        if reply.status == reqwest::StatusCode::FORBIDDEN
            && reply.error_code().as_deref() == Some("binding_revoked")
        {
            // This phone was reported lost: nothing more is issued to it.
            // What it holds stays readable, marked, and no longer verifies.
            return Ok(WalletRefresh {
                kept: self.store_fetched(&owner, Vec::new())?,
                ..WalletRefresh::default()
            });
        }
        let reply: FetchReply = self.identity.judge_authorized(reply)?;
        let trust = trust::current(&self.ctx.store, self.config()?, self.now())?;
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
        for c in &mut checked {
            c.index.verdict = self.verdict_of(&c.credential)?;
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
        let payload = &verified.issuer_payload;
        // Bound to this phone's key, or it is of no use here.
        if verified.holder_key.as_ref().map(|k| k.to_jwk()) != Some(holder.clone()) {
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
        let text = |name: &str| {
            payload
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Ok(Checked {
            id: identifier.text,
            index: Index {
                licence_type: kind.name.into(),
                valid_from: text("valid_from"),
                valid_until: text("valid_until"),
                verdict: LicenceVerdict::Undetermined {
                    reason: "status.unavailable".into(),
                    list_age_secs: None,
                },
                refresh_after,
                no_longer_refreshed: false,
            },
            credential: fetched.credential,
        })
    }

    /// Replaces the account's licences with `fetched`; those not fetched
    /// again stay, marked no longer refreshed. How many stayed that way.
    fn store_fetched(&self, owner: &str, fetched: Vec<Checked>) -> Result<u32> {
        let key = self.account_key(owner)?;
        let mut kept = 0;
        let now = now_ms();
        let fresh: std::collections::HashSet<&str> =
            fetched.iter().map(|c| c.id.as_str()).collect();
        let old: Vec<String> = {
            let conn = self.ctx.store.conn()?;
            let mut stmt = conn.prepare_cached("SELECT id FROM licences WHERE owner = ?1")?;
            stmt.query_map([owner], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut marked = Vec::new();
        for id in old.iter().filter(|id| !fresh.contains(id.as_str())) {
            if let Ok((mut index, _, _)) = self.load(owner, id) {
                index.no_longer_refreshed = true;
                marked.push((
                    id.clone(),
                    key.seal(&context(owner, id, "index"), &serde_json::to_vec(&index)?)?,
                ));
                kept += 1;
            }
        }
        let mut rows = Vec::with_capacity(fetched.len());
        for c in &fetched {
            rows.push((
                c.id.clone(),
                c.index.licence_type.clone(),
                key.seal(
                    &context(owner, &c.id, "index"),
                    &serde_json::to_vec(&c.index)?,
                )?,
                key.seal(
                    &context(owner, &c.id, "credential"),
                    c.credential.as_bytes(),
                )?,
            ));
        }
        self.ctx.store.write_durably(|tx| {
            for (id, sealed) in &marked {
                tx.execute(
                    "UPDATE licences SET summary = ?3 WHERE owner = ?1 AND id = ?2",
                    params![owner, id, sealed],
                )?;
            }
            for (id, kind, index, credential) in &rows {
                tx.execute(
                    "INSERT INTO licences (owner, id, type, summary, credential, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (owner, id) DO UPDATE SET type = excluded.type,
                         summary = excluded.summary, credential = excluded.credential,
                         fetched_at = excluded.fetched_at",
                    params![owner, id, kind, index, credential, now],
                )?;
            }
            Ok(())
        })?;
        Ok(kept)
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
        let this = holder::public_jwk(self.ctx.keystore().as_ref())?;
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
            _ => {
                self.identity.judge_authorized::<Value>(reply)?;
                Ok(())
            }
        }
    }

    /// Whether a sync should fetch the licences again: none fetched yet, or
    /// one is past its refresh time. Reads only plain columns and the
    /// sealed indexes, so background work may ask.
    pub(crate) fn refresh_due(&self) -> Result<bool> {
        if self.config.is_none() {
            return Ok(false);
        }
        let owner = self.ctx.owner()?;
        let Some(key) = self.identity.account_key(&owner)? else {
            return Ok(false);
        };
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached("SELECT id, summary FROM licences WHERE owner = ?1")?;
        let mut rows = stmt.query([&owner])?;
        let now = self.now();
        let mut any = false;
        while let Some(r) = rows.next()? {
            any = true;
            let id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(1)?;
            let index: Index =
                serde_json::from_slice(&key.open(&context(&owner, &id, "index"), &sealed)?)?;
            if !index.no_longer_refreshed && index.refresh_after <= now {
                return Ok(true);
            }
        }
        Ok(!any)
    }

    /// Deletes the licences of an account that signed out.
    pub(crate) fn forget(&self, owner: &str) -> Result<u64> {
        self.ctx.store.write_durably(|tx| {
            Ok(tx.execute("DELETE FROM licences WHERE owner = ?1", [owner])? as u64)
        })
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

fn summary(id: &str, index: &Index, fetched_at: i64, language: &str, now: i64) -> LicenceSummary {
    let kind = licence_types::by_name(&index.licence_type);
    LicenceSummary {
        id: id.into(),
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
