//! The secure-store handle: the shell's own encrypted key-value records and
//! files. Everything here is behind the app lock.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::store::{SecureEntry, SecureFileInfo};

/// The shell's encrypted store in one open core.
#[derive(uniffi::Object)]
pub struct SecureStoreHandle {
    core: Arc<OpenCore>,
}

impl SecureStoreHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl SecureStoreHandle {
    /// Stores `value` encrypted under the install's data key. `namespace`
    /// and `key` are stored in clear and must not contain personal data.
    pub async fn put(
        &self,
        namespace: String,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.put(u, &namespace, &key, &value))
            .await
    }

    /// Reads one value stored with [`SecureStoreHandle::put`].
    pub async fn get(
        &self,
        namespace: String,
        key: String,
    ) -> Result<Option<Vec<u8>>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.get(u, &namespace, &key))
            .await
    }

    /// Every entry of a namespace, decrypted, in one call.
    pub async fn list(&self, namespace: String) -> Result<Vec<SecureEntry>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.list(u, &namespace))
            .await
    }

    /// Removes one entry; returns whether it existed.
    pub async fn delete(&self, namespace: String, key: String) -> Result<bool, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.delete(u, &namespace, &key))
            .await
    }

    /// Encrypts the file at `source_path` into the core under `name`
    /// (letters, digits, `-`, `_`, `.`). With `delete_source` the plaintext
    /// original is removed once the encrypted copy is safely on disk.
    pub async fn file_import(
        &self,
        name: String,
        source_path: String,
        delete_source: bool,
    ) -> Result<SecureFileInfo, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.shell_store.file_import(
                    u,
                    &name,
                    std::path::Path::new(&source_path),
                    delete_source,
                )
            })
            .await
    }

    /// Decrypts a stored file into memory. Never writes plaintext to disk.
    pub async fn file_read(&self, name: String) -> Result<Option<Vec<u8>>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.file_read(u, &name))
            .await
    }

    /// Removes a stored file; returns whether it existed.
    pub async fn file_delete(&self, name: String) -> Result<bool, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.shell_store.file_delete(u, &name))
            .await
    }
}
