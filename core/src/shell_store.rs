//! The shell's own secure store: small records and files a shell keeps
//! encrypted under the install's data key (a cached profile picture, a
//! downloaded PDF), in a space of its own.
//!
//! The shell's namespaces are stored under `shell.` and its files under
//! `shell-`, so no name a shell passes can reach the core's own records
//! (the account keys, the sessions) or its attachment files, and the
//! core's housekeeping (which removes orphaned `att-` files at open) never
//! touches a shell's file. Rows written before the boundary existed were
//! moved by store migration 7.
//!
//! Every call is behind the app lock.

use std::path::Path;
use std::sync::Arc;

use crate::context::Context;
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;
use crate::store::{SHELL_FILE_PREFIX, SHELL_NAMESPACE_PREFIX, SecureEntry, SecureFileInfo};

/// The shell's secure store of one open core.
pub(crate) struct ShellStoreService {
    ctx: Arc<Context>,
}

/// The stored namespace of a shell's namespace.
fn namespace(ns: &str) -> Result<String> {
    if ns.is_empty() {
        return Err(PalmGovError::InvalidInput {
            field: "namespace".into(),
        }
        .into());
    }
    Ok(format!("{SHELL_NAMESPACE_PREFIX}{ns}"))
}

/// The stored file name of a shell's file.
fn file(name: &str) -> Result<String> {
    if name.is_empty() {
        return Err(PalmGovError::InvalidInput {
            field: "name".into(),
        }
        .into());
    }
    Ok(format!("{SHELL_FILE_PREFIX}{name}"))
}

impl ShellStoreService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub(crate) fn put(&self, _: &Unlocked, ns: &str, key: &str, value: &[u8]) -> Result<()> {
        self.ctx.store.secure_put(&namespace(ns)?, key, value)
    }

    pub(crate) fn get(&self, _: &Unlocked, ns: &str, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .ctx
            .store
            .secure_get(&namespace(ns)?, key)?
            .map(|v| v.to_vec()))
    }

    /// Every entry of a namespace, decrypted, ordered by key.
    pub(crate) fn list(&self, _: &Unlocked, ns: &str) -> Result<Vec<SecureEntry>> {
        self.ctx.store.secure_list(&namespace(ns)?)
    }

    pub(crate) fn delete(&self, _: &Unlocked, ns: &str, key: &str) -> Result<bool> {
        self.ctx.store.secure_delete(&namespace(ns)?, key)
    }

    pub(crate) fn file_import(
        &self,
        _: &Unlocked,
        name: &str,
        source: &Path,
        delete_source: bool,
    ) -> Result<SecureFileInfo> {
        let mut info = self
            .ctx
            .store
            .secure_file_import(&file(name)?, source, delete_source)?;
        info.name = name.to_string();
        Ok(info)
    }

    pub(crate) fn file_read(&self, _: &Unlocked, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .ctx
            .store
            .secure_file_read(&file(name)?)?
            .map(|v| v.to_vec()))
    }

    pub(crate) fn file_delete(&self, _: &Unlocked, name: &str) -> Result<bool> {
        self.ctx.store.secure_file_delete(&file(name)?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::PalmGov;
    use crate::drafts::tests::block_on;
    use crate::error::PalmGovError;

    fn open(dir: &std::path::Path) -> Arc<PalmGov> {
        let gov = crate::software::offline_core(dir, &[4; 32]).unwrap();
        block_on(gov.unlock("shell store".into())).unwrap();
        gov
    }

    #[test]
    fn the_shell_cannot_reach_the_cores_records() {
        let dir = tempfile::tempdir().unwrap();
        let gov = open(dir.path());
        let store = gov.app_for_tests().ctx.store.clone();
        store
            .secure_put(
                "palmgov.identity.account_keys",
                "acc-1",
                b"a raw account key",
            )
            .unwrap();
        let shell = gov.secure_store();
        let ns = "palmgov.identity.account_keys".to_string();
        assert!(block_on(shell.list(ns.clone())).unwrap().is_empty());
        assert_eq!(
            block_on(shell.get(ns.clone(), "acc-1".into())).unwrap(),
            None
        );
        // Writing and deleting there touches the shell's own space only.
        block_on(shell.put(ns.clone(), "acc-1".into(), b"shell".to_vec())).unwrap();
        assert!(block_on(shell.delete(ns.clone(), "acc-1".into())).unwrap());
        assert_eq!(
            &store
                .secure_get("palmgov.identity.account_keys", "acc-1")
                .unwrap()
                .unwrap()[..],
            b"a raw account key"
        );
    }

    #[test]
    fn a_shell_file_named_like_an_attachment_survives_open() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("scan.jpg");
        std::fs::write(&source, b"a scanned certificate").unwrap();
        let data = dir.path().join("core");
        let gov = open(&data);
        let info = block_on(gov.secure_store().file_import(
            "att-scan.jpg".into(),
            source.to_string_lossy().into_owned(),
            true,
        ))
        .unwrap();
        assert_eq!(info.name, "att-scan.jpg");
        gov.shutdown();
        // Opening cleans orphaned attachment files; the shell's is not one.
        let gov = open(&data);
        assert_eq!(
            block_on(gov.secure_store().file_read("att-scan.jpg".into())).unwrap(),
            Some(b"a scanned certificate".to_vec())
        );
    }

    #[test]
    fn the_shell_store_is_behind_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let gov = open(dir.path());
        let shell = gov.secure_store();
        block_on(shell.put("prefs".into(), "theme".into(), b"dark".to_vec())).unwrap();
        gov.lock().unwrap();
        assert_eq!(
            block_on(shell.get("prefs".into(), "theme".into())),
            Err(PalmGovError::Locked)
        );
        assert_eq!(
            block_on(shell.list("prefs".into())),
            Err(PalmGovError::Locked)
        );
    }
}
