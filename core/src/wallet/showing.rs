//! 亮证: showing a licence as a QR code that a clerk's phone or a kiosk
//! checks offline, and the person's record of what they showed.
//!
//! A code carries the licence's compact form (issuer-signed digests, see
//! `palmgov_credentials::compact`) with only the items of the profile the
//! person chose, a time, a random presentation id and a signature by the
//! account's holder key. It is made afresh every 30 s and verifiers refuse
//! it after 60 s, and a presentation id twice, so a photo of the screen is
//! of little use. A code past QR version 20 is never made: cameras misread
//! them.

use palmgov_credentials::compact::{self, IssuedCompact, Item};
use qrcode::{EcLevel, QrCode, Version};
use rusqlite::params;

use super::holder::KeystoreSigner;
use super::records::{DisclosureProfile, LicenceQr, PresentationRecord};
use super::{WalletService, context, refused};
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;

/// The prefix of an online code: a reference the backend resolves.
pub(crate) const ONLINE_PREFIX: &str = "PGO1:";

/// A code made, or a presentation too large for a readable one.
pub(crate) enum Code {
    Ready(LicenceQr),
    TooLarge {
        payload: String,
        claims: Vec<String>,
        made_at_ms: i64,
    },
}

/// How long a code is shown before the next one, and how long verifiers
/// accept it (they add their clock skew).
pub(crate) const REFRESH_SECS: i64 = 30;
pub(crate) const VALID_SECS: i64 = 60;
/// The largest QR version made: past it, phone cameras misread.
const MAX_VERSION: i16 = 20;
/// Most history records kept per account; the oldest go first.
const MAX_HISTORY: i64 = 500;

/// Items derived from others (the birth date says "over 18"): shown on
/// their own so the source stays hidden, never in `Full`.
const DERIVED: &[&str] = &["age_over_18", "age_over_60", "id_number_last4"];

impl DisclosureProfile {
    /// The items shown, in order; `None` for `Full` (every item that is
    /// not derived).
    fn items(self) -> Option<&'static [&'static str]> {
        match self {
            Self::NameAndAgeOver18 => Some(&["name", "age_over_18"]),
            Self::NameAndIdLast4 => Some(&["name", "id_number_last4"]),
            Self::HouseholdVisit => Some(&["name", "id_number", "address"]),
            Self::Full | Self::AsRequested => None,
        }
    }

    /// The error correction the code gets: M (15 % of the code may be
    /// lost) where the items are few, L where more must fit version 20.
    fn level(self) -> EcLevel {
        match self {
            Self::NameAndAgeOver18 | Self::NameAndIdLast4 => EcLevel::M,
            Self::HouseholdVisit | Self::Full | Self::AsRequested => EcLevel::L,
        }
    }

    /// The items of `issued` this profile shows, in its order.
    fn choose(self, issued: &IssuedCompact) -> Result<Vec<Item>> {
        match self.items() {
            Some(names) => named(issued, names.iter().copied(), "profile.not_offered"),
            None => Ok(issued
                .items
                .iter()
                .filter(|i| !DERIVED.contains(&i.name.as_str()))
                .cloned()
                .collect()),
        }
    }
}

/// The items of `issued` named `names`, in that order; `missing` is the
/// refusal when the licence has no item of one of the names.
fn named<'a>(
    issued: &IssuedCompact,
    names: impl Iterator<Item = &'a str>,
    missing: &str,
) -> Result<Vec<Item>> {
    names
        .map(|name| {
            issued
                .items
                .iter()
                .find(|i| i.name == name)
                .cloned()
                .ok_or_else(|| refused(missing).into())
        })
        .collect()
}

/// A verifier's request, checked (a two-way exchange): the items it
/// asks for, and its nonce and verifier id, which the presentation's
/// signature covers.
#[derive(Clone)]
pub(crate) struct Request {
    pub nonce: Vec<u8>,
    pub verifier: String,
    pub asks: Vec<String>,
    /// When the verifier made it, Unix seconds: answers are accepted for
    /// `REQUEST_VALID_SECS` after.
    pub time: i64,
}

impl WalletService {
    /// Makes one code of licence `licence_id` showing `profile`, or what
    /// `request` asks for when it answers one; with the licence's type.
    pub(crate) fn make_code(
        &self,
        _: &Unlocked,
        licence_id: &str,
        profile: DisclosureProfile,
        request: Option<&Request>,
    ) -> Result<(String, Code)> {
        let owner = self.ctx.owner()?;
        let (licence_type, issued) = self.load_compact(&owner, licence_id)?;
        let items = match request {
            Some(request) => named(
                &issued,
                request.asks.iter().map(String::as_str),
                "request.not_in_licence",
            )?,
            None => profile.choose(&issued)?,
        };
        let signer = KeystoreSigner::holder(self.ctx.keystore().as_ref(), &owner)?;
        let now = self.now();
        let pid = compact::new_pid().map_err(|e| refused(&format!("qr.{}", e.reason())))?;
        let payload = compact::present(
            &issued.issuer_signed,
            &items,
            u64::try_from(now).unwrap_or(0),
            pid,
            request.map(|r| (r.nonce.as_slice(), r.verifier.as_str())),
            &signer,
        )
        .map_err(|e| refused(&format!("qr.{}", e.reason())))?;
        let level = match request {
            // As much error correction as the verifier's asks leave room for.
            Some(_) => None,
            None => Some(profile.level()),
        };
        let made_at_ms = now.saturating_mul(1000);
        let claims = items.into_iter().map(|i| i.name).collect();
        let (version, width, modules) = match matrix(&payload, level) {
            Ok(matrix) => matrix,
            // Too large for a readable code: the online form.
            Err(_) => {
                let code = Code::TooLarge {
                    payload,
                    claims,
                    made_at_ms,
                };
                return Ok((licence_type, code));
            }
        };
        let code = licence_qr(
            payload,
            (version, width, modules),
            claims,
            made_at_ms,
            false,
        );
        Ok((licence_type, Code::Ready(code)))
    }

    /// The online form of a presentation too large for a readable code: a
    /// code holding only `PGO1:` and the reference under which the backend
    /// holds it for a verifier with a network (the provincial apps' way).
    pub(crate) async fn relay_code(
        &self,
        payload: String,
        claims: Vec<String>,
        made_at_ms: i64,
    ) -> Result<LicenceQr> {
        #[derive(serde::Deserialize)]
        struct Held {
            reference: String,
        }
        let body = serde_json::to_vec(&serde_json::json!({ "payload": payload }))?;
        let reply = self
            .identity
            .authorized_send(
                reqwest::Method::POST,
                "v1/wallet/presentations",
                Some(&body),
            )
            .await?;
        let held: Held = self.identity.judge_authorized(reply)?;
        if held.reference.is_empty()
            || held.reference.len() > 64
            || !held
                .reference
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        {
            return Err(refused("online.bad_reference").into());
        }
        let payload = format!("{ONLINE_PREFIX}{}", held.reference);
        let matrix = matrix(&payload, Some(EcLevel::M))?;
        Ok(licence_qr(payload, matrix, claims, made_at_ms, true))
    }

    /// Verifier mode, online form: the presentation the backend holds
    /// under a `PGO1:` code's reference, given out once.
    pub(crate) async fn resolve_online(&self, code: &str) -> Result<String> {
        #[derive(serde::Deserialize)]
        struct Held {
            payload: String,
        }
        let reference = code
            .trim()
            .strip_prefix(ONLINE_PREFIX)
            .filter(|r| {
                !r.is_empty()
                    && r.len() <= 64
                    && r.bytes()
                        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            })
            .ok_or_else(|| refused("online.bad_reference"))?;
        let held: Held = self
            .ctx
            .api()
            .get_json(&format!("v1/wallet/presentations/{reference}"))
            .await
            .map_err(|e| match PalmGovError::from(e) {
                PalmGovError::NotFound | PalmGovError::Server { status: 404, .. } => {
                    refused("online.unknown_reference").into()
                }
                other => crate::error::Error::from(other),
            })?
            .body;
        Ok(held.payload)
    }

    /// The type and compact form of licence `licence_id`, in one read: the
    /// rows' sealed indexes are opened until it is found (identifiers are
    /// sealed, rows keyed by random ids), and only its compact form.
    fn load_compact(&self, owner: &str, licence_id: &str) -> Result<(String, IssuedCompact)> {
        let key = self.account_key(owner)?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT row_id, summary, compact FROM licences WHERE owner = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([owner])?;
        while let Some(r) = rows.next()? {
            let row: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(1)?;
            let index: super::Index =
                serde_json::from_slice(&key.open(&context(owner, &row, "index"), &sealed)?)?;
            if index.licence_id != licence_id {
                continue;
            }
            // Fetched before the backend issued the compact form: the next
            // refresh brings it.
            let sealed: Option<Vec<u8>> = r.get(2)?;
            let sealed = sealed.ok_or_else(|| refused("compact.none"))?;
            let bytes = key.open(&context(owner, &row, "compact"), &sealed)?;
            let issued = IssuedCompact::from_bytes(&bytes)
                .map_err(|e| refused(&format!("compact.{}", e.reason())))?;
            return Ok((index.licence_type, issued));
        }
        Err(PalmGovError::NotFound.into())
    }

    /// Records that the person began showing a licence.
    pub(crate) fn record_showing(&self, _: &Unlocked, record: &PresentationRecord) -> Result<()> {
        let owner = self.ctx.owner()?;
        let key = self.account_key(&owner)?;
        let shown_at = record.shown_at_ms;
        self.ctx.store.write_durably(|tx| {
            // The row's sequence number is its seal's context: a record
            // cannot be moved to another row or account.
            let seq: i64 = tx.query_row(
                "SELECT IFNULL(MAX(seq), 0) + 1 FROM presentations",
                [],
                |r| r.get(0),
            )?;
            let sealed = key.seal(&history_context(&owner, seq), &serde_json::to_vec(record)?)?;
            tx.execute(
                "INSERT INTO presentations (seq, owner, shown_at, record) VALUES (?1, ?2, ?3, ?4)",
                params![seq, owner, shown_at, sealed],
            )?;
            tx.execute(
                "DELETE FROM presentations WHERE owner = ?1 AND seq <= (
                     SELECT seq FROM presentations WHERE owner = ?1
                     ORDER BY seq DESC LIMIT 1 OFFSET ?2)",
                params![owner, MAX_HISTORY],
            )?;
            Ok(())
        })
    }

    /// What the person showed, newest first.
    pub(crate) fn history(&self, _: &Unlocked) -> Result<Vec<PresentationRecord>> {
        let owner = self.ctx.owner()?;
        let key = self.account_key(&owner)?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT seq, record FROM presentations WHERE owner = ?1 ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query([&owner])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let sealed: Vec<u8> = r.get(1)?;
            out.push(serde_json::from_slice(
                &key.open(&history_context(&owner, seq), &sealed)?,
            )?);
        }
        Ok(out)
    }
}

/// A QR code's version, width and modules (1 dark), at `level`, or the
/// best of M and L that fits; never past version 20. An unreadable code
/// is never made: what does not fit is for the online form.
pub(crate) fn matrix(payload: &str, level: Option<EcLevel>) -> Result<(u8, u32, Vec<u8>)> {
    let levels: &[EcLevel] = match level {
        Some(ref l) => std::slice::from_ref(l),
        None => &[EcLevel::M, EcLevel::L],
    };
    for level in levels {
        let Ok(code) = QrCode::with_error_correction_level(payload.as_bytes(), *level) else {
            continue;
        };
        if let Version::Normal(v) = code.version() {
            if v <= MAX_VERSION {
                let width = code.width() as u32;
                let modules = code
                    .to_colors()
                    .into_iter()
                    .map(|c| u8::from(c == qrcode::Color::Dark))
                    .collect();
                return Ok((v as u8, width, modules));
            }
        }
    }
    Err(refused("qr.over_budget").into())
}

/// A code made at `made_at_ms`: shown until the next one is due, accepted
/// for its validity.
fn licence_qr(
    payload: String,
    (version, width, modules): (u8, u32, Vec<u8>),
    claims: Vec<String>,
    made_at_ms: i64,
    online: bool,
) -> LicenceQr {
    LicenceQr {
        payload,
        version,
        width,
        modules,
        claims,
        made_at_ms,
        refresh_at_ms: made_at_ms + REFRESH_SECS * 1000,
        expires_at_ms: made_at_ms + VALID_SECS * 1000,
        online,
    }
}

fn history_context(owner: &str, seq: i64) -> Vec<u8> {
    format!("wallet.presentation\0{owner}\0{seq}").into_bytes()
}

impl WalletService {
    /// Checks a licence's compact form as it arrives, as strictly as its
    /// SD-JWT: the issuer's signature under the trust list, bound to this
    /// account's holder key, the same type and issuer, and every item the
    /// value the SD-JWT gives that claim. Returns the bytes to keep.
    pub(super) fn check_compact(
        &self,
        trust: &super::trust::TrustList,
        holder: &serde_json::Value,
        verified: &palmgov_credentials::sdjwt::Verified,
        encoded: &str,
    ) -> Result<Vec<u8>> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| refused("compact.malformed"))?;
        let issued = IssuedCompact::from_bytes(&bytes)
            .map_err(|e| refused(&format!("compact.{}", e.reason())))?;
        let key_of = |iss: &str, alg| {
            let issuer = trust.issuers.get(iss)?;
            issuer.keys.values().find(|k| k.alg() == alg).cloned()
        };
        let mso = compact::verify_issued(&issued, &key_of)
            .map_err(|e| refused(&format!("compact.{}", e.reason())))?;
        if Some(mso.device_key.to_jwk()) != Some(holder.clone()) {
            return Err(refused("compact.not_bound_to_this_phone").into());
        }
        let claims = &verified.claims;
        if claims.get("iss").and_then(serde_json::Value::as_str) != Some(mso.issuer.as_str()) {
            return Err(refused("compact.other_issuer").into());
        }
        let vct = claims
            .get("vct")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        if vct.rsplit(':').next() != Some(mso.licence_type.as_str()) {
            return Err(refused("compact.other_type").into());
        }
        for item in &issued.items {
            let same = match (&item.value, claims.get(&item.name)) {
                (compact::ItemValue::Text(t), Some(serde_json::Value::String(s))) => t == s,
                (compact::ItemValue::Bool(b), Some(serde_json::Value::Bool(c))) => b == c,
                (compact::ItemValue::Uint(n), Some(v)) => v.as_u64() == Some(*n),
                (compact::ItemValue::Date(d), Some(serde_json::Value::String(s))) => {
                    compact::date_to_days(s) == Some(*d)
                }
                _ => false,
            };
            if !same {
                return Err(refused("compact.claims_differ").into());
            }
        }
        Ok(bytes)
    }
}
