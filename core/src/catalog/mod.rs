//! The catalog of forms on the device: definitions fetched from the
//! backend's catalog or bundled with the app, each checked fully before it
//! is kept, and loaded forms cached in memory.
//!
//! Definitions are immutable per version: a different body under a stored
//! version is refused rather than silently changing open drafts. Old
//! versions stay while drafts use them.
//!
//! The region's service catalog (办事指南), which names the forms that start
//! its services, is a capability of its own ([`crate::services`]). This
//! one's table is `form_definitions` ([`store`]).

mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::context::Context;
use crate::error::{PalmGovError, Result};
use crate::forms::definition::Form;
use crate::i18n::pick;

/// A form available on the device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FormInfo {
    pub form_id: String,
    pub version: u32,
    pub title: String,
}

/// The form catalog of one open core.
pub(crate) struct CatalogService {
    ctx: Arc<Context>,
    forms: Mutex<HashMap<(String, u32), Arc<Form>>>,
}

/// The backend's catalog (`GET /v1/forms`).
#[derive(serde::Deserialize)]
struct Remote {
    forms: Vec<RemoteEntry>,
}

#[derive(serde::Deserialize)]
struct RemoteEntry {
    id: String,
    version: u32,
}

impl CatalogService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self {
            ctx,
            forms: Mutex::new(HashMap::new()),
        }
    }

    /// A form, its newest version unless `version` is given; loaded and
    /// checked once, then served from memory.
    pub(crate) fn form(&self, form_id: &str, version: Option<u32>) -> Result<Arc<Form>> {
        let store = &self.ctx.store;
        let version = match version {
            Some(v) => v,
            None => store::latest_version(store, form_id)?.ok_or(PalmGovError::FormNotFound)?,
        };
        let key = (form_id.to_string(), version);
        if let Some(f) = self.cache().get(&key) {
            return Ok(f.clone());
        }
        let body = store::definition(store, form_id, version)?.ok_or(PalmGovError::FormNotFound)?;
        let form = Arc::new(Form::load(&body)?);
        self.cache().insert(key, form.clone());
        Ok(form)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<(String, u32), Arc<Form>>> {
        self.forms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a definition after checking it fully; returns its id and
    /// version.
    pub(crate) fn add(&self, body: &[u8]) -> Result<(String, u32)> {
        let form = Form::load(body)?;
        store::put_definition(&self.ctx.store, &form.id, form.version, body)?;
        Ok((form.id, form.version))
    }

    /// A stored form as a shell lists it.
    pub(crate) fn info(&self, form_id: &str, version: u32, language: &str) -> Result<FormInfo> {
        let form = self.form(form_id, Some(version))?;
        Ok(FormInfo {
            form_id: form_id.to_string(),
            version,
            title: pick(&form.title, language),
        })
    }

    /// The forms on the device, newest version first within each form.
    pub(crate) fn infos(&self, language: &str) -> Result<Vec<FormInfo>> {
        store::definitions(&self.ctx.store)?
            .into_iter()
            .map(|(id, version)| self.info(&id, version, language))
            .collect()
    }

    /// Fetches the backend's catalog and every definition not yet stored.
    pub(crate) async fn refresh(&self) -> Result<()> {
        let api = self.ctx.api();
        let remote: Remote = api.get_json("v1/forms").await?.body;
        let have = store::definitions(&self.ctx.store)?;
        for entry in remote.forms {
            if have.contains(&(entry.id.clone(), entry.version)) {
                continue;
            }
            let path = format!("v1/forms/{}/{}", entry.id, entry.version);
            let body: Value = api.get_json(&path).await?.body;
            let (id, version) = self.add(&serde_json::to_vec(&body)?)?;
            if (id.as_str(), version) != (entry.id.as_str(), entry.version) {
                return Err(PalmGovError::BadServerReply.into());
            }
        }
        Ok(())
    }
}
