//! Verifier mode, in the same core: a clerk's phone or a kiosk checks a
//! scanned 亮证 code offline, against the trust list and the status lists
//! it holds, and refuses a code it has seen.
//!
//! The seen presentation ids are kept in `seen_presentations` for their
//! validity window (plus the clock skew), committed durably before the
//! verdict is given, so a code shown twice is refused after a restart too.
//! The table is bounded by that window; at [`MAX_SEEN`] live ids the
//! verifier refuses to judge (fail closed) rather than forget one.

use palmgov_credentials::compact::{self, ItemValue, StatusListId};
use rusqlite::params;

use super::holder::KeystoreSigner;
use super::records::{LicenceClaim, LicenceVerdict, PresentationCheck, RequestQr, VerifierRequest};
use super::showing::{Request, VALID_SECS, matrix};
use super::{StatusCache, WalletService, date_in_china, refused, trust};
use crate::error::{PalmGovError, Result};
use crate::forms::licence_types;
use crate::gate::Unlocked;

/// Clock difference tolerated between the holder's phone and the
/// verifier, both ways.
pub(crate) const SKEW_SECS: i64 = 30;
/// Most presentation ids kept at once: far more than a counter scans in a
/// validity window.
const MAX_SEEN: i64 = 100_000;
/// The keystore alias of this device's verifier key (device-wide: the
/// kiosk or the clerk's phone, not a person).
const VERIFIER_ALIAS: &str = "palmgov.verifier";
/// How long a request QR may be answered: the person reads who asks,
/// chooses a licence and confirms.
pub(crate) const REQUEST_VALID_SECS: i64 = 300;

impl WalletService {
    /// This device's verifier key, a JWK (P-256, in the keystore hook), for
    /// the region to put on the trust list with the verifier's id.
    pub(crate) fn verifier_key(&self) -> Result<String> {
        let signer = KeystoreSigner::new(self.ctx.keystore().as_ref(), VERIFIER_ALIAS.into())?;
        Ok(signer.public().to_jwk().to_string())
    }

    /// A request QR code (two-way): `verifier_id` asks for `asks`, under a
    /// fresh nonce, signed by this device's verifier key, which the trust
    /// list must name for that verifier, with those items allowed.
    pub(crate) fn make_request(
        &self,
        _: &Unlocked,
        verifier_id: &str,
        asks: &[String],
    ) -> Result<(RequestQr, Request)> {
        let now = self.now();
        let trust = trust::current(&self.ctx.store, &*self.config()?, now)?;
        let signer = KeystoreSigner::new(self.ctx.keystore().as_ref(), VERIFIER_ALIAS.into())?;
        let verifier = trust
            .verifiers
            .get(verifier_id)
            .filter(|v| v.keys.contains(signer.public()))
            .ok_or_else(|| refused("verifier.not_on_trust_list"))?;
        if asks.is_empty() || !asks.iter().all(|a| verifier.asks.contains(a)) {
            return Err(refused("verifier.asks_not_allowed").into());
        }
        let nonce =
            compact::new_nonce().map_err(|e| refused(&format!("request.{}", e.reason())))?;
        let payload = compact::make_request(
            verifier_id,
            &nonce,
            asks,
            u64::try_from(now).unwrap_or(0),
            &signer,
        )
        .map_err(|e| refused(&format!("request.{}", e.reason())))?;
        let (version, width, modules) = matrix(&payload, None)?;
        Ok((
            RequestQr {
                payload,
                version,
                width,
                modules,
                expires_at_ms: (now + REQUEST_VALID_SECS).saturating_mul(1000),
            },
            Request {
                nonce: nonce.to_vec(),
                verifier: verifier_id.into(),
                asks: asks.to_vec(),
                time: now,
            },
        ))
    }

    /// Reads a verifier's request QR on the holder's phone: the verifier's
    /// signature under its key on the trust list, the items it may ask for,
    /// and its age. Offline.
    pub(crate) fn read_request(&self, payload: &str) -> Result<(VerifierRequest, Request)> {
        let now = self.now();
        let trust = trust::current(&self.ctx.store, &*self.config()?, now)?;
        let key_of = |id: &str, alg| {
            trust
                .verifiers
                .get(id)?
                .keys
                .iter()
                .find(|k| k.alg() == alg)
                .cloned()
        };
        let request =
            compact::verify_request(payload.trim(), &key_of, now, REQUEST_VALID_SECS, SKEW_SECS)
                .map_err(|e| refused(&format!("request.{}", e.reason())))?;
        let verifier = trust
            .verifiers
            .get(&request.verifier)
            .ok_or_else(|| refused("request.unknown_verifier"))?;
        if !request.asks.iter().all(|a| verifier.asks.contains(a)) {
            return Err(refused("request.asks_not_allowed").into());
        }
        Ok((
            VerifierRequest {
                payload: payload.trim().to_owned(),
                verifier_id: request.verifier.clone(),
                verifier_name: verifier.name.clone(),
                asks: request.asks.clone(),
                asked_at_ms: i64::try_from(request.time)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(1000),
            },
            Request {
                nonce: request.nonce.to_vec(),
                verifier: request.verifier,
                asks: request.asks,
                time: i64::try_from(request.time).unwrap_or(i64::MAX),
            },
        ))
    }

    /// Checks a scanned code (its text) offline; with `expect`, it must
    /// answer that request of this verifier's. A code that cannot be
    /// read or whose signatures fail is `Invalid` with a stable reason, and
    /// shows nothing of what it claims.
    pub(crate) fn check_presentation(
        &self,
        _: &Unlocked,
        payload: &str,
        language: &str,
        expect: Option<&Request>,
    ) -> Result<PresentationCheck> {
        let now = self.now();
        let invalid = PresentationCheck::invalid;
        let trust = match trust::current(&self.ctx.store, &*self.config()?, now) {
            Ok(trust) => trust,
            Err(e) => {
                let reason = match PalmGovError::from(e) {
                    PalmGovError::LicenceRefused { reason } => reason,
                    other => other.code().into(),
                };
                return Ok(PresentationCheck {
                    verdict: LicenceVerdict::Undetermined {
                        reason,
                        list_age_secs: None,
                    },
                    ..invalid(String::new())
                });
            }
        };
        let key_of = |iss: &str, alg| {
            let issuer = trust.issuers.get(iss)?;
            // One key per algorithm and issuer: the compact form names no
            // key id (it would cost ten bytes of every code).
            issuer.keys.values().find(|k| k.alg() == alg).cloned()
        };
        let options = compact::VerifyOptions {
            now,
            validity_secs: VALID_SECS,
            skew_secs: SKEW_SECS,
            expect_request: expect.map(|r| (r.nonce.as_slice(), r.verifier.as_str())),
        };
        let shown = match compact::verify(payload.trim(), &key_of, &options) {
            Ok(shown) => shown,
            Err(e) => return Ok(invalid(format!("presentation.{}", e.reason()))),
        };
        // An answer to a request that has been on screen too long: the
        // kiosk asks again.
        if expect.is_some_and(|r| now > r.time + REQUEST_VALID_SECS + SKEW_SECS) {
            return Ok(invalid("presentation.request_expired".into()));
        }
        let Some(issuer) = trust.issuers.get(&shown.issuer) else {
            return Ok(invalid("issuer.unknown".into()));
        };
        if !issuer.types.contains(&shown.licence_type) {
            return Ok(invalid("issuer.not_for_this_type".into()));
        }
        // Only now, with every signature checked, is the id worth keeping.
        if !self.first_sighting(&shown.pid, now)? {
            return Ok(invalid("presentation.replayed".into()));
        }
        let kind = licence_types::by_name(&shown.licence_type);
        let date = |days: u32| {
            i32::try_from(days)
                .ok()
                .and_then(compact::days_to_date)
                .unwrap_or_default()
        };
        let today = compact::date_to_days(&date_in_china(now)).map(i64::from);
        let verdict = if !today.is_some_and(|d| shown.validity.in_force(d)) {
            if today.is_some_and(|d| d < i64::from(shown.validity.valid_from)) {
                LicenceVerdict::Invalid {
                    reason: "licence.not_yet_valid".into(),
                }
            } else {
                LicenceVerdict::Expired
            }
        } else {
            let status = shown.status.as_ref().and_then(|s| match &s.list {
                StatusListId::Id(id) => trust
                    .status_list_ids
                    .get(id)
                    .map(|uri| (uri.as_str(), s.idx)),
                StatusListId::Uri(uri) => Some((uri.as_str(), s.idx)),
            });
            match (shown.status.is_some(), status) {
                (true, None) => LicenceVerdict::Undetermined {
                    reason: "status.unknown_list".into(),
                    list_age_secs: None,
                },
                (_, status) => self.status_verdict(&trust, &mut StatusCache::new(), status, now)?,
            }
        };
        Ok(PresentationCheck {
            verdict,
            display_name: kind
                .map(|k| k.display_name(language).to_string())
                .unwrap_or_else(|| shown.licence_type.clone()),
            licence_type: shown.licence_type.clone(),
            issuer: issuer.name.clone(),
            claims: shown
                .items
                .iter()
                .map(|(name, value)| LicenceClaim {
                    name: name.clone(),
                    value_json: match value {
                        ItemValue::Text(t) => serde_json::Value::from(t.as_str()),
                        ItemValue::Bool(b) => (*b).into(),
                        ItemValue::Uint(n) => (*n).into(),
                        ItemValue::Date(d) => compact::days_to_date(*d).unwrap_or_default().into(),
                    }
                    .to_string(),
                })
                .collect(),
            shown_at_ms: i64::try_from(shown.time)
                .unwrap_or(i64::MAX)
                .saturating_mul(1000),
            valid_from: date(shown.validity.valid_from),
            valid_until: date(shown.validity.valid_until),
        })
    }

    /// Records presentation id `pid` as seen until it can no longer be
    /// accepted, durably; false when it was seen before.
    fn first_sighting(&self, pid: &[u8], now: i64) -> Result<bool> {
        let expires = now + VALID_SECS + 2 * SKEW_SECS;
        self.ctx.store.write_durably(|tx| {
            tx.execute(
                "DELETE FROM seen_presentations WHERE expires_at < ?1",
                [now],
            )?;
            let live: i64 =
                tx.query_row("SELECT COUNT(*) FROM seen_presentations", [], |r| r.get(0))?;
            if live >= MAX_SEEN {
                return Err(PalmGovError::LicenceRefused {
                    reason: "presentation.too_many_seen".into(),
                }
                .into());
            }
            Ok(tx.execute(
                "INSERT INTO seen_presentations (pid, expires_at) VALUES (?1, ?2)
                 ON CONFLICT (pid) DO NOTHING",
                params![pid, expires],
            )? == 1)
        })
    }
}
