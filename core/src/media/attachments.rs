//! Photo and signature attachments of drafts.
//!
//! The flow survives the camera taking all the memory and the OS killing
//! the app while it is open:
//! 1. The shell registers a pending attachment *before* opening the camera;
//!    the row is committed, so a draft never forgets a photo was started.
//! 2. The camera writes into the core's private temporary directory, at the
//!    path registration returned. If the app died meanwhile, the capture
//!    waits there: the draft's view lists it (`pending_captures`) and the
//!    restarted shell ingests it.
//! 3. Ingest decodes it, turns it upright, scales the long edge to 1600 px
//!    (configurable), re-encodes JPEG without EXIF (so no GPS) and seals it
//!    with its content hash; the attachment turns ready and the answer is
//!    set in one transaction; only then is the raw capture deleted. A
//!    capture that is not a readable image is deleted at once (retake it);
//!    one that could not be stored (a full disk) stays for another try.
//! 4. Opening the core removes what a crash left: raw captures of
//!    attachments no longer pending, or pending longer than a day, and
//!    sealed files no attachment names.
//! 5. A newer photo for the same field replaces the older one, file and
//!    all; a delivered submission's photos are deleted from the phone (the
//!    backend confirmed it holds every byte).
//!
//! Each attachment has its own id and field, so two fields never share a
//! file (ODK Collect's duplicate-photo bug).

use std::collections::HashSet;
use std::path::{Path as FsPath, PathBuf};

use rusqlite::{OptionalExtension, params};

use crate::drafts::{SaveEffects, now_ms};
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::forms::engine::Path;
use crate::store::Store;

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
    core.store.dir().join(CAPTURE_DIR)
}

const CAPTURE_DIR: &str = "capture";

/// How long a capture whose ingest never came is kept for the shell to
/// ingest after a restart. Past that it is taken as abandoned: it holds
/// EXIF (GPS) in clear.
const CAPTURE_KEEP_MS: i64 = 24 * 60 * 60 * 1000;

fn capture_file(dir: &FsPath, attachment_id: &str) -> PathBuf {
    dir.join(format!("{attachment_id}.raw"))
}

/// Removes what a crash left behind (module notes, step 4). Called at
/// open, when no camera of this process can be writing.
pub(crate) fn clean_leftovers(store: &Store) -> Result<()> {
    let ids = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<HashSet<String>> {
        let conn = store.conn()?;
        let mut stmt = conn.prepare(sql)?;
        let ids = stmt.query_map(params, |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    };
    let waiting = ids(
        "SELECT id FROM attachments WHERE state = 'pending' AND created_at >= ?1",
        &[&(now_ms() - CAPTURE_KEEP_MS)],
    )?;
    let stored = ids("SELECT id FROM attachments WHERE state = 'ready'", &[])?;
    let files = |dir: PathBuf| {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((e.path(), e.file_name().into_string().ok()?)))
    };
    // Anything in the capture directory not waiting for its ingest.
    for (path, name) in files(store.dir().join(CAPTURE_DIR)) {
        let waits = name
            .strip_suffix(".raw")
            .is_some_and(|id| waiting.contains(id));
        if !waits && std::fs::remove_file(&path).is_ok() {
            tracing::info!("removed a leftover capture");
        }
    }
    // Sealed photos no ready attachment names (a replaced photo, a failed
    // ingest). Temporary files of an interrupted write go too.
    for (_, name) in files(store.files_dir()) {
        let Some(rest) = name.strip_prefix("att-") else {
            continue;
        };
        let id = rest.split(".tmp-").next().unwrap_or(rest);
        if rest.contains(".tmp-") || !stored.contains(id) {
            std::fs::remove_file(store.files_dir().join(&name))?;
            tracing::info!("removed an orphaned attachment file");
        }
    }
    Ok(())
}

/// Deletes the photos of a delivered submission from the phone: the
/// backend's receipt confirmed every byte, and a grid worker's phone would
/// otherwise fill with sealed copies of every household's documents. The
/// rows stay (state `sent`, with their hashes) as the record.
pub(crate) fn forget_delivered(core: &Core, draft_id: &str) -> Result<()> {
    let ids: Vec<String> = core
        .store
        .conn()?
        .prepare_cached(
            "UPDATE attachments SET state = 'sent' WHERE draft_id = ?1 AND state = 'ready' RETURNING id",
        )?
        .query_map([draft_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        core.store.secure_file_delete(&file_name(&id))?;
    }
    Ok(())
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
            capture_path: capture_file(&dir, &id).to_string_lossy().into_owned(),
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
        let owner = self.draft_owner()?;
        let (draft_id, path, state): (String, String, String) = self
            .store
            .conn()?
            .query_row(
                "SELECT a.draft_id, a.path, a.state FROM attachments a
                 JOIN drafts d ON d.id = a.draft_id WHERE a.id = ?1 AND d.owner = ?2",
                params![attachment_id, owner],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(PalmGovError::NotFound)?;
        if state != "pending" {
            return Err(bad(&path, "already_ingested"));
        }
        let capture = capture_file(&capture_dir(self), attachment_id);
        let size = std::fs::metadata(&capture)
            .map_err(|_| bad(&path, "no_capture"))?
            .len();
        if size > MAX_CAPTURE_BYTES {
            let _ = std::fs::remove_file(&capture);
            return Err(bad(&path, "too_large"));
        }
        let raw = super::Wiped::from(std::fs::read(&capture)?);
        let prepared = super::reencode_jpeg(&raw, max_edge.unwrap_or(DEFAULT_MAX_EDGE), QUALITY);
        drop(raw);
        let prepared = match prepared {
            Ok(p) => p,
            // The raw capture holds EXIF (GPS) in clear, and an unreadable
            // one is retaken, not kept.
            Err(e) => {
                std::fs::remove_file(&capture)?;
                let reason = match e {
                    super::MediaError::TooLarge => "too_large",
                    _ => "unreadable",
                };
                return Err(bad(&path, reason));
            }
        };
        // From here on a failure (a full disk) keeps the capture, so the
        // same photo can be ingested again once there is room.
        let file = file_name(attachment_id);
        let info = self.store.secure_file_write(&file, &prepared.jpeg)?;
        // The photo this one replaces, if the field had one.
        let replaced = std::cell::RefCell::new(Vec::new());
        let ready = |conn: &rusqlite::Connection| -> Result<()> {
            let n = conn
                .prepare_cached(
                    "UPDATE attachments SET state = 'ready', sha256 = ?2, size = ?3
                     WHERE id = ?1 AND state = 'pending'",
                )?
                .execute(params![attachment_id, info.sha256_hex, info.size as i64])?;
            if n != 1 {
                return Err(bad(&path, "already_ingested"));
            }
            let old: Vec<String> = conn
                .prepare_cached(
                    "DELETE FROM attachments WHERE draft_id = ?1 AND path = ?2 AND id != ?3
                     AND state = 'ready' RETURNING id",
                )?
                .query_map(params![draft_id, path, attachment_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            *replaced.borrow_mut() = old;
            Ok(())
        };
        let effects = match self.set_ingested(&draft_id, &path, attachment_id, language, &ready) {
            Ok(effects) => effects,
            Err(e) => {
                let _ = self.store.secure_file_delete(&file);
                return Err(e);
            }
        };
        let _ = std::fs::remove_file(&capture);
        for old in replaced.into_inner() {
            self.store.secure_file_delete(&file_name(&old))?;
        }
        Ok(IngestedAttachment {
            attachment_id: attachment_id.to_string(),
            sha256_hex: info.sha256_hex,
            size: info.size,
            width: prepared.width,
            height: prepared.height,
            effects,
        })
    }

    /// Pending attachments of a draft whose capture is on disk: photos
    /// taken while the app was gone, for the shell to ingest on resume.
    pub(crate) fn pending_captures(&self, draft_id: &str) -> Result<Vec<PendingAttachment>> {
        let dir = capture_dir(self);
        let conn = self.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM attachments WHERE draft_id = ?1 AND state = 'pending' ORDER BY created_at, id",
        )?;
        let ids: Vec<String> = stmt
            .query_map([draft_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids
            .into_iter()
            .filter_map(|id| {
                let file = capture_file(&dir, &id);
                file.exists().then(|| PendingAttachment {
                    capture_path: file.to_string_lossy().into_owned(),
                    attachment_id: id,
                })
            })
            .collect())
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
        let _ = std::fs::remove_file(capture_file(&capture_dir(self), attachment_id));
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
