//! "What do I still need?" (最多跑一次): a service's materials, each marked
//! with where it will come from. A licence serves only when its person is
//! the applicant: on the signed-in person's own application, the wallet's
//! licences; on a grid worker's household visit, only what the resident
//! showed by code during the visit (the worker's own wallet is never the
//! resident's).

use super::ServiceCatalog;
use super::records::{MaterialNeed, MaterialSource, ServiceNeeds};
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;
use crate::i18n::pick;
use crate::wallet::{LicenceVerdict, PresentationCheck};

/// Whose licences can serve.
pub(crate) enum Applicant<'a> {
    /// The signed-in person, applying for themselves.
    Own,
    /// A resident on a household visit, by the codes they showed.
    Visit(&'a [PresentationCheck]),
}

impl ServiceCatalog {
    pub(crate) fn needs(
        &self,
        _: &Unlocked,
        code: &str,
        language: &str,
        applicant: Applicant<'_>,
    ) -> Result<ServiceNeeds> {
        let catalog = self.required()?;
        let position = catalog.position(code).ok_or(PalmGovError::NotFound)?;
        let guide = self.guide(&catalog, position)?;
        let (held, source): (Vec<String>, _) = match applicant {
            Applicant::Own => (
                self.wallet
                    .holdings()?
                    .into_iter()
                    .filter(|h| h.usable)
                    .map(|h| h.licence_type)
                    .collect(),
                MaterialSource::InWallet,
            ),
            // A code whose signatures or validity failed serves nothing.
            Applicant::Visit(shown) => (
                shown
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.verdict,
                            LicenceVerdict::Valid | LicenceVerdict::Undetermined { .. }
                        )
                    })
                    .map(|c| c.licence_type.clone())
                    .collect(),
                MaterialSource::ShownOnVisit,
            ),
        };
        let materials: Vec<MaterialNeed> = guide
            .materials
            .iter()
            .map(|m| MaterialNeed {
                source: if m.licence.as_ref().is_some_and(|t| held.contains(t)) {
                    source
                } else if m.form {
                    MaterialSource::AnsweredByForm
                } else if m.photo && !m.original {
                    MaterialSource::Photograph
                } else {
                    MaterialSource::Bring
                },
                material: super::material(m, language),
            })
            .collect();
        let outstanding = materials
            .iter()
            .filter(|m| matches!(m.source, MaterialSource::Photograph | MaterialSource::Bring))
            .count() as u32;
        Ok(ServiceNeeds {
            code: code.to_string(),
            name: pick(&catalog.index.services[position].names, language),
            covered: materials.len() as u32 - outstanding,
            outstanding,
            materials,
        })
    }
}
