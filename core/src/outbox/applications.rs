//! Application status (办件查询): what happened to delivered submissions.
//!
//! The backend moves an application through its own states (受理, 办理中,
//! 办结…). The core pulls them in batches, keeps the history sealed (it can
//! reveal what a person applied for), and tells a listener what changed.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::OutboxService;
use crate::clock::now_ms;
use crate::error::Result;
use crate::gate::{Unlocked, Withheld};
use crate::store::Store;

/// Ids per status request.
const BATCH: usize = 100;

/// One step in an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct StatusEvent {
    /// The backend's status code (`submitted`, `accepted`, `in_progress`,
    /// `approved`, `rejected`, …), which apps translate.
    pub status: String,
    pub at_ms: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// When the backend asks for something by a date (补正: materials to
    /// supply), the date, ms since 1970.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at_ms: Option<i64>,
    /// What the backend asks for by `due_at_ms`, as its caseworker wrote it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_materials: Vec<String>,
}

/// A delivered submission's current status and its history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationStatus {
    pub instance_id: String,
    pub form_id: String,
    pub status: String,
    pub updated_at_ms: i64,
    pub history: Vec<StatusEvent>,
}

/// What a subscriber hears of a status change: which application and its
/// new status code, never its history or notes (a subscription may fire
/// while the app is locked; the details are behind the lock, in
/// `applications`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationChange {
    pub instance_id: String,
    pub form_id: String,
    /// The backend's status code, which apps translate.
    pub status: String,
}

/// Told which applications changed, whenever a refresh (by the app, by a
/// sync, by the OS in the background) finds changes.
#[uniffi::export(with_foreign)]
pub trait ApplicationListener: Send + Sync {
    fn on_status_changed(&self, changes: Vec<ApplicationChange>);
}

fn context(instance_id: &str) -> Vec<u8> {
    format!("applications.history\0{instance_id}").into_bytes()
}

/// Starts the history of a just-delivered submission, at the server's
/// receipt time, as the server's own history records it.
/// Records a delivered submission as submitted, on the caller's
/// connection: inside the transaction that marks it delivered.
pub(crate) fn record_delivery(
    conn: &rusqlite::Connection,
    key: &crate::crypto::DataKey,
    instance_id: &str,
    received_at: i64,
) -> Result<()> {
    let history = vec![StatusEvent {
        status: "submitted".into(),
        at_ms: received_at * 1000,
        note: None,
        due_at_ms: None,
        requested_materials: Vec::new(),
    }];
    write_on(conn, key, instance_id, "submitted", &history)
}

fn write(store: &Store, instance_id: &str, status: &str, history: &[StatusEvent]) -> Result<()> {
    write_on(&*store.conn()?, store.key(), instance_id, status, history)
}

fn write_on(
    conn: &rusqlite::Connection,
    key: &crate::crypto::DataKey,
    instance_id: &str,
    status: &str,
    history: &[StatusEvent],
) -> Result<()> {
    let sealed = key.seal(&context(instance_id), &serde_json::to_vec(history)?)?;
    conn.execute(
        "INSERT INTO applications (instance_id, status, history, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (instance_id) DO UPDATE SET status = excluded.status,
             history = excluded.history, updated_at = excluded.updated_at",
        params![instance_id, status, sealed, now_ms()],
    )?;
    Ok(())
}

#[derive(Deserialize)]
struct Remote {
    instance_id: String,
    status: String,
    history: Vec<StatusEvent>,
}

#[derive(Deserialize)]
struct RemoteList {
    applications: Vec<Remote>,
}

impl OutboxService {
    /// The account's applications as last known, newest first. Offline.
    pub(crate) fn applications(&self, _: &Unlocked) -> Result<Vec<ApplicationStatus>> {
        self.known_applications()
    }

    /// The account's applications as last known, with when the phone
    /// learnt of each one's latest change (`updated_at_ms`). Needs no app
    /// lock: reminders are computed from it in the background.
    pub(crate) fn known_applications(&self) -> Result<Vec<ApplicationStatus>> {
        let owner = self.ctx.owner()?;
        let store = &self.ctx.store;
        let conn = store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT a.instance_id, o.form_id, a.status, a.updated_at, a.history
             FROM applications a JOIN outbox o ON o.instance_id = a.instance_id
             WHERE o.owner = ?1 ORDER BY a.updated_at DESC",
        )?;
        let mut rows = stmt.query([owner])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let instance_id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(4)?;
            let history =
                serde_json::from_slice(&store.key().open(&context(&instance_id), &sealed)?)?;
            out.push(ApplicationStatus {
                form_id: r.get(1)?,
                status: r.get(2)?,
                updated_at_ms: r.get(3)?,
                history,
                instance_id,
            });
        }
        Ok(out)
    }

    /// Pulls the status of every delivered application, stores what
    /// changed and tells the subscribers. Shows nothing (background work
    /// may call it): the changes come back withheld until the app lock is
    /// passed.
    pub(crate) async fn refresh_applications(&self) -> Result<Withheld<ApplicationStatus>> {
        let known = self.known_applications()?;
        let mut changes = Vec::new();
        for batch in known.chunks(BATCH) {
            let ids: Vec<&str> = batch.iter().map(|a| a.instance_id.as_str()).collect();
            let path = format!("v1/applications?ids={}", ids.join(","));
            let remote: RemoteList = self.identity.authorized_get_json(&path).await?;
            for r in remote.applications {
                let Some(old) = batch.iter().find(|a| a.instance_id == r.instance_id) else {
                    continue;
                };
                if old.status == r.status && old.history == r.history {
                    continue;
                }
                write(&self.ctx.store, &r.instance_id, &r.status, &r.history)?;
                changes.push(ApplicationStatus {
                    instance_id: r.instance_id,
                    form_id: old.form_id.clone(),
                    status: r.status,
                    updated_at_ms: now_ms(),
                    history: r.history,
                });
            }
        }
        if !changes.is_empty() {
            // No subscriber is not an error.
            let _ = self.changes.send(
                changes
                    .iter()
                    .map(|c| ApplicationChange {
                        instance_id: c.instance_id.clone(),
                        form_id: c.form_id.clone(),
                        status: c.status.clone(),
                    })
                    .collect(),
            );
        }
        Ok(Withheld::new(changes))
    }

    /// A new subscription to status changes.
    pub(crate) fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Vec<ApplicationChange>> {
        self.changes.subscribe()
    }
}
