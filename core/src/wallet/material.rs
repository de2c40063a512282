//! The wallet as forms see it ([`LicenceWallet`]): the signed-in person's
//! licences of a type with their claims, for prefill and for choosing one
//! to attach, and presentations bound to a submission.
//!
//! No app lock is asked here: creating, attaching and finalizing in a form
//! ask it at the form's own API, and a presentation bound again at send
//! time is one the person already consented to.

use palmgov_credentials::sdjwt::{self, KeyBindingInput, PathSegment};
use serde_json::Value;

use super::holder::KeystoreSigner;
use super::{LicenceVerdict, WalletService, refused};
use crate::error::Result;
use crate::forms::material::{Binding, HeldLicence, LicenceWallet};

impl LicenceWallet for WalletService {
    fn held(&self, licence_type: &str) -> Result<Vec<HeldLicence>> {
        let owner = self.ctx.owner()?;
        let today = super::date_in_china(self.now());
        let mut rows: Vec<_> = self
            .rows(&owner)?
            .into_iter()
            .filter(|r| r.index.licence_type == licence_type)
            // What a verifier would refuse is not offered: only licences
            // valid now, whose status is good or merely not yet known.
            .filter(|r| {
                matches!(
                    r.index.verdict,
                    LicenceVerdict::Valid | LicenceVerdict::Undetermined { .. }
                )
            })
            .filter(|r| r.index.valid_until >= today)
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.fetched_at));
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (_, credential) = self.load(&owner, &row.index.licence_id)?;
            let claims = match sdjwt::inspect(&credential) {
                Ok(inspected) => inspected.claims,
                Err(e) => {
                    tracing::warn!(reason = e.reason(), "a stored licence does not read");
                    continue;
                }
            };
            let Value::Object(claims) = claims else {
                continue;
            };
            out.push(HeldLicence {
                licence_id: row.index.licence_id,
                valid_until: row.index.valid_until,
                claims,
            });
        }
        Ok(out)
    }

    fn present(&self, binding: Binding<'_>) -> Result<String> {
        let owner = self.ctx.owner()?;
        let (_, credential) = self.load(&owner, binding.licence_id)?;
        let signer = KeystoreSigner::holder(self.ctx.keystore().as_ref(), &owner)?;
        // Top-level claims only: every claim of the registry's types is one.
        let disclose = |path: &[PathSegment]| matches!(path, [PathSegment::Key(name)] if binding.disclose.iter().any(|d| d == name));
        let presentation = sdjwt::present(
            &credential,
            &disclose,
            Some(KeyBindingInput {
                aud: binding.audience,
                nonce: binding.nonce,
                iat: binding.issued_at,
                signer: &signer,
            }),
        )
        .map_err(|e| refused(&format!("credential.{}", e.reason())))?;
        Ok(presentation)
    }
}
