//! Photo and signature attachments of drafts.
//!
//! The flow survives the camera taking all the memory and the OS killing
//! the app while it is open:
//! 1. The shell registers a pending attachment *before* opening the camera;
//!    the row is committed, so a draft never forgets a photo was started.
//! 2. The camera writes into the core's private temporary directory, at the
//!    path registration returned.
//! 3. Ingest decodes it, turns it upright, scales the long edge to 1600 px
//!    (configurable), re-encodes JPEG without EXIF (so no GPS), seals it
//!    with its content hash, deletes the raw capture, and sets the answer.
//! 4. Opening the core removes any raw captures left by a crash.
//!
//! Each attachment has its own id and field, so two fields never share a
//! file (ODK Collect's duplicate-photo bug).

use std::path::{Path as FsPath, PathBuf};

use rusqlite::{OptionalExtension, params};

use crate::drafts::{SaveEffects, now_ms};
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::forms::engine::Path;

/// The long edge photos are scaled to, unless the caller asks otherwise.
pub(crate) const DEFAULT_MAX_EDGE: u32 = 1600;
/// JPEG quality of stored photos.
pub(crate) const QUALITY: u8 = 80;
/// The largest raw capture accepted (a 50 MP JPEG is ~25 MB).
const MAX_CAPTURE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the camera should write, returned at registration.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PendingAttachment {
    pub attachment_id: String,
    /// A file path inside the core's private temporary directory. The
    /// core deletes it after ingest, and at the next open if the app died.
    pub capture_path: String,
}

/// A stored attachment, and what setting it changed in the draft.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct IngestedAttachment {
    pub attachment_id: String,
    pub sha256_hex: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub effects: SaveEffects,
}

/// The sealed file of an attachment.
pub(crate) fn file_name(attachment_id: &str) -> String {
    format!("att-{attachment_id}")
}

/// The private directory cameras write into.
pub(crate) fn capture_dir(core: &Core) -> PathBuf {
    core.store.dir().join("capture")
}

/// Removes raw captures a crash left behind. Called at open, when no
/// camera of this process can be writing.
pub(crate) fn clean_captures(dir: &FsPath) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if std::fs::remove_file(e.path()).is_ok() {
            tracing::info!("removed a leftover capture");
        }
    }
}

impl Core {
    /// Registers a pending photo (or signature) for `path` in a draft and
    /// returns where the camera should write it.
    pub(crate) fn register_attachment(
        &self,
        draft_id: &str,
        path: &str,
    ) -> Result<PendingAttachment> {
        let owner = self.draft_owner()?;
        let parsed = Path::parse(path).ok_or_else(|| bad(path, "unknown_field"))?;
        let (form_id, version, state): (String, u32, String) = self
            .store
            .conn()?
            .query_row(
                "SELECT form_id, form_version, state FROM drafts WHERE id = ?1 AND owner = ?2",
                params![draft_id, owner],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(PalmGovError::NotFound)?;
        if state != "draft" {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let form = self.form(&form_id, Some(version))?;
        if !form
            .field(&parsed.name)
            .is_some_and(|(_, f)| f.kind.is_attachment())
        {
            return Err(bad(path, "not_an_attachment"));
        }
        let id = crate::crypto::uuid_v4()?;
        self.store.conn()?.execute(
            "INSERT INTO attachments (id, draft_id, path, state, created_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
            params![id, draft_id, path, now_ms()],
        )?;
        let dir = capture_dir(self);
        std::fs::create_dir_all(&dir)?;
        Ok(PendingAttachment {
            capture_path: dir.join(format!("{id}.raw")).to_string_lossy().into_owned(),
            attachment_id: id,
        })
    }

    /// Ingests the capture of a pending attachment (see the module notes).
    pub(crate) fn ingest_attachment(
        &self,
        attachment_id: &str,
        max_edge: Option<u32>,
        language: &str,
    ) -> Result<IngestedAttachment> {
        let (draft_id, path, state): (String, String, String) = self
            .store
            .conn()?
            .query_row(
                "SELECT draft_id, path, state FROM attachments WHERE id = ?1",
                [attachment_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(PalmGovError::NotFound)?;
        if state != "pending" {
            return Err(bad(&path, "already_ingested"));
        }
        let capture = capture_dir(self).join(format!("{attachment_id}.raw"));
        let size = std::fs::metadata(&capture)
            .map_err(|_| bad(&path, "no_capture"))?
            .len();
        if size > MAX_CAPTURE_BYTES {
            let _ = std::fs::remove_file(&capture);
            return Err(bad(&path, "too_large"));
        }
        let raw = super::Wiped::from(std::fs::read(&capture)?);
        let prepared = super::reencode_jpeg(&raw, max_edge.unwrap_or(DEFAULT_MAX_EDGE), QUALITY)
            .map_err(|e| {
                bad(
                    &path,
                    if e == super::MediaError::TooLarge {
                        "too_large"
                    } else {
                        "unreadable"
                    },
                )
            });
        drop(raw);
        // The raw capture holds EXIF (GPS) in clear: it goes whatever the
        // outcome; a bad capture is retaken, not kept.
        std::fs::remove_file(&capture)?;
        let prepared = prepared?;
        let info = self
            .store
            .secure_file_write(&file_name(attachment_id), &prepared.jpeg)?;
        self.store.conn()?.execute(
            "UPDATE attachments SET state = 'ready', sha256 = ?2, size = ?3 WHERE id = ?1",
            params![attachment_id, info.sha256_hex, info.size as i64],
        )?;
        let effects =
            self.save_answer(&draft_id, &path, &format!("\"{attachment_id}\""), language)?;
        Ok(IngestedAttachment {
            attachment_id: attachment_id.to_string(),
            sha256_hex: info.sha256_hex,
            size: info.size,
            width: prepared.width,
            height: prepared.height,
            effects,
        })
    }

    /// Removes an attachment (pending or stored) and clears its answer.
    pub(crate) fn remove_attachment(
        &self,
        attachment_id: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        let (draft_id, path): (String, String) = self
            .store
            .conn()?
            .query_row(
                "SELECT draft_id, path FROM attachments WHERE id = ?1",
                [attachment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(PalmGovError::NotFound)?;
        let open = self.open_draft(&draft_id, language)?;
        let current = open
            .fields
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.value_json.clone());
        let effects = if current.as_deref() == Some(&format!("\"{attachment_id}\"")) {
            self.save_answer(&draft_id, &path, "null", language)?
        } else {
            SaveEffects {
                changed: Vec::new(),
            }
        };
        self.store
            .conn()?
            .execute("DELETE FROM attachments WHERE id = ?1", [attachment_id])?;
        self.store.secure_file_delete(&file_name(attachment_id))?;
        let _ = std::fs::remove_file(capture_dir(self).join(format!("{attachment_id}.raw")));
        Ok(effects)
    }

    /// A stored attachment's JPEG, decrypted in memory (for a preview).
    pub(crate) fn attachment_bytes(&self, attachment_id: &str) -> Result<Vec<u8>> {
        Ok(self
            .store
            .secure_file_read(&file_name(attachment_id))?
            .ok_or(PalmGovError::NotFound)?
            .to_vec())
    }
}

fn bad(field: &str, reason: &str) -> crate::error::Error {
    PalmGovError::InvalidAnswer {
        field: field.to_string(),
        reason: reason.to_string(),
    }
    .into()
}
