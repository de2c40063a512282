//! Attachment uploads in resumable chunks.
//!
//! The submission's receipt lists each attachment the server still misses
//! and how many bytes of it arrived, so a dropped connection resumes where
//! the server stopped instead of starting over on a village's 2G link.

use serde::Deserialize;

use super::OutboxService;
use super::records::{Missing, Receipt, Sent};
use crate::delivery::{Attempt, classify, transient};
use crate::error::Result;
use crate::identity::authorized::Body;
use crate::media::attachments::Upload;

/// Bytes per chunk: small enough to finish on a weak link, large enough
/// that the per-request cost stays small on a good one.
pub(super) const CHUNK: usize = 256 * 1024;

#[derive(Deserialize)]
struct ChunkReply {
    received: u64,
    /// The submission's receipt, when this chunk completed its last part.
    #[serde(default)]
    receipt: Option<Receipt>,
}

/// Which submission an upload belongs to.
pub(super) struct Ids<'a> {
    pub instance_id: &'a str,
    pub sha256: &'a str,
    pub draft_id: &'a str,
}

/// Uploads what the server misses of one attachment.
pub(super) async fn send(
    outbox: &OutboxService,
    item: &Ids<'_>,
    missing: &Missing,
    credit: &mut (dyn FnMut(u64) + Send),
) -> Result<Sent> {
    let bytes = match outbox.media.for_upload(item.draft_id, &missing.id)? {
        Upload::Bytes(bytes) => bytes,
        Upload::Unknown => {
            return Ok(Sent::Stopped(Attempt::Quarantine(
                "unknown_attachment".into(),
            )));
        }
        Upload::Lost => return Ok(Sent::Stopped(Attempt::Quarantine("attachment_lost".into()))),
    };
    let instance_id = item.instance_id;
    let api = outbox.ctx.api();
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
        let reply = match outbox
            .identity
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
                return Ok(Sent::Stopped(classify(&api, reply)));
            };
            if chunk.received > offset {
                credit(chunk.received - offset);
            }
            offset = chunk.received;
            if let Some(r) = chunk
                .receipt
                .filter(|r| r.complete && r.echoes(item.instance_id, item.sha256))
            {
                return Ok(Sent::Receipt(r));
            }
            continue;
        }
        return Ok(Sent::Stopped(classify(&api, reply)));
    }
    Ok(Sent::Part)
}
