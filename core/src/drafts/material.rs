//! Licences in a draft ([`crate::forms::material`]): offered for a field
//! and attached with the person's consent, bound to the submission at
//! finalize, and, on a household visit, the claims of the code a resident
//! showed filled into their form with their consent recorded.

use serde_json::{Map, Value};

use super::prefill::{self, is_own};
use super::records::{LicenceOffer, LicenceUse, OfferedLicence, PrefilledValue, SaveEffects};
use super::store;
use super::{DraftsService, OpenDraft, bad_answer, lock};
use crate::clock::now_ms;
use crate::error::{PalmGovError, Result};
use crate::forms::definition::LicenceNeed;
use crate::forms::licence_types;
use crate::forms::material::{Binding, Consent, ConsentKind, LicenceWallet, licence_answer};
use crate::gate::Unlocked;
use crate::i18n::pick;
use crate::outbox::rfc3339;

/// What a resident's shown code disclosed, as a verifier checked it.
pub(crate) struct ShownLicence {
    pub licence_type: String,
    pub claims: Map<String, Value>,
}

impl DraftsService {
    fn wallet(&self) -> Result<std::sync::Arc<dyn LicenceWallet>> {
        self.wallet.get().ok_or_else(|| {
            PalmGovError::InvalidInput {
                field: "wallet (not configured)".into(),
            }
            .into()
        })
    }

    /// The draft's licence field `field` and what it needs, checked: the
    /// field takes a licence, and the draft is the signed-in person's own
    /// (the wallet never fills a form about someone else).
    fn need_of(draft: &OpenDraft, field: &str) -> Result<LicenceNeed> {
        let need = draft
            .form
            .field(field)
            .and_then(|(_, f)| f.licence.clone())
            .ok_or_else(|| bad_answer(field, "not_a_licence_field"))?;
        if !is_own(&draft.meta.subject) {
            return Err(bad_answer(field, "not_own_application"));
        }
        Ok(need)
    }

    /// What attaching a licence to `field` would share, with whom and why,
    /// and the person's licences of the type it takes: what the consent
    /// screen shows before [`Self::attach_licence`].
    pub(crate) fn licence_offer(
        &self,
        _: &Unlocked,
        draft_id: &str,
        field: &str,
        language: &str,
    ) -> Result<LicenceOffer> {
        let (need, recipient, purpose) = {
            let mut open = lock(&self.open)?;
            let draft = self.cached(&mut open, draft_id)?;
            let need = Self::need_of(draft, field)?;
            let recipient = pick(&draft.form.title, language);
            let purpose = purpose_of(&need, &recipient, language);
            (need, recipient, purpose)
        };
        let licences = self
            .wallet()?
            .held(need.licence_type.name)?
            .into_iter()
            .map(|h| OfferedLicence {
                licence_id: h.licence_id,
                valid_until: h.valid_until,
            })
            .collect();
        Ok(LicenceOffer {
            field: field.to_string(),
            licence_type: need.licence_type.name.to_string(),
            type_name: need.licence_type.display_name(language).to_string(),
            recipient,
            purpose,
            claims: need.disclose.iter().map(|c| (*c).to_string()).collect(),
            licences,
        })
    }

    /// Attaches the person's licence `licence_id` to `field`: the answer
    /// becomes its reference and the consent (the offer's claims, the
    /// form, its purpose, now) is recorded in the same transaction. The
    /// presentation itself is made at finalize, bound to the submission.
    pub(crate) fn attach_licence(
        &self,
        _: &Unlocked,
        draft_id: &str,
        field: &str,
        licence_id: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        let (need, consent) = {
            let mut open = lock(&self.open)?;
            let draft = self.cached(&mut open, draft_id)?;
            if draft.frozen {
                return Err(PalmGovError::DraftFrozen.into());
            }
            let need = Self::need_of(draft, field)?;
            let recipient = pick(&draft.form.title, language);
            let consent = Consent {
                kind: ConsentKind::Attached,
                field: Some(field.to_string()),
                licence_type: need.licence_type.name.to_string(),
                licence_id: Some(licence_id.to_string()),
                claims: need.disclose.iter().map(|c| (*c).to_string()).collect(),
                recipient: draft.form.id.clone(),
                purpose: purpose_of(&need, &recipient, language),
                at: rfc3339(now_ms(), draft.meta.utc_offset_min),
            };
            (need, consent)
        };
        let held = self.wallet()?.held(need.licence_type.name)?;
        if !held.iter().any(|h| h.licence_id == licence_id) {
            return Err(bad_answer(field, "licence_unavailable"));
        }
        let key = self.ctx.store.key();
        let record = |conn: &rusqlite::Connection| -> Result<()> {
            let mut consents = store::read_material(conn, key, draft_id)?;
            consents.retain(|c| c.field.as_deref() != Some(field));
            consents.push(consent.clone());
            store::write_material(conn, key, draft_id, &consents)
        };
        self.set_values(
            draft_id,
            vec![(
                field.to_string(),
                licence_answer(need.licence_type.name, licence_id),
            )],
            language,
            Some(&record),
            super::lifecycle::SetBy::Wallet,
        )
    }

    /// Fills a resident's draft from the claims of the licence code they
    /// showed the worker (checked by the caller in verifier mode), and
    /// records the resident's consent. Only for a draft about someone
    /// else: the signed-in person attaches their own licences instead.
    pub(crate) fn apply_shown(
        &self,
        _: &Unlocked,
        draft_id: &str,
        shown: &ShownLicence,
        language: &str,
    ) -> Result<(SaveEffects, Vec<PrefilledValue>)> {
        let (values, prefilled, consent) = {
            let mut open = lock(&self.open)?;
            let draft = self.cached(&mut open, draft_id)?;
            Self::check_shown_target(draft)?;
            // The code must be the person the draft is about: another
            // member's licence would fill this form with the wrong data.
            if let (Some(name), Some(shown)) = (
                &draft.meta.subject.name,
                shown.claims.get("name").and_then(Value::as_str),
            ) && name != shown
            {
                return Err(bad_answer("subject", "other_person"));
            }
            let mut answers = draft.answers.clone();
            let prefilled = prefill::shown(
                &draft.form,
                &mut answers,
                &shown.licence_type,
                &shown.claims,
            );
            let values: Vec<(String, Value)> = prefilled
                .iter()
                .filter_map(|p| Some((p.path.clone(), answers.top.get(&p.path)?.clone())))
                .collect();
            let mut claims: Vec<String> = shown.claims.keys().cloned().collect();
            claims.retain(|c| c != licence_types::LICENCE_ID);
            let consent = Consent {
                kind: ConsentKind::Shown,
                field: None,
                licence_type: shown.licence_type.clone(),
                licence_id: None,
                claims,
                recipient: draft.form.id.clone(),
                purpose: pick(&draft.form.title, language),
                at: rfc3339(now_ms(), draft.meta.utc_offset_min),
            };
            (values, prefilled, consent)
        };
        if values.is_empty() {
            return Err(bad_answer("licence", "nothing_to_prefill"));
        }
        let key = self.ctx.store.key();
        let record = |conn: &rusqlite::Connection| -> Result<()> {
            let mut consents = store::read_material(conn, key, draft_id)?;
            // One consent per licence type shown: a code scanned again
            // replaces the record, it does not pile up.
            consents.retain(|c| {
                !(c.kind == ConsentKind::Shown && c.licence_type == consent.licence_type)
            });
            consents.push(consent.clone());
            store::write_material(conn, key, draft_id, &consents)
        };
        let effects = self.set_values(
            draft_id,
            values,
            language,
            Some(&record),
            super::lifecycle::SetBy::Wallet,
        )?;
        Ok((effects, prefilled))
    }

    /// Whether a resident's shown code may fill draft `draft_id`: asked
    /// before the code is checked (which uses it up), so a code is not
    /// spent on a draft that would refuse it.
    pub(crate) fn may_take_shown(&self, _: &Unlocked, draft_id: &str) -> Result<()> {
        let mut open = lock(&self.open)?;
        let draft = self.cached(&mut open, draft_id)?;
        Self::check_shown_target(draft)
    }

    fn check_shown_target(draft: &OpenDraft) -> Result<()> {
        if draft.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        if is_own(&draft.meta.subject) {
            return Err(bad_answer("subject", "own_application"));
        }
        Ok(())
    }

    /// The draft's consents as the person reads them.
    pub(super) fn licence_uses(&self, draft_id: &str) -> Result<Vec<LicenceUse>> {
        let conn = self.ctx.store.conn()?;
        Ok(store::read_material(&conn, self.ctx.store.key(), draft_id)?
            .into_iter()
            .map(LicenceUse::from)
            .collect())
    }

    /// At finalize: a presentation of each attached licence whose field is
    /// still answered, bound to the submission, and the consents to send
    /// (an attached licence's only while its field is).
    pub(super) fn bind_licences(
        &self,
        draft: &OpenDraft,
        answers: &Value,
        instance_id: &str,
        finalized_at_ms: i64,
    ) -> Result<(Vec<Value>, Vec<Consent>)> {
        let conn = self.ctx.store.conn()?;
        let mut consents = store::read_material(&conn, self.ctx.store.key(), &draft.meta.id)?;
        drop(conn);
        consents.retain(|c| match (&c.kind, &c.field) {
            (ConsentKind::Attached, Some(field)) => answers.get(field).is_some_and(|a| {
                a.get("number").and_then(Value::as_str) == c.licence_id.as_deref()
            }),
            _ => true,
        });
        // A licence answer with no consent behind it (a copy whose consents
        // did not come along) would be refused by the backend as
        // `licence_missing`: the person attaches it again instead.
        for (_, f) in draft
            .form
            .children(None)
            .filter(|(_, f)| f.licence.is_some())
        {
            let answered = answers.get(&f.name).is_some_and(|a| !a.is_null());
            let consented = consents
                .iter()
                .any(|c| c.kind == ConsentKind::Attached && c.field.as_deref() == Some(&f.name));
            if answered && !consented {
                return Err(bad_answer(&f.name, "attach_again"));
            }
        }
        // The servers' clock when it is known: a phone whose clock runs
        // ahead would otherwise bind a presentation "from the future",
        // which the backend refuses.
        let api = self.ctx.api();
        let issued_at = api
            .server_now()
            .unwrap_or_else(|| finalized_at_ms.div_euclid(1000));
        let mut licences = Vec::new();
        for c in consents.iter().filter(|c| c.kind == ConsentKind::Attached) {
            let (Some(field), Some(licence_id)) = (&c.field, &c.licence_id) else {
                continue;
            };
            let presentation = self.wallet()?.present(Binding {
                licence_id,
                disclose: &c.claims,
                audience: &draft.form.id,
                nonce: instance_id,
                issued_at,
            })?;
            licences.push(serde_json::json!({"field": field, "presentation": presentation}));
        }
        Ok((licences, consents))
    }
}

/// Why the licence is used (用证事由): the field's purpose, else the form.
fn purpose_of(need: &LicenceNeed, recipient: &str, language: &str) -> String {
    if need.purpose.is_empty() {
        recipient.to_string()
    } else {
        pick(&need.purpose, language)
    }
}
