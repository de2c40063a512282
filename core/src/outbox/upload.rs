//! Attachment uploads in resumable chunks.
//!
//! The submission's receipt lists each attachment the server still misses
//! and how many bytes of it arrived, so a dropped connection resumes where
//! the server stopped instead of starting over on a village's 2G link.

use std::sync::Arc;

use serde::Deserialize;

use super::{Attempt, transient};
use crate::error::Result;
use crate::facade::Core;
use crate::identity::authorized::Body;

/// Bytes per chunk: small enough to finish on a weak link, large enough
/// that the per-request cost stays small on a good one.
pub(crate) const CHUNK: usize = 256 * 1024;

/// An attachment the server does not have in full yet.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Missing {
    pub id: String,
    #[serde(default)]
    pub received: u64,
}

#[derive(Deserialize)]
struct ChunkReply {
    received: u64,
    /// The submission's receipt, when this chunk completed its last part.
    #[serde(default)]
    receipt: Option<super::Receipt>,
}

/// The attachments a submission declares: the ready ones its (relevant)
/// answers name, each with its size and content hash.
pub(crate) fn declared(
    core: &Core,
    draft_id: &str,
    answers: &serde_json::Value,
) -> Result<Vec<serde_json::Value>> {
    let named = answers.to_string();
    let conn = core.store.conn()?;
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

/// What uploading one attachment came to.
pub(crate) enum Sent {
    /// The server has all of this attachment.
    Part,
    /// ...and its reply was the submission's complete receipt: delivered.
    Receipt(super::Receipt),
    /// Stopped: what to do with the item.
    Stopped(Attempt),
}

/// Uploads what the server misses of one attachment.
pub(crate) async fn send(
    core: &Arc<Core>,
    item: (&str, &str),
    missing: &Missing,
    credit: &mut (dyn FnMut(u64) + Send),
) -> Result<Sent> {
    let (instance_id, sha256) = item;
    let belongs: bool = core.store.conn()?.query_row(
        "SELECT EXISTS (SELECT 1 FROM attachments a JOIN outbox o ON o.draft_id = a.draft_id
                        WHERE o.instance_id = ?1 AND a.id = ?2 AND a.state = 'ready')",
        [instance_id, &missing.id],
        |r| r.get(0),
    )?;
    if !belongs {
        return Ok(Sent::Stopped(Attempt::Quarantine(
            "unknown_attachment".into(),
        )));
    }
    let Some(bytes) = core
        .store
        .secure_file_read(&crate::media::attachments::file_name(&missing.id))?
    else {
        return Ok(Sent::Stopped(Attempt::Quarantine("attachment_lost".into())));
    };
    let total = bytes.len() as u64;
    let path = format!("v1/submissions/{instance_id}/attachments/{}", missing.id);
    let mut offset = missing.received.min(total);
    while offset < total {
        let end = (offset + CHUNK as u64).min(total);
        let headers = [(
            "content-range",
            format!("bytes {offset}-{}/{total}", end - 1),
        )];
        let body = Body {
            bytes: &bytes[offset as usize..end as usize],
            content_type: "application/octet-stream",
            headers: &headers,
        };
        let reply = match core
            .authorized_request(reqwest::Method::PUT, &path, Some(body))
            .await
        {
            Ok(r) => r,
            Err(e) => return transient(e).map(Sent::Stopped),
        };
        let status = reply.status.as_u16();
        if reply.status.is_success() || status == 409 {
            // 409: the server holds a different amount than we assumed
            // (an earlier chunk's reply was lost); resume from its count.
            let Some(chunk) = serde_json::from_slice::<ChunkReply>(&reply.body)
                .ok()
                .filter(|c| c.received <= total)
            else {
                return Ok(Sent::Stopped(core.classify(reply)));
            };
            if chunk.received > offset {
                credit(chunk.received - offset);
            }
            offset = chunk.received;
            if let Some(r) = chunk
                .receipt
                .filter(|r| r.complete && r.instance_id == instance_id && r.sha256 == sha256)
            {
                return Ok(Sent::Receipt(r));
            }
            continue;
        }
        return Ok(Sent::Stopped(core.classify(reply)));
    }
    Ok(Sent::Part)
}
