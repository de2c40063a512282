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
//!    with its content hash ([`MediaService::prepare`]); the attachment
//!    turns ready and the answer is set in one transaction, which the
//!    drafts capability opens ([`MediaService::mark_ready`] runs inside it);
//!    only then is the raw capture deleted. A capture that is not a
//!    readable image is deleted at once (retake it); one that could not be
//!    stored (a full disk) stays for another try.
//! 4. A failed or abandoned capture never outlives its attempt:
//!    - registering again for a field replaces its earlier pending capture
//!      (a retake);
//!    - opening a draft ingests the captures a previous run of the app left
//!      waiting (killed mid-ingest, or while the camera was open), so their
//!      EXIF and GPS do not stay in clear, and drops the pending rows of
//!      earlier runs that never got a capture;
//!    - finalizing does the same for this run's, so a cancelled camera or an
//!      unreadable file never blocks the form;
//!    - this run's attempts with no capture are listed for the shell to
//!      offer "retake or discard" (`DraftView::abandoned_attachments`);
//!    - opening the core removes raw captures of attachments no longer
//!      pending, or pending longer than an hour, and sealed files no
//!      attachment names.
//! 5. A newer photo for the same field replaces the older one, file and
//!    all; a delivered submission's photos are deleted from the phone (the
//!    backend confirmed it holds every byte).
//!
//! Each attachment has its own id and field, so two fields never share a
//! file (ODK Collect's duplicate-photo bug).

use std::collections::HashSet;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use palmgov_media::{MediaError, Wiped, reencode_jpeg};
use rusqlite::{Connection, OptionalExtension, params};

use crate::clock::now_ms;
use crate::context::Context;
use crate::error::{PalmGovError, Result};
use crate::store::{SecureFileInfo, Store};

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

/// A photo or signature started for a field but not stored: its capture
/// never came, or could not be read.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttachmentSlot {
    pub attachment_id: String,
    /// The field it was started for.
    pub path: String,
}

/// A pending attachment of a draft, for settling it.
pub(crate) struct Pending {
    pub id: String,
    /// The field it is for.
    pub path: String,
    /// Registered by an earlier run of the app.
    pub earlier: bool,
    /// Its capture is on disk, here.
    pub captured: bool,
    pub capture_path: std::path::PathBuf,
}

/// An attachment row: the draft and field it belongs to, and its state
/// (`pending`, `ready` or `sent`).
pub(crate) struct Row {
    pub draft_id: String,
    pub path: String,
    pub state: String,
}

/// A capture prepared and sealed, waiting for its row to turn ready.
pub(crate) struct Prepared {
    pub file: SecureFileInfo,
    pub width: u32,
    pub height: u32,
}

/// What an upload finds of an attachment the backend asks for.
pub(crate) enum Upload {
    /// Not a ready attachment of this submission's draft.
    Unknown,
    /// Its row is ready but its sealed file is gone.
    Lost,
    Bytes(zeroize::Zeroizing<Vec<u8>>),
}

/// The sealed file of an attachment.
pub(crate) fn file_name(attachment_id: &str) -> String {
    format!("att-{attachment_id}")
}

const CAPTURE_DIR: &str = "capture";

/// How long a capture whose ingest never came is kept for the shell to
/// ingest after a restart. Past that it is taken as abandoned: it holds
/// EXIF (GPS) in clear.
const CAPTURE_KEEP_MS: i64 = 60 * 60 * 1000;

fn capture_file(dir: &FsPath, attachment_id: &str) -> PathBuf {
    dir.join(format!("{attachment_id}.raw"))
}

fn bad(field: &str, reason: &str) -> crate::error::Error {
    PalmGovError::InvalidAnswer {
        field: field.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

/// The attachments capability of one open core.
pub(crate) struct MediaService {
    ctx: Arc<Context>,
    /// When this core opened: pending rows older than this belong to an
    /// earlier run of the app.
    opened_at_ms: i64,
}

impl MediaService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self {
            ctx,
            opened_at_ms: now_ms(),
        }
    }

    fn store(&self) -> &Store {
        &self.ctx.store
    }

    /// The private directory cameras write into.
    fn capture_dir(&self) -> PathBuf {
        self.store().dir().join(CAPTURE_DIR)
    }

    /// Removes what a crash left behind (module notes, step 4). Called at
    /// open, when no camera of this process can be writing.
    pub(crate) fn clean_leftovers(&self) -> Result<()> {
        let store = self.store();
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
        for (path, name) in files(self.capture_dir()) {
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

    /// Registers a pending attachment for `path` of `draft_id` (the drafts
    /// capability has checked the field) and returns where the camera
    /// should write it.
    pub(crate) fn register(&self, draft_id: &str, path: &str) -> Result<PendingAttachment> {
        let id = crate::crypto::uuid_v4()?;
        let dir = self.capture_dir();
        // A retake: the field's earlier attempt goes, capture and all.
        let replaced: Vec<String> = self.store().write_durably(|tx| {
            let replaced = tx
                .prepare(
                    "DELETE FROM attachments WHERE draft_id = ?1 AND path = ?2
                     AND state = 'pending' RETURNING id",
                )?
                .query_map(params![draft_id, path], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute(
                "INSERT INTO attachments (id, draft_id, path, state, created_at)
                 VALUES (?1, ?2, ?3, 'pending', ?4)",
                params![id, draft_id, path, now_ms()],
            )?;
            Ok(replaced)
        })?;
        for old in replaced {
            let _ = std::fs::remove_file(capture_file(&dir, &old));
        }
        std::fs::create_dir_all(&dir)?;
        Ok(PendingAttachment {
            capture_path: capture_file(&dir, &id).to_string_lossy().into_owned(),
            attachment_id: id,
        })
    }

    /// An attachment's row, if it exists.
    pub(crate) fn row(&self, attachment_id: &str) -> Result<Option<Row>> {
        Ok(self
            .store()
            .conn()?
            .query_row(
                "SELECT draft_id, path, state FROM attachments WHERE id = ?1",
                [attachment_id],
                |r| {
                    Ok(Row {
                        draft_id: r.get(0)?,
                        path: r.get(1)?,
                        state: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Prepares a pending attachment's capture (module notes, step 3) and
    /// seals the result under the attachment's file name. `path` names the
    /// field in errors. A capture that is not a readable image is deleted;
    /// from sealing on, a failure (a full disk) keeps it for another try.
    pub(crate) fn prepare(
        &self,
        attachment_id: &str,
        path: &str,
        max_edge: Option<u32>,
    ) -> Result<Prepared> {
        let capture = capture_file(&self.capture_dir(), attachment_id);
        let size = std::fs::metadata(&capture)
            .map_err(|_| bad(path, "no_capture"))?
            .len();
        if size > MAX_CAPTURE_BYTES {
            let _ = std::fs::remove_file(&capture);
            return Err(bad(path, "too_large"));
        }
        let raw = Wiped::from(std::fs::read(&capture)?);
        let prepared = reencode_jpeg(&raw, max_edge.unwrap_or(DEFAULT_MAX_EDGE), QUALITY);
        drop(raw);
        let prepared = match prepared {
            Ok(p) => p,
            // The raw capture holds EXIF (GPS) in clear, and an unreadable
            // one is retaken, not kept.
            Err(e) => {
                std::fs::remove_file(&capture)?;
                let reason = match e {
                    MediaError::TooLarge => "too_large",
                    _ => "unreadable",
                };
                return Err(bad(path, reason));
            }
        };
        let file = self
            .store()
            .secure_file_write(&file_name(attachment_id), &prepared.jpeg)?;
        Ok(Prepared {
            file,
            width: prepared.width,
            height: prepared.height,
        })
    }

    /// Turns a prepared attachment ready, on the caller's connection and
    /// inside its transaction (the answer naming it commits with it).
    /// Returns the attachments of the same field it replaces, whose files
    /// go once the transaction has committed ([`MediaService::finish_ingest`]).
    pub(crate) fn mark_ready(
        conn: &Connection,
        row: &Row,
        attachment_id: &str,
        prepared: &Prepared,
    ) -> Result<Vec<String>> {
        let n = conn
            .prepare_cached(
                "UPDATE attachments SET state = 'ready', sha256 = ?2, size = ?3
                 WHERE id = ?1 AND state = 'pending'",
            )?
            .execute(params![
                attachment_id,
                prepared.file.sha256_hex,
                prepared.file.size as i64
            ])?;
        if n != 1 {
            return Err(bad(&row.path, "already_ingested"));
        }
        Ok(conn
            .prepare_cached(
                "DELETE FROM attachments WHERE draft_id = ?1 AND path = ?2 AND id != ?3
                 AND state = 'ready' RETURNING id",
            )?
            .query_map(params![row.draft_id, row.path, attachment_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// After the ready state committed: the raw capture and the replaced
    /// photos go.
    pub(crate) fn finish_ingest(&self, attachment_id: &str, replaced: Vec<String>) -> Result<()> {
        let _ = std::fs::remove_file(capture_file(&self.capture_dir(), attachment_id));
        for old in replaced {
            self.store().secure_file_delete(&file_name(&old))?;
        }
        Ok(())
    }

    /// The ingest did not commit: the sealed copy goes, the capture stays
    /// for another try.
    pub(crate) fn abandon_ingest(&self, attachment_id: &str) {
        let _ = self.store().secure_file_delete(&file_name(attachment_id));
    }

    /// A draft's pending attachments, oldest first, with whether each has
    /// its capture on disk: what settling them (module notes, step 4) and a
    /// draft's view both start from, read once.
    pub(crate) fn pending(&self, draft_id: &str) -> Result<Vec<Pending>> {
        let dir = self.capture_dir();
        let conn = self.store().conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, path, created_at FROM attachments WHERE draft_id = ?1 AND state = 'pending'
             ORDER BY created_at, id",
        )?;
        let rows: Vec<(String, String, i64)> = stmt
            .query_map([draft_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .map(|(id, path, created_at)| {
                let capture_path = capture_file(&dir, &id);
                Pending {
                    captured: capture_path.exists(),
                    earlier: created_at < self.opened_at_ms,
                    capture_path,
                    path,
                    id,
                }
            })
            .collect())
    }

    /// What a draft's view shows of its pending attachments: those whose
    /// capture is on disk (photos taken while the app was gone, for the
    /// shell to ingest on resume), and this run's attempts with none (the
    /// camera was cancelled, or the capture could not be read: "retake or
    /// discard").
    pub(crate) fn pending_views(
        &self,
        draft_id: &str,
    ) -> Result<(Vec<PendingAttachment>, Vec<AttachmentSlot>)> {
        let (captured, abandoned): (Vec<_>, Vec<_>) = self
            .pending(draft_id)?
            .into_iter()
            .partition(|p| p.captured);
        Ok((
            captured
                .into_iter()
                .map(|p| PendingAttachment {
                    capture_path: p.capture_path.to_string_lossy().into_owned(),
                    attachment_id: p.id,
                })
                .collect(),
            abandoned
                .into_iter()
                .map(|p| AttachmentSlot {
                    attachment_id: p.id,
                    path: p.path,
                })
                .collect(),
        ))
    }

    /// An attachment answer must name an attachment of this draft and field
    /// (two fields never share one file) in `state`: `ready`, or `pending`
    /// for the ingest that readies it.
    pub(crate) fn check(
        &self,
        draft_id: &str,
        attachment: &str,
        path: &str,
        state: &str,
    ) -> Result<()> {
        let found: Option<String> = self
            .store()
            .conn()?
            .prepare_cached(
                "SELECT state FROM attachments WHERE id = ?1 AND draft_id = ?2 AND path = ?3",
            )?
            .query_row(params![attachment, draft_id, path], |r| r.get(0))
            .optional()?;
        match found {
            Some(s) if s == state => Ok(()),
            _ => Err(bad(path, "unknown_attachment")),
        }
    }

    /// The sealed files of a draft's attachments, read inside the
    /// transaction that deletes the draft (its rows go with it).
    pub(crate) fn files_of(conn: &Connection, draft_id: &str) -> Result<Vec<String>> {
        let mut stmt = conn.prepare("SELECT id FROM attachments WHERE draft_id = ?1")?;
        let rows = stmt.query_map([draft_id], |r| r.get::<_, String>(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|id| file_name(&id))
            .collect())
    }

    /// Deletes sealed attachment files by name.
    pub(crate) fn delete_files(&self, files: &[String]) -> Result<()> {
        for f in files {
            self.store().secure_file_delete(f)?;
        }
        Ok(())
    }

    /// The attachments a submission declares: the ready ones its (relevant)
    /// answers name, each with its size and content hash. Read on the
    /// caller's connection, inside the transaction that queues it.
    pub(crate) fn declared(
        conn: &Connection,
        draft_id: &str,
        answers: &serde_json::Value,
    ) -> Result<Vec<serde_json::Value>> {
        let named = answers.to_string();
        let mut stmt = conn.prepare_cached(
            "SELECT id, path, sha256, size FROM attachments
             WHERE draft_id = ?1 AND state = 'ready' ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([draft_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, path, sha256, size) = row?;
            if named.contains(&format!("\"{id}\"")) {
                out.push(serde_json::json!({
                    "id": id, "field": path, "sha256": sha256, "size": size,
                    "content_type": "image/jpeg",
                }));
            }
        }
        Ok(out)
    }

    /// Bytes of a draft's ready attachments, for a sync's progress total.
    pub(crate) fn ready_bytes(&self, draft_id: &str) -> Result<u64> {
        Ok(self.store().conn()?.query_row(
            "SELECT IFNULL(SUM(size), 0) FROM attachments WHERE draft_id = ?1 AND state = 'ready'",
            [draft_id],
            |r| r.get(0),
        )?)
    }

    /// A ready attachment of `draft_id`, for its upload.
    pub(crate) fn for_upload(&self, draft_id: &str, attachment_id: &str) -> Result<Upload> {
        let belongs: bool = self.store().conn()?.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachments
                            WHERE id = ?1 AND draft_id = ?2 AND state = 'ready')",
            [attachment_id, draft_id],
            |r| r.get(0),
        )?;
        if !belongs {
            return Ok(Upload::Unknown);
        }
        Ok(
            match self.store().secure_file_read(&file_name(attachment_id))? {
                Some(bytes) => Upload::Bytes(bytes),
                None => Upload::Lost,
            },
        )
    }

    /// Deletes the photos of a delivered submission from the phone: the
    /// backend's receipt confirmed every byte, and a grid worker's phone would
    /// otherwise fill with sealed copies of every household's documents. The
    /// rows stay (state `sent`, with their hashes) as the record.
    pub(crate) fn forget_delivered(&self, draft_id: &str) -> Result<()> {
        let ids: Vec<String> = self
            .store()
            .conn()?
            .prepare_cached(
                "UPDATE attachments SET state = 'sent' WHERE draft_id = ?1 AND state = 'ready' RETURNING id",
            )?
            .query_map([draft_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            self.store().secure_file_delete(&file_name(&id))?;
        }
        Ok(())
    }

    /// Drafts that still hold a stored photo.
    pub(crate) fn drafts_with_photos(&self) -> Result<HashSet<String>> {
        let conn = self.store().conn()?;
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT draft_id FROM attachments WHERE state = 'ready'")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes an attachment (pending or stored): its row, its sealed file
    /// and any capture.
    pub(crate) fn remove(&self, attachment_id: &str) -> Result<()> {
        self.store()
            .conn()?
            .execute("DELETE FROM attachments WHERE id = ?1", [attachment_id])?;
        self.store().secure_file_delete(&file_name(attachment_id))?;
        let _ = std::fs::remove_file(capture_file(&self.capture_dir(), attachment_id));
        Ok(())
    }

    /// A stored attachment's JPEG, decrypted in memory (for a preview).
    pub(crate) fn read(&self, attachment_id: &str) -> Result<Vec<u8>> {
        Ok(self
            .store()
            .secure_file_read(&file_name(attachment_id))?
            .ok_or(PalmGovError::NotFound)?
            .to_vec())
    }
}
